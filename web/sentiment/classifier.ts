/**
 * What the sentiment page computes, without the DOM: a run's models (or one
 * trained in the page) scoring texts encoded as Node encodes them
 * (`encodeTexts`), each word's effect on the probability, and the recurrent
 * layer's state at each word.
 *
 *   p(text)        the mean over the models of their outputs, as `tfjs-recurrent predict`
 *   effect(w_i)    p(text) − p(text without w_i), the words joined again by the tokenizer's split
 *   h_t            the first model's recurrent layer, copied with returnSequences: its output at step t
 */
import { Bidirectional, RNN, Tokenizer, tf, textToWordSequence } from '../../src/index.browser';
import { Encoding, encodeTexts, idsTensor } from '../../src/sentiment/encode';

/** One direction's states over the words: `h[t][j]` is unit j after step t. */
export interface StateRows {
  /** 'forward', 'backward', or '' for a one-way layer. */
  direction: 'forward' | 'backward' | '';
  /** [steps][units]. */
  h: number[][];
}

/** The recurrent layer's states over the words of one text. */
export interface Steps {
  /** The words the model reads, one a step (the last maxlen words). */
  words: string[];
  /** One entry per direction. */
  directions: StateRows[];
  /** What the rows are and what the classifier reads of them, in words. */
  note: string;
}

/** The first recurrent layer of a model (a SimpleRNN, LSTM, GRU or RNN, or a Bidirectional around one). */
function recurrentLayer(model: tf.LayersModel): RNN | Bidirectional {
  const r = model.layers.find((l) => l instanceof RNN || l instanceof Bidirectional);
  if (r === undefined) throw new Error(`the model '${model.name}' has no recurrent layer to show`);
  return r as RNN | Bidirectional;
}

/** `layer` rebuilt from its config with `overrides`, its weights copied: for a Bidirectional, both directions return sequences, concatenated. */
function copyReturningSequences(layer: RNN | Bidirectional, name: string): tf.layers.Layer {
  const seqs = { returnSequences: true, returnState: false };
  const cfg = { ...layer.getConfig(), name } as Record<string, unknown>;
  delete cfg.batchInputShape;
  if (layer instanceof Bidirectional) {
    type Wrapped = { className: string; config: Record<string, unknown> };
    const wrap = (w: Wrapped) => ({ ...w, config: { ...w.config, ...seqs } });
    cfg.layer = wrap(cfg.layer as Wrapped);
    if (cfg.backwardLayer != null) cfg.backwardLayer = wrap(cfg.backwardLayer as Wrapped);
    cfg.mergeMode = 'concat';
    return Bidirectional.fromConfig(Bidirectional, cfg as tf.serialization.ConfigDict) as unknown as Bidirectional;
  }
  const Ctor = layer.constructor as typeof RNN;
  return Ctor.fromConfig(Ctor, { ...cfg, ...seqs } as tf.serialization.ConfigDict) as unknown as RNN;
}

/** What the layer after the recurrent one does with its outputs, for the note. */
function readsWhat(layer: RNN | Bidirectional, bi: boolean): string {
  const next = layer.outboundNodes[0]?.outboundLayer?.getClassName() ?? '';
  if (layer.returnSequences) {
    const how = /Max/.test(next) ? 'the largest value of each unit over the words' : /Average/.test(next) ? 'the mean of each unit over the words' : `every step (${next})`;
    return `The classifier reads ${how}.`;
  }
  return bi
    ? 'The classifier reads the → rows at the last word and the ← rows at the first.'
    : 'The classifier reads the state at the last word.';
}

/** The name the page gives a layer: "LSTM (16 units)", "bidirectional GRU (8 units each way)". */
function describe(layer: RNN | Bidirectional): string {
  const inner = layer instanceof Bidirectional ? layer.forwardLayer : layer;
  const kind = inner.getClassName().replace(/^.*>/, '');
  const units = (inner as unknown as { units?: number }).units ?? '?';
  return layer instanceof Bidirectional ? `bidirectional ${kind} (${units} units each way)` : `${kind} (${units} units)`;
}

/** Scores texts with one or more models (their mean), encoding them from a tokenizer and an `Encoding`. */
export class Classifier {
  private stepsModel: tf.LayersModel | null = null;
  private stepsLayer: tf.layers.Layer | null = null;

  /**
   * @param models the models, averaged (an ensemble); the first one's recurrent layer is the one shown
   * @param tokenizer the tokenizer the models were trained with
   * @param encoding how texts become their input (`encodingOf` of preprocessing.json)
   * @param label what the page calls this classifier
   */
  constructor(readonly models: tf.LayersModel[], readonly tokenizer: Tokenizer, readonly encoding: Encoding, readonly label: string) {
    if (models.length === 0) throw new Error('a Classifier needs at least one model');
  }

