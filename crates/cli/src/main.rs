//! `motesplats`: serve the platform, build the demo world, manage providers, export
//! research projects, run surveys.

mod backup;
mod bench;
mod bench_contact;
mod bench_journeys;
mod bench_linkage;
mod demo;
mod identity;
mod import;
mod journeys;
mod project;
mod provider;
mod scope;
mod serve;
mod survey;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Ingestion allocates many small values per event on two threads at once; mimalloc
/// serves that pattern far better than the system allocator (measured in `bench ingest`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "motesplats",
    version,
    about = "Mötesplats: every meeting between a person and a provider, in one place"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server: JSON API, OpenAPI document and web UI.
    Serve(serve::Args),
    /// Build the demo world (a town centre and its customers) into a database.
    Demo(demo::Args),
    /// Benchmarks that print their figures beside a peer's.
    Bench {
        #[command(subcommand)]
        command: bench::Command,
    },
    /// Import touchpoints from a CSV or NDJSON file (exports of tills, booking systems, CRMs).
    Import(import::Args),
    /// Rebuild a provider's persons from scratch: its profiles stitched by the identifiers
    /// they carry, every decision to join or keep apart kept.
    Link(identity::LinkArgs),
    /// Say why two profiles are one person (the chain of identifiers or decisions), or
    /// what keeps them apart.
    Why(identity::WhyArgs),
    /// A provider's journey figures, funnels and channel attribution, as JSON or CSV.
    Journeys {
        #[command(subcommand)]
        command: journeys::Command,
    },
    /// Manage providers.
    Provider {
        #[command(subcommand)]
        command: provider::Command,
    },
    /// List and export research projects (JSON, strategy as Markdown/HTML/PDF, evidence as CSV).
    Project {
        #[command(subcommand)]
        command: project::Command,
    },
    /// Build, open and close surveys; write out their results, responses, codes and codebook.
    #[command(after_long_help = survey::HELP)]
    Survey {
        #[command(subcommand)]
        command: survey::Command,
    },
    /// Write a consistent backup of the whole database to a new file, while the server runs.
    Backup(backup::Args),
    /// Restore a backup into a new, empty database.
    Restore(backup::Args),
}

/// Where data lives when no `--database` is given.
pub fn data_file(name: &str) -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("motesplats")
        .join(name)
}

/// The default database: a SQLite file in the platform's data directory.
pub fn default_database() -> String {
    data_file("motesplats.db").display().to_string()
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MOTESPLATS_LOG")
                .unwrap_or_else(|_| "info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        match cli.command {
            Command::Serve(args) => serve::run(args).await,
            Command::Demo(args) => demo::run(args).await,
            Command::Import(args) => import::run(args).await,
            Command::Link(args) => identity::link(args).await,
            Command::Why(args) => identity::why(args).await,
            Command::Provider { command } => provider::run(command).await,
            Command::Project { command } => project::run(command).await,
            Command::Survey { command } => survey::run(command).await,
            Command::Journeys { command } => journeys::run(command).await,
            Command::Bench { command } => bench::run(command).await,
            Command::Backup(args) => backup::backup(args).await,
            Command::Restore(args) => backup::restore(args).await,
        }
    })
}
