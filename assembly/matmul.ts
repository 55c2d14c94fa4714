/**
 * The matrix product every kernel is built on, register-blocked with SIMD:
 *
 *   C[M, N] (+)= A[M, K] · B[K, N]        row-major float32
 *
 * B is first packed into panels of 8 columns (panel p, row k holds
 * B[k, 8p .. 8p+7], zeros past N), so the inner loop reads it in order. A is
 * read through two strides, so Aᵀ needs no copy: A(i, k) is at
 * a + 4 (i·sai + k·sak). A tile of 4 rows × 8 columns keeps its 8 accumulators,
 * 2 vectors of B and a broadcast of A in V8's 16 vector registers (a 6-row
 * tile spills, and runs at half the speed). A(i, k) is broadcast straight
 * from memory (v128.load32_splat, one load instead of a load and a shuffle).
 *
 * Built twice (assembly/asconfig.json): with relaxed SIMD, c + a·b is one
 * fused multiply-add (`madd`) where the processor has one; without it, a
 * multiply and an add. src/kernels/module.ts picks the build.
 */

import { madd } from './rows';
import { scratch } from './scratch';
import { SHARED_MIN, finishShare, helperFree, share } from './pool';

/** Columns in a panel of packed B. */
const NR = 8;
/** Rows of K in a block (see `gemm`). */
const KC = 256;
/** Rows of A in a group (see `gemmBlock`): a multiple of 4. */
const MC = 64;

/** Bytes of B [K, N] once packed. */
export function packedBytes(K: i32, N: i32): usize {
  return (<usize>K * <usize>((N + NR - 1) / NR) * NR) << 2;
}

/**
 * Packs B [K, N] into panels at `dst`. B(k, n) is at src + 4 (k·ldb + n), or
 * with `transposed` at src + 4 (n·ldb + k) (so Uᵀ packs straight from U).
 */
export function pack(src: usize, ldb: i32, K: i32, N: i32, dst: usize, transposed: bool): void {
  const panels = (N + NR - 1) / NR;
  let out = dst;
  for (let p = 0; p < panels; p++) {
    const n0 = p * NR;
    const full = n0 + NR <= N;
    for (let k = 0; k < K; k++) {
      if (full && !transposed) {
        const at = src + ((<usize>k * ldb + n0) << 2); //   a whole row of the panel: two vectors
        v128.store(out, v128.load(at));
        v128.store(out, v128.load(at, 16), 16);
      } else {
        for (let j = 0; j < NR; j++) {
          const n = n0 + j;
          let v: f32 = 0;
          if (n < N) v = load<f32>(src + ((transposed ? <usize>n * ldb + k : <usize>k * ldb + n) << 2));
          store<f32>(out + (<usize>j << 2), v);
        }
      }
      out += NR << 2;
    }
  }
}

/** Writes (or adds) the 8 floats v0, v1 to a row of C, of which n are real. */
@inline
function storeRow(c: usize, n: i32, accumulate: bool, v0: v128, v1: v128): void {
  if (n == NR) {
    if (accumulate) {
      v0 = f32x4.add(v0, v128.load(c));
      v1 = f32x4.add(v1, v128.load(c, 16));
    }
    v128.store(c, v0);
    v128.store(c, v1, 16);
    return;
  }
  const tail = scratch + 16; // (this thread's; rows.ts uses the first 16 bytes)
  v128.store(tail, v0);
  v128.store(tail, v1, 16);
  for (let j = 0; j < n; j++) {
    const at = c + (<usize>j << 2);
    const v = load<f32>(tail + (<usize>j << 2));
    store<f32>(at, accumulate ? load<f32>(at) + v : v);
  }
}

/**
 * C (+)= A · B with B packed by `pack`. A(i, k) at a + 4 (i·sai + k·sak);
 * C(i, n) at c + 4 (i·ldc + n). With `accumulate` the product is added to C.
 *
 * K is cut into blocks of KC rows, so that a block of every panel of B
 * (KC × 8 floats, 8 KB) stays in cache while all the rows of A pass over it:
 * for ∂U = H_inᵀ ∂(H_in U), K is B·T (3,200), and an unblocked panel of
 * LSTM(256)'s B is 100 KB, read again for every 4 rows of A.
 */
export function gemm(M: i32, N: i32, K: i32, a: usize, sai: i32, sak: i32, bp: usize, c: usize, ldc: i32, accumulate: bool): void {
  product(M, N, K, a, sai, sak, bp, <usize>K * (NR << 2), NR << 2, c, ldc, accumulate);
}

