/**
 * The weights of a Keras 3 `model.weights.h5` by name. Keras 3 stores them by
 * position: `layers/<key>/vars/<i>`, with a recurrent layer's under
 * `layers/<key>/cell/vars/` (an RNN of stacked cells: `cell/cells/<cell key>/vars/`,
 * the cell keys by the same rule as the layers'), Bidirectional's under `forward_layer/cell/`
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
import { RNN } from '../../layers/rnn_layer';
import { StackedRNNCells } from '../../layers/stacked_rnn_cells';
import { cellClass, cellName, cellWeights } from '../../layers/recurrent_cell';
import { Bidirectional } from '../../layers/bidirectional';
import { TimeDistributed } from '../../layers/time_distributed';
import { layerKeys } from '../model_graph';
import type { FileWeight } from './files';

/** A weight's own name: the last segment of its name in the layer (`kernel`, `recurrent_kernel`, `bias`, `embeddings`). */
const own = (l: tf.layers.Layer) => l.weights.map((w) => w.originalName.split('/').pop()!);

/** An RNN's weights: `<group>/cell/vars/<i>`; of stacked cells `<group>/cell/cells/<cell key>/vars/<i>`, named with their cell's name. */
function cellVars(layer: RNN, group: string, prefix: string, names: Map<string, string>): void {
  if (!(layer.cell instanceof StackedRNNCells)) {
    own(layer).forEach((w, k) => names.set(`${group}/cell/vars/${k}`, `${prefix}/${w}`));
    return;
  }
  const cells = layer.cell.cells;
  const keys = layerKeys(cells.map(cellClass));
  cells.forEach((c, j) => {
    const { trainable, nonTrainable } = cellWeights(c);
    [...trainable, ...nonTrainable].forEach((w, k) => names.set(`${group}/cell/cells/${keys[j]}/vars/${k}`, `${prefix}/${cellName(c)}/${w.originalName.split('/').pop()}`));
  });
}

export function keras3WeightNames(model: tf.LayersModel, weights: FileWeight[]): FileWeight[] {
  // A Sequential's layers leave out its InputLayer, as Keras 3's do; a functional model's list theirs.
  const layers = model.layers;
  const keys = layerKeys(layers.map(kerasClassName));
  const names = new Map<string, string>(); // path in the file → name for the loader
  const add = (layer: tf.layers.Layer, group: string, prefix: string): void => {
    if (layer instanceof TimeDistributed) return add(layer.layer, `${group}/layer`, prefix); // Keras's Wrapper: its layer's under layer/
    if (layer instanceof Bidirectional) {
      for (const [dir, inner] of [['forward', layer.forwardLayer], ['backward', layer.backwardLayer]] as const) {
        cellVars(inner, `${group}/${dir}_layer`, `${prefix}/${dir}_${inner.name}`, names);
      }
      return;
    }
    if (layer instanceof RNN) return cellVars(layer, group, prefix, names);
    own(layer).forEach((w, k) => names.set(`${group}/vars/${k}`, `${prefix}/${w}`));
  };
  layers.forEach((layer, i) => add(layer, `layers/${keys[i]}`, layer.name));
  return weights.map((w) => ({ ...w, name: names.get(w.name) ?? w.name }));
}
