//! The provider's surveys and their results: per question the figures of the core's
//! `SurveyResults` as `figures` words them (charts, plain words, the method, open
//! answers with their codes). Below them, plain GET forms (no JavaScript): the figures per split, a
//! cross-tab with Pearson's chi-square test, Welch's test of two groups, and the
//! results and responses as CSV (served from this page's address, `?export=results`
//! or `?export=responses`, so the signed-in session is enough).

use super::figures::{Coded, QuestionView, cell, decimal, integer, question_views};
use crate::api::survey_analysis::{
    self as analysis, CompareQuery, Comparison, CrossTabResult, Data, csv_response,
};
use crate::api::surveys::responses_csv;
use crate::error::ApiError;
use crate::state::AppState;
use crate::ui::Shell;
use crate::ui::i18n::Lang;
use crate::ui::i18n::Messages;
use crate::ui::session::SignedIn;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use motesplats_core::segment::Segment;
use motesplats_core::survey::{
    Dimension, Figures, QuestionKind, SEGMENT_PREFIX, Split, Survey, SurveyId, UNKNOWN,
};
use motesplats_core::{Channel, Invalid};
use serde::Deserialize;

const LEVEL: f64 = 0.95;

pub struct SurveyLine {
    pub id: String,
    pub title: String,
    pub status: String,
    pub version: u32,
}

#[derive(Template)]
#[template(path = "survey_list.html")]
struct ListPage {
    shell: Shell,
    surveys: Vec<SurveyLine>,
}

pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
) -> Result<Html<String>, ApiError> {
    let surveys = state
        .store
        .surveys(who.provider.id)
        .await?
        .into_iter()
        .map(|s| SurveyLine {
            id: s.id.to_string(),
            title: s.title.best(lang).to_string(),
            status: lang.t(&format!("builder-status-{}", s.status.as_str())),
            version: s.version,
        })
        .collect();
    let page = ListPage {
        shell: Shell::signed_in(lang, "/surveys", &who),
        surveys,
    };
    Ok(Html(
        page.render()
            .map_err(|e| ApiError::Internal(e.to_string()))?,
    ))
}

#[derive(Template)]
#[template(path = "survey_results.html")]
struct ResultsPage {
    shell: Shell,
    id: String,
    title: String,
    responses: String,
    questions: Vec<QuestionView>,
    analysis: Analysis,
}

/// An option of a select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// A hidden field that carries another form's state along.
pub struct Hidden {
    pub name: &'static str,
    pub value: String,
}

/// The figures of every scale item per split value.
pub struct SplitTable {
    /// "All", then each value with its number of responses.
    pub groups: Vec<String>,
    pub rows: Vec<SplitRow>,
}

pub struct SplitRow {
    pub label: String,
    /// Per group, the lines of its cell.
    pub cells: Vec<Vec<String>>,
}

pub struct CrossTabRow {
    pub label: String,
    pub counts: Vec<u64>,
    pub total: u64,
}

pub struct CrossTabView {
    pub rows_label: String,
    pub columns_label: String,
    pub column_labels: Vec<String>,
    pub rows: Vec<CrossTabRow>,
    pub column_totals: Vec<u64>,
    pub n: u64,
    /// The test, or why it is undefined.
    pub test: String,
    pub warning: Option<String>,
}

/// The analysis forms and what they found.
pub struct Analysis {
    pub splits: Vec<Choice>,
    pub split_error: Option<String>,
    pub split_hidden: Vec<Hidden>,
    pub table: Option<SplitTable>,
    pub rows: Vec<Choice>,
    pub columns: Vec<Choice>,
    pub crosstab_hidden: Vec<Hidden>,
    pub crosstab: Option<CrossTabView>,
    pub crosstab_error: Option<String>,
    pub compare_questions: Vec<Choice>,
    pub compare_by: Vec<Choice>,
    pub a: String,
    pub b: String,
    pub compare_hidden: Vec<Hidden>,
    /// The groups the chosen `by` has among the responses.
    pub groups_hint: Option<String>,
    pub comparison: Option<Vec<String>>,
    pub compare_error: Option<String>,
    pub results_csv: String,
    pub responses_csv: String,
}

