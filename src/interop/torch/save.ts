/**
 * Our SimpleRNN / LSTM / GRU / Bidirectional weights as a PyTorch `state_dict`
 * (JSON: parameter name → nested arrays), the reverse of `fromTorchStateDict`.
 * With G gates and H units (docs/interop.md):
 *
 *   kernel W            [D, G·H]  →  weight_ih_l{k}  [G·H, D]   transposed
 *   recurrentKernel U   [H, G·H]  →  weight_hh_l{k}  [G·H, H]   transposed
 *   SimpleRNN, LSTM: bias b [G·H] →  bias_ih_l{k} = b, bias_hh_l{k} = 0   (only their sum matters)
 *   GRU (resetAfter): [2, 3H]     →  bias_ih_l{k} = row 0, bias_hh_l{k} = row 1
 *   gate blocks: LSTM i,f,c,o = torch i,f,g,o (as is); GRU z,r,h → torch r,z,n
 *   Bidirectional: the backward layer's under `_l{k}_reverse`.
 *
 * A layer PyTorch's modules cannot compute (GRU resetAfter: false, other
 * activations, goBackwards on its own) is refused with the reason.
 */
import { tf } from '../../tf';
import type { WordCountLogit } from '../../sentiment/wide';
import type { TimeDistributed } from '../../layers/time_distributed';
import { RecurrentConfigError, fmtValue } from '../../errors';
import { kerasClassName } from '../../layers/base';
import { RecurrentLayer } from '../../layers/rnn';
import { Bidirectional } from '../../layers/bidirectional';
import type { FromTorchOptions, TorchStateDict } from './load';
import { layerKeys } from '../model_graph';
import { kerasWeights, permuteGates, recurrentSpec } from '../recurrent';

/** Options of {@link toTorchStateDict}: the same as {@link fromTorchStateDict}'s. */
export type ToTorchOptions = FromTorchOptions;

/**
 * The weights of a SimpleRNN, LSTM, GRU or Bidirectional layer as the
 * `state_dict` of the PyTorch `nn.RNN`, `nn.LSTM` or `nn.GRU` that computes
 * the same: names as PyTorch's (`weight_ih_l0`, ..., `_reverse` for the
 * backward direction), values as nested arrays, ready for `JSON.stringify`.
 * A layer without biases gives none (build the module with `bias=False`).
 *
 * In Python (docs/interop.md):
 * `lstm.load_state_dict({k: torch.tensor(v) for k, v in json.load(open('lstm_state.json')).items()})`.
 *
 * @example
 * ```ts
 * import { LSTM, toTorchStateDict } from 'tfjs-recurrent';
 * import { writeFileSync } from 'fs';
 * const lstm = new LSTM({ units: 64, returnSequences: true });
 * lstm.build([null, null, 16]);   // or the layer of a trained model
 * writeFileSync('lstm_state.json', JSON.stringify(toTorchStateDict(lstm)));
 * // Python: nn.LSTM(16, 64, batch_first=True).load_state_dict(...)
 * ```
 */
