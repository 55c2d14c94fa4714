/**
 * A stateful one-step generator over a trained text model: it keeps the
 * recurrent states between steps and runs one step per id, never the prefix
 * again, and never through `predict` or any tf op. Where the kernels are
 * built (every backend: src/placement.ts, `generationKernels`) the weights and
 * states stay in the kernels' memory and a step is one kernel call
 * (kernel_steps.ts); elsewhere plain JavaScript runs the same equations
 * (host_steps.ts).
 */
import { tf } from '../tf';
import { RecurrentConfigError, RecurrentInputError, fmtValue } from '../errors';
import { generationKernels } from '../placement';
import { readTextModel, TextModelSpec } from './text_model';
import { KernelSteps, StepRunner } from './kernel_steps';
import { HostSteps } from './host_steps';
import { SampleOptions, checkSampleOptions, sample } from './sample';
import { SeedGenerator } from './seed_generator';
import { positiveInt } from '../validate';

/** Options of {@link generator}. */
export interface GeneratorOptions {
  /** Rows stepped at once (default 1); `reset` can change it. */
  batchSize?: number;
}

/** Options of {@link TextGenerator.generate}: how many ids, how to draw them, and a callback per id. */
export interface GenerateOptions extends SampleOptions {
  /** How many ids to generate after the prompt. */
  length: number;
  /** Called after each id is drawn, with the id and its index (0 … length − 1): for a progress bar, or to stream text out. */
  onStep?: (id: number, index: number) => void;
}

/**
 * Steps a trained text model (Embedding → SimpleRNN / LSTM / GRU layers →
 * Dense) one id at a time, keeping its recurrent states between steps: the
 * step after a prefix gives what `model.predict` gives at the last step of
 * that whole prefix, to float32 rounding (on `cpu`, where `predict` runs the
 * same products in the kernels, the logits are the same to the bit; the
 * softmaxes round differently). Made by {@link generator}.
 *
 * It copies the model's weights when it is made: make a new one after
 * training further. `dispose()` frees the kernels' memory it holds (a
 * generator dropped without it frees it when garbage-collected).
 *
 * @example
 * ```ts
 * import { tf, Sequential, Embedding, LSTM, Dense, generator, sample } from 'tfjs-recurrent';
 * const model = new Sequential({ layers: [
 *   new Embedding({ inputDim: 30, outputDim: 8, inputLength: 5 }),
 *   new LSTM({ units: 16, returnSequences: true }),
 *   new LSTM({ units: 16 }),
 *   new Dense({ units: 30, activation: 'softmax' }),
 * ] });
 * const gen = generator(model);
 * let p: Float32Array[] = [];
 * for (const id of [3, 1, 4, 1, 5]) p = gen.step([id]); // p[0]: predict's last row for the prefix 3 1 4 1 5
 * const next = sample(p, { temperature: 0.8, seed: 1 }); // [id]
 * const more = gen.generate([3, 1, 4], { length: 20, topK: 5, seed: 1 }); // 20 ids after 3 1 4
 * gen.dispose();
 * ```
 */
export class TextGenerator {
  /** V: the ids a step takes are in [0, V). */
  readonly vocabularySize: number;
  /** N: the values a step gives per row. */
  readonly outputSize: number;
  /** Whether a step gives logits (the Dense is linear) rather than probabilities (softmax). */
  readonly fromLogits: boolean;
  /** Where the steps run: 'kernels' (our WebAssembly kernels, on every backend) or 'host' (plain JavaScript). */
  readonly path: 'kernels' | 'host';
  private readonly runner: StepRunner;
  private readonly spec: TextModelSpec;

  /** Use {@link generator}. */
  constructor(model: tf.LayersModel, options: GeneratorOptions = {}) {
    const who = 'generator';
    if (options == null || typeof options !== 'object') throw new RecurrentConfigError(`${who}: options must be an object such as { batchSize: 1 }, got ${fmtValue(options)}`);
    for (const k of Object.keys(options)) if (k !== 'batchSize') throw new RecurrentConfigError(`${who}: unknown option '${k}'; known options: batchSize`);
    const B = positiveInt(who, 'batchSize', options.batchSize ?? 1);
    this.spec = readTextModel(model, who);
    this.vocabularySize = this.spec.V;
    this.outputSize = this.spec.dense.N;
    this.fromLogits = this.spec.dense.activation === 'linear';
    const k = generationKernels();
    this.path = k ? 'kernels' : 'host';
    this.runner = k ? new KernelSteps(k, this.spec, B, 'TextGenerator') : new HostSteps(this.spec, B);
  }

  /** Rows stepped at once. */
  get batchSize(): number {
    return this.runner.batchSize;
  }

  /** Zero states, as at the start of a sequence (for `batchSize` rows; default: as many as now). */
  reset(batchSize: number = this.batchSize): void {
    this.runner.reset(positiveInt('TextGenerator.reset', 'batchSize', batchSize));
  }

