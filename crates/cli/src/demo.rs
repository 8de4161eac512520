//! The demo world: `motesplats demo` builds it, `motesplats serve --demo` serves it
//! from a file of its own so it never mixes with real data.

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use motesplats_core::demo;
use motesplats_core::demo::surveys::CafeJourneys;
use motesplats_core::ids::ProviderId;
use motesplats_core::linkage::Thresholds;
use motesplats_server::auth::{hash_password, new_token, sha256};
use motesplats_store::{
    NewApiKey, ResponseWrite, Role, SettingsKind, Stitch, Store, StoreError, linkage,
};
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
    /// The world's "now" (RFC 3339): its ninety days end here. Default: now. With the
    /// same seed, people and anchor the world is the same, ids included.
    #[arg(long)]
    anchor: Option<DateTime<Utc>>,
    /// Instead of a database, write the clothing shop's customer records (web shop and
    /// till, with their mess) into this folder in FEBRL's shape, records.csv and
    /// truth.csv, for `scripts/bench/febrl.sh FOLDER`.
    #[arg(long, value_name = "FOLDER", conflicts_with = "database")]
    linkage_set: Option<std::path::PathBuf>,
    /// Instead of a database, write every provider's touchpoints into this folder as
    /// touchpoints.csv, for `scripts/bench/journeys.sh FOLDER`.
    #[arg(long, value_name = "FOLDER", conflicts_with_all = ["database", "linkage_set"])]
    journey_set: Option<std::path::PathBuf>,
}

