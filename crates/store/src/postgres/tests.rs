//! PostgreSQL-only checks: the same outcomes as SQLite for the same ingestion batches
//! and research-project and survey calls, and resolvers, writers and saves in parallel. Each test makes its own database
//! on the server `MOTESPLATS_TEST_POSTGRES` names, and is skipped without one.

use super::PgStore;
use super::testing::TestDatabase;
use crate::sqlite::SqliteStore;
use crate::{Outcome, ResponseWrite, Stitch, Store, StoreError, StoredProject, TouchpointFilter};
use chrono::{DateTime, TimeZone, Utc};
use motesplats_core::survey::{
    AnchorInput, Answer, QuestionInput, Response, ResponseId, ResponseInput, SectionInput, Survey,
    SurveyId, SurveyInput, SurveyKey, SurveyStatus, TextInput,
};
use motesplats_core::touchpoint::Subject;
use motesplats_core::{
    ChannelKey, FieldError, Identifier, IdentifierKind, Initiator, NewProfile, NewProvider,
    NewTouchpoint, PageRequest, ProfileId, ProviderId, TouchpointId, TouchpointKind,
};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use uuid::Uuid;

fn email(v: &str) -> Identifier {
    Identifier::parse(IdentifierKind::Email, v, "SE").unwrap()
}

fn event(event_id: Option<&str>, subject: Subject, minute: u32) -> NewTouchpoint {
    NewTouchpoint {
        id: TouchpointId::new(),
        event_id: event_id.map(str::to_string),
        subject,
        channel: ChannelKey::parse("web").unwrap(),
        kind: TouchpointKind::parse("visit").unwrap(),
        occurred_at: Utc.with_ymd_and_hms(2026, 11, 20, 10, minute, 0).unwrap(),
        occurred_on: None,
        initiator: Initiator::parse("person").unwrap(),
        setting: None,
        phase: None,
        properties: json!({"n": minute, "nested": {"b": 1.5, "a": [1, "x"]}})
            .as_object()
            .unwrap()
            .clone(),
        attributes: Default::default(),
        flags: Vec::new(),
    }
}

fn emails(vs: &[&str]) -> Subject {
    Subject::Identifiers(vs.iter().map(|v| email(v)).collect())
}

/// Replaces every UUID in `v` by its order of first appearance and drops the times
/// rows were made at, so runs that made different random ids at other moments can be
/// compared.
fn normalise(v: &mut Value, seen: &mut HashMap<String, usize>) {
    match v {
        Value::String(s) if Uuid::parse_str(s).is_ok() => {
            let n = seen.len();
            *s = format!("#{}", seen.entry(s.clone()).or_insert(n));
        }
        Value::Array(a) => a.iter_mut().for_each(|x| normalise(x, seen)),
        Value::Object(o) => {
            o.remove("created_at");
            o.values_mut().for_each(|x| normalise(x, seen));
        }
        _ => {}
    }
}

fn outcomes_json(out: &[Outcome]) -> Value {
    out.iter()
        .map(|o| match o {
            Outcome::Stored(t) => json!({"stored": t, "profile": t.profile_id}),
            Outcome::Duplicate(t) => json!({"duplicate": t, "profile": t.profile_id}),
            Outcome::Rejected(e) => json!({"rejected": e.to_string()}),
        })
        .collect()
}

/// One ingestion story, told to `store`; returns what it saw, ids normalised.
async fn ingestion(
    store: Arc<dyn Store>,
    anna: &NewProfile,
    batches: &[(Vec<NewTouchpoint>, Stitch)],
    at: DateTime<Utc>,
) -> Value {
    let cafe = store
        .create_provider(NewProvider::parse(Some("Kafé"), None, None).unwrap())
        .await
        .unwrap();
    let profiles = store
        .create_profiles(cafe.id, vec![anna.clone()])
        .await
        .unwrap();
    let mut log = vec![json!({"provider": cafe.id})];
    for (batch, stitch) in batches {
        let out = store
            .insert_touchpoints(cafe.id, batch.clone(), at, *stitch)
            .await
            .unwrap();
        log.push(outcomes_json(&out));
        let listed = store
            .touchpoints(cafe.id, &TouchpointFilter::default())
            .await
            .unwrap();
        log.push(json!({"listed": listed}));
    }
    log.push(json!({"placed": store.resolve_pending(1).await.unwrap()}));
    log.push(json!({"placed": store.resolve_pending(1000).await.unwrap()}));
    log.push(json!({"placed": store.resolve_pending(1000).await.unwrap()}));
    let listed = store
        .touchpoints(cafe.id, &TouchpointFilter::default())
        .await
        .unwrap();
    log.push(json!({"listed": listed}));
    let persons = store
        .persons(cafe.id, PageRequest::default())
        .await
        .unwrap();
    log.push(json!({ "persons": persons }));
    let access = store
        .access_log(profiles[0].person_id, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| json!([e.profile_id, e.action]))
        .collect::<Vec<_>>();
    log.push(json!({ "anna_access": access }));
    let mut v = Value::Array(log);
    normalise(&mut v, &mut HashMap::new());
    v
}

