/**
 * What a text generator reads of a trained model: its layers checked to be
 * Embedding → one or more recurrent layers (our SimpleRNN, LSTM, GRU, or an
 * RNN of our cells, a stack included) → Dense, with Dropout anywhere between
 * (the identity outside training), and their weights copied out once, as
 * host arrays, in the form the loop over time runs them
 * (src/layers/recurrence.ts): W, the bias added to x W, U, and GRU's
 * recurrent-side bias b_r.
 */
import { tf } from '../tf';
import { RecurrentConfigError } from '../errors';
import { Embedding } from '../layers/embedding';
import { EmbeddingBag } from '../layers/embedding_bag';
import { Dense } from '../layers/dense';
import { Dropout } from '../layers/dropout';
import { RNN } from '../layers/rnn_layer';
import { CellLayer } from '../layers/cell_layer';
import { StackedRNNCells } from '../layers/stacked_rnn_cells';
import type { KernelKind } from '../kernels/codes';

/** The activations a generator computes (the kernels' five). */
export const STEP_ACTIVATIONS = ['linear', 'tanh', 'sigmoid', 'relu', 'hard_sigmoid'] as const;

/** One recurrent cell's step, as the generator runs it. */
export interface RecurrentStepSpec {
  /** The layer's name (a stack's cell: the layer's and the cell's), for messages. */
  name: string;
  kind: KernelKind;
  /** Units H and input features D; G·H columns in W and U (G: 1, 4 or 3). */
  H: number;
  D: number;
  G: number;
  activation: string;
  recurrentActivation: string;
  /** W [D, G·H], U [H, G·H], row-major. */
  W: Float32Array;
  U: Float32Array;
  /** The bias added to x W [G·H] (GRU with resetAfter: its input-side row), or null. */
  b: Float32Array | null;
  /** GRU with resetAfter: the recurrent-side row b_r [3H]; else null. */
  bR: Float32Array | null;
}

/** A text model as a generator runs it. */
export interface TextModelSpec {
  /** The Embedding: V ids, F features, E [V, F]; maskZero: id 0 is padding (a step on it keeps every state). */
  V: number;
  F: number;
  E: Float32Array;
  maskZero: boolean;
  layers: RecurrentStepSpec[];
  /** The Dense: K inputs, N outputs, W [K, N], b [N] or null; softmax (probabilities) or linear (logits). */
  dense: { K: number; N: number; W: Float32Array; b: Float32Array | null; activation: 'softmax' | 'linear' };
}

const SHAPE = 'Embedding → one or more SimpleRNN, LSTM or GRU (returnSequences on all but possibly the last) → Dense (softmax or linear)';

/**
 * The model's layers read into a {@link TextModelSpec}; an error naming
 * `who`, the layer and what was expected where the model is not of that shape.
 */
export function readTextModel(model: tf.LayersModel, who: string): TextModelSpec {
  if (!(model instanceof tf.LayersModel)) throw new RecurrentConfigError(`${who}: model must be a model (Sequential or Functional) of ${SHAPE}, got ${describe(model)}`);
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  checkChain(model, layers, who);
  const bad = (l: tf.layers.Layer, expected: string) => {
    const [ns, name] = l.getClassName().includes('>') ? ['', l.getClassName().split('>').pop()] : [", tf.layers' own: build the model from tfjs-recurrent's layers", l.getClassName()];
    return new RecurrentConfigError(`${who}: model '${model.name}' must be ${SHAPE}; layer '${l.name}' (${name}${ns}) is not ${expected}`);
  };
  const kept = layers.filter((l) => !(l instanceof Dropout));
  const [first, ...rest] = kept;
  if (!first) throw new RecurrentConfigError(`${who}: model '${model.name}' has no layers; expected ${SHAPE}`);
  if (!(first instanceof Embedding) || first instanceof EmbeddingBag) throw bad(first, 'an Embedding (the first layer)');
  const last = rest[rest.length - 1];
  if (!(last instanceof Dense)) throw bad(last ?? first, 'a Dense (the last layer)');
  const recurrent = rest.slice(0, -1);
  if (recurrent.length === 0) throw new RecurrentConfigError(`${who}: model '${model.name}' must be ${SHAPE}; it has no recurrent layer between its Embedding and its Dense`);
  const steps: RecurrentStepSpec[] = [];
  recurrent.forEach((l, i) => {
    if (!(l instanceof RNN)) throw bad(l, 'a SimpleRNN, LSTM, GRU or RNN of our cells');
    if (l.goBackwards) throw new RecurrentConfigError(`${who}: layer '${l.name}' has goBackwards: true; a generator steps forward in time, one id after the other`);
    if (i < recurrent.length - 1 && !l.returnSequences) throw new RecurrentConfigError(`${who}: layer '${l.name}' needs returnSequences: true, as every recurrent layer but the last (it feeds the next one at every step)`);
    const cells = l.cell instanceof StackedRNNCells ? l.cell.cells : [l.cell];
    for (const c of cells) steps.push(readCell(l, c, who));
  });
  let D = first.outputDim;
  for (const s of steps) {
    if (s.D !== D) throw new RecurrentConfigError(`${who}: layer '${s.name}' takes ${s.D} features, its input has ${D}`);
    D = s.H;
  }
  const activation = last.activationName;
  if (activation !== 'softmax' && activation !== 'linear') {
    throw new RecurrentConfigError(`${who}: the Dense '${last.name}' has activation '${activation}'; a generator takes a softmax Dense (probabilities) or a linear one (logits)`);
  }
  const [E] = read(first);
  const [Wd, bd] = read(last);
  if (Wd.length !== D * last.units) throw new RecurrentConfigError(`${who}: the Dense '${last.name}' takes ${Wd.length / last.units} features, its input has ${D}`);
  return {
    V: first.inputDim, F: first.outputDim, E, maskZero: first.maskZero, layers: steps,
    dense: { K: D, N: last.units, W: Wd, b: bd ?? null, activation },
  };
}

