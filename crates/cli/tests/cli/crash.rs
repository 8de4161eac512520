//! A write acknowledged with 2xx survives SIGKILL of the real server process.

use super::Server;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;

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

    let mut server = Server::on(&database);
    let url = server.url.clone();
    let key = server.provider_key(&http, "Butiken").await;

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

    let mut server = Server::on(&database);
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

/// Batches of `size` events with ids from `start`.
fn batch(start: usize, size: usize) -> Value {
    Value::Array((start..start + size).map(touchpoint).collect())
}

#[tokio::test]
async fn batches_retried_across_random_kills_are_stored_exactly_once() {
    const BATCHES: usize = 200;
    const SIZE: usize = 100;
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("batches.db").display().to_string();
    let http = Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let mut server = Server::on(&database);
    let key = server.provider_key(&http, "Butiken").await;

    // Kill moments drawn from the clock, so each run kills at other points.
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    let mut pending: Vec<usize> = (0..BATCHES).collect();
    let mut kills = 0;
    while !pending.is_empty() {
        let url = server.url.clone();
        let (h, k) = (http.clone(), key.clone());
        let todo = pending.clone();
        let client = tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            for b in todo {
                let sent = h
                    .post(format!("{url}/api/v1/touchpoints/batch"))
                    .bearer_auth(&k)
                    .json(&batch(b * SIZE, SIZE))
                    .send()
                    .await;
                match sent {
                    Ok(r) if r.status() == StatusCode::OK => acknowledged.push(b),
                    _ => break,
                }
            }
            acknowledged
        });
        if kills < 3 {
            let wait = 50 + (seed.wrapping_mul(kills as u64 + 7) % 400);
            tokio::time::sleep(Duration::from_millis(wait)).await;
            server.kill();
            kills += 1;
        }
        let acknowledged = client.await.unwrap();
        pending.retain(|b| !acknowledged.contains(b));
        if !pending.is_empty() || kills <= 3 {
            server = Server::on(&database);
        }
    }
    assert_eq!(kills, 3);

    // Every event is there exactly once.
    let mut seen = std::collections::HashMap::new();
    let mut after: Option<String> = None;
    loop {
        let mut url = format!("{}/api/v1/touchpoints?limit=1000", server.url);
        if let Some(a) = &after {
            url += &format!("&after={a}");
        }
        let page: Value = http
            .get(url)
            .bearer_auth(&key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for t in page["items"].as_array().unwrap() {
            *seen
                .entry(t["event_id"].as_str().unwrap().to_string())
                .or_insert(0) += 1;
        }
        match page["next"].as_str() {
            Some(n) => after = Some(n.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), BATCHES * SIZE, "every event stored");
    assert!(seen.values().all(|n| *n == 1), "no event stored twice");
    server.kill();
}
