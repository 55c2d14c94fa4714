/**
 * The model summary exactly as tf.keras 2.x prints it for a Sequential model
 * (keras/utils/layer_utils.py `print_summary`, up to TF 2.8): a 65-character
 * table with columns ending at 29, 55 and 65, shapes as Python tuples,
 * totals with thousands separators. A field that overflows its column is cut,
 * and the next field starts one character early, as in Keras:
 * `bidirectional (Bidirectional (None, 10, 256)`.
 */
import { tf } from '../tf';
import { RecurrentConfigError, fmtValue } from '../errors';
import type { Node } from '@tensorflow/tfjs-layers/dist/engine/topology';
import { kerasClassName } from '../layers/base';

/** Where summary lines go, like console.log. */
export type PrintFn = (message?: unknown, ...rest: unknown[]) => void;
type Shape = Array<number | null>;

/** A shape as Python prints a tuple: `(None, 10, 32)`, `(None,)`; a list of shapes as a list of tuples. */
export function pyShape(shape: Shape | Shape[]): string {
  if (shape.length > 0 && Array.isArray(shape[0])) return `[${(shape as Shape[]).map(pyShape).join(', ')}]`;
  const dims = (shape as Shape).map((d) => (d == null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

/** Python's `'{:,}'.format(n)`. */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function countWeights(ws: tf.LayerVariable[]): number {
  return ws.reduce((a, w) => a + w.shape.reduce((p: number, d) => p * (d as number), 1), 0);
}

/** Keras's print_row: each field cut at its column's end; a full column loses its last character to a space. */
function row(fields: string[], positions: number[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) line = line.slice(0, -1) + ' ';
    line += fields[i];
    line = line.slice(0, positions[i]);
    line += ' '.repeat(Math.max(0, positions[i] - line.length));
  }
  return line;
}

/** What printSummary needs of a model: tfjs's Container (LayersModel, Sequential). */
export type SummaryModel = { name: string; layers: tf.layers.Layer[]; nodesByDepth?: { [depth: string]: Node[] }; containerNodes?: Set<string> };

/** The calls of `layer` that belong to `model` (Keras's relevant_nodes). */
function modelNodes(model: SummaryModel, layer: tf.layers.Layer): Node[] {
  return layer.inboundNodes.filter((n, i) => model.containerNodes == null || model.containerNodes.has(`${layer.name}_ib-${i}`));
}

/**
 * Keras's test: a model prints as a plain table when its graph is a chain,
 * one call per layer and one input per call; otherwise with a 'Connected to' column.
 */
function isSequentialLike(model: SummaryModel): boolean {
  if (model instanceof tf.Sequential || model.nodesByDepth == null) return true;
  for (const nodes of Object.values(model.nodesByDepth)) {
    if (nodes.length > 1 || (nodes.length === 1 && nodes[0].inboundLayers.length > 1)) return false;
  }
  return model.layers.every((l) => modelNodes(model, l).length <= 1);
}

/**
 * Prints the summary of a model as tf.keras 2.x does: for a chain of layers
 * (every Sequential) the 65-character table; for a functional model with
 * branches the 98-character one with a 'Connected to' column
 * (`embedding[0][0]`). A functional model lists its InputLayer, as in Keras;
 * a Sequential does not.
 * `positions` are column ends, as fractions of `lineLength` (if all ≤ 1) or in characters.
 *
 * @example
 * ```ts
 * import { tf, printSummary, Embedding, SimpleRNN } from 'tfjs-recurrent';
 * const model = tf.sequential({ layers: [new Embedding({ inputDim: 10000, outputDim: 32 }), new SimpleRNN({ units: 32 })] });
 * printSummary(model); // the Keras table, Total params: 322,080
 * ```
 */
export function printSummary(
  model: SummaryModel,
  lineLength?: number,
  positions?: number[],
  printFn: PrintFn = console.log,
): void {
  if (model == null || typeof model !== 'object' || !Array.isArray((model as { layers?: unknown }).layers)) {
    throw new RecurrentConfigError(`summary: expects a model (a Sequential, Functional or tf.LayersModel), got ${fmtValue(model)}`);
  }
  const chain = isSequentialLike(model);
  const columns = chain ? 3 : 4;
  if (lineLength != null && (!Number.isInteger(lineLength) || lineLength <= 0)) {
    throw new RecurrentConfigError(`summary: lineLength must be a positive integer, got ${fmtValue(lineLength)}`);
  }
  if (positions != null && (!Array.isArray(positions) || positions.length !== columns || positions.some((p) => typeof p !== 'number' || !(p > 0)))) {
    throw new RecurrentConfigError(`summary: positions must be ${columns} increasing positive numbers, got ${fmtValue(positions)}`);
  }
  if (typeof printFn !== 'function') {
    throw new RecurrentConfigError(`summary: printFn must be a function, got ${fmtValue(printFn)}`);
  }
  const width = lineLength ?? (chain ? 65 : 98);
  let pos = positions ?? (chain ? [0.45, 0.85, 1] : [0.33, 0.55, 0.67, 1]);
  if (pos[pos.length - 1] <= 1) pos = pos.map((p) => Math.floor(width * p));

  printFn(`Model: "${model.name}"`);
  printFn('_'.repeat(width));
  printFn(row(chain ? ['Layer (type)', 'Output Shape', 'Param #'] : ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'], pos));
  printFn('='.repeat(width));
  const functional = !(model instanceof tf.Sequential);
  const layers = model.layers.filter((l) => functional || l.getClassName() !== 'InputLayer');
  let trainable = 0;
  let nonTrainable = 0;
  layers.forEach((layer, i) => {
    let shape: string;
    try {
      // A functional model's InputLayer prints its output as a list, [(None, 9)], as tf.keras 2.x does.
      const s = layer.outputShape as Shape | Shape[];
      shape = layer.getClassName() === 'InputLayer' ? `[${pyShape(s)}]` : pyShape(s);
    } catch {
      shape = 'multiple';
    }
    const fields = [`${layer.name} (${kerasClassName(layer)})`, shape, String(layer.countParams())];
    if (chain) {
      printFn(row(fields, pos));
    } else {
      const connections = modelNodes(model, layer).flatMap((node) =>
        node.inboundLayers.map((l, j) => `${l.name}[${node.nodeIndices[j]}][${node.tensorIndices[j]}]`),
      );
      printFn(row([...fields, connections[0] ?? ''], pos));
      for (const c of connections.slice(1)) printFn(row(['', '', '', c], pos));
    }
    printFn((i === layers.length - 1 ? '=' : '_').repeat(width));
    trainable += countWeights(layer.trainableWeights);
    nonTrainable += countWeights(layer.nonTrainableWeights);
  });
  printFn(`Total params: ${thousands(trainable + nonTrainable)}`);
  printFn(`Trainable params: ${thousands(trainable)}`);
  printFn(`Non-trainable params: ${thousands(nonTrainable)}`);
  printFn('_'.repeat(width));
}
