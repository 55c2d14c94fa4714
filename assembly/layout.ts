/**
 * Where a sequence call's data lives: its arguments (`call`, read by both
 * threads), what each step keeps in the cache for its backward step, and the
 * work area's layout. sequence.ts runs the loop over these.
 */
import { packedBytes } from './matmul';
import { GRU_AFTER, GRU_BEFORE, LSTM, SIMPLE } from './codes';

export function gatesOf(kind: i32): i32 {
  return kind == SIMPLE ? 1 : kind == LSTM ? 4 : 3;
}

/**
 * What one step keeps for its backward step (its slot of the cache), in
 * [B, H] blocks: h_{t-1}, then SimpleRNN h_t; LSTM c_{t-1}, [i, f, c̃, o],
 * φ(c_t); GRU [z, r, h̃] and, with resetAfter, h_{t-1} U_h + b_rh. The
 * gates are one [B, G·H] array over G blocks. Where each begins:
 */
export const PREV_H = 0; //    h_{t-1}
export const OUT_H = 1; //     SimpleRNN: h_t
export const PREV_C = 1; //    LSTM: c_{t-1}
export const LSTM_GATES = 2; // LSTM: [i, f, c̃, o]
export const PHI_C = 6; //     LSTM: φ(c_t)
export const GRU_GATES = 1; // GRU: [z, r, h̃]
export const A_H = 4; //       GRU resetAfter: h_{t-1} U_h + b_rh

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
export let pU: usize = 0, pU2: usize = 0, pW: usize = 0, xW: usize = 0, dxW: usize = 0;
export let h: usize = 0, c: usize = 0, hIn: usize = 0, hNew: usize = 0, cNew: usize = 0, P: usize = 0, q: usize = 0, qU: usize = 0;
export let dh: usize = 0, dc: usize = 0, dhU: usize = 0, dq: usize = 0, hInAll: usize = 0, rhAll: usize = 0, dHUAll: usize = 0, dHUPacked: usize = 0;

export function layoutForward(kind: i32, B: i32, T: i32, H: i32, D: i32, base: usize, projected: usize = 0): usize {
  const GH = gatesOf(kind) * H, BH = <usize>(B * H) << 2;
  end = base;
  pW = take(packedBytes(D, GH)); //       W, packed
  xW = take(<usize>(B * T * GH) << 2); // X W + b   [B, T, G·H]
  if (projected) xW = projected; //       (PROJECTED: the caller's)
  if (kind == GRU_BEFORE) {
    pU = take(packedBytes(H, 2 * H)); //   U_zr, packed
    pU2 = take(packedBytes(H, H)); //      U_h, packed
  } else pU = take(packedBytes(H, GH));
  h = take(BH); c = take(BH); hIn = take(BH); hNew = take(BH); cNew = take(BH); q = take(BH); qU = take(BH);
  P = take(<usize>(B * GH) << 2);
  return end - base;
}

export function layoutBackward(kind: i32, B: i32, T: i32, H: i32, D: i32, base: usize, dxWOut: usize = 0): usize {
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

/**
 * A call's arguments, where both threads read them: `forward` and `backward`
 * write them here and hand half of the batch's rows to the helper thread
 * (sequence.ts, `byRows`).
 */
@unmanaged
export class Call {
  kind: i32; B: i32; T: i32; H: i32; D: i32; flags: i32; φ: i32; σ: i32;
  X: usize; W: usize; bIn: usize; U: usize; bR: usize; mask: usize; rdm: usize; cache: usize; work: usize;
  h0: usize; c0: usize; out: usize; hT: usize; cT: usize; //          forward
  dOut: usize; dHT: usize; dCT: usize; dX: usize; dH0: usize; dC0: usize; // backward
}
export const call = changetype<Call>(memory.data(offsetof<Call>(), 16));

export function setCall(kind: i32, B: i32, T: i32, H: i32, D: i32, flags: i32, φ: i32, σ: i32, X: usize, W: usize, U: usize, mask: usize, rdm: usize, cache: usize, work: usize): void {
  call.kind = kind; call.B = B; call.T = T; call.H = H; call.D = D; call.flags = flags; call.φ = φ; call.σ = σ;
  call.X = X; call.W = W; call.U = U; call.mask = mask; call.rdm = rdm; call.cache = cache; call.work = work;
}
