/**
 * A text model's steps in our kernels (assembly/generate.ts): its weights are
 * packed once into a block of the kernels' memory that stays there between
 * steps (src/kernels/resident.ts), beside the states and the plan of the
 * model; a step writes the ids, makes one kernel call, and reads the logits
 * back. The first recurrent layer's x W + b is looked up, not computed, when
 * its table E W + b [V, G·H] is small: it is made once here, by the same
 * product a sequence call makes (so the same bits).
 */
import { KernelExports, Arena, residentBlocks } from '../kernels/module';
import { kernelCodes } from '../kernels/codes';
import type { TextModelSpec } from './text_model';

/** The steps of a model for a batch of B rows: a step takes B ids and gives B rows of N logits. */
export interface StepRunner {
  readonly batchSize: number;
  /** One step: the logits [B·N] (a new array), the states moved on. */
  step(ids: Int32Array): Float32Array;
  /** Each recurrent layer's states, copied: [h] or [h, c], each [B·H]. */
  states(): Float32Array[][];
  /** Zero states for a batch of B rows. */
  reset(batchSize: number): void;
  /** Frees what the runner holds (the kernels' blocks); it cannot step afterwards. */
  dispose(): void;
}

/** How many steps the kernels have run (tests read it: one kernel call per step). */
export const generationCalls = { steps: 0 };

/** The largest table E W + b precomputed for the first recurrent layer, in floats (16 MB). */
const TABLE_FLOATS = 1 << 22;

/** Addresses in a block, laid out by an Arena (the same order on a dry run and for real). */
interface WeightsAt {
  E: number;
  EW: number;
  layers: Array<{ pW: number; b: number; pU: number; pU2: number; bR: number }>;
  pWd: number;
  bd: number;
}

interface StateAt {
  plan: number;
  ids: number;
  x0: number;
  layers: Array<{ h: number; c: number; work: number }>;
  logits: number;
}

/** The part of the ES2021 API used here (TypeScript's ES2020 lib does not declare it; Node >= 14 has it). */
declare class FinalizationRegistry<T> {
  constructor(cleanup: (held: T) => void);
  register(target: object, held: T, token?: object): void;
  unregister(token: object): void;
}

/** Frees the blocks of a runner that was never disposed, once it is garbage. */
const orphans = new FinalizationRegistry<{ k: KernelExports; blocks: number[] }>(({ k, blocks }) => {
  for (const b of blocks) residentBlocks(k).release(b);
});

export class KernelSteps implements StepRunner {
  private readonly weightsBlock: number;
  private readonly w: WeightsAt;
  private stateBlock = -1;
  private s!: StateAt;
  private B = 0;
  private disposed = false;
  private readonly token = {};

  constructor(private readonly k: KernelExports, private readonly spec: TextModelSpec, batchSize: number, private readonly who: string) {
    const first = spec.layers[0];
    const table = spec.V * first.G * first.H <= TABLE_FLOATS;
    const bytes = this.layoutWeights(new Arena(k, 0), table).top;
    this.weightsBlock = residentBlocks(k).take(bytes);
    try {
      const a = new Arena(k, this.weightsBlock);
      this.w = this.layoutWeights(a, table).at;
      a.view(who); // (grows the memory to hold the block)
      this.fillWeights(table);
      this.reset(batchSize); // (lays out the states, and registers the blocks to free should the runner be dropped undisposed)
    } catch (e) {
      this.release();
      throw e;
    }
  }

  get batchSize(): number {
    return this.B;
  }

  private blocks(): number[] {
    return this.stateBlock >= 0 ? [this.weightsBlock, this.stateBlock] : [this.weightsBlock];
  }

  /** The weights' addresses from `a`'s base: E or the table, then each layer's, then the Dense's. */
  private layoutWeights(a: Arena, table: boolean): { at: WeightsAt; top: number } {
    const { k, spec } = this;
    const first = spec.layers[0];
    const at: WeightsAt = {
      E: table ? 0 : a.floats(spec.V * spec.F),
      EW: table ? a.floats(spec.V * first.G * first.H) : 0,
      layers: spec.layers.map((l, i) => {
        const GH = l.G * l.H;
        const before = l.kind === 'gruResetBefore';
        return {
          pW: i === 0 && table ? 0 : a.bytes(k.packedBytes(l.D, GH)),
          b: l.b ? a.floats(GH) : 0,
          pU: a.bytes(k.packedBytes(l.H, before ? 2 * l.H : GH)),
          pU2: before ? a.bytes(k.packedBytes(l.H, l.H)) : 0,
          bR: l.bR ? a.floats(GH) : 0,
        };
      }),
      pWd: a.bytes(k.packedBytes(spec.dense.K, spec.dense.N)),
      bd: spec.dense.b ? a.floats(spec.dense.N) : 0,
    };
    return { at, top: a.top };
  }

