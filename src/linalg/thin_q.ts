/**
 * Q of the thin QR decomposition A = Q R (A: [m, n], m ≥ n, Q: [m, n]) with
 * diag(R) > 0, by blocked Householder reflections (Golub & Van Loan, Matrix
 * Computations, 4th ed., §5.2.3; LAPACK's dgeqrf and dorgqr):
 *
 *   for each panel of nb columns at k:
 *     A[k:, k:k+nb] = (I − V T Vᵀ) R_panel        float64, in householder.ts
 *     A[k:, k+nb:] ← (I − V Tᵀ Vᵀ) A[k:, k+nb:]   three products (below)
 *   Q = H_0 … H_{n−1} · E · D,  E = I[:, 0:n],  D = diag(sign R_jj),
 *     one panel at a time from the last:  Q[k:, k:] ← (I − V T Vᵀ) Q[k:, k:]
 *
 * A is kept transposed (Aᵀ: [n, m], row-major), so that a panel's columns,
 * and the rows every product reads and writes, are contiguous; Qᵀ then takes
 * its place, a panel at a time, as in dorgqr (one [n, m] array in all). Each
 * block update C ← C − V (S (Vᵀ C)), S = T or Tᵀ, is then
 *
 *   Wᵀ = Cᵀ V  [nt, nb],   Zᵀ = Wᵀ (−Sᵀ)  [nt, nb],   Cᵀ += Zᵀ Vᵀ  [nt, m − k]
 *
 * so that the big products, 4mn² − 4n³/3 flops in all, run in float32 in the
 * kernels' gemm (ProductSpace), and only the panels (about 3·m·n·nb flops) in
 * float64 JavaScript. Householder's Q is orthogonal to float32's ε whatever
 * A's condition (a Gram–Schmidt or Cholesky Q loses orthogonality as κ(A) or
 * κ(A)² grows, and a square normal matrix has κ about n).
 */
import { blockReflector, factorPanel } from './householder';
import { jsSpace, kernelSpace, type ProductSpace } from './space';
import { transposeInto } from './transpose';

/** Columns in a panel: wide enough for the products to run at the gemm's speed, narrow enough for the float64 panels to stay cheap. */
export const PANEL = 32;

/** Where the products run: in the kernels' gemm when they are built ('kernels'), or in JavaScript. */
export type QrPath = 'kernels' | 'js';

const up8 = (x: number) => Math.ceil(x / 8) * 8;

/** Offsets (in floats) of the matrices in the space. */
interface Layout {
  /** Aᵀ [n, m]: the reflectors below R's diagonal once factored, then Qᵀ. */
  At: number;
  /** One panel's reflectors as rows [b, m − k]: v_j(r) at j·(m − k) + r (0 for r < j, 1 at r = j). */
  Vt: number;
  /** Wᵀ, Zᵀ [n, b]. */
  Wt: number;
  Zt: number;
  /** −T [b, b], row-major. */
  T: number;
}

/**
 * Qᵀ [n, m] (row-major) of A = Q R with diag(R) > 0, for A [m, n] row-major,
 * m ≥ n. (Where R_jj = 0, which a random A never has, column j keeps the sign
 * its reflections give.) `path` picks where the products run; the kernels fall
 * back to JavaScript where they are not built or their memory cannot hold A.
 */
