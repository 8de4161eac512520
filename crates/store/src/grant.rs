//! What both backends share in sharing grants: how a stored grant reads back, when
//! a grant is withheld, and what a reader gets of the holder's records (each read
//! logged as the reader's, so the person sees it).

use crate::contact::HeldRecord;
use crate::{AccessEntry, Result, StoreError};
use chrono::{DateTime, Utc};
use motesplats_core::consent::{Category, Choice, Grant, Purpose, holding};
use motesplats_core::{Identifier, ProfileId, Provider, ProviderId, Reason, Touchpoint};
use std::collections::BTreeSet;
use uuid::Uuid;

/// How many of a record's touchpoints, newest first, one read through a grant returns.
pub const SHARED_TOUCHPOINTS: u32 = 200;

/// The access-log action of a read through a grant.
pub const GRANT_READ: &str = "grant";

/// What a reader got through one live grant.
#[derive(Debug, Clone, PartialEq)]
pub struct ThroughGrant {
    pub grant: Grant,
    pub holder: Provider,
    /// Why the grant read nothing: the consent to its purpose at the reader does not
    /// hold (the person withdrew it after granting).
    pub withheld: Option<Reason>,
    pub records: Vec<GrantedRecord>,
}

/// One of the holder's records, as far as the grant's categories reach.
#[derive(Debug, Clone, PartialEq)]
pub struct GrantedRecord {
    pub profile: ProfileId,
    pub identifiers: Option<Vec<Identifier>>,
    /// Every touchpoint on the record, and the newest of them.
    pub touchpoint_count: Option<u64>,
    pub touchpoints: Option<Vec<Touchpoint>>,
}

/// The categories as one stored text.
pub(crate) fn categories_text(categories: &BTreeSet<Category>) -> String {
    categories
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// A grant's columns as stored, before they are checked.
pub(crate) struct GrantRow {
    pub id: Uuid,
    pub holder: Uuid,
    pub reader: Uuid,
    pub categories: String,
    pub purpose: String,
    pub until: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// The columns a `GrantRow` is read from, in order.
pub(crate) const GRANT_COLUMNS: &str =
    "id, holder_id, reader_id, categories, purpose, until, created_at, revoked_at";

impl GrantRow {
    /// The grant as the core reads it; a text that no longer parses is corruption.
    pub fn into_grant(self) -> Result<Grant> {
        let corrupt = || StoreError::Backend("unreadable grant in the database".into());
        Ok(Grant {
            id: self.id,
            holder: ProviderId(self.holder),
            reader: ProviderId(self.reader),
            categories: self
                .categories
                .split(',')
                .map(|c| Category::parse(c).map_err(|_| corrupt()))
                .collect::<Result<_>>()?,
            purpose: Purpose::parse(&self.purpose).map_err(|_| corrupt())?,
            until: self.until,
            created_at: self.created_at,
            revoked_at: self.revoked_at,
        })
    }
}

/// The grant reads only while the person's consent to its purpose at the reader
/// holds: their own choice, or the reader's import when they made none.
pub(crate) fn withheld(grant: &Grant, choices: &[Choice]) -> Option<Reason> {
    let holds = holding(choices, grant.purpose).is_some_and(|c| c.given);
    (!holds).then(|| Reason::GrantNoConsent {
        purpose: grant.purpose.as_str().to_string(),
    })
}

/// The holder's records cut to the grant's categories, and the log of reading them.
pub(crate) fn share(
    grant: &Grant,
    records: Vec<HeldRecord>,
    now: DateTime<Utc>,
) -> (Vec<GrantedRecord>, Vec<AccessEntry>) {
    let has = |c| grant.categories.contains(&c);
    let log = records
        .iter()
        .map(|r| AccessEntry {
            provider_id: grant.reader,
            person_id: r.profile.person_id,
            profile_id: Some(r.profile.id),
            action: GRANT_READ.to_string(),
            at: now,
        })
        .collect();
    let shared = records
        .into_iter()
        .map(|r| GrantedRecord {
            profile: r.profile.id,
            identifiers: has(Category::Identifiers).then_some(r.profile.identifiers),
            touchpoint_count: has(Category::Touchpoints).then_some(r.touchpoints),
            touchpoints: has(Category::Touchpoints).then_some(r.latest),
        })
        .collect();
    (shared, log)
}
