/**
 * One step of a text model for every row of a batch, in one call: the
 * Embedding's row of each id, each recurrent layer's step, and the Dense's
 * logits (src/generation/ draws the next id from them). The model's plan, its
 * layers and where their packed weights, states and work rows are, is
 * written once by `planModel` and `planLayer` into memory the caller keeps,
 * beside the weights; a step then reads the ids and writes the logits, and
 * nothing else crosses.
 *
 * Each product and cell is the one a sequence call (sequence.ts) makes for
 * the same rows, with its sums in the same order: a step gives the numbers of
 * `predict` on the whole prefix, to the bit where the kernels project X W + b
 * themselves. docs/equations.md
 *
 *   x_t = E[id_t]                 (or, with the table E W + b precomputed, its row)
 *   s_t = cell(x_t W + b, s_{t-1})                        each recurrent layer in turn
 *   y_t = h_t W_d + b_d                                   the Dense's logits
 */
import { gemm, gemv } from './matmul';
import { lstmForward } from './lstm';
import { gruAfterForward, gruBeforeCandidate, gruBeforeGates } from './gru';
import { simpleForward } from './simple_rnn';
import { add, copy, ld, st } from './rows';
import { LSTM, GRU_AFTER, GRU_BEFORE, SIMPLE } from './codes';
import { gatesOf } from './layout';

/** The model: the batch, the Embedding, the Dense, and where the ids come in and the logits go out. */
@unmanaged
class Model {
  B: i32; layers: i32; F: i32; maskZero: i32; N: i32; K: i32;
  /** E [V, F], or 0 where `EW` replaces it. */
  E: usize;
  /** E W + b of the first recurrent layer [V, G·H], or 0. */
  EW: usize;
  ids: usize; x0: usize; pWd: usize; bd: usize; logits: usize;
}

/** One recurrent layer: its cell, packed weights, state [B, H] (c for LSTM) and work rows. */
@unmanaged
class Layer {
  kind: i32; H: i32; D: i32; φ: i32; σ: i32;
  pW: usize; b: usize; pU: usize; pU2: usize; bR: usize;
  h: usize; c: usize;
  xW: usize; g: usize; P: usize; q: usize; qU: usize; hNew: usize; cNew: usize; φc: usize; hH: usize;
}

const MODEL_BYTES: usize = (offsetof<Model>() + 15) & ~(<usize>15);
const LAYER_BYTES: usize = (offsetof<Layer>() + 15) & ~(<usize>15);

/** Bytes of a plan for `layers` recurrent layers. */
export function planBytes(layers: i32): usize {
  return MODEL_BYTES + <usize>layers * LAYER_BYTES;
}

@inline
function layerAt(plan: usize, i: i32): Layer {
  return changetype<Layer>(plan + MODEL_BYTES + <usize>i * LAYER_BYTES);
}

/** Bytes of one layer's work rows for a batch of B (`planLayer` lays them out from `work`). */
export function stepWorkBytes(kind: i32, B: i32, H: i32): usize {
  const GH = <usize>(gatesOf(kind) * B * H) << 2, BH = <usize>(B * H) << 2;
  return 3 * ((GH + 15) & ~15) + 6 * ((BH + 15) & ~15);
}

/**
 * Writes the model's part of the plan. ids: B int32; x0: B·F floats (the
 * rows of E, unused with EW); Dense: W_d packed [K, N] at pWd, b_d [N] at bd
 * (0: none); logits: B·N floats.
 */
export function planModel(
  plan: usize, layers: i32, B: i32, F: i32, E: usize, EW: usize, maskZero: i32, ids: usize, x0: usize, K: i32, N: i32, pWd: usize, bd: usize, logits: usize,
): void {
  const m = changetype<Model>(plan);
  m.B = B; m.layers = layers; m.F = F; m.E = E; m.EW = EW; m.maskZero = maskZero; m.ids = ids; m.x0 = x0;
  m.K = K; m.N = N; m.pWd = pWd; m.bd = bd; m.logits = logits;
}

/**
 * Writes layer i of the plan: W packed [D, G·H] at pW (unused for the first
 * layer with EW), b [G·H] (0: none; GRU with resetAfter: its input-side row),
 * U packed [H, G·H] at pU (GRU without resetAfter: U_zr [H, 2H] at pU and U_h
 * [H, H] at pU2), b_r [G·H] (GRU with resetAfter, else 0); h and c [B, H];
 * `work` of `stepWorkBytes` bytes.
 */
export function planLayer(
  plan: usize, i: i32, kind: i32, H: i32, D: i32, φ: i32, σ: i32, pW: usize, b: usize, pU: usize, pU2: usize, bR: usize, h: usize, c: usize, work: usize,
): void {
  const l = layerAt(plan, i);
  const B = changetype<Model>(plan).B;
  l.kind = kind; l.H = H; l.D = D; l.φ = φ; l.σ = σ; l.pW = pW; l.b = b; l.pU = pU; l.pU2 = pU2; l.bR = bR; l.h = h; l.c = c;
  const GH = ((<usize>(gatesOf(kind) * B * H) << 2) + 15) & ~15, BH = ((<usize>(B * H) << 2) + 15) & ~15;
  l.xW = work; l.g = work + GH; l.P = work + 2 * GH;
  l.q = work + 3 * GH; l.qU = l.q + BH; l.hNew = l.qU + BH; l.cNew = l.hNew + BH; l.φc = l.cNew + BH; l.hH = l.φc + BH;
}

