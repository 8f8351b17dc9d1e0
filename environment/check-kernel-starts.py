#!/usr/bin/python3
"""Starts the Java kernel N times and counts the starts that fail.

A start counts as good when the kernel answers kernel_info within the timeout and then evaluates a Java
expression (1 + 1) correctly. With --at-once K, K processes share the N starts, each starting one kernel after
another (the test command uses 2 on 2 cores: the same starts under more load, in about half the time). Used by environment/check-kernel-starts.sh; --stock runs the unpatched
rapaio-jupyter-kernel main class for comparison.
"""
import argparse, json, multiprocessing, os, subprocess, sys, tempfile, time

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager


def one_start(kernel_name, ksm, timeout):
    km = KernelManager(kernel_name=kernel_name, kernel_spec_manager=ksm)
    t0 = time.monotonic()
    # The kernel prints its classpath on start; keep its stdout out of the report (stderr stays).
    km.start_kernel(stdout=subprocess.DEVNULL)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
        ready = time.monotonic() - t0
        reply = kc.execute_interactive("1 + 1", timeout=timeout, output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            return False, ready, f"execute status {reply['content']['status']}"
        return True, ready, ""
    except Exception as e:  # timeouts, dead kernel
        return False, time.monotonic() - t0, f"{type(e).__name__}: {e}"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def starts(job):
    """One process's share of the starts: (number, ok, seconds, why) for each, in order."""
    numbers, name, kernel_dirs, timeout = job
    ksm = KernelSpecManager(kernel_dirs=kernel_dirs) if kernel_dirs else KernelSpecManager()
    out = []
    for i in numbers:
        ok, secs, why = one_start(name, ksm, timeout)
        if not ok:
            print(f"start {i}: FAILED after {secs:.1f} s: {why}", flush=True)
        elif i % 10 == 0:
            print(f"start {i}: ok ({secs:.1f} s to ready)", flush=True)
        out.append((i, ok, secs, why))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", type=int, default=100, help="number of starts (default 100)")
    ap.add_argument("--kernel", default="calf-java", help="kernelspec name (default calf-java)")
    ap.add_argument("--timeout", type=float, default=60, help="seconds to wait for each start (default 60, as Jupyter)")
    ap.add_argument("--at-once", type=int, default=1, help="kernels starting at the same time (default 1: in a row)")
    ap.add_argument("--stock", action="store_true", help="start the stock rapaio MainApp instead of the kit's launcher")
    args = ap.parse_args()

    ksm = KernelSpecManager()
    name = args.kernel
    kernel_dirs = None
    if args.stock:
        spec = ksm.get_kernel_spec(args.kernel)
        tmp = tempfile.mkdtemp()
        argv = [a if a != "calfkit.kernel.ReliableKernel" else "org.rapaio.jupyter.kernel.MainApp" for a in spec.argv]
        os.makedirs(os.path.join(tmp, "kernels", "calf-java-stock"))
        with open(os.path.join(tmp, "kernels", "calf-java-stock", "kernel.json"), "w") as f:
            json.dump({"argv": argv, "display_name": "stock", "language": "java", "env": spec.env}, f)
        kernel_dirs = [os.path.join(tmp, "kernels")]
        name = "calf-java-stock"

    k = max(1, min(args.at_once, args.n))
    jobs = [(list(range(w + 1, args.n + 1, k)), name, kernel_dirs, args.timeout) for w in range(k)]
    if k == 1:
        results = starts(jobs[0])
    else:
        with multiprocessing.get_context("fork").Pool(k) as pool:
            results = [r for share in pool.map(starts, jobs) for r in share]
    failures = sum(1 for _, ok, _, _ in results if not ok)
    times = [secs for _, _, secs, _ in results]
    times.sort()
    print(f"kernel '{name}': {args.n - failures}/{args.n} starts succeeded ({k} at a time), {failures} failed; "
          f"median {times[len(times) // 2]:.1f} s to ready, max {times[-1]:.1f} s")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
