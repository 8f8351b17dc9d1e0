#!/usr/bin/env bash
# CALF Kit benchmarks: each prints the kit's figure next to a peer measured in the same run, and the ratio.
#   environment/benchmarks/run.sh [area-scan|distance-map|synth|train-step|ops|loader|convergence|paper-step] ...
#   (default: all but convergence and paper-step)
# Figures measured on the kit's 2-core machine are recorded in environment/benchmarks/RESULTS.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
[[ -f lib/target/calf-kit.jar && -f environment/benchmarks/target/calf-kit-bench.jar ]] || environment/setup.sh
py=/usr/bin/python3; [[ -x $py ]] || py="$(command -v python3)"
# oneDNN at AVX2 at most for both sides, as the kit's launchers (calfkit.engine.Devices.CPU_ISA_VARIABLE).
export ONEDNN_MAX_CPU_ISA="${ONEDNN_MAX_CPU_ISA:-AVX2}"
# java_run ARGS: the JVM with the kit's flags; stdout as it is, stderr without libtorch's NNPACK notice (data-scripts/calf).
java_run() {
  { java -Dai.djl.offline=true -Djava.awt.headless=true \
      -cp "environment/benchmarks/target/calf-kit-bench.jar:lib/target/calf-kit.jar:lib/target/lib/*" "$@" 2>&1 1>&3 3>&- |
      { grep -v -F 'Could not initialize NNPACK! Reason: Unsupported hardware.' >&2 || true; }; } 3>&1
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# figure KEY OUTPUT: the number printed as KEY=number in OUTPUT.
figure() { sed -n "s/^$1=\([0-9.]*\).*/\1/p" <<<"$2"; }
# beside NAME JAVA_KEY PY_KEY JAVA_OUTPUT PY_OUTPUT: prints both outputs and the ratio of the two keyed figures.
beside() {
  echo "$4"; echo "$5"
  echo "$1 ratio java/python: $(ratio "$(figure "$2" "$4")" "$(figure "$3" "$5")")"
}
# op_rows OUTPUT: "name fwd bwd" per op=... line of an operation benchmark, sorted by name.
op_rows() { sed -n 's/^op=\([^ ]*\) fwd_ms=\([0-9.]*\) bwd_ms=\([0-9.]*\)/\1 \2 \3/p' <<<"$1" | sort; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
benches=("$@"); ((${#benches[@]})) || benches=(area-scan distance-map synth train-step ops loader)

for b in "${benches[@]}"; do
  case "$b" in
    area-scan)
      echo "== area scan: 5000 mask PNGs of 256x256 (goal: >= 20000 masks/s/core and >= 5x the Python peer)"
      java_out="$(java_run calfkit.bench.AreaScanBenchmark "$work/masks" 5000)"
      beside "area-scan (masks/s per core)" java_masks_per_s_per_core python_masks_per_s_per_core \
        "$java_out" "$("$py" environment/benchmarks/area_scan_peer.py "$work/masks")"
      ;;
    train-step)
      # The quick U-Net's training step (batch 8 x 48x48, depth 3, width 16: what the quick series trains), like with
      # like in three settings, each side measured in the same round (goal: java/python <= 1.00, CALF <= 1.05x BCE):
      #   1 thread   the kit on one PyTorch thread against PyTorch on one (the kit's setting for every run on a CPU);
      #   2 threads  both on two;
      #   2 x 1      two one-thread runs side by side as a grid trains them (two threads of one JVM with the serial
      #              collector, as the kernel and calf grid run) against two one-thread PyTorch processes side by
      #              side; each figure is the mean of the two runs' median steps.
      # This 2-core VM drifts by 10-20 % over minutes: the settings alternate, ROUNDS times (default 3), and each
      # figure is the median of its rounds' ratios. ARGS="BATCH SIZE DEPTH WIDTH STEPS" measures another U-Net.
      read -r -a args <<<"${ARGS:-8 48 3 16 30}"
      rounds="${ROUNDS:-3}"
      echo "== train step: U-Net, batch ${args[0]} x ${args[1]}x${args[1]}, depth ${args[2]}, width ${args[3]}; 1 thread, 2 threads, 2 x 1 side by side; $rounds alternating rounds"
      kit_step() {  # kit_step THREADS: the kit's TrainStepBenchmark on THREADS intra-op threads
        java_run -Dai.djl.pytorch.num_threads="$1" -Dai.djl.pytorch.num_interop_threads=1 \
          calfkit.bench.TrainStepBenchmark "${args[@]}"
      }
      py_step() { "$py" environment/benchmarks/unet_peer.py "${args[@]}" "$1"; }
      declare -A ratios=() calf=()
      for ((r = 1; r <= rounds; r++)); do
        echo "-- round $r"
        for t in 1 2; do
          java_out="$(kit_step $t)"; py_out="$(py_step $t)"
          beside "train-step, $t thread(s) each (median step time)" java_bce_step_ms python_bce_step_ms "$java_out" "$py_out"
          ratios[$t]+="$(ratio "$(figure java_bce_step_ms "$java_out")" "$(figure python_bce_step_ms "$py_out")") "
          calf[$t]+="$(figure calf_over_bce "$java_out") "
        done
        k="$(figure java_bce_step_ms "$(java_run -XX:+UseSerialGC -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
          calfkit.bench.TrainStepBenchmark "${args[@]}" side-by-side)")"
        py_step 1 >"$work/p1" & py_step 1 >"$work/p2" & wait
        p="$(awk -v a="$(figure python_bce_step_ms "$(cat "$work/p1")")" -v b="$(figure python_bce_step_ms "$(cat "$work/p2")")" 'BEGIN { printf "%.2f", (a + b) / 2 }')"
        echo "train-step, 2 x 1 thread side by side: java mean of medians ${k} ms, python ${p} ms, ratio java/python: $(ratio "$k" "$p")"
        ratios[2x1]+="$(ratio "$k" "$p") "
      done
      for t in 1 2 2x1; do
        # shellcheck disable=SC2086
        echo "train-step ratio java/python, ${t} thread(s), per round: ${ratios[$t]}; median $(median ${ratios[$t]})"
      done
      # shellcheck disable=SC2086
      echo "train-step CALF/BCE (kit, 1 thread) per round: ${calf[1]}; median $(median ${calf[1]})"
      ;;
    ops)
      # Where the step's time goes: each kind of layer of the same U-Net, forward and backward, at its shapes.
      # One thread on both sides: the kit trains every run on one (calfkit.engine.Devices.oneThreadPerRun).
      echo "== operations of a U-Net layer by layer (batch 8, 128x128, width 16), forward + backward, 1 thread each side, median of 40"
      java_out="$(java_run -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 calfkit.bench.OpBenchmark 40)"
      py_out="$("$py" environment/benchmarks/op_peer.py 40 1)"
      join <(op_rows "$java_out") <(op_rows "$py_out") |
        awk 'BEGIN { printf "%-22s %9s %9s %9s %9s %7s %7s\n", "op", "java fwd", "java bwd", "py fwd", "py bwd", "fwd x", "bwd x" }
             { printf "%-22s %9.3f %9.3f %9.3f %9.3f %7.2f %7.2f\n", $1, $2, $3, $4, $5, $2 / $4, $3 / $5 }'
      ;;
    distance-map)
      echo "== distance maps: signed distance of 500 mask PNGs of 256x256, ms per mask, one core (peer: SciPy's EDT)"
      java_out="$(java_run calfkit.bench.DistanceMapBenchmark "$work/edt" 500)"
      beside "distance-map (time per mask)" java_ms_per_mask python_ms_per_mask \
        "$java_out" "$("$py" environment/benchmarks/edt_peer.py "$work/edt")"
      ;;
    synth)
      # Written to memory (/dev/shm) where there is one, so that the figure is the generator's, not the disk's.
      target="$work/synth"; [[ -d /dev/shm && -w /dev/shm ]] && target="$(mktemp -d -p /dev/shm)/synth"
      echo "== phantom generation: 40 patients x 64 slices of 256x256 written as PNG to $target, 2 cores (goal: >= 1000 slices/s)"
      java_run calfkit.cli.Calf synth --out "$target" --scale full --patients 40 --slices 64 | head -1
      [[ "$target" == /dev/shm/* ]] && rm -rf "$(dirname "$target")"
      ;;
    loader)
      echo "== loader: 512 phantom slices of 256x256 into batches of 8, 2 worker threads (goal: >= 3x the training step's consumption)"
      java_run calfkit.bench.LoaderBenchmark "$work/loader" 8 2
      ;;
    paper-step)
      # The PyTorch side of the README's GPU-hour projection ("Past one machine"): the three paper-size networks,
      # batch 32 x 256x256, on a CUDA GPU (needs python3 with torch and a GPU; no JDK: the kit's step is projected).
      "$py" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' ||
        { echo "paper-step: no CUDA GPU visible to $py's torch; run it where one is"; continue; }
      (cd environment/benchmarks && "$py" paper_step_peer.py)
      ;;
    convergence)
      # The convergence study (docs/convergence.md): the quick U-Net with BCE at ratio 0.409 on the quick phantom,
      # the kit recipe with and without the prior bias, 3 seeds, in the kit and in its PyTorch twin on the same slices.
      seeds=(12345 2 3)
      # One thread each: the kit trains every run on one intra-op thread on the CPU (calfkit.engine.Devices).
      echo "== convergence: quick U-Net, BCE, ratio 0.409, kit recipe with and without the prior bias, seeds ${seeds[*]}, 1 thread"
      java_run calfkit.cli.Calf synth --out "$work/phantom" --scale quick >/dev/null
      java_out="$(java_run -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
        calfkit.bench.ConvergenceBenchmark "$work/phantom" "$work/conv" "${seeds[@]}")"
      recipe="$(sed -n 's/.*, \([0-9]*\) epochs of \([0-9]*\) slices, batch \([0-9]*\), peak lr \([0-9.e-]*\).*/\1 \2 \3 \4/p' <<<"$java_out")"
      read -r n_epochs per_epoch batch lr <<<"$recipe"
      py_out="$("$py" environment/benchmarks/convergence_peer.py "$work/phantom" "$work/conv" "$n_epochs" "$per_epoch" "$batch" "$lr" 1 "${seeds[@]}")"
      echo "$java_out"; echo "$py_out"
      printf '%s\n%s\n' "$java_out" "$py_out" | awk '
        function v(k,   i) { for (i = 2; i <= NF; i++) if (index($i, k "=") == 1) return substr($i, length(k) + 2); return "" }
        $2 ~ /^epoch=/ { key = $1 " " v("prior") " " v("epoch"); sum[key] += v("val_dsc"); n[key]++; if (v("epoch") + 0 > last) last = v("epoch") + 0 }
        $2 == "test" { t = $1 " " v("prior"); test[t] += v("test_dsc"); secs[t] += v("seconds"); tn[t]++ }
        END {
          print "mean validation DSC (pooled) over the seeds, per epoch:"
          printf "%-6s %12s %12s %12s %12s\n", "epoch", "java prior", "torch prior", "java no-prior", "torch no-prior"
          for (e = 1; e <= last; e++)
            printf "%-6d %12.4f %12.4f %12.4f %12.4f\n", e, sum["java on " e] / n["java on " e], sum["python on " e] / n["python on " e],
              sum["java off " e] / n["java off " e], sum["python off " e] / n["python off " e]
          for (p = 0; p < 2; p++) {
            pr = p == 0 ? "on" : "off"
            printf "prior %-3s: test DSC java %.4f, torch %.4f; time per run java %.1f s, torch %.1f s; java/torch time %.2f\n", pr,
              test["java " pr] / tn["java " pr], test["python " pr] / tn["python " pr], secs["java " pr] / tn["java " pr],
              secs["python " pr] / tn["python " pr], secs["java " pr] / secs["python " pr]
          }
        }'
      ;;
    *) echo "benchmarks: unknown benchmark '$b' (expected: area-scan, distance-map, synth, train-step, ops, loader, convergence)" >&2; exit 2 ;;
  esac
done
