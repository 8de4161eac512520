#!/usr/bin/env bash
# Installs axe-core (pinned) from the npm registry into target/axe for the browser walk.
# The walk reads target/axe/node_modules/axe-core/axe.min.js (or MOTESPLATS_AXE).
set -euo pipefail
cd "$(dirname "$0")/.."
version=4.14.1
dir=target/axe
if [ -f "$dir/node_modules/axe-core/axe.min.js" ] && grep -q "\"version\": \"$version\"" "$dir/node_modules/axe-core/package.json"; then
    exit 0
fi
command -v npm >/dev/null || { echo "FATAL: npm is missing (Node.js is needed to fetch axe-core)" >&2; exit 1; }
mkdir -p "$dir"
npm install --silent --no-audit --no-fund --prefix "$dir" "axe-core@$version" >/dev/null
test -f "$dir/node_modules/axe-core/axe.min.js" || { echo "FATAL: axe-core did not install" >&2; exit 1; }
