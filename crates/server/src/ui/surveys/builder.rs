//! The builder's handlers: the new-survey form, the builder page and its changes,
//! the QR code of the public link.

use super::changes::{
    Outcome, Refusal, check_channel, check_section_title, details, first_question, put_question,
    reorder, retitle, status,
};
use super::parse::{context_from, form_name, sent};
use super::view::{LangCol, Saved, View, builder_view, channel_opts, lang_cols, phase_opts};
use crate::client::PublicOrigin;
use crate::error::ApiError;
use crate::state::AppState;
use crate::ui::Shell;
use crate::ui::forms::{FormView, Opt, Refused, Sent};
use crate::ui::i18n::Lang;
use crate::ui::i18n::Messages;
use crate::ui::labels::Vocabulary;
use crate::ui::session::SignedIn;
use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use motesplats_core::survey::{SectionInput, Survey, SurveyId, SurveyInput};
use motesplats_core::{Invalid, Reason};
use motesplats_store::{StoreError, StoredSurvey};
use serde::Deserialize;

async fn find(state: &AppState, who: &SignedIn, id: &str) -> Result<Option<Survey>, ApiError> {
    Ok(find_stored(state, who, id).await?.map(|s| s.survey))
}

/// The survey with its revision, which the builder's forms carry back.
async fn find_stored(
    state: &AppState,
    who: &SignedIn,
    id: &str,
) -> Result<Option<StoredSurvey>, ApiError> {
    let Ok(sid) = id.parse::<SurveyId>() else {
        return Ok(None);
    };
    Ok(state.store.survey(Some(who.provider.id), sid).await?)
}

/// The revision a builder form was drawn from (`?revision=` in its action).
#[derive(Debug, Deserialize)]
pub struct RevisionQuery {
    revision: Option<i64>,
}

/// Someone else saved the survey after the page was drawn: back to the builder as it
/// is now, which says so.
fn stale(id: &str) -> Response {
    Redirect::to(&format!("/surveys/{id}/edit?stale=1")).into_response()
}

fn html(status: StatusCode, page: &impl Template) -> Result<Response, ApiError> {
    let body = page
        .render()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((status, Html(body)).into_response())
}

#[derive(Template)]
#[template(path = "survey_new.html")]
struct NewPage {
    shell: Shell,
    /// The new-survey form, drawn filled in.
    form: FormView,
    languages: Vec<Opt>,
    phases: Vec<Opt>,
    channels: Vec<Opt>,
    starts: Vec<Opt>,
    langs: Vec<LangCol>,
}

async fn new_page(
    state: &AppState,
    lang: Lang,
    who: &SignedIn,
    refused: Option<Refused>,
) -> Result<Response, ApiError> {
    let channels = state.store.channels(who.provider.id).await?;
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let refused = refused.unwrap_or_else(|| Refused {
        sent: Sent {
            form: "survey".into(),
            fields: vec![
                ("languages".into(), lang.as_str().into()),
                ("first".into(), "csat".into()),
            ],
            file: None,
        },
        errors: Vec::new(),
        conflict: false,
    });
    let page = NewPage {
        shell: Shell::signed_in(lang, "/surveys/new", who),
        form: FormView {
            lang,
            refused: Some(refused),
        },
        languages: Lang::ALL
            .iter()
            .map(|l| Opt::new(l.as_str(), lang.t(&format!("builder-lang-{}", l.as_str()))))
            .collect(),
        phases: phase_opts(lang),
        channels: channel_opts(lang, &channels),
        starts: ["csat", "nps", "open_text"]
            .iter()
            .map(|k| Opt::new(k.to_string(), lang.t(&format!("builder-first-{k}"))))
            .collect(),
        langs: lang_cols(lang, Lang::ALL),
    };
    html(status, &page)
}

/// `GET /surveys/new`: the form that starts a survey.
pub async fn new_form(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
) -> Result<Response, ApiError> {
    new_page(&state, lang, &who, None).await
}

