//! Identity: which profiles are one person and why, and the decisions that join
//! or part them (`crate::identity` tells it, the store decides and relinks).

use super::profiles::path_id;
use crate::auth::Tenant;
use crate::error::{ApiError, Problem};
use crate::identity::{self, Identity, Why};
use crate::json::ApiJson;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use motesplats_core::ProfileId;
use motesplats_core::identity::Decision;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_identity))
        .routes(routes!(get_why))
        .routes(routes!(decide))
        .routes(routes!(relink))
}

/// The person a profile is part of: its profiles, the links that join them, shared
/// identifiers, refused joins and the merge history.
#[utoipa::path(get, path = "/profiles/{id}/identity", tag = "identity", params(("id" = String, Path)),
    responses((status = 200, body = Identity), (status = 404, body = Problem)))]
async fn get_identity(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
) -> Result<Json<Identity>, ApiError> {
    let id: ProfileId = path_id(&id)?;
    identity::of(state.store.as_ref(), me, id)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// Why two profiles are one person: the chain of evidence between them.
#[utoipa::path(get, path = "/profiles/{id}/why/{other}", tag = "identity",
    params(("id" = String, Path), ("other" = String, Path)),
    responses((status = 200, body = Why), (status = 404, body = Problem)))]
async fn get_why(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path((id, other)): Path<(String, String)>,
) -> Result<Json<Why>, ApiError> {
    let (a, b): (ProfileId, ProfileId) = (path_id(&id)?, path_id(&other)?);
    identity::why(state.store.as_ref(), me, a, b)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// Decide about two profiles: `same` joins them into one person whatever the rules
/// say, `apart` keeps them in different persons for good (an unmerge, a rejected
/// pair). The latest decision about a pair counts. Answers the identity of `a`.
#[utoipa::path(post, path = "/identity/decisions", tag = "identity", request_body = Decision,
    responses((status = 200, body = Identity), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn decide(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiJson(decision): ApiJson<Decision>,
) -> Result<Json<Identity>, ApiError> {
    let (Decision::Same { a, .. } | Decision::Apart { a, .. }) = decision;
    state.store.decide(me, decision, None).await?;
    identity::of(state.store.as_ref(), me, a)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// What a rebuild changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct Relinked {
    /// Profiles that changed person.
    pub moved: usize,
}

/// Rebuild every person of the caller from its identifiers and decisions (the same
/// answer the incremental linking gives; decisions are kept).
#[utoipa::path(post, path = "/identity/relink", tag = "identity",
    responses((status = 200, body = Relinked)))]
async fn relink(
    State(state): State<AppState>,
    Tenant(me): Tenant,
) -> Result<Json<Relinked>, ApiError> {
    let moved = state.store.relink(me).await?;
    Ok(Json(Relinked { moved }))
}
