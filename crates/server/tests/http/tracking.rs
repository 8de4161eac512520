//! The tracking protocol's endpoints over HTTP, as Segment's and RudderStack's SDKs
//! call them: Basic auth with the write key, gzip batches, one-letter browser paths
//! with the key in a text/plain body; every message stored once, with the
//! identifiers, channel and properties the mapping promises; bad messages kept in
//! the quarantine while the rest of the batch is stored.

use super::{App, spawn_app};
use base64::Engine;
use flate2::Compression;
use flate2::write::GzEncoder;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::Write;

fn basic(key: &str) -> String {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{key}:"));
    format!("Basic {token}")
}

fn gzip(body: &Value) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
    gz.write_all(body.to_string().as_bytes()).unwrap();
    gz.finish().unwrap()
}

/// The provider's touchpoints once every one is placed on a profile.
async fn placed(app: &App, key: &str, count: usize) -> Vec<Value> {
    for _ in 0..200 {
        let page: Value = app.get(key, "/touchpoints").await.json().await.unwrap();
        let items = page["items"].as_array().unwrap().clone();
        if items.len() == count && items.iter().all(|t| !t["profile_id"].is_null()) {
            return items;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("{count} touchpoints were not placed");
}

#[tokio::test]
async fn a_gzip_batch_is_stored_once_on_one_person_and_bad_messages_wait_in_the_quarantine() {
    let app = spawn_app().await;
    let key = app.provider("Kanelbullen").await;
    let batch = json!({
        "batch": [
            {"type": "identify", "messageId": "m-1", "userId": "k-1", "anonymousId": "a-1",
             "traits": {"email": "anna@example.se", "firstName": "Anna"},
             "timestamp": "2026-12-01T10:00:00Z"},
            {"type": "track", "messageId": "m-2", "userId": "k-1", "event": "Order Completed",
             "properties": {"revenue": 129.5}, "timestamp": "2026-12-01T10:05:00Z"},
            {"type": "page", "messageId": "m-3", "anonymousId": "a-1", "name": "Meny",
             "context": {"page": {"url": "https://kanelbullen.se/meny",
                                  "referrer": "https://www.reddit.com/r/stockholm"}},
             "timestamp": "2026-12-01T09:55:00Z"},
            {"type": "track", "userId": "k-1", "event": "Utan id"},
            {"type": "track", "messageId": "m-5", "userId": "k-1", "event": "Stor",
             "properties": {"text": "x".repeat(40 * 1024)}}
        ],
        "sentAt": "2026-12-01T10:06:00Z",
        "context": {"library": {"name": "analytics-python", "version": "2.4.0"}}
    });
    let send = || async {
        app.http
            .post(format!("{}/tracking/v1/batch", app.base))
            .header("authorization", basic(&key))
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
            .body(gzip(&batch))
            .send()
            .await
            .unwrap()
    };
    let r = send().await;
    assert_eq!(r.status(), StatusCode::OK);
    let answer: Value = r.json().await.unwrap();
    assert_eq!(
        answer,
        json!({"success": true, "accepted": 3, "duplicates": 0, "rejected": 2, "skipped": 0})
    );

    let stored = placed(&app, &key, 3).await;
    let by_id = |id: &str| {
        stored
            .iter()
            .find(|t| t["event_id"] == id)
            .unwrap_or_else(|| panic!("no {id}"))
    };
    let (identify, order, page) = (by_id("m-1"), by_id("m-2"), by_id("m-3"));
    assert_eq!(
        (&identify["kind"], &identify["channel"]),
        (&json!("identify"), &json!("web"))
    );
    assert_eq!(order["kind"], "purchase");
    assert_eq!(order["properties"]["revenue"], 129.5);
    assert_eq!(order["properties"]["event"], "Order Completed");
    assert_eq!(page["channel"], "forum", "came from a forum: {page}");
    assert_eq!(
        page["properties"]["page"]["url"],
        "https://kanelbullen.se/meny"
    );
    // identify joined the customer number, the browser's id and the e-mail: one person.
    let profile = &identify["profile_id"];
    assert!(
        stored.iter().all(|t| &t["profile_id"] == profile),
        "{stored:?}"
    );
    let p: Value = app
        .get(&key, &format!("/profiles/{}", profile.as_str().unwrap()))
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<String> = p["identifiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            format!(
                "{}:{}",
                i["kind"].as_str().unwrap(),
                i["value"].as_str().unwrap()
            )
        })
        .collect();
    for id in [
        "customer_number:k-1",
        "device_id:a-1",
        "email:anna@example.se",
    ] {
        assert!(ids.contains(&id.to_string()), "{ids:?}");
    }
    assert_eq!(p["attributes"]["given_name"], "Anna");

    let held: Value = app
        .get(&key, "/quarantine?source=tracking")
        .await
        .json()
        .await
        .unwrap();
    let fields: Vec<&str> = held["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["errors"][0]["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields.len(), 2, "{held}");
    assert!(
        fields.contains(&"messageId") && fields.contains(&""),
        "{fields:?}"
    );

    // A body over the limit is answered 413, which the SDKs do not retry.
    let huge = format!(
        "{{\"batch\": [{{\"pad\": \"{}\"}}]}}",
        "x".repeat(4 * 1024 * 1024)
    );
    let r = app
        .http
        .post(format!("{}/tracking/v1/batch", app.base))
        .header("authorization", basic(&key))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // The SDK retries after a lost answer: nothing is stored twice.
    let again: Value = send().await.json().await.unwrap();
    assert_eq!(
        (again["accepted"].as_u64(), again["duplicates"].as_u64()),
        (Some(0), Some(3))
    );
    assert_eq!(placed(&app, &key, 3).await.len(), 3);
}

