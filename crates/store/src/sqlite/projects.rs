//! Research projects: whole documents with a version, visible to the owner and guests.

use super::rows::{micros, time};
use crate::{Result, StoreError, StoredProject};
use chrono::Utc;
use motesplats_core::{Invalid, ProviderId};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

pub(super) const VISIBLE: &str = "(p.owner = ?1 OR EXISTS (SELECT 1 FROM project_guests g WHERE g.project_id = p.id AND g.provider_id = ?1))";

fn row(r: &rusqlite::Row) -> rusqlite::Result<(Uuid, Uuid, i64, String, i64)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

fn stored(
    (id, owner, version, document, updated_at): (Uuid, Uuid, i64, String, i64),
) -> Result<StoredProject> {
    Ok(StoredProject {
        id,
        owner: ProviderId(owner),
        version,
        document: serde_json::from_str(&document)
            .map_err(|_| StoreError::Backend("unreadable project document".into()))?,
        updated_at: time(updated_at)?,
    })
}

pub fn create(
    c: &Connection,
    owner: ProviderId,
    id: Uuid,
    document: &serde_json::Value,
) -> Result<StoredProject> {
    let at = micros(Utc::now());
    let n = c.execute(
        "INSERT OR IGNORE INTO projects (id, owner, version, document, updated_at) VALUES (?1, ?2, 1, ?3, ?4)",
        params![id, owner.0, document.to_string(), at],
    )?;
    if n == 0 {
        return Err(StoreError::Conflict(Invalid::one(
            "id",
            motesplats_core::Reason::Exists {
                what: "project".into(),
            },
        )));
    }
    Ok(StoredProject {
        id,
        owner,
        version: 1,
        document: document.clone(),
        updated_at: time(at)?,
    })
}

pub fn get(c: &Connection, reader: ProviderId, id: Uuid) -> Result<Option<StoredProject>> {
    c.prepare_cached(&format!(
        "SELECT p.id, p.owner, p.version, p.document, p.updated_at FROM projects p WHERE p.id = ?2 AND {VISIBLE}"
    ))?
    .query_row(params![reader.0, id], row)
    .optional()?
    .map(stored)
    .transpose()
}

pub fn list(c: &Connection, reader: ProviderId) -> Result<Vec<StoredProject>> {
    let rows: Vec<_> = c
        .prepare_cached(&format!(
            "SELECT p.id, p.owner, p.version, p.document, p.updated_at FROM projects p WHERE {VISIBLE} \
             ORDER BY p.updated_at DESC"
        ))?
        .query_map([reader.0], row)?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter().map(stored).collect()
}

pub fn save(
    c: &Connection,
    writer: ProviderId,
    id: Uuid,
    expected: i64,
    document: &serde_json::Value,
) -> Result<StoredProject> {
    let current = get(c, writer, id)?.ok_or(StoreError::NotFound)?;
    if current.version != expected {
        return Err(StoreError::Conflict(Invalid::one(
            "version",
            motesplats_core::Reason::Changed {
                what: "project".into(),
                expected,
                current: current.version,
            },
        )));
    }
    let at = micros(Utc::now());
    c.execute(
        "UPDATE projects SET version = version + 1, document = ?2, updated_at = ?3 WHERE id = ?1 AND version = ?4",
        params![id, document.to_string(), at, expected],
    )?;
    Ok(StoredProject {
        version: expected + 1,
        document: document.clone(),
        updated_at: time(at)?,
        ..current
    })
}

pub fn invite(c: &Connection, owner: ProviderId, id: Uuid, guest: ProviderId) -> Result<()> {
    let owned: Option<i64> = c
        .query_row(
            "SELECT 1 FROM projects WHERE id = ?1 AND owner = ?2",
            params![id, owner.0],
            |r| r.get(0),
        )
        .optional()?;
    if owned.is_none() {
        return Err(StoreError::NotFound);
    }
    let known: Option<i64> = c
        .query_row("SELECT 1 FROM providers WHERE id = ?1", [guest.0], |r| {
            r.get(0)
        })
        .optional()?;
    if known.is_none() {
        return Err(StoreError::Invalid(Invalid::one(
            "provider_id",
            motesplats_core::Reason::NoProvider,
        )));
    }
    c.execute(
        "INSERT OR IGNORE INTO project_guests (project_id, provider_id) VALUES (?1, ?2)",
        params![id, guest.0],
    )?;
    Ok(())
}
