/**
 * The model summary as Keras 3 prints it (keras/src/utils/summary_utils.py
 * `print_summary`, rendered by rich): a boxed table of the layers, with a
 * 'Connected to' column for a model with branches, an optional 'Trainable'
 * column and the rows of nested models, then the parameter counts with their
 * size in bytes (and the optimizer's, once it has taken a step).
 */
import { Terminal, terminal as currentTerminal } from '../terminal';
import { tf } from '../tf';
import { RecurrentConfigError, fmtValue } from '../errors';
import { kerasClassName } from '../layers/base';
import { FixedColumn, Justify, consoleText, cropLine, renderTable } from './rich_table';
import { PrintFn, SummaryModel, isSequentialLike, modelNodes, thousands } from './summary_graph';

/** The options of the Keras 3 summary, as `summary()` checked them. */
export interface Keras3Options {
  lineLength?: number;
  positions?: number[];
  printFn: PrintFn;
  expandNested: boolean;
  showTrainable: boolean;
  layerRange?: [string, string];
}

export type { Terminal };

/**
 * Python's `shutil.get_terminal_size().columns`, which caps Keras's default
 * width (`min(default, columns - 4)`): `COLUMNS` if a positive integer, else
 * standard output's terminal, else 80.
 */
export function terminalColumns(t: Terminal = currentTerminal()): number {
  const env = t.env.COLUMNS;
  if (env != null && /^\s*[+-]?\d+\s*$/.test(env) && Number(env) > 0) return Number(env);
  const out = t.streams[1];
  return out?.isTTY ? out.columns || 80 : 80;
}

/**
 * The width of rich's console, where longer lines are cropped and longer
 * text folded: `COLUMNS` if all digits, else the first terminal among standard
 * input, output and error, else 80. (Node knows the width of standard output
 * and error only; a terminal on standard input alone counts as 80.)
 */
export function consoleWidth(t: Terminal = currentTerminal()): number {
  const env = t.env.COLUMNS;
  if (env != null && /^\d+$/.test(env) && Number(env) > 0) return Number(env);
  for (const s of t.streams) if (s?.isTTY && s.columns) return s.columns;
  return 80;
}

