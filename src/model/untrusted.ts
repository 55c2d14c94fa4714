/**
 * A model file is untrusted input (models come from strangers: that is the
 * point of loading Keras models). Before anything is read or allocated on its
 * word, these checks hold it to what a saved model can honestly say:
 *
 * - nesting depth at most {@link MAX_DEPTH} (a deeper config overflows the
 *   stack of the deserializers that walk it);
 * - a weights manifest of `{ paths: string[], weights: [{ name, shape, dtype }] }`,
 *   shapes of non-negative integers, dtypes tfjs can decode;
 * - every weight path relative and inside the model's folder (or under the
 *   model's URL), with no `..` step, no absolute path and no scheme;
 * - the bytes the manifest declares equal to the bytes the files hold, checked
 *   against the files' sizes before any file is read.
 */
import * as path from 'path';
import { tf } from '../tf';
import { RecurrentInputError, fmtShape } from '../errors';

/**
 * `text` with every invisible character (a BOM, zero-width spaces, control
 * characters, spaces other than ' ') written as `\uXXXX`, so that an error
 * quoting a file shows what is there.
 */
export function visible(text: string): string {
  return text.replace(/(?! )[\p{Cc}\p{Cf}\p{Z}]/gu, (c) => `\\u${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
}

/** Deeper than any Keras config (about 10 levels); shallow enough for any recursive walk. */
export const MAX_DEPTH = 100;

/** One group of a weights manifest: the files, and the weights they hold in order. */
type WeightsGroup = tf.io.WeightsManifestConfig[number];

/** Bytes per element of the dtypes a weights manifest may declare. */
const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 }; // what tf.io.decodeWeights reads without quantization

/** Throws if `value` nests objects or arrays deeper than MAX_DEPTH (walked without recursion). */
export function checkDepth(value: unknown, where: string): void {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > MAX_DEPTH) throw new RecurrentInputError(`${where}: the model JSON nests deeper than ${MAX_DEPTH} levels; refused`);
    for (const child of Object.values(v as object)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
}

/** Bytes of one weight as declared, or an error naming it. */
export function declaredBytes(spec: tf.io.WeightsManifestEntry, where: string): number {
  const name = typeof spec?.name === 'string' ? spec.name : '?';
  if (!Object.prototype.hasOwnProperty.call(BYTES, spec?.dtype) || spec.quantization != null) {
    throw new RecurrentInputError(`${where}: weight '${name}' has dtype ${JSON.stringify(spec?.dtype)}${spec?.quantization != null ? ' with quantization' : ''}; expected one of ${Object.keys(BYTES).join(', ')}`);
  }
  if (!Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new RecurrentInputError(`${where}: weight '${name}' has shape ${JSON.stringify(spec.shape)}; expected non-negative integers`);
  }
  return BYTES[spec.dtype] * spec.shape.reduce((a, b) => a * b, 1);
}

/** The manifest's groups, checked for form (not yet against any file). */
export function checkManifest(manifest: unknown, where: string): tf.io.WeightsManifestConfig {
  if (!Array.isArray(manifest)) throw new RecurrentInputError(`${where}: weightsManifest must be an array, got ${typeof manifest}`);
  for (const group of manifest as Array<Partial<WeightsGroup>>) {
    if (group == null || !Array.isArray(group.paths) || !group.paths.every((p: unknown) => typeof p === 'string') || !Array.isArray(group.weights)) {
      throw new RecurrentInputError(`${where}: every weightsManifest group needs paths (strings) and weights (an array)`);
    }
    for (const spec of group.weights) {
      if (spec == null || typeof spec.name !== 'string') throw new RecurrentInputError(`${where}: a weight in weightsManifest has no name`);
      declaredBytes(spec, where);
    }
  }
  return manifest as tf.io.WeightsManifestConfig;
}

/** A weight path of a manifest, as a path inside `dir`; refused if it could lead anywhere else. */
export function weightPathInside(dir: string, p: string, where: string): string {
  const parts = p.split(/[\\/]/);
  if (p.length === 0 || path.isAbsolute(p) || /^[a-z][a-z0-9+.-]*:/i.test(p) || parts.includes('..')) {
    throw new RecurrentInputError(`${where}: weight path ${JSON.stringify(p)} leaves the model's folder; refused`);
  }
  const root = path.resolve(dir);
  const full = path.resolve(root, p);
  if (!full.startsWith(root + path.sep)) throw new RecurrentInputError(`${where}: weight path ${JSON.stringify(p)} leaves the model's folder; refused`);
  return full;
}

/**
 * Checks a group's declared weights against the bytes its files hold, before
 * reading them: the first weight that does not fit is named.
 */
export function checkGroupBytes(group: WeightsGroup, fileBytes: number, where: string): void {
  let offset = 0;
  for (const spec of group.weights) {
    const n = declaredBytes(spec, where);
    if (offset + n > fileBytes) {
      throw new RecurrentInputError(
        `${where}: ${spec.name}: manifest declares ${fmtShape(spec.shape)} ${spec.dtype} = ${n} bytes from byte ${offset}, but ${group.paths.join(', ')} hold(s) ${fileBytes} bytes: truncated or from another model`,
      );
    }
    offset += n;
  }
  if (offset !== fileBytes) {
    throw new RecurrentInputError(`${where}: ${group.paths.join(', ')} hold(s) ${fileBytes} bytes, but the manifest describes ${offset}: truncated or from another model`);
  }
}
