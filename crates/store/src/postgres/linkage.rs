//! Probabilistic linkage on PostgreSQL: the records linkage reads, the provider's
//! model, and the scored pairs (links join in `linking::walk`, the rest wait for
//! review). Writers hold the provider's advisory lock.

use super::linking::{relink, relink_all};
use super::rows::stored;
use crate::linking::{self, matched};
use crate::{LinkagePairs, Result, StoreError};
use chrono::{DateTime, Utc};
use motesplats_core::identity::{Match, Rules};
use motesplats_core::linkage::{Model, Record};
use motesplats_core::{ProfileId, ProviderId};
use serde_json::{Map, Value};
use sqlx::types::Json;
use sqlx::{AssertSqlSafe, PgConnection};
use std::collections::BTreeSet;
use uuid::Uuid;

/// A profile's attributes as stored.
type Attributes = Json<Map<String, Value>>;

/// Every profile of the provider that has linkage attributes, as a record.
pub async fn records(c: &mut PgConnection, provider: ProviderId) -> Result<Vec<Record>> {
    let rows: Vec<(Uuid, Attributes)> =
        sqlx::query_as("SELECT id, attributes FROM profiles WHERE provider_id = $1")
            .bind(provider.0)
            .fetch_all(c)
            .await?;
    Ok(to_records(rows))
}

/// The profiles among `rows` that have linkage attributes, as records.
fn to_records(rows: Vec<(Uuid, Attributes)>) -> Vec<Record> {
    rows.into_iter()
        .filter_map(|(id, Json(attributes))| linking::record(ProfileId(id), &attributes))
        .collect()
}

/// Puts a profile with new names or an address on the waiting list.
pub async fn wait(c: &mut PgConnection, provider: ProviderId, profile: ProfileId) -> Result<()> {
    sqlx::query(
        "INSERT INTO linkage_pending (profile_id, provider_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(profile.0)
    .bind(provider.0)
    .execute(c)
    .await?;
    Ok(())
}

/// Merges what a touchpoint's source knows of the person into `profile`'s
/// attributes (`linking::merge`); a change to what linkage compares makes it wait.
pub async fn merge_attributes(
    c: &mut PgConnection,
    provider: ProviderId,
    profile: ProfileId,
    said: &Map<String, Value>,
) -> Result<()> {
    // The lock the update takes anyway: touchpoints arriving placed on the profile
    // (their reference a key-share lock) need not wait for it.
    let (Json(mut kept),): (Attributes,) = sqlx::query_as(
        "SELECT attributes FROM profiles WHERE provider_id = $1 AND id = $2 FOR NO KEY UPDATE",
    )
    .bind(provider.0)
    .bind(profile.0)
    .fetch_one(&mut *c)
    .await?;
    let Some(linkage) = linking::merge(&mut kept, said) else {
        return Ok(());
    };
    sqlx::query("UPDATE profiles SET attributes = $3 WHERE provider_id = $1 AND id = $2")
        .bind(provider.0)
        .bind(profile.0)
        .bind(Json(&kept))
        .execute(&mut *c)
        .await?;
    if linkage {
        wait(c, provider, profile).await?;
    }
    Ok(())
}

pub async fn model(c: &mut PgConnection, provider: ProviderId) -> Result<Option<Model>> {
    let found: Option<(Json<Model>,)> =
        sqlx::query_as("SELECT model FROM linkage_models WHERE provider_id = $1")
            .bind(provider.0)
            .fetch_optional(c)
            .await?;
    Ok(found.map(|(Json(m),)| m))
}

pub async fn save_model(
    c: &mut PgConnection,
    provider: ProviderId,
    model: &Model,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO linkage_models (provider_id, model, trained_at) VALUES ($1, $2, $3) \
         ON CONFLICT (provider_id) DO UPDATE SET model = excluded.model, trained_at = excluded.trained_at",
    )
    .bind(provider.0)
    .bind(Json(model))
    .bind(stored(at))
    .execute(c)
    .await?;
    Ok(())
}

