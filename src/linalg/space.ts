/**
 * Float32 matrices laid out in one array, and the product that updates them:
 *
 *   C[M, N] (+)= A[M, K] · B[K, N]
 *
 * in the kernels' packed SIMD gemm (assembly/matmul.ts, through the exports of
 * src/kernels/module.ts) where they are built, else in plain JavaScript. The
 * operands are addressed as the kernels address them, in floats from the
 * start of `f`: A(i, k) at a + i·sai + k·sak (so Aᵀ is read in place), B(k, n)
 * at b + k·ldb + n, or at b + n·ldb + k when `bT` (B stored transposed),
 * C(i, n) at c + i·ldc + n.
 */
import { Arena, KERNEL_MEMORY_BYTES, type KernelExports } from '../kernels/module';
import { linalgKernels } from '../placement';

/** Where a product's A is: A(i, k) at `at` + i·`si` + k·`sk`. */
export interface Strided {
  at: number;
  si: number;
  sk: number;
}

/** Matrices in one float32 array, and C (+)= A · B on them. */
export interface ProductSpace {
  /** Every matrix, addressed in floats from its start. */
  readonly f: Float32Array;
  /**
   * C[M, N] (+)= A · B: B(k, n) at b + k·ldb + n, or at b + n·ldb + k with `bT`;
   * with `accumulate` the product is added to C, else it replaces it.
   */
  product(M: number, N: number, K: number, a: Strided, b: number, ldb: number, bT: boolean, c: number, ldc: number, accumulate: boolean): void;
}

/**
 * A space of `floats` floats whose products run in the kernels, or null when
 * they are not built, do not load here, or their memory cannot hold it.
 * `packFloats` bounds K · (N rounded up to 8) of every product's B, which is
 * packed into panels of 8 columns before each product.
 */
export function kernelSpace(floats: number, packFloats: number): ProductSpace | null {
  const k = linalgKernels();
  if (!k) return null; // (the JavaScript space does the work, slower)
  const arena = new Arena(k);
  const base = arena.floats(floats);
  const packed = arena.floats(packFloats);
  if (arena.top > KERNEL_MEMORY_BYTES) return null;
  let view: Float32Array;
  try {
    view = arena.view('orthogonal');
  } catch {
    return null; // (the memory could not grow: likewise)
  }
  return new KernelSpace(k, view.subarray(base / 4, base / 4 + floats), base, packed);
}

class KernelSpace implements ProductSpace {
  constructor(
    private readonly k: KernelExports,
    readonly f: Float32Array,
    private readonly base: number,
    private readonly packed: number,
  ) {}

  product(M: number, N: number, K: number, a: Strided, b: number, ldb: number, bT: boolean, c: number, ldc: number, accumulate: boolean): void {
    if (M === 0 || N === 0) return;
    const at = (i: number) => this.base + 4 * i; //                           float index → byte address
    this.k.pack(at(b), ldb, K, N, this.packed, bT ? 1 : 0); //                  B in panels of 8 columns
    this.k.gemm(M, N, K, at(a.at), a.si, a.sk, this.packed, at(c), ldc, accumulate ? 1 : 0);
  }
}

/** A space of `floats` floats whose products run in plain JavaScript (sums in float64). */
export function jsSpace(floats: number): ProductSpace {
  return new JsSpace(new Float32Array(floats));
}

class JsSpace implements ProductSpace {
  constructor(readonly f: Float32Array) {}

  product(M: number, N: number, K: number, a: Strided, b: number, ldb: number, bT: boolean, c: number, ldc: number, accumulate: boolean): void {
    const f = this.f;
    const B = new Float64Array(K * N); //                                      B row-major, whatever its layout
    for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) B[k * N + n] = f[bT ? b + n * ldb + k : b + k * ldb + n];
    const row = new Float64Array(N);
    for (let i = 0; i < M; i++) {
      row.fill(0);
      for (let k = 0; k < K; k++) {
        const aik = f[a.at + i * a.si + k * a.sk]; //                           C(i, :) += A(i, k) B(k, :)
        if (aik === 0) continue;
        const bk = k * N;
        for (let n = 0; n < N; n++) row[n] += aik * B[bk + n];
      }
      const ci = c + i * ldc;
      for (let n = 0; n < N; n++) f[ci + n] = accumulate ? f[ci + n] + row[n] : row[n];
    }
  }
}
