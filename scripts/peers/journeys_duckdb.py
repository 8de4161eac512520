"""DuckDB (the peer) places touchpoints in journeys, counts channel flows and runs an
ordered funnel, in SQL, on the file `motesplats bench journeys` reads; prints one
JSON line in the same shape as Mötesplats's.

    journeys_duckdb.py FOLDER [--funnel table_booking,visit,purchase]

The rules are the journey settings' defaults (README, "Journeys"): anchors purchase,
visit, check_in and meeting; anchors less than 4 hours apart are one meeting, whose
hours run until 4 hours after its last anchor; 14 calendar days before and after,
counted where the provider is (Europe/Stockholm); a touchpoint in both windows goes
with the nearer meeting, the earlier at a tie; a declared phase is kept. Loading is
timed apart from the three queries.
"""

import argparse
import json
import resource
import time

import duckdb

ANCHORS = ("purchase", "visit", "check_in", "meeting")
DURING_MS = 4 * 3600 * 1000
BEFORE_DAYS = 14
AFTER_DAYS = 14
ZONE = "Europe/Stockholm"


def shift(column, days, later):
    """`column` (UTC ms) moved by whole local calendar days; where that local time is
    missing or doubled on the day arrived at, by whole 24-hour days (as Mötesplats)."""
    sign = "+" if later else "-"
    local = f"(make_timestamp({column} * 1000) AT TIME ZONE 'UTC' AT TIME ZONE '{ZONE}')"
    target = f"({local} {sign} INTERVAL {days} DAY)"
    back = f"epoch_ms(timezone('{ZONE}', {target}))"
    fallback = f"({column} {sign} {days} * 86400000)"
    # The local time exists once when it reads the same back, and an hour either way
    # does not also read it (the hour that is repeated in autumn).
    once = (
        f"(epoch_ms(timezone('{ZONE}', {target})) IS NOT NULL"
        f" AND (make_timestamp({back} * 1000) AT TIME ZONE 'UTC' AT TIME ZONE '{ZONE}') = {target}"
        f" AND (make_timestamp(({back} - 3600000) * 1000) AT TIME ZONE 'UTC' AT TIME ZONE '{ZONE}') <> {target}"
        f" AND (make_timestamp(({back} + 3600000) * 1000) AT TIME ZONE 'UTC' AT TIME ZONE '{ZONE}') <> {target})"
    )
    return f"(CASE WHEN {once} THEN {back} ELSE {fallback} END)"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--funnel", default="table_booking,visit,purchase")
    args = parser.parse_args()
    kinds = [k.strip() for k in args.funnel.split(",")]

    con = duckdb.connect()
    con.execute(f"SET TimeZone = '{ZONE}'")
    started = time.perf_counter()
    con.execute(
        f"""CREATE TABLE t AS
        SELECT row_number() OVER (ORDER BY person, at_ms, id) AS rn, *
        FROM read_csv('{args.folder}/touchpoints.csv', header = true,
            columns = {{'person': 'VARCHAR', 'id': 'VARCHAR', 'at_ms': 'BIGINT',
                        'channel': 'VARCHAR', 'kind': 'VARCHAR', 'phase': 'VARCHAR'}})"""
    )
    load = time.perf_counter() - started

    anchors = ", ".join(f"'{a}'" for a in ANCHORS)
    started = time.perf_counter()
    con.execute(
        f"""CREATE TABLE placed AS
        WITH a AS (
            SELECT person, rn, at_ms,
                   lag(at_ms) OVER (PARTITION BY person ORDER BY rn) AS prev
            FROM t WHERE kind IN ({anchors})),
        chained AS (
            SELECT *, sum(CASE WHEN prev IS NULL OR at_ms - prev >= {DURING_MS} THEN 1 ELSE 0 END)
                      OVER (PARTITION BY person ORDER BY rn) AS k
            FROM a),
        meetings AS (
            SELECT person, k, min(at_ms) AS start, max(at_ms) + {DURING_MS} AS stop, min(rn) AS anchor
            FROM chained GROUP BY person, k),
        m AS (
            SELECT *, {shift('start', BEFORE_DAYS, False)} AS wfrom,
                      {shift('stop', AFTER_DAYS, True)} AS wuntil
            FROM meetings),
        near AS (
            SELECT t.rn, t.person, t.at_ms, t.channel, t.kind, t.phase,
                   p.anchor AS p_anchor, p.start AS p_start, p.stop AS p_stop, p.wuntil AS p_until,
                   n.anchor AS n_anchor, n.start AS n_start, n.wfrom AS n_from
            FROM t
            ASOF LEFT JOIN m p ON t.person = p.person AND t.at_ms >= p.start
            ASOF LEFT JOIN m n ON t.person = n.person AND t.at_ms < n.start),
        decided AS (
            SELECT *,
                CASE
                    WHEN p_anchor IS NOT NULL AND (at_ms < p_stop OR at_ms = p_start) THEN 'during'
                    WHEN p_anchor IS NOT NULL AND at_ms <= p_until
                         AND NOT (n_anchor IS NOT NULL AND at_ms >= n_from AND n_start - at_ms < at_ms - p_stop)
                         THEN 'after'
                    WHEN n_anchor IS NOT NULL AND at_ms >= n_from THEN 'before'
                END AS inferred
            FROM near)
        SELECT rn, channel, kind, at_ms, inferred,
               CASE inferred WHEN 'before' THEN n_anchor WHEN 'during' THEN p_anchor
                             WHEN 'after' THEN p_anchor END AS journey,
               CASE WHEN inferred IS NULL THEN NULL ELSE coalesce(phase, inferred) END AS counted
        FROM decided"""
    )
    summary = con.execute(
        """SELECT count(DISTINCT journey),
                  count(*) FILTER (WHERE counted IS NULL),
                  count(*) FILTER (WHERE counted = 'before'),
                  count(*) FILTER (WHERE counted = 'during'),
                  count(*) FILTER (WHERE counted = 'after')
           FROM placed"""
    ).fetchone()
    journeys = time.perf_counter() - started

    started = time.perf_counter()
    flows = con.execute(
        """SELECT channel, next, count(*) FROM (
               SELECT channel, lead(channel) OVER (PARTITION BY journey ORDER BY rn) AS next
               FROM placed WHERE journey IS NOT NULL)
           WHERE next IS NOT NULL GROUP BY channel, next"""
    ).fetchall()
    flows_s = time.perf_counter() - started

    started = time.perf_counter()
    steps = [f"s1 AS (SELECT journey, min(rn) AS r, arg_min(at_ms, rn) AS t_ms FROM placed "
             f"WHERE kind = ? AND journey IS NOT NULL GROUP BY journey)"]
    for i in range(2, len(kinds) + 1):
        steps.append(
            f"s{i} AS (SELECT s.journey, min(p.rn) AS r, arg_min(p.at_ms, p.rn) AS t_ms, "
            f"any_value(s.t_ms) AS prev FROM s{i - 1} s JOIN placed p ON p.journey = s.journey "
            f"AND p.rn > s.r AND p.kind = ? GROUP BY s.journey)"
        )
    selects = ["SELECT 1, count(*), NULL FROM s1"] + [
        f"SELECT {i}, count(*), median((t_ms - prev) / 60000.0) FROM s{i}"
        for i in range(2, len(kinds) + 1)
    ]
    rows = con.execute(
        "WITH " + ", ".join(steps) + " " + " UNION ALL ".join(selects) + " ORDER BY 1", kinds
    ).fetchall()
    funnel_s = time.perf_counter() - started

    round3 = lambda x: None if x is None else round(float(x), 3)  # noqa: E731
    print(json.dumps({
        "tool": "duckdb",
        "touchpoints": con.execute("SELECT count(*) FROM t").fetchone()[0],
        "seconds": {"load": round3(load), "journeys": round3(journeys),
                    "flows": round3(flows_s), "funnel": round3(funnel_s)},
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "journeys": summary[0],
        "phases": {"outside": summary[1], "before": summary[2], "during": summary[3],
                   "after": summary[4]},
        "flows": sorted(([a, b, n] for a, b, n in flows), key=lambda r: json.dumps(r, separators=(",", ":"), ensure_ascii=False)),
        "funnel": [{"kind": kinds[i], "journeys": n, "median_minutes": round3(m)}
                   for i, (_, n, m) in enumerate(rows)],
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
