//! A person answers a survey on a phone: the real `motesplats serve`, a real headless
//! Chromium with a 375 px wide window asking for Swedish. A required question left
//! empty is named in Swedish next to it; corrected, the answer is sent and counted.
//! Then the provider's admin (made by `motesplats provider create`) signs in on the
//! same phone and finds the response counted on the results page, split by week.
//!
//! Skipped (loudly) without chromium and chromedriver, like the other browser test.

use super::Server;
use super::browser::{chromedriver, open_browser, sign_in};
use fantoccini::{Client, Locator};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::process::Command;

fn survey() -> Value {
    let agree = json!([
        {"point": 1, "label": {"sv": "Instämmer inte alls", "en": "Strongly disagree"}},
        {"point": 5, "label": {"sv": "Instämmer helt", "en": "Strongly agree"}}
    ]);
    json!({
        "title": {"sv": "Hur var ditt besök?", "en": "How was your visit?"},
        "languages": ["en", "sv"],
        "sections": [{"questions": [
            {"key": "welcome", "kind": "scale", "points": 5, "required": true, "anchors": agree,
             "text": {"sv": "Jag kände mig välkommen.", "en": "I felt welcome."}},
            {"key": "aspects", "kind": "matrix", "points": 5, "anchors": agree,
             "text": {"sv": "Hur väl stämmer följande?", "en": "How well does this fit?"},
             "items": [{"key": "coffee", "text": {"sv": "Kaffet var gott.", "en": "The coffee was good."}},
                       {"key": "staff", "text": {"sv": "Personalen var vänlig.", "en": "The staff were friendly."}}]},
            {"key": "recommend", "kind": "nps", "required": true,
             "text": {"sv": "Hur troligt är det att du rekommenderar oss?", "en": "How likely are you to recommend us?"}},
            {"key": "comment", "kind": "open_text", "max_length": 300,
             "text": {"sv": "Vill du berätta mer?", "en": "Anything else?"}}
        ]}]
    })
}

pub(crate) async fn text(browser: &Client, css: &str) -> String {
    let mut tries = 0;
    loop {
        tries += 1;
        match browser.wait().for_element(Locator::Css(css)).await {
            Ok(element) => return element.text().await.unwrap(),
            // A form's navigation can cut the wait short: wait again on the new page.
            Err(e) if tries < 3 && e.to_string().contains("aborted by navigation") => {}
            Err(e) => {
                let url = browser.current_url().await.unwrap();
                let page = browser.source().await.unwrap_or_default();
                panic!("{css}: {e} at {url}:\n{page}")
            }
        }
    }
}

pub(crate) async fn click(browser: &Client, css: &str) {
    browser
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
}

/// Whether the page fits the window's width (nothing to scroll sideways).
pub(crate) async fn fits_width(browser: &Client) -> bool {
    let fits = browser
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth;",
            vec![],
        )
        .await
        .unwrap();
    fits == json!(true)
}

#[tokio::test]
async fn a_person_answers_a_survey_on_a_phone_in_swedish() {
    let Some((_driver, webdriver)) = chromedriver() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("survey.db").display().to_string();
    // The provider with its first admin, as the README tells an operator to make it.
    let created = Command::new(env!("CARGO_BIN_EXE_motesplats"))
        .args(["provider", "create", "--name", "Kafé Linden"])
        .args([
            "--admin-email",
            "ada@linden.example",
            "--database",
            &database,
        ])
        .output()
        .expect("run motesplats provider create");
    assert!(created.status.success(), "{created:?}");
    let printed = String::from_utf8(created.stdout).unwrap();
    let shown = |label: &str| -> String {
        printed
            .lines()
            .find_map(|l| l.strip_prefix(label))
            .unwrap_or_else(|| panic!("no {label:?} in {printed}"))
            .trim()
            .to_string()
    };
    let (email, password, key) = (shown("sign in:"), shown("password:"), shown("API key:"));
    let mut server = Server::start(&["--database", &database], &[]);
    let url = server.url.clone();
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{url}/api/v1/surveys"))
        .bearer_auth(&key)
        .json(&survey())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = http
        .put(format!("{url}/api/v1/surveys/{id}/status"))
        .bearer_auth(&key)
        .json(&json!({"status": "open"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    let browser = open_browser(&webdriver, &dir.path().join("chromium"), "375,812").await;

    // English is the survey's first language, but the phone asks for Swedish.
    browser.goto(&format!("{url}/s/{id}")).await.unwrap();
    assert_eq!(text(&browser, "h1").await, "Hur var ditt besök?");
    assert_eq!(
        text(&browser, "#q-welcome-legend").await,
        "Jag kände mig välkommen. (obligatorisk)"
    );
    assert!(fits_width(&browser).await, "the form fits a 375 px screen");

    // Answer all but a required question, and send.
    click(&browser, "label[for='f-welcome-4']").await;
    click(&browser, "label[for='f-aspects.coffee-5']").await;
    browser
        .find(Locator::Id("f-comment"))
        .await
        .unwrap()
        .send_keys("Gott kaffe, trevlig personal.")
        .await
        .unwrap();
    click(&browser, "#send").await;

    assert_eq!(
        text(&browser, "#q-recommend-error").await,
        "Svara på frågan."
    );
    assert_eq!(
        text(&browser, "#error-summary-title").await,
        "Några svar behöver rättas"
    );
    let described = browser
        .find(Locator::Id("q-recommend"))
        .await
        .unwrap()
        .attr("aria-describedby")
        .await
        .unwrap();
    assert_eq!(described.as_deref(), Some("q-recommend-error"));
    // What was entered is still there.
    let kept = browser.find(Locator::Id("f-welcome-4")).await.unwrap();
    assert!(
        kept.is_selected().await.unwrap(),
        "the scale answer is kept"
    );
    let comment = browser
        .find(Locator::Id("f-comment"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(comment.as_deref(), Some("Gott kaffe, trevlig personal."));
    assert!(fits_width(&browser).await, "the errors fit too");

    // The summary leads to the question; answer it and send.
    click(&browser, "#error-summary a[href='#q-recommend']").await;
    click(&browser, "label[for='f-recommend-9']").await;
    click(&browser, "#send").await;
    let heading = browser
        .wait()
        .for_element(Locator::Css(".survey-message h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(heading, "Tack för dina svar!");

    let results: Value = http
        .get(format!("{url}/api/v1/surveys/{id}/results"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(results["responses"], 1, "{results}");

    // The provider signs in on the same phone and finds the response on the results page.
    sign_in(&browser, &url, &email, &password).await;
    browser.goto(&format!("{url}/surveys/{id}")).await.unwrap();
    assert_eq!(text(&browser, "h1").await, "Hur var ditt besök?");
    assert_eq!(text(&browser, "#response-count").await, "1");
    // The split picker is a plain form: pick the week and show. (The value is set by
    // script: on an emulated phone the browser's own picker would stay open over the page.)
    browser
        .execute("document.getElementById('split').value = 'week';", vec![])
        .await
        .unwrap();
    click(&browser, "#show-split").await;
    let header = text(&browser, "#split-table thead").await;
    assert!(header.starts_with("Fråga Alla (n = 1)"), "{header}");
    assert!(header.contains("-W"), "a week column: {header}");
    let welcome = text(&browser, "#split-table tbody tr:first-child").await;
    assert!(welcome.contains("n = 1"), "the answer counted: {welcome}");
    assert!(
        browser
            .current_url()
            .await
            .unwrap()
            .query()
            .is_some_and(|q| q.contains("split=week")),
        "the choice is in the address, so the page can be shared"
    );

    browser.close().await.unwrap();
    server.kill();
}
