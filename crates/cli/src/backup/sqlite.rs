//! SQLite: `VACUUM INTO` reads the database in one read transaction, so the copy is
//! the database at one moment; in WAL mode the server's writer goes on meanwhile.

use anyhow::{Context, bail};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Copies the database at `source` into the new file `target`, showing how much of it
/// is written.
pub fn backup(source: &Path, target: &Path) -> anyhow::Result<()> {
    if !source.exists() {
        bail!("there is no database at {}", source.display());
    }
    let db = open_read_only(source)?;
    let pages: i64 = db.pragma_query_value(None, "page_count", |r| r.get(0))?;
    let page_size: i64 = db.pragma_query_value(None, "page_size", |r| r.get(0))?;
    copy(&db, target, u64::try_from(pages * page_size)?)
        .with_context(|| format!("backing up {} to {}", source.display(), target.display()))
}

/// Copies the backup `source` into `target`, which must be a new or empty database.
pub fn restore(source: &Path, target: &Path) -> anyhow::Result<()> {
    refuse_non_empty(target)?;
    let db = open_read_only(source)?;
    let check: String = db.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check != "ok" {
        bail!("the backup {} is damaged: {check}", source.display());
    }
    let len = std::fs::metadata(source)?.len();
    // VACUUM INTO writes only into an absent or empty file; an empty one is removed first.
    if target.exists() {
        std::fs::remove_file(target)?;
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    copy(&db, target, len)
        .with_context(|| format!("restoring {} into {}", source.display(), target.display()))
}

/// A database is empty when it has no tables (a file of zero bytes, or none at all).
fn refuse_non_empty(target: &Path) -> anyhow::Result<()> {
    if !target.exists() {
        return Ok(());
    }
    let db = open_read_only(target)?;
    let tables: i64 = db.query_row(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table'",
        [],
        |r| r.get(0),
    )?;
    if tables > 0 {
        bail!(
            "{} is not empty ({tables} tables); restore only into a new database file, \
             so nothing there is overwritten",
            target.display()
        );
    }
    Ok(())
}

fn open_read_only(path: &Path) -> anyhow::Result<Connection> {
    let db = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("opening {}", path.display()))?;
    db.busy_timeout(Duration::from_secs(10))?;
    Ok(db)
}

/// `VACUUM INTO target`, with a bar that follows the target file's size.
fn copy(db: &Connection, target: &Path, expected: u64) -> anyhow::Result<()> {
    let bar = super::progress(Some(expected));
    let done = AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                if let Ok(m) = std::fs::metadata(target) {
                    bar.set_position(m.len().min(expected));
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        let target = target.to_str().context("the file name is not UTF-8")?;
        let copied = db.execute("VACUUM INTO ?1", [target]);
        done.store(true, Ordering::Relaxed);
        copied?;
        anyhow::Ok(())
    })?;
    bar.finish_and_clear();
    Ok(())
}
