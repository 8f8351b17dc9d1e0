#!/usr/bin/env bash
# Runs a command with network access denied (a new network namespace with only loopback up), where the
# platform allows it (root, or unprivileged user namespaces). Elsewhere it says so and runs the command as is.
#   environment/offline.sh COMMAND [ARGS...]
set -euo pipefail
if unshare -n true 2>/dev/null; then
  exec unshare -n bash -c 'ip link set lo up && exec "$@"' offline "$@"
elif unshare -rn true 2>/dev/null; then
  exec unshare -rn bash -c 'ip link set lo up && exec "$@"' offline "$@"
else
  echo "[offline] note: this platform cannot deny network access (no unshare); running with the network" >&2
  exec "$@"
fi
