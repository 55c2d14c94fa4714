/**
 * The pieces of Keras 3's JSON that every writer of a `.keras` file uses:
 * a layer's `{ module, class_name, config, registered_name }`, the float32
 * dtype policy, an initializer's config, and a layer's weights as Keras
 * nests them in `model.weights.h5`.
 */
import { tf } from '../../tf';

export type KerasJson = Record<string, unknown>;

/** A weight given as values on the host (a constant of an exported graph). */
export interface HostArray {
  shape: number[];
  data: Float32Array;
}

/** Weights of one layer as Keras 3 nests them: `vars` (in order) and named sub-objects (`cell`, `forward_layer`, ...). */
export interface KerasWeights {
  vars: Array<tf.Tensor | HostArray>;
  children?: Record<string, KerasWeights>;
}

export const DTYPE_POLICY: KerasJson = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };

/** Keras's initializer classes; an initializer of ours with another name is written as the layer's default. */
const INITIALIZERS = [
  'Constant', 'GlorotNormal', 'GlorotUniform', 'HeNormal', 'HeUniform', 'Identity', 'LecunNormal', 'LecunUniform', 'Ones', 'Orthogonal',
  'RandomNormal', 'RandomUniform', 'TruncatedNormal', 'VarianceScaling', 'Zeros',
];

/** Our `{ className, config }` initializer as Keras 3's `{ module, class_name, config }`. */
export function kerasInitializer(value: unknown, fallback: string): KerasJson {
  const v = value as { className?: string; config?: Record<string, unknown> } | undefined;
  const known = v?.className != null && INITIALIZERS.includes(v.className);
  return {
    module: 'keras.initializers',
    class_name: known ? v!.className : fallback,
    config: known ? { ...(v!.config ?? {}) } : {},
    registered_name: null,
  };
}

export const wrap = (className: string, config: KerasJson): KerasJson => ({ module: 'keras.layers', class_name: className, config, registered_name: null });
