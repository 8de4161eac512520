//! Probabilistic linkage on SQLite: the records linkage reads, the provider's model,
//! and the scored pairs (links join in `linking::walk`, the rest wait for review).

use super::linking::relink_all;
use super::rows::{micros, object};
use crate::linking::{self, matched};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use motesplats_core::identity::{Match, Rules};
use motesplats_core::linkage::{Model, Record};
use motesplats_core::{ProfileId, ProviderId};
use rusqlite::{Connection, OptionalExtension, params};

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

/// Replaces the provider's scored pairs and rebuilds its persons; how many profiles
/// changed person. Pairs naming a profile that is not the provider's are refused.
pub fn set_pairs(
    c: &Connection,
    rules: &'static Rules,
    provider: ProviderId,
    links: &[Match],
    review: &[Match],
    at: DateTime<Utc>,
) -> Result<usize> {
    c.prepare_cached("DELETE FROM linkage_pairs WHERE provider_id = ?1")?
        .execute([provider.0])?;
    let mut put = c.prepare_cached(
        "INSERT INTO linkage_pairs (provider_id, a, b, review, probability, fields) \
         SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE (SELECT count(*) FROM profiles \
         WHERE provider_id = ?1 AND id IN (?2, ?3)) = 2 \
         ON CONFLICT (provider_id, a, b) DO NOTHING",
    )?;
    for (pairs, in_review) in [(links, false), (review, true)] {
        for m in pairs {
            let added = put.execute(params![
                provider.0,
                m.a.min(m.b).0,
                m.a.max(m.b).0,
                in_review,
                m.probability,
                json(&m.fields)?
            ])?;
            if added == 0 && m.a != m.b {
                return Err(StoreError::NotFound);
            }
        }
    }
    relink_all(c, rules, provider, at)
}

/// The linked pairs that name `profile`, for the walk.
pub fn links_of(c: &Connection, provider: ProviderId, profile: ProfileId) -> Result<Vec<Match>> {
    pairs(
        c,
        "SELECT a, b, probability, fields FROM linkage_pairs \
         WHERE provider_id = ?1 AND (a = ?2 OR b = ?2) AND review = 0",
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