#[tokio::test]
async fn ingestion_matches_sqlite() {
    let Some(db) = TestDatabase::create("ingestion_matches_sqlite").await else {
        return;
    };
    let anna = NewProfile {
        id: ProfileId::new(),
        display_name: Some("Anna".into()),
        identifiers: vec![email("anna@example.se")],
        attributes: Default::default(),
    };
    let mut flagged = event(Some("e5"), Subject::Profile(anna.id), 5);
    flagged.flags = vec![FieldError {
        field: "properties.n".into(),
        reason: motesplats_core::Reason::NotInPlan { kind: "n".into() },
    }];
    let stranger = ProfileId::new();
    let batches = vec![
        (
            vec![
                event(
                    Some("e1"),
                    emails(&["anna@example.se", "anna.2@example.se"]),
                    1,
                ),
                event(Some("e1"), emails(&["other@example.se"]), 2),
                event(Some("e2"), Subject::Profile(stranger), 3),
                event(Some("e2"), emails(&["new@example.se"]), 4),
                flagged,
                event(None, Subject::Profile(anna.id), 6),
                event(None, emails(&["new@example.se", "anna@example.se"]), 7),
            ],
            Stitch::Now,
        ),
        (
            vec![
                event(Some("e1"), Subject::Profile(anna.id), 8),
                event(Some("e6"), emails(&["anna.2@example.se"]), 9),
                event(Some("e6"), emails(&["x@example.se"]), 10),
                event(Some("e7"), emails(&["later@example.se"]), 11),
                event(
                    Some("e8"),
                    emails(&["later@example.se", "more@example.se"]),
                    12,
                ),
                event(Some("e9"), Subject::Profile(stranger), 13),
                event(Some("e10"), Subject::Profile(anna.id), 14),
            ],
            Stitch::Later,
        ),
        (
            vec![
                event(Some("e6"), emails(&["anna@example.se"]), 15),
                event(Some("e11"), emails(&["more@example.se"]), 16),
                event(Some("e11"), emails(&["more@example.se"]), 17),
            ],
            Stitch::Now,
        ),
        (vec![], Stitch::Now),
        (
            vec![event(Some("e5"), Subject::Profile(stranger), 18)],
            Stitch::Later,
        ),
    ];
    let at = Utc::now();
    let dir = tempfile::tempdir().unwrap();
    let sqlite: Arc<dyn Store> =
        Arc::new(SqliteStore::open(&dir.path().join("m.db")).await.unwrap());
    let expected = ingestion(sqlite, &anna, &batches, at).await;
    let pg: Arc<dyn Store> = Arc::new(PgStore::connect(&db.url).await.unwrap());
    let got = ingestion(pg, &anna, &batches, at).await;
    assert_eq!(
        serde_json::to_string_pretty(&got).unwrap(),
        serde_json::to_string_pretty(&expected).unwrap()
    );
    db.drop_database().await;
}

