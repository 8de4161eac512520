//! `motesplats bench`: measured, never guessed. Each benchmark prints its figure
//! beside a peer's on the same data in the same run.
//!
//! - `ingest`: events per second through the HTTP batch API into the store, durable,
//!   beside the same events inserted straight into SQLite with the same durability by
//!   a minimal program (the ceiling), twice: as the narrowest row of the event's own
//!   fields, and as the very row Mötesplats keeps.
//! - `tracking`: the same events through the tracking protocol's batch endpoint (as
//!   Segment's SDKs send them) beside the native batch endpoint, each into a fresh
//!   store, in the same run.
//! - `soak`: a steady event rate for a while, sampling memory and disk.
//! - `linkage`: probabilistic record linkage beside Splink (`bench_linkage.rs`).
//! - `journeys`: journeys, flows and a funnel beside DuckDB (`bench_journeys.rs`).
//! - `contact`: contact decisions beside the same lookups in plain SQL (`bench_contact.rs`).

use anyhow::Context as _;
use chrono::{Duration as Days, Utc};
use motesplats_core::NewProvider;
use motesplats_server::AppState;
use motesplats_server::auth::{new_token, sha256};
use motesplats_store::{NewApiKey, Store};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Events/s over HTTP (batches from concurrent clients) beside a raw SQLite insert.
    Ingest {
        /// Events to send.
        #[arg(long, default_value_t = 200_000)]
        events: usize,
        /// Events per request.
        #[arg(long, default_value_t = 500)]
        batch: usize,
        /// Concurrent clients.
        #[arg(long, default_value_t = 4)]
        clients: usize,
        /// A PostgreSQL URL to measure instead of a fresh SQLite file (use an empty database).
        #[arg(long)]
        database: Option<String>,
    },
    /// Events/s through the tracking protocol's batch endpoint beside the native
    /// batch endpoint: the same events, each run on a fresh store.
    Tracking {
        /// Events to send through each endpoint.
        #[arg(long, default_value_t = 200_000)]
        events: usize,
        /// Events per request.
        #[arg(long, default_value_t = 500)]
        batch: usize,
        /// Concurrent clients.
        #[arg(long, default_value_t = 4)]
        clients: usize,
        /// A PostgreSQL URL (of an empty database) instead of fresh SQLite files;
        /// each run gets a fresh provider in it.
        #[arg(long)]
        database: Option<String>,
    },
    /// A steady rate of events, printing memory (RSS) and disk use as it goes.
    Soak {
        /// Events per second.
        #[arg(long, default_value_t = 10_000)]
        rate: usize,
        /// How long, in seconds.
        #[arg(long, default_value_t = 600)]
        seconds: u64,
    },
    /// Probabilistic record linkage on records in FEBRL's shape, beside Splink's line
    /// from `scripts/peers/febrl.py` (see `scripts/bench/febrl.sh`).
    Linkage(crate::bench_linkage::Args),
    /// Journeys, channel flows and an ordered funnel over a file of touchpoints, beside
    /// DuckDB's line from `scripts/peers/journeys_duckdb.py` (see
    /// `scripts/bench/journeys.sh`).
    Journeys(crate::bench_journeys::Args),
    /// Contact decisions per second through the API with a million people in the
    /// store, beside the same lookups and hold as plain indexed SQL.
    Contact(crate::bench_contact::Args),
}

pub async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Ingest {
            events,
            batch,
            clients,
            database,
        } => ingest(events, batch, clients, database).await,
        Command::Tracking {
            events,
            batch,
            clients,
            database,
        } => tracking(events, batch, clients, database).await,
        Command::Soak { rate, seconds } => soak(rate, seconds).await,
        Command::Linkage(args) => crate::bench_linkage::run(args),
        Command::Journeys(args) => crate::bench_journeys::run(args),
        Command::Contact(args) => crate::bench_contact::run(args).await,
    }
}

/// A server on a free port over a store, with a provider and its key.
pub struct Target {
    pub url: String,
    pub key: String,
    pub store: Arc<dyn Store>,
    pub provider: motesplats_core::ProviderId,
    /// The database's URL or file.
    pub database: String,
    _dir: tempfile::TempDir,
}

async fn target(database: Option<String>) -> anyhow::Result<Target> {
    target_in(database, None).await
}

