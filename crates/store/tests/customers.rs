//! The customer list and a profile's story in order of occurrence, on SQLite always
//! and on PostgreSQL when `MOTESPLATS_TEST_POSTGRES` names a server.

use chrono::{DateTime, Utc};
use motesplats_core::touchpoint::TouchpointInput;
use motesplats_core::{
    Cursor, Identifier, IdentifierKind, NewProfile, NewProvider, NewTouchpoint, PageRequest,
    ProfileId, ProfileSearch, ProviderId,
};
use motesplats_store::postgres::testing::TestDatabase;
use motesplats_store::{CustomerQuery, Stitch, Store, TouchpointFilter};
use serde_json::json;
use std::sync::Arc;

fn profile(name: &str, ids: &[(IdentifierKind, &str)]) -> NewProfile {
    NewProfile {
        id: ProfileId::new(),
        display_name: Some(name.into()),
        identifiers: ids
            .iter()
            .map(|(k, v)| Identifier::parse(*k, v, "SE").unwrap())
            .collect(),
        attributes: Default::default(),
    }
}

async fn names(store: &Arc<dyn Store>, reader: ProviderId, q: &CustomerQuery) -> Vec<String> {
    store
        .customers(reader, q)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.profile.display_name.unwrap())
        .collect()
}

fn search(q: &str) -> CustomerQuery {
    CustomerQuery {
        search: ProfileSearch::parse(q, "SE").unwrap(),
        ..Default::default()
    }
}

