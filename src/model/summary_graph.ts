/**
 * What both summaries (tf.keras 2's and Keras 3's) read of a model: its
 * layers, the calls that belong to it, and whether it is a chain.
 */
import { tf } from '../tf';
import type { Node } from '@tensorflow/tfjs-layers/dist/engine/topology';

/** Where summary lines go, like console.log. */
export type PrintFn = (message?: unknown, ...rest: unknown[]) => void;

/** What printSummary needs of a model: tfjs's Container (LayersModel, Sequential). */
export type SummaryModel = { name: string; layers: tf.layers.Layer[]; nodesByDepth?: { [depth: string]: Node[] }; containerNodes?: Set<string> };

/** Python's `'{:,}'.format(n)`. */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The calls of `layer` that belong to `model` (Keras's relevant_nodes). */
export function modelNodes(model: SummaryModel, layer: tf.layers.Layer): Node[] {
  return layer.inboundNodes.filter((n, i) => model.containerNodes == null || model.containerNodes.has(`${layer.name}_ib-${i}`));
}

/**
 * Keras's test (`sequential_like`): a model prints as a plain table when its
 * graph is a chain, one call per layer and one input per call; otherwise with
 * a 'Connected to' column.
 */
export function isSequentialLike(model: SummaryModel): boolean {
  if (model instanceof tf.Sequential || model.nodesByDepth == null) return true;
  for (const nodes of Object.values(model.nodesByDepth)) {
    if (nodes.length > 1 || (nodes.length === 1 && nodes[0].inboundLayers.length > 1)) return false;
  }
  return model.layers.every((l) => modelNodes(model, l).length <= 1);
}
