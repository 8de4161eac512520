//! A person's sign-in and what their account reaches, on PostgreSQL.

use super::rows::{self, corrupt, stored};
use crate::contact::{HeldRecord, Redeemed};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use motesplats_core::consent::{Choice, Purpose, Source};
use motesplats_core::{AccountId, Identifier, PersonId, ProfileId, Provider, ProviderId};
use sqlx::{PgConnection, PgPool, Row};

pub async fn issue_code(
    pool: &PgPool,
    id: &Identifier,
    code: [u8; 32],
    expires_at: DateTime<Utc>,
    tries: u32,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sign_in_codes (kind, value, code_sha256, expires_at, tries_left) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (kind, value) DO UPDATE SET code_sha256 = excluded.code_sha256, \
         expires_at = excluded.expires_at, tries_left = excluded.tries_left",
    )
    .bind(id.kind.as_str())
    .bind(&id.value)
    .bind(code.as_slice())
    .bind(stored(expires_at))
    .bind(i32::try_from(tries).unwrap_or(i32::MAX))
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn redeem(
    pool: &PgPool,
    id: &Identifier,
    code: [u8; 32],
    into: Option<AccountId>,
    now: DateTime<Utc>,
) -> Result<Redeemed> {
    let mut tx = pool.begin().await?;
    let live = sqlx::query(
        "SELECT code_sha256, tries_left FROM sign_in_codes WHERE kind = $1 AND value = $2 AND expires_at > $3 FOR UPDATE",
    )
    .bind(id.kind.as_str())
    .bind(&id.value)
    .bind(stored(now))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(live) = live else {
        return Ok(Redeemed::NoCode);
    };
    let (kept, tries): (Vec<u8>, i32) = (live.try_get(0)?, live.try_get(1)?);
    let right = kept == code;
    let tries_left = if right {
        0
    } else {
        u32::try_from(tries - 1).unwrap_or(0)
    };
    if tries_left == 0 {
        sqlx::query("DELETE FROM sign_in_codes WHERE kind = $1 AND value = $2")
            .bind(id.kind.as_str())
            .bind(&id.value)
            .execute(&mut *tx)
            .await?;
    } else {
        sqlx::query("UPDATE sign_in_codes SET tries_left = $3 WHERE kind = $1 AND value = $2")
            .bind(id.kind.as_str())
            .bind(&id.value)
            .bind(i32::try_from(tries_left).unwrap_or(0))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    if right {
        // Verified after the code is gone: a second use of it finds nothing.
        // An address another account holds signs in there: accounts are not merged.
        let account = match super::contact::verify(pool, id, into, now).await {
            Err(StoreError::Conflict(_)) => super::contact::verify(pool, id, None, now).await?,
            other => other?,
        };
        return Ok(Redeemed::Accepted(account));
    }
    Ok(Redeemed::Wrong { tries_left })
}

pub async fn create_session(
    pool: &PgPool,
    account: AccountId,
    token: [u8; 32],
    expires_at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO person_sessions (token_sha256, account_id, expires_at) VALUES ($1, $2, $3)",
    )
    .bind(token.as_slice())
    .bind(account.0)
    .bind(stored(expires_at))
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn session(
    pool: &PgPool,
    token: [u8; 32],
    now: DateTime<Utc>,
) -> Result<Option<AccountId>> {
    let row = sqlx::query(
        "SELECT account_id FROM person_sessions WHERE token_sha256 = $1 AND expires_at > $2",
    )
    .bind(token.as_slice())
    .bind(stored(now))
    .fetch_optional(pool)
    .await?;
    row.map(|r| r.try_get(0).map(AccountId))
        .transpose()
        .map_err(Into::into)
}

pub async fn delete_session(pool: &PgPool, token: [u8; 32]) -> Result<()> {
    sqlx::query("DELETE FROM person_sessions WHERE token_sha256 = $1")
        .bind(token.as_slice())
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn identifiers(pool: &PgPool, account: AccountId) -> Result<Vec<Identifier>> {
    let rows = sqlx::query(
        "SELECT kind, value FROM verified_identifiers WHERE account_id = $1 ORDER BY verified_at, kind, value",
    )
    .bind(account.0)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| super::linking::identifier(&r.try_get::<String, _>(0)?, r.try_get(1)?))
        .collect()
}

pub async fn persons(pool: &PgPool, account: AccountId) -> Result<Vec<(Provider, PersonId)>> {
    let rows = sqlx::query(
        "SELECT DISTINCT pr.id, pr.name, pr.time_zone, pr.country, pr.created_at, p.person_id \
         FROM verified_identifiers v CROSS JOIN providers pr \
         JOIN identifiers i ON i.provider_id = pr.id AND i.kind = v.kind AND i.value = v.value \
         JOIN profiles p ON p.id = i.profile_id \
         WHERE v.account_id = $1 ORDER BY pr.name, p.person_id",
    )
    .bind(account.0)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| Ok((rows::provider(r)?, PersonId(r.try_get(5)?))))
        .collect()
}