/// Replaces the provider's scored pairs and blocking keys, clears its waiting list
/// and rebuilds its persons; how many profiles changed person.
pub async fn set_pairs(
    c: &mut PgConnection,
    rules: &'static Rules,
    provider: ProviderId,
    pairs: &LinkagePairs,
    at: DateTime<Utc>,
) -> Result<usize> {
    for table in ["linkage_pairs", "linkage_keys", "linkage_pending"] {
        sqlx::query(AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE provider_id = $1"
        )))
        .bind(provider.0)
        .execute(&mut *c)
        .await?;
    }
    put(c, provider, pairs).await?;
    relink_all(c, rules, provider, at).await
}

/// Adds what linking the waiting `absorbed` profiles found, takes them off the
/// waiting list and relinks what their links reach; how many changed person.
pub async fn absorb(
    c: &mut PgConnection,
    rules: &'static Rules,
    provider: ProviderId,
    absorbed: &[ProfileId],
    pairs: &LinkagePairs,
    at: DateTime<Utc>,
) -> Result<usize> {
    put(c, provider, pairs).await?;
    sqlx::query("DELETE FROM linkage_pending WHERE provider_id = $1 AND profile_id = ANY($2)")
        .bind(provider.0)
        .bind(absorbed.iter().map(|p| p.0).collect::<Vec<_>>())
        .execute(&mut *c)
        .await?;
    let touched: BTreeSet<ProfileId> = pairs.links.iter().flat_map(|m| [m.a, m.b]).collect();
    relink(c, rules, provider, touched, at).await
}

/// Writes keys and pairs (a pair already there stays as it is). Refuses a pair or a
/// key naming a profile that is not the provider's.
async fn put(c: &mut PgConnection, provider: ProviderId, pairs: &LinkagePairs) -> Result<()> {
    let (mut key_profiles, mut keys) = (Vec::new(), Vec::new());
    for (profile, held) in &pairs.keys {
        for k in held {
            key_profiles.push(profile.0);
            keys.push(k.as_str());
        }
    }
    let known: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM UNNEST($2::uuid[]) AS n(id) \
         JOIN profiles p ON p.id = n.id AND p.provider_id = $1",
    )
    .bind(provider.0)
    .bind(&key_profiles)
    .fetch_one(&mut *c)
    .await?;
    if known as usize != key_profiles.len() {
        return Err(StoreError::NotFound);
    }
    sqlx::query(
        "INSERT INTO linkage_keys (provider_id, key, profile_id) \
         SELECT $1, n.key, n.profile_id FROM UNNEST($2::text[], $3::uuid[]) AS n(key, profile_id) \
         ON CONFLICT DO NOTHING",
    )
    .bind(provider.0)
    .bind(&keys)
    .bind(&key_profiles)
    .execute(&mut *c)
    .await?;
    let mut columns = Columns::default();
    for (list, in_review) in [(&pairs.links, false), (&pairs.review, true)] {
        for m in list.iter().filter(|m| m.a != m.b) {
            columns.a.push(m.a.min(m.b).0);
            columns.b.push(m.a.max(m.b).0);
            columns.review.push(in_review);
            columns.probability.push(m.probability);
            columns.fields.push(
                serde_json::to_value(&m.fields).map_err(|e| StoreError::Backend(e.to_string()))?,
            );
        }
    }
    let theirs: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM UNNEST($2::uuid[], $3::uuid[]) AS n(a, b) \
         JOIN profiles pa ON pa.id = n.a AND pa.provider_id = $1 \
         JOIN profiles pb ON pb.id = n.b AND pb.provider_id = $1",
    )
    .bind(provider.0)
    .bind(&columns.a)
    .bind(&columns.b)
    .fetch_one(&mut *c)
    .await?;
    if theirs as usize != columns.a.len() {
        return Err(StoreError::NotFound);
    }
    sqlx::query(
        "INSERT INTO linkage_pairs (provider_id, a, b, review, probability, fields) \
         SELECT $1, n.a, n.b, n.review, n.probability, n.fields \
         FROM UNNEST($2::uuid[], $3::uuid[], $4::boolean[], $5::float8[], $6::jsonb[]) \
             AS n(a, b, review, probability, fields) \
         ON CONFLICT (provider_id, a, b) DO NOTHING",
    )
    .bind(provider.0)
    .bind(columns.a)
    .bind(columns.b)
    .bind(columns.review)
    .bind(columns.probability)
    .bind(columns.fields)
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// The pairs' columns, for one insert of them all.
#[derive(Default)]
struct Columns {
    a: Vec<Uuid>,
    b: Vec<Uuid>,
    review: Vec<bool>,
    probability: Vec<f64>,
    fields: Vec<Value>,
}

