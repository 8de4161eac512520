//! The server store: PostgreSQL through a pool of connections, shared safely by several
//! `motesplats` processes. Every write is one transaction. Writes that stitch identities
//! take a per-provider advisory lock, so one provider's batches take turns as they do
//! behind SQLite's single writer, while different providers write at the same time.

mod account;
mod attachments;
mod coding;
mod contact;
mod customers;
mod erasure;
mod grant;
mod ingest;
mod journeys;
mod linkage;
mod linking;
mod projects;
mod rectification;
mod rows;
mod segments;
mod staff;
mod store;
mod surveys;
pub mod testing;
#[cfg(test)]
mod tests;

use crate::{Result, Store, StoreError};
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use std::sync::Arc;

/// Append-only: a released migration is never edited, a change is a new file.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/postgres/0001_init.sql"),
    include_str!("../../migrations/postgres/0002_ingestion.sql"),
    include_str!("../../migrations/postgres/0003_research.sql"),
    include_str!("../../migrations/postgres/0004_surveys.sql"),
    include_str!("../../migrations/postgres/0005_attachments.sql"),
    include_str!("../../migrations/postgres/0006_coding.sql"),
    include_str!("../../migrations/postgres/0008_key_kind_check.sql"),
    include_str!("../../migrations/postgres/0009_survey_trust.sql"),
    include_str!("../../migrations/postgres/0010_occurred_on.sql"),
    include_str!("../../migrations/postgres/0011_identity.sql"),
    include_str!("../../migrations/postgres/0012_linkage.sql"),
    include_str!("../../migrations/postgres/0013_provider_settings.sql"),
    include_str!("../../migrations/postgres/0014_segments.sql"),
    include_str!("../../migrations/postgres/0015_contact.sql"),
    include_str!("../../migrations/postgres/0016_person_sign_in.sql"),
    include_str!("../../migrations/postgres/0017_grants.sql"),
    include_str!("../../migrations/postgres/0018_staff.sql"),
    include_str!("../../migrations/postgres/0019_rectifications.sql"),
    include_str!("../../migrations/postgres/0020_erasure.sql"),
    include_str!("../../migrations/postgres/0021_held_back.sql"),
];

/// The advisory lock one process holds while it migrates ("motespla").
const MIGRATION_LOCK: i64 = 0x6d6f_7465_7370_6c61;

const MAX_CONNECTIONS: u32 = 10;

#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to the database at `url` and brings its schema up to date.
    pub async fn connect(url: &str) -> Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .connect(url)
            .await?;
        migrate(&pool).await?;
        Ok(PgStore { pool })
    }
}

/// Opens the store for `motesplats_store::open`.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>> {
    Ok(Arc::new(PgStore::connect(url).await?))
}

/// Applies, in order and in one transaction, the migrations the database lacks, and
/// returns how many it applied.
pub async fn migrate(pool: &PgPool) -> Result<usize> {
    let mut tx = pool.begin().await?;
    // Servers starting at once queue here; the ones after the first find nothing to do.
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(MIGRATION_LOCK)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL)",
    )
    .execute(&mut *tx)
    .await?;
    let done: i32 = sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        .fetch_one(&mut *tx)
        .await?;
    let done = usize::try_from(done).unwrap_or(usize::MAX);
    if done > MIGRATIONS.len() {
        return Err(StoreError::Backend(format!(
            "the database has schema version {done}, newer than this program knows ({}); upgrade motesplats",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let version = i32::try_from(i + 1).map_err(|e| StoreError::Backend(e.to_string()))?;
        // Several statements in one file: the simple-query protocol runs them all.
        sqlx::raw_sql(*sql).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now())")
            .bind(version)
            .execute(&mut *tx)
            .await?;
        tracing::info!(version, "applied PostgreSQL migration");
    }
    tx.commit().await?;
    Ok(MIGRATIONS.len() - done)
}
