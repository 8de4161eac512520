//! Reason codes reach people with their numbers, written the page's way. One test per
//! family of codes in `crates/core/src/reason.rs` that carries numbers (the survey
//! family is checked in `survey_builder.rs`, where the builder draws "båda ändarna, 1
//! och 5"): limits of any field and the edges, kept with a stored event (the
//! quarantine page); numbers and ranges (a refused page); a research form's group
//! size; changes that met another change (the codebook); coding (a span past the
//! answer); statistics (the results page's cross-tabulation). The API answers the same
//! refusals with the code and its parameters.

use super::spawn_app;
use super::ui::Browser;
use reqwest::StatusCode;
use reqwest::multipart::Form;
use serde_json::{Value, json};

const NBSP: char = '\u{a0}';

fn form(fields: &[(&str, &str)]) -> Form {
    fields.iter().fold(Form::new(), |f, (name, value)| {
        f.text(name.to_string(), value.to_string())
    })
}

async fn page(browser: &mut Browser, path: &str, lang: &str) -> String {
    browser.get(path, lang).await.text().await.unwrap()
}

#[tokio::test]
async fn a_stored_reason_is_said_with_its_limit_in_each_language() {
    let app = spawn_app().await;
    let key = app.provider("Skivbutiken").await;
    app.user(&key, "ada@skiva.example", "hemligt-lösen").await;
    let heavy = json!({
        "event_id": "heavy-1",
        "identifiers": [{"kind": "email", "value": "kim@example.se"}],
        "channel": "web", "kind": "visit", "occurred_at": "2026-11-20T10:00:00Z",
        "properties": {"note": "x".repeat(20_000)}
    });
    let ahead = json!({
        "event_id": "ahead-1",
        "identifiers": [{"kind": "email", "value": "kim@example.se"}],
        "channel": "web", "kind": "visit", "occurred_at": "2099-01-01T10:00:00Z"
    });
    let result = app.batch_json(&key, &[heavy, ahead]).await;
    let error = &result["events"][0]["errors"][0];
    assert_eq!(error["field"], "properties", "{result}");
    assert_eq!(error["code"], "too-large-json");
    assert_eq!(error["params"], json!({"max": 16384}));
    let error = &result["events"][1]["errors"][0];
    assert_eq!(error["code"], "too-far-ahead", "{result}");
    assert_eq!(error["params"], json!({"hours": 24}));

    let mut ada = Browser::new(&app.base);
    ada.sign_in("ada@skiva.example", "hemligt-lösen").await;
    let sv = page(&mut ada, "/quarantine", "sv").await;
    assert!(
        sv.contains(&format!("får vara högst 16{NBSP}384 byte som JSON")),
        "{sv}"
    );
    assert!(sv.contains("ligger mer än 24 timmar fram i tiden"), "{sv}");
    let en = page(&mut ada, "/quarantine", "en").await;
    assert!(en.contains("must be at most 16,384 bytes as JSON"), "{en}");
    assert!(en.contains("lies more than 24 hours in the future"), "{en}");
}