  /** What the recurrent layer shown is: "LSTM (16 units)", with the member it belongs to where there are several. */
  get layerName(): string {
    const name = describe(recurrentLayer(this.models[0]));
    return this.models.length > 1 ? `${name}, model 1 of ${this.models.length}` : name;
  }

  /** The words of `text` the models read, as `encodeTexts` splits it (words with no id dropped where there are no subwords), all of them. */
  words(text: string): string[] {
    const t = this.tokenizer;
    const words = textToWordSequence(text, t.filters, t.lower, t.split);
    return this.encoding.subwords ? words : words.filter((w) => t.wordToId(w) !== undefined);
  }

  /** P(positive) of each text: the mean of the models' outputs. */
  predict(texts: string[]): number[] {
    if (texts.length === 0) return [];
    const x = idsTensor(encodeTexts(this.tokenizer, texts, this.encoding), this.encoding); // [n, maxlen] or [n, maxlen, bag]
    const sum = new Array<number>(texts.length).fill(0);
    try {
      for (const m of this.models) {
        const y = m.predict(x) as tf.Tensor; //                                                    [n, 1]
        Array.from(y.dataSync()).forEach((v, i) => (sum[i] += v / this.models.length));
        y.dispose();
      }
    } finally {
      x.dispose();
    }
    return sum;
  }

  /**
   * p(text), the words the models read (the last maxlen) and each one's
   * effect: p(text) − p(text without that word), the other words joined by
   * the tokenizer's split. One batch of n + 1 texts.
   */
  effects(text: string): { p: number; words: string[]; effects: number[] } {
    const all = this.words(text);
    const first = Math.max(0, all.length - this.encoding.maxlen);
    const without = all.slice(first).map((_, k) => all.filter((_, i) => i !== first + k).join(this.tokenizer.split));
    const [p, ...rest] = this.predict([text, ...without]);
    return { p, words: all.slice(first), effects: rest.map((q) => p - q) };
  }

  /** The recurrent layer's state at each word of `text` (null for a text with no word). */
  steps(text: string): Steps | null {
    const words = this.words(text).slice(-this.encoding.maxlen);
    if (words.length === 0) return null;
    const layer = recurrentLayer(this.models[0]);
    const bi = layer instanceof Bidirectional;
    const x = idsTensor(encodeTexts(this.tokenizer, [text], this.encoding), this.encoding);
    const y = this.sequenceModel().predict(x) as tf.Tensor; //       [1, maxlen, H] or [1, maxlen, 2H]: → then ←
    const [, T, D] = y.shape as number[];
    const flat = y.dataSync();
    tf.dispose([x, y]);
    const n = words.length; // pre-padding: the real steps are the last n
    const rows = (from: number, to: number) => Array.from({ length: n }, (_, t) => Array.from(flat.subarray((T - n + t) * D + from, (T - n + t) * D + to)));
    const directions: StateRows[] = bi
      ? [{ direction: 'forward', h: rows(0, D / 2) }, { direction: 'backward', h: rows(D / 2, D) }]
      : [{ direction: '', h: rows(0, D) }];
    const what = bi
      ? '→ rows: the forward layer\'s state h_t after reading the words up to this one. ← rows: the backward layer\'s state after reading from the last word back to this one.'
      : 'Each row is one unit of the state h_t after reading the words up to this one.';
    return { words, directions, note: `${this.layerName}. ${what} ${readsWhat(layer, bi)}` };
  }

  /** The first model up to its recurrent layer, that layer copied to return its output at every step (made once). */
  private sequenceModel(): tf.LayersModel {
    if (this.stepsModel === null) {
      const layer = recurrentLayer(this.models[0]);
      const copy = copyReturningSequences(layer, `${layer.name}_steps`);
      const out = copy.apply(layer.input) as tf.SymbolicTensor; // the same embedding's output, and its mask
      copy.setWeights(layer.getWeights());
      this.stepsLayer = copy;
      this.stepsModel = tf.model({ inputs: this.models[0].inputs, outputs: out });
    }
    return this.stepsModel;
  }

  /** Frees the models and the copied layer. */
  dispose(): void {
    this.stepsLayer?.dispose(); // not the steps model's: its other layers are the first model's
    this.models.forEach((m) => m.dispose());
  }
}

/**
 * The units to show of one direction: the `k` whose state varies most over
 * these words (standard deviation over the steps), most varying first.
 */
export function liveliestUnits(h: number[][], k: number): number[] {
  const units = h[0]?.length ?? 0;
  const spread = Array.from({ length: units }, (_, j) => {
    const xs = h.map((row) => row[j]);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) + 1e-9 * Math.abs(mean); // a tie (one word) goes to the largest |h|
  });
  return [...spread.keys()].sort((a, b) => spread[b] - spread[a]).slice(0, k);
}