export function thinQt(a: Float32Array, m: number, n: number, path: QrPath = 'kernels', nb = PANEL): Float32Array {
  if (m < n) throw new Error(`thinQt: A must have at least as many rows as columns, got [${m}, ${n}]`);
  const w = Math.max(1, Math.min(nb, n));
  const mn = m * n;
  const at: Layout = { At: 0, Vt: mn, Wt: mn + m * w, Zt: mn + m * w + n * w, T: mn + m * w + 2 * n * w };
  const floats = at.T + w * w;
  const s = (path === 'kernels' ? kernelSpace(floats, Math.max(m * up8(w), w * up8(m))) : null) ?? jsSpace(floats);
  const f = s.f;
  transposeInto(a, m, n, f, at.At); //                                        Aᵀ

  const panels: Array<{ k: number; b: number; T: Float64Array }> = [];
  const sign = new Float64Array(n);
  for (let k = 0; k < n; k += w) {
    const b = Math.min(w, n - k);
    const mk = m - k;
    const P = new Float64Array(mk * b); //                                   A[k:, k:k+b], column-major: rows of Aᵀ
    for (let j = 0; j < b; j++) P.set(f.subarray(at.At + (k + j) * m + k, at.At + (k + j + 1) * m), j * mk);
    const tau = new Float64Array(b);
    factorPanel(P, mk, b, tau);
    const T = blockReflector(P, mk, b, tau);
    panels.push({ k, b, T });
    for (let j = 0; j < b; j++) {
      sign[k + j] = P[j * mk + j] < 0 ? -1 : 1;
      f.set(P.subarray(j * mk, (j + 1) * mk), at.At + (k + j) * m + k); //   R above the diagonal, V below
    }
    if (k + b < n) {
      loadReflectors(f, at, m, k, b);
      blockUpdate(s, at, m, n, k, b, k + b, T, true); //                       A[k:, k+b:] ← (I − V Tᵀ Vᵀ) A[k:, k+b:]
    }
  }

  // Q = H_k … H_{n−1} E D, from the last panel back: its columns k: have zeros above row k, so R's rows there go.
  for (const { k, b } of panels) for (let j = k; j < k + b; j++) f.fill(0, at.At + j * m, at.At + j * m + k);
  for (let p = panels.length - 1; p >= 0; p--) {
    const { k, b, T } = panels[p];
    loadReflectors(f, at, m, k, b);
    for (let j = k; j < k + b; j++) {
      f.fill(0, at.At + j * m + k, at.At + (j + 1) * m); //                    Q[:, j] = sign(R_jj) e_j
      f[at.At + j * m + j] = sign[j];
    }
    blockUpdate(s, at, m, n, k, b, k, T, false); //                             Q[k:, k:] ← (I − V T Vᵀ) Q[k:, k:]
  }
  return f.slice(at.At, at.At + mn);
}

/** The reflectors of the panel at k (stored below the diagonal of A[k:, k:k+b]) as rows of Vt [b, m − k]. */
function loadReflectors(f: Float32Array, at: Layout, m: number, k: number, b: number): void {
  const mk = m - k;
  for (let j = 0; j < b; j++) {
    const row = at.Vt + j * mk; //                                            v_j = (0 … 0, 1, A[k+j+1:, k+j])
    f.fill(0, row, row + j);
    f[row + j] = 1;
    f.set(f.subarray(at.At + (k + j) * m + k + j + 1, at.At + (k + j + 1) * m), row + j + 1);
  }
}

/**
 * C ← (I − V S Vᵀ) C for C = X[k:, c0:], X the matrix stored transposed at
 * `At` ([n, m], so Cᵀ is its rows c0: from column k); V the reflectors in Vt
 * (`loadReflectors`); S = Tᵀ when `transposed`, else T.
 */
function blockUpdate(s: ProductSpace, at: Layout, m: number, n: number, k: number, b: number, c0: number, T: Float64Array, transposed: boolean): void {
  const f = s.f;
  const mk = m - k;
  const nt = n - c0;
  for (let i = 0; i < b * b; i++) f[at.T + i] = -T[i]; //                     −T [b, b]
  const Ct = at.At + c0 * m + k; //                                           Cᵀ(i, r) at Ct + i·m + r
  s.product(nt, b, mk, { at: Ct, si: m, sk: 1 }, at.Vt, mk, true, at.Wt, b, false); //         Wᵀ = Cᵀ V         [nt, b]
  s.product(nt, b, b, { at: at.Wt, si: b, sk: 1 }, at.T, b, !transposed, at.Zt, b, false); //  Zᵀ = Wᵀ (−Sᵀ)     [nt, b]
  s.product(nt, mk, b, { at: at.Zt, si: b, sk: 1 }, at.Vt, mk, false, Ct, m, true); //           Cᵀ += Zᵀ Vᵀ       [nt, mk]
}
