//! `motesplats project list|export`: research projects read straight from the
//! database, through the `Store` trait and as the provider sees them, written out
//! as the API and the web UI write them.

use crate::scope::Scope;
use anyhow::{Context, bail};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use motesplats_core::Lang;
use motesplats_core::research::{Project, ProjectId, to_html, to_markdown};
use motesplats_server::research_export;
use motesplats_store::StoredProject;
use std::io::Write;
use std::path::PathBuf;

const EXPORT_HELP: &str = r#"Formats:
  json           the whole project as one JSON document (motesplats.research.project,
                 version 1), exactly what GET /api/v1/projects/{id}/export gives and
                 POST /api/v1/projects/import takes back
  markdown       the strategy document (step 5) as Markdown
  html           the strategy document as a standalone HTML page
  pdf            the strategy document as PDF, with the four-field matrix drawn; without
                 --out it is written to the current folder under the name the web UI
                 gives it: the title and the date of the last change, e.g.
                 kafe-torget-strategi-2026-12-03.pdf
  evidence-csv   every piece of evidence, one row each: step, kind, kind_label, id,
                 phase, valence, settings, motivations, digital, summary, cited_by

Examples:
  motesplats project list --provider 0193f0c4-…
  motesplats project export 0195a1b2-… --provider 0193f0c4-… --format json --out round1.json
  motesplats project export 0195a1b2-… --provider 0193f0c4-… --format pdf --lang en
"#;

#[derive(Clone, Copy, Debug, PartialEq, clap::ValueEnum)]
pub enum Format {
    /// The whole project as one JSON document, which import reads back exactly.
    Json,
    /// The strategy document as Markdown.
    Markdown,
    /// The strategy document as an HTML page.
    Html,
    /// The strategy document as PDF (without --out: under its own name in the current folder).
    Pdf,
    /// Every piece of evidence as CSV, one row each.
    EvidenceCsv,
}

/// `--lang`: the core's language, offered as its tags.
fn lang_parser() -> impl TypedValueParser<Value = Lang> {
    PossibleValuesParser::new(Lang::ALL.iter().map(|l| l.as_str()))
        .try_map(|tag| Lang::parse(&tag).map_err(|e| e.to_string()))
}

#[derive(clap::Subcommand)]
pub enum Command {
    /// List the research projects the provider owns or is invited to: id, title, round and version, latest change first.
    List {
        #[command(flatten)]
        scope: Scope,
    },
    /// Write one research project out: as JSON, its strategy document (Markdown, HTML, PDF) or its evidence as CSV.
    #[command(after_long_help = EXPORT_HELP)]
    Export {
        /// The project's id, as `project list` prints it.
        #[arg(value_name = "PROJECT_ID")]
        project: ProjectId,
        #[command(flatten)]
        scope: Scope,
        /// What to write.
        #[arg(long, value_enum)]
        format: Format,
        /// Language of the strategy document and of the CSV's kind labels.
        #[arg(long, default_value = "sv", value_parser = lang_parser())]
        lang: Lang,
        /// The file to write; default: standard output (pdf: its own name in the current folder).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// Reads a stored document back into the engine, checking it.
fn load(stored: &StoredProject) -> anyhow::Result<Project> {
    Project::import(stored.document.clone())
        .map_err(|e| anyhow::anyhow!("project {} does not load: {e}", stored.id))
}

pub async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::List { scope } => list(&scope).await,
        Command::Export {
            project,
            scope,
            format,
            lang,
            out,
        } => export(project, &scope, format, lang, out).await,
    }
}

async fn list(scope: &Scope) -> anyhow::Result<()> {
    let store = scope.open().await?.0;
    let projects = store.projects(scope.provider).await?;
    if projects.is_empty() {
        eprintln!("no projects for provider {}", scope.provider);
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "id\ttitle\tround\tversion")?;
    for stored in &projects {
        let p = load(stored)?;
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            stored.id, p.title, p.round, stored.version
        )?;
    }
    out.flush()?;
    Ok(())
}

async fn export(
    id: ProjectId,
    scope: &Scope,
    format: Format,
    lang: Lang,
    out: Option<PathBuf>,
) -> anyhow::Result<()> {
    let store = scope.open().await?.0;
    let Some(stored) = store.project(scope.provider, id.0).await? else {
        bail!("no project {id} for provider {}", scope.provider);
    };
    let bytes: Vec<u8> = match format {
        Format::Json => {
            let mut text = serde_json::to_string_pretty(&stored.document)?;
            text.push('\n');
            text.into_bytes()
        }
        Format::Markdown => to_markdown(&load(&stored)?.strategy(), lang).into_bytes(),
        Format::Html => to_html(&load(&stored)?.strategy(), lang).into_bytes(),
        Format::Pdf => {
            let (name, pdf) = research_export::strategy_pdf(&stored, &load(&stored)?, lang);
            let path = out.unwrap_or_else(|| PathBuf::from(name.ascii));
            std::fs::write(&path, &pdf).with_context(|| format!("writing {}", path.display()))?;
            println!("{}", path.display());
            return Ok(());
        }
        Format::EvidenceCsv => research_export::evidence_csv(&load(&stored)?, lang).into_bytes(),
    };
    match out {
        Some(path) => {
            std::fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&bytes)?;
            stdout.flush()?;
        }
    }
    Ok(())
}
