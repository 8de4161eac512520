//! Sharing grants on SQLite. A read through grants is one job of the single writer:
//! a grant revoked before it finds nothing, and the reads are logged as they happen.

use super::account;
use super::contact::{account_of, choose, consents};
use super::rows::{self, Micros, micros};
use crate::grant::{self, GRANT_COLUMNS, GrantRow, SHARED_TOUCHPOINTS, ThroughGrant};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use motesplats_core::consent::{Choice, Grant, NewGrant, Source};
use motesplats_core::{AccountId, Invalid, PersonId, ProviderId, Reason};
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

fn read(r: &Row) -> rusqlite::Result<GrantRow> {
    Ok(GrantRow {
        id: r.get(0)?,
        holder: r.get(1)?,
        reader: r.get(2)?,
        categories: r.get(3)?,
        purpose: r.get(4)?,
        until: r.get::<_, Micros>(5)?.0,
        created_at: r.get::<_, Micros>(6)?.0,
        revoked_at: r.get::<_, Option<Micros>>(7)?.map(|m| m.0),
    })
}

/// Stores the grant and the person's consent to its purpose at the reader, since
/// granting is consenting; both providers must hold a record of the account's.
pub fn create(
    c: &Connection,
    account: AccountId,
    new: &NewGrant,
    now: DateTime<Utc>,
) -> Result<Grant> {
    let holders = account::persons(c, account)?;
    for (field, id) in [("holder", new.holder), ("reader", new.reader)] {
        if !holders.iter().any(|(p, _)| p.id == id) {
            return Err(StoreError::Invalid(Invalid::one(field, Reason::NoProvider)));
        }
    }
    let id = Uuid::now_v7();
    c.prepare_cached(
        "INSERT INTO grants (id, account_id, holder_id, reader_id, categories, purpose, until, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        id,
        account.0,
        new.holder.0,
        new.reader.0,
        grant::categories_text(&new.categories),
        new.purpose.as_str(),
        micros(new.until),
        micros(now)
    ])?;
    choose(
        c,
        account,
        new.reader,
        &Choice {
            purpose: new.purpose,
            given: true,
            source: Source::Person,
            at: now,
        },
    )?;
    Ok(Grant {
        id,
        holder: new.holder,
        reader: new.reader,
        categories: new.categories.clone(),
        purpose: new.purpose,
        until: rows::as_stored(new.until),
        created_at: rows::as_stored(now),
        revoked_at: None,
    })
}

/// Every grant the account made, newest first.
pub fn list(c: &Connection, account: AccountId) -> Result<Vec<Grant>> {
    let mut q = c.prepare_cached(&format!(
        "SELECT {GRANT_COLUMNS} FROM grants WHERE account_id = ?1 ORDER BY created_at DESC, id DESC"
    ))?;
    let rows = q.query_map([account.0], read)?;
    rows.map(|r| r?.into_grant()).collect()
}

/// Revokes at once; revoking again changes nothing. NotFound unless the account's.
pub fn revoke(c: &Connection, account: AccountId, id: Uuid, now: DateTime<Utc>) -> Result<()> {
    let found = c
        .prepare_cached(
            "UPDATE grants SET revoked_at = coalesce(revoked_at, ?3) WHERE id = ?1 AND account_id = ?2",
        )?
        .execute(params![id, account.0, micros(now)])?;
    if found == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// What `reader` may read of its `person` through live grants; None when the person
/// is not the reader's.
pub fn shared(
    c: &Connection,
    reader: ProviderId,
    person: PersonId,
    now: DateTime<Utc>,
) -> Result<Option<Vec<ThroughGrant>>> {
    let known = c
        .prepare_cached("SELECT 1 FROM profiles WHERE person_id = ?1 AND provider_id = ?2 LIMIT 1")?
        .query_row(params![person.0, reader.0], |_| Ok(()))
        .optional()?;
    if known.is_none() {
        return Ok(None);
    }
    let Some(account) = account_of(c, reader, person)? else {
        return Ok(Some(Vec::new()));
    };
    let live: Vec<Grant> = c
        .prepare_cached(&format!(
            "SELECT {GRANT_COLUMNS} FROM grants WHERE account_id = ?1 AND reader_id = ?2 \
             AND revoked_at IS NULL AND until > ?3 ORDER BY created_at, id"
        ))?
        .query_map(params![account.0, reader.0, micros(now)], read)?
        .map(|r| r?.into_grant())
        .collect::<Result<_>>()?;
    let mut out = Vec::with_capacity(live.len());
    for g in live {
        let Some(holder) = rows::provider_by_id(c, g.holder)? else {
            continue;
        };
        let choices = consents(c, reader, person, Some(account), g.purpose)?;
        let withheld = grant::withheld(&g, &choices);
        let records = if withheld.is_none() {
            let held = account::records(c, account, Some(g.holder), SHARED_TOUCHPOINTS)?;
            let (records, log) = grant::share(&g, held, now);
            rows::log_access(c, &log)?;
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
    Ok(Some(out))
}
