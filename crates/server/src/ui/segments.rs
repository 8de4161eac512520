//! Segments in the browser: the provider's saved segments with their rules in words,
//! a form that saves a new one (one rule of each family; the API takes more), and a
//! delete. Each segment opens the journeys page narrowed to it.

use super::Shell;
use super::i18n::{Lang, Messages};
use super::labels::Vocabulary;
use super::session::SignedIn;
use super::{channel_name, phase_name};
use crate::error::ApiError;
use crate::segments;
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use motesplats_core::segment::{
    AnswerRuleInput, Segment, SegmentId, SegmentInput, SegmentRules, SegmentRulesInput,
    TraitRuleInput,
};
use motesplats_core::{FieldError, Label, Motivation, Phase};
use serde::Deserialize;
use serde_json::Value;

/// The new segment's form as posted; blanks are rules not given.
#[derive(Debug, Default, Deserialize)]
pub struct Fields {
    #[serde(default)]
    name: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    phase: String,
    #[serde(default)]
    motivation: String,
    #[serde(default)]
    trait_key: String,
    #[serde(default)]
    trait_value: String,
    #[serde(default)]
    survey: String,
    #[serde(default)]
    question: String,
    #[serde(default)]
    answer: String,
}

impl Fields {
    fn input(&self) -> SegmentInput {
        let given = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let one = |s: &str| given(s).map(|v| vec![v]);
        let traits =
            (given(&self.trait_key).is_some() || given(&self.trait_value).is_some()).then(|| {
                vec![TraitRuleInput {
                    key: given(&self.trait_key),
                    value: given(&self.trait_value).map(Value::String),
                }]
            });
        let answers = given(&self.survey).map(|survey| {
            vec![AnswerRuleInput {
                survey: Some(survey),
                question: given(&self.question),
                values: given(&self.answer).map(|a| vec![Value::String(a)]),
            }]
        });
        SegmentInput {
            name: Some(self.name.clone()),
            rules: Some(SegmentRulesInput {
                from: given(&self.from),
                to: given(&self.to),
                channels: one(&self.channel),
                phases: one(&self.phase),
                motivations: one(&self.motivation),
                traits,
                answers,
            }),
        }
    }
}

struct Row {
    id: String,
    name: String,
    rules: Vec<String>,
}

#[derive(Template)]
#[template(path = "segments.html")]
struct SegmentsPage {
    shell: Shell,
    rows: Vec<Row>,
    typed: Fields,
    problems: Vec<String>,
    channels: Vec<(String, String)>,
    phases: Vec<(String, String)>,
    motivations: Vec<(String, String)>,
    surveys: Vec<(String, String)>,
}

/// The rules of a segment in the reader's words, one line per rule.
fn in_words(
    lang: Lang,
    words: &Vocabulary,
    surveys: &[(String, String)],
    r: &SegmentRules,
) -> Vec<String> {
    let mut out = Vec::new();
    let day = |d: Option<chrono::NaiveDate>| d.map_or_else(|| "…".to_string(), |d| d.to_string());
    if r.from.is_some() || r.to.is_some() {
        out.push(format!(
            "{}: {} – {}",
            lang.t("segments-period"),
            day(r.from),
            day(r.to)
        ));
    }
    if !r.channels.is_empty() || !r.phases.is_empty() {
        let channels: Vec<String> = r
            .channels
            .iter()
            .map(|c| channel_name(lang, c.as_str(), &words.channels))
            .collect();
        let phases: Vec<String> = r
            .phases
            .iter()
            .map(|p| phase_name(lang, Some(*p)))
            .collect();
        out.push(format!(
            "{}: {} · {}",
            lang.t("segments-touch"),
            if channels.is_empty() {
                lang.t("segments-any")
            } else {
                channels.join(", ")
            },
            if phases.is_empty() {
                lang.t("segments-any")
            } else {
                phases.join(", ")
            },
        ));
    }
    if !r.motivations.is_empty() {
        let m: Vec<&str> = r.motivations.iter().map(|m| m.label(lang)).collect();
        out.push(format!(
            "{}: {}",
            lang.t("landscape-motivation"),
            m.join(", ")
        ));
    }
    for t in &r.traits {
        out.push(format!(
            "{}: {} = {}",
            lang.t("segments-trait"),
            t.key,
            t.value
        ));
    }
    for a in &r.answers {
        let survey = surveys
            .iter()
            .find(|(id, _)| *id == a.survey.to_string())
            .map_or_else(|| a.survey.to_string(), |(_, title)| title.clone());
        out.push(format!(
            "{}: {survey} · {} = {}",
            lang.t("segments-answer"),
            a.question.as_str(),
            a.values.join(", ")
        ));
    }
    if out.is_empty() {
        out.push(lang.t("segments-everyone"));
    }
    out
}

