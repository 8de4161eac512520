//! Surveys over the API: build, open, answer without a key (with partial saves),
//! results per question; bad answers named, nothing stored half-way.

use super::spawn_app;
use reqwest::StatusCode;
use serde_json::{Value, json};

pub(super) fn survey() -> Value {
    let agree = json!([{"point": 1, "label": "Instämmer inte alls"}, {"point": 5, "label": "Instämmer helt"}]);
    json!({
        "title": "Hur var besöket?", "phase": "after", "channel": "store", "touchpoint_kind": "visit",
        "sections": [{"questions": [
            {"key": "welcome", "kind": "scale", "points": 5, "required": true, "anchors": agree, "text": "Jag kände mig välkommen."},
            {"key": "reason", "kind": "single_choice", "text": "Varför kom du?",
             "options": [{"key": "fika", "label": "Fika"}, {"key": "work", "label": "Arbete"}]},
            {"key": "recommend", "kind": "nps", "required": true, "text": "Skulle du rekommendera oss?"},
            {"key": "comment", "kind": "open_text", "max_length": 20, "text": "Något mer?"}
        ]}]
    })
}

#[tokio::test]
async fn people_answer_an_open_survey_and_the_provider_reads_the_results() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    let r = app.post(&key, "/surveys", survey()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let answer = |body: Value| {
        let (http, base, id) = (app.http.clone(), app.base.clone(), id.clone());
        async move {
            http.post(format!("{base}/api/v1/surveys/{id}/responses"))
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };

    // A draft is unknown to the public; opened, it takes answers.
    let r = answer(json!({"answers": {"welcome": 4, "recommend": 9}})).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = app
        .http
        .put(format!("{}/api/v1/surveys/{id}/status", app.base))
        .bearer_auth(&key)
        .json(&json!({"status": "open"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // Bad answers are named by question; nothing is stored.
    let r = answer(json!({"answers": {"welcome": 7, "reason": "sleep", "recommend": 9, "comment": "x".repeat(30)}})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for f in ["answers.welcome", "answers.reason", "answers.comment"] {
        assert!(fields.contains(&f), "{f} not named in {fields:?}");
    }

    // A partial save, then its completion; a completed response is final.
    let r = answer(json!({"answers": {"welcome": 5}, "partial": true})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let saved: Value = r.json().await.unwrap();
    assert_eq!(saved["completed"], false);
    let rid = saved["id"].as_str().unwrap();
    let token = saved["resume_token"].as_str().unwrap();
    let finish = json!({"answers": {"welcome": 5, "recommend": 10, "reason": "fika"}});
    let r = app
        .http
        .put(format!("{}/api/v1/surveys/{id}/responses/{rid}", app.base))
        .header("resume-token", token)
        .json(&finish)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = app
        .http
        .put(format!("{}/api/v1/surveys/{id}/responses/{rid}", app.base))
        .header("resume-token", token)
        .json(&finish)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    for (welcome, recommend) in [(4, 9), (2, 3), (4, 7)] {
        let r = answer(
            json!({"answers": {"welcome": welcome, "recommend": recommend, "reason": "work"}}),
        )
        .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }

    let results: Value = app
        .get(&key, &format!("/surveys/{id}/results"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(results["responses"], 4);
    let q = |k: &str| {
        results["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["key"] == k)
            .unwrap()
            .clone()
    };
    let welcome = &q("welcome")["figures"]["items"][0];
    assert_eq!(welcome["describe"]["mean"], 3.75);
    assert_eq!(welcome["top_two_box"]["successes"], 3);
    assert_eq!(
        q("welcome")["too_few"],
        true,
        "4 respondents are fewer than 5"
    );
    let counts: Vec<(String, u64)> = q("reason")["figures"]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["key"].as_str().unwrap().to_string(),
                o["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(counts.contains(&("fika".into(), 1)) && counts.contains(&("work".into(), 3)));
    // Promoters 10, 9; passive 7; detractor 3: NPS = (2 - 1) / 4 = 25.
    assert_eq!(q("recommend")["figures"]["items"][0]["nps"]["score"], 25.0);

    // The export: one row per response (the partial save was completed), one column per question.
    let csv = app
        .get(&key, &format!("/surveys/{id}/responses.csv"))
        .await
        .text()
        .await
        .unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "response_id,survey_version,submitted_at,completed,language,welcome,reason,recommend,comment"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 4);
    assert!(
        rows.iter().any(|r| r.ends_with(",true,sv,5,fika,10,")),
        "{csv}"
    );

    // A visit in the store, after: the survey is offered with its link; a web search is not.
    let visit: Value = app
        .post(
            &key,
            "/touchpoints",
            json!({"identifiers": [{"kind": "loyalty_card", "value": "K1"}], "channel": "store",
            "kind": "visit", "phase": "after", "occurred_at": "2026-11-20T10:00:00Z"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let offered: Value = app
        .get(
            &key,
            &format!(
                "/touchpoints/{}/survey-invitations",
                visit["id"].as_str().unwrap()
            ),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        offered[0]["link"]
            .as_str()
            .unwrap()
            .contains(&format!("/s/{id}")),
        "{offered}"
    );
    let search: Value = app
        .post(
            &key,
            "/touchpoints",
            json!({"identifiers": [{"kind": "loyalty_card", "value": "K1"}], "channel": "web",
            "kind": "search", "occurred_at": "2026-11-20T09:00:00Z"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let offered: Value = app
        .get(
            &key,
            &format!(
                "/touchpoints/{}/survey-invitations",
                search["id"].as_str().unwrap()
            ),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(offered, json!([]));

    // Another provider sees neither the survey nor its results; a closed survey takes no more answers.
    let other = app.provider("Banken").await;
    assert_eq!(
        app.get(&other, &format!("/surveys/{id}/results"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    app.http
        .put(format!("{}/api/v1/surveys/{id}/status", app.base))
        .bearer_auth(&key)
        .json(&json!({"status": "closed"}))
        .send()
        .await
        .unwrap();
    let r = answer(json!({"answers": {"welcome": 4, "recommend": 9}})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post(
            &key,
            "/surveys",
            json!({"title": "X", "channel": "carrier_pigeon", "sections": []}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

/// A café survey with a motivation question, for the analysis endpoints.
pub(crate) fn analysed_survey() -> Value {
    let agree = json!([{"point": 1, "label": "Instämmer inte alls"}, {"point": 5, "label": "Instämmer helt"}]);
    json!({
        "title": "Varför kom du?", "phase": "after", "channel": "store",
        "sections": [{"questions": [
            {"key": "welcome", "kind": "scale", "points": 5, "required": true, "anchors": agree, "text": "Jag kände mig välkommen."},
            {"key": "aspects", "kind": "matrix", "points": 5, "anchors": agree, "text": "Hur väl stämmer det?",
             "items": [{"key": "coffee", "text": "Kaffet var gott."}, {"key": "queue", "text": "Kön var kort."}]},
            {"key": "motivation", "kind": "single_choice", "text": "Vad fick dig att komma?",
             "options": [{"key": "relationships", "label": "Träffa någon"}, {"key": "experiences", "label": "Uppleva något"}]},
            {"key": "reason", "kind": "single_choice", "text": "Vad gjorde du?",
             "options": [{"key": "fika", "label": "Fika"}, {"key": "work", "label": "Arbete"}]},
            {"key": "recommend", "kind": "nps", "text": "Skulle du rekommendera oss?"},
            {"key": "comment", "kind": "open_text", "text": "Något mer?"}
        ]}]
    })
}

/// Two motivations, six answers each way, and one response that skipped the question.
const ANSWERS: [(&str, i32, i32, &str, i32); 9] = [
    ("relationships", 5, 5, "fika", 10),
    ("relationships", 4, 4, "fika", 9),
    ("relationships", 5, 4, "fika", 9),
    ("relationships", 4, 5, "work", 6),
    ("experiences", 2, 3, "work", 3),
    ("experiences", 3, 2, "work", 7),
    ("experiences", 1, 3, "fika", 5),
    ("experiences", 3, 1, "work", 8),
    ("", 4, 4, "fika", 10),
];

pub(crate) fn problem_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn results_split_by_dimension_with_crosstabs_comparisons_and_csv() {
    use motesplats_core::survey::{chi_square_test, welch_t_test};
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    let id = app.open_survey(&key, analysed_survey()).await;
    for (motivation, welcome, coffee, reason, recommend) in ANSWERS {
        let mut answers = json!({"welcome": welcome, "aspects": {"coffee": coffee}, "reason": reason, "recommend": recommend});
        if !motivation.is_empty() {
            answers["motivation"] = json!(motivation);
        }
        app.answer(&id, &json!({ "answers": answers })).await;
    }
    let get = |path: String| {
        let (app, key) = (&app, &key);
        async move {
            let r = app.get(key, &path).await;
            let status = r.status();
            (status, r.text().await.unwrap())
        }
    };
    let json_of = |(status, body): (StatusCode, String)| -> (StatusCode, Value) {
        (status, serde_json::from_str(&body).unwrap_or(Value::Null))
    };

    // Per motivation: options in the question's order, then those who did not say.
    let (status, results) = json_of(get(format!("/surveys/{id}/results?split=motivation")).await);
    assert_eq!(status, StatusCode::OK, "{results}");
    assert_eq!(results["responses"], 9);
    assert_eq!(results["split"], "motivation");
    let groups = results["splits"].as_array().unwrap();
    let shape: Vec<(&str, &str, u64)> = groups
        .iter()
        .map(|g| {
            (
                g["value"].as_str().unwrap(),
                g["label"].as_str().unwrap(),
                g["responses"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        shape,
        [
            ("relationships", "Träffa någon", 4),
            ("experiences", "Uppleva något", 4),
            ("unknown", "okänd", 1)
        ]
    );
    let welcome = |g: &Value| {
        g["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["key"] == "welcome")
            .unwrap()["figures"]["items"][0]
            .clone()
    };
    assert_eq!(welcome(&groups[0])["describe"]["mean"], 4.5);
    assert_eq!(welcome(&groups[1])["describe"]["mean"], 2.25);
    assert_eq!(welcome(&groups[0])["describe"]["ci"]["method"], "student_t");
    assert_eq!(welcome(&groups[0])["top_two_box"]["ci"]["method"], "wilson");
    // One answer is too few for a standard deviation: no mean, marked too few.
    assert_eq!(welcome(&groups[2])["describe"], Value::Null);
    assert_eq!(welcome(&groups[2])["too_few"], true);
    assert_eq!(welcome(&groups[2])["distribution"][0]["point"], 1);
    // The overall figures are still there.
    assert_eq!(welcome(&results)["describe"]["n"], 9);
    assert_eq!(welcome(&results)["too_few"], false);

    // The channel and phase come from the survey's context; everyone answered this week.
    let (_, by_channel) = json_of(get(format!("/surveys/{id}/results?split=channel")).await);
    assert_eq!(by_channel["splits"][0]["value"], "store");
    assert_eq!(by_channel["splits"][0]["responses"], 9);
    let (_, by_week) = json_of(get(format!("/surveys/{id}/results?split=week")).await);
    let week = by_week["splits"][0]["value"].as_str().unwrap().to_string();
    assert!(
        week.len() == 8 && &week[4..6] == "-W",
        "an ISO week such as 2026-W48: {week}"
    );
    let (status, problem) = json_of(get(format!("/surveys/{id}/results?split=colour")).await);
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem_fields(&problem), ["split"]);

    // Cross-tab of two questions; the chi-square is the core's on the same counts. The
    // motivation question is read as the question (a key wins over a split word), so
    // the response that skipped it is not in the table.
    let (status, table) = json_of(
        get(format!(
            "/surveys/{id}/crosstab?rows=reason&columns=motivation"
        ))
        .await,
    );
    assert_eq!(status, StatusCode::OK, "{table}");
    let labels = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|l| l["value"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(labels(&table["row_labels"]), ["fika", "work"]);
    assert_eq!(
        labels(&table["column_labels"]),
        ["relationships", "experiences"]
    );
    assert_eq!(table["row_labels"][0]["label"], "Fika");
    let counts: Vec<Vec<u64>> = serde_json::from_value(table["counts"].clone()).unwrap();
    assert_eq!(counts, vec![vec![3, 1], vec![1, 3]]);
    let want = chi_square_test(&counts).unwrap();
    let chi = &table["chi_square"];
    assert_eq!(chi["statistic"].as_f64().unwrap(), want.statistic);
    assert_eq!(chi["df"], want.df);
    assert_eq!(chi["p_value"].as_f64().unwrap(), want.p_value);
    assert_eq!((&table["n"], &table["responses"]), (&json!(8), &json!(9)));
    assert_eq!(table["expected_below_five"], 4);
    // A question by a split: every response has a week.
    let (status, table) =
        json_of(get(format!("/surveys/{id}/crosstab?rows=reason&columns=week")).await);
    assert_eq!(status, StatusCode::OK, "{table}");
    assert_eq!(labels(&table["column_labels"]), std::slice::from_ref(&week));
    assert_eq!(table["n"], 9);
    // Two questions; a matrix item as key.item.
    let (status, table) = json_of(
        get(format!(
            "/surveys/{id}/crosstab?rows=aspects.coffee&columns=reason"
        ))
        .await,
    );
    assert_eq!(status, StatusCode::OK, "{table}");
    assert_eq!(labels(&table["row_labels"]), ["1", "2", "3", "4", "5"]);
    // A table with a single column has no test, and says why.
    let (status, table) = json_of(
        get(format!(
            "/surveys/{id}/crosstab?rows=reason&columns=channel"
        ))
        .await,
    );
    assert_eq!(status, StatusCode::OK);
    assert!(table["chi_square"].is_null());
    assert!(
        table["chi_square_reason"]["reason"]
            .as_str()
            .unwrap()
            .contains("at least two rows and two columns"),
        "{table}"
    );
    for (query, fields) in [
        ("rows=nope&columns=motivation", vec!["rows"]),
        ("rows=reason&columns=comment", vec!["columns"]),
        ("columns=reason", vec!["rows"]),
        ("rows=aspects&columns=colour", vec!["rows", "columns"]),
        ("rows=reason&columns=reason", vec!["columns"]),
    ] {
        let (status, problem) = json_of(get(format!("/surveys/{id}/crosstab?{query}")).await);
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(problem_fields(&problem), fields, "{query}");
    }

    // Welch's test of two motivations is the core's on the same answers.
    let (status, compared) = json_of(
        get(format!(
            "/surveys/{id}/compare?question=welcome&by=motivation&a=relationships&b=experiences"
        ))
        .await,
    );
    assert_eq!(status, StatusCode::OK, "{compared}");
    let want = welch_t_test(&[5.0, 4.0, 5.0, 4.0], &[2.0, 3.0, 1.0, 3.0], 0.95).unwrap();
    let w = &compared["welch"];
    assert_eq!(w["t"].as_f64().unwrap(), want.t);
    assert_eq!(w["df"].as_f64().unwrap(), want.df);
    assert_eq!(w["p_value"].as_f64().unwrap(), want.p_value);
    assert_eq!(w["ci"]["lower"].as_f64().unwrap(), want.ci.lower);
    assert_eq!(w["ci"]["method"], "welch_satterthwaite");
    assert_eq!(compared["a"]["label"], "Träffa någon");
    assert_eq!(
        (&compared["a"]["n"], &compared["b"]["mean"]),
        (&json!(4), &json!(2.25))
    );
    // A matrix item by a single-choice question.
    let (status, compared) = json_of(
        get(format!(
            "/surveys/{id}/compare?question=aspects&item=coffee&by=reason&a=fika&b=work"
        ))
        .await,
    );
    assert_eq!(status, StatusCode::OK, "{compared}");
    let want = welch_t_test(&[5.0, 4.0, 4.0, 3.0, 4.0], &[5.0, 3.0, 2.0, 1.0], 0.95).unwrap();
    assert_eq!(compared["welch"]["t"].as_f64().unwrap(), want.t);
    // Too few answers in a group (one said 6): no test, a reason.
    let (status, compared) = json_of(
        get(format!(
            "/surveys/{id}/compare?question=welcome&by=recommend&a=10&b=6"
        ))
        .await,
    );
    assert_eq!(status, StatusCode::OK);
    assert!(compared["welch"].is_null());
    assert!(
        compared["reason"]["code"] == "too-few-observations",
        "{compared}"
    );
    for (query, fields) in [
        (
            "by=motivation&a=relationships&b=experiences",
            vec!["question"],
        ),
        (
            "question=reason&by=motivation&a=relationships&b=experiences",
            vec!["question"],
        ),
        (
            "question=aspects&by=motivation&a=relationships&b=experiences",
            vec!["item"],
        ),
        ("question=welcome&by=colour&a=x&b=y", vec!["by"]),
        (
            "question=welcome&by=motivation&a=nobody&b=experiences",
            vec!["a"],
        ),
        (
            "question=welcome&by=motivation&a=experiences&b=experiences",
            vec!["b"],
        ),
        ("question=welcome&by=comment&a=x", vec!["by", "b"]),
    ] {
        let (status, problem) = json_of(get(format!("/surveys/{id}/compare?{query}")).await);
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(problem_fields(&problem), fields, "{query}");
    }

    // The results as CSV: all responses first, then each motivation.
    let (status, csv) = get(format!("/surveys/{id}/results.csv?split=motivation")).await;
    assert_eq!(status, StatusCode::OK);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "split,split_value,split_label,question,item,kind,responses,n,mean,sd,median,\
         mean_ci_low,mean_ci_high,top_two_box,top_two_box_ci_low,top_two_box_ci_high,nps,nps_ci_low,nps_ci_high,level,too_few"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    // 7 rows (a matrix has two items) for all responses and for each of three groups.
    assert_eq!(rows.len(), 7 * 4);
    let row = rows
        .iter()
        .find(|r| r[1] == "relationships" && r[3] == "welcome")
        .unwrap();
    assert_eq!(
        &row[..11],
        [
            "motivation",
            "relationships",
            "Träffa någon",
            "welcome",
            "",
            "scale",
            "4",
            "4",
            "4.5",
            &(1.0f64 / 3.0).sqrt().to_string(),
            "4.5"
        ]
    );
    assert_eq!(row[13], "1");
    assert_eq!(row[19], "0.95");
    assert_eq!(row[20], "true", "4 answers are too few to say");
    let nps_row = rows
        .iter()
        .find(|r| r[0] == "all" && r[3] == "recommend")
        .unwrap();
    // Promoters 10, 9, 9, 10; detractors 6, 3, 5: NPS = 100 · (4 − 3)/9.
    assert_eq!(nps_row[16].parse::<f64>().unwrap(), 100.0 / 9.0);
    let coffee = rows
        .iter()
        .find(|r| r[0] == "all" && r[4] == "coffee")
        .unwrap();
    assert_eq!(coffee[7], "9");
    let queue = rows
        .iter()
        .find(|r| r[0] == "all" && r[4] == "queue")
        .unwrap();
    assert_eq!(
        (queue[7], queue[8]),
        ("0", ""),
        "nobody answered the queue item"
    );
    let (status, _) = get(format!("/surveys/{id}/results.csv?split=colour")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Months in the provider's time zone (Europe/Stockholm): a response sent at 23:30
    // UTC on New Year's Eve counts in January. Stored directly to set its time.
    let me: Value = app.get(&key, "/providers/me").await.json().await.unwrap();
    let provider = me["id"].as_str().unwrap().parse().unwrap();
    let survey: motesplats_core::survey::Survey = serde_json::from_value(
        app.get(&key, &format!("/surveys/{id}"))
            .await
            .json()
            .await
            .unwrap(),
    )
    .unwrap();
    let input: motesplats_core::survey::ResponseInput =
        serde_json::from_value(json!({"answers": {"welcome": 3}})).unwrap();
    let late = motesplats_core::survey::Response::parse(
        &survey,
        &input,
        "2025-12-31T23:30:00Z".parse().unwrap(),
    )
    .unwrap();
    let revision = app
        .store
        .survey(None, survey.id)
        .await
        .unwrap()
        .unwrap()
        .revision;
    let write = motesplats_store::ResponseWrite::New {
        resume_sha256: None,
    };
    app.store
        .save_response(provider, late, revision, write)
        .await
        .unwrap();
    let (_, by_month) = json_of(get(format!("/surveys/{id}/results?split=month")).await);
    let months: Vec<(&str, u64)> = by_month["splits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["value"].as_str().unwrap(),
                g["responses"].as_u64().unwrap(),
            )
        })
        .collect();
    let this_month = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Stockholm)
        .format("%Y-%m")
        .to_string();
    assert_eq!(months, [("2026-01", 1), (this_month.as_str(), 9)]);

    // Another provider sees none of it.
    let other = app.provider("Banken").await;
    let r = app
        .get(
            &other,
            &format!("/surveys/{id}/crosstab?rows=reason&columns=motivation"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

/// Sends a public answer; with a token, continues a partial save.
pub(super) async fn send(
    app: &super::App,
    id: &str,
    response: Option<(&str, Option<&str>)>,
    body: Value,
) -> reqwest::Response {
    let r = match response {
        None => app
            .http
            .post(format!("{}/api/v1/surveys/{id}/responses", app.base)),
        Some((rid, token)) => {
            let r = app
                .http
                .put(format!("{}/api/v1/surveys/{id}/responses/{rid}", app.base));
            match token {
                Some(t) => r.header("resume-token", t),
                None => r,
            }
        }
    };
    r.json(&body).send().await.unwrap()
}

/// The responses to a survey as its owner's CSV: (header, rows).
async fn csv_rows(app: &super::App, key: &str, id: &str) -> (String, Vec<String>) {
    let csv = app
        .get(key, &format!("/surveys/{id}/responses.csv"))
        .await
        .text()
        .await
        .unwrap();
    let mut lines = csv.lines().map(str::to_string);
    (lines.next().unwrap(), lines.collect())
}

#[tokio::test]
async fn a_partial_response_is_continued_only_with_its_resume_token() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    let id = app.open_survey(&key, survey()).await;
    let r = send(
        &app,
        &id,
        None,
        json!({"answers": {"welcome": 2}, "partial": true}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let saved: Value = r.json().await.unwrap();
    let rid = saved["id"].as_str().unwrap();
    let token = saved["resume_token"].as_str().unwrap();
    assert!(token.len() >= 64, "{token}");

    // Without the token, or with another, the response is as unknown as one that
    // does not exist; nothing changes.
    let overwrite = json!({"answers": {"welcome": 1, "recommend": 0}});
    let unknown = send(
        &app,
        &id,
        Some(("01234567-89ab-7def-8123-456789abcdef", Some(token))),
        overwrite.clone(),
    )
    .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let unknown = unknown.text().await.unwrap();
    for wrong in [None, Some("0".repeat(64).as_str())] {
        let r = send(&app, &id, Some((rid, wrong)), overwrite.clone()).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(r.text().await.unwrap(), unknown);
    }
    let (_, rows) = csv_rows(&app, &key, &id).await;
    assert_eq!(rows.len(), 1, "a client-chosen id stores nothing: {rows:?}");
    assert!(rows[0].contains(",false,sv,2,"), "{rows:?}");

    // With it, the save continues; the token is given out only once.
    let r = send(
        &app,
        &id,
        Some((rid, Some(token))),
        json!({"answers": {"welcome": 4}, "partial": true}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap().get("resume_token"), None);
    let r = send(
        &app,
        &id,
        Some((rid, Some(token))),
        json!({"answers": {"welcome": 4, "recommend": 9}}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let (_, rows) = csv_rows(&app, &key, &id).await;
    assert!(rows[0].contains(",true,sv,4,,9,"), "{rows:?}");

    // A completed answer has no token to give.
    let r = send(
        &app,
        &id,
        None,
        json!({"answers": {"welcome": 3, "recommend": 8}}),
    )
    .await;
    assert_eq!(r.json::<Value>().await.unwrap().get("resume_token"), None);
}

#[tokio::test]
async fn a_profile_is_linked_only_through_a_signed_invitation() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    let id = app.open_survey(&key, survey()).await;
    let other = app.open_survey(&key, survey()).await;
    let profile = app.profile_with_email(&key, "ada@example.se").await;
    let profile = profile.as_str();
    let answers = json!({"welcome": 5, "recommend": 10});

    // A plain profile id is refused alike whether the profile exists or not.
    let mut refusals = Vec::new();
    for p in [profile, "01234567-89ab-7def-8123-456789abcdef"] {
        let r = send(
            &app,
            &id,
            None,
            json!({"answers": answers, "consent": true, "profile_id": p}),
        )
        .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        refusals.push(r.text().await.unwrap());
    }
    assert_eq!(refusals[0], refusals[1]);

    // The owner's secret key issues a signed invitation for the profile.
    let r = app
        .post(
            &key,
            &format!("/surveys/{id}/invitations"),
            json!({"profile_id": profile}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let invitation: Value = r.json().await.unwrap();
    let link = invitation["link"].as_str().unwrap();
    let invite = link.split("?invite=").nth(1).unwrap();
    assert!(invitation["expires_at"].is_string());

    // Forged, tampered with, or for another survey: refused, naming the invitation.
    let tampered = invite.replace(profile, "01234567-89ab-7def-8123-456789abcdef");
    for (survey, inv) in [(&id, "forged"), (&id, tampered.as_str()), (&other, invite)] {
        let r = send(
            &app,
            survey,
            None,
            json!({"answers": answers, "consent": true, "invitation": inv}),
        )
        .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let problem: Value = r.json().await.unwrap();
        assert_eq!(problem_fields(&problem), ["invitation"]);
    }

    // The real one links the answer to the profile.
    let r = send(
        &app,
        &id,
        None,
        json!({"answers": answers, "consent": true, "invitation": invite}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let me: Value = app.get(&key, "/providers/me").await.json().await.unwrap();
    let provider = me["id"].as_str().unwrap().parse().unwrap();
    let stored = app
        .store
        .responses(provider, id.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].profile_id.map(|p| p.to_string()).as_deref(),
        Some(profile)
    );

    // Once research is refused for her, an invited answer is kept, but unlinked.
    let r = app
        .post(
            &key,
            "/consents",
            json!({"consents": [{"profile_id": profile, "purpose": "research", "given": false,
                                 "at": "2026-12-01T09:00:00Z"}]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = send(
        &app,
        &id,
        None,
        json!({"answers": answers, "consent": true, "invitation": invite}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let stored = app
        .store
        .responses(provider, id.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(
        stored.iter().filter(|r| r.profile_id.is_some()).count(),
        1,
        "the second answer is not linked"
    );

    // Only the owner may issue them.
    let stranger = app.provider("Banken").await;
    let r = app
        .post(
            &stranger,
            &format!("/surveys/{id}/invitations"),
            json!({"profile_id": profile}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn one_address_may_send_a_survey_only_so_many_answers_a_minute() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    let id = app.open_survey(&key, survey()).await;
    let other = app.open_survey(&key, survey()).await;
    let answer = json!({"answers": {"welcome": 3, "recommend": 7}});
    let limit = motesplats_server::survey_answers::ANSWERS_PER_MINUTE as usize;
    // The allowance refills slowly (one every two seconds), so a slow machine may
    // squeeze in one or two more than the burst.
    let mut created = 0;
    let r = loop {
        let r = send(&app, &id, None, answer.clone()).await;
        if r.status() != StatusCode::CREATED || created == 2 * limit {
            break r;
        }
        created += 1;
    };
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!((limit..limit + 5).contains(&created), "{created}");
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem["type"], "urn:motesplats:problem:too-many-responses");
    let (_, rows) = csv_rows(&app, &key, &id).await;
    assert_eq!(rows.len(), created, "the refused answer is not stored");
    let r = send(&app, &other, None, answer).await;
    assert_eq!(r.status(), StatusCode::CREATED, "each survey has its own");
}

#[tokio::test]
async fn text_a_spreadsheet_would_run_is_neutralised_in_the_csv() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    let id = app.open_survey(&key, survey()).await;
    for comment in ["=1+2", "@SUM(A1)", "-3"] {
        let r = send(
            &app,
            &id,
            None,
            json!({"answers": {"welcome": 3, "recommend": 7, "comment": comment}}),
        )
        .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let (_, rows) = csv_rows(&app, &key, &id).await;
    let comments: Vec<&str> = rows.iter().map(|r| r.rsplit(',').next().unwrap()).collect();
    assert_eq!(
        comments,
        ["'=1+2", "'@SUM(A1)", "-3"],
        "a number stays a number"
    );
}

#[tokio::test]
async fn a_survey_change_names_the_revision_it_was_made_against() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    let r = app.post(&key, "/surveys", survey()).await;
    assert_eq!(r.headers()["etag"], "\"1\"");
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app.get(&key, &format!("/surveys/{id}")).await;
    assert_eq!(r.headers()["etag"], "\"1\"");
    let mut change = survey();
    change["title"] = json!("Hur var fikat?");
    let put = |if_match: Option<&'static str>, body: Value| {
        let (http, base, id, key) = (app.http.clone(), app.base.clone(), id.clone(), key.clone());
        async move {
            let r = http
                .put(format!("{base}/api/v1/surveys/{id}"))
                .bearer_auth(key)
                .json(&body);
            match if_match {
                Some(v) => r.header("if-match", v),
                None => r,
            }
            .send()
            .await
            .unwrap()
        }
    };
    assert_eq!(
        put(None, change.clone()).await.status(),
        StatusCode::PRECONDITION_REQUIRED
    );
    let r = put(Some("\"1\""), change.clone()).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["etag"], "\"2\"");

    // A second edit made on what was read before the first is refused, not saved over it.
    let mut late = survey();
    late["title"] = json!("Hur var lunchen?");
    let r = put(Some("\"1\""), late).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem_fields(&problem), ["if-match"]);
    let s: Value = app
        .get(&key, &format!("/surveys/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(s["title"]["sv"], "Hur var fikat?");

    // A status change may name the revision too; a stale one is refused.
    let r = app
        .http
        .put(format!("{}/api/v1/surveys/{id}/status", app.base))
        .bearer_auth(&key)
        .header("if-match", "\"1\"")
        .json(&json!({"status": "open"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_saved_segment_splits_the_results_into_in_out_and_unknown() {
    let app = spawn_app().await;
    let key = app.provider("Kaféet").await;
    let id = app.open_survey(&key, survey()).await;
    // Two gold customers and one silver answer through their invitations, with
    // consent; two answer without a profile.
    for (i, (tier, welcome)) in [("gold", 5), ("silver", 2), ("gold", 4)]
        .into_iter()
        .enumerate()
    {
        let r = app
            .post(
                &key,
                "/profiles",
                json!({"identifiers": [{"kind": "email", "value": format!("kund{i}@example.se")}],
                       "attributes": {"tier": tier}}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let profile: Value = r.json().await.unwrap();
        let invitation: Value = app
            .post(
                &key,
                &format!("/surveys/{id}/invitations"),
                json!({"profile_id": profile["id"]}),
            )
            .await
            .json()
            .await
            .unwrap();
        let link = invitation["link"].as_str().unwrap();
        let invite = link.split("?invite=").nth(1).unwrap();
        let answers = json!({"welcome": welcome, "recommend": 9});
        let r = send(
            &app,
            &id,
            None,
            json!({"answers": answers, "consent": true, "invitation": invite}),
        )
        .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    for welcome in [3, 1] {
        let r = send(
            &app,
            &id,
            None,
            json!({"answers": {"welcome": welcome, "recommend": 7}}),
        )
        .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let r = app
        .post(
            &key,
            "/segments",
            json!({"name": "Stamgäster", "rules": {"traits": [{"key": "tier", "value": "gold"}]}}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let segment: Value = r.json().await.unwrap();
    let word = format!("segment:{}", segment["id"].as_str().unwrap());

    let r = app
        .get(&key, &format!("/surveys/{id}/results?split={word}"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let results: Value = r.json().await.unwrap();
    assert_eq!(results["responses"], 5);
    assert_eq!(results["split"], word.as_str());
    let shape: Vec<(&str, &str, u64)> = results["splits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["value"].as_str().unwrap(),
                g["label"].as_str().unwrap(),
                g["responses"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        shape,
        [
            ("in", "Stamgäster", 2),
            ("out", "utanför Stamgäster", 1),
            ("unknown", "okänd", 2)
        ]
    );
    // The figures are those of the group: the gold customers answered 5 and 4.
    assert_eq!(results["splits"][0]["questions"][0]["key"], "welcome");
    assert_eq!(
        results["splits"][0]["questions"][0]["figures"]["items"][0]["describe"]["mean"],
        4.5
    );

    // The CSV: all responses, then in, out and unknown, one row per question each.
    let r = app
        .get(&key, &format!("/surveys/{id}/results.csv?split={word}"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let csv = r.text().await.unwrap();
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 4 * 4);
    let welcome: Vec<[&str; 5]> = rows
        .iter()
        .filter(|r| r[3] == "welcome")
        .map(|r| [r[0], r[1], r[2], r[6], r[8]])
        .collect();
    assert_eq!(
        welcome,
        [
            ["all", "all", "", "5", "3"],
            [word.as_str(), "in", "Stamgäster", "2", "4.5"],
            [word.as_str(), "out", "utanför Stamgäster", "1", ""],
            [word.as_str(), "unknown", "okänd", "2", "2"],
        ]
    );

    // The segment splits cross-tabs and comparisons too.
    let table: Value = app
        .get(
            &key,
            &format!("/surveys/{id}/crosstab?rows=welcome&columns={word}"),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(table["columns"], word.as_str(), "{table}");
    assert_eq!(table["column_totals"], json!([2, 1, 2]));
    let r = app
        .get(
            &key,
            &format!("/surveys/{id}/compare?question=welcome&by={word}&a=in&b=unknown"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let compared: Value = r.json().await.unwrap();
    assert_eq!(
        (&compared["a"]["n"], &compared["b"]["n"]),
        (&json!(2), &json!(2))
    );

    // A segment id that names none of the provider's segments, or is no id: 422 naming
    // the field, as a bad split word.
    let stranger = app.provider("Banken").await;
    for (caller, path) in [
        (
            &key,
            format!("/surveys/{id}/results?split=segment:01234567-89ab-7def-8123-456789abcdef"),
        ),
        (
            &key,
            format!("/surveys/{id}/results.csv?split=segment:nope"),
        ),
        (
            &key,
            format!("/surveys/{id}/crosstab?rows=welcome&columns=segment:nope"),
        ),
    ] {
        let r = app.get(caller, &path).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        let problem: Value = r.json().await.unwrap();
        assert_eq!(problem["errors"][0]["code"], "no-segment", "{path}");
        assert!(["split", "columns"].contains(&problem_fields(&problem)[0].as_str()));
    }
    // The results page offers the segment after the built-in splits and shows its
    // groups; in English too.
    app.user(&key, "kim@kafe.example", "hemligt-lösen").await;
    let mut kim = super::ui::Browser::new(&app.base);
    kim.sign_in("kim@kafe.example", "hemligt-lösen").await;
    for (lang, option, groups) in [
        (
            "sv",
            "Urval: Stamgäster",
            [
                "Stamgäster (n = 2)",
                "utanför Stamgäster (n = 1)",
                "okänt (n = 2)",
            ],
        ),
        (
            "en",
            "Segment: Stamgäster",
            [
                "Stamgäster (n = 2)",
                "outside Stamgäster (n = 1)",
                "unknown (n = 2)",
            ],
        ),
    ] {
        let r = kim.get(&format!("/surveys/{id}?split={word}"), lang).await;
        assert_eq!(r.status(), StatusCode::OK);
        let page = r.text().await.unwrap();
        let select = page.split("<select id=\"split\"").nth(1).unwrap();
        let select = select.split("</select>").next().unwrap();
        assert!(
            select.contains(&format!(
                "<option value=\"{word}\" selected>{option}</option>"
            )),
            "{select}"
        );
        assert!(select.find("quarter").unwrap() < select.find(option).unwrap());
        let table = page
            .split("id=\"split-table\"")
            .nth(1)
            .expect("a split table");
        let head = table.split("</thead>").next().unwrap();
        for g in groups {
            assert!(head.contains(g), "{lang}: {g} in {head}");
        }
        let r = kim
            .get(&format!("/surveys/{id}?split=segment:nope"), lang)
            .await;
        let page = r.text().await.unwrap();
        assert!(page.contains("id=\"split-error\""), "{lang}");
    }

    // Another provider's segment is not the caller's.
    let other = app.open_survey(&stranger, survey()).await;
    let r = app
        .get(&stranger, &format!("/surveys/{other}/results?split={word}"))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = r.json().await.unwrap();
    assert_eq!(problem_fields(&problem), ["split"]);
}
