//! Rectification requests people sent this provider from their own page: what it holds
//! wrongly and what is right, with the records they concern; the provider answers
//! done or declined, and the person reads the answer.

use super::profiles::path_id;
use crate::auth::Tenant;
use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use motesplats_core::ProfileId;
use motesplats_core::consent::{AnswerInput, Rectification, Resolution};
use motesplats_store::ToRectify;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(answer))
}

#[derive(Debug, Serialize, ToSchema)]
struct RectificationRequest {
    id: Uuid,
    /// What the person says you hold wrongly.
    wrong: String,
    /// What is right, in their words.
    right: String,
    requested_at: DateTime<Utc>,
    /// Your records that carry an address the person verified.
    profile_ids: Vec<ProfileId>,
    /// Null until answered.
    outcome: Option<Resolution>,
    note: Option<String>,
    answered_at: Option<DateTime<Utc>>,
}

impl RectificationRequest {
    fn of(r: Rectification, profile_ids: Vec<ProfileId>) -> Self {
        RectificationRequest {
            id: r.id,
            wrong: r.wrong,
            right: r.right,
            requested_at: r.requested_at,
            profile_ids,
            outcome: r.outcome,
            note: r.note,
            answered_at: r.answered_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
struct Requests {
    items: Vec<RectificationRequest>,
}

/// The rectification requests people sent you, unanswered first.
#[utoipa::path(get, path = "/rectification-requests", tag = "persons",
    responses((status = 200, body = Requests)))]
async fn list(
    State(state): State<AppState>,
    Tenant(me): Tenant,
) -> Result<Json<Requests>, ApiError> {
    let items = state
        .store
        .rectifications_to(me)
        .await?
        .into_iter()
        .map(|ToRectify { request, profiles }| RectificationRequest::of(request, profiles))
        .collect();
    Ok(Json(Requests { items }))
}

/// Answer a request: `done` (the record is corrected) or `declined`, with a note the
/// person reads (required when declining, so they learn why). Answering again replaces
/// the answer.
#[utoipa::path(post, path = "/rectification-requests/{id}/answer", tag = "persons",
    params(("id" = String, Path)), request_body = AnswerInput,
    responses((status = 200, body = RectificationRequest), (status = 404, body = Problem),
        (status = 422, body = Problem)))]
async fn answer(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<AnswerInput>,
) -> Result<Json<RectificationRequest>, ApiError> {
    let id: Uuid = path_id(&id)?;
    let (outcome, note) = input.parse()?;
    let ToRectify { request, profiles } = state
        .store
        .answer_rectification(me, id, outcome, note, Utc::now())
        .await?;
    Ok(Json(RectificationRequest::of(request, profiles)))
}
