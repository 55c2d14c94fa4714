/**
 * Householder reflections of one panel, and their block form (compact WY),
 * in float64. A panel is b columns of mk ≥ b rows, column-major: P(r, j) at
 * j·mk + r.
 *
 *   P = H_0 H_1 … H_{b−1} R,    H_j = I − τ_j v_j v_jᵀ,
 *   H_0 H_1 … H_{b−1} = I − V T Vᵀ    (V = [v_0 … v_{b−1}], T upper triangular)
 *
 * (Golub & Van Loan, Matrix Computations, 4th ed., §5.1–5.2; LAPACK's dgeqr2
 * and dlarft.)
 */

/**
 * Factors the panel P in place. On return P(j, j) = R_jj, R above the
 * diagonal, and below it v_j: v_j(r) = P(r, j) for r > j, v_j(j) = 1, zero
 * above. `tau[j]` = τ_j.
 *
 * Each v_j is rounded to float32 before it is used and τ_j = 2 / v_jᵀv_j is
 * computed from the rounded vector, so every H_j is orthogonal to float64
 * precision for the vector the float32 products use later (rounding v after
 * τ would make each H_j off by float32's ε).
 */
export function factorPanel(P: Float64Array, mk: number, b: number, tau: Float64Array): void {
  for (let j = 0; j < b; j++) {
    const cj = j * mk;
    let norm = 0;
    for (let r = j; r < mk; r++) norm += P[cj + r] * P[cj + r];
    norm = Math.sqrt(norm); //                                                ‖x‖, x = P(j:, j)
    if (norm === 0) {
      tau[j] = 0; //                                                          H_j = I (a column of zeros; R_jj = 0)
      continue;
    }
    const x0 = P[cj + j];
    const alpha = x0 > 0 ? -norm : norm; //                                   R_jj = α = −sign(x_0) ‖x‖ (no cancellation in x_0 − α)
    const v0 = x0 - alpha;
    let vv = 1;
    for (let r = j + 1; r < mk; r++) {
      const v = Math.fround(P[cj + r] / v0); //                               v = (x − α e_0) / (x_0 − α), so v(0) = 1
      P[cj + r] = v;
      vv += v * v;
    }
    const t = 2 / vv; //                                                      τ = 2 / vᵀv
    tau[j] = t;
    P[cj + j] = alpha;
    let c = j + 1;
    for (; c + 1 < b; c += 2) reflectPair(P, mk, j, t, c * mk, (c + 1) * mk); // two columns a pass: v is read once for both
    if (c < b) reflectPair(P, mk, j, t, c * mk, -1);
  }
}

/**
 * P(j:, c) ← H_j P(j:, c) for the columns starting at c1 and c2 (none when c2 < 0):
 *   s = τ vᵀ P(j:, c),  P(j:, c) −= s v
 */
function reflectPair(P: Float64Array, mk: number, j: number, t: number, c1: number, c2: number): void {
  const cj = j * mk;
  if (c2 < 0) {
    let s = P[c1 + j];
    for (let r = j + 1; r < mk; r++) s += P[cj + r] * P[c1 + r];
    s *= t;
    P[c1 + j] -= s;
    for (let r = j + 1; r < mk; r++) P[c1 + r] -= s * P[cj + r];
    return;
  }
  let s1 = P[c1 + j];
  let s2 = P[c2 + j];
  for (let r = j + 1; r < mk; r++) {
    const v = P[cj + r];
    s1 += v * P[c1 + r];
    s2 += v * P[c2 + r];
  }
  s1 *= t;
  s2 *= t;
  P[c1 + j] -= s1;
  P[c2 + j] -= s2;
  for (let r = j + 1; r < mk; r++) {
    const v = P[cj + r];
    P[c1 + r] -= s1 * v;
    P[c2 + r] -= s2 * v;
  }
}

/**
 * T (b × b, upper triangular, row-major) of the factored panel P, so that
 * H_0 … H_{b−1} = I − V T Vᵀ, column by column (dlarft, forward):
 *
 *   T_jj = τ_j,   T[0:j, j] = −τ_j T[0:j, 0:j] (V[:, 0:j]ᵀ v_j)
 */
export function blockReflector(P: Float64Array, mk: number, b: number, tau: Float64Array): Float64Array {
  const T = new Float64Array(b * b);
  const y = new Float64Array(b);
  for (let j = 0; j < b; j++) {
    const cj = j * mk;
    let i = 0;
    for (; i + 1 < j; i += 2) {
      const ci = i * mk;
      const ci2 = ci + mk;
      let s = P[ci + j]; //                                                   v_iᵀ v_j: v_j is 0 above row j, 1 at it
      let s2 = P[ci2 + j];
      for (let r = j + 1; r < mk; r++) {
        const v = P[cj + r];
        s += P[ci + r] * v;
        s2 += P[ci2 + r] * v;
      }
      y[i] = s;
      y[i + 1] = s2;
    }
    if (i < j) {
      const ci = i * mk;
      let s = P[ci + j];
      for (let r = j + 1; r < mk; r++) s += P[ci + r] * P[cj + r];
      y[i] = s;
    }
    for (let i = 0; i < j; i++) {
      let s = 0;
      for (let l = i; l < j; l++) s += T[i * b + l] * y[l];
      T[i * b + j] = -tau[j] * s;
    }
    T[j * b + j] = tau[j];
  }
  return T;
}
