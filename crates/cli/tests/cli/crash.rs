//! A write acknowledged with 2xx survives SIGKILL of the real server process.

use super::Server;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;

const OPERATOR: &str = "crash-test-operator";

fn touchpoint(i: usize) -> Value {
    json!({
        "event_id": format!("crash-{i}"),
        "identifiers": [{"kind": "customer_number", "value": format!("C{}", i % 50)}],
        "channel": "store", "kind": "purchase", "occurred_at": "2026-11-20T12:00:00Z",
        "properties": {"i": i}
    })
}

#[tokio::test]
async fn acknowledged_touchpoints_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("crash.db").display().to_string();
    let http = Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();

    let mut server = Server::start(
        &["--database", &database],
        &[("MOTESPLATS_OPERATOR_TOKEN", OPERATOR)],
    );
    let url = server.url.clone();
    let created: Value = http
        .post(format!("{url}/api/v1/providers"))
        .bearer_auth(OPERATOR)
        .json(&json!({"name": "Butiken"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = created["api_key"]["token"].as_str().unwrap().to_string();

    // Four clients stream touchpoints; the server is killed while they do.
    let mut clients = Vec::new();
    for c in 0..4 {
        let (http, url, key) = (http.clone(), url.clone(), key.clone());
        clients.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            for i in (c..).step_by(4) {
                let sent = http
                    .post(format!("{url}/api/v1/touchpoints"))
                    .bearer_auth(&key)
                    .json(&touchpoint(i))
                    .send()
                    .await;
                match sent {
                    Ok(r) if r.status() == StatusCode::CREATED => {
                        let body: Value = r.json().await.unwrap_or_default();
                        if let Some(id) = body["id"].as_str() {
                            acknowledged.push((i, id.to_string()));
                        }
                    }
                    _ => break,
                }
            }
            acknowledged
        }));
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    server.kill();
    let mut acknowledged = Vec::new();
    for c in clients {
        acknowledged.extend(c.await.unwrap());
    }
    assert!(
        acknowledged.len() > 10,
        "the clients got too few writes in before the kill: {}",
        acknowledged.len()
    );

    let mut server = Server::start(
        &["--database", &database],
        &[("MOTESPLATS_OPERATOR_TOKEN", OPERATOR)],
    );
    let url = server.url.clone();
    for (i, id) in &acknowledged {
        let r = http
            .get(format!("{url}/api/v1/touchpoints/{id}"))
            .bearer_auth(&key)
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::OK,
            "acknowledged touchpoint {i} ({id}) was lost"
        );
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["properties"]["i"], *i);
    }
    // A retry of an acknowledged event after the restart is recognised, not stored again.
    let (i, id) = &acknowledged[0];
    let r = http
        .post(format!("{url}/api/v1/touchpoints"))
        .bearer_auth(&key)
        .json(&touchpoint(*i))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["id"], id.as_str());
    server.kill();
}
