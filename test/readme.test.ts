/**
 * The README's example is examples/quickstart.ts, verbatim, and it runs:
 * builds, prints the Keras summary, trains and predicts with no await.
 */
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');

test('the README shows examples/quickstart.ts verbatim', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const example = fs.readFileSync(path.join(root, 'examples', 'quickstart.ts'), 'utf8').trim();
  expect(readme).toContain('```ts\n' + example + '\n```');
});

test('the example runs top to bottom: summary, fit, predict', async () => {
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.map(String).join(' ')));
  try {
    jest.isolateModules(() => {
      require('../examples/quickstart');
    });
    // The summary is printed synchronously, before any await.
    expect(lines).toContain('Total params: 22,305');
    const deadline = Date.now() + 50000;
    while (!lines.some((l) => l.startsWith('Tensor')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const i = lines.findIndex((l) => l.startsWith('Tensor'));
    expect(i).toBeGreaterThan(-1);
    const probs = lines.slice(i).join(' ').match(/-?\d+\.\d+/g)!.map(Number);
    expect(probs).toHaveLength(2);
    probs.forEach((p) => expect(p > 0 && p < 1).toBe(true));
  } finally {
    log.mockRestore();
  }
});

test('the README says how to run a TypeScript and a JavaScript script; the guide installs the TypeScript this package is built with before `npx tsc`', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  expect(readme).toMatch(/TypeScript: .*`npx tsx script\.ts`/);
  expect(readme).toMatch(/JavaScript: .*require\('tfjs-recurrent'\).*`node script\.js`/);
  const guide = fs.readFileSync(path.join(root, 'docs', 'guide.md'), 'utf8');
  const pinned = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies.typescript as string; // '~6.0.3'
  const install = guide.indexOf(`npm install --save-dev typescript@${pinned.replace(/\.\d+$/, '')}`);
  expect(install).toBeGreaterThan(-1);
  // Every `npx tsc` that the guide tells to run comes after that install (a bare `npx tsc` fetches an unrelated package named tsc).
  const runs = [...guide.matchAll(/^npx tsc\b/gm)].map((m) => m.index!);
  expect(runs.length).toBeGreaterThan(0);
  runs.forEach((at) => expect(at).toBeGreaterThan(install));
});
