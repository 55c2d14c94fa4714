/**
 * A whole sequence of a SimpleRNN, LSTM or GRU as one tf op: the forward call
 * runs every step in our WebAssembly kernels (assembly/sequence.ts), and its
 * gradient (`lazyGrad`) runs the whole backward pass through time in one more
 * call. Inputs and outputs cross into the kernels' memory once per
 * call, on every backend (cpu, wasm, tensorflow). This is the speed seam of
 * the recurrent layers: the same equations as src/cells/, which stay the
 * reference and the path for what the kernels do not cover.
 * docs/equations.md#the-loop
 */
import { tf } from '../tf';
import { make, sliceTime } from '../host_ops';
import { activeTape, recording } from '../placement';
import { lazyGrad } from '../lazy_grad';
import type { LoopOptions } from '../layers/loop';
import { KernelFlag, KernelKind, kernelCodes } from './codes';
import { Arena, KERNEL_MEMORY_BYTES, KernelExports, KernelHelperError, memoryError, requireKernels, residentBlocks } from './module';


/** Which cell, with which activations φ (`activation`) and σ (`recurrentActivation`; SimpleRNN has none). */
export interface KernelCell {
  kind: KernelKind;
  activation: string;
  recurrentActivation: string;
}

/**
 * What the cell reads besides its config: the input sequence (X with W and b,
 * or X W + b made by the caller), its weights, states and masks.
 */
export interface SequenceInputs {
  /** X, [B, T, D] (after input dropout); or absent, with `xW`. */
  x?: tf.Tensor3D;
  /** W, [D, G·H] (with `x`). */
  W?: tf.Tensor2D;
  /** b, [G·H] (with `x`; GRU with resetAfter: its input-side row b_i); none without a bias. */
  bias?: tf.Tensor1D;
  /**
   * X W + b, [B, T, G·H], made by the caller (where tf's own matMul is the
   * faster, on `tensorflow`); the kernels then run the recurrence only.
   */
  xW?: tf.Tensor3D;
  /** U, [H, G·H]. */
  U: tf.Tensor2D;
  /** b_r, [3H] (GRU with resetAfter and a bias). */
  recurrentBias?: tf.Tensor1D;
  /** [h_0] or [h_0, c_0], [B, H] each. */
  initial: tf.Tensor2D[];
  /** Recurrent dropout mask m_h, [B, H]. */
  recurrentDropoutMask?: tf.Tensor2D;
  /** Who calls, named in errors (the layer's name); 'runSequence' by default. */
  who?: string;
}

/** How many forward and backward calls the kernels have run (tests read it to know which path ran). */
export const kernelCalls = { forward: 0, backward: 0 };

/**
 * The blocks kept by forward calls for a backward call that has not run, with
 * the gradient tape each was recorded on. tfjs runs a backward call only
 * while its tape is the active one: a block whose tape has ended (a frozen
 * layer, an output nobody differentiated) is freed at the next call, so that
 * such calls never pile up blocks.
 */
const waiting = new Map<Kept, { k: KernelExports; tape: unknown }>();

/** Frees the blocks of every forward call whose tape has ended without its backward call. */
function freeAbandoned(): void {
  // The engine's tape, whatever the depth: it stays set inside a customGrad's forward (kernel depth > 0)
  // and through backprop, where a backward call may still run, and is null once the gradients are done.
  const tape = activeTape();
  for (const [kept, { k, tape: t }] of waiting) if (t !== tape) release(k, kept);
}

/** A call's sizes. */
export interface Dims {
  B: number;
  T: number;
  D: number;
  H: number;
  G: number;
  nOut: number;
  projected: boolean;
  keep: boolean;
}

/**
 * Upper bounds of the bytes a call takes in the kernels' memory, in float64:
 * the block kept for backward (with `keep`), the work areas of
 * assembly/layout.ts's layout, and each whole call with its arguments. The
 * module's own sizes are 32-bit and wrap past 4 GB; under these bounds they are exact.
 */
