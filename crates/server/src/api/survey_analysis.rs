//! Survey analysis: statistics per question, overall and per split; cross-tabs with
//! Pearson's chi-square test; Welch's t-test of two groups; the results as CSV.
//!
//! Every figure comes from the core's statistics engine (`motesplats_core::survey`,
//! checked against scipy/statsmodels), and every interval names its method:
//! - mean: Student-t interval, mean ± t(1 − α/2, n − 1) · s/√n (`student_t`);
//! - top-two-box share: Wilson score interval (`wilson`);
//! - NPS: normal approximation for the difference of the promoter and detractor shares
//!   of one multinomial sample, var = (p_p + p_d − (p_p − p_d)²)/n, clipped to
//!   [−100, 100] (`nps_normal_multinomial`);
//! - Welch's mean difference: Welch–Satterthwaite degrees of freedom
//!   (`welch_satterthwaite`).
//!
//! Splits (channel, phase, motivation, provider, week, month, quarter, and a saved
//! segment as `segment:<id>`) and how each response gets its value are documented in
//! `motesplats_core::survey::split`; a response whose value is not known is counted in
//! the group `unknown`. A segment's membership among the respondents is worked out
//! here ([`Data::resolve`]) before the core splits by it.

use super::surveys::mine;
use crate::auth::Tenant;
use crate::error::{ApiError, Problem};
use crate::json::ApiQuery;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use motesplats_core::survey::{
    ChiSquareTest, Figures, Membership, Response, ScaleItem, Split, Survey, SurveyResults,
    WelchTest, crosstab as cross_tabulate, welch_t_test,
};
use motesplats_core::{FieldError, Invalid, Provider, ProviderId, Reason};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(results))
        .routes(routes!(export_results))
        .routes(routes!(crosstab))
        .routes(routes!(compare))
}

/// The default confidence level of every interval.
pub const LEVEL: f64 = 0.95;

/// What an analysis reads: the survey, the provider that owns it, the responses
/// counted (completed ones, or partial saves too), and the membership of the saved
/// segments the request splits by.
pub struct Data {
    pub survey: Survey,
    pub provider: Provider,
    pub responses: Vec<Response>,
    /// Filled by [`Data::resolve`].
    pub segments: Vec<Membership>,
}

impl Data {
    /// The caller's survey `id` with its responses; 404 if it is not theirs.
    pub async fn load(
        state: &AppState,
        me: ProviderId,
        id: &str,
        partial: bool,
    ) -> Result<Data, ApiError> {
        let survey = mine(state, me, id).await?;
        let provider = state
            .store
            .provider(me)
            .await?
            .ok_or_else(|| ApiError::Internal("the caller's provider is missing".into()))?;
        Self::with_responses(survey, provider, state, partial).await
    }

    /// `survey` of `provider` with its responses (completed only unless `partial`).
    pub async fn with_responses(
        survey: Survey,
        provider: Provider,
        state: &AppState,
        partial: bool,
    ) -> Result<Data, ApiError> {
        crate::survey_export::data(state.store.as_ref(), survey, provider, partial).await
    }

    /// Works out the membership of each saved segment that `words` name
    /// (`segment:<id>`) among the respondents; other words, and ids that name no
    /// segment of the provider, are left for the split parsing to judge.
    pub async fn resolve<'w>(
        &mut self,
        state: &AppState,
        words: impl IntoIterator<Item = Option<&'w str>>,
    ) -> Result<(), ApiError> {
        for word in words.into_iter().flatten() {
            if self.segments.iter().any(|m| m.word == word) {
                continue;
            }
            let found =
                crate::segments::membership(state, self.provider.id, &self.responses, word).await?;
            self.segments.extend(found);
        }
        Ok(())
    }

    /// The figures of every question, overall and per group of `split`.
    pub fn results(&self, split: Option<Split>, level: f64) -> SurveyResults {
        SurveyResults::of(&self.survey, &self.provider, &self.responses, split, level)
    }

    /// The language labels are given in: the survey's first.
    fn language(&self) -> motesplats_core::Lang {
        self.survey.languages[0]
    }
}

