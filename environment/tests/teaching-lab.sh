#!/usr/bin/env bash
# A teaching lab on one machine (issue 33): Debian's JupyterHub 3.0 with the local process spawner on loopback,
# set up by the instructor's one command (environment/lab/setup-lab.sh) in a Debian 12 image (the hosted image's
# apt.txt layer plus jupyterhub, cached: environment/tests/image-layers.sh), then N students at once.
#   environment/tests/teaching-lab.sh --results DIR --out OUT [--students N] [--train NOTEBOOK]
# DIR: a results folder of the series (a main job's, or the test command's smoke series), the instructor's
# precomputed runs. Each student's server is started through the hub's API; every student runs 00, 01, 02 and
# then a training notebook (03-training unless --train; its runs trained into ~/results/mine) at the same time,
# cell by cell over the kernel's websocket through the hub's proxy (environment/tests/lab-students.py), which
# prints each notebook's time and the memory a student took (PSS). Then, for nothing shared that should not be:
# every student's kernel ran as that student; their runs, results and phantom cache are in their own home and
# theirs; no student's file lies outside their home and /tmp; the shared install and the shared results are
# byte for byte as the instructor left them; a student cannot read another's home.
# Needs root and the network for the first build of the layers (Maven's downloads are seeded from ~/.m2).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
students=8 out="" results="" train=notebooks/03-training.ipynb
while (($#)); do
  case "$1" in
    --students) students="${2:?}"; shift 2 ;;
    --out) out="${2:?}"; shift 2 ;;
    --results) results="$(cd "${2:?}" && pwd)"; shift 2 ;;
    --train) train="notebooks/$(basename "${2:?}")"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "teaching-lab.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n $out && -n $results ]] || { echo "teaching-lab.sh: --results DIR and --out OUT are required" >&2; exit 2; }
if [[ -e $out && -n "$(ls -A "$out" 2>/dev/null)" ]]; then
  echo "teaching-lab.sh: '$out' exists and is not empty; choose a new folder (nothing was overwritten)" >&2; exit 2
fi
[[ $(id -u) == 0 ]] || { echo "teaching-lab.sh: needs root (chroot, namespaces, accounts)" >&2; exit 1; }
mkdir -p "$out"; out="$(cd "$out" && pwd)"
cache="${CALF_HOSTED_CACHE:-$HOME/.cache/calf-kit/hosted}" mirror="${CALF_DEBIAN_MIRROR:-http://deb.debian.org/debian}" logs="$out"
source "$root/environment/tests/image-layers.sh"
log() { printf '[lab-test] %s\n' "$*"; }

work="$(mktemp -d /var/tmp/calf-lab.XXXXXX)"
hub=""
cleanup() {
  set +e   # every step runs, whatever the one before returned (a killed job's status is not an error here)
  # $hub is the shell running in_root; its child unshare, once gone, takes the hub's PID namespace with it.
  if [[ -n $hub ]]; then pkill -KILL -P "$hub" 2>/dev/null; kill "$hub" 2>/dev/null; wait "$hub" 2>/dev/null; fi
  [[ ${CALF_HOSTED_KEEP:-0} == 1 ]] && echo "[lab-test] kept: $work" || rm -rf "$work"
  true
}
trap cleanup EXIT

apt="$(apt_layer "$root/.binder/apt.txt")"
lab="$(layer "lab-$(basename "$apt")-v1" "$apt" 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
  --no-install-recommends jupyterhub >/dev/null && apt-get clean')"
image="$work/image"
cp -a "$lab" "$image"; cp /etc/resolv.conf "$image/etc/resolv.conf"
copy_checkout "$root" "$image/root/calf-kit"
[[ -d $HOME/.m2/repository ]] && { mkdir -p "$image/root/.m2"; cp -r "$HOME/.m2/repository" "$image/root/.m2/repository"; }
mkdir -p "$image/root/results"; cp -r "$results" "$image/root/results/instructor"

t0=$SECONDS
rc=0; in_root "$image" 0:0 /root/calf-kit/environment/lab/setup-lab.sh --students "$students" \
  --results /root/results/instructor >"$out/setup-lab.log" 2>&1 || rc=$?
