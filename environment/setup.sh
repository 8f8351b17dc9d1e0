#!/usr/bin/env bash
# CALF Kit set-up: one idempotent script for a fresh Debian machine, a developer's checkout and a hosted
# (Binder-like) session. Safe to run again: each step is skipped when it is already done.
#
#   environment/setup.sh            install system packages (when root), build the kit, register the kernel
#   environment/setup.sh --no-apt   skip system packages (hosted sessions, where postBuild is not root)
#   environment/setup.sh --shared   as root, for a shared read-only install (a teaching lab, environment/lab):
#                                   the kernel is registered for every user, not only the one running this
#
# 1. System packages from Debian (PyPI is not reachable): JDK 17, Maven, Jupyter (nbconvert, nbclient,
#    jupyter-client, the classic notebook), and the Python peers used by tests and benchmarks
#    (numpy, scipy, PIL, torch, nibabel).
# 2. The library and the kernel launcher, built with Maven from Maven Central.
# 3. The Java kernel "calf-java" (rapaio-jupyter-kernel 3.0.1 + calfkit.kernel.ReliableKernel), registered
#    for this user with the library and its dependencies on its classpath and JVM flags that fit a 2 GB
#    session. Notebooks then need no network: DJL runs offline on the PyTorch natives from the Maven jars.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
with_apt=1 shared=0
for arg in "$@"; do
  case "$arg" in
    --no-apt) with_apt=0 ;;
    --shared) shared=1 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$arg' (expected --no-apt, --shared or --help)" >&2; exit 2 ;;
  esac
done

log() { printf '[setup] %s\n' "$*"; }

# --- 1. system packages -------------------------------------------------------------------------------
apt_packages=(openjdk-17-jdk-headless maven iproute2
  jupyter-nbconvert python3-nbclient jupyter-client jupyter-notebook python3-ipykernel
  python3-numpy python3-scipy python3-pil python3-torch python3-nibabel python3-opencv)
if [[ $with_apt == 1 ]]; then
  missing=()
  for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    if [[ $(id -u) != 0 ]]; then
      echo "setup.sh: missing Debian packages: ${missing[*]}; run as root, or install them and use --no-apt" >&2
      exit 1
    fi
    log "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    log "Debian packages present"
  fi
fi

# A pyenv or conda python3 may shadow Debian's: Jupyter is Debian's, so call it by its path when there.
jupyter_bin="${CALF_JUPYTER:-}"
if [[ -z "$jupyter_bin" ]]; then
  if [[ -x /usr/bin/jupyter ]]; then jupyter_bin=/usr/bin/jupyter; else jupyter_bin="$(command -v jupyter)"; fi
fi

# --- 2. build -----------------------------------------------------------------------------------------
newest_source=$(find pom.xml lib/pom.xml lib/src environment/kernel/pom.xml environment/kernel/src environment/benchmarks/pom.xml \
  environment/benchmarks/src -type f -newer lib/target/calf-kit.jar 2>/dev/null | head -1 || true)
if [[ ! -f lib/target/calf-kit.jar || ! -f environment/kernel/target/calf-kit-kernel.jar \
      || ! -f environment/benchmarks/target/calf-kit-bench.jar || -n "$newest_source" ]]; then
  log "building the library and the kernel launcher (mvn package)"
  mvn -B -q -DskipTests package
  # Resolve the test runner's plugins now, while the network is there: tests later run offline.
  mvn -B -q -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false test >/dev/null
else
  log "library up to date: lib/target/calf-kit.jar"
fi

# --- 3. the Java kernel -------------------------------------------------------------------------------
python_bin=/usr/bin/python3; [[ -x $python_bin ]] || python_bin="$(command -v python3)"
java_bin="$(readlink -f "$(command -v java)")"
kernel_jars="$root/environment/kernel/target/calf-kit-kernel.jar:$root/environment/kernel/target/lib/rapaio-jupyter-kernel-3.0.1.jar"
spec_dir="$(mktemp -d)"
trap 'rm -rf "$spec_dir"' EXIT
# JVM flags for a 2 GB hosted session: 1 GB heap (PyTorch tensors live outside it), serial GC (no extra
# GC threads on 2 cores), DJL offline, AWT headless for chart rendering.
"$python_bin" - "$spec_dir/kernel.json" "$java_bin" "$kernel_jars" "$root" <<'PY'
import json, os, sys
out, java, jars, root = sys.argv[1:]
nnpack = "Could not initialize NNPACK! Reason: Unsupported hardware."
spec = {
  "display_name": "Java (CALF Kit)",
  "language": "java",
  "interrupt_mode": "message",
  # bash drops libtorch's NNPACK notice from the kernel's stderr (as data-scripts/calf), points the kernel's
  # dependency cache into the home of whoever starts it (one kernel spec serves every user of a shared install)
  # and execs java in its place.
  "argv": ["/bin/bash", "-c", "exec 2> >(exec grep --line-buffered -v -F '" + nnpack + "' >&2); "
           + "export RJK_MIMA_CACHE=\"${RJK_MIMA_CACHE:-$HOME/.cache/calf-kit/mima}\"; exec \"$0\" \"$@\"",
           java, "-Xms128m", "-Xmx1g", "-XX:+UseSerialGC", "-XX:MaxMetaspaceSize=512m",
           "-Dai.djl.offline=true", "-Djava.awt.headless=true",
           "-cp", jars, "calfkit.kernel.ReliableKernel", "{connection_file}"],
  "env": {
    "RJK_CLASSPATH": f"{root}/lib/target/calf-kit.jar;{root}/lib/target/lib/*.jar",
    "RJK_COMPILER_OPTIONS": "",
    "RJK_INIT_SCRIPT": "",
    "RJK_TIMEOUT_MILLIS": "-1",
    "CALF_KIT_HOME": root,
    "DJL_OFFLINE": "true",
    # oneDNN at AVX2 at most, as data-scripts/calf (calfkit.engine.Devices.CPU_ISA_VARIABLE says why).
    "ONEDNN_MAX_CPU_ISA": os.environ.get("ONEDNN_MAX_CPU_ISA") or "AVX2",
  },
}
json.dump(spec, open(out, "w"), indent=1)
PY
scope=(--user); ((shared)) && scope=()   # without --user: /usr/local/share/jupyter/kernels, for every user
# The spec keeps these permissions where it is installed: readable by all (mktemp made the folder 700).
chmod 755 "$spec_dir"; chmod 644 "$spec_dir/kernel.json"
if ! "$jupyter_bin" kernelspec install "${scope[@]}" --replace --name calf-java "$spec_dir" >"$spec_dir/install.log" 2>&1; then
  echo "setup.sh: 'jupyter kernelspec install' failed (needs jupyter-client, Debian's package of that name):" >&2
  tail -5 "$spec_dir/install.log" >&2; exit 1
fi
log "kernel 'calf-java' registered: $("$jupyter_bin" kernelspec list 2>/dev/null | grep calf-java | awk '{print $2}')"
log "done. Test command: environment/test.sh   Main job: environment/main-job.sh"
