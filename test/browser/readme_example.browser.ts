/**
 * The README's browser example is examples/browser/quickstart.ts, verbatim,
 * and it runs as a page: esbuild bundles it for the browser, resolving
 * 'tfjs-recurrent' through package.json's `browser` export condition (to
 * dist/browser/); served cross-origin isolated with tfjs-backend-wasm's own
 * .wasm files at /tfjs-wasm/, it prints a probability, and kernelsInfo says
 * our kernels ran its LSTM.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Hosted, host, openPage } from './helpers/browser';
import { ROOT, bundlePage } from './helpers/build';

const EXAMPLE = path.join(ROOT, 'examples', 'browser', 'quickstart.ts');

test('the README shows examples/browser/quickstart.ts verbatim', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  expect(readme).toContain('```ts\n' + fs.readFileSync(EXAMPLE, 'utf8').trim() + '\n```');
});

describe('the example as a page', () => {
  let site: Hosted;

  beforeAll(async () => {
    site = await host(bundlePage(EXAMPLE));
  }, 120000);

  afterAll(() => site?.close());

  test('prints a probability, its LSTM run by our kernels (one sequence), and logs nothing else', async () => {
    const { page, log } = await openPage(site.browser, site.url, 'true');
    // Its two console.log lines, as the page prints them: the tensor, then kernelsInfo().
    const deadline = Date.now() + 30000;
    while (log.console.filter((l) => l.startsWith('log:')).length < 2 && log.pageErrors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const lines = log.console.filter((l) => l.startsWith('log:'));
    const probability = Number(lines.join(' ').match(/\[\[(-?\d+\.\d+)\]/)?.[1]);
    expect(probability > 0 && probability < 1).toBe(true);
    expect(lines.join('\n')).toMatch(/loaded: true/);
    expect(lines.join('\n')).toMatch(/sequences: 1\b/);
    expect(lines.join('\n')).toMatch(/source: inline:recurrent(-relaxed)?\.wasm/);
    expect(log.errors()).toEqual([]);
    expect(log.warnings()).toEqual([]);
    await page.close();
  }, 60000);
});