/// The confidence level asked for, checked.
pub fn level(asked: Option<f64>) -> Result<f64, ApiError> {
    let level = asked.unwrap_or(LEVEL);
    if level > 0.0 && level < 1.0 {
        Ok(level)
    } else {
        Err(ApiError::invalid("level", motesplats_core::Reason::Level))
    }
}

/// A split word from a query, if any (an empty value is none): a dimension word, or
/// `segment:<id>` of a segment [`Data::resolve`] worked out; 422 naming `split`.
pub fn split<'d>(data: &'d Data, word: Option<&str>) -> Result<Option<Split<'d>>, Invalid> {
    word.filter(|w| !w.is_empty())
        .map(|w| Split::grouping(w, &data.segments))
        .transpose()
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ResultsQuery {
    /// Confidence level of the intervals, such as 0.95 (default).
    #[param(exclusive_minimum = 0.0, exclusive_maximum = 1.0)]
    level: Option<f64>,
    /// Count partial saves too (default: completed responses only).
    partial: Option<bool>,
    /// Also give the statistics per group of this split: `channel`, `phase`,
    /// `motivation`, `provider`, `week`, `month`, `quarter`, or `segment:<id>` (a saved
    /// segment: `in`, `out`, and `unknown` for responses without a profile or person).
    split: Option<String>,
}

