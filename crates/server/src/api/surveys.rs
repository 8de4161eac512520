//! Surveys: the provider builds them; anyone with the link answers (no key), with
//! partial saves; every response comes as CSV. The statistics (per question and per
//! segment, cross-tabs, comparisons) are in `survey_analysis`.

use super::profiles::path_id;
use crate::auth::Tenant;
use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use motesplats_core::survey::{
    Answer, QuestionKind, Response, ResponseId, ResponseInput, Survey, SurveyId, SurveyInput,
    SurveyStatus,
};
use motesplats_core::{Invalid, ProviderId};
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
}

/// The channel a survey is tied to must be one the provider knows.
async fn check_channel(state: &AppState, me: ProviderId, survey: &Survey) -> Result<(), ApiError> {
    crate::survey_export::check_channel(state.store.as_ref(), me, survey).await
}

pub(crate) async fn mine(state: &AppState, me: ProviderId, id: &str) -> Result<Survey, ApiError> {
    let id: SurveyId = path_id(id)?;
    state
        .store
        .survey(Some(me), id)
        .await?
        .map(|(_, s)| s)
        .ok_or(ApiError::NotFound)
}

/// Build a survey (a draft until opened).
#[utoipa::path(post, path = "/surveys", tag = "surveys", request_body = SurveyInput,
    responses((status = 201, body = Survey), (status = 422, body = Problem)))]
async fn create_survey(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiJson(input): ApiJson<SurveyInput>,
) -> Result<(StatusCode, Json<Survey>), ApiError> {
    let survey = Survey::parse(&input)?;
    check_channel(&state, me, &survey).await?;
    state.store.create_survey(me, survey.clone()).await?;
    Ok((StatusCode::CREATED, Json(survey)))
}

/// The caller's surveys.
#[utoipa::path(get, path = "/surveys", tag = "surveys", responses((status = 200, body = Vec<Survey>)))]
async fn list_surveys(
    State(state): State<AppState>,
    Tenant(me): Tenant,
) -> Result<Json<Vec<Survey>>, ApiError> {
    Ok(Json(state.store.surveys(me).await?))
}

/// One of the caller's surveys.
#[utoipa::path(get, path = "/surveys/{id}", tag = "surveys", params(("id" = String, Path)),
    responses((status = 200, body = Survey), (status = 404, body = Problem)))]
async fn get_survey(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
) -> Result<Json<Survey>, ApiError> {
    Ok(Json(mine(&state, me, &id).await?))
}

