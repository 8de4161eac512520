//! Accounts, consent and contact decisions on SQLite. A decision runs as one job of
//! the single writer, so no other decision can come between its count and its hold.

use super::rows::{Micros, corrupt, micros};
use crate::contact::{self, ContactAnswer, Gathered, ImportedConsent, SentContact, choice};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use motesplats_core::consent::{Choice, ContactPreferences, ContactRequest, Purpose, Source, WEEK};
use motesplats_core::{
    AccountId, ContactId, Identifier, Invalid, PersonId, ProfileId, ProviderId, Reason,
};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

/// Adds `id` to `account`, to the account already holding it, or to a new one.
pub fn verify(
    c: &Connection,
    id: &Identifier,
    account: Option<AccountId>,
    at: DateTime<Utc>,
) -> Result<AccountId> {
    let holder: Option<Option<Uuid>> = c
        .prepare_cached(
            "SELECT account_id FROM verified_identifiers WHERE kind = ?1 AND value = ?2",
        )?
        .query_row(params![id.kind.as_str(), id.value], |r| r.get(0))
        .optional()?;
    match (holder.flatten().map(AccountId), account) {
        (Some(held), Some(wanted)) if held != wanted => Err(StoreError::Conflict(Invalid::one(
            "identifier",
            Reason::Exists {
                what: "account".into(),
            },
        ))),
        (Some(held), _) => Ok(held),
        (None, wanted) => {
            let account = match wanted {
                Some(a) => a,
                None => {
                    let a = AccountId::new();
                    c.prepare_cached("INSERT INTO accounts (id, created_at) VALUES (?1, ?2)")?
                        .execute(params![a.0, micros(at)])?;
                    a
                }
            };
            c.prepare_cached(
                "INSERT INTO verified_identifiers (kind, value, verified_at, account_id) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (kind, value) DO UPDATE SET account_id = excluded.account_id",
            )?
            .execute(params![id.kind.as_str(), id.value, micros(at), account.0])?;
            Ok(account)
        }
    }
}

pub fn set_preferences(c: &Connection, account: AccountId, p: &ContactPreferences) -> Result<()> {
    let json = serde_json::to_string(p).map_err(|e| StoreError::Backend(e.to_string()))?;
    let n = c
        .prepare_cached("UPDATE accounts SET preferences = ?2 WHERE id = ?1")?
        .execute(params![account.0, json])?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub fn preferences(c: &Connection, account: AccountId) -> Result<Option<ContactPreferences>> {
    let json: Option<Option<String>> = c
        .prepare_cached("SELECT preferences FROM accounts WHERE id = ?1")?
        .query_row([account.0], |r| r.get(0))
        .optional()?;
    json.flatten()
        .map(|j| serde_json::from_str(&j).map_err(|_| corrupt("contact preferences")))
        .transpose()
}

/// Every consent, or none when a profile is not the provider's.
pub fn import_consents(
    c: &Connection,
    provider: ProviderId,
    consents: &[ImportedConsent],
) -> Result<usize> {
    let mut owned =
        c.prepare_cached("SELECT 1 FROM profiles WHERE id = ?1 AND provider_id = ?2")?;
    for (i, k) in consents.iter().enumerate() {
        if owned
            .query_row(params![k.profile.0, provider.0], |_| Ok(()))
            .optional()?
            .is_none()
        {
            return Err(StoreError::Invalid(Invalid::one(
                format!("[{i}].profile_id"),
                Reason::NoProfile {
                    id: k.profile.to_string(),
                },
            )));
        }
    }
    // The latest choice per profile and purpose stays, whatever order they came in.
    let mut put = c.prepare_cached(
        "INSERT INTO imported_consents (profile_id, purpose, provider_id, given, at) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (profile_id, purpose) DO UPDATE SET given = excluded.given, at = excluded.at \
         WHERE excluded.at >= imported_consents.at",
    )?;
    for k in consents {
        put.execute(params![
            k.profile.0,
            k.purpose.as_str(),
            provider.0,
            k.given,
            micros(k.at)
        ])?;
    }
    Ok(consents.len())
}

pub fn choose(
    c: &Connection,
    account: AccountId,
    provider: ProviderId,
    choice: &Choice,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO own_consents (account_id, provider_id, purpose, given, at) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (account_id, provider_id, purpose) DO UPDATE SET given = excluded.given, at = excluded.at",
    )?
    .execute(params![account.0, provider.0, choice.purpose.as_str(), choice.given, micros(choice.at)])?;
    Ok(())
}

/// Decides and, on an allow, holds the contact; None when the person has no
/// profile at the provider.
pub fn decide(
    c: &Connection,
    provider: ProviderId,
    person: PersonId,
    request: &ContactRequest,
    now: DateTime<Utc>,
) -> Result<Option<ContactAnswer>> {
    let Some(g) = gather(c, provider, person, request, now)? else {
        return Ok(None);
    };
    let (answer, held) = contact::answer(provider, person.0, request, &g, now);
    if let Some(h) = held {
        c.prepare_cached(
            "INSERT INTO contacts (id, budget_key, provider_id, profile_id, channel, purpose, counts, decided_at, held_until) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            h.id.0, h.budget_key, h.provider.0, h.profile.0, h.channel, h.purpose, h.counts,
            micros(h.decided_at), micros(h.held_until)
        ])?;
    }
    Ok(Some(answer))
}

