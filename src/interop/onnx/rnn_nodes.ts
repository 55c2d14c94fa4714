/**
 * SimpleRNN, LSTM, GRU and Bidirectional as ONNX's own RNN, LSTM and GRU
 * operators (opset 18). With G gates and H units:
 *
 *   kernel W [D, G·H]           →  W [dirs, G·H, D]   transposed, gate blocks in ONNX's order
 *   recurrentKernel U [H, G·H]  →  R [dirs, G·H, H]   transposed, same order
 *   bias                        →  B [dirs, 2·G·H] = [W_b ; R_b]
 *       SimpleRNN, LSTM: [b ; 0]    GRU resetAfter: [b_0 ; b_1], linear_before_reset = 1    GRU: [b ; 0]
 *   gate order: LSTM Keras i,f,c,o → ONNX i,o,f,c; GRU z,r,h = ONNX z,r,h
 *   Bidirectional → direction = "bidirectional" (forward weights first)
 *
 * ONNX's operators take [T, B, D] and treat the first sequence_lens[b] steps
 * of each sequence as real, the rest as padding. Keras's mask may sit
 * anywhere (the demo pads at the front), so a masked input is first packed:
 * each sequence's real steps are moved, in order, to its front (a
 * ScatterElements), sequence_lens is their count, and the outputs are moved
 * back (a GatherElements): a masked step outputs the last real step's
 * output, or zeros with zeroOutputForMask (Bidirectional), as in Keras.
 */
import { tf } from '../../tf';
import { RecurrentConfigError } from '../../errors';
import { ONNX_ACTIVATION_NAMES, onnxActivation } from '../../activations';
import { kerasClassName } from '../../layers/base';
import { RecurrentLayer } from '../../layers/rnn';
import { Bidirectional } from '../../layers/bidirectional';
import { AttrValue, DT, OnnxBuilder } from './proto';
import { RecurrentKind, kerasWeights, permuteGates, recurrentSpec } from '../recurrent';

const INT64_MIN_SAFE = -Number.MAX_SAFE_INTEGER;

/** ONNX's operator for each kind. */
const ONNX_OP = { simpleRNN: 'RNN', lstm: 'LSTM', gru: 'GRU' } as const;

/** Keras M [rows, G·H] → ONNX [G·H, rows], the gate blocks in ONNX's order. */
function toOnnxLayout(M: tf.Tensor, kind: RecurrentKind): Float32Array {
  return tf.tidy(() => tf.transpose(permuteGates(M, kind, 'keras', 'onnx', 1)).dataSync() as Float32Array);
}

/** One direction's W [G·H, D], R [G·H, H], B [2·G·H] and activation functions. */
function directionParams(layer: RecurrentLayer) {
  const spec = recurrentSpec(layer);
  if (spec == null) throw new RecurrentConfigError(`saveOnnx: layer '${layer.name}' (${kerasClassName(layer)}) is no SimpleRNN, LSTM or GRU`);
  const { kind, units: H, gates } = spec;
  const op = ONNX_OP[kind];
  const GH = gates * H;
  const { W: Wk, U: Uk, b: bk } = kerasWeights(layer);
  const D = Wk.shape[0];
  const W = toOnnxLayout(Wk, kind);
  const R = toOnnxLayout(Uk, kind);
  const B = new Float32Array(2 * GH); // [W_b ; R_b]
  if (bk != null) {
    // b [G·H] is W_b (R_b stays 0); GRU(resetAfter)'s b [2, 3H] is W_b then R_b (inside r ⊙ (·)).
    B.set(tf.tidy(() => permuteGates(tf.reshape(bk, [-1, GH]), kind, 'keras', 'onnx', 1).dataSync() as Float32Array), 0);
  }
  const act = (name: string, arg: string) => {
    const a = onnxActivation(name);
    if (a == null) {
      throw new RecurrentConfigError(
        `saveOnnx: layer '${layer.name}' (${kerasClassName(layer)}) has ${arg} '${name}'; ONNX's ${op} here takes ${ONNX_ACTIVATION_NAMES.join(', ')}`,
      );
    }
    return a;
  };
  const recurrent = spec.recurrentActivation != null ? act(spec.recurrentActivation, 'recurrentActivation') : undefined;
  const main = act(spec.activation, 'activation');
  // ONNX's order of functions: LSTM f (gates), g (cell input), h (cell output); GRU f, g; RNN f.
  const acts = op === 'LSTM' ? [recurrent!, main, main] : op === 'GRU' ? [recurrent!, main] : [main];
  return { op, D, W, R, B, acts, hasBias: bk != null, linearBeforeReset: spec.resetAfter ? 1 : 0 };
}

