#!/usr/bin/env bash
# Fault injection (issue 13): kill -9 a training at random moments, KILLS times (default 20), resuming after each,
# then let it finish, and check what the README promises: metrics.csv holds every epoch exactly once, in order,
# and the best model loads (calf eval). Also: two trainings started at once on one folder, one is refused.
#   environment/tests/kill-resume.sh [KILLS]
# Needs the built kit (environment/setup.sh). Runs offline, at smoke size (64x64 phantom, 32 slices an epoch).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
kills="${1:-20}"
epochs=40
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
calf="$root/data-scripts/calf"   # run directly, never through a function: it execs java, so $! is the JVM
CALF_SCALE=smoke "$calf" synth --out "$work/data" --scale smoke >/dev/null
run="$work/run"
args=(train --data "$work/data" --model unet --loss calf --epochs "$epochs" --out "$run")
killed=0 during_write=0 attempt=0
while ((killed < kills)); do
  attempt=$((attempt + 1))
  before=$( [[ -f $run/metrics.csv ]] && tail -n +2 "$run/metrics.csv" | wc -l || echo 0)
  # Every other attempt pauses 300 ms inside each checkpoint write (-Dcalf.test.saveDelayMs) and is killed there.
  delay=$(( attempt % 2 ? 0 : 300 ))
  CALF_JAVA_OPTS="-Dcalf.test.saveDelayMs=$delay" CALF_SCALE=smoke "$calf" "${args[@]}" --resume >>"$work/train.out" 2>&1 &
  pid=$!
  if ((delay)); then
    # Aim at a checkpoint write: wait (at most 15 s) until parameters are being written, then kill.
    for _ in $(seq 1 300); do
      [[ -d $run/checkpoints/.partial || -d $run/best/.partial ]] && break
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.05
    done
  else
    # JVM start-up takes about 1.5 s, an epoch about 0.5 s: kill anywhere from start-up to a few epochs in.
    sleep "$(awk -v s="$RANDOM" 'BEGIN { srand(s); printf "%.2f", 0.8 + 4 * rand() }')"
  fi
  if kill -0 "$pid" 2>/dev/null; then
    [[ -d $run/checkpoints/.partial || -d $run/best/.partial ]] && during_write=$((during_write + 1))
    kill -9 "$pid"; wait "$pid" 2>/dev/null || true
    killed=$((killed + 1))
  else
    wait "$pid" || { echo "kill-resume: a resumed training failed after $killed kills:"; tail -20 "$work/train.out"; exit 1; }
    break
  fi
done
# The training that survives: to the end.
CALF_SCALE=smoke "$calf" "${args[@]}" --resume >>"$work/train.out" 2>&1 || {
  echo "kill-resume: the final resume failed after $killed kills:"; tail -20 "$work/train.out"; exit 1; }
got="$(tail -n +2 "$run/metrics.csv" | cut -d, -f1 | tr '\n' ' ')"
want="$(seq -s ' ' 1 "$epochs") "
if [[ $got != "$want" ]]; then
  echo "kill-resume: metrics.csv epochs are '$got', expected '$want'"; exit 1
fi
[[ -f $run/test-metrics.json ]] || { echo "kill-resume: no test-metrics.json after the final resume"; exit 1; }
CALF_SCALE=smoke "$calf" eval --data "$work/data" --run "$run" >"$work/eval.out" 2>&1 || {
  echo "kill-resume: the best model does not load:"; cat "$work/eval.out"; exit 1; }
echo "kill-resume: $killed kill -9 survived ($during_write of them with parameters half-written in .partial/), $epochs epochs each recorded once, best model loads"
# calf train's terminal shows the kit's lines only: libtorch's NNPACK notice is dropped by the launcher (data-scripts/calf).
if grep -q "Could not initialize NNPACK" "$work/train.out"; then
  echo "kill-resume: libtorch's NNPACK notice reached calf train's output:"; grep -c "NNPACK" "$work/train.out"; exit 1
fi

# Two trainings on one folder at once: exactly one trains, the other is refused naming the holder.
two="$work/two"
CALF_SCALE=smoke "$calf" train --data "$work/data" --model unet --loss bce --epochs 3 --out "$two" >"$work/a.out" 2>&1 &
a=$!
for _ in $(seq 1 100); do [[ -s $two/.lock ]] && break; sleep 0.1; done
rc=0; CALF_SCALE=smoke "$calf" train --data "$work/data" --model unet --loss bce --epochs 3 --out "$two" --resume >"$work/b.out" 2>&1 || rc=$?
wait "$a"
if [[ $rc == 0 ]] || ! grep -q "another process is training in this run folder" "$work/b.out"; then
  echo "kill-resume: a second training on a busy folder was not refused (exit $rc):"; cat "$work/b.out"; exit 1
fi
got="$(tail -n +2 "$two/metrics.csv" | cut -d, -f1 | tr '\n' ' ')"
[[ $got == "1 2 3 " ]] || { echo "kill-resume: concurrent trainings left epochs '$got'"; exit 1; }
echo "kill-resume: a second training on a busy folder was refused: $(grep -o 'another process.*' "$work/b.out" | head -1)"
