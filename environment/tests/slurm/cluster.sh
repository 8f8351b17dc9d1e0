#!/usr/bin/env bash
# A one-node Slurm cluster on loopback for tests: munged, slurmctld and slurmd, each with its files under DIR
# (a minimal configuration: 2 CPUs, no cgroups, no accounting). Source it, then:
#   cluster_start DIR     starts the daemons and waits (bounded) until the node is idle; exports SLURM_CONF
#   cluster_stop          cancels every job and stops the daemons (call it from an EXIT trap)
# Needs root (slurmd starts jobs as their user) and Debian's slurm-wlm and munge (slurm/setup.sh).
cluster_dir=""
cluster_addr=""

cluster_start() {
  cluster_dir="$1"
  local d="$cluster_dir" host cpus mem
  # Slurm resolves even numeric addresses with AI_ADDRCONFIG, which finds nothing where loopback is the only
  # IPv4 address (as in environment/offline.sh's network namespace): give loopback a second, private address
  # there, removed again by cluster_stop.
  if ! ip -4 -o addr show | awk '{ print $4 }' | grep -qv '^127\.'; then
    cluster_addr=10.250.0.1/32
    ip addr add "$cluster_addr" dev lo
  fi
  mkdir -p "$d"/{munge,state,spool,log}
  chmod 700 "$d/munge"
  head -c 1024 /dev/urandom >"$d/munge/munge.key"; chmod 400 "$d/munge/munge.key"
  munged --force --socket="$d/munge/munge.sock" --key-file="$d/munge/munge.key" --log-file="$d/log/munged.log" \
    --pid-file="$d/munge/munged.pid" --seed-file="$d/munge/seed"
  host="$(hostname -s)"
  cpus=$(( $(nproc) < 2 ? $(nproc) : 2 ))
  mem=$(awk '/MemAvailable/ { m = int($2 / 1024 * 0.8); print (m > 8000 ? 8000 : m) }' /proc/meminfo)
  cat >"$d/slurm.conf" <<CONF
ClusterName=calfkit-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$d/munge/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/log/slurmctld.log
SlurmdLogFile=$d/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
ReturnToService=2
MpiDefault=none
KillWait=10
MinJobAge=60
NodeName=calfnode NodeHostname=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=calf Nodes=calfnode Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$d/slurm.conf"
  slurmctld -f "$SLURM_CONF"
  slurmd -f "$SLURM_CONF" -N calfnode
  local i
  for i in $(seq 1 60); do
    [[ $(sinfo -h -N -o %t 2>/dev/null) == idle ]] && { echo "[slurm] calfnode idle: $cpus CPUs, ${mem} MB (${i} × 0.5 s)"; return 0; }
    sleep 0.5
  done
  echo "[slurm] the node did not become idle in 30 s:"; sinfo -N -l || true; for f in "$d"/log/*.log; do echo "== $f"; tail -n 20 "$f"; done
  return 1
}

cluster_stop() {
  [[ -n $cluster_dir ]] || return 0
  local d="$cluster_dir" f
  scancel --user=root 2>/dev/null || true
  for f in slurmd slurmctld; do
    [[ -f $d/$f.pid ]] && kill "$(cat "$d/$f.pid")" 2>/dev/null || true
  done
  [[ -f $d/munge/munged.pid ]] && kill "$(cat "$d/munge/munged.pid")" 2>/dev/null || true
  sleep 1
  pkill -f "$d" 2>/dev/null || true   # anything left of the daemons or their jobs
  [[ -n $cluster_addr ]] && ip addr del "$cluster_addr" dev lo 2>/dev/null || true
  cluster_addr=""
  cluster_dir=""
  echo "[slurm] daemons stopped"
}

# Waits (at most $2 seconds) until job $1 has left the queue.
cluster_wait() {
  local job="$1" limit="$2" t=0
  while [[ -n $(squeue -h -j "$job" 2>/dev/null) ]]; do
    ((t >= limit)) && { echo "[slurm] job $job still queued after $limit s:"; squeue; return 1; }
    sleep 1; t=$((t + 1))
  done
  echo "[slurm] job $job finished ($t s)"
}
