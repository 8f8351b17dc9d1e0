#!/usr/bin/env bash
# Executes notebooks headless with the "calf-java" kernel and saves the executed copies (and HTML renderings).
#
#   environment/run-notebooks.sh --scale smoke|quick|full --out DIR [--no-html] [NOTEBOOK ...]
#
# Without NOTEBOOK arguments it runs the series notebooks/NN-*.ipynb in order. Each notebook runs in its own
# kernel, from its own folder (so "%load utils/calf-kit.jsh" resolves), with CALF_SCALE set. A cell error
# fails that notebook; the script goes on with the others, then exits 1 naming every failed notebook.
# DIR must not exist yet or be empty: executed notebooks of an earlier run are never overwritten.
# The notebooks save their training runs and CSV results under DIR too (CALF_RESULTS=DIR).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scale="" out="" html=1 notebooks=()
while (($#)); do
  case "$1" in
    --scale) scale="${2:?--scale needs smoke, quick or full}"; shift 2 ;;
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    --no-html) html=0; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    -*) echo "run-notebooks.sh: unknown option '$1'" >&2; exit 2 ;;
    *) notebooks+=("$1"); shift ;;
  esac
done
case "$scale" in smoke|quick|full) ;; *) echo "run-notebooks.sh: --scale must be smoke, quick or full, got '$scale'" >&2; exit 2 ;; esac
[[ -n "$out" ]] || { echo "run-notebooks.sh: --out DIR is required" >&2; exit 2; }
if [[ -e "$out" && -n "$(ls -A "$out" 2>/dev/null)" ]]; then
  echo "run-notebooks.sh: output directory '$out' exists and is not empty; choose a new one (nothing was overwritten)" >&2
  exit 2
fi
if ((${#notebooks[@]} == 0)); then
  notebooks=("$root"/notebooks/[0-9][0-9]-*.ipynb)
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"
jupyter_bin="${CALF_JUPYTER:-/usr/bin/jupyter}"
[[ -x "$jupyter_bin" ]] || jupyter_bin="$(command -v jupyter)"

failed=() passed=0
for nb in "${notebooks[@]}"; do
  [[ -f "$nb" ]] || { echo "run-notebooks.sh: notebook '$nb' not found" >&2; failed+=("$nb"); continue; }
  name="$(basename "$nb")"
  start=$SECONDS
  if CALF_SCALE="$scale" CALF_RESULTS="$out" "$jupyter_bin" nbconvert --to notebook --execute \
      --ExecutePreprocessor.kernel_name=calf-java --ExecutePreprocessor.timeout=3600 \
      --output-dir "$out" "$nb" >"$out/${name%.ipynb}.log" 2>&1; then
    passed=$((passed + 1))
    echo "[notebooks] ok     $name ($((SECONDS - start)) s, scale $scale)"
    if [[ $html == 1 ]]; then
      "$jupyter_bin" nbconvert --to html --output-dir "$out" "$out/$name" >>"$out/${name%.ipynb}.log" 2>&1 \
        || echo "[notebooks] note: HTML rendering of $name failed (see ${name%.ipynb}.log)"
    fi
  else
    failed+=("$name")
    echo "[notebooks] FAILED $name ($((SECONDS - start)) s, scale $scale): the cell error follows"
    grep -v -E '^(Add |Parsing classpath)' "$out/${name%.ipynb}.log" | tail -25 | sed 's/^/    /'
  fi
done
echo "[notebooks] executed notebooks are in $out"
echo "notebooks: $passed passed, ${#failed[@]} failed"
((${#failed[@]} == 0)) || { echo "[notebooks] failed: ${failed[*]}" >&2; exit 1; }
