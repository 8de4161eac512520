//! Photos and screenshots of research projects: the same rules as
//! `sqlite::attachments`. The check that the writer may see the project and the
//! insert are one transaction.

use super::projects::VISIBLE;
use super::rows::stored;
use super::store::now;
use crate::{Result, StoreError};
use motesplats_core::{Invalid, ProviderId};
use sqlx::{AssertSqlSafe, PgPool, Row};
use uuid::Uuid;

pub async fn put(
    pool: &PgPool,
    viewer: ProviderId,
    project: Uuid,
    id: Uuid,
    content_type: &str,
    data: &[u8],
) -> Result<()> {
    let mut tx = pool.begin().await?;
    // FOR SHARE keeps the project row from going away until the insert commits.
    let visible: Option<i32> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT 1 FROM projects p WHERE p.id = $2 AND {VISIBLE} FOR SHARE"
    )))
    .bind(viewer.0)
    .bind(project)
    .fetch_optional(&mut *tx)
    .await?;
    if visible.is_none() {
        return Err(StoreError::NotFound);
    }
    let n = sqlx::query(
        "INSERT INTO attachments (id, project_id, content_type, data, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(project)
    .bind(content_type)
    .bind(data)
    .bind(stored(now()))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::Conflict(Invalid::one(
            "id",
            motesplats_core::Reason::Exists {
                what: "attachment".into(),
            },
        )));
    }
    tx.commit().await?;
    Ok(())
}

pub async fn get(
    pool: &PgPool,
    viewer: ProviderId,
    project: Uuid,
    id: Uuid,
) -> Result<Option<(String, Vec<u8>)>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT a.content_type, a.data FROM attachments a JOIN projects p ON p.id = a.project_id \
         WHERE a.id = $2 AND a.project_id = $3 AND {VISIBLE}"
    )))
    .bind(viewer.0)
    .bind(id)
    .bind(project)
    .fetch_optional(pool)
    .await?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}
