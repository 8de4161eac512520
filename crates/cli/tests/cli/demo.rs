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
