//! The tracking protocol's endpoints, compatible with Segment's HTTP tracking API
//! and RudderStack's data plane: `POST /tracking/v1/{call}` for `identify`, `track`,
//! `page`, `screen`, `alias`, `group` and `batch` (and the one-letter paths the
//! browser SDK posts to). An SDK pointed at `https://<host>/tracking` sends here
//! unchanged: the write key is any of the provider's API keys, as Basic auth's user
//! name (server SDKs), in the body's `writeKey` (browsers), or as a Bearer token.

use crate::auth::{Sender, origin};
use crate::error::{ApiError, Problem};
use crate::ingest::Context;
use crate::ingest::batch::{self, MAX_DECODED_BYTES, MAX_EVENTS};
use crate::ingest::tracking::{SOURCE, Shared};
use crate::json::{BodyLimit, RawBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, header};
use base64::Engine;
use chrono::Utc;
use motesplats_core::tracking_protocol::Call;
use motesplats_core::{Invalid, Reason};
use motesplats_store::{Outcome, Stitch};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Most bytes of a request as sent: RudderStack's SDKs batch up to 4 MB (Segment's
/// keep to 500 KB); each message is held to 32 KB on its own.
pub const BODY_LIMIT: usize = 4 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(receive))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::Extension(BodyLimit(BODY_LIMIT)))
}

/// What a path names: one call, or a batch of them.
#[derive(Debug, Clone, Copy)]
enum Endpoint {
    One(Call),
    Batch,
}

impl Endpoint {
    fn parse(path: &str) -> Option<Endpoint> {
        match path {
            // `import` is Segment's older name of the batch endpoint; `b` the browser's.
            "batch" | "b" | "import" => Some(Endpoint::Batch),
            other => Call::parse(other).map(Endpoint::One),
        }
    }
}

/// The body of a batch.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BatchBody<'a> {
    #[serde(borrow)]
    batch: Vec<&'a RawValue>,
    sent_at: Option<String>,
    context: Option<Value>,
    integrations: Option<Value>,
}

/// The key a browser puts in the body.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyInBody {
    write_key: Option<String>,
}

/// What became of the messages. SDKs read only the status; the counts are for
/// people calling by hand.
#[derive(Debug, Serialize, ToSchema)]
pub struct Received {
    pub success: bool,
    pub accepted: usize,
    /// Seen before (same `messageId`): not stored again.
    pub duplicates: usize,
    /// Kept in the quarantine with their reasons.
    pub rejected: usize,
    /// Their `integrations` turned Mötesplats off.
    pub skipped: usize,
}

/// The write key: Basic auth's user name, a Bearer token, or the body's `writeKey`.
fn write_key(headers: &HeaderMap, in_body: Option<String>) -> Result<String, ApiError> {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    let from_header = match authorization {
        Some(a) if a.len() > 6 && a[..6].eq_ignore_ascii_case("basic ") => {
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(a[6..].trim())
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or(ApiError::Unauthorized(
                    "Basic auth must be base64 of <write key>:",
                ))?;
            Some(decoded.split(':').next().unwrap_or_default().to_string())
        }
        Some(a) => a.strip_prefix("Bearer ").map(|t| t.trim().to_string()),
        None => None,
    };
    from_header
        .filter(|k| !k.is_empty())
        .or(in_body.filter(|k| !k.is_empty()))
        .ok_or(ApiError::Unauthorized(
            "send the write key (an API key) as Basic auth's user name, as a Bearer token, or as writeKey",
        ))
}

/// A message as the quarantine keeps it: with the `type` its path gave it (so it can
/// be replayed without the path), and without NUL, which not every store can keep.
fn typed(raw: &str, call: Option<Call>) -> String {
    let given = call.and_then(|call| match serde_json::from_str::<Value>(raw) {
        Ok(Value::Object(mut m)) if !m.contains_key("type") => {
            m.insert("type".into(), call.as_str().into());
            Some(Value::Object(m).to_string())
        }
        _ => None,
    });
    given
        .unwrap_or_else(|| raw.to_string())
        .replace('\0', "\u{FFFD}")
}

fn malformed(e: serde_json::Error) -> ApiError {
    ApiError::Malformed(format!(
        "the body must be a message or a batch of them: {e}"
    ))
}

/// Receive one call (`identify`, `track`, `page`, `screen`, `alias`, `group`, or
/// the browser SDK's `i`, `t`, `p`, `s`, `a`, `g`) or a batch (`batch`, `b`,
/// `import`: `{"batch": [...], "sentAt": ..., "context": ...}`) in Segment's
/// tracking spec. `messageId` becomes the event id, so retries are stored once.
/// A bad message in a batch is kept in the quarantine and the rest are stored
/// (200); a bad single call is answered 422 and kept in the quarantine. Bodies may
/// be gzip; at most 4 MB as sent, 32 KB per message.
#[utoipa::path(post, path = "/{call}", tag = "tracking protocol",
    security(("write_key" = []), ("api_key" = [])),
    params(("call" = String, Path, description = "identify, track, page, screen, alias, group, batch (or i, t, p, s, a, g, b, import)")),
    request_body(content = Object, content_type = "application/json"),
    responses((status = 200, body = Received), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem),
              (status = 415, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem),
              (status = 503, body = Problem, description = "the disk is full: nothing was stored")))]
