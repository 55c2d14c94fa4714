/**
 * The numbers the TypeScript side passes to the kernels: cell kinds, the
 * flags of a sequence call, and activations. They are written here only:
 * assembly/index.ts exports each as a constant of the module, and
 * src/kernels/codes.ts reads them from there.
 */

/** Cell kinds. */
export const SIMPLE = 0;
export const LSTM = 1;
export const GRU_AFTER = 2;
export const GRU_BEFORE = 3;

/** Flags of `forward` and `backward` (sequence.ts). */
export const GO_BACKWARDS = 1;
export const RETURN_SEQUENCES = 2;
export const ZERO_OUTPUT_FOR_MASK = 4;
export const HAS_MASK = 8;
export const HAS_DROPOUT = 16;
export const HAS_RECURRENT_BIAS = 32;
export const KEEP = 64;
export const HAS_INPUT_BIAS = 128;
export const WANT_DX = 256;
/** X is X W + b itself, made by the caller ([B, T, G·H]; W and b unused); backward writes ∂(X W + b) to dX. */
export const PROJECTED = 512;

/** Activations (activations.ts computes them), by their Keras names in the module's exports. */
export const LINEAR = 0;
export const TANH = 1;
export const SIGMOID = 2;
export const RELU = 3;
export const HARD_SIGMOID = 4;
