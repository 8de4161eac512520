//! Photos and screenshots over the API: upload, use in an observation and a digital
//! function, fetch back byte for byte; bad files get a problem naming the field and
//! leave the project as it was; other providers see nothing.

use super::{App, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A complete, valid 1×1 PNG (transparent), checksums and all.
pub(super) const TINY_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x60, 0x00, 0x02, 0x00,
    0x00, 0x05, 0x00, 0x01, 0xe9, 0xfa, 0xdc, 0xd8, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
    0xae, 0x42, 0x60, 0x82,
];

const MAX: usize = 5 * 1024 * 1024;

impl App {
    /// `POST /projects/{project}/attachments?name=…` with the raw bytes.
    async fn upload(
        &self,
        key: &str,
        project: &str,
        name: &str,
        content_type: &str,
        version: Option<i64>,
        data: Vec<u8>,
    ) -> reqwest::Response {
        let mut req = self
            .http
            .post(format!(
                "{}/api/v1/projects/{project}/attachments",
                self.base
            ))
            .query(&[("name", name)])
            .bearer_auth(key)
            .header("content-type", content_type)
            .body(data);
        if let Some(v) = version {
            req = req.header("if-match", format!("\"{v}\""));
        }
        req.send().await.unwrap()
    }

    /// A JSON change naming the version it was made against.
    async fn versioned(
        &self,
        key: &str,
        path: &str,
        version: i64,
        body: Value,
    ) -> reqwest::Response {
        self.http
            .post(format!("{}/api/v1{path}", self.base))
            .bearer_auth(key)
            .header("if-match", format!("\"{version}\""))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    async fn project_now(&self, key: &str, id: &str) -> Value {
        let r = self.get(key, &format!("/projects/{id}")).await;
        assert_eq!(r.status(), StatusCode::OK);
        r.json().await.unwrap()
    }
}

/// The problem document of a refusal, after checking its status and media type.
async fn problem(r: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(r.status(), status);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    r.json().await.unwrap()
}

#[tokio::test]
async fn photos_and_screenshots_are_uploaded_used_and_served_back() {
    let app = spawn_app().await;
    let shop = app.provider("Modehuset").await;
    let r = app
        .post(
            &shop,
            "/projects",
            json!({"title": "Torget", "members": [
                {"name": "Lena", "role": "lead"}, {"name": "Olle", "role": "observer"}
            ]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    let id = created["project"]["id"].as_str().unwrap().to_string();
    let olle = created["project"]["members"][1]["id"].clone();

    // The upload records the image in the project: a new version, as any change.
    let r = app
        .upload(
            &shop,
            &id,
            "kassan.png",
            "image/png",
            Some(1),
            TINY_PNG.to_vec(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.headers()["etag"], "\"2\"");
    let uploaded: Value = r.json().await.unwrap();
    assert_eq!(uploaded["version"], 2);
    let photo = uploaded["attachment"]["id"].as_str().unwrap().to_string();
    assert_eq!(
        uploaded["attachment"],
        json!({"id": photo, "name": "kassan.png", "content_type": "image/png",
               "bytes": TINY_PNG.len(), "width": 1, "height": 1})
    );
    let now = app.project_now(&shop, &id).await;
    assert_eq!(now["project"]["attachments"][0]["id"], photo.as_str());

    // Served back byte for byte, with its type, never sniffed.
    let r = app
        .get(&shop, &format!("/projects/{id}/attachments/{photo}"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert_eq!(r.headers()["cache-control"], "private, max-age=3600");
    assert_eq!(r.bytes().await.unwrap().as_ref(), TINY_PNG);

    // Step 2: an observation with the photo; an unknown id is named.
    let r = app
        .versioned(
            &shop,
            &format!("/projects/{id}/observation-rounds"),
            2,
            json!({"name": "Vecka 11", "observers": [olle],
                   "starts_on": "2026-03-09", "ends_on": "2026-03-15"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v3: Value = r.json().await.unwrap();
    let round = v3["project"]["observation_rounds"][0]["id"].clone();
    let observation = |photos: Value| {
        json!({"round_id": round, "observer": olle, "observed_on": "2026-03-14",
               "answers": {"situation": "Kund fotar skylten"}, "photos": photos})
    };
    let unknown = uuid::Uuid::now_v7().to_string();
    let p = problem(
        app.versioned(
            &shop,
            &format!("/projects/{id}/observations"),
            3,
            observation(json!([unknown])),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "photos[0]", "{p}");
    let r = app
        .versioned(
            &shop,
            &format!("/projects/{id}/observations"),
            3,
            observation(json!([photo])),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v4: Value = r.json().await.unwrap();
    assert_eq!(v4["project"]["observations"][0]["photos"], json!([photo]));

    // Step 3: a digital function with the same image as its screenshot.
    let r = app
        .versioned(
            &shop,
            &format!("/projects/{id}/functions"),
            4,
            json!({"name": "Kartappen", "what": "Öppettider på kartan",
                   "phases": ["before"], "screenshots": [photo]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v5: Value = r.json().await.unwrap();
    assert_eq!(v5["project"]["functions"][0]["screenshots"], json!([photo]));

    // The export carries the descriptions with the project.
    let exported: Value = app
        .get(&shop, &format!("/projects/{id}/export"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(exported["project"]["attachments"][0]["id"], photo.as_str());
}

#[tokio::test]
async fn bad_files_are_named_and_nothing_saved_is_lost() {
    let app = spawn_app().await;
    let shop = app.provider("Modehuset").await;
    let created: Value = app
        .post(
            &shop,
            "/projects",
            json!({"title": "Torget", "members": [{"name": "Lena", "role": "lead"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["project"]["id"].as_str().unwrap().to_string();
    let r = app
        .upload(
            &shop,
            &id,
            "kassan.png",
            "image/png",
            Some(1),
            TINY_PNG.to_vec(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let before = app.project_now(&shop, &id).await;
    assert_eq!(before["version"], 2);

    // Text sent as a PNG: 422 naming the file, with the formats that are taken.
    let p = problem(
        app.upload(
            &shop,
            &id,
            "notes.png",
            "image/png",
            Some(2),
            "Inköpslista: mjölk, bröd".as_bytes().to_vec(),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "file", "{p}");
    assert!(
        p["errors"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("PNG, JPEG, GIF or WebP"),
        "{p}"
    );

    // An empty file, and a name with a control character.
    let p = problem(
        app.upload(&shop, &id, "tom.png", "image/png", Some(2), Vec::new())
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "file", "{p}");
    let p = problem(
        app.upload(
            &shop,
            &id,
            "a\u{1}.png",
            "image/png",
            Some(2),
            TINY_PNG.to_vec(),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "name", "{p}");

    // Over the limit: 413, whatever the bytes.
    let mut big = TINY_PNG.to_vec();
    big.resize(MAX + 1, 0);
    let p = problem(
        app.upload(&shop, &id, "stor.png", "image/png", Some(2), big)
            .await,
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("5242880"), "{p}");

    // Not an image type: 415 naming the content type.
    let p = problem(
        app.upload(&shop, &id, "a.txt", "text/plain", Some(2), b"hej".to_vec())
            .await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "content-type", "{p}");
    assert_eq!(p["errors"][0]["code"], "media-type", "{p}");
    assert_eq!(p["errors"][0]["params"]["sent"], "text/plain", "{p}");
    assert!(
        p["errors"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("image/webp")
    );

    // A change must name the version, and the right one.
    problem(
        app.upload(&shop, &id, "a.png", "image/png", None, TINY_PNG.to_vec())
            .await,
        StatusCode::PRECONDITION_REQUIRED,
    )
    .await;
    let p = problem(
        app.upload(&shop, &id, "a.png", "image/png", Some(1), TINY_PNG.to_vec())
            .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "version");
    assert_eq!(p["errors"][0]["code"], "changed", "{p}");
    assert_eq!(p["errors"][0]["params"]["what"], "project", "{p}");
    assert_eq!(p["errors"][0]["params"]["expected"], 1, "{p}");

    // After every refusal the project is as it was.
    assert_eq!(app.project_now(&shop, &id).await, before);
}

#[tokio::test]
async fn other_providers_neither_see_nor_add_images() {
    let app = spawn_app().await;
    let shop = app.provider("Modehuset").await;
    let cafe = app.provider("Kaféet").await;
    let created: Value = app
        .post(
            &shop,
            "/projects",
            json!({"title": "Torget", "members": [{"name": "Lena", "role": "lead"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["project"]["id"].as_str().unwrap().to_string();
    let uploaded: Value = app
        .upload(
            &shop,
            &id,
            "kassan.png",
            "image/png",
            Some(1),
            TINY_PNG.to_vec(),
        )
        .await
        .json()
        .await
        .unwrap();
    let photo = uploaded["attachment"]["id"].as_str().unwrap().to_string();

    let path = format!("/projects/{id}/attachments/{photo}");
    problem(app.get(&cafe, &path).await, StatusCode::NOT_FOUND).await;
    problem(
        app.upload(&cafe, &id, "x.png", "image/png", Some(2), TINY_PNG.to_vec())
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    // Unknown ids, and ids that are no ids, are not found either.
    let unknown = uuid::Uuid::now_v7();
    for path in [
        format!("/projects/{id}/attachments/{unknown}"),
        format!("/projects/{id}/attachments/not-an-id"),
        format!("/projects/{unknown}/attachments/{photo}"),
    ] {
        problem(app.get(&shop, &path).await, StatusCode::NOT_FOUND).await;
    }
    assert_eq!(app.project_now(&shop, &id).await["version"], 2);
    assert_eq!(
        app.get(&shop, &path).await.bytes().await.unwrap().as_ref(),
        TINY_PNG
    );
}
