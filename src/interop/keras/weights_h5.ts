/**
 * Keras 3's `model.weights.h5`, written with h5wasm (the HDF5 C library
 * compiled to WebAssembly): one group per layer under `layers/`, named by
 * Keras's rule (the class name in snake_case, `_1`, `_2`, ... for repeats, in
 * the model's layer order), each holding `vars/0, 1, ...` as float32 datasets
 * and its sub-objects (`cell`, `forward_layer`, ...) as groups of their own;
 * every `vars` group carries the object's name as an attribute, as Keras does.
 *
 * h5wasm ships as an ES module and as one self-contained script (its IIFE
 * build); this CommonJS package evaluates the latter, so it loads in Node and
 * under jest alike without a bundler.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../../tf';
import { RecurrentConfigError } from '../../errors';
import type { KerasWeights } from './keras_json';
import { layerKeys } from '../model_graph';

/** The part of h5wasm's API used here. */
interface H5Group {
  create_group(name: string): H5Group;
  create_dataset(args: { name: string; data: Float32Array; shape: number[]; dtype: string }): unknown;
  create_attribute(name: string, value: string): void;
}
interface H5File extends H5Group {
  close(): void;
}
/** The part of h5wasm's module used here (and by the tests, which read files back). */
export interface H5Wasm {
  ready: Promise<{ FS: { readFile(p: string): Uint8Array; writeFile(p: string, data: Uint8Array): void; unlink(p: string): void } }>;
  File: new (file: string, mode: string) => H5File;
}

let h5: Promise<H5Wasm> | undefined;

/** h5wasm's self-contained build, found beside this package (node_modules/h5wasm/dist/iife/h5wasm.js). */
export function loadH5wasm(): Promise<H5Wasm> {
  h5 ??= (async () => {
    const rel = path.join('h5wasm', 'dist', 'iife', 'h5wasm.js');
    const file = (require.resolve.paths('h5wasm') ?? []).map((d) => path.join(d, rel)).find((f) => fs.existsSync(f));
    if (file == null) throw new RecurrentConfigError(`saveKeras: writing model.weights.h5 needs the package h5wasm, which is not installed here (looked for ${rel} in node_modules); install it with: npm install h5wasm`);
    const lib = new Function(`${fs.readFileSync(file, 'utf8')}\nreturn h5wasm;`)() as H5Wasm;
    await lib.ready;
    return lib;
  })();
  return h5;
}

let serial = 0;

/**
 * The bytes of a `model.weights.h5` holding `layers` (Keras class name,
 * layer name and weights of each, in the model's layer order).
 */
export async function kerasWeightsH5(layers: Array<{ className: string; name: string; weights: KerasWeights }>): Promise<Uint8Array> {
  const lib = await loadH5wasm();
  const { FS } = await lib.ready;
  const tmp = `/tfjs-recurrent-${process.pid}-${serial++}.weights.h5`;
  const file = new lib.File(tmp, 'w');
  try {
    const put = (group: H5Group, w: KerasWeights, name: string) => {
      const vars = group.create_group('vars');
      vars.create_attribute('name', name);
      w.vars.forEach((t, i) => {
        const data = t instanceof tf.Tensor ? Float32Array.from(t.dataSync() as Float32Array) : t.data;
        vars.create_dataset({ name: String(i), data, shape: t.shape, dtype: '<f4' });
      });
      for (const [child, cw] of Object.entries(w.children ?? {})) put(group.create_group(child), cw, child);
    };
    const top = file.create_group('layers');
    const keys = layerKeys(layers.map((l) => l.className));
    layers.forEach((l, i) => put(top.create_group(keys[i]), l.weights, l.name));
  } finally {
    file.close();
  }
  try {
    return FS.readFile(tmp).slice();
  } finally {
    FS.unlink(tmp);
  }
}
