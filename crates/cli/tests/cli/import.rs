//! `motesplats import`: files from tills and CRMs, through the API's checks, into the store.

use super::{motesplats, provider, text};
use motesplats_core::{PageRequest, ProviderId};
use motesplats_store::{ProfileFilter, QuarantineFilter, Store, TouchpointFilter};
use std::collections::HashSet;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import");

/// Runs an import that must succeed; its summary.
fn import(args: &[&str]) -> String {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    let out = motesplats(&all);
    assert!(
        out.status.success(),
        "import failed: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// Runs an import that rejects rows: it must end with status 1; its summary and the
/// reasons it gave.
fn import_rejecting(args: &[&str]) -> (String, String) {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    let out = motesplats(&all);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    (text(&out.stdout), text(&out.stderr))
}

/// The number after `label:` in a summary.
fn count(summary: &str, label: &str) -> u64 {
    let line = summary
        .lines()
        .find(|l| l.starts_with(&format!("{label}:")))
        .unwrap_or_else(|| panic!("no {label:?} in {summary}"));
    line[label.len() + 1..]
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {line:?}"))
}

/// (rows read, imported, already there, rejected).
fn counts(summary: &str) -> (u64, u64, u64, u64) {
    (
        count(summary, "rows read"),
        count(summary, "imported"),
        count(summary, "already there"),
        count(summary, "rejected"),
    )
}

/// The rows of an error file: (row, field, reason, raw).
fn rejected(path: &Path) -> Vec<(u64, String, String, String)> {
    let mut reader = csv::Reader::from_path(path).expect("the error file");
    assert_eq!(
        reader.headers().unwrap(),
        vec!["row", "field", "reason", "raw"]
    );
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[0].parse().unwrap(),
                r[1].to_string(),
                r[2].to_string(),
                r[3].to_string(),
            )
        })
        .collect()
}

fn copy_fixture(name: &str, dir: &Path) -> String {
    let to = dir.join(name);
    std::fs::copy(Path::new(FIXTURES).join(name), &to).unwrap();
    to.display().to_string()
}

async fn touchpoints(
    store: &Arc<dyn Store>,
    provider: ProviderId,
) -> Vec<motesplats_core::Touchpoint> {
    let filter = TouchpointFilter {
        page: PageRequest {
            limit: 1000,
            after: None,
        },
        ..Default::default()
    };
    store.touchpoints(provider, &filter).await.unwrap()
}

