//! The results page and the results API with known answers: one answer, two answers
//! (whose raw Student-t interval runs far off the scale) and 500 answers, in Swedish
//! and English numbers; open answers listed with their codes and language.

use super::ui::Browser;
use super::{App, spawn_app};
use motesplats_core::Lang;
use motesplats_core::coding::Codebook;
use motesplats_core::survey::{Response, ResponseInput, Survey};
use motesplats_store::ResponseWrite;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A café survey with one 1–5 scale and one open question, answered with `points`
/// (and, for the first answers, `comments`); the survey id and the response ids.
async fn answered(
    app: &App,
    key: &str,
    points: &[i32],
    comments: &[&str],
) -> (String, Vec<String>) {
    let anchors = json!([
        {"point": 1, "label": {"sv": "Inte alls", "en": "Not at all"}},
        {"point": 5, "label": {"sv": "Helt och hållet", "en": "Completely"}}
    ]);
    let definition = json!({"title": {"sv": "Besöket", "en": "The visit"}, "languages": ["sv", "en"], "sections": [{"questions": [
        {"key": "welcome", "kind": "scale", "points": 5, "anchors": anchors,
         "text": {"sv": "Hur välkommen kände du dig när du kom in genom dörren i morse?", "en": "How welcome did you feel?"}},
        {"key": "comment", "kind": "open_text", "text": {"sv": "Något mer?", "en": "Anything else?"}}
    ]}]});
    let id = app.open_survey(key, definition).await;
    // Stored directly: 500 answers from one address would meet the rate limit.
    let me: Value = app.get(key, "/providers/me").await.json().await.unwrap();
    let provider = me["id"].as_str().unwrap().parse().unwrap();
    let survey: Survey = serde_json::from_value(
        app.get(key, &format!("/surveys/{id}"))
            .await
            .json()
            .await
            .unwrap(),
    )
    .unwrap();
    let revision = app
        .store
        .survey(None, survey.id)
        .await
        .unwrap()
        .unwrap()
        .revision;
    let mut ids = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let mut answers = json!({"welcome": p});
        if let Some(c) = comments.get(i) {
            answers["comment"] = json!(c);
        }
        let input: ResponseInput = serde_json::from_value(json!({ "answers": answers })).unwrap();
        let response = Response::parse(&survey, &input, chrono::Utc::now()).unwrap();
        ids.push(response.id.to_string());
        let write = ResponseWrite::New {
            resume_sha256: None,
        };
        app.store
            .save_response(provider, response, revision, write)
            .await
            .unwrap();
    }
    (id, ids)
}

async fn page(app: &App, key: &str, id: &str, lang: &str) -> String {
    let email = format!("kim-{lang}@kafe.example");
    app.user(key, &email, "hemligt-lösen").await;
    let mut kim = Browser::new(&app.base);
    kim.sign_in(&email, "hemligt-lösen").await;
    let r = kim.get(&format!("/surveys/{id}"), lang).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.text().await.unwrap()
}

/// The first question's part of a results page.
fn first_question(page: &str) -> &str {
    page.split("<section class=\"card question-result\">")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .expect("a question's section")
}