/// `POST /surveys/new`: creates the draft and goes to its builder.
pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    fields: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, ApiError> {
    let sent = match sent("survey", fields) {
        (s, None) => s,
        (s, Some(why)) => return new_page(&state, lang, &who, Some(Refused::new(s, why))).await,
    };
    let ticked: Vec<Lang> = Lang::ALL
        .iter()
        .copied()
        .filter(|l| sent.has("languages", l.as_str()))
        .collect();
    // With no language ticked the core says so, and the texts are read as Swedish,
    // the language it falls back to.
    let langs = if ticked.is_empty() {
        vec![Lang::Sv]
    } else {
        ticked.clone()
    };
    let mut input = SurveyInput {
        languages: Some(ticked.iter().map(|l| l.as_str().to_string()).collect()),
        sections: Some(vec![SectionInput {
            title: None,
            questions: Some(vec![first_question(
                sent.one("first").unwrap_or("csat"),
                &langs,
            )]),
        }]),
        ..SurveyInput::default()
    };
    context_from(&sent, &langs, &mut input);
    let channels = state.store.channels(who.provider.id).await?;
    let mut errors = check_channel(input.channel.as_deref(), &channels);
    match Survey::parse(&input) {
        Ok(survey) if errors.is_empty() => {
            state
                .store
                .create_survey(who.provider.id, survey.clone())
                .await?;
            Ok(Redirect::to(&format!("/surveys/{}/edit", survey.id)).into_response())
        }
        Ok(_) => {
            new_page(
                &state,
                lang,
                &who,
                Some(Refused::new(sent, Invalid(errors))),
            )
            .await
        }
        Err(e) => {
            errors.extend(e.0);
            new_page(
                &state,
                lang,
                &who,
                Some(Refused::new(sent, Invalid(errors))),
            )
            .await
        }
    }
}

/// The builder page's address: `saved` after a change, a section to start.
#[derive(Debug, Default, Deserialize)]
pub struct EditQuery {
    /// A change was saved.
    saved: Option<String>,
    /// A change was saved as this new version.
    version: Option<u32>,
    /// A change was not saved: the survey had changed since its form was drawn.
    stale: Option<String>,
    /// A section is being started: its first question is added with it.
    new_section: Option<String>,
    #[serde(rename = "section_title.sv")]
    section_sv: Option<String>,
    #[serde(rename = "section_title.en")]
    section_en: Option<String>,
    /// The kind of question the add-question form is drawn for.
    kind: Option<String>,
}

/// `GET /surveys/{id}/edit`: the builder.
pub async fn edit(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<EditQuery>,
    origin: PublicOrigin,
) -> Result<Response, ApiError> {
    let pending = query.new_section.is_some().then(|| {
        let mut fields = Vec::new();
        for (code, v) in [("sv", &query.section_sv), ("en", &query.section_en)] {
            if let Some(v) = v {
                fields.push((format!("section_title.{code}"), v.clone()));
            }
        }
        fields
    });
    let saved = match (query.stale, query.version, query.saved) {
        (Some(_), ..) => Some(Saved::Stale),
        (None, Some(v), _) => Some(Saved::Version(v)),
        (None, None, Some(_)) => Some(Saved::Same),
        (None, None, None) => None,
    };
    let view = View {
        saved,
        pending,
        refused: None,
        gone: false,
        kind: query.kind,
    };
    builder_page(&state, lang, &who, &id, &origin, view, StatusCode::OK).await
}

