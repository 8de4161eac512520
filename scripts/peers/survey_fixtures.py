#!/usr/bin/env python3
"""Peer answers for the survey statistics engine (motesplats_core::survey).

Loads statsmodels' bundled ANES 1996 data set (944 respondents of the 1996 American
National Election Study), keeps the few columns the Rust tests use, and computes every
statistic with scipy / statsmodels / scikit-learn (or, where no library has the method,
with numpy and the same formula as the Rust code). Writes two fixtures:

  crates/core/tests/fixtures/anes96.json                 the input columns
  crates/core/tests/fixtures/survey_stats_expected.json  the peer's answers

Run through scripts/peers/survey_fixtures.sh (it makes the venv). The output is
deterministic: no randomness, sorted keys, floats written with repr (shortest round-trip),
so re-running it must leave the fixtures byte-identical.
"""

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import scipy
import scipy.stats as st
import sklearn
import statsmodels
from scipy.stats.contingency import association
from sklearn.metrics import cohen_kappa_score
from statsmodels.datasets import anes96
from statsmodels.stats.inter_rater import cohens_kappa
from statsmodels.stats.proportion import proportion_confint

SCRIPT = "scripts/peers/survey_fixtures.sh (scripts/peers/survey_fixtures.py)"
DATASET = (
    "ANES 1996 (American National Election Study), 944 respondents, "
    "as bundled with statsmodels: statsmodels.datasets.anes96.load_pandas().data"
)


def fl(x):
    """A plain Python float (json writes it with repr, i.e. full precision)."""
    x = float(x)
    if not np.isfinite(x):
        raise ValueError(f"non-finite value in a fixture: {x}")
    return x


def ints(series):
    return [int(v) for v in series]