export function callBounds(kind: KernelCell['kind'], d: Dims): { block: number; forwardWork: number; backwardWork: number; forward: number; backward: number } {
  const { B, T, D, H, G, nOut, projected, keep } = d;
  const GH = G * H, BH = B * H, BT = B * T;
  const floats = (...n: number[]) => n.reduce((sum, x) => sum + 4 * x + 16, 0); // each 16-byte aligned
  const slot = (kind === 'simpleRNN' ? 2 : kind === 'lstm' ? 7 : 5) * BH;
  const block = keep ? floats(BT * (projected ? GH : D), D * GH, GH, H * GH, GH, BH, BH, BT, BH, T * slot) : 0;
  // packedBytes(K, N) ≤ 4 K (N + 8): panels of 8 columns.
  const forwardWork = floats(D * (GH + 8), BT * GH, H * (GH + 16), 7 * BH, B * GH);
  const backwardWork = floats(GH * (D + 8), 2 * BT * GH, GH * (H + 8), 4 * BH, 2 * BT * H, BT * (GH + 8));
  return {
    block, forwardWork, backwardWork,
    forward: block + floats(B * nOut * H, BH, BH) + forwardWork,
    backward: keep ? block + floats(B * nOut * H, 4 * BH, BT * Math.max(D, GH), D * GH, H * GH, 2 * GH) + backwardWork : 0,
  };
}

/**
 * Refuses, naming `who`, a call whose memory the kernels cannot hold: its
 * forward call, and with `keep` its backward call above the block kept for
 * it (so that a training step never fails halfway, nor writes out of bounds).
 */
function checkFits(k: KernelExports, who: string, kind: KernelCell['kind'], d: Dims): void {
  const bounds = callBounds(kind, d);
  const need = residentBlocks(k).end + Math.max(bounds.forward, bounds.backward);
  if (need > KERNEL_MEMORY_BYTES) throw memoryError(who, need);
}

/** The call's sizes and flags, and its masks as host arrays (copied into the kernels' memory by the forward call). */
interface Call {
  k: KernelExports;
  /** The module's flag values. */
  Flag: Record<KernelFlag, number>;
  /** Named in errors. */
  who: string;
  kind: number;
  B: number;
  T: number;
  D: number;
  H: number;
  G: number;
  S: number;
  nOut: number;
  flags: number;
  φ: number;
  σ: number;
  mask: Float32Array | null;
  rdm: Float32Array | null;
}

/** The inputs as host arrays, in the order of `taped`: X, W, b?, U, b_r?, h_0, c_0?. */
interface Arrays {
  X: Float32Array;
  W: Float32Array;
  b: Float32Array | null;
  U: Float32Array;
  bR: Float32Array | null;
  h0: Float32Array;
  c0: Float32Array | null;
}

/**
 * Runs the cell over the sequence, the input projection X W + b included:
 * the outputs (every step in processing order [B, T, H], or the last [B, H])
 * and the final states. Same values as `runLoop` over the cells of
 * src/cells/; differentiable with respect to X, W, b, U, b_r and the initial
 * states, each gradient computed only when needed (∂X is one more product).
 */
