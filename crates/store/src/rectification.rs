//! What both backends share in rectification requests: how a stored request reads
//! back, and what the provider sees of one.

use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use motesplats_core::consent::{Rectification, Resolution};
use motesplats_core::{ProfileId, ProviderId};
use uuid::Uuid;

/// The columns a `RectificationRow` is read from, in order.
pub(crate) const RECTIFICATION_COLUMNS: &str =
    "id, provider_id, wrong, correction, requested_at, outcome, note, answered_at, account_id";

/// A request as the provider it went to sees it: with its own records that carry
/// an address the person verified, so it knows whose data to correct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToRectify {
    pub request: Rectification,
    pub profiles: Vec<ProfileId>,
}

/// A request's columns as stored, before they are checked.
pub(crate) struct RectificationRow {
    pub id: Uuid,
    pub provider: Uuid,
    pub wrong: String,
    pub right: String,
    pub requested_at: DateTime<Utc>,
    pub outcome: Option<String>,
    pub note: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub account: Uuid,
}

impl RectificationRow {
    /// The request as the core reads it; an outcome that no longer parses is corruption.
    pub fn into_rectification(self) -> Result<Rectification> {
        let outcome = self
            .outcome
            .map(|o| {
                Resolution::parse(&o)
                    .map_err(|_| StoreError::Backend("unreadable rectification outcome".into()))
            })
            .transpose()?;
        Ok(Rectification {
            id: self.id,
            provider: ProviderId(self.provider),
            wrong: self.wrong,
            right: self.right,
            requested_at: self.requested_at,
            outcome,
            note: self.note,
            answered_at: self.answered_at,
        })
    }
}