/** The checks every exported recurrent layer passes. */
function check(layer: RecurrentLayer, owner: string): void {
  if (layer.stateful) {
    throw new RecurrentConfigError(`saveOnnx: layer '${owner}' is stateful: it carries its state from one call to the next, which an ONNX graph cannot hold; export a copy with stateful: false`);
  }
}

/** Per sequence b: the real steps moved to the front in order; sequence_lens; and how to move outputs back. */
interface Packing { lens: string; c: string; mask: string }

function pack(g: OnnxBuilder, x: string, mask: string, name: string): { x: string; packing: Packing } {
  const axis = g.int32(`${name}/time_axis`, 1);
  const one = g.int32(`${name}/one`, 1);
  const m = g.op('Cast', [mask], { to: DT.INT32 }, `${name}/m`); //                               [B, T] 0/1
  const c = g.op('CumSum', [m, axis], {}, `${name}/c`); //                                          real steps up to t
  const u = g.op('CumSum', [g.op('Sub', [one, m]), axis], {}, `${name}/u`); //                      padded steps up to t
  const lens = g.op('ReduceSum', [m, g.ints(`${name}/axes1`, [1])], { keepdims: 0 }, `${name}/sequence_lens`); // [B]
  const L = g.op('Unsqueeze', [lens, g.ints(`${name}/axes1b`, [1])]); //                            [B, 1]
  // Where step t goes: c_t − 1 if real, else L + u_t − 1 (after the real ones): a permutation of 0..T−1.
  const dest = g.op('Where', [mask, g.op('Sub', [c, one]), g.op('Sub', [g.op('Add', [L, u]), one])], {}, `${name}/dest`);
  const idx = g.op('Expand', [g.op('Unsqueeze', [dest, g.ints(`${name}/axes2`, [2])]), g.op('Shape', [x])]); // [B, T, D]
  const packed = g.op('ScatterElements', [x, idx, x], { axis: 1 }, `${name}/packed`);
  return { x: packed, packing: { lens, c, mask } };
}

/** A packed output sequence [B, T, K] back to the input's time steps (see the file's comment). */
function unpack(g: OnnxBuilder, y: string, p: Packing, zeroOutputForMask: boolean, name: string): string {
  const one = g.int32(`${name}/one`, 1);
  const zero = g.int32(`${name}/zero`, 0);
  const src = g.op('Max', [g.op('Sub', [p.c, one]), zero], {}, `${name}/src`); //                  [B, T]: the last real step so far
  const idx = g.op('Expand', [g.op('Unsqueeze', [src, g.ints(`${name}/axes2`, [2])]), g.op('Shape', [y])]);
  const back = g.op('GatherElements', [y, idx], { axis: 1 });
  const keep = zeroOutputForMask ? p.mask : g.op('Greater', [p.c, zero]); //                        [B, T]: 0 where the output is zeros
  const f = g.op('Unsqueeze', [g.op('Cast', [keep], { to: DT.FLOAT }), g.ints(`${name}/axes2b`, [2])]);
  return g.op('Mul', [back, f], {}, `${name}/unpacked`);
}

/** Reverses [B, T, ...] in time (goBackwards on its own: Keras feeds the reversed sequence and returns its outputs in that order). */
function reverseTime(g: OnnxBuilder, v: string, name: string): string {
  return g.op('Slice', [v, g.ints(`${name}/start`, [-1]), g.ints(`${name}/end`, [INT64_MIN_SAFE]), g.ints(`${name}/axis`, [1]), g.ints(`${name}/step`, [-1])], {}, `${name}/reversed`);
}

/**
 * Adds the nodes of a recurrent layer or Bidirectional applied to `x`
 * ([B, T, D] float) with an optional mask ([B, T] bool); returns the values
 * our layer returns, in its order: the output(s), then the states.
 */
