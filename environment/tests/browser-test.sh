#!/usr/bin/env bash
# The browser test (issue 15): the classic Notebook server on loopback, Debian's chromium driven by
# playwright-core (environment/tests/browser/notebooks.js): every notebook run from the page (Cell > Run All),
# no error output, every cell run, its charts and tables shown; then Interrupt from the toolbar during a
# sleeping loop and a CPU loop, and the next cell must print. Screenshots land in OUT/screenshots.
#   environment/tests/browser-test.sh --scale smoke|quick --out OUT [--expect EXECUTED_DIR] [NOTEBOOK ...]
#   environment/tests/browser-test.sh --view EXECUTED_DIR --out OUT
# --expect: a folder of the same notebooks executed by run-notebooks.sh at the same scale; the page must show
# as many images and tables as each of them. The notebooks run from a copy, so the committed ones stay clean.
# --view: open notebooks executed earlier (the main job's), as a visitor sees them after running, without
# running them again: checked (no error output) and screenshot. No Interrupt test.
# Needs environment/tests/browser/setup.sh (chromium, node, playwright-core) and environment/setup.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
scale="" out="" expect="" view="" notebooks=()
while (($#)); do
  case "$1" in
    --scale) scale="${2:?}"; shift 2 ;;
    --out) out="${2:?}"; shift 2 ;;
    --expect) expect="$(cd "${2:?}" && pwd)"; shift 2 ;;
    --view) view="$(cd "${2:?}" && pwd)"; scale="${scale:-smoke}"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    -*) echo "browser-test.sh: unknown option '$1'" >&2; exit 2 ;;
    *) notebooks+=("$(basename "$1")"); shift ;;
  esac
done
case "$scale" in smoke|quick|full) ;; *) echo "browser-test.sh: --scale must be smoke, quick or full" >&2; exit 2 ;; esac
[[ -n $out ]] || { echo "browser-test.sh: --out OUT is required" >&2; exit 2; }
if [[ -e $out && -n "$(ls -A "$out" 2>/dev/null)" ]]; then
  echo "browser-test.sh: '$out' exists and is not empty; choose a new folder (nothing was overwritten)" >&2; exit 2
fi
mkdir -p "$out"; out="$(cd "$out" && pwd)"
[[ -d $root/environment/tests/browser/node_modules/playwright-core ]] \
  || { echo "browser-test.sh: playwright-core is missing; run environment/tests/browser/setup.sh" >&2; exit 1; }
work="$(mktemp -d)"
server=""
cleanup() { set +e; [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
if [[ -n $view ]]; then
  mkdir -p "$work/nb"; cp "$view"/[0-9][0-9]-*.ipynb "$work/nb/"; cp -r "$root/notebooks/utils" "$work/nb/"
else
  cp -r "$root/notebooks" "$work/nb"
  cp "$root/environment/tests/browser/interrupt.ipynb" "$work/nb/"
fi
if ((${#notebooks[@]} == 0)); then
  notebooks=($(cd "$work/nb" && ls [0-9][0-9]-*.ipynb))
fi
port="$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
token="$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(16))')"
jupyter_bin="${CALF_JUPYTER:-/usr/bin/jupyter}"
CALF_SCALE="$scale" CALF_RESULTS="$out/results" "$jupyter_bin" notebook --no-browser --ip=127.0.0.1 --port="$port" \
  --NotebookApp.token="$token" --NotebookApp.notebook_dir="$work/nb" --NotebookApp.open_browser=False $( [[ $(id -u) == 0 ]] && echo --allow-root ) \
  >"$out/server.log" 2>&1 &
server=$!
source "$root/environment/tests/server-wait.sh"
wait_for_server "$port" "$token" "$server" "$out/server.log" 60 || { echo "browser-test.sh: no notebook server" >&2; exit 1; }
echo "[browser] classic Notebook $("$jupyter_bin" notebook --version) on 127.0.0.1:$port, $( [[ -n $view ]] && echo "viewing $view" || echo "scale $scale" )"
if [[ -n $view ]]; then
  node "$root/environment/tests/browser/notebooks.js" --url "http://127.0.0.1:$port" --token "$token" --out "$out" \
    --view 1 "${notebooks[@]}"
else
  node "$root/environment/tests/browser/notebooks.js" --url "http://127.0.0.1:$port" --token "$token" --out "$out" \
    ${expect:+--expect "$expect"} --interrupt interrupt.ipynb "${notebooks[@]}" interrupt.ipynb
fi
