//! Test support, also for other crates' integration tests: a fresh database per test on
//! the server `MOTESPLATS_TEST_POSTGRES` names, dropped afterwards.

use sqlx::{Connection, PgConnection};
use std::io::Write;

const SERVER_VAR: &str = "MOTESPLATS_TEST_POSTGRES";
const REQUIRE_VAR: &str = "MOTESPLATS_REQUIRE_POSTGRES";

/// A database made for one test run and dropped afterwards.
pub struct TestDatabase {
    /// Where the test connects: the admin URL with this database's name.
    pub url: String,
    admin_url: String,
    name: String,
    dropped: bool,
}

impl TestDatabase {
    /// Reads MOTESPLATS_TEST_POSTGRES (an admin URL such as postgres://postgres@127.0.0.1:5432/postgres).
    /// Unset: prints a loud line to stderr and returns None, unless MOTESPLATS_REQUIRE_POSTGRES=1,
    /// in which case it panics. Set: creates a database named motesplats_test_<random hex>.
    pub async fn create(test_name: &str) -> Option<TestDatabase> {
        let Some(admin_url) = std::env::var(SERVER_VAR)
            .ok()
            .filter(|u| !u.trim().is_empty())
        else {
            if std::env::var(REQUIRE_VAR).is_ok_and(|v| v == "1") {
                panic!(
                    "{test_name}: {REQUIRE_VAR}=1 but {SERVER_VAR} is not set; set it to an admin URL such as \
                     postgres://postgres@127.0.0.1:5432/postgres"
                );
            }
            // Straight to stderr, not eprintln!: the test harness captures that for passing tests.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: PostgreSQL tests — set {SERVER_VAR}=postgres://USER@HOST:PORT/postgres to run them \
                 ({test_name})"
            );
            return None;
        };
        let name = format!("motesplats_test_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(&admin_url).await.unwrap_or_else(|e| {
            panic!("{test_name}: cannot connect to {SERVER_VAR} ({admin_url}): {e}")
        });
        // The name is ours and plain hex, so it is safe to splice into the statement.
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("{test_name}: cannot create database {name}: {e}"));
        let _ = admin.close().await;
        let url = with_database(&admin_url, &name);
        Some(TestDatabase {
            url,
            admin_url,
            name,
            dropped: false,
        })
    }

    /// Drops the database; connections still open to it are ended first.
    pub async fn drop_database(mut self) {
        self.dropped = true;
        if let Err(e) = drop_now(&self.admin_url, &self.name).await {
            eprintln!("warning: could not drop test database {}: {e}", self.name);
        }
    }
}

impl Drop for TestDatabase {
    /// A test that panicked before `drop_database` still leaves no database behind.
    fn drop(&mut self) {
        if self.dropped {
            return;
        }
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop cannot await, and may run inside a runtime: drop on a thread of our own.
        let done = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(drop_now(&admin_url, &name))
                .map_err(std::io::Error::other)
        })
        .join();
        if !matches!(done, Ok(Ok(()))) {
            eprintln!("warning: could not drop test database {}", self.name);
        }
    }
}

async fn drop_now(admin_url: &str, name: &str) -> Result<(), sqlx::Error> {
    let mut admin = PgConnection::connect(admin_url).await?;
    // WITH (FORCE) (PostgreSQL 13+) ends the pool connections the test may still hold.
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await?;
    admin.close().await
}

/// `url` with its database (the path) replaced by `name`, keeping any `?options`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn replaces_only_the_database() {
        assert_eq!(
            with_database("postgres://u@h:5432/postgres", "t"),
            "postgres://u@h:5432/t"
        );
        assert_eq!(with_database("postgresql://u@h", "t"), "postgresql://u@h/t");
        assert_eq!(
            with_database("postgres://u:p@h/db?sslmode=disable", "t"),
            "postgres://u:p@h/t?sslmode=disable"
        );
    }
}
