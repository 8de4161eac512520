//! Segments over HTTP: saved per provider, checked field by field, and applied to
//! the journey figures and the value landscape; the motivation rules as a setting,
//! and the classifier beside people's own answers.

use super::{App, spawn_app};
use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Twelve persons, each with one visit five days ago. The first six are gold
/// members and got four e-mails from the provider in the weeks before; the first
/// four came as a party of four. The last six read a forum the day before.
async fn world(app: &App, key: &str) {
    let visit = Utc::now() - Duration::days(5);
    let at = |t: chrono::DateTime<Utc>| t.to_rfc3339();
    let mut events = Vec::new();
    for i in 0..12 {
        let who = json!([{"kind": "customer_number", "value": format!("k-{i}")}]);
        let mut v = json!({"event_id": format!("v-{i}"), "identifiers": who, "channel": "store",
                           "kind": "visit", "occurred_at": at(visit + Duration::minutes(i))});
        if i < 6 {
            v["attributes"] = json!({"tier": "gold"});
        }
        if i < 4 {
            v["properties"] = json!({"guests": 4});
        }
        events.push(v);
        if i < 6 {
            for m in 0..4 {
                events.push(json!({"event_id": format!("m-{i}-{m}"), "identifiers": who,
                    "channel": "email", "kind": "newsletter.sent", "initiator": "provider",
                    "occurred_at": at(visit - Duration::days(3 + 5 * m))}));
            }
        } else {
            events.push(json!({"event_id": format!("f-{i}"), "identifiers": who,
                "channel": "forum", "kind": "post.read",
                "occurred_at": at(visit - Duration::days(1))}));
        }
    }
    app.send_placed(key, events).await;
}

async fn figures(app: &App, key: &str, query: &str) -> Value {
    let r = app.get(key, &format!("/journeys/figures?{query}")).await;
    assert_eq!(r.status(), StatusCode::OK, "{query}");
    r.json().await.unwrap()
}

