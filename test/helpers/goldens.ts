/**
 * Reads test/fixtures/goldens.json (made by test/reference/make_goldens.py
 * with Keras 3 and cross-checked with PyTorch) and rebuilds each case's
 * layers with the reference weights.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../../src/tf';
import { SimpleRNN, LSTM, GRU, Bidirectional, Embedding, Dense, RecurrentLayer } from '../../src';

type Nested = number | Nested[];
export interface GoldenLayer {
  className: string;
  config: Record<string, unknown>;
  weights: Nested[];
}
export interface GoldenCall {
  x: Nested;
  initialState: Nested[] | null;
  outputs: Nested[];
  grads: null | { R: Nested; dx: Nested | null; dweights: Nested[][] };
}
export interface GoldenCase {
  name: string;
  description: string;
  layers: GoldenLayer[];
  inputs: GoldenCall[];
}

export const GOLDENS: { reference: string; cases: GoldenCase[] } = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'goldens.json'), 'utf8'),
);

function make(className: string, config: Record<string, unknown>, batch: number): tf.layers.Layer {
  const cfg = { ...config };
  if (cfg.stateful) cfg.batchSize = batch;
  switch (className) {
    case 'SimpleRNN': return new SimpleRNN(cfg as never);
    case 'LSTM': return new LSTM(cfg as never);
    case 'GRU': return new GRU(cfg as never);
    case 'Embedding': return new Embedding(cfg as never);
    case 'Dense': return new Dense(cfg as never);
    case 'Bidirectional': {
      const inner = cfg.layer as { className: string; config: Record<string, unknown> };
      return new Bidirectional({ ...(cfg as object), layer: make(inner.className, inner.config, batch) as RecurrentLayer } as never);
    }
    default: throw new Error(`unknown class ${className}`);
  }
}

/** The case's layers, built for `xShape` and holding the reference weights. */
export function buildCase(c: GoldenCase): tf.layers.Layer[] {
  const x0 = tf.tensor(c.inputs[0].x as number[]);
  let shape: Array<number | null> = x0.shape;
  x0.dispose();
  return c.layers.map((g) => {
    const layer = make(g.className, g.config, shape[0] as number);
    layer.build(shape);
    layer.setWeights(g.weights.map((w) => tf.tensor(w as number[])));
    const out = layer.computeOutputShape(shape);
    shape = (Array.isArray(out[0]) ? out[0] : out) as Array<number | null>;
    return layer;
  });
}

/** Runs the chain eagerly, passing each layer's mask to the next, as a model does. */
export function runCase(layers: tf.layers.Layer[], call: GoldenCall, x: tf.Tensor): tf.Tensor[] {
  let h: tf.Tensor | tf.Tensor[] = x;
  let mask: tf.Tensor | null = null;
  layers.forEach((layer, i) => {
    const kwargs: Record<string, unknown> = {};
    if (mask) kwargs.mask = mask;
    const isFirstRecurrent = layers.findIndex((l) => l instanceof RecurrentLayer || l instanceof Bidirectional) === i;
    if (call.initialState && isFirstRecurrent) kwargs.initialState = call.initialState.map((s) => tf.tensor(s as number[]));
    const input = Array.isArray(h) ? h[0] : h;
    const out = layer.apply(input, kwargs) as tf.Tensor | tf.Tensor[];
    const m = layer.supportsMasking ? layer.computeMask(input, mask ?? undefined) : null;
    mask = (Array.isArray(m) ? m[0] : m) ?? null;
    h = out;
  });
  return Array.isArray(h) ? h : [h];
}

export function isIdInput(c: GoldenCase): boolean {
  return c.layers[0].className === 'Embedding';
}
