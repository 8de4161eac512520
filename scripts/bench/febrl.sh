#!/usr/bin/env bash
# Probabilistic linkage, Mötesplats beside Splink, on the same records in one run.
#
#   scripts/bench/febrl.sh [1|2|3|DIR] [--threshold P] [--rule R ...]
#
# 1, 2 or 3 exports that FEBRL set (1000, 5000 and 5000 records) into target/febrl/febrlN;
# DIR is any data set in FEBRL's shape already there (records.csv: id, given_name,
# family_name, birth_date, street, postcode; truth.csv: a, b). Both tools use the
# same fields, blocking rules, comparison levels and match threshold, and each times
# its own training plus prediction. Prints both JSON lines, the F1 difference and
# the speed ratio; exits non-zero when Mötesplats's F1 is below Splink's. Each
# --rule (such as `family_name,birth_date`) replaces the default blocking rules in
# both tools: a set with few distinct names or postcodes needs narrower blocks.
#
# A million records with the demo's mess (the clothing shop's web shop and till):
#   motesplats demo --people 1550000 --linkage-set target/febrl/demo
#   scripts/bench/febrl.sh target/febrl/demo --rule family_name,birth_date \
#       --rule given_name,birth_date --rule postcode,given_name --rule postcode,birth_date
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
set="${1:-1}"
shift || true
threshold=0.9
rules=()
while [ $# -gt 0 ]; do
    case "$1" in
        --threshold) threshold="$2"; shift 2 ;;
        --rule) rules+=(--rule "$2"); shift 2 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

case "$set" in
    1|2|3) dir="$root/target/febrl/febrl$set"; peer_set="$set" ;;
    *) dir="$(cd "$set" && pwd)"; peer_set=dir ;;
esac

splink="$("$root/scripts/peers/febrl.sh" "$peer_set" "$dir" --threshold "$threshold" ${rules[@]+"${rules[@]}"} 2>/dev/null)"
cargo build --quiet --release -p motesplats --manifest-path "$root/Cargo.toml"
ours="$(cargo run --quiet --release -p motesplats --manifest-path "$root/Cargo.toml" -- \
    bench linkage --records "$dir/records.csv" --truth "$dir/truth.csv" --threshold "$threshold" \
    ${rules[@]+"${rules[@]}"})"

echo "$splink"
echo "$ours"
"$root/.venv/bin/python" - "$splink" "$ours" <<'PY'
import json, sys
splink, ours = (json.loads(a) for a in sys.argv[1:])
print(f"F1 Mötesplats − Splink: {ours['f1'] - splink['f1']:+.4f}; "
      f"speed Splink / Mötesplats: {splink['seconds'] / max(ours['seconds'], 1e-6):.1f}×")
sys.exit(1 if ours["f1"] < splink["f1"] else 0)
PY
