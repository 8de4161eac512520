//! The public response page of a survey: `/s/{survey}` shows the survey in the
//! respondent's language as a plain HTML form (no JavaScript), checks the answers with
//! the core's `Response::parse` and names each problem next to its question. "Save and
//! continue later" stores a partial response and sends the person to its own address,
//! `/s/{survey}/r/{response}`, where the form comes back filled in.
//!
//! Also a link as a QR code (`qr_svg`), which the API and the builder serve.

use crate::client::Client;
use crate::error::ApiError;
use crate::state::AppState;
use crate::survey_answers::{self, Target};
use crate::survey_invitation;
use crate::ui::i18n::Messages;
use crate::ui::i18n::{Lang, negotiate};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Utc;
use motesplats_core::survey::{
    Anchor, Answer, LocalText, Question, QuestionKind, Response as Saved, ResponseId,
    ResponseInput, Survey, SurveyId, SurveyStatus,
};
use motesplats_core::{Invalid, Reason};
use motesplats_store::StoredSurvey;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

fn language_name(language: Lang) -> &'static str {
    match language {
        Lang::Sv => "Svenska",
        Lang::En => "English",
    }
}

/// The language to show: the one asked for, else the saved response's, else the best
/// of Accept-Lang among the survey's languages, else the survey's first.
fn choose_language(
    survey: &Survey,
    asked: Option<&str>,
    saved: Option<Lang>,
    headers: &HeaderMap,
) -> Lang {
    let offered = |l: &Lang| survey.languages.contains(l);
    asked
        .and_then(|a| Lang::parse(a).ok())
        .filter(offered)
        .or(saved.filter(offered))
        .or_else(|| negotiate(headers, &survey.languages))
        .or_else(|| survey.languages.first().copied())
        .unwrap_or(Lang::Sv)
}

/// A link to the page in another of the survey's languages.
pub struct Switch {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
}

/// The frame of a respondent's page: its language and the language links.
pub struct Chrome {
    pub lang: Lang,
    pub switch: Vec<Switch>,
}

impl Chrome {
    fn new(survey: Option<&Survey>, language: Lang, path: &str) -> Self {
        let switch = survey
            .map(|s| s.languages.as_slice())
            .unwrap_or_default()
            .iter()
            .filter(|l| **l != language)
            .map(|l| Switch {
                code: l.as_str(),
                name: language_name(*l),
                href: format!(
                    "{path}{}lang={l}",
                    if path.contains('?') { '&' } else { '?' }
                ),
            })
            .collect();
        Chrome {
            lang: language,
            switch,
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }
}

/// One radio button or checkbox.
pub struct Choice {
    pub kind: &'static str,
    pub id: String,
    pub name: String,
    pub value: String,
    /// The point of a scale, shown large.
    pub number: Option<i32>,
    /// The option's label, or the anchor label of a scale point.
    pub label: Option<String>,
    pub checked: bool,
}

/// One statement of a matrix, answered on the matrix's scale.
pub struct Row {
    pub key: String,
    pub text: String,
    pub error: Option<String>,
    pub choices: Vec<Choice>,
}

pub struct QuestionView {
    pub key: String,
    pub text: String,
    pub required: bool,
    /// `scale` (scale, NPS, CSAT), `matrix`, `text`, `single` or `multiple`.
    pub kind: &'static str,
    pub hint: Option<String>,
    pub error: Option<String>,
    /// The ids of the hint and the error, for `aria-describedby`.
    pub described: Option<String>,
    pub choices: Vec<Choice>,
    pub rows: Vec<Row>,
    /// The labels of a scale's ends, shown under the points.
    pub ends: (String, String),
    pub text_value: String,
    pub max_length: usize,
}

pub struct SectionView {
    pub title: Option<String>,
    pub questions: Vec<QuestionView>,
}

/// A line of the error summary, linking to its question.
pub struct ErrorLink {
    pub target: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "survey_form.html")]
