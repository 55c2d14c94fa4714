// Serving the sentiment demo's models with onnxruntime-node: texts become ids
// as the run made them (its preprocessing.json, read by this package's
// Tokenizer, subwordBags and padSequences), the ONNX models give P(positive).
//
//   npm install tfjs-recurrent onnxruntime-node
//   npx tfjs-recurrent export --to onnx runs/sentiment-<time> served/   # served/model.onnx, ..., preprocessing.json
//   node serve_onnx.mjs served/ "Great phone!" "Not worth the money."
//
// MODEL is an .onnx file or a folder of them (an ensemble: the mean of its
// models); preprocessing.json is read from beside them.
import * as fs from 'fs';
import * as path from 'path';
import * as ort from 'onnxruntime-node';
import { Tokenizer, padSequences, subwordBags } from 'tfjs-recurrent';

const [model, ...texts] = process.argv.slice(2);
if (model === undefined || texts.length === 0) {
  console.error('usage: node serve_onnx.mjs MODEL.onnx|FOLDER TEXT...');
  process.exit(2);
}
const folder = fs.statSync(model).isDirectory();
const dir = folder ? model : path.dirname(model);
const files = folder ? fs.readdirSync(dir).filter((f) => f.endsWith('.onnx')).sort().map((f) => path.join(dir, f)) : [model];
const preFile = path.join(dir, 'preprocessing.json');
const missing = files.length === 0 ? `no .onnx file in ${dir}` : !fs.existsSync(preFile) ? `no ${preFile}: export a run folder (or one of its model folders) to get one beside the models` : null;
if (missing) {
  console.error(`serve_onnx: ${missing}`);
  process.exit(2);
}
const pre = JSON.parse(fs.readFileSync(preFile, 'utf8'));
const tokenizer = Tokenizer.fromJSON(JSON.stringify(pre.tokenizer));

/** Texts → int32 ids [n, maxlen, width] (subword bags) or [n, maxlen] (word ids), as the run encoded them. */
function encode(texts) {
  const { maxlen, padding, truncating, subwords: s } = pre;
  const rows = s
    ? subwordBags(tokenizer, texts, { buckets: s.buckets, minN: s.minN, maxN: s.maxN, maxNgrams: s.maxNgrams, maxlen })
    : padSequences(tokenizer.textsToSequences(texts), { maxlen, padding, truncating });
  return new ort.Tensor('int32', Int32Array.from(rows.flat(2)), [texts.length, ...pre.inputShape]);
}

const x = encode(texts);
const p = new Float64Array(texts.length);
for (const file of files) {
  const session = await ort.InferenceSession.create(file);
  const out = await session.run({ [session.inputNames[0]]: x });
  out[session.outputNames[0]].data.forEach((v, i) => (p[i] += v / files.length)); // [n, 1]: P(positive)
  await session.release();
}
texts.forEach((t, i) => console.log(`${p[i].toFixed(6)}  ${t}`));
