//! The public survey page as a browser without JavaScript uses it: plain form posts,
//! errors named next to their questions in the respondent's language, partial saves
//! continued at their own address, and no answers to closed surveys.

use super::{App, spawn_app};
use reqwest::redirect::Policy;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

fn survey(question: &str) -> Value {
    let agree = json!([
        {"point": 1, "label": {"sv": "Instämmer inte alls", "en": "Strongly disagree"}},
        {"point": 5, "label": {"sv": "Instämmer helt", "en": "Strongly agree"}}
    ]);
    json!({
        "title": {"sv": "Hur var besöket?", "en": "How was your visit?"},
        "languages": ["sv", "en"],
        "intro": {"sv": "Det tar två minuter.", "en": "It takes two minutes."},
        "sections": [
            {"title": {"sv": "Besöket", "en": "The visit"}, "questions": [
                {"key": "welcome", "kind": "scale", "points": 5, "required": true, "anchors": agree,
                 "text": {"sv": question, "en": "I felt welcome."}},
                {"key": "aspects", "kind": "matrix", "points": 5, "anchors": agree,
                 "text": {"sv": "Hur väl stämmer följande?", "en": "How well does this fit?"},
                 "items": [
                    {"key": "coffee", "text": {"sv": "Kaffet var gott.", "en": "The coffee was good."}},
                    {"key": "staff", "text": {"sv": "Personalen var vänlig.", "en": "The staff were friendly."}}
                 ]},
                {"key": "reason", "kind": "single_choice",
                 "text": {"sv": "Varför kom du?", "en": "Why did you come?"},
                 "options": [{"key": "fika", "label": {"sv": "Fika", "en": "Coffee"}},
                             {"key": "work", "label": {"sv": "Arbete", "en": "Work"}}]},
                {"key": "extras", "kind": "multiple_choice", "max_selections": 2,
                 "text": {"sv": "Vad vill du se mer av?", "en": "What would you like more of?"},
                 "options": [{"key": "wifi", "label": {"sv": "Wifi", "en": "Wi-fi"}},
                             {"key": "outdoor", "label": {"sv": "Uteservering", "en": "Outdoor seating"}},
                             {"key": "vegan", "label": {"sv": "Veganskt", "en": "Vegan food"}}]}
            ]},
            {"questions": [
                {"key": "recommend", "kind": "nps", "required": true,
                 "text": {"sv": "Skulle du rekommendera oss?", "en": "Would you recommend us?"}},
                {"key": "comment", "kind": "open_text", "max_length": 200,
                 "text": {"sv": "Något mer?", "en": "Anything else?"}}
            ]}
        ]
    })
}

/// A client that does not follow redirects, so a 303 can be seen.
fn browser() -> Client {
    Client::builder().redirect(Policy::none()).build().unwrap()
}

async fn create(app: &App, key: &str, question: &str, open: bool) -> String {
    let r = app.post(key, "/surveys", survey(question)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    if open {
        set_status(app, key, &id, "open").await;
    }
    id
}

async fn set_status(app: &App, key: &str, id: &str, status: &str) {
    let r = app
        .http
        .put(format!("{}/api/v1/surveys/{id}/status", app.base))
        .bearer_auth(key)
        .json(&json!({ "status": status }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

async fn responses(app: &App, key: &str, id: &str, partial: bool) -> u64 {
    let results: Value = app
        .get(key, &format!("/surveys/{id}/results?partial={partial}"))
        .await
        .json()
        .await
        .unwrap();
    results["responses"].as_u64().unwrap()
}

/// Posts a form as a browser does (repeated names for a multiple choice).
async fn post_form(http: &Client, url: &str, pairs: &[(&str, &str)]) -> (StatusCode, String) {
    let r = http
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept-language", "sv-SE,sv;q=0.9")
        .body(serde_urlencoded::to_string(pairs).unwrap())
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.text().await.unwrap())
}

async fn get_page(http: &Client, url: &str) -> (StatusCode, String) {
    let r = http
        .get(url)
        .header("accept-language", "sv-SE,sv;q=0.9,en;q=0.8")
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.text().await.unwrap())
}

/// The HTML of one question's fieldset (a matrix's items are indented inside it).
fn fieldset<'a>(html: &'a str, key: &str) -> &'a str {
    let start = html
        .find(&format!("<fieldset id=\"q-{key}\""))
        .unwrap_or_else(|| panic!("no fieldset for {key} in {html}"));
    let rest = &html[start..];
    &rest[..rest.find("\n</fieldset>").unwrap()]
}

