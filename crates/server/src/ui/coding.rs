//! Coding a survey's open answers by hand: each answer with its coded spans marked,
//! the automatic suggestions to accept with one click, a form to code any words of
//! it, the codings to remove or send to a research project as quotes; below, the code
//! frequencies, two coders' agreement (Cohen's kappa) and the mean score by code.
//! Plain forms work without JavaScript; `coding.js` only fills in selected words.

use super::Shell;
use super::i18n::Lang;
use super::session::SignedIn;
use crate::api::coding::{
    code_span, codebook_of, codes_csv_of, fresh_suggestions, quote_of, uncode,
};
use crate::api::surveys::mine;
use crate::error::ApiError;
use crate::state::AppState;
use crate::ui::i18n::Messages;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use motesplats_core::Reason;
use motesplats_core::coding::{
    Agreement, Coding, CodingId, CodingInput, Frequencies, Join, JoinOn, agreement, frequencies,
    join, segments, suggest::Suggester,
};
use motesplats_core::research::Project;
use motesplats_core::survey::{QuestionKind, ResponseId, Survey};
use serde::Deserialize;
use uuid::Uuid;

const LEVEL: f64 = 0.95;

/// A piece of an answer, marked when coded.
pub struct Piece {
    pub text: String,
    /// The code names over it; empty when not coded.
    pub codes: String,
}

pub struct CodingLine {
    pub id: String,
    pub code: String,
    pub quote: String,
    pub coder: String,
}

/// A suggestion to accept: the code and the first place its cue matched.
pub struct Offer {
    pub code: String,
    pub name: String,
    pub start: usize,
    pub end: usize,
    pub words: String,
}

/// One open answer of one response.
pub struct AnswerView {
    pub response: String,
    /// The language the answer is written in, for its `lang` attribute.
    pub lang: &'static str,
    pub question: String,
    pub question_text: String,
    pub pieces: Vec<Piece>,
    pub codings: Vec<CodingLine>,
    pub offers: Vec<Offer>,
    /// Why the last try to code it was refused, with the words tried.
    pub problem: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "coding.html")]