/**
 * `gemm` with B read where it is, row-major with rows `ldb` floats apart,
 * instead of packed: for the products whose B is a [B·T, G·H] array of every
 * step, used once (∂U, ∂W), where packing it would cost a pass over it. The
 * 8 columns of a panel are then 32 contiguous bytes of each row, so N must be
 * a multiple of 8 (else pack it and use `gemm`).
 */
export function gemmInPlace(M: i32, N: i32, K: i32, a: usize, sai: i32, sak: i32, b: usize, ldb: i32, c: usize, ldc: i32, accumulate: bool): void {
  product(M, N, K, a, sai, sak, b, NR << 2, <usize>ldb << 2, c, ldc, accumulate);
}

/**
 * y [N] = x [K] · B [K, N] for one row x, B packed by `pack`: `gemm` with
 * M = 1, the same sums in the same order (K in blocks of KC, each block summed
 * from zero and then added to the blocks before it), so the same bits. One
 * row is too few for `gemm`'s tiles: its 1-row tile keeps two accumulators,
 * and each fused multiply-add then waits for the one before it. Here four
 * panels run side by side (eight accumulators), which keeps the arithmetic
 * busy while B streams through. For the one-step products of text
 * generation (src/generation/), where the batch is often a single row.
 */
export function gemv(K: i32, N: i32, x: usize, bp: usize, y: usize): void {
  const panels = (N + NR - 1) / NR;
  const panelBytes = <usize>K * (NR << 2);
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    const b = bp + <usize>k0 * (NR << 2), a = x + (<usize>k0 << 2), add = k0 > 0;
    let p = 0;
    for (; p + 4 <= panels; p += 4) panels4(kc, a, b + <usize>p * panelBytes, panelBytes, y + (<usize>(p * NR) << 2), add);
    for (; p < panels; p++) tile1(kc, a, 4, b + <usize>p * panelBytes, NR << 2, y + (<usize>(p * NR) << 2), min(NR, N - p * NR), add);
  }
}

/** Four whole panels of `gemv` over one block of K: a the block's x, b the first panel's block. */
@inline
function panels4(K: i32, a: usize, b: usize, panelBytes: usize, y: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let pa = a, p0 = b, p1 = b + panelBytes, p2 = b + 2 * panelBytes, p3 = b + 3 * panelBytes;
  for (let k = 0; k < K; k++) {
    const v = v128.load32_splat(pa);
    c00 = madd(v, v128.load(p0), c00);
    c01 = madd(v, v128.load(p0, 16), c01);
    c10 = madd(v, v128.load(p1), c10);
    c11 = madd(v, v128.load(p1, 16), c11);
    c20 = madd(v, v128.load(p2), c20);
    c21 = madd(v, v128.load(p2, 16), c21);
    c30 = madd(v, v128.load(p3), c30);
    c31 = madd(v, v128.load(p3, 16), c31);
    pa += 4;
    p0 += NR << 2;
    p1 += NR << 2;
    p2 += NR << 2;
    p3 += NR << 2;
  }
  storeRow(y, NR, accumulate, c00, c01);
  storeRow(y + (NR << 2), NR, accumulate, c10, c11);
  storeRow(y + (2 * NR << 2), NR, accumulate, c20, c21);
  storeRow(y + (3 * NR << 2), NR, accumulate, c30, c31);
}

/** B's panels are `panelBytes` apart, and its rows `rowBytes` apart within a panel. */
function product(M: i32, N: i32, K: i32, a: usize, sai: i32, sak: i32, bp: usize, panelBytes: usize, rowBytes: usize, c: usize, ldc: i32, accumulate: bool): void {
  const panels = (N + NR - 1) / NR;
  if (panels >= 2 && <i64>M * N * K >= SHARED_MIN && helperFree()) {
    shared.M = M; shared.N = N; shared.K = K; shared.a = a; shared.sai = sai; shared.sak = sak; shared.bp = bp;
    shared.panelBytes = panelBytes; shared.rowBytes = rowBytes; shared.c = c; shared.ldc = ldc; shared.accumulate = accumulate;
    if (share(sharedPanels, panels / 2, panels)) {
      gemmPanels(M, N, K, a, sai, sak, bp, panelBytes, rowBytes, c, ldc, accumulate, 0, panels / 2); //  our half, while the helper thread does the other
      finishShare();
      return;
    }
  }
  gemmPanels(M, N, K, a, sai, sak, bp, panelBytes, rowBytes, c, ldc, accumulate, 0, panels);
}

