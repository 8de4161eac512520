//! `motesplats backup` under write load, then `motesplats restore`: every batch
//! acknowledged before the backup began is in the restored database, and every batch
//! is there whole or not at all.

use super::{Server, motesplats, text};
use motesplats_store::postgres::testing::TestDatabase;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

const CLIENTS: usize = 4;
const SIZE: usize = 50;

/// Batch `b`: events `b-0` … `b-49`.
fn batch(b: usize) -> Value {
    Value::Array(
        (0..SIZE)
            .map(|i| {
                json!({
                    "event_id": format!("{b}-{i}"),
                    "identifiers": [{"kind": "customer_number", "value": format!("C{}", b % 40)}],
                    "channel": "store", "kind": "purchase", "occurred_at": "2026-11-20T12:00:00Z",
                })
            })
            .collect(),
    )
}

#[tokio::test]
async fn a_backup_under_write_load_restores_every_acknowledged_batch_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("live.db").display().to_string();
    let restored = dir.path().join("restored.db").display().to_string();
    backup_under_load(&source, &restored, dir.path()).await;

    // A second restore into the now filled database is refused, and names why.
    let file = dir.path().join("backup").display().to_string();
    let again = motesplats(&["restore", &file, "--database", &restored]);
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("is not empty"),
        "{}",
        text(&again.stderr)
    );
    // A backup never overwrites a file.
    let over = motesplats(&["backup", &file, "--database", &source]);
    assert!(!over.status.success());
    assert!(text(&over.stderr).contains("exists already"));
}

#[tokio::test]
async fn a_backup_under_write_load_restores_every_acknowledged_batch_on_postgres() {
    let Some(source) = TestDatabase::create("backup_on_postgres (source)").await else {
        return;
    };
    if std::process::Command::new("pg_dump")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var("MOTESPLATS_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "MOTESPLATS_REQUIRE_POSTGRES=1 but pg_dump is not installed"
        );
        eprintln!("SKIPPED: backup on PostgreSQL — pg_dump is not installed");
        return;
    }
    let target = TestDatabase::create("backup_on_postgres (target)")
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    backup_under_load(&source.url, &target.url, dir.path()).await;
    let file = dir.path().join("backup").display().to_string();
    let again = motesplats(&["restore", &file, "--database", &target.url]);
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("is not empty"));
    source.drop_database().await;
    target.drop_database().await;
}

/// Serves `source` while clients send batches, backs it up meanwhile, restores the
/// backup into `target` and checks what it holds.
async fn backup_under_load(source: &str, target: &str, dir: &std::path::Path) {
    let http = Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let server = Server::on(source);
    let key = server.provider_key(&http, "Butiken").await;

    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let (http, url, key) = (http.clone(), server.url.clone(), key.clone());
        let (acknowledged, stop) = (acknowledged.clone(), stop.clone());
        clients.push(tokio::spawn(async move {
            for b in (c..).step_by(CLIENTS) {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let r = http
                    .post(format!("{url}/api/v1/touchpoints/batch"))
                    .bearer_auth(&key)
                    .json(&batch(b))
                    .send()
                    .await;
                if r.is_ok_and(|r| r.status() == StatusCode::OK) {
                    acknowledged.lock().unwrap().push(b);
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;

    let before: HashSet<usize> = acknowledged.lock().unwrap().iter().copied().collect();
    let file = dir.join("backup").display().to_string();
    let backup = {
        let (file, source) = (file.clone(), source.to_string());
        tokio::task::spawn_blocking(move || motesplats(&["backup", &file, "--database", &source]))
    };
    let backed_up = backup.await.unwrap();
    let during = acknowledged.lock().unwrap().len() - before.len();
    assert!(
        backed_up.status.success(),
        "backup failed: {}",
        text(&backed_up.stderr)
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.await.unwrap();
    }
    drop(server);
    println!(
        "{} batches of {SIZE} acknowledged before the backup began, {during} while it ran",
        before.len()
    );
    assert!(before.len() >= 4, "too little written before the backup");

    let restore = motesplats(&["restore", &file, "--database", target]);
    assert!(
        restore.status.success(),
        "restore failed: {}",
        text(&restore.stderr)
    );
    let server = Server::on(target);
    let mut per_batch: HashMap<usize, usize> = HashMap::new();
    for event in event_ids(&http, &server.url, &key).await {
        let b = event.split_once('-').unwrap().0.parse().unwrap();
        *per_batch.entry(b).or_default() += 1;
    }
    for b in &before {
        assert_eq!(
            per_batch.get(b),
            Some(&SIZE),
            "batch {b}, acknowledged before the backup, is not whole in the restored database"
        );
    }
    for (b, n) in &per_batch {
        assert_eq!(*n, SIZE, "batch {b} is half there ({n} of {SIZE} events)");
    }
}

/// Every event id the provider's key can list.
async fn event_ids(http: &Client, url: &str, key: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut page_url = format!("{url}/api/v1/touchpoints?limit=1000");
        if let Some(a) = &after {
            page_url += &format!("&after={a}");
        }
        let page: Value = http
            .get(page_url)
            .bearer_auth(key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for t in page["items"].as_array().unwrap() {
            ids.push(t["event_id"].as_str().unwrap().to_string());
        }
        match page["next"].as_str() {
            Some(n) => after = Some(n.to_string()),
            None => return ids,
        }
    }
}
