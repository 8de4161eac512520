//! The server over real HTTP: it runs on an ephemeral port with a fresh SQLite file
//! per test. One binary, a module per part of the server.

mod api;
mod attachments;
mod browser_session;
mod coding;
mod coding_page;
mod contact;
mod customers;
mod deliver;
mod erasure;
mod event_names;
mod grants;
mod identity;
mod ingest;
mod journeys;
mod journeys_ui;
mod matrix;
mod me;
mod openapi;
mod reasons;
mod rectifications;
mod research;
mod research_forms;
mod segments;
mod senders;
mod smtp_sink;
mod staff;
mod strategy_pdf;
mod survey_builder;
mod survey_page;
mod survey_results;
mod surveys;
mod tracking;
mod ui;

use motesplats_store::postgres::testing::TestDatabase;
use motesplats_store::{Role, Store};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;

pub const OPERATOR: &str = "operator-secret-for-tests";

pub struct App {
    pub base: String,
    pub http: Client,
    pub store: Arc<dyn Store>,
    /// Where the server sends codes: with no SMTP, its outbox holds them.
    pub deliver: motesplats_server::deliver::Deliver,
    _dir: tempfile::TempDir,
    /// The PostgreSQL database a test on PostgreSQL runs on, dropped with the app.
    _database: Option<TestDatabase>,
}

pub async fn spawn_app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let store = motesplats_store::open(dir.path().join("api.db").to_str().unwrap())
        .await
        .unwrap();
    let state = motesplats_server::AppState::new(store.clone(), Some(OPERATOR));
    spawn_with(state, store, dir).await
}

/// Serves `state` (whose store is `store`, in `dir`) on an ephemeral port.
pub async fn spawn_with(
    state: motesplats_server::AppState,
    store: Arc<dyn Store>,
    dir: tempfile::TempDir,
) -> App {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let deliver = state.deliver.clone();
    tokio::spawn(motesplats_server::serve(
        listener,
        state,
        std::future::pending(),
    ));
    App {
        base,
        http: Client::new(),
        store,
        deliver,
        _dir: dir,
        _database: None,
    }
}

/// The same server on a fresh PostgreSQL database; None (said loudly) when
/// MOTESPLATS_TEST_POSTGRES is unset.
pub async fn spawn_app_on_postgres(test: &str) -> Option<App> {
    let database = TestDatabase::create(test).await?;
    let store = motesplats_store::open(&database.url).await.unwrap();
    let state = motesplats_server::AppState::new(store.clone(), Some(OPERATOR));
    let mut app = spawn_with(state, store, tempfile::tempdir().unwrap()).await;
    app._database = Some(database);
    Some(app)
}

impl App {
    pub async fn provider(&self, name: &str) -> String {
        self.provider_from(json!({"name": name})).await
    }

    /// A provider in a zone where it is midday now, whatever the hour here: what
    /// it asks meets nobody's quiet hours.
    pub async fn provider_at_noon(&self, name: &str) -> String {
        use chrono::Timelike;
        let east = 12 - i64::from(chrono::Utc::now().hour());
        // Etc/GMT-2 lies two hours east of Greenwich: the sign is the other way round.
        let zone = match east {
            0 => "Etc/GMT".to_string(),
            e if e > 0 => format!("Etc/GMT-{e}"),
            e => format!("Etc/GMT+{}", -e),
        };
        self.provider_from(json!({"name": name, "time_zone": zone}))
            .await
    }

    async fn provider_from(&self, body: Value) -> String {
        let r = self
            .http
            .post(format!("{}/api/v1/providers", self.base))
            .bearer_auth(OPERATOR)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let body: Value = r.json().await.unwrap();
        body["api_key"]["token"].as_str().unwrap().to_string()
    }

    /// Creates a survey from `definition` and opens it for answers; its id.
    pub async fn open_survey(&self, key: &str, definition: Value) -> String {
        let r = self.post(key, "/surveys", definition).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let created: Value = r.json().await.unwrap();
        let id = created["id"].as_str().unwrap().to_string();
        let r = self
            .http
            .put(format!("{}/api/v1/surveys/{id}/status", self.base))
            .bearer_auth(key)
            .json(&json!({"status": "open"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        id
    }

    /// Answers an open survey as anyone with its link does (no key); the answer must
    /// be taken.
    pub async fn answer(&self, survey: &str, body: &Value) {
        let r = self
            .http
            .post(format!("{}/api/v1/surveys/{survey}/responses", self.base))
            .json(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
    }

    /// A web UI user of the provider whose key this is.
    pub async fn user(&self, key: &str, email: &str, password: &str) {
        self.user_as(key, email, password, Role::Admin).await;
    }

    /// A user of the key's provider with this role.
    pub async fn user_as(
        &self,
        key: &str,
        email: &str,
        password: &str,
        role: Role,
    ) -> motesplats_store::User {
        let me: Value = self.get(key, "/providers/me").await.json().await.unwrap();
        let id = me["id"].as_str().unwrap().parse().unwrap();
        let hash = motesplats_server::auth::hash_password(password).unwrap();
        self.store
            .create_user(id, email, &hash, role)
            .await
            .unwrap()
    }

    pub async fn put(&self, key: &str, path: &str, body: Value) -> Response {
        self.http
            .put(format!("{}/api/v1{path}", self.base))
            .bearer_auth(key)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, key: &str, path: &str, body: Value) -> Response {
        self.http
            .post(format!("{}/api/v1{path}", self.base))
            .bearer_auth(key)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_raw(
        &self,
        key: &str,
        path: &str,
        content_type: &str,
        body: &'static str,
    ) -> Response {
        self.http
            .post(format!("{}/api/v1{path}", self.base))
            .bearer_auth(key)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// Sends `events` in one batch and waits until every one is placed on a profile.
    pub async fn send_placed(&self, key: &str, events: Vec<Value>) {
        let sent = events.len();
        let r = self.post(key, "/touchpoints/batch", json!(events)).await;
        assert_eq!(r.status(), StatusCode::OK);
        loop {
            let page: Value = self
                .get(key, "/touchpoints?limit=1000")
                .await
                .json()
                .await
                .unwrap();
            let items = page["items"].as_array().unwrap();
            if items.len() == sent && items.iter().all(|t| !t["profile_id"].is_null()) {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    pub async fn get(&self, key: &str, path: &str) -> Response {
        self.http
            .get(format!("{}/api/v1{path}", self.base))
            .bearer_auth(key)
            .send()
            .await
            .unwrap()
    }

    /// A new profile known by this e-mail address; its id.
    pub async fn profile_with_email(&self, key: &str, email: &str) -> String {
        let body = json!({"identifiers": [{"kind": "email", "value": email}]});
        let profile: Value = self
            .post(key, "/profiles", body)
            .await
            .json()
            .await
            .unwrap();
        profile["id"].as_str().unwrap().to_string()
    }

    /// The OpenAPI document the server serves.
    pub async fn openapi(&self) -> Value {
        self.http
            .get(format!("{}/api/openapi.json", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    pub async fn count_touchpoints(&self, key: &str) -> usize {
        let body: Value = self
            .get(key, "/touchpoints?limit=1000")
            .await
            .json()
            .await
            .unwrap();
        body["items"].as_array().unwrap().len()
    }
}
