//! Erasure on PostgreSQL: one transaction deletes everything the person's verified
//! identifiers reach at every provider, leaves tombstones, and relinks the provider's
//! other profiles that were one person with them.

use super::account;
use super::linking;
use super::rows::{corrupt, stored};
use crate::Result;
use crate::SettingsKind;
use crate::erasure::{
    BY_PAIR, BY_PROFILE, Erased, HeldBack, Purged, Tombstone, cutoff, held_until, touchpoint_cuts,
};
use chrono::{DateTime, Utc};
use motesplats_core::retention::Retention;
use motesplats_core::{AccountId, Identifier, ProfileId, ProviderId};
use sqlx::{AssertSqlSafe, PgConnection, PgPool, Row};
use std::collections::BTreeSet;
use uuid::Uuid;

pub async fn erase(
    pool: &PgPool,
    account: AccountId,
    tombstone: &Tombstone,
    now: DateTime<Utc>,
) -> Result<Vec<Erased>> {
    let now = stored(now);
    let mut tx = pool.begin().await?;
    let mut providers = account::persons(pool, account).await?;
    // One pass per provider, however many of its persons the account reaches.
    let mut seen = std::collections::HashSet::new();
    providers.retain(|(p, _)| seen.insert(p.id));
    let mut out = Vec::with_capacity(providers.len());
    for (provider, _) in providers {
        let retention = crate::erasure::retention(
            super::ingest::settings(&mut tx, provider.id, SettingsKind::Retention).await?,
        )?;
        let erased = account::profiles_at(pool, account, provider.id).await?;
        let mut done = Erased {
            provider: provider.id,
            provider_name: provider.name,
            at: now,
            records: erased.len() as u64,
            touchpoints: 0,
            responses: 0,
            held_back: 0,
        };
        let ids: Vec<Uuid> = erased.iter().map(|p| p.0).collect();
        let persons: BTreeSet<Uuid> =
            sqlx::query("SELECT person_id FROM profiles WHERE id = ANY($1) FOR UPDATE")
                .bind(&ids)
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<Result<_, _>>()?;
        let persons: Vec<Uuid> = persons.into_iter().collect();
        let mut mates: BTreeSet<ProfileId> =
            sqlx::query("SELECT id FROM profiles WHERE person_id = ANY($1)")
                .bind(&persons)
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| r.try_get(0).map(ProfileId))
                .collect::<Result<_, _>>()?;
        for id in &erased {
            mates.remove(id);
            for identifier in identifiers(&mut tx, *id).await? {
                sqlx::query(
                    "INSERT INTO tombstones (provider_id, hash) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                )
                .bind(provider.id.0)
                .bind(tombstone(provider.id, &identifier).as_slice())
                .execute(&mut *tx)
                .await?;
                forget_elsewhere(&mut tx, provider.id, &identifier).await?;
            }
            done.held_back += hold_back(&mut tx, account, provider.id, *id, &retention).await?;
            let (touchpoints, responses) = remove(&mut tx, provider.id, *id).await?;
            done.touchpoints += touchpoints;
            done.responses += responses;
        }
        // The provider's other profiles that were one person with them are resolved
        // again without them.
        linking::relink(&mut tx, crate::linking::rules(), provider.id, mates, now).await?;
        sqlx::query(
            "DELETE FROM persons WHERE id = ANY($1) \
             AND NOT EXISTS (SELECT 1 FROM profiles WHERE person_id = persons.id)",
        )
        .bind(&persons)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO erasures (account_id, provider_id, at, records, touchpoints, responses, held_back) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(account.0)
        .bind(provider.id.0)
        .bind(now)
        .bind(count(done.records))
        .bind(count(done.touchpoints))
        .bind(count(done.responses))
        .bind(count(done.held_back))
        .execute(&mut *tx)
        .await?;
        out.push(done);
    }
    // What the person shared or asked of the providers ends with what they held.
    sqlx::query("UPDATE grants SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL")
        .bind(account.0)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM rectifications WHERE account_id = $1")
        .bind(account.0)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(out)
}

async fn identifiers(c: &mut PgConnection, profile: ProfileId) -> Result<Vec<Identifier>> {
    sqlx::query("SELECT kind, value FROM identifiers WHERE profile_id = $1")
        .bind(profile.0)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| linking::identifier(&r.try_get::<String, _>(0)?, r.try_get(1)?))
        .collect()
}

