//! Coding of open answers over the API: two coders on the same answers and their
//! kappa, frequencies, the join with a scale question, the 0/1 CSV, the codebook with
//! versions and its REFI-QDA round trip, quotes sent to a research project, another
//! provider seeing none of it, and suggestions read in the language an answer is in.

use super::surveys::{analysed_survey, problem_fields};
use super::{App, spawn_app};
use motesplats_core::survey::{cohens_kappa, score_by_code};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// (welcome score, comment); the last response is never coded.
const ANSWERS: [(i32, &str); 7] = [
    (
        5,
        "Vi firade min systers födelsedag och personalen var underbar",
    ),
    (4, "Snabbt och smidigt att beställa i appen"),
    (2, "Appen tjatade om notiser hela tiden"),
    (1, "Lång kö och ingen hälsade"),
    (5, "Mysig lokal, fint ljus ☕"),
    (3, "Okej kaffe"),
    (4, "Inget särskilt"),
];

/// Codes applied to whole answers, per response: Anna codes six, Björn five.
const ANNA: [&[&str]; 6] = [
    &["motivation.relationships", "stance.like"],
    &["motivation.goal_fulfilment", "digital.useful"],
    &["digital.intrusive", "stance.dislike"],
    &["setting.physical_place", "stance.dislike"],
    &["setting.physical_place", "stance.like"],
    &["stance.like"],
];
const BJORN: [&[&str]; 5] = [
    &["motivation.relationships", "stance.like"],
    &["digital.useful"],
    &["digital.intrusive"],
    &["stance.dislike", "setting.social_environment"],
    &["setting.physical_place", "stance.like"],
];

