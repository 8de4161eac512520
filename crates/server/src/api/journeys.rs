//! Journeys: a provider's anchors and windows, and a person's touchpoints as
//! journeys before, during and after each meeting (from the caller's own profiles
//! only, as every read of a person).

use super::profiles::path_id;
use crate::auth::Tenant;
use crate::error::{ApiError, Problem};
use crate::figures::{
    FilterQuery, SegmentQuery, funnel_steps, on_selection, outcome_kind, trend_unit,
};
use crate::json::ApiJson;
use crate::json::ApiQuery;
use crate::settings;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use motesplats_core::journey::motivation::{MotivationRules, MotivationRulesInput};
use motesplats_core::journey::{
    AskedComparison, Attribution, BehaviourLandscape, FunnelStep, Journey, JourneyFigures,
    JourneySettings, JourneySettingsInput, Step, funnel, journeys,
};
use motesplats_core::{PageRequest, PersonId, TouchpointId};
use motesplats_store::TouchpointFilter;
use serde::Deserialize;
use serde::Serialize;
use utoipa::IntoParams;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(person_journeys))
        .routes(routes!(journey_figures))
        .routes(routes!(journey_funnel))
        .routes(routes!(journey_attribution))
        .routes(routes!(journey_landscape))
        .routes(routes!(get_motivation_rules, put_motivation_rules))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrendQuery {
    /// The steps of the trend: `day`, `week` (the default), `month` or `quarter`.
    pub unit: Option<String>,
}

/// The journey figures of a period, a channel or both: the channel mix per phase, own
/// versus uncontrolled channels, channel-to-channel flows, where journeys came from and
/// went after the meeting, the most common paths, the time from the first touch to the
/// meeting, repeat journeys and the trend. Counted from touchpoints placed into
/// journeys a few seconds ago at most.
#[utoipa::path(get, path = "/journeys/figures", tag = "journeys", params(FilterQuery, SegmentQuery, TrendQuery),
    responses((status = 200, body = JourneyFigures), (status = 400, body = Problem)))]
async fn journey_figures(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiQuery(q): ApiQuery<FilterQuery>,
    ApiQuery(s): ApiQuery<SegmentQuery>,
    ApiQuery(t): ApiQuery<TrendQuery>,
) -> Result<Json<JourneyFigures>, ApiError> {
    let unit = trend_unit(t.unit.as_deref()).map_err(ApiError::BadParameters)?;
    let figures = on_selection(
        &state,
        me,
        q,
        s.named(&state, me).await?,
        move |p, filter, key| Ok(p.figures(&key, &filter?, unit)),
    )
    .await?;
    Ok(Json(figures.as_ref().clone()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct FunnelQuery {
    /// The kinds of the funnel's steps in order, comma-separated (2 to 8), such as
    /// `table_booking,visit,purchase`.
    steps: Option<String>,
}

/// Journeys through touchpoints of the given kinds in that order (each step the first
/// of its kind after the step before), with the conversion from each step to the next
/// and the median time between them.
#[utoipa::path(get, path = "/journeys/funnel", tag = "journeys", params(FilterQuery, SegmentQuery, FunnelQuery),
    responses((status = 200, body = Vec<FunnelStep>), (status = 400, body = Problem)))]
async fn journey_funnel(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiQuery(q): ApiQuery<FilterQuery>,
    ApiQuery(s): ApiQuery<SegmentQuery>,
    ApiQuery(f): ApiQuery<FunnelQuery>,
) -> Result<Json<Vec<FunnelStep>>, ApiError> {
    let steps: Vec<String> = f
        .steps
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    let steps = funnel_steps(steps).map_err(ApiError::BadParameters)?;
    let funnel = on_selection(
        &state,
        me,
        q,
        s.named(&state, me).await?,
        move |p, filter, _| {
            let selected = filter?.select(&p.log, &p.placed);
            let kinds: Vec<&str> = steps.iter().map(String::as_str).collect();
            Ok(funnel(&p.log, &p.placed, &selected, &kinds))
        },
    )
    .await?;
    Ok(Json(funnel))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct OutcomeQuery {
    /// The kind of touchpoint that is the outcome (default `purchase`).
    outcome: Option<String>,
}

/// Which channels before the meeting lead to the outcome, credited by five models:
/// first touch, last touch, linear, position-based (40/20/40) and the data-driven
/// Markov removal effect. In each model the credits and the unattributed outcomes add
/// up to the journeys with the outcome.
#[utoipa::path(get, path = "/journeys/attribution", tag = "journeys", params(FilterQuery, SegmentQuery, OutcomeQuery),
    responses((status = 200, body = Attribution), (status = 400, body = Problem)))]