/// The profile of each touchpoint in the last listing of an `ingestion` story, by
/// event id.
fn placed_by_event(story: &Value) -> HashMap<String, String> {
    let last = story
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find_map(|e| e.get("listed"))
        .unwrap();
    last.as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["event_id"].as_str().unwrap().to_string(),
                t["profile_id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The person of each profile at the end of an `ingestion` story.
fn person_by_profile(story: &Value) -> HashMap<String, String> {
    let persons = story
        .as_array()
        .unwrap()
        .iter()
        .find_map(|e| e.get("persons"))
        .unwrap();
    persons
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| {
            let id = p["id"].as_str().unwrap().to_string();
            p["profiles"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |f| (f["id"].as_str().unwrap().to_string(), id.clone()))
        })
        .collect()
}

#[tokio::test]
async fn shared_identifiers_in_one_batch_match_sqlite() {
    let Some(db) = TestDatabase::create("shared_identifiers_in_one_batch").await else {
        return;
    };
    let anna = NewProfile {
        id: ProfileId::new(),
        display_name: Some("Anna".into()),
        identifiers: vec![email("anna@example.se")],
        attributes: Default::default(),
    };
    let e = |id: &str, addresses: &[&str], minute: u32| event(Some(id), emails(addresses), minute);
    let batches = vec![
        (
            vec![
                // A chain: A and C share nothing, B joins them.
                e("a", &["e1@example.se"], 1),
                e("b", &["e1@example.se", "e2@example.se"], 2),
                e("c", &["e2@example.se"], 3),
                // The first identifier held wins: F goes where E went, D's stays apart.
                e("d", &["d1@example.se"], 4),
                e("f0", &["d2@example.se"], 5),
                e("f", &["d2@example.se", "d1@example.se"], 6),
                // Held, new and held again in one list; the new one joins the first.
                e(
                    "g",
                    &["e2@example.se", "g1@example.se", "anna@example.se"],
                    7,
                ),
                e("h", &["g1@example.se"], 8),
                // The same identifier twice in one list.
                e("i", &["i1@example.se", "i1@example.se"], 9),
                e("j", &["i1@example.se"], 10),
            ],
            Stitch::Later,
        ),
        (
            vec![
                e("na", &["n1@example.se"], 11),
                e("nb", &["n1@example.se", "n2@example.se"], 12),
                e("nc", &["n2@example.se"], 13),
                e("nd", &["e1@example.se", "n3@example.se"], 14),
            ],
            Stitch::Now,
        ),
    ];
    let at = Utc::now();
    let dir = tempfile::tempdir().unwrap();
    let sqlite: Arc<dyn Store> =
        Arc::new(SqliteStore::open(&dir.path().join("m.db")).await.unwrap());
    let expected = ingestion(sqlite, &anna, &batches, at).await;
    let pg: Arc<dyn Store> = Arc::new(PgStore::connect(&db.url).await.unwrap());
    let got = ingestion(pg, &anna, &batches, at).await;
    assert_eq!(
        serde_json::to_string_pretty(&got).unwrap(),
        serde_json::to_string_pretty(&expected).unwrap()
    );
    let placed = placed_by_event(&got);
    let person = person_by_profile(&got);
    let same = |x: &str, y: &str| placed[x] == placed[y];
    let one = |x: &str, y: &str| person[&placed[x]] == person[&placed[y]];
    assert!(
        same("a", "b") && same("b", "c"),
        "a chain ends on one profile"
    );
    // F lands on D's or E's profile and carries both: all three are one person.
    assert!(same("f", "f0") || same("f", "d"));
    assert!(one("f", "f0") && one("f", "d"));
    // G carries Anna's address and A's: Anna and A become one person.
    assert!(one("g", "a") && one("h", "a"));
    assert!(same("i", "j"));
    assert!(same("na", "nb") && same("nb", "nc"));
    assert!(same("nd", "a"));
    db.drop_database().await;
}

/// Chains that run across the chunks `place` works in: each of 7 groups links its
/// touchpoints two by two, so each group ends on one profile.
#[tokio::test]
async fn chains_across_chunks() {
    let Some(db) = TestDatabase::create("chains_across_chunks").await else {
        return;
    };
    let store = Arc::new(PgStore::connect(&db.url).await.unwrap());
    let provider = store
        .create_provider(NewProvider::parse(Some("Kafé"), None, None).unwrap())
        .await
        .unwrap()
        .id;
    let groups = 7;
    let n = 6_200;
    let batch: Vec<NewTouchpoint> = (0..n)
        .map(|i| {
            let (g, step) = (i % groups, i / groups);
            let a = format!("g{g}-{step}@example.se");
            let b = format!("g{g}-{}@example.se", step + 1);
            // Half the links name the new identifier first.
            let ids = if step % 2 == 0 { [a, b] } else { [b, a] };
            event(Some(&format!("t{i}")), emails(&[&ids[0], &ids[1]]), 0)
        })
        .collect();
    store
        .insert_touchpoints(provider, batch, Utc::now(), Stitch::Later)
        .await
        .unwrap();
    assert_eq!(store.resolve_pending(10_000).await.unwrap(), n);
    assert_eq!(store.resolve_pending(10_000).await.unwrap(), 0);
    let profiles: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM profiles WHERE provider_id = $1")
        .bind(provider.0)
        .fetch_one(&store.pool)
        .await
        .unwrap();
    assert_eq!(profiles, groups as i64);
    let mixed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT substring(i.value from '^g[0-9]+') AS g FROM identifiers i \
         GROUP BY 1 HAVING COUNT(DISTINCT i.profile_id) > 1) m",
    )
    .fetch_one(&store.pool)
    .await
    .unwrap();
    assert_eq!(mixed, 0, "each group's identifiers on one profile");
    let identifiers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM identifiers")
        .fetch_one(&store.pool)
        .await
        .unwrap();
    assert_eq!(identifiers, (n + groups) as i64);
    store.pool.close().await;
    db.drop_database().await;
}

