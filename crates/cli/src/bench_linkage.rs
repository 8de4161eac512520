//! `motesplats bench linkage`: probabilistic linkage on records in FEBRL's shape
//! (`id` and the named fields in records.csv, true pairs `a`, `b` in truth.csv),
//! printing the line `scripts/peers/febrl.py` prints for Splink on the same files;
//! and the demo world's customer records written in that shape, for a run at any size.

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use motesplats_core::demo;
use motesplats_core::linkage::{
    Class, Field, Prepared, Record, Rule, Settings, Thresholds, candidates, compare_all, estimate,
    score,
};
use serde_json::json;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// A CSV file with a header: id and any of given_name, family_name, birth_date,
    /// street, postcode.
    #[arg(long)]
    records: PathBuf,
    /// A CSV file of the true pairs: columns a and b, the ids of one person's records.
    #[arg(long)]
    truth: PathBuf,
    /// The probability from which a pair is one person.
    #[arg(long, default_value_t = 0.9)]
    threshold: f64,
    /// The probability from which a pair goes to review.
    #[arg(long, default_value_t = 0.5)]
    review: f64,
    /// Random pairs u is counted on (Splink's default, which the peer uses too).
    #[arg(long, default_value_t = 1_000_000)]
    u_pairs: usize,
    /// A blocking rule such as `given_name,family_name` or `family_name:3` (repeat
    /// for several); the defaults when none is given.
    #[arg(long)]
    rule: Vec<String>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let records = read_records(&args.records)?;
    let truth = read_truth(&args.truth)?;
    let rules = if args.rule.is_empty() {
        Rule::defaults()
    } else {
        args.rule
            .iter()
            .map(|r| Rule::parse(r))
            .collect::<Result<_, _>>()?
    };
    let settings = Settings {
        u_pairs: args.u_pairs,
        ..Settings::new(rules, Thresholds::new(args.threshold, args.review)?)
    };

    // Training plus prediction, as the peer times it: not the reading of the files.
    let start = Instant::now();
    let prepared = Prepared::new(&records)?;
    let found = candidates(&prepared, &settings.rules, settings.block_cap);
    let compared = compare_all(&prepared, &found.pairs);
    let training = estimate(&prepared, &compared, &settings)?;
    let prediction = score(&training.model, &prepared, &found, &compared)?;
    let seconds = start.elapsed().as_secs_f64();

    let linked: BTreeSet<(&str, &str)> = prediction
        .pairs
        .iter()
        .filter(|p| p.class == Class::Link)
        .map(|p| (p.a.as_str(), p.b.as_str()))
        .collect();
    let right = linked
        .iter()
        .filter(|&&(a, b)| truth.contains(&(a.to_string(), b.to_string())))
        .count();
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let (precision, recall) = (ratio(right, linked.len()), ratio(right, truth.len()));
    let f1 = if right == 0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    let dataset = args
        .records
        .canonicalize()
        .ok()
        .and_then(|p| Some(p.parent()?.file_name()?.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let round = |x: f64, places: i32| (x * 10f64.powi(places)).round() / 10f64.powi(places);
    let rules: Vec<String> = settings.rules.iter().map(ToString::to_string).collect();
    eprintln!(
        "motesplats: rules {}; {} candidates, {} blocks skipped, EM {} rounds{}, {} to review",
        rules.join(" | "),
        prediction.candidates,
        prediction.skipped_blocks,
        training.rounds,
        if training.converged {
            ""
        } else {
            " (not converged)"
        },
        prediction.pairs.len() - linked.len(),
    );
    println!(
        "{}",
        json!({
            "tool": "motesplats", "dataset": dataset, "records": records.len(),
            "pairs_true": truth.len(), "precision": round(precision, 4),
            "recall": round(recall, 4), "f1": round(f1, 4), "seconds": round(seconds, 3),
        })
    );
    Ok(())
}

fn read_records(path: &Path) -> anyhow::Result<Vec<Record>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("opening {}", path.display()))?;
    let header = reader.headers()?.clone();
    let id = header
        .iter()
        .position(|h| h == "id")
        .with_context(|| format!("{} has no id column", path.display()))?;
    // Columns that name no field (FEBRL's suburb, say) are not read.
    let columns: Vec<(usize, Field)> = header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| Some((i, h.parse::<Field>().ok()?)))
        .collect();
    reader
        .records()
        .map(|row| {
            let row = row?;
            Ok(Record::new(
                &row[id],
                columns.iter().map(|&(i, f)| (f, &row[i])),
            ))
        })
        .collect()
}

/// The true pairs, each with its ids in order, as the prediction gives them.
fn read_truth(path: &Path) -> anyhow::Result<BTreeSet<(String, String)>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("opening {}", path.display()))?;
    reader
        .deserialize::<(String, String)>()
        .map(|pair| {
            let (a, b) = pair?;
            Ok(if a < b { (a, b) } else { (b, a) })
        })
        .collect()
}

/// Writes the clothing shop's customer records of a demo world (the web shop's and the
/// till's, with their planted mess) into `dir` as records.csv and truth.csv: the
/// records are the profiles that carry linkage fields, the true pairs are two records
/// of one human. Says how many of each it wrote.
pub fn write_demo_set(
    seed: u64,
    people: usize,
    anchor: DateTime<Utc>,
    dir: &Path,
) -> anyhow::Result<(usize, usize)> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let clothing = demo::world()
        .providers
        .iter()
        .position(|p| p.slug == "clothing")
        .context("the demo world has no clothing shop")?;
    let mut records = csv::Writer::from_path(dir.join("records.csv"))?;
    let mut truth = csv::Writer::from_path(dir.join("truth.csv"))?;
    records.write_record(std::iter::once("id").chain(Field::ALL.iter().map(|f| f.as_str())))?;
    truth.write_record(["a", "b"])?;
    let bar = ProgressBar::new(people as u64).with_style(
        ProgressStyle::with_template("[{bar:40}] {pos}/{len} people ({per_sec}, {eta} left)")?
            .progress_chars("=> "),
    );
    let (mut written, mut pairs) = (0, 0);
    for chunk in demo::people(seed, people, anchor, 10_000) {
        for profile in &chunk.profiles[clothing] {
            let field = |f: Field| profile.attributes.get(f.as_str()).and_then(|v| v.as_str());
            if Field::ALL.iter().all(|&f| field(f).is_none()) {
                continue;
            }
            let id = profile.id.to_string();
            records.write_record(
                std::iter::once(id.as_str())
                    .chain(Field::ALL.iter().map(|&f| field(f).unwrap_or_default())),
            )?;
            written += 1;
        }
        for human in &chunk.truth {
            let mine: Vec<String> = human
                .iter()
                .filter(|(p, _)| *p == clothing)
                .map(|(_, id)| id.to_string())
                .collect();
            for (i, a) in mine.iter().enumerate() {
                for b in &mine[i + 1..] {
                    truth.write_record([a, b])?;
                    pairs += 1;
                }
            }
        }
        bar.inc(chunk.truth.len() as u64);
    }
    bar.finish_and_clear();
    records.flush()?;
    truth.flush()?;
    Ok((written, pairs))
}