struct FormPage {
    chrome: Chrome,
    title: String,
    intro: Option<String>,
    action: String,
    language: &'static str,
    sections: Vec<SectionView>,
    errors: Vec<ErrorLink>,
    /// On a resumed save: the address to come back to.
    resume: Option<String>,
    /// A checked invitation: the person may link the answers to their profile.
    invite: Option<String>,
    consent: bool,
}

#[derive(Template)]
#[template(path = "survey_message.html")]
struct MessagePage {
    chrome: Chrome,
    title: String,
    heading: String,
    text: String,
}

fn html(status: StatusCode, page: impl Template) -> Result<Response, ApiError> {
    let body = page
        .render()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((status, Html(body)).into_response())
}

/// A page with a heading and a sentence; `key` names both messages (`key-title`,
/// `key-text`).
fn message(
    status: StatusCode,
    chrome: Chrome,
    title: Option<&str>,
    key: &str,
) -> Result<Response, ApiError> {
    let heading = chrome.t(&format!("{key}-title"));
    let page = MessagePage {
        title: title.map_or_else(|| heading.clone(), str::to_string),
        text: chrome.t(&format!("{key}-text")),
        heading,
        chrome,
    };
    html(status, page)
}

fn unknown(lang: Lang) -> Result<Response, ApiError> {
    let chrome = Chrome {
        lang,
        switch: Vec::new(),
    };
    message(StatusCode::NOT_FOUND, chrome, None, "survey-unknown")
}

/// A closed survey takes no answers.
fn gone(survey: &Survey, language: Lang, path: &str) -> Result<Response, ApiError> {
    let chrome = Chrome::new(Some(survey), language, path);
    let title = survey.title.best(language).to_string();
    message(StatusCode::GONE, chrome, Some(&title), "survey-closed")
}

/// Too many answers from this address: when to come back, in the page and the header.
fn busy(survey: &Survey, language: Lang, path: &str, secs: u64) -> Result<Response, ApiError> {
    let chrome = Chrome::new(Some(survey), language, path);
    let title = survey.title.best(language).to_string();
    let mut page = message(
        StatusCode::TOO_MANY_REQUESTS,
        chrome,
        Some(&title),
        "survey-busy",
    )?;
    page.headers_mut()
        .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
    Ok(page)
}

enum Found {
    Open(StoredSurvey),
    Closed(Survey),
    /// Unknown, or a draft: the public sees nothing of a draft.
    Unknown,
}

async fn find(state: &AppState, id: &str) -> Result<Found, ApiError> {
    let Ok(id) = id.parse::<SurveyId>() else {
        return Ok(Found::Unknown);
    };
    Ok(match survey_answers::public_survey(state, id).await {
        Err(ApiError::NotFound) => Found::Unknown,
        Err(e) => return Err(e),
        Ok(s) if s.survey.status == SurveyStatus::Open => Found::Open(s),
        Ok(s) => Found::Closed(s.survey),
    })
}

/// A partial save, by the id in its address and the token in its query; None when
/// either is missing or wrong, just as for an unknown response.
async fn saved(
    state: &AppState,
    stored: &StoredSurvey,
    raw: &str,
    token: Option<&str>,
) -> Result<Option<Saved>, ApiError> {
    let (Ok(id), Some(token)) = (raw.parse::<ResponseId>(), token) else {
        return Ok(None);
    };
    survey_answers::resumable(state, stored.owner, stored.survey.id, id, token).await
}

/// The invitation in a link, if its signature holds for this survey.
async fn checked_invite(
    state: &AppState,
    survey: SurveyId,
    raw: Option<&str>,
) -> Result<Option<String>, ApiError> {
    let Some(raw) = raw.filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    let key = survey_invitation::key(state).await?;
    Ok(survey_invitation::verify(&key, survey, raw, Utc::now()).map(|_| raw.to_string()))
}

/// The address of a partial save: the token opens it, the invitation comes along.
fn resume_path(survey: SurveyId, id: ResponseId, token: &str, invite: Option<&str>) -> String {
    let mut query = vec![("token", token)];
    query.extend(invite.map(|i| ("invite", i)));
    let query = serde_urlencoded::to_string(&query).unwrap_or_default();
    format!("/s/{survey}/r/{id}?{query}")
}

