//! The write path of touchpoints, kept lean: a batch goes in with one multi-row insert,
//! event-id deduplication by the unique index, and stitching either in the same
//! transaction or later by `resolve_pending`. Also the quarantine and tracking plans.
//!
//! Locks: only stitching takes the provider's advisory lock. A batch stored for later
//! stitching takes none (the rows it places at once only read the identifiers), and
//! waits only where another transaction is inserting the same event id (or merging
//! attributes into the same profile); its rows go in ordered by event id, so two
//! batches cannot each wait for the other. The key-share locks of its rows' profile
//! references conflict with nothing stitching does.

use super::rows::{self, stored};
use super::store::{lock_provider, no_profile, now, provider_lock_key};
use super::{linkage, linking};
use crate::{Outcome, QuarantineFilter, Quarantined, Result, SettingsKind, Stitch, StoreError};
use chrono::{DateTime, Utc};
use motesplats_core::plan::TrackingPlan;
use motesplats_core::touchpoint::Subject;
use motesplats_core::{
    FieldError, Identifier, NewTouchpoint, PageRequest, ProfileId, ProviderId, Touchpoint,
};
use sqlx::postgres::PgRow;
use sqlx::types::Json;
use sqlx::{AssertSqlSafe, PgConnection, Row};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use uuid::Uuid;

/// What becomes of one event of a batch, before the insert tells the rest.
enum Slot {
    Rejected(motesplats_core::Invalid),
    /// Goes to the insert.
    Row,
    /// Carries an event id an earlier event of this batch carries.
    Duplicate(String),
}

pub async fn insert(
    c: &mut PgConnection,
    provider: ProviderId,
    new: Vec<NewTouchpoint>,
    received_at: DateTime<Utc>,
    stitch: Stitch,
) -> Result<Vec<Outcome>> {
    let received_at = stored(received_at);

    // The profiles named by id, looked up together.
    let named: Vec<Uuid> = new
        .iter()
        .filter_map(|t| match &t.subject {
            Subject::Profile(id) => Some(id.0),
            Subject::Identifiers(_) => None,
        })
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let known: HashSet<Uuid> = if named.is_empty() {
        HashSet::new()
    } else {
        sqlx::query_scalar("SELECT id FROM profiles WHERE provider_id = $1 AND id = ANY($2)")
            .bind(provider.0)
            .bind(&named)
            .fetch_all(&mut *c)
            .await?
            .into_iter()
            .collect()
    };

    let mut slots = Vec::with_capacity(new.len());
    let mut batch: Vec<&NewTouchpoint> = Vec::with_capacity(new.len());
    let mut events: HashSet<&str> = HashSet::new();
    for t in &new {
        if let Subject::Profile(id) = &t.subject
            && !known.contains(&id.0)
        {
            slots.push(Slot::Rejected(no_profile(*id)));
            continue;
        }
        if let Some(e) = t.event_id.as_deref()
            && !events.insert(e)
        {
            slots.push(Slot::Duplicate(e.to_string()));
            continue;
        }
        slots.push(Slot::Row);
        batch.push(t);
    }

    let stitch_now = stitch == Stitch::Now
        && batch
            .iter()
            .any(|t| matches!(t.subject, Subject::Identifiers(_)));
    if stitch_now {
        // Before the insert, so the lock is never awaited while holding index entries
        // another batch may be waiting for.
        lock_provider(c, provider).await?;
    }

    // Later: a known customer's events go in placed where placing changes nothing.
    let mut placed = if stitch == Stitch::Later {
        held(c, provider, &batch).await?
    } else {
        HashMap::new()
    };
    let inserted = insert_rows(c, provider, &batch, &placed, received_at).await?;

    // Placed in the order given, as one at a time would place them.
    if stitch_now {
        let waiting: Vec<Pending> = batch
            .iter()
            .filter(|t| inserted.contains(&t.id.0))
            .filter_map(|t| match &t.subject {
                Subject::Identifiers(ids) => Some((provider, t.id.0, ids.as_slice())),
                Subject::Profile(_) => None,
            })
            .collect();
        let profiles = place(c, &waiting, received_at).await?;
        put_on(c, waiting.iter().map(|w| w.1).collect(), &profiles).await?;
        placed.extend(waiting.iter().map(|w| w.1).zip(profiles));
    }
    // What the sources know of the person, onto the profiles known now; the rest
    // when they are placed.
    for t in batch.iter().filter(|t| !t.attributes.is_empty()) {
        let profile = match &t.subject {
            Subject::Profile(id) => Some(*id),
            Subject::Identifiers(_) => placed.get(&t.id.0).copied(),
        };
        if let Some(profile) = profile
            && inserted.contains(&t.id.0)
        {
            linkage::merge_attributes(c, provider, profile, &t.attributes).await?;
        }
    }

    // The earlier touchpoints of the duplicates, read after this batch's own are placed.
    let mut seen: Vec<&str> = slots
        .iter()
        .filter_map(|s| match s {
            Slot::Duplicate(e) => Some(e.as_str()),
            _ => None,
        })
        .collect();
    seen.extend(
        batch
            .iter()
            .filter(|t| !inserted.contains(&t.id.0))
            .filter_map(|t| t.event_id.as_deref()),
    );
    let earlier = by_events(c, provider, &seen).await?;
    let earlier_one = |e: &str| {
        earlier
            .get(e)
            .cloned()
            .ok_or_else(|| StoreError::Backend("a duplicate vanished".into()))
    };

    let mut out = Vec::with_capacity(slots.len());
    for (slot, t) in slots.into_iter().zip(new) {
        out.push(match slot {
            Slot::Rejected(e) => Outcome::Rejected(e),
            Slot::Duplicate(e) => Outcome::Duplicate(earlier_one(&e)?),
            Slot::Row if !inserted.contains(&t.id.0) => {
                Outcome::Duplicate(earlier_one(t.event_id.as_deref().unwrap_or_default())?)
            }
            Slot::Row => {
                let profile_id = match &t.subject {
                    Subject::Profile(id) => Some(*id),
                    Subject::Identifiers(_) => placed.get(&t.id.0).copied(),
                };
                Outcome::Stored(Touchpoint {
                    id: t.id,
                    provider_id: provider,
                    profile_id,
                    event_id: t.event_id,
                    channel: t.channel,
                    kind: t.kind,
                    occurred_at: stored(t.occurred_at),
                    occurred_on: t.occurred_on,
                    received_at,
                    initiator: t.initiator,
                    setting: t.setting,
                    phase: t.phase,
                    properties: t.properties,
                    flags: t.flags,
                })
            }
        });
    }
    Ok(out)
}

