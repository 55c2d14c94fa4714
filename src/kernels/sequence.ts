/**
 * A whole sequence of a SimpleRNN, LSTM or GRU as one tf op: the forward call
 * runs every step in our WebAssembly kernels (assembly/sequence.ts), and its
 * gradient, a `tf.customGrad`, runs the whole backward pass through time in
 * one more call. Inputs and outputs cross into the kernels' memory once per
 * call, on every backend (cpu, wasm, tensorflow). This is the speed seam of
 * the recurrent layers: the same equations as src/cells/, which stay the
 * reference and the path for what the kernels do not cover.
 * docs/equations.md#the-loop
 */
import { tf } from '../tf';
import { make, recording, sliceTime } from '../host_ops';
import type { LoopOptions } from '../layers/loop';
import { Arena, KernelExports, kernelModule } from './module';

/** The cells the kernels compute (numbered as in assembly/sequence.ts). */
const KINDS = { simpleRNN: 0, lstm: 1, gruResetAfter: 2, gruResetBefore: 3 } as const;
/** The activations the kernels compute (numbered as in assembly/activations.ts). */
const ACTIVATIONS: Record<string, number> = { linear: 0, tanh: 1, sigmoid: 2, relu: 3, hard_sigmoid: 4 };
/** Flags of assembly/sequence.ts. */
const enum Flag { GoBackwards = 1, ReturnSequences = 2, ZeroOutputForMask = 4, HasMask = 8, HasDropout = 16, HasRecurrentBias = 32, Keep = 64 }

/** Which cell, with which activations φ (`activation`) and σ (`recurrentActivation`; SimpleRNN has none). */
export interface KernelCell {
  kind: keyof typeof KINDS;
  activation: string;
  recurrentActivation: string;
}

/** What the cell reads besides its config: x_t W + b for every step and its weights, states and masks. */
export interface SequenceInputs {
  /** X W + b (GRU with resetAfter: X W + b_i), [B, T, G·H]. */
  xW: tf.Tensor3D;
  /** U, [H, G·H]. */
  U: tf.Tensor2D;
  /** b_r, [3H] (GRU with resetAfter and a bias). */
  recurrentBias?: tf.Tensor1D;
  /** [h_0] or [h_0, c_0], [B, H] each. */
  initial: tf.Tensor2D[];
  /** Recurrent dropout mask m_h, [B, H]. */
  recurrentDropoutMask?: tf.Tensor2D;
}

/** How many forward and backward calls the kernels have run (tests read it to know which path ran). */
export const kernelCalls = { forward: 0, backward: 0 };

/** Whether the kernels compute this cell: the module is built and both activations are ones they have. */
export function kernelAvailable(cell: KernelCell): boolean {
  return cell.activation in ACTIVATIONS && cell.recurrentActivation in ACTIVATIONS && kernelModule() !== null;
}

/** The call's sizes and flags, and copies of what the backward call reads again (U, the masks). */
interface Call {
  k: KernelExports;
  kind: number;
  B: number;
  T: number;
  H: number;
  G: number;
  S: number;
  nOut: number;
  flags: number;
  φ: number;
  σ: number;
  U: Float32Array;
  mask: Float32Array | null;
  rdm: Float32Array | null;
}

/**
 * Runs the cell over the sequence: the outputs (every step in processing
 * order [B, T, H], or the last [B, H]) and the final states. Same values as
 * `runLoop` over the cells of src/cells/; differentiable with respect to xW,
 * U, b_r and the initial states.
 */
