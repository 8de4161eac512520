#!/usr/bin/env python3
"""A new batch for a demo world: 10,000 store purchases for the clothing shop, 9,000
by customers it knows (their e-mails, phones and customer numbers, drawn at random)
and 1,000 by new ones, as NDJSON for `motesplats import`.

    python3 scripts/bench/late_batch.py DEMO.db late.ndjson
    motesplats import --provider "$(the id printed)" --file late.ndjson --database DEMO.db

Prints the clothing shop's provider id. Standard library only.
"""
import datetime
import json
import random
import sqlite3
import sys
import uuid

KNOWN, NEW = 9000, 1000


def main(database: str, out: str) -> None:
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    (provider,) = db.execute("SELECT id FROM providers WHERE name LIKE 'Modehuset%'").fetchone()
    known = db.execute(
        "SELECT kind, value FROM identifiers WHERE provider_id = ? "
        "AND kind IN ('email', 'customer_number', 'phone') AND value <> '0'",
        (provider,),
    ).fetchall()
    random.seed(1)
    chosen = random.sample(known, min(KNOWN, len(known)))
    chosen += [("email", f"ny{i}@example.se") for i in range(NEW)]
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()
    with open(out, "w", encoding="utf-8") as f:
        for i, (kind, value) in enumerate(chosen):
            event = {
                # The time in the id: each run is a new batch.
                "event_id": f"late-{now}-{i}",
                "identifiers": [{"kind": kind, "value": value}],
                "channel": "store",
                "kind": "purchase",
                "occurred_at": now,
            }
            f.write(json.dumps(event, ensure_ascii=False) + "\n")
    print(uuid.UUID(bytes=provider))


if __name__ == "__main__":
    main(*sys.argv[1:3])