impl App {
    async fn send(
        &self,
        key: &str,
        method: Method,
        path: &str,
        if_match: Option<&str>,
        body: Option<Value>,
    ) -> reqwest::Response {
        let mut req = self
            .http
            .request(method, format!("{}/api/v1{path}", self.base))
            .bearer_auth(key);
        if let Some(v) = if_match {
            req = req.header("if-match", format!("\"{v}\""));
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send().await.unwrap()
    }
}

struct World {
    app: App,
    key: String,
    survey: String,
    responses: Vec<String>,
}

/// A café survey (after the visit) with the answers above, opened and answered.
async fn world() -> World {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    let r = app.post(&key, "/surveys", analysed_survey()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let survey = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .send(
            &key,
            Method::PUT,
            &format!("/surveys/{survey}/status"),
            None,
            Some(json!({"status": "open"})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let mut responses = Vec::new();
    for (welcome, comment) in ANSWERS {
        let r = app
            .http
            .post(format!("{}/api/v1/surveys/{survey}/responses", app.base))
            .json(&json!({"answers": {"welcome": welcome, "comment": comment}}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        responses.push(
            r.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    World {
        app,
        key,
        survey,
        responses,
    }
}

impl World {
    async fn code(
        &self,
        response: usize,
        start: usize,
        end: usize,
        code: &str,
        coder: &str,
    ) -> reqwest::Response {
        self.app
            .post(
                &self.key,
                &format!("/surveys/{}/codings", self.survey),
                json!({
                    "response_id": self.responses[response], "question": "comment",
                    "start": start, "end": end, "code": code, "coder": coder
                }),
            )
            .await
    }

    async fn get(&self, path: &str) -> Value {
        let r = self.app.get(&self.key, path).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        r.json().await.unwrap()
    }

    /// Both coders' codings, whole answers each.
    async fn code_everything(&self) {
        for (coder, list) in [("anna", &ANNA[..]), ("björn", &BJORN[..])] {
            for (i, codes) in list.iter().enumerate() {
                let length = ANSWERS[i].1.chars().count();
                for code in *codes {
                    let r = self.code(i, 0, length, code, coder).await;
                    assert_eq!(r.status(), StatusCode::CREATED, "{coder} {i} {code}");
                }
            }
        }
    }
}

fn label(present: bool) -> &'static str {
    if present { "present" } else { "absent" }
}

/// Whether `code` (or a code below it) is in `applied`.
fn present(applied: &[&str], code: &str) -> bool {
    applied
        .iter()
        .any(|a| *a == code || a.starts_with(&format!("{code}.")))
}

fn close(a: &Value, b: f64) -> bool {
    (a.as_f64().unwrap() - b).abs() < 1e-12
}

#[tokio::test]
async fn two_coders_code_the_same_answers_and_the_figures_match_the_engine() {
    let w = world().await;
    let survey = w.survey.clone();

    // One span, with its quote; characters, not bytes ("☕" is one).
    let r = w.code(4, 23, 24, "stance.like", "cecilia").await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let cup: Value = r.json().await.unwrap();
    assert_eq!(cup["quote"], "☕");
    assert_eq!(cup["code"], "stance.like");
    assert_eq!(cup["coder"], "cecilia");
    // The same coder cannot give the same span the same code twice.
    let r = w.code(4, 23, 24, "stance.like", "cecilia").await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem_fields(&problem), ["code"]);
    assert_eq!(problem["errors"][0]["code"], "coded-before", "{problem}");
    assert_eq!(
        problem["errors"][0]["params"]["coder"], "cecilia",
        "{problem}"
    );
    // Spans outside the text, unknown codes and closed questions are named.
    let r = w.code(5, 2, 11, "stance.like", "anna").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem_fields(&problem), ["end"]);
    assert!(
        problem["errors"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("10 characters")
    );
    let r = w.code(5, 0, 4, "stance.meh", "anna").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem_fields(&r.json().await.unwrap()), ["code"]);
    let r = w
        .app
        .post(
            &w.key,
            &format!("/surveys/{survey}/codings"),
            json!({"response_id": w.responses[0], "question": "welcome", "start": 0, "end": 1, "code": "stance", "coder": "anna"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem_fields(&r.json().await.unwrap()), ["question"]);
    // And it goes away again.
    let id = cup["id"].as_str().unwrap();
    let r = w
        .app
        .send(
            &w.key,
            Method::DELETE,
            &format!("/surveys/{survey}/codings/{id}"),
            None,
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = w
        .app
        .send(
            &w.key,
            Method::DELETE,
            &format!("/surveys/{survey}/codings/{id}"),
            None,
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    w.code_everything().await;
    let codings = w.get(&format!("/surveys/{survey}/codings")).await;
    assert_eq!(codings.as_array().unwrap().len(), 11 + 8);
    assert_eq!(codings[0]["quote"], ANSWERS[0].1);

    // Agreement over the five answers both coded.
    let a = w
        .get(&format!(
            "/surveys/{survey}/coding/agreement?a=anna&b=björn"
        ))
        .await;
    assert_eq!(
        (a["answers"].as_u64(), a["only_a_answers"].as_u64()),
        (Some(5), Some(1))
    );
    let codebook = w.get("/codebook").await;
    let keys: Vec<&str> = codebook["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    for code in [
        "stance.dislike",
        "setting.physical_place",
        "setting",
        "stance.like",
        "digital",
    ] {
        let va: Vec<&str> = ANNA[..5].iter().map(|c| label(present(c, code))).collect();
        let vb: Vec<&str> = BJORN.iter().map(|c| label(present(c, code))).collect();
        let expected = cohens_kappa(&va, &vb, 0.95).unwrap();
        let got = a["codes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == code)
            .unwrap();
        assert!(
            close(&got["kappa"]["kappa"], expected.kappa),
            "{code}: {got}"
        );
        assert!(close(&got["kappa"]["se"], expected.se), "{code}: {got}");
        assert_eq!(got["kappa"]["n"], 5);
    }
    // Overall: every answer × code, each code as applied.
    let (mut va, mut vb) = (Vec::new(), Vec::new());
    for key in &keys {
        for i in 0..5 {
            va.push(label(ANNA[i].contains(key)));
            vb.push(label(BJORN[i].contains(key)));
        }
    }
    let expected = cohens_kappa(&va, &vb, 0.95).unwrap();
    assert!(
        close(&a["overall"]["kappa"], expected.kappa),
        "{}",
        a["overall"]
    );
    assert_eq!(a["overall"]["n"], 5 * keys.len());
    // A code neither used has no kappa, but a reason.
    let experiences = a["codes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "motivation.experiences")
        .unwrap();
    assert!(experiences["kappa"].is_null());
    assert_eq!(experiences["reason"]["code"], "undefined-kappa");
    let r = w
        .app
        .get(
            &w.key,
            &format!("/surveys/{survey}/coding/agreement?a=anna"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem_fields(&r.json().await.unwrap()), ["b"]);

    // Frequencies, everyone's codings: six coded answers.
    let f = w
        .get(&format!("/surveys/{survey}/coding/frequencies"))
        .await;
    assert_eq!(
        (f["coded_answers"].as_u64(), f["spans"].as_u64()),
        (Some(6), Some(19))
    );
    let code = |k: &str| {
        f["codes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == k)
            .unwrap()
            .clone()
    };
    let like = code("stance.like");
    assert_eq!(
        (like["answers"].as_u64(), like["spans"].as_u64()),
        (Some(3), Some(5))
    );
    assert!(close(&like["share"], 0.5));
    let stance = code("stance");
    assert_eq!(
        (stance["answers"].as_u64(), stance["depth"].as_u64()),
        (Some(5), Some(1))
    );
    let anna = w
        .get(&format!("/surveys/{survey}/coding/frequencies?coder=anna"))
        .await;
    assert_eq!(anna["spans"], 11);

    // The join: coded responses' welcome scores with and without stance.like.
    let j = w
        .get(&format!("/surveys/{survey}/coding/join?question=welcome"))
        .await;
    assert_eq!(j["responses"], 6);
    let scores: Vec<f64> = ANSWERS[..6].iter().map(|(s, _)| f64::from(*s)).collect();
    let flags: Vec<bool> = (0..6)
        .map(|i| {
            present(ANNA[i], "stance.like")
                || BJORN.get(i).is_some_and(|b| present(b, "stance.like"))
        })
        .collect();
    let expected = score_by_code(&scores, &flags, 0.95).unwrap();
    let got = j["codes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "stance.like")
        .unwrap();
    assert_eq!(got["n_with"], expected.with_code.n);
    assert!(close(&got["mean_with"], expected.with_code.mean));
    assert!(close(&got["mean_without"], expected.without_code.mean));
    let welch = expected.welch.unwrap();
    assert!(close(&got["welch"]["t"], welch.t));
    assert!(close(&got["welch"]["p_value"], welch.p_value));
    let r = w
        .app
        .get(
            &w.key,
            &format!("/surveys/{survey}/coding/join?question=comment"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem_fields(&r.json().await.unwrap()), ["question"]);

    // The 0/1 table.
    let r = w
        .app
        .get(&w.key, &format!("/surveys/{survey}/codes.csv"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let body = r.text().await.unwrap();
    let mut rows = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
    let mut expected_header = vec!["response_id".to_string(), "submitted_at".into()];
    expected_header.extend(keys.iter().map(|k| k.to_string()));
    assert_eq!(header, expected_header);
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 7);
    let cell = |row: usize, code: &str| {
        records[row][header.iter().position(|h| h == code).unwrap()].to_string()
    };
    assert_eq!(&records[0][0], w.responses[0]);
    assert_eq!(cell(0, "motivation"), "1");
    assert_eq!(cell(0, "motivation.relationships"), "1");
    assert_eq!(cell(0, "digital"), "0");
    assert_eq!(
        cell(3, "setting"),
        "1",
        "Anna's physical place and Björn's social environment"
    );
    assert_eq!(cell(3, "setting.social_environment"), "1");
    assert_eq!(cell(6, "stance"), "", "never coded: no values");
    let r = w
        .app
        .get(&w.key, &format!("/surveys/{survey}/codes.csv?coder=björn"))
        .await;
    let body = r.text().await.unwrap();
    assert_eq!(body.lines().count(), 8);

    // A partial save is not coded.
    let r = w
        .app
        .http
        .post(format!("{}/api/v1/surveys/{survey}/responses", w.app.base))
        .json(&json!({"partial": true, "answers": {"comment": "Halvfärdigt svar"}}))
        .send()
        .await
        .unwrap();
    let partial = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = w
        .app
        .post(
            &w.key,
            &format!("/surveys/{survey}/codings"),
            json!({"response_id": partial, "question": "comment", "start": 0, "end": 4, "code": "stance", "coder": "anna"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem_fields(&r.json().await.unwrap()), ["response_id"]);

    // Another provider sees none of it.
    let other = w.app.provider("Banken").await;
    for path in [
        format!("/surveys/{survey}/codings"),
        format!("/surveys/{survey}/coding/frequencies"),
        format!("/surveys/{survey}/coding/agreement?a=anna&b=björn"),
        format!("/surveys/{survey}/coding/join?question=welcome"),
        format!("/surveys/{survey}/codes.csv"),
    ] {
        assert_eq!(
            w.app.get(&other, &path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let r = w
        .app
        .post(
            &other,
            &format!("/surveys/{survey}/codings"),
            json!({"response_id": w.responses[0], "question": "comment", "start": 0, "end": 2, "code": "stance", "coder": "x"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let first = codings[0]["id"].as_str().unwrap();
    let r = w
        .app
        .send(
            &other,
            Method::DELETE,
            &format!("/surveys/{survey}/codings/{first}"),
            None,
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // The bank's codebook is still the default: the café's codings are not its own.
    let theirs: Value = w.app.get(&other, "/codebook").await.json().await.unwrap();
    assert_eq!(theirs["version"], 0);
}

#[tokio::test]
async fn the_codebook_is_edited_with_versions_and_travels_as_refi_qda() {
    let w = world().await;
    let (app, key) = (&w.app, w.key.as_str());

    // The default, version 0.
    let r = app.get(key, "/codebook").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["etag"], "\"0\"");
    let default: Value = r.json().await.unwrap();
    assert_eq!(default["version"], 0);
    assert_eq!(default["codes"].as_array().unwrap().len(), 17);

    // An edit: the default with one more code under stance.
    let mut codes = default["codes"].as_array().unwrap().clone();
    codes.push(json!({"key": "stance.mixed", "name_sv": "Blandat", "name_en": "Mixed", "parent": "stance"}));
    let edit = json!({ "codes": codes });
    let r = app
        .send(key, Method::PUT, "/codebook", None, Some(edit.clone()))
        .await;
    assert_eq!(r.status(), StatusCode::PRECONDITION_REQUIRED);
    let problem: Value = r.json().await.unwrap();
    assert!(problem["detail"].as_str().unwrap().contains("codebook"));
    let r = app
        .send(key, Method::PUT, "/codebook", Some("0"), Some(edit.clone()))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["etag"], "\"1\"");
    let v1: Value = r.json().await.unwrap();
    assert_eq!(v1["codes"].as_array().unwrap().len(), 18);
    // The same edit against the old version is refused.
    let r = app
        .send(key, Method::PUT, "/codebook", Some("0"), Some(edit.clone()))
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem_fields(&problem), ["version"]);
    assert_eq!(problem["errors"][0]["code"], "changed", "{problem}");
    assert_eq!(
        problem["errors"][0]["params"]["what"], "codebook",
        "{problem}"
    );
    assert_eq!(problem["errors"][0]["params"]["expected"], 0, "{problem}");
    assert_eq!(problem["errors"][0]["params"]["current"], 1, "{problem}");
    // Bad lists are named by field.
    let mut bad = codes.clone();
    bad[17]["parent"] = json!("nope");
    bad.push(json!({"key": "Bad Key"}));
    let r = app
        .send(
            key,
            Method::PUT,
            "/codebook",
            Some("1"),
            Some(json!({"codes": bad})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problem_fields(&r.json().await.unwrap()),
        ["codes[18].key", "codes[18].name_sv"]
    );
    let mut bad = codes.clone();
    bad[17]["parent"] = json!("nope");
    let r = app
        .send(
            key,
            Method::PUT,
            "/codebook",
            Some("1"),
            Some(json!({"codes": bad})),
        )
        .await;
    assert_eq!(
        problem_fields(&r.json().await.unwrap()),
        ["codes[17].parent"]
    );

    // A code with codings cannot be removed; one without can.
    let r = w.code(0, 0, 5, "stance.mixed", "anna").await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let without: Vec<Value> = codes
        .iter()
        .filter(|c| c["key"] != "stance.mixed" && c["key"] != "digital.useful")
        .cloned()
        .collect();
    let r = app
        .send(
            key,
            Method::PUT,
            "/codebook",
            Some("1"),
            Some(json!({"codes": without})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"].as_array().unwrap().len(), 1);
    assert_eq!(problem["errors"][0]["code"], "has-codings", "{problem}");
    assert_eq!(
        problem["errors"][0]["params"]["key"], "stance.mixed",
        "{problem}"
    );
    assert!(
        problem["errors"][0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("stance.mixed has codings")
    );
    let without_useful: Vec<Value> = codes
        .iter()
        .filter(|c| c["key"] != "digital.useful")
        .cloned()
        .collect();
    let r = app
        .send(
            key,
            Method::PUT,
            "/codebook",
            Some("1"),
            Some(json!({"codes": without_useful})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v2: Value = r.json().await.unwrap();
    assert_eq!(v2["version"], 2);

    // .qdc out and back in: the same codes, the next version.
    let r = app.get(key, "/codebook.qdc").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/xml")
    );
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let xml = r.text().await.unwrap();
    assert!(xml.contains("urn:QDA-XML:codebook:1.0"));
    assert!(xml.contains("name=\"Mixed\""));
    let import = |xml: String, version: Option<&'static str>, content_type: &'static str| {
        let mut req = app
            .http
            .post(format!("{}/api/v1/codebook/import", app.base))
            .bearer_auth(key)
            .header("content-type", content_type)
            .body(xml);
        if let Some(v) = version {
            req = req.header("if-match", format!("\"{v}\""));
        }
        req.send()
    };
    let r = import(xml.clone(), Some("2"), "application/json")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = import(xml.clone(), None, "application/xml").await.unwrap();
    assert_eq!(r.status(), StatusCode::PRECONDITION_REQUIRED);
    let r = import(
        xml.replace("name=\"Mixed\"", "nom=\"Mixed\""),
        Some("2"),
        "text/xml",
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fields = problem_fields(&r.json().await.unwrap());
    assert_eq!(fields.len(), 1);
    assert!(
        fields[0].starts_with("/CodeBook/Codes/Code[") && fields[0].ends_with("/@name"),
        "{fields:?}"
    );
    let r = import(xml.clone(), Some("2"), "application/xml; charset=utf-8")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v3: Value = r.json().await.unwrap();
    assert_eq!(v3["version"], 3);
    assert_eq!(v3["codes"], v2["codes"]);
    // A code renamed in another tool keeps its key, and so its codings.
    let renamed = xml.replace("name=\"Mixed\"", "name=\"Both ways\"");
    let r = import(renamed, Some("3"), "text/xml").await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v4: Value = r.json().await.unwrap();
    let mixed = v4["codes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name_en"] == "Both ways")
        .unwrap();
    assert_eq!(mixed["key"], "stance.mixed");
}

#[tokio::test]
async fn a_coded_quote_becomes_evidence_in_a_research_project() {
    let w = world().await;
    let (app, key) = (&w.app, w.key.as_str());
    w.code_everything().await;
    // "personalen var underbar" of the first answer, liked by two coders.
    let text = ANSWERS[0].1;
    let end = text.chars().count();
    let start = end - "personalen var underbar".chars().count();
    let r = w.code(0, start, end, "stance.like", "anna").await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let coding: Value = r.json().await.unwrap();
    assert_eq!(coding["quote"], "personalen var underbar");
    let r = w
        .code(0, start, end, "setting.social_environment", "björn")
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    let r = app
        .post(
            key,
            "/projects",
            json!({"title": "Kaféet efter besöket", "members": [{"name": "Lena", "role": "lead"}]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let project = r.json::<Value>().await.unwrap()["project"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = json!({"survey_id": w.survey, "coding_id": coding["id"]});
    let path = format!("/projects/{project}/quotes");
    let r = app
        .send(key, Method::POST, &path, None, Some(body.clone()))
        .await;
    assert_eq!(r.status(), StatusCode::PRECONDITION_REQUIRED);
    let r = app
        .send(key, Method::POST, &path, Some("1"), Some(body.clone()))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["etag"], "\"2\"");
    let view: Value = r.json().await.unwrap();
    let quote = &view["project"]["quotes"][0];
    assert_eq!(quote["text"], "personalen var underbar");
    assert_eq!(
        quote["codes"],
        json!(["setting.social_environment", "stance.like"])
    );
    assert_eq!(quote["phase"], "after", "the survey's phase");
    assert_eq!(quote["survey_id"], w.survey);
    assert_eq!(quote["response_id"], w.responses[0]);

    // It is evidence: in the table, and a reflection may rest on it.
    let r = app
        .get(key, &format!("/projects/{project}/evidence.csv?lang=en"))
        .await;
    let csv = r.text().await.unwrap();
    let line = csv
        .lines()
        .find(|l| l.contains("personalen var underbar"))
        .unwrap();
    assert!(line.contains(",quote,Quote,"), "{line}");
    assert!(line.contains("like"), "{line}");
    let reflection = json!({"text": "Personalen bär upplevelsen",
                            "evidence": [{"kind": "quote", "id": quote["id"]}]});
    let r = app
        .send(
            key,
            Method::POST,
            &format!("/projects/{project}/reflections"),
            Some("2"),
            Some(reflection),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    // Once per coding; unknown codings and other providers' surveys are named.
    let r = app
        .send(key, Method::POST, &path, Some("3"), Some(body.clone()))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem_fields(&r.json().await.unwrap()), ["coding_id"]);
    let r = app
        .send(
            key,
            Method::POST,
            &path,
            Some("3"),
            Some(json!({"survey_id": w.survey, "coding_id": w.responses[0]})),
        )
        .await;
    assert_eq!(problem_fields(&r.json().await.unwrap()), ["coding_id"]);
    let r = app
        .send(key, Method::POST, &path, Some("3"), Some(json!({})))
        .await;
    assert_eq!(
        problem_fields(&r.json().await.unwrap()),
        ["survey_id", "coding_id"]
    );
    let other = app.provider("Banken").await;
    let r = app
        .send(&other, Method::POST, &path, Some("3"), Some(body.clone()))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "not the bank's project");
    let r = app
        .post(
            &other,
            "/projects",
            json!({"title": "Banken", "members": [{"name": "Bo", "role": "lead"}]}),
        )
        .await;
    let theirs = r.json::<Value>().await.unwrap()["project"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .send(
            &other,
            Method::POST,
            &format!("/projects/{theirs}/quotes"),
            Some("1"),
            Some(body),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem_fields(&r.json().await.unwrap()), ["survey_id"]);
}

#[tokio::test]
async fn suggestions_read_an_answer_in_the_language_it_is_written_in() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    let buzzing = "The app keeps buzzing with offers I never asked for.";
    // The codes suggested for the same answer, declared Swedish, in each survey.
    let mut seen = Vec::new();
    for languages in [json!(["sv", "en"]), json!(["sv"])] {
        let two = languages.as_array().unwrap().len() == 2;
        let text = |sv: &str, en: &str| {
            if two {
                json!({"sv": sv, "en": en})
            } else {
                json!(sv)
            }
        };
        let id = app
            .open_survey(
                &key,
                json!({
                    "title": text("Hur var besöket?", "How was your visit?"), "languages": languages,
                    "sections": [{"questions": [
                        {"key": "comment", "kind": "open_text", "text": text("Något mer?", "Anything else?")}
                    ]}]
                }),
            )
            .await;
        app.answer(
            &id,
            &json!({"answers": {"comment": buzzing}, "language": "sv"}),
        )
        .await;
        let r = app
            .get(&key, &format!("/surveys/{id}/coding/suggestions"))
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let found: Value = r.json().await.unwrap();
        let codes: Vec<String> = found[0]["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["code"].as_str().unwrap().to_string())
            .collect();
        seen.push(codes);
    }
    // Where the survey has both languages the English words are read in English, even
    // in a response declared Swedish; a Swedish-only survey reads them in Swedish.
    let has = |codes: &[String], code: &str| codes.iter().any(|c| c == code);
    assert!(has(&seen[0], "digital.intrusive"), "{:?}", seen[0]);
    assert!(has(&seen[0], "stance.dislike"), "{:?}", seen[0]);
    assert_eq!(seen[1], ["digital.useful"]);
}
