/**
 * A functional model's connections as a Keras config writes them: each
 * layer's calls (`inbound_nodes`) in either dialect (tf.keras 2's
 * `[[name, node, tensor, kwargs]]`, Keras 3's `{ args, kwargs }` of
 * `__keras_tensor__`s), and the masks Keras 3 writes out.
 *
 * Keras 3 records the padding mask of `Embedding(mask_zero=True)` as an op
 * of its own, `NotEqual(ids, 0)` (module keras.src.ops.numpy), and passes it
 * to the layers that read the embedding as their `mask` argument. Here the
 * Embedding makes that mask itself and tfjs-layers passes it on; so such an
 * op is not built, and a call's `mask` is accepted where it is that op on
 * the ids of the Embedding whose output (through layers that pass masks on)
 * the call reads. Any other explicit mask is an error that names the layer.
 */
import { RecurrentConfigError, RecurrentInputError } from '../../errors';
import { KerasObject, kerasClass } from './layers_from_keras';

export type History = [layer: string, node: number, tensor: number];

/** One call: the tensors it reads, and the op or layer its `mask` argument names, if any. */
export interface Call {
  inputs: History[];
  mask?: History;
}

const history = (t: unknown): History | undefined => {
  const h = (t as { config?: { keras_history?: unknown } } | null)?.config?.keras_history;
  return Array.isArray(h) ? (h as History) : undefined;
};

/** Keras 3's mask op: `NotEqual(x, 0)`. */
export const isMaskOp = (obj: KerasObject): boolean => kerasClass(obj) === 'NotEqual';

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
    if (isMaskOp(obj)) {
      const [x, value] = flat;
      if (history(x) == null || value !== 0) throw new RecurrentConfigError(`${where}: NotEqual is read here only as Keras's padding mask, NotEqual(ids, 0); got other arguments`);
      return { inputs: [history(x)!] };
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
const PASSES_MASK = ['Dropout', 'Dense', 'Activation', 'Masking'];

/**
 * Throws unless the mask a call names (`call.mask`) is the one the layers
 * here make: Keras's NotEqual(ids, 0) on the ids of a mask_zero Embedding
 * whose output reaches the call's first input through layers that pass masks
 * on (or a recurrent layer returning sequences).
 */
export function checkMask(layer: string, call: Call, objs: Map<string, { obj: KerasObject; calls: Call[] }>): void {
  if (call.mask == null) return;
  const where = `loadKerasModel: layer '${layer}'`;
  const op = objs.get(call.mask[0]);
  const ids = op != null && isMaskOp(op.obj) ? op.calls[call.mask[1]]?.inputs[0] : undefined;
  for (let t: History | undefined = call.inputs[0], steps = 0; t != null && ids != null && steps < 10_000; steps++) {
    const src = objs.get(t[0]);
    if (src == null) break;
    const cls = kerasClass(src.obj);
    const c = src.obj.config ?? {};
    if (cls === 'Embedding' && c.mask_zero === true) {
      const read = src.calls[t[1]]?.inputs[0];
      if (read != null && read.every((v, i) => v === ids[i])) return;
      break;
    }
    const seqs = ['SimpleRNN', 'LSTM', 'GRU', 'Bidirectional'].includes(cls) && (cls === 'Bidirectional' ? (c.layer as KerasObject)?.config?.return_sequences : c.return_sequences) === true;
    if (!PASSES_MASK.includes(cls) && !seqs) break;
    t = src.calls[t[1]]?.inputs[0];
  }
  throw new RecurrentConfigError(
    `${where}: its mask argument (${JSON.stringify(call.mask)}) is not the padding mask of the Embedding(mask_zero=True) it reads; a mask passed explicitly is read here only as that`,
  );
}

/** `[["input_1", 0, 0]]`, or Keras 3's single `["input_layer", 0, 0]`. */
export function endpoints(v: unknown, what: string): History[] {
  if (!Array.isArray(v) || v.length === 0) throw new RecurrentInputError(`loadKerasModel: the functional model has no ${what}`);
  return (typeof v[0] === 'string' ? [v] : v) as History[];
}