/// What the person entered, by form field name (`welcome`, `aspects.coffee`, ...).
type Entered = BTreeMap<String, Vec<String>>;

fn entered_from_form(pairs: &[(String, String)]) -> Entered {
    let mut entered = Entered::new();
    for (k, v) in pairs {
        if !matches!(k.as_str(), "language" | "action" | "_invite" | "_consent") {
            entered.entry(k.clone()).or_default().push(v.clone());
        }
    }
    entered
}

fn entered_from_saved(r: &Saved) -> Entered {
    let mut entered = Entered::new();
    for (key, answer) in &r.answers {
        let key = key.as_str().to_string();
        match answer {
            Answer::Point(p) => {
                entered.insert(key, vec![p.to_string()]);
            }
            Answer::Items(points) => {
                for (item, p) in points {
                    entered.insert(format!("{key}.{item}"), vec![p.to_string()]);
                }
            }
            Answer::Text(t) => {
                entered.insert(key, vec![t.clone()]);
            }
            Answer::Choice(c) => {
                entered.insert(key, vec![c.as_str().to_string()]);
            }
            Answer::Choices(cs) => {
                entered.insert(key, cs.iter().map(|c| c.as_str().to_string()).collect());
            }
        }
    }
    entered
}

/// A whole number as a JSON number; anything else is passed on for the core to refuse.
fn number(raw: &str) -> Value {
    let raw = raw.trim();
    if raw.is_empty() {
        Value::Null
    } else {
        raw.parse::<i64>()
            .map_or_else(|_| Value::String(raw.to_string()), Value::from)
    }
}

/// The core's input from the form: one answer per question that has something.
fn input_from(
    survey: &Survey,
    entered: &Entered,
    language: Lang,
    partial: bool,
    invitation: Option<String>,
) -> ResponseInput {
    let mut answers = Map::new();
    for q in survey.questions() {
        let key = q.key.as_str();
        let values = entered.get(key).map(Vec::as_slice).unwrap_or_default();
        let first = values.first().map(String::as_str).unwrap_or("");
        let value = match &q.kind {
            QuestionKind::Scale { .. } | QuestionKind::Nps { .. } | QuestionKind::Csat { .. } => {
                number(first)
            }
            QuestionKind::Matrix { .. } => {
                let prefix = format!("{key}.");
                let items: Map<String, Value> = entered
                    .iter()
                    .filter_map(|(name, v)| {
                        let item = name.strip_prefix(&prefix)?;
                        let n = number(v.first()?);
                        (!n.is_null()).then(|| (item.to_string(), n))
                    })
                    .collect();
                if items.is_empty() {
                    Value::Null
                } else {
                    Value::Object(items)
                }
            }
            QuestionKind::OpenText { .. } | QuestionKind::SingleChoice { .. } => {
                if first.is_empty() {
                    Value::Null
                } else {
                    Value::String(first.to_string())
                }
            }
            QuestionKind::MultipleChoice { .. } => {
                let chosen: Vec<Value> = values
                    .iter()
                    .filter(|v| !v.is_empty())
                    .map(|v| Value::String(v.clone()))
                    .collect();
                if chosen.is_empty() {
                    Value::Null
                } else {
                    Value::Array(chosen)
                }
            }
        };
        if !value.is_null() {
            answers.insert(key.to_string(), value);
        }
    }
    ResponseInput {
        answers: Some(answers),
        partial: Some(partial),
        language: Some(language.as_str().to_string()),
        consent: Some(invitation.is_some()),
        invitation,
    }
}

