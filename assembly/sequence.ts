/**
 * The loop over time, one call per sequence: `forward` runs every step of a
 * SimpleRNN, LSTM or GRU, `backward` the whole backward pass through time.
 * The cells' equations are in simple_rnn.ts, lstm.ts and gru.ts; this file
 * holds what every cell shares, as src/layers/loop.ts and bptt.ts do for the
 * tf-op path: masking, goBackwards, recurrent dropout, the recurrent product
 * h_{t-1} U at each step, and the weights' gradients once at the end. The
 * input projection X W + b is one product for all steps before the loop.
 * docs/equations.md#the-loop, #backward, #masking, #dropout
 *
 * All arrays are float32, row-major, at byte addresses in this module's memory:
 * X [B, T, D], W [D, G·H], b [G·H] (GRU with resetAfter: its input-side row),
 * U [H, G·H], b_r [G·H], states [B, H], mask [B, T] of 0/1, recurrent dropout
 * mask [B, H].
 */
import { gemm, pack, packedBytes } from './matmul';
import { simpleBackward, simpleForward } from './simple_rnn';
import { lstmBackward, lstmForward } from './lstm';
import { gruAfterBackward, gruAfterForward, gruBeforeBackward, gruBeforeCandidate, gruBeforeGates, gruBeforeReset } from './gru';
import { add, block, copy, ld, mul, st, zero } from './rows';

/** Cell kinds (src/kernels/codes.ts gives the same numbers). */
export const SIMPLE = 0;
export const LSTM = 1;
export const GRU_AFTER = 2;
export const GRU_BEFORE = 3;

/** Flags. */
const GO_BACKWARDS = 1;
const RETURN_SEQUENCES = 2;
const ZERO_OUTPUT_FOR_MASK = 4;
const HAS_MASK = 8;
const HAS_DROPOUT = 16;
const HAS_RECURRENT_BIAS = 32;
const KEEP = 64;
const HAS_INPUT_BIAS = 128;
const WANT_DX = 256;
/** X is X W + b itself, made by the caller ([B, T, G·H]; W and b unused); backward writes ∂(X W + b) to dX. */
const PROJECTED = 512;

export function gatesOf(kind: i32): i32 {
  return kind == SIMPLE ? 1 : kind == LSTM ? 4 : 3;
}

/**
 * What one step keeps for its backward step (its slot of the cache), in
 * [B, H] blocks: h_{t-1}, then SimpleRNN h_t; LSTM c_{t-1}, [i, f, c̃, o],
 * φ(c_t); GRU [z, r, h̃] and, with resetAfter, h_{t-1} U_h + b_rh. The
 * gates are one [B, G·H] array over G blocks. Where each begins:
 */
const PREV_H = 0; //    h_{t-1}
const OUT_H = 1; //     SimpleRNN: h_t
const PREV_C = 1; //    LSTM: c_{t-1}
const LSTM_GATES = 2; // LSTM: [i, f, c̃, o]
const PHI_C = 6; //     LSTM: φ(c_t)
const GRU_GATES = 1; // GRU: [z, r, h̃]
const A_H = 4; //       GRU resetAfter: h_{t-1} U_h + b_rh

function slotBlocks(kind: i32): i32 {
  return kind == SIMPLE ? 2 : kind == LSTM ? 7 : kind == GRU_AFTER ? 5 : 4;
}

/** Floats one step keeps (the cache holds T of these with KEEP). */
export function slotFloats(kind: i32, B: i32, H: i32): i32 {
  return slotBlocks(kind) * B * H;
}

// ---- memory layout of the work area, as addresses set by `layout*` ----
let end: usize = 0;
function take(bytes: usize): usize {
  const p = end;
  end = (end + bytes + 15) & ~(<usize>15);
  return p;
}
let pU: usize = 0, pU2: usize = 0, pW: usize = 0, xW: usize = 0, dxW: usize = 0;
let h: usize = 0, c: usize = 0, hIn: usize = 0, hNew: usize = 0, cNew: usize = 0, P: usize = 0, q: usize = 0, qU: usize = 0;
let dh: usize = 0, dc: usize = 0, dhU: usize = 0, dq: usize = 0, hInAll: usize = 0, rhAll: usize = 0, dHUAll: usize = 0, dHUPacked: usize = 0;