export function runSequence(cell: KernelCell, inputs: SequenceInputs, opts: LoopOptions): { output: tf.Tensor; state: tf.Tensor2D[] } {
  const k = requireKernels('runSequence');
  const { x, W, bias, xW, U, recurrentBias, initial, recurrentDropoutMask } = inputs;
  const projected = xW !== undefined;
  const [H, GH] = U.shape;
  const [B, T] = projected ? xW.shape : x!.shape;
  const D = projected ? 0 : x!.shape[2]; // (projected: no projection in the kernels)
  const S = initial.length;
  const nOut = opts.returnSequences ? T : 1;
  const mask = opts.mask ? maskArray(opts.mask) : null;
  const codes = kernelCodes(k);
  const Flag = codes.flags;
  const flags =
    (opts.goBackwards ? Flag.goBackwards : 0) | (opts.returnSequences ? Flag.returnSequences : 0) |
    (opts.zeroOutputForMask ? Flag.zeroOutputForMask : 0) | (mask ? Flag.hasMask : 0) |
    (recurrentDropoutMask ? Flag.hasDropout : 0) | (recurrentBias ? Flag.hasRecurrentBias : 0) | (!projected && bias ? Flag.hasInputBias : 0) | (projected ? Flag.projected : 0);
  freeAbandoned();
  const keep = recording();
  const who = inputs.who ?? 'runSequence';
  const G = GH / H;
  checkFits(k, who, cell.kind, { B, T, D, H, G, nOut, projected, keep });
  const call: Call = {
    k, who, kind: codes.kinds[cell.kind], B, T, D, H, G, S, nOut, flags, Flag,
    φ: codes.activations[cell.activation], σ: codes.activations[cell.recurrentActivation],
    mask, rdm: recurrentDropoutMask ? (recurrentDropoutMask.dataSync() as Float32Array).slice() : null,
  };
  const inputSide = projected ? [xW] : [x!, W!, ...(bias ? [bias] : [])];
  const taped = [...inputSide, U, ...(recurrentBias ? [recurrentBias] : []), ...initial];
  const arrays = (read: (t: tf.Tensor) => Float32Array): Arrays => {
    const a = taped.map((t) => read(t));
    let i = 0;
    return {
      X: a[i++], W: projected ? new Float32Array(0) : a[i++], b: !projected && bias ? a[i++] : null,
      U: a[i++], bR: recurrentBias ? a[i++] : null, h0: a[i++], c0: S === 2 ? a[i++] : null,
    };
  };
  if (!keep) {
    const shapes = [opts.returnSequences ? [B, T, H] : [B, H], ...initial.map(() => [B, H])];
    const [output, ...state] = make(shapes, (outs, read) => {
      forward(call, arrays(read), false, (view, at) => {
        outs[0].set(view.subarray(at.out, at.out + B * nOut * H));
        outs[1].set(view.subarray(at.hT, at.hT + B * H));
        if (S === 2) outs[2].set(view.subarray(at.cT, at.cT + B * H));
      });
    });
    return { output, state: state as tf.Tensor2D[] };
  }
  let kept: Kept | null = null; // where the forward call left its inputs and cache, for the backward call
  const gradient = (dy: tf.Tensor) => {
    const d = (dy.dataSync() as Float32Array).slice();
    // One backward call for every gradient; it computes ∂X too when ∂X is asked for. Backprop asks in
    // input order (for..in over the integer keys '0', '1', ...) and skips inputs that need none, so
    // ∂X, input 0, is asked first or not at all.
    let grads: Float32Array[] | null = null;
    const get = (i: number) => {
      if (!grads) grads = backward(call, d, kept!, i === 0);
      else if (i === 0 && !projected) throw new Error('runSequence: ∂X asked for after another gradient (backprop asks in input order)');
      return tf.tensor(grads[i], taped[i].shape, 'float32');
    };
    return taped.map((_, i) => () => get(i));
  };
  const packed = lazyGrad(
    taped,
    () => {
      // One tensor out: [B, nOut + S, H] = outputs, then the final states.
      const [value] = make([[B, nOut + S, H]], ([o], read) => {
        kept = forward(call, arrays(read), true, (view, at) => {
          const parts = [at.out, at.hT, at.cT];
          packedRuns(call, (packedAt, part, partAt, n) => o.set(view.subarray(parts[part] + partAt, parts[part] + partAt + n), packedAt));
        });
        waiting.set(kept!, { k, tape: activeTape() });
      });
      return value;
    },
    gradient,
  ) as tf.Tensor3D;
  const output = opts.returnSequences ? sliceTime(packed, 0, nOut) : tf.reshape(sliceTime(packed, 0, 1), [B, H]);
  return { output, state: initial.map((_, j) => tf.reshape(sliceTime(packed, nOut + j, 1), [B, H]) as tf.Tensor2D) };
}

/**
 * The runs of the op's one output, [B, nOut + S, H] (each example's outputs,
 * then its final states), and where each sits in the separate arrays: part 0
 * the outputs [B, nOut, H], part 1 + j state j [B, H]. Offsets in floats.
 */
