/**
 * The backends Node has, and how each is brought in: `tensorflow` from the
 * native `@tensorflow/tfjs-node` (when installed), `wasm` from
 * `@tensorflow/tfjs-backend-wasm` (loaded from node_modules, no network).
 * The browser's twin is backend_loaders.browser.ts; src/backend.ts chooses.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from './tf';

/** The backends this package can select in Node. */
export const BACKENDS = ['cpu', 'wasm', 'tensorflow'] as const;

/** The backends `auto` tries, in this order, before `cpu`. */
export const AUTO_ORDER = ['tensorflow', 'wasm'] as const;

/** A backend this package can select in Node: pure-JS `cpu`, `wasm` (XNNPACK), or `tensorflow` (native, from @tensorflow/tfjs-node). */
export type BackendName = (typeof BACKENDS)[number];

/** The environment that keeps TensorFlow's start-up lines off stderr, where the user has not set its variables. */
export const QUIET_TENSORFLOW = { TF_CPP_MIN_LOG_LEVEL: '2', TF_ENABLE_ONEDNN_OPTS: '0' } as const;

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0].slice(0, 160);
}

/** Why importing `pkg` failed with `e`: null where `pkg` itself is not installed, else the error's first line. */
function importFailure(e: unknown, pkg: string): string | null {
  return (e as { code?: string }).code === 'MODULE_NOT_FOUND' && firstLine(e).includes(`'${pkg}'`) ? null : firstLine(e);
}

async function tryTensorflow(): Promise<string | null> {
  try {
    // TensorFlow's C++ start-up notes go to stderr unless the user set these: the CPU feature guard
    // (TF_CPP_MIN_LOG_LEVEL), and absl's "WARNING: All log messages before absl::InitializeLog()" with
    // oneDNN's "oneDNN custom operations are on" on some CPUs (TF_ENABLE_ONEDNN_OPTS; the log level does not
    // silence them). Set either yourself to keep TensorFlow's own choice.
    for (const [name, value] of Object.entries(QUIET_TENSORFLOW)) process.env[name] ??= value;
    // A real import: `require.resolve` succeeds even when the native binding is missing.
    await import('@tensorflow/tfjs-node' as string);
  } catch (e) {
    const why = importFailure(e, '@tensorflow/tfjs-node');
    return why === null ? '@tensorflow/tfjs-node is not installed' : `@tensorflow/tfjs-node does not load (${why})`;
  }
  if (!tf.engine().registryFactory['tensorflow']) return '@tensorflow/tfjs-node loaded but registered no backend';
  return (await tf.setBackend('tensorflow')) ? null : 'the tensorflow backend failed to initialise';
}

async function tryWasm(): Promise<string | null> {
  try {
    await import('@tensorflow/tfjs-backend-wasm' as string);
  } catch (e) {
    const why = importFailure(e, '@tensorflow/tfjs-backend-wasm');
    if (why === null) return `@tensorflow/tfjs-backend-wasm is not installed (npm install @tensorflow/tfjs-backend-wasm@${tf.version_core} adds it)`;
    return `@tensorflow/tfjs-backend-wasm could not be loaded (${why})`;
  }
  try {
    return (await tf.setBackend('wasm')) ? null : 'the wasm backend failed to initialise';
  } catch (e) {
    return `the wasm backend failed to initialise (${firstLine(e)})`;
  }
}

/** Makes `name` (a backend other than `cpu`) the running backend: null when it runs now, else why it cannot. */
export function tryBackend(name: Exclude<BackendName, 'cpu'>): Promise<string | null> {
  return name === 'tensorflow' ? tryTensorflow() : tryWasm();
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

/** What `auto` says when it picks `name`, the others having failed for the reasons in `why`. */
export function autoReason(name: BackendName, why: Partial<Record<BackendName, string>>): string {
  if (name === 'tensorflow') return `auto: the native @tensorflow/tfjs-node loads here; small recurrent layers may run faster on 'wasm'`;
  if (name === 'wasm') return `auto: the fastest here, as ${why.tensorflow}; ${nativeHint(packageDir())}`;
  return `auto: ${why.tensorflow}; ${why.wasm}`;
}

/** Nothing to prepare in Node: the kernels load synchronously from their files when first used. */
export async function prepareKernels(): Promise<void> {}