async fn customers_story(store: Arc<dyn Store>) {
    let cafe = store
        .create_provider(NewProvider::parse(Some("Kafé"), None, None).unwrap())
        .await
        .unwrap()
        .id;
    let bank = store
        .create_provider(NewProvider::parse(Some("Banken"), None, None).unwrap())
        .await
        .unwrap()
        .id;
    use IdentifierKind::*;
    let mut made = Vec::new();
    for p in [
        profile(
            "Åsa Öberg",
            &[(Email, "asa@example.se"), (Phone, "070-123 45 67")],
        ),
        profile("Bo Ek", &[(CustomerNumber, "M1000042")]),
        profile("Cia Lund", &[(LoyaltyCard, "639010000007")]),
        profile("Dan Åström", &[]),
    ] {
        // One at a time: ids are time-ordered, so the list's order is known.
        made.extend(store.create_profiles(cafe, vec![p]).await.unwrap());
    }
    // Another provider's customer with the same e-mail and name is never found.
    store
        .create_profiles(
            bank,
            vec![profile("Åsa Öberg", &[(Email, "asa@example.se")])],
        )
        .await
        .unwrap();

    assert_eq!(
        names(&store, cafe, &CustomerQuery::default()).await,
        ["Dan Åström", "Cia Lund", "Bo Ek", "Åsa Öberg"],
        "newest first"
    );
    assert_eq!(
        names(&store, cafe, &search("ASA@Example.se")).await,
        ["Åsa Öberg"]
    );
    assert_eq!(
        names(&store, cafe, &search("+46 70 123 45 67")).await,
        ["Åsa Öberg"]
    );
    assert_eq!(names(&store, cafe, &search("M1000042")).await, ["Bo Ek"]);
    assert_eq!(
        names(&store, cafe, &search("639010000007")).await,
        ["Cia Lund"]
    );
    assert_eq!(
        names(&store, cafe, &search("ÅS")).await,
        ["Dan Åström", "Åsa Öberg"],
        "a name matches anywhere, in any case, in every script"
    );
    assert!(
        names(&store, cafe, &search("nobody@example.se"))
            .await
            .is_empty()
    );
    assert_eq!(names(&store, bank, &search("åsa")).await, ["Åsa Öberg"]);
    assert_eq!(store.customers(bank, &search("ÅS")).await.unwrap().len(), 1);

    // Pages: forwards with `after`, back with `before`, joining up without gaps.
    let page = |after: Option<ProfileId>, before: Option<ProfileId>| CustomerQuery {
        search: None,
        page: PageRequest {
            limit: 3,
            after: after.map(|a| Cursor(a.0)),
        },
        before: before.map(|b| Cursor(b.0)),
    };
    let first = store.customers(cafe, &page(None, None)).await.unwrap();
    assert_eq!(first.len(), 3);
    let second = store
        .customers(cafe, &page(Some(first[2].profile.id), None))
        .await
        .unwrap();
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].profile.id, made[0].id);
    let back = store
        .customers(cafe, &page(None, Some(second[0].profile.id)))
        .await
        .unwrap();
    assert_eq!(
        back, first,
        "paging back gives the first page again, in order"
    );

    // The size of the story and when it last happened, whatever order it was recorded in.
    let channels = store.channels(cafe).await.unwrap();
    let at = |t: &str| -> NewTouchpoint {
        let input: TouchpointInput = serde_json::from_value(json!({
            "profile_id": made[0].id, "channel": "store", "kind": "purchase", "occurred_at": t
        }))
        .unwrap();
        NewTouchpoint::parse(
            input,
            "SE",
            |k| channels.iter().any(|c| c.key.as_str() == k),
            Utc::now(),
        )
        .unwrap()
    };
    let times = [
        "2026-11-20T09:00:00Z",
        "2026-11-22T09:00:00Z",
        "2026-11-18T09:00:00Z",
        "2026-11-21T09:00:00Z",
    ];
    for t in times {
        store
            .insert_touchpoints(cafe, vec![at(t)], Utc::now(), Stitch::Now)
            .await
            .unwrap();
    }
    let asa = store
        .customers(cafe, &search("asa@example.se"))
        .await
        .unwrap();
    assert_eq!(asa[0].touchpoints, 4);
    assert_eq!(
        asa[0].last_seen,
        Some("2026-11-22T09:00:00Z".parse::<DateTime<Utc>>().unwrap())
    );
    assert_eq!(
        store.customers(cafe, &search("Bo")).await.unwrap()[0].touchpoints,
        0
    );

    // The story in order of occurrence, paged by a touchpoint's id.
    let story = |after: Option<Cursor>, newest_first: bool| TouchpointFilter {
        page: PageRequest { limit: 2, after },
        profile: Some(made[0].id),
        by_occurrence: true,
        newest_first,
        ..Default::default()
    };
    let p1 = store.touchpoints(cafe, &story(None, false)).await.unwrap();
    let p2 = store
        .touchpoints(cafe, &story(Some(Cursor(p1[1].id.0)), false))
        .await
        .unwrap();
    let seen: Vec<String> = [p1, p2.clone()]
        .concat()
        .iter()
        .map(|t| t.occurred_at.to_rfc3339())
        .collect();
    let mut sorted: Vec<String> = times
        .iter()
        .map(|t| t.parse::<DateTime<Utc>>().unwrap().to_rfc3339())
        .collect();
    sorted.sort();
    assert_eq!(seen, sorted);
    let back = store
        .touchpoints(cafe, &story(Some(Cursor(p2[0].id.0)), true))
        .await
        .unwrap();
    assert_eq!(back.len(), 2, "newest first from the cursor goes back");
    assert!(back[0].occurred_at > back[1].occurred_at);

    // Every listed profile is in its person's access log.
    let log = store.access_log(made[1].person_id, 50).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "profile" && e.provider_id == cafe)
    );
}

#[tokio::test]
async fn sqlite_customers() {
    let dir = tempfile::tempdir().unwrap();
    let store = motesplats_store::open(dir.path().join("c.db").to_str().unwrap())
        .await
        .unwrap();
    customers_story(store).await;
}

#[tokio::test]
async fn postgres_customers() {
    let Some(db) = TestDatabase::create("postgres_customers").await else {
        return;
    };
    let store = motesplats_store::open(&db.url).await.unwrap();
    customers_story(store).await;
    db.drop_database().await;
}
