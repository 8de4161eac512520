//! Networks of providers, such as a town centre.

use crate::auth::{Operator, Tenant};
use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use motesplats_core::{Network, NewNetwork, ProviderId};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_network, list_networks))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkInput {
    name: Option<String>,
    /// What members share: aggregate_counts, research_evidence, survey_results.
    shares: Option<Vec<String>>,
    members: Option<Vec<ProviderId>>,
}

/// Create a network of providers (operator only).
#[utoipa::path(post, path = "/networks", tag = "networks", request_body = NetworkInput,
    security(("operator_token" = [])),
    responses((status = 201, body = Network), (status = 422, body = Problem)))]
async fn create_network(
    State(state): State<AppState>,
    _: Operator,
    ApiJson(input): ApiJson<NetworkInput>,
) -> Result<(StatusCode, Json<Network>), ApiError> {
    let new = NewNetwork::parse(
        input.name.as_deref(),
        input.shares.as_deref().unwrap_or_default(),
    )?;
    let network = state
        .store
        .create_network(new, input.members.as_deref().unwrap_or_default())
        .await?;
    Ok((StatusCode::CREATED, Json(network)))
}

/// The networks the caller belongs to.
#[utoipa::path(get, path = "/networks", tag = "networks", responses((status = 200, body = Vec<Network>)))]
async fn list_networks(
    State(state): State<AppState>,
    Tenant(me): Tenant,
) -> Result<Json<Vec<Network>>, ApiError> {
    Ok(Json(state.store.networks(me).await?))
}
