//! The OpenAPI document is true to the server, and every refusal the server gives,
//! routed or not, is problem+json.

use crate::spawn_app;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every operation of the document: (method, path, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            out.push((method.clone(), path.clone(), operation.clone()));
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// utoipa keeps one schema per name and drops the others without a word, so two
/// types deriving `ToSchema` under one name make the document describe one with the
/// other (the survey's `QuestionInput` was documented as the research follow-up).
#[test]
fn no_two_schema_types_share_a_name() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    rust_files(&crates.join("core/src"), &mut files);
    rust_files(&crates.join("server/src"), &mut files);
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let mut deriving = false;
        let mut renamed: Option<String> = None;
        for line in text.lines().map(str::trim) {
            if line.starts_with("#[derive(") && line.contains("ToSchema") {
                deriving = true;
            } else if deriving && let Some(rest) = line.strip_prefix("#[schema(as = ") {
                renamed = Some(rest.trim_end_matches(")]").to_string());
            } else if deriving
                && let Some(name) = ["pub struct ", "pub enum ", "struct ", "enum "]
                    .iter()
                    .find_map(|k| line.strip_prefix(k))
            {
                let name: String = name
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let name = renamed.take().unwrap_or(name);
                seen.entry(name)
                    .or_default()
                    .push(file.display().to_string());
                deriving = false;
            }
        }
    }
    assert!(seen.len() > 100, "found only {} schema types", seen.len());
    let shared: Vec<_> = seen.iter().filter(|(_, files)| files.len() > 1).collect();
    assert!(shared.is_empty(), "schema names used twice: {shared:?}");
}

#[tokio::test]
async fn every_operation_documents_its_refusals_as_problems() {
    let app = spawn_app().await;
    let doc = app.openapi().await;
    let operations = operations(&doc);
    for (method, path, operation) in &operations {
        let responses = operation["responses"].as_object().unwrap();
        let public = operation["security"] == json!([{}]);
        if !public {
            assert!(
                responses.contains_key("401"),
                "{method} {path} needs a key but does not document 401"
            );
        }
        let has_path_params = operation["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["in"] == "path"));
        if has_path_params {
            assert!(responses.contains_key("404"), "{method} {path} lacks 404");
        }
        if operation.get("requestBody").is_some() {
            for status in ["413", "415", "422"] {
                assert!(
                    responses.contains_key(status),
                    "{method} {path} takes a body but does not document {status}"
                );
            }
        }
        // Every refusal is a problem document, and a problem is never plain JSON.
        for (status, response) in responses {
            let content = response["content"].as_object();
            if status.starts_with('4') || status.starts_with('5') {
                let types: Vec<&String> = content.map(|c| c.keys().collect()).unwrap_or_default();
                assert_eq!(
                    types,
                    ["application/problem+json"],
                    "{method} {path} {status}"
                );
            }
            if let Some(json) = content.and_then(|c| c.get("application/json")) {
                assert_ne!(
                    json["schema"]["$ref"], "#/components/schemas/Problem",
                    "{method} {path} {status} documents a problem as application/json"
                );
            }
        }
    }

    // The survey's sections hold the survey's questions, not the research follow-ups.
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["SectionInput"]["properties"]["questions"]["items"]["$ref"],
        "#/components/schemas/QuestionInput"
    );
    assert!(schemas["QuestionInput"]["properties"]["kind"].is_object());
    assert!(schemas["FollowUpQuestionInput"]["properties"]["asked_by"].is_object());
    // Vocabularies are documented by their names on the wire.
    assert_eq!(
        schemas["Role"]["enum"],
        json!(["lead", "member", "observer"])
    );
    assert_eq!(
        schemas["StepState"]["enum"],
        json!(["not_started", "in_progress", "done"])
    );
    // Page sizes and confidence levels have their ranges.
    let limit = &doc["paths"]["/api/v1/persons"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "limit")
        .unwrap()["schema"];
    assert_eq!(
        (limit["minimum"].clone(), limit["maximum"].clone()),
        (json!(1), json!(1000))
    );
    let suggestions = &doc["paths"]["/api/v1/surveys/{id}/coding/suggestions"]["get"]["responses"]
        ["200"]["content"]["application/json"]["schema"];
    assert_eq!(suggestions["type"], "array", "suggestions are a list");
}

