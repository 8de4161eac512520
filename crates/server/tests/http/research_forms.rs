//! The research board's forms over HTTP: a refused form comes back with the input
//! kept, a reason per field in the page's language, and nothing saved; a photo that
//! is not an image is refused the same way; a card edited by two people at once is
//! not silently overwritten; another provider cannot post to the project.

use super::attachments::TINY_PNG;
use super::ui::Browser;
use super::{App, spawn_app};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

fn form(fields: &[(&str, &str)]) -> Form {
    fields.iter().fold(Form::new(), |f, (name, value)| {
        f.text(name.to_string(), value.to_string())
    })
}

/// Kim, signed in, on the board of a new project with one moment in step 4: the
/// board's path and the moment's id.
async fn a_board_with_a_moment(app: &App, moment: &[(&str, &str)]) -> (Browser, String, String) {
    let shop = app.provider("Kaféet").await;
    app.user(&shop, "kim@kafe.example", "hemligt-lösen").await;
    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@kafe.example", "hemligt-lösen").await;
    let r = kim
        .post_form(
            "/research",
            "sv",
            form(&[("title", "Kvällarna"), ("members.0.name", "Kim")]),
        )
        .await;
    let board = r.headers()["location"].to_str().unwrap().to_string();
    kim.post_form(&format!("{board}/forms/moment"), "sv", form(moment))
        .await;
    let page = kim
        .get(&format!("{board}?step=4"), "sv")
        .await
        .text()
        .await
        .unwrap();
    let title = moment.iter().find(|(k, _)| *k == "title").unwrap().1;
    let id = option(&page, title);
    (kim, board, id)
}

