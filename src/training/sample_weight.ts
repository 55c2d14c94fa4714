/**
 * Sample weights as Keras 3 applies them to the loss (keras/src/losses/loss.py,
 * `reduce_weighted_values` with the default `sum_over_batch_size`): each
 * output's loss values ℓ (one per sample, [B], or one per step for an output
 * with a time axis, [B, T]) are multiplied by their weights and summed, then
 * divided by the number of loss values, zero weights included:
 *
 *   L = Σ_b Σ_t w_bt ℓ_bt / (B · T)
 *
 * so a weight of 0 removes a sample's (or a step's) loss without changing the
 * divisor, and weights [1, 1, …] give the unweighted loss. Over several
 * batches, Keras averages the batch losses weighted by their size, which is
 * the same L over all the data.
 *
 * A weight is per sample, [B] or [B, 1], or per step, the shape of the loss
 * ([B, T] for an output [B, T, C]). A per-sample weight on an output with a
 * time axis weights each step of the sample alike (Keras 3 does so for
 * [B, 1]; it refuses [B], which its broadcasting cannot align with [B, T];
 * tf.keras 2 took both).
 */
import { tf } from '../tf';
import { RecurrentConfigError, RecurrentInputError, fmtShape } from '../errors';
import { arrayTensor, isPlainArray } from '../layers/base';

/** What a weight is checked against: each output's name and symbolic shape, and its targets as the model has them. */
export interface WeightedOutputs {
  names: string[];
  shapes: Array<Array<number | null>>;
  ys: tf.Tensor[];
}

/** Weights as given: one for every output, one per output (Tensors, in order), or by output name. */
export type SampleWeight = tf.Tensor | number[] | number[][] | tf.Tensor[] | { [outputName: string]: tf.Tensor | number[] | number[][] };

/** The shape of output i's loss values: the targets' batch, then the output's axes between the batch and the last. */
function lossShape(out: WeightedOutputs, i: number): number[] {
  const y = out.ys[i];
  const inner = out.shapes[i].slice(1, -1).map((d, k) => d ?? y.shape[k + 1]);
  return [y.shape[0], ...inner];
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** Where flat index `k` is in a tensor of `shape`: `[1, 3]`. */
function position(k: number, shape: readonly number[]): string {
  const at: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    at.unshift(k % shape[d]);
    k = Math.floor(k / shape[d]);
  }
  return `[${at.join(', ')}]`;
}

/**
 * One weight, checked and shaped to multiply output i's loss: float32, [B]
 * or [B, 1, …, 1] per sample, the loss's shape per step. Tensors it makes
 * are pushed to `made`.
 */
function oneWeight(who: string, arg: string, given: unknown, out: WeightedOutputs, i: number, perSampleOnly: boolean, made: tf.Tensor[]): tf.Tensor {
  let w: tf.Tensor;
  if (given instanceof tf.Tensor) {
    if (given.isDisposed) throw new RecurrentInputError(`${who}: ${arg} is a disposed tensor`);
    if (given.dtype === 'string' || given.dtype === 'complex64') throw new RecurrentInputError(`${who}: ${arg} must be numeric, got dtype ${given.dtype}`);
    w = given;
  } else if (isPlainArray(given)) {
    w = arrayTensor(`${who}: ${arg}`, given, 'float32');
    made.push(w);
  } else {
    throw new RecurrentInputError(`${who}: ${arg} must be a Tensor or a nested array of numbers, got ${Array.isArray(given) ? 'an empty array' : typeof given}`);
  }
  const loss = lossShape(out, i);
  const B = loss[0];
  const perSample = sameShape(w.shape, [B]) || sameShape(w.shape, [B, 1]);
  const perStep = !perSampleOnly && loss.length > 1 && sameShape(w.shape, loss);
  if (!perSample && !perStep) {
    const forms = [`[${B}]`, `[${B}, 1]`];
    const steps = loss.length > 1 ? (perSampleOnly ? ` (a weight per step needs one per output: pass ${arg} as an array or by output name)` : ` or ${fmtShape(loss)} (one per step of the output '${out.names[i]}')`) : '';
    throw new RecurrentInputError(
      `${who}: ${arg} must have shape ${forms.join(' or ')} (one weight per sample)${steps}, got ${fmtShape(w.shape)}`,
    );
  }
  const values = w.dataSync();
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (!Number.isFinite(v) || v < 0) {
      throw new RecurrentInputError(`${who}: ${arg} must hold finite weights ≥ 0, got ${v} at ${position(k, w.shape)}`);
    }
  }
  const shape = perStep ? loss : [B, ...loss.slice(1).map(() => 1)];
  const shaped = tf.tidy(() => tf.reshape(tf.cast(w, 'float32'), shape));
  made.push(shaped);
  return shaped;
}

