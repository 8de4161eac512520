//! Ingestion: batches, tracking plans, the quarantine, publishable keys and limits.

use super::api::assert_problem;
use super::{App, OPERATOR, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

fn event(i: usize) -> Value {
    json!({
        "event_id": format!("e-{i}"),
        "identifiers": [{"kind": "customer_number", "value": format!("C{}", i % 3)}],
        "channel": "store", "kind": "purchase", "occurred_at": "2026-11-20T12:00:00Z",
        "properties": {"amount_sek": i}
    })
}

impl App {
    async fn batch(
        &self,
        key: &str,
        content_type: &str,
        body: Vec<u8>,
        gzip: bool,
    ) -> reqwest::Response {
        let mut req = self
            .http
            .post(format!("{}/api/v1/touchpoints/batch", self.base))
            .bearer_auth(key)
            .header("content-type", content_type);
        if gzip {
            req = req.header("content-encoding", "gzip");
        }
        req.body(body).send().await.unwrap()
    }

    pub(super) async fn batch_json(&self, key: &str, events: &[Value]) -> Value {
        let r = self
            .batch(
                key,
                "application/json",
                serde_json::to_vec(events).unwrap(),
                false,
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        r.json().await.unwrap()
    }
}

fn statuses(result: &Value) -> Vec<String> {
    result["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_batch_keeps_the_good_events_and_names_the_bad_ones() {
    let app = spawn_app().await;
    let key = app.provider("Butiken").await;
    let mut bad_time = event(1);
    bad_time["occurred_at"] = json!("igår");
    let mut no_id = event(2);
    no_id.as_object_mut().unwrap().remove("event_id");
    let mut control = event(3);
    control["event_id"] = json!("e-\u{7}3");
    let mut unknown_field = event(4);
    unknown_field["colour"] = json!("red");
    let result = app
        .batch_json(
            &key,
            &[
                event(0),
                bad_time,
                no_id,
                control,
                unknown_field,
                event(5),
                json!(42),
            ],
        )
        .await;
    assert_eq!(
        statuses(&result),
        [
            "accepted", "rejected", "rejected", "rejected", "rejected", "accepted", "rejected"
        ]
    );
    assert_eq!(
        (result["accepted"].as_u64(), result["rejected"].as_u64()),
        (Some(2), Some(5))
    );
    let field = |i: usize| {
        result["events"][i]["errors"][0]["field"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        [field(1), field(2), field(3), field(4)],
        ["occurred_at", "event_id", "event_id", "colour"]
    );
    assert_eq!(app.count_touchpoints(&key).await, 2);

    // A retry of the whole batch stores nothing twice.
    let again = app.batch_json(&key, &[event(0), event(5)]).await;
    assert_eq!(statuses(&again), ["duplicate", "duplicate"]);
    assert_eq!(again["events"][0]["id"], result["events"][0]["id"]);
    assert_eq!(app.count_touchpoints(&key).await, 2);

    // The rejected events wait in the quarantine with their reasons.
    let held: Value = app.get(&key, "/quarantine").await.json().await.unwrap();
    assert_eq!(held["items"].as_array().unwrap().len(), 5);
    assert_eq!(held["items"][0]["errors"][0]["field"], "occurred_at");
    assert!(held["items"][0]["raw"].as_str().unwrap().contains("igår"));

    // Replayed as it was, it fails again and stays; corrected, it is stored and leaves.
    let id = held["items"][0]["id"].as_str().unwrap();
    let r = app
        .http
        .post(format!("{}/api/v1/quarantine/{id}/replay", app.base))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post(&key, &format!("/quarantine/{id}/replay"), event(1))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(
        app.get(&key, &format!("/quarantine/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.count_touchpoints(&key).await, 3);
}

#[tokio::test]
async fn the_quarantine_is_replayed_and_discarded_in_bulk_by_what_it_was_refused_for() {
    let app = spawn_app().await;
    let key = app.provider("Skivbutiken").await;
    let other = app.provider("Grannen").await;
    let mut events: Vec<Value> = (0..3)
        .map(|i| {
            let mut e = event(i);
            e["channel"] = json!("info_screen");
            e
        })
        .collect();
    let mut bad_time = event(3);
    bad_time["occurred_at"] = json!("igår");
    events.push(bad_time.clone());
    assert_eq!(app.batch_json(&key, &events).await["rejected"], 4);
    assert_eq!(app.batch_json(&other, &[bad_time]).await["rejected"], 1);

    let held: Value = app
        .get(&key, "/quarantine?field=channel&source=batch")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(held["items"].as_array().unwrap().len(), 3);
    let r = app
        .post(&key, "/quarantine/discard", json!({"source": "fax"}))
        .await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("source")).await;
    let r = app
        .post(&key, "/quarantine/replay", json!({"colour": "red"}))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Once the channel exists, replaying what it refused stores them all.
    let r = app
        .post(
            &key,
            "/channels",
            json!({"key": "info_screen", "name": "Info screen"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = app
        .post(&key, "/quarantine/replay", json!({"field": "channel"}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let done: Value = r.json().await.unwrap();
    assert_eq!(
        done,
        json!({"stored": 3, "already_there": 0, "still_rejected": 0})
    );
    assert_eq!(app.count_touchpoints(&key).await, 3);

    // What is still wrong stays, and goes only when discarded.
    let done: Value = app
        .post(&key, "/quarantine/replay", json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(done["still_rejected"], 1);
    let gone: Value = app
        .post(&key, "/quarantine/discard", json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(gone, json!({"discarded": 1}));
    let held: Value = app.get(&key, "/quarantine").await.json().await.unwrap();
    assert!(held["items"].as_array().unwrap().is_empty());
    let theirs: Value = app.get(&other, "/quarantine").await.json().await.unwrap();
    assert_eq!(
        theirs["items"].as_array().unwrap().len(),
        1,
        "another provider's quarantine is its own"
    );
}

#[tokio::test]
async fn identifiers_are_stitched_to_profiles_soon_after_the_answer() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    let events: Vec<Value> = (0..30).map(event).collect();
    let result = app.batch_json(&key, &events).await;
    assert_eq!(result["accepted"], 30);
    let mut placed = 0;
    for _ in 0..100 {
        let page: Value = app
            .get(&key, "/touchpoints?limit=100")
            .await
            .json()
            .await
            .unwrap();
        placed = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| !t["profile_id"].is_null())
            .count();
        if placed == 30 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(placed, 30, "the resolver placed every touchpoint");
    let profiles: Value = app.get(&key, "/profiles").await.json().await.unwrap();
    assert_eq!(
        profiles["items"].as_array().unwrap().len(),
        3,
        "three customer numbers, three profiles"
    );
}

#[tokio::test]
async fn ndjson_and_gzip_bodies_are_read_and_bad_bodies_refused() {
    use flate2::Compression;
    use flate2::write::GzEncoder;
    use std::io::Write;
    let app = spawn_app().await;
    let key = app.provider("Hotellet").await;
    let ndjson = format!("{}\n{{oops\n{}\n", event(0), event(1));
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    gz.write_all(ndjson.as_bytes()).unwrap();
    let r = app
        .batch(&key, "application/x-ndjson", gz.finish().unwrap(), true)
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let result: Value = r.json().await.unwrap();
    assert_eq!(statuses(&result), ["accepted", "rejected", "accepted"]);

    let problem = |r: reqwest::Response, status: StatusCode| async move {
        assert_eq!(r.status(), status);
        assert_eq!(r.headers()["content-type"], "application/problem+json");
    };
    problem(
        app.batch(&key, "text/csv", b"a,b".to_vec(), false).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
    )
    .await;
    problem(
        app.batch(
            &key,
            "application/json",
            b"{\"not\": \"an array\"}".to_vec(),
            false,
        )
        .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    problem(
        app.batch(&key, "application/json", b"not gzip".to_vec(), true)
            .await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    let too_many = serde_json::to_vec(&vec![json!({}); 2001]).unwrap();
    problem(
        app.batch(&key, "application/json", too_many, false).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let huge = vec![b' '; 5 * 1024 * 1024];
    problem(
        app.batch(&key, "application/json", huge, false).await,
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;
    assert_eq!(app.count_touchpoints(&key).await, 2);
}

#[tokio::test]
async fn tracking_plans_reject_or_flag_what_breaks_them() {
    let app = spawn_app().await;
    let key = app.provider("Banken").await;
    let plan = json!({"mode": "reject", "kinds": {"purchase": {"properties": {
        "type": "object", "required": ["amount_sek"], "properties": {"amount_sek": {"type": "integer", "minimum": 0}}
    }}}});
    let r = app
        .http
        .put(format!("{}/api/v1/tracking-plan", app.base))
        .bearer_auth(&key)
        .json(&plan)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let mut negative = event(1);
    negative["properties"]["amount_sek"] = json!(-3);
    let mut unplanned = event(2);
    unplanned["kind"] = json!("refund");
    let result = app
        .batch_json(&key, &[event(0), negative.clone(), unplanned])
        .await;
    assert_eq!(statuses(&result), ["accepted", "rejected", "rejected"]);
    assert_eq!(
        result["events"][1]["errors"][0]["field"],
        "properties.amount_sek"
    );
    assert_eq!(result["events"][2]["errors"][0]["field"], "kind");

    let mut flag = plan.clone();
    flag["mode"] = json!("flag");
    app.http
        .put(format!("{}/api/v1/tracking-plan", app.base))
        .bearer_auth(&key)
        .json(&flag)
        .send()
        .await
        .unwrap();
    let result = app.batch_json(&key, &[negative]).await;
    assert_eq!(statuses(&result), ["accepted"]);
    let id = result["events"][0]["id"].as_str().unwrap();
    let stored: Value = app
        .get(&key, &format!("/touchpoints/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored["flags"][0]["field"], "properties.amount_sek");

    let bad_plan = json!({"mode": "reject", "kinds": {"purchase": {"properties": {"type": 5}}}});
    let r = app
        .http
        .put(format!("{}/api/v1/tracking-plan", app.base))
        .bearer_auth(&key)
        .json(&bad_plan)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn publishable_keys_only_send_from_their_origins_within_their_limit() {
    let dir = tempfile::tempdir().unwrap();
    let store = motesplats_store::open(dir.path().join("pub.db").to_str().unwrap())
        .await
        .unwrap();
    let state = motesplats_server::AppState::new(store.clone(), Some(OPERATOR))
        .with_limits(std::num::NonZeroU32::new(5).unwrap(), None);
    let app = super::spawn_with(state, store, dir).await;
    let key = app.provider("Webbutiken").await;
    let r = app
        .post(
            &key,
            "/api-keys",
            json!({"label": "web", "kind": "publishable", "origins": ["https://shop.example"]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let public = r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(public.starts_with("mp_pub_"));

    let send = |origin: &'static str, events: Vec<Value>| {
        let (http, base, public) = (app.http.clone(), app.base.clone(), public.clone());
        async move {
            http.post(format!("{base}/api/v1/touchpoints/batch"))
                .bearer_auth(public)
                .header("origin", origin)
                .json(&events)
                .send()
                .await
                .unwrap()
        }
    };
    let r = send("https://shop.example", (0..3).map(event).collect()).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "https://shop.example"
    );
    assert_eq!(
        send("https://evil.example", vec![event(9)]).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&public, "/touchpoints").await.status(),
        StatusCode::FORBIDDEN,
        "write-only"
    );

    // Over the limit: 429 with Retry-After. The allowance refills at 5 events a
    // second, so a slow run may fit one more full batch; never two.
    let mut r = send("https://shop.example", (10..2010).map(event).collect()).await;
    if r.status() == StatusCode::OK {
        r = send("https://shop.example", (2010..4010).map(event).collect()).await;
    }
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );

    // Browsers ask first; the preflight allows the headers a sender needs.
    let r = app
        .http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/api/v1/touchpoints/batch", app.base),
        )
        .header("origin", "https://shop.example")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    assert!(
        r.headers()["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .contains("authorization")
    );
}
