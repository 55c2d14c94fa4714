/** Training curves as an SVG file, drawn with Vega-Lite. */
import * as vega from 'vega';
import * as vl from 'vega-lite';

export interface EpochLog {
  epoch: number;
  loss: number;
  acc: number;
  val_loss: number;
  val_acc: number;
}

/** Two panels, loss and accuracy per epoch, train and validation; one line per model of an ensemble. */
export async function curvesSVG(histories: EpochLog[][], title: string): Promise<string> {
  const values = histories.flatMap((history, k) => history.flatMap((h) => [
    { model: k + 1, epoch: h.epoch, metric: 'loss', split: 'train', value: h.loss },
    { model: k + 1, epoch: h.epoch, metric: 'loss', split: 'validation', value: h.val_loss },
    { model: k + 1, epoch: h.epoch, metric: 'accuracy', split: 'train', value: h.acc },
    { model: k + 1, epoch: h.epoch, metric: 'accuracy', split: 'validation', value: h.val_acc },
  ]));
  const panel = (metric: string) => ({
    title: metric,
    width: 320,
    height: 220,
    transform: [{ filter: `datum.metric === '${metric}'` }],
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
      color: { field: 'split', type: 'nominal' },
      detail: { field: 'model', type: 'nominal' },
    },
  });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    data: { values },
    hconcat: [panel('loss'), panel('accuracy')],
  };
  const view = new vega.View(vega.parse(vl.compile(spec as vl.TopLevelSpec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
