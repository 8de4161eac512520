//! Segments: a provider's saved, named filters over persons and journeys. The
//! journey figures, funnels and attribution take one as `segment`.

use super::profiles::path_id;
use crate::auth::Tenant;
use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::segments;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use motesplats_core::segment::{Segment, SegmentId, SegmentInput};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_segments, create_segment))
        .routes(routes!(get_segment, put_segment, delete_segment))
}

/// The caller's segments by name.
#[utoipa::path(get, path = "/segments", tag = "segments",
    responses((status = 200, body = Vec<Segment>)))]
async fn list_segments(
    State(state): State<AppState>,
    Tenant(me): Tenant,
) -> Result<Json<Vec<Segment>>, ApiError> {
    Ok(Json(state.store.segments(me).await?))
}

/// Save a segment: a name unique among the caller's segments, and rules over
/// persons (traits, survey answers) and journeys (period, channels and phases,
/// motivations); every rule given must hold.
#[utoipa::path(post, path = "/segments", tag = "segments", request_body = SegmentInput,
    responses((status = 201, body = Segment), (status = 409, body = Problem),
              (status = 422, body = Problem)))]
async fn create_segment(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiJson(input): ApiJson<SegmentInput>,
) -> Result<(StatusCode, Json<Segment>), ApiError> {
    let segment = segments::save(&state, me, SegmentId::new(), &input).await?;
    Ok((StatusCode::CREATED, Json(segment)))
}

#[utoipa::path(get, path = "/segments/{id}", tag = "segments", params(("id" = String, Path)),
    responses((status = 200, body = Segment), (status = 404, body = Problem)))]
async fn get_segment(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
) -> Result<Json<Segment>, ApiError> {
    let id: SegmentId = path_id(&id)?;
    state
        .store
        .segment(me, id)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// Replace a segment's name and rules.
#[utoipa::path(put, path = "/segments/{id}", tag = "segments", params(("id" = String, Path)),
    request_body = SegmentInput,
    responses((status = 200, body = Segment), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn put_segment(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<SegmentInput>,
) -> Result<Json<Segment>, ApiError> {
    let id: SegmentId = path_id(&id)?;
    if state.store.segment(me, id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    Ok(Json(segments::save(&state, me, id, &input).await?))
}

#[utoipa::path(delete, path = "/segments/{id}", tag = "segments", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
async fn delete_segment(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id: SegmentId = path_id(&id)?;
    if state.store.delete_segment(me, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}