/// A target whose provider keeps `time_zone`.
pub async fn target_in(
    database: Option<String>,
    time_zone: Option<&str>,
) -> anyhow::Result<Target> {
    let dir = tempfile::tempdir()?;
    let url = database.unwrap_or_else(|| dir.path().join("bench.db").display().to_string());
    let store = motesplats_store::open(&url)
        .await
        .with_context(|| format!("opening {url}"))?;
    let provider = store
        .create_provider(NewProvider::parse(Some("Benchmark"), time_zone, None)?)
        .await?;
    let key = new_token("mp_key_");
    store
        .create_api_key(provider.id, NewApiKey::secret("bench"), sha256(&key))
        .await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = format!("http://{}", listener.local_addr()?);
    tokio::spawn(motesplats_server::serve(
        listener,
        AppState::new(store.clone(), None),
        std::future::pending(),
    ));
    Ok(Target {
        url: address,
        key,
        store,
        provider: provider.id,
        database: url,
        _dir: dir,
    })
}

/// Event `i`, as a till or web shop would send it: 50,000 customers, a few channels.
fn event(i: usize) -> Value {
    let channels = ["store", "web", "app", "email"];
    let kinds = ["purchase", "visit", "search", "newsletter.opened"];
    let phases = ["before", "during", "after"];
    let at = Utc::now() - Days::minutes((i % 100_000) as i64);
    json!({
        "event_id": format!("bench-{i}"),
        "identifiers": [{"kind": "customer_number", "value": format!("K{}", i % 50_000)}],
        "channel": channels[i % channels.len()],
        "kind": kinds[(i / 7) % kinds.len()],
        "occurred_at": at.to_rfc3339(),
        "phase": phases[i % phases.len()],
        "properties": {"amount_sek": (i % 900) + 10, "store": "Torget"}
    })
}

/// Event `i` as a message of the tracking protocol: the same customer, channel, kind
/// (as the event's name), time and properties.
fn message(i: usize) -> Value {
    let e = event(i);
    json!({
        "type": "track",
        "messageId": e["event_id"],
        "userId": e["identifiers"][0]["value"],
        "event": e["kind"],
        "properties": e["properties"],
        "timestamp": e["occurred_at"],
        "context": {"channel": e["channel"]}
    })
}

/// Where the clients send: the native batch endpoint, or the tracking protocol's.
#[derive(Clone, Copy, PartialEq)]
enum Endpoint {
    Native,
    Tracking,
}

impl Endpoint {
    fn path(self) -> &'static str {
        match self {
            Endpoint::Native => "/api/v1/touchpoints/batch",
            Endpoint::Tracking => "/tracking/v1/batch",
        }
    }
}

/// Request bodies of `batch` events each, made before the clock starts.
fn bodies(events: usize, batch: usize, offset: usize, endpoint: Endpoint) -> Vec<Vec<u8>> {
    (0..events)
        .step_by(batch)
        .map(|start| {
            let range = start..(start + batch).min(events);
            let body = match endpoint {
                Endpoint::Native => Value::Array(range.map(|i| event(offset + i)).collect()),
                Endpoint::Tracking => json!({
                    "batch": range.map(|i| message(offset + i)).collect::<Vec<_>>(),
                    "sentAt": Utc::now().to_rfc3339()
                }),
            };
            serde_json::to_vec(&body).unwrap_or_default()
        })
        .collect()
}

/// What the clients read of an answer (a client that needs only the count should not
/// pay for building every event's result).
#[derive(serde::Deserialize)]
struct Answer {
    accepted: usize,
}

/// Sends the bodies from `clients` concurrent tasks; returns the events accepted.
async fn send(
    t: &Target,
    endpoint: Endpoint,
    bodies: Vec<Vec<u8>>,
    clients: usize,
) -> anyhow::Result<usize> {
    let http = reqwest::Client::new();
    let queue = Arc::new(std::sync::Mutex::new(bodies));
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (http, queue, url, key) = (http.clone(), queue.clone(), t.url.clone(), t.key.clone());
        tasks.push(tokio::spawn(async move {
            let mut accepted = 0usize;
            while let Some(body) = queue.lock().ok().and_then(|mut q| q.pop()) {
                let request = http.post(format!("{url}{}", endpoint.path()));
                // The tracking SDKs send the key as Basic auth's user name.
                let request = match endpoint {
                    Endpoint::Native => request.bearer_auth(&key),
                    Endpoint::Tracking => request.basic_auth(&key, Some("")),
                };
                let r = request
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await?;
                anyhow::ensure!(r.status().is_success(), "batch refused: {}", r.status());
                let result: Answer = r.json().await?;
                accepted += result.accepted;
            }
            Ok::<usize, anyhow::Error>(accepted)
        }));
    }
    let mut accepted = 0;
    for t in tasks {
        accepted += t.await??;
    }
    Ok(accepted)
}

