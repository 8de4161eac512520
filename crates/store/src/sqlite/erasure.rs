//! Erasure on SQLite: one job of the single writer deletes everything the person's
//! verified identifiers reach at every provider, leaves tombstones, and relinks the
//! provider's other profiles that were one person with them.

use super::account;
use super::linking;
use super::rows::{Micros, micros};
use crate::Result;
use crate::SettingsKind;
use crate::erasure::{Erased, HeldBack, Purged, Tombstone, cutoff, held_until, touchpoint_cuts};
use chrono::{DateTime, Utc};
use motesplats_core::retention::Retention;
use motesplats_core::{AccountId, Identifier, ProfileId, ProviderId};
use rusqlite::{Connection, params};
use std::collections::BTreeSet;
use uuid::Uuid;

pub fn erase(
    c: &Connection,
    account: AccountId,
    tombstone: &Tombstone,
    now: DateTime<Utc>,
) -> Result<Vec<Erased>> {
    let mut providers = account::persons(c, account)?;
    // One pass per provider, however many of its persons the account reaches.
    let mut seen = std::collections::HashSet::new();
    providers.retain(|(p, _)| seen.insert(p.id));
    let mut out = Vec::with_capacity(providers.len());
    for (provider, _) in providers {
        let retention = crate::erasure::retention(super::ingest::settings(
            c,
            provider.id,
            SettingsKind::Retention,
        )?)?;
        let erased = account::profiles_at(c, account, provider.id)?;
        let mut done = Erased {
            provider: provider.id,
            provider_name: provider.name,
            at: now,
            records: erased.len() as u64,
            touchpoints: 0,
            responses: 0,
            held_back: 0,
        };
        let persons = persons_of(c, &erased)?;
        let mut mates = BTreeSet::new();
        let mut of_person = c.prepare_cached("SELECT id FROM profiles WHERE person_id = ?1")?;
        for person in &persons {
            for id in of_person.query_map([person], |r| r.get(0).map(ProfileId))? {
                mates.insert(id?);
            }
        }
        for id in &erased {
            mates.remove(id);
            for identifier in identifiers(c, *id)? {
                c.prepare_cached(
                    "INSERT INTO tombstones (provider_id, hash) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                )?
                .execute(params![provider.id.0, tombstone(provider.id, &identifier).as_slice()])?;
                forget_elsewhere(c, provider.id, &identifier)?;
            }
            done.held_back += hold_back(c, account, provider.id, *id, &retention)?;
            let (touchpoints, responses) = remove(c, provider.id, *id)?;
            done.touchpoints += touchpoints;
            done.responses += responses;
        }
        // The provider's other profiles that were one person with them are resolved
        // again without them.
        linking::relink(c, crate::linking::rules(), provider.id, mates, now)?;
        for person in &persons {
            c.prepare_cached(
                "DELETE FROM persons WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM profiles WHERE person_id = ?1)",
            )?
            .execute([person])?;
        }
        c.prepare_cached(
            "INSERT INTO erasures (account_id, provider_id, at, records, touchpoints, responses, held_back) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            account.0,
            provider.id.0,
            micros(now),
            count(done.records),
            count(done.touchpoints),
            count(done.responses),
            count(done.held_back)
        ])?;
        out.push(done);
    }
    // What the person shared or asked of the providers ends with what they held.
    c.prepare_cached(
        "UPDATE grants SET revoked_at = ?2 WHERE account_id = ?1 AND revoked_at IS NULL",
    )?
    .execute(params![account.0, micros(now)])?;
    c.prepare_cached("DELETE FROM rectifications WHERE account_id = ?1")?
        .execute([account.0])?;
    Ok(out)
}

fn persons_of(c: &Connection, profiles: &[ProfileId]) -> Result<BTreeSet<Uuid>> {
    let mut q = c.prepare_cached("SELECT person_id FROM profiles WHERE id = ?1")?;
    let mut out = BTreeSet::new();
    for p in profiles {
        out.insert(q.query_row([p.0], |r| r.get(0))?);
    }
    Ok(out)
}

