//! Surveys: the provider builds them; anyone with the link answers (no key), with
//! partial saves; every response comes as CSV. The statistics (per question and per
//! split, cross-tabs, comparisons) are in `survey_analysis`.

use super::profiles::path_id;
use crate::auth::Tenant;
use crate::client::Client;
use crate::client::PublicOrigin;
use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::survey_answers::{self, Target};
use crate::{survey_export, survey_invitation};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response as HttpResponse};
use chrono::{DateTime, Utc};
use motesplats_core::survey::{
    Answer, QuestionKind, Response, ResponseId, ResponseInput, Survey, SurveyId, SurveyInput,
    SurveyStatus,
};
use motesplats_core::{ProfileId, ProviderId};
use motesplats_store::StoredSurvey;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_survey, list_surveys))
        .routes(routes!(get_survey, revise_survey))
        .routes(routes!(set_status))
        .routes(routes!(answer))
        .routes(routes!(continue_answer))
        .routes(routes!(export_responses))
        .routes(routes!(invitations))
        .routes(routes!(invite))
}

/// The channel a survey is tied to must be one the provider knows.
async fn check_channel(state: &AppState, me: ProviderId, survey: &Survey) -> Result<(), ApiError> {
    crate::survey_export::check_channel(state.store.as_ref(), me, survey).await
}

pub(crate) async fn mine(state: &AppState, me: ProviderId, id: &str) -> Result<Survey, ApiError> {
    Ok(stored(state, me, id).await?.survey)
}

/// The caller's survey with its revision.
async fn stored(state: &AppState, me: ProviderId, id: &str) -> Result<StoredSurvey, ApiError> {
    let id: SurveyId = path_id(id)?;
    state
        .store
        .survey(Some(me), id)
        .await?
        .ok_or(ApiError::NotFound)
}

/// The survey as JSON with its revision as the ETag, which a change sends back in
/// If-Match.
fn with_etag(status: StatusCode, survey: &Survey, revision: i64) -> HttpResponse {
    let mut response = (status, Json(survey)).into_response();
    if let Ok(tag) = HeaderValue::from_str(&format!("\"{revision}\"")) {
        response.headers_mut().insert(header::ETAG, tag);
    }
    response
}

/// Build a survey (a draft until opened). Its ETag is its revision, 1.
#[utoipa::path(post, path = "/surveys", tag = "surveys", request_body = SurveyInput,
    responses((status = 201, body = Survey, headers(("ETag" = String, description = "The survey's revision"))),
              (status = 422, body = Problem)))]
async fn create_survey(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiJson(input): ApiJson<SurveyInput>,
) -> Result<HttpResponse, ApiError> {
    let survey = Survey::parse(&input)?;
    check_channel(&state, me, &survey).await?;
    state.store.create_survey(me, survey.clone()).await?;
    Ok(with_etag(StatusCode::CREATED, &survey, 1))
}

/// The caller's surveys.
#[utoipa::path(get, path = "/surveys", tag = "surveys", responses((status = 200, body = Vec<Survey>)))]
async fn list_surveys(
    State(state): State<AppState>,
    Tenant(me): Tenant,
) -> Result<Json<Vec<Survey>>, ApiError> {
    Ok(Json(state.store.surveys(me).await?))
}

/// One of the caller's surveys, with its revision as the ETag.
#[utoipa::path(get, path = "/surveys/{id}", tag = "surveys", params(("id" = String, Path)),
    responses((status = 200, body = Survey, headers(("ETag" = String, description = "The survey's revision"))),
              (status = 404, body = Problem)))]
async fn get_survey(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
) -> Result<HttpResponse, ApiError> {
    let s = stored(&state, me, &id).await?;
    Ok(with_etag(StatusCode::OK, &s.survey, s.revision))
}

/// The revision a change names in If-Match.
fn expected_revision(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    super::if_match(headers, "survey")
}

