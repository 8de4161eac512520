//! The survey builder over HTTP, as a browser without JavaScript uses it: a new
//! draft, a section, one question of each kind, opened and answered on the public
//! page; a refused question keeps what was typed and says why in Swedish; a change
//! after the first response makes version 2 and the response still counts; another
//! provider's user finds nothing.

use super::spawn_app;
use super::ui::Browser;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A builder form's address as the page draws it: with the revision it showed.
async fn drawn(browser: &mut Browser, path: &str) -> String {
    let Some(at) = path.find("/edit/") else {
        return path.to_string();
    };
    let page = browser
        .get(&path[..at + 5], "sv")
        .await
        .text()
        .await
        .unwrap();
    match page.split("?revision=").nth(1) {
        Some(rest) => format!("{path}?revision={}", &rest[..rest.find('"').unwrap()]),
        None => path.to_string(),
    }
}

/// Posts a change and expects to be sent back to the builder.
async fn change(browser: &mut Browser, path: &str, fields: &[(&str, &str)]) -> String {
    let path = drawn(browser, path).await;
    let r = browser.post(&path, "sv", fields).await;
    let status = r.status();
    let to = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    to.unwrap()
}

/// The survey as the API gives it to its owner.
async fn survey_json(app: &super::App, key: &str, id: &str) -> Value {
    app.get(key, &format!("/surveys/{id}"))
        .await
        .json()
        .await
        .unwrap()
}

const AGREE: &[(&str, &str)] = &[
    ("points", "5"),
    ("anchors.first.label.sv", "Instämmer inte alls"),
    ("anchors.first.label.en", "Strongly disagree"),
    ("anchors.3.label.sv", "Varken eller"),
    ("anchors.3.label.en", "Neither"),
    ("anchors.last.label.sv", "Instämmer helt"),
    ("anchors.last.label.en", "Strongly agree"),
];

