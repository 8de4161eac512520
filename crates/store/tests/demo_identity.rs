//! The demo world's customers, written as the demo writes them, stitched into
//! persons on each backend and scored against the truth the demo keeps: household
//! e-mails and family tablets must never make two humans one person, and both
//! backends must give the same persons.

use chrono::{TimeZone, Utc};
use motesplats_core::identity::score;
use motesplats_core::{Identifier, demo};
use motesplats_store::Store;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

const PEOPLE: usize = 1500;

/// Writes the world's profiles and truth; returns each provider's (person, human)
/// rows, sorted, in the world's provider order.
async fn persons(store: Arc<dyn Store>) -> Vec<Vec<(String, u64)>> {
    let world = demo::world();
    let mut members = Vec::new();
    for p in &world.providers {
        members.push(store.create_provider(p.provider.clone()).await.unwrap().id);
    }
    let anchor = Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap();
    let mut people = 0u64;
    for chunk in demo::people(7, PEOPLE, anchor, 500) {
        let mut truth = vec![Vec::new(); members.len()];
        for (n, profiles) in chunk.truth.iter().enumerate() {
            for &(p, profile) in profiles {
                truth[p].push((profile, people + n as u64));
            }
        }
        people += chunk.truth.len() as u64;
        for ((&provider, profiles), truth) in members.iter().zip(chunk.profiles).zip(truth) {
            store.create_profiles(provider, profiles).await.unwrap();
            store.set_identity_truth(provider, truth).await.unwrap();
        }
    }
    let mut out = Vec::new();
    for provider in members {
        let mut rows: Vec<(String, u64)> = store
            .identity_truth(provider)
            .await
            .unwrap()
            .into_iter()
            .map(|(person, human)| (person.to_string(), human))
            .collect();
        rows.sort();
        out.push(rows);
    }
    out
}

/// How many identifiers the world puts on profiles of two or more humans at one
/// provider: the household e-mails and family tablets the rules must see through.
fn planted() -> usize {
    let anchor = Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap();
    let mut humans: BTreeMap<(usize, Identifier), BTreeSet<usize>> = BTreeMap::new();
    let mut n = 0;
    for chunk in demo::people(7, PEOPLE, anchor, 500) {
        let mut human_of = BTreeMap::new();
        for (h, profiles) in chunk.truth.iter().enumerate() {
            for &(_, profile) in profiles {
                human_of.insert(profile, n + h);
            }
        }
        for (p, profiles) in chunk.profiles.iter().enumerate() {
            for profile in profiles {
                for i in &profile.identifiers {
                    humans
                        .entry((p, i.clone()))
                        .or_default()
                        .insert(human_of[&profile.id]);
                }
            }
        }
        n += chunk.truth.len();
    }
    humans
        .into_iter()
        .filter(|((_, i), h)| h.len() > 1 && i.value != "0")
        .count()
}

fn check(rows: &[Vec<(String, u64)>]) {
    let mut merged = 0;
    for provider in rows {
        let s = score(provider);
        assert_eq!(
            s.false_pairs(),
            0,
            "a shared identifier made two humans one person"
        );
        merged += s.correct_pairs;
    }
    assert!(
        merged > 50,
        "the demo's sources were joined: {merged} pairs"
    );
}

#[tokio::test]
async fn households_never_merge_and_both_stores_agree_on_the_demo_world() {
    let planted = planted();
    assert!(
        planted > 30,
        "the demo plants household e-mails and tablets: {planted}"
    );
    let dir = tempfile::tempdir().unwrap();
    let sqlite = motesplats_store::open(dir.path().join("d.db").to_str().unwrap())
        .await
        .unwrap();
    let expected = persons(sqlite).await;
    check(&expected);
    let Some(db) = motesplats_store::postgres::testing::TestDatabase::create("demo_identity").await
    else {
        return;
    };
    let pg = motesplats_store::open(&db.url).await.unwrap();
    assert_eq!(persons(pg).await, expected, "PostgreSQL stitched otherwise");
    db.drop_database().await;
}