export function runSequence(cell: KernelCell, inputs: SequenceInputs, opts: LoopOptions): { output: tf.Tensor; state: tf.Tensor2D[] } {
  const k = kernelModule();
  if (!k) throw new Error('runSequence: the kernel module is not built (npm run build:wasm)');
  const { xW, U, recurrentBias, initial, recurrentDropoutMask } = inputs;
  const [B, T, GH] = xW.shape;
  const H = U.shape[0];
  const S = initial.length;
  const nOut = opts.returnSequences ? T : 1;
  const mask = opts.mask ? (tf.tidy(() => tf.cast(tf.notEqual(opts.mask!, 0), 'float32').dataSync()) as Float32Array).slice() : null;
  const flags =
    (opts.goBackwards ? Flag.GoBackwards : 0) | (opts.returnSequences ? Flag.ReturnSequences : 0) |
    (opts.zeroOutputForMask ? Flag.ZeroOutputForMask : 0) | (mask ? Flag.HasMask : 0) |
    (recurrentDropoutMask ? Flag.HasDropout : 0) | (recurrentBias ? Flag.HasRecurrentBias : 0);
  const call: Call = {
    k, kind: KINDS[cell.kind], B, T, H, G: GH / H, S, nOut, flags,
    φ: ACTIVATIONS[cell.activation], σ: ACTIVATIONS[cell.recurrentActivation],
    U: (U.dataSync() as Float32Array).slice(), mask, rdm: recurrentDropoutMask ? (recurrentDropoutMask.dataSync() as Float32Array).slice() : null,
  };
  const taped = [xW, U, ...(recurrentBias ? [recurrentBias] : []), ...initial];
  if (!recording()) {
    const shapes = [opts.returnSequences ? [B, T, H] : [B, H], ...initial.map(() => [B, H])];
    const [output, ...state] = make(shapes, (outs, read) => {
      forward(call, taped.map(read), false, (view, at) => {
        outs[0].set(view.subarray(at.out, at.out + B * nOut * H));
        outs[1].set(view.subarray(at.hT, at.hT + B * H));
        if (S === 2) outs[2].set(view.subarray(at.cT, at.cT + B * H));
      });
    });
    return { output, state: state as tf.Tensor2D[] };
  }
  const f = (...args: unknown[]) => {
    let cache: Float32Array | null = null;
    // One tensor out: [B, nOut + S, H] = outputs, then the final states.
    const [value] = make([[B, nOut + S, H]], ([o], read) => {
      forward(call, (args.slice(0, taped.length) as tf.Tensor[]).map(read), true, (view, at) => {
        for (let b = 0; b < B; b++) {
          const row = b * (nOut + S) * H;
          o.set(view.subarray(at.out + b * nOut * H, at.out + (b + 1) * nOut * H), row);
          o.set(view.subarray(at.hT + b * H, at.hT + (b + 1) * H), row + nOut * H);
          if (S === 2) o.set(view.subarray(at.cT + b * H, at.cT + (b + 1) * H), row + (nOut + 1) * H);
        }
        cache = view.slice(at.cache, at.cache + at.cacheFloats);
      });
    });
    const gradFunc = (dy: tf.Tensor) => backward(call, dy, cache!, recurrentBias !== undefined);
    return { value, gradFunc };
  };
  const packed = tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0])(...taped) as tf.Tensor3D;
  const output = opts.returnSequences ? sliceTime(packed, 0, nOut) : tf.reshape(sliceTime(packed, 0, 1), [B, H]);
  return { output, state: initial.map((_, j) => tf.reshape(sliceTime(packed, nOut + j, 1), [B, H]) as tf.Tensor2D) };
}

/** Float offsets of a forward call's outputs and cache in the kernel memory. */
interface ForwardAt {
  out: number;
  hT: number;
  cT: number;
  cache: number;
  cacheFloats: number;
}

