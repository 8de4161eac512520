//! The tracking plan, and the quarantine where rejected events wait to be fixed
//! and replayed.

use super::Page;
use super::profiles::path_id;
use crate::auth::Tenant;
use crate::error::{ApiError, Problem};
use crate::ingest::Context;
use crate::ingest::tracking::{self, Shared};
use crate::json::{ApiJson, ApiQuery, RawBody, parse_json};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use motesplats_core::Touchpoint;
use motesplats_core::plan::{CheckedPlan, TrackingPlan};
use motesplats_core::touchpoint::TouchpointInput;
use motesplats_core::{Cursor, PageRequest, ProviderId};
use motesplats_store::{Outcome, QuarantineFilter, Quarantined, Stitch};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_plan, put_plan, delete_plan))
        .routes(routes!(list_quarantine))
        .routes(routes!(get_quarantined, discard_quarantined))
        .routes(routes!(replay_quarantined))
        .routes(routes!(replay_selected))
        .routes(routes!(discard_selected))
}

/// The caller's tracking plan.
#[utoipa::path(get, path = "/tracking-plan", tag = "ingestion",
    responses((status = 200, body = TrackingPlan), (status = 404, body = Problem)))]
async fn get_plan(
    State(state): State<AppState>,
    Tenant(me): Tenant,
) -> Result<Json<TrackingPlan>, ApiError> {
    state
        .store
        .tracking_plan(me)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// Set the caller's tracking plan: the kinds of touchpoints it sends, a JSON Schema
/// for each kind's properties, and whether breaking the plan rejects or flags.
#[utoipa::path(put, path = "/tracking-plan", tag = "ingestion", request_body = TrackingPlan,
    responses((status = 200, body = TrackingPlan), (status = 422, body = Problem)))]
async fn put_plan(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiJson(plan): ApiJson<TrackingPlan>,
) -> Result<Json<TrackingPlan>, ApiError> {
    let checked = CheckedPlan::compile(plan)?;
    state
        .store
        .set_tracking_plan(me, Some(checked.plan.clone()))
        .await?;
    state.plans.forget(me);
    Ok(Json(checked.plan))
}

/// Remove the caller's tracking plan: every kind is accepted again.
#[utoipa::path(delete, path = "/tracking-plan", tag = "ingestion", responses((status = 204)))]
async fn delete_plan(
    State(state): State<AppState>,
    Tenant(me): Tenant,
) -> Result<StatusCode, ApiError> {
    state.store.set_tracking_plan(me, None).await?;
    state.plans.forget(me);
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct QuarantineQuery {
    /// Page size, 1 to 1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
    /// The `next` cursor of the previous page.
    #[param(value_type = Option<uuid::Uuid>)]
    after: Option<String>,
    /// Only events from this source: `batch`, `import` or `touchpoint`.
    source: Option<String>,
    /// Only events refused on this field, such as `occurred_at`.
    field: Option<String>,
}

/// Which quarantined events a bulk replay or discard takes: all (`{}`), or those from
/// one source and/or refused on one field.
/// Read from an object only: serde would also read a struct from an array of its fields.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(try_from = "serde_json::Map<String, serde_json::Value>")]
pub struct QuarantineSelection {
    /// `batch`, `import` or `touchpoint`.
    pub source: Option<String>,
    /// A field one of the reasons names, such as `occurred_at` or `identifiers[0].value`.
    pub field: Option<String>,
}

impl TryFrom<serde_json::Map<String, serde_json::Value>> for QuarantineSelection {
    type Error = String;

    fn try_from(mut object: serde_json::Map<String, serde_json::Value>) -> Result<Self, String> {
        let mut text = |key: &str| match object.remove(key) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(format!("{key}: must be a string")),
        };
        let selection = QuarantineSelection {
            source: text("source")?,
            field: text("field")?,
        };
        match object.keys().next() {
            Some(key) => Err(format!(
                "unknown field `{key}`, expected `source` or `field`"
            )),
            None => Ok(selection),
        }
    }
}

/// The sources events are quarantined from.
pub const SOURCES: [&str; 4] = ["batch", "import", "touchpoint", tracking::SOURCE];

impl QuarantineSelection {
    /// The store's filter, or which part of the selection is wrong.
    pub fn filter(self) -> Result<QuarantineFilter, ApiError> {
        if let Some(s) = &self.source
            && !SOURCES.contains(&s.as_str())
        {
            return Err(ApiError::invalid(
                "source",
                motesplats_core::Reason::OneOf {
                    value: s.clone(),
                    allowed: motesplats_core::reason::List::of(SOURCES),
                },
            ));
        }
        if let Some(f) = &self.field {
            if f.trim().is_empty() {
                return Err(ApiError::invalid("field", motesplats_core::Reason::Empty));
            }
            if f.len() > 200 {
                return Err(ApiError::invalid(
                    "field",
                    motesplats_core::Reason::TooLong { max: 200 },
                ));
            }
        }
        Ok(QuarantineFilter {
            source: self.source,
            field: self.field,
        })
    }
}

/// What a bulk replay did.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct Replayed {
    /// Stored now, and out of the quarantine.
    pub stored: u64,
    /// Stored before (the same event id), and out of the quarantine.
    pub already_there: u64,
    /// Refused again; they stay in the quarantine.
    pub still_rejected: u64,
}

/// What a bulk discard did.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Discarded {
    pub discarded: u64,
}

/// Rejected events, oldest first.
#[utoipa::path(get, path = "/quarantine", tag = "ingestion", params(QuarantineQuery),
    responses((status = 200, body = Page<Quarantined>)))]
