#!/usr/bin/env node
/**
 * npm run setup:native — makes @tensorflow/tfjs-node usable where its own
 * installer cannot download libtensorflow.
 *
 * tfjs-node's install script fetches a prebuilt libtensorflow from a host
 * some machines cannot reach; npm then skips the optional dependency. Its
 * N-API binding builds from the sources in its npm package against any
 * TensorFlow 2.x C library (the C API is stable across 2.x), and the
 * `tensorflow` / `tensorflow-cpu` Python wheels ship that library:
 * libtensorflow_cc.so.2 (TFE_*, TF_*), libtensorflow_framework.so.2 and the
 * C headers. So, step by step, each skipped when already done:
 *
 *   1. tfjs-node already loads?            say so, stop.
 *   2. the package is missing?             npm install --no-save --ignore-scripts it.
 *   3. the C library, into .native/tensorflow/ (git-ignored), from the first of:
 *        $TFJS_RECURRENT_TF_WHEEL (a wheel file), an installed TensorFlow
 *        Python package, or `pip download` of tensorflow-cpu / tensorflow
 *        from pip's configured index; only the libraries and the C headers
 *        are unpacked (Python's zipfile), the wheel is then deleted.
 *   4. link it under the package's deps/ as its binding.gyp expects, and
 *      build the binding with node-gyp (npm's own; Node's installed headers
 *      when present, so nothing is downloaded).
 *   5. check, in a new process, that tfjs-node loads and computes.
 *
 * Linux x64 only (the wheel's library names); elsewhere tfjs-node's own
 * installer is the way. Exits non-zero with the reason when it cannot.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const CACHE = path.join(ROOT, '.native');
const TF_DIR = path.join(CACHE, 'tensorflow'); // lib/ include/ version
const PKG = '@tensorflow/tfjs-node';
const WANTED = require(path.join(ROOT, 'package.json')).devDependencies[PKG];

/** The wheel members the binding needs: two libraries and the C API headers (with what they include). */
const LIBS = ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'];
const HEADER_DIRS = ['tensorflow/c/', 'tensorflow/core/platform/', 'tsl/c/', 'tsl/platform/', 'xla/tsl/c/', 'xla/tsl/platform/'];

class SetupError extends Error {}

function step(line) {
  process.stdout.write(`setup:native: ${line}\n`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: ROOT, maxBuffer: 64 << 20, ...opts });
  if (r.error && r.error.code === 'ENOENT') return { ok: false, missing: true, out: '', status: null };
  return { ok: r.status === 0, status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

function lastLines(text, n = 12) {
  return text.trim().split('\n').slice(-n).map((l) => `    ${l}`).join('\n');
}

/** The line the probe writes, alone on its line: `${PROBE_MARK}<version>`. */
const PROBE_MARK = 'tfjs-recurrent-probe: version ';

/**
 * TensorFlow's start-up lines (absl's "WARNING: All log messages before
 * absl::InitializeLog()…", oneDNN's "I0000 … oneDNN custom operations are
 * on…", the CPU feature guard) are silenced by these two, as far as they
 * can be; whatever still comes goes to stderr, which is read only for the reason of a failure.
 */
const QUIET_TF = { TF_CPP_MIN_LOG_LEVEL: '2', TF_ENABLE_ONEDNN_OPTS: '0' };

/** The version in the probe's own line of `stdout`, whatever else was written around it; null when there is none. */
function probeVersion(stdout) {
  const line = stdout.split(/\r?\n/).find((l) => l.startsWith(PROBE_MARK));
  const version = line && line.slice(PROBE_MARK.length).trim();
  return version || null;
}

/**
 * Whether `pkg` (tfjs-node) loads and runs a matMul, tried in a fresh
 * process (a failed native load poisons the current one).
 */
function tfjsNodeLoads(pkg = PKG) {
  const probe = `const tf = require(${JSON.stringify(pkg)});
    if (tf.getBackend() !== 'tensorflow') throw new Error('backend is ' + tf.getBackend());
    const y = tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).dataSync();
    if (y[0] !== 3) throw new Error('matMul gave ' + y[0]);
    process.stdout.write('\\n${PROBE_MARK}' + require(${JSON.stringify(`${pkg}/package.json`)}).version + '\\n');`;
  const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, ...QUIET_TF } });
  const version = r.status === 0 ? probeVersion(r.stdout ?? '') : null;
  if (version) return { ok: true, version };
  const err = `${r.stderr ?? ''}`;
  const why = err.split('\n').find((l) => /^[A-Za-z]*Error: /.test(l)) ?? (r.error ? r.error.message : err.trim().split('\n').pop());
  return { ok: false, why: (why || `the probe exited ${r.status} without its version line`).trim().slice(0, 200) };
}

function packageDir() {
  try {
    return path.dirname(require.resolve(`${PKG}/package.json`, { paths: [ROOT] }));
  } catch {
    return null;
  }
}