#[tokio::test]
async fn a_browser_sends_one_call_with_the_key_in_a_text_body_from_an_allowed_origin() {
    let app = spawn_app().await;
    let key = app.provider("Kanelbullen").await;
    let r = app
        .post(
            &key,
            "/api-keys",
            json!({"label": "web", "kind": "publishable", "origins": ["https://kanelbullen.se"]}),
        )
        .await;
    let public = r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let call = |path: &str, origin: &str, body: Value| {
        app.http
            .post(format!("{}/tracking/v1/{path}", app.base))
            .header("content-type", "text/plain")
            .header("origin", origin)
            .body(body.to_string())
            .send()
    };
    let page = json!({"messageId": "w-1", "anonymousId": "a-7", "writeKey": public,
                      "context": {"page": {"url": "https://kanelbullen.se/"}}});
    let r = call("p", "https://kanelbullen.se", page.clone())
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = call("p", "https://elsewhere.example", page).await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // A bad single call is refused by name, and kept for replay with its call.
    let r = call(
        "t",
        "https://kanelbullen.se",
        json!({"messageId": "w-2", "anonymousId": "a-7", "writeKey": public}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "event", "{problem}");
    let held: Value = app
        .get(&key, "/quarantine?source=tracking")
        .await
        .json()
        .await
        .unwrap();
    let raw: Value = serde_json::from_str(held["items"][0]["raw"].as_str().unwrap()).unwrap();
    assert_eq!(raw["type"], "track");

    let secret = Some(basic(&key));
    for (path, body, auth, status) in [
        (
            "t",
            "{not json".to_string(),
            secret.clone(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "x",
            json!({"writeKey": public}).to_string(),
            None,
            StatusCode::NOT_FOUND,
        ),
        (
            "t",
            json!({"messageId": "w-3", "event": "E"}).to_string(),
            None,
            StatusCode::UNAUTHORIZED,
        ),
        ("t", "{not json".to_string(), None, StatusCode::UNAUTHORIZED),
        (
            "t",
            json!({"messageId": "w-3", "event": "E", "writeKey": "mp_key_nope"}).to_string(),
            None,
            StatusCode::UNAUTHORIZED,
        ),
        (
            "t",
            json!({"messageId": "w-3", "event": "E"}).to_string(),
            Some("Basic ***".into()),
            StatusCode::UNAUTHORIZED,
        ),
    ] {
        let mut r = app
            .http
            .post(format!("{}/tracking/v1/{path}", app.base))
            .header("content-type", "text/plain")
            .body(body.clone());
        if let Some(auth) = &auth {
            r = r.header("authorization", auth);
        }
        let r = r.send().await.unwrap();
        assert_eq!(r.status(), status, "{path} {body} {auth:?}");
    }

    // The browser asks first whether it may send the key and the retry count.
    let r = app
        .http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/tracking/v1/t", app.base),
        )
        .header("origin", "https://kanelbullen.se")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization,content-type,x-retry-count",
        )
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "https://kanelbullen.se"
    );
    let allowed = r.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(allowed.contains("x-retry-count"), "{allowed}");
}