/// A resolver that stops after committing its decisions and before writing the rows
/// (the claim rolled back) leaves them waiting; the next places them on the same
/// profiles and makes none more.
#[tokio::test]
async fn a_step_stopped_before_its_rows_are_written() {
    let Some(db) = TestDatabase::create("a_step_stopped_before_its_rows_are_written").await else {
        return;
    };
    let store = PgStore::connect(&db.url).await.unwrap();
    let provider = store
        .create_provider(NewProvider::parse(Some("Kafé"), None, None).unwrap())
        .await
        .unwrap()
        .id;
    let batch: Vec<NewTouchpoint> = (0..30)
        .map(|i| {
            event(
                Some(&format!("t{i}")),
                emails(&[&format!("p{}@example.se", i % 10)]),
                0,
            )
        })
        .collect();
    store
        .insert_touchpoints(provider, batch, Utc::now(), Stitch::Later)
        .await
        .unwrap();

    let mut claim = store.pool.begin().await.unwrap();
    let claimed = super::ingest::claim(&mut claim, 100).await.unwrap();
    assert_eq!(claimed.len(), 30);
    let mut tx = store.pool.begin().await.unwrap();
    let decided = claimed.decide(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    claim.rollback().await.unwrap();

    let count = |sql: &'static str| {
        let pool = store.pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(count("SELECT COUNT(*) FROM profiles").await, 10);
    assert_eq!(
        count("SELECT COUNT(*) FROM touchpoints WHERE profile_id IS NULL").await,
        30
    );

    assert_eq!(store.resolve_pending(100).await.unwrap(), 30);
    assert_eq!(count("SELECT COUNT(*) FROM profiles").await, 10);
    assert_eq!(
        count("SELECT COUNT(*) FROM touchpoints WHERE profile_id IS NULL").await,
        0
    );
    let placed: Vec<Uuid> = sqlx::query_scalar("SELECT profile_id FROM touchpoints ORDER BY id")
        .fetch_all(&store.pool)
        .await
        .unwrap();
    let decided: Vec<Uuid> = decided.iter().map(|p| p.0).collect();
    assert_eq!(
        placed, decided,
        "the same profiles as decided before the stop"
    );
    store.pool.close().await;
    db.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn resolvers_and_writers_in_parallel() {
    let Some(db) = TestDatabase::create("resolvers_and_writers_in_parallel").await else {
        return;
    };
    let store = Arc::new(PgStore::connect(&db.url).await.unwrap());
    let mut providers: Vec<ProviderId> = Vec::new();
    for name in ["A", "B", "C"] {
        let p = NewProvider::parse(Some(name), None, None).unwrap();
        providers.push(store.create_provider(p).await.unwrap().id);
    }
    let people = 7;
    // Waiting touchpoints, many per person, across providers.
    for (i, p) in providers.iter().enumerate() {
        let batch: Vec<NewTouchpoint> = (0..120)
            .map(|n| {
                let who = format!("p{}@example.se", n % people);
                event(Some(&format!("w{i}-{n}")), emails(&[&who]), 0)
            })
            .collect();
        store
            .insert_touchpoints(*p, batch, Utc::now(), Stitch::Later)
            .await
            .unwrap();
    }
    let mut tasks = Vec::new();
    // Resolvers, as in several processes at once.
    for _ in 0..4 {
        let s = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut placed = 0;
            for _ in 0..200 {
                let n = s.resolve_pending(25).await.unwrap();
                placed += n;
                if n == 0 {
                    tokio::task::yield_now().await;
                }
            }
            (placed, 0, 0)
        }));
    }
    // Writers sharing event ids, each in its own order, stitching now or later.
    for w in 0..6 {
        let s = store.clone();
        let p = providers[w % providers.len()];
        tasks.push(tokio::spawn(async move {
            let mut order: Vec<usize> = (0..40).collect();
            if w % 2 == 1 {
                order.reverse();
            }
            let batch: Vec<NewTouchpoint> = order
                .iter()
                .map(|n| {
                    let who = format!("p{}@example.se", n % people);
                    event(Some(&format!("s-{n}")), emails(&[&who]), 1)
                })
                .collect();
            let stitch = if w % 3 == 0 {
                Stitch::Now
            } else {
                Stitch::Later
            };
            let out = s
                .insert_touchpoints(p, batch, Utc::now(), stitch)
                .await
                .unwrap();
            let stored = out
                .iter()
                .filter(|o| matches!(o, Outcome::Stored(_)))
                .count();
            // Those left waiting (a known person's are stored placed).
            let later = out
                .iter()
                .filter(|o| matches!(o, Outcome::Stored(t) if t.profile_id.is_none()))
                .count();
            (0, stored, later)
        }));
    }
    let (mut placed, mut stored, mut later) = (0, 0, 0);
    for t in tasks {
        let (p, s, l) = t.await.unwrap();
        placed += p;
        stored += s;
        later += l;
    }
    assert_eq!(stored, 3 * 40, "each shared event stored once per provider");
    loop {
        let n = store.resolve_pending(1000).await.unwrap();
        if n == 0 {
            break;
        }
        placed += n;
    }
    let waiting: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM touchpoints WHERE profile_id IS NULL")
            .fetch_one(&store.pool)
            .await
            .unwrap();
    assert_eq!(waiting, 0);
    assert_eq!(
        placed,
        3 * 120 + later,
        "each waiting touchpoint placed once"
    );
    for p in &providers {
        let profiles: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM profiles WHERE provider_id = $1")
                .bind(p.0)
                .fetch_one(&store.pool)
                .await
                .unwrap();
        assert_eq!(
            profiles, people as i64,
            "one profile per person, however stitched"
        );
        let touchpoints: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM touchpoints WHERE provider_id = $1")
                .bind(p.0)
                .fetch_one(&store.pool)
                .await
                .unwrap();
        assert_eq!(touchpoints, 120 + 40);
    }
    let distinct: HashSet<Uuid> = sqlx::query_scalar("SELECT profile_id FROM touchpoints")
        .fetch_all(&store.pool)
        .await
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(distinct.len(), 3 * people);
    store.pool.close().await;
    db.drop_database().await;
}

