//! The coding page over HTTP: suggestions offered, words coded by two people, a
//! refusal that keeps the words, kappa of the two, scores by code, the 0/1 columns,
//! and a coded quote that lands on a research project's board.

use super::spawn_app;
use super::surveys::analysed_survey;
use super::ui::Browser;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn two_people_code_open_answers_and_send_a_quote_to_the_board() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    app.user(&key, "ada@kafe.example", "hemligt-lösen").await;
    app.user(&key, "bo@kafe.example", "hemligt-lösen").await;
    let id = app.open_survey(&key, analysed_survey()).await;
    for (welcome, comment) in [
        (2, "Personalen var otrevlig och kön var lång"),
        (5, "Trevlig personal och gott kaffe"),
        (4, "Mysig lokal, vi kommer gärna tillbaka"),
    ] {
        app.answer(
            &id,
            &json!({"answers": {"welcome": welcome, "comment": comment}}),
        )
        .await;
    }
    let page_path = format!("/surveys/{id}/coding");
    let mut ada = Browser::new(&app.base);
    ada.sign_in("ada@kafe.example", "hemligt-lösen").await;
    let page = ada.get(&page_path, "sv").await.text().await.unwrap();
    assert!(page.contains("Förslag"), "suggestions are offered");
    let response_of = |page: &str, words: &str| -> String {
        let article = page
            .split("<article class=\"card answer\" id=\"r-")
            .find(|a| a.contains(words))
            .unwrap_or_else(|| panic!("no answer with {words:?}"));
        article.split('"').next().unwrap().to_string()
    };
    let rude = response_of(&page, "otrevlig");
    let nice = response_of(&page, "Trevlig personal");

    // Words that are not in the answer: refused in Swedish, the words kept.
    let r = ada
        .post(
            &format!("{page_path}/spans"),
            "sv",
            &[
                ("response_id", &rude),
                ("question", "comment"),
                ("code", "stance.dislike"),
                ("words", "kassan krånglade"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("De orden finns inte i svaret"));
    assert!(page.contains("value=\"kassan krånglade\""));

    // Both code the same two answers; they disagree on one.
    let code = |who: &'static str, response: &str, words: &'static str, code: &'static str| {
        let (response, path) = (response.to_string(), format!("{page_path}/spans"));
        let base = app.base.clone();
        async move {
            let mut b = Browser::new(&base);
            b.sign_in(who, "hemligt-lösen").await;
            let r = b
                .post(
                    &path,
                    "sv",
                    &[
                        ("response_id", &response),
                        ("question", "comment"),
                        ("code", code),
                        ("words", words),
                    ],
                )
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{who} codes {words:?}");
        }
    };
    code("ada@kafe.example", &rude, "otrevlig", "stance.dislike").await;
    code(
        "bo@kafe.example",
        &rude,
        "Personalen var otrevlig",
        "stance.dislike",
    )
    .await;
    code("ada@kafe.example", &nice, "Trevlig personal", "stance.like").await;
    code(
        "bo@kafe.example",
        &nice,
        "gott kaffe",
        "motivation.experiences",
    )
    .await;

    let page = ada.get(&page_path, "sv").await.text().await.unwrap();
    assert!(
        page.contains("<mark title=\"Ogillar"),
        "{}",
        &page[..500.min(page.len())]
    );
    let agreement = ada
        .get(
            &format!("{page_path}?a=ada@kafe.example&b=bo@kafe.example"),
            "sv",
        )
        .await
        .text()
        .await
        .unwrap();
    let api: Value = app
        .get(
            &key,
            &format!("/surveys/{id}/coding/agreement?a=ada@kafe.example&b=bo@kafe.example"),
        )
        .await
        .json()
        .await
        .unwrap();
    let kappa = api["overall"]["kappa"].as_f64().expect("a kappa");
    assert!(
        agreement.contains(&format!("id=\"overall-kappa\">{kappa:.2}<")),
        "the page shows the API's kappa {kappa:.2}"
    );
    let joined = ada
        .get(&format!("{page_path}?question=welcome"), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        joined.contains("stance.dislike"),
        "the join table lists codes"
    );
    let csv = ada
        .get(&format!("{page_path}/codes.csv"), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.starts_with("response_id,submitted_at,motivation"),
        "{csv}"
    );

    // A quote goes to a research project and onto its board, in the after phase.
    let created: Value = app
        .post(
            &key,
            "/projects",
            json!({"title": "Kaféet", "members": [{"name": "Ada", "role": "lead"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let project = created["project"]["id"].as_str().unwrap().to_string();
    let codings: Vec<Value> = app
        .get(&key, &format!("/surveys/{id}/codings"))
        .await
        .json()
        .await
        .unwrap();
    let coding = codings.iter().find(|c| c["quote"] == "otrevlig").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = ada
        .post(
            &format!("{page_path}/quotes"),
            "sv",
            &[("coding", &coding), ("project", &project)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let notice = ada
        .get(r.headers()["location"].to_str().unwrap(), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert!(notice.contains("Citatet är nu underlag"));
    let board = ada
        .get(&format!("/research/{project}?tab=board"), "sv")
        .await
        .text()
        .await
        .unwrap();
    let after = board.split("id=\"journey-board\"").nth(1).unwrap();
    assert!(
        after.contains("“otrevlig”"),
        "the quote is a card on the board"
    );

    // Another provider's user sees no coding page.
    let other = app.provider("Banken").await;
    app.user(&other, "cy@bank.example", "hemligt-lösen").await;
    let mut cy = Browser::new(&app.base);
    cy.sign_in("cy@bank.example", "hemligt-lösen").await;
    assert_eq!(
        cy.get(&page_path, "sv").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_codebook_is_edited_and_exchanged_in_the_browser() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    app.user(&key, "ada@kafe.example", "hemligt-lösen").await;
    let mut ada = Browser::new(&app.base);
    ada.sign_in("ada@kafe.example", "hemligt-lösen").await;
    let page = ada.get("/codebook", "sv").await.text().await.unwrap();
    assert!(page.contains("<code>motivation.experiences</code>"));

    // The default codes as the form sends them, plus one new code.
    let book: Value = app.get(&key, "/codebook").await.json().await.unwrap();
    let rows = |extra: (&str, &str)| {
        let mut form = reqwest::multipart::Form::new().text("version", "0");
        let mut codes: Vec<(String, String, String, String)> = book["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
                (s("key"), s("parent"), s("name_sv"), s("name_en"))
            })
            .collect();
        codes.push((
            extra.0.into(),
            extra.1.into(),
            "Väntan".into(),
            String::new(),
        ));
        for (k, p, sv, en) in codes {
            form = form
                .text("key", k)
                .text("parent", p)
                .text("name_sv", sv)
                .text("name_en", en)
                .text("description", "");
        }
        form
    };
    let r = ada
        .post_form("/codebook", "sv", rows(("Vänta länge", "")))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("value=\"Vänta länge\""),
        "the typed key is kept"
    );
    let r = ada
        .post_form("/codebook", "sv", rows(("stance.waiting", "stance")))
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = ada.get("/codebook", "sv").await.text().await.unwrap();
    assert!(page.contains("<code>stance.waiting</code>") && page.contains("Väntan"));

    // The REFI-QDA file goes out and comes back in.
    let qdc = ada.get("/codebook.qdc", "sv").await.text().await.unwrap();
    assert!(qdc.contains("urn:QDA-XML:codebook:1.0") && qdc.contains("Väntan"));
    let file = reqwest::multipart::Part::bytes(qdc.into_bytes())
        .file_name("codebook.qdc")
        .mime_str("application/xml")
        .unwrap();
    let form = reqwest::multipart::Form::new()
        .text("version", "1")
        .part("file", file);
    let r = ada.post_form("/codebook/import", "sv", form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let after: Value = app.get(&key, "/codebook").await.json().await.unwrap();
    assert_eq!(after["version"], 2);
    assert!(
        after["codes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["key"] == "stance.waiting")
    );

    // A stale version is refused, nothing changes.
    let r = ada
        .post_form("/codebook", "sv", rows(("stance.other", "stance")))
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let same: Value = app.get(&key, "/codebook").await.json().await.unwrap();
    assert_eq!(same["version"], 2);
}