fn gather(
    c: &Connection,
    provider: ProviderId,
    person: PersonId,
    request: &ContactRequest,
    now: DateTime<Utc>,
) -> Result<Option<Gathered>> {
    // A person's key is its smallest profile's id: that profile stands for it.
    let found: Option<(Uuid, String)> = c
        .prepare_cached(
            "SELECT p.id, pr.time_zone FROM profiles p JOIN providers pr ON pr.id = p.provider_id \
             WHERE p.id = ?1 AND p.person_id = ?1 AND p.provider_id = ?2",
        )?
        .query_row(params![person.0, provider.0], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let Some((profile, zone)) = found else {
        return Ok(None);
    };
    let account = account_of(c, provider, person)?;
    let choices = match request.purpose.consent() {
        Some(purpose) => consents(c, provider, person, account, purpose)?,
        None => Vec::new(),
    };
    let preferences = match account {
        Some(a) => preferences(c, a)?,
        None => None,
    }
    .unwrap_or_else(|| ContactPreferences::default_in(&zone));
    // With an account, what was held under each of its persons before it existed
    // still counts.
    let mut keys = vec![contact::budget_key(account, person.0)];
    if let Some(a) = account {
        keys.extend(super::account::persons(c, a)?.into_iter().map(|(_, p)| p.0));
    }
    let mut count = c.prepare_cached(
        "SELECT decided_at FROM contacts WHERE budget_key = ?1 AND decided_at > ?2 AND counts = 1 \
         AND (sent_at IS NOT NULL OR held_until > ?3)",
    )?;
    let mut counted = Vec::new();
    for key in keys {
        let rows = count.query_map(params![key, micros(now - WEEK), micros(now)], |r| {
            Ok(r.get::<_, Micros>(0)?.0)
        })?;
        counted.extend(rows.collect::<rusqlite::Result<Vec<_>>>()?);
    }
    Ok(Some(Gathered {
        profile: ProfileId(profile),
        account,
        choices,
        preferences,
        counted,
    }))
}

/// The account that verified an identifier of the provider's person, the earliest.
pub fn account_of(
    c: &Connection,
    provider: ProviderId,
    person: PersonId,
) -> Result<Option<AccountId>> {
    Ok(c.prepare_cached(
        "SELECT v.account_id FROM profiles p JOIN identifiers i ON i.profile_id = p.id \
         JOIN verified_identifiers v ON v.kind = i.kind AND v.value = i.value \
         WHERE p.person_id = ?1 AND p.provider_id = ?2 AND v.account_id IS NOT NULL \
         ORDER BY v.verified_at LIMIT 1",
    )?
    .query_row(params![person.0, provider.0], |r| r.get(0).map(AccountId))
    .optional()?)
}

/// Every choice about `purpose` at the provider: its imports about the person's
/// profiles, and the account's own.
pub fn consents(
    c: &Connection,
    provider: ProviderId,
    person: PersonId,
    account: Option<AccountId>,
    purpose: Purpose,
) -> Result<Vec<Choice>> {
    let mut imported = c.prepare_cached(
        "SELECT k.given, k.at FROM imported_consents k JOIN profiles p ON p.id = k.profile_id \
         WHERE p.person_id = ?1 AND p.provider_id = ?2 AND k.purpose = ?3",
    )?;
    let rows = imported.query_map(params![person.0, provider.0, purpose.as_str()], |r| {
        Ok(choice(
            purpose,
            Source::Import,
            r.get(0)?,
            r.get::<_, Micros>(1)?.0,
        ))
    })?;
    let mut choices = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    if let Some(a) = account {
        let own = c
            .prepare_cached(
                "SELECT given, at FROM own_consents WHERE account_id = ?1 AND provider_id = ?2 AND purpose = ?3",
            )?
            .query_row(params![a.0, provider.0, purpose.as_str()], |r| {
                Ok(choice(purpose, Source::Person, r.get(0)?, r.get::<_, Micros>(1)?.0))
            })
            .optional()?;
        choices.extend(own);
    }
    Ok(choices)
}

/// Marks a held contact sent; sending it again answers the same.
pub fn confirm(
    c: &Connection,
    provider: ProviderId,
    id: ContactId,
    now: DateTime<Utc>,
) -> Result<SentContact> {
    let row: Option<(Uuid, String, String, Micros, Option<Micros>)> = c
        .prepare_cached(
            "SELECT profile_id, channel, purpose, held_until, sent_at FROM contacts WHERE id = ?1 AND provider_id = ?2",
        )?
        .query_row(params![id.0, provider.0], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    let Some((profile, channel, purpose, held_until, sent_at)) = row else {
        return Err(StoreError::NotFound);
    };
    let sent_at = match sent_at {
        Some(t) => t.0,
        None if held_until.0 <= now => return Err(contact::lapsed()),
        None => {
            c.prepare_cached("UPDATE contacts SET sent_at = ?2 WHERE id = ?1")?
                .execute(params![id.0, micros(now)])?;
            now
        }
    };
    contact::sent(id, ProfileId(profile), &channel, &purpose, sent_at)
}