/// A refused field in the form's words: `rules.channels[0]` is the channel.
fn field_label(lang: Lang, field: &str) -> String {
    let labels = [
        ("name", "segments-name"),
        ("rules.from", "journeys-from"),
        ("rules.to", "journeys-to"),
        ("rules.channels", "journeys-channel"),
        ("rules.phases", "phase"),
        ("rules.motivations", "landscape-motivation"),
        ("rules.traits", "segments-trait"),
        ("rules.answers", "segments-answer"),
    ];
    labels
        .iter()
        .find(|(prefix, _)| field.starts_with(prefix))
        .map_or_else(|| field.to_string(), |(_, key)| lang.t(key))
}

async fn render(
    state: &AppState,
    lang: Lang,
    who: &SignedIn,
    typed: Fields,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let me = who.provider.id;
    let store = state.store.as_ref();
    let words = Vocabulary::of(store, me).await?;
    let surveys: Vec<(String, String)> = store
        .surveys(me)
        .await?
        .iter()
        .map(|s| (s.id.to_string(), s.title.best(lang).to_string()))
        .collect();
    let rows = store
        .segments(me)
        .await?
        .iter()
        .map(|s: &Segment| Row {
            id: s.id.to_string(),
            name: s.name.clone(),
            rules: in_words(lang, &words, &surveys, &s.rules),
        })
        .collect();
    let page = SegmentsPage {
        shell: Shell::signed_in(lang, "/segments", who),
        rows,
        typed,
        problems: errors
            .iter()
            .map(|e| {
                format!(
                    "{}: {}",
                    field_label(lang, &e.field),
                    lang.reason(&e.reason)
                )
            })
            .collect(),
        channels: words
            .channels
            .iter()
            .map(|c| {
                (
                    c.key.as_str().to_string(),
                    channel_name(lang, c.key.as_str(), &words.channels),
                )
            })
            .collect(),
        phases: [Phase::Before, Phase::During, Phase::After]
            .iter()
            .map(|p| (p.as_str().to_string(), phase_name(lang, Some(*p))))
            .collect(),
        motivations: Motivation::ALL
            .iter()
            .map(|m| (m.as_str().to_string(), m.label(lang).to_string()))
            .collect(),
        surveys,
    };
    let html = page
        .render()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((status, Html(html)).into_response())
}

/// `GET /segments`
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
) -> Result<Response, ApiError> {
    render(
        &state,
        lang,
        &who,
        Fields::default(),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /segments`: saves a new segment, or shows the form again with what was wrong.
pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Form(fields): Form<Fields>,
) -> Result<Response, ApiError> {
    let me = who.provider.id;
    match segments::save(&state, me, SegmentId::new(), &fields.input()).await {
        Ok(_) => Ok(Redirect::to("/segments").into_response()),
        Err(ApiError::Invalid(e) | ApiError::Conflict(e)) => {
            render(
                &state,
                lang,
                &who,
                fields,
                e.0,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

/// `POST /segments/{id}/delete`
pub async fn delete(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id: SegmentId = id.parse().map_err(|_| ApiError::NotFound)?;
    if !state.store.delete_segment(who.provider.id, id).await? {
        return Err(ApiError::NotFound);
    }
    Ok(Redirect::to("/segments").into_response())
}
