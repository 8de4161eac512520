//! What both backends share in erasure: the keyed hash that marks an erased
//! identifier at a provider, and what was erased where.

use chrono::{DateTime, Utc};
use motesplats_core::{Identifier, ProviderId};
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