/// What a project call gave, its time left out (compared within a run instead).
fn project_json(r: &crate::Result<impl serde::Serialize>) -> Value {
    match r {
        Ok(v) => {
            let mut v = json!({ "ok": v });
            strip_updated_at(&mut v);
            v
        }
        Err(e) => json!({ "err": format!("{e:?}") }),
    }
}

fn strip_updated_at(v: &mut Value) {
    match v {
        Value::Array(a) => a.iter_mut().for_each(strip_updated_at),
        Value::Object(o) => {
            o.remove("updated_at");
            o.values_mut().for_each(strip_updated_at);
        }
        _ => {}
    }
}

/// Saves and writes get later times than the ones before them.
fn tick() {
    std::thread::sleep(std::time::Duration::from_millis(3));
}

/// One research-project story, told to `store`; returns what it saw, ids normalised.
async fn research(store: Arc<dyn Store>, ids: [Uuid; 2]) -> Value {
    let mut names = Vec::new();
    for name in ["Owner", "Guest", "Stranger"] {
        let p = NewProvider::parse(Some(name), None, None).unwrap();
        names.push(store.create_provider(p).await.unwrap().id);
    }
    let [owner, guest, stranger] = names[..] else {
        unreachable!()
    };
    let [first, second] = ids;
    let doc = |n: i64| json!({"name": "Study", "n": n, "x": [1.5, -2, 0.1, 1e300, null], "nested": {"b": true, "a": "å"}});
    let mut log = vec![json!({"providers": [owner, guest, stranger]})];

    let created = store.create_project(owner, first, doc(1)).await;
    assert_eq!(
        store.project(owner, first).await.unwrap().as_ref(),
        created.as_ref().ok()
    );
    log.push(project_json(&created));
    tick();
    log.push(project_json(
        &store.create_project(owner, second, doc(2)).await,
    ));
    tick();
    log.push(project_json(
        &store.create_project(stranger, first, doc(3)).await,
    ));
    log.push(project_json(
        &store.create_project(owner, first, doc(3)).await,
    ));
    log.push(project_json(&store.project(guest, first).await));
    log.push(project_json(&store.projects(guest).await));
    log.push(project_json(
        &store.save_project(guest, first, 1, doc(4)).await,
    ));
    log.push(project_json(
        &store.invite_to_project(guest, first, guest).await,
    ));
    log.push(project_json(
        &store
            .invite_to_project(owner, first, ProviderId::new())
            .await,
    ));
    log.push(project_json(
        &store.invite_to_project(owner, Uuid::new_v4(), guest).await,
    ));
    log.push(project_json(
        &store.invite_to_project(owner, first, guest).await,
    ));
    log.push(project_json(
        &store.invite_to_project(owner, first, guest).await,
    ));
    log.push(project_json(&store.project(guest, first).await));
    tick();
    let saved = store.save_project(guest, first, 1, doc(5)).await;
    assert_eq!(
        store.project(guest, first).await.unwrap().as_ref(),
        saved.as_ref().ok()
    );
    log.push(project_json(&saved));
    // The owner read version 1 too: its save conflicts and changes nothing.
    log.push(project_json(
        &store.save_project(owner, first, 1, doc(6)).await,
    ));
    log.push(project_json(
        &store.save_project(owner, second, 7, doc(6)).await,
    ));
    log.push(project_json(&store.project(owner, first).await));
    log.push(project_json(
        &store.invite_to_project(guest, first, stranger).await,
    ));
    log.push(project_json(
        &store.save_project(stranger, first, 2, doc(8)).await,
    ));
    log.push(project_json(
        &store.save_project(owner, Uuid::new_v4(), 1, doc(8)).await,
    ));
    log.push(project_json(&store.projects(owner).await));
    tick();
    log.push(project_json(
        &store.save_project(owner, second, 1, doc(9)).await,
    ));
    tick();
    log.push(project_json(
        &store.save_project(owner, first, 2, doc(10)).await,
    ));
    let listed = store.projects(owner).await;
    let times: Vec<_> = listed
        .as_ref()
        .unwrap()
        .iter()
        .map(|p| p.updated_at)
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] > w[1]),
        "newest first: {times:?}"
    );
    log.push(project_json(&listed));
    log.push(project_json(&store.projects(guest).await));
    log.push(project_json(&store.projects(stranger).await));
    let mut v = Value::Array(log);
    normalise(&mut v, &mut HashMap::new());
    v
}

