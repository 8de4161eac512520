//! `motesplats backup FILE` and `motesplats restore FILE`: a consistent copy of the
//! whole database taken while the server keeps writing, and its restoration into an
//! empty database. SQLite copies with `VACUUM INTO` (one read transaction, so one
//! moment); PostgreSQL with `pg_dump`/`pg_restore` (one snapshot).

mod postgres;
mod sqlite;

use anyhow::bail;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// The backup file.
    file: PathBuf,
    /// postgres://… or a SQLite file path; default: a file in the platform's data directory.
    #[arg(long, env = "MOTESPLATS_DATABASE")]
    database: Option<String>,
}

fn is_postgres(database: &str) -> bool {
    database.starts_with("postgres://") || database.starts_with("postgresql://")
}

/// Writes a backup of the database to `args.file`, which must not exist yet.
pub async fn backup(args: Args) -> anyhow::Result<()> {
    let database = args.database.unwrap_or_else(super::default_database);
    if args.file.exists() {
        bail!(
            "{} exists already; a backup never overwrites a file, choose a new name",
            args.file.display()
        );
    }
    // Written beside the target and renamed at the end, so a file of that name is
    // always a whole backup.
    let partial = partial_path(&args.file);
    let _ = std::fs::remove_file(&partial);
    let started = std::time::Instant::now();
    let written = if is_postgres(&database) {
        postgres::dump(&database, &partial).await
    } else {
        let source = PathBuf::from(database.strip_prefix("sqlite://").unwrap_or(&database));
        let target = partial.clone();
        tokio::task::spawn_blocking(move || sqlite::backup(&source, &target)).await?
    };
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    std::fs::rename(&partial, &args.file)?;
    let bytes = std::fs::metadata(&args.file)?.len();
    println!(
        "backed up {database} to {} ({:.1} MB in {:.1} s)",
        args.file.display(),
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Restores `args.file` into the database, which must be empty.
pub async fn restore(args: Args) -> anyhow::Result<()> {
    let database = args.database.unwrap_or_else(super::default_database);
    let kind = BackupKind::of(&args.file)?;
    let started = std::time::Instant::now();
    match (kind, is_postgres(&database)) {
        (BackupKind::Postgres, true) => postgres::restore(&args.file, &database).await?,
        (BackupKind::Sqlite, false) => {
            let (source, target) = (
                args.file.clone(),
                PathBuf::from(database.strip_prefix("sqlite://").unwrap_or(&database)),
            );
            tokio::task::spawn_blocking(move || sqlite::restore(&source, &target)).await??;
        }
        (BackupKind::Postgres, false) => bail!(
            "{} is a PostgreSQL backup; restore it with --database postgres://…",
            args.file.display()
        ),
        (BackupKind::Sqlite, true) => bail!(
            "{} is a SQLite backup; restore it with --database set to a new SQLite file path",
            args.file.display()
        ),
    }
    // Opening brings a backup of an older version up to this program's schema.
    motesplats_store::open(&database).await?;
    println!(
        "restored {} into {database} in {:.1} s",
        args.file.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// What a backup file holds, from its first bytes.
#[derive(Clone, Copy)]
enum BackupKind {
    Sqlite,
    Postgres,
}

impl BackupKind {
    fn of(file: &Path) -> anyhow::Result<BackupKind> {
        use std::io::Read;
        let mut head = [0u8; 16];
        let mut f = std::fs::File::open(file)
            .map_err(|e| anyhow::anyhow!("cannot read the backup {}: {e}", file.display()))?;
        let n = f.read(&mut head)?;
        match &head[..n] {
            h if h.starts_with(b"SQLite format 3\0") => Ok(BackupKind::Sqlite),
            h if h.starts_with(b"PGDMP") => Ok(BackupKind::Postgres),
            _ => bail!(
                "{} is not a backup made by `motesplats backup` (neither SQLite nor pg_dump's custom format)",
                file.display()
            ),
        }
    }
}

fn partial_path(file: &Path) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    file.with_file_name(name)
}

/// A spinner or bar on stderr (hidden when stderr is not a terminal).
fn progress(len: Option<u64>) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressStyle};
    match len {
        Some(len) => ProgressBar::new(len).with_style(
            ProgressStyle::with_template("[{bar:40}] {bytes}/{total_bytes} ({eta} left)")
                .expect("a valid template")
                .progress_chars("=> "),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {elapsed} {msg}").expect("a valid template"),
        ),
    }
}