#[tokio::test]
async fn a_person_answers_in_swedish_corrects_a_bad_answer_and_sends() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    let id = create(&app, &key, "Jag kände mig välkommen.", true).await;
    let http = browser();
    let url = format!("{}/s/{id}", app.base);

    // The page in Swedish from Accept-Language, in English when asked.
    let (status, page) = get_page(&http, &url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<html lang=\"sv\">"), "{page}");
    for text in [
        "Hur var besöket?",
        "Jag kände mig välkommen.",
        "Instämmer inte alls",
        "Kaffet var gott.",
        "name=\"aspects.coffee\"",
        "type=\"checkbox\"",
        "maxlength=\"200\"",
        "(obligatorisk)",
        ">Skicka<",
        ">Spara och fortsätt senare<",
    ] {
        assert!(page.contains(text), "{text} missing from {page}");
    }
    assert!(!page.contains("<script"), "no JavaScript needed");
    let (_, english) = get_page(&http, &format!("{url}?lang=en")).await;
    assert!(english.contains("I felt welcome.") && english.contains(">Send<"));
    let (_, fallback) = get_page(&http, &format!("{url}?lang=de")).await;
    assert!(fallback.contains("Jag kände mig välkommen."));

    // A tampered value out of range, and three choices where two are allowed.
    let mut answers = vec![
        ("language", "sv"),
        ("welcome", "9"),
        ("aspects.coffee", "4"),
        ("reason", "fika"),
        ("extras", "wifi"),
        ("extras", "outdoor"),
        ("extras", "vegan"),
        ("recommend", "8"),
        ("comment", "Gott <kaffe> & bullar"),
        ("action", "send"),
    ];
    let (status, page) = post_form(&http, &url, &answers).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Några svar behöver rättas"), "{page}");
    assert!(
        page.contains(
            "<a href=\"#q-welcome\">Jag kände mig välkommen. — Välj ett värde från 1 till 5.</a>"
        ),
        "the summary links to the question: {page}"
    );
    let welcome = fieldset(&page, "welcome");
    assert!(
        welcome.contains("aria-describedby=\"q-welcome-error\""),
        "{welcome}"
    );
    assert!(
        welcome.contains(
            "<p class=\"field-error\" id=\"q-welcome-error\">Välj ett värde från 1 till 5.</p>"
        ),
        "{welcome}"
    );
    assert!(welcome.contains("aria-invalid=\"true\""));
    let extras = fieldset(&page, "extras");
    assert!(extras.contains("Välj högst 2 alternativ."), "{extras}");
    // Everything else entered is kept.
    let reason = fieldset(&page, "reason");
    assert!(reason.contains("value=\"fika\" checked"), "{reason}");
    assert!(!reason.contains("aria-invalid"), "{reason}");
    assert!(fieldset(&page, "recommend").contains("value=\"8\" checked"));
    assert!(fieldset(&page, "aspects").contains("name=\"aspects.coffee\" value=\"4\" checked"));
    assert!(
        page.contains("Gott &#60;kaffe&#62; &#38; bullar</textarea>")
            || page.contains("Gott &lt;kaffe&gt; &amp; bullar</textarea>"),
        "{page}"
    );
    assert_eq!(responses(&app, &key, &id, true).await, 0, "nothing stored");

    // A required question left empty.
    answers.retain(|(k, v)| *k != "recommend" && *v != "vegan");
    answers[1] = ("welcome", "4");
    let (status, page) = post_form(&http, &url, &answers).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        fieldset(&page, "recommend").contains("Svara på frågan."),
        "{page}"
    );
    assert!(!fieldset(&page, "welcome").contains("field-error"));

    answers.push(("recommend", "10"));
    let (status, page) = post_form(&http, &url, &answers).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Tack för dina svar!"), "{page}");
    assert_eq!(responses(&app, &key, &id, false).await, 1);
    let results: Value = app
        .get(&key, &format!("/surveys/{id}/results"))
        .await
        .json()
        .await
        .unwrap();
    let extras = results["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["key"] == "extras")
        .unwrap();
    let counts: Vec<(&str, u64)> = extras["figures"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["key"].as_str().unwrap(), o["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(counts, [("wifi", 1), ("outdoor", 1), ("vegan", 0)]);

    // The owner's QR code of the public link.
    let r = app.get(&key, &format!("/surveys/{id}/qr.svg")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    assert!(r.text().await.unwrap().contains("<svg"));
    let r = http
        .get(format!("{}/api/v1/surveys/{id}/qr.svg", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_partial_save_is_continued_at_its_own_address() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    let id = create(&app, &key, "Jag kände mig välkommen.", true).await;
    let http = browser();
    let url = format!("{}/s/{id}", app.base);

    let (status, page) = post_form(
        &http,
        &url,
        &[
            ("language", "sv"),
            ("welcome", "3"),
            ("extras", "wifi"),
            ("extras", "vegan"),
            ("action", "save"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let r = http
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("language=sv&welcome=2&action=save")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with(&format!("/s/{id}/r/")), "{location}");
    assert!(location.contains("?token="), "{location}");
    assert_eq!(responses(&app, &key, &id, true).await, 2);
    assert_eq!(responses(&app, &key, &id, false).await, 0);

    // The address without its token, or with another, shows nothing of the answers
    // and changes nothing: the same page as an unknown response.
    let (status, unknown) = get_page(
        &http,
        &format!("{url}/r/01234567-89ab-7def-8123-456789abcdef"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let bare = location.split('?').next().unwrap();
    for guess in [bare.to_string(), format!("{bare}?token={}", "0".repeat(64))] {
        let guess = format!("{}{guess}", app.base);
        assert_eq!(
            get_page(&http, &guess).await,
            (StatusCode::NOT_FOUND, unknown.clone())
        );
        let (status, _) = post_form(
            &http,
            &guess,
            &[("welcome", "1"), ("recommend", "0"), ("action", "send")],
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    assert_eq!(responses(&app, &key, &id, false).await, 0);

    let resume = format!("{}{location}", app.base);
    let (status, page) = get_page(&http, &resume).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Dina svar hittills är sparade."), "{page}");
    assert!(
        page.contains(&format!("action=\"{}\"", location.replace('&', "&amp;"))),
        "{page}"
    );
    assert!(
        fieldset(&page, "welcome").contains("value=\"2\" checked"),
        "{page}"
    );

    // Still checked when continued; then finished.
    let (status, page) = post_form(
        &http,
        &resume,
        &[
            ("language", "sv"),
            ("welcome", "2"),
            ("recommend", "11"),
            ("action", "send"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        fieldset(&page, "recommend").contains("Välj ett värde från 0 till 10."),
        "{page}"
    );
    assert!(page.contains(&format!("action=\"{location}\"")));
    let (status, page) = post_form(
        &http,
        &resume,
        &[
            ("language", "sv"),
            ("welcome", "2"),
            ("recommend", "7"),
            ("action", "send"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Tack för dina svar!"));
    assert_eq!(
        responses(&app, &key, &id, true).await,
        2,
        "the same response, completed"
    );
    assert_eq!(responses(&app, &key, &id, false).await, 1);

    // A sent response cannot change.
    let (status, page) = get_page(&http, &resume).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("De här svaren är redan skickade"), "{page}");
    assert!(!page.contains("<form"));
    let (status, _) = post_form(
        &http,
        &resume,
        &[("welcome", "5"), ("recommend", "10"), ("action", "send")],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = get_page(
        &http,
        &format!("{url}/r/01234567-89ab-7def-8123-456789abcdef"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn closed_draft_and_unknown_surveys_take_no_answers() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    let http = browser();
    let open = create(&app, &key, "Jag kände mig välkommen.", true).await;
    let draft = create(&app, &key, "Jag kände mig välkommen.", false).await;
    set_status(&app, &key, &open, "closed").await;
    let answer = [("welcome", "4"), ("recommend", "9"), ("action", "send")];

    let url = format!("{}/s/{open}", app.base);
    let (status, page) = get_page(&http, &url).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains("Enkäten tar inte emot svar"), "{page}");
    assert!(!page.contains("<form"));
    let (status, _) = post_form(&http, &url, &answer).await;
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(responses(&app, &key, &open, true).await, 0);

    // A draft is not public yet: its link shows the very page an unknown survey does.
    let (_, unknown) = get_page(
        &http,
        &format!("{}/s/01234567-89ab-7def-8123-456789abcdef", app.base),
    )
    .await;
    assert!(unknown.contains("Enkäten finns inte"), "{unknown}");
    let url = format!("{}/s/{draft}", app.base);
    assert_eq!(
        get_page(&http, &url).await,
        (StatusCode::NOT_FOUND, unknown.clone())
    );
    assert_eq!(
        post_form(&http, &url, &answer).await,
        (StatusCode::NOT_FOUND, unknown.clone())
    );
    assert_eq!(responses(&app, &key, &draft, true).await, 0);
    let (status, page) = get_page(&http, &format!("{}/s/not-a-survey", app.base)).await;
    assert_eq!((status, page), (StatusCode::NOT_FOUND, unknown));
}

#[tokio::test]
async fn question_texts_are_escaped() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    let id = create(
        &app,
        &key,
        "<script>alert('hej')</script> & \"citat\"",
        true,
    )
    .await;
    let http = browser();
    let url = format!("{}/s/{id}", app.base);
    let (status, page) = get_page(&http, &url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(
        page.contains("&#60;script&#62;") || page.contains("&lt;script&gt;"),
        "{page}"
    );
    // Also in the error summary, and a tampered language is no way in either.
    let (status, page) = post_form(
        &http,
        &url,
        &[
            ("language", "<i>sv</i>"),
            ("welcome", "0"),
            ("recommend", "1"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        !page.contains("<script>alert") && !page.contains("<i>sv"),
        "{page}"
    );
}

#[tokio::test]
async fn an_invitation_link_lets_the_person_link_the_answer_to_their_profile() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    let id = create(&app, &key, "Jag kände mig välkommen.", true).await;
    let profile = app.profile_with_email(&key, "ada@example.se").await;
    let profile = profile.as_str();
    let invitation: Value = app
        .post(
            &key,
            &format!("/surveys/{id}/invitations"),
            json!({"profile_id": profile}),
        )
        .await
        .json()
        .await
        .unwrap();
    let link = invitation["link"].as_str().unwrap();
    let url = format!("{}{}", app.base, &link[link.find("/s/").unwrap()..]);
    let invite = link.split("?invite=").nth(1).unwrap();
    let http = browser();

    let (status, page) = get_page(&http, &url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Koppla mina svar till min kundprofil"),
        "{page}"
    );
    let (_, page) = get_page(&http, &format!("{}/s/{id}?invite=forged", app.base)).await;
    assert!(
        !page.contains("Koppla mina svar"),
        "a forged invitation offers nothing"
    );

    let (status, page) = post_form(
        &http,
        &url,
        &[
            ("language", "sv"),
            ("welcome", "4"),
            ("recommend", "9"),
            ("_invite", invite),
            ("_consent", "yes"),
            ("action", "send"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let me: Value = app.get(&key, "/providers/me").await.json().await.unwrap();
    let provider = me["id"].as_str().unwrap().parse().unwrap();
    let stored = app
        .store
        .responses(provider, id.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(
        stored[0].profile_id.map(|p| p.to_string()).as_deref(),
        Some(profile)
    );
}
