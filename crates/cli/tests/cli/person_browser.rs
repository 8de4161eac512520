//! A person on their own page, on a phone: the real `motesplats serve` mailing sign-in
//! codes to an SMTP sink, a real headless Chromium 375 px wide asking for Swedish. She
//! signs in with the code from her e-mail, sees what two providers hold, lets one read
//! the other's touchpoints and stops it again, takes everything with her as JSON, and
//! erases it all; the providers' API agrees at each step, and axe-core finds nothing.
//!
//! Skipped (loudly) without chromium, chromedriver and axe-core, like the walk.

use super::browser::{chromedriver, open_browser};
use super::smtp_sink::SmtpSink;
use super::survey_browser::{click, fits_width, text};
use super::walk::{axe_source, axe_violations};
use super::{OPERATOR, Server};
use fantoccini::{Client, Locator};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

const EVA: &str = "eva@example.se";
const FROM: &str = "no-reply@motesplats.test";

/// A profile with Eva's address at the provider with `key`; its id.
async fn profile(server: &Server, http: &reqwest::Client, key: &str) -> String {
    let r = http
        .post(format!("{}/api/v1/profiles", server.url))
        .bearer_auth(key)
        .json(&json!({"identifiers": [{"kind": "email", "value": EVA}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A purchase in the shop, on a profile or by Eva's address.
async fn purchase(server: &Server, http: &reqwest::Client, key: &str, on: Value) -> Value {
    let mut event = json!({"channel": "store", "kind": "purchase",
                           "occurred_at": "2026-11-20T10:00:00Z"});
    event
        .as_object_mut()
        .unwrap()
        .extend(on.as_object().unwrap().clone());
    let r = http
        .post(format!("{}/api/v1/touchpoints", server.url))
        .bearer_auth(key)
        .json(&event)
        .send()
        .await
        .unwrap();
    json!({"status": r.status().as_u16(), "body": r.json::<Value>().await.unwrap()})
}

/// Signs in with the six-digit code the sink received; lands on the person's page.
async fn sign_in_with_code(browser: &Client, url: &str, sink: &SmtpSink) {
    browser.goto(&format!("{url}/me/sign-in")).await.unwrap();
    assert!(fits_width(browser).await, "the sign-in fits a phone");
    browser
        .find(Locator::Id("address"))
        .await
        .unwrap()
        .send_keys(EVA)
        .await
        .unwrap();
    click(browser, "#me-send-code").await;
    text(browser, "#me-code-sent").await;
    let mail = &sink.wait_for(1, Duration::from_secs(10)).await[0];
    assert_eq!(mail.from, FROM);
    assert_eq!(mail.to, [EVA]);
    let body = mail.body();
    let code = body
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap_or_else(|| panic!("no six-digit code in {body:?}"));
    browser
        .find(Locator::Id("code"))
        .await
        .unwrap()
        .send_keys(code)
        .await
        .unwrap();
    click(browser, "#me-sign-in").await;
    assert_eq!(text(browser, "#me-identifiers").await, EVA);
    assert_eq!(browser.current_url().await.unwrap().path(), "/me");
}

/// The text of each provider's card on the person's page.
async fn holders(browser: &Client) -> Vec<String> {
    let mut texts = Vec::new();
    for card in browser
        .find_all(Locator::Css("article.holder"))
        .await
        .unwrap()
    {
        texts.push(card.text().await.unwrap());
    }
    texts
}

/// axe-core's violations and sideways scrolling on the page shown, named by `when`.
async fn check_page(browser: &Client, axe: &str, when: &str) {
    let violations = axe_violations(browser, axe).await;
    assert!(violations.is_empty(), "{when}: {violations:#?}");
    assert!(fits_width(browser).await, "{when}: wider than the phone");
}

#[tokio::test]
async fn a_person_signs_in_on_a_phone_shares_exports_and_erases() {
    let Some((_driver, webdriver)) = chromedriver() else {
        return;
    };
    let Some(axe) = axe_source() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("person.db").display().to_string();
    let sink = SmtpSink::start().await;
    let sink_url = sink.url();
    let server = Server::start(
        &[
            "--database",
            &database,
            "--smtp-url",
            &sink_url,
            "--mail-from",
            FROM,
        ],
        &[("MOTESPLATS_OPERATOR_TOKEN", OPERATOR)],
    );
    let url = server.url.clone();
    let http = reqwest::Client::new();
    let shop = server.provider_key(&http, "Skobutiken").await;
    let gym = server.provider_key(&http, "Simhallen").await;
    let at_shop = profile(&server, &http, &shop).await;
    // The person's id at the gym is its profile's id.
    let at_gym = profile(&server, &http, &gym).await;
    let bought = purchase(&server, &http, &shop, json!({"profile_id": at_shop})).await;
    assert_eq!(bought["status"], 201, "{bought}");

    let browser = open_browser(&webdriver, &dir.path().join("chromium"), "375,740").await;
    sign_in_with_code(&browser, &url, &sink).await;
    assert_eq!(browser.title().await.unwrap(), "Din sida · Mötesplats");
    let holders = holders(&browser).await;
    let held = |name: &str| {
        holders
            .iter()
            .find(|h| h.starts_with(name))
            .unwrap_or_else(|| panic!("{name} among {holders:#?}"))
    };
    assert!(
        held("Simhallen").contains("Sparade kontaktpunkter: 0"),
        "{holders:#?}"
    );
    assert!(held("Skobutiken").contains("Butik · Köp"), "{holders:#?}");

    // She lets the gym read her touchpoints at the shop.
    let form = browser.find(Locator::Id("me-grant-form")).await.unwrap();
    form.find(Locator::Id("grant-reader"))
        .await
        .unwrap()
        .select_by_label("Simhallen")
        .await
        .unwrap();
    form.find(Locator::Id("grant-holder"))
        .await
        .unwrap()
        .select_by_label("Skobutiken")
        .await
        .unwrap();
    click(
        &browser,
        "#me-grant-form input[name=category][value=touchpoints]",
    )
    .await;
    click(&browser, "#me-grant-form input[name=consent]").await;
    click(&browser, "#me-grant").await;
    text(&browser, "#me-grants li.grant").await;
    let grant = browser
        .find(Locator::Css("#me-grants li.grant"))
        .await
        .unwrap()
        .attr("id")
        .await
        .unwrap()
        .expect("the grant's id");
    let shared = format!("/persons/{at_gym}/shared");
    let read = server.api(&http, &gym, &shared).await;
    let record = &read["grants"][0]["records"][0];
    assert_eq!(record["profile_id"], at_shop.as_str(), "{read}");
    assert_eq!(record["touchpoints"][0]["kind"], "purchase", "{read}");

    // She stops it: the gym reads nothing more.
    click(&browser, &format!("li#{grant} form button")).await;
    let status = text(&browser, &format!("li#{grant}:not(:has(form)) .status")).await;
    assert_eq!(status, "Stoppad");
    let read = server.api(&http, &gym, &shared).await;
    assert_eq!(read["grants"], json!([]), "{read}");
    check_page(&browser, &axe, "/me with a stopped grant").await;

    // She takes everything with her, as the page's link gives it.
    let href = browser
        .find(Locator::Id("me-export-json"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .expect("the export link");
    let export = browser
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(arguments[0]).then(r => r.json()).then(done, e => done(String(e)));",
            vec![json!(href)],
        )
        .await
        .unwrap();
    let kept = export["providers"]
        .as_array()
        .unwrap_or_else(|| panic!("not the export: {export}"))
        .iter()
        .find(|p| p["name"] == "Skobutiken")
        .unwrap_or_else(|| panic!("the shop in {export}"));
    assert_eq!(kept["records"][0]["touchpoints"][0]["kind"], "purchase");

    // She erases it all: the shop forgets her and refuses her address again.
    click(&browser, "#me-erase-form input[name=confirm]").await;
    click(&browser, "#me-erase").await;
    let erased = text(&browser, "ul#me-erased").await;
    assert!(erased.contains("Simhallen: raderade 1 post,"), "{erased}");
    assert!(
        erased.contains("Skobutiken: raderade 1 post, 1 kontaktpunkt "),
        "{erased}"
    );
    let r = http
        .get(format!("{url}/api/v1/profiles/{at_shop}"))
        .bearer_auth(&shop)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let again = purchase(
        &server,
        &http,
        &shop,
        json!({"identifiers": [{"kind": "email", "value": EVA}]}),
    )
    .await;
    assert_eq!(again["status"], 422, "{again}");
    assert_eq!(again["body"]["errors"][0]["code"], "erased", "{again}");
    check_page(&browser, &axe, "/me after erasure").await;

    browser.close().await.unwrap();
}
