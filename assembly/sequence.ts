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
import { gemm, gemmInPlace, pack } from './matmul';
import { simpleBackward, simpleForward } from './simple_rnn';
import { lstmBackward, lstmForward } from './lstm';
import { gruAfterBackward, gruAfterForward, gruBeforeBackward, gruBeforeCandidate, gruBeforeGates, gruBeforeReset } from './gru';
import { add, block, copy, ld, mul, st, zero } from './rows';
import { byChunks } from './pool';
import {
  GO_BACKWARDS, RETURN_SEQUENCES, ZERO_OUTPUT_FOR_MASK, HAS_MASK, HAS_DROPOUT, HAS_RECURRENT_BIAS, KEEP, HAS_INPUT_BIAS, WANT_DX, PROJECTED,
  SIMPLE, LSTM, GRU_AFTER, GRU_BEFORE,
} from './codes';
import {
  PREV_H, OUT_H, PREV_C, LSTM_GATES, PHI_C, GRU_GATES, A_H,
  call, setCall, gatesOf, slotFloats, layoutForward, layoutBackward,
  pU, pU2, pW, xW, dxW, h, c, hIn, hNew, cNew, P, q, qU, dh, dc, dhU, dq, hInAll, rhAll, dHUAll, dHUPacked,
} from './layout';

/**
 * Rows 0 … B − 1 of the call `forward` or `backward` has set up, shared with
 * the helper thread (pool.ts) in chunks of about a quarter of the batch, a
 * multiple of 4 (so that both threads group rows into the same tiles of 4 as
 * one thread would): the rows of a sequence are independent until the
 * weights' gradients, which are summed after all rows are done. With B < 8
 * there is one chunk, and this thread does it.
 */
function byRows(rows: (b0: i32, b1: i32) => void, B: i32): void {
  byChunks(rows, B, max(4, ((B >> 2) + 3) & ~3));
}

/** Adds the row v [n] to each of the `rows` rows of m [rows, n]. */
function addRows(m: usize, rows: i32, v: usize, n: i32): void {
  for (let r = 0; r < rows; r++) {
    const at = row(m, r, n);
    for (let j = 0; j < n; j += 4) st(at, j, n, add(ld(at, j, n), ld(v, j, n)));
  }
}

/** 1, read as every element of a row of ones (both strides 0). */
const ONE = memory.data<f32>([1], 16);

/** s [n] = Σ over the `rows` rows of m [rows, n]: 1ᵀ m, as a product when n is a multiple of 8. */
function sumRows(m: usize, rows: i32, s: usize, n: i32): void {
  if ((n & 7) == 0) {
    gemmInPlace(1, n, rows, ONE, 0, 0, m, n, s, n, false);
    return;
  }
  zero(s, n);
  for (let r = 0; r < rows; r++) {
    const at = row(m, r, n);
    for (let j = 0; j < n; j += 4) st(s, j, n, add(ld(s, j, n), ld(at, j, n)));
  }
}

/**
 * C (+)= Aᵀ B for B [B·T, ·] of every step, used once: read in place when its
 * N columns (at b, rows ldb apart) are a multiple of 8, else packed first.
 * A(i, k) at a + 4 (i + k·lda).
 */