  /**
   * One step: the next id of each row (one id, or `batchSize` of them) goes
   * in, and each row's output comes out: probabilities (a softmax Dense) or
   * logits (a linear one), N values per row.
   */
  step(ids: number | ArrayLike<number>): Float32Array[] {
    const B = this.batchSize, V = this.vocabularySize, N = this.outputSize;
    const list = typeof ids === 'number' ? [ids] : ids;
    const ok = list != null && typeof list.length === 'number' && list.length === B;
    const given = ok ? Int32Array.from(list) : null;
    if (!given || Array.from(list).some((v, i) => v !== given[i] || !(v >= 0 && v < V))) {
      throw new RecurrentInputError(
        `TextGenerator.step: ids must be ${B === 1 ? 'one integer id' : `${B} integer ids (one per row)`} in [0, ${V}), got ${typeof ids === 'number' ? ids : ArrayBuffer.isView(ids) ? `[${Array.from(ids).join(', ')}]` : fmtValue(ids)}`,
      );
    }
    const y = this.runner.step(given);
    const rows = Array.from({ length: B }, (_, r) => y.subarray(r * N, (r + 1) * N));
    return this.fromLogits ? rows : rows.map(softmax);
  }

  /** Each recurrent cell's states now, in order: [h] or, for LSTM, [h, c], each [batchSize · units] (row after row). */
  states(): Float32Array[][] {
    return this.runner.states();
  }

  /**
   * From zero states and one row: steps through `prompt`, then draws `length`
   * ids, each fed back as the next step's input (drawn as {@link sample}
   * draws, with these options; an integer seed seeds one stream for the whole
   * text). Returns the ids drawn.
   */
  generate(prompt: ArrayLike<number>, options: GenerateOptions): number[] {
    const who = 'TextGenerator.generate';
    if (options == null || typeof options !== 'object') throw new RecurrentConfigError(`${who}: options must be an object such as { length: 100, temperature: 0.8 }, got ${fmtValue(options)}`);
    const { length, onStep, seed, ...drawing } = options;
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) throw new RecurrentConfigError(`${who}: length must be an integer >= 0, got ${fmtValue(length)}`);
    if (onStep !== undefined && typeof onStep !== 'function') throw new RecurrentConfigError(`${who}: onStep must be a function, got ${fmtValue(onStep)}`);
    if (prompt == null || typeof prompt.length !== 'number' || prompt.length === 0) {
      throw new RecurrentInputError(`${who}: prompt must hold at least one id (the first input), got ${fmtValue(prompt)}`);
    }
    checkSampleOptions({ ...drawing, seed, fromLogits: this.fromLogits }, who); // (before any step)
    const stream = typeof seed === 'number' ? new SeedGenerator(seed) : seed; //   one stream for the whole text
    const opts: SampleOptions = { ...drawing, seed: stream, fromLogits: this.fromLogits };
    this.reset(1);
    let p: Float32Array[] = [];
    for (let i = 0; i < prompt.length; i++) p = this.step([prompt[i]]);
    const out: number[] = [];
    for (let i = 0; i < length; i++) {
      const [id] = sample(p, opts);
      out.push(id);
      onStep?.(id, i);
      if (i < length - 1) p = this.step([id]);
    }
    return out;
  }

  /** Frees the kernels' memory the generator holds; it cannot step afterwards. */
  dispose(): void {
    this.runner.dispose();
  }
}

/** softmax of one row, in float64, stored as float32. */
function softmax(z: Float32Array): Float32Array {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  const e = new Float64Array(z.length);
  let sum = 0;
  for (let i = 0; i < z.length; i++) sum += e[i] = Math.exp(z[i] - max);
  const p = new Float32Array(z.length);
  for (let i = 0; i < z.length; i++) p[i] = e[i] / sum;
  return p;
}

/**
 * A {@link TextGenerator} over `model` (Embedding → SimpleRNN / LSTM / GRU
 * layers, returnSequences on all but possibly the last → Dense, softmax or
 * linear; Dropout anywhere between): it steps the model one id at a time,
 * keeping its states, in our kernels on every backend.
 *
 * @example
 * ```ts
 * import { Sequential, Embedding, GRU, Dense, generator } from 'tfjs-recurrent';
 * const model = new Sequential({ layers: [new Embedding({ inputDim: 12, outputDim: 4, inputLength: 3 }), new GRU({ units: 8 }), new Dense({ units: 12 })] });
 * const gen = generator(model, { batchSize: 2 });
 * const [a, b] = gen.step([5, 7]); // logits (the Dense is linear): gen.fromLogits is true
 * gen.dispose();
 * ```
 */
export function generator(model: tf.LayersModel, options: GeneratorOptions = {}): TextGenerator {
  return new TextGenerator(model, options);
}
