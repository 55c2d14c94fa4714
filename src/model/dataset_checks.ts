/**
 * fitDataset's and evaluateDataset's inputs, checked as fit checks x and y:
 * each element of the dataset (tfjs reads `{ xs, ys }`) is checked against
 * the model's inputs and outputs as it is read, before tfjs feeds it to the
 * model, so a wrong shape is an error naming the call and the element
 * instead of a failure inside a layer. An element tfjs would read only in
 * part (a Keras-style `[x, y]` pair, or `{ xs, ys, sampleWeight }` whose
 * weights tfjs's fitDataset would drop) is refused.
 */
import { tf } from '../tf';
import { RecurrentConfigError, RecurrentInputError, fmtValue } from '../errors';

/** Checks one element's xs and ys (as the model's fit does); throws naming `where`. */
export type ElementCheck = (where: string, xs: unknown, ys: unknown) => void;

/** Whether `d` is a tfjs dataset (what tfjs's fitDataset takes: an object with `iterator()`). */
export const isDataset = (d: unknown): d is tf.data.Dataset<tf.TensorContainer> =>
  d != null && typeof d === 'object' && typeof (d as { iterator?: unknown }).iterator === 'function';

/** `{ xs, ys }` of one element, or an error saying what the element is. */
function elementParts(where: string, value: unknown): { xs: unknown; ys: unknown } {
  if (Array.isArray(value)) {
    throw new RecurrentInputError(`${where} must be an object { xs, ys } (tfjs's form), got an array of ${value.length}: map the dataset with .map(([x, y]) => ({ xs: x, ys: y }))`);
  }
  if (value == null || typeof value !== 'object') throw new RecurrentInputError(`${where} must be an object { xs, ys }, got ${fmtValue(value)}`);
  const keys = Object.keys(value);
  const extra = keys.filter((k) => k !== 'xs' && k !== 'ys');
  if (extra.length > 0) {
    throw new RecurrentInputError(
      `${where} must hold only xs and ys, got also ${extra.map((k) => `'${k}'`).join(', ')} (a dataset's sample weights are not supported: pass tensors to fit with { sampleWeight })`,
    );
  }
  const { xs, ys } = value as { xs?: unknown; ys?: unknown };
  if (xs == null || ys == null) throw new RecurrentInputError(`${where} must be an object { xs, ys }, got keys ${keys.join(', ') || 'none'}`);
  return { xs, ys };
}

/**
 * `dataset` with each element checked by `check` as it is read (the
 * dataset's size, which tfjs uses for the progress, is kept).
 */
export function checkedDataset(who: string, arg: string, dataset: unknown, check: ElementCheck): tf.data.Dataset<tf.TensorContainer> {
  if (!isDataset(dataset)) throw new RecurrentConfigError(`${who}: ${arg} must be a tf.data.Dataset of { xs, ys } elements, got ${Array.isArray(dataset) ? 'an array' : fmtValue(dataset)}`);
  let k = 0;
  return dataset.map((value) => {
    const where = `${who}: element ${k++} of ${arg}`;
    const { xs, ys } = elementParts(where, value);
    check(where, xs, ys);
    return value;
  });
}

/**
 * fitDataset's `validationData`: a dataset (its elements checked as the
 * training data's), or tensors `[x, y]` checked once; `[x, y, w]` is refused
 * (tfjs's fitDataset cannot weigh its validation).
 */
export function checkedValidation(who: string, validationData: unknown, check: ElementCheck): unknown {
  if (validationData == null) return validationData;
  if (isDataset(validationData)) return checkedDataset(who, 'validationData', validationData, check);
  if (!Array.isArray(validationData) || validationData.length < 2 || validationData.length > 3) {
    throw new RecurrentConfigError(`${who}: validationData must be a tf.data.Dataset or [x, y], got ${Array.isArray(validationData) ? `an array of ${validationData.length}` : fmtValue(validationData)}`);
  }
  if (validationData.length === 3) {
    throw new RecurrentConfigError(`${who}: validationData [x, y, sampleWeight] is not supported by fitDataset; pass [x, y], or weigh the validation with fit's validationData`);
  }
  check(`${who}: validationData`, validationData[0], validationData[1]);
  return validationData;
}
