//! How long the provider keeps each kind of data, what it must keep by law past an
//! erasure, and the purge that applies it (it also runs every hour on its own).

use crate::auth::Tenant;
use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::settings;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use motesplats_core::retention::{Retention, RetentionInput};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_retention, put_retention))
        .routes(routes!(purge))
}

/// The retention periods in days (absent: kept until erased) and the legal holds.
#[utoipa::path(get, path = "/retention", tag = "providers",
    responses((status = 200, body = Retention)))]
async fn get_retention(
    State(state): State<AppState>,
    Tenant(me): Tenant,
) -> Result<Json<Retention>, ApiError> {
    Ok(Json(settings::read(&state, me).await?))
}

/// Sets the retention periods (1 to 36,500 days each, or absent) and the legal holds:
/// touchpoint kinds kept for 1 to 30 years after they happened, with the reason the
/// person reads when they erase everything.
#[utoipa::path(put, path = "/retention", tag = "providers", request_body = RetentionInput,
    responses((status = 200, body = Retention), (status = 422, body = Problem)))]
async fn put_retention(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiJson(input): ApiJson<RetentionInput>,
) -> Result<Json<Retention>, ApiError> {
    let retention = input.parse()?;
    settings::write(&state, me, &retention, None).await?;
    Ok(Json(retention))
}

#[derive(Debug, Serialize, ToSchema)]
struct PurgeAnswer {
    touchpoints: u64,
    quarantined: u64,
    responses: u64,
    logs: u64,
    held_back: u64,
}

/// Deletes now what is past the retention periods, and held-back touchpoints whose
/// legal hold ended; answers how many of each.
#[utoipa::path(post, path = "/retention/purge", tag = "providers",
    responses((status = 200, body = PurgeAnswer)))]
async fn purge(
    State(state): State<AppState>,
    Tenant(me): Tenant,
) -> Result<Json<PurgeAnswer>, ApiError> {
    let p = crate::erasure::purge(&state, me).await?;
    Ok(Json(PurgeAnswer {
        touchpoints: p.touchpoints,
        quarantined: p.quarantined,
        responses: p.responses,
        logs: p.logs,
        held_back: p.held_back,
    }))
}
