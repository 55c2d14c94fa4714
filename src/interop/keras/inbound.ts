/**
 * A functional model's connections as a Keras config writes them: each
 * layer's calls (`inbound_nodes`) in either dialect (tf.keras 2's
 * `[[name, node, tensor, kwargs]]`, Keras 3's `{ args, kwargs }` of
 * `__keras_tensor__`s), and the masks Keras 3 writes out.
 *
 * Keras 3 records the padding mask of `Embedding(mask_zero=True)` as an op
 * of its own, `NotEqual(ids, 0)` (module keras.src.ops.numpy), and that of
 * `Masking(mask_value=v)` as `Any(NotEqual(x, v), axis=-1)`, and passes it
 * to the layers that read the embedding (or the masked values) as their
 * `mask` argument. Here the Embedding and the Masking make that mask
 * themselves and tfjs-layers passes it on; so such ops are not built, and a
 * call's `mask` is accepted where it is that op on the input of the
 * Embedding (or the Masking, with its mask value) whose output, through
 * layers that pass masks on, the call reads. Any other explicit mask is an
 * error that names the layer.
 */
import { RecurrentConfigError, RecurrentInputError } from '../../errors';
import { KerasObject, kerasClass } from './layers_from_keras';

export type History = [layer: string, node: number, tensor: number];

/** One call: the tensors it reads, the op or layer its `mask` argument names, if any, and a NotEqual op's value. */
export interface Call {
  inputs: History[];
  mask?: History;
  value?: number;
}

const history = (t: unknown): History | undefined => {
  const h = (t as { config?: { keras_history?: unknown } } | null)?.config?.keras_history;
  return Array.isArray(h) ? (h as History) : undefined;
};

/** Keras 3's mask ops: `NotEqual(x, v)`, and `Any(·, axis=-1)` over one. */
export const isMaskOp = (obj: KerasObject): boolean => kerasClass(obj) === 'NotEqual' || kerasClass(obj) === 'Any';

/** The calls of a layer (or op), in either dialect. */
export function inboundNodes(obj: KerasObject & { inbound_nodes?: unknown[] }): Call[] {
  const nodes = obj.inbound_nodes ?? [];
  const where = `loadKerasModel: layer '${String(obj.config?.name)}'`;
  return nodes.map((node) => {
    if (Array.isArray(node)) {
      // tf.keras 2.x: [[name, nodeIndex, tensorIndex, kwargs], ...]
      const tensors = node as Array<[string, number, number, Record<string, unknown>?]>;
      const masks = tensors.map(([, , , kwargs]) => checkKwargs(where, kwargs));
      return { inputs: tensors.map(([name, n, i]) => [name, n, i] as History), mask: masks.find((m) => m != null) };
    }
    // Keras 3: { args: [tensor | [tensor, ...], literal, ...], kwargs }
    const { args, kwargs } = node as { args?: unknown[]; kwargs?: Record<string, unknown> };
    const mask = checkKwargs(where, kwargs);
    const flat = (args ?? []).flatMap((a) => (Array.isArray(a) ? a : [a]));
    if (kerasClass(obj) === 'NotEqual') {
      const [x, value] = flat;
      if (history(x) == null || typeof value !== 'number') throw new RecurrentConfigError(`${where}: NotEqual is read here only as Keras's mask, NotEqual(x, a number); got other arguments`);
      return { inputs: [history(x)!], value };
    }
    if (kerasClass(obj) === 'Any') {
      const c = obj.config ?? {};
      if (flat.length !== 1 || history(flat[0]) == null || c.axis !== -1 || c.keepdims === true) {
        throw new RecurrentConfigError(`${where}: Any is read here only as Keras's mask, Any(NotEqual(x, v), axis=-1); got other arguments`);
      }
      return { inputs: [history(flat[0])!] };
    }
    return {
      inputs: flat.map((t) => {
        const h = history(t);
        if (h == null) throw new RecurrentInputError(`${where}: an inbound node has an argument without keras_history`);
        return h;
      }),
      mask,
    };
  });
}