/// The respondent's words for what the core found wrong with an answer.
fn problem_text(lang: Lang, q: &Question, item: bool, reason: &Reason) -> String {
    if *reason == Reason::Required {
        return lang.t(if item {
            "survey-error-item-required"
        } else {
            "survey-error-required"
        });
    }
    match &q.kind {
        QuestionKind::Scale { .. }
        | QuestionKind::Matrix { .. }
        | QuestionKind::Nps { .. }
        | QuestionKind::Csat { .. } => match q.kind.scale() {
            Some(s) => lang.t_with(
                "survey-error-scale",
                &[("low", s.low().into()), ("high", s.high().into())],
            ),
            None => lang.t("survey-error-option"),
        },
        QuestionKind::SingleChoice { .. } => lang.t("survey-error-option"),
        QuestionKind::MultipleChoice {
            min_selections,
            max_selections,
            ..
        } => match reason {
            Reason::TooManyChoices { .. } => {
                lang.t_with("survey-error-too-many", &[("max", *max_selections as i64)])
            }
            Reason::TooFewChoices { .. } => {
                lang.t_with("survey-error-too-few", &[("min", *min_selections as i64)])
            }
            _ => lang.t("survey-error-option"),
        },
        QuestionKind::OpenText { max_length } => {
            if matches!(reason, Reason::TooLong { .. }) {
                lang.t_with("survey-error-too-long", &[("max", *max_length as i64)])
            } else {
                lang.t("survey-error-text")
            }
        }
    }
}

/// The problems of a refused response: per question, per matrix item, and the summary
/// in question order.
#[derive(Default)]
struct Problems {
    questions: HashMap<String, String>,
    items: HashMap<(String, String), String>,
    summary: Vec<ErrorLink>,
}

fn problems(survey: &Survey, language: Lang, invalid: &Invalid) -> Problems {
    let lang = language;
    let mut out = Problems::default();
    let mut matched = vec![false; invalid.0.len()];
    for q in survey.questions() {
        let key = q.key.as_str();
        let text = q.text.best(language);
        for (i, e) in invalid.0.iter().enumerate() {
            let Some(rest) = e.field.strip_prefix("answers.") else {
                continue;
            };
            let (qkey, item) = match rest.split_once('.') {
                Some((k, i)) => (k, Some(i)),
                None => (rest, None),
            };
            if qkey != key {
                continue;
            }
            matched[i] = true;
            let known_item = item.and_then(|it| match &q.kind {
                QuestionKind::Matrix { items, .. } => items.iter().find(|x| x.key.as_str() == it),
                _ => None,
            });
            match known_item {
                Some(it) => {
                    let msg = problem_text(lang, q, true, &e.reason);
                    out.summary.push(ErrorLink {
                        target: format!("q-{key}-{}", it.key),
                        text: format!("{text} {} — {msg}", it.text.best(language)),
                    });
                    out.items.insert((key.to_string(), it.key.to_string()), msg);
                }
                None => {
                    let msg = problem_text(lang, q, false, &e.reason);
                    if !out.questions.contains_key(key) {
                        out.summary.push(ErrorLink {
                            target: format!("q-{key}"),
                            text: format!("{text} — {msg}"),
                        });
                        out.questions.insert(key.to_string(), msg);
                    }
                }
            }
        }
    }
    // Anything not about a question (a tampered language, say) still shows.
    for (e, _) in invalid.0.iter().zip(matched).filter(|(_, m)| !m) {
        out.summary.push(ErrorLink {
            target: "survey-form".into(),
            text: format!("{}: {}", e.field, lang.reason(&e.reason)),
        });
    }
    out
}

fn anchor_label(anchors: &[Anchor], point: i32, language: Lang) -> Option<String> {
    anchors
        .iter()
        .find(|a| a.point == point)
        .map(|a| a.label.best(language).to_string())
}

fn points(
    name: &str,
    low: i32,
    high: i32,
    anchors: &[Anchor],
    language: Lang,
    entered: &Entered,
) -> Vec<Choice> {
    let chosen = entered.get(name).and_then(|v| v.first());
    (low..=high)
        .map(|p| Choice {
            kind: "radio",
            id: format!("f-{name}-{p}"),
            name: name.to_string(),
            value: p.to_string(),
            number: Some(p),
            label: anchor_label(anchors, p, language),
            checked: chosen.is_some_and(|c| c.trim() == p.to_string()),
        })
        .collect()
}

