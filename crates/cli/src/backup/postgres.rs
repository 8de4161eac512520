//! PostgreSQL: `pg_dump` in its custom format (one snapshot, so one moment, while the
//! server writes) and `pg_restore` in one transaction. Their `--verbose` lines feed
//! the spinner, so a long dump shows which table it is at.

use anyhow::{Context, bail};
use std::path::Path;
use std::process::Stdio;
use tokio::io::AsyncBufReadExt;
use tokio::process::Command;

pub async fn dump(database: &str, file: &Path) -> anyhow::Result<()> {
    let mut command = Command::new("pg_dump");
    command
        .args(["--format=custom", "--no-owner", "--verbose", "--file"])
        .arg(file)
        .arg(format!("--dbname={database}"));
    run(command, "pg_dump").await
}

pub async fn restore(file: &Path, database: &str) -> anyhow::Result<()> {
    refuse_non_empty(database).await?;
    let mut command = Command::new("pg_restore");
    command
        .args([
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            "--verbose",
        ])
        .arg(format!("--dbname={database}"))
        .arg(file);
    run(command, "pg_restore").await
}

/// A database is empty when its public schema has no tables.
async fn refuse_non_empty(database: &str) -> anyhow::Result<()> {
    let out = Command::new("psql")
        .args(["--no-psqlrc", "--tuples-only", "--no-align", "--command"])
        .arg("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        .arg(database)
        .output()
        .await
        .map_err(|e| missing("psql", e))?;
    if !out.status.success() {
        bail!(
            "cannot read the database: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let tables: u64 = String::from_utf8_lossy(&out.stdout).trim().parse()?;
    if tables > 0 {
        bail!(
            "the database is not empty ({tables} tables); restore only into a new, empty \
             database (createdb NAME), so nothing there is overwritten"
        );
    }
    Ok(())
}

/// Runs a PostgreSQL client tool, showing its progress lines; its last lines on failure.
async fn run(mut command: Command, tool: &str) -> anyhow::Result<()> {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| missing(tool, e))?;
    let spinner = super::progress(None);
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let mut lines = tokio::io::BufReader::new(child.stderr.take().context("stderr")?).lines();
    let mut last = std::collections::VecDeque::new();
    while let Some(line) = lines.next_line().await? {
        spinner.set_message(line.clone());
        if last.len() == 5 {
            last.pop_front();
        }
        last.push_back(line);
    }
    let status = child.wait().await?;
    spinner.finish_and_clear();
    if !status.success() {
        bail!(
            "{tool} failed ({status}):\n{}",
            last.into_iter().collect::<Vec<_>>().join("\n")
        );
    }
    Ok(())
}

fn missing(tool: &str, e: std::io::Error) -> anyhow::Error {
    anyhow::anyhow!(
        "cannot run {tool} ({e}); install the PostgreSQL client tools, of the server's version or newer"
    )
}