struct CodingPage {
    shell: Shell,
    id: String,
    title: String,
    coder: String,
    codes: Vec<(String, String)>,
    answers: Vec<AnswerView>,
    projects: Vec<(String, String)>,
    frequencies: Frequencies,
    coders: Vec<String>,
    agreement: Option<Agreement>,
    scale_questions: Vec<(String, String)>,
    join: Option<Join>,
    lang_sv: bool,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct Analyses {
    a: Option<String>,
    b: Option<String>,
    question: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct SpanForm {
    response_id: String,
    question: String,
    code: String,
    /// The words to code, as they stand in the answer (the form's way)…
    words: Option<String>,
    /// …or a suggestion's exact place.
    start: Option<usize>,
    end: Option<usize>,
}

#[derive(Deserialize)]
pub struct QuoteForm {
    coding: String,
    project: String,
}

/// The span of the first place `words` stand in `text`, in characters; exact case
/// first, then any case.
fn find_words(text: &str, words: &str) -> Option<(usize, usize)> {
    let words = words.trim();
    if words.is_empty() {
        return None;
    }
    let byte = text.find(words).or_else(|| {
        let lower = text.to_lowercase();
        // Lower-casing may change lengths; only trust it when it does not.
        (lower.len() == text.len())
            .then(|| lower.find(&words.to_lowercase()))
            .flatten()
    })?;
    let start = text[..byte].chars().count();
    Some((start, start + words.chars().count()))
}

async fn render(
    state: &AppState,
    lang: Lang,
    who: &SignedIn,
    id: &str,
    analyses: Analyses,
    problem: Option<(String, String, String, String)>,
) -> Result<Response, ApiError> {
    let shell = Shell::signed_in(lang, &format!("/surveys/{id}/coding"), who);
    let me = who.provider.id;
    let survey = match mine(state, me, id).await {
        Ok(s) => s,
        Err(ApiError::NotFound) => return super::people::not_found(shell),
        Err(e) => return Err(e),
    };
    let language = lang;
    let book = codebook_of(state, me).await?;
    let responses = state.store.responses(me, survey.id).await?;
    let codings = state.store.codings(me, survey.id).await?;
    let names: Vec<(String, String)> = book
        .tree()
        .iter()
        .map(|(depth, c)| {
            (
                c.key.to_string(),
                format!(
                    "{}{}",
                    "· ".repeat(depth.saturating_sub(1)),
                    c.name(language)
                ),
            )
        })
        .collect();
    let plain_name = |key: &str| {
        book.code(key)
            .map_or_else(|| key.to_string(), |c| c.name(language).to_string())
    };
    let suggester = Suggester::value_landscape();
    let open: Vec<_> = survey
        .questions()
        .filter(|q| matches!(q.kind, QuestionKind::OpenText { .. }))
        .collect();
    let mut answers = Vec::new();
    for r in responses.iter().rev().filter(|r| r.completed).take(200) {
        for q in &open {
            let Some(motesplats_core::survey::Answer::Text(text)) = r.answers.get(&q.key) else {
                continue;
            };
            let mine: Vec<&Coding> = codings
                .iter()
                .filter(|c| c.response_id == r.id && c.question.as_str() == q.key.as_str())
                .collect();
            let pieces = segments(text, &mine)
                .into_iter()
                .map(|s| Piece {
                    text: s.text.to_string(),
                    codes: s
                        .codings
                        .iter()
                        .map(|c| plain_name(c.code.as_str()))
                        .collect::<Vec<_>>()
                        .join(", "),
                })
                .collect();
            let offers = fresh_suggestions(
                &suggester,
                &book,
                &codings,
                r,
                &survey.languages,
                q.key.as_str(),
                text,
            )
            .into_iter()
            .filter_map(|s| {
                let (start, end) = *s.spans.first()?;
                Some(Offer {
                    name: plain_name(&s.code),
                    code: s.code,
                    start,
                    end,
                    words: motesplats_core::coding::slice_chars(text, start, end).to_string(),
                })
            })
            .collect();
            let problem = problem
                .as_ref()
                .filter(|(rid, qk, _, _)| *rid == r.id.to_string() && *qk == q.key.as_str())
                .map(|(_, _, words, why)| (words.clone(), why.clone()));
            answers.push(AnswerView {
                response: r.id.to_string(),
                lang: motesplats_core::coding::language::reading_language(
                    text,
                    r.language,
                    &survey.languages,
                )
                .as_str(),
                question: q.key.as_str().to_string(),
                question_text: q.text.best(language).to_string(),
                pieces,
                codings: mine
                    .iter()
                    .map(|c| CodingLine {
                        id: c.id.to_string(),
                        code: plain_name(c.code.as_str()),
                        quote: c.quote(text).to_string(),
                        coder: c.coder.clone(),
                    })
                    .collect(),
                offers,
                problem,
            });
        }
    }
    let mut coders: Vec<String> = codings.iter().map(|c| c.coder.clone()).collect();
    coders.sort();
    coders.dedup();
    let agreement = match (analyses.a.as_deref(), analyses.b.as_deref()) {
        (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() => {
            Some(agreement(&book, &codings, a, b, LEVEL))
        }
        _ => None,
    };
    let scale_questions: Vec<(String, String)> = survey
        .questions()
        .filter(|q| {
            matches!(
                q.kind,
                QuestionKind::Scale { .. } | QuestionKind::Csat { .. } | QuestionKind::Nps { .. }
            )
        })
        .map(|q| {
            (
                q.key.as_str().to_string(),
                q.text.best(language).to_string(),
            )
        })
        .collect();
    let join = analyses
        .question
        .as_deref()
        .filter(|q| !q.is_empty())
        .and_then(|question| {
            let on = JoinOn {
                question,
                item: None,
                coder: None,
            };
            join(&survey, &book, &responses, &codings, on, LEVEL).ok()
        });
    let projects = state
        .store
        .projects(me)
        .await?
        .into_iter()
        .filter_map(|s| {
            Project::import(s.document)
                .ok()
                .map(|p| (s.id.to_string(), p.title))
        })
        .collect();
    let page = CodingPage {
        id: survey.id.to_string(),
        title: survey.title.best(language).to_string(),
        coder: who.user.email.clone(),
        frequencies: frequencies(&book, &codings, None),
        codes: names,
        answers,
        projects,
        coders,
        agreement,
        scale_questions,
        join,
        lang_sv: lang == Lang::Sv,
        notice: analyses.notice,
        shell,
    };
    let html = page
        .render()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Html(html).into_response())
}

/// `GET /surveys/{id}/coding`
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Path(id): Path<String>,
    Query(analyses): Query<Analyses>,
) -> Result<Response, ApiError> {
    render(&state, lang, &who, &id, analyses, None).await
}

/// `POST /surveys/{id}/coding/spans`: codes words of an answer (or a suggestion's
/// span) as the signed-in user; a refusal comes back beside that answer.
pub async fn code(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<SpanForm>,
) -> Result<Response, ApiError> {
    let survey: Survey = mine(&state, who.provider.id, &id).await?;
    let response_id = form.response_id.parse::<ResponseId>().ok();
    let text = state
        .store
        .responses(who.provider.id, survey.id)
        .await?
        .into_iter()
        .find(|r| Some(r.id) == response_id)
        .and_then(|r| {
            match r
                .answers
                .into_iter()
                .find(|(k, _)| k.as_str() == form.question)
            {
                Some((_, motesplats_core::survey::Answer::Text(t))) => Some(t),
                _ => None,
            }
        });
    let words = form.words.clone().unwrap_or_default();
    let span = match (form.start, form.end) {
        (Some(s), Some(e)) => Some((s, e)),
        _ => text.as_deref().and_then(|t| find_words(t, &words)),
    };
    let refuse = |why: String| {
        let problem = (
            form.response_id.clone(),
            form.question.clone(),
            words.clone(),
            why,
        );
        (problem, StatusCode::UNPROCESSABLE_ENTITY)
    };
    let outcome = match span {
        None => Err(refuse(lang.t("coding-words-missing"))),
        Some((start, end)) => {
            let input = CodingInput {
                response_id,
                question: Some(form.question.clone()),
                start: Some(start as i64),
                end: Some(end as i64),
                code: Some(form.code.clone()),
                coder: Some(who.user.email.clone()),
            };
            match code_span(&state, who.provider.id, &id, input).await {
                Ok(_) => Ok(()),
                Err(ApiError::Invalid(e) | ApiError::Conflict(e)) => Err(refuse(
                    e.0.iter()
                        .map(|f| format!("{}: {}", f.field, lang.reason(&f.reason)))
                        .collect::<Vec<_>>()
                        .join("; "),
                )),
                Err(e) => return Err(e),
            }
        }
    };
    match outcome {
        Ok(()) => Ok(
            Redirect::to(&format!("/surveys/{id}/coding#r-{}", form.response_id)).into_response(),
        ),
        Err((problem, status)) => {
            let mut page =
                render(&state, lang, &who, &id, Analyses::default(), Some(problem)).await?;
            *page.status_mut() = status;
            Ok(page)
        }
    }
}

/// `POST /surveys/{id}/coding/spans/{coding}/delete`
pub async fn remove(
    State(state): State<AppState>,
    who: SignedIn,
    Path((id, coding)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let coding: CodingId = coding.parse().map_err(|_| ApiError::NotFound)?;
    uncode(&state, who.provider.id, &id, coding).await?;
    Ok(Redirect::to(&format!("/surveys/{id}/coding")).into_response())
}

/// `POST /surveys/{id}/coding/quotes`: sends a coding's words to a research project
/// as a quote; a quote adds to the project, so it applies on the latest version.
pub async fn send_quote(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Path(id): Path<String>,
    Form(form): Form<QuoteForm>,
) -> Result<Response, ApiError> {
    let me = who.provider.id;
    let survey = mine(&state, me, &id).await?;
    let coding: CodingId = form
        .coding
        .parse()
        .map_err(|_| ApiError::invalid("coding", Reason::NamesNothing))?;
    let project: Uuid = form
        .project
        .parse()
        .map_err(|_| ApiError::invalid("project", Reason::Required))?;
    let quote = quote_of(&state, me, survey.id, coding).await?;
    let stored = state
        .store
        .project(me, project)
        .await?
        .ok_or(ApiError::NotFound)?;
    let mut p = Project::import(stored.document).map_err(|e| ApiError::Internal(e.to_string()))?;
    let notice = match p.add_quote(quote) {
        Ok(_) => {
            let document = p.export().map_err(|e| ApiError::Internal(e.to_string()))?;
            state
                .store
                .save_project(me, project, stored.version, document)
                .await?;
            lang.t("coding-quote-sent")
        }
        Err(e) => {
            e.0.iter()
                .map(|f| lang.reason(&f.reason))
                .collect::<Vec<_>>()
                .join("; ")
        }
    };
    let query = serde_urlencoded::to_string([("notice", notice)])
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let to = format!("/surveys/{id}/coding?{query}");
    Ok(Redirect::to(&to).into_response())
}

/// `GET /surveys/{id}/coding/codes.csv`: the 0/1 code columns, for the signed-in user.
pub async fn codes_csv(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    codes_csv_of(&state, who.provider.id, &id, None, false).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_found_in_characters_whatever_their_case() {
        let text = "Kön var lång men Personalen var trevlig";
        assert_eq!(find_words(text, "personalen"), Some((17, 27)));
        assert_eq!(find_words(text, "lång"), Some((8, 12)));
        assert_eq!(find_words(text, "kassan"), None);
        assert_eq!(find_words(text, "  "), None);
    }
}
