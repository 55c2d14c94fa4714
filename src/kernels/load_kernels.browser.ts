/**
 * `loadKernels` in a browser: our kernels' WebAssembly comes from the copy
 * inlined in the bundle (a separate chunk, fetched only when used), or from
 * a URL the page gives (a CDN, or the package's dist/kernels/ served
 * beside the page). The relaxed-SIMD build is taken where the browser
 * compiles it, else the plain one. Node's twin is load_kernels.ts.
 */
import { useKernelBuild } from './module';
import { KernelBuild, compiles } from './wasm_source';
import { KernelsInfo, LoadKernelsOptions, checkLoadOptions, kernelsInfo } from './kernels_info';
import { RecurrentConfigError } from '../errors';

let loading: Promise<KernelsInfo> | null = null;

async function fetchBytes(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new RecurrentConfigError(`loadKernels: cannot fetch ${url} (${(e as Error).message})`);
  }
  if (!response.ok) throw new RecurrentConfigError(`loadKernels: ${url} answered ${response.status} ${response.statusText}`.trimEnd());
  return new Uint8Array(await response.arrayBuffer());
}

/** The build at `url`: a `.wasm` file itself, or a folder holding both builds (relaxed first, where it compiles). */
async function fetchBuild(url: string): Promise<KernelBuild> {
  if (/\.wasm([?#].*)?$/i.test(url)) return { bytes: await fetchBytes(url), source: url };
  const folder = url.endsWith('/') ? url : `${url}/`;
  const relaxed = `${folder}recurrent-relaxed.wasm`;
  const bytes = await fetchBytes(relaxed);
  if (compiles(bytes)) return { bytes, source: relaxed };
  const plain = `${folder}recurrent.wasm`;
  return { bytes: await fetchBytes(plain), source: plain };
}

/** The builds inlined in the bundle, relaxed first where it compiles. */
async function inlineBuild(): Promise<KernelBuild> {
  const { relaxed, plain } = await import('./inline_builds.browser');
  return compiles(relaxed) ? { bytes: relaxed, source: 'inline:recurrent-relaxed.wasm' } : { bytes: plain, source: 'inline:recurrent.wasm' };
}

async function load(url: string | undefined): Promise<KernelsInfo> {
  const build = url === undefined ? await inlineBuild() : await fetchBuild(url);
  if (!compiles(build.bytes)) throw new RecurrentConfigError(`loadKernels: ${build.source} is not a WebAssembly module this browser compiles`);
  useKernelBuild(build);
  return kernelsInfo();
}

/**
 * Loads our kernels: from `options.url` when given, else from the copy
 * inlined in the bundle. `setBackend` calls it with no URL (once), so a page
 * that serves the `.wasm` itself calls `loadKernels({ url })` before
 * `setBackend`. Resolves to what {@link kernelsInfo} says; a URL that does not
 * answer with a module is an error naming it, and the kernels loaded before stay.
 *
 * @example
 * ```ts
 * import { loadKernels, setBackend } from 'tfjs-recurrent';
 * await loadKernels({ url: 'https://cdn.jsdelivr.net/npm/tfjs-recurrent@0.1.0/dist/kernels/' });
 * await setBackend('wasm');
 * ```
 */
export function loadKernels(options: LoadKernelsOptions = {}): Promise<KernelsInfo> {
  checkLoadOptions(options);
  const url = options.url === undefined ? undefined : String(options.url);
  if (url === undefined && loading) return loading;
  const before = loading;
  const attempt = load(url);
  loading = attempt;
  attempt.catch(() => {
    if (loading === attempt) loading = before; // what ran before still runs
  });
  return attempt;
}
