/**
 * `loadKernels` and `kernelsInfo`: which build of our kernels runs, from
 * where, on how many threads. In Node the kernels load by themselves, from
 * dist/kernels/, the first time a layer needs them; the browser's twin
 * (load_kernels.browser.ts) fetches or un-inlines them.
 */
import { KernelsInfo, LoadKernelsOptions, checkLoadOptions, kernelsInfo } from './kernels_info';
import { RecurrentConfigError } from '../errors';

/**
 * Loads our kernels now and says which run. In Node they load by themselves
 * the first time a layer needs them, so this is needed only to ask early; in
 * a browser, `setBackend` calls it (see the browser entry).
 *
 * @example
 * ```ts
 * import { loadKernels } from 'tfjs-recurrent';
 * const info = await loadKernels();
 * info.loaded; // true where the package was built
 * ```
 */
export async function loadKernels(options: LoadKernelsOptions = {}): Promise<KernelsInfo> {
  checkLoadOptions(options);
  if (options.url !== undefined) {
    throw new RecurrentConfigError(`loadKernels: url is for browsers; in Node the kernels load from the package's dist/kernels/ (got url ${String(options.url)})`);
  }
  return kernelsInfo();
}