function installPackage() {
  step(`installing ${PKG}@${WANTED} without its download script`);
  const npm = process.env.npm_execpath;
  const [cmd, pre] = npm ? [process.execPath, [npm]] : ['npm', []];
  const r = run(cmd, [...pre, 'install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', `${PKG}@${WANTED}`]);
  if (!r.ok) throw new SetupError(`npm could not install ${PKG}@${WANTED}:\n${lastLines(r.out)}`);
  const dir = packageDir();
  if (!dir) throw new SetupError(`npm installed ${PKG} but it does not resolve from ${ROOT}`);
  return dir;
}

function python() {
  for (const py of ['python3', 'python']) if (run(py, ['--version']).ok) return py;
  return null;
}

/** A complete cache: both libraries, the C API header, and the version file written last. */
function haveLibrary(dir) {
  return LIBS.every((l) => fs.existsSync(path.join(dir, 'lib', l))) && fs.existsSync(path.join(dir, 'include', 'tensorflow', 'c', 'c_api.h')) && fs.existsSync(path.join(dir, 'version'));
}

function tfVersion() {
  try {
    return fs.readFileSync(path.join(TF_DIR, 'version'), 'utf8');
  } catch {
    return '?';
  }
}

/** Unpacks the libraries and C headers of a TensorFlow wheel into TF_DIR (via a temporary folder, then a rename). */
function unpackWheel(py, wheel) {
  step(`unpacking the TensorFlow C library from ${path.basename(wheel)}`);
  const tmp = `${TF_DIR}.tmp-${process.pid}`;
  // Unpacks of killed runs leave their folders: remove them all (hundreds of MB each).
  if (fs.existsSync(CACHE)) for (const f of fs.readdirSync(CACHE)) if (f.startsWith('tensorflow.tmp-')) fs.rmSync(path.join(CACHE, f), { recursive: true, force: true });
  const script = `
import json, os, re, shutil, sys, zipfile
wheel, out, libs, heads = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
with zipfile.ZipFile(wheel) as z:
    names = z.namelist()
    found = set()
    for n in names:
        if n.startswith('tensorflow/') and os.path.basename(n) in libs and n.count('/') == 1:
            dst = os.path.join(out, 'lib', os.path.basename(n)); found.add(os.path.basename(n))
        elif any(n.startswith('tensorflow/include/' + h) for h in heads) and not n.endswith('/'):
            dst = os.path.join(out, 'include', n[len('tensorflow/include/'):])
        else:
            continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with z.open(n) as src, open(dst, 'wb') as f:
            shutil.copyfileobj(src, f, 1 << 20)
    missing = [l for l in libs if l not in found]
    if missing: sys.exit('the wheel has no ' + ', '.join(missing))
    m = re.match(r'[^-]+-([^-]+)-', os.path.basename(wheel))
    open(os.path.join(out, 'version'), 'w').write(m.group(1) if m else '?')
`;
  const r = run(py, ['-c', script, wheel, tmp, JSON.stringify(LIBS), JSON.stringify(HEADER_DIRS)]);
  if (!r.ok) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new SetupError(`could not unpack ${wheel}:\n${lastLines(r.out)}`);
  }
  fs.rmSync(TF_DIR, { recursive: true, force: true });
  fs.renameSync(tmp, TF_DIR);
}

/** An installed TensorFlow Python package that ships the C library: linked, not copied. */
function linkInstalledTensorflow(py) {
  const r = run(py, ['-c', `import importlib.util, os
s = importlib.util.find_spec('tensorflow')
print(os.path.dirname(s.origin) if s and s.origin else '')`]);
  const dir = r.ok ? r.out.trim() : '';
  if (!dir || !LIBS.every((l) => fs.existsSync(path.join(dir, l)))) return false;
  if (!fs.existsSync(path.join(dir, 'include', 'tensorflow', 'c', 'c_api.h'))) return false;
  step(`using the TensorFlow Python package installed at ${dir}`);
  fs.rmSync(TF_DIR, { recursive: true, force: true });
  fs.mkdirSync(path.join(TF_DIR, 'lib'), { recursive: true });
  for (const l of LIBS) fs.symlinkSync(path.join(dir, l), path.join(TF_DIR, 'lib', l));
  fs.symlinkSync(path.join(dir, 'include'), path.join(TF_DIR, 'include'));
  fs.writeFileSync(path.join(TF_DIR, 'version'), 'installed');
  return true;
}

