//! Journeys over HTTP: a provider's anchors and windows, and a person's touchpoints
//! as journeys with the phases inferred where the sender declared none.

use super::spawn_app;
use super::ui::Browser;
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

/// The fields a problem names, in order.
fn named(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|e| {
            e.iter()
                .map(|e| e["field"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn journey_figures_funnels_and_attribution_count_every_persons_journeys() {
    let app = spawn_app().await;
    let key = app.provider("Kanelbullen").await;
    // Ada finds the café on a forum, books on the web, visits and buys; Bo buys
    // without anything before; Cy reads the menu on the web and visits without buying.
    let events: Vec<Value> = [
        (
            "a-1",
            "ada",
            "forum",
            "post.read",
            "2026-06-01T10:00:00+02:00",
        ),
        (
            "a-2",
            "ada",
            "web",
            "table_booking",
            "2026-06-02T10:00:00+02:00",
        ),
        ("a-3", "ada", "store", "visit", "2026-06-03T12:00:00+02:00"),
        (
            "a-4",
            "ada",
            "store",
            "purchase",
            "2026-06-03T12:30:00+02:00",
        ),
        (
            "b-1",
            "bo",
            "store",
            "purchase",
            "2026-06-10T09:00:00+02:00",
        ),
        (
            "c-1",
            "cy",
            "web",
            "menu.viewed",
            "2026-06-10T08:00:00+02:00",
        ),
        ("c-2", "cy", "store", "visit", "2026-06-10T12:00:00+02:00"),
    ]
    .into_iter()
    .map(|(id, who, channel, kind, at)| {
        json!({"event_id": id, "identifiers": [{"kind": "customer_number", "value": who}],
               "channel": channel, "kind": kind, "occurred_at": at})
    })
    .collect();
    app.send_placed(&key, events).await;

    let f: Value = app
        .get(&key, "/journeys/figures")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            f["journeys"].as_u64(),
            f["persons"].as_u64(),
            f["touchpoints"].as_u64()
        ),
        (Some(3), Some(3), Some(7)),
        "{f}"
    );
    let before = &f["own_and_uncontrolled"][0];
    assert_eq!(
        (
            before["phase"].as_str(),
            before["own"].as_u64(),
            before["uncontrolled"].as_u64()
        ),
        (Some("before"), Some(2), Some(1)),
        "{f}"
    );
    // The trend is by week: the week of 1 June holds Ada's journey, that of 8 June two.
    let trend: Vec<(String, u64)> = f["trend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["start"].as_str().unwrap().to_string(),
                p["journeys"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        trend,
        [("2026-06-01".to_string(), 1), ("2026-06-08".to_string(), 2)]
    );

    // The period counts a journey by its meeting's day, the last day included.
    let june10: Value = app
        .get(
            &key,
            "/journeys/figures?from=2026-06-10&to=2026-06-10&unit=day",
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(june10["journeys"], 2, "{june10}");
    let forum: Value = app
        .get(&key, "/journeys/figures?channel=forum")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(forum["journeys"], 1, "{forum}");

    let steps: Value = app
        .get(&key, "/journeys/funnel?steps=table_booking,visit,purchase")
        .await
        .json()
        .await
        .unwrap();
    let counts: Vec<u64> = steps
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["journeys"].as_u64().unwrap())
        .collect();
    assert_eq!(counts, [1, 1, 1], "{steps}");
    assert_eq!(steps[2]["median_minutes"], 30.0);

    let a: Value = app
        .get(&key, "/journeys/attribution")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            a["journeys"].as_u64(),
            a["outcomes"].as_u64(),
            a["unattributed"].as_u64()
        ),
        (Some(3), Some(2), Some(1)),
        "{a}"
    );
    for model in a["models"].as_array().unwrap() {
        let sum: f64 = model["channels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["credit"].as_f64().unwrap())
            .sum();
        assert!((sum + 1.0 - 2.0).abs() < 1e-9, "{model}");
    }

    // Bad filter values are a bad request naming the parameter.
    for (query, field) in [
        ("/journeys/figures?from=2026-13-01", "from"),
        ("/journeys/figures?from=2026-06-10&to=2026-06-01", "to"),
        ("/journeys/figures?channel=pigeon", "channel"),
        ("/journeys/figures?unit=year", "unit"),
        ("/journeys/funnel?steps=visit", "steps"),
        ("/journeys/funnel?steps=visit,K%C3%B6p", "steps"),
        ("/journeys/attribution?outcome=K%C3%B6p", "outcome"),
    ] {
        let r = app.get(&key, query).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{query}");
        let problem: Value = r.json().await.unwrap();
        assert_eq!(named(&problem), [field], "{query}: {problem}");
    }

    // Another provider's figures count nothing of the café's.
    let other = app.provider("Banken").await;
    let f: Value = app
        .get(&other, "/journeys/figures")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (f["journeys"].as_u64(), f["touchpoints"].as_u64()),
        (Some(0), Some(0))
    );
}

/// Sends `persons` customers' journeys (each: a touchpoint in `before` two hours before
/// a `kind` in the store) and waits until all are placed.
async fn customers(
    app: &super::App,
    key: &str,
    prefix: &str,
    persons: usize,
    before: &str,
    kind: &str,
) {
    let events: Vec<Value> = (0..persons)
        .flat_map(|i| {
            let who = json!([{"kind": "customer_number", "value": format!("{prefix}-{i}")}]);
            [
                json!({"event_id": format!("{prefix}-{i}-a"), "identifiers": who, "channel": before,
                       "kind": "menu.viewed", "occurred_at": "2026-06-10T08:00:00+02:00"}),
                json!({"event_id": format!("{prefix}-{i}-b"), "identifiers": who, "channel": "store",
                       "kind": kind, "occurred_at": "2026-06-10T10:00:00+02:00"}),
            ]
        })
        .collect();
    app.send_placed(key, events).await;
}

#[tokio::test]
async fn the_town_centre_view_counts_the_members_together_as_far_as_they_agreed() {
    let app = spawn_app().await;
    let cafe = app.provider("Kanelbullen").await;
    let bank = app.provider("Banken").await;
    let outsider = app.provider("Grannstaden").await;
    customers(&app, &cafe, "c", 12, "web", "purchase").await;
    customers(&app, &bank, "b", 10, "app", "meeting").await;
    let id = |key: &str| {
        let app = &app;
        let key = key.to_string();
        async move {
            app.get(&key, "/providers/me")
                .await
                .json::<Value>()
                .await
                .unwrap()["id"]
                .clone()
        }
    };
    let members = json!([id(&cafe).await, id(&bank).await]);
    let network = |shares: Value| {
        let app = &app;
        let members = members.clone();
        async move {
            let r = app
                .http
                .post(format!("{}/api/v1/networks", app.base))
                .bearer_auth(super::OPERATOR)
                .json(&json!({"name": "Torgets centrum", "shares": shares, "members": members}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::CREATED);
            r.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let journeys = network(json!(["journey_figures"])).await;
    let counts = network(json!(["aggregate_counts"])).await;

    let path = format!("/networks/{journeys}/journeys/figures");
    let v: Value = app.get(&bank, &path).await.json().await.unwrap();
    let f = &v["figures"];
    assert_eq!(
        (f["journeys"].as_u64(), f["persons"].as_u64()),
        (Some(22), Some(22)),
        "{v}"
    );
    let mix: Vec<&str> = f["mix"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["channel"].as_str().unwrap())
        .collect();
    assert_eq!(mix.len(), 3, "{v}");
    assert!(mix.contains(&"web") && mix.contains(&"app") && mix.contains(&"store"));
    // Flows are not shared: none of them, counted as withheld.
    assert_eq!(v["flows_shared"], false);
    assert!(f["flows"].as_array().unwrap().is_empty() && f["paths"].as_array().unwrap().is_empty());
    assert!(v["withheld"].as_u64().unwrap() >= 3, "{v}");

    // Outside the network: not found; a measure not shared: refused with its code.
    assert_eq!(
        app.get(&outsider, &path).await.status(),
        StatusCode::NOT_FOUND
    );
    let r = app
        .get(&cafe, &format!("/networks/{counts}/journeys/figures"))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["code"], "not-shared", "{problem}");
    let r = app.get(&cafe, &format!("{path}?from=den-10-juni")).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(named(&r.json().await.unwrap()), ["from"]);

    // The town-centre page says the same in words.
    app.user(&bank, "bo@bank.example", "hemligt-lösen").await;
    let mut bo = Browser::new(&app.base);
    bo.sign_in("bo@bank.example", "hemligt-lösen").await;
    let path = format!("/town-centre?network={journeys}");
    let shared = bo.get_html(&path, "en").await.text().await.unwrap();
    assert!(shared.contains("id=\"journeys-count\">22<"), "{shared}");
    assert!(
        shared.contains("id=\"flows-withheld\""),
        "no flows without channel_flows"
    );
    let path = format!("/town-centre?network={counts}");
    let withheld = bo.get_html(&path, "en").await.text().await.unwrap();
    assert!(
        withheld.contains("Not shown: ") && !withheld.contains("journeys-count"),
        "{withheld}"
    );
    app.user(&outsider, "oa@grann.example", "hemligt-lösen")
        .await;
    let mut oa = Browser::new(&app.base);
    oa.sign_in("oa@grann.example", "hemligt-lösen").await;
    let none = oa
        .get_html("/town-centre", "sv")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        none.contains("Er organisation hör inte till något nätverk."),
        "{none}"
    );
}
