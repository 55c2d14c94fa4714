/**
 * The backends a browser has, and how each is found: `wasm`, `webgl` and
 * `webgpu` run when the page has registered them, as tfjs's own packages do
 * when imported (`import '@tensorflow/tfjs-backend-wasm'`; `webgl` comes with
 * `@tensorflow/tfjs`). This package imports none of them, so that a page's
 * bundle holds only the backends the page chose. Node's twin is backend_loaders.ts.
 */
import { tf } from './tf';
import { loadKernels } from './kernels/load_kernels';

/** The backends this package can select in a browser. */
export const BACKENDS = ['cpu', 'wasm', 'webgl', 'webgpu'] as const;

/** The backends `auto` tries, in this order, before `cpu`. */
export const AUTO_ORDER = ['wasm', 'webgl', 'webgpu'] as const;

/**
 * A backend this package can select in a browser: `cpu` (JavaScript),
 * `wasm` (XNNPACK), `webgl` or `webgpu` (the GPU; recurrent layers take
 * their tf-op path there). Our kernels run the recurrent layers on `cpu` and `wasm`.
 */
export type BackendName = (typeof BACKENDS)[number];

/** TensorFlow's native library does not run in a browser: nothing to quiet. */
export const QUIET_TENSORFLOW = {} as const;

const PACKAGE: Record<Exclude<BackendName, 'cpu'>, string> = {
  wasm: "import '@tensorflow/tfjs-backend-wasm' (and call its setWasmPaths where its .wasm files are served)",
  webgl: "import '@tensorflow/tfjs' or '@tensorflow/tfjs-backend-webgl'",
  webgpu: "import '@tensorflow/tfjs-backend-webgpu'",
};

/** Makes `name` the running backend: null when it runs now, else why it cannot. */
export async function tryBackend(name: Exclude<BackendName, 'cpu'>): Promise<string | null> {
  if (!tf.engine().registryFactory[name]) return `the page has not registered it (${PACKAGE[name]} before setBackend)`;
  try {
    return (await tf.setBackend(name)) ? null : `the ${name} backend failed to initialise in this browser`;
  } catch (e) {
    return `the ${name} backend failed to initialise (${String((e as Error).message ?? e).split('\n')[0].slice(0, 160)})`;
  }
}

/** No native backend in a browser. */
export function nativeHint(_dir?: string): string {
  return 'the native backend runs in Node only';
}

/** What `auto` says when it picks `name`, the others having failed for the reasons in `why`. */
export function autoReason(name: BackendName, why: Partial<Record<BackendName, string>>): string {
  if (name === 'wasm') return 'auto: XNNPACK with our kernels, the fastest for recurrent layers in a browser';
  if (name === 'cpu') return `auto: wasm: ${why.wasm}; our kernels still run the recurrent layers`;
  return `auto: wasm: ${why.wasm}; recurrent layers take their tf-op path on the GPU`;
}

/** Loads our kernels (inlined in the bundle, unless `loadKernels` was given a URL first); a failure leaves the tf-op path, said once. */
export async function prepareKernels(): Promise<void> {
  try {
    await loadKernels();
  } catch (e) {
    if (!warned) console.warn(`tfjs-recurrent: our kernels did not load, so the recurrent layers take their tf-op path: ${(e as Error).message}`);
    warned = true;
  }
}

let warned = false;
