//! `motesplats demo`: the world is generated and written a chunk of people at a time.

use super::{motesplats, ok, text};

#[test]
fn demo_writes_every_chunk_of_people() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db").display().to_string();
    // Three chunks, the last one partial.
    let out = text(&ok(&["demo", "--people", "3100", "--database", &db]));
    let said = |after: &str| -> i64 {
        out.split_once(after)
            .and_then(|(before, _)| before.rsplit(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no count before {after:?} in {out}"))
    };
    assert_eq!(said(" providers,"), 5);
    assert_eq!(said(" people,"), 3100);

    let c = rusqlite::Connection::open(&db).unwrap();
    let count = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM profiles"), said(" profiles,"));
    assert_eq!(
        count("SELECT count(*) FROM touchpoints"),
        said(" touchpoints")
    );
    assert_eq!(
        count("SELECT count(*) FROM touchpoints WHERE profile_id IS NULL"),
        0,
        "every touchpoint is on its profile"
    );
    assert_eq!(count("SELECT count(*) FROM network_members"), 5);

    let again = motesplats(&["demo", "--people", "10", "--database", &db]);
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("already holds providers"));
}

/// The clothing shop's records in FEBRL's shape: every true pair names two of the
/// records written, and the linkage benchmark finds most of them again.
#[test]
fn demo_writes_a_linkage_set_the_benchmark_links() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("set");
    let set_arg = set.display().to_string();
    let out = text(&ok(&[
        "demo",
        "--people",
        "4000",
        "--anchor",
        "2026-12-01T00:00:00Z",
        "--linkage-set",
        &set_arg,
    ]));
    let mut words = out.split(' ');
    let records: usize = words.next().and_then(|n| n.parse().ok()).unwrap();
    let pairs: usize = words.nth(2).and_then(|n| n.parse().ok()).unwrap();
    assert!(records > 2000 && pairs > 300, "{out}");

    let ids: std::collections::HashSet<String> = std::fs::read_to_string(set.join("records.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), records);
    let truth = std::fs::read_to_string(set.join("truth.csv")).unwrap();
    assert_eq!(truth.lines().count() - 1, pairs);
    for line in truth.lines().skip(1) {
        let (a, b) = line.split_once(',').unwrap();
        assert!(ids.contains(a) && ids.contains(b) && a != b, "{line}");
    }

    let records_csv = set.join("records.csv").display().to_string();
    let truth_csv = set.join("truth.csv").display().to_string();
    let line = text(&ok(&[
        "bench",
        "linkage",
        "--records",
        &records_csv,
        "--truth",
        &truth_csv,
        "--rule",
        "family_name,birth_date",
        "--rule",
        "given_name,birth_date",
        "--rule",
        "postcode,given_name",
        "--rule",
        "postcode,birth_date",
    ]));
    let found: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(found["records"], records);
    assert_eq!(found["pairs_true"], pairs);
    assert!(found["precision"].as_f64().unwrap() > 0.9, "{found}");
    assert!(found["recall"].as_f64().unwrap() > 0.8, "{found}");
}