#[tokio::test]
async fn a_till_export_is_imported_once_with_its_bad_rows_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("x.db").display().to_string();
    let id = provider(&database, "Kafé Torget", "anna@kafe.example").0;
    let file = copy_fixture("kassa.csv", dir.path());
    let mapping = format!("{FIXTURES}/kassa.toml");
    let args = [
        "--provider",
        &id,
        "--file",
        &file,
        "--mapping",
        &mapping,
        "--database",
        &database,
    ];

    let (summary, why) = import_rejecting(&args);
    assert_eq!(counts(&summary), (6, 4, 0, 2), "{summary}");
    assert!(why.contains("2 of 6 rows were rejected"), "{why}");
    assert!(
        why.contains("1 × occurred_at, such as row 3: \"2025-13-40 09:00\""),
        "{why}"
    );
    assert!(
        why.contains("1 × identifiers[0].value, such as row 4"),
        "{why}"
    );
    let errors = dir.path().join("kassa.csv.rejected.csv");
    assert!(summary.contains(&errors.display().to_string()), "{summary}");
    let bad = rejected(&errors);
    let fields: Vec<(u64, &str)> = bad.iter().map(|(r, f, _, _)| (*r, f.as_str())).collect();
    assert_eq!(
        fields,
        [(3, "occurred_at"), (4, "identifiers[0].value")],
        "{bad:?}"
    );
    assert!(bad[0].2.contains("2025-13-40 09:00"), "{bad:?}");
    assert!(bad[0].2.contains("column \"Datum\""), "{bad:?}");
    assert!(bad[1].2.contains("column \"E-post\""), "{bad:?}");
    assert!(bad[1].3.starts_with("1003;1;"), "{bad:?}");

    let store = motesplats_store::open(&database).await.unwrap();
    let provider = ProviderId::from_str(&id).unwrap();
    let stored = touchpoints(&store, provider).await;
    assert_eq!(stored.len(), 4);
    let first = stored
        .iter()
        .find(|t| t.event_id.as_deref() == Some("1001-1"))
        .expect("row 1 by its event id");
    // 14:05 in Stockholm in November is 13:05 UTC.
    assert_eq!(first.occurred_at.to_rfc3339(), "2025-11-20T13:05:00+00:00");
    assert_eq!(first.channel.as_str(), "store");
    assert_eq!(first.phase.map(|p| p.as_str()), Some("during"));
    assert_eq!(first.properties["amount_sek"], 129.5);

    // Stitched before the command ended: Anna's three rows (one with her e-mail in
    // capitals) are one profile, Carl's another.
    assert!(stored.iter().all(|t| t.profile_id.is_some()));
    let profiles: HashSet<_> = stored.iter().map(|t| t.profile_id).collect();
    assert_eq!(profiles.len(), 2);
    let anna: HashSet<_> = stored
        .iter()
        .filter(|t| t.event_id.as_deref() != Some("1005-1"))
        .map(|t| t.profile_id)
        .collect();
    assert_eq!(anna.len(), 1);
    let all_profiles = store
        .profiles(provider, &ProfileFilter::default())
        .await
        .unwrap();
    assert_eq!(all_profiles.len(), 2);

    let quarantined = store
        .quarantined(
            provider,
            &QuarantineFilter::default(),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(quarantined.len(), 2);
    assert!(quarantined.iter().all(|q| q.source == "import"));
    assert_eq!(quarantined[0].errors[0].field, "occurred_at");
    // The quarantine keeps the reason with its code, so a page can say it.
    assert_ne!(quarantined[0].errors[0].reason.code(), "recorded");

    // The same file again: nothing new, nothing twice in the quarantine.
    let again = import_rejecting(&args).0;
    assert_eq!(counts(&again), (6, 0, 4, 2), "{again}");
    assert_eq!(touchpoints(&store, provider).await.len(), 4);
    let quarantined = store
        .quarantined(
            provider,
            &QuarantineFilter::default(),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(quarantined.len(), 2);
}

#[tokio::test]
async fn ndjson_lines_fail_alone_and_get_ids_when_they_have_none() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("x.db").display().to_string();
    let id = provider(&database, "Kafé Torget", "anna@kafe.example").0;
    let file = copy_fixture("crm.ndjson", dir.path());
    let args = ["--provider", &id, "--file", &file, "--database", &database];

    let summary = import_rejecting(&args).0;
    assert_eq!(counts(&summary), (4, 3, 0, 1), "{summary}");
    let bad = rejected(&dir.path().join("crm.ndjson.rejected.csv"));
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].0, 3);
    assert!(bad[0].2.starts_with("is not valid JSON: "), "{bad:?}");
    assert!(bad[0].3.contains("crm-3"));

    let store = motesplats_store::open(&database).await.unwrap();
    let provider = ProviderId::from_str(&id).unwrap();
    let stored = touchpoints(&store, provider).await;
    assert_eq!(stored.len(), 3);
    assert!(stored.iter().any(|t| {
        t.event_id
            .as_deref()
            .is_some_and(|e| e.starts_with("sha256:"))
    }));
    let k1: HashSet<_> = stored
        .iter()
        .filter(|t| t.event_id.as_deref().is_some_and(|e| e.starts_with("crm-")))
        .map(|t| t.profile_id)
        .collect();
    assert_eq!(k1.len(), 1);
    assert!(k1.iter().all(Option::is_some));

    let again = import_rejecting(&args).0;
    assert_eq!(counts(&again), (4, 0, 3, 1), "{again}");
    assert_eq!(touchpoints(&store, provider).await.len(), 3);
}

#[test]
fn fatal_problems_stop_the_import_before_any_row() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("x.db").display().to_string();
    let id = provider(&database, "Kafé Torget", "anna@kafe.example").0;
    let file = copy_fixture("kassa.csv", dir.path());
    let run = |extra: &[&str]| {
        let mut args = vec!["import", "--file", &file, "--database", &database];
        args.extend_from_slice(extra);
        let out = motesplats(&args);
        assert!(!out.status.success(), "{}", text(&out.stdout));
        text(&out.stderr)
    };

    let bad = format!("{FIXTURES}/bad.toml");
    let stderr = run(&["--provider", &id, "--mapping", &bad]);
    assert!(
        stderr.contains("identifiers[1].kind: unknown value \"fax\"; expected one of"),
        "{stderr}"
    );

    let wrong_column = dir.path().join("wrong.toml");
    let good = std::fs::read_to_string(format!("{FIXTURES}/kassa.toml")).unwrap();
    std::fs::write(&wrong_column, good.replace("\"Datum\"", "\"datum\"")).unwrap();
    let stderr = run(&[
        "--provider",
        &id,
        "--mapping",
        &wrong_column.display().to_string(),
    ]);
    assert!(
        stderr.contains("occurred_at.column: no column \"datum\" in the file header"),
        "{stderr}"
    );

    let mapping = format!("{FIXTURES}/kassa.toml");
    let stranger = ProviderId::new().to_string();
    let stderr = run(&["--provider", &stranger, "--mapping", &mapping]);
    assert!(
        stderr.contains(&format!("provider: no provider {stranger}")),
        "{stderr}"
    );

    let stderr = run(&["--provider", &id]);
    assert!(
        stderr.contains("mapping: a CSV file needs --mapping"),
        "{stderr}"
    );

    let missing = dir.path().join("gone.csv").display().to_string();
    let out = motesplats(&[
        "import",
        "--provider",
        &id,
        "--file",
        &missing,
        "--mapping",
        &mapping,
        "--database",
        &database,
    ]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("file: cannot read"));

    // Nothing was imported, and no error file was written.
    assert!(!dir.path().join("kassa.csv.rejected.csv").exists());
    let (summary, _) = import_rejecting(&[
        "--provider",
        &id,
        "--file",
        &file,
        "--mapping",
        &mapping,
        "--database",
        &database,
    ]);
    assert_eq!(count(&summary, "imported"), 4, "{summary}");
}

