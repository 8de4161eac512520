//! Identity on PostgreSQL: the queries behind `crate::linking` (where a touchpoint
//! lands, what a change reaches, what relinking writes), the decisions people make,
//! the merge history and the identifiers people verified. Callers hold the
//! provider's advisory lock, so no other transaction changes its identifiers meanwhile.

use super::rows::stored;
use crate::linking::{self, Change, IdentityEvent, ProfileFacts, Walk};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use motesplats_core::identity::{Decision, Observation, Rules};
use motesplats_core::{Identifier, IdentifierKind, PersonId, ProfileId, ProviderId};
use sqlx::types::Json;
use sqlx::{PgConnection, Row};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// A stored identifier; a kind that no longer parses is corruption.
pub(super) fn identifier(kind: &str, value: String) -> Result<Identifier> {
    let kind = IdentifierKind::parse(kind)
        .map_err(|_| StoreError::Backend("unreadable identifier kind".into()))?;
    Ok(Identifier { kind, value })
}

/// The holders of each asked identifier, smallest first, at most
/// `linking::lookup_limit` each, in one query.
pub async fn holders_of(
    c: &mut PgConnection,
    rules: &Rules,
    asked: &[(ProviderId, &Identifier)],
) -> Result<Vec<Vec<ProfileId>>> {
    let mut out = vec![Vec::new(); asked.len()];
    if asked.is_empty() {
        return Ok(out);
    }
    let found: Vec<(i64, Uuid)> = sqlx::query_as(
        "SELECT i.n, h.profile_id \
         FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::int8[]) WITH ORDINALITY AS i(provider_id, kind, value, lim, n) \
         CROSS JOIN LATERAL (SELECT d.profile_id FROM identifiers d \
            WHERE d.provider_id = i.provider_id AND d.kind = i.kind AND d.value = i.value \
            ORDER BY d.profile_id LIMIT i.lim) h \
         ORDER BY i.n, h.profile_id",
    )
    .bind(asked.iter().map(|a| a.0.0).collect::<Vec<_>>())
    .bind(asked.iter().map(|a| a.1.kind.as_str()).collect::<Vec<_>>())
    .bind(asked.iter().map(|a| a.1.value.as_str()).collect::<Vec<_>>())
    .bind(
        asked
            .iter()
            .map(|a| linking::lookup_limit(rules, a.1) as i64)
            .collect::<Vec<_>>(),
    )
    .fetch_all(&mut *c)
    .await?;
    for (n, profile) in found {
        let slot = usize::try_from(n - 1)
            .ok()
            .and_then(|n| out.get_mut(n))
            .ok_or_else(|| StoreError::Backend("an identifier lookup out of range".into()))?;
        slot.push(ProfileId(profile));
    }
    Ok(out)
}

/// Records that `profile` carries each of `ids`; returns the profiles whose persons
/// this may change.
pub async fn attach(
    c: &mut PgConnection,
    rules: &Rules,
    provider: ProviderId,
    profile: ProfileId,
    ids: &[Identifier],
) -> Result<Vec<ProfileId>> {
    let added: Vec<(String, String)> = sqlx::query_as(
        "INSERT INTO identifiers (provider_id, kind, value, profile_id) \
         SELECT $1, kind, value, $2 FROM UNNEST($3::text[], $4::text[]) AS u(kind, value) \
         ON CONFLICT DO NOTHING RETURNING kind, value",
    )
    .bind(provider.0)
    .bind(profile.0)
    .bind(ids.iter().map(|i| i.kind.as_str()).collect::<Vec<_>>())
    .bind(ids.iter().map(|i| i.value.as_str()).collect::<Vec<_>>())
    .fetch_all(&mut *c)
    .await?;
    let added = added
        .into_iter()
        .map(|(k, v)| identifier(&k, v))
        .collect::<Result<Vec<_>>>()?;
    let asked: Vec<(ProviderId, &Identifier)> = added.iter().map(|i| (provider, i)).collect();
    let holders = holders_of(c, rules, &asked).await?;
    Ok(added
        .iter()
        .zip(&holders)
        .flat_map(|(i, on)| linking::touched_by(rules, i, profile, on))
        .collect())
}

/// Resolves the persons of everything `touched` can reach and writes what changed.
pub async fn relink(
    c: &mut PgConnection,
    rules: &'static Rules,
    provider: ProviderId,
    touched: BTreeSet<ProfileId>,
    at: DateTime<Utc>,
) -> Result<usize> {
    if touched.is_empty() {
        return Ok(0);
    }
    let relinked = walk(c, rules, provider, touched).await?.relink(rules);
    let moved = relinked.moves.len();
    write(c, provider, relinked, at).await?;
    Ok(moved)
}