/** Copies the inputs in ([xW, U, b_r?, h_0, c_0?]), runs every step, and hands the memory to `take`. */
function forward(c: Call, arrays: Float32Array[], keep: boolean, take: (view: Float32Array, at: ForwardAt) => void): void {
  const { k, kind, B, T, H, G, S, nOut } = c;
  const [xW, , ...rest] = arrays;
  const bR = c.flags & Flag.HasRecurrentBias ? rest.shift()! : null;
  const a = new Arena(k);
  const slot = k.slotFloats(kind, B, H);
  const p = {
    xW: a.floats(B * T * G * H), U: a.floats(H * G * H), bR: a.floats(G * H), h0: a.floats(B * H), c0: a.floats(B * H),
    mask: a.floats(B * T), rdm: a.floats(B * H), out: a.floats(B * nOut * H), hT: a.floats(B * H), cT: a.floats(B * H),
    cache: a.floats(keep ? T * slot : slot), work: a.bytes(k.forwardWorkBytes(kind, B, H)),
  };
  const view = a.view();
  view.set(xW, p.xW / 4);
  view.set(c.U, p.U / 4);
  if (bR) view.set(bR, p.bR / 4);
  view.set(rest[0], p.h0 / 4);
  if (S === 2) view.set(rest[1], p.c0 / 4);
  if (c.mask) view.set(c.mask, p.mask / 4);
  if (c.rdm) view.set(c.rdm, p.rdm / 4);
  kernelCalls.forward++;
  k.forward(kind, B, T, H, c.flags | (keep ? Flag.Keep : 0), c.φ, c.σ, p.xW, p.U, p.bR, p.h0, p.c0, p.mask, p.rdm, p.out, p.hT, p.cT, p.cache, p.work);
  take(view, { out: p.out / 4, hT: p.hT / 4, cT: p.cT / 4, cache: p.cache / 4, cacheFloats: T * slot });
}

/** The backward call: from ∂L/∂[outputs, states] ([B, nOut + S, H]), ∂L/∂ of [xW, U, b_r?, h_0, c_0?]. */
function backward(c: Call, dy: tf.Tensor, cache: Float32Array, hasBias: boolean): tf.Tensor[] {
  const { k, kind, B, T, H, G, S, nOut } = c;
  const GH = G * H;
  const shapes = [[B, T, GH], [H, GH], ...(hasBias ? [[GH]] : []), ...Array.from({ length: S }, () => [B, H])];
  return make(shapes, (outs, read) => {
    const a = new Arena(k);
    const p = {
      U: a.floats(H * GH), mask: a.floats(B * T), rdm: a.floats(B * H), cache: a.floats(cache.length),
      dOut: a.floats(B * nOut * H), dHT: a.floats(B * H), dCT: a.floats(B * H),
      dxW: a.floats(B * T * GH), dU: a.floats(H * GH), dbR: a.floats(GH), dH0: a.floats(B * H), dC0: a.floats(B * H),
      work: a.bytes(k.backwardWorkBytes(kind, B, T, H)),
    };
    const view = a.view();
    view.set(c.U, p.U / 4);
    if (c.mask) view.set(c.mask, p.mask / 4);
    if (c.rdm) view.set(c.rdm, p.rdm / 4);
    view.set(cache, p.cache / 4);
    const d = read(dy);
    for (let b = 0; b < B; b++) {
      const row = b * (nOut + S) * H;
      view.set(d.subarray(row, row + nOut * H), p.dOut / 4 + b * nOut * H);
      view.set(d.subarray(row + nOut * H, row + (nOut + 1) * H), p.dHT / 4 + b * H);
      if (S === 2) view.set(d.subarray(row + (nOut + 1) * H, row + (nOut + 2) * H), p.dCT / 4 + b * H);
    }
    kernelCalls.backward++;
    k.backward(kind, B, T, H, c.flags, c.φ, c.σ, p.U, p.mask, p.rdm, p.cache, p.dOut, p.dHT, p.dCT, p.dxW, p.dU, p.dbR, p.dH0, p.dC0, p.work);
    const from = [p.dxW, p.dU, ...(hasBias ? [p.dbR] : []), p.dH0, p.dC0].map((x) => x / 4);
    outs.forEach((o, i) => o.set(view.subarray(from[i], from[i] + o.length)));
  });
}
