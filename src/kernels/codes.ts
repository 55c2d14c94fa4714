/**
 * The numbers the kernels take for cell kinds, flags and activations, read
 * from the module itself: assembly/codes.ts is where they are written, and
 * assembly/index.ts exports each as a constant (`KIND_lstm`, `FLAG_keep`,
 * `ACTIVATION_tanh`, ...). An activation the module has no code for is one
 * the kernels do not compute.
 */

/** The cells the kernels compute. */
export const KERNEL_KINDS = ['simpleRNN', 'lstm', 'gruResetAfter', 'gruResetBefore'] as const;
/** A cell the kernels compute: SimpleRNN, LSTM, GRU with the reset gate after or before the recurrent product. */
export type KernelKind = (typeof KERNEL_KINDS)[number];

/** The flags of a sequence call. */
export const KERNEL_FLAGS = [
  'goBackwards', 'returnSequences', 'zeroOutputForMask', 'hasMask', 'hasDropout', 'hasRecurrentBias', 'keep', 'hasInputBias', 'wantDX', 'projected',
] as const;
/** A flag of a sequence call (assembly/codes.ts says what each does). */
export type KernelFlag = (typeof KERNEL_FLAGS)[number];

/** The module's numbers for the kinds, flags and activations, by name. */
export interface KernelCodes {
  kinds: Record<KernelKind, number>;
  flags: Record<KernelFlag, number>;
  /** By Keras name, the activations the kernels compute. */
  activations: Record<string, number>;
}

/** A module's exports, as far as the codes go: its constants are WebAssembly globals. */
type Exports = object;

const read = new WeakMap<Exports, KernelCodes>();

/** The module's codes (read once per module). */
export function kernelCodes(k: Exports): KernelCodes {
  let codes = read.get(k);
  if (codes) return codes;
  const exported = k as Record<string, { value?: unknown } | undefined>;
  const value = (name: string): number => {
    const v = exported[name]?.value;
    if (typeof v !== 'number') throw new Error(`tfjs-recurrent kernels: the module exports no constant ${name} (rebuild it: npm run build:wasm)`);
    return v;
  };
  const byName = <N extends string>(prefix: string, names: readonly N[]) => Object.fromEntries(names.map((n) => [n, value(prefix + n)])) as Record<N, number>;
  const activations: Record<string, number> = {};
  for (const name of Object.keys(exported)) if (name.startsWith('ACTIVATION_')) activations[name.slice('ACTIVATION_'.length)] = value(name);
  codes = { kinds: byName('KIND_', KERNEL_KINDS), flags: byName('FLAG_', KERNEL_FLAGS), activations };
  read.set(k, codes);
  return codes;
}