/// The part of the provider's graph reachable from `start`.
pub async fn walk(
    c: &mut PgConnection,
    rules: &'static Rules,
    provider: ProviderId,
    start: impl IntoIterator<Item = ProfileId>,
) -> Result<linking::Component> {
    let mut walk = Walk::new(rules, start);
    while let Some(profiles) = walk.frontier() {
        let ask = walk.learn(facts(c, provider, &profiles).await?);
        let asked: Vec<(ProviderId, &Identifier)> = ask.iter().map(|i| (provider, i)).collect();
        let on = holders_of(c, rules, &asked).await?;
        walk.holders(ask.iter().cloned().zip(on).collect());
    }
    Ok(walk.finish())
}

async fn facts(
    c: &mut PgConnection,
    provider: ProviderId,
    profiles: &[ProfileId],
) -> Result<ProfileFacts> {
    let ids: Vec<Uuid> = profiles.iter().map(|p| p.0).collect();
    let mut out = ProfileFacts::default();
    let carried: Vec<(Uuid, String, String)> = sqlx::query_as(
        "SELECT profile_id, kind, value FROM identifiers WHERE provider_id = $1 AND profile_id = ANY($2)",
    )
    .bind(provider.0)
    .bind(&ids)
    .fetch_all(&mut *c)
    .await?;
    for (profile, kind, value) in carried {
        out.observations.push(Observation {
            profile: ProfileId(profile),
            identifier: identifier(&kind, value)?,
        });
    }
    let mates: Vec<(Uuid, Uuid)> = sqlx::query_as(
        "SELECT id, person_id FROM profiles WHERE provider_id = $1 AND person_id IN \
         (SELECT person_id FROM profiles WHERE provider_id = $1 AND id = ANY($2))",
    )
    .bind(provider.0)
    .bind(&ids)
    .fetch_all(&mut *c)
    .await?;
    out.persons = mates
        .into_iter()
        .map(|(p, person)| (ProfileId(p), PersonId(person)))
        .collect();
    let decided: Vec<(Uuid, Uuid, bool)> = sqlx::query_as(
        "SELECT a, b, same FROM identity_decisions WHERE provider_id = $1 AND (a = ANY($2) OR b = ANY($2))",
    )
    .bind(provider.0)
    .bind(&ids)
    .fetch_all(&mut *c)
    .await?;
    out.decisions = decided
        .into_iter()
        .map(|(a, b, same)| linking::decision(ProfileId(a), ProfileId(b), same))
        .collect();
    out.matches = super::linkage::links_of(c, provider, &ids).await?;
    Ok(out)
}

