/**
 * A text model's steps in plain JavaScript, where the kernels are not built:
 * the same equations as assembly/generate.ts (docs/equations.md), each sum
 * in float64 and each result stored as float32. About ten times slower than
 * the kernels; the numbers agree with `predict` to float32 rounding.
 */
import type { RecurrentStepSpec, TextModelSpec } from './text_model';
import type { StepRunner } from './kernel_steps';

type Act = (z: number) => number;

const ACTS: Record<string, Act> = {
  linear: (z) => z,
  tanh: Math.tanh,
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  relu: (z) => (z > 0 ? z : 0),
  hard_sigmoid: (z) => Math.min(1, Math.max(0, z / 6 + 0.5)),
};

/** y [N] (+)= x [K] · W [K, N], W row-major. */
function product(x: Float32Array, W: Float32Array, K: number, N: number, y: Float32Array | Float64Array): void {
  for (let k = 0; k < K; k++) {
    const xk = x[k];
    if (xk === 0) continue;
    const row = k * N;
    for (let n = 0; n < N; n++) y[n] += xk * W[row + n];
  }
}

export class HostSteps implements StepRunner {
  private B = 0;
  private h: Float32Array[] = [];
  private c: Float32Array[] = [];

  constructor(private readonly spec: TextModelSpec, batchSize: number) {
    this.reset(batchSize);
  }

  get batchSize(): number {
    return this.B;
  }

  reset(batchSize: number): void {
    this.B = batchSize;
    this.h = this.spec.layers.map((l) => new Float32Array(batchSize * l.H));
    this.c = this.spec.layers.map((l) => new Float32Array(l.kind === 'lstm' ? batchSize * l.H : 0));
  }

  step(ids: Int32Array): Float32Array {
    const { spec, B } = this;
    const { K, N, W, b } = spec.dense;
    const out = new Float32Array(B * N);
    for (let r = 0; r < B; r++) {
      const masked = spec.maskZero && ids[r] === 0;
      let x = spec.E.subarray(ids[r] * spec.F, (ids[r] + 1) * spec.F); //         x_t = E[id_t]
      spec.layers.forEach((l, i) => {
        const h = this.h[i].subarray(r * l.H, (r + 1) * l.H);
        const c = this.c[i].subarray(r * l.H, (r + 1) * l.H);
        const [hNew, cNew] = cellStep(l, x, h, c);
        if (!masked) {
          h.set(hNew); //                                                           s_t = s'_t (a masked row keeps s_{t-1})
          if (l.kind === 'lstm') c.set(cNew);
        }
        x = h;
      });
      const y = new Float64Array(N);
      if (b) y.set(b);
      product(x, W, K, N, y); //                                                    y_t = h_t W_d + b_d
      out.set(y, r * N);
    }
    return out;
  }

  states(): Float32Array[][] {
    return this.spec.layers.map((l, i) => (l.kind === 'lstm' ? [this.h[i].slice(), this.c[i].slice()] : [this.h[i].slice()]));
  }

  dispose(): void {
    this.h = [];
    this.c = [];
  }
}

/** One cell step on one row: [h_t, c_t] (c_t empty but for LSTM). docs/equations.md */
function cellStep(l: RecurrentStepSpec, x: Float32Array, h: Float32Array, c: Float32Array): [Float32Array, Float32Array] {
  const { H, G } = l;
  const GH = G * H;
  const φ = ACTS[l.activation], σ = ACTS[l.recurrentActivation];
  const xW = new Float32Array(GH);
  if (l.b) xW.set(l.b);
  const xw64 = Float64Array.from(xW);
  product(x, l.W, l.D, GH, xw64); //                                                x_t W + b
  xW.set(xw64);
  const hU = new Float64Array(GH);
  const hNew = new Float32Array(H), cNew = new Float32Array(l.kind === 'lstm' ? H : 0);
  if (l.kind === 'simpleRNN') {
    product(h, l.U, H, H, hU);
    for (let j = 0; j < H; j++) hNew[j] = φ(xW[j] + hU[j]); //                      h_t = φ(x_t W + b + h_{t-1} U)
  } else if (l.kind === 'lstm') {
    product(h, l.U, H, GH, hU);
    for (let j = 0; j < H; j++) {
      const i = σ(xW[j] + hU[j]), f = σ(xW[H + j] + hU[H + j]); //                  i_t, f_t
      const cT = φ(xW[2 * H + j] + hU[2 * H + j]), o = σ(xW[3 * H + j] + hU[3 * H + j]); // c̃_t, o_t
      cNew[j] = f * c[j] + i * cT; //                                                c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t
      hNew[j] = o * φ(cNew[j]); //                                                   h_t = o_t ⊙ φ(c_t)
    }
  } else if (l.kind === 'gruResetAfter') {
    product(h, l.U, H, GH, hU);
    if (l.bR) for (let j = 0; j < GH; j++) hU[j] += l.bR[j]; //                      h_{t-1} U + b_r
    for (let j = 0; j < H; j++) {
      const z = σ(xW[j] + hU[j]), r = σ(xW[H + j] + hU[H + j]); //                  z_t, r_t
      const hT = φ(xW[2 * H + j] + r * hU[2 * H + j]); //                            h̃_t = φ(x_t W_h + b_ih + r_t ⊙ (h_{t-1} U_h + b_rh))
      hNew[j] = z * h[j] + (1 - z) * hT; //                                          h_t = z_t ⊙ h_{t-1} + (1 − z_t) ⊙ h̃_t
    }
  } else {
    const Uzr = new Float32Array(H * 2 * H), Uh = new Float32Array(H * H);
    for (let k = 0; k < H; k++) {
      Uzr.set(l.U.subarray(k * GH, k * GH + 2 * H), k * 2 * H);
      Uh.set(l.U.subarray(k * GH + 2 * H, (k + 1) * GH), k * H);
    }
    product(h, Uzr, H, 2 * H, hU);
    const z = new Float64Array(H), q = new Float32Array(H), qU = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      z[j] = σ(xW[j] + hU[j]); //                                                    z_t
      q[j] = σ(xW[H + j] + hU[H + j]) * h[j]; //                                     r_t ⊙ h_{t-1}
    }
    product(q, Uh, H, H, qU);
    for (let j = 0; j < H; j++) {
      const hT = φ(xW[2 * H + j] + qU[j]); //                                        h̃_t = φ(x_t W_h + (r_t ⊙ h_{t-1}) U_h + b_h)
      hNew[j] = z[j] * h[j] + (1 - z[j]) * hT;
    }
  }
  return [hNew, cNew];
}
