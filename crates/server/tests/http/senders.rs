//! What a key that sends events learns, and what survives the clients that send them:
//! a publishable key is told nothing stored, gzip and bad query values are read as
//! the batch endpoint reads them, and clients that hang up mid-request never stop
//! the stitching of the events that did arrive.

use super::{App, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;
use tokio::io::AsyncWriteExt;

fn event(id: &str, customer: &str) -> Value {
    json!({
        "event_id": id,
        "identifiers": [{"kind": "customer_number", "value": customer}],
        "channel": "web", "kind": "purchase", "occurred_at": "2026-11-20T12:00:00Z",
        "properties": {"basket": "secret things"}
    })
}

impl App {
    /// A publishable key of the provider whose secret key this is.
    async fn publishable(&self, key: &str) -> String {
        let r = self
            .post(
                key,
                "/api-keys",
                json!({"label": "web", "kind": "publishable", "origins": ["https://shop.example"]}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        r.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// POSTs `body` to `path`, from the shop's page when `origin` is set.
    async fn send_as(
        &self,
        key: &str,
        path: &str,
        origin: bool,
        body: &Value,
    ) -> (StatusCode, Value) {
        let mut req = self
            .http
            .post(format!("{}/api/v1{path}", self.base))
            .bearer_auth(key)
            .json(body);
        if origin {
            req = req.header("origin", "https://shop.example");
        }
        let r = req.send().await.unwrap();
        (r.status(), r.json().await.unwrap())
    }

    /// Every stored touchpoint of the provider, page by page.
    async fn all_touchpoints(&self, key: &str) -> Vec<Value> {
        let mut all = Vec::new();
        let mut path = "/touchpoints?limit=1000".to_string();
        loop {
            let page: Value = self.get(key, &path).await.json().await.unwrap();
            all.extend(page["items"].as_array().unwrap().iter().cloned());
            match page["next"].as_str() {
                Some(next) => path = format!("/touchpoints?limit=1000&after={next}"),
                None => return all,
            }
        }
    }
}

#[tokio::test]
async fn a_publishable_key_learns_nothing_stored() {
    let app = spawn_app().await;
    let secret = app.provider("Webbutiken").await;
    let public = app.publishable(&secret).await;
    let (status, stored) = app
        .send_as(&secret, "/touchpoints", false, &event("order-1", "C1"))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let profile = stored["profile_id"].as_str().unwrap().to_string();

    // A known event id, from the page and from an app (no Origin): the status and
    // the id it sent, nothing of the stored touchpoint.
    for origin in [true, false] {
        let (status, body) = app
            .send_as(&public, "/touchpoints", origin, &event("order-1", "C9"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, json!({"status": "duplicate", "event_id": "order-1"}));
    }
    let (status, body) = app
        .send_as(&public, "/touchpoints", true, &event("page-1", "C2"))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body, json!({"status": "stored", "event_id": "page-1"}));

    // The batch answers alike: each event's position and status, no touchpoint id.
    let (status, body) = app
        .send_as(
            &public,
            "/touchpoints/batch",
            true,
            &json!([event("order-1", "C1"), event("page-2", "C2")]),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["events"],
        json!([{"index": 0, "status": "duplicate"}, {"index": 1, "status": "accepted"}])
    );

    // Naming a profile is refused whether or not it exists, in the same words.
    let mut named = event("page-3", "C3");
    named["profile_id"] = json!(profile);
    let (known_status, known) = app.send_as(&public, "/touchpoints", true, &named).await;
    named["profile_id"] = json!(uuid::Uuid::now_v7());
    let (unknown_status, unknown) = app.send_as(&public, "/touchpoints", true, &named).await;
    assert_eq!(known_status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!((unknown_status, &unknown), (known_status, &known));
    assert_eq!(known["errors"][0]["field"], "profile_id");
    let (_, batch) = app
        .send_as(&public, "/touchpoints/batch", true, &json!([named]))
        .await;
    assert_eq!(batch["events"][0]["status"], "rejected");
    assert_eq!(batch["events"][0]["errors"][0]["field"], "profile_id");

    // A secret key still reads its retry back whole.
    let (status, again) = app
        .send_as(&secret, "/touchpoints", false, &event("order-1", "C1"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again, stored);

    // The receipt is documented as its own schema.
    let doc: Value = app.openapi().await;
    let receipt = &doc["components"]["schemas"]["Receipt"];
    assert_eq!(receipt["required"], json!(["status"]));
    let answers = doc["paths"]["/api/v1/touchpoints"]["post"]["responses"]["200"]["content"]
        ["application/json"]["schema"]
        .to_string();
    assert!(answers.contains("Recorded"), "{answers}");
}

#[tokio::test]
async fn one_event_may_come_gzipped_and_bad_query_values_name_their_parameter() {
    use flate2::Compression;
    use flate2::write::GzEncoder;
    use std::io::Write;
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    let gzip = |bytes: &[u8]| {
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(bytes).unwrap();
        gz.finish().unwrap()
    };
    let post = |body: Vec<u8>| {
        app.http
            .post(format!("{}/api/v1/touchpoints", app.base))
            .bearer_auth(&key)
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
            .body(body)
            .send()
    };
    let r = post(gzip(event("gz-1", "C1").to_string().as_bytes()))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.json::<Value>().await.unwrap()["event_id"], "gz-1");
    // A bomb is stopped at the single endpoint's limit, as a problem.
    let r = post(gzip(&vec![b' '; 2 * 1024 * 1024])).await.unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    assert_eq!(app.count_touchpoints(&key).await, 1);

    for limit in ["-1", "99999999999", "many"] {
        let r = app.get(&key, &format!("/touchpoints?limit={limit}")).await;
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "limit={limit}"
        );
        let problem: Value = r.json().await.unwrap();
        assert_eq!(problem["errors"][0]["field"], "limit", "limit={limit}");
    }
}

/// Sends a request by hand and hangs up once `sent` bytes of it are out, after
/// `wait`: the server sees a client that went away mid-request.
async fn hang_up(base: &str, key: &str, path: &str, body: &[u8], sent: usize, wait: Duration) {
    let address = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST /api/v1{path} HTTP/1.1\r\nhost: {address}\r\nauthorization: Bearer {key}\r\n\
         content-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    let mut request = head.into_bytes();
    request.extend_from_slice(body);
    let _ = stream.write_all(&request[..sent.min(request.len())]).await;
    tokio::time::sleep(wait).await;
    drop(stream);
}

#[tokio::test]
async fn clients_that_hang_up_mid_request_never_stop_the_stitching() {
    let app = spawn_app().await;
    let key = app.provider("Varuhuset").await;
    // Whole requests dropped while the server writes them, at many moments, and
    // requests cut off halfway through their body; batches and single events.
    let mut clients = Vec::new();
    for c in 0..24u64 {
        let events: Vec<Value> = (0..400)
            .map(|i| event(&format!("gone-{c}-{i}"), &format!("C{}", i % 40)))
            .collect();
        let batch = serde_json::to_vec(&events).unwrap();
        let single = serde_json::to_vec(&event(&format!("one-{c}"), "C1")).unwrap();
        let (base, key) = (app.base.clone(), key.clone());
        clients.push(tokio::spawn(async move {
            let wait = Duration::from_millis(c * 4);
            let path = "/touchpoints/batch";
            hang_up(&base, &key, path, &batch, usize::MAX, wait).await;
            hang_up(&base, &key, path, &batch, batch.len() / 2, wait).await;
            hang_up(&base, &key, "/touchpoints", &single, usize::MAX, wait).await;
        }));
    }
    for c in clients {
        c.await.unwrap();
    }
    // A client that stays, after them all.
    let stays: Vec<Value> = (0..10)
        .map(|i| event(&format!("stays-{i}"), "C7"))
        .collect();
    let (status, _) = app
        .send_as(&key, "/touchpoints/batch", false, &json!(stays))
        .await;
    assert_eq!(status, StatusCode::OK);

    let mut waiting = usize::MAX;
    let mut stored = 0;
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while std::time::Instant::now() < deadline {
        let all = app.all_touchpoints(&key).await;
        stored = all.len();
        waiting = all.iter().filter(|t| t["profile_id"].is_null()).count();
        if waiting == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(stored > 10, "some dropped requests were stored: {stored}");
    assert_eq!(
        waiting, 0,
        "of {stored} stored touchpoints, {waiting} were never placed"
    );
}
