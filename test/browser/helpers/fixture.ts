/**
 * The model every browser test runs, Embedding → LSTM → Dense, with seeded
 * random weights (no two equal, so a swapped gate shows) and units ≠ input
 * size, and its independent reference: the forward pass written out in plain
 * JavaScript in float64, from Keras's equations (gate order i, f, c, o;
 * docs/equations.md#lstm). `MODEL_JS` is the same model built with the
 * package's API, as source text for a Node script or a page.
 */
import { rng } from '../../../src/sentiment/split';

/** The model's sizes, weights (in `model.getWeights()` order), a batch of ids and a regression target for `fit`. */
export interface Fixture {
  V: number; // vocabulary
  E: number; // embedding size
  H: number; // LSTM units
  K: number; // Dense units
  T: number; // steps
  B: number; // batch
  ids: number[][]; // [B, T]
  weights: { shape: number[]; values: number[] }[]; // E [V, E], W [E, 4H], U [H, 4H], b [4H], Wd [H, K], bd [K]
  target: number[][]; // [B, K]
}


/** The fixture of `seed`: weights uniform in (−0.6, 0.6), rounded to 6 decimals so JSON carries them exactly. */
export function makeFixture(seed = 20261208): Fixture {
  const r = rng(seed);
  const [V, E, H, K, T, B] = [11, 5, 7, 3, 6, 4];
  const values = (n: number) => Array.from({ length: n }, () => Math.round((r() - 0.5) * 1.2e6) / 1e6);
  const shapes = [[V, E], [E, 4 * H], [H, 4 * H], [4 * H], [H, K], [K]];
  return {
    V, E, H, K, T, B,
    ids: Array.from({ length: B }, () => Array.from({ length: T }, () => Math.floor(r() * V))),
    weights: shapes.map((shape) => ({ shape, values: values(shape.reduce((a, b) => a * b, 1)) })),
    target: Array.from({ length: B }, () => values(K)),
  };
}

const σ = (z: number) => 1 / (1 + Math.exp(-z));

/** The model's output [B, K], flattened row by row: the reference every path is compared with. */
export function referencePredict(f: Fixture): number[] {
  const { E, H, K } = f;
  const [emb, W, U, b, Wd, bd] = f.weights.map((w) => w.values);
  const out: number[] = [];
  for (const row of f.ids) {
    let h = new Array<number>(H).fill(0);
    let c = new Array<number>(H).fill(0);
    for (const id of row) {
      const x = emb.slice(id * E, (id + 1) * E); // x_t = E[id]
      const z = b.slice(); // z = x_t W + h_{t-1} U + b   [4H]
      for (let j = 0; j < 4 * H; j++) {
        for (let d = 0; d < E; d++) z[j] += x[d] * W[d * 4 * H + j];
        for (let k = 0; k < H; k++) z[j] += h[k] * U[k * 4 * H + j];
      }
      const i = z.slice(0, H).map(σ); // i_t = σ(z_i)
      const fg = z.slice(H, 2 * H).map(σ); // f_t = σ(z_f)
      const cTilde = z.slice(2 * H, 3 * H).map(Math.tanh); // c̃_t = tanh(z_c)
      const o = z.slice(3 * H, 4 * H).map(σ); // o_t = σ(z_o)
      c = c.map((cPrev, k) => fg[k] * cPrev + i[k] * cTilde[k]); // c_t = f_t ⊙ c_{t-1} + i_t ⊙ c̃_t
      h = c.map((ck, k) => o[k] * Math.tanh(ck)); // h_t = o_t ⊙ tanh(c_t)
    }
    for (let k = 0; k < K; k++) out.push(h.reduce((s, hk, j) => s + hk * Wd[j * K + k], bd[k])); // y = h_T Wd + bd
  }
  return out;
}

/** The largest |a_i − b_i| (Infinity when the lengths differ). */
export function maxAbsDiff(a: number[], b: number[]): number {
  if (a.length !== b.length) return Infinity;
  return a.reduce((m, ai, i) => Math.max(m, Math.abs(ai - b[i])), 0);
}

/**
 * Source text of `buildModel(api, f)`: the fixture's model made with the
 * package's API (`api` is what `tfjs-recurrent` exports), its weights set, and
 * compiled for `fit` (Adam, mean squared error). The same text runs in the
 * Node script and in the pages, so they build one model.
 */
export const MODEL_JS = `
function buildModel(api, f) {
  const { tf, Sequential, Embedding, LSTM, Dense } = api;
  const model = new Sequential({
    layers: [new Embedding({ inputDim: f.V, outputDim: f.E, inputLength: f.T }), new LSTM({ units: f.H }), new Dense({ units: f.K })],
  });
  const weights = f.weights.map((w) => tf.tensor(w.values, w.shape));
  model.setWeights(weights);
  tf.dispose(weights);
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  return model;
}
`;
