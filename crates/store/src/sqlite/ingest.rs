//! The write path of touchpoints, kept lean: one prepared insert per event into the
//! table clustered by provider and id, event-id deduplication by the unique index,
//! and stitching either in the same transaction or later by `resolve_pending`, which
//! finds waiting rows through the id range each batch left in `waiting_batches`.
//! Also the quarantine and tracking plans.

use super::linkage;
use super::linking::Placer;
use super::rows::{self, Micros, as_stored, micros};
use super::store::named_profile;
use crate::{Outcome, QuarantineFilter, Quarantined, Result, SettingsKind, Stitch, StoreError};
use chrono::{DateTime, Utc};
use motesplats_core::plan::TrackingPlan;
use motesplats_core::touchpoint::Subject;
use motesplats_core::{
    FieldError, Identifier, NewTouchpoint, PageRequest, ProfileId, ProviderId, Touchpoint,
};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashSet;
use uuid::Uuid;

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Backend(e.to_string()))
}

/// A touchpoint with its JSON columns already written, so that work happens in
/// parallel on the callers' threads rather than under the single writer.
pub struct Prepared {
    t: NewTouchpoint,
    properties: String,
    identifiers: Option<String>,
    attributes: Option<String>,
    flags: Option<String>,
}

pub fn prepare(new: Vec<NewTouchpoint>) -> Result<Vec<Prepared>> {
    new.into_iter()
        .map(|t| {
            let identifiers = match &t.subject {
                Subject::Identifiers(ids) => Some(json(ids)?),
                Subject::Profile(_) => None,
            };
            let flags = if t.flags.is_empty() {
                None
            } else {
                Some(json(&t.flags)?)
            };
            let attributes = (!t.attributes.is_empty())
                .then(|| json(&t.attributes))
                .transpose()?;
            Ok(Prepared {
                properties: json(&t.properties)?,
                identifiers,
                attributes,
                flags,
                t,
            })
        })
        .collect()
}

