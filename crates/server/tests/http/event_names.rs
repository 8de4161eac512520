//! The event-name table over HTTP: the API sets and reads a provider's own table and
//! names each bad field; the page adds and removes rows and keeps a refused row with
//! its reason in the page's language.

use super::ui::Browser;
use super::{App, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn put(app: &App, key: &str, body: Value) -> reqwest::Response {
    app.http
        .put(format!("{}/api/v1/event-names", app.base))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_provider_sets_its_own_table_and_bad_rows_are_named() {
    let app = spawn_app().await;
    let cafe = app.provider("Kaféet").await;
    let bank = app.provider("Banken").await;

    let r = app.get(&cafe, "/event-names").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"kinds": {}}));

    let table = json!({
        "kinds": {"Bord bokat": "table_booking", " Order Completed ": "purchase"},
        "default_channel": "store"
    });
    let r = put(&app, &cafe, table).await;
    assert_eq!(r.status(), StatusCode::OK);
    let saved: Value = r.json().await.unwrap();
    let expected = json!({
        "kinds": {"Bord bokat": "table_booking", "Order Completed": "purchase"},
        "default_channel": "store"
    });
    assert_eq!(saved, expected, "names are trimmed");
    let r = app.get(&cafe, "/event-names").await;
    assert_eq!(r.json::<Value>().await.unwrap(), expected);

    // A bad kind and a channel the provider does not have: both named, nothing saved.
    let r = put(
        &app,
        &cafe,
        json!({"kinds": {"Köp": "Köp!"}, "default_channel": "telegraph"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["kinds.Köp", "default_channel"], "{problem}");
    let r = app.get(&cafe, "/event-names").await;
    assert_eq!(r.json::<Value>().await.unwrap(), expected);

    // Unknown fields are refused too, and so is an array, which serde would read as
    // the fields in order (an empty table).
    let r = put(&app, &cafe, json!({"names": {}})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = put(&app, &cafe, json!([null, null])).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.get(&cafe, "/event-names").await;
    assert_eq!(r.json::<Value>().await.unwrap(), expected);

    // Another provider sees the default table, and its channel of its own counts.
    let r = app.get(&bank, "/event-names").await;
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"kinds": {}}));
    let r = app
        .post(
            &bank,
            "/channels",
            json!({"key": "kontor", "name": "Kontoret"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = put(&app, &bank, json!({"default_channel": "kontor"})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = put(&app, &cafe, json!({"default_channel": "kontor"})).await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "another provider's channel"
    );

    // A publishable key sits in web pages: it may neither read nor change the table.
    let r = app
        .post(
            &cafe,
            "/api-keys",
            json!({"label": "web", "kind": "publishable", "origins": ["https://kafe.example"]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    let publishable = created["token"].as_str().unwrap().to_string();
    let r = app.get(&publishable, "/event-names").await;
    assert!(
        matches!(r.status(), StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN),
        "{}",
        r.status()
    );
    let r = put(&app, &publishable, json!({"kinds": {}})).await;
    assert!(
        matches!(r.status(), StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN),
        "{}",
        r.status()
    );
    let r = app.get(&cafe, "/event-names").await;
    assert_eq!(r.json::<Value>().await.unwrap(), expected);
}

#[tokio::test]
async fn the_page_adds_and_removes_rows_and_keeps_a_refused_one() {
    let app = spawn_app().await;
    let cafe = app.provider("Kaféet").await;
    app.user(&cafe, "kim@kafe.example", "hemligt-lösen").await;
    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@kafe.example", "hemligt-lösen").await;

    let page = kim.get("/event-names", "sv").await.text().await.unwrap();
    assert!(page.contains("<h1>Händelsenamn</h1>"), "{page}");
    assert!(
        page.contains("Order Completed"),
        "the spec's names are listed"
    );
    assert!(page.contains("href=\"/event-names\""), "linked in the menu");
    let english = kim.get("/event-names", "en").await.text().await.unwrap();
    assert!(english.contains("<h1>Event names</h1>"));

    // A row added through the form is on the page and in the API.
    let r = kim
        .post(
            "/event-names",
            "sv",
            &[
                ("action", "set"),
                ("name", "Bord bokat"),
                ("kind", "table_booking"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = kim.get("/event-names", "sv").await.text().await.unwrap();
    let table = page.split("id=\"event-names\"").nth(1).expect("the table");
    assert!(table.contains("Bord bokat") && table.contains("table_booking"));
    let r = app.get(&cafe, "/event-names").await;
    assert_eq!(
        r.json::<Value>().await.unwrap()["kinds"],
        json!({"Bord bokat": "table_booking"})
    );

    // The spec's name, overridden by the table, says so.
    kim.post(
        "/event-names",
        "sv",
        &[
            ("action", "set"),
            ("name", "Order Completed"),
            ("kind", "bestallning"),
        ],
    )
    .await;
    let page = kim.get("/event-names", "sv").await.text().await.unwrap();
    let spec = page.split("id=\"event-names-spec\"").nth(1).unwrap();
    assert!(spec.contains("<code lang=\"\">bestallning</code>") && spec.contains("i stället för"));

    // A refused row comes back with the input kept and the reason in Swedish.
    let r = kim
        .post(
            "/event-names",
            "sv",
            &[("action", "set"), ("name", "Köp klart"), ("kind", "Köp!")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("value=\"Köp klart\""), "the name is kept");
    assert!(page.contains("value=\"Köp!\""), "the kind is kept");
    assert!(
        page.contains("<span class=\"field-error\">måste vara"),
        "{page}"
    );
    let r = kim
        .post("/event-names", "sv", &[("action", "set"), ("name", " ")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("får inte vara tomt") && page.contains("måste fyllas i"));

    // A channel that is not the provider's is refused in Swedish; one that is is kept.
    let r = kim
        .post(
            "/event-names",
            "sv",
            &[("action", "channel"), ("default_channel", "telegraph")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("”telegraph” är inte en av era kanaler")
    );
    let r = kim
        .post(
            "/event-names",
            "sv",
            &[("action", "channel"), ("default_channel", "store")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = kim.get("/event-names", "sv").await.text().await.unwrap();
    assert!(page.contains("<option value=\"store\" selected>"));

    // Removing a row.
    let r = kim
        .post(
            "/event-names",
            "sv",
            &[("action", "remove"), ("name", "Bord bokat")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app.get(&cafe, "/event-names").await;
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"kinds": {"Order Completed": "bestallning"}, "default_channel": "store"})
    );
}