((rc == 0)) || { log "FAILED: setup-lab.sh (exit $rc):"; tail -20 "$out/setup-lab.log"; exit 1; }
log "the instructor's command: $((SECONDS - t0)) s (setup-lab.sh, log in $out/setup-lab.log)"
listing() { (cd "$image$1" && find . -printf '%p %s %m %u %T@\n' | sort | sha256sum | cut -c1-16); }
before_kit="$(listing /opt/calf-kit)" before_results="$(listing /srv/calf-results)"

port="$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
sed -i "s/^c.JupyterHub.port = .*/c.JupyterHub.port = $port/" "$image/etc/calf-lab/jupyterhub_config.py"
# The hub's own API port and the proxy's must be free too (8081 and 8001 by default).
hub_api="$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
proxy_api="$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
printf 'c.JupyterHub.hub_port = %s\nc.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:%s"\n' "$hub_api" "$proxy_api" \
  >>"$image/etc/calf-lab/jupyterhub_config.py"
in_root "$image" 0:0 /bin/bash -c 'cd /var/lib/calf-lab && exec jupyterhub -f /etc/calf-lab/jupyterhub_config.py' \
  >"$out/hub.log" 2>&1 &
hub=$!
for _ in $(seq 1 120); do
  /usr/bin/python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/hub/api', timeout=2)" 2>/dev/null && break
  kill -0 "$hub" 2>/dev/null || { log "FAILED: the hub did not start:"; tail -20 "$out/hub.log"; exit 1; }
  sleep 0.5
done
log "JupyterHub $(in_root "$image" 0:0 jupyterhub --version) on 127.0.0.1:$port, $students students"

rc=0; /usr/bin/python3 "$root/environment/tests/lab-students.py" --hub "http://127.0.0.1:$port" \
  --token "$image/root/calf-lab-token.txt" --root "$image" --students "$students" --out "$out" --train "$train" \
  notebooks/00-tour.ipynb notebooks/01-dataset-exploration.ipynb notebooks/02-branch-selection.ipynb \
  | tee "$out/students.txt" || rc=$?
((rc == 0)) || { log "FAILED: the students' notebooks"; exit 1; }

# Nothing shared that should not be.
problems=()
for i in $(seq 1 "$students"); do
  u="student$i" h="$image/home/student$i"
  uid="$(awk -F: -v u="$u" '$1 == u { print $3 }' "$image/etc/passwd")"
  [[ -n $(find "$h/results/mine" -name test-metrics.json -uid "$uid" 2>/dev/null | head -1) ]] \
    || problems+=("$u: no run of their own in ~/results/mine")
  [[ -n $(find "$h/.cache/calf-kit" -maxdepth 1 -name 'phantom-*' -uid "$uid" 2>/dev/null | head -1) ]] \
    || problems+=("$u: no phantom cache of their own in ~/.cache/calf-kit")
  [[ -d $h/results/interactive && -z $(find "$h/results/interactive" -not -type l -not -uid "$uid" | head -1) ]] \
    || problems+=("$u: ~/results/interactive missing, or holding files not their own (links to the shared results aside)")
  stray="$(find "$image" -xdev -uid "$uid" -not -path "$h" -not -path "$h/*" -not -path "$image/tmp/*" | head -3)"
  [[ -z $stray ]] || problems+=("$u: files outside their home: ${stray//$image/}")
  other="student$((i % students + 1))"
  if [[ $other != "$u" ]] && in_root "$image" "$uid:$uid" ls "/home/$other" >/dev/null 2>&1; then
    problems+=("$u can read /home/$other")
  fi
done
kernels="$(grep -o '"peak_kernels": [0-9]*' "$out/students.json" | grep -o '[0-9]*$')"
[[ "$(listing /opt/calf-kit)" == "$before_kit" ]] || problems+=("the shared install /opt/calf-kit changed")
[[ "$(listing /srv/calf-results)" == "$before_results" ]] || problems+=("the shared results /srv/calf-results changed")
if ((${#problems[@]})); then
  log "FAILED:"; printf '  %s\n' "${problems[@]}"; exit 1
fi
log "ok: $students students, each kernel their own ($kernels at once at most), their runs, results and phantom cache in their own home,"
log "    nothing of theirs outside it, no home readable by another, the shared install and results unchanged"
