#!/usr/bin/env bash
# A manual check of `motesplats import` on a real export: the CDNOW purchase history
# (69,659 purchases by 23,570 customers, 1997-1998; Fader and Hardie's public data set),
# a header-less, column-aligned file. It is fetched into a temporary directory and never
# kept in the repository. Prints the import's summary and the counts it should match.
#
#   scripts/import/cdnow.sh [path/to/motesplats]   (default: target/release/motesplats)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${1:-$root/target/release/motesplats}"
url="${CDNOW_URL:-https://www.brucehardie.com/datasets/CDNOW_master.zip}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

curl -fsSL "$url" -o "$work/cdnow.zip"
unzip -q -o "$work/cdnow.zip" -d "$work"
file="$(find "$work" -name 'CDNOW_master.txt' | head -n 1)"
[ -n "$file" ] || { echo "FATAL: no CDNOW_master.txt in $url" >&2; exit 1; }

db="$work/cdnow.db"
provider="$("$bin" provider create --name "CDNOW" --admin-email cdnow@example.com \
    --time-zone UTC --country US --database "$db" | sed -n 's/^provider:.*(\(.*\))$/\1/p')"
"$bin" import --provider "$provider" --file "$file" --format csv \
    --mapping "$root/crates/cli/tests/fixtures/import/cdnow.toml" --database "$db"

echo "in the file: $(grep -c . "$file") rows, $(awk 'NF {print $1}' "$file" | sort -u | wc -l) customers, \$$(awk 'NF {s += $4} END {printf "%.2f", s}' "$file") in all"
echo "stored:      $(sqlite3 "$db" 'SELECT count(*), count(DISTINCT profile_id), printf("$%.2f", sum(json_extract(properties, "$.amount_usd"))), count(occurred_on) FROM touchpoints' 2>/dev/null || echo '(install sqlite3 to compare)') (rows, profiles, amount, rows kept as days)"
