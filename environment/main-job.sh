#!/usr/bin/env bash
# The CALF Kit main job (README). On a fresh Debian machine:
#   environment/main-job.sh [--scale quick|full|smoke]
# Sets everything up, then executes the whole notebook series on the embedded synthetic dataset (or on
# CALF_DATA when set) at CALF_SCALE=quick (2 CPU cores and 2 GB; about 32 minutes with notebook 09's branch study,
# README), with the network denied.
# The executed notebooks, their HTML renderings and the CSV results they write land in a new folder
# results/<scale>-<time>/, named at the end; earlier results are never overwritten. It ends with the verdict on
# every training run (calf convergence), and fails when a run did not reach its plateau, then screenshots of
# every executed notebook as chromium shows it (results/<scale>-<time>/browser/screenshots).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scale="quick"
while (($#)); do
  case "$1" in
    --scale) scale="${2:?--scale needs quick, full or smoke}"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "main-job.sh: unknown option '$1' (expected --scale quick|full|smoke)" >&2; exit 2 ;;
  esac
done
environment/setup.sh
out="results/$scale-$(date +%Y%m%d-%H%M%S)"
start=$SECONDS
rc=0; environment/offline.sh environment/run-notebooks.sh --scale "$scale" --out "$out" || rc=$?
echo "[main-job] done in $((SECONDS - start)) s: executed notebooks and HTML in $root/$out"
# The one-line verdict on every training run of the series (calf convergence); smoke runs are too short to tell.
if [[ $scale != smoke && -d "$out/runs" ]]; then
  if ! data-scripts/calf convergence "$out" | tee "$out/convergence.txt"; then
    echo "[main-job] FAILED: some runs did not reach their plateau (listed above and in $out/convergence.txt);"
    echo "[main-job] their tables and charts are in $out, marked as such"
    rc=1
  fi
fi
# How a visitor sees the executed notebooks: each opened in chromium on the classic Notebook server, checked
# for error output, and screenshot (environment/tests/browser-test.sh --view) into $out/browser/screenshots.
if environment/tests/browser/setup.sh; then
  environment/offline.sh environment/tests/browser-test.sh --view "$out" --out "$out/browser" || rc=1
else
  echo "[main-job] note: no chromium or playwright-core here (environment/tests/browser/setup.sh): no screenshots"
fi
exit $rc