/// The events of a batch whose placing would change nothing (`linking::holding_all`),
/// with their profiles: the holders of the batch's distinct identifiers in one query.
/// It only reads, so it takes no lock, and a duplicate may be looked at too.
async fn held(
    c: &mut PgConnection,
    provider: ProviderId,
    batch: &[&NewTouchpoint],
) -> Result<HashMap<Uuid, ProfileId>> {
    let rules = crate::linking::rules();
    let mut asked: Vec<(ProviderId, &Identifier)> = Vec::new();
    let mut slot: HashMap<&Identifier, usize> = HashMap::new();
    for t in batch {
        if let Subject::Identifiers(ids) = &t.subject {
            for i in ids {
                slot.entry(i).or_insert_with(|| {
                    asked.push((provider, i));
                    asked.len() - 1
                });
            }
        }
    }
    let found = linking::holders_of(c, rules, &asked).await?;
    Ok(batch
        .iter()
        .filter_map(|t| match &t.subject {
            Subject::Identifiers(ids) => {
                let on: Vec<Vec<ProfileId>> = ids.iter().map(|i| found[slot[i]].clone()).collect();
                crate::linking::holding_all(rules, ids, &on).map(|p| (t.id.0, p))
            }
            Subject::Profile(_) => None,
        })
        .collect())
}

