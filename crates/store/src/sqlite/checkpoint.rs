//! Checkpoints off the write path. SQLite's automatic checkpoint runs inside the
//! committing writer, so every thousandth page a commit also copies the WAL into the
//! database file while arriving events wait. The writer's automatic checkpoint is
//! turned off instead, and a thread of its own checkpoints in the background; its
//! passive checkpoints never block the writer. Should the WAL still outgrow
//! `WAL_LIMIT_PAGES` under a long burst, one blocking checkpoint restarts it.

use rusqlite::Connection;
use std::path::Path;
use std::sync::{Arc, Weak};
use std::time::Duration;

/// How often the WAL is copied into the database file.
const EVERY: Duration = Duration::from_millis(200);
/// Pages (4 KiB each) the WAL may hold before a checkpoint may block the writer.
const WAL_LIMIT_PAGES: i64 = 64_000;

/// Starts the checkpointer for the database at `path`; it ends when `alive` is dropped.
pub fn start<T: Send + Sync + 'static>(path: &Path, alive: &Arc<T>) -> crate::Result<()> {
    let c = Connection::open(path)?;
    c.busy_timeout(Duration::from_secs(10))?;
    let alive: Weak<T> = Arc::downgrade(alive);
    std::thread::Builder::new()
        .name("sqlite-checkpoint".into())
        .spawn(move || {
            while alive.strong_count() > 0 {
                std::thread::sleep(EVERY);
                if let Err(e) = checkpoint(&c) {
                    tracing::warn!(error = %e, "background checkpoint failed; will retry");
                }
            }
        })
        .map_err(|e| crate::StoreError::Backend(format!("cannot start the checkpointer: {e}")))?;
    Ok(())
}

fn checkpoint(c: &Connection) -> rusqlite::Result<()> {
    let (_, wal_pages, _): (i64, i64, i64) =
        c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    if wal_pages > WAL_LIMIT_PAGES {
        c.query_row("PRAGMA wal_checkpoint(RESTART)", [], |_| Ok(()))?;
    }
    Ok(())
}
