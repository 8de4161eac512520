//! Surveys over the API: build, open, answer without a key (with partial saves),
//! results per question; bad answers named, nothing stored half-way.

use super::spawn_app;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn survey() -> Value {
    let agree = json!([{"point": 1, "label": "Instämmer inte alls"}, {"point": 5, "label": "Instämmer helt"}]);
    json!({
        "title": "Hur var besöket?", "phase": "after", "channel": "store", "touchpoint_kind": "visit",
        "sections": [{"questions": [
            {"key": "welcome", "kind": "scale", "points": 5, "required": true, "anchors": agree, "text": "Jag kände mig välkommen."},
            {"key": "reason", "kind": "single_choice", "text": "Varför kom du?",
             "options": [{"key": "fika", "label": "Fika"}, {"key": "work", "label": "Arbete"}]},
            {"key": "recommend", "kind": "nps", "required": true, "text": "Skulle du rekommendera oss?"},
            {"key": "comment", "kind": "open_text", "max_length": 20, "text": "Något mer?"}
        ]}]
    })
}

#[tokio::test]
async fn people_answer_an_open_survey_and_the_provider_reads_the_results() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    let r = app.post(&key, "/surveys", survey()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let answer = |body: Value| {
        let (http, base, id) = (app.http.clone(), app.base.clone(), id.clone());
        async move {
            http.post(format!("{base}/api/v1/surveys/{id}/responses"))
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };

    // A draft takes no answers; opened, it does.
    let r = answer(json!({"answers": {"welcome": 4, "recommend": 9}})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .http
        .put(format!("{}/api/v1/surveys/{id}/status", app.base))
        .bearer_auth(&key)
        .json(&json!({"status": "open"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // Bad answers are named by question; nothing is stored.
    let r = answer(json!({"answers": {"welcome": 7, "reason": "sleep", "recommend": 9, "comment": "x".repeat(30)}})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for f in ["answers.welcome", "answers.reason", "answers.comment"] {
        assert!(fields.contains(&f), "{f} not named in {fields:?}");
    }

    // A partial save, then its completion; a completed response is final.
    let r = answer(json!({"answers": {"welcome": 5}, "partial": true})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let saved: Value = r.json().await.unwrap();
    assert_eq!(saved["completed"], false);
    let rid = saved["id"].as_str().unwrap();
    let finish = json!({"answers": {"welcome": 5, "recommend": 10, "reason": "fika"}});
    let r = app
        .http
        .put(format!("{}/api/v1/surveys/{id}/responses/{rid}", app.base))
        .json(&finish)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = app
        .http
        .put(format!("{}/api/v1/surveys/{id}/responses/{rid}", app.base))
        .json(&finish)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    for (welcome, recommend) in [(4, 9), (2, 3), (4, 7)] {
        let r = answer(
            json!({"answers": {"welcome": welcome, "recommend": recommend, "reason": "work"}}),
        )
        .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }

    let results: Value = app
        .get(&key, &format!("/surveys/{id}/results"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(results["responses"], 4);
    let q = |k: &str| {
        results["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["key"] == k)
            .unwrap()["result"]
            .clone()
    };
    assert_eq!(q("welcome")["describe"]["summary"]["mean"], 3.75);
    assert_eq!(q("welcome")["top_two_box"]["successes"], 3);
    assert_eq!(q("reason")["counts"], json!({"fika": 1, "work": 3}));
    // Promoters 10, 9; passive 7; detractor 3: NPS = (2 - 1) / 4 = 25.
    assert_eq!(q("recommend")["nps"]["score"], 25.0);

    // The export: one row per response (the partial save was completed), one column per question.
    let csv = app
        .get(&key, &format!("/surveys/{id}/responses.csv"))
        .await
        .text()
        .await
        .unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "response_id,survey_version,submitted_at,completed,language,welcome,reason,recommend,comment"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 4);
    assert!(
        rows.iter().any(|r| r.ends_with(",true,sv,5,fika,10,")),
        "{csv}"
    );

    // A visit in the store, after: the survey is offered with its link; a web search is not.
    let visit: Value = app
        .post(
            &key,
            "/touchpoints",
            json!({"identifiers": [{"kind": "loyalty_card", "value": "K1"}], "channel": "store",
            "kind": "visit", "phase": "after", "occurred_at": "2026-11-20T10:00:00Z"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let offered: Value = app
        .get(
            &key,
            &format!(
                "/touchpoints/{}/survey-invitations",
                visit["id"].as_str().unwrap()
            ),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        offered[0]["link"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/s/{id}")),
        "{offered}"
    );
    let search: Value = app
        .post(
            &key,
            "/touchpoints",
            json!({"identifiers": [{"kind": "loyalty_card", "value": "K1"}], "channel": "web",
            "kind": "search", "occurred_at": "2026-11-20T09:00:00Z"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let offered: Value = app
        .get(
            &key,
            &format!(
                "/touchpoints/{}/survey-invitations",
                search["id"].as_str().unwrap()
            ),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(offered, json!([]));

    // Another provider sees neither the survey nor its results; a closed survey takes no more answers.
    let other = app.provider("Banken").await;
    assert_eq!(
        app.get(&other, &format!("/surveys/{id}/results"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    app.http
        .put(format!("{}/api/v1/surveys/{id}/status", app.base))
        .bearer_auth(&key)
        .json(&json!({"status": "closed"}))
        .send()
        .await
        .unwrap();
    let r = answer(json!({"answers": {"welcome": 4, "recommend": 9}})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post(
            &key,
            "/surveys",
            json!({"title": "X", "channel": "carrier_pigeon", "sections": []}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
