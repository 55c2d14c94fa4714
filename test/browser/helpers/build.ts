/**
 * What the browser tests need built or known before they start: the package
 * built (dist/, with dist/browser/ no older than src/), the lowest
 * @tensorflow/tfjs the package supports, and commands run with their time
 * and output kept.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { builtDist, newest } from '../../helpers/dist';

/** The repository's root. */
export const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * dist/ built from today's src/ (test/helpers/dist.ts runs `npm run build`
 * when dist/index.js is older), and dist/browser/ too: `npm run build:browser`
 * when its bundle is missing or older than src/ or the kernels' .wasm.
 * Returns the path of dist/browser/.
 */
export function builtBrowserBundle(): string {
  const dist = builtDist();
  const bundle = path.join(dist, 'browser', 'index.mjs');
  const inputs = Math.max(newest(path.join(ROOT, 'src')), ...['recurrent.wasm', 'recurrent-relaxed.wasm'].map((f) => fs.statSync(path.join(dist, 'kernels', f)).mtimeMs));
  if (!fs.existsSync(bundle) || fs.statSync(bundle).mtimeMs < inputs) run('npm', ['run', 'build:browser'], { cwd: ROOT });
  return path.join(dist, 'browser');
}

/**
 * The lowest @tensorflow/tfjs the package supports: its peer dependency's
 * range with the `^` stripped (`^4.10.0` → `4.10.0`); where package.json
 * names no such peer yet, the version in `dependencies`.
 */
export function lowestTfjs(): { version: string; from: string } {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const peer: string | undefined = pkg.peerDependencies?.['@tensorflow/tfjs'];
  const from = peer !== undefined ? 'peerDependencies' : 'dependencies';
  const range: string | undefined = peer ?? pkg.dependencies?.['@tensorflow/tfjs'];
  const version = range?.replace(/^[\^~>=\s]+/, '');
  if (!version || !/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`package.json: cannot read the lowest @tensorflow/tfjs from ${from} ('${range}')`);
  return { version, from };
}

/**
 * The environment for npm commands of another project: ours without the
 * `npm_*` variables that `npm run` sets (npm_config_local_prefix names this
 * repository, and would send an install here).
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'INIT_CWD') env[k] = v;
  return { ...env, ...extra };
}

/** A finished command: its exit status, output, and seconds taken. */
export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs `cmd args` in `cwd` (environment: `cleanEnv()` unless given), and fails with its output unless it exits 0 or `allowFailure`. */
export function run(cmd: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; allowFailure?: boolean; timeout?: number }): Ran {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: options.cwd, env: options.env ?? cleanEnv(), encoding: 'utf8', timeout: options.timeout ?? 240000, maxBuffer: 64 << 20 });
  const ran = { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', seconds: (Date.now() - t0) / 1000 };
  if (r.error) throw new Error(`${cmd} ${args.join(' ')} (in ${options.cwd}) did not run: ${r.error.message}`);
  if (!options.allowFailure && r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${options.cwd}) exited ${r.status}:\n${ran.stdout}\n${ran.stderr}`);
  }
  return ran;
}

/**
 * A new folder holding a page built from `entry` as a user's project builds
 * one: esbuild bundles it for the browser, resolving 'tfjs-recurrent' by its
 * name through package.json's `browser` condition (not the repository's
 * tsconfig paths), as an ES module (top-level await allowed); beside it
 * index.html, and tfjs-backend-wasm's own .wasm files at /tfjs-wasm/.
 * esbuild's warnings fail it.
 */
export function bundlePage(entry: string, title = 'loading'): string {
  builtBrowserBundle();
  const site = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-recurrent-page-'));
  const esbuild = path.join(ROOT, 'node_modules', '.bin', 'esbuild');
  const built = run(esbuild, [entry, '--bundle', '--platform=browser', '--format=esm', `--outfile=${path.join(site, 'page.js')}`, '--log-level=warning', '--tsconfig-raw={}'], { cwd: ROOT });
  if (built.stdout + built.stderr !== '') throw new Error(`esbuild warned on ${entry}:\n${built.stdout}${built.stderr}`);
  fs.mkdirSync(path.join(site, 'tfjs-wasm'));
  const wasmDist = path.join(ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  for (const f of fs.readdirSync(wasmDist).filter((f) => f.endsWith('.wasm'))) fs.copyFileSync(path.join(wasmDist, f), path.join(site, 'tfjs-wasm', f));
  fs.writeFileSync(path.join(site, 'index.html'), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>${title}</title><script type="module" src="page.js"></script>`);
  return site;
}
