/**
 * A Keras 3 functional graph being written: layers (Keras configs with their
 * weights) called on Keras tensors, and the order in which Keras itself lists
 * the layers of such a model, which names the groups of its weight file.
 *
 * Keras orders a functional model's layers (keras/src/ops/function.py,
 * `map_graph`) by depth (the longest path to an output), deepest first, and
 * among equal depths by when a depth-first walk back from the outputs first
 * met them; `order()` does the same on this graph.
 */
import type { KerasJson, KerasWeights } from './keras_json';

/** Output `index` of layer `layer` (each layer is called once), with its shape and dtype. */
export interface KerasTensor {
  layer: string;
  index: number;
  shape: Array<number | null>;
  dtype: 'int32' | 'float32';
}

/** One layer of the graph: its config (`{ module, class_name, config, registered_name }`), weights and inputs. */
export interface KerasNode {
  name: string;
  config: KerasJson;
  weights: KerasWeights;
  inputs: KerasTensor[];
  /** Called on a list of tensors (a merge layer), not on one tensor. */
  list: boolean;
}

export class KerasGraph {
  readonly nodes = new Map<string, KerasNode>();
  /** Names kept for layers of the model, which `fresh` does not give out. */
  private readonly reserved: Set<string>;

  constructor(reserved: string[] = []) {
    this.reserved = new Set(reserved);
  }

  /** Adds a layer called on `inputs`; returns its outputs, of the given shapes. */
  add(config: KerasJson, weights: KerasWeights, inputs: KerasTensor | KerasTensor[], shapes: Array<Array<number | null>>, dtype: 'int32' | 'float32' = 'float32'): KerasTensor[] {
    const name = (config.config as { name: string }).name;
    if (this.nodes.has(name)) throw new Error(`KerasGraph: two layers are named '${name}'`);
    const list = Array.isArray(inputs);
    this.nodes.set(name, { name, config, weights, inputs: list ? inputs : [inputs], list });
    return shapes.map((shape, index) => ({ layer: name, index, shape, dtype }));
  }

  /** `add` for a layer with one output. */
  add1(config: KerasJson, weights: KerasWeights, inputs: KerasTensor | KerasTensor[], shape: Array<number | null>): KerasTensor {
    return this.add(config, weights, inputs, [shape])[0];
  }

  /** A name no layer has or keeps: `base`, else `base_1`, `base_2`, ... */
  fresh(base: string): string {
    const taken = (n: string) => this.nodes.has(n) || this.reserved.has(n);
    if (!taken(base)) return base;
    for (let i = 1; ; i++) if (!taken(`${base}_${i}`)) return `${base}_${i}`;
  }

  /** The layers that the outputs depend on, in Keras's order for a functional model. */
  order(outputs: KerasTensor[]): KerasNode[] {
    const first = new Map<string, number>(); //       when the walk first met each layer
    const walked: KerasNode[] = []; //                 inputs before the layers that read them
    const done = new Set<string>();
    const visit = (t: KerasTensor): void => {
      const node = this.nodes.get(t.layer)!;
      if (done.has(node.name)) return;
      if (!first.has(node.name)) first.set(node.name, first.size);
      node.inputs.forEach(visit);
      done.add(node.name);
      walked.push(node);
    };
    outputs.forEach(visit);
    const depth = new Map<string, number>();
    for (const node of [...walked].reverse()) {
      const d = depth.get(node.name) ?? 0;
      depth.set(node.name, d);
      for (const t of node.inputs) depth.set(t.layer, Math.max(d + 1, depth.get(t.layer) ?? 0));
    }
    return walked.sort((a, b) => depth.get(b.name)! - depth.get(a.name)! || first.get(a.name)! - first.get(b.name)!);
  }
}