async fn welcome(app: &App, key: &str, id: &str) -> Value {
    let results: Value = app
        .get(key, &format!("/surveys/{id}/results"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(results["min_n"], 5);
    results["questions"][0].clone()
}

#[tokio::test]
async fn one_answer_is_too_few_to_say_but_its_figures_stay() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    let (id, _) = answered(&app, &key, &[3], &[]).await;

    let q = welcome(&app, &key, &id).await;
    assert_eq!(
        (q["n"].clone(), q["too_few"].clone()),
        (json!(1), json!(true))
    );
    let item = &q["figures"]["items"][0];
    assert_eq!(q["figures"]["type"], "scale");
    assert_eq!(
        item["distribution"][2],
        json!({"point": 3, "count": 1, "share": 1.0})
    );
    assert_eq!(item["describe"], Value::Null);

    let page = page(&app, &key, &id, "sv").await;
    assert!(
        page.contains("För få svar för att säga något säkert: färre än 5"),
        "{page}"
    );
    assert!(page.contains("Ett enda svar"), "{page}");
    // The one answer's bar carries its share.
    assert!(page.contains(">100\u{a0}%</text>"), "{page}");
}

#[tokio::test]
async fn two_answers_keep_the_interval_on_the_scale_and_warn() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    // 2 and 4: mean 3; the raw Student-t interval is [-9.71, 15.71].
    let (id, _) = answered(&app, &key, &[2, 4], &[]).await;

    let q = welcome(&app, &key, &id).await;
    assert_eq!(q["too_few"], true);
    let ci = &q["figures"]["items"][0]["describe"]["ci"];
    assert_eq!(
        (ci["lower"].clone(), ci["upper"].clone()),
        (json!(1.0), json!(5.0))
    );

    let page = page(&app, &key, &id, "sv").await;
    assert!(
        page.contains("Medelvärde 3,0 på en skala från 1 till 5; troligen mellan 1,0 och 5,0."),
        "{page}"
    );
    assert!(page.contains("class=\"too-few\""), "{page}");
    assert!(!page.contains("-9,7") && !page.contains("15,7"), "{page}");
    // The question text once as a heading; the single-item chart has no row label.
    let text = "Hur välkommen kände du dig när du kom in genom dörren i morse?";
    assert_eq!(
        first_question(&page).matches(text).count(),
        2,
        "the heading and the chart's <title>"
    );
    assert!(page.contains(&format!("<h2><span lang=\"sv\">{text}</span>")));
    // The method is one click away.
    assert!(page.contains("<details class=\"method\"><summary>Hur siffrorna räknas</summary>"));
    assert!(page.contains("Student t"));
}

#[tokio::test]
async fn five_hundred_answers_in_both_languages_with_open_answers_and_codes() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    // 100 answers on each point: mean 3, interval [2.876, 3.124]; top two 40 %.
    let points: Vec<i32> = (0..500).map(|i| i % 5 + 1).collect();
    let comments = [
        "Personalen var otrevlig och kön var lång",
        "The app keeps buzzing with offers I never asked for.",
    ];
    let (id, responses) = answered(&app, &key, &points, &comments).await;
    let r = app
        .post(
            &key,
            &format!("/surveys/{id}/codings"),
            json!({"response_id": responses[0], "question": "comment", "start": 0, "end": 10,
                   "code": "stance.dislike", "coder": "ada"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    let q = welcome(&app, &key, &id).await;
    assert_eq!(
        (q["n"].clone(), q["too_few"].clone()),
        (json!(500), json!(false))
    );

    let sv = page(&app, &key, &id, "sv").await;
    assert!(sv.contains("id=\"response-count\">500<"), "{sv}");
    assert!(
        sv.contains("Medelvärde 3,0 på en skala från 1 till 5; troligen mellan 2,9 och 3,1."),
        "{sv}"
    );
    assert!(
        sv.contains("40\u{a0}% valde 4 eller 5 (troligen mellan 36\u{a0}% och 44\u{a0}%)."),
        "{sv}"
    );
    assert!(!first_question(&sv).contains("class=\"too-few\""));
    // Percentages on the bars, the anchors in the legend.
    assert!(sv.contains(">20\u{a0}%</text>"), "{sv}");
    assert!(sv.contains("1 = Inte alls · 5 = Helt och hållet"), "{sv}");
    // The open answers with their codes, each in its own language.
    let dislike = Codebook::value_landscape()
        .code("stance.dislike")
        .unwrap()
        .name(Lang::Sv)
        .to_string();
    assert!(
        sv.contains(&format!(
            "<q lang=\"sv\">Personalen var otrevlig och kön var lång</q> <span class=\"codes\">Koder: {dislike}</span>"
        )),
        "{sv}"
    );
    assert!(
        sv.contains("<q lang=\"en\">The app keeps buzzing with offers I never asked for.</q> <span class=\"codes\">Koder: inte kodat än</span>"),
        "{sv}"
    );

    let en = page(&app, &key, &id, "en").await;
    assert!(
        en.contains("Mean 3.0 on a scale from 1 to 5; likely between 2.9 and 3.1."),
        "{en}"
    );
    assert!(en.contains("40% chose 4 or 5"), "{en}");
}
