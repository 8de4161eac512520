//! Rectification requests on SQLite.

use super::account;
use super::rows::{Micros, micros};
use crate::rectification::{RECTIFICATION_COLUMNS, RectificationRow, ToRectify};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use motesplats_core::consent::{NewRectification, Rectification, Resolution};
use motesplats_core::{AccountId, Invalid, ProviderId, Reason};
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

fn read(r: &Row) -> rusqlite::Result<RectificationRow> {
    Ok(RectificationRow {
        id: r.get(0)?,
        provider: r.get(1)?,
        wrong: r.get(2)?,
        right: r.get(3)?,
        requested_at: r.get::<_, Micros>(4)?.0,
        outcome: r.get(5)?,
        note: r.get(6)?,
        answered_at: r.get::<_, Option<Micros>>(7)?.map(|m| m.0),
        account: r.get(8)?,
    })
}

/// Stores the request; the provider must hold a record of the account's.
pub fn request(
    c: &Connection,
    account: AccountId,
    new: &NewRectification,
    now: DateTime<Utc>,
) -> Result<Rectification> {
    if !account::persons(c, account)?
        .iter()
        .any(|(p, _)| p.id == new.provider)
    {
        return Err(StoreError::Invalid(Invalid::one(
            "provider",
            Reason::NoProvider,
        )));
    }
    let id = Uuid::now_v7();
    c.prepare_cached(
        "INSERT INTO rectifications (id, account_id, provider_id, wrong, correction, requested_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        id,
        account.0,
        new.provider.0,
        new.wrong,
        new.right,
        micros(now)
    ])?;
    one(c, id)?.into_rectification()
}

fn one(c: &Connection, id: Uuid) -> Result<RectificationRow> {
    c.prepare_cached(&format!(
        "SELECT {RECTIFICATION_COLUMNS} FROM rectifications WHERE id = ?1"
    ))?
    .query_row([id], read)
    .optional()?
    .ok_or(StoreError::NotFound)
}

/// The request as its provider sees it.
fn to_rectify(c: &Connection, row: RectificationRow) -> Result<ToRectify> {
    let (account, provider) = (AccountId(row.account), ProviderId(row.provider));
    Ok(ToRectify {
        request: row.into_rectification()?,
        profiles: account::profiles_at(c, account, provider)?,
    })
}

/// The account's requests, newest first.
pub fn of_account(c: &Connection, account: AccountId) -> Result<Vec<Rectification>> {
    let mut q = c.prepare_cached(&format!(
        "SELECT {RECTIFICATION_COLUMNS} FROM rectifications WHERE account_id = ?1 \
         ORDER BY requested_at DESC, id DESC"
    ))?;
    let rows = q.query_map([account.0], read)?;
    rows.map(|r| r?.into_rectification()).collect()
}

/// The requests sent to the provider, unanswered first, then newest first.
pub fn to_provider(c: &Connection, provider: ProviderId) -> Result<Vec<ToRectify>> {
    let rows: Vec<RectificationRow> = c
        .prepare_cached(&format!(
            "SELECT {RECTIFICATION_COLUMNS} FROM rectifications WHERE provider_id = ?1 \
             ORDER BY outcome IS NOT NULL, requested_at DESC, id DESC"
        ))?
        .query_map([provider.0], read)?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter().map(|row| to_rectify(c, row)).collect()
}

/// Answers a request to the provider (again, if it changes its answer).
pub fn answer(
    c: &Connection,
    provider: ProviderId,
    id: Uuid,
    outcome: Resolution,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<ToRectify> {
    let n = c
        .prepare_cached(
            "UPDATE rectifications SET outcome = ?3, note = ?4, answered_at = ?5 \
             WHERE id = ?1 AND provider_id = ?2",
        )?
        .execute(params![id, provider.0, outcome.as_str(), note, micros(now)])?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    to_rectify(c, one(c, id)?)
}