#[tokio::test]
async fn projects_match_sqlite() {
    let Some(db) = TestDatabase::create("projects_match_sqlite").await else {
        return;
    };
    let ids = [Uuid::new_v4(), Uuid::new_v4()];
    let dir = tempfile::tempdir().unwrap();
    let sqlite: Arc<dyn Store> =
        Arc::new(SqliteStore::open(&dir.path().join("m.db")).await.unwrap());
    let expected = research(sqlite, ids).await;
    let pg: Arc<dyn Store> = Arc::new(PgStore::connect(&db.url).await.unwrap());
    let got = research(pg, ids).await;
    assert_eq!(
        serde_json::to_string_pretty(&got).unwrap(),
        serde_json::to_string_pretty(&expected).unwrap()
    );
    db.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_saves_one_wins() {
    let Some(db) = TestDatabase::create("concurrent_saves_one_wins").await else {
        return;
    };
    let store = Arc::new(PgStore::connect(&db.url).await.unwrap());
    let p = NewProvider::parse(Some("Owner"), None, None).unwrap();
    let owner = store.create_provider(p).await.unwrap().id;
    let id = Uuid::new_v4();
    store
        .create_project(owner, id, json!({"n": 0}))
        .await
        .unwrap();
    for round in 1..=5 {
        let tasks: Vec<_> = (0..8)
            .map(|w| {
                let s = store.clone();
                tokio::spawn(async move { s.save_project(owner, id, round, json!({"n": w})).await })
            })
            .collect();
        let mut won: Vec<StoredProject> = Vec::new();
        for t in tasks {
            match t.await.unwrap() {
                Ok(p) => won.push(p),
                Err(StoreError::Conflict(e)) => assert_eq!(e.0[0].field, "version"),
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(won.len(), 1, "round {round}: one save wins");
        assert_eq!(won[0].version, round + 1);
        assert_eq!(
            store.project(owner, id).await.unwrap().as_ref(),
            Some(&won[0])
        );
    }
    // jsonb holds no U+0000; the save says so and changes nothing.
    let nul = store
        .save_project(owner, id, 6, json!({"s": "a\u{0}b"}))
        .await;
    assert!(
        matches!(&nul, Err(StoreError::Invalid(e)) if e.0[0].field == "document"),
        "{nul:?}"
    );
    assert_eq!(store.project(owner, id).await.unwrap().unwrap().version, 6);
    store.pool.close().await;
    db.drop_database().await;
}

fn plain(s: &str) -> Option<TextInput> {
    Some(TextInput::Plain(s.to_string()))
}

/// A draft with one scale question from 1 to 5.
fn small_survey(title: &str) -> Survey {
    let anchor = |point, label| AnchorInput {
        point: Some(point),
        label: plain(label),
    };
    Survey::parse(&SurveyInput {
        title: plain(title),
        sections: Some(vec![SectionInput {
            title: None,
            questions: Some(vec![QuestionInput {
                key: Some("calm".into()),
                kind: Some("scale".into()),
                text: plain("Hur lugnt var det?"),
                required: Some(true),
                points: Some(5),
                anchors: Some(vec![anchor(1, "Inte alls"), anchor(5, "Mycket")]),
                ..QuestionInput::default()
            }]),
        }]),
        ..SurveyInput::default()
    })
    .unwrap()
}

fn answer(survey: &Survey, point: Option<i64>, partial: bool, minute: u32) -> Response {
    let mut answers = serde_json::Map::new();
    if let Some(p) = point {
        answers.insert("calm".into(), json!(p));
    }
    Response::parse(
        survey,
        &ResponseInput {
            answers: Some(answers),
            partial: Some(partial),
            ..ResponseInput::default()
        },
        Utc.with_ymd_and_hms(2026, 11, 20, 10, minute, 0).unwrap(),
    )
    .unwrap()
}

/// One survey story, told to `store`; returns what it saw, ids normalised.
async fn surveying(store: Arc<dyn Store>, drafts: &[Survey; 2], ids: [Uuid; 3]) -> Value {
    let mut names = Vec::new();
    for name in ["Owner", "Stranger"] {
        let p = NewProvider::parse(Some(name), None, None).unwrap();
        names.push(store.create_provider(p).await.unwrap().id);
    }
    let [owner, stranger] = names[..] else {
        unreachable!()
    };
    let [first, second] = drafts;
    let mut log = vec![json!({"providers": [owner, stranger]})];
    log.push(project_json(
        &store.create_survey(owner, first.clone()).await,
    ));
    log.push(project_json(
        &store.create_survey(owner, second.clone()).await,
    ));
    log.push(project_json(
        &store.create_survey(owner, first.clone()).await,
    ));
    log.push(project_json(
        &store.create_survey(stranger, first.clone()).await,
    ));
    log.push(project_json(&store.survey(None, first.id).await));
    log.push(project_json(&store.survey(Some(owner), first.id).await));
    log.push(project_json(&store.survey(Some(stranger), first.id).await));
    log.push(project_json(&store.survey(None, SurveyId::new()).await));
    log.push(project_json(&store.surveys(owner).await));
    log.push(project_json(&store.surveys(stranger).await));

    // Changes name the revision they were made against; the store opens the survey.
    let opening = |s: Survey, _| s.with_status(SurveyStatus::Open);
    let change = |provider, id, expected| {
        let store = store.clone();
        async move {
            store
                .change_survey(provider, id, expected, Box::new(opening))
                .await
        }
    };
    log.push(project_json(&change(stranger, first.id, None).await));
    log.push(project_json(&change(owner, SurveyId::new(), None).await));
    log.push(project_json(&change(owner, first.id, Some(1)).await));
    log.push(project_json(&change(owner, first.id, Some(1)).await));
    log.push(project_json(&change(owner, second.id, None).await));
    log.push(project_json(&store.survey(Some(owner), first.id).await));
    let open = first.with_status(SurveyStatus::Open).unwrap();
    let other = second.with_status(SurveyStatus::Open).unwrap();

    // Responses land only on the revision they were checked against; a partial save
    // continues only with its token.
    let (token, wrong) = ([1u8; 32], [2u8; 32]);
    let new = |resume_sha256| ResponseWrite::New { resume_sha256 };
    let resume = |resume_sha256| ResponseWrite::Continue { resume_sha256 };
    let mut partial = answer(&open, None, true, 1);
    partial.id = ResponseId(ids[0]);
    log.push(project_json(
        &store
            .save_response(owner, partial.clone(), 1, new(None))
            .await,
    ));
    log.push(project_json(
        &store
            .save_response(owner, partial.clone(), 2, new(Some(token)))
            .await,
    ));
    log.push(project_json(&store.responses(owner, open.id).await));
    let mut saved_again = answer(&open, Some(2), true, 2);
    saved_again.id = partial.id;
    log.push(project_json(
        &store
            .save_response(owner, saved_again.clone(), 2, resume(wrong))
            .await,
    ));
    log.push(project_json(
        &store
            .save_response(owner, saved_again, 2, resume(token))
            .await,
    ));
    log.push(project_json(&store.responses(owner, open.id).await));
    for (who, key) in [(owner, token), (owner, wrong), (stranger, token)] {
        log.push(project_json(
            &store
                .resumable_response(who, open.id, partial.id, key)
                .await,
        ));
    }
    let mut done = answer(&open, Some(4), false, 3);
    done.id = partial.id;
    log.push(project_json(
        &store.save_response(owner, done, 2, resume(token)).await,
    ));
    // The completed response is final.
    let mut changed = answer(&open, Some(1), false, 4);
    changed.id = partial.id;
    log.push(project_json(
        &store.save_response(owner, changed, 2, resume(token)).await,
    ));
    // The same id under another survey.
    let mut elsewhere = answer(&other, Some(5), true, 5);
    elsewhere.id = partial.id;
    log.push(project_json(
        &store
            .save_response(owner, elsewhere, 2, resume(token))
            .await,
    ));
    let mut later = answer(&open, Some(3), false, 6);
    later.id = ResponseId(ids[1]);
    log.push(project_json(
        &store.save_response(owner, later, 2, new(None)).await,
    ));
    let mut another = answer(&other, Some(5), false, 7);
    another.id = ResponseId(ids[2]);
    log.push(project_json(
        &store.save_response(owner, another, 2, new(None)).await,
    ));
    // A change is told that responses exist, in the same transaction.
    let answered = |s: Survey, answered: bool| {
        if answered {
            Ok(s)
        } else {
            Err(motesplats_core::Invalid::one(
                "responses",
                motesplats_core::Reason::NoneSeen,
            ))
        }
    };
    log.push(project_json(
        &store
            .change_survey(owner, first.id, Some(2), Box::new(answered))
            .await,
    ));
    log.push(project_json(&store.server_secret("test", [3u8; 32]).await));
    log.push(project_json(&store.server_secret("test", [4u8; 32]).await));
    log.push(project_json(&store.responses(owner, open.id).await));
    log.push(project_json(&store.responses(owner, other.id).await));
    log.push(project_json(&store.responses(stranger, open.id).await));
    let mut v = Value::Array(log);
    normalise(&mut v, &mut HashMap::new());
    v
}

#[tokio::test]
async fn surveys_match_sqlite() {
    let Some(db) = TestDatabase::create("surveys_match_sqlite").await else {
        return;
    };
    let drafts = [small_survey("Första"), small_survey("Andra")];
    let ids = [Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4()];
    let dir = tempfile::tempdir().unwrap();
    let sqlite: Arc<dyn Store> =
        Arc::new(SqliteStore::open(&dir.path().join("m.db")).await.unwrap());
    let expected = surveying(sqlite, &drafts, ids).await;
    let pg = Arc::new(PgStore::connect(&db.url).await.unwrap());
    let got = surveying(pg.clone(), &drafts, ids).await;
    assert_eq!(
        serde_json::to_string_pretty(&got).unwrap(),
        serde_json::to_string_pretty(&expected).unwrap()
    );
    // jsonb holds no U+0000; the save says so and stores nothing.
    let providers = pg.providers().await.unwrap();
    let owner = providers.iter().find(|p| p.name == "Owner").unwrap().id;
    let open = drafts[0].with_status(SurveyStatus::Open).unwrap();
    let mut nul = answer(&open, None, true, 8);
    nul.answers.insert(
        SurveyKey::parse("calm").unwrap(),
        Answer::Text("a\u{0}b".into()),
    );
    let before = pg.responses(owner, open.id).await.unwrap();
    let revision = pg.survey(None, open.id).await.unwrap().unwrap().revision;
    let write = ResponseWrite::New {
        resume_sha256: None,
    };
    let r = pg.save_response(owner, nul, revision, write).await;
    assert!(
        matches!(&r, Err(StoreError::Invalid(e)) if e.0[0].field == "document"),
        "{r:?}"
    );
    assert_eq!(pg.responses(owner, open.id).await.unwrap(), before);
    pg.pool.close().await;
    db.drop_database().await;
}
