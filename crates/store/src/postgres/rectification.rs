//! Rectification requests on PostgreSQL.

use super::account;
use super::rows::stored;
use crate::rectification::{RECTIFICATION_COLUMNS, RectificationRow, ToRectify};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use motesplats_core::consent::{NewRectification, Rectification, Resolution};
use motesplats_core::{AccountId, Invalid, ProviderId, Reason};
use sqlx::postgres::PgRow;
use sqlx::{AssertSqlSafe, PgPool, Row};
use uuid::Uuid;

fn read(r: &PgRow) -> Result<RectificationRow> {
    Ok(RectificationRow {
        id: r.try_get(0)?,
        provider: r.try_get(1)?,
        wrong: r.try_get(2)?,
        right: r.try_get(3)?,
        requested_at: r.try_get(4)?,
        outcome: r.try_get(5)?,
        note: r.try_get(6)?,
        answered_at: r.try_get(7)?,
        account: r.try_get(8)?,
    })
}

/// Stores the request; the provider must hold a record of the account's.
pub async fn request(
    pool: &PgPool,
    account: AccountId,
    new: &NewRectification,
    now: DateTime<Utc>,
) -> Result<Rectification> {
    if !account::persons(pool, account)
        .await?
        .iter()
        .any(|(p, _)| p.id == new.provider)
    {
        return Err(StoreError::Invalid(Invalid::one(
            "provider",
            Reason::NoProvider,
        )));
    }
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO rectifications (id, account_id, provider_id, wrong, correction, requested_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(account.0)
    .bind(new.provider.0)
    .bind(&new.wrong)
    .bind(&new.right)
    .bind(stored(now))
    .execute(pool)
    .await?;
    one(pool, id).await?.into_rectification()
}

async fn one(pool: &PgPool, id: Uuid) -> Result<RectificationRow> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {RECTIFICATION_COLUMNS} FROM rectifications WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or(StoreError::NotFound)?;
    read(&row)
}

/// The request as its provider sees it.
async fn to_rectify(pool: &PgPool, row: RectificationRow) -> Result<ToRectify> {
    let (account, provider) = (AccountId(row.account), ProviderId(row.provider));
    Ok(ToRectify {
        request: row.into_rectification()?,
        profiles: account::profiles_at(pool, account, provider).await?,
    })
}

/// The account's requests, newest first.
pub async fn of_account(pool: &PgPool, account: AccountId) -> Result<Vec<Rectification>> {
    sqlx::query(AssertSqlSafe(format!(
        "SELECT {RECTIFICATION_COLUMNS} FROM rectifications WHERE account_id = $1 \
         ORDER BY requested_at DESC, id DESC"
    )))
    .bind(account.0)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| read(r)?.into_rectification())
    .collect()
}

/// The requests sent to the provider, unanswered first, then newest first.
pub async fn to_provider(pool: &PgPool, provider: ProviderId) -> Result<Vec<ToRectify>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {RECTIFICATION_COLUMNS} FROM rectifications WHERE provider_id = $1 \
         ORDER BY outcome IS NOT NULL, requested_at DESC, id DESC"
    )))
    .bind(provider.0)
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(to_rectify(pool, read(r)?).await?);
    }
    Ok(out)
}

/// Answers a request to the provider (again, if it changes its answer).
pub async fn answer(
    pool: &PgPool,
    provider: ProviderId,
    id: Uuid,
    outcome: Resolution,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<ToRectify> {
    let n = sqlx::query(
        "UPDATE rectifications SET outcome = $3, note = $4, answered_at = $5 \
         WHERE id = $1 AND provider_id = $2",
    )
    .bind(id)
    .bind(provider.0)
    .bind(outcome.as_str())
    .bind(note)
    .bind(stored(now))
    .execute(pool)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    to_rectify(pool, one(pool, id).await?).await
}
