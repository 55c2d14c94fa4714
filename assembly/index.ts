/** The kernels' exports, called by src/kernels/module.ts. */
// The codes the TypeScript side passes (codes.ts), as constants it reads (src/kernels/codes.ts).
export {
  SIMPLE as KIND_simpleRNN, LSTM as KIND_lstm, GRU_AFTER as KIND_gruResetAfter, GRU_BEFORE as KIND_gruResetBefore,
  GO_BACKWARDS as FLAG_goBackwards, RETURN_SEQUENCES as FLAG_returnSequences, ZERO_OUTPUT_FOR_MASK as FLAG_zeroOutputForMask,
  HAS_MASK as FLAG_hasMask, HAS_DROPOUT as FLAG_hasDropout, HAS_RECURRENT_BIAS as FLAG_hasRecurrentBias, KEEP as FLAG_keep,
  HAS_INPUT_BIAS as FLAG_hasInputBias, WANT_DX as FLAG_wantDX, PROJECTED as FLAG_projected,
  LINEAR as ACTIVATION_linear, TANH as ACTIVATION_tanh, SIGMOID as ACTIVATION_sigmoid, RELU as ACTIVATION_relu, HARD_SIGMOID as ACTIVATION_hard_sigmoid,
} from './codes';
export { forward, backward } from './sequence';
export { forwardWorkBytes, backwardWorkBytes, slotFloats, gatesOf } from './layout';
export { gemm, gemv, pack, packedBytes } from './matmul';
export { adam } from './adam';
export { gatherRows, scatterAddRows } from './embedding';

/** First address free for the caller: memory above it is the caller's to lay out. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}
export { helperFailed, helperFailures, helperLoop, readyAddress, setHelper, sharedJobs, stopHelper } from './pool';
export { planBytes, stepWorkBytes, planModel, planLayer, generateStep } from './generate';
