//! Probabilistic linkage on PostgreSQL: the records linkage reads, the provider's
//! model, and the scored pairs (links join in `linking::walk`, the rest wait for
//! review). Writers hold the provider's advisory lock.

use super::linking::relink_all;
use super::rows::stored;
use crate::linking::{self, matched};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use motesplats_core::identity::{Match, Rules};
use motesplats_core::linkage::{Model, Record};
use motesplats_core::{ProfileId, ProviderId};
use serde_json::{Map, Value};
use sqlx::PgConnection;
use sqlx::types::Json;
use uuid::Uuid;

/// Every profile of the provider that has linkage attributes, as a record.
pub async fn records(c: &mut PgConnection, provider: ProviderId) -> Result<Vec<Record>> {
    let rows: Vec<(Uuid, Json<Map<String, Value>>)> =
        sqlx::query_as("SELECT id, attributes FROM profiles WHERE provider_id = $1")
            .bind(provider.0)
            .fetch_all(c)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, Json(attributes))| linking::record(ProfileId(id), &attributes))
        .collect())
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

/// Replaces the provider's scored pairs and rebuilds its persons; how many profiles
/// changed person. Pairs naming a profile that is not the provider's are refused.
pub async fn set_pairs(
    c: &mut PgConnection,
    rules: &'static Rules,
    provider: ProviderId,
    links: &[Match],
    review: &[Match],
    at: DateTime<Utc>,
) -> Result<usize> {
    sqlx::query("DELETE FROM linkage_pairs WHERE provider_id = $1")
        .bind(provider.0)
        .execute(&mut *c)
        .await?;
    let mut columns = Columns::default();
    for (pairs, in_review) in [(links, false), (review, true)] {
        for m in pairs.iter().filter(|m| m.a != m.b) {
            columns.a.push(m.a.min(m.b).0);
            columns.b.push(m.a.max(m.b).0);
            columns.review.push(in_review);
            columns.probability.push(m.probability);
            columns.fields.push(
                serde_json::to_value(&m.fields).map_err(|e| StoreError::Backend(e.to_string()))?,
            );
        }
    }
    let wanted = columns.a.len();
    let added = sqlx::query(
        "INSERT INTO linkage_pairs (provider_id, a, b, review, probability, fields) \
         SELECT $1, n.a, n.b, n.review, n.probability, n.fields \
         FROM UNNEST($2::uuid[], $3::uuid[], $4::boolean[], $5::float8[], $6::jsonb[]) \
             AS n(a, b, review, probability, fields) \
         JOIN profiles pa ON pa.id = n.a AND pa.provider_id = $1 \
         JOIN profiles pb ON pb.id = n.b AND pb.provider_id = $1 \
         ON CONFLICT (provider_id, a, b) DO NOTHING",
    )
    .bind(provider.0)
    .bind(columns.a)
    .bind(columns.b)
    .bind(columns.review)
    .bind(columns.probability)
    .bind(columns.fields)
    .execute(&mut *c)
    .await?
    .rows_affected();
    if added as usize != wanted {
        return Err(StoreError::NotFound);
    }
    relink_all(c, rules, provider, at).await
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
