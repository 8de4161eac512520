//! Known-answer tests of the survey statistics engine against scipy, statsmodels and
//! scikit-learn on the ANES 1996 survey (944 respondents).
//!
//! Both fixtures are written by `scripts/peers/survey_fixtures.sh`; re-run it to
//! recompute them. Every statistic must agree within 1e-9 (relative for values of
//! magnitude above 1, absolute below; p-values absolute).

use motesplats_core::survey::{
    ConfidenceInterval, IntervalMethod, Scale, chi_square_test, cohens_kappa, crosstab,
    describe_scale, nps, score_by_code, top_two_box, welch_t_test,
};
use serde_json::Value;

const DATA: &str = include_str!("fixtures/anes96.json");
const EXPECTED: &str = include_str!("fixtures/survey_stats_expected.json");
const TOL: f64 = 1e-9;

struct Fixtures {
    data: Value,
    expected: Value,
}

fn fixtures() -> Fixtures {
    Fixtures {
        data: serde_json::from_str(DATA).expect("anes96.json parses"),
        expected: serde_json::from_str(EXPECTED).expect("survey_stats_expected.json parses"),
    }
}

impl Fixtures {
    fn ints(&self, column: &str) -> Vec<i64> {
        self.data["columns"][column]
            .as_array()
            .unwrap_or_else(|| panic!("column {column} in anes96.json"))
            .iter()
            .map(|v| v.as_i64().expect("integer-coded answer"))
            .collect()
    }

    fn column(&self, column: &str) -> Vec<f64> {
        self.ints(column).into_iter().map(|v| v as f64).collect()
    }

    fn case(&self, section: &str, name: &str) -> &Value {
        let case = &self.expected[section][name];
        assert!(case.is_object(), "{section}.{name} in the expected fixture");
        case
    }
}

fn num(case: &Value, key: &str) -> f64 {
    case[key]
        .as_f64()
        .unwrap_or_else(|| panic!("number {key} in {case}"))
}

fn count(case: &Value, key: &str) -> u64 {
    case[key]
        .as_u64()
        .unwrap_or_else(|| panic!("count {key} in {case}"))
}

/// Relative agreement for magnitudes above 1, absolute below.
#[track_caller]
fn assert_close(what: &str, got: f64, want: f64) {
    let err = (got - want).abs() / want.abs().max(1.0);
    assert!(
        err <= TOL,
        "{what}: got {got:e}, scipy/statsmodels {want:e} (error {err:e})"
    );
}

#[track_caller]
fn assert_p(what: &str, got: f64, want: f64) {
    assert!(
        (got - want).abs() <= TOL,
        "{what}: p = {got:e}, scipy/statsmodels {want:e}"
    );
}

#[track_caller]
fn assert_ci(what: &str, ci: &ConfidenceInterval, case: &Value, method: IntervalMethod) {
    assert_eq!(ci.method, method, "{what}: interval method");
    assert_eq!(ci.level, num(case, "level"), "{what}: level");
    assert_close(&format!("{what} ci lower"), ci.lower, num(case, "ci_lower"));
    assert_close(&format!("{what} ci upper"), ci.upper, num(case, "ci_upper"));
}

#[test]
fn fixtures_name_their_data_set_and_script() {
    let f = fixtures();
    for about in [&f.data["_about"], &f.expected["_about"]] {
        assert!(
            about["dataset"]
                .as_str()
                .is_some_and(|s| s.contains("ANES 1996"))
        );
        assert!(
            about["recompute_with"]
                .as_str()
                .is_some_and(|s| s.contains("scripts/peers/survey_fixtures.sh"))
        );
    }
    assert_eq!(f.ints("selfLR").len(), 944);
    // The fixtures live in the repository; keep them small.
    assert!(DATA.len() < 100_000 && EXPECTED.len() < 100_000);
}