/// Both perspectives take `stance` on the moment, and the team chooses it as its focus.
async fn focus_on(kim: &mut Browser, board: &str, moment: &str, stance: &str) {
    for perspective in ["customer", "provider"] {
        kim.post_form(
            &format!("{board}/forms/stance"),
            "sv",
            form(&[
                ("_moment", moment),
                ("perspective", perspective),
                ("stance", stance),
            ]),
        )
        .await;
    }
    let r = kim
        .post_form(
            &format!("{board}/forms/focus"),
            "sv",
            form(&[("moment_id", moment), ("_was", "null")]),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

/// The value of the first hidden input named `name` in `page`.
fn hidden(page: &str, name: &str) -> String {
    page.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no input {name:?}"))
        .to_string()
}

/// The value of the first `<option>` whose label starts with `label`.
fn option(page: &str, label: &str) -> String {
    page.split("<option value=\"")
        .skip(1)
        .find(|o| {
            o.split_once("\">")
                .is_some_and(|(_, l)| l.starts_with(label))
        })
        .and_then(|o| o.split('"').next())
        .unwrap_or_else(|| panic!("no option {label:?}"))
        .to_string()
}

#[tokio::test]
async fn refused_forms_keep_the_input_and_save_nothing() {
    let app = spawn_app().await;
    let shop = app.provider("Modehuset").await;
    app.user(&shop, "lena@mode.example", "hemligt-lösen").await;
    let other = app.provider("Kaféet").await;
    app.user(&other, "kim@kafe.example", "hemligt-lösen").await;
    let mut lena = Browser::new(&app.base);
    lena.sign_in("lena@mode.example", "hemligt-lösen").await;

    // A project without a title is refused, and the name typed is kept.
    let r = lena
        .post_form(
            "/research",
            "sv",
            form(&[("title", " "), ("members.0.name", "Lena")]),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("måste fyllas i") || page.contains("får inte vara tomt"),
        "{page}"
    );
    assert!(page.contains("value=\"Lena\""));
    let listed: Vec<Value> = app.get(&shop, "/projects").await.json().await.unwrap();
    assert!(listed.is_empty(), "nothing was created");

    let r = lena
        .post_form(
            "/research",
            "sv",
            form(&[("title", "Centrumrundan"), ("members.0.name", "Lena")]),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let board = r.headers()["location"].to_str().unwrap().to_string();
    let id = board.trim_start_matches("/research/").to_string();
    let version = || async {
        let v: Value = app
            .get(&shop, &format!("/projects/{id}"))
            .await
            .json()
            .await
            .unwrap();
        v["version"].as_i64().unwrap()
    };
    let page = lena.get(&board, "sv").await.text().await.unwrap();
    let lead = option(&page, "Lena");

    // An empty moment: refused by field, the purchase kept, the version unchanged.
    let r = lena
        .post_form(
            &format!("{board}/forms/story"),
            "sv",
            form(&[
                ("teller", &lead),
                ("purchase", "En vinterjacka"),
                ("moments.0.phase", "mitt i"),
                ("moments.0.valence", "negative"),
                ("moments.0.text", ""),
            ]),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("value=\"En vinterjacka\""),
        "the input is kept"
    );
    assert!(
        page.contains("är inte ett av alternativen"),
        "unknown phase, in Swedish"
    );
    // The problems sit at the top, above the form, each a link to its input.
    let banner = page
        .find("<div class=\"error-summary\" id=\"refused\" role=\"alert\"")
        .expect("a banner of the problems");
    assert!(
        banner < page.find("id=\"form-story\"").unwrap(),
        "above the form"
    );
    assert!(page[banner..].contains("<a href=\"#f-story-moments-0-phase\">"));
    assert!(page.contains("<fieldset class=\"choices\" id=\"f-story-moments-0-phase\">"));
    assert_eq!(version().await, 1);

    let r = lena
        .post_form(
            &format!("{board}/forms/story"),
            "sv",
            form(&[
                ("teller", &lead),
                ("purchase", "En vinterjacka"),
                ("moments.0.phase", "before"),
                ("moments.0.valence", "negative"),
                ("moments.0.text", "Hittade inte öppettiderna på webben"),
                ("moments.0.landscape.motivations:list", "goal_fulfilment"),
            ]),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(version().await, 2);
    let page = lena
        .get(&format!("{board}?tab=board"), "sv")
        .await
        .text()
        .await
        .unwrap();
    let lane = page
        .split("Motiv: måluppfyllelse")
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .unwrap();
    assert!(
        lane.contains("Hittade inte öppettiderna"),
        "the card sits in its lane"
    );

    // An observation round, then an observation whose "photo" is text.
    let r = lena
        .post_form(
            &format!("{board}/forms/round"),
            "sv",
            form(&[
                ("name", "Lördag"),
                ("observers:list", &lead),
                ("starts_on", "2026-11-01"),
                ("ends_on", "2026-11-02"),
            ]),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = lena
        .get(&format!("{board}?step=2"), "sv")
        .await
        .text()
        .await
        .unwrap();
    let round = option(&page, "Lördag");
    let observation = |photo: Part| {
        form(&[
            ("round_id", &round),
            ("observer", &lead),
            ("observed_on", "2026-11-01"),
            (
                "answers.situation",
                "Kön till kassan ringlar ut genom dörren",
            ),
        ])
        .part("file", photo)
    };
    let text = Part::bytes(b"not a picture".to_vec())
        .file_name("kassan.png")
        .mime_str("image/png")
        .unwrap();
    let r = lena
        .post_form(
            &format!("{board}/forms/observation"),
            "sv",
            observation(text),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("är ingen bild som kan läsas"), "{page}");
    assert!(
        page.contains("Kön till kassan ringlar ut genom dörren"),
        "the answer is kept"
    );
    assert_eq!(version().await, 3);

    // A photo over the 5 MB limit: refused with the limit named, in Swedish.
    let mut huge = TINY_PNG.to_vec();
    huge.resize(5 * 1024 * 1024 + 1, 0);
    let huge = Part::bytes(huge)
        .file_name("stor.png")
        .mime_str("image/png")
        .unwrap();
    let r = lena
        .post_form(
            &format!("{board}/forms/observation"),
            "sv",
            observation(huge),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("större än gränsen på 5 MB")
    );
    assert_eq!(version().await, 3);

    let png = Part::bytes(TINY_PNG.to_vec())
        .file_name("kassan.png")
        .mime_str("image/png")
        .unwrap();
    let r = lena
        .post_form(
            &format!("{board}/forms/observation"),
            "sv",
            observation(png),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = lena
        .get(&format!("{board}?step=2"), "sv")
        .await
        .text()
        .await
        .unwrap();
    let photo = page
        .split("<img class=\"photo\" src=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the photo is shown")
        .to_string();
    let image = lena.get(&photo, "sv").await;
    assert_eq!(image.headers()["content-type"], "image/png");
    assert_eq!(image.bytes().await.unwrap().as_ref(), TINY_PNG);

    // Two people place the same observation from the same page: the second is told.
    let observation_id = hidden(&page, "_observation");
    let place = |phase: &str| {
        form(&[
            ("_observation", &observation_id),
            ("_was", "null"),
            ("phase", phase),
            ("valence", "negative"),
        ])
    };
    let first = lena
        .post_form(&format!("{board}/forms/placement"), "sv", place("during"))
        .await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let second = lena
        .post_form(&format!("{board}/forms/placement"), "en", place("after"))
        .await;
    assert_eq!(second.status(), StatusCode::CONFLICT);
    assert!(
        second
            .text()
            .await
            .unwrap()
            .contains("Someone else changed this card")
    );
    let p: Value = app
        .get(&shop, &format!("/projects/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        p["project"]["observations"][0]["placement"]["phase"],
        "during"
    );

    // Another provider's user cannot post to the project.
    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@kafe.example", "hemligt-lösen").await;
    let r = kim
        .post_form(
            &format!("{board}/forms/member"),
            "sv",
            form(&[("name", "Kim")]),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let stolen = kim.get(&photo, "sv").await;
    assert_eq!(stolen.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn shareable_functions_travel_to_the_next_project_and_protocols_can_be_edited() {
    let app = spawn_app().await;
    let shop = app.provider("Modehuset").await;
    app.user(&shop, "lena@mode.example", "hemligt-lösen").await;
    let mut lena = Browser::new(&app.base);
    lena.sign_in("lena@mode.example", "hemligt-lösen").await;
    let start = |title: &'static str| form(&[("title", title), ("members.0.name", "Lena")]);
    let first = lena.post_form("/research", "sv", start("Våren")).await;
    let first = first.headers()["location"].to_str().unwrap().to_string();
    let function = |name: &str, shareable: bool| {
        let f = form(&[
            ("name", name),
            ("what", "Butikens tider i kartappen"),
            ("phases:list", "before"),
            ("motivations:list", "goal_fulfilment"),
        ]);
        if shareable {
            f.text("shareable:bool", "true")
        } else {
            f
        }
    };
    for (name, shareable) in [("Öppettider i kartan", true), ("Intern lista", false)] {
        let r = lena
            .post_form(
                &format!("{first}/forms/function"),
                "sv",
                function(name, shareable),
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    let catalogue: Vec<Value> = app
        .get(&shop, "/digital-functions")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(catalogue.len(), 1, "only the shareable one: {catalogue:?}");
    assert_eq!(catalogue[0]["function"]["name"], "Öppettider i kartan");
    assert_eq!(catalogue[0]["project_title"], "Våren");

    // The next project offers it; copying keeps what the team wrote.
    let second = lena.post_form("/research", "sv", start("Hösten")).await;
    let second = second.headers()["location"].to_str().unwrap().to_string();
    let page = lena
        .get(&format!("{second}?step=3"), "sv")
        .await
        .text()
        .await
        .unwrap();
    let offer = page
        .split("class=\"catalogue\"")
        .nth(1)
        .expect("the catalogue is offered");
    assert!(offer.contains("Öppettider i kartan") && !offer.contains("Intern lista"));
    let copy = lena
        .post_form(
            &format!("{second}/forms/function"),
            "sv",
            function("Öppettider i kartan", true),
        )
        .await;
    assert_eq!(copy.status(), StatusCode::SEE_OTHER);
    let page = lena
        .get(&format!("{second}?step=3"), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains("class=\"catalogue\""),
        "nothing left to copy"
    );

    // A team's own protocol: a reworded field, and a bad key named by its row.
    let id = second.trim_start_matches("/research/");
    let protocol = |key: &str| {
        form(&[
            ("name", "Kassan"),
            ("fields.0.key", key),
            ("fields.0.label_sv", "Hur lång är kön?"),
            ("fields.0.label_en", "How long is the queue?"),
        ])
    };
    let r = lena
        .post_form(
            &format!("{second}/forms/template"),
            "en",
            protocol("Kö längd"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("fields[0].key"), "the bad key is named");
    assert!(
        page.contains("value=\"Hur lång är kön?\""),
        "the wording is kept"
    );
    let r = lena
        .post_form(&format!("{second}/forms/template"), "en", protocol("queue"))
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let p: Value = app
        .get(&shop, &format!("/projects/{id}"))
        .await
        .json()
        .await
        .unwrap();
    let templates = p["project"]["templates"].as_array().unwrap();
    assert_eq!(
        templates.last().unwrap()["fields"][0]["label_sv"],
        "Hur lång är kön?"
    );
}

#[tokio::test]
async fn the_board_says_the_stances_in_words_and_names_each_concept_once() {
    let app = spawn_app().await;
    let shop = app.provider("Modehuset").await;
    app.user(&shop, "lena@mode.example", "hemligt-lösen").await;
    let mut lena = Browser::new(&app.base);
    lena.sign_in("lena@mode.example", "hemligt-lösen").await;
    let r = lena
        .post_form(
            "/research",
            "sv",
            form(&[("title", "Centrumrundan"), ("members.0.name", "Lena")]),
        )
        .await;
    let board = r.headers()["location"].to_str().unwrap().to_string();
    let r = lena
        .post_form(
            &format!("{board}/forms/moment"),
            "sv",
            form(&[("title", "Betala vägtull"), ("phase", "before")]),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = lena
        .get(&format!("{board}?step=4"), "sv")
        .await
        .text()
        .await
        .unwrap();
    let (moment, lead) = (option(&page, "Betala vägtull"), option(&page, "Lena"));
    for (perspective, stance) in [
        ("customer", "dislike"),
        ("provider", "like"),
        ("provider", "like"),
    ] {
        let r = lena
            .post_form(
                &format!("{board}/forms/stance"),
                "sv",
                form(&[
                    ("_moment", &moment),
                    ("perspective", perspective),
                    ("stance", stance),
                    ("recorded_by", &lead),
                    ("source", "asked_customers"),
                ]),
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert!(
            r.headers()["location"]
                .to_str()
                .unwrap()
                .ends_with("?step=4#step-4")
        );
    }

    // One step at a time, the board and the matrix on tabs of their own.
    let step = lena
        .get(&format!("{board}?step=4"), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert!(step.contains("<a href=\"?step=4\" aria-current=\"step\">"));
    // The four actions and the landscape's words say what they mean where they are
    // chosen, in the page's language.
    use motesplats_core::research::Explain;
    for meant in [
        motesplats_core::Action::Autonomise.explanation(motesplats_core::Lang::Sv),
        motesplats_core::Setting::SocialEnvironment.explanation(motesplats_core::Lang::Sv),
    ] {
        let escaped = askama::filters::escape(meant, askama::filters::Html)
            .unwrap()
            .to_string();
        assert!(step.contains(&escaped), "{meant}");
    }
    assert!(step.contains("<summary>Vad betyder orden?</summary>"));
    // Each entry says where it comes from and who wrote it down.
    assert!(
        step.contains("(frågade kunder, Lena)"),
        "the source of each like or dislike"
    );
    assert!(step.contains("id=\"form-stance\"") && !step.contains("id=\"form-story\""));
    assert!(!step.contains("id=\"journey-board\"") && !step.contains("id=\"four-field\""));
    let matrix = lena
        .get(&format!("{board}?tab=matrix"), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert!(matrix.contains("<a href=\"?tab=matrix\" aria-current=\"page\">"));
    assert!(matrix.contains("id=\"four-field\"") && !matrix.contains("id=\"form-stance\""));
    let r = lena.get(&format!("{board}?step=9"), "sv").await;
    assert!(r.status().is_client_error());
    assert!(
        r.text().await.unwrap().contains("step"),
        "the field is named"
    );

    let sv = lena
        .get(&format!("{board}?tab=board"), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        sv.contains("Betala vägtull · Kunden: 0 gillar, 1 ogillar · Tjänsteleverantören: 2 gillar, 0 ogillar"),
        "{sv}"
    );
    assert!(sv.contains("Fyrfältsmodellen") && sv.contains("Tjänsteleverantör"));
    assert!(sv.contains("senast ändrad"));
    for other in ["Fyrfältaren", "Verksamhet", "Version", "+0/", "−1"] {
        assert!(!sv.contains(other), "{other} is gone from the board");
    }
    let en = lena
        .get(&format!("{board}?tab=board"), "en")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        en.contains("The customer: 0 likes, 1 dislike · The provider: 2 likes, 0 dislikes"),
        "{en}"
    );
    assert!(en.contains("Four-field model") && en.contains("last changed"));
    let list = lena.get("/research", "sv").await.text().await.unwrap();
    assert!(
        !list.contains("Version"),
        "the list shows when, not a version number"
    );
}

/// The care rule reaches the choice: a focus on an experience moment asks for care.
#[tokio::test]
async fn a_focus_on_an_experience_asks_for_care() {
    let app = spawn_app().await;
    let (mut kim, board, moment) = a_board_with_a_moment(
        &app,
        &[
            ("title", "Middagen"),
            ("phase", "during"),
            ("landscape.motivations:list", "experiences"),
        ],
    )
    .await;
    let page = kim
        .get(&format!("{board}?step=4"), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains("id=\"focus-care\""));
    focus_on(&mut kim, &board, &moment, "like").await;
    let page = kim
        .get(&format!("{board}?step=4"), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Varsamhet behövs:") && page.contains("Fokusmomentet rör: upplevelser."),
        "{page}"
    );
}

/// Step 5 on the board: the route and a task, then the next round checks the task.
#[tokio::test]
async fn the_plan_is_made_on_the_board_and_checked_in_the_next_round() {
    let app = spawn_app().await;
    let (mut kim, board, moment) =
        a_board_with_a_moment(&app, &[("title", "Stängt på kvällen"), ("phase", "before")]).await;
    focus_on(&mut kim, &board, &moment, "dislike").await;
    for (name, fields) in [
        (
            "implementation",
            vec![("route", "build"), ("partnership", "alone")],
        ),
        (
            "task",
            vec![
                ("who", "Kim"),
                ("what", "Beställ skåpet"),
                ("when", "2027-02-01"),
            ],
        ),
    ] {
        let r = kim
            .post_form(&format!("{board}/forms/{name}"), "sv", form(&fields))
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{name}");
    }
    let page = kim
        .get(&format!("{board}?step=5"), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("<strong>bygga en egen lösning</strong>, på egen hand")
            && page.contains("<td>Beställ skåpet</td>"),
        "{page}"
    );

    let r = kim
        .post_form(&format!("{board}/forms/next-round"), "sv", form(&[]))
        .await;
    let next = r.headers()["location"].to_str().unwrap().to_string();
    let next = next.split(['?', '#']).next().unwrap().to_string();
    let page = kim.get(&next, "sv").await.text().await.unwrap();
    assert!(
        page.contains("Förra omgångens plan: blev det gjort?"),
        "{page}"
    );
    let task = hidden(&page, "task_id");
    let r = kim
        .post_form(
            &format!("{next}/forms/check-task"),
            "sv",
            form(&[("task_id", &task), ("done:bool", "false")]),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = kim.get(&next, "sv").await.text().await.unwrap();
    assert!(
        page.contains("<strong class=\"task-status\">Inte gjort</strong>"),
        "{page}"
    );
}

/// Step 4's presentation round: a question about a moment is kept with its answer
/// and marked closed with a rewrite; one about nothing comes back refused.
#[tokio::test]
async fn the_presentation_round_keeps_questions_marked_open_or_closed() {
    let app = spawn_app().await;
    let (mut kim, board, _) =
        a_board_with_a_moment(&app, &[("title", "Middagen"), ("phase", "during")]).await;
    let page = kim
        .get(&format!("{board}?step=4"), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Frågor och svar från redovisningen"),
        "{page}"
    );
    let about = option(&page, "Moment: Middagen");
    let questions = format!("{board}/forms/moment-question");
    let r = kim
        .post_form(&questions, "sv", form(&[("text", "Vad hände sen?")]))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = kim
        .post_form(
            &questions,
            "sv",
            form(&[
                ("about", &about),
                ("text", "Var det trevligt?"),
                ("answer", "Ja, men kallt."),
            ]),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = kim
        .get(&format!("{board}?step=4"), "sv")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Var det trevligt?")
            && page.contains("sluten fråga")
            && page.contains("Ja, men kallt."),
        "{page}"
    );
}

/// Step 4 on the board: Kim writes a dislike in her own protocol, then brings it to
/// a moment; the per-person view shows where it went, the moment carries it.
#[tokio::test]
async fn a_protocol_entry_is_written_per_person_then_merged_into_a_moment() {
    let app = spawn_app().await;
    let (mut kim, board, moment) =
        a_board_with_a_moment(&app, &[("title", "Kön i kassan"), ("phase", "during")]).await;
    let step4 = format!("{board}?step=4");
    let page = kim.get(&step4, "sv").await.text().await.unwrap();
    assert!(page.contains("Protokollen, person för person"), "{page}");
    let me = option(&page, "Kim (");
    let entry = [
        ("perspective", "provider"),
        ("stance", "dislike"),
        ("reason", "Kunder lämnar kön"),
        ("source", "own_experience"),
    ];
    let entries = format!("{board}/forms/protocol-entry");
    let r = kim.post_form(&entries, "sv", form(&entry)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = r.text().await.unwrap();
    assert!(
        refused.contains(">Kunder lämnar kön</textarea>")
            && refused.contains("<a href=\"#f-protocol-entry-recorded-by\">"),
        "{refused}"
    );
    let mine = [entry.as_slice(), &[("recorded_by", me.as_str())]].concat();
    let r = kim.post_form(&entries, "sv", form(&mine)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let page = kim.get(&step4, "sv").await.text().await.unwrap();
    let protocols = between(&page, "id=\"protocols\"", "</section>");
    assert!(
        protocols.contains("<h4>Kim</h4>")
            && protocols.contains("Protokoll: tjänsteleverantör")
            && protocols.contains("ogillar: Kunder lämnar kön"),
        "{protocols}"
    );
    assert!(
        page.contains("rader i protokollen som väntar på att föras till ett ögonblick: 1;"),
        "{page}"
    );
    let item = hidden(protocols, "_item");
    let r = kim
        .post_form(
            &format!("{board}/forms/merge-entry"),
            "sv",
            form(&[("_item", &item), ("moment_id", &moment)]),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = kim.get(&step4, "sv").await.text().await.unwrap();
    let protocols = between(&page, "id=\"protocols\"", "</section>");
    assert!(
        protocols.contains("→ <span class=\"merged\">Kön i kassan</span>")
            && !protocols.contains("name=\"_item\""),
        "{protocols}"
    );
    assert!(!page.contains("väntar på att föras"));
    let merged = between(&page, "<article class=\"moment\">", "</article>");
    assert!(
        merged.contains("tjänsteleverantör ogillar: Kunder lämnar kön")
            && merged.contains("(egen erfarenhet, Kim)"),
        "{merged}"
    );
}

/// The part of `page` from `start` to the first `end` after it.
fn between<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let from = page.find(start).unwrap_or_else(|| panic!("no {start}"));
    let rest = &page[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}
