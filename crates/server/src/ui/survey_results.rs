//! The provider's surveys and their results: per scale question a diverging bar of
//! the answers, the mean with its interval and the top-two-box share; NPS with its
//! interval.

use super::Shell;
use super::chart::{Diverging, DivergingBars};
use super::i18n::Lang;
use super::session::SignedIn;
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use motesplats_core::survey::{
    Language, QuestionKind, Survey, SurveyId, describe_scale, nps, scale_values, top_two_box,
};

const LEVEL: f64 = 0.95;

fn language(lang: Lang) -> Language {
    match lang {
        Lang::Sv => Language::Sv,
        Lang::En => Language::En,
    }
}

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
            title: s.title.best(language(lang)).to_string(),
            status: s.status.as_str().to_string(),
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

/// One question's figures, ready to show.
pub struct QuestionView {
    pub text: String,
    pub n: usize,
    /// Lines such as "Mean 3.75 [2.9, 4.6]".
    pub figures: Vec<String>,
    pub chart: Option<String>,
}

#[derive(Template)]
#[template(path = "survey_results.html")]
struct ResultsPage {
    shell: Shell,
    id: String,
    title: String,
    responses: usize,
    questions: Vec<QuestionView>,
}

fn interval(lower: f64, upper: f64) -> String {
    format!("[{lower:.2}, {upper:.2}]")
}

fn view(
    lang: Lang,
    survey: &Survey,
    q: &motesplats_core::survey::Question,
    responses: &[motesplats_core::survey::Response],
) -> QuestionView {
    let l = language(lang);
    let text = q.text.best(l).to_string();
    let items: Vec<(Option<&str>, String)> = match &q.kind {
        QuestionKind::Scale { .. } | QuestionKind::Csat { .. } => vec![(None, text.clone())],
        QuestionKind::Matrix { items, .. } => items
            .iter()
            .map(|i| (Some(i.key.as_str()), i.text.best(l).to_string()))
            .collect(),
        QuestionKind::Nps { .. } => {
            let values = scale_values(responses, q.key.as_str(), None);
            let figures = match nps(&values, LEVEL) {
                Ok(n) => vec![format!(
                    "{} {:.0} {}",
                    lang.t("survey-nps"),
                    n.score,
                    interval(n.ci.lower, n.ci.upper)
                )],
                Err(_) => vec![lang.t("survey-no-answers")],
            };
            return QuestionView {
                text,
                n: values.len(),
                figures,
                chart: None,
            };
        }
        _ => {
            return QuestionView {
                text,
                n: responses
                    .iter()
                    .filter(|r| r.answers.contains_key(&q.key))
                    .count(),
                figures: vec![],
                chart: None,
            };
        }
    };
    let mut bars = Vec::new();
    let mut figures = Vec::new();
    let mut n = 0;
    let mut points: Vec<String> = Vec::new();
    for (item, label) in items {
        let Ok((scale, values)) = survey.scale_answers(responses, q.key.as_str(), item) else {
            continue;
        };
        n = n.max(values.len());
        points = (scale.low()..=scale.high())
            .map(|p| p.to_string())
            .collect();
        match describe_scale(&values, scale, LEVEL) {
            Ok(d) => {
                bars.push(Diverging {
                    label: label.clone(),
                    shares: d.distribution.iter().map(|p| p.share).collect(),
                });
                let mut line = format!(
                    "{label}: {} {:.2} {}",
                    lang.t("survey-mean"),
                    d.summary.mean,
                    interval(d.summary.ci.lower, d.summary.ci.upper)
                );
                if let Ok(t) = top_two_box(&values, scale, LEVEL) {
                    line += &format!(
                        " · {} {:.0} % {}",
                        lang.t("survey-top-two"),
                        t.proportion * 100.0,
                        interval(t.ci.lower * 100.0, t.ci.upper * 100.0)
                    );
                }
                figures.push(line);
            }
            Err(_) => figures.push(format!("{label}: {}", lang.t("survey-no-answers"))),
        }
    }
    let chart = (!bars.is_empty())
        .then(|| {
            DivergingBars::new(
                format!("chart-{}", q.key.as_str()),
                text.clone(),
                &points,
                bars,
            )
            .render()
            .ok()
        })
        .flatten();
    QuestionView {
        text,
        n,
        figures,
        chart,
    }
}

pub async fn results(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let shell = Shell::signed_in(lang, &format!("/surveys/{id}"), &who);
    let survey = match id.parse::<SurveyId>() {
        Ok(sid) => state
            .store
            .survey(Some(who.provider.id), sid)
            .await?
            .map(|(_, s)| s),
        Err(_) => None,
    };
    let Some(survey) = survey else {
        return super::people::not_found(shell);
    };
    let mut responses = state.store.responses(who.provider.id, survey.id).await?;
    responses.retain(|r| r.completed);
    let questions = survey
        .questions()
        .map(|q| view(lang, &survey, q, &responses))
        .collect();
    let page = ResultsPage {
        shell,
        id: survey.id.to_string(),
        title: survey.title.best(language(lang)).to_string(),
        responses: responses.len(),
        questions,
    };
    Ok(Html(
        page.render()
            .map_err(|e| ApiError::Internal(e.to_string()))?,
    )
    .into_response())
}