function layoutForward(kind: i32, B: i32, T: i32, H: i32, D: i32, base: usize): usize {
  const GH = gatesOf(kind) * H, BH = <usize>(B * H) << 2;
  end = base;
  pW = take(packedBytes(D, GH)); //       W, packed
  xW = take(<usize>(B * T * GH) << 2); // X W + b   [B, T, G·H]
  if (kind == GRU_BEFORE) {
    pU = take(packedBytes(H, 2 * H)); //   U_zr, packed
    pU2 = take(packedBytes(H, H)); //      U_h, packed
  } else pU = take(packedBytes(H, GH));
  h = take(BH); c = take(BH); hIn = take(BH); hNew = take(BH); cNew = take(BH); q = take(BH); qU = take(BH);
  P = take(<usize>(B * GH) << 2);
  return end - base;
}

function layoutBackward(kind: i32, B: i32, T: i32, H: i32, D: i32, base: usize, dxWOut: usize = 0): usize {
  const GH = gatesOf(kind) * H, BH = <usize>(B * H) << 2;
  end = base;
  pW = take(packedBytes(GH, D)); //       Wᵀ, packed
  dxW = take(<usize>(B * T * GH) << 2); // ∂L/∂(X W + b)   [B, T, G·H]
  if (dxWOut) dxW = dxWOut; //            (PROJECTED: straight into the caller's array)
  if (kind == GRU_BEFORE) {
    pU = take(packedBytes(2 * H, H)); //   U_zrᵀ, packed
    pU2 = take(packedBytes(H, H)); //      U_hᵀ, packed
  } else pU = take(packedBytes(GH, H)); // Uᵀ, packed
  dh = take(BH); dc = take(BH); dhU = take(BH); dq = take(BH);
  hInAll = take(<usize>T * BH); //       h_{t-1} ⊙ m_h of every step   [B, T, H]
  rhAll = kind == GRU_BEFORE ? take(<usize>T * BH) : 0;
  // ∂(h_{t-1} U + b_r) of every step [B, T, G·H]: for SimpleRNN and LSTM the same as ∂(x_t W + b).
  dHUAll = kind == SIMPLE || kind == LSTM ? dxW : take(<usize>(T * B * GH) << 2);
  dHUPacked = take(packedBytes(T * B, GH));
  return end - base;
}

export function forwardWorkBytes(kind: i32, B: i32, T: i32, H: i32, D: i32): usize {
  return layoutForward(kind, B, T, H, D, 0);
}

export function backwardWorkBytes(kind: i32, B: i32, T: i32, H: i32, D: i32): usize {
  return layoutBackward(kind, B, T, H, D, 0);
}

/** Adds the row v [n] to each of the `rows` rows of m [rows, n]. */
function addRows(m: usize, rows: i32, v: usize, n: i32): void {
  for (let r = 0; r < rows; r++) {
    const at = row(m, r, n);
    for (let j = 0; j < n; j += 4) st(at, j, n, add(ld(at, j, n), ld(v, j, n)));
  }
}

/** s [n] = Σ over the `rows` rows of m [rows, n]. */
function sumRows(m: usize, rows: i32, s: usize, n: i32): void {
  zero(s, n);
  for (let r = 0; r < rows; r++) {
    const at = row(m, r, n);
    for (let j = 0; j < n; j += 4) st(s, j, n, add(ld(s, j, n), ld(at, j, n)));
  }
}

/** Row b of a [B, n] array at p. */
@inline
function row(p: usize, b: i32, n: i32): usize {
  return p + (<usize>(b * n) << 2);
}

/** Whether step t of example b is real (not padding). */
@inline
function real(flags: i32, mask: usize, T: i32, b: i32, t: i32): bool {
  return (flags & HAS_MASK) == 0 || load<f32>(mask + (<usize>(b * T + t) << 2)) != 0;
}

/**
 * h_{t-1} as it enters the recurrent product: ⊙ the recurrent dropout mask, if
 * any, into dst; without one, src itself (or, with `write`, a copy in dst).
 */
function dropped(flags: i32, src: usize, rdm: usize, dst: usize, n: i32, write: bool = false): usize {
  if ((flags & HAS_DROPOUT) == 0) {
    if (!write) return src;
    copy(dst, src, n);
    return dst;
  }
  for (let j = 0; j < n; j += 4) st(dst, j, n, mul(ld(src, j, n), ld(rdm, j, n)));
  return dst;
}

/**
 * Every step forward. Writes the output (every step in processing order
 * [B, T, H], or the last [B, H]) and the final state (c only for LSTM);
 * with KEEP, step k's slot of `cache` keeps what its backward step needs.
 * A masked step keeps the state: s_t = s_{t-1} + m_t (s'_t − s_{t-1}).
 */