function productOfSteps(M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32): void {
  if ((N & 7) == 0) {
    gemmInPlace(M, N, K, a, 1, lda, b, ldb, c, ldc, false);
    return;
  }
  pack(b, ldb, K, N, dHUPacked, false);
  gemm(M, N, K, a, 1, lda, dHUPacked, c, ldc, false);
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
 */
export function forward(
  kind: i32, B: i32, T: i32, H: i32, D: i32, flags: i32, φ: i32, σ: i32,
  X: usize, W: usize, bIn: usize, U: usize, bR: usize, h0: usize, c0: usize, mask: usize, rdm: usize,
  out: usize, hT: usize, cT: usize, cache: usize, work: usize,
): void {
  setCall(kind, B, T, H, D, flags, φ, σ, X, W, U, mask, rdm, cache, work);
  call.bIn = bIn; call.bR = bR; call.h0 = h0; call.c0 = c0; call.out = out; call.hT = hT; call.cT = cT;
  const GH = gatesOf(kind) * H;
  layoutForward(kind, B, T, H, D, work);
  if ((flags & PROJECTED) == 0) pack(W, GH, D, GH, pW, false);
  if (kind == GRU_BEFORE) {
    pack(U, GH, H, 2 * H, pU, false);
    pack(U + (<usize>(2 * H) << 2), GH, H, H, pU2, false);
  } else pack(U, GH, H, GH, pU, false);
  byRows(forwardRows, B);
}

/**
 * `forward` on rows b0 … b1 − 1 of the batch (the weights packed already).
 * A masked step keeps the state: s_t = s_{t-1} + m_t (s'_t − s_{t-1}).
 */
export function forwardRows(b0: i32, b1: i32): void {
  const kind = call.kind, B = call.B, T = call.T, H = call.H, D = call.D, flags = call.flags, φ = call.φ, σ = call.σ;
  const mask = call.mask, rdm = row(call.rdm, b0, H), out = call.out, cache = call.cache;
  const GH = gatesOf(kind) * H, BH = B * H, n = b1 - b0, nH = n * H;
  layoutForward(kind, B, T, H, D, call.work, (flags & PROJECTED) != 0 ? call.X : 0); // (this thread's addresses: the same as the caller's)
  if ((flags & PROJECTED) == 0) {
    const x = row(call.X, b0 * T, D), p = row(xW, b0 * T, GH);
    gemm(n * T, GH, D, x, D, 1, pW, p, GH, false); //               X W   [n·T, G·H], every step at once
    if ((flags & HAS_INPUT_BIAS) != 0) addRows(p, n * T, call.bIn, GH); // X W + b
  }
  // This thread's rows of the [B, ·] state arrays.
  const h_ = row(h, b0, H), c_ = row(c, b0, H), cNew_ = row(cNew, b0, H);
  copy(h_, row(call.h0, b0, H), nH);
  if (kind == LSTM) copy(c_, row(call.c0, b0, H), nH);
  const slotBytes = <usize>slotFloats(kind, B, H) << 2;
  const bR_ = (flags & HAS_RECURRENT_BIAS) != 0 ? call.bR : 0;
  for (let k = 0; k < T; k++) {
    const t = (flags & GO_BACKWARDS) != 0 ? T - 1 - k : k;
    const slot = cache + ((flags & KEEP) != 0 ? <usize>k * slotBytes : 0);
    copy(row(block(slot, PREV_H, BH), b0, H), h_, nH); //          h_{t-1}
    const hI = dropped(flags, h_, rdm, row(hIn, b0, H), nH);
    let next = hNew; //                                           where the cell writes h'_t
    if (kind == SIMPLE) {
      const a = block(slot, OUT_H, BH);
      gemm(n, H, H, hI, H, 1, pU, row(a, b0, H), H, false); //     h_{t-1} U   [n, H]
      for (let b = b0; b < b1; b++) simpleForward(H, φ, row(xW, b * T + t, GH), row(a, b, H));
      next = a;
    } else if (kind == LSTM) {
      const g = block(slot, LSTM_GATES, BH), φc = block(slot, PHI_C, BH);
      copy(row(block(slot, PREV_C, BH), b0, H), c_, nH); //                            c_{t-1}
      gemm(n, GH, H, hI, H, 1, pU, row(g, b0, GH), GH, false); //  h_{t-1} U   [n, 4H]
      for (let b = b0; b < b1; b++) {
        lstmForward(H, φ, σ, row(xW, b * T + t, GH), row(g, b, GH), row(c, b, H), row(cNew, b, H), row(φc, b, H), row(hNew, b, H));
      }
    } else if (kind == GRU_AFTER) {
      const g = block(slot, GRU_GATES, BH), hH = block(slot, A_H, BH);
      gemm(n, GH, H, hI, H, 1, pU, row(P, b0, GH), GH, false); //  h_{t-1} U   [n, 3H]
      for (let b = b0; b < b1; b++) {
        gruAfterForward(H, φ, σ, row(xW, b * T + t, GH), row(P, b, GH), bR_, row(h, b, H), row(g, b, GH), row(hH, b, H), row(hNew, b, H));
      }
    } else {
      const g = block(slot, GRU_GATES, BH);
      gemm(n, 2 * H, H, hI, H, 1, pU, row(P, b0, 2 * H), 2 * H, false); // h_{t-1} U_zr   [n, 2H]
      for (let b = b0; b < b1; b++) {
        gruBeforeGates(H, σ, row(xW, b * T + t, GH), row(P, b, 2 * H), row(hI, b - b0, H), row(g, b, GH), row(q, b, H));
      }
      gemm(n, H, H, row(q, b0, H), H, 1, pU2, row(qU, b0, H), H, false); // (r_t ⊙ h_{t-1}) U_h   [n, H]
      for (let b = b0; b < b1; b++) gruBeforeCandidate(H, φ, row(xW, b * T + t, GH), row(qU, b, H), row(h, b, H), row(g, b, GH), row(hNew, b, H));
    }
    if ((flags & HAS_MASK) == 0) {
      copy(h_, row(next, b0, H), nH); //                           s_t = s'_t
      if (kind == LSTM) copy(c_, cNew_, nH);
    }
    for (let b = b0; b < b1; b++) {
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
    for (let b = b0; b < b1; b++) {
      if (!real(flags, mask, T, b, tLast) && (flags & ZERO_OUTPUT_FOR_MASK) != 0) zero(row(out, b, H), H);
      else copy(row(out, b, H), row(h, b, H), H);
    }
  }
  copy(row(call.hT, b0, H), h_, nH);
  if (kind == LSTM) copy(row(call.cT, b0, H), c_, nH);
}

/**
 * `backward`'s loop over time on rows b0 … b1 − 1 of the batch (Uᵀ packed
 * already): ∂L/∂(x_t W + b) and ∂(h_{t-1} U + b_r) of each step, h_{t-1} ⊙ m_h
 * of each step for ∂U, and ∂L/∂ of the initial states.
 */
export function backwardRows(b0: i32, b1: i32): void {
  const kind = call.kind, B = call.B, T = call.T, H = call.H, D = call.D, flags = call.flags, φ = call.φ, σ = call.σ;
  const mask = call.mask, rdm = call.rdm, cache = call.cache, dOut = call.dOut;
  const GH = gatesOf(kind) * H, BH = B * H, n = b1 - b0, nH = n * H;
  layoutBackward(kind, B, T, H, D, call.work, (flags & PROJECTED) != 0 ? call.dX : 0); // (this thread's addresses)
  const dh_ = row(dh, b0, H), dhU_ = row(dhU, b0, H);
  copy(dh_, row(call.dHT, b0, H), nH);
  if (kind == LSTM) copy(row(dc, b0, H), row(call.dCT, b0, H), nH);
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
      for (let b = b0; b < b1; b++) {
        if (zeroMasked && !real(flags, mask, T, b, t)) continue;
        const src = (flags & RETURN_SEQUENCES) != 0 ? row(dOut, b * T + k, H) : row(dOut, b, H);
        const d = row(dh, b, H);
        for (let j = 0; j < H; j += 4) st(d, j, H, add(ld(d, j, H), ld(src, j, H)));
      }
    }
    const sH = block(slot, PREV_H, BH);
    for (let b = b0; b < b1; b++) dropped(flags, row(sH, b, H), row(rdm, b, H), row(hI, b, ldH), H, true); // h_{t-1} ⊙ m_h, for ∂U
    // The cell's backward step on real rows; a masked row passes ∂s_t on to s_{t-1} unchanged.
    const g = block(slot, kind == LSTM ? LSTM_GATES : GRU_GATES, BH); // (SimpleRNN: h_t)
    for (let b = b0; b < b1; b++) {
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
    const dHU_ = row(dHU, b0, ldHU);
    if (kind == GRU_BEFORE) {
      const dq_ = row(dq, b0, H);
      gemm(n, H, H, dHU_ + (<usize>(2 * H) << 2), ldHU, 1, pU2, dq_, H, false); // ∂(r_t ⊙ h_{t-1}) = ∂z_h U_hᵀ
      for (let b = b0; b < b1; b++) {
        gruBeforeReset(H, σ, row(g, b, GH), row(hI, b, ldH), row(dq, b, H), row(dxW, b * T + t, GH), row(dHU, b, ldHU), row(rhAll + (<usize>(t * H) << 2), b, ldH));
      }
      gemm(n, H, 2 * H, dHU_, ldHU, 1, pU, dhU_, H, false); //                 [∂z_z, ∂z_r] U_zrᵀ
      for (let j = 0; j < nH; j += 4) st(dhU_, j, nH, add(ld(dhU_, j, nH), ld(dq_, j, nH)));
    } else {
      gemm(n, H, GH, dHU_, ldHU, 1, pU, dhU_, H, false); //                    ∂(h_{t-1} U) Uᵀ   [n, H]
    }
    const rdm_ = row(rdm, b0, H);
    const hasDrop = (flags & HAS_DROPOUT) != 0;
    for (let j = 0; j < nH; j += 4) st(dh_, j, nH, add(ld(dh_, j, nH), hasDrop ? mul(ld(dhU_, j, nH), ld(rdm_, j, nH)) : ld(dhU_, j, nH)));
  }
  copy(row(call.dH0, b0, H), dh_, nH);
  if (kind == LSTM) copy(row(call.dC0, b0, H), row(dc, b0, H), nH);
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
  setCall(kind, B, T, H, D, flags, φ, σ, X, W, U, mask, rdm, cache, work);
  call.dOut = dOut; call.dHT = dHT; call.dCT = dCT; call.dX = dX; call.dH0 = dH0; call.dC0 = dC0;
  const GH = gatesOf(kind) * H;
  layoutBackward(kind, B, T, H, D, work, (flags & PROJECTED) != 0 ? dX : 0);
  if (kind == GRU_BEFORE) {
    pack(U, GH, 2 * H, H, pU, true); //                          U_zrᵀ
    pack(U + (<usize>(2 * H) << 2), GH, H, H, pU2, true); //       U_hᵀ
  } else pack(U, GH, GH, H, pU, true); //                          Uᵀ
  byRows(backwardRows, B);
  // ∂L/∂U = H_inᵀ · ∂(H_in U) over all steps and rows: [H, T·B] × [T·B, G·H].
  const TB = T * B;
  if (kind == GRU_BEFORE) {
    productOfSteps(H, 2 * H, TB, hInAll, H, dHUAll, GH, dU, GH); //                        ∂U_zr = H_inᵀ [∂z_z, ∂z_r]
    productOfSteps(H, H, TB, rhAll, H, dHUAll + (<usize>(2 * H) << 2), GH, dU + (<usize>(2 * H) << 2), GH); // ∂U_h = (r ⊙ H_in)ᵀ ∂z_h
  } else {
    productOfSteps(H, GH, TB, hInAll, H, dHUAll, GH, dU, GH);
  }
  if ((flags & HAS_RECURRENT_BIAS) != 0) sumRows(dHUAll, TB, dbR, GH); //       ∂L/∂b_r = Σ ∂(h_{t-1} U + b_r)
  if ((flags & PROJECTED) != 0) return; //                                     the caller differentiates its X W + b
  // The input projection: ∂L/∂W = Xᵀ ∂(X W + b), ∂L/∂b = Σ ∂(X W + b), ∂L/∂X = ∂(X W + b) Wᵀ.
  productOfSteps(D, GH, TB, X, D, dxW, GH, dW, GH);
  if ((flags & HAS_INPUT_BIAS) != 0) sumRows(dxW, TB, dbIn, GH);
  if ((flags & WANT_DX) != 0) {
    pack(W, GH, GH, D, pW, true);
    gemm(TB, D, GH, dxW, GH, 1, pW, dX, D, false);
  }
}
