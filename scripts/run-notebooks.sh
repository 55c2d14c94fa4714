#!/usr/bin/env bash
# Executes every notebooks/*.ipynb headless with the tslab TypeScript kernel,
# and exits non-zero if any cell errors (or runs past the per-cell timeout).
#
#   npm run notebooks                  run all; the committed notebooks are left as they are
#   npm run notebooks -- --write       run all and save the outputs into the notebooks
#   npm run notebooks -- 04_hello      run the notebooks whose names start with 04_hello
#
# Needs jupyter-nbconvert, python3-ipykernel and jupyter-client (Debian:
# apt-get install -y jupyter-nbconvert python3-ipykernel jupyter-client) and a
# built package (npm install builds dist/). tslab lives in notebooks/node_modules
# (notebooks/package.json), beside a link to this package, so the notebooks
# import 'tfjs-recurrent' as a user would; the kernel spec goes into .jupyter/
# in the repo, never into the user's Jupyter.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CELL_TIMEOUT=${CELL_TIMEOUT:-300}

write=0
names=()
for a in "$@"; do
  case $a in
    --write) write=1 ;;
    -*) echo "run-notebooks: unknown option $a" >&2; exit 2 ;;
    *) names+=("$a") ;;
  esac
done

if ! command -v jupyter-nbconvert >/dev/null; then
  echo "run-notebooks: jupyter-nbconvert is missing; on Debian: apt-get install -y jupyter-nbconvert python3-ipykernel jupyter-client" >&2
  exit 1
fi
if [ ! -f dist/index.js ]; then
  echo "run-notebooks: dist/ is missing, building the package first"
  npm run build
fi

# tslab and the link to this package, from notebooks/package-lock.json.
if [ ! -x notebooks/node_modules/.bin/tslab ] || [ notebooks/package-lock.json -nt notebooks/node_modules/.package-lock.json ]; then
  (cd notebooks && npm ci --no-audit --no-fund)
fi

# The kernel spec, in the repo (.jupyter is git-ignored). Reinstalled if it points elsewhere.
export JUPYTER_PATH="$ROOT/.jupyter/share/jupyter"
TSLAB="$ROOT/notebooks/node_modules/.bin/tslab"
SPEC="$JUPYTER_PATH/kernels/tslab/kernel.json"
if [ ! -f "$SPEC" ] || ! grep -qF "\"$TSLAB\"" "$SPEC"; then
  "$TSLAB" install --python=/usr/bin/python3 --binary="$TSLAB" --prefix="$ROOT/.jupyter"
fi

notebooks=()
for nb in notebooks/*.ipynb; do
  base=$(basename "$nb" .ipynb)
  if [ ${#names[@]} -eq 0 ]; then notebooks+=("$nb"); continue; fi
  for n in "${names[@]}"; do
    case $base in "$n"*) notebooks+=("$nb") ;; esac
  done
done
if [ ${#notebooks[@]} -eq 0 ]; then
  echo "run-notebooks: no notebook matches ${names[*]}" >&2
  exit 2
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failed=()
summary=()
start_all=$(date +%s)
for nb in "${notebooks[@]}"; do
  echo "== $nb"
  start=$(date +%s)
  # The kernel's working directory is the notebook's folder (notebooks/), whichever the output is.
  if [ $write -eq 1 ]; then dest=(--inplace); else dest=(--output-dir "$out"); fi
  if jupyter-nbconvert --to notebook --execute "${dest[@]}" \
      --ExecutePreprocessor.kernel_name=tslab \
      --ExecutePreprocessor.timeout="$CELL_TIMEOUT" \
      --ExecutePreprocessor.record_timing=False \
      --log-level=WARN "$nb"; then
    summary+=("ok     $(($(date +%s) - start)) s  $nb")
  else
    summary+=("FAILED $(($(date +%s) - start)) s  $nb")
    failed+=("$nb")
  fi
done
echo
printf '%s\n' "${summary[@]}"
echo "total  $(($(date +%s) - start_all)) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "run-notebooks: ${#failed[@]} notebook(s) failed: ${failed[*]}" >&2
  exit 1
fi
