#!/usr/bin/env bash
# The experiment grid as a Slurm job array, against a real Slurm on loopback (issue 16):
# 1. starts munged, slurmctld and slurmd on this machine (slurm/cluster.sh: one node, 2 CPUs, no cgroups);
# 2. plans a smoke-scale grid of 6 runs (calf grid plan), submits it as an array (calf grid slurm --submit),
#    waits for it (bounded), checks that every run folder has its test metrics, that calf grid status says
#    6 done, and that calf grid collect gives the same table as calf grid run on the same grid planned afresh;
# 3. plans a 6-epoch quick run, submits it, cancels the running task mid-epoch (scancel), checks that status says
#    stopped, resubmits, and checks that the run resumed and recorded each epoch exactly once;
# 4. stops the daemons, whatever happened.
#   environment/tests/slurm-grid.sh [OUTDIR]   (default results/slurm-<time>; grids and daemon logs kept there)
# Needs root, the built kit and Debian's slurm-wlm and munge (environment/tests/slurm/setup.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$(realpath -m "${1:-$root/results/slurm-$(date +%Y%m%d-%H%M%S)}")"
calf="$root/data-scripts/calf"
source "$root/environment/tests/slurm/cluster.sh"
for tool in munged slurmctld slurmd sbatch squeue scancel; do
  command -v "$tool" >/dev/null || { echo "slurm-grid: $tool is missing; run environment/tests/slurm/setup.sh"; exit 1; }
done
[[ $(id -u) == 0 ]] || { echo "slurm-grid: needs root (slurmd starts jobs as their user)"; exit 1; }
mkdir -p "$out"
daemons="$(mktemp -d /tmp/calf-slurm.XXXXXX)"
finish() { cluster_stop; cp -r "$daemons/log" "$out/daemon-logs" 2>/dev/null || true; rm -rf "$daemons"; }
trap finish EXIT
fail() { echo "slurm-grid: FAILED: $*"; exit 1; }

cluster_start "$daemons"
CALF_SCALE=smoke "$calf" synth --out "$out/data" --scale smoke >/dev/null
CALF_SCALE=quick "$calf" synth --out "$out/data-quick" --scale quick >/dev/null

echo "--- a 6-run smoke grid as a job array"
grid=(--models unet,fpn --losses bce,calf,dice --ratios 0.409 --seeds 12345 --scale smoke --data "$out/data")
"$calf" grid plan "${grid[@]}" --out "$out/array"
submitted="$("$calf" grid slurm "$out/array" --cpus-per-task 1 --mem 1500M --submit)"
echo "$submitted"   # (not tee /dev/stderr: reopening a log file that stderr points to truncates it)
job=$(awk '/submitted job/ { print $NF }' <<<"$submitted")
[[ -n $job ]] || fail "no job id from calf grid slurm --submit"
cluster_wait "$job" 600 || fail "the array did not finish in 10 minutes"
"$calf" grid status "$out/array" | tee "$out/array-status.txt"
grep -q "grid: 6 rows: 6 done" "$out/array-status.txt" || fail "not every row is done (logs in $out/array/logs)"
for m in "$out"/array/runs/*; do [[ -f $m/test-metrics.json ]] || fail "$m has no test-metrics.json"; done
(( $(ls "$out/array/runs" | wc -l) == 6 )) || fail "expected 6 run folders in $out/array/runs"
"$calf" grid collect "$out/array"

echo "--- the same grid run here, rows side by side (calf grid run: one per core)"
"$calf" grid plan "${grid[@]}" --out "$out/here"
"$calf" grid run "$out/here" >"$out/here-run.txt" 2>&1 || { cat "$out/here-run.txt"; fail "calf grid run"; }
/usr/bin/python3 - "$out/array/results.csv" "$out/here/results.csv" <<'PY' || fail "collect and run disagree"
import csv, sys
def rows(f):
    return [{k: v for k, v in r.items() if k != "source"} for r in csv.DictReader(open(f))]
a, b = rows(sys.argv[1]), rows(sys.argv[2])
diff = [(x, y) for x, y in zip(a, b) if x != y]
print(f"collect (Slurm) vs run (here): {len(a)} and {len(b)} rows, {len(diff)} differing (all columns but 'source')")
for x, y in diff:
    print("  slurm:", x, "\n  here: ", y)
sys.exit(0 if len(a) == len(b) == 6 and not diff else 1)
PY

echo "--- scancel mid-epoch, resubmit, resume"
"$calf" grid plan --models unet --losses bce --ratios 0.409 --seeds 12345 --scale quick --epochs 6 --data "$out/data-quick" \
  --out "$out/cancel"
run="$out/cancel/runs/unet-bce-r0.409-seed12345"
job=$("$calf" grid slurm "$out/cancel" --cpus-per-task 2 --mem 1500M --submit | awk '/submitted job/ { print $NF }')
for _ in $(seq 1 600); do   # until epoch 2 is recorded (at most 150 s)
  [[ -f $run/metrics.csv ]] && (( $(tail -n +2 "$run/metrics.csv" | wc -l) >= 2 )) && break
  sleep 0.25
done
(( $(tail -n +2 "$run/metrics.csv" | wc -l) >= 2 )) || fail "epoch 2 was not recorded in 150 s"
"$calf" grid status "$out/cancel" | tee "$out/cancel-status-1.txt"
grep -q "1 running" "$out/cancel-status-1.txt" || fail "the task is not running before scancel"
log="$out/cancel/logs/unet-bce-r0.409-seed12345.log"
for _ in $(seq 1 200); do   # until a batch of the epoch after the last recorded one is logged: mid-epoch
  grep -q "^epoch $(( $(tail -n +2 "$run/metrics.csv" | wc -l) + 1 ))/6 \[" "$log" && break
  sleep 0.05
done
scancel "$job"
cluster_wait "$job" 60 || fail "scancel did not end the task"
"$calf" grid status "$out/cancel" | tee "$out/cancel-status-2.txt"
grep -q "1 stopped" "$out/cancel-status-2.txt" || fail "a cancelled run should be 'stopped'"
before=$(tail -n +2 "$run/metrics.csv" | wc -l)
(( before < 6 )) || fail "the run finished before it was cancelled; nothing was tested"
grep -q "^epoch $((before + 1))/6 \[" "$log" || fail "the task was not cancelled mid-epoch (no batch of epoch $((before + 1)) in $log)"
job=$("$calf" grid slurm "$out/cancel" --cpus-per-task 2 --mem 1500M --submit | awk '/submitted job/ { print $NF }')
cluster_wait "$job" 300 || fail "the resubmitted task did not finish"
"$calf" grid status "$out/cancel" | tee "$out/cancel-status-3.txt"
grep -q "grid: 1 rows: 1 done" "$out/cancel-status-3.txt" || fail "the resubmitted run is not done"
epochs=$(tail -n +2 "$run/metrics.csv" | cut -d, -f1 | tr '\n' ' ')
# 6 epochs, or 8, 10, …, 46 when the run was still rising at epoch 6 (quick scale: PlateauExtension, up to 20
# cycles of 2).
ok=0; for n in $(seq 6 2 46); do [[ $epochs == "$(seq -s ' ' 1 "$n") " ]] && ok=1; done
[[ $ok == 1 ]] || fail "metrics.csv epochs are '$epochs', expected each of 1–6 (or 1–8, …, 1–46 with extension cycles) once"
grep -q "resumed after epoch $before" "$log" \
  || fail "the log does not say the run resumed after epoch $before"
echo "slurm-grid: ok: 6 runs as an array, collect = run; cancelled during epoch $((before + 1)), resumed, epochs: $epochs"
