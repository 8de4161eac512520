//! Linkage quality on FEBRL 1 (1000 synthetic records, 500 true pairs), held to
//! Splink's figures on the same records, fields and blocking rules as recorded by
//! `scripts/peers/febrl.sh --fixture`. The timed comparison is `scripts/bench/febrl.sh`.

use motesplats_core::linkage::{Class, Field, Prepared, Record, Rule, Settings, Thresholds, train};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/febrl1")
        .join(name)
}

fn records() -> Vec<Record> {
    let mut reader = csv::Reader::from_path(fixture("records.csv")).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|row| {
            let row = row.unwrap();
            let fields = header[1..]
                .iter()
                .zip(row.iter().skip(1))
                .map(|(h, v)| (h.parse::<Field>().unwrap(), v));
            Record::new(&row[0], fields)
        })
        .collect()
}

#[test]
fn febrl1_links_at_least_as_well_as_splink() {
    let truth: BTreeSet<(String, String)> = csv::Reader::from_path(fixture("truth.csv"))
        .unwrap()
        .deserialize()
        .map(Result::unwrap)
        .collect();
    let splink: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("splink.json")).unwrap()).unwrap();
    let prepared = Prepared::new(&records()).unwrap();
    // A fifth of the bench's random pairs for u: the test runs unoptimised.
    let settings = Settings {
        u_pairs: 200_000,
        ..Settings::new(Rule::defaults(), Thresholds::new(0.9, 0.5).unwrap())
    };
    let model = train(&prepared, &settings).unwrap().model;
    let linked: Vec<(String, String)> = motesplats_core::linkage::link(&model, &prepared)
        .unwrap()
        .pairs
        .into_iter()
        .filter(|p| p.class == Class::Link)
        .map(|p| (p.a, p.b))
        .collect();
    let right = linked.iter().filter(|p| truth.contains(p)).count() as f64;
    let precision = right / linked.len() as f64;
    let recall = right / truth.len() as f64;
    let f1 = 2.0 * precision * recall / (precision + recall);
    let theirs = splink["f1"].as_f64().unwrap();
    println!(
        "motesplats: precision {precision:.4} recall {recall:.4} f1 {f1:.4}; splink: precision {} recall {} f1 {theirs}",
        splink["precision"], splink["recall"]
    );
    assert!(f1 >= theirs, "F1 {f1:.4} is below Splink's {theirs}");
}