export function recurrentToOnnx(g: OnnxBuilder, layer: RecurrentLayer | Bidirectional, x: string, mask: string | null): string[] {
  const name = layer.name;
  const bi = layer instanceof Bidirectional;
  const dirs = bi ? [layer.forwardLayer, layer.backwardLayer] : [layer];
  dirs.forEach((l) => check(l, name));
  if (bi) {
    const [fw, bw] = dirs;
    if (fw.goBackwards || !bw.goBackwards || fw.constructor !== bw.constructor) {
      throw new RecurrentConfigError(
        `saveOnnx: Bidirectional '${name}' must read forwards then backwards with one layer class for ONNX's direction = "bidirectional"; ` +
          `got ${kerasClassName(fw)} (goBackwards: ${fw.goBackwards}) and ${kerasClassName(bw)} (goBackwards: ${bw.goBackwards})`,
      );
    }
  } else if (layer.goBackwards) {
    x = reverseTime(g, x, `${name}/x`);
    if (mask) mask = reverseTime(g, mask, `${name}/mask`);
  }
  const params = dirs.map(directionParams);
  const { op, D } = params[0];
  const H = dirs[0].units;
  const GH = params[0].W.length / D;
  const cat = (k: 'W' | 'R' | 'B') => {
    const out = new Float32Array(params.length * params[0][k].length);
    params.forEach((p, d) => out.set(p[k], d * p[k].length));
    return out;
  };
  const W = g.floats(`${name}/W`, [dirs.length, GH, D], cat('W'));
  const R = g.floats(`${name}/R`, [dirs.length, GH, H], cat('R'));
  const B = params[0].hasBias ? g.floats(`${name}/B`, [dirs.length, 2 * GH], cat('B')) : '';
  let packing: Packing | undefined;
  if (mask) ({ x, packing } = pack(g, x, mask, name));
  const xT = g.op('Transpose', [x], { perm: [1, 0, 2] }, `${name}/x_tbd`); //                       [T, B, D]
  const acts = params.flatMap((p) => p.acts);
  const attrs: Record<string, AttrValue> = {
    hidden_size: H,
    direction: bi ? 'bidirectional' : 'forward',
    activations: acts.map((a) => a.name),
  };
  const alphas = acts.filter((a) => a.alpha !== undefined);
  if (alphas.length > 0) {
    attrs.activation_alpha = { floats: alphas.map((a) => a.alpha!) };
    attrs.activation_beta = { floats: alphas.map((a) => a.beta!) };
  }
  if (op === 'GRU') attrs.linear_before_reset = params[0].linearBeforeReset;
  const outs = g.node(op, [xT, W, R, B, packing?.lens ?? ''], attrs, op === 'LSTM' ? 3 : 2, name);
  const [Y, Yh, Yc] = outs; //                                                                      [T, dirs, B, H], [dirs, B, H] ×2
  const lead = dirs[0];
  const seqs = g.op('Transpose', [Y], { perm: [2, 0, 1, 3] }, `${name}/y_btdh`); //                 [B, T, dirs, H]
  const zeroOut = bi || lead.zeroOutputForMask;
  const back = (y: string) => (packing ? unpack(g, y, packing, zeroOut, `${name}/y`) : y);
  const mode = bi ? layer.mergeMode : 'concat';
  let outputs: string[];
  if (lead.returnSequences) {
    outputs = mode === 'concat'
      ? [back(g.op('Reshape', [seqs, g.ints(`${name}/shape`, [0, 0, -1])]))] //                    [B, T, dirs·H]
      : mode === null
        ? [0, 1].map((d) => back(g.op('Gather', [seqs, g.ints(`${name}/dir${d}`, [d], true)], { axis: 2 })))
        : [back(merge(g, seqs, mode, 2, name))];
  } else {
    const finals = Yh; //                                                                            [dirs, B, H]
    outputs = mode === 'concat'
      ? [g.op('Reshape', [g.op('Transpose', [finals], { perm: [1, 0, 2] }), g.ints(`${name}/shape`, [0, -1])], {}, `${name}/y`)]
      : mode === null
        ? [0, 1].map((d) => g.op('Gather', [finals, g.ints(`${name}/dir${d}`, [d], true)], { axis: 0 }))
        : [merge(g, finals, mode, 0, name)];
  }
  if (lead.returnState) {
    for (let d = 0; d < dirs.length; d++) {
      const at = g.ints(`${name}/state_dir${d}`, [d], true);
      outputs.push(g.op('Gather', [Yh, at], { axis: 0 }, `${name}/h${d}`));
      if (op === 'LSTM') outputs.push(g.op('Gather', [Yc, at], { axis: 0 }, `${name}/c${d}`));
    }
  }
  return outputs;
}

/** Bidirectional's sum, mul and ave over the direction axis. */
function merge(g: OnnxBuilder, v: string, mode: 'sum' | 'mul' | 'ave', axis: number, name: string): string {
  const op = mode === 'sum' ? 'ReduceSum' : mode === 'mul' ? 'ReduceProd' : 'ReduceMean';
  return g.op(op, [v, g.ints(`${name}/dir_axis`, [axis])], { keepdims: 0 }, `${name}/merged`);
}