fn options<'a>(
    kind: &'static str,
    name: &str,
    opts: impl Iterator<Item = (&'a str, &'a LocalText)>,
    language: Lang,
    entered: &Entered,
) -> Vec<Choice> {
    let chosen = entered.get(name).map(Vec::as_slice).unwrap_or_default();
    opts.map(|(key, label)| Choice {
        kind,
        id: format!("f-{name}-{key}"),
        name: name.to_string(),
        value: key.to_string(),
        number: None,
        label: Some(label.best(language).to_string()),
        checked: chosen.iter().any(|c| c == key),
    })
    .collect()
}

fn question_view(
    q: &Question,
    language: Lang,
    entered: &Entered,
    problems: &Problems,
) -> QuestionView {
    let lang = language;
    let key = q.key.as_str();
    let mut view = QuestionView {
        key: key.to_string(),
        text: q.text.best(language).to_string(),
        required: q.required,
        kind: "scale",
        hint: None,
        error: problems.questions.get(key).cloned(),
        described: None,
        choices: Vec::new(),
        rows: Vec::new(),
        ends: (String::new(), String::new()),
        text_value: String::new(),
        max_length: 0,
    };
    let ends = |anchors: &[Anchor], low: i32, high: i32| {
        (
            anchor_label(anchors, low, language).unwrap_or_else(|| low.to_string()),
            anchor_label(anchors, high, language).unwrap_or_else(|| high.to_string()),
        )
    };
    match &q.kind {
        QuestionKind::Scale { anchors, .. }
        | QuestionKind::Nps { anchors }
        | QuestionKind::Csat { anchors } => {
            let scale = q.kind.scale().expect("these kinds have a scale");
            view.choices = points(key, scale.low(), scale.high(), anchors, language, entered);
            view.ends = ends(anchors, scale.low(), scale.high());
        }
        QuestionKind::Matrix { anchors, items, .. } => {
            let scale = q.kind.scale().expect("a matrix has a scale");
            view.kind = "matrix";
            view.ends = ends(anchors, scale.low(), scale.high());
            view.rows = items
                .iter()
                .map(|it| {
                    let name = format!("{key}.{}", it.key);
                    Row {
                        key: it.key.to_string(),
                        text: it.text.best(language).to_string(),
                        error: problems
                            .items
                            .get(&(key.to_string(), it.key.to_string()))
                            .cloned(),
                        choices: points(
                            &name,
                            scale.low(),
                            scale.high(),
                            anchors,
                            language,
                            entered,
                        ),
                    }
                })
                .collect();
        }
        QuestionKind::OpenText { max_length } => {
            view.kind = "text";
            view.max_length = *max_length;
            view.text_value = entered
                .get(key)
                .and_then(|v| v.first())
                .cloned()
                .unwrap_or_default();
            view.hint = Some(lang.t_with("survey-hint-max-length", &[("max", *max_length as i64)]));
        }
        QuestionKind::SingleChoice { options: opts } => {
            view.kind = "single";
            view.choices = options(
                "radio",
                key,
                opts.iter().map(|o| (o.key.as_str(), &o.label)),
                language,
                entered,
            );
        }
        QuestionKind::MultipleChoice {
            options: opts,
            min_selections,
            max_selections,
        } => {
            view.kind = "multiple";
            view.choices = options(
                "checkbox",
                key,
                opts.iter().map(|o| (o.key.as_str(), &o.label)),
                language,
                entered,
            );
            view.hint = Some(if *min_selections > 0 {
                lang.t_with(
                    "survey-hint-between",
                    &[
                        ("min", *min_selections as i64),
                        ("max", *max_selections as i64),
                    ],
                )
            } else {
                lang.t_with("survey-hint-at-most", &[("max", *max_selections as i64)])
            });
        }
    }
    let described: Vec<String> = [
        view.hint.as_ref().map(|_| format!("q-{key}-hint")),
        view.error.as_ref().map(|_| format!("q-{key}-error")),
    ]
    .into_iter()
    .flatten()
    .collect();
    view.described = (!described.is_empty()).then(|| described.join(" "));
    view
}