async fn ingest(
    events: usize,
    batch: usize,
    clients: usize,
    database: Option<String>,
) -> anyhow::Result<()> {
    let backend = if database.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let t = target(database).await?;
    let work = bodies(events, batch, 0, Endpoint::Native);
    let bytes: usize = work.iter().map(Vec::len).sum();
    println!(
        "ingest: {events} events in batches of {batch} ({} MB of JSON), {clients} clients, {backend}",
        bytes / 1_000_000
    );

    let started = Instant::now();
    let accepted = send(&t, Endpoint::Native, work, clients).await?;
    let http_secs = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        accepted == events,
        "only {accepted} of {events} events were accepted"
    );
    while t.store.resolve_pending(50_000).await? > 0 {}
    let stitched_secs = started.elapsed().as_secs_f64();

    let http_rate = events as f64 / http_secs;
    println!(
        "  HTTP batch API, durable ({backend}):   {http_rate:>10.0} events/s ({http_secs:.2} s)"
    );
    println!(
        "  ... and all stitched to profiles:     {:>10.0} events/s ({stitched_secs:.2} s)",
        events as f64 / stitched_secs
    );
    for shape in [FIELDS, ROWS] {
        let (secs, rows) = ceiling(&shape, events, batch)?;
        let rate = rows as f64 / secs;
        println!(
            "  raw SQLite insert, {:<19} {rate:>10.0} events/s ({secs:.2} s)  ratio HTTP / this ceiling: {:.2}",
            shape.name,
            http_rate / rate
        );
    }
    println!("  peak memory (RSS): {} MB", peak_rss_kb() / 1024);
    Ok(())
}

/// The same events through both batch endpoints, each into a fresh store (on
/// PostgreSQL: a fresh provider), the native one first.
async fn tracking(
    events: usize,
    batch: usize,
    clients: usize,
    database: Option<String>,
) -> anyhow::Result<()> {
    println!(
        "tracking: {events} events in batches of {batch}, {clients} clients, {}",
        if database.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    let mut rates = Vec::new();
    for endpoint in [Endpoint::Native, Endpoint::Tracking] {
        let t = target(database.clone()).await?;
        let work = bodies(events, batch, 0, endpoint);
        let bytes: usize = work.iter().map(Vec::len).sum();
        let started = Instant::now();
        let accepted = send(&t, endpoint, work, clients).await?;
        let secs = started.elapsed().as_secs_f64();
        anyhow::ensure!(
            accepted == events,
            "{}: only {accepted} of {events} events were accepted",
            endpoint.path()
        );
        let rate = events as f64 / secs;
        // Stitched before the next run, so it does not share the cores with this one's.
        while t.store.resolve_pending(50_000).await? > 0 {}
        println!(
            "  {:<28} {rate:>10.0} events/s ({secs:.2} s, {} MB of JSON)",
            endpoint.path(),
            bytes / 1_000_000
        );
        rates.push(rate);
    }
    println!(
        "  ratio tracking protocol / native batch: {:.2}",
        rates[1] / rates[0]
    );
    Ok(())
}

/// What a ceiling stores of each event: its table, and how an event becomes a row.
struct Shape {
    name: &'static str,
    table: &'static str,
    insert: &'static str,
    bind: fn(&mut rusqlite::CachedStatement, &Value, &Stamp) -> anyhow::Result<()>,
}

/// What a row takes from its batch rather than its event: who sent it, and when.
struct Stamp {
    provider: [u8; 16],
    received_at: i64,
}

/// The event's own fields, in the narrowest row that holds them.
const FIELDS: Shape = Shape {
    name: "event's fields:",
    table: "CREATE TABLE t (id INTEGER PRIMARY KEY, event_id TEXT NOT NULL, customer TEXT NOT NULL, channel TEXT NOT NULL, \
            kind TEXT NOT NULL, occurred_at INTEGER NOT NULL, phase TEXT, properties TEXT NOT NULL)",
    insert: "INSERT INTO t (event_id, customer, channel, kind, occurred_at, phase, properties) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    bind: |insert, e, _| {
        insert.execute(rusqlite::params![
            e["event_id"].as_str(),
            e["identifiers"][0]["value"].as_str(),
            e["channel"].as_str(),
            e["kind"].as_str(),
            occurred_at(e)?,
            e["phase"].as_str(),
            e["properties"].to_string(),
        ])?;
        Ok(())
    },
};

