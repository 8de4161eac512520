//! Identity: which profiles are one person and why, and the decisions that join
//! or part them (`crate::identity` tells it, the store decides and relinks).

use super::profiles::path_id;
use crate::auth::Tenant;
use crate::error::{ApiError, Problem};
use crate::identity::{self, Identity, Why};
use crate::json::{ApiJson, ApiQuery};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use motesplats_core::identity::{Decision, Match};
use motesplats_core::linkage::Thresholds;
use motesplats_core::{PageRequest, ProfileId};
use motesplats_store::linkage::{self, Linked};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_identity))
        .routes(routes!(get_why))
        .routes(routes!(decide))
        .routes(routes!(relink))
        .routes(routes!(train))
        .routes(routes!(review))
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

/// Rebuild every person of the caller from its identifiers, its decisions and, when
/// it has trained a model, the pairs that model links (the same answer the
/// incremental linking gives; decisions are kept, the model is not retrained).
#[utoipa::path(post, path = "/identity/relink", tag = "identity",
    responses((status = 200, body = Linked), (status = 422, body = Problem)))]
async fn relink(
    State(state): State<AppState>,
    Tenant(me): Tenant,
) -> Result<Json<Linked>, ApiError> {
    Ok(Json(linkage::link(state.store.as_ref(), me, None).await?))
}

/// The thresholds a new model links and asks for review from.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Training {
    /// Pairs at least this likely are one person (default 0.9).
    link: Option<f64>,
    /// Pairs at least this likely, below `link`, wait for review (default 0.5).
    review: Option<f64>,
}

/// Train a probabilistic linkage model on the names, birth dates and addresses of
/// the caller's profiles, keep it, and relink with it. Refused, with the reason,
/// when the records are too few or hold too few duplicates to learn from.
#[utoipa::path(post, path = "/identity/linkage", tag = "identity", request_body = Training,
    responses((status = 200, body = Linked), (status = 422, body = Problem)))]
async fn train(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiJson(t): ApiJson<Training>,
) -> Result<Json<Linked>, ApiError> {
    let thresholds = Thresholds::new(
        t.link.unwrap_or(linkage::LINK),
        t.review.unwrap_or(linkage::REVIEW),
    )?;
    Ok(Json(
        linkage::link(state.store.as_ref(), me, Some(thresholds)).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReviewQuery {
    /// How many pairs, 1 to 1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
}

/// The pairs waiting for review.
#[derive(Debug, Serialize, ToSchema)]
pub struct Review {
    /// Likeliest first. Decide each with `POST /identity/decisions`: `same` accepts,
    /// `apart` rejects, and a decided pair is never proposed again.
    pub items: Vec<Match>,
}

/// Pairs of the caller's profiles that names and addresses make perhaps one person:
/// in the review band, not decided, not joined by anything else.
#[utoipa::path(get, path = "/identity/review", tag = "identity", params(ReviewQuery),
    responses((status = 200, body = Review), (status = 422, body = Problem)))]
async fn review(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiQuery(q): ApiQuery<ReviewQuery>,
) -> Result<Json<Review>, ApiError> {
    let limit = PageRequest::parse(q.limit, None)?.limit;
    let items = state.store.review_pairs(me, limit).await?;
    Ok(Json(Review { items }))
}