/// Inserts the rows in one statement (those in `placed` on their profile, the rest
/// given by identifiers waiting), skipping those whose event id is stored already,
/// and returns the ids of the rows it stored.
async fn insert_rows(
    c: &mut PgConnection,
    provider: ProviderId,
    rows: &[&NewTouchpoint],
    placed: &HashMap<Uuid, ProfileId>,
    received_at: DateTime<Utc>,
) -> Result<HashSet<Uuid>> {
    if rows.is_empty() {
        return Ok(HashSet::new());
    }
    // In event-id order: batches that share event ids wait for each other in one order.
    let mut rows = rows.to_vec();
    rows.sort_by(|a, b| a.event_id.cmp(&b.event_id));
    let n = rows.len();
    let mut ids = Vec::with_capacity(n);
    let mut profiles = Vec::with_capacity(n);
    let mut identifiers = Vec::with_capacity(n);
    let mut event_ids = Vec::with_capacity(n);
    let mut channels = Vec::with_capacity(n);
    let mut kinds = Vec::with_capacity(n);
    let mut occurred = Vec::with_capacity(n);
    let mut days = Vec::with_capacity(n);
    let mut initiators = Vec::with_capacity(n);
    let mut settings = Vec::with_capacity(n);
    let mut phases = Vec::with_capacity(n);
    let mut properties = Vec::with_capacity(n);
    let mut flags = Vec::with_capacity(n);
    let mut attributes = Vec::with_capacity(n);
    for t in rows {
        let (profile, ids_of) = match (&t.subject, placed.get(&t.id.0)) {
            (Subject::Profile(id), _) | (Subject::Identifiers(_), Some(id)) => (Some(id.0), None),
            (Subject::Identifiers(i), None) => (None, Some(Json(i))),
        };
        ids.push(t.id.0);
        profiles.push(profile);
        identifiers.push(ids_of);
        event_ids.push(t.event_id.as_deref());
        channels.push(t.channel.as_str());
        kinds.push(t.kind.as_str());
        occurred.push(stored(t.occurred_at));
        days.push(t.occurred_on);
        initiators.push(t.initiator.as_str());
        settings.push(t.setting.map(|s| s.as_str()));
        phases.push(t.phase.map(|p| p.as_str()));
        properties.push(Json(&t.properties));
        flags.push((!t.flags.is_empty()).then_some(Json(&t.flags)));
        attributes.push((!t.attributes.is_empty()).then_some(Json(&t.attributes)));
    }
    let stored_ids: Vec<Uuid> = sqlx::query_scalar(
        "INSERT INTO touchpoints (id, provider_id, profile_id, identifiers, event_id, channel, kind, occurred_at, \
         received_at, initiator, setting, phase, properties, flags, occurred_on, attributes) \
         SELECT id, $1::uuid, profile_id, identifiers, event_id, channel, kind, occurred_at, \
         $2::timestamptz, initiator, setting, phase, properties, flags, occurred_on, attributes \
         FROM UNNEST($3::uuid[], $4::uuid[], $5::jsonb[], $6::text[], $7::text[], $8::text[], \
         $9::timestamptz[], $10::text[], $11::text[], $12::text[], $13::jsonb[], $14::jsonb[], $15::date[], \
         $16::jsonb[]) \
         WITH ORDINALITY AS t(id, profile_id, identifiers, event_id, channel, kind, occurred_at, initiator, \
         setting, phase, properties, flags, occurred_on, attributes, n) \
         ORDER BY n \
         ON CONFLICT (provider_id, event_id) WHERE event_id IS NOT NULL DO NOTHING \
         RETURNING id",
    )
    .bind(provider.0)
    .bind(received_at)
    .bind(ids)
    .bind(profiles)
    .bind(identifiers)
    .bind(event_ids)
    .bind(channels)
    .bind(kinds)
    .bind(occurred)
    .bind(initiators)
    .bind(settings)
    .bind(phases)
    .bind(properties)
    .bind(flags)
    .bind(days)
    .bind(attributes)
    .fetch_all(&mut *c)
    .await?;
    Ok(stored_ids.into_iter().collect())
}

/// How many waiting touchpoints one round of `place` looks up and writes at a time.
const PLACE_CHUNK: usize = 5_000;

/// How many waiting touchpoints a step of `PgStore::resolve_pending` claims, decides
/// and writes (in `bench ingest`, 10,000 kept up better than 2,000 or 5,000).
pub(super) const RESOLVE_STEP: usize = 10_000;

