//! `POST /api/v1/touchpoints/batch`: many events in one request, each accepted or
//! rejected on its own. The answer comes only after the accepted events are durable.

use crate::auth::Sender;
use crate::error::{ApiError, Problem};
use crate::ingest::Context;
use crate::ingest::batch::{self, Format};
use crate::json::{BodyLimit, RawBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, header};
use chrono::Utc;
use motesplats_core::{FieldError, TouchpointId};
use motesplats_store::{Outcome, Stitch};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Most bytes of a batch request as sent (before gzip is undone).
pub const BATCH_BODY_LIMIT: usize = 4 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_batch))
        .layer(DefaultBodyLimit::max(BATCH_BODY_LIMIT))
        .layer(axum::Extension(BodyLimit(BATCH_BODY_LIMIT)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    Accepted,
    /// Seen before (same event id): not stored again.
    Duplicate,
    /// Not stored; kept in the quarantine with the reasons.
    Rejected,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventResult {
    /// The event's position in the request, from 0.
    pub index: usize,
    pub status: EventStatus,
    /// The touchpoint's id (the earlier one for a duplicate). Never given to a
    /// publishable key: it learns only what it sent and each event's status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<TouchpointId>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BatchResult {
    pub accepted: usize,
    pub duplicates: usize,
    pub rejected: usize,
    /// One entry per event, in the order sent.
    pub events: Vec<EventResult>,
}

/// Send up to 2000 touchpoints as a JSON array (`application/json`) or one per line
/// (`application/x-ndjson`), optionally with `Content-Encoding: gzip`; at most 4 MiB
/// as sent and 8 MiB decompressed. Every event needs an `event_id`: retries are then
/// safe. Each event is accepted, a duplicate, or rejected with its reasons (and kept
/// in the quarantine); one bad event never costs the others. Identifiers are stitched
/// to profiles moment after the answer. A publishable key is told each event's status
/// only (no touchpoint ids) and may not name a `profile_id`.
#[utoipa::path(post, path = "/touchpoints/batch", tag = "touchpoints",
    request_body(content = Vec<motesplats_core::touchpoint::TouchpointInput>, content_type = "application/json"),
    responses((status = 200, body = BatchResult), (status = 400, body = Problem), (status = 413, body = Problem),
              (status = 415, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem),
              (status = 503, body = Problem, description = "the disk is full: nothing was stored")))]
async fn create_batch(
    State(state): State<AppState>,
    sender: Sender,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<Json<BatchResult>, ApiError> {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let format = Format::from_content_type(header(header::CONTENT_TYPE))?;
    let decoded = batch::decode(
        header(header::CONTENT_ENCODING),
        &body,
        batch::MAX_DECODED_BYTES,
    )?;
    let events = batch::split(format, &decoded)?;
    let texts: Vec<&str> = events.iter().map(|e| e.text).collect();
    state
        .limits
        .take(sender.key_id, sender.publishable, events.len())?;
    let context = Context::for_sender(&state, &sender).await?;
    let now = Utc::now();

    let mut results: Vec<EventResult> = Vec::with_capacity(events.len());
    let mut good = Vec::with_capacity(events.len());
    let mut positions = Vec::with_capacity(events.len());
    let mut quarantine = Vec::new();
    for (index, event) in events.into_iter().enumerate() {
        match event
            .input
            .and_then(|input| context.check(input, now, true))
        {
            Ok(t) => {
                positions.push(index);
                good.push(t);
                results.push(EventResult {
                    index,
                    status: EventStatus::Accepted,
                    id: None,
                    errors: vec![],
                });
            }
            Err(e) => {
                quarantine.push(("batch".to_string(), event.text.to_string(), e.0.clone()));
                results.push(EventResult {
                    index,
                    status: EventStatus::Rejected,
                    id: None,
                    errors: e.0,
                });
            }
        }
    }
    let outcomes = if good.is_empty() {
        Vec::new()
    } else {
        state
            .store
            .insert_touchpoints(sender.provider, good, now, Stitch::Later)
            .await?
    };
    state.resolver.notify_one();
    // A publishable key is public: it is told nothing stored, not even an id.
    let id = |t: motesplats_core::Touchpoint| (!sender.publishable).then_some(t.id);
    for (index, outcome) in positions.into_iter().zip(outcomes) {
        let r = &mut results[index];
        match outcome {
            Outcome::Stored(t) => r.id = id(t),
            Outcome::Duplicate(t) => {
                r.status = EventStatus::Duplicate;
                r.id = id(t);
            }
            Outcome::Rejected(e) => {
                quarantine.push(("batch".to_string(), texts[index].to_string(), e.0.clone()));
                r.status = EventStatus::Rejected;
                r.errors = e.0;
            }
        }
    }
    if !quarantine.is_empty() {
        // NUL cannot be stored as text everywhere; the reasons already name it.
        let quarantine = quarantine
            .into_iter()
            .map(|(s, raw, e)| (s, raw.replace('\0', "\u{FFFD}"), e))
            .collect();
        state.store.quarantine(sender.provider, quarantine).await?;
    }
    let count = |s| results.iter().filter(|r| r.status == s).count();
    Ok(Json(BatchResult {
        accepted: count(EventStatus::Accepted),
        duplicates: count(EventStatus::Duplicate),
        rejected: count(EventStatus::Rejected),
        events: results,
    }))
}