async fn receive(
    State(state): State<AppState>,
    Path(call): Path<String>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<Json<Received>, ApiError> {
    let endpoint = Endpoint::parse(&call).ok_or(ApiError::NotFound)?;
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let decoded = batch::decode(header(header::CONTENT_ENCODING), &body, MAX_DECODED_BYTES);
    // Who sends is settled first, whatever the body holds.
    let in_body = decoded
        .as_deref()
        .ok()
        .and_then(|d| serde_json::from_slice::<KeyInBody>(d).ok())
        .and_then(|k| k.write_key);
    let key = write_key(&headers, in_body)?;
    let sender = Sender::with_key(&state, &key, origin(&headers)).await?;
    accepted_media(header(header::CONTENT_TYPE))?;
    let decoded = decoded?;
    let text = std::str::from_utf8(&decoded)
        .map_err(|_| ApiError::Malformed("the body is not UTF-8".into()))?;
    let sent = Sent::read(endpoint, text)?;
    state
        .limits
        .take(sender.key_id, sender.publishable, sent.messages.len())?;
    let context = Context::for_sender(&state, &sender).await?;
    let received = keep(&state, &sender, &context, &sent).await?;
    match (sent.call, received.refused) {
        (Some(_), Some(why)) => Err(ApiError::Invalid(why)),
        _ => Ok(Json(received.counts)),
    }
}

/// Browsers send JSON as text/plain, which needs no preflight.
fn accepted_media(content_type: Option<&str>) -> Result<(), ApiError> {
    let media = content_type
        .and_then(|v| v.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase());
    match media.as_deref() {
        None | Some("application/json" | "text/plain") => Ok(()),
        other => Err(ApiError::media_type(
            other,
            &["application/json", "text/plain"],
        )),
    }
}

/// The messages of a request, as sent, and what a batch gives them all.
struct Sent<'a> {
    messages: Vec<&'a str>,
    /// The call the path names; None for a batch.
    call: Option<Call>,
    sent_at: Option<String>,
    context: Option<Value>,
    integrations: Option<Value>,
}

impl<'a> Sent<'a> {
    fn read(endpoint: Endpoint, text: &'a str) -> Result<Sent<'a>, ApiError> {
        match endpoint {
            Endpoint::Batch => {
                let b: BatchBody = serde_json::from_str(text).map_err(malformed)?;
                if b.batch.len() > MAX_EVENTS {
                    return Err(ApiError::Invalid(Invalid::one(
                        "batch",
                        Reason::TooManyEntries {
                            count: b.batch.len(),
                            max: MAX_EVENTS,
                        },
                    )));
                }
                Ok(Sent {
                    messages: b.batch.iter().map(|r| r.get()).collect(),
                    call: None,
                    sent_at: b.sent_at,
                    context: b.context,
                    integrations: b.integrations,
                })
            }
            Endpoint::One(call) => {
                serde_json::from_str::<&RawValue>(text).map_err(malformed)?;
                Ok(Sent {
                    messages: vec![text],
                    call: Some(call),
                    sent_at: None,
                    context: None,
                    integrations: None,
                })
            }
        }
    }
}

/// What [`keep`] did: the counts, and why the first refused message was refused.
struct Kept {
    counts: Received,
    refused: Option<Invalid>,
}

/// Checks every message, stores the good ones and keeps the refused ones in the
/// quarantine (with the `type` their path gave them, so they replay without it).
async fn keep(
    state: &AppState,
    sender: &Sender,
    context: &Context,
    sent: &Sent<'_>,
) -> Result<Kept, ApiError> {
    let shared = Shared {
        sent_at: sent.sent_at.as_deref(),
        context: sent.context.as_ref(),
        integrations: sent.integrations.as_ref(),
    };
    let now = Utc::now();
    let mut counts = Received {
        success: true,
        accepted: 0,
        duplicates: 0,
        rejected: 0,
        skipped: 0,
    };
    let mut good = Vec::with_capacity(sent.messages.len());
    let mut raws = Vec::with_capacity(sent.messages.len());
    let mut quarantine = Vec::new();
    let held = |raw: &str, why: Invalid| (SOURCE.to_string(), typed(raw, sent.call), why.0);
    for raw in &sent.messages {
        match context.check_message(raw, sent.call, shared, now) {
            Ok(Some(t)) => {
                good.push(t);
                raws.push(*raw);
            }
            Ok(None) => counts.skipped += 1,
            Err(why) => quarantine.push(held(raw, why)),
        }
    }
    if !good.is_empty() {
        let outcomes = state
            .store
            .insert_touchpoints(sender.provider, good, now, Stitch::Later)
            .await?;
        state.resolver.notify_one();
        for (raw, outcome) in raws.into_iter().zip(outcomes) {
            match outcome {
                Outcome::Stored(_) => counts.accepted += 1,
                Outcome::Duplicate(_) => counts.duplicates += 1,
                Outcome::Rejected(why) => quarantine.push(held(raw, why)),
            }
        }
    }
    counts.rejected = quarantine.len();
    let refused = quarantine
        .first()
        .map(|(_, _, errors)| Invalid(errors.clone()));
    if !quarantine.is_empty() {
        state.store.quarantine(sender.provider, quarantine).await?;
    }
    Ok(Kept { counts, refused })
}
