//! `motesplats journeys`: the journey figures, an ordered funnel and channel
//! attribution of one provider, as JSON (the API's documents) or CSV, computed from
//! the database as the server computes them.

use crate::scope::Scope;
use crate::survey::failed;
use anyhow::bail;
use motesplats_core::journey::{Asked, Filter, PeriodUnit, attribution, compare_asked, funnel};
use motesplats_server::figures::{FilterQuery, Placed, load};
use motesplats_server::{asked, csv_out, segments};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Filters {
    /// The first day of the period (YYYY-MM-DD, where the provider is).
    #[arg(long)]
    from: Option<String>,
    /// The last day of the period, included.
    #[arg(long)]
    to: Option<String>,
    /// Only journeys with a touchpoint in this channel (its key).
    #[arg(long)]
    channel: Option<String>,
    /// Only the journeys of this saved segment (its name or id).
    #[arg(long)]
    segment: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Json,
    Csv,
}

/// Which table of the figures a CSV holds.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Table {
    /// Channel, whether the provider controls it, touchpoints before, during, after.
    Mix,
    /// From channel, to channel, touchpoints.
    Flows,
    /// Came from, met in, went to, journeys (the Sankey's links).
    MeetingFlows,
    /// The most common paths: channels (" > "), longer, journeys.
    Paths,
    /// Period start, journeys, touchpoints.
    Trend,
}

