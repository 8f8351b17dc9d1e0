#!/usr/bin/env bash
# The hosted session as a visitor meets it (issue 33): the Binder-like image built the way repo2docker builds it,
# from the repository's own files and Debian's packages alone, then used in Debian's chromium under a 2 GB, 2-CPU
# limit.
#   environment/tests/hosted-image.sh --out OUT [--scale smoke|quick] [--results DIR]
# 1. The base system from Debian's mirror (debootstrap --variant=minbase bookworm) with what repo2docker's base
#    image brings (Python, the classic Notebook server, jupyter-client, nbconvert and nbclient, git) and the user jovyan, uid 1000; then apt.txt
#    installed as root. Both layers are cached under $CALF_HOSTED_CACHE (~/.cache/calf-kit/hosted), the second
#    by apt.txt's hash; a fresh machine builds them in about 3 minutes.
# 2. The repository (tracked and untracked files git does not ignore) copied into the user's $HOME, as
#    repo2docker's REPO_DIR; postBuild run as uid 1000 from there. Maven's downloads are seeded from this
#    machine's ~/.m2 (CALF_HOSTED_FRESH_M2=1 downloads them from Maven Central instead). postBuild sets the kit
#    up and runs the series once at --scale (smoke unless given) into ~/results/interactive; with --results DIR,
#    DIR (a main job's folder of the same scale) is copied there instead, and postBuild keeps it.
# 3. Nothing outside $HOME and /tmp may belong to uid 1000 after the build (what assumes root shows here).
# 4. The notebook server started through binder/start as uid 1000 in a cgroup of 2 GB (no swap) and 2 CPUs;
#    chromium (playwright-core, environment/tests/browser/notebooks.js) opens 05-table5 and runs it from the
#    page: it must show the tables and charts of its executed copy, read back, not trained. The time from the
#    server's start to that point is printed.
# 5. A visitor retrains one grid: 03-training run from the page with a cell after the first that sets RESULTS to
#    a new folder (docs/hosting.md), every run trained for real; the cgroup's peak memory is printed (its rss sampled
#    twice a second, and the kernel's max_usage, page cache included) and must stay under the limit with no
#    process killed.
# Needs root (debootstrap, chroot, namespaces, cgroup v1), environment/tests/browser/setup.sh and network for
# the first build. podman cannot run containers in this sandbox (crun is refused setrlimit), so the image is a
# chroot entered with unshare (mount, PID namespaces) under cgroup-v1 limits (docs/hosting.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
scale=smoke out="" results=""
while (($#)); do
  case "$1" in
    --scale) scale="${2:?}"; shift 2 ;;
    --out) out="${2:?}"; shift 2 ;;
    --results) results="$(cd "${2:?}" && pwd)"; shift 2 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "hosted-image.sh: unknown option '$1' (expected --out OUT [--scale smoke|quick] [--results DIR])" >&2; exit 2 ;;
  esac
done
case "$scale" in smoke|quick) ;; *) echo "hosted-image.sh: --scale must be smoke or quick, got '$scale'" >&2; exit 2 ;; esac
[[ -n $out ]] || { echo "hosted-image.sh: --out OUT is required" >&2; exit 2; }
if [[ -e $out && -n "$(ls -A "$out" 2>/dev/null)" ]]; then
  echo "hosted-image.sh: '$out' exists and is not empty; choose a new folder (nothing was overwritten)" >&2; exit 2
fi
[[ $(id -u) == 0 ]] || { echo "hosted-image.sh: needs root (debootstrap, chroot, namespaces, cgroups)" >&2; exit 1; }
[[ -d /sys/fs/cgroup/memory && -d /sys/fs/cgroup/cpu ]] \
  || { echo "hosted-image.sh: needs cgroup v1's memory and cpu controllers under /sys/fs/cgroup" >&2; exit 1; }
mkdir -p "$out"; out="$(cd "$out" && pwd)"
cache="${CALF_HOSTED_CACHE:-$HOME/.cache/calf-kit/hosted}"
mirror="${CALF_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
limit_bytes=$((2 * 1024 * 1024 * 1024))
logs="$out"
source "$root/environment/tests/image-layers.sh"
log() { printf '[hosted] %s\n' "$*"; }