/** y [M, N] = x [M, K] · B, B packed: one row by `gemv`, more by `gemm` (the same sums either way). */
function product(M: i32, K: i32, N: i32, x: usize, bp: usize, y: usize): void {
  if (M == 1) gemv(K, N, x, bp, y);
  else gemm(M, N, K, x, K, 1, bp, y, N, false);
}

/** Adds the row v [n] to each of the `rows` rows of m [rows, n]. */
function addRows(m: usize, rows: i32, v: usize, n: i32): void {
  for (let r = 0; r < rows; r++) {
    const at = m + (<usize>(r * n) << 2);
    for (let j = 0; j < n; j += 4) st(at, j, n, add(ld(at, j, n), ld(v, j, n)));
  }
}

@inline
function row(p: usize, b: i32, n: i32): usize {
  return p + (<usize>(b * n) << 2);
}

/** Whether row b's id is padding (id 0 under an Embedding with maskZero): then every state stays as it was, as `predict` keeps it. */
@inline
function masked(m: Model, b: i32): bool {
  return m.maskZero != 0 && load<i32>(m.ids + (<usize>b << 2)) == 0;
}

/**
 * One step of the planned model: ids [B] in, logits [B, N] out, the states
 * moved on (a row whose id is masked keeps its states). Ids are checked to be
 * in [0, V) by the caller.
 */
export function generateStep(plan: usize): void {
  const m = changetype<Model>(plan);
  const B = m.B;
  let x: usize = 0; //                                                       the layer's input rows [B, D]
  if (m.EW == 0) {
    for (let b = 0; b < B; b++) copy(row(m.x0, b, m.F), row(m.E, load<i32>(m.ids + (<usize>b << 2)), m.F), m.F); // x_t = E[id_t]
    x = m.x0;
  }
  for (let i = 0; i < m.layers; i++) {
    const l = layerAt(plan, i);
    const H = l.H, GH = gatesOf(l.kind) * H;
    const fromTable = i == 0 && m.EW != 0;
    if (!fromTable) {
      product(B, l.D, GH, x, l.pW, l.xW); //                                x_t W   [B, G·H]
      if (l.b) addRows(l.xW, B, l.b, GH); //                                 x_t W + b
    }
    stepLayer(m, l, fromTable);
    x = l.h;
  }
  product(B, m.K, m.N, x, m.pWd, m.logits); //                              h_t W_d   [B, N]
  if (m.bd) addRows(m.logits, B, m.bd, m.N); //                              y_t = h_t W_d + b_d
}

/**
 * Layer l's step on every row: the recurrent product h_{t-1} U, the cell
 * (lstm.ts, gru.ts, simple_rnn.ts, as in a sequence call), then s_t = s'_t
 * on each row that is not masked.
 */
function stepLayer(m: Model, l: Layer, fromTable: bool): void {
  const B = m.B, kind = l.kind, H = l.H, φ = l.φ, σ = l.σ;
  const GH = gatesOf(kind) * H;
  if (kind == SIMPLE) {
    product(B, H, H, l.h, l.pU, l.hNew); //                                h_{t-1} U   [B, H]
    for (let b = 0; b < B; b++) simpleForward(H, φ, xWRow(m, l, b, GH, fromTable), row(l.hNew, b, H));
  } else if (kind == LSTM) {
    product(B, H, GH, l.h, l.pU, l.g); //                                   h_{t-1} U   [B, 4H]
    for (let b = 0; b < B; b++) {
      lstmForward(H, φ, σ, xWRow(m, l, b, GH, fromTable), row(l.g, b, GH), row(l.c, b, H), row(l.cNew, b, H), row(l.φc, b, H), row(l.hNew, b, H));
    }
  } else if (kind == GRU_AFTER) {
    product(B, H, GH, l.h, l.pU, l.P); //                                   h_{t-1} U   [B, 3H]
    for (let b = 0; b < B; b++) {
      gruAfterForward(H, φ, σ, xWRow(m, l, b, GH, fromTable), row(l.P, b, GH), l.bR, row(l.h, b, H), row(l.g, b, GH), row(l.hH, b, H), row(l.hNew, b, H));
    }
  } else {
    product(B, H, 2 * H, l.h, l.pU, l.P); //                                h_{t-1} U_zr   [B, 2H]
    for (let b = 0; b < B; b++) gruBeforeGates(H, σ, xWRow(m, l, b, GH, fromTable), row(l.P, b, 2 * H), row(l.h, b, H), row(l.g, b, GH), row(l.q, b, H));
    product(B, H, H, l.q, l.pU2, l.qU); //                                  (r_t ⊙ h_{t-1}) U_h   [B, H]
    for (let b = 0; b < B; b++) gruBeforeCandidate(H, φ, xWRow(m, l, b, GH, fromTable), row(l.qU, b, H), row(l.h, b, H), row(l.g, b, GH), row(l.hNew, b, H));
  }
  for (let b = 0; b < B; b++) {
    if (masked(m, b)) continue; //                                          s_t = s_{t-1} on a masked row
    copy(row(l.h, b, H), row(l.hNew, b, H), H); //                          s_t = s'_t
    if (kind == LSTM) copy(row(l.c, b, H), row(l.cNew, b, H), H);
  }
}

/** Row b of x_t W + b: the precomputed table's row of its id, or the product's row. */
@inline
function xWRow(m: Model, l: Layer, b: i32, GH: i32, fromTable: bool): usize {
  return fromTable ? row(m.EW, load<i32>(m.ids + (<usize>b << 2)), GH) : row(l.xW, b, GH);
}