function packedRuns(c: Call, run: (packedAt: number, part: number, partAt: number, n: number) => void): void {
  const { B, nOut, S, H } = c;
  for (let b = 0; b < B; b++) {
    const row = b * (nOut + S) * H;
    run(row, 0, b * nOut * H, nOut * H);
    for (let j = 0; j < S; j++) run(row + (nOut + j) * H, 1 + j, b * H, H);
  }
}

/** The mask as floats, 1 for a real step, 0 for padding (any non-zero value is real, as in Keras). */
function maskArray(mask: tf.Tensor): Float32Array {
  const m = mask.dataSync(); // read outside tf.tidy, which would walk the returned array looking for tensors
  const out = new Float32Array(m.length);
  for (let i = 0; i < m.length; i++) out[i] = m[i] !== 0 ? 1 : 0;
  return out;
}

/** Float offsets of a forward call's outputs in the kernel memory. */
interface ForwardAt {
  out: number;
  hT: number;
  cT: number;
}

/**
 * Where a forward call run for backprop left what its backward call reads
 * (byte addresses in its resident block): X, W, U, the masks and the cache.
 */
interface Kept {
  block: number;
  X: number;
  W: number;
  U: number;
  mask: number;
  rdm: number;
  cache: number;
  /** Which of b, b_r the call had (their gradients are returned). */
  hasB: boolean;
  hasBR: boolean;
  released: boolean;
}

function release(k: KernelExports, kept: Kept): void {
  if (kept.released) return; // (its block may be another call's by now)
  kept.released = true;
  waiting.delete(kept);
  residentBlocks(k).release(kept.block);
}

/**
 * Copies the inputs in, runs every step, and hands the memory to `take`.
 * With `keep`, the inputs and every step's cache go to a resident block,
 * returned for the backward call; else everything is the call's own.
 */
function forward(c: Call, a: Arrays, keep: boolean, take: (view: Float32Array, at: ForwardAt) => void): Kept | null {
  const { k, kind, B, T, D, H, G } = c;
  const GH = G * H;
  const slot = k.slotFloats(kind, B, H);
  const floats = {
    X: a.X.length, W: D * GH, b: GH, U: H * GH, bR: GH, h0: B * H, c0: B * H, mask: B * T, rdm: B * H, cache: keep ? T * slot : slot,
  };
  const block = keep ? residentBlocks(k).take(Object.values(floats).reduce((sum, n) => sum + Math.ceil(n / 4) * 16, 0)) : -1;
  try {
    return forwardIn(c, a, keep, block, floats, take);
  } catch (e) {
    if (keep) residentBlocks(k).release(block); // (a call that failed keeps nothing)
    throw named(c, e);
  }
}

/** `forward`, its block taken: lays the call out, copies in, runs. */
function forwardIn(c: Call, a: Arrays, keep: boolean, block: number, floats: Record<string, number>, take: (view: Float32Array, at: ForwardAt) => void): Kept | null {
  const { k, kind, B, T, D, H, nOut } = c;
  const home = keep ? new Arena(k, block) : null;
  const mem = new Arena(k); // (above the block)
  const at = home ?? mem;
  const p = {
    X: at.floats(floats.X), W: at.floats(floats.W), b: at.floats(floats.b), U: at.floats(floats.U), bR: at.floats(floats.bR),
    h0: at.floats(floats.h0), c0: at.floats(floats.c0), mask: at.floats(floats.mask), rdm: at.floats(floats.rdm), cache: at.floats(floats.cache),
    out: mem.floats(B * nOut * H), hT: mem.floats(B * H), cT: mem.floats(B * H), work: mem.bytes(k.forwardWorkBytes(kind, B, T, H, D) >>> 0),
  };
  const view = mem.view(c.who);
  view.set(a.X, p.X / 4);
  view.set(a.W, p.W / 4);
  if (a.b) view.set(a.b, p.b / 4);
  view.set(a.U, p.U / 4);
  if (a.bR) view.set(a.bR, p.bR / 4);
  view.set(a.h0, p.h0 / 4);
  if (a.c0) view.set(a.c0, p.c0 / 4);
  if (c.mask) view.set(c.mask, p.mask / 4);
  if (c.rdm) view.set(c.rdm, p.rdm / 4);
  kernelCalls.forward++;
  k.forward(kind, B, T, H, D, c.flags | (keep ? c.Flag.keep : 0), c.φ, c.σ, p.X, p.W, p.b, p.U, p.bR, p.h0, p.c0, p.mask, p.rdm, p.out, p.hT, p.cT, p.cache, p.work);
  take(view, { out: p.out / 4, hT: p.hT / 4, cT: p.cT / 4 });
  if (!keep) return null;
  return { block, X: p.X, W: p.W, U: p.U, mask: p.mask, rdm: p.rdm, cache: p.cache, hasB: a.b !== null, hasBR: a.bR !== null, released: false };
}