def columns(d):
    """The input columns: raw integer-coded answers plus a few derived ones."""
    for c in ["selfLR", "ClinLR", "DoleLR", "PID", "educ", "vote", "TVnews", "income"]:
        if not np.all(d[c] == np.round(d[c])):
            raise ValueError(f"column {c} is not integer-coded")
    cols = {
        "selfLR": ints(d["selfLR"]),
        "ClinLR": ints(d["ClinLR"]),
        "DoleLR": ints(d["DoleLR"]),
        "PID": ints(d["PID"]),
        "educ": ints(d["educ"]),
        "vote": ints(d["vote"]),
        "TVnews": ints(d["TVnews"]),
    }
    income = d["income"].astype(int)
    # A 0..10 item for the NPS computation: income bracket 1..24 mapped linearly onto
    # 0..10 with integer floor division (1 -> 0, 24 -> 10).
    cols["income10"] = ints((income - 1) * 10 // 23)
    # Party identification 0..6 grouped: 0-2 Democrat (0), 3 Independent (1),
    # 4-6 Republican (2).
    cols["pid3"] = ints(np.select([d["PID"] <= 2, d["PID"] == 3], [0, 1], 2))

    # Two "coders": where the respondent places Clinton and Dole on the liberal (1-3),
    # moderate (4), conservative (5-7) scale, as if two coders labelled the same items.
    def bucket(s):
        return ints(np.select([s <= 3, s == 4], [0, 1], 2))

    cols["ClinLR3"] = bucket(d["ClinLR"])
    cols["DoleLR3"] = bucket(d["DoleLR"])
    # A "code" on each answer for the mixed-methods join: watches TV news every day.
    cols["news_daily"] = ints(d["TVnews"] == 7)
    return cols


def descriptives(x, points, level):
    x = np.asarray(x, float)
    n = len(x)
    mean = x.mean()
    sd = x.std(ddof=1)
    sem = st.sem(x)
    lo, hi = st.t.interval(level, df=n - 1, loc=mean, scale=sem)
    counts = np.bincount(x.astype(int), minlength=points + 1)[1 : points + 1]
    return {
        "points": points,
        "level": level,
        "n": n,
        "mean": fl(mean),
        "median": fl(np.median(x)),
        "sd": fl(sd),
        "se": fl(sem),
        "ci_lower": fl(lo),
        "ci_upper": fl(hi),
        "distribution": [int(c) for c in counts],
    }


def top_two_box(x, points, level):
    x = np.asarray(x, int)
    k = int(np.sum(x >= points - 1))
    n = len(x)
    lo, hi = proportion_confint(k, n, alpha=1 - level, method="wilson")
    return {
        "points": points,
        "level": level,
        "successes": k,
        "n": n,
        "proportion": fl(k / n),
        "ci_lower": fl(lo),
        "ci_upper": fl(hi),
    }


def nps(x, level):
    """NPS with the normal-approximation interval for a difference of two multinomial
    proportions: var(p_p - p_d) = (p_p + p_d - (p_p - p_d)^2) / n, clipped to +-100."""
    x = np.asarray(x, int)
    n = len(x)
    promoters = int(np.sum(x >= 9))
    detractors = int(np.sum(x <= 6))
    pp = promoters / n
    pd_ = detractors / n
    diff = pp - pd_
    var = (pp + pd_ - diff**2) / n
    se = np.sqrt(var)
    z = st.norm.isf((1 - level) / 2)
    lo = max(-100.0, 100 * (diff - z * se))
    hi = min(100.0, 100 * (diff + z * se))
    return {
        "level": level,
        "n": n,
        "promoters": promoters,
        "passives": n - promoters - detractors,
        "detractors": detractors,
        "score": fl(100 * diff),
        "se": fl(100 * se),
        "ci_lower": fl(lo),
        "ci_upper": fl(hi),
    }


def chi_square(rows, cols, row_name, col_name):
    table = pd.crosstab(pd.Series(rows, name=row_name), pd.Series(cols, name=col_name))
    res = st.chi2_contingency(table.values, correction=False)
    v = association(table.values, method="cramer", correction=False)
    return {
        "rows": row_name,
        "columns": col_name,
        "row_labels": [int(r) for r in table.index],
        "column_labels": [int(c) for c in table.columns],
        "counts": [[int(c) for c in r] for r in table.values],
        "statistic": fl(res.statistic),
        "df": int(res.dof),
        "p_value": fl(res.pvalue),
        "expected": [[fl(e) for e in r] for r in res.expected_freq],
        "cramers_v": fl(v),
    }


def welch(a, b, level):
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    res = st.ttest_ind(a, b, equal_var=False)
    ci = res.confidence_interval(confidence_level=level)
    return {
        "level": level,
        "n_a": len(a),
        "n_b": len(b),
        "mean_a": fl(a.mean()),
        "mean_b": fl(b.mean()),
        "mean_difference": fl(a.mean() - b.mean()),
        "t": fl(res.statistic),
        "df": fl(res.df),
        "p_value": fl(res.pvalue),
        "ci_lower": fl(ci.low),
        "ci_upper": fl(ci.high),
    }


def kappa(a, b, level):
    a = np.asarray(a, int)
    b = np.asarray(b, int)
    cats = sorted(set(a) | set(b))
    table = np.array([[np.sum((a == r) & (b == c)) for c in cats] for r in cats], float)
    n = table.sum()
    observed = np.trace(table) / n
    expected = np.sum(table.sum(1) * table.sum(0)) / n**2
    res = cohens_kappa(table, return_results=True)
    # statsmodels reports the asymptotic 95% interval; other levels use its std_kappa.
    delta = st.norm.isf((1 - level) / 2) * res.std_kappa
    lo, hi = res.kappa - delta, res.kappa + delta
    if level == 0.95:
        lo, hi = res.kappa_low, res.kappa_upp
    sk = cohen_kappa_score(a, b)
    if abs(sk - res.kappa) > 1e-12:
        raise AssertionError(f"sklearn ({sk}) and statsmodels ({res.kappa}) disagree")
    return {
        "level": level,
        "n": int(n),
        "categories": len(cats),
        "observed_agreement": fl(observed),
        "expected_agreement": fl(expected),
        "kappa": fl(res.kappa),
        "se": fl(res.std_kappa),
        "ci_lower": fl(lo),
        "ci_upper": fl(hi),
        "se_null": fl(res.std_kappa0),
        "z": fl(res.z_value),
        "p_value": fl(res.pvalue_two_sided),
    }


def code_join(scores, has_code, level):
    scores = np.asarray(scores, float)
    has = np.asarray(has_code, bool)
    return {
        "level": level,
        "n_with": int(has.sum()),
        "n_without": int((~has).sum()),
        "mean_with": fl(scores[has].mean()),
        "mean_without": fl(scores[~has].mean()),
        "welch": welch(scores[has], scores[~has], level),
    }


def dump(obj, path):
    text = json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=False, allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8")


def compact_columns(header, cols):
    """One column per line keeps the data file small and its diffs readable."""
    lines = ["{", f' "_about": {json.dumps(header, ensure_ascii=False)},', ' "columns": {']
    names = sorted(cols)
    for i, name in enumerate(names):
        sep = "," if i + 1 < len(names) else ""
        values = ",".join(str(v) for v in cols[name])
        lines.append(f"  {json.dumps(name)}: [{values}]{sep}")
    lines += [" }", "}"]
    return "\n".join(lines) + "\n"


def main():
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2]
    out = root / "crates" / "core" / "tests" / "fixtures"
    out.mkdir(parents=True, exist_ok=True)

    d = anes96.load_pandas().data
    if len(d) != 944:
        raise AssertionError(f"expected 944 respondents, got {len(d)}")
    cols = columns(d)

    data_header = {
        "dataset": DATASET,
        "recompute_with": SCRIPT,
        "columns": {
            "selfLR": "self-placement liberal (1) .. conservative (7)",
            "ClinLR": "placement of Clinton, 1..7",
            "DoleLR": "placement of Dole, 1..7",
            "PID": "party identification, 0 strong Democrat .. 6 strong Republican",
            "educ": "education, 1..7",
            "vote": "voted for Dole (1) rather than Clinton (0)",
            "TVnews": "days a week watching TV news, 0..7",
            "income10": "derived: (income - 1) * 10 // 23, income bracket 1..24 onto 0..10",
            "pid3": "derived: PID 0-2 -> 0 Democrat, 3 -> 1 Independent, 4-6 -> 2 Republican",
            "ClinLR3": "derived: ClinLR 1-3 -> 0, 4 -> 1, 5-7 -> 2",
            "DoleLR3": "derived: DoleLR 1-3 -> 0, 4 -> 1, 5-7 -> 2",
            "news_daily": "derived: 1 if TVnews == 7 else 0",
        },
    }
    (out / "anes96.json").write_text(compact_columns(data_header, cols), encoding="utf-8")

    self_lr = cols["selfLR"]
    vote = np.asarray(cols["vote"])
    s = np.asarray(self_lr, float)
    expected = {
        "_about": {
            "dataset": DATASET,
            "input": "crates/core/tests/fixtures/anes96.json",
            "recompute_with": SCRIPT,
            "peers": {
                "numpy": np.__version__,
                "pandas": pd.__version__,
                "scipy": scipy.__version__,
                "statsmodels": statsmodels.__version__,
                "scikit-learn": sklearn.__version__,
            },
            "methods": {
                "descriptives": "numpy mean/median/std(ddof=1); scipy.stats.t.interval",
                "top_two_box": "statsmodels proportion_confint(method='wilson')",
                "nps": "numpy: normal approximation, var = (pp + pd - (pp - pd)^2) / n, "
                "z = scipy.stats.norm.isf(alpha/2), clipped to [-100, 100]",
                "chi_square": "scipy.stats.chi2_contingency(correction=False); "
                "scipy.stats.contingency.association(method='cramer')",
                "welch": "scipy.stats.ttest_ind(equal_var=False) and its confidence_interval",
                "kappa": "statsmodels.stats.inter_rater.cohens_kappa "
                "(checked against sklearn.metrics.cohen_kappa_score)",
            },
        },
        "descriptives": {
            "selfLR_95": descriptives(self_lr, 7, 0.95),
            "selfLR_90": descriptives(self_lr, 7, 0.90),
            "DoleLR_99": descriptives(cols["DoleLR"], 7, 0.99),
        },
        "top_two_box": {
            "selfLR_95": top_two_box(self_lr, 7, 0.95),
            "selfLR_80": top_two_box(self_lr, 7, 0.80),
            "ClinLR_95": top_two_box(cols["ClinLR"], 7, 0.95),
        },
        "nps": {
            "income10_95": nps(cols["income10"], 0.95),
            "income10_90": nps(cols["income10"], 0.90),
        },
        "chi_square": {
            "vote_by_educ": chi_square(cols["vote"], cols["educ"], "vote", "educ"),
            "pid3_by_vote": chi_square(cols["pid3"], cols["vote"], "pid3", "vote"),
        },
        "welch": {
            "selfLR_by_vote_95": welch(s[vote == 1], s[vote == 0], 0.95),
            "educ_by_vote_90": welch(
                np.asarray(cols["educ"], float)[vote == 1],
                np.asarray(cols["educ"], float)[vote == 0],
                0.90,
            ),
        },
        "kappa": {
            "ClinLR3_vs_DoleLR3_95": kappa(cols["ClinLR3"], cols["DoleLR3"], 0.95),
            "selfLR_vs_DoleLR_90": kappa(self_lr, cols["DoleLR"], 0.90),
        },
        "code_join": {
            "selfLR_by_news_daily_95": code_join(self_lr, cols["news_daily"], 0.95),
        },
    }
    dump(expected, out / "survey_stats_expected.json")


if __name__ == "__main__":
    main()