/// Statistics per question, overall and per split.
///
/// Per question its kind, `n` (respondents who answered) and `too_few` (n below
/// `min_n`, 5: too few answers to say anything; the figures are still given), and
/// `figures` by `type`: `scale` (scale, matrix, CSAT and NPS) gives per item the
/// distribution over every point, the mean with its Student-t interval clipped to the
/// scale, median and standard deviation (absent with fewer than two answers), the
/// top-two-box share with a Wilson interval, and for NPS the score with its interval
/// (normal approximation of the difference of two multinomial proportions, clipped to
/// ±100); `choice` the count and share of every option; `open_text` nothing more.
///
/// With `split`, `splits` holds the same statistics for each value of the split
/// (`value`, `label`, `responses`, `questions`), phases and options in their order,
/// periods oldest first, `unknown` (responses whose value is not known) last. Channel
/// and phase come from the survey's journey context; motivation from the answer to the
/// survey's single-choice question keyed `motivation`; provider is the survey's owner;
/// week (ISO), month and quarter from the submission time in the provider's time zone.
/// `segment:<id>` splits by one of the provider's saved segments: `in` (labelled with
/// its name) for responses whose profile's person is in it, `out`, and `unknown` for
/// responses without a profile (no consent) or whose profile has no person; an id
/// that names no segment of the provider is a 422 naming `split`.
#[utoipa::path(get, path = "/surveys/{id}/results", tag = "surveys", params(("id" = String, Path), ResultsQuery),
    responses((status = 200, body = SurveyResults), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn results(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ResultsQuery>,
) -> Result<Json<SurveyResults>, ApiError> {
    let level = level(q.level)?;
    let mut data = Data::load(&state, me, &id, q.partial.unwrap_or(false)).await?;
    data.resolve(&state, [q.split.as_deref()]).await?;
    let split = split(&data, q.split.as_deref())?;
    Ok(Json(data.results(split, level)))
}

/// The results as CSV: one row per question (per matrix item) for all responses
/// (`split` and `split_value` `all`), then, with a split, per split value.
pub fn results_csv(data: &Data, split: Option<Split>, level: f64) -> Result<Vec<u8>, ApiError> {
    let results = data.results(split, level);
    let word = results.split.as_deref().unwrap_or("all");
    let groups = std::iter::once(("all", "all", "", results.responses, &results.questions)).chain(
        results.splits.iter().map(|g| {
            (
                word,
                g.value.as_str(),
                g.label.as_str(),
                g.responses,
                &g.questions,
            )
        }),
    );
    let mut csv = crate::csv_out::Writer::in_memory();
    let failed = |e: csv::Error| ApiError::Internal(e.to_string());
    csv.row(RESULTS_HEADER).map_err(failed)?;
    let number = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    for (split, value, label, responses, questions) in groups {
        for q in questions {
            let items: Vec<Option<&ScaleItem>> = match &q.figures {
                Figures::Scale { items, .. } => items.iter().map(Some).collect(),
                _ => vec![None],
            };
            for i in items {
                let d = i.and_then(|i| i.describe.as_ref());
                let t = i.and_then(|i| i.top_two_box.as_ref());
                let n = i.and_then(|i| i.nps.as_ref());
                let row = [
                    split.to_string(),
                    value.to_string(),
                    label.to_string(),
                    q.key.clone(),
                    i.and_then(|i| i.item.clone()).unwrap_or_default(),
                    q.kind.clone(),
                    responses.to_string(),
                    i.map_or(q.n, |i| i.n).to_string(),
                    number(d.map(|d| d.mean)),
                    number(d.map(|d| d.sd)),
                    number(d.map(|d| d.median)),
                    number(d.map(|d| d.ci.lower)),
                    number(d.map(|d| d.ci.upper)),
                    number(t.map(|t| t.proportion)),
                    number(t.map(|t| t.ci.lower)),
                    number(t.map(|t| t.ci.upper)),
                    number(n.map(|n| n.score)),
                    number(n.map(|n| n.ci.lower)),
                    number(n.map(|n| n.ci.upper)),
                    level.to_string(),
                    i.map_or(q.too_few, |i| i.too_few).to_string(),
                ];
                csv.row(&row).map_err(failed)?;
            }
        }
    }
    csv.into_inner()
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// The columns of the results CSV.
pub const RESULTS_HEADER: [&str; 21] = [
    "split",
    "split_value",
    "split_label",
    "question",
    "item",
    "kind",
    "responses",
    "n",
    "mean",
    "sd",
    "median",
    "mean_ci_low",
    "mean_ci_high",
    "top_two_box",
    "top_two_box_ci_low",
    "top_two_box_ci_high",
    "nps",
    "nps_ci_low",
    "nps_ci_high",
    "level",
    "too_few",
];

/// A CSV body as a response.
pub fn csv_response(body: Vec<u8>, filename: &str) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// The results as CSV, per question and split value.
///
/// One row per question (per matrix item) and group: `split`,
/// `split_value`, `split_label`, `question`, `item`, `kind`, `responses` (in the
/// group), `n` (answers to the item), `mean`, `sd`, `median`, `mean_ci_low`,
/// `mean_ci_high` (Student t), `top_two_box` (share, 0–1), `top_two_box_ci_low`,
/// `top_two_box_ci_high` (Wilson), `nps`, `nps_ci_low`, `nps_ci_high` (normal
/// approximation of the difference of two multinomial proportions, clipped to ±100),
/// `level`, `too_few` (`true` below 5 answers: too few to say anything). The first
/// rows are for all responses (`split` = `all`); with `split`, rows for each of
/// its values follow. Empty where a figure does not apply or cannot be computed (a
/// mean needs two answers); the mean's interval is clipped to the scale.
#[utoipa::path(get, path = "/surveys/{id}/results.csv", tag = "surveys", params(("id" = String, Path), ResultsQuery),
    responses((status = 200, content_type = "text/csv"), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn export_results(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ResultsQuery>,
) -> Result<axum::response::Response, ApiError> {
    let level = level(q.level)?;
    let mut data = Data::load(&state, me, &id, q.partial.unwrap_or(false)).await?;
    data.resolve(&state, [q.split.as_deref()]).await?;
    let split = split(&data, q.split.as_deref())?;
    let body = results_csv(&data, split, level)?;
    Ok(csv_response(body, "results.csv"))
}

/// A category with its label for people.
#[derive(Debug, Serialize, ToSchema)]
pub struct Labelled {
    /// The option key, the point, or the split value (`unknown` for responses
    /// whose value is not known).
    pub value: String,
    pub label: String,
}

/// A cross-tab of two questions (or a question and a split) with Pearson's
/// chi-square test of independence.
#[derive(Debug, Serialize, ToSchema)]
pub struct CrossTabResult {
    pub rows: String,
    pub columns: String,
    /// Responses counted; those that left a question empty are not in the table.
    pub responses: usize,
    pub row_labels: Vec<Labelled>,
    pub column_labels: Vec<Labelled>,
    /// `counts[row][column]`.
    pub counts: Vec<Vec<u64>>,
    pub row_totals: Vec<u64>,
    pub column_totals: Vec<u64>,
    /// Responses in the table.
    pub n: u64,
    /// Pearson's chi-square test (no continuity correction) with df = (r − 1)(c − 1),
    /// the p-value P(χ²(df) ≥ statistic), the expected counts and Cramér's V; absent
    /// when undefined, and then `chi_square_reason` says why.
    pub chi_square: Option<ChiSquareTest>,
    pub chi_square_reason: Option<Reason>,
    /// Cells whose expected count is below 5, where the chi-square approximation is
    /// rough.
    pub expected_below_five: usize,
}

/// Cross-tabulates the categories of `rows` and `columns` (question keys, `key.item`
/// for a matrix item, or split words) over the responses; errors name the field.
pub fn crosstab_of(
    data: &Data,
    rows: Option<&str>,
    columns: Option<&str>,
) -> Result<CrossTabResult, Invalid> {
    let survey = &data.survey;
    let mut problems = Vec::new();
    let mut read = |field: &str, word: Option<&str>| match word.filter(|w| !w.is_empty()) {
        None => {
            problems.extend(Invalid::one(field, motesplats_core::Reason::Required).0);
            None
        }
        Some(w) => match Split::parse(survey, w, field, &data.segments) {
            Ok(s) => Some(s),
            Err(e) => {
                problems.extend(e.0);
                None
            }
        },
    };
    let (rows, columns) = (read("rows", rows), read("columns", columns));
    let (Some(rows), Some(columns)) = (rows, columns) else {
        return Err(Invalid(problems));
    };
    if rows.word() == columns.word() {
        return Err(Invalid::one(
            "columns",
            motesplats_core::Reason::DifferFromRows,
        ));
    }
    let (mut r, mut c) = (Vec::new(), Vec::new());
    for response in &data.responses {
        if let (Some(a), Some(b)) = (
            rows.category(survey, &data.provider, response),
            columns.category(survey, &data.provider, response),
        ) {
            r.push(a);
            c.push(b);
        }
    }
    let labels = |split: &Split, keys: Vec<String>| -> Vec<Labelled> {
        keys.into_iter()
            .map(|k| Labelled {
                label: split.label(survey, &data.provider, &k, data.language()),
                value: k,
            })
            .collect()
    };
    let mut out = CrossTabResult {
        rows: rows.word(),
        columns: columns.word(),
        responses: data.responses.len(),
        row_labels: vec![],
        column_labels: vec![],
        counts: vec![],
        row_totals: vec![],
        column_totals: vec![],
        n: 0,
        chi_square: None,
        chi_square_reason: None,
        expected_below_five: 0,
    };
    let table = match cross_tabulate(&r, &c) {
        Ok(t) => t,
        Err(_) => {
            out.chi_square_reason = Some(Reason::NoneAnswerBoth);
            return Ok(out);
        }
    };
    match table.chi_square() {
        Ok(test) => {
            out.expected_below_five = test.expected.iter().flatten().filter(|&&e| e < 5.0).count();
            out.chi_square = Some(test);
        }
        Err(e) => out.chi_square_reason = Some(e.reason()),
    }
    out.row_labels = labels(&rows, table.row_labels);
    out.column_labels = labels(&columns, table.column_labels);
    out.counts = table.counts;
    out.row_totals = table.row_totals;
    out.column_totals = table.column_totals;
    out.n = table.n;
    Ok(out)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CrossTabQuery {
    /// A question key: a single choice, a scale, CSAT or NPS question, or a matrix
    /// item as `key.item` (a split word also works).
    rows: Option<String>,
    /// A question key as for `rows`, or a split: `channel`, `phase`, `motivation`,
    /// `provider`, `week`, `month`, `quarter` or `segment:<id>` (a saved segment). A
    /// question key wins over a split word.
    columns: Option<String>,
    /// Count partial saves too (default: completed responses only).
    partial: Option<bool>,
}

/// A cross-tab with Pearson's chi-square test.
///
/// Two questions, or a question and a split: the counts with their
/// labels and margins, and Pearson's chi-square test of independence (statistic, df,
/// p-value, expected counts, Cramér's V; no continuity correction). Responses that
/// left a question empty are left out; a split puts responses whose value is not
/// known in `unknown`. When the test is undefined (a single row or column, no answers)
/// `chi_square` is absent and `chi_square_reason` says why.
#[utoipa::path(get, path = "/surveys/{id}/crosstab", tag = "surveys", params(("id" = String, Path), CrossTabQuery),
    responses((status = 200, body = CrossTabResult), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn crosstab(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<CrossTabQuery>,
) -> Result<Json<CrossTabResult>, ApiError> {
    let mut data = Data::load(&state, me, &id, q.partial.unwrap_or(false)).await?;
    data.resolve(&state, [q.rows.as_deref(), q.columns.as_deref()])
        .await?;
    Ok(Json(crosstab_of(
        &data,
        q.rows.as_deref(),
        q.columns.as_deref(),
    )?))
}

/// One group of a comparison.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupFigures {
    pub value: String,
    pub label: String,
    /// Answers to the question in the group.
    pub n: usize,
    /// Absent without answers.
    pub mean: Option<f64>,
}

/// Welch's t-test of the mean of one scale item in two groups.
#[derive(Debug, Serialize, ToSchema)]
pub struct Comparison {
    pub question: String,
    pub item: Option<String>,
    pub by: String,
    pub level: f64,
    pub a: GroupFigures,
    pub b: GroupFigures,
    /// mean(a) − mean(b), t, Welch–Satterthwaite df, two-sided p-value and the
    /// interval of the difference; absent when undefined (a group with fewer than two
    /// answers, or no variance in either), and then `reason` says why.
    pub welch: Option<WelchTest>,
    pub reason: Option<Reason>,
}

/// What a comparison asks for.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CompareQuery {
    /// A scale, CSAT, NPS or matrix question.
    pub question: Option<String>,
    /// The item of a matrix question.
    pub item: Option<String>,
    /// What makes the groups: a split (`channel`, `phase`, `motivation`, `provider`,
    /// `week`, `month`, `quarter`, `segment:<id>` with groups `in`, `out`, `unknown`)
    /// or a question key (a single choice; a question key wins over a split word).
    pub by: Option<String>,
    /// The first group: an option key, a point or a split value (`unknown` too).
    pub a: Option<String>,
    /// The second group.
    pub b: Option<String>,
    /// Confidence level of the interval of the difference, such as 0.95 (default).
    #[param(exclusive_minimum = 0.0, exclusive_maximum = 1.0)]
    pub level: Option<f64>,
    /// Count partial saves too (default: completed responses only).
    pub partial: Option<bool>,
}

/// Welch's t-test of one scale item between groups `a` and `b` of `by`; bad fields
/// are named.
pub fn compare_of(data: &Data, q: &CompareQuery, level: f64) -> Result<Comparison, Invalid> {
    let survey = &data.survey;
    let mut problems: Vec<motesplats_core::FieldError> = Vec::new();
    let item = given(&q.item);
    let question = match given(&q.question) {
        None => {
            problems.push(FieldError::new("question", Reason::Required));
            None
        }
        Some(key) => match survey.scale_of(key, item) {
            Ok(_) => Some(key),
            Err(e) => {
                problems.extend(e.0);
                None
            }
        },
    };
    let by = match given(&q.by) {
        None => {
            problems.push(FieldError::new("by", Reason::Required));
            None
        }
        Some(w) => match Split::parse(survey, w, "by", &data.segments) {
            Ok(s) => Some(s),
            Err(e) => {
                problems.extend(e.0);
                None
            }
        },
    };
    let (a, b) = two_groups(&q.a, &q.b, &mut problems);
    let (Some(question), Some(by), Some(a), Some(b), true) =
        (question, by, a, b, problems.is_empty())
    else {
        return Err(Invalid(problems));
    };
    let categories: Vec<Option<String>> = data
        .responses
        .iter()
        .map(|r| by.category(survey, &data.provider, r).map(|c| c.key))
        .collect();
    let mut unknown = Vec::new();
    for (field, value) in [("a", a), ("b", b)] {
        if !by.defines(value) && !categories.iter().any(|c| c.as_deref() == Some(value)) {
            let mut seen: Vec<&str> = categories.iter().flatten().map(String::as_str).collect();
            seen.sort_unstable();
            seen.dedup();
            unknown.push(FieldError::new(
                field,
                if seen.is_empty() {
                    Reason::NoGroupNone {
                        value: value.to_string(),
                        by: by.word().to_string(),
                    }
                } else {
                    Reason::NoGroup {
                        value: value.to_string(),
                        by: by.word().to_string(),
                        seen: motesplats_core::reason::List::of(seen),
                    }
                },
            ));
        }
    }
    if !unknown.is_empty() {
        return Err(Invalid(unknown));
    }
    let values = |group: &str| -> Vec<f64> {
        data.responses
            .iter()
            .zip(&categories)
            .filter(|(_, c)| c.as_deref() == Some(group))
            .filter_map(|(r, _)| r.answers.get(question)?.point(item))
            .map(f64::from)
            .collect()
    };
    let (va, vb) = (values(a), values(b));
    let group = |value: &str, values: &[f64]| GroupFigures {
        value: value.to_string(),
        label: by.label(survey, &data.provider, value, data.language()),
        n: values.len(),
        mean: (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64),
    };
    let (welch, reason) = match welch_t_test(&va, &vb, level) {
        Ok(w) => (Some(w), None),
        Err(e) => (None, Some(e.reason())),
    };
    Ok(Comparison {
        question: question.to_string(),
        item: item.map(str::to_string),
        by: by.word(),
        level,
        a: group(a, &va),
        b: group(b, &vb),
        welch,
        reason,
    })
}

/// A query value, unless absent or empty (an empty form field).
pub fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.is_empty())
}

/// The two things compared, `a` and `b`: both given, and not the same.
pub fn two_groups<'q>(
    a: &'q Option<String>,
    b: &'q Option<String>,
    problems: &mut Vec<FieldError>,
) -> (Option<&'q str>, Option<&'q str>) {
    let (a, b) = (given(a), given(b));
    if a.is_none() {
        problems.push(FieldError::new("a", Reason::Required));
    }
    if b.is_none() {
        problems.push(FieldError::new("b", Reason::Required));
    }
    if a.is_some() && a == b {
        problems.push(FieldError::new(
            "b",
            Reason::DifferFrom { other: "a".into() },
        ));
    }
    (a, b)
}

/// Welch's t-test of one scale item between two groups.
///
/// Welch's test does not assume equal variances. The answer gives the groups' n and
/// means, the difference mean(a) − mean(b) with its interval (Welch–Satterthwaite
/// degrees of freedom), t and the two-sided p-value. Groups come from a split (where
/// `unknown` is a group too) or a single-choice question (`by`). When the test is
/// undefined (fewer than two answers in a group, or no variance in
/// either) `welch` is absent and `reason` says why.
#[utoipa::path(get, path = "/surveys/{id}/compare", tag = "surveys", params(("id" = String, Path), CompareQuery),
    responses((status = 200, body = Comparison), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn compare(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<CompareQuery>,
) -> Result<Json<Comparison>, ApiError> {
    let level = level(q.level)?;
    let mut data = Data::load(&state, me, &id, q.partial.unwrap_or(false)).await?;
    data.resolve(&state, [q.by.as_deref()]).await?;
    Ok(Json(compare_of(&data, &q, level)?))
}