/** The call's mask argument, if a tensor; any keyword other than mask and training is refused. */
function checkKwargs(where: string, kwargs?: Record<string, unknown>): History | undefined {
  const extra = Object.keys(kwargs ?? {}).filter((k) => k !== 'mask' && k !== 'training');
  if (extra.length > 0) throw new RecurrentConfigError(`${where}: calls with ${extra.join(', ')} are not supported`);
  const mask = kwargs?.mask;
  if (mask == null) return undefined;
  const h = history(mask) ?? (Array.isArray(mask) && typeof mask[0] === 'string' ? (mask as History) : undefined);
  if (h == null) throw new RecurrentConfigError(`${where}: its mask argument is not a tensor of the model`);
  return h;
}

/** Layers that pass their input's mask on to their output, as Keras's and ours do. */
const PASSES_MASK = ['Dropout', 'Dense', 'Activation', 'TimeDistributed'];

/**
 * Throws unless the mask a call names (`call.mask`) is the one the layers
 * here make: NotEqual(ids, 0) on the ids of a mask_zero Embedding, or
 * Any(NotEqual(x, v), axis=-1) on the input of a Masking of mask value v,
 * whose output reaches the call's first input through layers that pass masks
 * on (or a recurrent layer returning sequences).
 */
export function checkMask(layer: string, call: Call, objs: Map<string, { obj: KerasObject; calls: Call[] }>): void {
  if (call.mask == null) return;
  const where = `loadKerasModel: layer '${layer}'`;
  const opCall = (h: History | undefined, cls: string) => {
    const o = h == null ? undefined : objs.get(h[0]);
    return o != null && kerasClass(o.obj) === cls ? o.calls[h![1]] : undefined;
  };
  // What the mask is of: an Embedding's ids (NotEqual(ids, 0)), or a Masking's input and value (Any(NotEqual(x, v))).
  const any = opCall(call.mask, 'Any');
  const notEqual = any != null ? opCall(any.inputs[0], 'NotEqual') : opCall(call.mask, 'NotEqual');
  const source = notEqual == null ? undefined : { of: notEqual.inputs[0], value: notEqual.value, masking: any != null };
  const same = (a: History | undefined, b: History) => a != null && a.every((v, i) => v === b[i]);
  for (let t: History | undefined = call.inputs[0], steps = 0; t != null && source != null && steps < 10_000; steps++) {
    const src = objs.get(t[0]);
    if (src == null) break;
    const cls = kerasClass(src.obj);
    const c = src.obj.config ?? {};
    const read: History | undefined = src.calls[t[1]]?.inputs[0];
    if (cls === 'Embedding' && c.mask_zero === true) {
      if (!source.masking && source.value === 0 && same(read, source.of)) return;
      break;
    }
    if (cls === 'Masking') {
      if (source.masking && source.value === (typeof c.mask_value === 'number' ? c.mask_value : 0) && same(read, source.of)) return;
      break;
    }
    const seqs = ['SimpleRNN', 'LSTM', 'GRU', 'Bidirectional', 'RNN'].includes(cls) && (cls === 'Bidirectional' ? (c.layer as KerasObject)?.config?.return_sequences : c.return_sequences) === true;
    if (!PASSES_MASK.includes(cls) && !seqs) break;
    t = read;
  }
  throw new RecurrentConfigError(
    `${where}: its mask argument (${JSON.stringify(call.mask)}) is not the padding mask of the Embedding(mask_zero=True) or Masking it reads; a mask passed explicitly is read here only as that`,
  );
}

/** `[["input_1", 0, 0]]`, or Keras 3's single `["input_layer", 0, 0]`. */
export function endpoints(v: unknown, what: string): History[] {
  if (!Array.isArray(v) || v.length === 0) throw new RecurrentInputError(`loadKerasModel: the functional model has no ${what}`);
  return (typeof v[0] === 'string' ? [v] : v) as History[];
}