fn identifiers(c: &Connection, profile: ProfileId) -> Result<Vec<Identifier>> {
    let mut q = c.prepare_cached("SELECT kind, value FROM identifiers WHERE profile_id = ?1")?;
    let rows = q.query_map([profile.0], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    rows.map(|r| {
        let (kind, value) = r?;
        linking::identifier(kind, value)
    })
    .collect()
}

/// Deletes what carries the identifier outside any record: touchpoints still waiting
/// to be stitched (which would make a new record of the person) and refused events in
/// the quarantine (whose raw text holds it, as it was written).
fn forget_elsewhere(c: &Connection, provider: ProviderId, id: &Identifier) -> Result<()> {
    // Waiting rows are found through their batches' id ranges: the table is
    // clustered by (provider_id, id), with no index of its own for them.
    c.prepare_cached(
        "DELETE FROM touchpoints WHERE provider_id = ?1 AND id IN (SELECT t.id \
         FROM waiting_batches w JOIN touchpoints t ON t.provider_id = w.provider_id \
         AND t.id BETWEEN w.first_id AND w.last_id WHERE w.provider_id = ?1 \
         AND t.profile_id IS NULL AND EXISTS (SELECT 1 FROM json_each(t.identifiers) j \
         WHERE json_extract(j.value, '$.kind') = ?2 AND json_extract(j.value, '$.value') = ?3))",
    )?
    .execute(params![provider.0, id.kind.as_str(), id.value])?;
    c.prepare_cached(
        "DELETE FROM quarantine WHERE provider_id = ?1 AND instr(lower(raw), lower(?2)) > 0",
    )?
    .execute(params![provider.0, id.value])?;
    Ok(())
}

/// Moves the profile's touchpoints that the law keeps apart, with their reason.
fn hold_back(
    c: &Connection,
    account: AccountId,
    provider: ProviderId,
    profile: ProfileId,
    retention: &Retention,
) -> Result<u64> {
    if retention.legal_holds.is_empty() {
        return Ok(0);
    }
    let rows: Vec<(String, Micros, Option<String>)> = c
        .prepare_cached(
            "SELECT kind, occurred_at, properties FROM touchpoints WHERE profile_id = ?1",
        )?
        .query_map([profile.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut held = 0;
    for (kind, at, properties) in rows {
        let Some(hold) = retention.hold(&kind) else {
            continue;
        };
        c.prepare_cached(
            "INSERT INTO held_back (account_id, provider_id, kind, occurred_at, properties, reason, until) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            account.0,
            provider.0,
            kind,
            micros(at.0),
            properties.unwrap_or_else(|| "{}".into()),
            hold.reason,
            micros(held_until(at.0, hold.years))
        ])?;
        held += 1;
    }
    Ok(held)
}

/// Deletes one profile and every row that hangs on it; the touchpoints and survey
/// responses it removed.
fn remove(c: &Connection, provider: ProviderId, profile: ProfileId) -> Result<(u64, u64)> {
    let p = profile.0;
    let responses: Vec<Uuid> = c
        .prepare_cached(
            "SELECT id FROM survey_responses WHERE provider_id = ?1 \
             AND json_extract(document, '$.profile_id') = ?2",
        )?
        .query_map(params![provider.0, p.to_string()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for r in &responses {
        c.prepare_cached("DELETE FROM codings WHERE response_id = ?1")?
            .execute([r])?;
        c.prepare_cached("DELETE FROM survey_responses WHERE id = ?1")?
            .execute([r])?;
    }
    let touchpoints = c
        .prepare_cached("DELETE FROM touchpoints WHERE profile_id = ?1")?
        .execute([p])?;
    for table in crate::erasure::BY_PROFILE {
        c.prepare_cached(&format!("DELETE FROM {table} WHERE profile_id = ?1"))?
            .execute([p])?;
    }
    // Each end by an index that starts with it (an OR would scan the table).
    for (table, end) in crate::erasure::BY_PAIR {
        c.prepare_cached(&format!(
            "DELETE FROM {table} WHERE provider_id = ?2 AND {end} = ?1"
        ))?
        .execute(params![p, provider.0])?;
    }
    c.prepare_cached("DELETE FROM profiles WHERE id = ?1 AND provider_id = ?2")?
        .execute(params![p, provider.0])?;
    Ok((touchpoints as u64, responses.len() as u64))
}

/// The provider's tombstones.
pub fn tombstones(c: &Connection, provider: ProviderId) -> Result<Vec<[u8; 32]>> {
    let mut q = c.prepare_cached("SELECT hash FROM tombstones WHERE provider_id = ?1")?;
    let rows = q.query_map([provider.0], |r| r.get::<_, Vec<u8>>(0))?;
    rows.map(|r| r?.try_into().map_err(|_| super::rows::corrupt("tombstone")))
        .collect()
}

/// What was erased for the account, newest first.
pub fn erasures(c: &Connection, account: AccountId) -> Result<Vec<Erased>> {
    let mut q = c.prepare_cached(
        "SELECT e.provider_id, p.name, e.at, e.records, e.touchpoints, e.responses, e.held_back \
         FROM erasures e JOIN providers p ON p.id = e.provider_id \
         WHERE e.account_id = ?1 ORDER BY e.at DESC, p.name",
    )?;
    let rows = q.query_map([account.0], |r| {
        Ok(Erased {
            provider: ProviderId(r.get(0)?),
            provider_name: r.get(1)?,
            at: r.get::<_, Micros>(2)?.0,
            records: r.get::<_, i64>(3)?.unsigned_abs(),
            touchpoints: r.get::<_, i64>(4)?.unsigned_abs(),
            responses: r.get::<_, i64>(5)?.unsigned_abs(),
            held_back: r.get::<_, i64>(6)?.unsigned_abs(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// What the providers keep of the account by law, per provider and kind.
pub fn held_back(c: &Connection, account: AccountId) -> Result<Vec<HeldBack>> {
    let mut q = c.prepare_cached(
        "SELECT p.name, h.kind, count(*), max(h.reason), max(h.until) \
         FROM held_back h JOIN providers p ON p.id = h.provider_id \
         WHERE h.account_id = ?1 GROUP BY p.name, h.kind ORDER BY p.name, h.kind",
    )?;
    let rows = q.query_map([account.0], |r| {
        Ok(HeldBack {
            provider_name: r.get(0)?,
            kind: r.get(1)?,
            count: r.get::<_, i64>(2)?.unsigned_abs(),
            reason: r.get(3)?,
            until: r.get::<_, Micros>(4)?.0,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Deletes what the provider keeps past its retention periods, and held-back rows
/// whose hold has ended.
pub fn purge(
    c: &Connection,
    provider: ProviderId,
    retention: &Retention,
    now: DateTime<Utc>,
) -> Result<Purged> {
    let delete = |sql: &str, before: Option<DateTime<Utc>>| -> Result<u64> {
        let Some(before) = before else {
            return Ok(0);
        };
        Ok(c.prepare_cached(sql)?
            .execute(params![provider.0, micros(before)])? as u64)
    };
    // The codings of a response go with it.
    delete(
        "DELETE FROM codings WHERE provider_id = ?1 AND response_id IN \
         (SELECT id FROM survey_responses WHERE provider_id = ?1 AND submitted_at < ?2)",
        cutoff(now, retention.responses_days),
    )?;
    let responses = delete(
        "DELETE FROM survey_responses WHERE provider_id = ?1 AND submitted_at < ?2",
        cutoff(now, retention.responses_days),
    )?;
    let mut touchpoints = 0;
    if let Some(cuts) = touchpoint_cuts(retention, now) {
        let held = serde_json::to_string(&cuts.held_kinds)
            .map_err(|e| crate::StoreError::Backend(e.to_string()))?;
        touchpoints += c
            .prepare_cached(
                "DELETE FROM touchpoints WHERE provider_id = ?1 AND occurred_at < ?2 \
                 AND kind NOT IN (SELECT value FROM json_each(?3))",
            )?
            .execute(params![provider.0, micros(cuts.unheld), held])? as u64;
        for (kind, before) in &cuts.held {
            touchpoints += c
                .prepare_cached(
                    "DELETE FROM touchpoints WHERE provider_id = ?1 AND occurred_at < ?2 AND kind = ?3",
                )?
                .execute(params![provider.0, micros(*before), kind])? as u64;
        }
    }
    Ok(Purged {
        touchpoints,
        quarantined: delete(
            "DELETE FROM quarantine WHERE provider_id = ?1 AND received_at < ?2",
            cutoff(now, retention.quarantine_days),
        )?,
        responses,
        logs: delete(
            "DELETE FROM access_log WHERE provider_id = ?1 AND at < ?2",
            cutoff(now, retention.logs_days),
        )?,
        held_back: delete(
            "DELETE FROM held_back WHERE provider_id = ?1 AND until < ?2",
            Some(now),
        )?,
    })
}