/** Keras's `readable_memory_size`: bytes in B, KB, ... (powers of 1024) with 2 decimals, halves rounded to even as Python formats. */
export function readableBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let k = 0;
  while (k < units.length - 1 && bytes / 1024 ** (k + 1) >= 1) k++;
  // bytes / 1024^k to 2 decimals, exactly: bytes·100 = q·1024^k + r
  const scaled = BigInt(Math.round(bytes * 4)) * 25n; //   bytes·100, bytes a multiple of 1/4 at worst
  const den = 1024n ** BigInt(k);
  let q = scaled / den;
  const r2 = 2n * (scaled % den);
  if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  const s = q.toString().padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)} ${units[k]}`;
}

const DTYPE_BYTES: { [dtype: string]: number } = { float32: 4, int32: 4, bool: 1, complex64: 8 };

/** Parameters and bytes of distinct weights (a weight shared by two layers counts once, as in Keras). */
function tally(weights: tf.LayerVariable[]): { count: number; bytes: number } {
  let count = 0;
  let bytes = 0;
  for (const w of new Set(weights)) {
    const n = w.shape.reduce((p: number, d) => p * (d as number), 1);
    count += n;
    bytes += n * (DTYPE_BYTES[w.dtype] ?? 4);
  }
  return { count, bytes };
}

/**
 * The variables Keras 3's optimizer of the same kind holds for `trainable`
 * parameters: its iteration count and learning rate, and per parameter its
 * slots (Adam's m and v, ...). Unknown optimizers: undefined.
 */
function optimizerParams(optimizer: tf.Optimizer, trainable: number): number | undefined {
  const inner = (optimizer as unknown as { inner?: unknown }).inner;
  if (inner != null && inner instanceof tf.Optimizer) return optimizerParams(inner, trainable);
  const config = optimizer.getConfig() as { momentum?: number; centered?: boolean };
  const slots: { [className: string]: [number, number] } = {
    Adam: [2, 0], Adamax: [2, 0], AdamW: [2, 0], Nadam: [2, 1], Adagrad: [1, 0], Adadelta: [2, 0], SGD: [0, 0], Momentum: [1, 0],
    RMSProp: [1 + (config.momentum! > 0 ? 1 : 0) + (config.centered ? 1 : 0), 0],
  };
  const s = slots[optimizer.getClassName()];
  return s && 2 + s[1] + s[0] * trainable;
}

/** Keras 3's name of a layer's class: a tfjs functional model is a Functional. */
const className = (layer: tf.layers.Layer) => (layer.getClassName() === 'Model' ? 'Functional' : kerasClassName(layer));

/** A model's layers as Keras 3 lists them: a Sequential's without its InputLayer. */
function listedLayers(model: SummaryModel): tf.layers.Layer[] {
  return model.layers.filter((l) => !(model instanceof tf.Sequential) || l.getClassName() !== 'InputLayer');
}

/** Keras 3's `format_layer_shape`: the output shape of the layer's last call, `(None, 7, 8)`, or a list of them. */
function layerShape(layer: tf.layers.Layer): string {
  const node = layer.inboundNodes[layer.inboundNodes.length - 1];
  if (node == null) return '?';
  const fmt = (s: Array<number | null>) => `(${s.map((d) => (d == null ? 'None' : String(d))).join(', ')})`;
  const shapes = node.outputShapes as Array<number | null> | Array<Array<number | null>>;
  if (shapes.length > 0 && Array.isArray(shapes[0])) {
    const list = shapes as Array<Array<number | null>>;
    return list.length === 1 ? fmt(list[0]) : `[${list.map(fmt).join(', ')}]`;
  }
  return fmt(shapes as Array<number | null>);
}

/**
 * Keras 3's index of a call of `layer`: tfjs gives every model a first node
 * of its own (inputs to outputs), which Keras 3 has not.
 */
function kerasNodeIndex(layer: tf.layers.Layer, index: number): number {
  if (!(layer instanceof tf.LayersModel)) return index;
  return index - layer.inboundNodes.slice(0, index).filter((n) => n.inboundLayers.length === 0).length;
}

/** The 'Connected to' cell: every input of every call of the layer in this model, `name[node][tensor]`, or '-'. */
function connections(model: SummaryModel, layer: tf.layers.Layer): string {
  const all = modelNodes(model, layer).flatMap((node) =>
    node.inboundLayers.map((l, j) => `${l.name}[${kerasNodeIndex(l, node.nodeIndices[j])}][${node.tensorIndices[j]}]`),
  );
  return all.length ? all.join(', ') : '-';
}

/** Keras's `get_layer_index_bound_by_layer_name`: [first, last + 1] of the layers whose names match (`re.match`, anchored at the start). */
function layerBounds(model: SummaryModel, layers: tf.layers.Layer[], range: [string, string] | undefined): [number, number] {
  if (range == null) return [0, layers.length];
  const matching = (pattern: string) => {
    let re: RegExp;
    try {
      re = new RegExp(pattern, 'y');
    } catch (e) {
      throw new RecurrentConfigError(`summary: layerRange must hold layer names or regular expressions, got ${fmtValue(pattern)} (${(e as Error).message})`);
    }
    return layers.flatMap((l, i) => ((re.lastIndex = 0), re.test(l.name) ? [i] : []));
  };
  const lower = matching(range[0]);
  const upper = matching(range[1]);
  if (!lower.length || !upper.length) {
    throw new RecurrentConfigError(
      `summary: layerRange ${fmtValue(range)} must match layer names of model '${model.name}' (${layers.map((l) => l.name).join(', ')}), ` +
        `got no match for ${fmtValue(!lower.length ? range[0] : range[1])}`,
    );
  }
  return Math.min(...lower) > Math.max(...upper) ? [Math.min(...upper), Math.max(...lower) + 1] : [Math.min(...lower), Math.max(...upper) + 1];
}

/**
 * Prints `model`'s summary as Keras 3's `model.summary()` does, character for
 * character, for the same arguments and terminal (see {@link terminalColumns}
 * and {@link consoleWidth}); each line goes to `printFn`.
 */
export function printKeras3Summary(model: SummaryModel, o: Keras3Options, terminal: Terminal = currentTerminal()): void {
  const chain = isSequentialLike(model);
  let lineLength = chain ? 88 : 108;
  let positions = o.positions ?? (chain ? [0.45, 0.8, 1.0] : [0.3, 0.56, 0.74, 1.0]);
  const header = chain ? ['Layer (type)', 'Output Shape', 'Param #'] : ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'];
  const justify: Justify[] = chain ? ['left', 'left', 'right'] : ['left', 'left', 'right', 'left'];
  if (o.showTrainable) {
    lineLength += 12;
    positions = [...positions.map((p) => p * 0.9), 1.0];
    header.push('Trainable');
    justify.push('center');
  }
  const columns = terminalColumns(terminal);
  const capped = Math.min(lineLength, columns - 4);
  const width = o.lineLength ?? capped;
  const columnsOf: FixedColumn[] = [];
  let current = 0;
  positions.forEach((pos, i) => {
    const w = Math.trunc(pos * width) - current;
    if (w < 4) {
      const why = o.lineLength != null ? `lineLength ${width}` : `the terminal's ${columns} columns (lineLength ${width} by default)`;
      throw new RecurrentConfigError(
        `summary: ${why} leaves column '${header[i]}' ${w} characters wide with positions ${fmtValue(positions)}; each column needs at least 4 (pass a larger lineLength)`,
      );
    }
    columnsOf.push({ header: header[i], justify: justify[i], width: w });
    current += w;
  });

  // A layer inside a frozen model is frozen too, as Keras 3 sets trainable on every layer of a model.
  const rowsOf = (layer: tf.layers.Layer, level: number, outerTrainable = true): string[][] => {
    const trainable = outerTrainable && layer.trainable;
    const prefix = level ? '   '.repeat(level) + '└ ' : '';
    const fields = [`${prefix}${layer.name} (${className(layer)})`, layerShape(layer), thousands(layer.countParams())];
    if (!chain) fields.push(level ? '-' : connections(model, layer));
    if (o.showTrainable) fields.push(layer.weights.length > 0 ? (trainable ? 'Y' : 'N') : '-');
    const rows = [fields];
    if (o.expandNested && layer instanceof tf.LayersModel && layer.layers.length) {
      for (const inner of listedLayers(layer as unknown as SummaryModel)) rows.push(...rowsOf(inner, level + 1, trainable));
    }
    return rows;
  };
  const layers = listedLayers(model);
  const [from, to] = layerBounds(model, layers, o.layerRange);
  const rows = layers.slice(from, to).flatMap((l) => rowsOf(l, 0));

  const m = model as SummaryModel & { trainableWeights: tf.LayerVariable[]; nonTrainableWeights: tf.LayerVariable[]; optimizer?: tf.Optimizer };
  const trainable = tally(m.trainableWeights);
  const frozen = tally(m.nonTrainableWeights);
  let optimizer: { count: number; bytes: number } | undefined;
  let opt: tf.Optimizer | undefined;
  try {
    opt = m.optimizer; // tfjs's Sequential reads it from the model it builds, which may not be there
  } catch {
    opt = undefined;
  }
  if (opt != null && opt.iterations > 0) {
    const n = optimizerParams(opt, trainable.count);
    if (n != null) optimizer = { count: n, bytes: 4 * n };
  }
  const total = trainable.count + frozen.count + (optimizer?.count ?? 0);
  const totalBytes = trainable.bytes + frozen.bytes + (optimizer?.bytes ?? 0);

  const W = consoleWidth(terminal);
  const count = (label: string, t: { count: number; bytes: number }) => consoleText(` ${label}: ${thousands(t.count)} (${readableBytes(t.bytes)})`, W);
  const lines = [
    ...consoleText(`Model: "${model.name}"`, W),
    ...renderTable(columnsOf, rows, width).map((l) => cropLine(l, W)),
    ...count('Total params', { count: total, bytes: totalBytes }),
    ...count('Trainable params', trainable),
    ...count('Non-trainable params', frozen),
    ...(optimizer ? count('Optimizer params', optimizer) : []),
  ];
  for (const line of lines) o.printFn(line);
}
