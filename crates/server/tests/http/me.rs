//! The person's own pages over HTTP: a code sign-in that tells nothing about who is
//! known, the providers their verified address reaches, consent that wins over a
//! provider's import, and preferences the contact decisions obey.

use super::ui::{Browser, sent_code};
use super::{App, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A provider where it is midday, holding a profile with `email` that consented to
/// marketing elsewhere; its key and the profile.
async fn holder(app: &App, name: &str, email: &str) -> (String, String) {
    let key = app.provider_at_noon(name).await;
    let profile = app.profile_with_email(&key, email).await;
    let r = app
        .post(
            &key,
            "/consents",
            json!({"consents": [{"profile_id": profile, "purpose": "marketing", "given": true,
                                 "at": "2026-01-10T09:00:00Z"}]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    (key, profile)
}

async fn verdict(app: &App, key: &str, profile: &str, channel: &str) -> Value {
    app.post(
        key,
        "/contact-decisions",
        json!({"profile_id": profile, "channel": channel, "purpose": "marketing"}),
    )
    .await
    .json()
    .await
    .unwrap()
}

#[tokio::test]
async fn a_person_signs_in_with_a_code_and_sees_who_holds_their_address() {
    let app = spawn_app().await;
    let (shop, at_shop) = holder(&app, "Butiken", "eva@example.se").await;
    holder(&app, "Gymmet", "eva@example.se").await;
    let (bank, at_bank) = holder(&app, "Banken", "bo@example.se").await;
    // The shop records a purchase and reads her record; the bank reads Bo's.
    let r = app
        .post(
            &shop,
            "/touchpoints",
            json!({"profile_id": at_shop, "channel": "store", "kind": "purchase",
                   "occurred_at": "2026-11-20T10:00:00Z"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    for (key, profile) in [(&shop, &at_shop), (&bank, &at_bank)] {
        let r = app.get(key, &format!("/profiles/{profile}")).await;
        assert_eq!(r.status(), StatusCode::OK);
    }

    let mut eva = Browser::new(&app.base);
    let r = eva.get("/me", "en").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/me/sign-in");

    // A wrong code: tries are counted; then the right one signs in.
    let page = eva.get("/me/sign-in", "sv").await.text().await.unwrap();
    assert!(page.contains("Logga in på din sida"), "Swedish");
    let mut stranger = Browser::new(&app.base);
    for (browser, address) in [
        (&mut stranger, "nobody@example.se"),
        (&mut eva, "Eva@Example.se"),
    ] {
        let page = browser.get("/me/sign-in", "en").await.text().await.unwrap();
        let token = super::ui::form_token(&page);
        let r = browser
            .post_with_token("/me/sign-in", "en", &token, &[("address", address)])
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("If the address is right, a six-digit code is on its way"),
            "the same answer for everyone"
        );
    }
    let code = sent_code(&app.deliver, "eva@example.se");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let mut signed = Browser::new(&app.base);
    let page = signed.get("/me/sign-in", "en").await.text().await.unwrap();
    let token = super::ui::form_token(&page);
    let r = signed
        .post_with_token(
            "/me/code",
            "en",
            &token,
            &[("address", "eva@example.se"), ("code", wrong)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.text().await.unwrap().contains("4 tries are left"));
    let r = signed
        .post_with_token(
            "/me/code",
            "en",
            &token,
            &[("address", "eva@example.se"), ("code", &code)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/me");
    let r = signed
        .post_with_token(
            "/me/code",
            "en",
            &token,
            &[("address", "eva@example.se"), ("code", &code)],
        )
        .await;
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("That code no longer works"),
        "a code works once"
    );

    let page = signed.get("/me", "en").await.text().await.unwrap();
    assert!(page.contains("eva@example.se"));
    assert!(page.contains("Butiken") && page.contains("Gymmet"));
    assert!(!page.contains("Banken"), "not through another address");
    assert!(!page.contains("bo@example.se"));
    let shop_card = page.split("<h3>Butiken</h3>").nth(1).unwrap();
    let shop_card = shop_card.split("</article>").next().unwrap();
    assert!(shop_card.contains("Touchpoints kept: 1"), "{shop_card}");
    assert!(
        !shop_card.contains("Among the"),
        "no comparison with a group of fewer than ten: {shop_card}"
    );
    assert!(shop_card.contains("Purchase"), "{shop_card}");
    assert!(
        shop_card.contains("read your customer record"),
        "{shop_card}"
    );
    let gym_card = page.split("<h3>Gymmet</h3>").nth(1).unwrap();
    assert!(
        gym_card
            .split("</article>")
            .next()
            .unwrap()
            .contains("Nobody there has read it.")
    );

    // Signed in, she proves her phone too: one account, both addresses on her page.
    let r = signed.sign_in_person("070-123 45 67", &app.deliver).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = signed.get("/me", "en").await.text().await.unwrap();
    assert!(
        page.contains("eva@example.se") && page.contains("+46701234567"),
        "{page}"
    );
}

#[tokio::test]
async fn the_persons_choices_rule_the_contact_decisions() {
    let app = spawn_app().await;
    let (shop, at_shop) = holder(&app, "Butiken", "eva@example.se").await;
    let (gym, at_gym) = holder(&app, "Gymmet", "eva@example.se").await;
    // A purchase at the gym before her page first places its figures.
    let r = app
        .post(
            &gym,
            "/touchpoints",
            json!({"profile_id": at_gym, "channel": "store", "kind": "purchase",
                   "occurred_at": "2026-11-20T10:00:00Z"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let (bank, _) = holder(&app, "Banken", "bo@example.se").await;
    let _ = bank;
    assert_eq!(
        verdict(&app, &shop, &at_shop, "sms").await["verdict"],
        "allow"
    );

    let mut eva = Browser::new(&app.base);
    assert_eq!(
        eva.sign_in_person("eva@example.se", &app.deliver)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let page = eva.get("/me", "en").await.text().await.unwrap();
    let shop_id = page
        .split("id=\"holder-")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();

    // Her "no" to the shop's marketing wins over the shop's import.
    let r = eva
        .post(
            "/me/consents",
            "en",
            &[
                ("provider", &shop_id),
                ("purpose", "marketing"),
                ("given", "no"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let no = verdict(&app, &shop, &at_shop, "email").await;
    assert_eq!(no["reasons"][0]["code"], "contact-withdrawn", "{no}");
    let page = eva.get("/me", "en").await.text().await.unwrap();
    assert!(page.contains("Refused"));

    // A provider that holds nothing of hers cannot be chosen about.
    let r = eva
        .post(
            "/me/consents",
            "en",
            &[
                ("provider", "00000000-0000-7000-8000-000000000000"),
                ("purpose", "marketing"),
                ("given", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // E-mail only, two contacts a week, across the gym and everyone else: the shop's
    // contact held before she signed in is one of them.
    let bad = eva
        .post(
            "/me/preferences",
            "en",
            &[
                ("channel", "email"),
                ("quiet_from", "25:00"),
                ("quiet_to", ""),
                ("time_zone", "Europe/Stockholm"),
                ("weekly_budget", "99"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = bad.text().await.unwrap();
    assert!(
        page.contains("Contacts in seven days: must be from 0 to 50"),
        "{page}"
    );
    assert!(
        page.contains("Quiet hours: “25:00” is not a time of day"),
        "{page}"
    );
    let r = eva
        .post(
            "/me/preferences",
            "en",
            &[
                ("channel", "email"),
                ("quiet_from", ""),
                ("quiet_to", ""),
                ("time_zone", "Europe/Stockholm"),
                ("weekly_budget", "2"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let sms = verdict(&app, &gym, &at_gym, "sms").await;
    assert_eq!(sms["reasons"][0]["code"], "contact-channel", "{sms}");
    let first = verdict(&app, &gym, &at_gym, "email").await;
    assert_eq!(first["verdict"], "allow", "{first}");
    let second = verdict(&app, &gym, &at_gym, "email").await;
    assert_eq!(second["verdict"], "defer", "two a week: {second}");
    assert_eq!(second["reasons"][0]["params"]["used"], 2, "{second}");
    let page = eva.get("/me", "en").await.text().await.unwrap();
    assert!(page.contains("value=\"2\"") && !page.contains("value=\"sms\" checked"));
    // Her "no" to analytics at the gym takes her out of its figures at once.
    let persons = |key: String| {
        let app = &app;
        async move {
            let figures: Value = app
                .get(&key, "/journeys/figures")
                .await
                .json()
                .await
                .unwrap();
            figures["persons"]
                .as_u64()
                .unwrap_or_else(|| panic!("{figures}"))
        }
    };
    assert_eq!(persons(gym.clone()).await, 1);
    let gym_id = page
        .split("id=\"holder-")
        .nth(2)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let r = eva
        .post(
            "/me/consents",
            "en",
            &[
                ("provider", &gym_id),
                ("purpose", "analytics"),
                ("given", "no"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(persons(gym.clone()).await, 0, "she counts no more");
    let page = eva.get("/me", "en").await.text().await.unwrap();
    let gym_card = page.split("<h3>Gymmet</h3>").nth(1).unwrap();
    assert!(
        gym_card
            .split("</article>")
            .next()
            .unwrap()
            .contains("Nobody there has read it."),
        "asking for a decision reads none of her data"
    );
}
