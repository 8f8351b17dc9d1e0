#!/usr/bin/env bash
# The gpu profile's API on a CPU machine (issue 12): the library's unit suite (all but the Python reference tests, which
# compare the kit's arithmetic and run under the default profile) built and run under the gpu
# profile's DJL (0.32.0, PyTorch 2.5.1) with the CPU natives of that PyTorch swapped in for the CUDA ones
# (-Dpytorch.native=pytorch-native-cpu), so that a change that only compiles against DJL 0.35.1 cannot pass CI.
# It builds in a copy of the sources (a temporary folder), never in lib/target, which the notebooks use.
#   environment/tests/gpu-profile.sh --resolve   fetch the profile's artifacts (set-up, with the network)
#   environment/tests/gpu-profile.sh             compile and run the unit tests offline
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$work/environment"
cp "$root/pom.xml" "$work/"
cp -r "$root/environment/checkstyle" "$root/environment/kernel" "$work/environment/"
mkdir -p "$work/environment/benchmarks" && cp -r "$root/environment/benchmarks/pom.xml" "$root/environment/benchmarks/src" \
  "$work/environment/benchmarks/"
mkdir -p "$work/lib" && cp "$root/lib/pom.xml" "$work/lib/" && cp -r "$root/lib/src" "$work/lib/"
rm -rf "$work/environment/kernel/target" "$work/environment/benchmarks/target"
cd "$work"
profile=(-B -Pgpu -Dpytorch.native=pytorch-native-cpu -pl lib)
if [[ ${1:-} == --resolve ]]; then
  mvn "${profile[@]}" -q -DskipTests test-compile
  mvn "${profile[@]}" -q -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false test >/dev/null
  echo "[gpu-profile] artifacts of the gpu profile (DJL 0.32.0, PyTorch 2.5.1 CPU natives) resolved"
  exit 0
fi
mvn "${profile[@]}" -o test -Dcalf.test.excluded=reference
echo "[gpu-profile] unit suite passed under the gpu profile (DJL 0.32.0, PyTorch 2.5.1 CPU natives)"