/// The very row Mötesplats keeps (its id, provider, identifiers as JSON, when it was
/// received, the initiator), in a plain table without its indexes.
const ROWS: Shape = Shape {
    name: "same rows:",
    table: "CREATE TABLE t (seq INTEGER PRIMARY KEY, id BLOB NOT NULL, provider_id BLOB NOT NULL, identifiers TEXT, \
            event_id TEXT, channel TEXT NOT NULL, kind TEXT NOT NULL, occurred_at INTEGER NOT NULL, received_at INTEGER NOT NULL, \
            initiator TEXT NOT NULL, setting TEXT, phase TEXT, properties TEXT NOT NULL, flags TEXT)",
    insert: "INSERT INTO t (id, provider_id, identifiers, event_id, channel, kind, occurred_at, received_at, initiator, phase, properties) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'person', ?9, ?10)",
    bind: |insert, e, stamp| {
        insert.execute(rusqlite::params![
            motesplats_core::TouchpointId::new().0,
            stamp.provider,
            e["identifiers"].to_string(),
            e["event_id"].as_str(),
            e["channel"].as_str(),
            e["kind"].as_str(),
            occurred_at(e)?,
            stamp.received_at,
            e["phase"].as_str(),
            e["properties"].to_string(),
        ])?;
        Ok(())
    },
};

fn occurred_at(e: &Value) -> anyhow::Result<i64> {
    Ok(
        chrono::DateTime::parse_from_rfc3339(e["occurred_at"].as_str().unwrap_or_default())?
            .timestamp_micros(),
    )
}

/// A ceiling: the same events into a fresh SQLite file by the simplest program that
/// keeps the same promise (WAL, synchronous=FULL, one commit per batch).
fn ceiling(shape: &Shape, events: usize, batch: usize) -> anyhow::Result<(f64, usize)> {
    let dir = tempfile::tempdir()?;
    let mut c = rusqlite::Connection::open(dir.path().join("ceiling.db"))?;
    c.pragma_update(None, "journal_mode", "WAL")?;
    c.pragma_update(None, "synchronous", "FULL")?;
    c.execute_batch(shape.table)?;
    let provider = *motesplats_core::ProviderId::new().0.as_bytes();
    let rows: Vec<Value> = (0..events).map(event).collect();
    let started = Instant::now();
    for chunk in rows.chunks(batch) {
        let stamp = Stamp {
            provider,
            received_at: Utc::now().timestamp_micros(),
        };
        let tx = c.transaction()?;
        {
            let mut insert = tx.prepare_cached(shape.insert)?;
            for e in chunk {
                (shape.bind)(&mut insert, e, &stamp)?;
            }
        }
        tx.commit()?;
    }
    Ok((started.elapsed().as_secs_f64(), rows.len()))
}

async fn soak(rate: usize, seconds: u64) -> anyhow::Result<()> {
    let t = target(None).await?;
    let db = t._dir.path().join("bench.db");
    println!("soak: {rate} events/s for {seconds} s over HTTP into SQLite");
    println!(
        "{:>6} {:>12} {:>10} {:>10}",
        "second", "events", "RSS MB", "disk MB"
    );
    let batch = 500;
    let started = Instant::now();
    let mut sent = 0usize;
    let mut next_sample = 0u64;
    while started.elapsed().as_secs() < seconds {
        let due = (started.elapsed().as_secs_f64() * rate as f64) as usize;
        if sent < due {
            let n = (due - sent).min(batch * 8);
            let work = bodies(n, batch, sent, Endpoint::Native);
            sent += send(&t, Endpoint::Native, work, 4).await?;
        } else {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let now = started.elapsed().as_secs();
        if now >= next_sample {
            let disk: u64 = ["", "-wal", "-shm"]
                .iter()
                .filter_map(|s| std::fs::metadata(format!("{}{s}", db.display())).ok())
                .map(|m| m.len())
                .sum();
            println!(
                "{now:>6} {sent:>12} {:>10} {:>10}",
                rss_kb() / 1024,
                disk / 1_000_000
            );
            next_sample = now + 30;
        }
    }
    println!("peak memory (RSS): {} MB", peak_rss_kb() / 1024);
    Ok(())
}

fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn rss_kb() -> u64 {
    status_kb("VmRSS:")
}

pub fn peak_rss_kb() -> u64 {
    status_kb("VmHWM:")
}