pub fn insert(
    c: &Connection,
    provider: ProviderId,
    new: Vec<Prepared>,
    received_at: DateTime<Utc>,
    stitch: Stitch,
) -> Result<Vec<Outcome>> {
    let mut insert = c.prepare_cached(
        "INSERT INTO touchpoints (id, provider_id, profile_id, identifiers, event_id, channel, kind, occurred_at, \
         received_at, initiator, setting, phase, properties, flags, occurred_on, attributes) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) \
         ON CONFLICT (provider_id, event_id) WHERE event_id IS NOT NULL DO NOTHING",
    )?;
    let mut known_profiles: HashSet<ProfileId> = HashSet::new();
    let mut placer = Placer::new(provider);
    let mut waiting: Option<(Uuid, Uuid)> = None;
    let mut out = Vec::with_capacity(new.len());
    for Prepared {
        t,
        properties,
        identifiers: identifiers_json,
        attributes,
        flags,
    } in new
    {
        let (profile, identifiers) = match &t.subject {
            Subject::Profile(id) => {
                if !known_profiles.contains(id) {
                    match named_profile(c, provider, *id) {
                        Ok(_) => known_profiles.insert(*id),
                        Err(StoreError::Invalid(e)) => {
                            out.push(Outcome::Rejected(e));
                            continue;
                        }
                        Err(e) => return Err(e),
                    };
                }
                (Some(*id), None)
            }
            Subject::Identifiers(ids) => (None, Some(ids)),
        };
        // Placed before the insert, so the row is written once, with its profile; but
        // not a duplicate, whose first copy may still wait to be placed. Later: only
        // where placing changes nothing (a known customer's identifiers, all on the
        // profile chosen), which only reads, so a duplicate may be looked at too.
        let placed = match (identifiers, stitch) {
            (Some(ids), Stitch::Now) if !seen(c, provider, t.event_id.as_deref())? => {
                Some(placer.place(c, ids, received_at)?)
            }
            (Some(ids), Stitch::Later) => placer.held(c, ids)?,
            _ => None,
        };
        let changed = insert.execute(params![
            t.id.0,
            provider.0,
            profile.or(placed).map(|p| p.0),
            identifiers_json.filter(|_| placed.is_none()),
            t.event_id,
            t.channel.as_str(),
            t.kind.as_str(),
            micros(t.occurred_at),
            micros(received_at),
            t.initiator.as_str(),
            t.setting.map(|s| s.as_str()),
            t.phase.map(|p| p.as_str()),
            properties,
            flags,
            t.occurred_on.map(|d| d.to_string()),
            attributes,
        ])?;
        if changed == 0 {
            let event = t.event_id.as_deref().unwrap_or_default();
            let existing = by_event(c, provider, event)?
                .ok_or_else(|| StoreError::Backend("a duplicate vanished".into()))?;
            out.push(Outcome::Duplicate(existing));
            continue;
        }
        if identifiers.is_some() && placed.is_none() {
            let id = t.id.0;
            waiting = Some(waiting.map_or((id, id), |(lo, hi)| (lo.min(id), hi.max(id))));
        }
        let profile = profile.or(placed);
        if let Some(profile) = profile
            && !t.attributes.is_empty()
        {
            linkage::merge_attributes(c, provider, profile, &t.attributes)?;
        }
        out.push(Outcome::Stored(Touchpoint {
            id: t.id,
            provider_id: provider,
            profile_id: profile,
            event_id: t.event_id,
            channel: t.channel,
            kind: t.kind,
            occurred_at: as_stored(t.occurred_at),
            occurred_on: t.occurred_on,
            received_at: as_stored(received_at),
            initiator: t.initiator,
            setting: t.setting,
            phase: t.phase,
            properties: t.properties,
            flags: t.flags,
        }));
    }
    if let Some((first, last)) = waiting {
        c.prepare_cached(
            "INSERT INTO waiting_batches (provider_id, first_id, last_id) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![provider.0, first, last])?;
    }
    placer.relink(c, received_at)?;
    Ok(out)
}

/// Whether the provider stored an event with this id already.
fn seen(c: &Connection, provider: ProviderId, event_id: Option<&str>) -> Result<bool> {
    let Some(event) = event_id else {
        return Ok(false);
    };
    Ok(
        c.prepare_cached("SELECT 1 FROM touchpoints WHERE provider_id = ?1 AND event_id = ?2")?
            .query_row(params![provider.0, event], |_| Ok(()))
            .optional()?
            .is_some(),
    )
}

/// Stitches one waiting touchpoint to its profile (made if none matches).
fn place(
    c: &Connection,
    placer: &mut Placer,
    id: Uuid,
    ids: &[Identifier],
    at: DateTime<Utc>,
) -> Result<ProfileId> {
    let profile = placer.place(c, ids, at)?;
    c.prepare_cached(
        "UPDATE touchpoints SET profile_id = ?3, identifiers = NULL WHERE provider_id = ?1 AND id = ?2",
    )?
    .execute(params![placer.provider().0, id, profile.0])?;
    Ok(profile)
}

/// The most waiting touchpoints one write places. A write grouped with others runs
/// in a savepoint, where each statement's release walks SQLite's in-memory statement
/// journal from its start: a long write costs the square of its length. In the
/// ingest benchmark a backlog placed in writes of 50,000 took 31 s, in writes of
/// 5,000 under 3 s.
pub const RESOLVE_STEP: u32 = 5_000;

/// Places up to `limit` waiting touchpoints, oldest batches first. Batches written at
/// the same time have overlapping id ranges; a row placed through one range is simply
/// skipped by the other. A batch's row goes once its range holds no waiting rows.
pub fn resolve_pending(c: &Connection, limit: u32) -> Result<usize> {
    let mut next = c.prepare_cached(
        "SELECT seq, provider_id, first_id, last_id FROM waiting_batches ORDER BY seq LIMIT 1",
    )?;
    let mut rows = c.prepare_cached(
        "SELECT id, identifiers, attributes FROM touchpoints \
         WHERE provider_id = ?1 AND id BETWEEN ?2 AND ?3 AND profile_id IS NULL ORDER BY id LIMIT ?4",
    )?;
    let mut done = c.prepare_cached("DELETE FROM waiting_batches WHERE seq = ?1")?;
    let at = Utc::now();
    let mut placed = 0usize;
    while placed < limit as usize {
        let Some((seq, provider, first, last)) = next
            .query_row([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    ProviderId(r.get(1)?),
                    r.get::<_, Uuid>(2)?,
                    r.get::<_, Uuid>(3)?,
                ))
            })
            .optional()?
        else {
            break;
        };
        let room = limit as usize - placed;
        // One row more than there is room for tells whether the range is finished.
        let mut waiting: Vec<(Uuid, String, Option<String>)> = rows
            .query_map(params![provider.0, first, last, room as i64 + 1], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let finished = waiting.len() <= room;
        waiting.truncate(room);
        let mut placer = Placer::new(provider);
        for (id, identifiers, attributes) in &waiting {
            let ids: Vec<Identifier> = serde_json::from_str(identifiers).map_err(|_| {
                StoreError::Backend("unreadable identifiers of a waiting touchpoint".into())
            })?;
            let profile = place(c, &mut placer, *id, &ids, at)?;
            if let Some(said) = attributes {
                linkage::merge_attributes(c, provider, profile, &rows::object(said)?)?;
            }
        }
        placer.relink(c, at)?;
        if finished {
            done.execute([seq])?;
        }
        placed += waiting.len();
    }
    Ok(placed)
}