work="$(mktemp -d /var/tmp/calf-hosted.XXXXXX)"
cg="calf-hosted-$$"
server=""
cleanup() {
  set +e   # every step runs, whatever the one before returned (a killed job's status is not an error here)
  # Every process of the session (the server, its kernels) is in the cgroup: end them all, then the cgroup.
  if [[ -f /sys/fs/cgroup/memory/$cg/cgroup.procs ]]; then
    xargs -r kill -9 <"/sys/fs/cgroup/memory/$cg/cgroup.procs" 2>/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10; do [[ -s /sys/fs/cgroup/memory/$cg/cgroup.procs ]] || break; sleep 0.5; done
  fi
  for c in memory cpu; do [[ -d /sys/fs/cgroup/$c/$cg ]] && rmdir "/sys/fs/cgroup/$c/$cg" 2>/dev/null; done
  [[ ${CALF_HOSTED_KEEP:-0} == 1 ]] && echo "[hosted] kept: $work" || rm -rf "$work"
  true
}
trap cleanup EXIT

# --- 1. the base layer and the apt.txt layer, cached (environment/tests/image-layers.sh) ------------------------
log "layers: $cache (built from $mirror when missing)"
apt_layer="$(apt_layer "$root/.binder/apt.txt")"

# --- 2. the repository into $HOME, postBuild as uid 1000 ----------------------------------------------------
image="$work/image"
cp -a "$apt_layer" "$image"
cp /etc/resolv.conf "$image/etc/resolv.conf"
copy_checkout "$root" "$image$user_home"
if [[ ${CALF_HOSTED_FRESH_M2:-0} != 1 && -d $HOME/.m2/repository ]]; then
  mkdir -p "$image$user_home/.m2"; cp -r "$HOME/.m2/repository" "$image$user_home/.m2/repository"
fi
if [[ -n $results ]]; then
  mkdir -p "$image$user_home/results"; cp -r "$results" "$image$user_home/results/interactive"
fi
chown -R 1000:1000 "$image$user_home"
log "postBuild as uid 1000 in $user_home (scale $scale$( [[ -n $results ]] && echo ", results copied from $results"))"
t0=$SECONDS
rc=0; in_root "$image" 1000:1000 /bin/bash -c "cd && CALF_SCALE=$scale .binder/postBuild" >"$out/postBuild.log" 2>&1 || rc=$?
log "postBuild: exit $rc in $((SECONDS - t0)) s (log: $out/postBuild.log)"
((rc == 0)) || { tail -30 "$out/postBuild.log"; exit 1; }
grep -E '^\[notebooks\]|^notebooks:' "$out/postBuild.log" | tail -3 | sed 's/^/[hosted]   /' || true