/// The form, filled with what was entered, with the problems named.
fn form_page(
    survey: &Survey,
    language: Lang,
    path: &str,
    entered: &Entered,
    problems: &Problems,
    resume: Option<String>,
    invite: Option<(String, bool)>,
) -> FormPage {
    let sections = survey
        .sections
        .iter()
        .map(|s| SectionView {
            title: s.title.as_ref().map(|t| t.best(language).to_string()),
            questions: s
                .questions
                .iter()
                .map(|q| question_view(q, language, entered, problems))
                .collect(),
        })
        .collect();
    FormPage {
        chrome: Chrome::new(Some(survey), language, path),
        title: survey.title.best(language).to_string(),
        intro: survey.intro.as_ref().map(|t| t.best(language).to_string()),
        action: path.to_string(),
        language: language.as_str(),
        sections,
        errors: problems
            .summary
            .iter()
            .map(|e| ErrorLink {
                target: e.target.clone(),
                text: e.text.clone(),
            })
            .collect(),
        resume,
        consent: invite.as_ref().is_some_and(|(_, c)| *c),
        invite: invite.map(|(i, _)| i),
    }
}

/// The query of a respondent's page.
#[derive(Deserialize)]
pub struct PageQuery {
    lang: Option<String>,
    /// The resume token of a partial save.
    token: Option<String>,
    /// A signed invitation from the provider.
    invite: Option<String>,
}

/// `GET /s/{id}`: the empty form; with a valid invitation, the choice to link the
/// answers to the person's profile.
pub async fn form(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
    fallback: Lang,
) -> Result<Response, ApiError> {
    let survey = match find(&state, &id).await? {
        Found::Open(s) => s.survey,
        Found::Closed(s) => {
            let language = choose_language(&s, q.lang.as_deref(), None, &headers);
            return gone(&s, language, &format!("/s/{}", s.id));
        }
        Found::Unknown => return unknown(fallback),
    };
    let language = choose_language(&survey, q.lang.as_deref(), None, &headers);
    let invite = checked_invite(&state, survey.id, q.invite.as_deref()).await?;
    let path = match &invite {
        Some(i) => format!(
            "/s/{}?{}",
            survey.id,
            serde_urlencoded::to_string([("invite", i)]).unwrap_or_default()
        ),
        None => format!("/s/{}", survey.id),
    };
    let page = form_page(
        &survey,
        language,
        &path,
        &Entered::new(),
        &Problems::default(),
        None,
        invite.map(|i| (i, false)),
    );
    html(StatusCode::OK, page)
}

