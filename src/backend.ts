/**
 * Choosing where the math runs: `cpu` (pure JS, always there), `wasm`
 * (XNNPACK with SIMD, loaded from node_modules, no network) or `tensorflow`
 * (the native `@tensorflow/tfjs-node`, when it is installed), or `auto`: the
 * fastest of these that works here.
 *
 * Without a call to `setBackend`, tfjs's default (`cpu` in Node) runs, so a
 * Keras-style script needs no `await`; the first layer that builds says so in
 * one line.
 */
import * as fs from 'fs';
import * as path from 'path';
import { quietAsked } from './environment';
import { tf } from './tf';
import { RecurrentConfigError, fmtValue } from './errors';

/** A backend this package can select: pure-JS `cpu`, `wasm` (XNNPACK), or `tensorflow` (native, from @tensorflow/tfjs-node). */
export type BackendName = 'cpu' | 'wasm' | 'tensorflow';
export const BACKEND_NAMES = ['cpu', 'wasm', 'tensorflow', 'auto'] as const;

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

/** The environment that keeps TensorFlow's start-up lines off stderr, where the user has not set its variables. */
export const QUIET_TENSORFLOW = { TF_CPP_MIN_LOG_LEVEL: '2', TF_ENABLE_ONEDNN_OPTS: '0' } as const;

async function tryTensorflow(): Promise<string | null> {
  try {
    // TensorFlow's C++ start-up notes go to stderr unless the user set these: the CPU feature guard
    // (TF_CPP_MIN_LOG_LEVEL), and absl's "WARNING: All log messages before absl::InitializeLog()" with
    // oneDNN's "oneDNN custom operations are on" on some CPUs (TF_ENABLE_ONEDNN_OPTS; the log level does not
    // silence them). Set either yourself to keep TensorFlow's own choice.
    if (typeof process !== 'undefined') for (const [name, value] of Object.entries(QUIET_TENSORFLOW)) process.env[name] ??= value;
    // A real import: `require.resolve` succeeds even when the native binding is missing.
    await import('@tensorflow/tfjs-node' as string);
  } catch (e) {
    const notInstalled = (e as { code?: string }).code === 'MODULE_NOT_FOUND' && /'@tensorflow\/tfjs-node'/.test(firstLine(e));
    return notInstalled ? '@tensorflow/tfjs-node is not installed' : `@tensorflow/tfjs-node does not load (${firstLine(e)})`;
  }
  if (!tf.engine().registryFactory['tensorflow']) return '@tensorflow/tfjs-node loaded but registered no backend';
  return (await tf.setBackend('tensorflow')) ? null : 'the tensorflow backend failed to initialise';
}

async function tryWasm(): Promise<string | null> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
  } catch (e) {
    return `@tensorflow/tfjs-backend-wasm could not be loaded (${firstLine(e)})`;
  }
  try {
    return (await tf.setBackend('wasm')) ? null : 'the wasm backend failed to initialise';
  } catch (e) {
    return `the wasm backend failed to initialise (${firstLine(e)})`;
  }
}

/** The folder of this package: the parent of src/ (tests) or dist/ (built), as `__dirname` gives it. */
function packageDir(): string | undefined {
  return typeof __dirname === 'string' ? path.resolve(__dirname, '..') : undefined;
}

/**
 * How to get the native backend, said where the user is: in a checkout of
 * this repository (its scripts/ beside, not under node_modules), the
 * `setup:native` script that builds it; in a project that installed the
 * package, where that script does not exist, the npm install.
 */
export function nativeHint(dir: string | undefined): string {
  const checkout =
    dir !== undefined && !dir.split(path.sep).includes('node_modules') && fs.existsSync(path.join(dir, 'scripts', 'setup-native.js'));
  return checkout ? 'npm run setup:native builds it' : 'npm install @tensorflow/tfjs-node adds it';
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0].slice(0, 160);
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
  if (name === 'tensorflow' || name === 'wasm') {
    const why = name === 'tensorflow' ? await tryTensorflow() : await tryWasm();
    if (why !== null) throw new RecurrentConfigError(`setBackend: backend '${name}' cannot run here: ${why}`);
    report(`backend '${name}' (requested)`);
    return name;
  }
  if (name === 'cpu') {
    await tf.setBackend('cpu');
    silenceCpuBanner();
    report(`backend 'cpu' (requested; pure JavaScript, the slowest)`);
    return 'cpu';
  }
  const noTf = await tryTensorflow();
  if (noTf === null) {
    report(`backend 'tensorflow' (auto: the native @tensorflow/tfjs-node loads here; small recurrent layers may run faster on 'wasm')`);
    return 'tensorflow';
  }
  const noWasm = await tryWasm();
  if (noWasm === null) {
    report(`backend 'wasm' (auto: the fastest here, as ${noTf}; ${nativeHint(packageDir())})`);
    return 'wasm';
  }
  await tf.setBackend('cpu');
  silenceCpuBanner();
  report(`backend 'cpu' (auto: ${noTf}; ${noWasm})`);
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
  if ((await tryWasm()) === null) out.push('wasm');
  if ((await tryTensorflow()) === null) out.push('tensorflow');
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
