//! Messages kept in memory instead of sent: SMS until a gateway is plugged in, and
//! e-mail when no SMTP URL is configured.

use super::{GatewayError, SmsSender};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use motesplats_core::identifier::{Identifier, IdentifierKind};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

/// How many messages the outbox keeps; the oldest go first.
const KEPT: usize = 1000;

/// One message that went to the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub to: Identifier,
    /// None for an SMS.
    pub subject: Option<String>,
    pub body: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Default)]
pub struct Outbox {
    sent: Mutex<VecDeque<Sent>>,
    /// Also write each message to the log: a demo's only way to read its codes.
    echo: AtomicBool,
}

impl Outbox {
    pub(super) fn echo(&self) {
        self.echo.store(true, Ordering::Relaxed);
    }

    pub(super) fn keep(&self, to: Identifier, subject: Option<String>, body: &str) {
        if self.echo.load(Ordering::Relaxed) {
            tracing::info!(to = %to.value, "outbox: {body}");
        }
        // A panic elsewhere while holding the lock leaves the queue whole.
        let mut sent = self.sent.lock().unwrap_or_else(PoisonError::into_inner);
        if sent.len() == KEPT {
            sent.pop_front();
        }
        sent.push_back(Sent {
            to,
            subject,
            body: body.to_string(),
            at: Utc::now(),
        });
    }

    /// What was sent to `to`, oldest first.
    pub fn sent_to(&self, to: &Identifier) -> Vec<Sent> {
        let sent = self.sent.lock().unwrap_or_else(PoisonError::into_inner);
        sent.iter().filter(|s| &s.to == to).cloned().collect()
    }

    /// The last message sent to `to`.
    pub fn latest(&self, to: &Identifier) -> Option<Sent> {
        let sent = self.sent.lock().unwrap_or_else(PoisonError::into_inner);
        sent.iter().rev().find(|s| &s.to == to).cloned()
    }
}

#[async_trait]
impl SmsSender for Outbox {
    async fn send_sms(&self, phone: &str, body: &str) -> Result<(), GatewayError> {
        let to = Identifier {
            kind: IdentifierKind::Phone,
            value: phone.to_string(),
        };
        self.keep(to, None, body);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(value: &str) -> Identifier {
        Identifier {
            kind: IdentifierKind::Email,
            value: value.to_string(),
        }
    }

    #[test]
    fn keeps_each_recipients_messages_in_order() {
        let outbox = Outbox::default();
        let (anna, bo) = (email("anna@example.se"), email("bo@example.se"));
        outbox.keep(anna.clone(), Some("1".into()), "första");
        outbox.keep(bo.clone(), Some("2".into()), "till Bo");
        outbox.keep(anna.clone(), Some("3".into()), "andra");
        let bodies: Vec<_> = outbox.sent_to(&anna).into_iter().map(|s| s.body).collect();
        assert_eq!(bodies, ["första", "andra"]);
        assert_eq!(outbox.latest(&bo).unwrap().body, "till Bo");
        assert_eq!(outbox.latest(&email("cilla@example.se")), None);
    }

    #[test]
    fn keeps_only_the_last_thousand() {
        let outbox = Outbox::default();
        let (first, other) = (email("first@example.se"), email("other@example.se"));
        outbox.keep(first.clone(), None, "gone soon");
        for n in 0..KEPT {
            outbox.keep(other.clone(), None, &n.to_string());
        }
        assert!(outbox.sent_to(&first).is_empty());
        assert_eq!(outbox.sent_to(&other).len(), KEPT);
        assert_eq!(outbox.latest(&other).unwrap().body, (KEPT - 1).to_string());
    }
}