/// Waiting profiles with their records, at most `limit`, grouped by provider.
pub async fn pending(c: &mut PgConnection, limit: u32) -> Result<Vec<(ProviderId, Vec<Record>)>> {
    let rows: Vec<(Uuid, Uuid, Attributes)> = sqlx::query_as(
        "SELECT w.provider_id, w.profile_id, p.attributes FROM linkage_pending w \
         JOIN profiles p ON p.id = w.profile_id ORDER BY w.provider_id, w.profile_id LIMIT $1",
    )
    .bind(i64::from(limit))
    .fetch_all(c)
    .await?;
    Ok(linking::waiting(rows.into_iter().map(
        |(provider, profile, Json(a))| (ProviderId(provider), ProfileId(profile), a),
    )))
}

/// The records of the provider's profiles holding any of `keys`; a key on more
/// than `cap` profiles is a block too large to compare and is left out.
pub async fn candidates(
    c: &mut PgConnection,
    provider: ProviderId,
    keys: &[String],
    cap: usize,
) -> Result<Vec<Record>> {
    let rows: Vec<(Uuid, Attributes)> = sqlx::query_as(
        "SELECT p.id, p.attributes FROM profiles p WHERE p.provider_id = $1 AND p.id IN ( \
             SELECT h.profile_id FROM UNNEST($2::text[]) AS k(key) \
             CROSS JOIN LATERAL (SELECT array_agg(l.profile_id) AS on_key FROM ( \
                 SELECT profile_id FROM linkage_keys \
                 WHERE provider_id = $1 AND key = k.key LIMIT $3) l) b \
             CROSS JOIN LATERAL UNNEST(b.on_key) AS h(profile_id) \
             WHERE cardinality(b.on_key) <= $4)",
    )
    .bind(provider.0)
    .bind(keys)
    .bind(cap as i64 + 1)
    .bind(cap as i64)
    .fetch_all(c)
    .await?;
    Ok(to_records(rows))
}

/// The linked pairs that name any of `profiles`, for the walk.
pub async fn links_of(
    c: &mut PgConnection,
    provider: ProviderId,
    profiles: &[Uuid],
) -> Result<Vec<Match>> {
    let rows: Vec<(Uuid, Uuid, f64, String)> = sqlx::query_as(
        "SELECT a, b, probability, fields::text FROM linkage_pairs \
         WHERE provider_id = $1 AND (a = ANY($2) OR b = ANY($2)) AND NOT review",
    )
    .bind(provider.0)
    .bind(profiles)
    .fetch_all(c)
    .await?;
    pairs(rows)
}

/// The pairs in the review band that nobody decided and no other evidence joined,
/// likeliest first.
pub async fn review(c: &mut PgConnection, provider: ProviderId, limit: u32) -> Result<Vec<Match>> {
    let rows: Vec<(Uuid, Uuid, f64, String)> = sqlx::query_as(
        "SELECT l.a, l.b, l.probability, l.fields::text FROM linkage_pairs l \
         JOIN profiles pa ON pa.id = l.a JOIN profiles pb ON pb.id = l.b \
         WHERE l.provider_id = $1 AND l.review AND pa.person_id <> pb.person_id \
         AND NOT EXISTS (SELECT 1 FROM identity_decisions d \
             WHERE d.provider_id = l.provider_id AND d.a = l.a AND d.b = l.b) \
         ORDER BY l.probability DESC, l.a, l.b LIMIT $2",
    )
    .bind(provider.0)
    .bind(i64::from(limit))
    .fetch_all(c)
    .await?;
    pairs(rows)
}

fn pairs(rows: Vec<(Uuid, Uuid, f64, String)>) -> Result<Vec<Match>> {
    rows.into_iter()
        .map(|(a, b, p, fields)| matched(ProfileId(a), ProfileId(b), p, &fields))
        .collect()
}
