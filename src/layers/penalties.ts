/**
 * What a layer's regularizers and constraints attach to, and how its
 * activity penalty is recorded, as Keras 3 does (keras/src/layers/layer.py):
 *
 * - a weight regularizer and a constraint belong to the weight (Keras's
 *   `variable.regularizer`, `variable.constraint`); the model adds each
 *   trainable weight's penalty to the loss once, and applies each constraint
 *   after each optimizer step (src/training/penalties.ts). They are kept here
 *   by weight, not in tfjs's `LayerVariable.constraint`, whose `write` would
 *   project every `setWeights` (Keras's `assign` does not).
 * - an activity regularizer belongs to the layer: at each call, for each
 *   output y [B, ...], the penalty R(y) / B (Keras divides by the batch size
 *   so that the weighting against the weight penalties does not change with
 *   it). It is recorded while a model's training or test step collects it
 *   (`withActivityLosses`), and nowhere else: a call outside `fit`,
 *   `evaluate` and their kin computes nothing more than the output.
 */
import { tf } from '../tf';
import { RecurrentConfigError } from '../errors';
import { Regularizer, RegularizerSpec, resolveRegularizer } from '../regularizers';
import { Constraint, resolveConstraint } from '../constraints';

/** A layer's `activityRegularizer` option. */
export interface ActivityArgs {
  /** Keras's activity regularizer: R(y) / batch of each output y is added to the loss (see {@link Regularizer}). */
  activityRegularizer?: RegularizerSpec | null;
}

/** The regularizer and constraint of one weight. */
export interface WeightPenalty {
  regularizer: Regularizer | null;
  constraint: Constraint | null;
}

const byWeight = new WeakMap<tf.LayerVariable, WeightPenalty>();
const byLayer = new WeakMap<tf.layers.Layer, Regularizer>();

/** Resolves a layer's `<weight>Regularizer` and `<weight>Constraint` options (`kernel`, `recurrent`, `bias`, `embeddings`). */
export function weightPenalty(owner: string, weight: string, args: Record<string, unknown>): WeightPenalty {
  return {
    regularizer: resolveRegularizer(owner, `${weight}Regularizer`, args[`${weight}Regularizer`]),
    constraint: resolveConstraint(owner, `${weight}Constraint`, args[`${weight}Constraint`]),
  };
}

/** Attaches `p` to the weight `v` (checking that the constraint fits its shape; an error names `who` and the weight). */
export function setWeightPenalty(who: string, v: tf.LayerVariable, p: WeightPenalty | undefined): void {
  if (p == null || (p.regularizer == null && p.constraint == null)) return;
  p.constraint?.checkShape(`${who}: weight '${v.originalName}'`, v.shape as number[]);
  byWeight.set(v, p);
}

/** The regularizer of a weight, if any. */
export function regularizerOf(v: tf.LayerVariable): Regularizer | null {
  return byWeight.get(v)?.regularizer ?? null;
}

/** The constraint of a weight: ours, else a tfjs layer's own (`tf.layers.dense({ kernelConstraint })`), which tfjs never applies in training. */
export function constraintOf(v: tf.LayerVariable): { apply(w: tf.Tensor): tf.Tensor } | null {
  return byWeight.get(v)?.constraint ?? (v as unknown as { constraint: { apply(w: tf.Tensor): tf.Tensor } | null }).constraint ?? null;
}

/** Resolves and attaches a layer's activity regularizer (tfjs's own `activityRegularizer` field stays null: its apply refuses one). */
export function setActivityRegularizer(owner: string, layer: tf.layers.Layer, spec: unknown): void {
  const r = resolveRegularizer(owner, 'activityRegularizer', spec);
  if (r != null) byLayer.set(layer, r);
}

/** A layer's activity regularizer, if any. */
export function activityRegularizerOf(layer: tf.layers.Layer): Regularizer | null {
  return byLayer.get(layer) ?? null;
}

/** `{ <option>: { className, config } }` for each of the options set, as a layer's config writes them. */
export function penaltyConfig(entries: Record<string, tf.serialization.Serializable | null | undefined>): tf.serialization.ConfigDict {
  const out: tf.serialization.ConfigDict = {};
  for (const [k, p] of Object.entries(entries)) {
    if (p != null) out[k] = { className: p.getClassName(), config: { ...p.getConfig() } };
  }
  return out;
}

/** The activity losses of one training or test step, kept (tfjs's forward pass disposes what its scopes made) until the step ends. */
class ActivityLosses {
  private readonly losses: tf.Scalar[] = [];
  private taken = 0;

  record(loss: tf.Scalar): void {
    this.losses.push(tf.keep(loss));
  }

  /** The losses recorded since the last take. */
  take(): tf.Scalar[] {
    const out = this.losses.slice(this.taken);
    this.taken = this.losses.length;
    return out;
  }