/// Moves profiles to their new persons and appends the changes to the history.
pub async fn write(
    c: &mut PgConnection,
    provider: ProviderId,
    relinked: linking::Relinked,
    at: DateTime<Utc>,
) -> Result<()> {
    if !relinked.moves.is_empty() {
        sqlx::query(
            "UPDATE profiles p SET person_id = m.person_id \
             FROM UNNEST($2::uuid[], $3::uuid[]) AS m(id, person_id) \
             WHERE p.provider_id = $1 AND p.id = m.id",
        )
        .bind(provider.0)
        .bind(relinked.moves.iter().map(|m| m.0.0).collect::<Vec<_>>())
        .bind(relinked.moves.iter().map(|m| m.1.0).collect::<Vec<_>>())
        .execute(&mut *c)
        .await?;
    }
    if !relinked.changes.is_empty() {
        let pairs: Vec<(ProfileId, ProfileId)> =
            relinked.changes.iter().map(Change::profiles).collect();
        sqlx::query(
            "INSERT INTO identity_events (provider_id, a, b, at, change) \
             SELECT $1, a, b, $2, change FROM UNNEST($3::uuid[], $4::uuid[], $5::jsonb[]) \
             WITH ORDINALITY AS e(a, b, change, n) ORDER BY n",
        )
        .bind(provider.0)
        .bind(stored(at))
        .bind(pairs.iter().map(|p| p.0.0).collect::<Vec<_>>())
        .bind(pairs.iter().map(|p| p.1.0).collect::<Vec<_>>())
        .bind(relinked.changes.iter().map(Json).collect::<Vec<_>>())
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

/// Records a person's decision about two profiles (replacing any earlier one about
/// the pair) and relinks them. `NotFound` unless both are the provider's.
pub async fn decide(
    c: &mut PgConnection,
    rules: &'static Rules,
    provider: ProviderId,
    decision: Decision,
    by: Option<Uuid>,
    at: DateTime<Utc>,
) -> Result<()> {
    let (Decision::Same { a, b } | Decision::Apart { a, b }) = decision;
    let known: i64 =
        sqlx::query_scalar("SELECT count(*) FROM profiles WHERE provider_id = $1 AND id = ANY($2)")
            .bind(provider.0)
            .bind(vec![a.0, b.0])
            .fetch_one(&mut *c)
            .await?;
    if known < if a == b { 1 } else { 2 } {
        return Err(StoreError::NotFound);
    }
    sqlx::query(
        "INSERT INTO identity_decisions (provider_id, a, b, same, decided_by, decided_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (provider_id, a, b) DO UPDATE SET \
         same = excluded.same, decided_by = excluded.decided_by, decided_at = excluded.decided_at",
    )
    .bind(provider.0)
    .bind(a.min(b).0)
    .bind(a.max(b).0)
    .bind(matches!(decision, Decision::Same { .. }))
    .bind(by)
    .bind(stored(at))
    .execute(&mut *c)
    .await?;
    relink(c, rules, provider, BTreeSet::from([a, b]), at)
        .await
        .map(drop)
}

/// The merge history of these profiles, oldest first.
pub async fn history(
    c: &mut PgConnection,
    provider: ProviderId,
    profiles: &[ProfileId],
) -> Result<Vec<IdentityEvent>> {
    let ids: Vec<Uuid> = profiles.iter().map(|p| p.0).collect();
    let rows = sqlx::query(
        "SELECT at, change FROM identity_events WHERE provider_id = $1 \
         AND (a = ANY($2) OR b = ANY($2)) ORDER BY seq",
    )
    .bind(provider.0)
    .bind(&ids)
    .fetch_all(&mut *c)
    .await?;
    rows.iter()
        .map(|r| {
            let Json(change): Json<Change> = r
                .try_get(1)
                .map_err(|_| StoreError::Backend("unreadable identity event".into()))?;
            Ok(IdentityEvent {
                at: r.try_get(0)?,
                change,
            })
        })
        .collect()
}

/// Rebuilds every person of the provider from its identifiers and decisions.
pub async fn relink_all(
    c: &mut PgConnection,
    rules: &'static Rules,
    provider: ProviderId,
    at: DateTime<Utc>,
) -> Result<usize> {
    let all: Vec<Uuid> =
        sqlx::query_scalar("SELECT id FROM profiles WHERE provider_id = $1 ORDER BY id")
            .bind(provider.0)
            .fetch_all(&mut *c)
            .await?;
    let mut done = BTreeSet::new();
    let mut moved = 0;
    for p in all.into_iter().map(ProfileId) {
        if done.contains(&p) {
            continue;
        }
        let component = walk(c, rules, provider, [p]).await?;
        done.extend(component.before.keys().copied());
        let relinked = component.relink(rules);
        moved += relinked.moves.len();
        write(c, provider, relinked, at).await?;
    }
    Ok(moved)
}

/// Every provider's person carrying `id`, if the person verified it; none otherwise.
pub async fn verified_persons(
    c: &mut PgConnection,
    id: &Identifier,
) -> Result<Vec<(ProviderId, PersonId)>> {
    let found: Vec<(Uuid, Uuid)> = sqlx::query_as(
        "SELECT DISTINCT p.provider_id, p.person_id FROM verified_identifiers v \
         CROSS JOIN providers pr \
         JOIN identifiers i ON i.provider_id = pr.id AND i.kind = v.kind AND i.value = v.value \
         JOIN profiles p ON p.id = i.profile_id \
         WHERE v.kind = $1 AND v.value = $2 ORDER BY p.provider_id, p.person_id",
    )
    .bind(id.kind.as_str())
    .bind(&id.value)
    .fetch_all(c)
    .await?;
    Ok(found
        .into_iter()
        .map(|(p, q)| (ProviderId(p), PersonId(q)))
        .collect())
}

/// Relinks the touched profiles of each provider.
pub async fn relink_each(
    c: &mut PgConnection,
    touched: BTreeMap<ProviderId, BTreeSet<ProfileId>>,
    at: DateTime<Utc>,
) -> Result<()> {
    for (provider, profiles) in touched {
        relink(c, linking::rules(), provider, profiles, at).await?;
    }
    Ok(())
}