fn by_event(c: &Connection, provider: ProviderId, event_id: &str) -> Result<Option<Touchpoint>> {
    let raw = c
        .prepare_cached(&format!(
            "SELECT {} FROM touchpoints t WHERE t.provider_id = ?1 AND t.event_id = ?2",
            rows::TOUCHPOINT_COLUMNS
        ))?
        .query_row(params![provider.0, event_id], rows::raw_touchpoint)
        .optional()?;
    raw.map(|r| r.into_touchpoint()).transpose()
}

pub fn set_plan(c: &Connection, provider: ProviderId, plan: Option<&TrackingPlan>) -> Result<()> {
    match plan {
        Some(plan) => c.execute(
            "INSERT INTO tracking_plans (provider_id, plan, updated_at) VALUES (?1, ?2, ?3) \
             ON CONFLICT (provider_id) DO UPDATE SET plan = excluded.plan, updated_at = excluded.updated_at",
            params![provider.0, json(plan)?, micros(Utc::now())],
        )?,
        None => c.execute("DELETE FROM tracking_plans WHERE provider_id = ?1", [provider.0])?,
    };
    Ok(())
}

pub fn plan(c: &Connection, provider: ProviderId) -> Result<Option<TrackingPlan>> {
    let text: Option<String> = c
        .prepare_cached("SELECT plan FROM tracking_plans WHERE provider_id = ?1")?
        .query_row([provider.0], |r| r.get(0))
        .optional()?;
    text.map(|t| {
        serde_json::from_str(&t).map_err(|_| StoreError::Backend("unreadable tracking plan".into()))
    })
    .transpose()
}

pub fn set_settings(
    c: &Connection,
    provider: ProviderId,
    kind: SettingsKind,
    document: &serde_json::Value,
) -> Result<()> {
    c.execute(
        "INSERT INTO provider_settings (provider_id, name, document, updated_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (provider_id, name) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at",
        params![provider.0, kind.name(), document.to_string(), micros(Utc::now())],
    )?;
    Ok(())
}