/** A helper thread's failure, named for the layer that called. */
function named(c: Call, e: unknown): unknown {
  if (e instanceof KernelHelperError && !e.message.startsWith(`${c.who}: `)) e.message = `${c.who}: ${e.message}`;
  return e;
}

/**
 * The backward call: from ∂L/∂[outputs, states] (`d`, [B, nOut + S, H]) and
 * what the forward call kept, the gradients of the inputs in the order of
 * `taped` (∂X empty unless `wantDX`). Frees the kept block.
 */
function backward(c: Call, d: Float32Array, kept: Kept, wantDX: boolean): Float32Array[] {
  const k = c.k;
  if (kept.released) {
    throw new Error(`${c.who}: the kernels' block kept for this backward call was freed before it ran (its gradient tape had ended); no gradient was computed`);
  }
  try {
    return backwardIn(c, d, kept, wantDX);
  } catch (e) {
    throw named(c, e);
  } finally {
    release(k, kept); // (one backward call per forward call, whether it succeeded or not)
  }
}

function backwardIn(c: Call, d: Float32Array, kept: Kept, wantDX: boolean): Float32Array[] {
  const { k, kind, B, T, D, H, G, S, nOut } = c;
  const GH = G * H;
  const projected = (c.flags & c.Flag.projected) !== 0; // then ∂X is ∂(X W + b), always written
  const dXFloats = projected ? B * T * GH : wantDX ? B * T * D : 0;
  const mem = new Arena(k);
  const p = {
    dOut: mem.floats(B * nOut * H), dHT: mem.floats(B * H), dCT: mem.floats(B * H),
    dX: mem.floats(dXFloats), dW: mem.floats(D * GH), db: mem.floats(GH), dU: mem.floats(H * GH), dbR: mem.floats(GH),
    dH0: mem.floats(B * H), dC0: mem.floats(B * H), work: mem.bytes(k.backwardWorkBytes(kind, B, T, H, D) >>> 0),
  };
  const view = mem.view(c.who);
  const parts = [p.dOut / 4, p.dHT / 4, p.dCT / 4];
  packedRuns(c, (packedAt, part, partAt, n) => view.set(d.subarray(packedAt, packedAt + n), parts[part] + partAt));
  kernelCalls.backward++;
  k.backward(
    kind, B, T, H, D, c.flags | (wantDX ? c.Flag.wantDX : 0), c.φ, c.σ, kept.X, kept.W, kept.U, kept.mask, kept.rdm, kept.cache, p.dOut, p.dHT, p.dCT,
    p.dX, p.dW, p.db, p.dU, p.dbR, p.dH0, p.dC0, p.work,
  );
  const out = (at: number, n: number) => view.slice(at / 4, at / 4 + n);
  return [
    out(p.dX, dXFloats), ...(projected ? [] : [out(p.dW, D * GH)]), ...(kept.hasB ? [out(p.db, GH)] : []), out(p.dU, H * GH),
    ...(kept.hasBR ? [out(p.dbR, GH)] : []), out(p.dH0, B * H), ...(S === 2 ? [out(p.dC0, B * H)] : []),
  ];
}
