//! `motesplats survey …`: a survey built from a file and opened with the CLI, answered
//! and coded through the real `motesplats serve`, then written out by the CLI; every
//! file and figure equals what the API gives for the same database.

use super::{Server, motesplats, ok, provider, text};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::Path;

/// Runs a command that must fail; its stderr.
fn fails(args: &[&str]) -> String {
    let out = motesplats(args);
    assert!(
        !out.status.success(),
        "{args:?} succeeded: {}",
        text(&out.stdout)
    );
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    text(&out.stderr)
}

fn survey() -> Value {
    let agree = json!([
        {"point": 1, "label": {"sv": "Instämmer inte alls", "en": "Strongly disagree"}},
        {"point": 5, "label": {"sv": "Instämmer helt", "en": "Strongly agree"}}
    ]);
    json!({
        "title": {"sv": "Hur var ditt besök?", "en": "How was your visit?"},
        "languages": ["sv", "en"],
        "phase": "after",
        "sections": [{"questions": [
            {"key": "welcome", "kind": "scale", "points": 5, "required": true, "anchors": agree,
             "text": {"sv": "Jag kände mig välkommen.", "en": "I felt welcome."}},
            {"key": "aspects", "kind": "matrix", "points": 5, "anchors": agree,
             "text": {"sv": "Hur väl stämmer följande?", "en": "How well does this fit?"},
             "items": [{"key": "coffee", "text": {"sv": "Kaffet var gott.", "en": "The coffee was good."}},
                       {"key": "staff", "text": {"sv": "Personalen var vänlig.", "en": "The staff were friendly."}}]},
            {"key": "recommend", "kind": "nps",
             "text": {"sv": "Hur troligt är det att du rekommenderar oss?", "en": "How likely are you to recommend us?"}},
            {"key": "motivation", "kind": "single_choice",
             "text": {"sv": "Varför kom du?", "en": "Why did you come?"},
             "options": [{"key": "relationships", "label": {"sv": "Träffa någon", "en": "To meet someone"}},
                         {"key": "experiences", "label": {"sv": "Uppleva något", "en": "To experience something"}}]},
            {"key": "extras", "kind": "multiple_choice",
             "text": {"sv": "Vad köpte du?", "en": "What did you buy?"},
             "options": [{"key": "bun", "label": {"sv": "Bulle", "en": "Bun"}},
                         {"key": "tea", "label": {"sv": "Te", "en": "Tea"}}]},
            {"key": "comment", "kind": "open_text",
             "text": {"sv": "Vill du berätta mer?", "en": "Anything else?"}}
        ]}]
    })
}

fn write_json(path: &Path, value: &Value) -> String {
    std::fs::write(path, serde_json::to_vec_pretty(value).unwrap()).unwrap();
    path.display().to_string()
}

