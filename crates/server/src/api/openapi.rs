//! The generated document, completed so that it says what the server answers.
//! Problems are `application/problem+json`, not the `application/json` utoipa writes
//! for every body; and each operation lists the refusals its extractors give (a key,
//! a body, path and query parameters), which no handler's annotation repeats. Done
//! here once, from what each operation declares, so a new operation is right too.

use serde_json::{Map, Value, json};

const PROBLEM: &str = "#/components/schemas/Problem";
const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

/// The document as served at `/api/openapi.json`.
pub fn finish(spec: utoipa::openapi::OpenApi) -> Value {
    let mut doc = serde_json::to_value(spec).unwrap_or_default();
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for method in METHODS {
                if let Some(operation) = item.get_mut(method).and_then(Value::as_object_mut) {
                    complete(operation);
                }
            }
        }
    }
    doc
}

/// The refusals an operation can give by what it declares.
fn refusals(operation: &Map<String, Value>) -> Vec<(u16, &'static str)> {
    // No `security` means the document's default, a secret key; `[{}]` means none.
    let secured = operation
        .get("security")
        .and_then(Value::as_array)
        .is_none_or(|all| {
            all.iter()
                .any(|r| r.as_object().is_some_and(|r| !r.is_empty()))
        });
    let parameters: Vec<&Value> = operation
        .get("parameters")
        .and_then(Value::as_array)
        .map(|ps| ps.iter().collect())
        .unwrap_or_default();
    let declares = |place: &str| parameters.iter().any(|p| p["in"] == place);
    let body = operation.get("requestBody");
    let json_body = body
        .and_then(|b| b["content"].as_object())
        .is_some_and(|c| c.keys().any(|k| k.contains("json")));

    let mut out = Vec::new();
    if secured {
        out.push((401, "No key, or one that is unknown or revoked"));
        out.push((403, "A key that may not do this, such as a publishable key"));
    }
    if declares("path") {
        out.push((404, "No such resource for this provider"));
    }
    if declares("query") || declares("header") || body.is_some() {
        out.push((422, "Invalid fields or parameters; `errors` names each"));
    }
    if body.is_some() {
        out.push((413, "The body is over the size limit"));
        out.push((415, "The body is not of a type this operation takes"));
    }
    if json_body {
        out.push((400, "The body is not JSON"));
    }
    out
}

fn complete(operation: &mut Map<String, Value>) {
    if let Some(parameters) = operation
        .get_mut("parameters")
        .and_then(Value::as_array_mut)
    {
        parameters.iter_mut().for_each(version_pattern);
    }
    let refusals = refusals(operation);
    let Some(responses) = operation
        .get_mut("responses")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    for (status, description) in refusals {
        responses.entry(status.to_string()).or_insert_with(|| {
            json!({
                "description": description,
                "content": { "application/problem+json": { "schema": { "$ref": PROBLEM } } }
            })
        });
    }
    for response in responses.values_mut() {
        problem_media_type(response);
    }
}

/// `If-Match` carries a version as its ETag gave it, such as `"3"` (`api::if_match`).
fn version_pattern(parameter: &mut Value) {
    if parameter["in"] == "header"
        && parameter["name"]
            .as_str()
            .is_some_and(|n| n.eq_ignore_ascii_case("if-match"))
        && let Some(schema) = parameter.get_mut("schema").and_then(Value::as_object_mut)
    {
        schema.insert("pattern".into(), json!("^(W/)?\"?[0-9]{1,9}\"?$"));
    }
}

/// A Problem body documented as `application/json` is sent as problem+json.
fn problem_media_type(response: &mut Value) {
    let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) else {
        return;
    };
    let is_problem = content
        .get("application/json")
        .is_some_and(|c| c["schema"]["$ref"] == PROBLEM);
    if is_problem && let Some(body) = content.remove("application/json") {
        content.insert("application/problem+json".into(), body);
    }
}