/** A recurrent layer's (or a stack's) cell as a step. */
function readCell(layer: RNN, cell: unknown, who: string): RecurrentStepSpec {
  const name = cell === layer.cell ? layer.name : `${layer.name}/${(cell as { name?: string }).name}`;
  if (!(cell instanceof CellLayer)) throw new RecurrentConfigError(`${who}: layer '${name}' runs a cell of its own; a generator runs our SimpleRNN, LSTM and GRU cells`);
  if (!cell.built || cell.inputDim == null) throw new RecurrentConfigError(`${who}: layer '${name}' is not built; build the model (call it, or fit it) first`);
  const kc = cell.kernelCell();
  const acts = [cell.activationName, kc?.recurrentActivation ?? cell.activationName];
  const unknown = acts.find((a) => !(STEP_ACTIVATIONS as readonly string[]).includes(a));
  if (!kc || unknown) {
    throw new RecurrentConfigError(`${who}: layer '${name}' uses activation '${unknown ?? acts[0]}'; a generator computes ${STEP_ACTIVATIONS.join(', ')}`);
  }
  const H = cell.units;
  const G = cell.gates;
  const values = (t: tf.Tensor | null | undefined) => (t ? (t.dataSync() as Float32Array).slice() : null);
  let b: Float32Array | null = null, bR: Float32Array | null = null;
  tf.tidy(() => {
    b = values(cell.inputBias()); //                                                 (GRU's rows are sliced out: new tensors, freed here)
    bR = values(cell.recurrentBias());
  });
  return {
    name, kind: kc.kind, H, D: cell.inputDim, G, activation: kc.activation, recurrentActivation: kc.recurrentActivation,
    W: values(cell.kernelValue())!, U: values(cell.recurrentKernelValue())!, b, bR,
  };
}

/** A layer's weights, copied out. */
function read(layer: tf.layers.Layer): Float32Array[] {
  return layer.getWeights().map((w) => (w.dataSync() as Float32Array).slice());
}

/** The layers must form one chain: one input, one output, each layer fed by the one before it. */
function checkChain(model: tf.LayersModel, layers: tf.layers.Layer[], who: string): void {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new RecurrentConfigError(`${who}: model '${model.name}' must have one input and one output (${SHAPE}), got ${model.inputs.length} and ${model.outputs.length}`);
  }
  for (let i = 1; i < layers.length; i++) {
    const fed = layers[i].inboundNodes.some((n) => n.inboundLayers.length === 1 && n.inboundLayers[0] === layers[i - 1]);
    if (!fed) {
      throw new RecurrentConfigError(`${who}: model '${model.name}' must be one chain of layers (${SHAPE}); layer '${layers[i].name}' is not fed by '${layers[i - 1].name}' alone`);
    }
  }
}

function describe(v: unknown): string {
  if (v == null) return String(v);
  if (typeof v === 'object') return `a ${(v as object).constructor?.name ?? 'object'}`;
  return typeof v;
}
