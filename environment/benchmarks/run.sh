#!/usr/bin/env bash
# CALF Kit benchmarks: each prints the kit's figure next to a peer measured in the same run, and the ratio.
#   environment/benchmarks/run.sh [area-scan] ...      (default: all)
# Figures measured on the kit's 2-core machine are recorded in environment/benchmarks/RESULTS.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
[[ -f lib/target/calf-kit.jar ]] || environment/setup.sh
py=/usr/bin/python3; [[ -x $py ]] || py="$(command -v python3)"
java_run() { java -Dai.djl.offline=true -Djava.awt.headless=true -cp "lib/target/calf-kit.jar:lib/target/lib/*" "$@"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
benches=("$@"); ((${#benches[@]})) || benches=(area-scan)

for b in "${benches[@]}"; do
  case "$b" in
    area-scan)
      echo "== area scan: 5000 mask PNGs of 256x256 (goal: >= 20000 masks/s/core and >= 5x the Python peer)"
      java_out="$(java_run calfkit.bench.AreaScanBenchmark "$work/masks" 5000)"
      echo "$java_out"
      py_out="$("$py" environment/benchmarks/area_scan_peer.py "$work/masks")"
      echo "$py_out"
      j=$(sed -n 's/^java_masks_per_s_per_core=\([0-9]*\).*/\1/p' <<<"$java_out")
      p=$(sed -n 's/^python_masks_per_s_per_core=\([0-9]*\).*/\1/p' <<<"$py_out")
      echo "area-scan ratio java/python per core: $(ratio "$j" "$p")x"
      ;;
    *) echo "benchmarks: unknown benchmark '$b' (expected: area-scan)" >&2; exit 2 ;;
  esac
done
