"""Fits the rational tanh of the kernels (assembly/activations.ts):

    tanh(x) ≈ x P(x²) / Q(x²)   on [−9, 9],   P of degree 6, Q of degree 3, Q(0) = 1

(beyond ±9, tanh rounds to ±1 in float32). Near-minimax in relative error:
linearised least squares (P − f Q = 0, weighted by 1 / Q of the previous
pass) with Lawson's reweighting by the error. Prints the coefficients as
float32s, and the error of the float32 evaluation (Horner, then x·P / Q)
against float64's tanh, and of σ(z) = tanh(z / 2) / 2 + 1/2 from it.

    python3 scripts/fit_tanh.py

Needs numpy. Deterministic; the printed coefficients are those in the kernels.
"""
import numpy as np

C, NP, NQ = 9.0, 6, 3


def fit():
    x = np.concatenate([np.linspace(1e-4, 1, 5000), np.linspace(1, C, 20000)])
    s, f = x * x, np.tanh(x) / x
    q_prev, w = np.ones_like(x), np.ones_like(x)
    best = None
    for it in range(200):
        A = np.hstack([s[:, None] ** np.arange(NP + 1), -(f[:, None] * s[:, None] ** np.arange(1, NQ + 1))])
        W = w / (np.abs(q_prev) * f)
        scale = np.abs(A * W[:, None]).max(axis=0)  # columns of like size, for the solver
        sol = np.linalg.lstsq(A * W[:, None] / scale, f * W, rcond=None)[0] / scale
        p, q = sol[:NP + 1], np.concatenate([[1.0], sol[NP + 1:]])
        Q = np.polyval(q[::-1], s)
        err = (np.polyval(p[::-1], s) / Q - f) / f
        if Q.min() > 0 and (best is None or np.abs(err).max() < best[0]):
            best = (np.abs(err).max(), p, q)
        q_prev = Q
        if it >= 5:
            w = np.maximum(w * np.abs(err) ** 0.3 / (w * np.abs(err) ** 0.3).max(), 1e-6)
    return best


def horner(coeffs, s):
    acc = np.full_like(s, coeffs[-1])
    for c in coeffs[-2::-1]:
        acc = acc * s + c
    return acc


def tanh32(z, p, q):
    x = np.clip(z, np.float32(-C), np.float32(C))
    s = x * x
    return np.clip(x * horner(p, s) / horner(q, s), np.float32(-1), np.float32(1))


def main():
    err, p, q = fit()
    p32, q32 = np.float32(p), np.float32(q)
    print(f'relative error of the fit (float64): {err:.2e}')
    print('P:', ', '.join(repr(float(v)) for v in p32))
    print('Q:', ', '.join(repr(float(v)) for v in q32))
    z = np.float32(np.concatenate([np.linspace(-20, 20, 400001), np.logspace(-8, 1, 4000), -np.logspace(-8, 1, 4000)]))
    ref = np.tanh(z.astype(np.float64))
    t = tanh32(z, p32, q32)
    print(f'tanh in float32: max abs error {np.abs(t - ref).max():.2e}, max rel error {(np.abs(t - ref) / np.maximum(np.abs(ref), 1e-30)).max():.2e}')
    half = np.float32(0.5)
    sig = tanh32(z * half, p32, q32) * half + half
    ref = 1 / (1 + np.exp(-z.astype(np.float64)))
    print(f'sigmoid in float32: max abs error {np.abs(sig - ref).max():.2e}, min {sig.min()}, max {sig.max()}')


if __name__ == '__main__':
    main()
