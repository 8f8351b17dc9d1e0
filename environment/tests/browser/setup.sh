#!/usr/bin/env bash
# Set-up of the browser test (environment/tests/browser-test.sh), with the network: Debian's chromium (never a
# downloaded browser), Node.js with npm where missing, and playwright-core from npm at the version
# package-lock.json pins. PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD keeps npm from fetching a browser of its own.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v npm >/dev/null || missing+=(nodejs npm)
if ((${#missing[@]})); then
  [[ $(id -u) == 0 ]] || { echo "browser/setup.sh: missing ${missing[*]}; install them as root" >&2; exit 1; }
  echo "[browser-setup] installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [[ ! -d $here/node_modules/playwright-core ]]; then
  (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null)
fi
echo "[browser-setup] $(chromium --version 2>/dev/null | head -1), node $(node --version), playwright-core $(node -p "require('$here/node_modules/playwright-core/package.json').version")"
