//! The channel registry.

use crate::auth::Tenant;
use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use motesplats_core::Channel;
use motesplats_core::invalid::Checker;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_channel, list_channels))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelInput {
    key: Option<String>,
    name: Option<String>,
    /// False for places the provider does not control; default true.
    controlled: Option<bool>,
}

/// Register a channel of the caller's own.
#[utoipa::path(post, path = "/channels", tag = "channels", request_body = ChannelInput,
    responses((status = 201, body = Channel), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_channel(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiJson(input): ApiJson<ChannelInput>,
) -> Result<(StatusCode, Json<Channel>), ApiError> {
    let mut c = Checker::new();
    let key = c.required("key", input.key.as_deref());
    let name = c.required("name", input.name.as_deref());
    c.finish()?;
    let channel = Channel::custom(
        key.unwrap_or_default(),
        name.unwrap_or_default(),
        input.controlled.unwrap_or(true),
    )?;
    Ok((
        StatusCode::CREATED,
        Json(state.store.create_channel(me, channel).await?),
    ))
}

/// Built-in channels and the caller's own.
#[utoipa::path(get, path = "/channels", tag = "channels", responses((status = 200, body = Vec<Channel>)))]
async fn list_channels(
    State(state): State<AppState>,
    Tenant(me): Tenant,
) -> Result<Json<Vec<Channel>>, ApiError> {
    Ok(Json(state.store.channels(me).await?))
}
