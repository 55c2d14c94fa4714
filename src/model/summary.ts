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
import { kerasClassName } from '../layers/base';

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

/**
 * Prints the summary of a model whose layers form a chain (a Sequential model).
 * `positions` are column ends, as fractions of `lineLength` (if all ≤ 1) or in characters.
 */
export function printSummary(
  model: { name: string; layers: tf.layers.Layer[] },
  lineLength?: number,
  positions?: number[],
  printFn: PrintFn = console.log,
): void {
  if (lineLength != null && (!Number.isInteger(lineLength) || lineLength <= 0)) {
    throw new RecurrentConfigError(`summary: lineLength must be a positive integer, got ${fmtValue(lineLength)}`);
  }
  if (positions != null && (!Array.isArray(positions) || positions.length !== 3 || positions.some((p) => typeof p !== 'number' || !(p > 0)))) {
    throw new RecurrentConfigError(`summary: positions must be 3 increasing positive numbers, got ${fmtValue(positions)}`);
  }
  if (typeof printFn !== 'function') {
    throw new RecurrentConfigError(`summary: printFn must be a function, got ${fmtValue(printFn)}`);
  }
  const width = lineLength ?? 65;
  let pos = positions ?? [0.45, 0.85, 1];
  if (pos[pos.length - 1] <= 1) pos = pos.map((p) => Math.floor(width * p));

  printFn(`Model: "${model.name}"`);
  printFn('_'.repeat(width));
  printFn(row(['Layer (type)', 'Output Shape', 'Param #'], pos));
  printFn('='.repeat(width));
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  let trainable = 0;
  let nonTrainable = 0;
  layers.forEach((layer, i) => {
    let shape: string;
    try {
      shape = pyShape(layer.outputShape as Shape | Shape[]);
    } catch {
      shape = 'multiple';
    }
    printFn(row([`${layer.name} (${kerasClassName(layer)})`, shape, String(layer.countParams())], pos));
    printFn((i === layers.length - 1 ? '=' : '_').repeat(width));
    trainable += countWeights(layer.trainableWeights);
    nonTrainable += countWeights(layer.nonTrainableWeights);
  });
  printFn(`Total params: ${thousands(trainable + nonTrainable)}`);
  printFn(`Trainable params: ${thousands(trainable)}`);
  printFn(`Non-trainable params: ${thousands(nonTrainable)}`);
  printFn('_'.repeat(width));
}
