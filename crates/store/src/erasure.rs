//! What both backends share in erasure: the keyed hash that marks an erased
//! identifier at a provider, and what was erased where.

use chrono::{DateTime, Utc};
use motesplats_core::retention::Retention;
use motesplats_core::{FieldError, Identifier, ProviderId, Reason};
use std::sync::Arc;

/// The keyed hash (a server secret's HMAC) of an identifier at a provider. The store
/// keeps only these, so a tombstone tells nobody whose it was.
pub type Tombstone = Arc<dyn Fn(ProviderId, &Identifier) -> [u8; 32] + Send + Sync>;

/// What one erasure removed at one provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erased {
    pub provider: ProviderId,
    /// The provider's name when it was erased, for the person's page.
    pub provider_name: String,
    pub at: DateTime<Utc>,
    pub records: u64,
    pub touchpoints: u64,
    pub responses: u64,
    /// Touchpoints the provider keeps by law, held back apart from the records.
    pub held_back: u64,
}

/// Touchpoints of one kind a provider keeps by law after an erasure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldBack {
    pub provider_name: String,
    pub kind: String,
    pub count: u64,
    pub reason: String,
    /// When the last of them goes.
    pub until: DateTime<Utc>,
}

/// What a purge removed at one provider, past its retention periods.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Purged {
    pub touchpoints: u64,
    pub quarantined: u64,
    pub responses: u64,
    pub logs: u64,
    pub held_back: u64,
}

/// The end of a legal hold on a touchpoint that happened at `occurred_at`.
pub(crate) fn held_until(occurred_at: DateTime<Utc>, years: u32) -> DateTime<Utc> {
    occurred_at
        .checked_add_months(chrono::Months::new(years.saturating_mul(12)))
        .unwrap_or(occurred_at)
}

/// The instant before which a period of `days` has passed.
pub(crate) fn cutoff(now: DateTime<Utc>, days: Option<u32>) -> Option<DateTime<Utc>> {
    days.map(|d| now - chrono::Duration::days(i64::from(d)))
}

/// The provider's retention as stored (the defaults, keep everything, when none).
pub(crate) fn retention(document: Option<serde_json::Value>) -> crate::Result<Retention> {
    document.map_or(Ok(Retention::default()), |d| {
        serde_json::from_value(d)
            .map_err(|e| crate::StoreError::Backend(format!("unreadable retention: {e}")))
    })
}

/// The tables whose rows hang on one profile, besides touchpoints and responses.
pub(crate) const BY_PROFILE: [&str; 6] = [
    "identifiers",
    "contacts",
    "imported_consents",
    "linkage_keys",
    "linkage_pending",
    "identity_truth",
];

/// The tables of pairs of profiles, and each end.
pub(crate) const BY_PAIR: [(&str, &str); 6] = [
    ("identity_decisions", "a"),
    ("identity_decisions", "b"),
    ("identity_events", "a"),
    ("identity_events", "b"),
    ("linkage_pairs", "a"),
    ("linkage_pairs", "b"),
];

/// Leaves out the refused events of an erased person: their raw text holds the very
/// identifiers the erasure removed, so the quarantine must not keep them.
pub(crate) fn not_erased(
    events: Vec<(String, String, Vec<FieldError>)>,
) -> Vec<(String, String, Vec<FieldError>)> {
    events
        .into_iter()
        .filter(|(_, _, errors)| !errors.iter().any(|e| e.reason == Reason::Erased))
        .collect()
}

/// Which touchpoints a purge may delete: those older than the period, except that a
/// kind under a legal hold goes only once the hold has ended too. None keeps them all.
pub(crate) struct TouchpointCuts {
    /// For every kind no hold names.
    pub unheld: DateTime<Utc>,
    pub held_kinds: Vec<String>,
    /// Per held kind, the later of the two ends.
    pub held: Vec<(String, DateTime<Utc>)>,
}

pub(crate) fn touchpoint_cuts(retention: &Retention, now: DateTime<Utc>) -> Option<TouchpointCuts> {
    let unheld = cutoff(now, retention.touchpoints_days)?;
    let held: Vec<(String, DateTime<Utc>)> = retention
        .legal_holds
        .iter()
        .map(|h| {
            let hold_ends = now
                .checked_sub_months(chrono::Months::new(h.years.saturating_mul(12)))
                .unwrap_or(now);
            (h.kind.as_str().to_string(), unheld.min(hold_ends))
        })
        .collect();
    Some(TouchpointCuts {
        unheld,
        held_kinds: held.iter().map(|(k, _)| k.clone()).collect(),
        held,
    })
}
