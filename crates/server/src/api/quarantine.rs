//! The tracking plan, and the quarantine where rejected events wait to be fixed
//! and replayed.

use super::Page;
use super::profiles::path_id;
use crate::auth::Tenant;
use crate::error::{ApiError, Problem};
use crate::ingest::Context;
use crate::json::{ApiJson, ApiQuery, RawBody, parse_json};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use motesplats_core::PageRequest;
use motesplats_core::Touchpoint;
use motesplats_core::plan::{CheckedPlan, TrackingPlan};
use motesplats_core::touchpoint::TouchpointInput;
use motesplats_store::{Outcome, Quarantined, Stitch};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_plan, put_plan, delete_plan))
        .routes(routes!(list_quarantine))
        .routes(routes!(get_quarantined, discard_quarantined))
        .routes(routes!(replay_quarantined))
}

/// The caller's tracking plan.
#[utoipa::path(get, path = "/tracking-plan", tag = "ingestion",
    responses((status = 200, body = TrackingPlan), (status = 404, body = Problem)))]
async fn get_plan(
    State(state): State<AppState>,
    Tenant(me): Tenant,
) -> Result<Json<TrackingPlan>, ApiError> {
    state
        .store
        .tracking_plan(me)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// Set the caller's tracking plan: the kinds of touchpoints it sends, a JSON Schema
/// for each kind's properties, and whether breaking the plan rejects or flags.
#[utoipa::path(put, path = "/tracking-plan", tag = "ingestion", request_body = TrackingPlan,
    responses((status = 200, body = TrackingPlan), (status = 422, body = Problem)))]
async fn put_plan(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiJson(plan): ApiJson<TrackingPlan>,
) -> Result<Json<TrackingPlan>, ApiError> {
    let checked = CheckedPlan::compile(plan)?;
    state
        .store
        .set_tracking_plan(me, Some(checked.plan.clone()))
        .await?;
    state.plans.forget(me);
    Ok(Json(checked.plan))
}

/// Remove the caller's tracking plan: every kind is accepted again.
#[utoipa::path(delete, path = "/tracking-plan", tag = "ingestion", responses((status = 204)))]
async fn delete_plan(
    State(state): State<AppState>,
    Tenant(me): Tenant,
) -> Result<StatusCode, ApiError> {
    state.store.set_tracking_plan(me, None).await?;
    state.plans.forget(me);
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct QuarantineQuery {
    /// Page size, 1 to 1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
    /// The `next` cursor of the previous page.
    #[param(value_type = Option<uuid::Uuid>)]
    after: Option<String>,
}

/// Rejected events, oldest first.
#[utoipa::path(get, path = "/quarantine", tag = "ingestion", params(QuarantineQuery),
    responses((status = 200, body = Page<Quarantined>)))]
async fn list_quarantine(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiQuery(q): ApiQuery<QuarantineQuery>,
) -> Result<Json<Page<Quarantined>>, ApiError> {
    let page = PageRequest::parse(q.limit, q.after.as_deref())?;
    let items = state.store.quarantined(me, page).await?;
    Ok(Json(Page::new(items, page.limit, |q| q.id)))
}

/// One rejected event with its reasons.
#[utoipa::path(get, path = "/quarantine/{id}", tag = "ingestion", params(("id" = String, Path)),
    responses((status = 200, body = Quarantined), (status = 404, body = Problem)))]
async fn get_quarantined(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
) -> Result<Json<Quarantined>, ApiError> {
    let id: Uuid = path_id(&id)?;
    state
        .store
        .quarantined_one(me, id)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// Discard a rejected event.
#[utoipa::path(delete, path = "/quarantine/{id}", tag = "ingestion", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
async fn discard_quarantined(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id: Uuid = path_id(&id)?;
    state.store.release_quarantined(me, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replay a rejected event: as it was (an empty body), or corrected (the fixed event
/// as the body). It goes through the same checks as any event; on success it is
/// stored and leaves the quarantine, otherwise it stays and the reasons come back.
#[utoipa::path(post, path = "/quarantine/{id}/replay", tag = "ingestion", params(("id" = String, Path)),
    request_body(content = Option<TouchpointInput>, content_type = "application/json"),
    responses((status = 201, body = Touchpoint), (status = 200, body = Touchpoint, description = "seen before"),
              (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn replay_quarantined(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    RawBody(body): RawBody,
) -> Result<(StatusCode, Json<Touchpoint>), ApiError> {
    let id: Uuid = path_id(&id)?;
    let held = state
        .store
        .quarantined_one(me, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let text: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        held.raw.as_bytes()
    } else {
        &body
    };
    let input: TouchpointInput = parse_json(text)?;
    let context = Context::load(&state, me).await?;
    let new = context.check(input, Utc::now(), true)?;
    let mut out = state
        .store
        .insert_touchpoints(me, vec![new], Utc::now(), Stitch::Now)
        .await?;
    let answer = match out.pop() {
        Some(Outcome::Stored(t)) => (StatusCode::CREATED, Json(t)),
        Some(Outcome::Duplicate(t)) => (StatusCode::OK, Json(t)),
        Some(Outcome::Rejected(e)) => return Err(ApiError::Invalid(e)),
        None => return Err(ApiError::Internal("no touchpoint stored".into())),
    };
    state.store.release_quarantined(me, id).await?;
    Ok(answer)
}