pub async fn own_consents(pool: &PgPool, account: AccountId) -> Result<Vec<(ProviderId, Choice)>> {
    let rows = sqlx::query(
        "SELECT provider_id, purpose, given, at FROM own_consents WHERE account_id = $1 ORDER BY provider_id, purpose",
    )
    .bind(account.0)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let purpose: String = r.try_get(1)?;
            let purpose = Purpose::parse(&purpose).map_err(|_| corrupt("consent purpose"))?;
            Ok((
                ProviderId(r.try_get(0)?),
                Choice {
                    purpose,
                    given: r.try_get(2)?,
                    source: Source::Person,
                    at: r.try_get(3)?,
                },
            ))
        })
        .collect()
}

/// The records of every provider, or only of `holder`.
pub async fn records(
    c: &mut PgConnection,
    account: AccountId,
    holder: Option<ProviderId>,
    latest: u32,
) -> Result<Vec<HeldRecord>> {
    let held = sqlx::query(
        "SELECT DISTINCT pr.id, pr.name, pr.time_zone, pr.country, pr.created_at, i.profile_id \
         FROM verified_identifiers v CROSS JOIN providers pr \
         JOIN identifiers i ON i.provider_id = pr.id AND i.kind = v.kind AND i.value = v.value \
         WHERE v.account_id = $1 AND ($2::uuid IS NULL OR pr.id = $2) ORDER BY pr.name, i.profile_id",
    )
    .bind(account.0)
    .bind(holder.map(|h| h.0))
    .fetch_all(&mut *c)
    .await?;
    let mut out = Vec::with_capacity(held.len());
    for r in held {
        let (provider, id) = (rows::provider(&r)?, ProfileId(r.try_get(5)?));
        let Some(profile) = rows::profile_by_id(c, provider.id, id).await? else {
            continue;
        };
        let touchpoints: i64 =
            sqlx::query("SELECT count(*) FROM touchpoints WHERE profile_id = $1")
                .bind(id.0)
                .fetch_one(&mut *c)
                .await?
                .try_get(0)?;
        let raws = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM touchpoints t WHERE t.profile_id = $1 ORDER BY t.occurred_at DESC, t.id DESC LIMIT $2",
            rows::TOUCHPOINT_COLUMNS
        )))
        .bind(id.0)
        .bind(i64::from(latest))
        .fetch_all(&mut *c)
        .await?;
        let latest = raws
            .iter()
            .map(|r| rows::raw_touchpoint(r)?.into_touchpoint())
            .collect::<Result<_>>()?;
        let responses = super::surveys::of_profile(c, provider.id, id).await?;
        out.push(HeldRecord {
            provider,
            profile,
            touchpoints: u64::try_from(touchpoints).unwrap_or(0),
            latest,
            responses,
        });
    }
    Ok(out)
}

/// The provider's records that carry one of the account's identifiers.
pub async fn profiles_at(
    pool: &PgPool,
    account: AccountId,
    provider: ProviderId,
) -> Result<Vec<ProfileId>> {
    sqlx::query(
        "SELECT DISTINCT i.profile_id FROM verified_identifiers v \
         JOIN identifiers i ON i.provider_id = $2 AND i.kind = v.kind AND i.value = v.value \
         WHERE v.account_id = $1 ORDER BY i.profile_id",
    )
    .bind(account.0)
    .bind(provider.0)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| Ok(ProfileId(r.try_get(0)?)))
    .collect()
}
