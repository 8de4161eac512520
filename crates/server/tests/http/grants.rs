//! Sharing grants over HTTP: a provider reads nothing of what another holds until the
//! person grants it, reads only the granted kinds while the grant is live and the
//! person's consent holds, and every read is on the person's page.

use super::ui::Browser;
use super::{App, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn shared(app: &App, key: &str, person: &str) -> (StatusCode, Value) {
    let r = app.get(key, &format!("/persons/{person}/shared")).await;
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The id of the provider named `name` on the person's page.
pub(super) fn holder_id(page: &str, name: &str) -> String {
    page.split("id=\"holder-")
        .skip(1)
        .find(|s| s.contains(&format!("<h3>{name}</h3>")))
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_provider_reads_another_providers_records_only_through_a_live_grant() {
    let app = spawn_app().await;
    let shop = app.provider_at_noon("Skobutiken").await;
    let gym = app.provider_at_noon("Simhallen").await;
    let bank = app.provider_at_noon("Banken").await;
    let at_shop = app.profile_with_email(&shop, "eva@example.se").await;
    let at_gym = app.profile_with_email(&gym, "eva@example.se").await;
    let r = app
        .post(
            &shop,
            "/touchpoints",
            json!({"profile_id": at_shop, "channel": "store", "kind": "purchase",
                   "occurred_at": "2026-11-20T10:00:00Z"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    // Without a grant: nothing, and the shop's person is nobody to the gym or the bank.
    assert_eq!(
        shared(&app, &gym, &at_gym).await,
        (StatusCode::OK, json!({"person_id": at_gym, "grants": []}))
    );
    assert_eq!(shared(&app, &gym, &at_shop).await.0, StatusCode::NOT_FOUND);
    assert_eq!(shared(&app, &bank, &at_gym).await.0, StatusCode::NOT_FOUND);

    let mut eva = Browser::new(&app.base);
    eva.sign_in_person("eva@example.se", &app.deliver).await;
    let page = eva.get("/me", "en").await.text().await.unwrap();
    assert!(page.contains("You share nothing between providers."));
    let (shop_id, gym_id) = (
        holder_id(&page, "Skobutiken"),
        holder_id(&page, "Simhallen"),
    );

    // A refused grant names each field in the page's language.
    let r = eva
        .post(
            "/me/grants",
            "en",
            &[
                ("reader", &gym_id),
                ("holder", &gym_id),
                ("purpose", "personalisation"),
                ("until", "2020-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    for line in [
        "Who may read: must be another provider than the one whose records are read",
        "What: is required",
        "Last day: must be a day from",
    ] {
        assert!(page.contains(line), "{line}: {page}");
    }

    // Eva lets the gym read her touchpoints at the shop.
    let until = (chrono::Utc::now().date_naive() + chrono::Days::new(30)).to_string();
    let r = eva
        .post(
            "/me/grants",
            "en",
            &[
                ("reader", &gym_id),
                ("holder", &shop_id),
                ("category", "touchpoints"),
                ("purpose", "personalisation"),
                ("until", &until),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (status, read) = shared(&app, &gym, &at_gym).await;
    assert_eq!(status, StatusCode::OK);
    let grant = &read["grants"][0];
    assert_eq!(grant["holder"]["name"], "Skobutiken");
    assert_eq!(grant["withheld"], Value::Null);
    let record = &grant["records"][0];
    assert_eq!(record["profile_id"], at_shop.as_str());
    assert_eq!(record["touchpoint_count"], 1);
    assert_eq!(record["touchpoints"][0]["kind"], "purchase");
    assert!(record.get("identifiers").is_none(), "not granted: {record}");
    // The bank still reads nothing; the shop reading its own is no grant read.
    assert_eq!(shared(&app, &bank, &at_gym).await.0, StatusCode::NOT_FOUND);

    // Eva sees the read under the shop, by the gym, and the grant as live.
    let page = eva.get("/me", "en").await.text().await.unwrap();
    assert!(
        page.contains("Simhallen read it, through what you shared"),
        "{page}"
    );
    let grant_id = page
        .split("id=\"grant-")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    assert!(page.contains("Sharing</span>"));

    // Granting allowed personalisation at the gym; her "no" there withholds the grant.
    let choose = |given: &'static str| {
        [
            ("provider", gym_id.clone()),
            ("purpose", "personalisation".to_string()),
            ("given", given.to_string()),
        ]
    };
    let fields = choose("no");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        eva.post("/me/consents", "en", &fields).await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, read) = shared(&app, &gym, &at_gym).await;
    assert_eq!(read["grants"][0]["withheld"]["code"], "grant-no-consent");
    assert_eq!(read["grants"][0]["records"], json!([]));
    let fields = choose("yes");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    eva.post("/me/consents", "en", &fields).await;

    // Another person cannot revoke it; Eva can, and reads stop at once.
    let mut bo = Browser::new(&app.base);
    app.profile_with_email(&bank, "bo@example.se").await;
    bo.sign_in_person("bo@example.se", &app.deliver).await;
    bo.get("/me", "en").await;
    let revoke = format!("/me/grants/{grant_id}/revoke");
    assert_eq!(
        bo.post(&revoke, "en", &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        shared(&app, &gym, &at_gym).await.1["grants"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        eva.post(&revoke, "en", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(shared(&app, &gym, &at_gym).await.1["grants"], json!([]));
    let page = eva.get("/me", "sv").await.text().await.unwrap();
    assert!(page.contains("Stoppad"), "Swedish, revoked");

    // She takes it all with her: one document, and the same per table.
    let r = eva.get("/me/export.json", "en").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let doc: Value = r.json().await.unwrap();
    assert_eq!(doc["identifiers"][0]["value"], "eva@example.se");
    let shop_held = doc["providers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Skobutiken")
        .unwrap();
    assert_eq!(
        shop_held["records"][0]["touchpoints"][0]["kind"],
        "purchase"
    );
    assert!(
        shop_held["reads"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["action"] == "grant"),
        "{shop_held}"
    );
    assert!(doc["grants"][0]["revoked_at"].is_string());
    let csv = eva
        .get("/me/export/touchpoints.csv", "en")
        .await
        .text()
        .await
        .unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("provider,profile_id,id,occurred_at,channel,kind,initiator,phase,properties")
    );
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with(&format!("Skobutiken,{at_shop},"))
    );
    let grants = eva
        .get("/me/export/grants.csv", "en")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        grants.contains(",Skobutiken,Simhallen,touchpoints,personalisation,"),
        "{grants}"
    );
    assert_eq!(
        eva.get("/me/export/passwords.csv", "en").await.status(),
        StatusCode::NOT_FOUND
    );
    // Bo's export holds nothing of hers.
    let bo_doc = bo.get("/me/export.json", "en").await.text().await.unwrap();
    assert!(!bo_doc.contains("eva@example.se") && !bo_doc.contains(&at_shop));
}