#[tokio::test]
async fn a_headerless_aligned_purchase_history_keeps_identical_rows_apart() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("x.db").display().to_string();
    let id = provider(&database, "Skivbutiken", "sam@skivor.example").0;
    let file = copy_fixture("cdnow.txt", dir.path());
    let mapping = format!("{FIXTURES}/cdnow.toml");
    let args = [
        "--provider",
        &id,
        "--file",
        &file,
        "--mapping",
        &mapping,
        "--format",
        "csv",
        "--database",
        &database,
    ];

    let (summary, why) = import_rejecting(&args);
    assert_eq!(counts(&summary), (9, 8, 0, 1), "{summary}");
    assert!(why.contains("1 of 9 rows were rejected"), "{why}");
    assert!(
        why.contains("1 × occurred_at, such as row 8: \"19971332\""),
        "{why}"
    );
    let bad = rejected(&dir.path().join("cdnow.txt.rejected.csv"));
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].3, "00004 19971332 1 29.33");

    let store = motesplats_store::open(&database).await.unwrap();
    let provider = ProviderId::from_str(&id).unwrap();
    let stored = touchpoints(&store, provider).await;
    let mut ids: Vec<&str> = stored
        .iter()
        .filter_map(|t| t.event_id.as_deref())
        .collect();
    ids.sort();
    // Rows 2 and 3 are the same purchase made twice; the blank line is not a row.
    assert_eq!(
        ids,
        [
            "cdnow-1", "cdnow-2", "cdnow-3", "cdnow-4", "cdnow-5", "cdnow-6", "cdnow-7", "cdnow-9"
        ]
    );
    // Date-only values are kept as days, at the start of the day in the mapping's zone.
    let first = stored
        .iter()
        .find(|t| t.event_id.as_deref() == Some("cdnow-1"))
        .unwrap();
    assert_eq!(
        first.occurred_on.map(|d| d.to_string()).as_deref(),
        Some("1997-01-01")
    );
    assert_eq!(first.occurred_at.to_rfc3339(), "1997-01-01T00:00:00+00:00");
    let cents: i64 = stored
        .iter()
        .map(|t| (t.properties["amount_usd"].as_f64().unwrap() * 100.0).round() as i64)
        .sum();
    assert_eq!(cents, 1177 + 1200 + 1200 + 7700 + 2076 + 2076 + 1954 + 1496);
    let customers: HashSet<_> = stored.iter().map(|t| t.profile_id).collect();
    assert_eq!(customers.len(), 4);
    assert!(customers.iter().all(Option::is_some));

    let again = import_rejecting(&args).0;
    assert_eq!(counts(&again), (9, 0, 8, 1), "{again}");

    // With the date mended in the file, the row lands and the command succeeds.
    let mended = std::fs::read_to_string(&file)
        .unwrap()
        .replace("19971332", "19971231");
    std::fs::write(&file, mended).unwrap();
    let fixed = import(&args);
    assert_eq!(counts(&fixed), (9, 1, 8, 0), "{fixed}");

    // A column past the end of the first row is named before any row is read.
    let wide = dir.path().join("wide.toml");
    let text_of = std::fs::read_to_string(&mapping).unwrap();
    std::fs::write(&wide, text_of.replace("column = \"4\"", "column = \"5\"")).unwrap();
    let wide = wide.display().to_string();
    let mut with_wide = args;
    with_wide[5] = &wide;
    let out = motesplats(&[&["import"][..], &with_wide[..]].concat());
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("properties[1].column: no column 5;"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test]
async fn a_customer_register_gives_its_profiles_names_and_addresses_for_linkage() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("x.db").display().to_string();
    let id = provider(&database, "Modehuset", "kim@modehuset.example").0;
    let file = dir.path().join("kunder.csv");
    std::fs::write(
        &file,
        "Kvitto;Datum;Kundnr;Förnamn;Efternamn;Född;Gata;Postnr\n\
         1;2025-11-20 14:05;K1;Åsa;Öberg;1956-09-09;Storgatan 1;111 22\n\
         2;2025-11-21 10:00;K1;;;;;\n\
         3;2025-11-21 11:00;K2;Bo;Ek;1950-01-01;Kyrkvägen 2;222 33\n",
    )
    .unwrap();
    let mapping = dir.path().join("kunder.toml");
    std::fs::write(
        &mapping,
        r#"
        event_id = "kassa-{Kvitto}"
        occurred_at = { column = "Datum", format = "%Y-%m-%d %H:%M" }
        channel = { value = "store" }
        kind = { value = "purchase" }
        identifiers = [ { kind = "customer_number", column = "Kundnr" } ]
        attributes = [
            { column = "Förnamn", name = "given_name" },
            { column = "Efternamn", name = "family_name" },
            { column = "Född", name = "birth_date" },
            { column = "Gata", name = "street" },
            { column = "Postnr", name = "postcode" },
        ]
        delimiter = ";"
        "#,
    )
    .unwrap();
    let summary = import(&[
        "--provider",
        &id,
        "--file",
        &file.display().to_string(),
        "--mapping",
        &mapping.display().to_string(),
        "--database",
        &database,
    ]);
    assert_eq!(counts(&summary), (3, 3, 0, 0), "{summary}");

    let store = motesplats_store::open(&database).await.unwrap();
    let provider = ProviderId::from_str(&id).unwrap();
    let filter = ProfileFilter {
        identifier: Some(motesplats_core::Identifier {
            kind: motesplats_core::IdentifierKind::CustomerNumber,
            value: "K1".into(),
        }),
        ..Default::default()
    };
    let asa = &store.profiles(provider, &filter).await.unwrap()[0];
    // The second receipt's empty cells left her name and address as they were.
    assert_eq!(
        serde_json::Value::Object(asa.attributes.clone()),
        serde_json::json!({"given_name": "Åsa", "family_name": "Öberg",
            "birth_date": "1956-09-09", "street": "Storgatan 1", "postcode": "111 22"})
    );
    let records = store.linkage_records(provider).await.unwrap();
    assert_eq!(records.len(), 2);
    let waiting = store.linkage_pending(100).await.unwrap();
    assert_eq!(waiting[0].1.len(), 2, "both wait for linkage");
}