/// Change a survey. Once it has responses the change becomes a new version, and a
/// kept question may not change its kind or scale, so answers stay comparable.
#[utoipa::path(put, path = "/surveys/{id}", tag = "surveys", params(("id" = String, Path)), request_body = SurveyInput,
    responses((status = 200, body = Survey), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn revise_survey(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<SurveyInput>,
) -> Result<Json<Survey>, ApiError> {
    let survey = mine(&state, me, &id).await?;
    let has_responses = !state.store.responses(me, survey.id).await?.is_empty();
    let revised = survey.revise(&input, has_responses)?;
    check_channel(&state, me, &revised).await?;
    state.store.save_survey(me, revised.clone()).await?;
    Ok(Json(revised))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusInput {
    /// `open` to take responses, `closed` to stop.
    status: Option<SurveyStatus>,
}

/// Open or close a survey.
#[utoipa::path(put, path = "/surveys/{id}/status", tag = "surveys", params(("id" = String, Path)), request_body = StatusInput,
    responses((status = 200, body = Survey), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn set_status(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<StatusInput>,
) -> Result<Json<Survey>, ApiError> {
    let status = input
        .status
        .ok_or_else(|| ApiError::invalid("status", "is required"))?;
    let survey = mine(&state, me, &id)
        .await?
        .with_status(status)
        .map_err(|e| e.within("status"))?;
    state.store.save_survey(me, survey.clone()).await?;
    Ok(Json(survey))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Saved {
    /// Keep it to continue a partial save (`PUT …/responses/{id}`).
    pub id: ResponseId,
    pub completed: bool,
}

/// Checks and stores a response to an open survey; the respondent needs no key.
async fn store_response(
    state: &AppState,
    id: &str,
    response_id: Option<ResponseId>,
    input: &ResponseInput,
) -> Result<Saved, ApiError> {
    let survey_id: SurveyId = path_id(id)?;
    let (owner, survey) = state
        .store
        .survey(None, survey_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let mut response = Response::parse(&survey, input, Utc::now())?;
    if let Some(rid) = response_id {
        response.id = rid;
    }
    if let Some(profile) = response.profile_id
        && state.store.profile(owner, profile).await?.is_none()
    {
        return Err(ApiError::Invalid(Invalid::one(
            "profile_id",
            "no such profile",
        )));
    }
    let saved = Saved {
        id: response.id,
        completed: response.completed,
    };
    state.store.save_response(owner, response).await?;
    Ok(saved)
}

/// Answer a survey (public: the survey's link is enough). With `partial: true` the
/// answers so far are saved and required questions may wait.
#[utoipa::path(post, path = "/surveys/{id}/responses", tag = "surveys", params(("id" = String, Path)),
    request_body = ResponseInput, security(()),
    responses((status = 201, body = Saved), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn answer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ResponseInput>,
) -> Result<(StatusCode, Json<Saved>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(store_response(&state, &id, None, &input).await?),
    ))
}

/// Continue a partial save with the whole response so far.
#[utoipa::path(put, path = "/surveys/{id}/responses/{response}", tag = "surveys",
    params(("id" = String, Path), ("response" = String, Path)), request_body = ResponseInput, security(()),
    responses((status = 200, body = Saved), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn continue_answer(
    State(state): State<AppState>,
    Path((id, response)): Path<(String, String)>,
    ApiJson(input): ApiJson<ResponseInput>,
) -> Result<Json<Saved>, ApiError> {
    let response: ResponseId = path_id(&response)?;
    Ok(Json(
        store_response(&state, &id, Some(response), &input).await?,
    ))
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
    let mut csv = csv::Writer::from_writer(Vec::new());
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
    csv.write_record(&header).map_err(failed)?;
    for r in responses {
        let mut row = vec![
            r.id.to_string(),
            r.survey_version.to_string(),
            r.submitted_at.to_rfc3339(),
            r.completed.to_string(),
            r.language.as_str().to_string(),
        ];
        row.extend(columns.iter().map(|(_, value)| value(r)));
        csv.write_record(&row).map_err(failed)?;
    }
    csv.into_inner()
        .map_err(|e| ApiError::Internal(e.to_string()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Invitation {
    pub survey_id: SurveyId,
    pub title: String,
    /// The public page to send the person to, through their contact policy.
    pub link: String,
}

/// The open surveys to offer after a touchpoint: those that name its kind (and, where
/// they name them, its channel and phase), each with the link for the provider to
/// deliver.
#[utoipa::path(get, path = "/touchpoints/{id}/survey-invitations", tag = "surveys", params(("id" = String, Path)),
    responses((status = 200, body = Vec<Invitation>), (status = 404, body = Problem)))]
async fn invitations(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<Json<Vec<Invitation>>, ApiError> {
    let id: motesplats_core::TouchpointId = path_id(&id)?;
    let touchpoint = state
        .store
        .touchpoint(me, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let base = public_base(&headers);
    let offered = state
        .store
        .surveys(me)
        .await?
        .into_iter()
        .filter(|s| s.status == SurveyStatus::Open && s.context.invites_after(&touchpoint))
        .map(|s| Invitation {
            link: format!("{base}/s/{}", s.id),
            title: s.title.best(s.languages[0]).to_string(),
            survey_id: s.id,
        })
        .collect();
    Ok(Json(offered))
}

/// This server's address as the client reached it (behind a proxy: X-Forwarded-Proto).
fn public_base(headers: &axum::http::HeaderMap) -> String {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let scheme = get("x-forwarded-proto").unwrap_or("http");
    let host = get("host").unwrap_or("localhost");
    format!("{scheme}://{host}")
}