/// Deletes what carries the identifier outside any record: touchpoints still waiting
/// to be stitched (which would make a new record of the person) and refused events in
/// the quarantine (whose raw text holds it, as it was written).
async fn forget_elsewhere(
    c: &mut PgConnection,
    provider: ProviderId,
    id: &Identifier,
) -> Result<()> {
    sqlx::query(
        "DELETE FROM touchpoints WHERE provider_id = $1 AND profile_id IS NULL \
         AND identifiers @> $2::jsonb",
    )
    .bind(provider.0)
    .bind(serde_json::json!([{"kind": id.kind.as_str(), "value": id.value}]))
    .execute(&mut *c)
    .await?;
    sqlx::query(
        "DELETE FROM quarantine WHERE provider_id = $1 AND strpos(lower(raw), lower($2)) > 0",
    )
    .bind(provider.0)
    .bind(&id.value)
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Moves the profile's touchpoints that the law keeps apart, with their reason.
async fn hold_back(
    c: &mut PgConnection,
    account: AccountId,
    provider: ProviderId,
    profile: ProfileId,
    retention: &Retention,
) -> Result<u64> {
    if retention.legal_holds.is_empty() {
        return Ok(0);
    }
    let rows = sqlx::query(
        "SELECT kind, occurred_at, coalesce(properties, '{}'::jsonb) FROM touchpoints WHERE profile_id = $1",
    )
    .bind(profile.0)
    .fetch_all(&mut *c)
    .await?;
    let mut held = 0;
    for r in rows {
        let (kind, at): (String, DateTime<Utc>) = (r.try_get(0)?, r.try_get(1)?);
        let Some(hold) = retention.hold(&kind) else {
            continue;
        };
        sqlx::query(
            "INSERT INTO held_back (account_id, provider_id, kind, occurred_at, properties, reason, until) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(account.0)
        .bind(provider.0)
        .bind(&kind)
        .bind(at)
        .bind(r.try_get::<serde_json::Value, _>(2)?)
        .bind(&hold.reason)
        .bind(held_until(at, hold.years))
        .execute(&mut *c)
        .await?;
        held += 1;
    }
    Ok(held)
}

/// Deletes one profile and every row that hangs on it; the touchpoints and survey
/// responses it removed.
async fn remove(
    c: &mut PgConnection,
    provider: ProviderId,
    profile: ProfileId,
) -> Result<(u64, u64)> {
    let p = profile.0;
    let responses: Vec<Uuid> = sqlx::query(
        "SELECT id FROM survey_responses WHERE provider_id = $1 AND document->>'profile_id' = $2",
    )
    .bind(provider.0)
    .bind(p.to_string())
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| r.try_get(0))
    .collect::<Result<_, _>>()?;
    sqlx::query("DELETE FROM codings WHERE response_id = ANY($1)")
        .bind(&responses)
        .execute(&mut *c)
        .await?;
    sqlx::query("DELETE FROM survey_responses WHERE id = ANY($1)")
        .bind(&responses)
        .execute(&mut *c)
        .await?;
    let touchpoints = sqlx::query("DELETE FROM touchpoints WHERE profile_id = $1")
        .bind(p)
        .execute(&mut *c)
        .await?
        .rows_affected();
    for table in BY_PROFILE {
        sqlx::query(AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE profile_id = $1"
        )))
        .bind(p)
        .execute(&mut *c)
        .await?;
    }
    for (table, end) in BY_PAIR {
        sqlx::query(AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE provider_id = $2 AND {end} = $1"
        )))
        .bind(p)
        .bind(provider.0)
        .execute(&mut *c)
        .await?;
    }
    sqlx::query("DELETE FROM profiles WHERE id = $1 AND provider_id = $2")
        .bind(p)
        .bind(provider.0)
        .execute(&mut *c)
        .await?;
    Ok((touchpoints, responses.len() as u64))
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The provider's tombstones.
pub async fn tombstones(pool: &PgPool, provider: ProviderId) -> Result<Vec<[u8; 32]>> {
    sqlx::query("SELECT hash FROM tombstones WHERE provider_id = $1")
        .bind(provider.0)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            r.try_get::<Vec<u8>, _>(0)?
                .try_into()
                .map_err(|_| corrupt("tombstone"))
        })
        .collect()
}

