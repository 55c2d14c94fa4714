/**
 * The model summary: by default exactly as tf.keras 2.x prints it for a Sequential model
 * (keras/utils/layer_utils.py `print_summary`, up to TF 2.8): a 65-character
 * table with columns ending at 29, 55 and 65, shapes as Python tuples,
 * totals with thousands separators. A field that overflows its column is cut,
 * and the next field starts one character early, as in Keras:
 * `bidirectional (Bidirectional (None, 10, 256)`.
 * With `{ style: 'keras3' }`, Keras 3's boxed table (./summary_keras3.ts).
 */
import { tf } from '../tf';
import { RecurrentConfigError, fmtValue } from '../errors';
import { kerasClassName } from '../layers/base';
import { nearest } from '../did_you_mean';
import { printKeras3Summary } from './summary_keras3';
import { PrintFn, SummaryModel, isSequentialLike, modelNodes, thousands } from './summary_graph';

export type { PrintFn, SummaryModel };
export { thousands };

type Shape = Array<number | null>;

/** A shape as Python prints a tuple: `(None, 10, 32)`, `(None,)`; a list of shapes as a list of tuples. */
export function pyShape(shape: Shape | Shape[]): string {
  if (shape.length > 0 && Array.isArray(shape[0])) return `[${(shape as Shape[]).map(pyShape).join(', ')}]`;
  const dims = (shape as Shape).map((d) => (d == null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
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

/** Options of `summary()` and {@link printSummary}. */
export interface SummaryOptions {
  /**
   * `'keras2'` (the default): tf.keras 2.x's table of underscores. `'keras3'`:
   * Keras 3's boxed table with parameter sizes in bytes, as Keras 3 prints it.
   */
  style?: 'keras2' | 'keras3';
  /**
   * Width of the table. Default: 65 (98 with a 'Connected to' column) for
   * 'keras2'; for 'keras3' Keras 3's 88 (108; 12 more with `showTrainable`),
   * at most the terminal's columns less 4 (80 when not printing to a terminal).
   */
  lineLength?: number;
  /**
   * Where each column ends: fractions of `lineLength`, one per column
   * (without the Trainable one). 'keras2' also takes characters.
   */
  positions?: number[];
  /** Where each line goes (default console.log). */
  printFn?: PrintFn;
  /** 'keras3': also list the layers of nested models, indented with '└ '. */
  expandNested?: boolean;
  /** 'keras3': a 'Trainable' column: Y, N (frozen), or - (no weights). */
  showTrainable?: boolean;
  /**
   * 'keras3': print only the layers from the first whose name matches
   * `layerRange[0]` to the last matching `layerRange[1]` (regular
   * expressions matched at the start of the name, as Python's re.match).
   */
  layerRange?: [string, string];
}

const OPTION_KEYS = ['style', 'lineLength', 'positions', 'printFn', 'expandNested', 'showTrainable', 'layerRange'];

/** `summary()`'s arguments, an options object or tfjs's (lineLength, positions, printFn), checked. */
function summaryOptions(model: SummaryModel, args: unknown[]): Required<Pick<SummaryOptions, 'style' | 'printFn'>> & SummaryOptions {
  const first = args[0];
  let o: SummaryOptions;
  if (first != null && typeof first === 'object' && !Array.isArray(first)) {
    if (args.slice(1).some((a) => a !== undefined)) {
      throw new RecurrentConfigError(`summary: takes one options object or (lineLength, positions, printFn), got an options object and ${fmtValue(args.slice(1))}`);
    }
    o = first as SummaryOptions;
    for (const key of Object.keys(o)) {
      if (!OPTION_KEYS.includes(key)) {
        const near = nearest(key, OPTION_KEYS);
        throw new RecurrentConfigError(`summary: unknown option '${key}'${near.length ? ` (did you mean '${near[0]}'?)` : ''}; known: ${OPTION_KEYS.join(', ')}`);
      }
    }
  } else if (first === undefined || typeof first === 'number') {
    o = { lineLength: first as number | undefined, positions: args[1] as number[] | undefined, printFn: args[2] as PrintFn | undefined };
  } else {
    throw new RecurrentConfigError(`summary: expects an options object such as { style: 'keras3' }, or (lineLength, positions, printFn), got ${fmtValue(first)}`);
  }
  const style = o.style ?? 'keras2';
  if (style !== 'keras2' && style !== 'keras3') throw new RecurrentConfigError(`summary: style must be 'keras2' or 'keras3', got ${fmtValue(o.style)}`);
  const columns = isSequentialLike(model) ? 3 : 4;
  const { lineLength, positions, expandNested, showTrainable, layerRange } = o;
  const printFn = o.printFn ?? console.log;
  if (lineLength != null && (!Number.isInteger(lineLength) || lineLength <= 0)) {
    throw new RecurrentConfigError(`summary: lineLength must be a positive integer, got ${fmtValue(lineLength)}`);
  }
  const fractions = style === 'keras3';
  if (positions != null && (!Array.isArray(positions) || positions.length !== columns || positions.some((p, i) => typeof p !== 'number' || !(p > 0) || (fractions && (p > 1 || p <= positions[i - 1]))))) {
    throw new RecurrentConfigError(
      fractions
        ? `summary: positions must be ${columns} increasing fractions of lineLength in (0, 1], one per column without Trainable, got ${fmtValue(positions)}`
        : `summary: positions must be ${columns} increasing positive numbers, got ${fmtValue(positions)}`,
    );
  }
  if (typeof printFn !== 'function') throw new RecurrentConfigError(`summary: printFn must be a function, got ${fmtValue(printFn)}`);
  for (const [name, v] of [['expandNested', expandNested], ['showTrainable', showTrainable]] as const) {
    if (v != null && typeof v !== 'boolean') throw new RecurrentConfigError(`summary: ${name} must be true or false, got ${fmtValue(v)}`);
    if (v && !fractions) throw new RecurrentConfigError(`summary: ${name} needs style: 'keras3' (tf.keras 2's table has no such column or rows), got style ${fmtValue(style)}`);
  }
  if (layerRange != null) {
    if (!Array.isArray(layerRange) || layerRange.length !== 2 || layerRange.some((n) => typeof n !== 'string')) {
      throw new RecurrentConfigError(`summary: layerRange must be two layer names (or patterns) [first, last], got ${fmtValue(layerRange)}`);
    }
    if (!fractions) throw new RecurrentConfigError(`summary: layerRange needs style: 'keras3', got style ${fmtValue(style)}`);
  }
  return { ...o, style, printFn };
}

/**
 * Prints the summary of a model. By default as tf.keras 2.x does: for a chain
 * of layers (every Sequential) the 65-character table; for a functional model
 * with branches the 98-character one with a 'Connected to' column
 * (`embedding[0][0]`). A functional model lists its InputLayer, as in Keras;
 * a Sequential does not. `positions` are column ends, as fractions of
 * `lineLength` (if all ≤ 1) or in characters.
 *
 * With `{ style: 'keras3' }`, as Keras 3's `model.summary()` prints it,
 * character for character: the boxed table, parameter sizes in bytes, the
 * optimizer's parameters once it has taken a step, and `expandNested`,
 * `showTrainable` and `layerRange`.
 *
 * @example
 * ```ts
 * import { tf, printSummary, Embedding, SimpleRNN } from 'tfjs-recurrent';
 * const model = tf.sequential({ layers: [new Embedding({ inputDim: 10000, outputDim: 32 }), new SimpleRNN({ units: 32 })] });
 * printSummary(model); // the tf.keras 2 table, Total params: 322,080
 * printSummary(model, { style: 'keras3', showTrainable: true }); // Total params: 322,080 (1.23 MB)
 * ```
 */
export function printSummary(model: SummaryModel, options?: SummaryOptions): void;
export function printSummary(model: SummaryModel, lineLength?: number, positions?: number[], printFn?: PrintFn): void;
export function printSummary(model: SummaryModel, ...args: unknown[]): void {
  if (model == null || typeof model !== 'object' || !Array.isArray((model as { layers?: unknown }).layers)) {
    throw new RecurrentConfigError(`summary: expects a model (a Sequential, Functional or tf.LayersModel), got ${fmtValue(model)}`);
  }
  const o = summaryOptions(model, args);
  if (o.style === 'keras3') {
    printKeras3Summary(model, { ...o, expandNested: o.expandNested ?? false, showTrainable: o.showTrainable ?? false });
  } else {
    printKeras2Summary(model, o.lineLength, o.positions, o.printFn);
  }
}

/** tf.keras 2.x's table. */
function printKeras2Summary(model: SummaryModel, lineLength: number | undefined, positions: number[] | undefined, printFn: PrintFn): void {
  const chain = isSequentialLike(model);
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