#[test]
fn descriptives_match_scipy() {
    let f = fixtures();
    for (name, column) in [
        ("selfLR_95", "selfLR"),
        ("selfLR_90", "selfLR"),
        ("DoleLR_99", "DoleLR"),
    ] {
        let case = f.case("descriptives", name);
        let points = i32::try_from(count(case, "points")).expect("small scale");
        let d = describe_scale(
            &f.column(column),
            Scale::one_to(points).unwrap(),
            num(case, "level"),
        )
        .unwrap();
        let s = &d.summary;
        assert_eq!(s.n as u64, count(case, "n"), "{name} n");
        assert_close(&format!("{name} mean"), s.mean, num(case, "mean"));
        assert_close(&format!("{name} median"), s.median, num(case, "median"));
        assert_close(&format!("{name} sd"), s.sd, num(case, "sd"));
        assert_close(&format!("{name} se"), s.se, num(case, "se"));
        assert_ci(name, &s.ci, case, IntervalMethod::StudentT);
        let want: Vec<u64> = case["distribution"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        let got: Vec<u64> = d.distribution.iter().map(|p| p.count).collect();
        assert_eq!(got, want, "{name} distribution");
        let points: Vec<i32> = d.distribution.iter().map(|p| p.point).collect();
        assert_eq!(points, (1..=7).collect::<Vec<_>>());
    }
}

#[test]
fn top_two_box_matches_statsmodels_wilson() {
    let f = fixtures();
    for (name, column) in [
        ("selfLR_95", "selfLR"),
        ("selfLR_80", "selfLR"),
        ("ClinLR_95", "ClinLR"),
    ] {
        let case = f.case("top_two_box", name);
        let points = i32::try_from(count(case, "points")).expect("small scale");
        let p = top_two_box(
            &f.column(column),
            Scale::one_to(points).unwrap(),
            num(case, "level"),
        )
        .unwrap();
        assert_eq!(p.successes, count(case, "successes"), "{name} successes");
        assert_eq!(p.n, count(case, "n"), "{name} n");
        assert_close(
            &format!("{name} proportion"),
            p.proportion,
            num(case, "proportion"),
        );
        assert_ci(name, &p.ci, case, IntervalMethod::Wilson);
    }
}

#[test]
fn nps_matches_the_numpy_formula() {
    let f = fixtures();
    let answers = f.column("income10");
    for name in ["income10_95", "income10_90"] {
        let case = f.case("nps", name);
        let r = nps(&answers, num(case, "level")).unwrap();
        assert_eq!(r.n, count(case, "n"));
        assert_eq!(r.promoters, count(case, "promoters"), "{name} promoters");
        assert_eq!(r.passives, count(case, "passives"), "{name} passives");
        assert_eq!(r.detractors, count(case, "detractors"), "{name} detractors");
        assert_close(&format!("{name} score"), r.score, num(case, "score"));
        assert_close(&format!("{name} se"), r.se, num(case, "se"));
        assert_ci(name, &r.ci, case, IntervalMethod::NpsNormalMultinomial);
    }
}

#[test]
fn chi_square_matches_scipy_chi2_contingency() {
    let f = fixtures();
    for name in ["vote_by_educ", "pid3_by_vote"] {
        let case = f.case("chi_square", name);
        let rows = f.ints(case["rows"].as_str().unwrap());
        let columns = f.ints(case["columns"].as_str().unwrap());
        let table = crosstab(&rows, &columns).unwrap();

        let labels = |key: &str| -> Vec<String> {
            case[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_i64().unwrap().to_string())
                .collect()
        };
        assert_eq!(table.row_labels, labels("row_labels"), "{name} rows");
        assert_eq!(
            table.column_labels,
            labels("column_labels"),
            "{name} columns"
        );
        let want_counts: Vec<Vec<u64>> = serde_json::from_value(case["counts"].clone()).unwrap();
        assert_eq!(table.counts, want_counts, "{name} counts");

        let t = table.chi_square().unwrap();
        assert_eq!(t, chi_square_test(&table.counts).unwrap());
        assert_eq!(t.n, rows.len() as u64);
        assert_eq!(t.df, count(case, "df"), "{name} df");
        assert_close(
            &format!("{name} statistic"),
            t.statistic,
            num(case, "statistic"),
        );
        assert_p(&format!("{name} p"), t.p_value, num(case, "p_value"));
        assert_close(
            &format!("{name} Cramér's V"),
            t.cramers_v,
            num(case, "cramers_v"),
        );
        let want_expected: Vec<Vec<f64>> =
            serde_json::from_value(case["expected"].clone()).unwrap();
        for (got_row, want_row) in t.expected.iter().zip(&want_expected) {
            for (&got, &want) in got_row.iter().zip(want_row) {
                assert_close(&format!("{name} expected count"), got, want);
            }
        }
    }
}

fn split_by(values: &[f64], groups: &[i64]) -> (Vec<f64>, Vec<f64>) {
    let ones = values
        .iter()
        .zip(groups)
        .filter(|(_, g)| **g == 1)
        .map(|(v, _)| *v)
        .collect();
    let zeros = values
        .iter()
        .zip(groups)
        .filter(|(_, g)| **g == 0)
        .map(|(v, _)| *v)
        .collect();
    (ones, zeros)
}

#[track_caller]
fn assert_welch(name: &str, w: &motesplats_core::survey::WelchTest, case: &Value) {
    assert_eq!(w.n_a as u64, count(case, "n_a"), "{name} n_a");
    assert_eq!(w.n_b as u64, count(case, "n_b"), "{name} n_b");
    assert_close(&format!("{name} mean a"), w.mean_a, num(case, "mean_a"));
    assert_close(&format!("{name} mean b"), w.mean_b, num(case, "mean_b"));
    assert_close(
        &format!("{name} mean difference"),
        w.mean_difference,
        num(case, "mean_difference"),
    );
    assert_close(&format!("{name} t"), w.t, num(case, "t"));
    assert_close(&format!("{name} df"), w.df, num(case, "df"));
    assert_p(&format!("{name} p"), w.p_value, num(case, "p_value"));
    assert_ci(name, &w.ci, case, IntervalMethod::WelchSatterthwaite);
}

#[test]
fn welch_matches_scipy_ttest_ind() {
    let f = fixtures();
    let vote = f.ints("vote");
    for (name, column) in [("selfLR_by_vote_95", "selfLR"), ("educ_by_vote_90", "educ")] {
        let case = f.case("welch", name);
        // Group a: voted for Dole (vote = 1); group b: for Clinton (vote = 0).
        let (a, b) = split_by(&f.column(column), &vote);
        let w = welch_t_test(&a, &b, num(case, "level")).unwrap();
        assert_welch(name, &w, case);
    }
}

#[test]
fn kappa_matches_statsmodels() {
    let f = fixtures();
    for (name, a, b) in [
        ("ClinLR3_vs_DoleLR3_95", "ClinLR3", "DoleLR3"),
        ("selfLR_vs_DoleLR_90", "selfLR", "DoleLR"),
    ] {
        let case = f.case("kappa", name);
        let k = cohens_kappa(&f.ints(a), &f.ints(b), num(case, "level")).unwrap();
        assert_eq!(k.n as u64, count(case, "n"));
        assert_eq!(k.categories.len() as u64, count(case, "categories"));
        assert_close(
            &format!("{name} observed agreement"),
            k.observed_agreement,
            num(case, "observed_agreement"),
        );
        assert_close(
            &format!("{name} expected agreement"),
            k.expected_agreement,
            num(case, "expected_agreement"),
        );
        assert_close(&format!("{name} kappa"), k.kappa, num(case, "kappa"));
        assert_close(&format!("{name} se"), k.se, num(case, "se"));
        assert_close(&format!("{name} se null"), k.se_null, num(case, "se_null"));
        assert_close(&format!("{name} z"), k.z.unwrap(), num(case, "z"));
        assert_p(
            &format!("{name} p"),
            k.p_value.unwrap(),
            num(case, "p_value"),
        );
        assert_ci(name, &k.ci, case, IntervalMethod::KappaAsymptoticNormal);
    }
}

#[test]
fn code_join_matches_scipy() {
    let f = fixtures();
    let case = f.case("code_join", "selfLR_by_news_daily_95");
    let has_code: Vec<bool> = f.ints("news_daily").iter().map(|&c| c == 1).collect();
    let j = score_by_code(&f.column("selfLR"), &has_code, num(case, "level")).unwrap();
    assert_eq!(j.with_code.n as u64, count(case, "n_with"));
    assert_eq!(j.without_code.n as u64, count(case, "n_without"));
    assert_close("mean with code", j.with_code.mean, num(case, "mean_with"));
    assert_close(
        "mean without code",
        j.without_code.mean,
        num(case, "mean_without"),
    );
    let w = j.welch.expect("both groups are large");
    assert_welch("code join", &w, &case["welch"]);
}
