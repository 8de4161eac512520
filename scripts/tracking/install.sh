#!/usr/bin/env bash
# Installs the tracking SDKs the tracking-protocol tests drive against a running
# server, pinned, into target/tracking-sdks (git-ignored):
#   venv/  segment-analytics-python and rudder-sdk-python (PyPI)
#   npm/   @segment/analytics-next (the npm registry), for the browser test
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=target/tracking-sdks
segment=2.4.0
rudder=2.1.9
next=1.84.3

if [ ! -x "$dir/venv/bin/python" ]; then
    python3 -m venv "$dir/venv"
fi
"$dir/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "segment-analytics-python==$segment" "rudder-sdk-python==$rudder"

if ! grep -qs "\"version\": \"$next\"" "$dir/npm/node_modules/@segment/analytics-next/package.json"; then
    command -v npm >/dev/null || { echo "FATAL: npm is missing (Node.js is needed to fetch @segment/analytics-next)" >&2; exit 1; }
    mkdir -p "$dir/npm"
    npm install --silent --no-audit --no-fund --prefix "$dir/npm" "@segment/analytics-next@$next" >/dev/null
fi
test -f "$dir/npm/node_modules/@segment/analytics-next/dist/umd/index.js" \
    || { echo "FATAL: @segment/analytics-next did not install" >&2; exit 1; }
