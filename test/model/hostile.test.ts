/**
 * Hostile model files are refused before anything is read or allocated on
 * their word, by loadModel and by loadKerasModel alike, with the offending
 * path, weight or key named (docs/errors.md#loading-refuses).
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { AddressInfo } from 'net';
import { tf } from '../../src/tf';
import { Sequential, Embedding, LSTM, Dense, fileIO, loadModel, loadKerasModel, resetNames, RecurrentInputError, RecurrentConfigError } from '../../src';
import { MAX_MESSAGE } from '../../src/errors';
import { onEachBackend } from '../helpers/backends';
import { scratchDir } from '../helpers/scratch';

const scratch = scratchDir('tfjs-recurrent-hostile-');

type ModelJSON = {
  modelTopology: { config: { layers: Array<{ class_name: string; config: Record<string, unknown> }> } };
  weightsManifest: Array<{ paths: string[]; weights: Array<{ name: string; shape: number[]; dtype: string }> }>;
};

/** A small saved model in a fresh folder, and a way to rewrite its model.json. */
async function saved(): Promise<{ dir: string; json: () => ModelJSON; write: (j: ModelJSON) => void; bin: string }> {
  resetNames();
  const dir = fs.mkdtempSync(path.join(scratch(), 'm-'));
  const model = new Sequential({ layers: [new Embedding({ inputDim: 10, outputDim: 3, inputLength: 4 }), new LSTM({ units: 2 }), new Dense({ units: 1 })] });
  await model.save(fileIO(dir));
  const file = path.join(dir, 'model.json');
  const json = () => JSON.parse(fs.readFileSync(file, 'utf8')) as ModelJSON;
  return { dir, json, write: (j) => fs.writeFileSync(file, JSON.stringify(j)), bin: json().weightsManifest[0].paths[0] };
}

const loaders: Array<[string, (dir: string) => Promise<unknown>]> = [
  ['loadModel', (dir) => loadModel(dir)],
  ['loadKerasModel', (dir) => loadKerasModel(dir, { onWarning: () => undefined })],
];

