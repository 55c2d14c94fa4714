/**
 * Backend selection: cpu always, wasm from node_modules, tensorflow only
 * when @tensorflow/tfjs-node really loads, and auto picks the fastest.
 */
import { tf } from '../src/tf';
import { setBackend, getBackend, availableBackends, setVerbose } from '../src';
import { canLoad } from './helpers/backends';
const hasNode = canLoad('@tensorflow/tfjs-node');
const hasWasm = canLoad('@tensorflow/tfjs-backend-wasm');

describe('setBackend', () => {
  let log: jest.SpyInstance;
  beforeEach(() => {
    setVerbose(true);
    log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    log.mockRestore();
    setVerbose(false);
  });

  test("'cpu' runs the pure-JS backend, quietly: the line would only repeat the choice", async () => {
    await expect(setBackend('cpu')).resolves.toBe('cpu');
    expect(getBackend()).toBe('cpu');
    expect(log).not.toHaveBeenCalled();
  });

  test('verbose: true says it in one line on stderr, and nothing goes to stdout', async () => {
    const out = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    await setBackend('cpu', { verbose: true });
    expect(log.mock.calls).toEqual([["tfjs-recurrent: backend 'cpu' (requested; pure JavaScript, the slowest)"]]);
    expect(out).not.toHaveBeenCalled();
    out.mockRestore();
  });

  (hasWasm ? test : test.skip)("'wasm' loads its binary from node_modules and computes", async () => {
    await expect(setBackend('wasm')).resolves.toBe('wasm');
    expect(getBackend()).toBe('wasm');
    expect(tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).arraySync()).toEqual([[3, 3], [3, 3]]);
  });

  test("'auto' picks tensorflow, else wasm, else cpu, and says why", async () => {
    const name = await setBackend('auto');
    expect(name).toBe(hasNode ? 'tensorflow' : hasWasm ? 'wasm' : 'cpu');
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0][0])).toMatch(new RegExp(`^tfjs-recurrent: backend '${name}' \\(auto: `));
    if (hasNode) expect(String(log.mock.calls[0][0])).toMatch(/auto: the native @tensorflow\/tfjs-node loads here; small recurrent layers may run faster on .wasm.\)/);
    else expect(String(log.mock.calls[0][0])).toMatch(/@tensorflow\/tfjs-node (is not installed|does not load)/);
  });

  (hasNode ? test.skip : test)("'tensorflow' without tfjs-node is a clear error, and the backend stays as it was", async () => {
    await setBackend('cpu', { verbose: false });
    await expect(setBackend('tensorflow')).rejects.toThrow(/^setBackend: backend 'tensorflow' cannot run here: @tensorflow\/tfjs-node (is not installed|does not load)/);
    expect(getBackend()).toBe('cpu');
  });

  test('verbose: false prints nothing', async () => {
    await setBackend('cpu', { verbose: false });
    expect(log).not.toHaveBeenCalled();
  });

  test('availableBackends lists what can run here without switching', async () => {
    await setBackend('cpu', { verbose: false });
    const list = await availableBackends();
    expect(list[0]).toBe('cpu');
    expect(list.includes('wasm')).toBe(hasWasm);
    expect(list.includes('tensorflow')).toBe(hasNode);
    expect(getBackend()).toBe('cpu');
  });

  test("tfjs's own install-the-node-backend banner is silenced, and nothing else of tfjs's logging", async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    await setBackend('cpu', { verbose: false });
    tf.tensor([1, 2, 3]).dispose();
    expect(warn).not.toHaveBeenCalled();
    expect(tf.env().getBool('PROD')).toBe(false);
    warn.mockRestore();
  });
});
