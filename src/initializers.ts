/**
 * Weight initializers, named as Keras names them. A spec is a name
 * (`'glorotUniform'` or Keras's `'glorot_uniform'`), a serialized
 * `{ className, config }`, or a tfjs `Initializer` object.
 *
 * `orthogonal` is Keras's, computed in src/orthogonal.ts (a blocked
 * Householder QR in the kernels' gemm).
 */
import { tf } from './tf';
import { RecurrentConfigError, fmtValue } from './errors';
import { buildingFromFile } from './model/load_budget';
import { orthogonal } from './orthogonal';

export { orthogonal };

/** An initializer as Keras serializes it: `{ className: 'GlorotUniform', config: { seed: 1 } }`. */
export interface SerializedInitializer {
  className: string;
  config: Record<string, unknown>;
}
/** Anything with tfjs's `Initializer.apply(shape)`. */
export interface InitializerLike {
  /** A new tensor of initial values. */
  apply(shape: number[], dtype?: tf.DataType): tf.Tensor;
  /** The class name it serializes under, e.g. `'GlorotUniform'`. */
  getClassName(): string;
  /** Its serializable options. */
  getConfig(): tf.serialization.ConfigDict;
}
/** An initializer: a Keras name (`'glorotUniform'`, `'glorot_uniform'`), a serialized one, or a tfjs Initializer. */
export type InitializerSpec = string | SerializedInitializer | InitializerLike;

type Factory = (config: Record<string, unknown>) => (shape: number[]) => tf.Tensor;
const seedOf = (c: Record<string, unknown>) => (typeof c.seed === 'number' ? c.seed : undefined);

const FACTORIES: Record<string, [className: string, make: Factory]> = {
  zeros: ['Zeros', () => (shape) => tf.zeros(shape)],
  ones: ['Ones', () => (shape) => tf.ones(shape)],
  constant: ['Constant', (c) => (shape) => tf.fill(shape, Number(c.value ?? 0))],
  randomuniform: [
    'RandomUniform',
    (c) => (shape) => tf.randomUniform(shape, Number(c.minval ?? -0.05), Number(c.maxval ?? 0.05), 'float32', seedOf(c)),
  ],
  randomnormal: [
    'RandomNormal',
    (c) => (shape) => tf.randomNormal(shape, Number(c.mean ?? 0), Number(c.stddev ?? 0.05), 'float32', seedOf(c)),
  ],
  truncatednormal: [
    'TruncatedNormal',
    (c) => (shape) => tf.truncatedNormal(shape, Number(c.mean ?? 0), Number(c.stddev ?? 0.05), 'float32', seedOf(c)),
  ],
  glorotuniform: ['GlorotUniform', (c) => (shape) => tf.initializers.glorotUniform({ seed: seedOf(c) }).apply(shape)],
  glorotnormal: ['GlorotNormal', (c) => (shape) => tf.initializers.glorotNormal({ seed: seedOf(c) }).apply(shape)],
  heuniform: ['HeUniform', (c) => (shape) => tf.initializers.heUniform({ seed: seedOf(c) }).apply(shape)],
  henormal: ['HeNormal', (c) => (shape) => tf.initializers.heNormal({ seed: seedOf(c) }).apply(shape)],
  lecununiform: ['LeCunUniform', (c) => (shape) => tf.initializers.leCunUniform({ seed: seedOf(c) }).apply(shape)],
  lecunnormal: ['LeCunNormal', (c) => (shape) => tf.initializers.leCunNormal({ seed: seedOf(c) }).apply(shape)],
  orthogonal: ['Orthogonal', (c) => (shape) => orthogonal(shape, Number(c.gain ?? 1), seedOf(c))],
  identity: ['Identity', (c) => (shape) => tf.initializers.identity({ gain: Number(c.gain ?? 1) }).apply(shape)],
  variancescaling: [
    'VarianceScaling',
    (c) => (shape) =>
      tf.initializers
        .varianceScaling({
          scale: Number(c.scale ?? 1),
          mode: (c.mode as 'fanIn' | 'fanOut' | 'fanAvg') ?? 'fanIn',
          distribution: (c.distribution as 'normal' | 'uniform' | 'truncatedNormal') ?? 'normal',
          seed: seedOf(c),
        })
        .apply(shape),
  ],
};
const ALIASES: Record<string, string> = { uniform: 'randomuniform', normal: 'randomnormal' };

function key(name: string): string {
  const k = name.replace(/_/g, '').toLowerCase();
  return ALIASES[k] ?? k;
}

function isInitializerLike(v: unknown): v is InitializerLike {
  return typeof v === 'object' && v !== null && typeof (v as InitializerLike).apply === 'function';
}

/** A resolved initializer: makes a value for a shape, and serializes as Keras does. */
export interface ResolvedInitializer {
  make(shape: number[]): tf.Tensor;
  serialize(): SerializedInitializer;
}

export function resolveInitializer(owner: string, arg: string, spec: InitializerSpec | undefined, dflt: string): ResolvedInitializer {
  const s = spec ?? dflt;
  if (isInitializerLike(s)) {
    return { make: (shape) => s.apply(shape, 'float32'), serialize: () => ({ className: s.getClassName(), config: { ...s.getConfig() } }) };
  }
  let name: unknown;
  let config: Record<string, unknown> = {};
  if (typeof s === 'string') {
    name = s;
  } else if (typeof s === 'object' && s !== null && typeof (s as SerializedInitializer).className === 'string') {
    name = (s as SerializedInitializer).className;
    config = { ...((s as SerializedInitializer).config ?? {}) };
  }
  const entry = typeof name === 'string' && Object.prototype.hasOwnProperty.call(FACTORIES, key(name)) ? FACTORIES[key(name)] : undefined;
  if (entry === undefined && typeof name === 'string' && typeof s === 'object') {
    // Another initializer registered with tfjs (VarianceScaling, Identity, a user's own).
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    const registered = Object.prototype.hasOwnProperty.call(map, name) ? map[name] : undefined;
    if (registered) {
      const [cls, fromConfig] = registered;
      const inst = fromConfig(cls, config as tf.serialization.ConfigDict) as unknown as InitializerLike;
      if (isInitializerLike(inst)) return resolveInitializer(owner, arg, inst, dflt);
    }
  }
  if (entry === undefined) {
    throw new RecurrentConfigError(
      `${owner}: ${arg} must be an initializer name such as 'glorotUniform', 'orthogonal' or 'zeros' ` +
        `(known: ${Object.values(FACTORIES).map(([c]) => c).join(', ')}), got ${fmtValue(s)}`,
    );
  }
  const [className, factory] = entry;
  if (className === 'RandomUniform' && key(String(name)) === 'randomuniform' && typeof s === 'string') {
    config = { minval: -0.05, maxval: 0.05 };
  }
  const make = factory(config);
  // While a loader builds from a file, the file's values replace every initial value: draw none.
  return { make: (shape) => tf.tidy(() => (buildingFromFile() ? tf.zeros(shape) : make(shape))), serialize: () => ({ className, config }) };
}
