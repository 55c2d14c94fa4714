/**
 * The backends a suite runs on: `cpu` always, `wasm` when it loads,
 * `tensorflow` when @tensorflow/tfjs-node is installed.
 */
import { setBackend } from '../../src/backend';
import { tf } from '../../src/tf';

const wanted = (process.env.TEST_BACKENDS ?? 'cpu,wasm,tensorflow').split(',');

/** Whether a module really loads here (a resolvable but broken tfjs-node does not count). */
export function canLoad(mod: string): boolean {
  try {
    require(mod);
    return true;
  } catch {
    return false;
  }
}

export const BACKENDS: string[] = wanted.filter(
  (b) => b === 'cpu' || (b === 'wasm' && canLoad('@tensorflow/tfjs-backend-wasm')) || (b === 'tensorflow' && canLoad('@tensorflow/tfjs-node')),
);

// Loading @tensorflow/tfjs-backend-wasm above makes wasm the highest-priority backend where tfjs-node is absent, and wasm
// initializes asynchronously: wait for it, so a suite's tensors made outside onEachBackend find a ready backend.
beforeAll(() => tf.ready());

/** Runs `body` in a describe block per backend, with that backend selected. */
export function onEachBackend(body: (backend: string) => void): void {
  describe.each(BACKENDS)('on %s', (backend) => {
    beforeAll(async () => {
      await setBackend(backend, { verbose: false });
    });
    body(backend);
  });
}
