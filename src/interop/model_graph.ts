/**
 * The calls a model makes, in an order where every call comes after the
 * calls whose outputs it reads: what an exporter walks. Works alike for a
 * Sequential and a functional model (walked back from the outputs through
 * each layer's inbound nodes), and follows the masks that Embedding's
 * `maskZero` makes through the layers that pass them on.
 */
import { tf } from '../tf';
import { RecurrentConfigError } from '../errors';
import { kerasClassName } from '../layers/base';
import { RNN } from '../layers/rnn_layer';
import { Bidirectional } from '../layers/bidirectional';
import { Embedding } from '../layers/embedding';
import { Dropout } from '../layers/dropout';
import { Dense } from '../layers/dense';
import { GlobalAveragePooling1D, GlobalMaxPooling1D } from '../layers/pooling';
import { Masking } from '../layers/masking';
import { TimeDistributed } from '../layers/time_distributed';

/** What tfjs-layers keeps of one call of a layer (its `Node`). */
interface LayerNode {
  inputTensors: tf.SymbolicTensor[];
  outputTensors: tf.SymbolicTensor[];
}

/** One call of a layer: the symbolic tensors it read and wrote. */
export interface LayerCall {
  layer: tf.layers.Layer;
  inputs: tf.SymbolicTensor[];
  outputs: tf.SymbolicTensor[];
}

/** The key of a symbolic tensor: which call of which layer made it, and which of its outputs it is. */
export const tensorKey = (t: tf.SymbolicTensor): string => `${t.sourceLayer.name}:${t.nodeIndex}:${t.tensorIndex}`;

const isInputLayer = (l: tf.layers.Layer) => l.getClassName() === 'InputLayer';

/** A layer whose input is integer ids (Embedding, EmbeddingBag, WordCountLogit): a model input read only by such layers is an int32 input. */
export const readsIds = (l: tf.layers.Layer): boolean => l instanceof Embedding || kerasClassName(l) === 'WordCountLogit';

/**
 * The model's inputs, outputs and layer calls in dependency order (InputLayers
 * left out: their tensors are the inputs). `who` starts every error message.
 */
export function modelCalls(model: tf.LayersModel, who: string): { inputs: tf.SymbolicTensor[]; outputs: tf.SymbolicTensor[]; calls: LayerCall[] } {
  if (!(model instanceof tf.LayersModel)) {
    throw new RecurrentConfigError(`${who}: model must be a Sequential or functional model (tf.LayersModel), got ${model === null ? 'null' : typeof model}`);
  }
  if (model.outputs == null || model.outputs.length === 0 || model.inputs == null || model.inputs.length === 0) {
    throw new RecurrentConfigError(`${who}: model '${model.name}' is not built: give its first layer an inputShape (or call build) before exporting`);
  }
  const calls: LayerCall[] = [];
  const seen = new Set<string>();
  const visit = (t: tf.SymbolicTensor): void => {
    const layer = t.sourceLayer as tf.layers.Layer;
    const key = `${layer.name}:${t.nodeIndex}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (isInputLayer(layer)) return;
    const node = (layer.inboundNodes as unknown as LayerNode[])[t.nodeIndex];
    node.inputTensors.forEach(visit);
    calls.push({ layer, inputs: node.inputTensors, outputs: node.outputTensors });
  };
  model.outputs.forEach(visit);
  return { inputs: model.inputs, outputs: model.outputs, calls };
}

/**
 * Which output of a call carries a mask, and whose: `'own'` for the mask an
 * Embedding with maskZero makes of its ids (or a Masking of its input), the index of the input whose mask
 * is passed on, or null for none (as each layer's computeMask decides).
 */
export function outputMasks(call: LayerCall, inputHasMask: boolean[], who: string): Array<'own' | number | null> {
  const { layer, outputs } = call;
  const none = outputs.map(() => null);
  if (layer instanceof Embedding) return layer.maskZero ? ['own'] : none;
  if (layer instanceof Masking) return ['own'];
  if (!inputHasMask.some(Boolean)) return none;
  if (layer instanceof RNN || layer instanceof Bidirectional) {
    // The sequence output keeps the input's mask; a last output and the states have none.
    return outputs.map((_, i) => (i === 0 && layer.returnSequences ? 0 : null));
  }
  if (layer instanceof Dropout || layer instanceof Dense || layer instanceof TimeDistributed) return [0];
  if (layer instanceof GlobalMaxPooling1D || layer instanceof GlobalAveragePooling1D) return [null]; // they use the mask; no time axis left
  throw new RecurrentConfigError(`${who}: layer '${layer.name}' (${kerasClassName(layer)}) receives a padding mask, which this export cannot carry through it`);
}

/** Keras's `naming.to_snake_case` of a class name: `GlobalAveragePooling1D` → `global_average_pooling1d`, `SimpleRNN` → `simple_rnn`. */
export function snakeCase(className: string): string {
  return className
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * A key per layer, from the class names in the model's layer order, as Keras 3
 * names a model's weight groups: the class name in snake_case, then `_1`, `_2`, ...
 * for the second, third, ... layer of a class (`lstm`, `lstm_1`). Unlike layer
 * names, they are the same in every model of one architecture.
 */
export function layerKeys(classNames: string[]): string[] {
  const used = new Map<string, number>();
  return classNames.map((c) => {
    const snake = snakeCase(c);
    const n = used.get(snake);
    used.set(snake, n == null ? 0 : n + 1);
    return n == null ? snake : `${snake}_${n + 1}`;
  });
}