/// What was erased for the account, newest first.
pub async fn erasures(pool: &PgPool, account: AccountId) -> Result<Vec<Erased>> {
    sqlx::query(
        "SELECT e.provider_id, p.name, e.at, e.records, e.touchpoints, e.responses, e.held_back \
         FROM erasures e JOIN providers p ON p.id = e.provider_id \
         WHERE e.account_id = $1 ORDER BY e.at DESC, p.name",
    )
    .bind(account.0)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        Ok(Erased {
            provider: ProviderId(r.try_get(0)?),
            provider_name: r.try_get(1)?,
            at: r.try_get(2)?,
            records: r.try_get::<i64, _>(3)?.unsigned_abs(),
            touchpoints: r.try_get::<i64, _>(4)?.unsigned_abs(),
            responses: r.try_get::<i64, _>(5)?.unsigned_abs(),
            held_back: r.try_get::<i64, _>(6)?.unsigned_abs(),
        })
    })
    .collect()
}

/// What the providers keep of the account by law, per provider and kind.
pub async fn held_back(pool: &PgPool, account: AccountId) -> Result<Vec<HeldBack>> {
    sqlx::query(
        "SELECT p.name, h.kind, count(*), max(h.reason), max(h.until) \
         FROM held_back h JOIN providers p ON p.id = h.provider_id \
         WHERE h.account_id = $1 GROUP BY p.name, h.kind ORDER BY p.name, h.kind",
    )
    .bind(account.0)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        Ok(HeldBack {
            provider_name: r.try_get(0)?,
            kind: r.try_get(1)?,
            count: r.try_get::<i64, _>(2)?.unsigned_abs(),
            reason: r.try_get(3)?,
            until: r.try_get(4)?,
        })
    })
    .collect()
}

/// Deletes what the provider keeps past its retention periods, and held-back rows
/// whose hold has ended, in one transaction.
pub async fn purge(
    pool: &PgPool,
    provider: ProviderId,
    retention: &Retention,
    now: DateTime<Utc>,
) -> Result<Purged> {
    let mut tx = pool.begin().await?;
    let mut touchpoints = 0;
    if let Some(cuts) = touchpoint_cuts(retention, now) {
        touchpoints += sqlx::query(
            "DELETE FROM touchpoints WHERE provider_id = $1 AND occurred_at < $2 \
             AND NOT (kind = ANY($3))",
        )
        .bind(provider.0)
        .bind(cuts.unheld)
        .bind(&cuts.held_kinds)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        for (kind, before) in &cuts.held {
            touchpoints += sqlx::query(
                "DELETE FROM touchpoints WHERE provider_id = $1 AND occurred_at < $2 AND kind = $3",
            )
            .bind(provider.0)
            .bind(before)
            .bind(kind)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
    }
    let mut delete = async |sql: &'static str, before: Option<DateTime<Utc>>| -> Result<u64> {
        let Some(before) = before else {
            return Ok(0);
        };
        Ok(sqlx::query(sql)
            .bind(provider.0)
            .bind(before)
            .execute(&mut *tx)
            .await?
            .rows_affected())
    };
    // The codings of a response go with it.
    delete(
        "DELETE FROM codings WHERE provider_id = $1 AND response_id IN \
         (SELECT id FROM survey_responses WHERE provider_id = $1 AND submitted_at < $2)",
        cutoff(now, retention.responses_days),
    )
    .await?;
    let purged = Purged {
        touchpoints,
        responses: delete(
            "DELETE FROM survey_responses WHERE provider_id = $1 AND submitted_at < $2",
            cutoff(now, retention.responses_days),
        )
        .await?,
        quarantined: delete(
            "DELETE FROM quarantine WHERE provider_id = $1 AND received_at < $2",
            cutoff(now, retention.quarantine_days),
        )
        .await?,
        logs: delete(
            "DELETE FROM access_log WHERE provider_id = $1 AND at < $2",
            cutoff(now, retention.logs_days),
        )
        .await?,
        held_back: delete(
            "DELETE FROM held_back WHERE provider_id = $1 AND until < $2",
            Some(now),
        )
        .await?,
    };
    tx.commit().await?;
    Ok(purged)
}
