//! The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, so a
//! committed transaction survives a crash of the process or the machine. One writer
//! thread takes every write (SQLite allows one writer at a time anyway) and commits
//! writes that arrive together as one group; a few reader connections serve reads
//! concurrently.

mod account;
mod attachments;
pub(crate) mod coding;
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
mod writer;

use crate::{Result, StoreError};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Append-only: a released migration is never edited, a change is a new file.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/sqlite/0001_init.sql"),
    include_str!("../../migrations/sqlite/0002_ingestion.sql"),
    include_str!("../../migrations/sqlite/0003_research.sql"),
    include_str!("../../migrations/sqlite/0004_surveys.sql"),
    include_str!("../../migrations/sqlite/0005_attachments.sql"),
    include_str!("../../migrations/sqlite/0006_coding.sql"),
    include_str!("../../migrations/sqlite/0007_ingest_clustered.sql"),
    include_str!("../../migrations/sqlite/0008_key_kind_check.sql"),
    include_str!("../../migrations/sqlite/0009_survey_trust.sql"),
    include_str!("../../migrations/sqlite/0010_occurred_on.sql"),
    include_str!("../../migrations/sqlite/0011_identity.sql"),
    include_str!("../../migrations/sqlite/0012_linkage.sql"),
    include_str!("../../migrations/sqlite/0013_provider_settings.sql"),
    include_str!("../../migrations/sqlite/0014_segments.sql"),
    include_str!("../../migrations/sqlite/0015_contact.sql"),
    include_str!("../../migrations/sqlite/0016_person_sign_in.sql"),
    include_str!("../../migrations/sqlite/0017_grants.sql"),
    include_str!("../../migrations/sqlite/0018_staff.sql"),
    include_str!("../../migrations/sqlite/0019_rectifications.sql"),
    include_str!("../../migrations/sqlite/0020_erasure.sql"),
    include_str!("../../migrations/sqlite/0021_held_back.sql"),
];

const READERS: usize = 4;

#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    writer: writer::Writer,
    /// Ingest writes waiting for or holding the writer: background work yields to them.
    ingesting: AtomicUsize,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
}

impl SqliteStore {
    /// Opens (creating and migrating if needed) the database file at `path`.
    pub async fn open(path: &Path) -> Result<Self> {
        let path = path.to_path_buf();
        tokio::task::spawn_blocking(move || Self::open_blocking(&path))
            .await
            .map_err(|e| StoreError::Backend(e.to_string()))?
    }

    fn open_blocking(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Backend(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        let mut writer = Connection::open(path)?;
        configure(&writer)?;
        // Savepoints of grouped writes keep their undo pages in memory, not in temp files.
        writer.pragma_update(None, "temp_store", "MEMORY")?;
        migrate(&mut writer)?;
        let readers = (0..READERS)
            .map(|_| {
                let c = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY
                        | OpenFlags::SQLITE_OPEN_NO_MUTEX
                        | OpenFlags::SQLITE_OPEN_URI,
                )?;
                configure(&c)?;
                Ok(Mutex::new(c))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(SqliteStore {
            inner: Arc::new(Inner {
                writer: writer::Writer::start(writer)?,
                ingesting: AtomicUsize::new(0),
                readers,
                next_reader: AtomicUsize::new(0),
            }),
        })
    }

    /// Runs `f` in a write transaction; answers once it is committed. On Err only
    /// `f`'s own changes are undone.
    async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        self.inner.writer.write(f).await
    }

    /// Like `write`, for ingestion: counted, so background work can yield to it.
    async fn write_ingest<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let _counted = Ingesting::count(&self.inner.ingesting);
        self.write(f).await
    }

    /// Whether ingestion is waiting for the writer right now.
    fn ingesting(&self) -> bool {
        self.inner.ingesting.load(Ordering::SeqCst) > 0
    }

    /// Runs `f` on one of the reader connections on the blocking pool.
    async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let i = inner.next_reader.fetch_add(1, Ordering::Relaxed) % inner.readers.len();
            let conn = inner.readers[i]
                .lock()
                .map_err(|_| StoreError::Backend("reader lock poisoned".into()))?;
            f(&conn)
        })
        .await
        .map_err(|e| StoreError::Backend(e.to_string()))?
    }
}

/// One ingest write in flight. Lowered on drop, so a write whose caller went away
/// (a client that disconnected mid-batch drops the handler's future) is not counted
/// for ever, which would make the resolver yield for ever.
struct Ingesting<'a>(&'a AtomicUsize);

impl<'a> Ingesting<'a> {
    fn count(counter: &'a AtomicUsize) -> Self {
        counter.fetch_add(1, Ordering::SeqCst);
        Ingesting(counter)
    }
}

impl Drop for Ingesting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn configure(c: &Connection) -> Result<()> {
    c.busy_timeout(std::time::Duration::from_secs(10))?;
    c.pragma_update(None, "journal_mode", "WAL")?;
    c.pragma_update(None, "synchronous", "FULL")?;
    c.pragma_update(None, "foreign_keys", "ON")?;
    // 32 MiB of page cache per connection (the default is 2 MiB): indexes of large
    // tables stay in memory during bulk loads.
    c.pragma_update(None, "cache_size", -32_000)?;
    customers::register_unicode_lower(c)
}

fn migrate(c: &mut Connection) -> Result<()> {
    let tx = c.transaction_with_behavior(TransactionBehavior::Exclusive)?;
    let done: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let done = usize::try_from(done).unwrap_or(usize::MAX);
    if done > MIGRATIONS.len() {
        return Err(StoreError::Backend(format!(
            "the database has schema version {done}, newer than this program knows ({}); upgrade motesplats",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tracing::info!(version = i + 1, "applied SQLite migration");
    }
    tx.commit()?;
    Ok(())
}