/** A shared product's arguments, in the memory both threads read. */
@unmanaged
class Product {
  M: i32; N: i32; K: i32; a: usize; sai: i32; sak: i32; bp: usize; panelBytes: usize; rowBytes: usize; c: usize; ldc: i32; accumulate: bool;
}
const shared = changetype<Product>(memory.data(offsetof<Product>(), 16));

/** Panels p0 … p1 − 1 of the product `product` shared (the helper's half, or the rest taken back). */
function sharedPanels(p0: i32, p1: i32): void {
  const s = shared;
  gemmPanels(s.M, s.N, s.K, s.a, s.sai, s.sak, s.bp, s.panelBytes, s.rowBytes, s.c, s.ldc, s.accumulate, p0, p1);
}

/** The product on the panels p0 … p1 − 1 of B (the columns 8·p0 … 8·p1 − 1 of C). */
export function gemmPanels(M: i32, N: i32, K: i32, a: usize, sai: i32, sak: i32, bp: usize, panelBytes: usize, rowBytes: usize, c: usize, ldc: i32, accumulate: bool, p0: i32, p1: i32): void {
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    gemmBlock(M, N, kc, a + ((<usize>k0 * sak) << 2), sai, sak, bp + <usize>k0 * rowBytes, panelBytes, rowBytes, c, ldc, accumulate || k0 > 0, p0, p1);
  }
}

/**
 * One block of K: C (+)= A[:, k0 : k0 + K] · B[k0 : k0 + K, :] on panels p0 … p1 − 1.
 * Rows go in groups of MC: for each panel, every tile of the group, so that
 * the panel's block (K × 8 floats, at most 8 KB) is read from memory once per
 * group and then from cache, and the group's rows of A (at most 64 KB) stay
 * in cache across the panels. (Row by row instead, LSTM(256)'s per-step
 * product streamed all 1 MB of U once per 4 rows.)
 */
function gemmBlock(M: i32, N: i32, K: i32, a: usize, sai: i32, sak: i32, bp: usize, panelBytes: usize, rowBytes: usize, c: usize, ldc: i32, accumulate: bool, p0: i32, p1: i32): void {
  const si = <usize>sai << 2;
  const sk = <usize>sak << 2;
  const rowC = <usize>ldc << 2;
  for (let i0 = 0; i0 < M; i0 += MC) {
    const i1 = min(M, i0 + MC);
    for (let p = p0; p < p1; p++) {
      const n = min(NR, N - p * NR);
      const b = bp + <usize>p * panelBytes;
      const cp = c + (<usize>(p * NR) << 2);
      let i = i0;
      for (; i + 4 <= i1; i += 4) tile4(K, a + <usize>i * si, si, sk, b, rowBytes, cp + <usize>i * rowC, rowC, n, accumulate);
      for (; i < i1; i++) tile1(K, a + <usize>i * si, sk, b, rowBytes, cp + <usize>i * rowC, n, accumulate);
    }
  }
}

/** Rows i … i + 3 of C on one panel: a0 is A(i, 0), b the panel's first row, c C(i, 8p). */
@inline
function tile4(K: i32, a0: usize, si: usize, sk: usize, b: usize, rowBytes: usize, c: usize, rowC: usize, n: i32, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let pa = a0;
  let pb = b;
  for (let k = 0; k < K; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let x = v128.load32_splat(pa);
    c00 = madd(x, b0, c00);
    c01 = madd(x, b1, c01);
    x = v128.load32_splat(pa + si);
    c10 = madd(x, b0, c10);
    c11 = madd(x, b1, c11);
    x = v128.load32_splat(pa + 2 * si);
    c20 = madd(x, b0, c20);
    c21 = madd(x, b1, c21);
    x = v128.load32_splat(pa + 3 * si);
    c30 = madd(x, b0, c30);
    c31 = madd(x, b1, c31);
    pa += sk;
    pb += rowBytes;
  }
  storeRow(c, n, accumulate, c00, c01);
  storeRow(c + rowC, n, accumulate, c10, c11);
  storeRow(c + 2 * rowC, n, accumulate, c20, c21);
  storeRow(c + 3 * rowC, n, accumulate, c30, c31);
}

/** Row i of C on one panel (the rows left after the tiles of 4): the same sums, in the same order, as `tile4`'s. */
@inline
function tile1(K: i32, a0: usize, sk: usize, b: usize, rowBytes: usize, c: usize, n: i32, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let pa = a0;
  let pb = b;
  for (let k = 0; k < K; k++) {
    const x = v128.load32_splat(pa);
    c00 = madd(x, v128.load(pb), c00);
    c01 = madd(x, v128.load(pb, 16), c01);
    pa += sk;
    pb += rowBytes;
  }
  storeRow(c, n, accumulate, c00, c01);
}