pub fn settings(
    c: &Connection,
    provider: ProviderId,
    kind: SettingsKind,
) -> Result<Option<serde_json::Value>> {
    let text: Option<String> = c
        .prepare_cached(
            "SELECT document FROM provider_settings WHERE provider_id = ?1 AND name = ?2",
        )?
        .query_row(params![provider.0, kind.name()], |r| r.get(0))
        .optional()?;
    text.map(|t| {
        serde_json::from_str(&t)
            .map_err(|_| StoreError::Backend(format!("unreadable {} settings", kind.name())))
    })
    .transpose()
}

pub fn quarantine(
    c: &Connection,
    provider: ProviderId,
    events: &[(String, String, Vec<FieldError>)],
) -> Result<()> {
    let mut insert = c.prepare_cached(
        "INSERT INTO quarantine (id, provider_id, received_at, source, raw, errors) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let at = micros(Utc::now());
    for (source, raw, errors) in events {
        insert.execute(params![
            Uuid::now_v7(),
            provider.0,
            at,
            source,
            raw,
            json(errors)?
        ])?;
    }
    Ok(())
}

const QUARANTINE_COLUMNS: &str = "id, provider_id, received_at, source, raw, errors";

/// The rows a `QuarantineFilter` selects, with its source as ?3 and field as ?4 (null: any).
const QUARANTINE_FILTER: &str = "provider_id = ?1 AND (?3 IS NULL OR source = ?3) \
     AND (?4 IS NULL OR EXISTS (SELECT 1 FROM json_each(errors) WHERE json_extract(value, '$.field') = ?4))";

fn quarantined_row(r: &rusqlite::Row) -> rusqlite::Result<(Quarantined, String)> {
    Ok((
        Quarantined {
            id: r.get(0)?,
            provider_id: ProviderId(r.get(1)?),
            received_at: r.get::<_, Micros>(2)?.0,
            source: r.get(3)?,
            raw: r.get(4)?,
            errors: Vec::new(),
        },
        r.get(5)?,
    ))
}

fn with_errors((mut q, errors): (Quarantined, String)) -> Result<Quarantined> {
    q.errors = serde_json::from_str(&errors)
        .map_err(|_| StoreError::Backend("unreadable quarantine errors".into()))?;
    Ok(q)
}

pub fn quarantined(
    c: &Connection,
    provider: ProviderId,
    filter: &QuarantineFilter,
    page: PageRequest,
) -> Result<Vec<Quarantined>> {
    let after = page.after.map(|a| a.0).unwrap_or(Uuid::nil());
    let rows: Vec<_> = c
        .prepare_cached(&format!(
            "SELECT {QUARANTINE_COLUMNS} FROM quarantine WHERE {QUARANTINE_FILTER} AND id > ?2 ORDER BY id LIMIT ?5"
        ))?
        .query_map(
            params![provider.0, after, filter.source, filter.field, page.limit],
            quarantined_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter().map(with_errors).collect()
}

pub fn quarantined_one(
    c: &Connection,
    provider: ProviderId,
    id: Uuid,
) -> Result<Option<Quarantined>> {
    c.prepare_cached(&format!(
        "SELECT {QUARANTINE_COLUMNS} FROM quarantine WHERE provider_id = ?1 AND id = ?2"
    ))?
    .query_row(params![provider.0, id], quarantined_row)
    .optional()?
    .map(with_errors)
    .transpose()
}

pub fn discard(c: &Connection, provider: ProviderId, filter: &QuarantineFilter) -> Result<u64> {
    let n = c.execute(
        &format!("DELETE FROM quarantine WHERE {QUARANTINE_FILTER}"),
        // ?2 is the filter's place for a cursor, which a deletion does not use.
        params![provider.0, None::<Uuid>, filter.source, filter.field],
    )?;
    Ok(n as u64)
}

pub fn release(c: &Connection, provider: ProviderId, id: Uuid) -> Result<()> {
    let n = c.execute(
        "DELETE FROM quarantine WHERE provider_id = ?1 AND id = ?2",
        params![provider.0, id],
    )?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}
