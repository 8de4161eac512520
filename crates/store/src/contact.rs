//! What both backends share in a contact decision: from the facts a transaction
//! gathered to the answer and the contact row to hold. Each backend gathers the facts
//! and writes the row in one transaction that no other decision about the same
//! budget can interleave with, so parallel askers never overdraw a budget.

use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use motesplats_core::consent::{
    Choice, ContactPreferences, ContactPurpose, ContactRequest, Decision, Facts, HOLD, Purpose,
    Source, Verdict, decide, holding,
};
use motesplats_core::{AccountId, ChannelKey, ContactId, Invalid, ProfileId, ProviderId, Reason};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// A decision as the store made it. An allow has an id and is held until
/// `held_until`: the provider confirms the send before then, or it lapses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactAnswer {
    pub decision: Decision,
    pub id: Option<ContactId>,
    pub held_until: Option<DateTime<Utc>>,
}

/// A contact the provider confirmed it sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentContact {
    pub id: ContactId,
    pub profile: ProfileId,
    pub channel: ChannelKey,
    pub purpose: ContactPurpose,
    pub sent_at: DateTime<Utc>,
}

/// What a backend read about the person inside the deciding transaction.
pub(crate) struct Gathered {
    /// A profile of the person at the asking provider, for the contact row.
    pub profile: ProfileId,
    pub account: Option<AccountId>,
    pub choices: Vec<Choice>,
    pub preferences: ContactPreferences,
    pub counted: Vec<DateTime<Utc>>,
}

/// A contact row to hold.
pub(crate) struct Held {
    pub id: ContactId,
    pub provider: ProviderId,
    pub profile: ProfileId,
    pub budget_key: Uuid,
    pub channel: String,
    pub purpose: &'static str,
    pub counts: bool,
    pub decided_at: DateTime<Utc>,
    pub held_until: DateTime<Utc>,
}

/// The budget a person's contacts count against: their account's, across every
/// provider, or without an account only this provider's person's.
pub(crate) fn budget_key(account: Option<AccountId>, person: Uuid) -> Uuid {
    account.map_or(person, |a| a.0)
}

/// The answer, and the row to hold when it allows.
pub(crate) fn answer(
    provider: ProviderId,
    person: Uuid,
    request: &ContactRequest,
    g: &Gathered,
    now: DateTime<Utc>,
) -> (ContactAnswer, Option<Held>) {
    let consent = request
        .purpose
        .consent()
        .and_then(|p| holding(&g.choices, p));
    let decision = decide(
        request,
        &Facts {
            consent,
            preferences: &g.preferences,
            counted: &g.counted,
            now,
        },
    );
    if decision.verdict != Verdict::Allow {
        let answer = ContactAnswer {
            decision,
            id: None,
            held_until: None,
        };
        return (answer, None);
    }
    let held = Held {
        id: ContactId::new(),
        provider,
        profile: g.profile,
        budget_key: budget_key(g.account, person),
        channel: request.channel.as_str().to_string(),
        purpose: request.purpose.as_str(),
        counts: decision.counts,
        decided_at: now,
        held_until: now + HOLD,
    };
    let answer = ContactAnswer {
        decision,
        id: Some(held.id),
        held_until: Some(held.held_until),
    };
    (answer, Some(held))
}

/// A contact held too long to confirm: ask again.
pub(crate) fn lapsed() -> StoreError {
    StoreError::Conflict(Invalid::one(
        "id",
        Reason::ContactLapsed {
            minutes: HOLD.num_minutes(),
        },
    ))
}

/// A stored purpose or channel that no longer reads is corruption.
pub(crate) fn sent(
    id: ContactId,
    profile: ProfileId,
    channel: &str,
    purpose: &str,
    sent_at: DateTime<Utc>,
) -> Result<SentContact> {
    let corrupt = || StoreError::Backend("unreadable contact in the database".into());
    Ok(SentContact {
        id,
        profile,
        channel: ChannelKey::parse(channel).map_err(|_| corrupt())?,
        purpose: ContactPurpose::parse(purpose).map_err(|_| corrupt())?,
        sent_at,
    })
}

/// A consent a provider collected elsewhere, about one of its profiles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedConsent {
    pub profile: ProfileId,
    pub purpose: motesplats_core::consent::Purpose,
    pub given: bool,
    pub at: DateTime<Utc>,
}

/// What a sign-in code was worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redeemed {
    /// Right and live: used up, and the identifier is verified into this account.
    Accepted(AccountId),
    /// Wrong: this many tries are left (none: the code is gone).
    Wrong { tries_left: u32 },
    /// No live code for the identifier (never sent, expired, used or out of tries).
    NoCode,
}

/// One record a provider keeps that carries an identifier the person verified, as the
/// person's own page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldRecord {
    pub provider: motesplats_core::Provider,
    pub profile: motesplats_core::Profile,
    /// Every touchpoint on the record.
    pub touchpoints: u64,
    /// The latest of them, by when they happened.
    pub latest: Vec<motesplats_core::Touchpoint>,
    /// The survey answers linked to the record.
    pub responses: Vec<motesplats_core::survey::Response>,
}

/// The persons whose holding choice about `purpose` is no, from every choice recorded
/// about them (the person's own beside the provider's imports): for leaving them out
/// of what that purpose gates.
pub(crate) fn refused(
    choices: impl IntoIterator<Item = (Uuid, Choice)>,
    purpose: motesplats_core::consent::Purpose,
) -> HashSet<Uuid> {
    let mut by_person: HashMap<Uuid, Vec<Choice>> = HashMap::new();
    for (person, choice) in choices {
        by_person.entry(person).or_default().push(choice);
    }
    by_person
        .into_iter()
        .filter(|(_, c)| holding(c, purpose).is_some_and(|c| !c.given))
        .map(|(person, _)| person)
        .collect()
}

/// A stored choice as the core reads it.
pub(crate) fn choice(purpose: Purpose, source: Source, given: bool, at: DateTime<Utc>) -> Choice {
    Choice {
        purpose,
        given,
        source,
        at,
    }
}
