#!/usr/bin/env bash
# Installs Debian's poppler-utils (pdftoppm, pdftotext) for the strategy PDF test, if missing.
set -euo pipefail
if command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "FATAL: pdftoppm and pdftotext are missing; run this script as root to install them" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq poppler-utils >/dev/null
command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null || {
    echo "FATAL: pdftoppm or pdftotext still missing after apt-get install" >&2
    exit 1
}
