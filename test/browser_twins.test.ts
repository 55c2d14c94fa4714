/**
 * The browser build swaps each src/X.ts that has a twin src/X.browser.ts for
 * the twin (scripts/browser_twins.mjs). A twin must export what its Node
 * file exports, no more and no less (the browser entry: a part of the Node
 * entry), and the browser graph must reach no Node built-in: esbuild bundles
 * it here for the browser platform, as `npm run build:browser` does.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { spawnSync } from 'child_process';

const ROOT = path.join(__dirname, '..');
const SRC = path.join(ROOT, 'src');

function browserFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? browserFiles(p) : e.name.endsWith('.browser.ts') ? [p] : [];
  });
}

const twins = browserFiles(SRC)
  .map((browser) => ({ browser, node: browser.replace(/\.browser\.ts$/, '.ts') }))
  .filter((t) => fs.existsSync(t.node));

const program = ts.createProgram(twins.flatMap((t) => [t.browser, t.node]), {
  target: ts.ScriptTarget.ES2020,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
});
const checker = program.getTypeChecker();

/** The names a module exports (values and types). */
function exportsOf(file: string): string[] {
  const sf = program.getSourceFile(file)!;
  const symbol = checker.getSymbolAtLocation(sf);
  return symbol ? checker.getExportsOfModule(symbol).map((s) => s.name).sort() : [];
}

test('the browser twins are the ones the build swaps in, and there are some', () => {
  expect(twins.map((t) => path.relative(SRC, t.node)).sort()).toEqual(
    expect.arrayContaining(['tf.ts', 'index.ts', 'kernels/wasm_source.ts', 'kernels/helper_thread.ts', 'kernels/load_kernels.ts', 'backend_loaders.ts']),
  );
});

test.each(twins.filter((t) => !t.node.endsWith(`${path.sep}index.ts`)).map((t) => [path.relative(SRC, t.browser), t]))(
  '%s exports exactly what its Node twin exports',
  (_name, t) => {
    expect(exportsOf(t.browser)).toEqual(exportsOf(t.node));
  },
);

test("the browser entry exports a part of the Node entry's names, and the Node entry adds only what needs files", () => {
  const browser = exportsOf(path.join(SRC, 'index.browser.ts'));
  const node = exportsOf(path.join(SRC, 'index.ts'));
  expect(node).toEqual(expect.arrayContaining(browser));
  expect(node.filter((n) => !browser.includes(n)).sort()).toEqual(
    ['CSVLogger', 'CSVLoggerArgs', 'ExportFileOptions', 'FileIOOptions', 'LoadKerasModelOptions', 'ModelCheckpoint', 'ModelCheckpointArgs', 'fileIO', 'kerasModelFromArtifacts', 'loadKerasModel', 'loadModel', 'saveKeras', 'saveOnnx', 'toOnnx'].sort(),
  );
  expect(browser).toEqual(expect.arrayContaining(['Sequential', 'LSTM', 'Embedding', 'setBackend', 'loadKernels', 'kernelsInfo', 'tf']));
});

test('the browser graph bundles for the browser platform and reaches no Node built-in', () => {
  // In a child process: esbuild's plugin module is ESM, which jest's CommonJS runtime does not load.
  const script = `
    import * as esbuild from 'esbuild';
    import { browserTwins } from ${JSON.stringify(path.join(ROOT, 'scripts', 'browser_twins.mjs'))};
    const pkg = JSON.parse((await import('fs')).readFileSync(${JSON.stringify(path.join(ROOT, 'package.json'))}, 'utf8'));
    const result = await esbuild.build({
      entryPoints: [${JSON.stringify(path.join(SRC, 'index.browser.ts'))}], bundle: true, write: false, splitting: true,
      outdir: 'out', format: 'esm', platform: 'browser', loader: { '.wasm': 'binary' }, metafile: true, logLevel: 'silent',
      external: Object.keys(pkg.peerDependencies ?? {}).concat(Object.keys(pkg.dependencies ?? {})),
      plugins: [browserTwins(${JSON.stringify(SRC)})],
    }).catch((e) => ({ errors: e.errors.map((m) => m.text + ' ' + (m.location?.file ?? '')), warnings: [] }));
    console.log(JSON.stringify({ errors: result.errors, warnings: result.warnings, inputs: Object.keys(result.metafile?.inputs ?? {}),
      code: (result.outputFiles ?? []).map((f) => f.text).join('\\n') }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  expect(run.stderr).toBe('');
  const result = JSON.parse(run.stdout) as { errors: unknown[]; warnings: unknown[]; inputs: string[]; code: string };
  expect(result.errors).toEqual([]);
  expect(result.warnings).toEqual([]);
  expect(result.inputs.some((f) => f.endsWith('tf.browser.ts'))).toBe(true);
  expect(result.inputs.filter((f) => /(^|\/)(model\/io|model\/dir_lock|interop\/keras\/load|interop\/write_file|kernels\/helper_thread)\.ts$/.test(f))).toEqual([]);
  expect(result.code).not.toMatch(/\brequire\(|__require|\bprocess\.(stdout|stderr|stdin)|__dirname/);
  const imports = [...result.code.matchAll(/^import\s.*?from\s+"([^"]+)"/gm)].map((m) => m[1]).filter((s) => !s.startsWith('.'));
  expect([...new Set(imports)].sort()).toEqual(['@tensorflow/tfjs']);
});