async fn journey_attribution(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiQuery(q): ApiQuery<FilterQuery>,
    ApiQuery(s): ApiQuery<SegmentQuery>,
    ApiQuery(o): ApiQuery<OutcomeQuery>,
) -> Result<Json<Attribution>, ApiError> {
    let outcome = outcome_kind(o.outcome).map_err(ApiError::BadParameters)?;
    let credits = on_selection(
        &state,
        me,
        q,
        s.named(&state, me).await?,
        move |p, filter, key| p.attribution(&key, &filter?, &outcome),
    )
    .await?;
    Ok(Json(credits.as_ref().clone()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LandscapeView {
    pub landscape: BehaviourLandscape,
    /// The rules that classified the journeys, in the order they are tried.
    pub rules: MotivationRules,
    /// Where the caller's surveys ask the `motivation` question: each answer given
    /// with consent beside the classified motivation of the person's latest journey
    /// in the 30 days before it (every journey, whatever the filters).
    pub asked: AskedComparison,
}

/// The value landscape of behaviour: each journey classified by motivation
/// (relationships, goal fulfilment, experiences, or unknown) by the caller's rules,
/// with the rule that decided; message pressure (messages the caller started in the
/// 28 days before the meeting, confirmations and receipts left out) in bands, and
/// the purchase and return rates by band and motivation; and the classifier beside
/// what people answered to a survey's `motivation` question.
#[utoipa::path(get, path = "/journeys/landscape", tag = "journeys", params(FilterQuery, SegmentQuery),
    responses((status = 200, body = LandscapeView), (status = 400, body = Problem)))]
async fn journey_landscape(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiQuery(q): ApiQuery<FilterQuery>,
    ApiQuery(s): ApiQuery<SegmentQuery>,
) -> Result<Json<LandscapeView>, ApiError> {
    let view = on_selection(
        &state,
        me,
        q,
        s.named(&state, me).await?,
        move |p, filter, key| {
            Ok(LandscapeView {
                landscape: p.landscape(&key, &filter?).as_ref().clone(),
                rules: p.rules.clone(),
                asked: p.asked(),
            })
        },
    )
    .await?;
    Ok(Json(view))
}

/// The caller's motivation rules (the defaults until set): tried in order, the
/// first whose conditions a journey's signals meet decides.
#[utoipa::path(get, path = "/motivation-rules", tag = "journeys",
    responses((status = 200, body = MotivationRules)))]
async fn get_motivation_rules(
    State(state): State<AppState>,
    Tenant(me): Tenant,
) -> Result<Json<MotivationRules>, ApiError> {
    Ok(Json(settings::read(&state, me).await?))
}

/// Set the caller's motivation rules; `rules` left out restores the defaults.
#[utoipa::path(put, path = "/motivation-rules", tag = "journeys", request_body = MotivationRulesInput,
    responses((status = 200, body = MotivationRules), (status = 422, body = Problem)))]
async fn put_motivation_rules(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiJson(input): ApiJson<MotivationRulesInput>,
) -> Result<Json<MotivationRules>, ApiError> {
    let parsed = input.parse()?;
    settings::write(&state, me, &parsed, None).await?;
    state.figures.forget(me);
    Ok(Json(parsed))
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
    settings::write(&state, me, &parsed, None).await?;
    state.figures.forget(me);
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