async fn segment(app: &App, key: &str, name: &str, rules: Value) -> String {
    let r = app
        .post(key, "/segments", json!({"name": name, "rules": rules}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn persons_in(app: &App, key: &str, id: &str) -> u64 {
    figures(app, key, &format!("segment={id}")).await["persons"]
        .as_u64()
        .unwrap()
}

fn fields(problem: &Value) -> Vec<(&str, &str)> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect()
}

#[tokio::test]
async fn a_segment_narrows_the_journey_figures_to_its_persons_and_journeys() {
    let app = spawn_app().await;
    let key = app.provider("Bistron").await;
    world(&app, &key).await;
    assert_eq!(figures(&app, &key, "").await["persons"], 12);

    let gold = segment(
        &app,
        &key,
        "Guld",
        json!({"traits": [{"key": "tier", "value": "gold"}]}),
    )
    .await;
    assert_eq!(persons_in(&app, &key, &gold).await, 6);
    let forum = segment(
        &app,
        &key,
        "Forum först",
        json!({"channels": ["forum"], "phases": ["before"]}),
    )
    .await;
    assert_eq!(persons_in(&app, &key, &forum).await, 6);
    let company = segment(
        &app,
        &key,
        "Sällskap",
        json!({"motivations": ["relationships"]}),
    )
    .await;
    assert_eq!(persons_in(&app, &key, &company).await, 4);
    let both = segment(
        &app,
        &key,
        "Guld från forum",
        json!({"traits": [{"key": "tier", "value": "gold"}], "channels": ["forum"]}),
    )
    .await;
    assert_eq!(persons_in(&app, &key, &both).await, 0);
    // The request's own filters apply within the segment.
    let f = figures(&app, &key, &format!("segment={gold}&channel=forum")).await;
    assert_eq!(f["persons"], 0);
    let funnel: Value = app
        .get(
            &key,
            &format!("/journeys/funnel?steps=post.read,visit&segment={forum}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(funnel[1]["journeys"], 6, "{funnel}");

    let list: Value = app.get(&key, "/segments").await.json().await.unwrap();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Forum först", "Guld", "Guld från forum", "Sällskap"]
    );

    // A change applies at once, though the placement is kept.
    let silver =
        json!({"name": "Silver", "rules": {"traits": [{"key": "tier", "value": "silver"}]}});
    let r = app.put(&key, &format!("/segments/{gold}"), silver).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(persons_in(&app, &key, &gold).await, 0);

    // Another provider neither sees nor uses the segment.
    let other = app.provider("Grannen").await;
    let r = app.get(&other, &format!("/segments/{gold}")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = app
        .get(&other, &format!("/journeys/figures?segment={gold}"))
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(fields(&problem), [("segment", "no-segment")]);

    let r = app
        .http
        .delete(format!("{}/api/v1/segments/{gold}", app.base))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = app
        .get(&key, &format!("/journeys/figures?segment={gold}"))
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = app
        .get(&key, "/journeys/attribution?segment=not-an-id")
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_bad_segment_names_each_field_and_a_second_name_conflicts() {
    let app = spawn_app().await;
    let key = app.provider("Bistron").await;
    segment(&app, &key, "Guld", json!({})).await;
    let r = app.post(&key, "/segments", json!({"name": "Guld"})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(fields(&r.json().await.unwrap()), [("name", "exists")]);
    let r = app
        .post(
            &key,
            "/segments",
            json!({"name": "Fel", "rules": {
                "to": "2026-01-01", "from": "2026-02-01",
                "channels": ["tiktok"],
                "answers": [{"survey": "0190b1a3-0000-7000-8000-000000000000",
                             "question": "motivation", "values": ["x"]}]}}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        fields(&r.json().await.unwrap()),
        [
            ("rules.to", "not-before"),
            ("rules.channels[0]", "unknown-channel"),
            ("rules.answers[0].survey", "no-survey"),
        ]
    );
}

fn motivation_survey() -> Value {
    json!({
        "title": {"sv": "Besöket"},
        "sections": [{"questions": [
            {"key": "welcome", "kind": "scale", "points": 5, "text": {"sv": "Välkommen?"},
             "anchors": [{"point": 1, "label": {"sv": "Nej"}}, {"point": 5, "label": {"sv": "Ja"}}]},
            {"key": "motivation", "kind": "single_choice", "text": {"sv": "Varför kom du?"},
             "options": [{"key": "relationships", "label": {"sv": "För sällskapet"}},
                         {"key": "goal_fulfilment", "label": {"sv": "Ett ärende"}},
                         {"key": "experiences", "label": {"sv": "En upplevelse"}}]}
        ]}]
    })
}

/// Customer k-`i` answers the survey `id` through a signed invitation, with consent:
/// why they came, and how welcome they felt (1 to 5).
async fn answer(app: &App, key: &str, id: &str, i: usize, motivation: &str, welcome: u8) {
    let found: Value = app
        .get(
            key,
            &format!("/profiles?identifier_kind=customer_number&identifier_value=k-{i}"),
        )
        .await
        .json()
        .await
        .unwrap();
    let profile = found["items"][0]["id"].as_str().unwrap().to_string();
    let invitation: Value = app
        .post(
            key,
            &format!("/surveys/{id}/invitations"),
            json!({"profile_id": profile}),
        )
        .await
        .json()
        .await
        .unwrap();
    let link = invitation["link"].as_str().unwrap();
    let invite = link.split("?invite=").nth(1).unwrap();
    let body = json!({"answers": {"motivation": motivation, "welcome": welcome},
                      "consent": true, "invitation": invite});
    app.answer(id, &body).await;
}

#[tokio::test]
async fn the_value_landscape_shows_motivation_pressure_and_what_people_said() {
    let app = spawn_app().await;
    let key = app.provider("Bistron").await;
    world(&app, &key).await;
    let survey = app.open_survey(&key, motivation_survey()).await;
    answer(&app, &key, &survey, 0, "relationships", 5).await;
    answer(&app, &key, &survey, 1, "experiences", 4).await;

    let v: Value = app
        .get(&key, "/journeys/landscape")
        .await
        .json()
        .await
        .unwrap();
    let l = &v["landscape"];
    assert_eq!(l["journeys"], 12);
    let mix = |m: &str| {
        l["mix"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["motivation"] == m)
            .map_or(0, |c| c["journeys"].as_u64().unwrap())
    };
    assert_eq!(mix("relationships"), 4, "{v}");
    let party = l["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "party")
        .unwrap();
    assert_eq!(party["journeys"], 4);
    // Four e-mails in four weeks is the highest band; the others got none.
    let cell = |band: &str, m: &str| {
        l["pressure"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["band"] == band && c["motivation"] == m)
            .map_or(0, |c| c["journeys"].as_u64().unwrap())
    };
    assert_eq!(cell("high", "relationships"), 4, "{v}");
    assert_eq!(cell("none", "relationships"), 0);
    // Two answers, each beside the person's visit: the party agrees, the other not.
    assert_eq!(v["asked"]["compared"], 2, "{v}");
    assert_eq!(v["asked"]["agreed"], 1);
    assert_eq!(v["asked"]["agreement"], 0.5);
    // Both came for company under high pressure: 5 and 4 of 5 pool to (100 + 75) / 2.
    let scores = v["asked"]["scores"].as_array().unwrap();
    assert_eq!(scores.len(), 1, "{v}");
    assert_eq!(scores[0]["band"], "high");
    assert_eq!(scores[0]["motivation"], "relationships");
    assert_eq!(scores[0]["responses"], 2);
    assert_eq!(scores[0]["mean"], 87.5);

    // A segment of those who said they came for company.
    let said = segment(
        &app,
        &key,
        "Sade sällskap",
        json!({"answers": [{"survey": survey, "question": "motivation", "values": ["relationships"]}]}),
    )
    .await;
    assert_eq!(persons_in(&app, &key, &said).await, 1);
    let v: Value = app
        .get(&key, &format!("/journeys/landscape?segment={said}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["landscape"]["journeys"], 1);

    // The provider's own rules apply at once.
    let rules = json!({"rules": [{"key": "all", "motivation": "experiences"}]});
    let r = app.put(&key, "/motivation-rules", rules).await;
    assert_eq!(r.status(), StatusCode::OK);
    let rules: Value = app
        .get(&key, "/motivation-rules")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rules["rules"][0]["key"], "all");
    let v: Value = app
        .get(&key, "/journeys/landscape")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["landscape"]["mix"][0]["motivation"], "experiences");
    assert_eq!(v["landscape"]["mix"][0]["journeys"], 12);
    let rules = json!({"rules": [{"key": "all", "motivation": "fun"}]});
    let r = app.put(&key, "/motivation-rules", rules).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