/// A touchpoint waiting for a profile: its provider, id and the identifiers that will
/// place it.
type Pending<'a> = (ProviderId, Uuid, &'a [Identifier]);

/// Stitches waiting touchpoints to their profiles (made where none matches) and returns
/// the profiles, in the order given; then relinks the persons this may change. The
/// caller holds the lock of every provider among them, so no other transaction adds
/// identifiers of those providers meanwhile.
///
/// Set-based, with the outcome of placing one at a time in the order given: the
/// holders of a chunk's identifiers are looked up in one query, the touchpoints placed
/// in order by `linking::choose` against a map of identifier to holders that learns
/// each new profile and attached identifier as it goes (so touchpoints sharing an
/// identifier meet on one profile, even by a chain), and what is new is written in a
/// few bulk statements. A later chunk of the same transaction sees what an earlier one
/// wrote.
async fn place(
    c: &mut PgConnection,
    waiting: &[Pending<'_>],
    at: DateTime<Utc>,
) -> Result<Vec<ProfileId>> {
    let mut profiles = Vec::with_capacity(waiting.len());
    let mut touched: BTreeMap<ProviderId, BTreeSet<ProfileId>> = BTreeMap::new();
    for chunk in waiting.chunks(PLACE_CHUNK) {
        profiles.extend(place_chunk(c, chunk, at, &mut touched).await?);
    }
    linking::relink_each(c, touched, at).await?;
    Ok(profiles)
}

async fn place_chunk(
    c: &mut PgConnection,
    waiting: &[Pending<'_>],
    at: DateTime<Utc>,
    touched: &mut BTreeMap<ProviderId, BTreeSet<ProfileId>>,
) -> Result<Vec<ProfileId>> {
    if waiting.is_empty() {
        return Ok(Vec::new());
    }
    let at = stored(at);
    let rules = crate::linking::rules();

    // Every distinct identifier of the chunk, its holders looked up in one query.
    let mut asked: Vec<(ProviderId, &Identifier)> = Vec::new();
    let mut seen: HashSet<(ProviderId, &Identifier)> = HashSet::new();
    for (provider, _, ids) in waiting {
        for i in *ids {
            if seen.insert((*provider, i)) {
                asked.push((*provider, i));
            }
        }
    }
    drop(seen);
    let found = linking::holders_of(c, rules, &asked).await?;
    let mut holders: HashMap<(ProviderId, &Identifier), Vec<ProfileId>> =
        asked.iter().copied().zip(found).collect();

    // Placed in order, as one at a time would place them.
    let mut profiles = Vec::with_capacity(waiting.len());
    let (mut new_profiles, mut new_providers) = (Vec::new(), Vec::new());
    let (mut attach_providers, mut attach_kinds, mut attach_values, mut attach_profiles) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (provider, _, ids) in waiting {
        let on: Vec<Vec<ProfileId>> = ids
            .iter()
            .map(|i| holders.get(&(*provider, i)).cloned().unwrap_or_default())
            .collect();
        let chosen = crate::linking::choose(rules, ids, &on);
        let profile = chosen.unwrap_or_else(|| {
            let profile = ProfileId::new();
            new_profiles.push(profile.0);
            new_providers.push(provider.0);
            profile
        });
        for i in *ids {
            let on = holders.entry((*provider, i)).or_default();
            let Err(at) = on.binary_search(&profile) else {
                continue;
            };
            on.insert(at, profile);
            on.truncate(crate::linking::lookup_limit(rules, i));
            // A new profile's identifiers had no holders: it is a person of its own.
            if chosen.is_some() {
                touched
                    .entry(*provider)
                    .or_default()
                    .extend(crate::linking::touched_by(rules, i, profile, on));
            }
            attach_providers.push(provider.0);
            attach_kinds.push(i.kind.as_str());
            attach_values.push(i.value.as_str());
            attach_profiles.push(profile.0);
        }
        profiles.push(profile);
    }

    if !new_profiles.is_empty() {
        // A new profile is a person of its own, under its own id.
        sqlx::query(
            "INSERT INTO persons (id, created_at) SELECT id, $2::timestamptz FROM UNNEST($1::uuid[]) AS p(id)",
        )
        .bind(&new_profiles)
        .bind(at)
        .execute(&mut *c)
        .await?;
        sqlx::query(
            "INSERT INTO profiles (id, provider_id, person_id, display_name, attributes, created_at) \
             SELECT id, provider_id, id, NULL, $3::jsonb, $4::timestamptz \
             FROM UNNEST($1::uuid[], $2::uuid[]) AS p(id, provider_id)",
        )
        .bind(&new_profiles)
        .bind(&new_providers)
        .bind(Json(serde_json::Map::new()))
        .bind(at)
        .execute(&mut *c)
        .await?;
    }
    if !attach_profiles.is_empty() {
        sqlx::query(
            "INSERT INTO identifiers (provider_id, kind, value, profile_id) \
             SELECT * FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::uuid[]) \
             ON CONFLICT DO NOTHING",
        )
        .bind(&attach_providers)
        .bind(&attach_kinds)
        .bind(&attach_values)
        .bind(&attach_profiles)
        .execute(&mut *c)
        .await?;
    }
    Ok(profiles)
}

/// Hangs waiting touchpoints on the profiles `place` chose for them (apart from
/// `place`: the resolver commits its identity work before it writes the rows).
async fn put_on(c: &mut PgConnection, ids: Vec<Uuid>, profiles: &[ProfileId]) -> Result<()> {
    let to: Vec<Uuid> = profiles.iter().map(|p| p.0).collect();
    sqlx::query(
        "UPDATE touchpoints t SET profile_id = u.profile_id, identifiers = NULL \
         FROM UNNEST($1::uuid[], $2::uuid[]) AS u(id, profile_id) WHERE t.id = u.id",
    )
    .bind(ids)
    .bind(to)
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Up to `limit` waiting touchpoints, in the order of their ids, taken for placing:
/// locked by this transaction until it writes them (`Claimed::write`), so resolvers
/// in several processes, and a resolver's next step, skip them.
pub async fn claim(c: &mut PgConnection, limit: u32) -> Result<Claimed> {
    let rows = sqlx::query(
        "SELECT id, provider_id, identifiers, attributes FROM touchpoints WHERE profile_id IS NULL \
         ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
    )
    .bind(i64::from(limit))
    .fetch_all(&mut *c)
    .await?;
    let mut waiting: Vec<(ProviderId, Uuid, Vec<Identifier>)> = Vec::with_capacity(rows.len());
    let mut said: Vec<(usize, Attributes)> = Vec::new();
    for r in &rows {
        let id: Uuid = r.try_get(0)?;
        let provider = ProviderId(r.try_get(1)?);
        let ids: Option<Json<Vec<Identifier>>> = r.try_get(2).map_err(|_| unreadable())?;
        let Json(ids) = ids.ok_or_else(unreadable)?;
        if let Some(Json(attributes)) = r.try_get::<Option<Json<Attributes>>, _>(3)? {
            said.push((waiting.len(), attributes));
        }
        waiting.push((provider, id, ids));
    }
    Ok(Claimed { waiting, said })
}

/// Waiting touchpoints a resolver has taken, with what those that said something of
/// the person said (by index into `waiting`).
pub struct Claimed {
    waiting: Vec<(ProviderId, Uuid, Vec<Identifier>)>,
    said: Vec<(usize, Attributes)>,
}

impl Claimed {
    pub fn len(&self) -> usize {
        self.waiting.len()
    }

    pub fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }

    /// The profiles the touchpoints go to, in their order, on a connection of its own:
    /// the identity work (profiles made, identifiers attached, persons relinked), to be
    /// committed before the rows are written, so that a customer's next events are
    /// stored placed at once.
    ///
    /// Locks: the lock of every provider among them, in one order (that of
    /// `provider_lock_key`) by every resolver and before any lookup, so two resolvers
    /// cannot each hold a lock the other waits for, and a `Stitch::Now` writer (which
    /// takes its one provider's lock before inserting, and places only rows it
    /// inserted) neither. The lookups run after the locks are granted, so they see
    /// every identifier the previous holder committed.
    pub async fn decide(&self, c: &mut PgConnection) -> Result<Vec<ProfileId>> {
        let mut providers: Vec<ProviderId> = self
            .waiting
            .iter()
            .map(|w| w.0)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        providers.sort_by_key(|p| (provider_lock_key(*p), *p));
        for provider in &providers {
            lock_provider(c, *provider).await?;
        }
        let list: Vec<Pending> = self
            .waiting
            .iter()
            .map(|(p, id, ids)| (*p, *id, ids.as_slice()))
            .collect();
        place(c, &list, now()).await
    }

    /// Writes the touchpoints onto the profiles `decide` chose, and their attributes, in
    /// the transaction that claimed them. Should the process stop before this commits,
    /// they wait on and are placed again, onto the same profiles: their identifiers are
    /// on them now.
    pub async fn write(self, c: &mut PgConnection, profiles: &[ProfileId]) -> Result<()> {
        put_on(c, self.waiting.iter().map(|w| w.1).collect(), profiles).await?;
        for (i, attributes) in self.said {
            linkage::merge_attributes(c, self.waiting[i].0, profiles[i], &attributes).await?;
        }
        Ok(())
    }
}

type Attributes = serde_json::Map<String, serde_json::Value>;

fn unreadable() -> StoreError {
    StoreError::Backend("unreadable identifiers of a waiting touchpoint".into())
}

/// The stored touchpoints with these event ids, by event id.
async fn by_events(
    c: &mut PgConnection,
    provider: ProviderId,
    event_ids: &[&str],
) -> Result<HashMap<String, Touchpoint>> {
    if event_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let found = sqlx::query(AssertSqlSafe(format!(
        "SELECT {} FROM touchpoints t WHERE t.provider_id = $1 AND t.event_id = ANY($2)",
        rows::TOUCHPOINT_COLUMNS
    )))
    .bind(provider.0)
    .bind(event_ids)
    .fetch_all(&mut *c)
    .await?;
    found
        .iter()
        .map(|r| {
            let t = rows::raw_touchpoint(r)?.into_touchpoint()?;
            Ok((t.event_id.clone().unwrap_or_default(), t))
        })
        .collect()
}

pub async fn set_plan(
    c: &mut PgConnection,
    provider: ProviderId,
    plan: Option<&TrackingPlan>,
) -> Result<()> {
    match plan {
        Some(plan) => sqlx::query(
            "INSERT INTO tracking_plans (provider_id, plan, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (provider_id) DO UPDATE SET plan = excluded.plan, updated_at = excluded.updated_at",
        )
        .bind(provider.0)
        .bind(Json(plan))
        .bind(stored(now())),
        None => sqlx::query("DELETE FROM tracking_plans WHERE provider_id = $1").bind(provider.0),
    }
    .execute(c)
    .await?;
    Ok(())
}

pub async fn plan(c: &mut PgConnection, provider: ProviderId) -> Result<Option<TrackingPlan>> {
    let plan: Option<serde_json::Value> =
        sqlx::query_scalar("SELECT plan FROM tracking_plans WHERE provider_id = $1")
            .bind(provider.0)
            .fetch_optional(c)
            .await?;
    plan.map(|p| {
        serde_json::from_value(p)
            .map_err(|_| StoreError::Backend("unreadable tracking plan".into()))
    })
    .transpose()
}

pub async fn set_settings(
    c: &mut PgConnection,
    provider: ProviderId,
    kind: SettingsKind,
    document: &serde_json::Value,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO provider_settings (provider_id, name, document, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (provider_id, name) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at",
    )
    .bind(provider.0)
    .bind(kind.name())
    .bind(Json(document))
    .bind(stored(now()))
    .execute(c)
    .await?;
    Ok(())
}

pub async fn settings(
    c: &mut PgConnection,
    provider: ProviderId,
    kind: SettingsKind,
) -> Result<Option<serde_json::Value>> {
    Ok(sqlx::query_scalar(
        "SELECT document FROM provider_settings WHERE provider_id = $1 AND name = $2",
    )
    .bind(provider.0)
    .bind(kind.name())
    .fetch_optional(c)
    .await?)
}

pub async fn quarantine(
    c: &mut PgConnection,
    provider: ProviderId,
    events: &[(String, String, Vec<FieldError>)],
) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    // Time-ordered ids, made in order: the quarantine lists events as they came.
    let ids: Vec<Uuid> = events.iter().map(|_| Uuid::now_v7()).collect();
    let sources: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
    let raws: Vec<&str> = events.iter().map(|e| e.1.as_str()).collect();
    let errors: Vec<Json<&Vec<FieldError>>> = events.iter().map(|e| Json(&e.2)).collect();
    sqlx::query(
        "INSERT INTO quarantine (id, provider_id, received_at, source, raw, errors) \
         SELECT id, $1::uuid, $2::timestamptz, source, raw, errors \
         FROM UNNEST($3::uuid[], $4::text[], $5::text[], $6::jsonb[]) AS q(id, source, raw, errors)",
    )
    .bind(provider.0)
    .bind(stored(now()))
    .bind(ids)
    .bind(sources)
    .bind(raws)
    .bind(errors)
    .execute(c)
    .await?;
    Ok(())
}

const QUARANTINE_COLUMNS: &str = "id, provider_id, received_at, source, raw, errors";

/// The rows a `QuarantineFilter` selects, with its source as $2 and field as $3 (null: any).
const QUARANTINE_FILTER: &str = "provider_id = $1 AND ($2::text IS NULL OR source = $2) \
     AND ($3::text IS NULL OR errors @> jsonb_build_array(jsonb_build_object('field', $3::text)))";

fn quarantined_row(r: &PgRow) -> Result<Quarantined> {
    let errors: serde_json::Value = r.try_get(5)?;
    Ok(Quarantined {
        id: r.try_get(0)?,
        provider_id: ProviderId(r.try_get(1)?),
        received_at: r.try_get(2)?,
        source: r.try_get(3)?,
        raw: r.try_get(4)?,
        errors: serde_json::from_value(errors)
            .map_err(|_| StoreError::Backend("unreadable quarantine errors".into()))?,
    })
}

pub async fn quarantined(
    c: &mut PgConnection,
    provider: ProviderId,
    filter: &QuarantineFilter,
    page: PageRequest,
) -> Result<Vec<Quarantined>> {
    let after = page.after.map(|a| a.0).unwrap_or(Uuid::nil());
    sqlx::query(AssertSqlSafe(format!(
        "SELECT {QUARANTINE_COLUMNS} FROM quarantine WHERE {QUARANTINE_FILTER} AND id > $4 ORDER BY id LIMIT $5"
    )))
    .bind(provider.0)
    .bind(filter.source.as_deref())
    .bind(filter.field.as_deref())
    .bind(after)
    .bind(i64::from(page.limit))
    .fetch_all(c)
    .await?
    .iter()
    .map(quarantined_row)
    .collect()
}

pub async fn quarantined_one(
    c: &mut PgConnection,
    provider: ProviderId,
    id: Uuid,
) -> Result<Option<Quarantined>> {
    sqlx::query(AssertSqlSafe(format!(
        "SELECT {QUARANTINE_COLUMNS} FROM quarantine WHERE provider_id = $1 AND id = $2"
    )))
    .bind(provider.0)
    .bind(id)
    .fetch_optional(c)
    .await?
    .as_ref()
    .map(quarantined_row)
    .transpose()
}

pub async fn discard(
    c: &mut PgConnection,
    provider: ProviderId,
    filter: &QuarantineFilter,
) -> Result<u64> {
    Ok(sqlx::query(AssertSqlSafe(format!(
        "DELETE FROM quarantine WHERE {QUARANTINE_FILTER}"
    )))
    .bind(provider.0)
    .bind(filter.source.as_deref())
    .bind(filter.field.as_deref())
    .execute(c)
    .await?
    .rows_affected())
}

pub async fn release(c: &mut PgConnection, provider: ProviderId, id: Uuid) -> Result<()> {
    let n = sqlx::query("DELETE FROM quarantine WHERE provider_id = $1 AND id = $2")
        .bind(provider.0)
        .bind(id)
        .execute(c)
        .await?
        .rows_affected();
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}
