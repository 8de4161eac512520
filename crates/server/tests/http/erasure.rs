//! Erasure over HTTP: the person erases everything, every provider that held it loses
//! it and its figures stop counting them, and a re-import of the same identifiers, by
//! any path, brings nothing back.

use super::spawn_app;
use super::ui::Browser;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn after_erasure_and_a_reimport_nothing_of_the_person_returns() {
    let app = spawn_app().await;
    let shop = app.provider_at_noon("Skobutiken").await;
    let gym = app.provider_at_noon("Simhallen").await;
    let bank = app.provider_at_noon("Banken").await;
    let purchase = |email: &str, at: &str| {
        json!({"identifiers": [{"kind": "email", "value": email}], "channel": "store",
               "kind": "purchase", "occurred_at": at})
    };
    for (email, at) in [
        ("eva@example.se", "2026-11-20T10:00:00Z"),
        ("eva@example.se", "2026-11-21T10:00:00Z"),
        ("bo@example.se", "2026-11-20T11:00:00Z"),
    ] {
        let r = app.post(&shop, "/touchpoints", purchase(email, at)).await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    app.profile_with_email(&gym, "eva@example.se").await;
    let persons = |key: String| {
        let app = &app;
        async move {
            // Stitched in the background: wait until both customers are placed.
            for _ in 0..100 {
                let figures: Value = app
                    .get(&key, "/journeys/figures")
                    .await
                    .json()
                    .await
                    .unwrap();
                let n = figures["persons"].as_u64().unwrap();
                if n > 0 {
                    return n;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            0
        }
    };
    assert_eq!(persons(shop.clone()).await, 2);

    // The shop must keep purchases seven years by law; a bad setting is named.
    let put = |body: Value| {
        let app = &app;
        let shop = shop.clone();
        async move {
            app.http
                .put(format!("{}/api/v1/retention", app.base))
                .bearer_auth(&shop)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let r = put(json!({"logs_days": 0})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "logs_days");
    let hold =
        json!({"legal_holds": [{"kind": "purchase", "reason": "Bokföringslagen", "years": 7}]});
    assert_eq!(put(hold.clone()).await.status(), StatusCode::OK);
    let kept: Value = app.get(&shop, "/retention").await.json().await.unwrap();
    assert_eq!(kept["legal_holds"], hold["legal_holds"]);

    // She answered the shop's survey through an invitation, so it is linked to her.
    let found: Value = app
        .get(
            &shop,
            "/profiles?identifier_kind=email&identifier_value=eva@example.se",
        )
        .await
        .json()
        .await
        .unwrap();
    let at_shop = found["items"][0]["id"].as_str().unwrap().to_string();
    let survey = app.open_survey(&shop, super::surveys::survey()).await;
    let invitation: Value = app
        .post(
            &shop,
            &format!("/surveys/{survey}/invitations"),
            json!({"profile_id": at_shop}),
        )
        .await
        .json()
        .await
        .unwrap();
    let invite = invitation["link"]
        .as_str()
        .unwrap()
        .split("?invite=")
        .nth(1)
        .unwrap();
    let r = super::surveys::send(
        &app,
        &survey,
        None,
        json!({"answers": {"welcome": 4, "recommend": 9}, "consent": true, "invitation": invite}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    // A refused event of hers waits in the quarantine, her address in its raw text.
    let bad: Value = app
        .http
        .post(format!("{}/api/v1/touchpoints/batch", app.base))
        .bearer_auth(&shop)
        .json(
            &json!([{"event_id": "bad-1", "channel": "store", "occurred_at": "2026-11-24T10:00:00Z",
                       "identifiers": [{"kind": "email", "value": "eva@example.se"}]}]),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(bad["rejected"], 1, "{bad}");
    let quarantine = || {
        let (app, shop) = (&app, shop.clone());
        async move { app.get(&shop, "/quarantine").await.text().await.unwrap() }
    };
    assert!(quarantine().await.contains("eva@example.se"));

    let mut eva = Browser::new(&app.base);
    eva.sign_in_person("eva@example.se", &app.deliver).await;
    let page = eva.get("/me", "en").await.text().await.unwrap();
    assert!(page.contains("Survey answers linked to you: 1"), "{page}");
    let answers = eva
        .get("/me/export/survey_answers.csv", "en")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        answers.contains(&format!("Skobutiken,{at_shop},{survey},")),
        "{answers}"
    );
    let r = eva.post("/me/erase", "en", &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("I understand that this cannot be undone: is required")
    );
    let r = eva.post("/me/erase", "en", &[("confirm", "yes")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = eva.get("/me", "en").await.text().await.unwrap();
    assert!(
        page.contains("erased 1 record, 2 touchpoints and 1 survey answer"),
        "{page}"
    );
    assert!(page.contains("No provider keeps a record with your verified addresses yet."));
    assert!(
        page.contains("Skobutiken keeps 2 × Purchase until 2033-11-21, because: Bokföringslagen"),
        "{page}"
    );

    // The shop's figures count Bo alone; her record is gone.
    let forgotten: Value = app
        .get(
            &shop,
            "/profiles?identifier_kind=email&identifier_value=eva@example.se",
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(forgotten["items"], json!([]));
    assert_eq!(
        persons(shop.clone()).await,
        1,
        "what is held back is not counted"
    );
    let purged: Value = app
        .post(&shop, "/retention/purge", json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        purged["held_back"], 0,
        "the hold has years to run: {purged}"
    );

    // A re-import, by the single endpoint, a batch or a new profile, is refused
    // where she was erased, in any spelling of her address.
    let r = app
        .post(
            &shop,
            "/touchpoints",
            purchase("Eva@Example.se", "2026-11-22T10:00:00Z"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "identifiers[0]", "{problem}");
    assert_eq!(problem["errors"][0]["code"], "erased", "{problem}");
    let with_id = |mut event: Value, id: &str| {
        event["event_id"] = json!(id);
        event
    };
    let batch: Value = app
        .http
        .post(format!("{}/api/v1/touchpoints/batch", app.base))
        .bearer_auth(&shop)
        .json(&json!([
            with_id(purchase("eva@example.se", "2026-11-23T10:00:00Z"), "e-1"),
            with_id(purchase("bo@example.se", "2026-11-23T11:00:00Z"), "e-2")
        ]))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (batch["accepted"].as_u64(), batch["rejected"].as_u64()),
        (Some(1), Some(1)),
        "{batch}"
    );
    assert_eq!(batch["events"][0]["errors"][0]["code"], "erased");
    // Neither the refused event from before nor the refused re-import is kept.
    assert!(!quarantine().await.contains("eva@example.se"));
    let r = app
        .post(
            &gym,
            "/profiles",
            json!({"identifiers": [{"kind": "email", "value": "eva@example.se"}]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let still: Value = app
        .get(
            &shop,
            "/profiles?identifier_kind=email&identifier_value=eva@example.se",
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(still["items"], json!([]), "nothing of her returned");
    // A provider that never held her may begin a relationship of its own.
    let r = app
        .post(
            &bank,
            "/profiles",
            json!({"identifiers": [{"kind": "email", "value": "eva@example.se"}]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
}
