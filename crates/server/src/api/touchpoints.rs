//! Touchpoints: create one, read one, list with filters.

use super::Page;
use super::profiles::path_id;
use crate::auth::{Sender, Tenant};
use crate::error::{ApiError, Problem};
use crate::ingest::{Context, batch};
use crate::json::{ApiQuery, RawBody, parse_json, require_json};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use chrono::Utc;
use motesplats_core::invalid::Checker;
use motesplats_core::touchpoint::{TouchpointInput, TouchpointKind, timestamp};
use motesplats_core::{
    ChannelKey, PageRequest, PersonId, Phase, ProfileId, Touchpoint, TouchpointId,
};
use motesplats_store::{Outcome, Stitch, TouchpointFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_touchpoint, list_touchpoints))
        .routes(routes!(get_touchpoint))
}

/// What a publishable key is told of an event it sent: whether it was stored now or
/// had been seen before, and the event id it sent. Nothing stored: the key is public.
#[derive(Debug, Serialize, ToSchema)]
pub struct Receipt {
    pub status: ReceiptStatus,
    /// The `event_id` of the request, when it had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReceiptStatus {
    Stored,
    /// Seen before (same event id): not stored again.
    Duplicate,
}

/// The answer to a sent touchpoint: a secret key reads it back whole, a publishable
/// key gets a receipt.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum Recorded {
    Touchpoint(Touchpoint),
    Receipt(Receipt),
}

/// Record a touchpoint (JSON, optionally with `Content-Encoding: gzip`). It is
/// durable when the response arrives; a retry with the same `event_id` answers 200
/// instead of 201 and stores nothing. With a secret key the answer is the stored
/// touchpoint (for a retry, the earlier one), with the profile it was stitched to.
/// With a publishable key it is a `Receipt`, which holds nothing stored; such a key
/// may not name a `profile_id`, and its identifiers are stitched a moment later.
#[utoipa::path(post, path = "/touchpoints", tag = "touchpoints", request_body = TouchpointInput,
    responses((status = 201, body = Recorded), (status = 200, body = Recorded, description = "seen before"),
              (status = 400, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem),
              (status = 422, body = Problem), (status = 429, body = Problem), (status = 503, body = Problem)))]
async fn create_touchpoint(
    State(state): State<AppState>,
    sender: Sender,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<(StatusCode, Json<Recorded>), ApiError> {
    require_json(&headers)?;
    let encoding = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok());
    let input: TouchpointInput = parse_json(&batch::decode(encoding, &body, crate::BODY_LIMIT)?)?;
    state.limits.take(sender.key_id, sender.publishable, 1)?;
    let context = Context::for_sender(&state, &sender).await?;
    let new = context.check(input, Utc::now(), false)?;
    let sent_event_id = new.event_id.clone();
    let stitch = if sender.publishable {
        Stitch::Later
    } else {
        Stitch::Now
    };
    let mut out = state
        .store
        .insert_touchpoints(sender.provider, vec![new], Utc::now(), stitch)
        .await?;
    if stitch == Stitch::Later {
        state.resolver.notify_one();
    }
    let (status, t, receipt) = match out.pop() {
        Some(Outcome::Stored(t)) => (StatusCode::CREATED, t, ReceiptStatus::Stored),
        Some(Outcome::Duplicate(t)) => (StatusCode::OK, t, ReceiptStatus::Duplicate),
        Some(Outcome::Rejected(e)) => return Err(ApiError::Invalid(e)),
        None => return Err(ApiError::Internal("no touchpoint stored".into())),
    };
    let answer = if sender.publishable {
        Recorded::Receipt(Receipt {
            status: receipt,
            event_id: sent_event_id,
        })
    } else {
        Recorded::Touchpoint(t)
    };
    Ok((status, Json(answer)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TouchpointQuery {
    /// Page size, 1 to 1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
    /// The `next` cursor of the previous page.
    #[param(value_type = Option<uuid::Uuid>)]
    after: Option<String>,
    profile_id: Option<String>,
    /// Every profile of this person: its whole story as one timeline.
    #[param(value_type = Option<uuid::Uuid>)]
    person_id: Option<String>,
    channel: Option<String>,
    kind: Option<String>,
    /// before, during or after.
    phase: Option<String>,
    /// Occurred at or after this RFC 3339 time.
    from: Option<String>,
    /// Occurred before this RFC 3339 time.
    until: Option<String>,
    /// `oldest` first (default) or `newest` first.
    order: Option<String>,
}

impl TouchpointQuery {
    fn filter(&self) -> Result<TouchpointFilter, ApiError> {
        let mut c = Checker::new();
        let page = c.take(PageRequest::parse(self.limit, self.after.as_deref()));
        let mut id = |field: &'static str, raw: &Option<String>| {
            raw.as_deref().and_then(|p| match p.parse::<uuid::Uuid>() {
                Ok(id) => Some(id),
                Err(_) => {
                    c.fail(field, motesplats_core::Reason::Uuid);
                    None
                }
            })
        };
        let profile = id("profile_id", &self.profile_id).map(ProfileId);
        let person = id("person_id", &self.person_id).map(PersonId);
        let channel = self
            .channel
            .as_deref()
            .and_then(|v| c.take(ChannelKey::parse(v).map_err(|e| e.within("channel"))));
        let kind = self
            .kind
            .as_deref()
            .and_then(|v| c.take(TouchpointKind::parse(v).map_err(|e| e.within("kind"))));
        let phase = self
            .phase
            .as_deref()
            .and_then(|v| c.take(Phase::parse(v).map_err(|e| e.within("phase"))));
        let far = Utc::now() + chrono::Duration::days(3650);
        let from = self
            .from
            .as_deref()
            .and_then(|v| c.take(timestamp("from", v, far)));
        let until = self
            .until
            .as_deref()
            .and_then(|v| c.take(timestamp("until", v, far)));
        let newest_first = match self.order.as_deref() {
            None | Some("oldest") => false,
            Some("newest") => true,
            Some(other) => {
                c.fail(
                    "order",
                    motesplats_core::Reason::OneOf {
                        value: other.to_string(),
                        allowed: motesplats_core::reason::List::of(["oldest", "newest"]),
                    },
                );
                false
            }
        };
        c.finish()?;
        Ok(TouchpointFilter {
            page: page.unwrap_or_default(),
            profile,
            person,
            channel,
            kind,
            phase,
            from,
            until,
            newest_first,
            by_occurrence: false,
        })
    }
}

/// The caller's touchpoints, oldest first, filtered.
#[utoipa::path(get, path = "/touchpoints", tag = "touchpoints", params(TouchpointQuery),
    responses((status = 200, body = Page<Touchpoint>), (status = 422, body = Problem)))]
async fn list_touchpoints(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiQuery(q): ApiQuery<TouchpointQuery>,
) -> Result<Json<Page<Touchpoint>>, ApiError> {
    let filter = q.filter()?;
    let items = state.store.touchpoints(me, &filter).await?;
    Ok(Json(Page::new(items, filter.page.limit, |t| t.id.0)))
}

/// One of the caller's touchpoints.
#[utoipa::path(get, path = "/touchpoints/{id}", tag = "touchpoints", params(("id" = String, Path)),
    responses((status = 200, body = Touchpoint), (status = 404, body = Problem)))]
async fn get_touchpoint(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
) -> Result<Json<Touchpoint>, ApiError> {
    let id: TouchpointId = path_id(&id)?;
    state
        .store
        .touchpoint(me, id)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}
