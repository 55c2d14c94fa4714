/**
 * Both builds of our kernels, inlined in the browser bundle (esbuild's
 * binary loader; scripts/build-browser.mjs) as a chunk of their own, which
 * `loadKernels` imports only when no URL was given.
 */
import relaxed from '../../dist/kernels/recurrent-relaxed.wasm';
import plain from '../../dist/kernels/recurrent.wasm';

export { relaxed, plain };