#[tokio::test]
async fn a_survey_is_built_answered_and_written_out_as_the_api_does() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("x.db").display().to_string();
    let (shop, key) = provider(&database, "Kafé Linden", "ada@linden.example");
    let scope = ["--provider", shop.as_str(), "--database", database.as_str()];
    let run = |args: &[&str]| -> Vec<u8> { ok(&[args, &scope[..]].concat()) };

    // Built from a file (a draft, version 1) and listed.
    let file = write_json(&dir.path().join("visit.json"), &survey());
    let id = text(&run(&["survey", "create", "--file", &file]))
        .trim()
        .to_string();
    let listed = text(&run(&["survey", "list"]));
    assert_eq!(
        listed.lines().collect::<Vec<_>>(),
        [
            "id\tstatus\tversion\ttitle\tresponses".to_string(),
            format!("{id}\tdraft\t1\tHur var ditt besök?\t0")
        ]
    );
    assert_eq!(
        text(&run(&["survey", "status", &id, "open"])),
        format!("{id}\topen\n")
    );

    // Answered and coded through the API of the real server on the same database.
    let server = Server::start(&["--database", &database], &[]);
    let url = server.url.clone();
    let http = reqwest::Client::new();
    let answers = [
        (
            5,
            4,
            5,
            10,
            "relationships",
            vec!["bun"],
            "Trevlig personal och god bulle",
        ),
        (
            4,
            5,
            4,
            9,
            "experiences",
            vec!["tea"],
            "Fin musik på kvällen",
        ),
        (
            2,
            3,
            2,
            3,
            "experiences",
            vec![],
            "Kön var lång och kaffet kallt",
        ),
        (4, 4, 5, 8, "relationships", vec!["bun", "tea"], ""),
        (
            3,
            2,
            3,
            6,
            "experiences",
            vec!["tea"],
            "Svårt att hitta parkering",
        ),
    ];
    let mut response_ids = Vec::new();
    for (welcome, coffee, staff, recommend, why, extras, comment) in answers {
        let r = http
            .post(format!("{url}/api/v1/surveys/{id}/responses"))
            .json(&json!({"answers": {
                "welcome": welcome, "aspects": {"coffee": coffee, "staff": staff},
                "recommend": recommend, "motivation": why, "extras": extras, "comment": comment
            }}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        response_ids.push(r.json::<Value>().await.unwrap()["id"].clone());
    }
    // A partial save, counted only with --partial.
    let r = http
        .post(format!("{url}/api/v1/surveys/{id}/responses"))
        .json(&json!({"answers": {"recommend": 0}, "partial": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    for (response, start, end, code, coder) in [
        (0, 0, 16, "stance.like", "anna"),
        (0, 0, 16, "setting.social_environment", "bjorn"),
        (1, 0, 11, "motivation.experiences", "anna"),
        (2, 0, 13, "stance.dislike", "anna"),
        (4, 5, 25, "setting.physical_place", "bjorn"),
    ] {
        let r = http
            .post(format!("{url}/api/v1/surveys/{id}/codings"))
            .bearer_auth(&key)
            .json(
                &json!({"response_id": response_ids[response], "question": "comment",
                          "start": start, "end": end, "code": code, "coder": coder}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            StatusCode::CREATED,
            "{}",
            r.text().await.unwrap()
        );
    }
    let get = |path: String| {
        let (http, key, url, id) = (http.clone(), key.clone(), url.clone(), id.clone());
        async move {
            let r = http
                .get(format!("{url}/api/v1/surveys/{id}/{path}"))
                .bearer_auth(&key)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            r.bytes().await.unwrap().to_vec()
        }
    };

    // The results as JSON equal the API's, with and without a split and partial saves.
    for (query, extra) in [
        ("", vec![]),
        ("?split=motivation", vec!["--split", "motivation"]),
        (
            "?split=month&partial=true",
            vec!["--split", "month", "--partial"],
        ),
        ("?level=0.9", vec!["--level", "0.9"]),
    ] {
        let mut args = vec!["survey", "results", id.as_str(), "--format", "json"];
        args.extend(extra);
        let cli: Value = serde_json::from_slice(&run(&args)).unwrap();
        let from_api: Value =
            serde_json::from_slice(&get(format!("results{query}")).await).unwrap();
        assert_eq!(cli, from_api, "results{query}");
    }
    let cli: Value =
        serde_json::from_slice(&run(&["survey", "results", &id, "--format", "json"])).unwrap();
    assert_eq!(cli["responses"], 5);

    // As CSV: the API's bytes, with its header, to stdout or a file.
    let csv_text = text(&run(&[
        "survey", "results", &id, "--format", "csv", "--split", "phase",
    ]));
    assert_eq!(
        csv_text.lines().next().unwrap(),
        "split,split_value,split_label,question,item,kind,responses,n,mean,sd,median,\
         mean_ci_low,mean_ci_high,top_two_box,top_two_box_ci_low,top_two_box_ci_high,nps,\
         nps_ci_low,nps_ci_high,level,too_few"
    );
    assert_eq!(csv_text, text(&get("results.csv?split=phase".into()).await));
    let results_file = dir.path().join("results.csv");
    let printed = run(&[
        "survey",
        "results",
        &id,
        "--format",
        "csv",
        "--out",
        results_file.to_str().unwrap(),
    ]);
    assert!(printed.is_empty());
    assert_eq!(
        std::fs::read(&results_file).unwrap(),
        get("results.csv".into()).await
    );

    // The readable table: a row per question and matrix item, aligned, per split value.
    let table = text(&run(&["survey", "results", &id, "--split", "motivation"]));
    assert!(
        table.contains("5 completed responses; intervals at 95%"),
        "{table}"
    );
    assert!(table.contains("all: 5 responses"), "{table}");
    assert!(
        table.contains("motivation relationships (Träffa någon): 2 responses"),
        "{table}"
    );
    let header = table
        .lines()
        .find(|l| l.starts_with("question"))
        .expect("a header");
    for word in ["n", "mean", "95% CI", "top-2-box", "NPS"] {
        assert!(header.contains(word), "{header}");
    }
    let welcome = table
        .lines()
        .find(|l| l.starts_with("welcome "))
        .expect("a welcome row");
    // mean 3.6 of 5, 4 and 5 of five in the top two boxes.
    assert!(welcome.contains("3.60"), "{welcome}");
    assert!(welcome.contains("60.0%"), "{welcome}");
    let mean_column = header.find("mean").unwrap() + "mean".len();
    assert_eq!(&welcome[mean_column - 4..mean_column], "3.60", "{table}");
    assert!(
        table.lines().any(|l| l
            .split_whitespace()
            .take(4)
            .eq(["aspects", "coffee", "matrix", "5"])),
        "{table}"
    );
    let nps_row = table.lines().find(|l| l.starts_with("recommend")).unwrap();
    // 2 promoters (10, 9) and 2 detractors (3, 6) of 5: 0.
    assert!(nps_row.contains("+0.0  [-78.4, 78.4]"), "{nps_row}");
    assert!(!nps_row.ends_with("too few"), "{nps_row}");
    let group_row = table
        .lines()
        .filter(|l| l.starts_with("recommend"))
        .nth(1)
        .unwrap();
    assert!(group_row.ends_with("too few"), "2 answers: {table}");
    assert!(
        table.contains("  motivation: relationships 2, experiences 3"),
        "{table}"
    );

    // The responses as CSV, partial saves included: the API's bytes.
    let responses = run(&["survey", "responses", &id]);
    assert_eq!(responses, get("responses.csv".into()).await);
    let mut reader = csv::Reader::from_reader(&responses[..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "response_id",
            "survey_version",
            "submitted_at",
            "completed",
            "language",
            "welcome",
            "aspects.coffee",
            "aspects.staff",
            "recommend",
            "motivation",
            "extras.bun",
            "extras.tea",
            "comment"
        ]
    );
    assert_eq!(reader.records().count(), 6);
    let responses_file = dir.path().join("responses.csv");
    run(&[
        "survey",
        "responses",
        &id,
        "--out",
        responses_file.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(&responses_file).unwrap(), responses);

    // The codes as CSV: everyone's, one coder's, with partial saves.
    let codes = run(&["survey", "codes", &id]);
    assert_eq!(codes, get("codes.csv".into()).await);
    let codes_text = text(&codes);
    assert!(
        codes_text.starts_with("response_id,submitted_at,motivation,"),
        "{codes_text}"
    );
    assert_eq!(codes_text.lines().count(), 6);
    assert_eq!(
        run(&["survey", "codes", &id, "--coder", "anna"]),
        get("codes.csv?coder=anna".into()).await
    );
    let codes_file = dir.path().join("codes.csv");
    run(&[
        "survey",
        "codes",
        &id,
        "--partial",
        "--out",
        codes_file.to_str().unwrap(),
    ]);
    assert_eq!(
        std::fs::read(&codes_file).unwrap(),
        get("codes.csv?partial=true".into()).await
    );

    // Revised once it has responses: a new version, as the API does; the list shows it.
    let mut next = survey();
    next["sections"][0]["questions"]
        .as_array_mut()
        .unwrap()
        .push(json!({"key": "again", "kind": "csat", "text": {"sv": "Nöjd?", "en": "Satisfied?"}}));
    let file2 = write_json(&dir.path().join("visit2.json"), &next);
    assert_eq!(
        text(&run(&["survey", "revise", &id, "--file", &file2])),
        format!("{id}\tversion 2\topen\n")
    );
    let r = http
        .get(format!("{url}/api/v1/surveys/{id}"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    let stored: Value = r.json().await.unwrap();
    assert_eq!(stored["version"], 2);
    assert!(text(&run(&["survey", "list"])).contains(&format!("{id}\topen\t2\t")));
    // A kept question may not change its kind: named by its path, nothing saved.
    let mut changed = next.clone();
    changed["sections"][0]["questions"][0]["kind"] = json!("csat");
    changed["sections"][0]["questions"][0]
        .as_object_mut()
        .unwrap()
        .remove("points");
    changed["sections"][0]["questions"][0]
        .as_object_mut()
        .unwrap()
        .remove("anchors");
    let file3 = write_json(&dir.path().join("visit3.json"), &changed);
    let stderr = fails(&[&["survey", "revise", &id, "--file", &file3][..], &scope[..]].concat());
    assert!(
        stderr.contains("sections[0].questions[0].kind: cannot change from scale to csat"),
        "{stderr}"
    );

    // The codebook out as REFI-QDA (the API's document) and back in, as version 1.
    let qdc = dir.path().join("codebook.qdc");
    run(&[
        "survey",
        "codebook",
        "export",
        "--out",
        qdc.to_str().unwrap(),
    ]);
    let exported = std::fs::read(&qdc).unwrap();
    let r = http
        .get(format!("{url}/api/v1/codebook.qdc"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(exported, r.bytes().await.unwrap().to_vec());
    assert!(text(&exported).contains("<CodeBook"), "{}", text(&exported));
    let before: Value = http
        .get(format!("{url}/api/v1/codebook"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(before["version"], 0);
    let imported = text(&run(&[
        "survey",
        "codebook",
        "import",
        qdc.to_str().unwrap(),
    ]));
    let count = before["codes"].as_array().unwrap().len();
    assert_eq!(imported, format!("codebook version 1: {count} codes\n"));
    let after: Value = http
        .get(format!("{url}/api/v1/codebook"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(after["version"], 1);
    assert_eq!(after["codes"], before["codes"]);
    // And the export of the saved codebook is the same document.
    assert_eq!(
        run(&["survey", "codebook", "export"]),
        exported,
        "the round trip changed the codebook"
    );
    // A codebook without the codes that have codings is refused, naming them; the
    // saved one stays.
    let other = dir.path().join("other.qdc");
    std::fs::write(
        &other,
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" origin=\"x\">\
             <Codes><Code guid=\"{}\" name=\"Price\" isCodable=\"true\"/></Codes></CodeBook>\n",
            uuid_like()
        ),
    )
    .unwrap();
    let stderr = fails(
        &[
            &["survey", "codebook", "import", other.to_str().unwrap()][..],
            &scope[..],
        ]
        .concat(),
    );
    assert!(
        stderr.contains("stance.like has codings and cannot be removed"),
        "{stderr}"
    );
    assert_eq!(run(&["survey", "codebook", "export"]), exported);
    drop(server);
}

/// A GUID no code has.
fn uuid_like() -> String {
    "6F1C2E4A-9B7D-4C3E-8A15-2D9F0B7C6E31".to_string()
}

#[tokio::test]
async fn unknown_surveys_and_bad_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("x.db").display().to_string();
    let (shop, _) = provider(&database, "Kafé Linden", "ada@linden.example");
    let (cafe, _) = provider(&database, "Kaféet", "anna@kafe.example");
    let scope = ["--provider", shop.as_str(), "--database", database.as_str()];
    let file = write_json(&dir.path().join("visit.json"), &survey());
    let id = text(&ok(&[
        &["survey", "create", "--file", &file][..],
        &scope[..],
    ]
    .concat()))
    .trim()
    .to_string();

    // An id nobody has, and another provider's survey: no such survey for the provider.
    let nobody = motesplats_core::survey::SurveyId::new().to_string();
    for command in [
        vec!["survey", "results", nobody.as_str()],
        vec!["survey", "responses", nobody.as_str()],
        vec!["survey", "codes", nobody.as_str()],
        vec!["survey", "status", nobody.as_str(), "open"],
    ] {
        let stderr = fails(&[&command[..], &scope[..]].concat());
        assert!(
            stderr.contains(&format!("no survey {nobody} for provider {shop}")),
            "{command:?}: {stderr}"
        );
    }
    let stderr = fails(&[
        "survey",
        "results",
        &id,
        "--provider",
        &cafe,
        "--database",
        &database,
    ]);
    assert!(
        stderr.contains(&format!("no survey {id} for provider {cafe}")),
        "{stderr}"
    );
    let out = motesplats(&[
        "survey",
        "list",
        "--provider",
        &cafe,
        "--database",
        &database,
    ]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));

    // A field of the wrong type is named by its path, as the API names it.
    let mut bad = survey();
    bad["sections"][0]["questions"][0]["points"] = json!("five");
    let bad_file = write_json(&dir.path().join("bad.json"), &bad);
    let stderr = fails(&[&["survey", "create", "--file", &bad_file][..], &scope[..]].concat());
    assert!(
        stderr.contains("bad.json is not a valid survey")
            && stderr.contains("sections[0].questions[0].points: wrong type"),
        "{stderr}"
    );
    // An unknown field too.
    let mut unknown = survey();
    unknown["sections"][0]["questions"][1]["colour"] = json!("red");
    let unknown_file = write_json(&dir.path().join("unknown.json"), &unknown);
    let stderr = fails(
        &[
            &["survey", "create", "--file", &unknown_file][..],
            &scope[..],
        ]
        .concat(),
    );
    assert!(
        stderr.contains("sections[0].questions[1].colour"),
        "{stderr}"
    );
    // A value the engine refuses, named by its path, every problem at once.
    let mut refused = survey();
    refused["sections"][0]["questions"][0]["points"] = json!(20);
    refused["sections"][0]["questions"][2]["kind"] = json!("stars");
    let refused_file = write_json(&dir.path().join("refused.json"), &refused);
    let stderr = fails(
        &[
            &["survey", "create", "--file", &refused_file][..],
            &scope[..],
        ]
        .concat(),
    );
    assert!(
        stderr.contains("refused.json is not a valid survey")
            && stderr.contains("sections[0].questions[0].points")
            && stderr.contains("sections[0].questions[2].kind"),
        "{stderr}"
    );
    // Not JSON at all.
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"title\": ").unwrap();
    let stderr = fails(
        &[
            &["survey", "create", "--file", broken.to_str().unwrap()][..],
            &scope[..],
        ]
        .concat(),
    );
    assert!(stderr.contains("not valid JSON"), "{stderr}");
    // A channel the provider does not know.
    let mut elsewhere = survey();
    elsewhere["channel"] = json!("kiosk");
    let elsewhere_file = write_json(&dir.path().join("elsewhere.json"), &elsewhere);
    let stderr = fails(
        &[
            &["survey", "create", "--file", &elsewhere_file][..],
            &scope[..],
        ]
        .concat(),
    );
    assert!(
        stderr.contains("channel: unknown channel \"kiosk\""),
        "{stderr}"
    );
    // Only the first survey was saved.
    let listed = text(&ok(&[&["survey", "list"][..], &scope[..]].concat()));
    assert_eq!(listed.lines().count(), 2, "{listed}");

    // A draft is opened before it is closed; nothing goes back to draft.
    let stderr = fails(&[&["survey", "status", &id, "closed"][..], &scope[..]].concat());
    assert!(
        stderr.contains("a draft must be opened before it is closed"),
        "{stderr}"
    );
    ok(&[&["survey", "status", &id, "open"][..], &scope[..]].concat());
    let stderr = fails(&[&["survey", "status", &id, "draft"][..], &scope[..]].concat());
    assert!(
        stderr.contains("cannot go back to draft once opened"),
        "{stderr}"
    );

    // clap names a bad split and format.
    let out = motesplats(
        &[
            &["survey", "results", &id, "--split", "colour"][..],
            &scope[..],
        ]
        .concat(),
    );
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("invalid value 'colour' for '--split <SPLIT>'")
            && stderr.contains("quarter"),
        "{stderr}"
    );
    let stderr = fails(&[&["survey", "results", &id, "--level", "95"][..], &scope[..]].concat());
    assert!(
        stderr.contains("level: must be between 0 and 1"),
        "{stderr}"
    );

    // A file that is not a REFI-QDA codebook.
    let not_qdc = dir.path().join("notes.qdc");
    std::fs::write(&not_qdc, "<Notes/>").unwrap();
    let stderr = fails(
        &[
            &["survey", "codebook", "import", not_qdc.to_str().unwrap()][..],
            &scope[..],
        ]
        .concat(),
    );
    assert!(
        stderr.contains("notes.qdc is not a REFI-QDA codebook this can read"),
        "{stderr}"
    );
}
