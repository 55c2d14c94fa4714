/**
 * The demo's default model goes out, end to end from text to probability: a
 * short default run of `tfjs-recurrent sentiment` (subword bags, EmbeddingBag,
 * BiLSTM beside the mean word vector) exported from the command line to ONNX,
 * Keras 3 and PyTorch. Here onnxruntime-node runs the ONNX file on ids made
 * from preprocessing.json alone and gives `predict`'s probabilities; Keras 3
 * and PyTorch do the same in test/reference/make_demo_export.py (the same
 * command, the same texts; its last run: test/fixtures/interop/demo_export.json).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ort from 'onnxruntime-node';
import { unzipSync, strFromU8 } from 'fflate';
import { spawnSync } from 'child_process';
import { Tokenizer, subwordBags } from '../../src';
import { predictSentiment } from '../../src/sentiment/predict';
import { Preprocessing } from '../../src/sentiment/preprocessing';
import { builtDist } from '../helpers/dist';
import { scratchDir } from '../helpers/scratch';

const FIXTURE = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'interop', 'demo_export.json'), 'utf8')) as {
  command: string;
  texts: string[];
  maxDiff: { keras: number; torch: number };
};
const scratch = scratchDir('tfjs-recurrent-demo-export-');
const run = () => path.join(scratch(), 'run');
const RUN = FIXTURE.command.split(' ').slice(1); // sentiment --epochs 1 --ensemble 1 --limit 600 --backend cpu --no-progress

/** The command line, as a user runs it (the built package, in its own process). */
function cli(args: string[]): string {
  const r = spawnSync(process.execPath, [path.join(builtDist(), 'cli', 'main.js'), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tfjs-recurrent ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
  return r.stdout;
}

beforeAll(() => void cli([...RUN, '--out', run()]), 300_000);

/** `export --to FORMAT run OUT/`: the files it printed. */
function exportTo(format: string): string[] {
  const dir = path.join(scratch(), format);
  fs.mkdirSync(dir);
  return cli(['export', '--to', format, run(), dir]).trimEnd().split('\n');
}

test("the fixture's Keras 3 and PyTorch runs of the same command gave ours to 1e-5", () => {
  expect(RUN).toEqual(['sentiment', '--epochs', '1', '--ensemble', '1', '--limit', '600', '--backend', 'cpu', '--no-progress']);
  expect(FIXTURE.maxDiff.keras).toBeLessThan(1e-5);
  expect(FIXTURE.maxDiff.torch).toBeLessThan(1e-5);
});

test('ONNX: onnxruntime-node, on ids made from preprocessing.json alone, gives predict\'s probabilities to 1e-5', async () => {
  const [file, pre] = exportTo('onnx');
  expect(path.basename(file)).toBe('model.onnx');
  const p = JSON.parse(fs.readFileSync(pre, 'utf8')) as Preprocessing;
  expect(p.subwords).not.toBeNull();
  const s = p.subwords!;
  const tokenizer = Tokenizer.fromJSON(JSON.stringify(p.tokenizer));
  const bags = subwordBags(tokenizer, FIXTURE.texts, { buckets: s.buckets, minN: s.minN, maxN: s.maxN, maxNgrams: s.maxNgrams, maxlen: p.maxlen });
  const session = await ort.InferenceSession.create(file);
  const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('int32', Int32Array.from(bags.flat(2)), [FIXTURE.texts.length, ...p.inputShape]) });
  const theirs = Array.from(out[session.outputNames[0]].data as Float32Array);
  await session.release();
  const ours = await predictSentiment(run(), FIXTURE.texts);
  expect(theirs).toHaveLength(ours.length);
  theirs.forEach((v, i) => expect(Math.abs(v - ours[i])).toBeLessThan(1e-5));
});

test('Keras 3: the .keras file names only layers Keras ships, and its weights include the trainable bag table', async () => {
  const [file] = exportTo('keras');
  const zip = unzipSync(fs.readFileSync(file));
  const config = JSON.parse(strFromU8(zip['config.json']));
  const layers = config.config.layers as Array<{ module: string; class_name: string; name: string; config: { trainable: boolean } }>;
  expect(new Set(layers.map((l) => l.module))).toEqual(new Set(['keras.layers']));
  const bag = layers.find((l) => l.name === 'embedding_bag')!;
  expect(bag.class_name).toBe('Embedding');
  expect(bag.config.trainable).toBe(true);
  expect(layers.filter((l) => l.class_name === 'Masking')).toHaveLength(1);
});

test('PyTorch: the state dict has the keys docs/python/sentiment_torch.py loads', async () => {
  const [file] = exportTo('torch');
  const sd = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  expect(Object.keys(sd)).toEqual([
    'embedding_bag.weight',
    ...['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0'].flatMap((k) => [`bidirectional.${k}`]),
    ...['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0'].map((k) => `bidirectional.${k}_reverse`),
    'dense.weight', 'dense.bias',
  ]);
});
