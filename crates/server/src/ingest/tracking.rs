//! Messages of the tracking protocol on the one checking path: each is read, held
//! to the protocol's size, mapped onto a touchpoint input with the provider's table
//! of event names, and then checked as any event, so the tracking plan and the
//! quarantine apply to it unchanged.

use super::Context;
use chrono::{DateTime, Utc};
use motesplats_core::tracking_protocol::{Call, MESSAGE_MAX_BYTES, Mapped, to_touchpoint};
use motesplats_core::{FieldError, Invalid, NewTouchpoint, Reason};
use serde_json::Value;

/// What a batch gives each of its messages: its `sentAt`, and the `context` and
/// `integrations` a message without its own takes.
#[derive(Debug, Default, Clone, Copy)]
pub struct Shared<'a> {
    pub sent_at: Option<&'a str>,
    pub context: Option<&'a Value>,
    pub integrations: Option<&'a Value>,
}

/// The quarantine's name for messages of the tracking protocol.
pub const SOURCE: &str = "tracking";

/// The checks name their own fields; a sender of the protocol knows the spec's.
fn in_the_specs_words(e: Invalid) -> Invalid {
    let renamed = |field: &str| -> Option<&'static str> {
        match field {
            "event_id" => Some("messageId"),
            "kind" => Some("event"),
            "channel" => Some("context.channel"),
            "occurred_at" => Some("timestamp"),
            "attributes" => Some("traits"),
            _ => None,
        }
    };
    Invalid(
        e.0.into_iter()
            .map(|f| FieldError {
                field: renamed(&f.field).map_or(f.field, str::to_string),
                reason: f.reason,
            })
            .collect(),
    )
}

impl Context {
    /// Checks one message as sent (`raw`, its JSON text). `call` is the call the
    /// endpoint names, None in a batch. None when the message's `integrations` turn
    /// Mötesplats off.
    pub fn check_message(
        &self,
        raw: &str,
        call: Option<Call>,
        shared: Shared,
        now: DateTime<Utc>,
    ) -> Result<Option<NewTouchpoint>, Invalid> {
        if raw.len() > MESSAGE_MAX_BYTES {
            return Err(Invalid::one(
                "",
                Reason::TooLarge {
                    max: MESSAGE_MAX_BYTES,
                },
            ));
        }
        let mut message: Value = serde_json::from_str(raw).map_err(|e| {
            Invalid::one(
                "",
                Reason::NotJson {
                    detail: e.to_string(),
                },
            )
        })?;
        if let Value::Object(m) = &mut message {
            for (key, value) in [
                ("context", shared.context),
                ("integrations", shared.integrations),
            ] {
                if let Some(v) = value
                    && !m.contains_key(key)
                {
                    m.insert(key.into(), v.clone());
                }
            }
        }
        let known = |k: &str| self.knows(k);
        match to_touchpoint(
            &message,
            call,
            &self.event_names,
            known,
            now,
            shared.sent_at,
        )? {
            Mapped::Skipped => Ok(None),
            Mapped::Touchpoint(input) => self
                .check(*input, now, true)
                .map(Some)
                .map_err(in_the_specs_words),
        }
    }
}