/// Change a survey; send its ETag in If-Match (428 without it, 409 when someone
/// changed it since). Once it has responses the change becomes a new version, and a
/// kept question may not change its kind or scale, so answers stay comparable. The
/// check of the revision, of whether responses exist and the save are one
/// transaction.
#[utoipa::path(put, path = "/surveys/{id}", tag = "surveys",
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The survey's ETag as read")),
    request_body = SurveyInput,
    responses((status = 200, body = Survey, headers(("ETag" = String, description = "The survey's new revision"))),
              (status = 404, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem), (status = 428, body = Problem)))]
async fn revise_survey(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<SurveyInput>,
) -> Result<HttpResponse, ApiError> {
    let expected = expected_revision(&headers)?.ok_or(ApiError::PreconditionRequired(
        "send If-Match with the revision (ETag) of the survey you changed",
    ))?;
    let current = mine(&state, me, &id).await?;
    // Without responses a revision is refused for fewer reasons than with them, so
    // this preview fails whenever the real one would for its own sake; it lets the
    // channel be checked before the transaction.
    check_channel(&state, me, &current.revise(&input, false)?).await?;
    let change = move |s: Survey, answered: bool| s.revise(&input, answered);
    let saved = state
        .store
        .change_survey(me, current.id, Some(expected), Box::new(change))
        .await?;
    Ok(with_etag(StatusCode::OK, &saved.survey, saved.revision))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusInput {
    /// `open` to take responses, `closed` to stop.
    status: Option<SurveyStatus>,
}

/// Open or close a survey. If-Match is optional here: a status change keeps the
/// definition as stored, whatever revision it is at.
#[utoipa::path(put, path = "/surveys/{id}/status", tag = "surveys",
    params(("id" = String, Path), ("If-Match" = Option<String>, Header, description = "The survey's ETag as read")),
    request_body = StatusInput,
    responses((status = 200, body = Survey, headers(("ETag" = String, description = "The survey's new revision"))),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn set_status(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<StatusInput>,
) -> Result<HttpResponse, ApiError> {
    let status = input
        .status
        .ok_or_else(|| ApiError::invalid("status", motesplats_core::Reason::Required))?;
    let expected = expected_revision(&headers)?;
    let id: SurveyId = path_id(&id)?;
    let saved = state
        .store
        .change_survey(me, id, expected, survey_export::status_change(status))
        .await?;
    Ok(with_etag(StatusCode::OK, &saved.survey, saved.revision))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Saved {
    /// The response's id, chosen by the server.
    pub id: ResponseId,
    pub completed: bool,
    /// Only when a partial save starts a response: send it as the `Resume-Token`
    /// header to continue (`PUT …/responses/{id}`). It is given out this once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resume_token: Option<String>,
}

impl From<survey_answers::Written> for Saved {
    fn from(w: survey_answers::Written) -> Self {
        Saved {
            id: w.id,
            completed: w.completed,
            resume_token: w.resume_token,
        }
    }
}

/// Answer a survey (public: the survey's link is enough). With `partial: true` the
/// answers so far are saved and required questions may wait, and the answer carries
/// the resume token. The server chooses the response's id. A draft survey is not
/// found. Each client address may send a limited number of answers to a survey per
/// minute (429 with Retry-After beyond it). To link the answer to the person's
/// profile, send the invitation from the link the provider sent, with `consent: true`.
#[utoipa::path(post, path = "/surveys/{id}/responses", tag = "surveys", params(("id" = String, Path)),
    request_body = ResponseInput, security(()),
    responses((status = 201, body = Saved), (status = 404, body = Problem), (status = 422, body = Problem),
              (status = 429, body = Problem, headers(("Retry-After" = String, description = "Seconds to wait")))))]
async fn answer(
    State(state): State<AppState>,
    client: Client,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ResponseInput>,
) -> Result<(StatusCode, Json<Saved>), ApiError> {
    let id: SurveyId = path_id(&id)?;
    let written = survey_answers::write(&state, client, id, &input, Target::New).await?;
    Ok((StatusCode::CREATED, Json(written.into())))
}

/// Continue a partial save with the whole response so far, sending the resume token
/// the first save gave in the `Resume-Token` header. An unknown response, and a
/// missing or wrong token, are all 404; a completed response is 409.
#[utoipa::path(put, path = "/surveys/{id}/responses/{response}", tag = "surveys",
    params(("id" = String, Path), ("response" = String, Path),
           ("Resume-Token" = String, Header, description = "The token the first save gave")),
    request_body = ResponseInput, security(()),
    responses((status = 200, body = Saved), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
              (status = 429, body = Problem, headers(("Retry-After" = String, description = "Seconds to wait")))))]
