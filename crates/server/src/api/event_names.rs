//! The provider's event-name table: what kind a `track` event of each name is stored
//! as, for senders using Segment's or RudderStack's SDKs, and the channel of
//! messages that name none.

use crate::auth::Tenant;
use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::settings;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use motesplats_core::ProviderId;
use motesplats_core::tracking_protocol::{EventNames, EventNamesInput};
use motesplats_store::Actor;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_event_names, put_event_names))
}

/// Checks `input` against the provider's channels and saves it in place of the
/// table before; the table saved. Shared with the page.
pub(crate) async fn save(
    state: &AppState,
    provider: ProviderId,
    input: &EventNamesInput,
    by: Option<&Actor>,
) -> Result<EventNames, ApiError> {
    let channels = state.store.channels(provider).await?;
    let names = input.parse(|k| channels.iter().any(|c| c.key.as_str() == k))?;
    settings::write(state, provider, &names, by).await?;
    state.event_names.forget(provider);
    Ok(names)
}

/// The caller's event-name table (empty, with channel `web`, until one is set).
#[utoipa::path(get, path = "/event-names", tag = "ingestion",
    responses((status = 200, body = EventNames)))]
async fn get_event_names(
    State(state): State<AppState>,
    Tenant(me): Tenant,
) -> Result<Json<EventNames>, ApiError> {
    Ok(Json(settings::read(&state, me).await?))
}

/// Set the caller's event-name table, the whole table: event name → kind, and the
/// default channel. Names outside it fall back on the spec's semantic events
/// ("Order Completed" → `purchase`), then on the name written as a kind.
#[utoipa::path(put, path = "/event-names", tag = "ingestion", request_body = EventNamesInput,
    responses((status = 200, body = EventNames), (status = 422, body = Problem)))]
async fn put_event_names(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiJson(input): ApiJson<EventNamesInput>,
) -> Result<Json<EventNames>, ApiError> {
    Ok(Json(save(&state, me, &input, None).await?))
}