  /** Copies the weights in and packs them (through scratch above the blocks), and makes the table E W + b. */
  private fillWeights(table: boolean): void {
    const { k, spec, w } = this;
    const scratch = new Arena(k);
    const raw = (n: number) => scratch.floats(n);
    const first = spec.layers[0];
    const src = { E: raw(spec.V * spec.F), W: spec.layers.map((l) => raw(l.W.length)), U: spec.layers.map((l) => raw(l.U.length)), Wd: raw(spec.dense.W.length), pW0: scratch.bytes(k.packedBytes(first.D, first.G * first.H)) };
    let view = scratch.view(this.who);
    view.set(spec.E, src.E / 4);
    spec.layers.forEach((l, i) => {
      view.set(l.W, src.W[i] / 4);
      view.set(l.U, src.U[i] / 4);
    });
    view.set(spec.dense.W, src.Wd / 4);
    if (!table) view.set(spec.E, w.E / 4);
    spec.layers.forEach((l, i) => {
      const GH = l.G * l.H, at = w.layers[i];
      if (at.pW) k.pack(src.W[i], GH, l.D, GH, at.pW, 0); //                    W, in panels
      if (l.kind === 'gruResetBefore') {
        k.pack(src.U[i], GH, l.H, 2 * l.H, at.pU, 0); //                        U_zr
        k.pack(src.U[i] + 8 * l.H, GH, l.H, l.H, at.pU2, 0); //                  U_h
      } else k.pack(src.U[i], GH, l.H, GH, at.pU, 0); //                         U
      if (l.b) view.set(l.b, at.b / 4);
      if (l.bR) view.set(l.bR, at.bR / 4);
    });
    k.pack(src.Wd, spec.dense.N, spec.dense.K, spec.dense.N, w.pWd, 0);
    view = new Float32Array(k.memory.buffer);
    if (spec.dense.b) view.set(spec.dense.b, w.bd / 4);
    if (table) {
      const GH = first.G * first.H;
      k.pack(src.W[0], GH, first.D, GH, src.pW0, 0);
      k.gemm(spec.V, GH, spec.F, src.E, spec.F, 1, src.pW0, w.EW, GH, 0); //   E W   [V, G·H], as a sequence call's X W
      if (first.b) {
        const t = w.EW / 4;
        for (let v = 0; v < spec.V; v++) for (let j = 0; j < GH; j++) view[t + v * GH + j] += first.b[j]; // E W + b
      }
    }
  }

  reset(batchSize: number): void {
    this.check();
    if (batchSize !== this.B) this.plan(batchSize);
    const view = new Float32Array(this.k.memory.buffer);
    for (const l of this.s.layers.map((at, i) => ({ at, H: this.spec.layers[i].H }))) {
      view.fill(0, l.at.h / 4, l.at.h / 4 + batchSize * l.H);
      if (l.at.c) view.fill(0, l.at.c / 4, l.at.c / 4 + batchSize * l.H);
    }
  }

  /** Lays out the states, work rows and plan for a batch of B, in a block of their own. */
  private plan(B: number): void {
    const { k, spec, w } = this;
    const codes = kernelCodes(k);
    const layout = (a: Arena): StateAt => ({
      plan: a.bytes(k.planBytes(spec.layers.length)),
      ids: a.bytes(4 * B),
      x0: a.floats(B * spec.F),
      layers: spec.layers.map((l) => ({ h: a.floats(B * l.H), c: l.kind === 'lstm' ? a.floats(B * l.H) : 0, work: a.bytes(k.stepWorkBytes(codes.kinds[l.kind], B, l.H)) })),
      logits: a.floats(B * spec.dense.N),
    });
    const dry = new Arena(k, 0);
    layout(dry);
    if (this.stateBlock >= 0) residentBlocks(k).release(this.stateBlock);
    this.stateBlock = -1;
    const block = residentBlocks(k).take(dry.top);
    this.stateBlock = block;
    orphans.unregister(this.token); //                                        (one registration at a time: a block is freed once)
    orphans.register(this, { k, blocks: this.blocks() }, this.token);
    const a = new Arena(k, block);
    const s = layout(a);
    a.view(this.who);
    k.planModel(s.plan, spec.layers.length, B, spec.F, w.E, w.EW, spec.maskZero ? 1 : 0, s.ids, s.x0, spec.dense.K, spec.dense.N, w.pWd, w.bd, s.logits);
    spec.layers.forEach((l, i) => {
      const lw = w.layers[i], ls = s.layers[i];
      const σ = codes.activations[l.recurrentActivation] ?? 0;
      k.planLayer(s.plan, i, codes.kinds[l.kind], l.H, l.D, codes.activations[l.activation], σ, lw.pW, lw.b, lw.pU, lw.pU2, lw.bR, ls.h, ls.c, ls.work);
    });
    this.s = s;
    this.B = B;
  }

  step(ids: Int32Array): Float32Array {
    this.check();
    const { k, s } = this;
    new Int32Array(k.memory.buffer, s.ids, this.B).set(ids);
    generationCalls.steps++;
    k.generateStep(s.plan); //                                               every layer, one call
    const n = this.B * this.spec.dense.N;
    return new Float32Array(k.memory.buffer, s.logits, n).slice();
  }

  states(): Float32Array[][] {
    this.check();
    const { k, s, B } = this;
    const copy = (at: number, H: number) => new Float32Array(k.memory.buffer, at, B * H).slice();
    return this.spec.layers.map((l, i) => (l.kind === 'lstm' ? [copy(s.layers[i].h, l.H), copy(s.layers[i].c, l.H)] : [copy(s.layers[i].h, l.H)]));
  }

  dispose(): void {
    if (this.disposed) return;
    this.release();
    orphans.unregister(this.token);
  }

  private release(): void {
    this.disposed = true;
    for (const b of this.blocks()) residentBlocks(this.k).release(b);
    this.stateBlock = -1;
  }

  private check(): void {
    if (this.disposed) throw new Error(`${this.who}: this generator was disposed; make a new one`);
  }
}