function downloadWheel(py) {
  const dest = path.join(CACHE, 'wheel');
  fs.rmSync(dest, { recursive: true, force: true });
  let why = '';
  for (const name of ['tensorflow-cpu>=2.9,<3', 'tensorflow>=2.9,<3']) {
    step(`pip download ${name.split('>')[0]} (only the wheel, no dependencies)`);
    const r = run(py, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--retries', '1', '--timeout', '30', '-d', dest, name]);
    if (r.missing || /No module named pip/.test(r.out)) throw new SetupError(`no pip for ${py}: install pip, or set TFJS_RECURRENT_TF_WHEEL to a TensorFlow wheel file`);
    const wheel = r.ok && fs.readdirSync(dest).find((f) => f.endsWith('.whl'));
    if (wheel) return path.join(dest, wheel);
    why = lastLines(r.out, 4);
  }
  throw new SetupError(`pip found no tensorflow-cpu or tensorflow wheel for this machine:\n${why}\n  set TFJS_RECURRENT_TF_WHEEL to a TensorFlow 2.x Linux x86_64 wheel file`);
}

function ensureLibrary() {
  if (haveLibrary(TF_DIR)) {
    step(`TensorFlow C library ${tfVersion()} already in .native/`);
    return;
  }
  const py = python();
  const given = process.env.TFJS_RECURRENT_TF_WHEEL;
  if (given) {
    if (!py) throw new SetupError('no python3 to unpack the wheel with (Python\'s zipfile)');
    if (!fs.existsSync(given)) throw new SetupError(`TFJS_RECURRENT_TF_WHEEL names ${given}, which does not exist`);
    unpackWheel(py, given);
  } else {
    if (!py) throw new SetupError('no python3/pip to fetch the TensorFlow C library with: install them, or tfjs-node by its own installer');
    if (!linkInstalledTensorflow(py)) {
      const wheel = downloadWheel(py);
      unpackWheel(py, wheel);
      fs.rmSync(path.dirname(wheel), { recursive: true, force: true });
    }
  }
  if (!haveLibrary(TF_DIR)) throw new SetupError(`the TensorFlow C library in ${TF_DIR} is incomplete`);
}

/** deps/include and deps/lib/{libtensorflow.so, …} as tfjs-node's binding.gyp links them. */
function linkDeps(pkgDir) {
  const deps = path.join(pkgDir, 'deps');
  fs.rmSync(deps, { recursive: true, force: true });
  fs.mkdirSync(path.join(deps, 'lib'), { recursive: true });
  fs.symlinkSync(path.join(TF_DIR, 'include'), path.join(deps, 'include'));
  const [cc, fw] = LIBS.map((l) => path.join(TF_DIR, 'lib', l));
  const links = { 'libtensorflow.so': cc, 'libtensorflow_cc.so.2': cc, 'libtensorflow_framework.so': fw, 'libtensorflow_framework.so.2': fw };
  for (const [name, target] of Object.entries(links)) fs.symlinkSync(target, path.join(deps, 'lib', name));
}

function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  const found = candidates.find((c) => c && c.endsWith('.js') && fs.existsSync(c));
  if (!found) throw new SetupError('node-gyp not found (it comes with npm): run this as `npm run setup:native`');
  return found;
}

function buildBinding(pkgDir) {
  for (const [tool, hint] of [['c++', 'a C++ compiler'], ['make', 'make']]) {
    if (run(tool, ['--version']).missing) throw new SetupError(`no ${hint} (${tool}) to build the binding with: on Debian, apt-get install g++ make`);
  }
  const napiVersions = require(path.join(pkgDir, 'package.json')).binary.napi_versions;
  const fits = napiVersions.filter((v) => v <= Number(process.versions.napi));
  if (fits.length === 0) throw new SetupError(`${PKG} builds for N-API ${napiVersions.join(', ')}; this Node has N-API ${process.versions.napi}`);
  const napi = Math.max(...fits);
  const args = [nodeGyp(), 'rebuild', `--napi_build_version=${napi}`, '--module_name=tfjs_binding', `--module_path=${path.join(pkgDir, 'lib', `napi-v${napi}`)}`];
  // Node's own headers, where they are installed beside it, so node-gyp downloads nothing.
  const prefix = process.env.npm_config_nodedir || path.resolve(path.dirname(process.execPath), '..');
  if (fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
  step(`building the N-API binding (napi v${napi}) with node-gyp`);
  const r = run(process.execPath, args, { cwd: pkgDir });
  fs.mkdirSync(CACHE, { recursive: true });
  fs.writeFileSync(path.join(CACHE, 'build.log'), r.out);
  if (!r.ok) throw new SetupError(`node-gyp failed (full log: .native/build.log):\n${lastLines(r.out)}`);
}

function main() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new SetupError(`builds for Linux x64 only, this is ${process.platform} ${process.arch}: install ${PKG} with its own installer (npm install)`);
  }
  const before = packageDir() && tfjsNodeLoads();
  if (before && before.ok) {
    step(`${PKG} ${before.version} already loads (backend 'tensorflow'); nothing to do`);
    return;
  }
  const pkgDir = packageDir() ?? installPackage();
  ensureLibrary();
  linkDeps(pkgDir);
  buildBinding(pkgDir);
  const after = tfjsNodeLoads();
  if (!after.ok) throw new SetupError(`the binding built but ${PKG} does not load: ${after.why}`);
  step(`done: ${PKG} ${after.version} loads on TensorFlow ${tfVersion()} (backend 'tensorflow')`);
}

module.exports = { probeVersion, tfjsNodeLoads, PROBE_MARK, QUIET_TF };

if (require.main === module) {
  try {
    main();
  } catch (e) {
    process.stderr.write(`setup:native: ${e instanceof SetupError ? e.message : e.stack}\n`);
    process.exit(1);
  }
}
