//! The research workspace over the API: steps as changes with versions, the
//! four-field matrix, the strategy document, tenancy and invitations.

use super::{App, spawn_app};
use motesplats_core::research::Explain;
use motesplats_core::research::render::{escape_html, escape_markdown};
use motesplats_core::{Action, Lang};
use reqwest::StatusCode;
use serde_json::{Value, json};

impl App {
    /// Sends a change with `If-Match: "<version>"`.
    async fn change(
        &self,
        key: &str,
        method: reqwest::Method,
        path: &str,
        version: Option<i64>,
        body: Value,
    ) -> reqwest::Response {
        let mut req = self
            .http
            .request(method, format!("{}/api/v1{path}", self.base))
            .bearer_auth(key)
            .json(&body);
        if let Some(v) = version {
            req = req.header("if-match", format!("\"{v}\""));
        }
        req.send().await.unwrap()
    }
}

/// A new project led by Lena, at version 1: its id.
async fn a_project(app: &App, key: &str, title: &str) -> String {
    let created: Value = app
        .post(
            key,
            "/projects",
            json!({"title": title, "members": [{"name": "Lena", "role": "lead"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    created["project"]["id"].as_str().unwrap().to_string()
}

/// Changes to one project, each naming the version the one before it left.
struct Changes<'a> {
    app: &'a App,
    key: &'a str,
    version: i64,
}

impl<'a> Changes<'a> {
    fn new(app: &'a App, key: &'a str) -> Self {
        Changes {
            app,
            key,
            version: 1,
        }
    }

    /// POSTs a change; the version moves on when it is taken.
    async fn post(&mut self, path: String, body: Value) -> (StatusCode, Value) {
        let r = self
            .app
            .change(
                self.key,
                reqwest::Method::POST,
                &path,
                Some(self.version),
                body,
            )
            .await;
        let status = r.status();
        if status == StatusCode::OK {
            self.version += 1;
        }
        (status, r.json().await.unwrap())
    }
}

#[tokio::test]
async fn a_team_works_through_the_steps_and_edits_never_overwrite_each_other() {
    let app = spawn_app().await;
    let shop = app.provider("Modehuset").await;
    let r = app
        .post(
            &shop,
            "/projects",
            json!({
                "title": "Kläder på <Torget>",
                "members": [{"name": "Lena", "role": "lead"}, {"name": "Ahmed", "role": "member"}]
            }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.headers()["etag"], "\"1\"");
    let created: Value = r.json().await.unwrap();
    let id = created["project"]["id"].as_str().unwrap().to_string();
    let ahmed = created["project"]["members"][1]["id"].clone();

    // Step 1: a story; the version moves on.
    let story = json!({"teller": ahmed, "purchase": "Vinterjacka", "moments": [
        {"phase": "before", "text": "Butiken hade just stängt när jag kom", "valence": "negative"}
    ]});
    let r = app
        .change(
            &shop,
            reqwest::Method::POST,
            &format!("/projects/{id}/stories"),
            Some(1),
            story.clone(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v2: Value = r.json().await.unwrap();
    assert_eq!(v2["version"], 2);

    // A second edit made against version 1 is refused, not silently applied.
    let r = app
        .change(
            &shop,
            reqwest::Method::POST,
            &format!("/projects/{id}/stories"),
            Some(1),
            story.clone(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "version");
    let r = app
        .change(
            &shop,
            reqwest::Method::POST,
            &format!("/projects/{id}/stories"),
            None,
            story,
        )
        .await;
    assert_eq!(r.status(), StatusCode::PRECONDITION_REQUIRED);

    // Bad input names the field and leaves the project as it was.
    let r = app
        .change(
            &shop,
            reqwest::Method::POST,
            &format!("/projects/{id}/stories"),
            Some(2),
            json!({"teller": ahmed, "purchase": "  "}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let now: Value = app
        .get(&shop, &format!("/projects/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            now["version"].as_i64(),
            now["project"]["stories"].as_array().unwrap().len()
        ),
        (Some(2), 1)
    );

    // Step 4: the road toll, disliked from both sides, lands in Automate.
    let r = app
        .change(
            &shop,
            reqwest::Method::POST,
            &format!("/projects/{id}/moments"),
            Some(2),
            json!({"phase": "during", "title": "Betala vägtull"}),
        )
        .await;
    let v3: Value = r.json().await.unwrap();
    let moment = v3["project"]["moments"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    for (version, perspective) in (3..).zip(["customer", "provider"]) {
        let r = app
            .change(
                &shop,
                reqwest::Method::POST,
                &format!("/projects/{id}/moments/{moment}/stances"),
                Some(version),
                json!({"perspective": perspective, "stance": "dislike", "reason": "Ingen vill stanna och betala"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    let matrix: Value = app
        .get(&shop, &format!("/projects/{id}/matrix"))
        .await
        .json()
        .await
        .unwrap();
    let automate = matrix["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["quadrant"]["action"] == "automate")
        .unwrap();
    assert_eq!(automate["moments"][0]["title"], "Betala vägtull");
    // The focus takes the matrix's suggestion.
    let r = app
        .change(
            &shop,
            reqwest::Method::PUT,
            &format!("/projects/{id}/focus"),
            Some(5),
            json!({"moment_id": moment}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    // Step 5: the strategy document, escaped in HTML, says what the chosen action means.
    let md = app
        .get(&shop, &format!("/projects/{id}/strategy?lang=sv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(md.contains("Betala vägtull"), "{md}");
    let meaning = |lang| Action::Automate.explanation(lang);
    assert!(md.contains(&escape_markdown(meaning(Lang::Sv))), "{md}");
    let html = app
        .get(
            &shop,
            &format!("/projects/{id}/strategy?format=html&lang=en"),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("&lt;Torget&gt;") && !html.contains("<Torget>"));
    assert!(html.contains(&escape_html(meaning(Lang::En))), "{html}");
    let r = app
        .get(&shop, &format!("/projects/{id}/strategy?format=pdf"))
        .await;
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF-"));

    // Another provider sees nothing until invited.
    let cafe = app.provider("Kaféet").await;
    assert_eq!(
        app.get(&cafe, &format!("/projects/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(
        app.get(&cafe, "/projects")
            .await
            .json::<Value>()
            .await
            .unwrap()
            .as_array()
            .unwrap()
            .is_empty()
    );
    let me: Value = app.get(&cafe, "/providers/me").await.json().await.unwrap();
    let r = app
        .post(
            &cafe,
            &format!("/projects/{id}/invitations"),
            json!({"provider_id": me["id"]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "only the owner invites");
    let r = app
        .post(
            &shop,
            &format!("/projects/{id}/invitations"),
            json!({"provider_id": me["id"]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&cafe, &format!("/projects/{id}")).await.status(),
        StatusCode::OK
    );

    // The export is the stored document; importing it again clashes on the id.
    let exported: Value = app
        .get(&shop, &format!("/projects/{id}/export"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(exported["project"]["moments"][0]["title"], "Betala vägtull");
    assert_eq!(
        app.post(&shop, "/projects/import", exported).await.status(),
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn the_evidence_downloads_as_csv_for_its_owner_only() {
    let app = spawn_app().await;
    let shop = app.provider("Modehuset").await;
    let created: Value = app
        .post(
            &shop,
            "/projects",
            json!({
                "title": "Kläder på Torget",
                "members": [{"name": "Lena", "role": "lead"}, {"name": "Ahmed", "role": "member"}]
            }),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["project"]["id"].as_str().unwrap().to_string();
    let ahmed = created["project"]["members"][1]["id"].clone();

    let mut version = 1;
    let mut step = async |method: reqwest::Method, path: String, body: Value| -> Value {
        let r = app.change(&shop, method, &path, Some(version), body).await;
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        version += 1;
        r.json().await.unwrap()
    };
    let v = step(
        reqwest::Method::POST,
        format!("/projects/{id}/stories"),
        json!({"teller": ahmed, "purchase": "Vinterjacka, \"dunjacka\"", "moments": [
            {"phase": "before", "text": "Butiken hade just stängt", "valence": "negative",
             "landscape": {"settings": ["physical_place"], "motivations": ["goal_fulfilment"]}},
            {"phase": "during", "text": "Personalen letade i lagret", "valence": "positive"}
        ]}),
    )
    .await;
    let story = v["project"]["stories"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let closed = v["project"]["stories"][0]["moments"][0]["id"].clone();
    step(
        reqwest::Method::POST,
        format!("/projects/{id}/stories/{story}/questions"),
        json!({"text": "Hur kändes det?"}),
    )
    .await;
    step(
        reqwest::Method::POST,
        format!("/projects/{id}/functions"),
        json!({"name": "Skåp", "what": "Hämta när som helst", "phases": ["before", "after"],
               "motivations": ["goal_fulfilment"], "aspect": "useful"}),
    )
    .await;
    let v = step(
        reqwest::Method::POST,
        format!("/projects/{id}/moments"),
        json!({"phase": "before", "title": "Stängt", "evidence": [{"kind": "story_moment", "id": closed}]}),
    )
    .await;
    let moment = v["project"]["moments"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    step(
        reqwest::Method::POST,
        format!("/projects/{id}/moments/{moment}/stances"),
        json!({"perspective": "customer", "stance": "dislike"}),
    )
    .await;
    step(
        reqwest::Method::POST,
        format!("/projects/{id}/reflections"),
        json!({"text": "Öppna skåpet", "evidence": [{"kind": "moment", "id": moment}]}),
    )
    .await;

    let r = app
        .get(&shop, &format!("/projects/{id}/evidence.csv?lang=en"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        r.headers()["content-disposition"],
        format!("attachment; filename=\"evidence-{id}.csv\"").as_str()
    );
    let text = r.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        vec![
            "step",
            "kind",
            "kind_label",
            "id",
            "phase",
            "valence",
            "settings",
            "motivations",
            "digital",
            "summary",
            "cited_by"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let kinds: Vec<&str> = rows.iter().map(|r| &r[1]).collect();
    assert_eq!(
        kinds,
        [
            "story",
            "story_moment",
            "story_moment",
            "question",
            "function",
            "moment",
            "stance",
            "reflection"
        ]
    );
    let steps: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(steps, ["1", "1", "1", "1", "3", "4", "4", "5"]);
    assert_eq!(
        (&rows[0][2], &rows[0][3], &rows[0][9]),
        ("Story", story.as_str(), "Vinterjacka, \"dunjacka\"")
    );
    let closed_row = &rows[1];
    assert_eq!(
        (
            &closed_row[4],
            &closed_row[5],
            &closed_row[6],
            &closed_row[7]
        ),
        ("before", "negative", "physical_place", "goal_fulfilment")
    );
    assert_eq!(&closed_row[10], format!("moment:{moment}"));
    assert_eq!((&rows[4][4], &rows[4][8]), ("before after", "useful"));
    assert_eq!(&rows[6][5], "dislike");
    assert_eq!(&rows[5][10], format!("reflection:{}", &rows[7][3]));

    // Swedish labels by default; a bad language is named.
    let sv = app
        .get(&shop, &format!("/projects/{id}/evidence.csv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        sv.lines()
            .nth(1)
            .unwrap()
            .starts_with("1,story,Berättelse,")
    );
    let r = app
        .get(&shop, &format!("/projects/{id}/evidence.csv?lang=de"))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Another provider gets nothing, not even a hint that the project exists.
    let cafe = app.provider("Kaféet").await;
    assert_eq!(
        app.get(&cafe, &format!("/projects/{id}/evidence.csv"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

/// The protocols come first and the scan after: a dislike recorded before any function
/// existed is linked to one later, and leaves step 4's open work.
#[tokio::test]
async fn a_dislike_is_linked_to_a_function_found_later() {
    let app = spawn_app().await;
    let shop = app.provider("Kaféet").await;
    let id = a_project(&app, &shop, "Kaféet").await;
    let mut changes = Changes::new(&app, &shop);
    let (_, v) = changes
        .post(
            format!("/projects/{id}/moments"),
            json!({"phase": "before", "title": "Stängt när jag kom"}),
        )
        .await;
    let moment = v["project"]["moments"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, v) = changes
        .post(
            format!("/projects/{id}/moments/{moment}/stances"),
            json!({"perspective": "customer", "stance": "dislike", "reason": "Fel öppettider"}),
        )
        .await;
    let stance = v["project"]["moments"][0]["stances"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, v) = changes
        .post(
            format!("/projects/{id}/functions"),
            json!({"name": "Förbeställ i appen", "what": "Beställ när som helst, hämta i disken",
               "phases": ["before"]}),
        )
        .await;
    let function = v["project"]["functions"][0]["id"].clone();

    let links = format!("/projects/{id}/stances/{stance}/functions");
    let (status, problem) = changes.post(links.clone(), json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "function_id", "{problem}");
    let (status, _) = changes
        .post(
            format!("/projects/{id}/stances/{}/functions", uuid::Uuid::now_v7()),
            json!({"function_id": function}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, v) = changes.post(links, json!({"function_id": function})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        v["project"]["moments"][0]["stances"][0]["functions"],
        json!([function])
    );
}

/// Each member writes their own protocol before there are moments; the team merges
/// the entries into moments afterwards, and each keeps its author and source.
#[tokio::test]
async fn protocols_are_written_per_person_then_merged_into_moments() {
    let app = spawn_app().await;
    let shop = app.provider("Kaféet").await;
    let id = a_project(&app, &shop, "Kaféet").await;
    let mut changes = Changes::new(&app, &shop);
    let v = app.get(&shop, &format!("/projects/{id}")).await;
    let v: Value = v.json().await.unwrap();
    let lena = v["project"]["members"][0]["id"].clone();
    let entries = format!("/projects/{id}/protocol-entries");
    let (status, problem) = changes
        .post(
            entries.clone(),
            json!({"perspective": "provider", "stance": "dislike", "reason": "Kunder lämnar kön"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "recorded_by", "{problem}");
    let (status, v) = changes
        .post(
            entries,
            json!({"perspective": "provider", "stance": "dislike", "reason": "Kunder lämnar kön",
               "recorded_by": lena, "source": "other_providers"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let entry = v["project"]["protocol_entries"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, v) = changes
        .post(
            format!("/projects/{id}/moments"),
            json!({"phase": "during", "title": "Kön i kassan"}),
        )
        .await;
    let moment = v["project"]["moments"][0]["id"].clone();

    let merge = format!("/projects/{id}/protocol-entries/{entry}/moment");
    let (status, problem) = changes.post(merge.clone(), json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "moment_id", "{problem}");
    let (status, v) = changes
        .post(merge.clone(), json!({"moment_id": moment}))
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["project"]["protocol_entries"], json!([]));
    let merged = &v["project"]["moments"][0]["stances"][0];
    assert_eq!(
        (&merged["id"], &merged["recorded_by"], &merged["source"]),
        (&json!(entry), &lena, &json!("other_providers"))
    );
    // Merged once: a second merge names nothing waiting.
    let (status, problem) = changes.post(merge, json!({"moment_id": moment})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "entry_id", "{problem}");
}

/// Step 5 leads somewhere: the route and the plan go into the strategy, and the next
/// round checks the plan task by task.
#[tokio::test]
async fn a_plan_goes_into_the_strategy_and_the_next_round_checks_it() {
    let app = spawn_app().await;
    let shop = app.provider("Kaféet").await;
    let id = a_project(&app, &shop, "Kvällarna").await;
    // No plan before a focus.
    let r = app
        .change(
            &shop,
            reqwest::Method::PUT,
            &format!("/projects/{id}/implementation"),
            Some(1),
            json!({"route": "join", "partnership": "together"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let mut version = 1;
    let mut step = async |method: reqwest::Method, path: String, body: Value| -> Value {
        let r = app.change(&shop, method, &path, Some(version), body).await;
        let status = r.status();
        let v: Value = r.json().await.unwrap();
        assert_eq!(status, StatusCode::OK, "{path}: {v}");
        version += 1;
        v
    };
    let (post, put) = (reqwest::Method::POST, reqwest::Method::PUT);
    let v = step(
        post.clone(),
        format!("/projects/{id}/moments"),
        json!({"phase": "before", "title": "Stängt på kvällen"}),
    )
    .await;
    let moment = v["project"]["moments"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    for perspective in ["customer", "provider"] {
        step(
            post.clone(),
            format!("/projects/{id}/moments/{moment}/stances"),
            json!({"perspective": perspective, "stance": "dislike"}),
        )
        .await;
    }
    step(
        put.clone(),
        format!("/projects/{id}/focus"),
        json!({"moment_id": moment}),
    )
    .await;
    step(
        put,
        format!("/projects/{id}/implementation"),
        json!({"route": "join", "partnership": "together", "note": "Centrumets skåp"}),
    )
    .await;
    let v = step(
        post.clone(),
        format!("/projects/{id}/tasks"),
        json!({"who": "Lena", "what": "Ring centrumföreningen", "when": "2027-01-15"}),
    )
    .await;
    assert_eq!(v["project"]["implementation"]["tasks"][0]["who"], "Lena");
    let md = app
        .get(&shop, &format!("/projects/{id}/strategy?lang=sv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        md.contains("## Genomförande")
            && md.contains("ansluta till en befintlig lösning, tillsammans med andra i nätverket.")
            && md.contains("Lena: Ring centrumföreningen."),
        "{md}"
    );

    let r = app
        .change(
            &shop,
            post.clone(),
            &format!("/projects/{id}/next-round"),
            None,
            json!({}),
        )
        .await;
    let next: Value = r.json().await.unwrap();
    let next_id = next["project"]["id"].as_str().unwrap().to_string();
    let task = next["project"]["carried_over"]["tasks"][0]["task"]["id"].clone();
    assert!(task.is_string(), "{next}");
    let r = app
        .change(
            &shop,
            post,
            &format!("/projects/{next_id}/carried-tasks"),
            Some(1),
            json!({"task_id": task, "done": true}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let md = app
        .get(&shop, &format!("/projects/{next_id}/strategy?lang=en"))
        .await
        .text()
        .await
        .unwrap();
    assert!(md.contains("Lena: Ring centrumföreningen. (done)"), "{md}");
}

/// A presentation round: an observation is linked to the story moment it echoes,
/// and the questions asked about it are kept with their open/closed check.
#[tokio::test]
async fn the_presentation_rounds_keep_questions_and_echoes() {
    let app = spawn_app().await;
    let shop = app.provider("Kaféet").await;
    let created: Value = app
        .post(
            &shop,
            "/projects",
            json!({"title": "Kaféet", "members": [{"name": "Lena", "role": "lead"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["project"]["id"].as_str().unwrap().to_string();
    let lena = created["project"]["members"][0]["id"].clone();
    let mut changes = Changes::new(&app, &shop);
    let (_, v) = changes
        .post(
            format!("/projects/{id}/stories"),
            json!({"teller": lena, "purchase": "En kaffe",
               "moments": [{"phase": "during", "text": "Lång kö", "valence": "negative"}]}),
        )
        .await;
    let told = v["project"]["stories"][0]["moments"][0]["id"].clone();
    let (_, v) = changes
        .post(
            format!("/projects/{id}/observation-rounds"),
            json!({"name": "Vecka 11", "observers": [lena],
               "starts_on": "2026-03-09", "ends_on": "2026-03-15"}),
        )
        .await;
    let round = v["project"]["observation_rounds"][0]["id"].clone();
    let (_, v) = changes
        .post(
            format!("/projects/{id}/observations"),
            json!({"round_id": round, "observer": lena, "observed_on": "2026-03-10",
               "answers": {"situation": "Kunden lämnar kön"}}),
        )
        .await;
    let observation = v["project"]["observations"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let echoes = format!("/projects/{id}/observations/{observation}/echoes");
    let (status, problem) = changes
        .post(
            echoes.clone(),
            json!({"story_moment_id": uuid::Uuid::now_v7()}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problem["errors"][0]["field"], "story_moment_id",
        "{problem}"
    );
    let (status, v) = changes.post(echoes, json!({"story_moment_id": told})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["project"]["observations"][0]["echoes"], json!([told]));

    let questions = format!("/projects/{id}/presentation-questions");
    let (status, problem) = changes
        .post(
            questions.clone(),
            json!({"about": {"kind": "story_moment", "id": told}, "text": "Vad hände sen?"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["field"], "about", "{problem}");
    let (status, v) = changes
        .post(
            questions,
            json!({"about": {"kind": "observation", "id": observation},
               "text": "Var kön lång?", "answer": "Sju personer."}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let q = &v["project"]["presentation_questions"][0];
    assert_eq!(q["about"]["id"], observation.as_str());
    assert_eq!(q["form"], "closed");
    assert!(q["suggestion"].is_string(), "{q}");
    assert_eq!(q["answer"], "Sju personer.");
}
