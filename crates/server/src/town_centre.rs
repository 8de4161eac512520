//! The town-centre view: the journey figures of a network's members together, as far
//! as the network agreed to share them (the API's and the page's one path).

use crate::error::ApiError;
use crate::figures::{self, FilterQuery};
use crate::state::AppState;
use motesplats_core::journey::{JourneyFigures, MIN_PERSONS, PeriodUnit};
use motesplats_core::{Invalid, NetworkId, ProviderId, Reason, SharedData};
use motesplats_store::Shared;
use serde::Serialize;
use utoipa::ToSchema;

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

/// The figures of `network` for the member `me`, filtered by `q`: not found for a
/// non-member, refused (`not-shared`) where the network does not share journey
/// figures; flows only where it shares channel flows; no cell under `MIN_PERSONS`.
pub async fn figures(
    state: &AppState,
    me: ProviderId,
    network: NetworkId,
    q: FilterQuery,
    unit: PeriodUnit,
) -> Result<NetworkFigures, ApiError> {
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
    Ok(NetworkFigures {
        network,
        min_persons: MIN_PERSONS,
        withheld,
        flows_shared,
        figures,
    })
}