#[tokio::test]
async fn a_survey_is_built_in_the_browser_opened_and_answered() {
    let app = spawn_app().await;
    let key = app.provider("Kafé Linden").await;
    app.user(&key, "kim@kafe.example", "hemligt-lösen").await;
    let other = app.provider("Banken").await;
    app.user(&other, "bo@bank.example", "hemligt-lösen").await;
    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@kafe.example", "hemligt-lösen").await;

    let list = kim.get("/surveys", "sv").await.text().await.unwrap();
    assert!(list.contains("href=\"/surveys/new\""), "{list}");
    let form = kim.get("/surveys/new", "sv").await;
    assert_eq!(form.status(), StatusCode::OK);
    let form = form.text().await.unwrap();
    assert!(form.contains("Ny enkät") && form.contains("name=\"title.en\""));

    // A new survey without a title in one of its languages is refused, input kept.
    let r = kim
        .post(
            "/surveys/new",
            "sv",
            &[
                ("languages", "sv"),
                ("languages", "en"),
                ("title.sv", "Hur var besöket?"),
                ("phase", "after"),
                ("first", "csat"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("behöver en text på engelska"), "{page}");
    assert!(page.contains("value=\"Hur var besöket?\""));

    let edit = change(
        &mut kim,
        "/surveys/new",
        &[
            ("languages", "sv"),
            ("languages", "en"),
            ("title.sv", "Hur var besöket?"),
            ("title.en", "How was your visit?"),
            ("intro.sv", "Två minuter."),
            ("intro.en", "Two minutes."),
            ("phase", "after"),
            ("channel", "store"),
            ("touchpoint_kind", "visit"),
            ("first", "csat"),
        ],
    )
    .await;
    let id = edit
        .trim_start_matches("/surveys/")
        .trim_end_matches("/edit")
        .to_string();
    let base = format!("/surveys/{id}/edit");
    let survey = |app, key| survey_json(app, key, &id);
    let s = survey(&app, &key).await;
    assert_eq!(s["status"], "draft");
    assert_eq!(s["context"]["channel"], "store");
    assert_eq!(s["sections"][0]["questions"][0]["kind"], "csat");

    // A section is started; its first question saves it.
    let to = change(
        &mut kim,
        &format!("{base}/section"),
        &[
            ("section_title.sv", "Besöket"),
            ("section_title.en", "The visit"),
        ],
    )
    .await;
    let page = kim.get(&to, "sv").await.text().await.unwrap();
    assert!(page.contains("id=\"pending-section\""), "{page}");
    assert!(page.contains("<option value=\"new\" selected>"), "{page}");
    let mut scale = vec![
        ("section", "new"),
        ("section_title.sv", "Besöket"),
        ("section_title.en", "The visit"),
        ("kind", "scale"),
        ("key", "welcome"),
        ("text.sv", "Jag kände mig välkommen."),
        ("text.en", "I felt welcome."),
        ("required", "true"),
        // Fields of other kinds are ignored.
        ("max_length", "300"),
        ("options.0.key", "stray"),
    ];
    scale.extend_from_slice(AGREE);
    change(&mut kim, &format!("{base}/question"), &scale).await;

    let mut matrix = vec![
        ("section", "1"),
        ("kind", "matrix"),
        ("key", "aspects"),
        ("text.sv", "Hur väl stämmer det?"),
        ("text.en", "How well does it fit?"),
        ("items.0.key", "coffee"),
        ("items.0.text.sv", "Kaffet var gott."),
        ("items.0.text.en", "The coffee was good."),
        ("items.1.key", ""),
        ("items.1.text.sv", ""),
        ("items.2.key", "staff"),
        ("items.2.text.sv", "Personalen var vänlig."),
        ("items.2.text.en", "The staff were friendly."),
    ];
    matrix.extend_from_slice(AGREE);
    change(&mut kim, &format!("{base}/question"), &matrix).await;
    for fields in [
        vec![
            ("section", "1"),
            ("kind", "multiple_choice"),
            ("key", "extras"),
            ("text.sv", "Vad vill du se mer av?"),
            ("text.en", "What would you like more of?"),
            ("options.0.key", "wifi"),
            ("options.0.label.sv", "Wifi"),
            ("options.0.label.en", "Wi-fi"),
            ("options.1.key", "vegan"),
            ("options.1.label.sv", "Veganskt"),
            ("options.1.label.en", "Vegan food"),
            ("options.2.key", "outdoor"),
            ("options.2.label.sv", "Uteservering"),
            ("options.2.label.en", "Outdoor seating"),
            ("max_selections", "2"),
        ],
        vec![
            ("section", "1"),
            ("kind", "open_text"),
            ("key", "comment"),
            ("text.sv", "Vill du berätta mer?"),
            ("text.en", "Anything else?"),
            ("max_length", "500"),
        ],
        vec![
            ("section", "1"),
            ("kind", "nps"),
            ("key", "recommend"),
            ("required", "true"),
            ("text.sv", "Hur troligt är det att du rekommenderar oss?"),
            ("text.en", "How likely are you to recommend us?"),
            ("points", "5"),
        ],
        vec![
            ("section", "0"),
            ("kind", "csat"),
            ("key", "service"),
            ("text.sv", "Hur nöjd är du med servicen?"),
            ("text.en", "How satisfied are you with the service?"),
        ],
    ] {
        change(&mut kim, &format!("{base}/question"), &fields).await;
    }
    let s = survey(&app, &key).await;
    let keys = |s: &Value, section: usize| -> Vec<String> {
        s["sections"][section]["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["key"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(keys(&s, 0), ["overall", "service"]);
    assert_eq!(
        keys(&s, 1),
        ["welcome", "aspects", "extras", "comment", "recommend"]
    );
    assert_eq!(s["sections"][1]["title"]["en"], "The visit");
    let welcome = &s["sections"][1]["questions"][0];
    assert_eq!(welcome["points"], 5);
    assert_eq!(welcome["anchors"][1]["point"], 3);
    assert_eq!(welcome["anchors"][2]["label"]["sv"], "Instämmer helt");
    let aspects = &s["sections"][1]["questions"][1];
    assert_eq!(aspects["items"].as_array().unwrap().len(), 2);
    assert_eq!(s["sections"][1]["questions"][2]["max_selections"], 2);
    assert_eq!(s["sections"][1]["questions"][3]["max_length"], 500);
    assert_eq!(
        s["version"], 1,
        "a draft without responses keeps its version"
    );

    // The builder shows every question with its kind, labels and a form to change it.
    let page = kim.get(&base, "sv").await.text().await.unwrap();
    for needle in [
        "id=\"question-aspects\"",
        "Matris av påståenden",
        // Each text is marked with its language, and a key is marked as no language.
        "1 = <span lang=\"sv\">Instämmer inte alls</span> · <span lang=\"en\">Strongly disagree</span>",
        "<code lang=\"zxx\">coffee</code>: <span lang=\"sv\">Kaffet var gott.</span>",
        "Välj från 0 till 2",
        "Högst 500 tecken",
        "id=\"form-edit-welcome\"",
        "src=\"/surveys/",
    ] {
        assert!(page.contains(needle), "{needle} missing: {page}");
    }
    let qr = kim.get(&format!("/surveys/{id}/qr.svg"), "sv").await;
    assert_eq!(qr.status(), StatusCode::OK);
    assert!(qr.text().await.unwrap().contains("<svg"));

    // Moves and removals: "service" up before "overall", "comment" down past
    // "recommend", and a stray question added and removed.
    change(
        &mut kim,
        &format!("{base}/move-up"),
        &[("_question", "service")],
    )
    .await;
    change(
        &mut kim,
        &format!("{base}/move-down"),
        &[("_question", "comment")],
    )
    .await;
    let s = survey(&app, &key).await;
    assert_eq!(keys(&s, 0), ["service", "overall"]);
    assert_eq!(
        keys(&s, 1),
        ["welcome", "aspects", "extras", "recommend", "comment"]
    );
    // Moving the first question of a section up puts it at the end of the one before.
    change(
        &mut kim,
        &format!("{base}/move-up"),
        &[("_question", "welcome")],
    )
    .await;
    let s = survey(&app, &key).await;
    assert_eq!(keys(&s, 0), ["service", "overall", "welcome"]);
    change(
        &mut kim,
        &format!("{base}/move-down"),
        &[("_question", "welcome")],
    )
    .await;
    let s = survey(&app, &key).await;
    assert_eq!(keys(&s, 1)[0], "welcome");
    change(
        &mut kim,
        &format!("{base}/remove"),
        &[("_question", "overall")],
    )
    .await;
    let s = survey(&app, &key).await;
    assert_eq!(keys(&s, 0), ["service"]);

    // A question is changed in place through its own form.
    let mut edited = vec![
        ("_question", "welcome"),
        ("kind", "scale"),
        ("key", "welcome"),
        ("text.sv", "Jag kände mig mycket välkommen."),
        ("text.en", "I felt very welcome."),
    ];
    edited.extend_from_slice(AGREE);
    change(&mut kim, &format!("{base}/question"), &edited).await;
    let s = survey(&app, &key).await;
    assert_eq!(
        s["sections"][1]["questions"][0]["text"]["sv"],
        "Jag kände mig mycket välkommen."
    );
    assert_eq!(s["sections"][1]["questions"][0]["required"], false);

    // Opened, the public page shows the questions.
    let draft = app
        .http
        .get(format!("{}/s/{id}", app.base))
        .send()
        .await
        .unwrap();
    assert_ne!(draft.status(), StatusCode::OK, "a draft takes no answers");
    change(&mut kim, &format!("{base}/status"), &[("status", "open")]).await;
    assert_eq!(survey(&app, &key).await["status"], "open");
    let public = app
        .http
        .get(format!("{}/s/{id}?lang=sv", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(public.status(), StatusCode::OK);
    let public = public.text().await.unwrap();
    for text in [
        "Hur var besöket?",
        "Besöket",
        "Jag kände mig mycket välkommen.",
        "Personalen var vänlig.",
        "Uteservering",
        "Hur troligt är det att du rekommenderar oss?",
        "Hur nöjd är du med servicen?",
        "Vill du berätta mer?",
    ] {
        assert!(public.contains(text), "{text} missing: {public}");
    }

    // Another provider's user finds neither the builder nor its changes.
    let mut bo = Browser::new(&app.base);
    bo.sign_in("bo@bank.example", "hemligt-lösen").await;
    assert_eq!(bo.get(&base, "sv").await.status(), StatusCode::NOT_FOUND);
    let path = drawn(&mut bo, &format!("{base}/remove")).await;
    let r = bo.post(&path, "sv", &[("_question", "service")]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = bo.get(&format!("/surveys/{id}/qr.svg"), "sv").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(keys(&survey(&app, &key).await, 0), ["service"]);
}

#[tokio::test]
async fn a_refused_question_keeps_the_input_and_says_why_in_swedish() {
    let app = spawn_app().await;
    let key = app.provider("Kafé Linden").await;
    app.user(&key, "kim@kafe.example", "hemligt-lösen").await;
    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@kafe.example", "hemligt-lösen").await;
    let edit = change(
        &mut kim,
        "/surveys/new",
        &[
            ("languages", "sv"),
            ("title.sv", "Besöket"),
            ("first", "nps"),
        ],
    )
    .await;
    let base = edit.clone();

    let path = drawn(&mut kim, &format!("{base}/question")).await;
    let r = kim
        .post(
            &path,
            "sv",
            &[
                ("section", "0"),
                ("kind", "scale"),
                ("key", "min fråga"),
                ("text.sv", ""),
                ("points", "5"),
                ("anchors.first.label.sv", "Inte alls"),
                ("anchors.7.label.sv", "För långt"),
                ("items.0.key", "ignored"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    // The typed values are kept in the add form, which is drawn again.
    assert!(page.contains("value=\"min fråga\""), "{page}");
    assert!(page.contains("value=\"Inte alls\""), "{page}");
    assert!(page.contains("value=\"För långt\""), "{page}");
    // Each reason in Swedish, beside its input.
    for reason in [
        "måste vara 1 till 40 tecken: en liten bokstav",
        "måste fyllas i",
        "måste ha etiketter för åtminstone båda ändarna, 1 och 5",
        "måste vara från 1 till 5",
    ] {
        assert!(page.contains(reason), "{reason} missing: {page}");
    }
    assert!(page.contains("Kontrollera följande"));
    assert!(
        page.contains("href=\"#form-add\""),
        "the top points to the form"
    );
    let s: Value = app
        .get(
            &key,
            &format!(
                "/surveys/{}",
                base.trim_start_matches("/surveys/")
                    .trim_end_matches("/edit")
            ),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        s["sections"][0]["questions"].as_array().unwrap().len(),
        1,
        "nothing was saved"
    );

    // A key already in use is said on the key; the only question cannot be removed.
    let path = drawn(&mut kim, &format!("{base}/question")).await;
    let r = kim
        .post(
            &path,
            "en",
            &[
                ("section", "0"),
                ("kind", "open_text"),
                ("key", "recommend"),
                ("text.sv", "Något mer?"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("is already the key of another question, row or code")
    );
    let path = drawn(&mut kim, &format!("{base}/remove")).await;
    let r = kim.post(&path, "sv", &[("_question", "recommend")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("enkäten behöver minst en fråga")
    );
    // A form for a question that is gone says so and saves nothing.
    let path = drawn(&mut kim, &format!("{base}/move-up")).await;
    let r = kim.post(&path, "sv", &[("_question", "nope")]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("finns inte längre"));
}

/// The form that adds a question, as the builder page draws it.
fn add_form(page: &str) -> &str {
    let at = page.find("id=\"form-add\"").expect("the add-question form");
    &page[at..at + page[at..].find("</form>").unwrap()]
}

#[tokio::test]
async fn the_add_question_form_shows_only_the_chosen_kinds_fields() {
    let (_app, _key, mut kim, base, _id) = kim_with_a_draft().await;
    // Each input and the kinds that need it.
    let inputs: &[(&str, &[&str])] = &[
        ("points", &["scale", "matrix"]),
        ("anchors.first.label.sv", &["scale", "matrix"]),
        ("items.0.key", &["matrix"]),
        ("options.0.key", &["single_choice", "multiple_choice"]),
        ("min_selections", &["multiple_choice"]),
        ("max_length", &["open_text"]),
    ];
    for kind in [
        "scale",
        "matrix",
        "open_text",
        "single_choice",
        "multiple_choice",
        "nps",
        "csat",
    ] {
        let page = kim
            .get(&format!("{base}?kind={kind}"), "sv")
            .await
            .text()
            .await
            .unwrap();
        let form = add_form(&page);
        assert!(
            form.contains(&format!("name=\"kind\" value=\"{kind}\"")),
            "{kind}: {form}"
        );
        for (input, kinds) in inputs {
            assert_eq!(
                form.contains(&format!("name=\"{input}\"")),
                kinds.contains(&kind),
                "{kind}, {input}: {form}"
            );
        }
        // The first choice is a plain GET form, with the chosen kind selected.
        assert!(page.contains(&format!(
            "<form method=\"get\" action=\"{base}#add-question\""
        )));
        assert!(page.contains(&format!("<option value=\"{kind}\" selected>")));
    }
    // Without a choice, or with an unknown kind, the form is a scale's.
    for path in [base.clone(), format!("{base}?kind=nonsense")] {
        let page = kim.get(&path, "sv").await.text().await.unwrap();
        let form = add_form(&page);
        assert!(form.contains("name=\"kind\" value=\"scale\""), "{form}");
        assert!(form.contains("name=\"points\"") && !form.contains("name=\"max_length\""));
    }

    // Choosing a kind keeps the section being started.
    let page = kim
        .get(
            &format!("{base}?new_section=1&section_title.sv=Besöket&kind=open_text"),
            "sv",
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("<input type=\"hidden\" name=\"section_title.sv\" value=\"Besöket\">"),
        "{page}"
    );
    assert!(add_form(&page).contains("<option value=\"new\" selected>"));

    // A refused addition comes back with its kind's fields only.
    let path = drawn(&mut kim, &format!("{base}/question")).await;
    let r = kim
        .post(
            &path,
            "sv",
            &[
                ("section", "0"),
                ("kind", "open_text"),
                ("key", "more"),
                ("text.sv", "Något mer?"),
                ("max_length", "många"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    let form = add_form(&page);
    assert!(
        form.contains("value=\"många\"") && !form.contains("name=\"points\""),
        "{form}"
    );
}

/// Kim of Kafé Linden, signed in, has made a draft "Besöket" with one CSAT question:
/// the app, the key, Kim's browser, the builder's path and the survey's id.
async fn kim_with_a_draft() -> (super::App, String, Browser, String, String) {
    let app = spawn_app().await;
    let key = app.provider("Kafé Linden").await;
    app.user(&key, "kim@kafe.example", "hemligt-lösen").await;
    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@kafe.example", "hemligt-lösen").await;
    let base = change(
        &mut kim,
        "/surveys/new",
        &[
            ("languages", "sv"),
            ("title.sv", "Besöket"),
            ("first", "csat"),
        ],
    )
    .await;
    let id = base
        .trim_start_matches("/surveys/")
        .trim_end_matches("/edit")
        .to_string();
    (app, key, kim, base, id)
}

#[tokio::test]
async fn a_change_after_the_first_response_makes_version_2() {
    let (app, key, mut kim, base, id) = kim_with_a_draft().await;
    change(&mut kim, &format!("{base}/status"), &[("status", "open")]).await;
    app.answer(&id, &json!({"answers": {"overall": 4}})).await;

    let page = kim.get(&base, "sv").await.text().await.unwrap();
    assert!(page.contains("id=\"versioning\""), "{page}");
    let to = change(
        &mut kim,
        &format!("{base}/question"),
        &[
            ("section", "0"),
            ("kind", "open_text"),
            ("key", "comment"),
            ("text.sv", "Vill du berätta mer?"),
        ],
    )
    .await;
    assert!(to.contains("version=2"), "{to}");
    let page = kim.get(&to, "sv").await.text().await.unwrap();
    assert!(page.contains("Sparat som version 2"), "{page}");
    let s: Value = app
        .get(&key, &format!("/surveys/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (s["version"].as_i64(), s["status"].as_str()),
        (Some(2), Some("open"))
    );

    // A status change is no new version.
    let to = change(&mut kim, &format!("{base}/status"), &[("status", "closed")]).await;
    assert!(to.contains("saved=1"), "{to}");
    let s = survey_json(&app, &key, &id).await;
    assert_eq!(
        (s["version"].as_i64(), s["status"].as_str()),
        (Some(2), Some("closed"))
    );

    // A kept question keeps its kind: the refusal says so.
    let path = drawn(&mut kim, &format!("{base}/question")).await;
    let r = kim
        .post(
            &path,
            "sv",
            &[
                ("_question", "overall"),
                ("kind", "nps"),
                ("key", "overall"),
                ("text.sv", "Rekommendera?"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("kan inte byta typ när enkäten har svar")
    );

    // The results still count the response given to version 1.
    let results = kim
        .get(&format!("/surveys/{id}"), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        results.contains("<span id=\"response-count\">1</span>"),
        "{results}"
    );
    assert!(results.contains(&format!("href=\"/surveys/{id}/edit\"")));
}

#[tokio::test]
async fn a_change_on_a_page_someone_else_changed_first_is_not_saved_over_theirs() {
    let (app, key, mut kim, base, id) = kim_with_a_draft().await;
    // Kim's page is drawn; then someone else opens the survey.
    let form = drawn(&mut kim, &format!("{base}/question")).await;
    assert!(form.ends_with("?revision=1"), "{form}");
    let r = app
        .http
        .put(format!("{}/api/v1/surveys/{id}/status", app.base))
        .bearer_auth(&key)
        .header("if-match", "\"1\"")
        .json(&json!({"status": "open"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    let r = kim
        .post(
            &form,
            "sv",
            &[
                ("section", "0"),
                ("kind", "open_text"),
                ("key", "comment"),
                ("text.sv", "Vill du berätta mer?"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    let page = kim.get(&to, "sv").await.text().await.unwrap();
    assert!(
        page.contains("Inte sparat: någon annan ändrade enkäten"),
        "{page}"
    );
    let s = survey_json(&app, &key, &id).await;
    assert_eq!(s["status"], "open", "the other change stands");
    assert_eq!(
        s["sections"][0]["questions"].as_array().unwrap().len(),
        1,
        "kim's change was not saved: {s}"
    );
    // Drawn again, the page carries the new revision and the change goes through.
    change(
        &mut kim,
        &format!("{base}/question"),
        &[
            ("section", "0"),
            ("kind", "open_text"),
            ("key", "comment"),
            ("text.sv", "Vill du berätta mer?"),
        ],
    )
    .await;
    let s = survey_json(&app, &key, &id).await;
    assert_eq!(s["sections"][0]["questions"].as_array().unwrap().len(), 2);
}
