/**
 * Headless Chromium for the browser tests: Debian's system chromium driven by
 * playwright-core (whose own browser downloads are unreachable here), a page
 * whose console messages, uncaught errors and failed requests are collected,
 * and screenshots under test/browser/output/.
 *
 * @example
 * ```ts
 * const browser = await launchChromium();
 * const { page, log } = await openPage(browser, url);              // waits for document.title === 'ready'
 * expect(await evaluate(page, log, 'window.answer()')).toBe(42);   // fails at once on a page error
 * expect(log.errors()).toEqual([]);
 * await screenshot(page, 'my-page');
 * await browser.close();
 * ```
 */
import * as fs from 'fs';
import * as path from 'path';
import { Browser, Page, chromium } from 'playwright-core';
import { serve } from './serve';

/** Where Debian's chromium package puts the browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Screenshots and reports of the browser suite (gitignored). */
export const OUTPUT_DIR = path.resolve(__dirname, '..', 'output');

/**
 * Launches the system chromium headless. WebGL and WebGPU run on SwiftShader (the CPU),
 * which headless Chromium enables only when asked. Fails, naming the package
 * to install, where the browser is missing: the suite never skips silently.
 */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`the browser tests need Debian's chromium at ${CHROMIUM}: apt-get install chromium`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--enable-unsafe-webgpu', '--enable-features=Vulkan'],
  });
}

/** What a page said: every console message as `type: text (url)`, uncaught errors, and requests that failed or answered ≥ 400. */
export interface PageLog {
  console: string[];
  pageErrors: string[];
  failedRequests: string[];
  /** Console errors, uncaught errors and failed requests together (what a clean page has none of). */
  errors(): string[];
  /** Console warnings. */
  warnings(): string[];
}

/** Starts collecting what `page` says (before it navigates, so nothing is missed). */
export function collectLog(page: Page): PageLog {
  const log: PageLog = {
    console: [],
    pageErrors: [],
    failedRequests: [],
    errors: () => [...log.console.filter((l) => l.startsWith('error:')), ...log.pageErrors, ...log.failedRequests],
    warnings: () => log.console.filter((l) => l.startsWith('warning:')),
  };
  page.on('console', (m) => log.console.push(`${m.type()}: ${m.text()}${m.location().url ? ` (${m.location().url})` : ''}`));
  page.on('pageerror', (e) => log.pageErrors.push(`page error: ${e.stack ?? e.message}`));
  page.on('requestfailed', (r) => log.failedRequests.push(`request failed: ${r.url()} (${r.failure()?.errorText ?? 'no reason'})`));
  page.on('response', (r) => {
    if (r.status() >= 400) log.failedRequests.push(`response ${r.status()}: ${r.url()}`);
  });
  return log;
}

/**
 * Opens `url` in a new page of `browser` and waits until `ready` (a JavaScript
 * expression evaluated in the page) is true; an uncaught error in the page
 * before then fails at once, with the page's log.
 */
export async function openPage(browser: Browser, url: string, ready = "document.title === 'ready'"): Promise<{ page: Page; log: PageLog }> {
  const page = await browser.newPage();
  const log = collectLog(page);
  await page.goto(url);
  await until(page, log, page.waitForFunction(ready, undefined, { timeout: 30000 }), `${url} to be ready (${ready})`, 30000);
  return { page, log };
}

/**
 * Evaluates `js` (an expression; a promise is awaited) in `page` and returns
 * its value; an uncaught error in the page (its workers included) meanwhile,
 * or no answer within `timeout` ms, fails at once with the page's log.
 */
export function evaluate<T>(page: Page, log: PageLog, js: string, timeout = 60000): Promise<T> {
  return until(page, log, page.evaluate(js) as Promise<T>, js, timeout);
}

async function until<T>(page: Page, log: PageLog, work: Promise<T>, what: string, timeout: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onError: ((e: Error) => void) | undefined;
  const failed = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${timeout} ms`)), timeout);
    onError = (e) => reject(e);
    page.once('pageerror', onError);
  });
  try {
    return await Promise.race([work, failed]);
  } catch (e) {
    const said = log.console.concat(log.pageErrors, log.failedRequests).join('\n');
    throw new Error(`waiting for ${what}: ${(e as Error).message.split('\n')[0]}\npage log:\n${said}`);
  } finally {
    clearTimeout(timer);
    page.off('pageerror', onError!);
    work.catch(() => undefined); // (settles after a failure, unobserved)
  }
}

/** Writes a full-page screenshot of `page` to test/browser/output/NAME.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(OUTPUT_DIR, { recursive: true });
  const file = path.join(OUTPUT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Writes `report` as test/browser/output/NAME.json (timings, sizes, versions a run found) and returns its path. */
export function writeReport(name: string, report: unknown): string {
  fs.mkdirSync(OUTPUT_DIR, { recursive: true });
  const file = path.join(OUTPUT_DIR, `${name}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

/** A folder served (cross-origin isolated) with a Chromium to open it; `close` stops both and removes the folder. */
export interface Hosted {
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Serves `site` (see helpers/serve.ts) and launches Chromium for it. */
export async function host(site: string): Promise<Hosted> {
  const server = await serve(site);
  const browser = await launchChromium();
  return {
    url: server.url,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
      fs.rmSync(site, { recursive: true, force: true });
    },
  };
}
