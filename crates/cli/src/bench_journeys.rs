//! `motesplats bench journeys`: journeys over millions of touchpoints, timed, printing
//! the line `scripts/peers/journeys_duckdb.py` prints for DuckDB on the same file:
//! placing every touchpoint in a journey (with its phase), the channel flows, and an
//! ordered funnel. Loading is timed apart from the queries. The demo's touchpoints are
//! written in the shared shape by `demo --journey-set`.

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use motesplats_core::demo;
use motesplats_core::journey::{
    Clock, Context, Filter, JourneySettings, LogBuilder, LogRow, PeriodUnit, StepSignals, figures,
    funnel,
};
use motesplats_core::touchpoint::Subject;
use motesplats_core::{PersonId, Phase, TouchpointId};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The file both engines read: one touchpoint a line.
pub const FILE: &str = "touchpoints.csv";
const HEADER: [&str; 6] = ["person", "id", "at_ms", "channel", "kind", "phase"];

#[derive(clap::Args)]
pub struct Args {
    /// A folder holding touchpoints.csv (person, id, at_ms, channel, kind, phase), as
    /// `motesplats demo --journey-set FOLDER` writes it.
    #[arg(long)]
    data: PathBuf,
    /// The kinds of the ordered funnel, comma-separated.
    #[arg(long, default_value = "table_booking,visit,purchase")]
    funnel: String,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let path = args.data.join(FILE);
    let started = Instant::now();
    let mut reader =
        csv::Reader::from_path(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut builder = LogBuilder::default();
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record)? {
        let field = |i: usize| record.get(i).unwrap_or_default();
        builder.push(LogRow {
            person: field(0).parse::<PersonId>().context("person")?,
            id: field(1).parse::<TouchpointId>().context("id")?,
            at: field(2).parse().context("at_ms")?,
            channel: field(3),
            kind: field(4),
            declared: match field(5) {
                "" => None,
                p => Some(Phase::parse(p).map_err(|e| anyhow::anyhow!("phase: {e}"))?),
            },
            by_provider: false,
            signals: StepSignals::default(),
        });
    }
    let log = builder.finish();
    let load = started.elapsed().as_secs_f64();
    let settings = JourneySettings::default();
    let (low, high) = log.span();
    let clock = Clock::new(chrono_tz::Europe::Stockholm, low, high);

    let t = Instant::now();
    let placed = log.place(&settings, &clock);
    let place = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let all = Filter::default().select(&log, &placed);
    let controlled = |_: &str| true;
    let shown = figures(
        &log,
        &placed,
        &all,
        &Context {
            controlled: &controlled,
            unit: PeriodUnit::Week,
            clock: &clock,
        },
    );
    let flows = t.elapsed().as_secs_f64();

    let kinds: Vec<&str> = args.funnel.split(',').map(str::trim).collect();
    let t = Instant::now();
    let steps = funnel(&log, &placed, &all, &kinds);
    let funnel_s = t.elapsed().as_secs_f64();

    let mut phases = [0u64; 4];
    for (r, &p) in placed.phase.iter().enumerate() {
        // Touchpoints outside every journey are counted apart, whatever they declared.
        let slot = if placed.in_journey[r] {
            usize::from(p)
        } else {
            0
        };
        phases[slot] += 1;
    }
    let mut flow_rows: Vec<_> = shown
        .flows
        .iter()
        .map(|f| json!([f.from, f.to, f.touchpoints]))
        .collect();
    flow_rows.sort_by_key(|v| v.to_string());
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    println!(
        "{}",
        json!({
            "tool": "motesplats",
            "touchpoints": log.len(),
            "seconds": {"load": round(load), "journeys": round(place), "flows": round(flows), "funnel": round(funnel_s)},
            "peak_rss_mb": crate::bench::peak_rss_kb() / 1024,
            "journeys": placed.journeys.len(),
            "phases": {"outside": phases[0], "before": phases[1], "during": phases[2], "after": phases[3]},
            "flows": flow_rows,
            "funnel": steps.iter().map(|s| json!({
                "kind": s.kind, "journeys": s.journeys,
                "median_minutes": s.median_minutes.map(round),
            })).collect::<Vec<_>>(),
        })
    );
    Ok(())
}

/// Writes the touchpoints of every provider of a demo world into `dir/touchpoints.csv`,
/// each profile a person (the benchmark places journeys, it does not stitch); says how
/// many it wrote.
pub fn write_demo_set(
    seed: u64,
    people: usize,
    anchor: DateTime<Utc>,
    dir: &Path,
) -> anyhow::Result<usize> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut out = csv::Writer::from_path(dir.join(FILE))?;
    out.write_record(HEADER)?;
    let bar = ProgressBar::new(people as u64).with_style(
        ProgressStyle::with_template("[{bar:40}] {pos}/{len} people ({per_sec}, {eta} left)")?
            .progress_chars("=> "),
    );
    let mut written = 0;
    for chunk in demo::people(seed, people, anchor, 10_000) {
        for t in chunk.touchpoints.iter().flatten() {
            let Subject::Profile(profile) = &t.subject else {
                continue;
            };
            out.write_record([
                profile.0.to_string(),
                t.id.0.to_string(),
                t.occurred_at.timestamp_millis().to_string(),
                t.channel.as_str().to_string(),
                t.kind.as_str().to_string(),
                t.phase.map(|p| p.as_str().to_string()).unwrap_or_default(),
            ])?;
            written += 1;
        }
        bar.inc(chunk.truth.len() as u64);
    }
    bar.finish_and_clear();
    out.flush()?;
    Ok(written)
}