/// `GET /s/{id}/r/{response}?token=…`: a partial save, filled in to continue. Without
/// the right token it is as unknown as a response that does not exist.
pub async fn resume(
    State(state): State<AppState>,
    Path((id, response)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
    fallback: Lang,
) -> Result<Response, ApiError> {
    let stored = match find(&state, &id).await? {
        Found::Open(s) => s,
        Found::Closed(s) => {
            let language = choose_language(&s, q.lang.as_deref(), None, &headers);
            return gone(&s, language, &format!("/s/{}", s.id));
        }
        Found::Unknown => return unknown(fallback),
    };
    let Some(prev) = saved(&state, &stored, &response, q.token.as_deref()).await? else {
        return unknown(fallback);
    };
    let survey = &stored.survey;
    let language = choose_language(survey, q.lang.as_deref(), Some(prev.language), &headers);
    let invite = checked_invite(&state, survey.id, q.invite.as_deref()).await?;
    let token = q.token.as_deref().unwrap_or_default();
    let path = resume_path(survey.id, prev.id, token, invite.as_deref());
    if prev.completed {
        let chrome = Chrome::new(Some(survey), language, &path);
        let title = survey.title.best(language).to_string();
        return message(StatusCode::OK, chrome, Some(&title), "survey-completed");
    }
    let page = form_page(
        survey,
        language,
        &path,
        &entered_from_saved(&prev),
        &Problems::default(),
        Some(path.clone()),
        invite.map(|i| (i, prev.consent)),
    );
    html(StatusCode::OK, page)
}

/// `POST /s/{id}`: a new response.
pub async fn submit(
    State(state): State<AppState>,
    client: Client,
    Path(id): Path<String>,
    headers: HeaderMap,
    fallback: Lang,
    body: Bytes,
) -> Result<Response, ApiError> {
    answer(&state, client, &id, None, &headers, fallback, &body).await
}

/// `POST /s/{id}/r/{response}?token=…`: the rest of a partial save.
pub async fn continue_answer(
    State(state): State<AppState>,
    client: Client,
    Path((id, response)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
    fallback: Lang,
    body: Bytes,
) -> Result<Response, ApiError> {
    let token = q.token.unwrap_or_default();
    let resumed = Some((response.as_str(), token.as_str()));
    answer(&state, client, &id, resumed, &headers, fallback, &body).await
}

async fn answer(
    state: &AppState,
    client: Client,
    id: &str,
    resumed: Option<(&str, &str)>,
    headers: &HeaderMap,
    fallback: Lang,
    body: &[u8],
) -> Result<Response, ApiError> {
    // Pairs, not a map: a multiple choice repeats its name.
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(body).map_err(|e| ApiError::Malformed(e.to_string()))?;
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let stored = match find(state, id).await? {
        Found::Open(s) => s,
        Found::Closed(s) => {
            let language = choose_language(&s, field("language"), None, headers);
            return gone(&s, language, &format!("/s/{}", s.id));
        }
        Found::Unknown => return unknown(fallback),
    };
    let survey = &stored.survey;
    let language = choose_language(survey, field("language"), None, headers);
    let partial = field("action") == Some("save");
    let invite = checked_invite(state, survey.id, field("_invite")).await?;
    let consent = invite.is_some() && field("_consent").is_some();
    let mut path = format!("/s/{}", survey.id);
    let mut target = Target::New;
    if let Some((raw, token)) = resumed {
        let Some(prev) = saved(state, &stored, raw, Some(token)).await? else {
            return unknown(fallback);
        };
        path = resume_path(survey.id, prev.id, token, invite.as_deref());
        if prev.completed {
            let chrome = Chrome::new(Some(survey), language, &path);
            let title = survey.title.best(language).to_string();
            return message(
                StatusCode::CONFLICT,
                chrome,
                Some(&title),
                "survey-completed",
            );
        }
        target = Target::Continue(prev.id, token);
    }
    let entered = entered_from_form(&pairs);
    let linked = invite.clone().filter(|_| consent);
    let input = input_from(survey, &entered, language, partial, linked);
    let written = match survey_answers::write(state, client, survey.id, &input, target).await {
        Ok(w) => w,
        Err(ApiError::Invalid(invalid)) => {
            let problems = problems(survey, language, &invalid);
            let resume = resumed.map(|_| path.clone());
            let invite = invite.map(|i| (i, consent));
            let page = form_page(survey, language, &path, &entered, &problems, resume, invite);
            return html(StatusCode::UNPROCESSABLE_ENTITY, page);
        }
        Err(ApiError::TooManyResponses(secs)) => return busy(survey, language, &path, secs),
        Err(ApiError::NotFound) => return unknown(fallback),
        Err(e) => return Err(e),
    };
    if partial {
        let token = written
            .resume_token
            .as_deref()
            .or(resumed.map(|(_, t)| t))
            .unwrap_or_default();
        let to = resume_path(survey.id, written.id, token, invite.as_deref());
        return Ok(Redirect::to(&to).into_response());
    }
    let chrome = Chrome {
        lang: language,
        switch: Vec::new(),
    };
    let title = survey.title.best(language).to_string();
    message(StatusCode::OK, chrome, Some(&title), "survey-thanks")
}

/// A link as a QR code in SVG.
pub fn qr_svg(link: &str) -> Result<Response, ApiError> {
    let code =
        qrcode::QrCode::new(link.as_bytes()).map_err(|e| ApiError::Internal(e.to_string()))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .build();
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        svg,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_with_numbers_are_filled_in() {
        assert_eq!(
            Lang::Sv.t_with("survey-error-scale", &[("low", 1), ("high", 5)]),
            "Välj ett värde från 1 till 5."
        );
        assert_eq!(
            Lang::En.t_with("survey-error-too-many", &[("max", 2)]),
            "Choose at most 2 options."
        );
    }
}