async fn list_quarantine(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiQuery(q): ApiQuery<QuarantineQuery>,
) -> Result<Json<Page<Quarantined>>, ApiError> {
    let page = PageRequest::parse(q.limit, q.after.as_deref())?;
    let filter = QuarantineSelection {
        source: q.source,
        field: q.field,
    }
    .filter()?;
    let items = state.store.quarantined(me, &filter, page).await?;
    Ok(Json(Page::new(items, page.limit, |q| q.id)))
}

/// One rejected event with its reasons.
#[utoipa::path(get, path = "/quarantine/{id}", tag = "ingestion", params(("id" = String, Path)),
    responses((status = 200, body = Quarantined), (status = 404, body = Problem)))]
async fn get_quarantined(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
) -> Result<Json<Quarantined>, ApiError> {
    let id: Uuid = path_id(&id)?;
    state
        .store
        .quarantined_one(me, id)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// Discard a rejected event.
#[utoipa::path(delete, path = "/quarantine/{id}", tag = "ingestion", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
async fn discard_quarantined(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id: Uuid = path_id(&id)?;
    state.store.release_quarantined(me, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replay a rejected event: as it was (an empty body), or corrected (the fixed event
/// as the body). It goes through the same checks as any event; on success it is
/// stored and leaves the quarantine, otherwise it stays and the reasons come back.
#[utoipa::path(post, path = "/quarantine/{id}/replay", tag = "ingestion", params(("id" = String, Path)),
    request_body(content = Option<TouchpointInput>, content_type = "application/json"),
    responses((status = 201, body = Touchpoint), (status = 200, body = Touchpoint, description = "seen before"),
              (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn replay_quarantined(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    RawBody(body): RawBody,
) -> Result<(StatusCode, Json<Touchpoint>), ApiError> {
    let id: Uuid = path_id(&id)?;
    let held = state
        .store
        .quarantined_one(me, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let text: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        held.raw.as_bytes()
    } else {
        &body
    };
    let context = Context::load(&state, me).await?;
    let (status, t) = replay(&state, me, &context, &held.source, id, text).await?;
    Ok((status, Json(t)))
}

/// Replays one quarantined event as `text`, in the shape of its `source` (a
/// message of the tracking protocol, or a touchpoint): checked as any event, stored,
/// and out of the quarantine; 201 when stored now, 200 when it was stored before.
async fn replay(
    state: &AppState,
    me: ProviderId,
    context: &Context,
    source: &str,
    id: Uuid,
    text: &[u8],
) -> Result<(StatusCode, Touchpoint), ApiError> {
    let new = if source == tracking::SOURCE {
        let raw = std::str::from_utf8(text)
            .map_err(|_| ApiError::Malformed("the body is not UTF-8".into()))?;
        context
            .check_message(raw, None, Shared::default(), Utc::now())?
            .ok_or_else(|| ApiError::invalid("integrations", motesplats_core::Reason::TurnedOff))?
    } else {
        let input: TouchpointInput = parse_json(text)?;
        context.check(input, Utc::now(), true)?
    };
    let mut out = state
        .store
        .insert_touchpoints(me, vec![new], Utc::now(), Stitch::Now)
        .await?;
    let answer = match out.pop() {
        Some(Outcome::Stored(t)) => (StatusCode::CREATED, t),
        Some(Outcome::Duplicate(t)) => (StatusCode::OK, t),
        Some(Outcome::Rejected(e)) => return Err(ApiError::Invalid(e)),
        None => return Err(ApiError::Internal("no touchpoint stored".into())),
    };
    state.store.release_quarantined(me, id).await?;
    Ok(answer)
}

/// Replay every quarantined event the selection takes, each as it was kept: useful
/// once the reason is gone (a channel registered, the tracking plan changed). Events
/// refused again stay, with their reasons.
#[utoipa::path(post, path = "/quarantine/replay", tag = "ingestion", request_body = QuarantineSelection,
    responses((status = 200, body = Replayed), (status = 422, body = Problem)))]
async fn replay_selected(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiJson(selection): ApiJson<QuarantineSelection>,
) -> Result<Json<Replayed>, ApiError> {
    Ok(Json(replay_all(&state, me, &selection.filter()?).await?))
}

/// Replays every quarantined event `filter` takes, each as it was kept (the API and
/// the quarantine page both call this).
pub async fn replay_all(
    state: &AppState,
    me: ProviderId,
    filter: &QuarantineFilter,
) -> Result<Replayed, ApiError> {
    let context = Context::load(state, me).await?;
    let mut done = Replayed::default();
    let mut page = PageRequest {
        limit: PageRequest::MAX_LIMIT,
        after: None,
    };
    loop {
        let held = state.store.quarantined(me, filter, page).await?;
        let Some(last) = held.last() else { break };
        page.after = Some(Cursor(last.id));
        for q in &held {
            match replay(state, me, &context, &q.source, q.id, q.raw.as_bytes()).await {
                Ok((StatusCode::CREATED, _)) => done.stored += 1,
                Ok(_) => done.already_there += 1,
                Err(ApiError::Invalid(_)) => done.still_rejected += 1,
                Err(e) => return Err(e),
            }
        }
    }
    Ok(done)
}

/// Discard every quarantined event the selection takes (`{}`: all of them).
#[utoipa::path(post, path = "/quarantine/discard", tag = "ingestion", request_body = QuarantineSelection,
    responses((status = 200, body = Discarded), (status = 422, body = Problem)))]
async fn discard_selected(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiJson(selection): ApiJson<QuarantineSelection>,
) -> Result<Json<Discarded>, ApiError> {
    let filter = selection.filter()?;
    let discarded = state.store.discard_quarantined(me, &filter, None).await?;
    Ok(Json(Discarded { discarded }))
}
