//! The demo world: `motesplats demo` builds it, `motesplats serve --demo` serves it
//! from a file of its own so it never mixes with real data.

use anyhow::{Context, bail};
use chrono::Utc;
use indicatif::{ProgressBar, ProgressStyle};
use motesplats_core::demo;
use motesplats_server::auth::{hash_password, new_token, sha256};
use motesplats_store::{NewApiKey, Role, Stitch, Store};
use std::sync::Arc;

/// The demo sign-in: the café's user.
pub const SIGN_IN: &str = "demo@cafe.example";
/// The password of every demo user. It only ever opens the demo file.
pub const PASSWORD: &str = "motesplats-demo";
const SEED: u64 = 7;
/// Humans generated and written at a time: the busiest provider, the clothing shop,
/// gets about 5,000 touchpoints a transaction, and memory stays bounded however many
/// people the world has.
const CHUNK_PEOPLE: usize = 1_500;

#[derive(clap::Args)]
pub struct Args {
    /// The same seed always gives the same world.
    #[arg(long, default_value_t = SEED)]
    seed: u64,
    /// How many people live in the world.
    #[arg(long, default_value_t = demo::DEFAULT_PEOPLE)]
    people: usize,
    /// An empty database to build into; default: the demo file, rebuilt from scratch.
    #[arg(long, env = "MOTESPLATS_DEMO_DATABASE")]
    database: Option<String>,
}

/// The demo's own SQLite file.
pub fn demo_database() -> String {
    std::env::var("MOTESPLATS_DEMO_DATABASE")
        .unwrap_or_else(|_| super::data_file("demo.db").display().to_string())
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let database = match args.database {
        Some(db) => db,
        None => {
            let db = demo_database();
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{db}{suffix}"));
            }
            db
        }
    };
    let store = motesplats_store::open(&database)
        .await
        .with_context(|| format!("opening the database {database}"))?;
    if !store.providers().await?.is_empty() {
        bail!(
            "database: {database} already holds providers; the demo world goes into an empty database"
        );
    }
    let started = std::time::Instant::now();
    let loaded = load(&store, args.seed, args.people).await?;
    println!(
        "demo world in {database}: {} providers, {} people, {} profiles, {} touchpoints ({:.1} s)",
        loaded.providers,
        loaded.people,
        loaded.profiles,
        loaded.touchpoints,
        started.elapsed().as_secs_f64()
    );
    println!(
        "sign in as {SIGN_IN} / {PASSWORD} (every provider: demo@<cafe|clothing|hotel|property|bank>.example)"
    );
    Ok(())
}

/// Builds the demo world if the store is empty, and issues a fresh API key for the
/// café so the person starting the demo can call the API at once.
pub async fn ensure(store: &Arc<dyn Store>) -> anyhow::Result<String> {
    if store.providers().await?.is_empty() {
        load(store, SEED, demo::DEFAULT_PEOPLE).await?;
    }
    let (user, _) = store
        .user_by_email(SIGN_IN)
        .await?
        .context("the demo database has no café user; rebuild it with `motesplats demo`")?;
    let token = new_token("mp_key_");
    store
        .create_api_key(
            user.provider_id,
            NewApiKey::secret("demo session"),
            sha256(&token),
        )
        .await?;
    Ok(token)
}

/// What `load` wrote.
#[derive(Default)]
struct Loaded {
    providers: usize,
    people: usize,
    profiles: usize,
    touchpoints: usize,
}

/// Generates the world and writes it chunk by chunk, with a progress bar over the people.
async fn load(store: &Arc<dyn Store>, seed: u64, people: usize) -> anyhow::Result<Loaded> {
    let world = demo::world();
    let password =
        hash_password(PASSWORD).map_err(|e| anyhow::anyhow!("hashing the demo password: {e:?}"))?;
    let mut members = Vec::new();
    for p in &world.providers {
        let provider = store.create_provider(p.provider.clone()).await?;
        members.push(provider.id);
        store
            .create_user(provider.id, &p.user_email, &password, Role::Admin)
            .await?;
        for channel in &p.channels {
            store.create_channel(provider.id, channel.clone()).await?;
        }
    }
    store.create_network(world.network, &members).await?;

    let bar = ProgressBar::new(people as u64).with_style(
        ProgressStyle::with_template("[{bar:40}] {pos}/{len} people ({per_sec}, {eta} left)")
            .context("progress template")?
            .progress_chars("=> "),
    );
    // The next chunk is generated while this one is written; at most two wait, so
    // memory stays bounded.
    let (tx, mut rx) = tokio::sync::mpsc::channel(2);
    let anchor = Utc::now();
    let generator = tokio::task::spawn_blocking(move || {
        for chunk in demo::people(seed, people, anchor, CHUNK_PEOPLE) {
            // A closed channel means the loader stopped on an error.
            if tx.blocking_send(chunk).is_err() {
                break;
            }
        }
    });
    let mut loaded = Loaded {
        providers: members.len(),
        ..Loaded::default()
    };
    while let Some(chunk) = rx.recv().await {
        let humans = chunk.truth.len();
        for ((&provider, profiles), mut touchpoints) in
            members.iter().zip(chunk.profiles).zip(chunk.touchpoints)
        {
            loaded.profiles += profiles.len();
            loaded.touchpoints += touchpoints.len();
            store.create_profiles(provider, profiles).await?;
            // In id order the chunk's rows go into the table in one pass over it, not
            // back and forth.
            touchpoints.sort_unstable_by_key(|t| t.id);
            store
                .insert_touchpoints(provider, touchpoints, Utc::now(), Stitch::Now)
                .await?;
        }
        loaded.people += humans;
        bar.inc(humans as u64);
    }
    generator.await.context("generating the demo world")?;
    bar.finish_and_clear();
    Ok(loaded)
}
