//! Journeys over HTTP: a provider's anchors and windows, and a person's touchpoints
//! as journeys with the phases inferred where the sender declared none.

use super::spawn_app;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn a_persons_touchpoints_become_journeys_by_the_providers_anchors() {
    let app = spawn_app().await;
    let key = app.provider("Kanelbullen").await;
    let anna = json!([{"kind": "customer_number", "value": "k-1"}]);
    let events: Vec<Value> = [
        ("t-1", "web", "search", "2026-06-01T10:00:00+02:00", None),
        (
            "t-2",
            "store",
            "purchase",
            "2026-06-03T12:00:00+02:00",
            None,
        ),
        ("t-3", "app", "review", "2026-06-05T09:00:00+02:00", None),
        (
            "t-4",
            "email",
            "call",
            "2026-06-02T09:00:00+02:00",
            Some("during"),
        ),
        ("t-5", "web", "search", "2026-01-01T10:00:00+01:00", None),
    ]
    .into_iter()
    .map(|(id, channel, kind, at, phase)| {
        let mut e = json!({"event_id": id, "identifiers": anna, "channel": channel,
                           "kind": kind, "occurred_at": at});
        if let Some(p) = phase {
            e["phase"] = json!(p);
        }
        e
    })
    .collect();
    let r = app.post(&key, "/touchpoints/batch", json!(events)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let person = loop {
        let page: Value = app.get(&key, "/touchpoints").await.json().await.unwrap();
        let items = page["items"].as_array().unwrap();
        if items.len() == 5 && items.iter().all(|t| !t["profile_id"].is_null()) {
            let profile: Value = app
                .get(
                    &key,
                    &format!("/profiles/{}", items[0]["profile_id"].as_str().unwrap()),
                )
                .await
                .json()
                .await
                .unwrap();
            break profile["person_id"].as_str().unwrap().to_string();
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };

    let path = format!("/persons/{person}/journeys");
    let v: Value = app.get(&key, &path).await.json().await.unwrap();
    assert_eq!(v["time_zone"], "Europe/Stockholm");
    let journeys = v["journeys"].as_array().unwrap();
    assert_eq!(journeys.len(), 1, "{v}");
    assert_eq!(journeys[0]["anchor_kind"], "purchase");
    let phases: Vec<(String, &str, bool)> = journeys[0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["at"].as_str().unwrap().to_string(),
                s["phase"].as_str().unwrap(),
                s["inferred"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        phases.iter().map(|(_, p, i)| (*p, *i)).collect::<Vec<_>>(),
        [
            ("before", true),
            ("during", false),
            ("during", true),
            ("after", true)
        ],
        "{v}"
    );
    assert_eq!(
        v["outside"].as_array().unwrap().len(),
        1,
        "January is outside"
    );

    // With the review as an anchor of its own and no days after, the review is a
    // meeting and the purchase has nothing after it.
    let r = app
        .http
        .put(format!("{}/api/v1/journey-settings", app.base))
        .bearer_auth(&key)
        .json(&json!({"anchors": ["purchase", "review"], "after_days": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = app.get(&key, &path).await.json().await.unwrap();
    assert_eq!(v["journeys"].as_array().unwrap().len(), 2, "{v}");
    assert_eq!(v["settings"]["before_days"], 14);

    // Bad settings are named; another provider does not find the person.
    let r = app
        .http
        .put(format!("{}/api/v1/journey-settings", app.base))
        .bearer_auth(&key)
        .json(&json!({"anchors": ["Köp"], "before_days": 9999}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["anchors[0]", "before_days"]);
    let other = app.provider("Banken").await;
    assert_eq!(app.get(&other, &path).await.status(), StatusCode::NOT_FOUND);
}
