//! Networks of providers, such as a town centre.

use super::journeys::TrendQuery;
use super::profiles::path_id;
use crate::auth::{Operator, Tenant};
use crate::error::{ApiError, Problem};
use crate::figures::{self, FilterQuery};
use crate::json::ApiJson;
use crate::json::ApiQuery;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use motesplats_core::journey::{JourneyFigures, MIN_PERSONS};
use motesplats_core::{Invalid, Network, NetworkId, NewNetwork, ProviderId, Reason, SharedData};
use motesplats_store::Shared;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_network, list_networks))
        .routes(routes!(network_figures))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NetworkFigures {
    pub network: NetworkId,
    /// A figure never stands for fewer persons than this.
    pub min_persons: u64,
    /// Cells withheld: under `min_persons`, or flows the network does not share.
    pub withheld: u64,
    /// The network shares channel flows (flows, meeting flows, paths).
    pub flows_shared: bool,
    /// The members' journeys together, placed by the caller's journey settings and
    /// counted in its time zone.
    pub figures: JourneyFigures,
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
    let store = state.store.as_ref();
    let log = match store
        .network_log(me, network, SharedData::JourneyFigures)
        .await?
    {
        Shared::Unknown => return Err(ApiError::NotFound),
        Shared::Withheld => {
            return Err(ApiError::NotShared(Invalid::one(
                "id",
                Reason::NotShared {
                    share: SharedData::JourneyFigures.as_str().to_string(),
                },
            )));
        }
        Shared::Granted(log) => log,
    };
    let flows_shared = store
        .networks(me)
        .await?
        .iter()
        .any(|n| n.id == network && n.shares.contains(&SharedData::ChannelFlows));
    let placed = figures::place(log, figures::viewpoint(store, me).await?).await?;
    let (withheld, figures) = tokio::task::spawn_blocking(move || {
        let filter = placed.filter(&q)?;
        let mut f = placed.figures(&q.key(), &filter, unit).as_ref().clone();
        Ok::<_, ApiError>((f.withhold_small(flows_shared), f))
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))??;
    Ok(Json(NetworkFigures {
        network,
        min_persons: MIN_PERSONS,
        withheld,
        flows_shared,
        figures,
    }))
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
