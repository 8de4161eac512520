#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver for the browser tests, if missing.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "FATAL: chromium and chromedriver are missing; run this script as root to install them" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium chromium-driver >/dev/null
command -v chromium >/dev/null && command -v chromedriver >/dev/null || {
    echo "FATAL: chromium or chromedriver still missing after apt-get install" >&2
    exit 1
}
