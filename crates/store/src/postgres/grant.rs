//! Sharing grants on PostgreSQL. A read through grants is one transaction: a grant
//! revoked before it finds nothing, and the reads are logged with it.

use super::account;
use super::contact::{account_of, choose, consents};
use super::rows::{self, stored};
use crate::grant::{self, GRANT_COLUMNS, GrantRow, SHARED_TOUCHPOINTS, ThroughGrant};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use motesplats_core::consent::{Choice, Grant, NewGrant, Source};
use motesplats_core::{AccountId, Invalid, PersonId, ProviderId, Reason};
use sqlx::postgres::PgRow;
use sqlx::{AssertSqlSafe, PgPool, Row};
use uuid::Uuid;

fn read(r: &PgRow) -> Result<Grant> {
    GrantRow {
        id: r.try_get(0)?,
        holder: r.try_get(1)?,
        reader: r.try_get(2)?,
        categories: r.try_get(3)?,
        purpose: r.try_get(4)?,
        until: r.try_get(5)?,
        created_at: r.try_get(6)?,
        revoked_at: r.try_get(7)?,
    }
    .into_grant()
}

/// Stores the grant and the person's consent to its purpose at the reader, since
/// granting is consenting; both providers must hold a record of the account's.
pub async fn create(
    pool: &PgPool,
    account: AccountId,
    new: &NewGrant,
    now: DateTime<Utc>,
) -> Result<Grant> {
    let (until, now) = (stored(new.until), stored(now));
    let holders = account::persons(pool, account).await?;
    for (field, id) in [("holder", new.holder), ("reader", new.reader)] {
        if !holders.iter().any(|(p, _)| p.id == id) {
            return Err(StoreError::Invalid(Invalid::one(field, Reason::NoProvider)));
        }
    }
    let id = Uuid::now_v7();
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO grants (id, account_id, holder_id, reader_id, categories, purpose, until, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(account.0)
    .bind(new.holder.0)
    .bind(new.reader.0)
    .bind(grant::categories_text(&new.categories))
    .bind(new.purpose.as_str())
    .bind(until)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    choose(
        &mut tx,
        account,
        new.reader,
        &Choice {
            purpose: new.purpose,
            given: true,
            source: Source::Person,
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Grant {
        id,
        holder: new.holder,
        reader: new.reader,
        categories: new.categories.clone(),
        purpose: new.purpose,
        until,
        created_at: now,
        revoked_at: None,
    })
}

/// Every grant the account made, newest first.
pub async fn list(pool: &PgPool, account: AccountId) -> Result<Vec<Grant>> {
    sqlx::query(AssertSqlSafe(format!(
        "SELECT {GRANT_COLUMNS} FROM grants WHERE account_id = $1 ORDER BY created_at DESC, id DESC"
    )))
    .bind(account.0)
    .fetch_all(pool)
    .await?
    .iter()
    .map(read)
    .collect()
}

/// Revokes at once; revoking again changes nothing. NotFound unless the account's.
pub async fn revoke(pool: &PgPool, account: AccountId, id: Uuid, now: DateTime<Utc>) -> Result<()> {
    let found = sqlx::query(
        "UPDATE grants SET revoked_at = coalesce(revoked_at, $3) WHERE id = $1 AND account_id = $2",
    )
    .bind(id)
    .bind(account.0)
    .bind(stored(now))
    .execute(pool)
    .await?
    .rows_affected();
    if found == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// What `reader` may read of its `person` through live grants; None when the person
/// is not the reader's.
pub async fn shared(
    pool: &PgPool,
    reader: ProviderId,
    person: PersonId,
    now: DateTime<Utc>,
) -> Result<Option<Vec<ThroughGrant>>> {
    let now = stored(now);
    let mut tx = pool.begin().await?;
    let known =
        sqlx::query("SELECT 1 FROM profiles WHERE person_id = $1 AND provider_id = $2 LIMIT 1")
            .bind(person.0)
            .bind(reader.0)
            .fetch_optional(&mut *tx)
            .await?;
    if known.is_none() {
        return Ok(None);
    }
    let Some(account) = account_of(&mut tx, reader, person).await? else {
        return Ok(Some(Vec::new()));
    };
    // Locks the live grants: a revocation waits for this read, or this read for it.
    let live: Vec<Grant> = sqlx::query(AssertSqlSafe(format!(
        "SELECT {GRANT_COLUMNS} FROM grants WHERE account_id = $1 AND reader_id = $2 \
         AND revoked_at IS NULL AND until > $3 ORDER BY created_at, id FOR SHARE"
    )))
    .bind(account.0)
    .bind(reader.0)
    .bind(now)
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(read)
    .collect::<Result<_>>()?;
    let mut out = Vec::with_capacity(live.len());
    for g in live {
        let Some(holder) = rows::provider_by_id(&mut tx, g.holder).await? else {
            continue;
        };
        let choices = consents(&mut tx, reader, person, Some(account), g.purpose).await?;
        let withheld = grant::withheld(&g, &choices);
        let records = if withheld.is_none() {
            let held =
                account::records(&mut tx, account, Some(g.holder), SHARED_TOUCHPOINTS).await?;
            let (records, log) = grant::share(&g, held, now);
            rows::log_access(&mut tx, &log).await?;
            records
        } else {
            Vec::new()
        };
        out.push(ThroughGrant {
            grant: g,
            holder,
            withheld,
            records,
        });
    }
    tx.commit().await?;
    Ok(Some(out))
}
