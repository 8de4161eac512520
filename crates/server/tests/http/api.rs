//! The JSON API.

use super::{OPERATOR, spawn_app};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

fn good_touchpoint() -> Value {
    json!({
        "event_id": "till-42",
        "identifiers": [{"kind": "email", "value": "Anna@Example.se"}],
        "channel": "store", "kind": "purchase",
        "occurred_at": "2026-11-20T14:05:00+01:00", "phase": "during",
        "properties": {"amount_sek": 129}
    })
}

/// Asserts a problem+json response with `status` whose errors name `field`.
pub async fn assert_problem(r: Response, status: StatusCode, field: Option<&str>) -> Value {
    assert_eq!(r.status(), status);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["status"], status.as_u16());
    if let Some(field) = field {
        let fields: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert!(
            fields.contains(&field),
            "expected {field} among {fields:?} in {body}"
        );
    }
    body
}

#[tokio::test]
async fn a_provider_posts_touchpoints_and_reads_them_back() {
    let app = spawn_app().await;
    let health: Value = app
        .http
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");

    let key = app.provider("Kafé Torget").await;
    let r = app.post(&key, "/touchpoints", good_touchpoint()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["occurred_at"], "2026-11-20T13:05:00Z");

    let id = created["id"].as_str().unwrap();
    let read: Value = app
        .get(&key, &format!("/touchpoints/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read, created);

    // A retry of the same event is not stored twice.
    let r = app.post(&key, "/touchpoints", good_touchpoint()).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["id"], created["id"]);
    assert_eq!(app.count_touchpoints(&key).await, 1);

    // The touchpoint made a profile, found by its normalised identifier.
    let profiles: Value = app
        .get(
            &key,
            "/profiles?identifier_kind=email&identifier_value=ANNA@example.se",
        )
        .await
        .json()
        .await
        .unwrap();
    let profile = &profiles["items"][0];
    assert_eq!(profile["id"], created["profile_id"]);
    let person: Value = app
        .get(
            &key,
            &format!("/persons/{}", profile["person_id"].as_str().unwrap()),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(person["profiles"][0]["id"], profile["id"]);

    // Filters and paging.
    let r: Value = app
        .get(&key, "/touchpoints?phase=after")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["items"].as_array().unwrap().len(), 0);
    let r: Value = app
        .get(&key, "/touchpoints?channel=store&limit=1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["next"], created["id"]);
}

#[tokio::test]
async fn a_providers_key_never_reads_another_providers_rows() {
    let app = spawn_app().await;
    let cafe = app.provider("Kafé").await;
    let bank = app.provider("Banken").await;
    let t: Value = app
        .post(&cafe, "/touchpoints", good_touchpoint())
        .await
        .json()
        .await
        .unwrap();
    let profile: Value = app
        .get(
            &cafe,
            &format!("/profiles/{}", t["profile_id"].as_str().unwrap()),
        )
        .await
        .json()
        .await
        .unwrap();

    for path in [
        format!("/touchpoints/{}", t["id"].as_str().unwrap()),
        format!("/profiles/{}", profile["id"].as_str().unwrap()),
        format!("/persons/{}", profile["person_id"].as_str().unwrap()),
    ] {
        assert_problem(app.get(&bank, &path).await, StatusCode::NOT_FOUND, None).await;
    }
    assert_eq!(app.count_touchpoints(&bank).await, 0);
    let r = app.post(&bank, "/touchpoints", json!({
        "profile_id": profile["id"], "channel": "web", "kind": "visit", "occurred_at": "2026-11-20T10:00:00Z"
    })).await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("profile_id")).await;
    let r = app
        .post(
            &bank,
            &format!("/profiles/{}/identifiers", profile["id"].as_str().unwrap()),
            json!({"kind": "email", "value": "x@y.se"}),
        )
        .await;
    assert_problem(r, StatusCode::NOT_FOUND, None).await;
}

#[tokio::test]
async fn bad_input_is_named_and_nothing_is_stored() {
    let app = spawn_app().await;
    let key = app.provider("Hotellet").await;

    let r = app
        .post_raw(&key, "/touchpoints", "application/json", "{\"channel\": ")
        .await;
    assert_problem(r, StatusCode::BAD_REQUEST, None).await;

    let mut missing = good_touchpoint();
    missing.as_object_mut().unwrap().remove("channel");
    assert_problem(
        app.post(&key, "/touchpoints", missing).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("channel"),
    )
    .await;

    let mut bad_time = good_touchpoint();
    bad_time["occurred_at"] = json!("20 november");
    assert_problem(
        app.post(&key, "/touchpoints", bad_time).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("occurred_at"),
    )
    .await;

    let mut unknown_channel = good_touchpoint();
    unknown_channel["channel"] = json!("carrier_pigeon");
    let body = assert_problem(
        app.post(&key, "/touchpoints", unknown_channel).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("channel"),
    )
    .await;
    assert!(
        body["detail"].as_str().unwrap().contains("unknown channel"),
        "{body}"
    );

    let mut unknown_field = good_touchpoint();
    unknown_field["colour"] = json!("blue");
    assert_problem(
        app.post(&key, "/touchpoints", unknown_field).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("colour"),
    )
    .await;

    let mut wrong_type = good_touchpoint();
    wrong_type["kind"] = json!(7);
    assert_problem(
        app.post(&key, "/touchpoints", wrong_type).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("kind"),
    )
    .await;

    let mut bad_identifier = good_touchpoint();
    bad_identifier["identifiers"][0]["value"] = json!("not-an-address");
    let r = app.post(&key, "/touchpoints", bad_identifier).await;
    assert_problem(
        r,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("identifiers[0].value"),
    )
    .await;

    let r = app
        .post_raw(&key, "/touchpoints", "text/plain", "hello")
        .await;
    assert_problem(r, StatusCode::UNSUPPORTED_MEDIA_TYPE, None).await;

    let r = app.get(&key, "/touchpoints?limit=0").await;
    assert_problem(r, StatusCode::UNPROCESSABLE_ENTITY, Some("limit")).await;

    assert_eq!(
        app.count_touchpoints(&key).await,
        0,
        "no rejected touchpoint was stored"
    );
    let profiles: Value = app.get(&key, "/profiles").await.json().await.unwrap();
    assert_eq!(
        profiles["items"].as_array().unwrap().len(),
        0,
        "no profile was made half-way"
    );
}

#[tokio::test]
async fn keys_and_operator_rights_are_enforced() {
    let app = spawn_app().await;
    let r = app
        .http
        .post(format!("{}/api/v1/providers", app.base))
        .json(&json!({"name": "X"}))
        .send()
        .await
        .unwrap();
    assert_problem(r, StatusCode::UNAUTHORIZED, None).await;
    let key = app.provider("Butiken").await;
    let r = app.post(&key, "/providers", json!({"name": "Y"})).await;
    assert_problem(r, StatusCode::UNAUTHORIZED, None).await;
    let r = app.get("mp_key_nonsense", "/touchpoints").await;
    assert_problem(r, StatusCode::UNAUTHORIZED, None).await;

    let second: Value = app
        .post(&key, "/api-keys", json!({"label": "app"}))
        .await
        .json()
        .await
        .unwrap();
    let token = second["token"].as_str().unwrap();
    assert_eq!(
        app.get(token, "/providers/me").await.status(),
        StatusCode::OK
    );
    let r = app
        .http
        .delete(format!(
            "{}/api/v1/api-keys/{}",
            app.base,
            second["key"]["id"].as_str().unwrap()
        ))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_problem(
        app.get(token, "/providers/me").await,
        StatusCode::UNAUTHORIZED,
        None,
    )
    .await;
}

#[tokio::test]
async fn providers_register_channels_and_networks_join_them() {
    let app = spawn_app().await;
    let key = app.provider("Fastighetsägaren").await;
    let r = app
        .post(
            &key,
            "/channels",
            json!({"key": "info_screen", "name": "Info screen", "controlled": true}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = app
        .post(
            &key,
            "/channels",
            json!({"key": "info_screen", "name": "Again"}),
        )
        .await;
    assert_problem(r, StatusCode::CONFLICT, Some("key")).await;
    let r = app.post(&key, "/touchpoints", json!({
        "identifiers": [{"kind": "device_id", "value": "screen-7"}], "channel": "info_screen",
        "kind": "map.viewed", "occurred_at": "2026-11-20T10:00:00Z"
    })).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let channels: Value = app.get(&key, "/channels").await.json().await.unwrap();
    let forum = channels
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "forum")
        .unwrap();
    assert_eq!(forum["controlled"], false);

    let me: Value = app.get(&key, "/providers/me").await.json().await.unwrap();
    let r = app.http.post(format!("{}/api/v1/networks", app.base)).bearer_auth(OPERATOR)
        .json(&json!({"name": "Torgets centrum", "shares": ["aggregate_counts"], "members": [me["id"]]}))
        .send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let networks: Value = app.get(&key, "/networks").await.json().await.unwrap();
    assert_eq!(networks[0]["name"], "Torgets centrum");
}

#[tokio::test]
async fn the_openapi_document_describes_the_api() {
    let app = spawn_app().await;
    let doc: Value = app.openapi().await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/touchpoints",
        "/api/v1/touchpoints/{id}",
        "/api/v1/profiles",
        "/api/v1/persons/{id}",
        "/api/v1/providers",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    assert!(doc["components"]["schemas"]["TouchpointInput"].is_object());

    // Every `{param}` of every path is declared by every operation on it, and every
    // parameter declared in the path is in its template (query strings are queries).
    for (path, operations) in doc["paths"].as_object().unwrap() {
        let templated: Vec<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|p| p.split('}').next())
            .collect();
        for (method, operation) in operations.as_object().unwrap() {
            let declared: Vec<&str> = operation["parameters"]
                .as_array()
                .map(|ps| {
                    ps.iter()
                        .filter(|p| p["in"] == "path")
                        .filter_map(|p| p["name"].as_str())
                        .collect()
                })
                .unwrap_or_default();
            for name in &templated {
                assert!(
                    declared.contains(name),
                    "{method} {path} does not declare its path parameter {name}"
                );
            }
            for name in &declared {
                assert!(
                    templated.contains(name),
                    "{method} {path} declares {name} in the path, but it is a query parameter"
                );
            }
        }
    }
}
