/**
 * Every `@example` in the TSDoc of src/ runs: each block is compiled and
 * executed with 'tfjs-recurrent' bound to the package, in a scratch folder
 * holding what the examples read (a converted Keras model in `converted/`,
 * PyTorch state dicts), on the cpu backend. An example that throws fails here.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { setBackend, resetNames } from '../../src';

const SRC = path.join(__dirname, '..', '..', 'src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** The code of each @example block of a file, with where it is. */
function examples(file: string): Array<{ where: string; code: string }> {
  const text = fs.readFileSync(file, 'utf8');
  const out: Array<{ where: string; code: string }> = [];
  const re = /@example\s*\n\s*\*\s*```ts\n([\s\S]*?)\n\s*\*\s*```/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const line = text.slice(0, m.index).split('\n').length;
    const code = m[1].split('\n').map((l) => l.replace(/^\s*\* ?/, '')).join('\n');
    out.push({ where: `${path.relative(SRC, file)}:${line}`, code });
  }
  return out;
}

// (A browser twin's examples run in a page: test/browser/ bundles and runs what they show.)
const ALL = sources(SRC).filter((f) => !f.endsWith('.browser.ts')).flatMap(examples);

/** `import { a, b } from 'm'` → `const { a, b } = require('m')`, then the rest inside an async function. */
function toRunnable(code: string): string {
  const body = code.replace(/^import\s+(\{[^}]*\})\s+from\s+'([^']+)';?$/gm, (_, names, mod) => `const ${names.replace(/\s+as\s+/g, ': ')} = require('${mod}');`);
  const js = ts.transpileModule(`(async () => {\n${body}\n})()`, { compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS } }).outputText;
  return `return ${js.replace(/^"use strict";\s*/, '').replace(/;\s*$/, '')};`;
}

/** A state dict of nn.LSTM(16, 64) (num_layers 2) and of a bidirectional one, as the examples read. */
function torchLSTM(D: number, H: number, layers: number, bidirectional: boolean): Record<string, number[] | number[][]> {
  const rand = (n: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 0.1);
  const sd: Record<string, number[] | number[][]> = {};
  for (let k = 0; k < layers; k++) {
    for (const sfx of bidirectional ? ['', '_reverse'] : ['']) {
      sd[`weight_ih_l${k}${sfx}`] = Array.from({ length: 4 * H }, () => rand(k === 0 ? D : H));
      sd[`weight_hh_l${k}${sfx}`] = Array.from({ length: 4 * H }, () => rand(H));
      sd[`bias_ih_l${k}${sfx}`] = rand(4 * H);
      sd[`bias_hh_l${k}${sfx}`] = rand(4 * H);
    }
  }
  return sd;
}

describe('TSDoc examples', () => {
  let dir: string;
  const cwd = process.cwd();
  beforeAll(async () => {
    await setBackend('cpu', { verbose: false });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'examples-'));
    const fixture = path.join(__dirname, '..', 'fixtures', 'interop', 'keras_seq_emb_bigru');
    fs.mkdirSync(path.join(dir, 'converted'));
    for (const f of fs.readdirSync(fixture)) fs.copyFileSync(path.join(fixture, f), path.join(dir, 'converted', f));
    // A Keras 3 .keras file of the same architecture (Embedding → Bidirectional(GRU) → ..., ids of 7 steps).
    fs.copyFileSync(path.join(__dirname, '..', 'fixtures', 'keras_files', 'seq_emb_bigru_lstm', 'model.keras'), path.join(dir, 'model.keras'));
    fs.writeFileSync(path.join(dir, 'lstm_state.json'), JSON.stringify(torchLSTM(16, 64, 2, false)));
    fs.writeFileSync(path.join(dir, 'bilstm_state.json'), JSON.stringify(torchLSTM(16, 64, 1, true)));
    process.chdir(dir);
  });
  afterAll(() => {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('there is an example for every public class and function', () => {
    expect(ALL.length).toBeGreaterThanOrEqual(30);
  });

  test.each(ALL.map((e) => [e.where, e.code]))('%s runs', async (_, code) => {
    resetNames();
    const requireFor = (m: string) => (m === 'tfjs-recurrent' ? require('../../src') : m === 'tfjs-recurrent/sentiment' ? require('../../src/sentiment') : require(m));
    // What an example prints (results, a progress bar, terminateOnNaN's line) is the example's, not the suite's.
    const quiet = (['log', 'warn', 'error'] as const).map((m) => jest.spyOn(console, m).mockImplementation(() => undefined));
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await new Function('require', toRunnable(code))(requireFor);
    } finally {
      quiet.forEach((q) => q.mockRestore());
      out.mockRestore();
    }
  });
});