/// The demo's own SQLite file.
pub fn demo_database() -> String {
    std::env::var("MOTESPLATS_DEMO_DATABASE")
        .unwrap_or_else(|_| super::data_file("demo.db").display().to_string())
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let anchor = args.anchor.unwrap_or_else(Utc::now);
    if let Some(dir) = &args.linkage_set {
        let (records, pairs) =
            crate::bench_linkage::write_demo_set(args.seed, args.people, anchor, dir)?;
        println!(
            "{records} records and {pairs} true pairs of {} people in {}",
            args.people,
            dir.display()
        );
        return Ok(());
    }
    if let Some(dir) = &args.journey_set {
        let written = crate::bench_journeys::write_demo_set(args.seed, args.people, anchor, dir)?;
        println!(
            "{written} touchpoints of {} people in {}",
            args.people,
            dir.join(crate::bench_journeys::FILE).display()
        );
        return Ok(());
    }
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
    let loaded = load(&store, args.seed, args.people, anchor).await?;
    println!(
        "demo world in {database}: {} providers, {} people, {} profiles, {} touchpoints ({:.1} s)",
        loaded.providers,
        loaded.people,
        loaded.profiles,
        loaded.touchpoints,
        started.elapsed().as_secs_f64()
    );
    for line in &loaded.linkage {
        println!("{line}");
    }
    for provider in store.providers().await? {
        let truth = store.identity_truth(provider.id).await?;
        let score = motesplats_core::identity::score(&truth);
        let persons = truth
            .iter()
            .map(|t| t.0)
            .collect::<std::collections::HashSet<_>>()
            .len();
        println!(
            "{}: {} profiles are {persons} persons; against the truth precision {:.3}, recall {:.3}, {} false merges",
            provider.name,
            truth.len(),
            score.precision(),
            score.recall(),
            score.false_pairs()
        );
    }
    println!(
        "the café: {} research project with every step done, {} surveys, {} responses, {} codings",
        loaded.projects, loaded.surveys, loaded.responses, loaded.codings
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
        load(store, SEED, demo::DEFAULT_PEOPLE, Utc::now()).await?;
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
    projects: usize,
    surveys: usize,
    responses: usize,
    codings: usize,
    /// What probabilistic linkage did, a line per provider.
    linkage: Vec<String>,
}

/// Generates the world and writes it chunk by chunk, with a progress bar over the
/// people; then the café's research project and surveys, made from its journeys.
async fn load(
    store: &Arc<dyn Store>,
    seed: u64,
    people: usize,
    anchor: DateTime<Utc>,
) -> anyhow::Result<Loaded> {
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
        let journeys = serde_json::to_value(&p.journeys)?;
        store
            .set_settings(provider.id, SettingsKind::Journeys, journeys, None)
            .await?;
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
    let cafe = demo::surveys::cafe_index();
    let mut journeys = CafeJourneys::default();
    while let Some(chunk) = rx.recv().await {
        let humans = chunk.truth.len();
        // Before the rows are sorted by id: the surveys read each profile's journeys.
        journeys.add(&chunk.touchpoints[cafe]);
        // Who is who, by the human's number in the world.
        let mut truth = vec![Vec::new(); members.len()];
        for (n, profiles) in chunk.truth.iter().enumerate() {
            for &(p, profile) in profiles {
                truth[p].push((profile, (loaded.people + n) as u64));
            }
        }
        for (((&provider, profiles), mut touchpoints), truth) in members
            .iter()
            .zip(chunk.profiles)
            .zip(chunk.touchpoints)
            .zip(truth)
        {
            loaded.profiles += profiles.len();
            loaded.touchpoints += touchpoints.len();
            // The same linking path as live traffic: each profile joins the persons
            // its identifiers reach as it is written.
            store.create_profiles(provider, profiles).await?;
            store.set_identity_truth(provider, truth).await?;
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
    // Names and addresses find the web shop's customers among the till's records; a
    // provider with no names, or no duplicates to learn from, keeps identifiers only.
    let thresholds = Thresholds::new(linkage::LINK, linkage::REVIEW)?;
    for &provider in &members {
        let name = store.provider(provider).await?.map(|p| p.name);
        let started = std::time::Instant::now();
        let said = match linkage::link(store.as_ref(), provider, Some(thresholds)).await {
            Ok(run) => format!(
                "a model trained on {} profiles linked {} pairs; {} wait for review ({:.1} s)",
                run.records,
                run.links,
                run.review,
                started.elapsed().as_secs_f64()
            ),
            Err(StoreError::Invalid(why)) => format!("no linkage model ({why})"),
            Err(e) => return Err(e.into()),
        };
        loaded
            .linkage
            .push(format!("{}: {said}", name.unwrap_or_default()));
    }
    method(store, members[cafe], seed, &journeys, anchor, &mut loaded).await?;
    Ok(loaded)
}

/// The café's research project and its two surveys with their responses and codings,
/// stored as the API stores them.
async fn method(
    store: &Arc<dyn Store>,
    cafe: ProviderId,
    seed: u64,
    journeys: &CafeJourneys,
    anchor: DateTime<Utc>,
    loaded: &mut Loaded,
) -> anyhow::Result<()> {
    let (project, _) =
        demo::research::project(seed, cafe, anchor).context("the demo's research project")?;
    store
        .create_project(cafe, project.id.0, project.export()?)
        .await?;
    loaded.projects += 1;
    let (surveys, _) =
        demo::surveys::surveys(seed, journeys, anchor).context("the demo's surveys")?;
    for made in surveys {
        store.create_survey(cafe, made.survey).await?;
        loaded.surveys += 1;
        // Written side by side, so the store commits them in groups rather than one
        // transaction each; the codings after the responses they code.
        let mut writes = tokio::task::JoinSet::new();
        for response in made.responses {
            let store = Arc::clone(store);
            writes.spawn(async move {
                store
                    .save_response(
                        cafe,
                        response,
                        1,
                        ResponseWrite::New {
                            resume_sha256: None,
                        },
                    )
                    .await
                    .map(|_| ())
            });
            loaded.responses += 1;
        }
        writes
            .join_all()
            .await
            .into_iter()
            .collect::<Result<(), _>>()?;
        let mut writes = tokio::task::JoinSet::new();
        for coding in made.codings {
            let store = Arc::clone(store);
            writes.spawn(async move { store.add_coding(cafe, coding).await });
            loaded.codings += 1;
        }
        writes
            .join_all()
            .await
            .into_iter()
            .collect::<Result<(), _>>()?;
    }
    Ok(())
}
