//! Photos and screenshots of research projects: bytes under the id the project
//! document names, readable and writable by whoever may see the project.

use super::projects::VISIBLE;
use super::rows::micros;
use crate::{Result, StoreError};
use chrono::Utc;
use motesplats_core::{Invalid, ProviderId};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

pub fn put(
    c: &Connection,
    viewer: ProviderId,
    project: Uuid,
    id: Uuid,
    content_type: &str,
    data: &[u8],
) -> Result<()> {
    let visible: Option<i64> = c
        .prepare_cached(&format!(
            "SELECT 1 FROM projects p WHERE p.id = ?2 AND {VISIBLE}"
        ))?
        .query_row(params![viewer.0, project], |r| r.get(0))
        .optional()?;
    if visible.is_none() {
        return Err(StoreError::NotFound);
    }
    let n = c.execute(
        "INSERT OR IGNORE INTO attachments (id, project_id, content_type, data, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, project, content_type, data, micros(Utc::now())],
    )?;
    if n == 0 {
        return Err(StoreError::Conflict(Invalid::one(
            "id",
            motesplats_core::Reason::Exists {
                what: "attachment".into(),
            },
        )));
    }
    Ok(())
}

pub fn get(
    c: &Connection,
    viewer: ProviderId,
    project: Uuid,
    id: Uuid,
) -> Result<Option<(String, Vec<u8>)>> {
    Ok(c.prepare_cached(&format!(
        "SELECT a.content_type, a.data FROM attachments a JOIN projects p ON p.id = a.project_id \
             WHERE a.id = ?2 AND a.project_id = ?3 AND {VISIBLE}"
    ))?
    .query_row(params![viewer.0, id, project], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .optional()?)
}
