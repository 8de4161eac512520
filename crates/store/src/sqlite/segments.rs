//! Saved segments, and the persons their rules over persons name.

use super::rows::{Micros, corrupt, micros};
use crate::{Result, StoreError};
use motesplats_core::segment::{Segment, SegmentId, SegmentRules};
use motesplats_core::{PersonId, ProfileId, ProviderId};
use rusqlite::{Connection, OptionalExtension, Row, params};

const COLUMNS: &str = "SELECT id, name, rules, updated_at FROM segments";

fn segment(r: &Row) -> rusqlite::Result<(SegmentId, String, String, Micros)> {
    Ok((SegmentId(r.get(0)?), r.get(1)?, r.get(2)?, r.get(3)?))
}

fn read((id, name, rules, at): (SegmentId, String, String, Micros)) -> Result<Segment> {
    let rules: SegmentRules = serde_json::from_str(&rules).map_err(|_| corrupt("segment rules"))?;
    Ok(Segment {
        id,
        name,
        rules,
        updated_at: at.0,
    })
}

/// The provider's segments by name.
pub fn list(c: &Connection, provider: ProviderId) -> Result<Vec<Segment>> {
    let mut q = c.prepare_cached(&format!("{COLUMNS} WHERE provider_id = ?1 ORDER BY name"))?;
    let rows = q.query_map([provider.0], segment)?;
    rows.map(|r| read(r?)).collect()
}

pub fn one(c: &Connection, provider: ProviderId, id: SegmentId) -> Result<Option<Segment>> {
    c.prepare_cached(&format!("{COLUMNS} WHERE provider_id = ?1 AND id = ?2"))?
        .query_row([provider.0, id.0], segment)
        .optional()?
        .map(read)
        .transpose()
}

/// Adds or replaces `s`; a name another segment of the provider has is a conflict.
pub fn save(c: &Connection, provider: ProviderId, s: &Segment) -> Result<()> {
    let taken: Option<i64> = c
        .prepare_cached("SELECT 1 FROM segments WHERE provider_id = ?1 AND name = ?2 AND id <> ?3")?
        .query_row(params![provider.0, s.name, s.id.0], |r| r.get(0))
        .optional()?;
    if taken.is_some() {
        return Err(StoreError::segment_name_taken());
    }
    let rules = serde_json::to_string(&s.rules).map_err(|e| StoreError::Backend(e.to_string()))?;
    let changed = c.execute(
        "INSERT INTO segments (id, provider_id, name, rules, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, rules = excluded.rules, \
         updated_at = excluded.updated_at WHERE segments.provider_id = excluded.provider_id",
        params![s.id.0, provider.0, s.name, rules, micros(s.updated_at)],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub fn delete(c: &Connection, provider: ProviderId, id: SegmentId) -> Result<bool> {
    let n = c.execute(
        "DELETE FROM segments WHERE provider_id = ?1 AND id = ?2",
        [provider.0, id.0],
    )?;
    Ok(n > 0)
}

/// The persons with a profile at `provider` whose attribute `key` is `value` as text
/// (a string as it is, a number as written, `true` or `false`).
pub fn trait_persons(
    c: &Connection,
    provider: ProviderId,
    key: &str,
    value: &str,
) -> Result<Vec<PersonId>> {
    let mut q = c.prepare_cached(
        "SELECT DISTINCT p.person_id FROM profiles p, json_each(p.attributes) a \
         WHERE p.provider_id = ?1 AND a.key = ?2 \
         AND a.type IN ('text', 'integer', 'real', 'true', 'false') \
         AND (CASE a.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' \
              ELSE CAST(a.value AS TEXT) END) = ?3",
    )?;
    let rows = q.query_map(params![provider.0, key, value], |r| Ok(PersonId(r.get(0)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The person of each of `profiles` that is `provider`'s.
pub fn profile_persons(
    c: &Connection,
    provider: ProviderId,
    profiles: &[ProfileId],
) -> Result<Vec<(ProfileId, PersonId)>> {
    let mut q =
        c.prepare_cached("SELECT person_id FROM profiles WHERE id = ?1 AND provider_id = ?2")?;
    let mut found = Vec::with_capacity(profiles.len());
    for p in profiles {
        if let Some(person) = q.query_row([p.0, provider.0], |r| r.get(0)).optional()? {
            found.push((*p, PersonId(person)));
        }
    }
    Ok(found)
}