async fn continue_answer(
    State(state): State<AppState>,
    client: Client,
    Path((id, response)): Path<(String, String)>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<ResponseInput>,
) -> Result<Json<Saved>, ApiError> {
    let id: SurveyId = path_id(&id)?;
    let response: ResponseId = path_id(&response)?;
    let token = headers
        .get("resume-token")
        .and_then(|v| v.to_str().ok())
        .ok_or(ApiError::NotFound)?;
    let target = Target::Continue(response, token);
    let written = survey_answers::write(&state, client, id, &input, target).await?;
    Ok(Json(written.into()))
}

/// A column of the export: its name and how a response fills it.
type Column<'a> = (String, Box<dyn Fn(&Response) -> String + 'a>);

/// The columns of a response export: one per question, one per matrix item, and one
/// 0/1 column per option of a multiple choice.
fn columns(survey: &Survey) -> Vec<Column<'_>> {
    let mut out: Vec<Column<'_>> = Vec::new();
    for q in survey.questions() {
        let key = &q.key;
        match &q.kind {
            QuestionKind::Matrix { items, .. } => {
                for item in items {
                    out.push((
                        format!("{}.{}", key.as_str(), item.key.as_str()),
                        Box::new(move |r: &Response| match r.answers.get(key) {
                            Some(Answer::Items(points)) => points
                                .get(&item.key)
                                .map(|p| p.to_string())
                                .unwrap_or_default(),
                            _ => String::new(),
                        }),
                    ));
                }
            }
            QuestionKind::MultipleChoice { options, .. } => {
                for option in options {
                    out.push((
                        format!("{}.{}", key.as_str(), option.key.as_str()),
                        Box::new(move |r: &Response| match r.answers.get(key) {
                            Some(Answer::Choices(chosen)) => {
                                u8::from(chosen.contains(&option.key)).to_string()
                            }
                            _ => String::new(),
                        }),
                    ));
                }
            }
            _ => out.push((
                key.as_str().to_string(),
                Box::new(move |r: &Response| match r.answers.get(key) {
                    Some(Answer::Point(p)) => p.to_string(),
                    Some(Answer::Text(t)) => t.clone(),
                    Some(Answer::Choice(c)) => c.as_str().to_string(),
                    _ => String::new(),
                }),
            )),
        }
    }
    out
}

/// Every response as CSV: one row per response, one column per question (per item of
/// a matrix, per option of a multiple choice), empty where unanswered.
#[utoipa::path(get, path = "/surveys/{id}/responses.csv", tag = "surveys", params(("id" = String, Path)),
    responses((status = 200, content_type = "text/csv"), (status = 404, body = Problem)))]
async fn export_responses(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    let survey = mine(&state, me, &id).await?;
    let responses = state.store.responses(me, survey.id).await?;
    let body = responses_csv(&survey, &responses)?;
    Ok(super::survey_analysis::csv_response(body, "responses.csv"))
}