#[derive(clap::Subcommand)]
pub enum Command {
    /// Channel mix per phase, own versus uncontrolled, flows, paths, lead time, repeat
    /// journeys and the trend (GET /api/v1/journeys/figures).
    Figures {
        #[command(flatten)]
        scope: Scope,
        #[command(flatten)]
        filters: Filters,
        /// The steps of the trend.
        #[arg(long, value_enum, default_value = "week")]
        unit: Unit,
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
        /// The table a CSV holds.
        #[arg(long, value_enum, default_value = "mix")]
        table: Table,
        /// The file to write; default: standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// An ordered funnel (GET /api/v1/journeys/funnel).
    Funnel {
        #[command(flatten)]
        scope: Scope,
        #[command(flatten)]
        filters: Filters,
        /// The kinds of its steps in order, comma-separated (2 to 8).
        #[arg(long, value_delimiter = ',', required = true)]
        steps: Vec<String>,
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Why journeys were made, the rules that decided, message pressure by motivation
    /// with return and purchase rates, and the classifier beside survey answers
    /// (GET /api/v1/journeys/landscape). A CSV holds the pressure table.
    Landscape {
        #[command(flatten)]
        scope: Scope,
        #[command(flatten)]
        filters: Filters,
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Channels credited with an outcome by five models (GET /api/v1/journeys/attribution).
    Attribution {
        #[command(flatten)]
        scope: Scope,
        #[command(flatten)]
        filters: Filters,
        /// The kind of touchpoint that is the outcome.
        #[arg(long, default_value = "purchase")]
        outcome: String,
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Unit {
    Day,
    Week,
    Month,
    Quarter,
}

impl From<Unit> for PeriodUnit {
    fn from(u: Unit) -> Self {
        match u {
            Unit::Day => PeriodUnit::Day,
            Unit::Week => PeriodUnit::Week,
            Unit::Month => PeriodUnit::Month,
            Unit::Quarter => PeriodUnit::Quarter,
        }
    }
}

/// The provider's placement and the filter the options ask for (within the segment
/// they name), with the key the figures are kept under; and the survey answers to
/// the motivation question, for the landscape.
async fn selected(
    scope: &Scope,
    f: Filters,
) -> anyhow::Result<(Placed, Filter, String, Vec<Asked>)> {
    let (store, provider) = scope.open().await?;
    let store = store.as_ref();
    let p = load(store, provider.id).await.map_err(failed)?;
    let q = FilterQuery {
        from: f.from,
        to: f.to,
        channel: f.channel,
    };
    let mut filter = p.filter(&q).map_err(failed)?;
    let mut key = q.key();
    if let Some(wanted) = f.segment {
        let saved = store.segments(provider.id).await?;
        let Some(s) = saved
            .iter()
            .find(|s| s.name == wanted || s.id.to_string() == wanted)
        else {
            let names: Vec<&str> = saved.iter().map(|s| s.name.as_str()).collect();
            bail!(
                "--segment: no segment named {wanted:?}; saved: {}",
                names.join(", ")
            );
        };
        let members = segments::members(store, provider.id, &s.rules)
            .await
            .map_err(failed)?;
        filter.within(&p.segment_filter(s, members.as_ref()));
        key = format!("{key}|{}|{}", s.id, s.updated_at.timestamp_micros());
    }
    let asked = asked::answers(store, provider.id).await.map_err(failed)?;
    Ok((p, filter, key, asked))
}

fn write(out: Option<PathBuf>, text: String) -> anyhow::Result<()> {
    match out {
        Some(path) => std::fs::write(path, text)?,
        None => print!("{text}"),
    }
    Ok(())
}

fn json<T: serde::Serialize>(value: &T) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(value)? + "\n")
}

/// Rows of cells as CSV through the one guarded writer.
fn csv(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> anyhow::Result<String> {
    let mut w = csv_out::Writer::in_memory();
    w.row(header.iter().copied())?;
    for r in rows {
        w.row(r)?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

pub async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Figures {
            scope,
            filters,
            unit,
            format,
            table,
            out,
        } => {
            let (p, filter, key, _) = selected(&scope, filters).await?;
            let f = p.figures(&key, &filter, unit.into());
            let n = |x: u64| x.to_string();
            let text = match (format, table) {
                (Format::Json, _) => json(f.as_ref())?,
                (Format::Csv, Table::Mix) => csv(
                    &["channel", "controlled", "before", "during", "after"],
                    f.mix.iter().map(|m| {
                        vec![
                            m.channel.clone(),
                            m.controlled.to_string(),
                            n(m.before),
                            n(m.during),
                            n(m.after),
                        ]
                    }),
                )?,
                (Format::Csv, Table::Flows) => csv(
                    &["from", "to", "touchpoints"],
                    f.flows
                        .iter()
                        .map(|x| vec![x.from.clone(), x.to.clone(), n(x.touchpoints)]),
                )?,
                (Format::Csv, Table::MeetingFlows) => csv(
                    &["came_from", "met_in", "went_to", "journeys"],
                    f.meeting_flows.iter().map(|x| {
                        vec![
                            x.came_from.clone().unwrap_or_default(),
                            x.met_in.clone(),
                            x.went_to.clone().unwrap_or_default(),
                            n(x.journeys),
                        ]
                    }),
                )?,
                (Format::Csv, Table::Paths) => csv(
                    &["channels", "longer", "journeys"],
                    f.paths
                        .iter()
                        .map(|x| vec![x.channels.join(" > "), x.longer.to_string(), n(x.journeys)]),
                )?,
                (Format::Csv, Table::Trend) => csv(
                    &["start", "journeys", "touchpoints"],
                    f.trend
                        .iter()
                        .map(|x| vec![x.start.to_string(), n(x.journeys), n(x.touchpoints)]),
                )?,
            };
            write(out, text)
        }
        Command::Funnel {
            scope,
            filters,
            steps,
            format,
            out,
        } => {
            if !(2..=8).contains(&steps.len()) {
                bail!(
                    "--steps: {} kinds given; a funnel has from 2 to 8",
                    steps.len()
                );
            }
            let (p, filter, _, _) = selected(&scope, filters).await?;
            let selected = filter.select(&p.log, &p.placed);
            let kinds: Vec<&str> = steps.iter().map(String::as_str).collect();
            let steps = funnel(&p.log, &p.placed, &selected, &kinds);
            let opt = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
            let text = match format {
                Format::Json => json(&steps)?,
                Format::Csv => csv(
                    &["kind", "journeys", "conversion", "median_minutes"],
                    steps.iter().map(|s| {
                        vec![
                            s.kind.clone(),
                            s.journeys.to_string(),
                            opt(s.conversion),
                            opt(s.median_minutes),
                        ]
                    }),
                )?,
            };
            write(out, text)
        }
        Command::Landscape {
            scope,
            filters,
            format,
            out,
        } => {
            let (p, filter, key, asked) = selected(&scope, filters).await?;
            let landscape = p.landscape(&key, &filter);
            let text = match format {
                Format::Json => json(&serde_json::json!({
                    "landscape": landscape.as_ref(),
                    "rules": p.rules,
                    "asked": compare_asked(&p.log, &p.placed, p.values(), &asked),
                }))?,
                Format::Csv => csv(
                    &[
                        "band",
                        "motivation",
                        "journeys",
                        "persons",
                        "purchase_rate",
                        "return_rate",
                    ],
                    landscape.pressure.iter().map(|c| {
                        vec![
                            c.band.as_str().to_string(),
                            c.motivation.map_or("unknown", |m| m.as_str()).to_string(),
                            c.journeys.to_string(),
                            c.persons.to_string(),
                            c.purchase_rate.to_string(),
                            c.return_rate.to_string(),
                        ]
                    }),
                )?,
            };
            write(out, text)
        }
        Command::Attribution {
            scope,
            filters,
            outcome,
            format,
            out,
        } => {
            let (p, filter, _, _) = selected(&scope, filters).await?;
            let selected = filter.select(&p.log, &p.placed);
            let a = attribution(&p.log, &p.placed, &selected, &outcome)?;
            let text = match format {
                Format::Json => json(&a)?,
                Format::Csv => csv(
                    &["model", "channel", "credit"],
                    a.models.iter().flat_map(|m| {
                        let model = serde_json::to_value(m.model)
                            .ok()
                            .and_then(|v| v.as_str().map(String::from))
                            .unwrap_or_default();
                        m.channels
                            .iter()
                            .map(move |c| {
                                vec![model.clone(), c.channel.clone(), c.credit.to_string()]
                            })
                            .collect::<Vec<_>>()
                    }),
                )?,
            };
            write(out, text)
        }
    }
}
