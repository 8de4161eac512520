//! Saved segments, and the persons their rules over persons name.

use super::rows::{corrupt, stored};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use motesplats_core::segment::{Segment, SegmentId, SegmentRules};
use motesplats_core::{PersonId, ProfileId, ProviderId};
use sqlx::types::Json;
use sqlx::{PgPool, Row};
use uuid::Uuid;

const COLUMNS: &str = "SELECT id, name, rules, updated_at FROM segments";

fn read(r: &sqlx::postgres::PgRow) -> Result<Segment> {
    let rules: serde_json::Value = r.try_get("rules")?;
    let rules: SegmentRules =
        serde_json::from_value(rules).map_err(|_| corrupt("segment rules"))?;
    Ok(Segment {
        id: SegmentId(r.try_get("id")?),
        name: r.try_get("name")?,
        rules,
        updated_at: r.try_get::<DateTime<Utc>, _>("updated_at")?,
    })
}

/// The provider's segments by name.
pub async fn list(pool: &PgPool, provider: ProviderId) -> Result<Vec<Segment>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{COLUMNS} WHERE provider_id = $1 ORDER BY name"
    )))
    .bind(provider.0)
    .fetch_all(pool)
    .await?;
    rows.iter().map(read).collect()
}

pub async fn one(pool: &PgPool, provider: ProviderId, id: SegmentId) -> Result<Option<Segment>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{COLUMNS} WHERE provider_id = $1 AND id = $2"
    )))
    .bind(provider.0)
    .bind(id.0)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(read).transpose()
}

/// Adds or replaces `s`; a name another segment of the provider has is a conflict.
pub async fn save(pool: &PgPool, provider: ProviderId, s: &Segment) -> Result<()> {
    let done = sqlx::query(
        "INSERT INTO segments (id, provider_id, name, rules, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, rules = excluded.rules, \
         updated_at = excluded.updated_at WHERE segments.provider_id = excluded.provider_id",
    )
    .bind(s.id.0)
    .bind(provider.0)
    .bind(&s.name)
    .bind(Json(&s.rules))
    .bind(stored(s.updated_at))
    .execute(pool)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::segment_name_taken(),
        _ => e.into(),
    })?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub async fn delete(pool: &PgPool, provider: ProviderId, id: SegmentId) -> Result<bool> {
    let done = sqlx::query("DELETE FROM segments WHERE provider_id = $1 AND id = $2")
        .bind(provider.0)
        .bind(id.0)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The persons with a profile at `provider` whose attribute `key` is `value` as text
/// (a string as it is, a number as written, `true` or `false`).
pub async fn trait_persons(
    pool: &PgPool,
    provider: ProviderId,
    key: &str,
    value: &str,
) -> Result<Vec<PersonId>> {
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "SELECT DISTINCT person_id FROM profiles WHERE provider_id = $1 \
         AND jsonb_typeof(attributes -> $2) IN ('string', 'number', 'boolean') \
         AND attributes ->> $2 = $3",
    )
    .bind(provider.0)
    .bind(key)
    .bind(value)
    .fetch_all(pool)
    .await?;
    Ok(ids.into_iter().map(PersonId).collect())
}

/// The person of each of `profiles` that is `provider`'s.
pub async fn profile_persons(
    pool: &PgPool,
    provider: ProviderId,
    profiles: &[ProfileId],
) -> Result<Vec<(ProfileId, PersonId)>> {
    let ids: Vec<Uuid> = profiles.iter().map(|p| p.0).collect();
    let found: Vec<(Uuid, Uuid)> = sqlx::query_as(
        "SELECT id, person_id FROM profiles WHERE provider_id = $1 AND id = ANY($2)",
    )
    .bind(provider.0)
    .bind(&ids)
    .fetch_all(pool)
    .await?;
    Ok(found
        .into_iter()
        .map(|(p, q)| (ProfileId(p), PersonId(q)))
        .collect())
}
