#!/usr/bin/env bash
# Journeys over the demo's touchpoints, Mötesplats beside DuckDB, on the same file in
# one run: placing every touchpoint in a journey with its phase, the channel flows,
# and an ordered three-step funnel. Each engine loads the file into memory first
# (timed apart) and then runs the three queries; the results must be identical.
#
#   scripts/bench/journeys.sh [--people N] [--funnel a,b,c] [--debug]
#
# About 16 touchpoints a person: --people 620000 is ten million touchpoints. The
# demo's file is written once per size into target/journeys/N. Prints both JSON lines
# (results, seconds, peak memory) and the ratios; exits non-zero when the results
# differ. --debug uses the debug build (CI checks the results that way; time it with
# the release build).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
people=100000
funnel="table_booking,visit,purchase"
profile=(--release)
while [ $# -gt 0 ]; do
    case "$1" in
        --people) people="$2"; shift 2 ;;
        --funnel) funnel="$2"; shift 2 ;;
        --debug) profile=(); shift ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

venv="$root/.venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check duckdb==2.0.1

run() { cargo run --quiet ${profile[@]+"${profile[@]}"} -p motesplats --manifest-path "$root/Cargo.toml" -- "$@"; }
dir="$root/target/journeys/$people"
if [ ! -f "$dir/touchpoints.csv" ]; then
    # A fixed "now", so that the same size is the same file on every machine.
    run demo --people "$people" --anchor 2026-11-30T12:00:00Z --journey-set "$dir" >&2
fi
duck="$("$venv/bin/python" "$root/scripts/peers/journeys_duckdb.py" "$dir" --funnel "$funnel")"
ours="$(run bench journeys --data "$dir" --funnel "$funnel")"

"$venv/bin/python" - "$duck" "$ours" <<'PY'
import json, sys
duck, ours = (json.loads(a) for a in sys.argv[1:])
for line in (duck, ours):
    shown = {k: line[k] for k in ("tool", "touchpoints", "seconds", "peak_rss_mb", "journeys", "phases")}
    shown["funnel"] = line["funnel"]
    shown["flows"] = f"{len(line['flows'])} channel pairs"
    print(json.dumps(shown, ensure_ascii=False))
same = all(duck[k] == ours[k] for k in ("touchpoints", "journeys", "phases", "flows", "funnel"))
for k in ("journeys", "phases", "flows", "funnel"):
    if duck[k] != ours[k]:
        print(f"DIFFERENT {k}: duckdb {json.dumps(duck[k])[:400]} motesplats {json.dumps(ours[k])[:400]}")
ratios = ", ".join(
    f"{q} {duck['seconds'][q] / max(ours['seconds'][q], 1e-6):.1f}×"
    for q in ("load", "journeys", "flows", "funnel"))
print(f"results {'identical' if same else 'DIFFERENT'}; speed DuckDB / Mötesplats: {ratios}; "
      f"peak memory MB DuckDB {duck['peak_rss_mb']}, Mötesplats {ours['peak_rss_mb']} "
      f"({ours['peak_rss_mb'] * 1e6 / max(ours['touchpoints'], 1):.0f} B a touchpoint)")
sys.exit(0 if same else 1)
PY
