//! Probabilistic linkage on SQLite: the records linkage reads, the provider's model,
//! and the scored pairs (links join in `linking::walk`, the rest wait for review).

use super::linking::{relink, relink_all};
use super::rows::{micros, object};
use crate::linking::{self, matched};
use crate::{LinkagePairs, Result, StoreError};
use chrono::{DateTime, Utc};
use motesplats_core::identity::{Match, Rules};
use motesplats_core::linkage::{Model, Record};
use motesplats_core::{ProfileId, ProviderId};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Backend(e.to_string()))
}

/// Every profile of the provider that has linkage attributes, as a record.
pub fn records(c: &Connection, provider: ProviderId) -> Result<Vec<Record>> {
    let mut stmt =
        c.prepare_cached("SELECT id, attributes FROM profiles WHERE provider_id = ?1")?;
    let rows = stmt.query_map([provider.0], |r| {
        Ok((ProfileId(r.get(0)?), r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (profile, attributes) = row?;
        out.extend(linking::record(profile, &object(&attributes)?));
    }
    Ok(out)
}

/// Puts a profile with new names or an address on the waiting list.
pub fn wait(c: &Connection, provider: ProviderId, profile: ProfileId) -> Result<()> {
    c.prepare_cached(
        "INSERT OR IGNORE INTO linkage_pending (profile_id, provider_id) VALUES (?1, ?2)",
    )?
    .execute(params![profile.0, provider.0])?;
    Ok(())
}

/// Merges what a touchpoint's source knows of the person into `profile`'s
/// attributes (`linking::merge`); a change to what linkage compares makes it wait.
pub fn merge_attributes(
    c: &Connection,
    provider: ProviderId,
    profile: ProfileId,
    said: &Map<String, Value>,
) -> Result<()> {
    let text: String = c
        .prepare_cached("SELECT attributes FROM profiles WHERE provider_id = ?1 AND id = ?2")?
        .query_row(params![provider.0, profile.0], |r| r.get(0))?;
    let mut kept = object(&text)?;
    let Some(linkage) = linking::merge(&mut kept, said) else {
        return Ok(());
    };
    c.prepare_cached("UPDATE profiles SET attributes = ?3 WHERE provider_id = ?1 AND id = ?2")?
        .execute(params![provider.0, profile.0, json(&kept)?])?;
    if linkage {
        wait(c, provider, profile)?;
    }
    Ok(())
}

pub fn model(c: &Connection, provider: ProviderId) -> Result<Option<Model>> {
    let text: Option<String> = c
        .prepare_cached("SELECT model FROM linkage_models WHERE provider_id = ?1")?
        .query_row([provider.0], |r| r.get(0))
        .optional()?;
    text.map(|t| {
        serde_json::from_str(&t).map_err(|_| StoreError::Backend("unreadable linkage model".into()))
    })
    .transpose()
}

pub fn save_model(
    c: &Connection,
    provider: ProviderId,
    model: &Model,
    at: DateTime<Utc>,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO linkage_models (provider_id, model, trained_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (provider_id) DO UPDATE SET model = excluded.model, trained_at = excluded.trained_at",
    )?
    .execute(params![provider.0, json(model)?, micros(at)])?;
    Ok(())
}

/// Replaces the provider's scored pairs and blocking keys, clears its waiting list
/// and rebuilds its persons; how many profiles changed person.
pub fn set_pairs(
    c: &Connection,
    rules: &'static Rules,
    provider: ProviderId,
    pairs: &LinkagePairs,
    at: DateTime<Utc>,
) -> Result<usize> {
    for table in ["linkage_pairs", "linkage_keys", "linkage_pending"] {
        c.prepare_cached(&format!("DELETE FROM {table} WHERE provider_id = ?1"))?
            .execute([provider.0])?;
    }
    put(c, provider, pairs)?;
    relink_all(c, rules, provider, at)
}

/// Adds what linking the waiting `absorbed` profiles found, takes them off the
/// waiting list and relinks what their links reach; how many changed person.
pub fn absorb(
    c: &Connection,
    rules: &'static Rules,
    provider: ProviderId,
    absorbed: &[ProfileId],
    pairs: &LinkagePairs,
    at: DateTime<Utc>,
) -> Result<usize> {
    put(c, provider, pairs)?;
    let mut done =
        c.prepare_cached("DELETE FROM linkage_pending WHERE provider_id = ?1 AND profile_id = ?2")?;
    for p in absorbed {
        done.execute(params![provider.0, p.0])?;
    }
    let touched: BTreeSet<ProfileId> = pairs.links.iter().flat_map(|m| [m.a, m.b]).collect();
    relink(c, rules, provider, touched, at)
}

/// Writes keys and pairs (a pair already there stays as it is). Refuses a pair or a
/// key naming a profile that is not the provider's.
fn put(c: &Connection, provider: ProviderId, pairs: &LinkagePairs) -> Result<()> {
    let mut key = c.prepare_cached(
        "INSERT OR IGNORE INTO linkage_keys (provider_id, key, profile_id) VALUES (?1, ?2, ?3)",
    )?;
    let mut theirs = c.prepare_cached(
        "SELECT count(*) FROM profiles WHERE provider_id = ?1 AND id IN (?2, ?3)",
    )?;
    for (profile, keys) in &pairs.keys {
        if theirs.query_row(params![provider.0, profile.0, profile.0], |r| {
            r.get::<_, i64>(0)
        })? != 1
        {
            return Err(StoreError::NotFound);
        }
        for k in keys {
            key.execute(params![provider.0, k, profile.0])?;
        }
    }
    let mut pair = c.prepare_cached(
        "INSERT OR IGNORE INTO linkage_pairs (provider_id, a, b, review, probability, fields)          VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (list, in_review) in [(&pairs.links, false), (&pairs.review, true)] {
        for m in list.iter().filter(|m| m.a != m.b) {
            if theirs.query_row(params![provider.0, m.a.0, m.b.0], |r| r.get::<_, i64>(0))? != 2 {
                return Err(StoreError::NotFound);
            }
            pair.execute(params![
                provider.0,
                m.a.min(m.b).0,
                m.a.max(m.b).0,
                in_review,
                m.probability,
                json(&m.fields)?
            ])?;
        }
    }
    Ok(())
}

/// Waiting profiles with their records, at most `limit`, grouped by provider.
pub fn pending(c: &Connection, limit: u32) -> Result<Vec<(ProviderId, Vec<Record>)>> {
    let mut stmt = c.prepare_cached(
        "SELECT w.provider_id, w.profile_id, p.attributes FROM linkage_pending w \
         JOIN profiles p ON p.id = w.profile_id ORDER BY w.provider_id, w.profile_id LIMIT ?1",
    )?;
    let rows = stmt
        .query_map([limit], |r| {
            Ok((
                ProviderId(r.get(0)?),
                ProfileId(r.get(1)?),
                r.get::<_, String>(2)?,
            ))
        })?
        .map(|row| {
            let (provider, profile, attributes) = row?;
            Ok((provider, profile, object(&attributes)?))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(linking::waiting(rows))
}

/// The records of the provider's profiles holding any of `keys`; a key on more
/// than `cap` profiles is a block too large to compare and is left out.
pub fn candidates(
    c: &Connection,
    provider: ProviderId,
    keys: &[String],
    cap: usize,
) -> Result<Vec<Record>> {
    let mut holders = c.prepare_cached(
        "SELECT profile_id FROM linkage_keys WHERE provider_id = ?1 AND key = ?2 LIMIT ?3",
    )?;
    let mut found = BTreeSet::new();
    for k in keys {
        let on: Vec<ProfileId> = holders
            .query_map(params![provider.0, k, cap as i64 + 1], |r| {
                Ok(ProfileId(r.get(0)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        if on.len() <= cap {
            found.extend(on);
        }
    }
    let mut attributes =
        c.prepare_cached("SELECT attributes FROM profiles WHERE provider_id = ?1 AND id = ?2")?;
    let mut out = Vec::with_capacity(found.len());
    for p in found {
        let text: String = attributes.query_row(params![provider.0, p.0], |r| r.get(0))?;
        out.extend(linking::record(p, &object(&text)?));
    }
    Ok(out)
}

/// The linked pairs that name `profile`, for the walk.
pub fn links_of(c: &Connection, provider: ProviderId, profile: ProfileId) -> Result<Vec<Match>> {
    pairs(
        c,
        // Two searches, one per end: with `a = ?2 OR b = ?2` SQLite reads every
        // pair of the provider through the review index instead.
        "SELECT a, b, probability, fields FROM linkage_pairs \
         WHERE provider_id = ?1 AND a = ?2 AND +review = 0 \
         UNION ALL SELECT a, b, probability, fields FROM linkage_pairs \
         WHERE provider_id = ?1 AND b = ?2 AND +review = 0",
        params![provider.0, profile.0],
    )
}

/// The pairs in the review band that nobody decided and no other evidence joined,
/// likeliest first.
pub fn review(c: &Connection, provider: ProviderId, limit: u32) -> Result<Vec<Match>> {
    pairs(
        c,
        "SELECT l.a, l.b, l.probability, l.fields FROM linkage_pairs l \
         JOIN profiles pa ON pa.id = l.a JOIN profiles pb ON pb.id = l.b \
         WHERE l.provider_id = ?1 AND l.review = 1 AND pa.person_id <> pb.person_id \
         AND NOT EXISTS (SELECT 1 FROM identity_decisions d \
             WHERE d.provider_id = l.provider_id AND d.a = l.a AND d.b = l.b) \
         ORDER BY l.probability DESC, l.a, l.b LIMIT ?2",
        params![provider.0, limit],
    )
}

fn pairs(c: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Match>> {
    let mut stmt = c.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |r| {
        Ok((
            ProfileId(r.get(0)?),
            ProfileId(r.get(1)?),
            r.get::<_, f64>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    rows.map(|row| {
        let (a, b, probability, fields) = row?;
        matched(a, b, probability, &fields)
    })
    .collect()
}