/**
 * The weights of each output (float32, shaped to multiply its loss values)
 * from `sampleWeight` as given: a Tensor or nested array for every output
 * (per sample only when there are several outputs, as Keras requires), an
 * array of Tensors one per output, or an object by output name (an output
 * left out weighs 1). Each is checked (its shape, and finite values ≥ 0)
 * before the model computes anything. Tensors made are pushed to `made`
 * (the caller disposes them), also when this throws.
 */
export function sampleWeightTensors(who: string, arg: string, sampleWeight: unknown, out: WeightedOutputs, made: tf.Tensor[]): tf.Tensor[] {
  const n = out.names.length;
  const single = sampleWeight instanceof tf.Tensor || (isPlainArray(sampleWeight) && !sampleWeight.every((v) => v instanceof tf.Tensor));
  const perOutput: unknown[] = (() => {
    if (single) return out.names.map(() => sampleWeight);
    if (Array.isArray(sampleWeight) && sampleWeight.length > 0 && sampleWeight.every((v) => v instanceof tf.Tensor)) {
      if (sampleWeight.length !== n) {
        throw new RecurrentConfigError(`${who}: ${arg} as an array of Tensors needs one per output (${n}: ${out.names.join(', ')}), got ${sampleWeight.length}`);
      }
      return sampleWeight;
    }
    if (sampleWeight != null && typeof sampleWeight === 'object' && !Array.isArray(sampleWeight)) {
      const byName = sampleWeight as Record<string, unknown>;
      const unknown = Object.keys(byName).filter((k) => !out.names.includes(k));
      if (unknown.length > 0) {
        throw new RecurrentConfigError(`${who}: ${arg} names no output '${unknown[0]}'; the outputs are ${out.names.map((s) => `'${s}'`).join(', ')}`);
      }
      return out.names.map((name) => byName[name]);
    }
    throw new RecurrentConfigError(
      `${who}: ${arg} must be a Tensor or a nested array of numbers${n > 1 ? ', an array of Tensors (one per output) or an object by output name' : ''}, got ${Array.isArray(sampleWeight) ? 'an empty array' : typeof sampleWeight}`,
    );
  })();
  return perOutput.map((w, i) => {
    const name = n > 1 && !single ? `${arg}${Array.isArray(sampleWeight) ? `[${i}]` : `.${out.names[i]}`}` : arg;
    if (w == null) {
      const ones = tf.ones(lossShape(out, i).map((d, k) => (k === 0 ? d : 1)));
      made.push(ones);
      return ones;
    }
    return oneWeight(who, name, w, out, i, single && n > 1, made);
  });
}

/** Keras's rule: `sampleWeight` and `classWeight` cannot be given together (Keras: "You cannot `class_weight` and `sample_weight` at the same time"). */
export function checkOneWeighting(who: string, sampleWeight: unknown, classWeight: unknown): void {
  if (sampleWeight != null && classWeight != null) {
    throw new RecurrentConfigError(`${who}: pass sampleWeight or classWeight, not both (Keras refuses both too); to combine them, multiply each sample's weight by its class's weight`);
  }
}