/// The page's query: the analysis forms' fields, and `export` for a CSV.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    split: Option<String>,
    rows: Option<String>,
    columns: Option<String>,
    /// A scale question, or `key.item` for a matrix item.
    compare: Option<String>,
    by: Option<String>,
    a: Option<String>,
    b: Option<String>,
    /// `results` or `responses`.
    export: Option<String>,
}

/// An interval in the page's numbers; a semicolon parts the ends, since Swedish
/// writes a decimal comma.
fn interval(lower: f64, upper: f64, lang: Lang) -> String {
    format!("[{}; {}]", decimal(lower, 2, lang), decimal(upper, 2, lang))
}

pub async fn results(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, ApiError> {
    let shell = Shell::signed_in(lang, &format!("/surveys/{id}"), &who);
    let survey = match id.parse::<SurveyId>() {
        Ok(sid) => state
            .store
            .survey(Some(who.provider.id), sid)
            .await?
            .map(|s| s.survey),
        Err(_) => None,
    };
    let Some(survey) = survey else {
        return crate::ui::people::not_found(shell);
    };
    let mut data = Data::with_responses(survey, who.provider.clone(), &state, false).await?;
    data.resolve(
        &state,
        [&query.split, &query.rows, &query.columns, &query.by].map(|w| w.as_deref()),
    )
    .await?;
    let data = data;
    let split = analysis::split(&data, query.split.as_deref());
    match query.export.as_deref() {
        Some("results") => {
            let body = analysis::results_csv(&data, split.clone().ok().flatten(), LEVEL)?;
            return Ok(csv_response(body, "results.csv"));
        }
        Some("responses") => {
            let all = state
                .store
                .responses(who.provider.id, data.survey.id)
                .await?;
            let body = responses_csv(&data.survey, &all)?;
            return Ok(csv_response(body, "responses.csv"));
        }
        _ => {}
    }
    let channels = state.store.channels(who.provider.id).await?;
    let saved = state.store.segments(who.provider.id).await?;
    let survey = &data.survey;
    let codings = state.store.codings(who.provider.id, survey.id).await?;
    let book = crate::survey_export::codebook(state.store.as_ref(), who.provider.id).await?;
    let coded = Coded {
        responses: &data.responses,
        codings: &codings,
        book: &book,
    };
    let questions = question_views(lang, survey, &data.results(None, LEVEL), &coded);
    let page = ResultsPage {
        shell,
        id: survey.id.to_string(),
        title: survey.title.best(lang).to_string(),
        responses: integer(data.responses.len(), lang),
        questions,
        analysis: analyse(lang, &data, &channels, &saved, &query, split),
    };
    Ok(Html(
        page.render()
            .map_err(|e| ApiError::Internal(e.to_string()))?,
    )
    .into_response())
}

/// What a form field holds, empty when absent.
fn field(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn problems(e: &Invalid, lang: Lang) -> String {
    e.0.iter()
        .map(|f| format!("{}: {}", f.field, lang.reason(&f.reason)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A dimension's word for people.
fn dimension_name(lang: Lang, dimension: Dimension) -> String {
    lang.t(&format!("survey-split-{}", dimension.as_str()))
}

/// A split value for people: channels and phases in the page's language, the rest
/// as the core labels them.
fn split_value(
    lang: Lang,
    data: &Data,
    channels: &[Channel],
    split: &Split,
    value: &str,
) -> String {
    if value == UNKNOWN {
        return lang.t("survey-unknown");
    }
    match split {
        Split::Dimension(Dimension::Channel) => crate::ui::channel_name(lang, value, channels),
        Split::Dimension(Dimension::Phase) => {
            crate::ui::phase_name(lang, motesplats_core::Phase::parse(value).ok())
        }
        _ => split.label(&data.survey, &data.provider, value, lang),
    }
}

/// The provider's saved segments as splits for the selects, after the built-in ones:
/// `segment:<id>` and "Segment: name".
fn segment_options(lang: Lang, saved: &[Segment]) -> Vec<(String, String)> {
    saved
        .iter()
        .map(|s| {
            (
                format!("{SEGMENT_PREFIX}{}", s.id),
                format!("{}: {}", lang.t("survey-split-segment"), s.name),
            )
        })
        .collect()
}

/// A question (or matrix item) that splits responses, for the selects: the word and
/// its text.
fn splittable(survey: &Survey, l: Lang, numeric_only: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for q in survey.questions() {
        let text = q.text.best(l).to_string();
        match &q.kind {
            QuestionKind::Matrix { items, .. } => {
                for i in items {
                    out.push((
                        format!("{}.{}", q.key, i.key),
                        format!("{text} – {}", i.text.best(l)),
                    ));
                }
            }
            QuestionKind::SingleChoice { .. } if !numeric_only => {
                out.push((q.key.to_string(), text))
            }
            kind if kind.scale().is_some() => out.push((q.key.to_string(), text)),
            _ => {}
        }
    }
    out
}

fn choices(lang: Lang, none: &str, options: Vec<(String, String)>, selected: &str) -> Vec<Choice> {
    std::iter::once((String::new(), lang.t(none)))
        .chain(options)
        .map(|(value, label)| Choice {
            selected: value == selected,
            value,
            label,
        })
        .collect()
}

/// The dimensions for the cross-tab and comparison selects, except those whose word is
/// also a question key of the survey (the question wins, see `Split::parse`).
fn dimension_options(lang: Lang, survey: &Survey) -> Vec<(String, String)> {
    Dimension::ALL
        .iter()
        .filter(|s| survey.question(s.as_str()).is_none())
        .map(|s| {
            (
                s.as_str().to_string(),
                format!("{}: {}", lang.t("survey-split"), dimension_name(lang, *s)),
            )
        })
        .collect()
}

fn hidden(pairs: &[(&'static str, &Option<String>)]) -> Vec<Hidden> {
    pairs
        .iter()
        .filter_map(|(name, v)| {
            v.as_deref().filter(|v| !v.is_empty()).map(|value| Hidden {
                name,
                value: value.to_string(),
            })
        })
        .collect()
}

fn split_table(lang: Lang, data: &Data, channels: &[Channel], split: Split) -> SplitTable {
    let l = lang;
    let results = data.results(Some(split), LEVEL);
    let mut groups = vec![format!(
        "{} (n = {})",
        lang.t("survey-split-all"),
        data.responses.len()
    )];
    let mut columns = vec![&results.questions];
    for g in &results.splits {
        groups.push(format!(
            "{} (n = {})",
            split_value(lang, data, channels, &split, &g.value),
            g.responses
        ));
        columns.push(&g.questions);
    }
    let mut rows = Vec::new();
    for (i, r) in results.questions.iter().enumerate() {
        let (Figures::Scale { items, .. }, Some(q)) = (&r.figures, data.survey.question(&r.key))
        else {
            continue;
        };
        let text = q.text.best(l);
        for (j, item) in items.iter().enumerate() {
            let label = match (&q.kind, &item.item) {
                (QuestionKind::Matrix { items, .. }, Some(key)) => items
                    .iter()
                    .find(|m| m.key.as_str() == key)
                    .map_or(key.clone(), |m| format!("{text} – {}", m.text.best(l))),
                _ => text.to_string(),
            };
            let cells = columns
                .iter()
                .map(|c| match &c[i].figures {
                    Figures::Scale { items, .. } => cell(lang, &items[j], results.min_n),
                    _ => vec![],
                })
                .collect();
            rows.push(SplitRow { label, cells });
        }
    }
    SplitTable { groups, rows }
}

fn crosstab_view(lang: Lang, data: &Data, channels: &[Channel], t: CrossTabResult) -> CrossTabView {
    let name = |word: &str| -> String {
        match Split::parse(&data.survey, word, "", &data.segments) {
            Ok(Split::Dimension(s)) => dimension_name(lang, s),
            Ok(Split::Segment(m)) => format!("{}: {}", lang.t("survey-split-segment"), m.name),
            _ => splittable(&data.survey, lang, false)
                .into_iter()
                .find(|(w, _)| w == word)
                .map_or_else(|| word.to_string(), |(_, text)| text),
        }
    };
    let label = |word: &str, value: &str, fallback: &str| -> String {
        match Split::parse(&data.survey, word, "", &data.segments) {
            Ok(split) => split_value(lang, data, channels, &split, value),
            Err(_) => fallback.to_string(),
        }
    };
    let test = match (&t.chi_square, &t.chi_square_reason) {
        (Some(c), _) => format!(
            "{}: χ² = {}, df = {}, p = {}, Cramér's V = {}, n = {}",
            lang.t("survey-chi-square"),
            decimal(c.statistic, 3, lang),
            c.df,
            p_value(c.p_value, lang),
            decimal(c.cramers_v, 2, lang),
            integer(c.n as usize, lang)
        ),
        (None, reason) => format!(
            "{} {}",
            lang.t("survey-chi-square-undefined"),
            reason.as_ref().map(|r| lang.reason(r)).unwrap_or_default()
        ),
    };
    let warning = (t.chi_square.is_some() && t.expected_below_five > 0).then(|| {
        format!(
            "{} {}",
            t.expected_below_five,
            lang.t("survey-expected-below-five")
        )
    });
    CrossTabView {
        rows_label: name(&t.rows),
        columns_label: name(&t.columns),
        column_labels: t
            .column_labels
            .iter()
            .map(|c| label(&t.columns, &c.value, &c.label))
            .collect(),
        rows: t
            .row_labels
            .iter()
            .zip(&t.counts)
            .zip(&t.row_totals)
            .map(|((r, counts), total)| CrossTabRow {
                label: label(&t.rows, &r.value, &r.label),
                counts: counts.clone(),
                total: *total,
            })
            .collect(),
        column_totals: t.column_totals.clone(),
        n: t.n,
        test,
        warning,
    }
}

fn p_value(p: f64, lang: Lang) -> String {
    if p < 0.001 {
        format!("< {}", decimal(0.001, 3, lang))
    } else {
        decimal(p, 3, lang)
    }
}

fn comparison_lines(lang: Lang, data: &Data, channels: &[Channel], c: &Comparison) -> Vec<String> {
    let split = Split::parse(&data.survey, &c.by, "by", &data.segments).ok();
    let group = |name: &str, g: &analysis::GroupFigures| {
        let label = match &split {
            Some(s) => split_value(lang, data, channels, s, &g.value),
            None => g.label.clone(),
        };
        let mean = g.mean.map_or("–".to_string(), |m| decimal(m, 2, lang));
        format!(
            "{name} ({label}): {} {mean}, n = {}",
            lang.t("survey-mean"),
            integer(g.n, lang)
        )
    };
    let mut lines = vec![
        group(&lang.t("survey-compare-a"), &c.a),
        group(&lang.t("survey-compare-b"), &c.b),
    ];
    match (&c.welch, &c.reason) {
        (Some(w), _) => lines.push(format!(
            "{} {} {}; t = {}, df = {}, p = {}",
            lang.t("survey-compare-difference"),
            decimal(w.mean_difference, 2, lang),
            interval(w.ci.lower, w.ci.upper, lang),
            decimal(w.t, 3, lang),
            decimal(w.df, 1, lang),
            p_value(w.p_value, lang)
        )),
        (None, reason) => lines.push(format!(
            "{} {}",
            lang.t("survey-compare-undefined"),
            reason.as_ref().map(|r| lang.reason(r)).unwrap_or_default()
        )),
    }
    lines
}

fn analyse(
    lang: Lang,
    data: &Data,
    channels: &[Channel],
    saved: &[Segment],
    q: &PageQuery,
    split: Result<Option<Split>, Invalid>,
) -> Analysis {
    let l = lang;
    let survey = &data.survey;
    let id = survey.id;
    let word = field(&q.split);
    let (table, split_error) = match &split {
        Ok(Some(s)) => (Some(split_table(lang, data, channels, *s)), None),
        Ok(None) => (None, None),
        Err(e) => (None, Some(problems(e, lang))),
    };
    let valid_split = split.ok().flatten();

    let asked = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.is_empty());
    let (crosstab, crosstab_error) = if asked(&q.rows) || asked(&q.columns) {
        match analysis::crosstab_of(data, q.rows.as_deref(), q.columns.as_deref()) {
            Ok(t) => (Some(crosstab_view(lang, data, channels, t)), None),
            Err(e) => (None, Some(problems(&e, lang))),
        }
    } else {
        (None, None)
    };

    let (comparison, compare_error) =
        if asked(&q.compare) || asked(&q.by) || asked(&q.a) || asked(&q.b) {
            let (question, item) = match q.compare.as_deref().and_then(|c| c.split_once('.')) {
                Some((k, i)) => (Some(k.to_string()), Some(i.to_string())),
                None => (q.compare.clone(), None),
            };
            let cq = CompareQuery {
                question,
                item,
                by: q.by.clone(),
                a: q.a.clone(),
                b: q.b.clone(),
                ..CompareQuery::default()
            };
            match analysis::compare_of(data, &cq, LEVEL) {
                Ok(c) => (Some(comparison_lines(lang, data, channels, &c)), None),
                Err(e) => (None, Some(problems(&e, lang))),
            }
        } else {
            (None, None)
        };
    let groups_hint =
        q.by.as_deref()
            .filter(|b| !b.is_empty())
            .and_then(|b| Split::parse(survey, b, "by", &data.segments).ok())
            .map(|split| {
                let mut seen: Vec<_> = data
                    .responses
                    .iter()
                    .filter_map(|r| split.category(survey, &data.provider, r))
                    .collect();
                seen.sort();
                seen.dedup();
                seen.into_iter()
                    .map(|c| {
                        format!(
                            "{} ({})",
                            c.key,
                            split_value(lang, data, channels, &split, &c.key)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            });

    let mut split_words: Vec<(String, String)> = Dimension::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), dimension_name(lang, *s)))
        .collect();
    split_words.extend(segment_options(lang, saved));
    let mut columns = splittable(survey, l, false);
    columns.extend(dimension_options(lang, survey));
    columns.extend(segment_options(lang, saved));
    let mut by: Vec<(String, String)> = splittable(survey, l, false)
        .into_iter()
        .filter(|(w, _)| {
            survey
                .question(w)
                .is_some_and(|q| matches!(q.kind, QuestionKind::SingleChoice { .. }))
        })
        .collect();
    by.extend(dimension_options(lang, survey));
    by.extend(segment_options(lang, saved));
    let export = |what: &str| match valid_split {
        Some(s) if what == "results" => format!("/surveys/{id}?export=results&split={s}"),
        _ => format!("/surveys/{id}?export={what}"),
    };
    Analysis {
        splits: choices(lang, "survey-split-none", split_words, &word),
        split_error,
        split_hidden: hidden(&[
            ("rows", &q.rows),
            ("columns", &q.columns),
            ("compare", &q.compare),
            ("by", &q.by),
            ("a", &q.a),
            ("b", &q.b),
        ]),
        table,
        rows: choices(
            lang,
            "survey-choose",
            splittable(survey, l, false),
            &field(&q.rows),
        ),
        columns: choices(lang, "survey-choose", columns, &field(&q.columns)),
        crosstab_hidden: hidden(&[
            ("split", &q.split),
            ("compare", &q.compare),
            ("by", &q.by),
            ("a", &q.a),
            ("b", &q.b),
        ]),
        crosstab,
        crosstab_error,
        compare_questions: choices(
            lang,
            "survey-choose",
            splittable(survey, l, true),
            &field(&q.compare),
        ),
        compare_by: choices(lang, "survey-choose", by, &field(&q.by)),
        a: field(&q.a),
        b: field(&q.b),
        compare_hidden: hidden(&[
            ("split", &q.split),
            ("rows", &q.rows),
            ("columns", &q.columns),
        ]),
        groups_hint,
        comparison,
        compare_error,
        results_csv: export("results"),
        responses_csv: export("responses"),
    }
}
