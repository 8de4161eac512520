//! Networks of providers, such as a town centre.

use super::journeys::TrendQuery;
use super::profiles::path_id;
use crate::auth::{Operator, Tenant};
use crate::error::{ApiError, Problem};
use crate::figures::{self, FilterQuery};
use crate::json::ApiJson;
use crate::json::ApiQuery;
use crate::state::AppState;
use crate::town_centre::{self, NetworkFigures};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use motesplats_core::{Network, NetworkId, NewNetwork, ProviderId};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_network, list_networks))
        .routes(routes!(network_figures))
}

/// The town-centre view: the journey figures of every member of a network together,
/// as far as the network agreed to share them (`journey_figures`; flows only with
/// `channel_flows`), aggregates only, no cell under ten persons. A network the caller
/// is not a member of is not found.
#[utoipa::path(get, path = "/networks/{id}/journeys/figures", tag = "networks",
    params(("id" = String, Path), FilterQuery, TrendQuery),
    responses((status = 200, body = NetworkFigures), (status = 400, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn network_figures(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<FilterQuery>,
    ApiQuery(t): ApiQuery<TrendQuery>,
) -> Result<Json<NetworkFigures>, ApiError> {
    let network: NetworkId = path_id(&id)?;
    let unit = figures::trend_unit(t.unit.as_deref()).map_err(ApiError::BadParameters)?;
    Ok(Json(
        town_centre::figures(&state, me, network, q, unit).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkInput {
    name: Option<String>,
    /// What members share: aggregate_counts, research_evidence, survey_results,
    /// journey_figures, channel_flows.
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