export function forward(
  kind: i32, B: i32, T: i32, H: i32, D: i32, flags: i32, φ: i32, σ: i32,
  X: usize, W: usize, bIn: usize, U: usize, bR: usize, h0: usize, c0: usize, mask: usize, rdm: usize,
  out: usize, hT: usize, cT: usize, cache: usize, work: usize,
): void {
  const GH = gatesOf(kind) * H, BH = B * H;
  layoutForward(kind, B, T, H, D, work);
  if ((flags & PROJECTED) != 0) xW = X;
  else {
    pack(W, GH, D, GH, pW, false);
    gemm(B * T, GH, D, X, D, 1, pW, xW, GH, false); //              X W   [B·T, G·H], every step at once
    if ((flags & HAS_INPUT_BIAS) != 0) addRows(xW, B * T, bIn, GH); // X W + b
  }
  if (kind == GRU_BEFORE) {
    pack(U, GH, H, 2 * H, pU, false);
    pack(U + (<usize>(2 * H) << 2), GH, H, H, pU2, false);
  } else pack(U, GH, H, GH, pU, false);
  copy(h, h0, BH);
  if (kind == LSTM) copy(c, c0, BH);
  const slotBytes = <usize>slotFloats(kind, B, H) << 2;
  const bR_ = (flags & HAS_RECURRENT_BIAS) != 0 ? bR : 0;
  for (let k = 0; k < T; k++) {
    const t = (flags & GO_BACKWARDS) != 0 ? T - 1 - k : k;
    const slot = cache + ((flags & KEEP) != 0 ? <usize>k * slotBytes : 0);
    copy(block(slot, PREV_H, BH), h, BH); //                      h_{t-1}
    const hI = dropped(flags, h, rdm, hIn, BH);
    let next = hNew; //                                           where the cell writes h'_t
    if (kind == SIMPLE) {
      const a = block(slot, OUT_H, BH);
      gemm(B, H, H, hI, H, 1, pU, a, H, false); //                 h_{t-1} U   [B, H]
      for (let b = 0; b < B; b++) simpleForward(H, φ, row(xW, b * T + t, GH), row(a, b, H));
      next = a;
    } else if (kind == LSTM) {
      const g = block(slot, LSTM_GATES, BH), φc = block(slot, PHI_C, BH);
      copy(block(slot, PREV_C, BH), c, BH); //                                          c_{t-1}
      gemm(B, GH, H, hI, H, 1, pU, g, GH, false); //               h_{t-1} U   [B, 4H]
      for (let b = 0; b < B; b++) {
        lstmForward(H, φ, σ, row(xW, b * T + t, GH), row(g, b, GH), row(c, b, H), row(cNew, b, H), row(φc, b, H), row(hNew, b, H));
      }
    } else if (kind == GRU_AFTER) {
      const g = block(slot, GRU_GATES, BH), hH = block(slot, A_H, BH);
      gemm(B, GH, H, hI, H, 1, pU, P, GH, false); //               h_{t-1} U   [B, 3H]
      for (let b = 0; b < B; b++) {
        gruAfterForward(H, φ, σ, row(xW, b * T + t, GH), row(P, b, GH), bR_, row(h, b, H), row(g, b, GH), row(hH, b, H), row(hNew, b, H));
      }
    } else {
      const g = block(slot, GRU_GATES, BH);
      gemm(B, 2 * H, H, hI, H, 1, pU, P, 2 * H, false); //         h_{t-1} U_zr   [B, 2H]
      for (let b = 0; b < B; b++) gruBeforeGates(H, σ, row(xW, b * T + t, GH), row(P, b, 2 * H), row(hI, b, H), row(g, b, GH), row(q, b, H));
      gemm(B, H, H, q, H, 1, pU2, qU, H, false); //                (r_t ⊙ h_{t-1}) U_h   [B, H]
      for (let b = 0; b < B; b++) gruBeforeCandidate(H, φ, row(xW, b * T + t, GH), row(qU, b, H), row(h, b, H), row(g, b, GH), row(hNew, b, H));
    }
    if ((flags & HAS_MASK) == 0) {
      copy(h, next, BH); //                                        s_t = s'_t
      if (kind == LSTM) copy(c, cNew, BH);
    }
    for (let b = 0; b < B; b++) {
      const m = real(flags, mask, T, b, t);
      if (m && (flags & HAS_MASK) != 0) {
        copy(row(h, b, H), row(next, b, H), H); //                 s_t = s'_t on a real step, s_{t-1} on a masked one
        if (kind == LSTM) copy(row(c, b, H), row(cNew, b, H), H);
      }
      if ((flags & RETURN_SEQUENCES) != 0) {
        const o = row(out, b * T + k, H);
        if (!m && (flags & ZERO_OUTPUT_FOR_MASK) != 0) zero(o, H);
        else copy(o, row(h, b, H), H);
      }
    }
  }
  if ((flags & RETURN_SEQUENCES) == 0) {
    const tLast = (flags & GO_BACKWARDS) != 0 ? 0 : T - 1;
    for (let b = 0; b < B; b++) {
      if (!real(flags, mask, T, b, tLast) && (flags & ZERO_OUTPUT_FOR_MASK) != 0) zero(row(out, b, H), H);
      else copy(row(out, b, H), row(h, b, H), H);
    }
  }
  copy(hT, h, BH);
  if (kind == LSTM) copy(cT, c, BH);
}

