//! Journeys: a provider's anchors and windows, and a person's touchpoints as
//! journeys before, during and after each meeting (from the caller's own profiles
//! only, as every read of a person).

use super::profiles::path_id;
use crate::auth::Tenant;
use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::settings;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use motesplats_core::journey::{Journey, JourneySettings, JourneySettingsInput, Step, journeys};
use motesplats_core::{PageRequest, PersonId, TouchpointId};
use motesplats_store::TouchpointFilter;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(person_journeys))
}

/// The caller's anchors and windows (the defaults until set).
#[utoipa::path(get, path = "/journey-settings", tag = "journeys",
    responses((status = 200, body = JourneySettings)))]
async fn get_settings(
    State(state): State<AppState>,
    Tenant(me): Tenant,
) -> Result<Json<JourneySettings>, ApiError> {
    Ok(Json(settings::read(&state, me).await?))
}

/// Set the caller's anchors (kinds that start a meeting) and windows (calendar days
/// before, hours during, calendar days after); what is left out keeps its default.
#[utoipa::path(put, path = "/journey-settings", tag = "journeys", request_body = JourneySettingsInput,
    responses((status = 200, body = JourneySettings), (status = 422, body = Problem)))]
async fn put_settings(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiJson(input): ApiJson<JourneySettingsInput>,
) -> Result<Json<JourneySettings>, ApiError> {
    let parsed = input.parse()?;
    settings::write(&state, me, &parsed).await?;
    Ok(Json(parsed))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonJourneys {
    /// The anchors and windows they were built with.
    pub settings: JourneySettings,
    /// The provider's time zone, in which the windows' days are counted.
    pub time_zone: String,
    pub journeys: Vec<Journey>,
    /// Touchpoints outside every window.
    pub outside: Vec<TouchpointId>,
}

/// A person's journeys: each meeting (anchor) with the touchpoints before, during and
/// after it, the phase inferred where the sender declared none.
#[utoipa::path(get, path = "/persons/{id}/journeys", tag = "journeys", params(("id" = String, Path)),
    responses((status = 200, body = PersonJourneys), (status = 404, body = Problem)))]
async fn person_journeys(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
) -> Result<Json<PersonJourneys>, ApiError> {
    let id: PersonId = path_id(&id)?;
    if state.store.person(me, id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    let mut filter = TouchpointFilter {
        page: PageRequest {
            limit: PageRequest::MAX_LIMIT,
            after: None,
        },
        person: Some(id),
        ..Default::default()
    };
    let mut steps = Vec::new();
    loop {
        let page = state.store.touchpoints(me, &filter).await?;
        let Some(last) = page.last() else { break };
        filter.page.after = Some(motesplats_core::Cursor(last.id.0));
        let full = page.len() == filter.page.limit as usize;
        steps.extend(page.into_iter().map(|t| Step {
            id: t.id,
            at: t.occurred_at,
            kind: t.kind.as_str().to_string(),
            declared: t.phase,
        }));
        if !full {
            break;
        }
    }
    let settings: JourneySettings = settings::read(&state, me).await?;
    let time_zone = state
        .store
        .provider(me)
        .await?
        .map_or_else(|| "Europe/Stockholm".to_string(), |p| p.time_zone);
    let zone = time_zone.parse().unwrap_or(chrono_tz::Europe::Stockholm);
    let journeys = journeys(&steps, &settings, zone);
    let placed: std::collections::HashSet<TouchpointId> = journeys
        .iter()
        .flat_map(|j| j.steps.iter().map(|s| s.id))
        .collect();
    let outside = steps
        .iter()
        .map(|s| s.id)
        .filter(|id| !placed.contains(id))
        .collect();
    Ok(Json(PersonJourneys {
        settings,
        time_zone,
        journeys,
        outside,
    }))
}
