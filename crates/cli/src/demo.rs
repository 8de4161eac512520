//! The demo world: `motesplats demo` builds it, `motesplats serve --demo` serves it
//! from a file of its own so it never mixes with real data.

use anyhow::{Context, bail};
use chrono::Utc;
use indicatif::{ProgressBar, ProgressStyle};
use motesplats_core::demo::{self, DemoWorld};
use motesplats_server::auth::{hash_password, new_token, sha256};
use motesplats_store::{NewApiKey, Role, Stitch, Store};
use std::sync::Arc;

/// The demo sign-in: the café's user.
pub const SIGN_IN: &str = "demo@cafe.example";
/// The password of every demo user. It only ever opens the demo file.
pub const PASSWORD: &str = "motesplats-demo";
const SEED: u64 = 7;
/// Rows per transaction while loading.
const CHUNK: usize = 5_000;

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
    let world = load(&store, args.seed, args.people).await?;
    let touchpoints: usize = world.providers.iter().map(|p| p.touchpoints.len()).sum();
    let profiles: usize = world.providers.iter().map(|p| p.profiles.len()).sum();
    println!(
        "demo world in {database}: {} providers, {} people, {profiles} profiles, {touchpoints} touchpoints ({:.1} s)",
        world.providers.len(),
        world.truth.len(),
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

/// Generates the world and writes it, with a progress bar over the rows.
async fn load(store: &Arc<dyn Store>, seed: u64, people: usize) -> anyhow::Result<DemoWorld> {
    let world = demo::generate(seed, people, Utc::now());
    let rows: usize = world
        .providers
        .iter()
        .map(|p| p.profiles.len() + p.touchpoints.len())
        .sum();
    let bar = ProgressBar::new(rows as u64).with_style(
        ProgressStyle::with_template(
            "{msg:12} [{bar:40}] {pos}/{len} rows ({per_sec}, {eta} left)",
        )
        .context("progress template")?
        .progress_chars("=> "),
    );
    let password =
        hash_password(PASSWORD).map_err(|e| anyhow::anyhow!("hashing the demo password: {e:?}"))?;
    let mut members = Vec::new();
    for p in &world.providers {
        bar.set_message(p.slug);
        let provider = store.create_provider(p.provider.clone()).await?;
        members.push(provider.id);
        store
            .create_user(provider.id, &p.user_email, &password, Role::Admin)
            .await?;
        for channel in &p.channels {
            store.create_channel(provider.id, channel.clone()).await?;
        }
        for chunk in p.profiles.chunks(CHUNK) {
            store.create_profiles(provider.id, chunk.to_vec()).await?;
            bar.inc(chunk.len() as u64);
        }
        // In id order the rows append to the end of the table instead of landing all over it.
        let mut touchpoints = p.touchpoints.clone();
        touchpoints.sort_unstable_by_key(|t| t.id);
        for chunk in touchpoints.chunks(CHUNK) {
            store
                .insert_touchpoints(provider.id, chunk.to_vec(), Utc::now(), Stitch::Now)
                .await?;
            bar.inc(chunk.len() as u64);
        }
    }
    store
        .create_network(world.network.clone(), &members)
        .await?;
    bar.finish_and_clear();
    Ok(world)
}
