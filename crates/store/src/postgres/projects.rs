//! Research projects: whole documents with a version, visible to the owner and guests.
//! The same rules as `sqlite::projects`; a save is one conditional UPDATE, so of two
//! saves naming the same version only one can win.

use super::rows::stored;
use super::store::now;
use crate::{Result, StoreError, StoredProject};
use motesplats_core::{Invalid, ProviderId};
use sqlx::postgres::PgRow;
use sqlx::types::Json;
use sqlx::{AssertSqlSafe, PgPool, Row};
use uuid::Uuid;

/// Whether the provider `$1` may see project `p`: it owns it or is invited to it.
pub(super) const VISIBLE: &str = "(p.owner = $1 OR EXISTS (SELECT 1 FROM project_guests g WHERE g.project_id = p.id AND g.provider_id = $1))";

const COLUMNS: &str = "p.id, p.owner, p.version, p.document, p.updated_at";

fn project(r: &PgRow) -> Result<StoredProject> {
    let Json(document) = r
        .try_get(3)
        .map_err(|_| StoreError::Backend("unreadable project document".into()))?;
    Ok(StoredProject {
        id: r.try_get(0)?,
        owner: ProviderId(r.try_get(1)?),
        version: r.try_get(2)?,
        document,
        updated_at: r.try_get(4)?,
    })
}

/// jsonb cannot hold U+0000 in a string (SQLite's text can): say so instead of failing
/// as the database.
pub(super) fn document_error(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.code().as_deref() == Some("22P05") => StoreError::Invalid(
            Invalid::one("document", motesplats_core::Reason::NulCharacter),
        ),
        _ => e.into(),
    }
}

fn changed(expected: i64, current: i64) -> StoreError {
    StoreError::Conflict(Invalid::one(
        "version",
        motesplats_core::Reason::Changed {
            what: "project".into(),
            expected,
            current,
        },
    ))
}

pub async fn create(
    pool: &PgPool,
    owner: ProviderId,
    id: Uuid,
    document: &serde_json::Value,
) -> Result<StoredProject> {
    let at = stored(now());
    let n = sqlx::query(
        "INSERT INTO projects (id, owner, version, document, updated_at) VALUES ($1, $2, 1, $3, $4) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(owner.0)
    .bind(Json(document))
    .bind(at)
    .execute(pool)
    .await
    .map_err(document_error)?
    .rows_affected();
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
        updated_at: at,
    })
}

pub async fn get(pool: &PgPool, reader: ProviderId, id: Uuid) -> Result<Option<StoredProject>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM projects p WHERE p.id = $2 AND {VISIBLE}"
    )))
    .bind(reader.0)
    .bind(id)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(project).transpose()
}

pub async fn list(pool: &PgPool, reader: ProviderId) -> Result<Vec<StoredProject>> {
    // The id breaks ties between saves in the same microsecond, so the order is stable.
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM projects p WHERE {VISIBLE} ORDER BY p.updated_at DESC, p.id DESC"
    )))
    .bind(reader.0)
    .fetch_all(pool)
    .await?;
    rows.iter().map(project).collect()
}

pub async fn save(
    pool: &PgPool,
    writer: ProviderId,
    id: Uuid,
    expected: i64,
    document: &serde_json::Value,
) -> Result<StoredProject> {
    // Only an invitation landing between the two statements makes a second round.
    for _ in 0..3 {
        let at = stored(now());
        // Under READ COMMITTED a save that waited for another one on the row checks the
        // version again against the row that one left, and then changes nothing.
        let saved = sqlx::query(AssertSqlSafe(format!(
            "UPDATE projects AS p SET version = p.version + 1, document = $3, updated_at = $4 \
             WHERE p.id = $2 AND p.version = $5 AND {VISIBLE} RETURNING p.owner, p.version"
        )))
        .bind(writer.0)
        .bind(id)
        .bind(Json(document))
        .bind(at)
        .bind(expected)
        .fetch_optional(pool)
        .await
        .map_err(document_error)?;
        if let Some(r) = saved {
            return Ok(StoredProject {
                id,
                owner: ProviderId(r.try_get(0)?),
                version: r.try_get(1)?,
                document: document.clone(),
                updated_at: at,
            });
        }
        // Nothing changed: say why, as SQLite does.
        let current: Option<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT p.version FROM projects p WHERE p.id = $2 AND {VISIBLE}"
        )))
        .bind(writer.0)
        .bind(id)
        .fetch_optional(pool)
        .await?;
        match current {
            None => return Err(StoreError::NotFound),
            Some(v) if v != expected => return Err(changed(expected, v)),
            // The writer was invited between the two statements: try again.
            Some(_) => continue,
        }
    }
    Err(StoreError::Backend(
        "the project could not be saved; try again".into(),
    ))
}

pub async fn invite(pool: &PgPool, owner: ProviderId, id: Uuid, guest: ProviderId) -> Result<()> {
    let mut tx = pool.begin().await?;
    let owned: Option<i32> =
        sqlx::query_scalar("SELECT 1 FROM projects WHERE id = $1 AND owner = $2")
            .bind(id)
            .bind(owner.0)
            .fetch_optional(&mut *tx)
            .await?;
    if owned.is_none() {
        return Err(StoreError::NotFound);
    }
    let known: Option<i32> = sqlx::query_scalar("SELECT 1 FROM providers WHERE id = $1")
        .bind(guest.0)
        .fetch_optional(&mut *tx)
        .await?;
    if known.is_none() {
        return Err(StoreError::Invalid(Invalid::one(
            "provider_id",
            motesplats_core::Reason::NoProvider,
        )));
    }
    sqlx::query(
        "INSERT INTO project_guests (project_id, provider_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(id)
    .bind(guest.0)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
