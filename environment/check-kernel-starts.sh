#!/usr/bin/env bash
# Proves the Java kernel starts reliably: starts it N times in a row (default 100) and fails on any failure.
#   environment/check-kernel-starts.sh [-n N] [--stock]
# --stock starts the unpatched rapaio-jupyter-kernel main class instead, to see the fault the kit removes
# (about 1 start in 5 fails on a 2-core machine; each failure waits the client's 60 s).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
py=/usr/bin/python3; [[ -x $py ]] || py="$(command -v python3)"
cd "$(mktemp -d)"   # the kernel runs in a scratch folder
exec "$py" "$here/check-kernel-starts.py" "$@"