/// An export of Segment-shaped messages: mapped as the tracking endpoints map them,
/// stored once however often it is imported, the bad message kept as a message.
#[tokio::test]
async fn a_segment_export_is_imported_as_the_tracking_endpoints_take_it() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("s.db").display().to_string();
    let id = provider(&database, "Kanelbullen", "eva@kanelbullen.example").0;
    let file = copy_fixture("segment_export.ndjson", dir.path());
    let args = [
        "--provider",
        &id,
        "--file",
        &file,
        "--format",
        "segment",
        "--database",
        &database,
    ];
    let (summary, why) = import_rejecting(&args);
    assert_eq!(counts(&summary), (5, 3, 0, 1), "{summary}");
    assert_eq!(count(&summary, "skipped"), 1, "{summary}");
    assert!(why.contains("1 × messageId, such as row 4"), "{why}");

    let store = motesplats_store::open(&database).await.unwrap();
    let provider = ProviderId::from_str(&id).unwrap();
    let stored = touchpoints(&store, provider).await;
    let by_id = |id: &str| {
        stored
            .iter()
            .find(|t| t.event_id.as_deref() == Some(id))
            .unwrap()
    };
    assert_eq!(by_id("s-2").kind.as_str(), "purchase");
    assert_eq!(by_id("s-2").channel.as_str(), "app");
    assert_eq!(by_id("s-3").channel.as_str(), "social_media");
    // Without a timestamp, the time the export says it first arrived.
    assert_eq!(
        by_id("s-3").occurred_at.to_rfc3339(),
        "2025-09-30T19:45:00+00:00"
    );
    let profiles: HashSet<_> = stored.iter().map(|t| t.profile_id).collect();
    assert_eq!(profiles.len(), 1, "identify joined the ids: {stored:?}");
    assert!(profiles.iter().all(Option::is_some));

    let (summary, _) = import_rejecting(&args);
    assert_eq!(counts(&summary), (5, 0, 3, 1), "{summary}");
    let held = store
        .quarantined(
            provider,
            &QuarantineFilter {
                source: Some("tracking".into()),
                field: None,
            },
            PageRequest {
                limit: 10,
                after: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(held.len(), 1, "kept once: {held:?}");
    assert_eq!(held[0].errors[0].field, "messageId");

    // A mapping does not apply to messages of the spec.
    let mut with_mapping = args.to_vec();
    let mapping = format!("{FIXTURES}/kassa.toml");
    with_mapping.extend(["--mapping", &mapping]);
    let out = motesplats(&[&["import"][..], &with_mapping].concat());
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("--format segment needs no mapping"));
}
