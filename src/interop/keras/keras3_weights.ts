/**
 * The weights of a Keras 3 `model.weights.h5` by name. Keras 3 stores them by
 * position: `layers/<key>/vars/<i>`, with a recurrent layer's under
 * `layers/<key>/cell/vars/`, Bidirectional's under `forward_layer/cell/`
 * and `backward_layer/cell/`, TimeDistributed's layer's under `layer/`, where `<key>` is the layer's class in
 * snake_case with `_1`, `_2`, ... for repeats, in the model's layer order
 * (the rule saveKeras writes by, model_graph.ts `layerKeys`). Given the model
 * built from the file's config, each such path becomes the name the loader
 * matches weights by (`<layer>/kernel`, `<layer>/forward_<inner>/bias`); a
 * path that names no weight of the model keeps its path, and the loader
 * refuses it as belonging to no layer.
 */
import { tf } from '../../tf';
import { kerasClassName } from '../../layers/base';
import { RecurrentLayer } from '../../layers/rnn';
import { Bidirectional } from '../../layers/bidirectional';
import { TimeDistributed } from '../../layers/time_distributed';
import { layerKeys } from '../model_graph';
import type { FileWeight } from './files';

/** A weight's own name: the last segment of its name in the layer (`kernel`, `recurrent_kernel`, `bias`, `embeddings`). */
const own = (l: tf.layers.Layer) => l.weights.map((w) => w.originalName.split('/').pop()!);

export function keras3WeightNames(model: tf.LayersModel, weights: FileWeight[]): FileWeight[] {
  // A Sequential's layers leave out its InputLayer, as Keras 3's do; a functional model's list theirs.
  const layers = model.layers;
  const keys = layerKeys(layers.map(kerasClassName));
  const names = new Map<string, string>(); // path in the file → name for the loader
  const add = (layer: tf.layers.Layer, group: string, prefix: string): void => {
    if (layer instanceof TimeDistributed) return add(layer.layer, `${group}/layer`, prefix); // Keras's Wrapper: its layer's under layer/
    if (layer instanceof Bidirectional) {
      for (const [dir, inner] of [['forward', layer.forwardLayer], ['backward', layer.backwardLayer]] as const) {
        own(inner).forEach((w, k) => names.set(`${group}/${dir}_layer/cell/vars/${k}`, `${prefix}/${dir}_${inner.name}/${w}`));
      }
      return;
    }
    const at = layer instanceof RecurrentLayer ? `${group}/cell/vars` : `${group}/vars`;
    own(layer).forEach((w, k) => names.set(`${at}/${k}`, `${prefix}/${w}`));
  };
  layers.forEach((layer, i) => add(layer, `layers/${keys[i]}`, layer.name));
  return weights.map((w) => ({ ...w, name: names.get(w.name) ?? w.name }));
}