#[tokio::test]
async fn a_refused_page_names_the_range_in_the_readers_language() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    app.user(&key, "kim@kafe.example", "hemligt-lösen").await;
    let project: Value = app
        .post(
            &key,
            "/projects",
            json!({"title": "Fikat", "members": [{"name": "Kim", "role": "lead"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = project["project"]["id"].as_str().unwrap();
    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@kafe.example", "hemligt-lösen").await;

    let path = format!("/research/{id}?step=9");
    let r = kim.get_html(&path, "sv").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let sv = r.text().await.unwrap();
    assert!(sv.contains("Sidan kunde inte visas som du bad om"), "{sv}");
    assert!(sv.contains("måste vara från 1 till 5"), "{sv}");
    let en = kim.get_html(&path, "en").await.text().await.unwrap();
    assert!(en.contains("must be from 1 to 5"), "{en}");

    // A script that asks for anything keeps the problem, with the code and numbers.
    let r = kim.get(&path, "sv").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["code"], "range");
    assert_eq!(problem["errors"][0]["params"], json!({"low": 1, "high": 5}));
}

#[tokio::test]
async fn a_group_of_six_is_kept_and_advised_in_the_readers_language() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    app.user(&key, "kim@kafe.example", "hemligt-lösen").await;
    let members: Vec<Value> = std::iter::once(json!({"name": "Kim", "role": "lead"}))
        .chain((1..=6).map(|i| json!({"name": format!("Gäst {i}"), "role": "member"})))
        .collect();
    let created: Value = app
        .post(
            &key,
            "/projects",
            json!({"title": "Fikat", "members": members}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["project"]["id"].as_str().unwrap();
    let six: Vec<String> = created["project"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .skip(1)
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect();
    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@kafe.example", "hemligt-lösen").await;
    let mut fields = vec![("name", "Alla gäster")];
    fields.extend(six.iter().map(|m| ("members:list", m.as_str())));
    let r = kim
        .post_form(&format!("/research/{id}/forms/group"), "sv", form(&fields))
        .await;
    // Advice, not a wall: the group is kept, and the board says what the method advises.
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = kim
        .get(&format!("/research/{id}?step=1"), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Råd: gruppen Alla gäster har 6 personer; 4 till 5 brukar ge"),
        "{page}"
    );
}

#[tokio::test]
async fn a_span_past_the_answer_names_the_answers_length() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    app.user(&key, "kim@kafe.example", "hemligt-lösen").await;
    let id = app
        .open_survey(
            &key,
            json!({"title": "Besöket", "sections": [{"questions": [
                {"key": "comment", "kind": "open_text", "text": "Något mer?"}
            ]}]}),
        )
        .await;
    app.answer(&id, &json!({"answers": {"comment": "Gott kaffe"}}))
        .await;
    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@kafe.example", "hemligt-lösen").await;
    let coding = page(&mut kim, &format!("/surveys/{id}/coding"), "sv").await;
    let response = coding
        .split("<article class=\"card answer\" id=\"r-")
        .nth(1)
        .and_then(|a| a.split('"').next())
        .unwrap()
        .to_string();
    let r = kim
        .post(
            &format!("/surveys/{id}/coding/spans"),
            "sv",
            &[
                ("response_id", &response),
                ("question", "comment"),
                ("code", "stance.like"),
                ("start", "0"),
                ("end", "500"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("ligger efter slutet av svaret, som har 10 tecken"),
        "{page}"
    );
}

#[tokio::test]
async fn a_research_form_says_its_limit_in_swedish() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    app.user(&key, "kim@kafe.example", "hemligt-lösen").await;
    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@kafe.example", "hemligt-lösen").await;
    let long = "Fika".repeat(60);
    let r = kim
        .post_form(
            "/research",
            "sv",
            form(&[("title", &long), ("members.0.name", "Kim")]),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("får vara högst 200 tecken"), "{page}");
}

#[tokio::test]
async fn a_change_that_met_another_names_both_versions() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    app.user(&key, "kim@kafe.example", "hemligt-lösen").await;
    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@kafe.example", "hemligt-lösen").await;
    let row = |version: &str| {
        form(&[
            ("version", version),
            ("key", "waiting"),
            ("parent", ""),
            ("name_sv", "Väntan"),
            ("name_en", "Waiting"),
            ("description", ""),
        ])
    };
    // The first save moves the codebook from the default (0) to version 1.
    let r = kim.post_form("/codebook", "sv", row("0")).await;
    assert!(r.status().is_redirection(), "{}", r.status());
    // A second save made against version 0 is refused and says both versions.
    let r = kim.post_form("/codebook", "sv", row("0")).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("kodboken ändrades efter att du öppnade det (version 0, nu 1)"),
        "{page}"
    );
}

#[tokio::test]
async fn a_statistic_that_cannot_be_computed_says_why_with_its_counts() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    app.user(&key, "kim@kafe.example", "hemligt-lösen").await;
    let id = app
        .open_survey(
            &key,
            json!({"title": "Besöket", "sections": [{"questions": [
                {"key": "reason", "kind": "single_choice", "text": "Vad gjorde du?",
                 "options": [{"key": "fika", "label": "Fika"}, {"key": "work", "label": "Arbete"}]}
            ]}]}),
        )
        .await;
    for r in ["fika", "work", "fika"] {
        app.answer(&id, &json!({"answers": {"reason": r}})).await;
    }
    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@kafe.example", "hemligt-lösen").await;
    // Every answer came without a channel: one column, so no chi-square test.
    let path = format!("/surveys/{id}?rows=reason&columns=channel");
    let sv = page(&mut kim, &path, "sv").await;
    assert!(
        sv.contains("tabellen behöver minst två rader och två kolumner, inte 2 gånger 1"),
        "{sv}"
    );
    let en = page(&mut kim, &path, "en").await;
    assert!(
        en.contains("the table needs at least two rows and two columns, not 2 by 1"),
        "{en}"
    );
}