export function toTorchStateDict(layer: RecurrentLayer | Bidirectional, options: ToTorchOptions = {}): TorchStateDict {
  const k = options.layer ?? 0;
  if (!Number.isInteger(k) || k < 0) throw new RecurrentConfigError(`toTorchStateDict: layer must be an integer >= 0, got ${fmtValue(options.layer)}`);
  const prefix = options.prefix ?? '';
  if (typeof prefix !== 'string') throw new RecurrentConfigError(`toTorchStateDict: prefix must be a string, got ${fmtValue(prefix)}`);
  if (layer instanceof Bidirectional) {
    const fw = layer.forwardLayer;
    const bw = layer.backwardLayer;
    if (fw.goBackwards || !bw.goBackwards || fw.constructor !== bw.constructor) {
      throw new RecurrentConfigError(
        `toTorchStateDict: Bidirectional '${layer.name}' must read forwards then backwards with one layer class, as torch's bidirectional=True does; ` +
          `got ${kerasClassName(fw)} (goBackwards: ${fw.goBackwards}) and ${kerasClassName(bw)} (goBackwards: ${bw.goBackwards})`,
      );
    }
    if (fw.useBias !== bw.useBias) {
      throw new RecurrentConfigError(`toTorchStateDict: Bidirectional '${layer.name}' has useBias ${fw.useBias} forwards and ${bw.useBias} backwards; a torch module has one bias setting`);
    }
    if (!layer.built) throw new RecurrentConfigError(`toTorchStateDict: Bidirectional '${layer.name}' is not built yet (no weights); build it or run it once`);
    return { ...direction(fw, `${prefix}`, `_l${k}`), ...direction(bw, `${prefix}`, `_l${k}_reverse`) };
  }
  if (!(layer instanceof RecurrentLayer)) {
    throw new RecurrentConfigError(`toTorchStateDict: layer must be a SimpleRNN, LSTM, GRU or Bidirectional, got ${fmtValue(layer)}`);
  }
  if (layer.goBackwards) {
    throw new RecurrentConfigError(
      `toTorchStateDict: ${kerasClassName(layer)} '${layer.name}' has goBackwards: true, which torch's modules do not have; flip the input in time in PyTorch, or export a Bidirectional`,
    );
  }
  return direction(layer, prefix, `_l${k}`);
}

/** The torch module class that computes what `layer` computes, or why none does. */
export function torchModuleOf(layer: RecurrentLayer): 'RNN' | 'LSTM' | 'GRU' {
  const what = `toTorchStateDict: ${kerasClassName(layer)} '${layer.name}'`;
  const spec = recurrentSpec(layer);
  if (spec == null) throw new RecurrentConfigError(`${what}: expected a SimpleRNN, LSTM or GRU`);
  if (spec.kind === 'simpleRNN') {
    if (spec.activation !== 'tanh' && spec.activation !== 'relu') {
      throw new RecurrentConfigError(`${what} has activation '${spec.activation}'; torch.nn.RNN's nonlinearity is 'tanh' or 'relu'`);
    }
    return 'RNN';
  }
  const module = spec.kind === 'lstm' ? 'LSTM' : 'GRU';
  if (spec.activation !== 'tanh' || spec.recurrentActivation !== 'sigmoid') {
    throw new RecurrentConfigError(
      `${what} has activation '${spec.activation}' and recurrentActivation '${spec.recurrentActivation}'; torch.nn.${module} computes tanh and sigmoid`,
    );
  }
  if (spec.kind === 'gru' && !spec.resetAfter) {
    throw new RecurrentConfigError(`${what} has resetAfter: false, but torch.nn.GRU applies the reset gate after the recurrent product (resetAfter: true)`);
  }
  return module;
}

/** One direction of one layer: weight_ih, weight_hh and (with useBias) bias_ih, bias_hh. */
function direction(layer: RecurrentLayer, prefix: string, suffix: string): TorchStateDict {
  torchModuleOf(layer);
  if (!layer.built) throw new RecurrentConfigError(`toTorchStateDict: ${kerasClassName(layer)} '${layer.name}' is not built yet (no weights); build it or run it once`);
  const { kind } = recurrentSpec(layer)!;
  const named = tf.tidy(() => {
    const { W, U, b } = kerasWeights(layer); //                        W [D, G·H], U [H, G·H], b [G·H] or [2, 3H]
    const torchOrder = (t: tf.Tensor, axis: number) => permuteGates(t, kind, 'keras', 'torch', axis);
    const out: Record<string, tf.Tensor> = {
      [`${prefix}weight_ih${suffix}`]: torchOrder(W, 1).transpose(), //   [G·H, D]
      [`${prefix}weight_hh${suffix}`]: torchOrder(U, 1).transpose(), //   [G·H, H]
    };
    if (b == null) return out;
    const [bIh, bHh] = b.rank === 2 ? tf.unstack(b) : [b, tf.zerosLike(b)]; // [G·H] each: GRU(resetAfter)'s two rows, or b and zeros
    out[`${prefix}bias_ih${suffix}`] = torchOrder(bIh, 0);
    out[`${prefix}bias_hh${suffix}`] = torchOrder(bHh, 0);
    return out;
  });
  const sd: TorchStateDict = {};
  for (const [key, t] of Object.entries(named)) sd[key] = t.arraySync();
  tf.dispose(Object.values(named));
  return sd;
}

