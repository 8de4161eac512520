//! Act as one over HTTP: a person's identity and why two profiles are one, the
//! decisions that part and join them, one timeline of a person, the whole-person
//! page with its unmerge, and another provider seeing none of it.

use super::ui::Browser;
use super::{App, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn profile(app: &App, key: &str, name: &str, identifiers: Value) -> String {
    let made: Value = app
        .post(
            key,
            "/profiles",
            json!({"display_name": name, "identifiers": identifiers}),
        )
        .await
        .json()
        .await
        .unwrap();
    made["id"].as_str().unwrap().to_string()
}

/// A café with Åsa's web profile (e-mail and phone) and her till profile (card and
/// phone), made in that order; and a bank.
async fn cafe() -> (App, String, String, String, String) {
    let app = spawn_app().await;
    let cafe = app.provider("Kafé Kanelbullen").await;
    let bank = app.provider("Banken").await;
    let phone = json!({"kind": "phone", "value": "070-123 45 67"});
    let web = profile(
        &app,
        &cafe,
        "Åsa webb",
        json!([{"kind": "email", "value": "asa@example.se"}, phone]),
    )
    .await;
    let till = profile(
        &app,
        &cafe,
        "ÅSA ÖBERG",
        json!([{"kind": "loyalty_card", "value": "6390001"}, phone]),
    )
    .await;
    (app, cafe, bank, web, till)
}

async fn json_of(app: &App, key: &str, path: &str) -> (StatusCode, Value) {
    let r = app.get(key, path).await;
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_person_is_explained_split_and_joined_through_the_api() {
    let (app, cafe, bank, web, till) = cafe().await;

    let (status, me) = json_of(&app, &cafe, &format!("/profiles/{till}/identity")).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(
        me["person_id"],
        json!(web),
        "the person is keyed by its first profile"
    );
    assert_eq!(me["profiles"], json!([web, till]));
    assert_eq!(
        me["links"][0]["evidence"],
        json!({"by": "identifiers", "identifiers": [{"kind": "phone", "value": "+46701234567"}]})
    );
    let (_, why) = json_of(&app, &cafe, &format!("/profiles/{web}/why/{till}")).await;
    assert_eq!(why["same_person"], json!(true));
    assert_eq!(why["links"].as_array().unwrap().len(), 1);

    // One timeline over both profiles.
    for p in [&web, &till] {
        let r = app
            .post(
                &cafe,
                "/touchpoints",
                json!({"profile_id": p, "channel": "store", "kind": "purchase", "occurred_at": "2026-11-20T10:00:00Z"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let (_, both) = json_of(&app, &cafe, &format!("/touchpoints?person_id={web}")).await;
    assert_eq!(both["items"].as_array().unwrap().len(), 2);

    // Another provider learns nothing, and cannot decide about them.
    for path in [
        format!("/profiles/{web}/identity"),
        format!("/profiles/{web}/why/{till}"),
    ] {
        assert_eq!(app.get(&bank, &path).await.status(), StatusCode::NOT_FOUND);
    }
    let apart = json!({"decision": "apart", "a": web, "b": till});
    let r = app.post(&bank, "/identity/decisions", apart.clone()).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Unmerge: apart for good, with the split in the history.
    let r = app.post(&cafe, "/identity/decisions", apart).await;
    assert_eq!(r.status(), StatusCode::OK);
    let me: Value = r.json().await.unwrap();
    assert_eq!(me["profiles"], json!([web]));
    let changes: Vec<&str> = me["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["change"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["merged", "split"]);
    let (_, why) = json_of(&app, &cafe, &format!("/profiles/{web}/why/{till}")).await;
    assert_eq!(why["same_person"], json!(false));
    let (_, both) = json_of(&app, &cafe, &format!("/touchpoints?person_id={web}")).await;
    assert_eq!(
        both["items"].as_array().unwrap().len(),
        1,
        "her till's rows left with it"
    );

    // Joined again by a decision, which a rebuild keeps.
    let same = json!({"decision": "same", "a": till, "b": web});
    let me: Value = app
        .post(&cafe, "/identity/decisions", same)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["profiles"], json!([web, till]));
    let r: Value = app
        .post(&cafe, "/identity/relink", json!(null))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["moved"], json!(0));

    // A decision that is neither names the field.
    let r = app
        .post(
            &cafe,
            "/identity/decisions",
            json!({"decision": "maybe", "a": web, "b": till}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_person_page_shows_why_and_unmerges_in_both_languages() {
    let (app, cafe, _, web, till) = cafe().await;
    app.user(&cafe, "kim@kafe.example", "hemligt-lösen").await;
    // A household address on two more profiles, each with a card of its own.
    let family = json!({"kind": "email", "value": "familjen@example.se"});
    for (name, card) in [("Bo", "6390002"), ("Cia", "6390003")] {
        profile(
            &app,
            &cafe,
            name,
            json!([family, {"kind": "loyalty_card", "value": card}]),
        )
        .await;
    }
    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@kafe.example", "hemligt-lösen").await;
    // The customer list leads from either profile to the whole person.
    let list = kim
        .get("/customers?q=070-123%2045%2067", "en")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        list.matches(&format!("<a href=\"/persons/{web}\">2 profiles</a>"))
            .count(),
        2,
        "{list}"
    );
    let page = kim
        .get(&format!("/persons/{web}"), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Varför profilerna är en och samma person"),
        "{page}"
    );
    assert!(page.contains("Telefon +46701234567"), "{page}");
    assert!(page.contains(&format!("name=\"to\" value=\"{till}\"")));
    assert!(page.contains("Dela isär"));

    let r = kim
        .post(
            &format!("/persons/{web}/unmerge"),
            "en",
            &[("from", &web), ("to", &till)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()["location"].to_str().unwrap(),
        format!("/persons/{web}")
    );
    let page = kim
        .get(&format!("/persons/{web}"), "en")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("This person has one profile"), "{page}");
    assert!(page.contains("left the person of"), "{page}");
    // Her till profile is a person of its own now.
    let till_page = kim.get(&format!("/persons/{till}"), "en").await;
    assert_eq!(till_page.status(), StatusCode::OK);

    // Bo's person shows the family address joined nobody, and why.
    let bo: Value = app
        .get(
            &cafe,
            "/profiles?identifier_kind=loyalty_card&identifier_value=6390002",
        )
        .await
        .json()
        .await
        .unwrap();
    let bo = bo["items"][0]["id"].as_str().unwrap().to_string();
    let page = kim
        .get(&format!("/persons/{bo}"), "en")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("they would hold more than 1 of kind Loyalty card"),
        "{page}"
    );
}
