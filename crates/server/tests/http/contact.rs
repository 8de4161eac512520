//! The contact-decision API: consents imported, decisions with their reasons, a held
//! contact confirmed into the person's journeys, bad requests named field by field,
//! and one budget held exactly under many parallel askers.

use super::{App, spawn_app, spawn_app_on_postgres};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn consented(app: &App, key: &str, email: &str) -> String {
    let profile = app.profile_with_email(key, email).await;
    let r = app
        .post(
            key,
            "/consents",
            json!({"consents": [{"profile_id": profile, "purpose": "marketing", "given": true,
                    "at": "2026-01-10T09:00:00Z"}]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["imported"], 1);
    profile
}

fn marketing(profile: &str) -> Value {
    json!({"profile_id": profile, "channel": "email", "purpose": "marketing"})
}

#[tokio::test]
async fn an_allowed_contact_is_held_confirmed_once_and_becomes_a_touchpoint() {
    let app = spawn_app().await;
    let key = app.provider_at_noon("Butiken").await;
    let profile = app.profile_with_email(&key, "eva@example.se").await;

    let r = app
        .post(&key, "/contact-decisions", marketing(&profile))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let no: Value = r.json().await.unwrap();
    assert_eq!(no["verdict"], "deny", "{no}");
    assert_eq!(no["reasons"][0]["code"], "contact-no-consent");
    assert!(no["decision_id"].is_null());

    let profile = consented(&app, &key, "ada@example.se").await;
    let yes: Value = app
        .post(&key, "/contact-decisions", marketing(&profile))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(yes["verdict"], "allow", "{yes}");
    let codes: Vec<&str> = yes["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["contact-consented", "contact-within-budget"]);
    assert_eq!(yes["reasons"][1]["params"]["budget"], 3);
    let id = yes["decision_id"].as_str().unwrap();

    // Another provider cannot confirm it, nor learn that it exists.
    let other = app.provider("Banken").await;
    let r = app
        .post(&other, &format!("/contact-decisions/{id}/sent"), json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    let sent: Value = app
        .post(&key, &format!("/contact-decisions/{id}/sent"), json!({}))
        .await
        .json()
        .await
        .unwrap();
    let again: Value = app
        .post(&key, &format!("/contact-decisions/{id}/sent"), json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sent, again, "confirming twice answers the same");
    let touchpoint: Value = app
        .get(
            &key,
            &format!("/touchpoints/{}", sent["touchpoint_id"].as_str().unwrap()),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(touchpoint["kind"], "contact.marketing");
    assert_eq!(touchpoint["initiator"], "provider");
    assert_eq!(touchpoint["channel"], "email");
    assert_eq!(touchpoint["profile_id"], profile);
}

#[tokio::test]
async fn bad_requests_name_each_field() {
    let app = spawn_app().await;
    let key = app.provider_at_noon("Butiken").await;
    let profile = app.profile_with_email(&key, "eva@example.se").await;
    let fields = |v: Value| -> Vec<(String, String)> {
        v["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("{v}"))
            .iter()
            .map(|e| {
                (
                    e["field"].as_str().unwrap().to_string(),
                    e["code"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let cases = [
        (
            json!({}),
            vec![
                ("channel", "required"),
                ("purpose", "required"),
                ("person_id", "required-or"),
            ],
        ),
        (
            json!({"profile_id": profile, "channel": "pigeon", "purpose": "marketing", "urgency": "urgent"}),
            vec![
                ("urgency", "urgent-service"),
                ("channel", "unknown-channel"),
            ],
        ),
        (
            json!({"person_id": "00000000-0000-7000-8000-000000000000", "channel": "email", "purpose": "gossip"}),
            vec![("purpose", "one-of")],
        ),
        (
            json!({"person_id": "00000000-0000-7000-8000-000000000000", "channel": "email", "purpose": "service"}),
            vec![("person_id", "no-person")],
        ),
        (
            json!({"person_id": profile, "profile_id": profile, "channel": "email", "purpose": "service"}),
            vec![("person_id", "not-both")],
        ),
        (
            json!({"profile_id": "nobody", "channel": "email", "purpose": "service",
                   "context": {"phase": "later"}}),
            vec![("context.phase", "one-of"), ("profile_id", "no-profile")],
        ),
    ];
    for (body, want) in cases {
        let r = app.post(&key, "/contact-decisions", body.clone()).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let want: Vec<(String, String)> = want
            .into_iter()
            .map(|(f, c)| (f.to_string(), c.to_string()))
            .collect();
        assert_eq!(fields(r.json().await.unwrap()), want, "{body}");
    }
    let r = app
        .post(
            &key,
            "/consents",
            json!({"consents": [
                {"profile_id": profile, "purpose": "marketing", "given": true, "at": "2026-01-10T09:00:00Z"},
                {"profile_id": profile, "purpose": "spam", "at": "2026-01-10T09:00:00Z"}]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        fields(r.json().await.unwrap()),
        [
            ("consents[1].purpose".to_string(), "one-of".to_string()),
            ("consents[1].given".to_string(), "required".to_string())
        ]
    );
    let theirs = app.provider("Banken").await;
    let r = app
        .post(
            &theirs,
            "/consents",
            json!({"consents": [{"profile_id": profile, "purpose": "marketing", "given": true, "at": "2026-01-10T09:00:00Z"}]}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "another's profile"
    );
    assert_eq!(
        fields(r.json().await.unwrap()),
        [(
            "consents[0].profile_id".to_string(),
            "no-profile".to_string()
        )]
    );
}

#[tokio::test]
async fn many_parallel_askers_get_exactly_the_budget() {
    parallel_askers(spawn_app().await).await;
}

#[tokio::test]
async fn many_parallel_askers_get_exactly_the_budget_on_postgres() {
    if let Some(app) = spawn_app_on_postgres("contact_budget").await {
        parallel_askers(app).await;
    }
}

async fn parallel_askers(app: App) {
    let key = app.provider_at_noon("Butiken").await;
    let profile = consented(&app, &key, "eva@example.se").await;
    let asks: Vec<_> = (0..40)
        .map(|_| {
            let http = app.http.clone();
            let url = format!("{}/api/v1/contact-decisions", app.base);
            let (key, body) = (key.clone(), marketing(&profile));
            tokio::spawn(async move {
                let r = http
                    .post(url)
                    .bearer_auth(key)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), StatusCode::OK);
                r.json::<Value>().await.unwrap()["verdict"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
        })
        .collect();
    let mut verdicts = Vec::new();
    for a in asks {
        verdicts.push(a.await.unwrap());
    }
    assert_eq!(verdicts.iter().filter(|v| *v == "allow").count(), 3);
    assert_eq!(verdicts.iter().filter(|v| *v == "defer").count(), 37);
}