/**
 * The weights of a whole model as the `state_dict` of a PyTorch module with
 * one submodule per layer that has weights, named as Keras 3 names a model's
 * weight groups (the class name in snake_case, `_1`, `_2`, ... for repeats, in
 * the model's layer order: `embedding`, `bidirectional`, `lstm`, `lstm_1`,
 * `dense`), so that every model of one architecture has the same keys. A
 * recurrent layer or Bidirectional gives `<key>.weight_ih_l0`, ... (see
 * {@link toTorchStateDict}), an Embedding `nn.Embedding`'s `<key>.weight`
 * [V, E], an EmbeddingBag `nn.EmbeddingBag(V, E, mode='mean', padding_idx=0)`'s
 * `<key>.weight` [V, E] (over the bags flattened to [B·T, K]), the demo's
 * WordCountLogit an `nn.Embedding(V, 1)`'s `<key>.weight`, the weights it
 * uses (its scale applied), a Dense `nn.Linear`'s `<key>.weight` [units, D]
 * (the kernel transposed) and `<key>.bias` (a TimeDistributed Dense too:
 * `nn.Linear` applies to every step).
 * Layers without weights (Dropout, the poolings, Concatenate) give nothing;
 * a layer PyTorch has no module for is an error.
 *
 * @example
 * ```ts
 * import { Sequential, Embedding, LSTM, Dense, toTorchModelStateDict } from 'tfjs-recurrent';
 * const model = new Sequential();
 * model.add(new Embedding({ inputDim: 100, outputDim: 8, inputShape: [12] }));
 * model.add(new LSTM({ units: 16 }));
 * model.add(new Dense({ units: 1 }));
 * Object.keys(toTorchModelStateDict(model)); // embedding.weight, lstm.weight_ih_l0, ..., dense.weight, dense.bias
 * ```
 */
export function toTorchModelStateDict(model: tf.LayersModel): TorchStateDict {
  if (!(model instanceof tf.LayersModel)) throw new RecurrentConfigError(`toTorchModelStateDict: model must be a Sequential or functional model, got ${fmtValue(model)}`);
  const sd: TorchStateDict = {};
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const keys = layerKeys(layers.map(kerasClassName));
  layers.forEach((layer, i) => {
    const cls = kerasClassName(layer);
    const key = keys[i];
    if (layer instanceof RecurrentLayer || layer instanceof Bidirectional) {
      Object.assign(sd, toTorchStateDict(layer, { prefix: `${key}.` }));
    } else if (cls === 'WordCountLogit') {
      const [v] = layer.getWeights();
      sd[`${key}.weight`] = tf.tidy(() => tf.mul(v, (layer as WordCountLogit).scale).arraySync()); // w = c · v: [V, 1]
    } else if (cls === 'Embedding' || cls === 'EmbeddingBag' || cls === 'Dense' || (cls === 'TimeDistributed' && kerasClassName((layer as TimeDistributed).layer) === 'Dense')) {
      const [W, b] = layer.getWeights();
      sd[`${key}.weight`] = cls.startsWith('Embedding') ? W.arraySync() : tf.tidy(() => W.transpose().arraySync()); // Linear: [units, D] (on every step); Embedding: [V, E]
      if (b != null) sd[`${key}.bias`] = b.arraySync();
    } else if (layer.getWeights().length > 0) {
      throw new RecurrentConfigError(`toTorchModelStateDict: layer '${layer.name}' (${cls}) has weights but no PyTorch module here; exported: SimpleRNN, LSTM, GRU, Bidirectional, Embedding, EmbeddingBag, WordCountLogit, Dense, TimeDistributed(Dense)`);
    }
  });
  return sd;
}
