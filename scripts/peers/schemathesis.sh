#!/usr/bin/env bash
# Schema-driven fuzzing: Schemathesis (the peer) runs every check against the served
# /api/openapi.json with a provider's secret key, on a fresh SQLite file.
#
# Creates a virtual environment at target/schemathesis-venv (git-ignored with target/)
# on first use, builds and starts `motesplats serve` on a free port with an operator
# token, creates a provider (whose first key is secret) and runs all checks, leaving
# out only key revocation so the run keeps its key. Exits non-zero on any failure,
# 5xx answer or error. MAX_EXAMPLES (default 60) bounds the run; on 2 cores it takes
# about three minutes.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="$root/target/schemathesis-venv"
work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

if [ ! -x "$venv/bin/schemathesis" ]; then
    python3 -m venv "$venv"
fi
# Pinned: a newer release adds checks, which should be taken on on purpose.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check schemathesis==4.32.5

cargo build --quiet --manifest-path "$root/Cargo.toml" --bin motesplats
operator="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
"$root/target/debug/motesplats" serve --listen 127.0.0.1:0 --database "$work/fuzz.db" \
    --operator-token "$operator" > "$work/serve.log" 2>&1 &
server_pid=$!
base=""
for _ in $(seq 1 100); do
    base="$(sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' "$work/serve.log" | head -n 1)"
    [ -n "$base" ] && break
    sleep 0.1
done
[ -n "$base" ] || { cat "$work/serve.log" >&2; echo "FATAL: the server did not start" >&2; exit 1; }

key="$(curl -sS -X POST "$base/api/v1/providers" -H "Authorization: Bearer $operator" \
    -H 'Content-Type: application/json' -d '{"name":"Schemathesis"}' \
    | "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["api_key"]["token"])')"

"$venv/bin/schemathesis" --config-file "$root/scripts/peers/schemathesis.toml" run \
    "$base/api/openapi.json" --url "$base" \
    --header "Authorization: Bearer $key" \
    --exclude-operation-id revoke_key \
    --max-examples "${MAX_EXAMPLES:-60}" --seed "${SEED:-1}" \
    --workers 2 --no-color \
    --report ndjson --report-ndjson-path "$work/events.ndjson" \
    | tee "$work/run.log" && status=0 || status=$?

# The operations, the requests made and the 5xx answers, from the run's events.
"$venv/bin/python" - "$work/events.ndjson" <<'PY'
import json, sys
operations, requests, server_errors = set(), 0, 0
for line in open(sys.argv[1]):
    recorder = json.loads(line).get("ScenarioFinished", {}).get("recorder", {})
    for interaction in recorder.get("interactions", {}).values():
        if recorder["label"].split(" ")[0].isupper():  # not "Stateful tests"
            operations.add(recorder["label"])
        requests += 1
        if ((interaction.get("response") or {}).get("status_code") or 0) >= 500:
            server_errors += 1
print(f"schemathesis: {len(operations)} operations, {requests} requests, {server_errors} answered 5xx")
sys.exit(1 if server_errors else 0)
PY
if [ "$status" -ne 0 ]; then
    echo "FATAL: Schemathesis found failures (exit $status)" >&2
    exit "$status"
fi