  dispose(): void {
    tf.dispose(this.losses);
  }
}

let active: ActivityLosses | null = null;

/**
 * Runs `step` (a model's training or test step) with the activity losses of
 * the layers it calls recorded; `takeActivityLosses` hands them out within
 * it; they are freed when it returns.
 */
export function withActivityLosses<T>(step: () => T): T {
  const outer = active;
  const losses = new ActivityLosses();
  active = losses;
  try {
    return step();
  } finally {
    active = outer;
    losses.dispose();
  }
}

/** Whether a step is collecting activity losses now. */
export function collectingActivity(): boolean {
  return active != null;
}

/** The activity losses recorded in the running step since the last take (none outside a step). */
export function takeActivityLosses(): tf.Scalar[] {
  return active ? active.take() : [];
}

/**
 * Records `layer`'s activity penalty of its `outputs` while a step collects
 * them: R(y) / B for each output y [B, ...] (Keras's `divide_no_nan` by the
 * batch size). Returns `outputs`.
 */
export function recordActivity<T extends tf.Tensor | tf.Tensor[]>(layer: tf.layers.Layer, outputs: T): T {
  const r = byLayer.get(layer);
  if (r == null || active == null) return outputs;
  for (const y of Array.isArray(outputs) ? outputs : [outputs]) {
    if (!(y instanceof tf.Tensor)) continue;
    const B = y.rank > 0 ? y.shape[0] : 0;
    active.record(tf.tidy(() => (B > 0 ? tf.div(r.apply(y), B) : r.apply(y)) as tf.Scalar)); // R(y) / B
  }
  return outputs;
}

/** The layers a layer holds: a model's, an RNN's cell(s), Bidirectional's two, TimeDistributed's (ours and tfjs's alike). */
export function innerLayers(layer: tf.layers.Layer): tf.layers.Layer[] {
  const l = layer as unknown as { layers?: unknown; cell?: unknown; cells?: unknown; forwardLayer?: unknown; backwardLayer?: unknown; layer?: unknown };
  const found = [l.layers, l.cell, l.cells, l.forwardLayer, l.backwardLayer, l.layer].flat();
  return [...new Set(found.filter((x): x is tf.layers.Layer => x instanceof tf.layers.Layer && x !== layer))];
}

/** `layer` and every layer inside it, each once, with whether it and the layers holding it are trainable. */
export function allLayers(roots: tf.layers.Layer[]): Array<{ layer: tf.layers.Layer; trainable: boolean }> {
  const seen = new Set<tf.layers.Layer>();
  const out: Array<{ layer: tf.layers.Layer; trainable: boolean }> = [];
  const walk = (layer: tf.layers.Layer, trainable: boolean) => {
    if (seen.has(layer)) return;
    seen.add(layer);
    const t = trainable && layer.trainable;
    out.push({ layer, trainable: t });
    for (const inner of innerLayers(layer)) walk(inner, t);
  };
  roots.forEach((r) => walk(r, true));
  return out;
}

/**
 * A layer's losses when tfjs's own LayersModel (`tf.sequential`, `tf.model`)
 * trains it, which asks each layer for them: the weight penalties of its
 * trainable weights (its cell's, its wrapped layers') beside tfjs's own
 * (`tfjsLosses`). An activity regularizer or a constraint cannot be applied
 * there (tfjs's training neither collects one nor applies the other), so
 * either is an error, not a setting silently left out.
 */
export function tfjsModelLosses(layer: tf.layers.Layer, tfjsLosses: () => tf.Scalar[]): tf.Scalar[] {
  const who = `${layer.getClassName().replace(/^.*>/, '')} (layer '${layer.name}')`;
  const layers = allLayers([layer]);
  const withActivity = layers.find(({ layer: l }) => byLayer.has(l));
  if (withActivity) {
    throw new RecurrentConfigError(
      `${who}${withActivity.layer === layer ? '' : `: its layer '${withActivity.layer.name}'`} has an activityRegularizer, which tfjs's own LayersModel (tf.sequential, tf.model) does not apply; ` +
        "train it in tfjs-recurrent's Sequential or Functional, which add it to the loss as Keras does",
    );
  }
  const constrained = layer.trainableWeights.find((v) => byWeight.get(v)?.constraint != null);
  if (constrained) {
    throw new RecurrentConfigError(
      `${who}: weight '${constrained.originalName}' has a constraint, which tfjs's own LayersModel (tf.sequential, tf.model) does not apply after its optimizer steps; ` +
        "train it in tfjs-recurrent's Sequential or Functional, which apply it as Keras does",
    );
  }
  const own = layer.trainableWeights.flatMap((v) => {
    const r = regularizerOf(v);
    return r ? [r.apply(v.read())] : [];
  });
  return [...tfjsLosses(), ...own];
}
