/**
 * Choosing where the math runs: `cpu` (pure JS, always there), `wasm`
 * (XNNPACK with SIMD, loaded from node_modules, no network) or `tensorflow`
 * (the native `@tensorflow/tfjs-node`, when it is installed), or `auto`: the
 * fastest of these that works here. In a browser the names are `cpu`,
 * `wasm`, `webgl` and `webgpu`, among the backends the page registered
 * (src/backend_loaders.browser.ts), and `setBackend` loads our kernels too.
 *
 * Without a call to `setBackend`, tfjs's default (`cpu` in Node) runs, so a
 * Keras-style script needs no `await`; the first layer that builds says so in
 * one line.
 */
import { quietAsked } from './environment';
import { AUTO_ORDER, BACKENDS, BackendName, autoReason, prepareKernels, tryBackend } from './backend_loaders';
import { tf } from './tf';
import { RecurrentConfigError, fmtValue } from './errors';

export type { BackendName };
export { QUIET_TENSORFLOW, nativeHint } from './backend_loaders';
/** The names {@link setBackend} takes here. */
export const BACKEND_NAMES = [...BACKENDS, 'auto'] as const;

/** Options of {@link setBackend}. */
export interface SetBackendOptions {
  /**
   * Print the one line (on stderr) that says which backend runs and why.
   * Default: true for `'auto'`, which chooses; false for a named backend,
   * where the line would only repeat the caller's choice.
   */
  verbose?: boolean;
}

let announced = false;
let quiet = quietAsked();

// tfjs's cpu backend prints an "install the node backend" banner on its first
// use in Node. This package says which backend runs itself, and tfjs-node
// cannot install where its binary can't be downloaded, so the banner would be
// wrong advice: mark the cpu backend as already used. Nothing else of tfjs's
// logging changes.
function silenceCpuBanner(): void {
  const engine = tf.engine();
  const existing = engine.registry['cpu'] as unknown as { firstUse?: boolean } | undefined;
  if (existing) existing.firstUse = false;
  const entry = engine.registryFactory['cpu'] as { factory: () => unknown; silenced?: boolean } | undefined;
  if (entry && !entry.silenced) {
    const make = entry.factory;
    entry.factory = () => {
      const backend = make() as { firstUse?: boolean };
      backend.firstUse = false;
      return backend;
    };
    entry.silenced = true;
  }
}
silenceCpuBanner();

/**
 * Silence (or restore) the one-line notice that says which backend runs.
 *
 * @example
 * ```ts
 * import { setVerbose, setBackend } from 'tfjs-recurrent';
 * setVerbose(false);
 * await setBackend('cpu'); // prints nothing
 * ```
 */
export function setVerbose(v: boolean): void {
  quiet = !v;
}

/** The one line, on stderr: it is about the run, not the script's output (which may be piped). */
function say(line: string): void {
  announced = true;
  if (!quiet) console.error(`tfjs-recurrent: ${line}`);
}

/**
 * Select the backend: `'cpu'`, `'wasm'`, `'tensorflow'` or `'auto'`
 * (tensorflow, else wasm, else cpu). Resolves to the backend now running, and
 * prints one line on stderr saying which and why. An unknown name, or a named backend
 * that cannot run here, is an error; `auto` never fails.
 *
 * @example
 * ```ts
 * import { setBackend } from 'tfjs-recurrent';
 * const name = await setBackend('auto'); // 'wasm' where tfjs-node is not installed
 * ```
 */
export async function setBackend(name: string = 'auto', options: SetBackendOptions = {}): Promise<BackendName> {
  if (typeof name !== 'string' || !(BACKEND_NAMES as readonly string[]).includes(name)) {
    throw new RecurrentConfigError(
      `setBackend: name must be one of ${BACKEND_NAMES.map((b) => `'${b}'`).join(', ')}, got ${fmtValue(name)}`,
    );
  }
  const verbose = options.verbose ?? name === 'auto';
  const report = (line: string) => {
    if (verbose) say(line);
    else announced = true;
  };
  await prepareKernels();
  if (name !== 'cpu' && name !== 'auto') {
    const why = await tryBackend(name as Exclude<BackendName, 'cpu'>);
    if (why !== null) throw new RecurrentConfigError(`setBackend: backend '${name}' cannot run here: ${why}`);
    report(`backend '${name}' (requested)`);
    return name as BackendName;
  }
  if (name === 'cpu') {
    await tf.setBackend('cpu');
    silenceCpuBanner();
    report(`backend 'cpu' (requested; pure JavaScript, the slowest)`);
    return 'cpu';
  }
  const why: Partial<Record<BackendName, string>> = {};
  for (const b of AUTO_ORDER) {
    const not = await tryBackend(b);
    if (not === null) {
      report(`backend '${b}' (${autoReason(b, why)})`);
      return b;
    }
    why[b] = not;
  }
  await tf.setBackend('cpu');
  silenceCpuBanner();
  report(`backend 'cpu' (${autoReason('cpu', why)})`);
  return 'cpu';
}

/**
 * The name of the backend that runs now.
 *
 * @example
 * ```ts
 * import { getBackend, setBackend } from 'tfjs-recurrent';
 * await setBackend('cpu', { verbose: false });
 * getBackend(); // 'cpu'
 * ```
 */
export function getBackend(): string {
  return tf.getBackend();
}

/**
 * Which of the backends can run here, tried without changing the current one.
 *
 * @example
 * ```ts
 * import { availableBackends } from 'tfjs-recurrent';
 * console.log(await availableBackends()); // ['cpu', 'wasm'] where tfjs-node is not installed
 * ```
 */
export async function availableBackends(): Promise<BackendName[]> {
  tf.backend(); // initialise tfjs's default, so there is a current backend to return to
  const current = tf.getBackend();
  const out: BackendName[] = ['cpu'];
  for (const b of BACKENDS) if (b !== 'cpu' && (await tryBackend(b)) === null) out.push(b);
  await tf.setBackend(current);
  return out;
}

/**
 * Called when a layer builds: the first time, if nobody chose a backend,
 * say which one tfjs picked and how to get a faster one.
 */
export function announceDefaultBackend(): void {
  if (announced) return;
  tf.backend(); // initialises tfjs's default if nothing chose one
  const name = tf.getBackend();
  // Only where it tells something: the slow default, and how to leave it. A backend chosen with tf.setBackend needs no word.
  if (name === 'cpu') say(`backend 'cpu' (tfjs's default, the slowest; await setBackend('auto') picks the fastest here)`);
  else announced = true;
}