# --- 3. nothing of the user's outside $HOME -----------------------------------------------------------------
stray="$(find "$image" -xdev -uid 1000 -not -path "$image$user_home" -not -path "$image$user_home/*" -not -path "$image/tmp/*" \
  -not -path "$image/var/tmp/*" | sed "s|^$image||" | head -20)"
if [[ -n $stray ]]; then
  log "FAILED: postBuild wrote outside $user_home:"; echo "$stray"; exit 1
fi
log "ok: every file uid 1000 made is under $user_home"
[[ -f $image$user_home/.local/share/jupyter/kernels/calf-java/kernel.json ]] \
  || { log "FAILED: the calf-java kernel is not registered for jovyan (~/.local/share/jupyter/kernels)"; exit 1; }

# --- 4. the session: 2 GB, 2 CPUs, uid 1000, binder/start -----------------------------------------------------
mkdir "/sys/fs/cgroup/memory/$cg" "/sys/fs/cgroup/cpu/$cg"
echo "$limit_bytes" >"/sys/fs/cgroup/memory/$cg/memory.limit_in_bytes"
[[ -f /sys/fs/cgroup/memory/$cg/memory.memsw.limit_in_bytes ]] \
  && echo "$limit_bytes" >"/sys/fs/cgroup/memory/$cg/memory.memsw.limit_in_bytes"
echo 100000 >"/sys/fs/cgroup/cpu/$cg/cpu.cfs_period_us"
echo 200000 >"/sys/fs/cgroup/cpu/$cg/cpu.cfs_quota_us"
port="$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
token="$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(16))')"
started=$(date +%s.%N)
(
  echo "$BASHPID" >"/sys/fs/cgroup/memory/$cg/cgroup.procs"
  echo "$BASHPID" >"/sys/fs/cgroup/cpu/$cg/cgroup.procs"
  in_root "$image" 1000:1000 /bin/bash -c "cd && CALF_SCALE=$scale exec .binder/start jupyter notebook --no-browser \
    --ip=127.0.0.1 --port=$port --NotebookApp.token=$token --NotebookApp.open_browser=False"
) >"$out/server.log" 2>&1 &
server=$!
disown "$server"   # cleanup ends it with the cgroup's other processes
source "$root/environment/tests/server-wait.sh"
wait_for_server "$port" "$token" "$server" "$out/server.log" 60 || { log "FAILED: no notebook server as uid 1000"; exit 1; }
log "notebook server up as uid 1000 after $(/usr/bin/python3 -c "import time; print(f'{time.time() - $started:.1f}')") s (2 GB, 2 CPUs)"
# The cgroup's resident memory, twice a second, while the visitor works.
( peak=0; while sleep 0.5; do
    rss=$(awk '$1 == "total_rss" { print $2 }' "/sys/fs/cgroup/memory/$cg/memory.stat" 2>/dev/null) || break
    [[ -n $rss ]] || break
    ((rss > peak)) && { peak=$rss; echo "$peak" >"$out/peak-rss.txt"; }
  done ) &
sampler=$!
browse() {  # browse OUT_SUBDIR [--expect DIR] NOTEBOOK...: notebooks.js against the session's server
  local sub="$1"; shift
  node "$root/environment/tests/browser/notebooks.js" --url "http://127.0.0.1:$port" --token "$token" --out "$out/$sub" "$@"
}
rc=0; browse visitor --expect "$image$user_home/results/interactive" notebooks/05-table5.ipynb | tee "$out/visitor.txt" || rc=$?
tables_at=$(/usr/bin/python3 -c "import time; print(f'{time.time() - $started:.0f}')")
if ((rc != 0)); then log "FAILED: notebook 05 in the hosted session"; exit 1; fi
trained="$(find "$image$user_home/results/interactive" -newer "$out/server.log" -name metrics.csv | wc -l)"
((trained == 0)) || { log "FAILED: opening 05 trained $trained runs instead of reading them back"; exit 1; }
log "ok: notebook 05's tables and charts shown ${tables_at} s after the server started, every run read back"

# --- 5. a visitor retrains one grid (03) into a folder of their own -----------------------------------------
/usr/bin/python3 - "$image$user_home/notebooks/03-training.ipynb" "$image$user_home/notebooks/03-training-mine.ipynb" <<'PY'
import json, sys
nb = json.load(open(sys.argv[1]))
first = next(i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code")
nb["cells"].insert(first + 1, {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                               "source": 'RESULTS = Path.of("../results/mine");'})
json.dump(nb, open(sys.argv[2], "w"), indent=1)
PY
chown 1000:1000 "$image$user_home/notebooks/03-training-mine.ipynb"
rc=0; browse retrain notebooks/03-training-mine.ipynb | tee "$out/retrain.txt" || rc=$?
kill "$sampler" 2>/dev/null || true
peak_rss=$(cat "$out/peak-rss.txt" 2>/dev/null || echo 0)
max_usage=$(cat "/sys/fs/cgroup/memory/$cg/memory.max_usage_in_bytes")
oom_kills=$(awk '$1 == "oom_kill" { print $2 }' "/sys/fs/cgroup/memory/$cg/memory.oom_control" 2>/dev/null || echo "?")
runs="$(find "$image$user_home/results/mine" -name test-metrics.json 2>/dev/null | wc -l)"
log "retrain: 03 from the page, $runs runs trained into ~/results/mine; peak rss $((peak_rss / 1048576)) MiB, max usage" \
  "(page cache included) $((max_usage / 1048576)) MiB of $((limit_bytes / 1048576)) MiB; processes killed for memory: $oom_kills"
((rc == 0 && runs > 0)) || { log "FAILED: retraining 03 in the hosted session"; exit 1; }
[[ $oom_kills == 0 || $oom_kills == "?" ]] || { log "FAILED: the 2 GB limit killed a process"; exit 1; }
log "passed: built from Debian's mirror and the repository's binder files, used as uid 1000 under 2 GB and 2 CPUs"