/// The responses as CSV: fixed columns (`response_id`, `survey_version`,
/// `submitted_at`, `completed`, `language`), then one per question, matrix item and
/// multiple-choice option.
pub fn responses_csv(survey: &Survey, responses: &[Response]) -> Result<Vec<u8>, ApiError> {
    let columns = columns(survey);
    let mut csv = crate::csv_out::Writer::in_memory();
    let fixed = [
        "response_id",
        "survey_version",
        "submitted_at",
        "completed",
        "language",
    ];
    let header: Vec<&str> = fixed
        .iter()
        .copied()
        .chain(columns.iter().map(|(name, _)| name.as_str()))
        .collect();
    let failed = |e: csv::Error| ApiError::Internal(e.to_string());
    csv.row(&header).map_err(failed)?;
    for r in responses {
        let mut row = vec![
            r.id.to_string(),
            r.survey_version.to_string(),
            r.submitted_at.to_rfc3339(),
            r.completed.to_string(),
            r.language.as_str().to_string(),
        ];
        row.extend(columns.iter().map(|(_, value)| value(r)));
        csv.row(&row).map_err(failed)?;
    }
    csv.into_inner().map_err(failed)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Invitation {
    pub survey_id: SurveyId,
    pub title: String,
    /// The public page to send the person to, through their contact policy. For a
    /// known profile it carries a signed invitation (`?invite=`), so the person may
    /// link the answer to their profile.
    pub link: String,
    /// Until when the signed invitation works; absent without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
}

/// The invitation to `survey`, signed for `profile` when there is one.
fn invitation(
    base: &str,
    survey: &Survey,
    profile: Option<ProfileId>,
    key: &[u8; 32],
) -> Invitation {
    let expires = Utc::now() + survey_invitation::VALID_FOR;
    let invite = profile.map(|p| survey_invitation::sign(key, survey.id, p, expires));
    Invitation {
        link: match &invite {
            Some(invite) => format!("{base}/s/{}?invite={invite}", survey.id),
            None => format!("{base}/s/{}", survey.id),
        },
        expires_at: invite.map(|_| expires),
        title: survey.title.best(survey.languages[0]).to_string(),
        survey_id: survey.id,
    }
}

/// The open surveys to offer after a touchpoint: those that name its kind (and, where
/// they name them, its channel and phase), each with the link for the provider to
/// deliver, signed for the touchpoint's profile when it has one.
#[utoipa::path(get, path = "/touchpoints/{id}/survey-invitations", tag = "surveys", params(("id" = String, Path)),
    responses((status = 200, body = Vec<Invitation>), (status = 404, body = Problem)))]
async fn invitations(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    origin: PublicOrigin,
) -> Result<Json<Vec<Invitation>>, ApiError> {
    let id: motesplats_core::TouchpointId = path_id(&id)?;
    let touchpoint = state
        .store
        .touchpoint(me, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let base = origin.0.unwrap_or_default();
    let key = survey_invitation::key(&state).await?;
    let offered = state
        .store
        .surveys(me)
        .await?
        .iter()
        .filter(|s| s.status == SurveyStatus::Open && s.context.invites_after(&touchpoint))
        .map(|s| invitation(&base, s, touchpoint.profile_id, &key))
        .collect();
    Ok(Json(offered))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyInvitationInput {
    /// The profile of the person to invite: one of the caller's.
    profile_id: Option<ProfileId>,
}

/// A signed invitation for one person to answer the survey, linked to their profile
/// if they consent. The only way a public answer is linked to a profile.
#[utoipa::path(post, path = "/surveys/{id}/invitations", tag = "surveys", params(("id" = String, Path)),
    request_body = SurveyInvitationInput,
    responses((status = 201, body = Invitation), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn invite(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    origin: PublicOrigin,
    ApiJson(input): ApiJson<SurveyInvitationInput>,
) -> Result<(StatusCode, Json<Invitation>), ApiError> {
    let survey = mine(&state, me, &id).await?;
    let profile = input
        .profile_id
        .ok_or_else(|| ApiError::invalid("profile_id", motesplats_core::Reason::Required))?;
    if state.store.profile(me, profile).await?.is_none() {
        return Err(ApiError::invalid(
            "profile_id",
            motesplats_core::Reason::NoProfile {
                id: profile.to_string(),
            },
        ));
    }
    let key = survey_invitation::key(&state).await?;
    let base = origin.0.unwrap_or_default();
    Ok((
        StatusCode::CREATED,
        Json(invitation(&base, &survey, Some(profile), &key)),
    ))
}
