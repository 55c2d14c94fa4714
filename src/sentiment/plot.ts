/**
 * Training curves as an SVG file, drawn with Vega-Lite: vega and vega-lite
 * are optional peer dependencies, loaded here only (src/optional.ts).
 */
import type * as Vega from 'vega';
import type * as vl from 'vega-lite';
import { requireOptional } from '../optional';

/** Whether vega and vega-lite are installed (the repository's own install has them). */
export function canPlot(): boolean {
  return ['vega', 'vega-lite'].every((name) => {
    try {
      require.resolve(name);
      return true;
    } catch {
      return false;
    }
  });
}

export interface EpochLog {
  epoch: number;
  loss: number;
  acc: number;
  val_loss: number;
  val_acc: number;
}

/** The training of one model of a run: its epochs, the epoch whose weights were restored (0: none), its seed. */
export interface Curves {
  history: EpochLog[];
  bestEpoch: number;
  seed?: number;
}

/** The legend entry of the restored-epoch marks. */
export const BEST_LABEL = 'restored epoch (best validation loss)';

/** The name of model k (0-based) in the legend. */
export const modelLabel = (c: Curves, k: number) => `model ${k + 1}${c.seed != null ? ` (seed ${c.seed})` : ''}`;

/**
 * The Vega-Lite spec of `curvesSVG`: two panels (loss, accuracy); a colour per
 * model, train solid and validation dashed; on each model's validation curve,
 * a diamond at the epoch whose weights it kept, and a rule there in its colour.
 */
export function curvesSpec(runs: Curves[], title: string): vl.TopLevelSpec {
  const values = runs.flatMap((run, k) => run.history.flatMap((h) => {
    const [model, epoch, best] = [modelLabel(run, k), h.epoch, h.epoch === run.bestEpoch];
    return [
      { model, epoch, metric: 'loss', split: 'train', value: h.loss, best: false },
      { model, epoch, metric: 'loss', split: 'validation', value: h.val_loss, best },
      { model, epoch, metric: 'accuracy', split: 'train', value: h.acc, best: false },
      { model, epoch, metric: 'accuracy', split: 'validation', value: h.val_acc, best },
    ];
  }));
  const x = { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' } } as const;
  const color = { field: 'model', type: 'nominal', title: null, sort: runs.map(modelLabel), legend: { symbolOpacity: 1 } } as const;
  const panel = (metric: string) => ({
    title: metric,
    width: 320,
    height: 220,
    transform: [{ filter: `datum.metric === '${metric}'` }],
    encoding: { x, y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } }, color },
    layer: [
      {
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: { strokeDash: { field: 'split', type: 'nominal', title: null, sort: ['train', 'validation'], legend: { symbolStrokeColor: 'gray' } } },
      },
      {
        transform: [{ filter: 'datum.best' }],
        mark: { type: 'rule', strokeDash: [2, 3], opacity: 0.6 },
        encoding: { y: null },
      },
      {
        transform: [{ filter: 'datum.best' }],
        mark: { type: 'point', filled: true, size: 110, opacity: 1 },
        encoding: { shape: { datum: BEST_LABEL, type: 'nominal', title: null, scale: { range: ['diamond'] } } },
      },
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    data: { values },
    hconcat: [panel('loss'), panel('accuracy')],
    config: { legend: { labelLimit: 300 } },
  } as vl.TopLevelSpec;
}

/** Two panels, loss and accuracy per epoch, train and validation; a colour per model of an ensemble, its restored epoch marked. */
export async function curvesSVG(runs: Curves[], title: string): Promise<string> {
  const vega = requireOptional<typeof Vega>('vega', 'curvesSVG', 'drawing training curves');
  const lite = requireOptional<typeof vl>('vega-lite', 'curvesSVG', 'drawing training curves');
  const view = new vega.View(vega.parse(lite.compile(curvesSpec(runs, title)).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