/// The API's routes are exactly the document's: each documented operation is routed
/// (a request to it is never "no such route" or "method not allowed"), and a path
/// the document lacks is not (the QR code was served outside the API router).
#[tokio::test]
async fn the_api_serves_exactly_the_documented_routes() {
    let app = spawn_app().await;
    let doc = app.openapi().await;
    let operations = operations(&doc);
    assert!(
        operations
            .iter()
            .any(|(m, p, _)| m == "get" && p == "/api/v1/surveys/{id}/qr.svg"),
        "the survey QR code is an API route and documented"
    );
    for (method, path, _) in &operations {
        let concrete = path
            .split('/')
            .map(|s| if s.starts_with('{') { "0" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        let r = app
            .http
            .request(
                method.to_uppercase().parse().unwrap(),
                format!("{}{concrete}", app.base),
            )
            .send()
            .await
            .unwrap();
        let status = r.status();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        let unrouted = status == StatusCode::METHOD_NOT_ALLOWED
            || body["detail"] == "no route answers this path";
        assert!(!unrouted, "{method} {path} is documented but not served");
    }
    println!("the document covers {} API operations", operations.len());

    // Routes under /api that the document does not have answer as unknown.
    let r = app
        .http
        .get(format!("{}/api/v1/no-such-thing", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    // No route outside the API router is mounted under /api.
    let ui =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui/routes.rs"))
            .unwrap();
    assert!(!ui.contains("\"/api"), "the UI router mounts an /api route");
}

#[tokio::test]
async fn refusals_outside_the_handlers_are_problems() {
    let app = spawn_app().await;
    let problem = |r: &reqwest::Response, status: StatusCode| {
        assert_eq!(r.status(), status);
        assert_eq!(
            r.headers()["content-type"],
            "application/problem+json",
            "{status}"
        );
    };

    // A sign-in body over every form's limit (the form guard reads up to the largest),
    // from a browser that was shown the form.
    let form = app
        .http
        .get(format!("{}/sign-in", app.base))
        .send()
        .await
        .unwrap();
    let cookie = form.headers()["set-cookie"].to_str().unwrap();
    let cookie = cookie.split(';').next().unwrap().to_string();
    let r = app
        .http
        .post(format!("{}/sign-in", app.base))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![b'a'; 8 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    problem(&r, StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["status"], 413);

    // A path over 8 KiB, and a header section over 64 KiB or 100 headers.
    let long = "a".repeat(20_000);
    let r = app
        .http
        .get(format!("{}/api/v1/{long}", app.base))
        .send()
        .await
        .unwrap();
    problem(&r, StatusCode::URI_TOO_LONG);
    let r = app
        .http
        .get(format!("{}/healthz", app.base))
        .header("x-large", "b".repeat(200_000))
        .send()
        .await
        .unwrap();
    problem(&r, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
    let mut many = app.http.get(format!("{}/healthz", app.base));
    for i in 0..150 {
        many = many.header(format!("x-h{i}"), "1");
    }
    problem(
        &many.send().await.unwrap(),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
    );

    // A method the route does not take keeps its Allow header.
    let r = app
        .http
        .patch(format!("{}/api/v1/surveys", app.base))
        .send()
        .await
        .unwrap();
    problem(&r, StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.headers()["allow"].to_str().unwrap().contains("POST"));

    // Unknown routes, inside the API and out.
    for path in ["/api/v2/touchpoints", "/no-such-page"] {
        let r = app
            .http
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        problem(&r, StatusCode::NOT_FOUND);
    }
    // Still served after all that.
    let r = reqwest::get(format!("{}/healthz", app.base)).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

/// Importing another provider's project export must not tell that its id is taken:
/// the copy gets an id of its own. Re-importing one's own still clashes.
#[tokio::test]
async fn importing_another_providers_export_reveals_nothing() {
    let app = spawn_app().await;
    let shop = app.provider("Modehuset").await;
    let cafe = app.provider("Kaffebaren").await;
    let created: Value = app
        .post(
            &shop,
            "/projects",
            json!({"title": "Tullen", "members": [{"name": "Lena", "role": "lead"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["project"]["id"].as_str().unwrap().to_string();
    let exported: Value = app
        .get(&shop, &format!("/projects/{id}/export"))
        .await
        .json()
        .await
        .unwrap();

    let r = app.post(&cafe, "/projects/import", exported.clone()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let copy: Value = r.json().await.unwrap();
    let copy_id = copy["project"]["id"].as_str().unwrap();
    assert_ne!(copy_id, id);
    assert_eq!(copy["project"]["title"], "Tullen");
    // The shop's project is untouched and still not the café's.
    assert_eq!(
        app.get(&cafe, &format!("/projects/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post(&shop, "/projects/import", exported).await.status(),
        StatusCode::CONFLICT
    );
}
