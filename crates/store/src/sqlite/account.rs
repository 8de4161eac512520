//! A person's sign-in and what their account reaches, on SQLite.

use super::contact::verify;
use super::rows::{self, Micros, micros};
use crate::contact::{HeldRecord, Redeemed};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use motesplats_core::consent::{Choice, Purpose, Source};
use motesplats_core::{AccountId, Identifier, PersonId, ProfileId, Provider, ProviderId};
use rusqlite::{Connection, OptionalExtension, params};

pub fn issue_code(
    c: &Connection,
    id: &Identifier,
    code: [u8; 32],
    expires_at: DateTime<Utc>,
    tries: u32,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO sign_in_codes (kind, value, code_sha256, expires_at, tries_left) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (kind, value) DO UPDATE SET code_sha256 = excluded.code_sha256, \
         expires_at = excluded.expires_at, tries_left = excluded.tries_left",
    )?
    .execute(params![id.kind.as_str(), id.value, code.as_slice(), micros(expires_at), tries])?;
    Ok(())
}

pub fn redeem(
    c: &Connection,
    id: &Identifier,
    code: [u8; 32],
    into: Option<AccountId>,
    now: DateTime<Utc>,
) -> Result<Redeemed> {
    let live: Option<(Vec<u8>, u32)> = c
        .prepare_cached(
            "SELECT code_sha256, tries_left FROM sign_in_codes WHERE kind = ?1 AND value = ?2 AND expires_at > ?3",
        )?
        .query_row(params![id.kind.as_str(), id.value, micros(now)], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((kept, tries)) = live else {
        return Ok(Redeemed::NoCode);
    };
    let forget = |c: &Connection| -> Result<()> {
        c.prepare_cached("DELETE FROM sign_in_codes WHERE kind = ?1 AND value = ?2")?
            .execute(params![id.kind.as_str(), id.value])?;
        Ok(())
    };
    if kept == code {
        forget(c)?;
        // An address another account holds signs in there: accounts are not merged.
        let account = match verify(c, id, into, now) {
            Err(StoreError::Conflict(_)) => verify(c, id, None, now)?,
            other => other?,
        };
        return Ok(Redeemed::Accepted(account));
    }
    let tries_left = tries.saturating_sub(1);
    if tries_left == 0 {
        forget(c)?;
    } else {
        c.prepare_cached(
            "UPDATE sign_in_codes SET tries_left = ?3 WHERE kind = ?1 AND value = ?2",
        )?
        .execute(params![id.kind.as_str(), id.value, tries_left])?;
    }
    Ok(Redeemed::Wrong { tries_left })
}

pub fn create_session(
    c: &Connection,
    account: AccountId,
    token: [u8; 32],
    expires_at: DateTime<Utc>,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO person_sessions (token_sha256, account_id, expires_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![token.as_slice(), account.0, micros(expires_at)])?;
    Ok(())
}

pub fn session(c: &Connection, token: [u8; 32], now: DateTime<Utc>) -> Result<Option<AccountId>> {
    Ok(c.prepare_cached(
        "SELECT account_id FROM person_sessions WHERE token_sha256 = ?1 AND expires_at > ?2",
    )?
    .query_row(params![token.as_slice(), micros(now)], |r| {
        r.get(0).map(AccountId)
    })
    .optional()?)
}

pub fn delete_session(c: &Connection, token: [u8; 32]) -> Result<()> {
    c.prepare_cached("DELETE FROM person_sessions WHERE token_sha256 = ?1")?
        .execute([token.as_slice()])?;
    Ok(())
}

pub fn identifiers(c: &Connection, account: AccountId) -> Result<Vec<Identifier>> {
    let mut q = c.prepare_cached(
        "SELECT kind, value FROM verified_identifiers WHERE account_id = ?1 ORDER BY verified_at, kind, value",
    )?;
    let rows = q.query_map([account.0], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    rows.map(|r| {
        let (kind, value) = r?;
        super::linking::identifier(kind, value)
    })
    .collect()
}

pub fn persons(c: &Connection, account: AccountId) -> Result<Vec<(Provider, PersonId)>> {
    // Through every provider, since identifiers are keyed by provider first; CROSS
    // JOIN keeps SQLite to this order (it would rather scan every identifier).
    let mut q = c.prepare_cached(
        "SELECT DISTINCT pr.id, pr.name, pr.time_zone, pr.country, pr.created_at, p.person_id \
         FROM verified_identifiers v CROSS JOIN providers pr CROSS JOIN identifiers i \
         CROSS JOIN profiles p \
         WHERE v.account_id = ?1 AND i.provider_id = pr.id AND i.kind = v.kind \
         AND i.value = v.value AND p.id = i.profile_id ORDER BY pr.name, p.person_id",
    )?;
    let found = q
        .query_map([account.0], |r| {
            Ok((rows::provider(r)?, PersonId(r.get(5)?)))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(found)
}

pub fn own_consents(c: &Connection, account: AccountId) -> Result<Vec<(ProviderId, Choice)>> {
    let mut q = c.prepare_cached(
        "SELECT provider_id, purpose, given, at FROM own_consents WHERE account_id = ?1 ORDER BY provider_id, purpose",
    )?;
    let rows = q.query_map([account.0], |r| {
        Ok((
            ProviderId(r.get(0)?),
            r.get::<_, String>(1)?,
            r.get::<_, bool>(2)?,
            r.get::<_, Micros>(3)?.0,
        ))
    })?;
    rows.map(|r| {
        let (provider, purpose, given, at) = r?;
        let purpose = Purpose::parse(&purpose).map_err(|_| rows::corrupt("consent purpose"))?;
        Ok((
            provider,
            Choice {
                purpose,
                given,
                source: Source::Person,
                at,
            },
        ))
    })
    .collect()
}

/// The records of every provider, or only of `holder`.
pub fn records(
    c: &Connection,
    account: AccountId,
    holder: Option<ProviderId>,
    latest: u32,
) -> Result<Vec<HeldRecord>> {
    let held: Vec<(Provider, ProfileId)> = c
        .prepare_cached(
            "SELECT DISTINCT pr.id, pr.name, pr.time_zone, pr.country, pr.created_at, i.profile_id \
             FROM verified_identifiers v CROSS JOIN providers pr CROSS JOIN identifiers i \
             WHERE v.account_id = ?1 AND (?2 IS NULL OR pr.id = ?2) AND i.provider_id = pr.id \
             AND i.kind = v.kind AND i.value = v.value ORDER BY pr.name, i.profile_id",
        )?
        .query_map(params![account.0, holder.map(|h| h.0)], |r| {
            Ok((rows::provider(r)?, ProfileId(r.get(5)?)))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(held.len());
    for (provider, id) in held {
        let Some(profile) = rows::profile_by_id(c, provider.id, id)? else {
            continue;
        };
        let touchpoints: i64 = c
            .prepare_cached("SELECT count(*) FROM touchpoints WHERE profile_id = ?1")?
            .query_row([id.0], |r| r.get(0))?;
        let raws: Vec<_> = c
            .prepare_cached(&format!(
                "SELECT {} FROM touchpoints t WHERE t.profile_id = ?1 ORDER BY t.occurred_at DESC, t.id DESC LIMIT ?2",
                rows::TOUCHPOINT_COLUMNS
            ))?
            .query_map(params![id.0, latest], rows::raw_touchpoint)?
            .collect::<rusqlite::Result<_>>()?;
        let latest = raws
            .into_iter()
            .map(|t| t.into_touchpoint())
            .collect::<Result<_>>()?;
        let responses = super::surveys::of_profile(c, provider.id, id)?;
        out.push(HeldRecord {
            provider,
            profile,
            touchpoints: u64::try_from(touchpoints).unwrap_or(0),
            latest,
            responses,
        });
    }
    Ok(out)
}

/// The provider's records that carry one of the account's identifiers.
pub fn profiles_at(
    c: &Connection,
    account: AccountId,
    provider: ProviderId,
) -> Result<Vec<ProfileId>> {
    let mut q = c.prepare_cached(
        "SELECT DISTINCT i.profile_id FROM verified_identifiers v CROSS JOIN identifiers i \
         WHERE v.account_id = ?1 AND i.provider_id = ?2 AND i.kind = v.kind AND i.value = v.value \
         ORDER BY i.profile_id",
    )?;
    let found = q
        .query_map(params![account.0, provider.0], |r| r.get(0).map(ProfileId))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(found)
}