/// `POST /surveys/{id}/edit/{action}`: one change, then back to the builder.
pub async fn change(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Path((id, action)): Path<(String, String)>,
    Query(drawn): Query<RevisionQuery>,
    origin: PublicOrigin,
    fields: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, ApiError> {
    let Some(StoredSurvey {
        revision, survey, ..
    }) = find_stored(&state, &who, &id).await?
    else {
        let shell = Shell::signed_in(lang, &format!("/surveys/{id}/edit"), &who);
        return crate::ui::people::not_found(shell);
    };
    if drawn.revision != Some(revision) {
        return Ok(stale(&id));
    }
    let form = form_name(&action, fields.as_ref().ok().map(|f| f.0.as_slice()));
    let sent = match sent(&form, fields) {
        (s, None) => s,
        (s, Some(why)) => {
            let view = View::refused(Refused::new(s, why));
            return builder_page(
                &state,
                lang,
                &who,
                &id,
                &origin,
                view,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let has_responses = !state
        .store
        .responses(who.provider.id, survey.id)
        .await?
        .is_empty();
    let outcome = match action.as_str() {
        "question" => put_question(&survey, &sent, has_responses),
        "move-up" | "move-down" | "remove" => reorder(&survey, &sent, &action, has_responses),
        "section" => check_section_title(&survey, &sent).map(|()| {
            let mut query: Vec<(&str, &str)> = vec![("new_section", "1")];
            for l in &survey.languages {
                let name = match l {
                    Lang::Sv => "section_title.sv",
                    Lang::En => "section_title.en",
                };
                if let Some(v) = sent.one(name) {
                    query.push((name, v));
                }
            }
            let query = serde_urlencoded::to_string(&query).unwrap_or_default();
            Outcome::Back(format!("/surveys/{id}/edit?{query}#add-question"))
        }),
        "section-title" => retitle(&survey, &sent, has_responses),
        "details" => {
            let channels = state.store.channels(who.provider.id).await?;
            details(&survey, &sent, &channels, has_responses)
        }
        "status" => status(&survey, &sent),
        _ => {
            let shell = Shell::signed_in(lang, &format!("/surveys/{id}/edit"), &who);
            return crate::ui::people::not_found(shell);
        }
    };
    match outcome {
        Ok(Outcome::Save(revised, at)) => {
            // Once responses exist a revision is a new version; the page says so.
            let saved = if revised.version > survey.version {
                format!("version={}", revised.version)
            } else {
                "saved=1".to_string()
            };
            // The store saves it only if no one else did in between, and if responses
            // came or did not come as this change assumed.
            let change = move |_: Survey, answered: bool| {
                if answered == has_responses {
                    Ok(revised)
                } else {
                    Err(Invalid::one("if-match", Reason::ResponsesMeanwhile))
                }
            };
            let saved_now = state
                .store
                .change_survey(who.provider.id, survey.id, Some(revision), Box::new(change))
                .await;
            match saved_now {
                Ok(_) => {}
                Err(StoreError::Conflict(e) | StoreError::Invalid(e))
                    if e.0.iter().any(|f| f.field == "if-match") =>
                {
                    return Ok(stale(&id));
                }
                Err(e) => return Err(e.into()),
            }
            let to = format!("/surveys/{id}/edit?{saved}#{at}");
            Ok(Redirect::to(&to).into_response())
        }
        Ok(Outcome::Back(to)) if to.starts_with('/') => Ok(Redirect::to(&to).into_response()),
        Ok(Outcome::Back(at)) => {
            Ok(Redirect::to(&format!("/surveys/{id}/edit#{at}")).into_response())
        }
        Err(Refusal::Invalid(e)) => {
            let view = View::refused(Refused::new(sent, e));
            builder_page(
                &state,
                lang,
                &who,
                &id,
                &origin,
                view,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(Refusal::Gone) => {
            let view = View {
                gone: true,
                ..View::default()
            };
            builder_page(&state, lang, &who, &id, &origin, view, StatusCode::CONFLICT).await
        }
    }
}

/// `GET /surveys/{id}/qr.svg`: the public link as a QR code, for the signed-in
/// owner (the API's `/api/v1/surveys/{id}/qr.svg` needs a secret key).
pub async fn qr(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Path(id): Path<String>,
    origin: PublicOrigin,
) -> Result<Response, ApiError> {
    let Some(survey) = find(&state, &who, &id).await? else {
        return crate::ui::people::not_found(Shell::signed_in(lang, "/surveys", &who));
    };
    let link = origin
        .survey_link(&survey.id.to_string())
        .ok_or_else(|| ApiError::invalid("host", Reason::NoHost))?;
    super::public::qr_svg(&link)
}

/// The builder page, answered with `status`.
async fn builder_page(
    state: &AppState,
    lang: Lang,
    who: &SignedIn,
    id: &str,
    origin: &PublicOrigin,
    view: View,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let shell = Shell::signed_in(lang, &format!("/surveys/{id}/edit"), who);
    let Some(stored) = find_stored(state, who, id).await? else {
        return crate::ui::people::not_found(shell);
    };
    let responses = state
        .store
        .responses(who.provider.id, stored.survey.id)
        .await?
        .len();
    let words = Vocabulary::of(state.store.as_ref(), who.provider.id).await?;
    let page = builder_view(shell, lang, stored, responses, &words, origin, view);
    html(status, &page)
}
