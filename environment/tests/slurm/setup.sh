#!/usr/bin/env bash
# Set-up of the Slurm test (environment/tests/slurm-grid.sh), with the network: Slurm and MUNGE from Debian
# (slurm-wlm, munge). Nothing is configured or started here: the test runs its own daemons on loopback.
set -euo pipefail
missing=()
for p in slurm-wlm munge; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  [[ $(id -u) == 0 ]] || { echo "slurm/setup.sh: missing ${missing[*]}; install them as root" >&2; exit 1; }
  echo "[slurm-setup] installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "[slurm-setup] $(slurmd -V), $(munged -V 2>&1 | head -1)"
