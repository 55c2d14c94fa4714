/**
 * curves.svg: a colour and a legend entry per model of an ensemble, train
 * solid and validation dashed, and each model's restored epoch marked (a
 * diamond on its validation curve and a rule, in its colour). Checked on the
 * spec and on the SVG's marks and legend text, not on pixels.
 */
import { BEST_LABEL, Curves, EpochLog, curvesSVG, curvesSpec } from '../../src/sentiment/plot';

/** A made-up history of n epochs: validation loss lowest at epoch `best`. */
const history = (n: number, best: number, shift: number): EpochLog[] =>
  [...Array(n)].map((_, i) => ({
    epoch: i + 1,
    loss: 0.7 - 0.05 * i - shift,
    acc: 0.5 + 0.04 * i + shift,
    val_loss: 0.5 + 0.02 * Math.abs(i + 1 - best) + shift,
    val_acc: 0.6 + 0.01 * i + shift,
  }));
const runs: Curves[] = [
  { history: history(6, 3, 0), bestEpoch: 3, seed: 42 },
  { history: history(5, 2, 0.01), bestEpoch: 2, seed: 1042 },
  { history: history(7, 4, 0.02), bestEpoch: 4, seed: 2042 },
];
const labels = ['model 1 (seed 42)', 'model 2 (seed 1042)', 'model 3 (seed 2042)'];

/** The SVG elements inside the mark groups named `name` (Vega's `<g class="... name">`; a line mark has a group per line). */
function marks(svg: string, name: string): string[] {
  return svg.split(`role-mark ${name}"`).slice(1).flatMap((group) => group.slice(0, group.indexOf('</g>')).match(/<(path|line) [^>]*\/>/g) ?? []);
}
const attr = (el: string, name: string) => el.match(new RegExp(` ${name}="([^"]*)"`))?.[1];

test('the spec flags, per model, the validation points of its restored epoch, in both panels', () => {
  const spec = curvesSpec(runs, 't') as unknown as { data: { values: Array<Record<string, unknown>> } };
  const best = spec.data.values.filter((v) => v.best);
  expect(best.map((v) => [v.model, v.epoch, v.metric, v.split])).toEqual([
    [labels[0], 3, 'loss', 'validation'], [labels[0], 3, 'accuracy', 'validation'],
    [labels[1], 2, 'loss', 'validation'], [labels[1], 2, 'accuracy', 'validation'],
    [labels[2], 4, 'loss', 'validation'], [labels[2], 4, 'accuracy', 'validation'],
  ]);
  // A model that never improved (bestEpoch 0) gets no mark.
  const none = curvesSpec([{ history: history(3, 1, 0), bestEpoch: 0 }], 't') as unknown as { data: { values: Array<Record<string, unknown>> } };
  expect(none.data.values.some((v) => v.best)).toBe(false);
});

test('the SVG has a legend entry per model, train and validation, and the restored-epoch mark', async () => {
  const svg = await curvesSVG(runs, '3 × bilstm(16)');
  const legend = [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
  expect(legend).toEqual(expect.arrayContaining([...labels, 'train', 'validation', BEST_LABEL]));
});

test.each([['loss', 0], ['accuracy', 1]])('the %s panel: one line per model and split, a diamond and a rule at each restored epoch, in the model\'s colour', async (metric, panel) => {
  const svg = await curvesSVG(runs, 't');
  const lines = marks(svg, `concat_${panel}_layer_0_marks`);
  expect(lines).toHaveLength(6);
  const colour = new Map<string, string>();
  for (const l of lines) {
    const [, model, split] = attr(l, 'aria-label')!.match(/model: ([^;]+); split: (\w+)/)!;
    expect(attr(l, 'stroke-dasharray')).toBe(split === 'train' ? '1,0' : '4,2');
    if (colour.has(model)) expect(attr(l, 'stroke')).toBe(colour.get(model));
    colour.set(model, attr(l, 'stroke')!);
  }
  expect(new Set(colour.values()).size).toBe(3);

  const diamonds = marks(svg, `concat_${panel}_layer_2_marks`);
  const rules = marks(svg, `concat_${panel}_layer_1_marks`);
  expect(diamonds).toHaveLength(3);
  expect(rules).toHaveLength(3);
  runs.forEach((run, k) => {
    const h = run.history[run.bestEpoch - 1];
    const value = metric === 'loss' ? h.val_loss : h.val_acc;
    const d = diamonds.find((el) => attr(el, 'aria-label')!.endsWith(`model: ${labels[k]}`))!;
    expect(attr(d, 'aria-label')).toBe(`epoch: ${run.bestEpoch}; ${metric}: ${Number(value.toFixed(2))}; model: ${labels[k]}`);
    expect(attr(d, 'fill')).toBe(colour.get(labels[k]));
    const r = rules.find((el) => attr(el, 'aria-label') === `epoch: ${run.bestEpoch}; model: ${labels[k]}`)!;
    expect(attr(r, 'stroke')).toBe(colour.get(labels[k]));
  });
});