onEachBackend(() => {
  describe.each(loaders)('%s', (_name, load) => {
    test('refuses a weight path that leaves the folder (.., absolute), without reading it', async () => {
      const m = await saved();
      const secret = path.join(path.dirname(m.dir), `secret-${path.basename(m.dir)}.bin`);
      fs.copyFileSync(path.join(m.dir, m.bin), secret); // right size: only the path check can refuse it
      for (const p of [`../${path.basename(secret)}`, secret, `sub/../../${path.basename(secret)}`, 'file:///etc/passwd']) {
        const j = m.json();
        j.weightsManifest[0].paths = [p];
        m.write(j);
        await expect(load(m.dir)).rejects.toThrow(new RegExp(`weight path ${JSON.stringify(p).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} leaves the model's folder; refused`));
      }
    });

    test('refuses a link inside the folder that points outside it', async () => {
      const m = await saved();
      const outside = path.join(path.dirname(m.dir), `outside-${path.basename(m.dir)}.bin`);
      fs.renameSync(path.join(m.dir, m.bin), outside);
      fs.symlinkSync(outside, path.join(m.dir, m.bin));
      await expect(load(m.dir)).rejects.toThrow(/is a link that leaves the model's folder; refused/);
    });

    test('refuses a manifest that declares more bytes than the files hold, naming the weight', async () => {
      const m = await saved();
      const j = m.json();
      j.weightsManifest[0].weights[1].shape = [100000, 100000];
      m.write(j);
      await expect(load(m.dir)).rejects.toThrow(new RegExp(`${j.weightsManifest[0].weights[1].name}: manifest declares \\[100000, 100000\\] float32 = 40000000000 bytes from byte 120, but ${m.bin} hold\\(s\\) \\d+ bytes`));
    });

    test('refuses bad dtypes and shapes in the manifest', async () => {
      const m = await saved();
      const original = m.json();
      for (const [key, value, msg] of [['dtype', 'complex64', /has dtype "complex64"; expected one of float32/], ['shape', [-1, 3], /has shape \[-1,3\]; expected non-negative integers/], ['shape', 'x', /has shape "x"/]] as const) {
        const j = structuredClone(original);
        (j.weightsManifest[0].weights[0] as Record<string, unknown>)[key] = value;
        m.write(j);
        await expect(load(m.dir)).rejects.toThrow(msg);
      }
    });

    test('refuses a config whose layers are larger than the weight files, before allocating them', async () => {
      const m = await saved();
      const j = m.json();
      j.modelTopology.config.layers.find((l) => /LSTM$/.test(l.class_name))!.config.units = 2048;
      m.write(j);
      const [tensors, bytes] = [tf.memory().numTensors, tf.memory().numBytes];
      await expect(load(m.dir)).rejects.toThrow(/kernel: the config makes it \[3, 8192\] = 98304 bytes, but the weight files hold \d+ bytes in all/);
      expect([tf.memory().numTensors, tf.memory().numBytes]).toEqual([tensors, bytes]); // what was built before the refusal is gone too
    });

    test('refuses weights of the right size but the wrong shape with our error, keeping nothing', async () => {
      const m = await saved();
      const j = m.json();
      const spec = j.weightsManifest[0].weights.find((w) => w.name.endsWith('dense/kernel') || /dense.*kernel$/.test(w.name))!;
      spec.shape = [1, spec.shape[0] * spec.shape[1]];
      m.write(j);
      const tensors = tf.memory().numTensors;
      await expect(load(m.dir)).rejects.toThrow(RecurrentInputError);
      await expect(load(m.dir)).rejects.toThrow(/dense.*kernel/);
      expect(tf.memory().numTensors).toBe(tensors);
    });

    test('refuses a config nested 5,000 deep, and keeps a message from a huge value short', async () => {
      const m = await saved();
      const file = path.join(m.dir, 'model.json');
      const text = fs.readFileSync(file, 'utf8');
      fs.writeFileSync(file, text.replace('"layers":', `"extra":${'{"x":'.repeat(5000)}{}${'}'.repeat(5000)},"layers":`));
      await expect(load(m.dir)).rejects.toThrow(/nests deeper than 100 levels; refused/);
      fs.writeFileSync(file, text);
      const k = m.json();
      k.modelTopology.config.layers[1].class_name = 'x'.repeat(5_000_000);
      m.write(k);
      const err = await load(m.dir).then(() => null, (e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err!.message.length).toBeLessThanOrEqual(MAX_MESSAGE + 60);
    });
  });

  test("loadModel: a tfjs layer class larger than the weight files (tf.layers' Dense 20000 × 5000) is refused before allocation too", async () => {
    const m = await saved();
    const j = m.json();
    j.modelTopology.config.layers = [{ class_name: 'Dense', config: { name: 'big', units: 20000, batch_input_shape: [null, 5000] } }];
    m.write(j);
    const tensors = tf.memory().numTensors;
    await expect(loadModel(m.dir)).rejects.toThrow(/big\/kernel: the config makes it \[5000, 20000\] = 400000000 bytes, but the weight files hold \d+ bytes in all/);
    expect(tf.memory().numTensors).toBe(tensors);
  });

  test.each(['toString', '__proto__', 'constructor', 'hasOwnProperty'])("loadKerasModel: class name '%s' is an unknown class, not a lookup on Object", async (cls) => {
    const m = await saved();
    const j = m.json();
    j.modelTopology.config.layers[1].class_name = cls;
    m.write(j);
    await expect(loadKerasModel(m.dir)).rejects.toThrow(new RegExp(`has class ${cls}, which tfjs-recurrent cannot build`));
    await expect(loadKerasModel(m.dir)).rejects.toThrow(RecurrentConfigError);
  });

  test("loadKerasModel: a config key named like Object's own ('constructor', 'toString') is an unsupported key", async () => {
    const m = await saved();
    const j = m.json();
    j.modelTopology.config.layers[1].config.constructor = 1 as never;
    m.write(j);
    await expect(loadKerasModel(m.dir)).rejects.toThrow(/unsupported config key\(s\) 'constructor'/);
  });
});

describe('loadKerasModel over http', () => {
  let server: http.Server;
  let base = '';
  let mode: 'ok' | 'silent' | 'traverse' | 'token' | 'stalled body' = 'ok';
  let files: Record<string, Buffer> = {};
  beforeAll(async () => {
    const m = await saved();
    files = { '/m/model.json': fs.readFileSync(path.join(m.dir, 'model.json')), [`/m/${m.bin}`]: fs.readFileSync(path.join(m.dir, m.bin)) };
    server = http.createServer((req, res) => {
      if (mode === 'silent') return; // accepts, never answers
      const u = new URL(req.url ?? '/', 'http://x');
      if (mode === 'token' && u.searchParams.get('token') !== 'abc') { res.statusCode = 403; res.end('no'); return; }
      let body = files[u.pathname];
      if (mode === 'traverse' && u.pathname === '/m/model.json') {
        const j = JSON.parse(body.toString()) as ModelJSON;
        j.weightsManifest[0].paths = ['../secret.bin'];
        body = Buffer.from(JSON.stringify(j));
      }
      if (body == null) { res.statusCode = 404; res.end(); return; }
      if (mode === 'stalled body') { res.writeHead(200, { 'content-length': body.length }); res.write(body.subarray(0, 10)); return; } // then nothing more
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  test('loads from a URL', async () => {
    mode = 'ok';
    const model = await loadKerasModel(`${base}/m/model.json`);
    expect(model.layers).toHaveLength(3);
  });

  test("the model URL's query (a token) goes with every weight file, as tf.io.http sends it", async () => {
    mode = 'token';
    const model = await loadKerasModel(`${base}/m/model.json?token=abc`);
    expect(model.layers).toHaveLength(3);
  });

  test('a weight path that leaves the model URL is refused', async () => {
    mode = 'traverse';
    await expect(loadKerasModel(`${base}/m/model.json`)).rejects.toThrow(/weight path "\.\.\/secret\.bin" in http:\/\/127\.0\.0\.1:\d+\/m\/model\.json leaves the model's URL; refused/);
  });

  test('a server that never answers times out, and an AbortSignal stops the load, each naming the URL', async () => {
    mode = 'silent';
    await expect(loadKerasModel(`${base}/m/model.json`, { timeoutMs: 200 })).rejects.toThrow(new RegExp(`cannot fetch ${base}/m/model\\.json: no answer within 200 ms`));
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 100);
    await expect(loadKerasModel(`${base}/m/model.json`, { signal: ctl.signal })).rejects.toThrow(new RegExp(`cannot fetch ${base}/m/model\\.json: aborted by the signal`));
  });

  test('a body that stops arriving times out with our error, naming the URL', async () => {
    mode = 'stalled body';
    const load = loadKerasModel(`${base}/m/model.json`, { timeoutMs: 300 });
    await expect(load).rejects.toThrow(RecurrentInputError);
    await expect(loadKerasModel(`${base}/m/model.json`, { timeoutMs: 300 })).rejects.toThrow(new RegExp(`^loadKerasModel: cannot read ${base}/m/model\\.json: no answer within 300 ms`));
  });

  test('an unreachable URL names the URL and the cause', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(loadKerasModel(`http://127.0.0.1:${port}/model.json`)).rejects.toThrow(new RegExp(`cannot fetch http://127\\.0\\.0\\.1:${port}/model\\.json: fetch failed \\(.*ECONNREFUSED`));
    await expect(loadKerasModel(`http://127.0.0.1:${port}/model.json`)).rejects.toThrow(RecurrentInputError);
  });
});