/// The provider's own table names the kinds, at once after it changes.
#[tokio::test]
async fn track_names_become_kinds_through_the_providers_table() {
    let app = spawn_app().await;
    let key = app.provider("Kanelbullen").await;
    let send = |id: &str| {
        app.http
            .post(format!("{}/tracking/v1/track", app.base))
            .header("authorization", basic(&key))
            .json(&json!({"messageId": id, "userId": "k-1", "event": "Bord bokat"}))
            .send()
    };
    assert_eq!(send("n-1").await.unwrap().status(), StatusCode::OK);
    let r = app
        .http
        .put(format!("{}/api/v1/event-names", app.base))
        .bearer_auth(&key)
        .json(&json!({"kinds": {"Bord bokat": "table_booking"}, "default_channel": "store"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(send("n-2").await.unwrap().status(), StatusCode::OK);
    let stored = placed(&app, &key, 2).await;
    let kind_and_channel = |id: &str| {
        let t = stored.iter().find(|t| t["event_id"] == id).unwrap();
        (t["kind"].clone(), t["channel"].clone())
    };
    assert_eq!(kind_and_channel("n-1"), (json!("bord_bokat"), json!("web")));
    assert_eq!(
        kind_and_channel("n-2"),
        (json!("table_booking"), json!("store"))
    );
}

#[tokio::test]
async fn the_quarantine_replays_a_message_once_its_reason_is_gone() {
    let app = spawn_app().await;
    let key = app.provider("Kanelbullen").await;
    let body = json!({"batch": [{"type": "track", "messageId": "q-1", "userId": "k-9", "event": "Kassa",
                                 "context": {"channel": "kassa"}}]});
    let r = app
        .http
        .post(format!("{}/tracking/v1/batch", app.base))
        .header("authorization", basic(&key))
        .json(&body)
        .send()
        .await
        .unwrap();
    let answer: Value = r.json().await.unwrap();
    // `kassa` is not a channel yet, and not a built-in one: the channel is chosen as web.
    assert_eq!(answer["accepted"], 1, "{answer}");
    let r = app
        .http
        .post(format!("{}/tracking/v1/batch", app.base))
        .header("authorization", basic(&key))
        .json(&json!({"batch": [{"type": "track", "messageId": "q-2", "userId": "k-9", "event": "Kassa",
                                 "timestamp": "igår"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["rejected"], 1);
    let held: Value = app
        .get(&key, "/quarantine?source=tracking")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(held["items"][0]["errors"][0]["field"], "timestamp");
    let id = held["items"][0]["id"].as_str().unwrap().to_string();
    let fixed = json!({"type": "track", "messageId": "q-2", "userId": "k-9", "event": "Kassa",
                       "timestamp": "2026-12-06T12:00:00Z"});
    let r = app
        .http
        .post(format!("{}/api/v1/quarantine/{id}/replay", app.base))
        .bearer_auth(&key)
        .json(&fixed)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let t: Value = r.json().await.unwrap();
    assert_eq!(
        (&t["event_id"], &t["kind"]),
        (&json!("q-2"), &json!("kassa"))
    );
}
