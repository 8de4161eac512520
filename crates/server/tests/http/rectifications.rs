//! Rectification over HTTP: the person asks the provider that holds something wrong,
//! only that provider sees and answers the request, and the person reads the answer.

use super::spawn_app;
use super::ui::Browser;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn a_correction_goes_to_the_provider_and_its_answer_comes_back() {
    let app = spawn_app().await;
    let shop = app.provider_at_noon("Skobutiken").await;
    let gym = app.provider_at_noon("Simhallen").await;
    let at_shop = app.profile_with_email(&shop, "eva@example.se").await;
    let mut eva = Browser::new(&app.base);
    eva.sign_in_person("eva@example.se", &app.deliver).await;
    let page = eva.get("/me", "en").await.text().await.unwrap();
    let shop_id = super::grants::holder_id(&page, "Skobutiken");

    let r = eva
        .post(
            "/me/rectifications",
            "en",
            &[("provider", &shop_id), ("wrong", "  "), ("right", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("What is wrong: must not be empty"), "{page}");
    let r = eva
        .post(
            "/me/rectifications",
            "en",
            &[
                ("provider", &shop_id),
                ("wrong", "My name is spelt Ewa"),
                ("right", "Eva"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        eva.get("/me", "en")
            .await
            .text()
            .await
            .unwrap()
            .contains("Waiting for an answer")
    );

    // Only the shop sees it, with its record; the gym can neither see nor answer it.
    let queue: Value = app
        .get(&shop, "/rectification-requests")
        .await
        .json()
        .await
        .unwrap();
    let asked = &queue["items"][0];
    assert_eq!(asked["wrong"], "My name is spelt Ewa");
    assert_eq!(asked["profile_ids"], json!([at_shop]));
    assert_eq!(asked["outcome"], Value::Null);
    let id = asked["id"].as_str().unwrap();
    let theirs: Value = app
        .get(&gym, "/rectification-requests")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["items"], json!([]));
    let answer = format!("/rectification-requests/{id}/answer");
    let r = app.post(&gym, &answer, json!({"outcome": "done"})).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Declining needs a note; the person reads it, in her language too.
    let r = app
        .post(&shop, &answer, json!({"outcome": "declined"}))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "note", "{problem}");
    let r = app
        .post(
            &shop,
            &answer,
            json!({"outcome": "declined", "note": "The receipt says Ewa."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let answered: Value = r.json().await.unwrap();
    assert_eq!(answered["outcome"], "declined");
    let page = eva.get("/me", "sv").await.text().await.unwrap();
    assert!(page.contains("Avböjt") && page.contains("The receipt says Ewa."));
}