/**
 * The backward pass through time of `forward` (run with KEEP), from ∂L/∂output
 * (`dOut`, shaped as the output) and ∂L/∂ of the final states. Writes
 * ∂L/∂(x_t W + b) [B, T, G·H], ∂L/∂U [H, G·H], ∂L/∂b_r [G·H] and ∂L/∂ of the
 * initial states.
 */
export function backward(
  kind: i32, B: i32, T: i32, H: i32, D: i32, flags: i32, φ: i32, σ: i32,
  X: usize, W: usize, U: usize, mask: usize, rdm: usize, cache: usize, dOut: usize, dHT: usize, dCT: usize,
  dX: usize, dW: usize, dbIn: usize, dU: usize, dbR: usize, dH0: usize, dC0: usize, work: usize,
): void {
  const GH = gatesOf(kind) * H, BH = B * H;
  layoutBackward(kind, B, T, H, D, work, (flags & PROJECTED) != 0 ? dX : 0);
  if (kind == GRU_BEFORE) {
    pack(U, GH, 2 * H, H, pU, true); //                          U_zrᵀ
    pack(U + (<usize>(2 * H) << 2), GH, H, H, pU2, true); //       U_hᵀ
  } else pack(U, GH, GH, H, pU, true); //                          Uᵀ
  copy(dh, dHT, BH);
  if (kind == LSTM) copy(dc, dCT, BH);
  const slotBytes = <usize>slotFloats(kind, B, H) << 2;
  const zeroMasked = (flags & ZERO_OUTPUT_FOR_MASK) != 0;
  for (let k = T - 1; k >= 0; k--) {
    const t = (flags & GO_BACKWARDS) != 0 ? T - 1 - k : k;
    const slot = cache + <usize>k * slotBytes;
    // This step's rows of the [B, T, ·] arrays: row b at (b·T + t).
    const dHU = dHUAll + (<usize>(t * GH) << 2), ldHU = T * GH;
    const hI = hInAll + (<usize>(t * H) << 2), ldH = T * H;
    // ∂L/∂output of this step joins ∂L/∂h_t (zero where a masked step output zeros).
    if ((flags & RETURN_SEQUENCES) != 0 || k == T - 1) {
      for (let b = 0; b < B; b++) {
        if (zeroMasked && !real(flags, mask, T, b, t)) continue;
        const src = (flags & RETURN_SEQUENCES) != 0 ? row(dOut, b * T + k, H) : row(dOut, b, H);
        const d = row(dh, b, H);
        for (let j = 0; j < H; j += 4) st(d, j, H, add(ld(d, j, H), ld(src, j, H)));
      }
    }
    const sH = block(slot, PREV_H, BH);
    for (let b = 0; b < B; b++) dropped(flags, row(sH, b, H), row(rdm, b, H), row(hI, b, ldH), H, true); // h_{t-1} ⊙ m_h, for ∂U
    // The cell's backward step on real rows; a masked row passes ∂s_t on to s_{t-1} unchanged.
    const g = block(slot, kind == LSTM ? LSTM_GATES : GRU_GATES, BH); // (SimpleRNN: h_t)
    for (let b = 0; b < B; b++) {
      const dxRow = row(dxW, b * T + t, GH), duRow = row(dHU, b, ldHU);
      if (!real(flags, mask, T, b, t)) {
        zero(dxRow, GH);
        zero(duRow, GH);
        continue;
      }
      if (kind == SIMPLE) {
        simpleBackward(H, φ, row(block(slot, OUT_H, BH), b, H), row(dh, b, H), duRow);
      } else if (kind == LSTM) {
        lstmBackward(H, φ, σ, row(g, b, GH), row(block(slot, PREV_C, BH), b, H), row(block(slot, PHI_C, BH), b, H), row(dh, b, H), row(dc, b, H), duRow);
      } else if (kind == GRU_AFTER) {
        gruAfterBackward(H, φ, σ, row(g, b, GH), row(block(slot, A_H, BH), b, H), row(sH, b, H), row(dh, b, H), dxRow, duRow);
      } else {
        gruBeforeBackward(H, φ, σ, row(g, b, GH), row(sH, b, H), row(dh, b, H), dxRow, duRow);
      }
    }
    // ∂h_{t-1} through U: ∂(h_{t-1} U) Uᵀ, then ⊙ m_h.
    if (kind == GRU_BEFORE) {
      gemm(B, H, H, dHU + (<usize>(2 * H) << 2), ldHU, 1, pU2, dq, H, false); // ∂(r_t ⊙ h_{t-1}) = ∂z_h U_hᵀ
      for (let b = 0; b < B; b++) {
        gruBeforeReset(H, σ, row(g, b, GH), row(hI, b, ldH), row(dq, b, H), row(dxW, b * T + t, GH), row(dHU, b, ldHU), row(rhAll + (<usize>(t * H) << 2), b, ldH));
      }
      gemm(B, H, 2 * H, dHU, ldHU, 1, pU, dhU, H, false); //                   [∂z_z, ∂z_r] U_zrᵀ
      for (let j = 0; j < BH; j += 4) st(dhU, j, BH, add(ld(dhU, j, BH), ld(dq, j, BH)));
    } else {
      gemm(B, H, GH, dHU, ldHU, 1, pU, dhU, H, false); //                      ∂(h_{t-1} U) Uᵀ   [B, H]
    }
    const hasDrop = (flags & HAS_DROPOUT) != 0;
    for (let j = 0; j < BH; j += 4) st(dh, j, BH, add(ld(dh, j, BH), hasDrop ? mul(ld(dhU, j, BH), ld(rdm, j, BH)) : ld(dhU, j, BH)));
  }
  copy(dH0, dh, BH);
  if (kind == LSTM) copy(dC0, dc, BH);
  // ∂L/∂U = H_inᵀ · ∂(H_in U) over all steps and rows: [H, T·B] × [T·B, G·H].
  const TB = T * B;
  if (kind == GRU_BEFORE) {
    pack(dHUAll, GH, TB, 2 * H, dHUPacked, false);
    gemm(H, 2 * H, TB, hInAll, 1, H, dHUPacked, dU, GH, false); //              ∂U_zr = H_inᵀ [∂z_z, ∂z_r]
    pack(dHUAll + (<usize>(2 * H) << 2), GH, TB, H, dHUPacked, false);
    gemm(H, H, TB, rhAll, 1, H, dHUPacked, dU + (<usize>(2 * H) << 2), GH, false); // ∂U_h = (r ⊙ H_in)ᵀ ∂z_h
  } else {
    pack(dHUAll, GH, TB, GH, dHUPacked, false);
    gemm(H, GH, TB, hInAll, 1, H, dHUPacked, dU, GH, false);
  }
  if ((flags & HAS_RECURRENT_BIAS) != 0) sumRows(dHUAll, TB, dbR, GH); //       ∂L/∂b_r = Σ ∂(h_{t-1} U + b_r)
  if ((flags & PROJECTED) != 0) return; //                                     the caller differentiates its X W + b
  // The input projection: ∂L/∂W = Xᵀ ∂(X W + b), ∂L/∂b = Σ ∂(X W + b), ∂L/∂X = ∂(X W + b) Wᵀ.
  if (dHUAll != dxW || kind == GRU_BEFORE) pack(dxW, GH, TB, GH, dHUPacked, false); // (else packed above)
  gemm(D, GH, TB, X, 1, D, dHUPacked, dW, GH, false);
  if ((flags & HAS_INPUT_BIAS) != 0) sumRows(dxW, TB, dbIn, GH);
  if ((flags & WANT_DX) != 0) {
    pack(W, GH, GH, D, pW, true);
    gemm(TB, D, GH, dxW, GH, 1, pW, dX, D, false);
  }
}
