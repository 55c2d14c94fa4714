/**
 * test/fixtures/training.json (written by test/reference/make_training.py
 * from real Keras 3) and the models it describes, rebuilt from our layers
 * with the fixture's weights.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../../src/tf';
import { Sequential, LSTM, GRU, Dense } from '../../src';

type Nested = number | Nested[];

/** A model as the fixture describes it: the input [T, D] (or [D]) and the layers in order. */
export interface ModelSpec {
  input: number[];
  layers: Array<{ class: 'LSTM' | 'GRU' | 'Dense'; units: number; returnSequences?: boolean; activation?: string }>;
}

export interface TrainingFixture {
  reference: string;
  evaluate: Array<{
    name: string; model: ModelSpec; weights: Nested[][]; loss: string; metrics: string[]; x: Nested; y: Nested; sampleWeight: Nested;
    loss4: number; loss3: number; unweightedLoss: number; weightedMetric: number; perSampleWeight?: number[]; perSampleLoss?: number; [metric: string]: unknown;
  }>;
  fit: Array<{
    name: string; model: ModelSpec; weights: Nested[][]; loss: string; metrics: string[]; optimizer: { class: 'SGD'; learningRate: number };
    x: Nested; y: Nested; sampleWeight?: Nested; classWeight?: Record<string, number>; validation?: [Nested, Nested, Nested];
    fitArgs?: { batchSize: number; epochs: number; validationSplit?: number }; history?: Record<string, number[]>; trainOnBatch?: number; after: Nested[][];
  }>;
  optimizers: Array<{
    name: string; class: 'Nadam' | 'AdamW'; args: { learningRate?: number; weightDecay?: number; beta1?: number; beta2?: number; epsilon?: number };
    kerasConfig: Record<string, number | null>; theta: Nested[]; gradients: Nested[][]; steps: Nested[][];
  }>;
  namedOptimizers: Array<{ optimizer: 'nadam' | 'adamw'; model: ModelSpec; weights: Nested[][]; x: Nested; y: Nested; loss: number[]; after: Nested[][] }>;
  auc: Array<{
    name: string; yTrue: Nested; yPred: Nested; auc: number; chunks?: number[]; aucInChunks?: number;
    settings?: Array<{ args: Record<string, unknown>; auc: number; yPred?: Nested }>;
  }>;
  aucModel: {
    model: ModelSpec; weights: Nested[][]; x: Nested; y: Nested; evaluateBatchSize: number; evaluate: { auc: number; loss: number }; aucOfPredictions: number;
    fit: { train: number; batchSize: number; epochs: number; history: Record<string, number[]> }; after: Nested[][];
  };
}

export const TRAINING: TrainingFixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'training.json'), 'utf8'));

/** The fixture's model from our layers, with its weights (Keras's layout, which ours share). */
export function kerasModel(spec: ModelSpec, weights: Nested[][], name?: string): Sequential {
  const model = new Sequential({ name });
  spec.layers.forEach((l, i) => {
    const first = i === 0 ? { inputShape: spec.input } : {};
    if (l.class === 'Dense') model.add(new Dense({ units: l.units, activation: (l.activation ?? 'linear') as 'linear', ...first }));
    else if (l.class === 'LSTM') model.add(new LSTM({ units: l.units, returnSequences: l.returnSequences ?? false, ...first }));
    else model.add(new GRU({ units: l.units, returnSequences: l.returnSequences ?? false, ...first }));
  });
  model.layers.forEach((layer, i) => {
    const ws = weights[i].map((w) => tf.tensor(w as number[]));
    layer.setWeights(ws);
    tf.dispose(ws);
  });
  return model;
}

/** Each layer's weights as nested arrays. */
export function weightsOf(model: tf.LayersModel): Nested[][] {
  return model.layers.map((l) => l.getWeights().map((w) => w.arraySync() as Nested));
}

/** |a − b| ≤ atol + rtol |b|, element-wise over nested arrays, with the worst place in the message. */
export function expectNear(actual: Nested, expected: Nested, rtol = 1e-5, atol = 1e-6, what = 'value'): void {
  const flat = (v: Nested): number[] => (typeof v === 'number' ? [v] : v.flatMap(flat));
  const [a, e] = [flat(actual), flat(expected)];
  if (a.length !== e.length) throw new Error(`${what}: ${a.length} values, expected ${e.length}`);
  a.forEach((v, i) => {
    if (!(Math.abs(v - e[i]) <= atol + rtol * Math.abs(e[i]))) throw new Error(`${what}[${i}]: ${v}, expected ${e[i]} (Keras)`);
  });
}
