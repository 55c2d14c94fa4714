/** The kernels' exports, called by src/kernels/module.ts. */
export { forward, backward } from './sequence';
export { forwardWorkBytes, backwardWorkBytes, slotFloats, gatesOf } from './layout';
export { gemm, pack, packedBytes } from './matmul';
export { adam } from './adam';
export { gatherRows, scatterAddRows } from './embedding';

/** First address free for the caller: memory above it is the caller's to lay out. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}
export { helperFailed, helperFailures, helperLoop, readyAddress, setHelper, sharedJobs, stopHelper } from './pool';
