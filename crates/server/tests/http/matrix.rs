//! The authorisation matrix: every route (the API's from its OpenAPI document, the
//! UI's from `ui::routes::ROUTES`, the table that builds the UI router) tried by every
//! caller of `CALLERS`. Provider A owns one of each kind of object; the callers are
//! strangers to it. Every attempt on A's object must be answered exactly as the same
//! attempt on an id that does not exist, nothing may answer 5xx, no answer may carry
//! an id of A's, and A's data is the same after the matrix as before it.
//! A new route fails the matrix if it is open to more than its own provider and not in
//! `NOT_DEFAULT`, or if `kind` does not know what its path parameters name; any other
//! new route is tried by every caller without an entry.
//! A's own users of each role but admin are callers too: every route whose capability
//! their role lacks (by the table the server checks) must refuse them.

use super::ui::form_token;
use super::{App, spawn_app, spawn_app_on_postgres};
use Expect::{Forbidden, NothingOfA, Own, Refused};
use chrono::{Duration, Utc};
use motesplats_core::UserId;
use motesplats_server::auth::{new_token, sha256};
use motesplats_server::ui::roles;
use motesplats_server::ui::routes::{Access, ROUTES};
use motesplats_store::Role;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;

const PASSWORD: &str = "lösenord-för-matrisen";

/// The two tenants and what A owns.
struct World {
    app: App,
    a_key: String,
    a_publishable: String,
    b_key: String,
    /// A client that shows redirects instead of following them.
    http: reqwest::Client,
    /// Path parameter kind → A's object of that kind.
    objects: BTreeMap<&'static str, String>,
    /// A's users of the roles below admin.
    staff: Vec<(Role, UserId)>,
}

/// One kind of stranger: how it dresses a request.
struct Caller {
    name: &'static str,
    dress: fn(&World, RequestBuilder, &Session) -> RequestBuilder,
    /// The URL-encoded form it posts; None: an empty JSON object.
    form: fn(&Session) -> Option<String>,
    /// Only tries routes of these methods (None: all).
    methods: Option<&'static [&'static str]>,
    /// What each class of route must answer it.
    expect: fn(Class) -> Expect,
}

/// A signed-in user: the cookie, and the token its pages' forms carry.
struct SignedIn {
    cookie: String,
    token: String,
}

/// A's and B's users, a person who is a customer of neither, and A's users of each
/// role below admin, signed in.
struct Session {
    a: SignedIn,
    b: SignedIn,
    person: SignedIn,
    roles: Vec<(Role, SignedIn)>,
}

impl Session {
    async fn open(world: &World) -> Self {
        Session {
            a: sign_in(world, "a@a.example").await,
            b: sign_in(world, "b@b.example").await,
            person: person_sign_in(world).await,
            roles: role_sessions(world).await,
        }
    }

    fn role(&self, role: Role) -> &SignedIn {
        &self.roles.iter().find(|(r, _)| *r == role).unwrap().1
    }

    /// Signs in again whoever a sign-out signed out (sign-ins are limited per address,
    /// so only those).
    async fn renew(&mut self, world: &World) {
        if !self.a.live(world).await {
            self.a = sign_in(world, "a@a.example").await;
        }
        if !self.b.live(world).await {
            self.b = sign_in(world, "b@b.example").await;
        }
        if !self.person.live_at(world, "/me").await {
            self.person = person_sign_in(world).await;
        }
        for (role, signed_in) in &mut self.roles {
            if !signed_in.live_at(world, roles::home(*role)).await {
                *signed_in = role_session(world, *role).await;
            }
        }
    }
}

impl SignedIn {
    async fn live(&self, world: &World) -> bool {
        self.live_at(world, "/dashboard").await
    }

    async fn live_at(&self, world: &World, page: &str) -> bool {
        let r = world
            .http
            .get(format!("{}{page}", world.app.base))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap();
        r.status() == StatusCode::OK
    }
}

/// A's user of this role: posts forms with its own token.
macro_rules! role_caller {
    ($name:literal, $role:expr) => {
        Caller {
            name: $name,
            dress: |_, r, s| r.header("cookie", &s.role($role).cookie),
            form: |s| {
                Some(format!(
                    "_csrf={}&title=Kapad&name=Kapad",
                    s.role($role).token
                ))
            },
            methods: None,
            expect: |c| as_role($role, c),
        }
    };
}

/// A's own user with a role: refused wherever the role lacks the route's capability,
/// read from the table the server checks; its own right elsewhere.
fn as_role(role: Role, class: Class) -> Expect {
    match class {
        Class::Ui(Access::Staff(capability)) if roles::may(role, capability) => Own,
        c if c.open() => NothingOfA,
        _ => Refused,
    }
}

/// Adding a caller (a role, a person, a grant) is one entry here.
const CALLERS: &[Caller] = &[
    Caller {
        name: "no credentials",
        dress: |_, r, _| r,
        form: |_| None,
        methods: None,
        expect: |c| if c.open() { NothingOfA } else { Refused },
    },
    Caller {
        name: "another provider's secret key",
        dress: |w, r, _| r.bearer_auth(&w.b_key),
        form: |_| None,
        methods: None,
        expect: |c| match c {
            Class::Api | Class::ApiSend => NothingOfA,
            c if c.open() => NothingOfA,
            _ => Refused,
        },
    },
    Caller {
        name: "a publishable key",
        dress: |w, r, _| r.bearer_auth(&w.a_publishable),
        form: |_| None,
        methods: None,
        expect: |c| match c {
            Class::ApiSend => NothingOfA,
            c if c.open() => NothingOfA,
            _ => Refused,
        },
    },
    Caller {
        name: "another provider's signed-in user",
        dress: |_, r, s| r.header("cookie", &s.b.cookie),
        form: |s| Some(format!("_csrf={}&title=Kapad&name=Kapad", s.b.token)),
        methods: None,
        expect: |c| match c {
            Class::Ui(Access::Staff(_)) => NothingOfA,
            c if c.open() => NothingOfA,
            _ => Refused,
        },
    },
    Caller {
        name: "a signed-in person",
        dress: |_, r, s| r.header("cookie", &s.person.cookie),
        form: |s| {
            Some(format!(
                "_csrf={}&title=Kapad&name=Kapad&purpose=marketing&given=yes",
                s.person.token
            ))
        },
        methods: None,
        expect: |c| match c {
            Class::Ui(Access::Person) => NothingOfA,
            c if c.open() => NothingOfA,
            _ => Refused,
        },
    },
    role_caller!("A's analyst", Role::Analyst),
    role_caller!("A's customer support", Role::Support),
    role_caller!("A's staff", Role::Staff),
    Caller {
        name: "a cross-site form post",
        dress: |_, r, s| {
            r.header("cookie", &s.a.cookie)
                .header("origin", "https://evil.example")
                .header("sec-fetch-site", "cross-site")
        },
        form: |_| Some("title=Kapad&name=Kapad".to_string()),
        methods: Some(&["POST", "PUT", "DELETE"]),
        expect: |c| match c {
            // The public survey pages act on no one's authority: any site may post.
            Class::ApiPublic | Class::Ui(Access::SurveyLink) => NothingOfA,
            Class::Ui(_) => Forbidden,
            _ => Refused,
        },
    },
];

/// What a route may answer a caller.
#[derive(Debug, PartialEq)]
enum Expect {
    /// Refused: 401 or 403 (API), a redirect to the sign-in page (UI).
    Refused,
    /// Refused with 403 and nothing stored (a cross-site post).
    Forbidden,
    /// Allowed (a public route or the caller's own right), but never with A's data.
    NothingOfA,
    /// A's own user within its role's rights: only its pages without parameters are
    /// tried (nothing changes), and they must not refuse it.
    Own,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Class {
    /// Needs a secret key.
    Api,
    /// Needs the operator token.
    Operator,
    /// Open to anyone (`security: []`): public survey responses.
    ApiPublic,
    /// Publishable keys may use it: sending touchpoints.
    ApiSend,
    Ui(Access),
}

impl Class {
    /// Open to anyone: no object behind it belongs to the caller's provider or another's.
    fn open(self) -> bool {
        matches!(
            self,
            Class::ApiPublic | Class::Ui(Access::Public | Access::SurveyLink)
        )
    }
}

/// Every route that is not simply "a secret key" (API) or "signed in" (UI): a route
/// that becomes open, or stops being so, must change this list.
const NOT_DEFAULT: &[(&str, &str, Class)] = &[
    ("POST", "/api/v1/providers", Class::Operator),
    ("GET", "/api/v1/providers", Class::Operator),
    ("POST", "/api/v1/networks", Class::Operator),
    ("POST", "/api/v1/touchpoints", Class::ApiSend),
    ("POST", "/api/v1/touchpoints/batch", Class::ApiSend),
    ("POST", "/tracking/v1/{call}", Class::ApiSend),
    ("POST", "/api/v1/surveys/{id}/responses", Class::ApiPublic),
    (
        "PUT",
        "/api/v1/surveys/{id}/responses/{response}",
        Class::ApiPublic,
    ),
    ("GET", "/", Class::Ui(Access::Public)),
    ("GET", "/sign-in", Class::Ui(Access::Public)),
    ("POST", "/sign-in", Class::Ui(Access::Public)),
    ("POST", "/sign-out", Class::Ui(Access::Public)),
    ("GET", "/lang", Class::Ui(Access::Public)),
    (
        "GET",
        "/sign-in/invitation/{link}",
        Class::Ui(Access::Public),
    ),
    (
        "POST",
        "/sign-in/invitation/{link}",
        Class::Ui(Access::Public),
    ),
    ("GET", "/sign-in/reset", Class::Ui(Access::Public)),
    ("POST", "/sign-in/reset", Class::Ui(Access::Public)),
    ("GET", "/sign-in/reset/{link}", Class::Ui(Access::Public)),
    ("POST", "/sign-in/reset/{link}", Class::Ui(Access::Public)),
    ("GET", "/static/app.css", Class::Ui(Access::Public)),
    ("GET", "/static/live.js", Class::Ui(Access::Public)),
    ("GET", "/static/coding.js", Class::Ui(Access::Public)),
    ("GET", "/me/sign-in", Class::Ui(Access::Public)),
    ("POST", "/me/sign-in", Class::Ui(Access::Public)),
    ("POST", "/me/code", Class::Ui(Access::Public)),
    ("POST", "/me/sign-out", Class::Ui(Access::Public)),
    ("GET", "/me", Class::Ui(Access::Person)),
    ("POST", "/me/preferences", Class::Ui(Access::Person)),
    ("POST", "/me/consents", Class::Ui(Access::Person)),
    ("GET", "/me/export.json", Class::Ui(Access::Person)),
    ("GET", "/me/export/{table}", Class::Ui(Access::Person)),
    ("POST", "/me/grants", Class::Ui(Access::Person)),
    ("POST", "/me/grants/{id}/revoke", Class::Ui(Access::Person)),
    ("POST", "/me/rectifications", Class::Ui(Access::Person)),
    ("POST", "/me/erase", Class::Ui(Access::Person)),
    ("GET", "/s/{id}", Class::Ui(Access::SurveyLink)),
    ("POST", "/s/{id}", Class::Ui(Access::SurveyLink)),
    ("GET", "/s/{id}/r/{response}", Class::Ui(Access::SurveyLink)),
    (
        "POST",
        "/s/{id}/r/{response}",
        Class::Ui(Access::SurveyLink),
    ),
];

/// One route: method, path as the server mounts it, and its class.
struct Route {
    method: String,
    path: String,
    class: Class,
}

/// The API's routes, read from the document the server serves.
async fn api_routes(app: &App) -> Vec<Route> {
    let doc: Value = app.openapi().await;
    let mut routes = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let security = op["security"].as_array().map(|s| {
                s.iter()
                    .flat_map(|o| o.as_object().unwrap().keys().cloned())
                    .collect::<Vec<_>>()
            });
            let path = path.to_string();
            let method = method.to_uppercase();
            let class = match security.as_deref() {
                Some([]) => Class::ApiPublic,
                Some(s) if s.contains(&"operator_token".to_string()) => Class::Operator,
                _ if method == "POST"
                    && (path.starts_with("/api/v1/touchpoints") && !path.contains('{')
                        || path.starts_with("/tracking/")) =>
                {
                    Class::ApiSend
                }
                _ => Class::Api,
            };
            routes.push(Route {
                method,
                path,
                class,
            });
        }
    }
    routes
}

fn ui_routes() -> Vec<Route> {
    ROUTES
        .iter()
        .map(|r| Route {
            method: r.method.to_string(),
            path: r.path.to_string(),
            class: Class::Ui(r.access),
        })
        .collect()
}

/// The kind of object a path parameter names, from its name and where it stands.
fn kind(path: &str, param: &str) -> &'static str {
    let first = path
        .trim_start_matches("/api/v1")
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("");
    match (first, param) {
        (_, "attachment") => "attachment",
        (_, "coding") => "coding",
        (_, "response") => "response",
        (_, "story") => "story",
        (_, "moment") => "moment",
        (_, "stance") => "stance",
        (_, "observation") => "observation",
        (_, "project") | ("projects" | "research", "id") => "project",
        (_, "form") => "form",
        (_, "document") => "document",
        (_, "action") => "action",
        (_, "call") => "call",
        (_, "table") => "table",
        (_, "link") => "link",
        ("staff", "id") => "user",
        ("surveys" | "s", "id") => "survey",
        ("profiles", "id" | "other") => "profile",
        ("persons", "id") => "person",
        ("networks", "id") => "network",
        ("segments", "id") => "segment",
        ("contact-decisions", "id") => "contact",
        ("me", "id") => "grant",
        ("rectification-requests", "id") => "rectification",
        ("touchpoints", "id") => "touchpoint",
        ("quarantine", "id") => "quarantine",
        ("api-keys", "id") => "key",
        _ => panic!("the matrix does not know what {{{param}}} in {path} names"),
    }
}

/// Names, not objects: the same in both attempts.
const NAMES: &[(&str, &str)] = &[
    ("form", "story"),
    ("document", "strategy.html"),
    ("action", "question"),
    ("call", "batch"),
    ("table", "touchpoints.csv"),
    ("link", "mp_invite_nothing"),
];

/// The names of a path's parameters.
fn params(path: &str) -> impl Iterator<Item = &str> {
    path.split('{').skip(1).filter_map(|p| p.split('}').next())
}

/// `path` with each parameter replaced: by A's object, or (fresh) by a new id.
fn fill(path: &str, world: &World, fresh: bool) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let close = rest.find('}').unwrap();
        out.push_str(&rest[..open]);
        let param = &rest[open + 1..close];
        let kind = kind(path, param);
        match NAMES.iter().find(|(k, _)| *k == kind) {
            Some((_, name)) => out.push_str(name),
            None if fresh => out.push_str(&uuid::Uuid::now_v7().to_string()),
            None => out.push_str(&world.objects[kind]),
        }
        rest = &rest[close + 1..];
    }
    out + rest
}

/// Status and body, with ids of the request's path put back as `{…}`, so two answers
/// about different ids compare.
async fn answer(
    world: &World,
    caller: &Caller,
    session: &Session,
    method: &str,
    path: &str,
) -> (StatusCode, String, String) {
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = world
        .http
        .request(method, format!("{}{path}", world.app.base));
    req = (caller.dress)(world, req, session);
    let req = match (caller.form)(session) {
        Some(form) => req
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form),
        None => req.header("content-type", "application/json").body("{}"),
    };
    let r = req.send().await.unwrap();
    let status = r.status();
    let location = r
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or("")
        .to_string();
    let mut body = r.text().await.unwrap();
    for segment in path.split('/') {
        if uuid::Uuid::parse_str(segment).is_ok() {
            body = body.replace(segment, "{…}");
        }
    }
    (status, body, location)
}

/// The start of an answer's body, on one line.
fn short(body: &str) -> String {
    body.chars()
        .take(160)
        .collect::<String>()
        .replace('\n', " ")
}

/// Everything A has, as A's key reads it: equal before and after means nothing changed.
async fn fingerprint(world: &World) -> String {
    let o = &world.objects;
    let mut all = String::new();
    for path in [
        "/projects".to_string(),
        format!("/projects/{}", o["project"]),
        "/surveys".to_string(),
        format!("/surveys/{}", o["survey"]),
        format!("/surveys/{}/responses", o["survey"]),
        format!("/surveys/{}/codings", o["survey"]),
        "/codebook".to_string(),
        "/touchpoints?limit=1000".to_string(),
        "/profiles".to_string(),
        "/quarantine".to_string(),
        "/event-names".to_string(),
        "/api-keys".to_string(),
        "/providers/me".to_string(),
    ] {
        let r = world.app.get(&world.a_key, &path).await;
        all += &format!("{path} {}\n{}\n", r.status(), r.text().await.unwrap());
    }
    all
}

/// Signs in through the sign-in form, as a browser does.
async fn sign_in(world: &World, email: &str) -> SignedIn {
    let page_of = |path: &str, cookie: &str| {
        world
            .http
            .get(format!("{}{path}", world.app.base))
            .header("cookie", cookie)
            .send()
    };
    let cookie_named = |r: &reqwest::Response, name: &str| {
        r.headers()
            .get_all("set-cookie")
            .iter()
            .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_string())
            .find(|c| c.starts_with(&format!("{name}=")))
            .unwrap_or_else(|| panic!("no cookie {name}"))
    };
    let form = page_of("/sign-in", "").await.unwrap();
    let form_cookie = cookie_named(&form, "motesplats_sign_in_form");
    let token = form_token(&form.text().await.unwrap());
    let r = world
        .http
        .post(format!("{}/sign-in", world.app.base))
        .header("cookie", &form_cookie)
        .form(&[("email", email), ("password", PASSWORD), ("_csrf", &token)])
        .send()
        .await
        .unwrap();
    let cookie = cookie_named(&r, "motesplats_session");
    let dashboard = page_of("/dashboard", &cookie).await.unwrap();
    let token = form_token(&dashboard.text().await.unwrap());
    SignedIn { cookie, token }
}

/// A's users of each role below admin, signed in by sessions the store makes: the
/// sign-in form's limit per client address is kept for the callers' own attempts.
async fn role_sessions(world: &World) -> Vec<(Role, SignedIn)> {
    let mut sessions = Vec::new();
    for (role, _) in &world.staff {
        sessions.push((*role, role_session(world, *role).await));
    }
    sessions
}

async fn role_session(world: &World, role: Role) -> SignedIn {
    let user = world.staff.iter().find(|(r, _)| *r == role).unwrap().1;
    let token = new_token("mp_session_");
    let until = Utc::now() + Duration::hours(1);
    world
        .app
        .store
        .create_session(user, sha256(&token), until)
        .await
        .unwrap();
    let cookie = format!("motesplats_session={token}");
    let home = world
        .http
        .get(format!("{}{}", world.app.base, roles::home(role)))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(
        home.status(),
        StatusCode::OK,
        "{role:?} sees its first page"
    );
    let token = form_token(&home.text().await.unwrap());
    SignedIn { cookie, token }
}

/// A person who verified an address no provider holds, signed in with the code the
/// outbox kept.
async fn person_sign_in(world: &World) -> SignedIn {
    let mut browser = super::ui::Browser::new(&world.app.base);
    let r = browser
        .sign_in_person("matris@example.se", &world.app.deliver)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "the person signs in");
    SignedIn {
        cookie: browser.cookie_header(),
        token: browser.token().to_string(),
    }
}

/// The id a creation answered: its own, or that of the object it wraps.
fn id_in(v: &Value) -> String {
    v["id"]
        .as_str()
        .or_else(|| v.as_object()?.values().find_map(|c| c["id"].as_str()))
        .unwrap_or_else(|| panic!("no id in {v}"))
        .to_string()
}

/// A with one object of every kind, B with a key and a user.
async fn world(app: App) -> World {
    let a_key = app.provider("Kaféet A").await;
    let b_key = app.provider("Butiken B").await;
    let admin = app
        .user_as(&a_key, "a@a.example", PASSWORD, Role::Admin)
        .await;
    app.user(&b_key, "b@b.example", PASSWORD).await;
    let mut staff = Vec::new();
    for role in [Role::Analyst, Role::Support, Role::Staff] {
        let email = format!("{}@a.example", role.as_str());
        staff.push((role, app.user_as(&a_key, &email, PASSWORD, role).await.id));
    }
    let mut objects = BTreeMap::new();
    objects.insert("user", admin.id.to_string());
    let created = |r: reqwest::Response| async move {
        assert!(r.status().is_success(), "setup: {}", r.status());
        r.json::<Value>().await.unwrap()
    };

    let r = app
        .post(
            &a_key,
            "/api-keys",
            json!({"label": "web", "kind": "publishable", "origins": ["https://a.example"]}),
        )
        .await;
    let key = created(r).await;
    let a_publishable = key["token"].as_str().unwrap().to_string();
    objects.insert("key", id_in(&key));

    let r = app
        .http
        .put(format!("{}/api/v1/event-names", app.base))
        .bearer_auth(&a_key)
        .json(&json!({"kinds": {"Bord bokat": "table_booking"}, "default_channel": "store"}))
        .send()
        .await
        .unwrap();
    created(r).await;

    let r = app
        .post(
            &a_key,
            "/touchpoints",
            json!({
                "event_id": "matrix-1", "identifiers": [{"kind": "customer_number", "value": "K1"}],
                "channel": "store", "kind": "purchase", "occurred_at": "2026-11-20T12:00:00Z"
            }),
        )
        .await;
    objects.insert("touchpoint", id_in(&created(r).await));
    // Placed by the background stitcher.
    for _ in 0..100 {
        let profiles: Value = app.get(&a_key, "/profiles").await.json().await.unwrap();
        if let Some(p) = profiles["items"].get(0) {
            objects.insert("profile", p["id"].as_str().unwrap().to_string());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        objects.contains_key("profile"),
        "setup: the touchpoint was never placed"
    );
    let persons: Value = app.get(&a_key, "/persons").await.json().await.unwrap();
    objects.insert(
        "person",
        persons["items"][0]["id"].as_str().unwrap().to_string(),
    );

    let r = app
        .post_raw(
            &a_key,
            "/touchpoints/batch",
            "application/json",
            r#"[{"event_id": "bad"}]"#,
        )
        .await;
    created(r).await;
    let held: Value = app.get(&a_key, "/quarantine").await.json().await.unwrap();
    objects.insert(
        "quarantine",
        held["items"][0]["id"].as_str().unwrap().to_string(),
    );

    let r = app
        .post(
            &a_key,
            "/projects",
            json!({"title": "Torget", "members": [
                {"name": "Lena", "role": "lead"}, {"name": "Olle", "role": "observer"}
            ]}),
        )
        .await;
    let v1 = created(r).await;
    let project = id_in(&v1);
    let (lena, olle) = (
        &v1["project"]["members"][0]["id"],
        &v1["project"]["members"][1]["id"],
    );
    let r = app
        .http
        .post(format!(
            "{}/api/v1/projects/{project}/attachments",
            app.base
        ))
        .query(&[("name", "foto.png")])
        .bearer_auth(&a_key)
        .header("content-type", "image/png")
        .header("if-match", "\"1\"")
        .body(super::attachments::TINY_PNG.to_vec())
        .send()
        .await
        .unwrap();
    objects.insert("attachment", id_in(&created(r).await["attachment"]));
    // Each change names the version it was made against.
    let mut version = 2;
    let mut change = async |what: &str, body: Value| {
        let r = app
            .http
            .post(format!("{}/api/v1/projects/{project}/{what}", app.base))
            .bearer_auth(&a_key)
            .header("if-match", format!("\"{version}\""))
            .json(&body)
            .send()
            .await
            .unwrap();
        version += 1;
        created(r).await["project"].clone()
    };
    let p = change(
        "stories",
        json!({"teller": lena, "purchase": "Kaffe", "moments": [
            {"phase": "before", "text": "Stängt när jag kom", "valence": "negative"}
        ]}),
    )
    .await;
    objects.insert("story", id_in(&p["stories"][0]));
    let p = change("moments", json!({"phase": "during", "title": "Betala"})).await;
    let moment = id_in(&p["moments"][0]);
    let p = change(
        &format!("moments/{moment}/stances"),
        json!({"perspective": "customer", "stance": "dislike"}),
    )
    .await;
    objects.insert("stance", id_in(&p["moments"][0]["stances"][0]));
    objects.insert("moment", moment);
    let p = change(
        "observation-rounds",
        json!({"name": "Vecka 11", "observers": [olle],
        "starts_on": "2026-03-09", "ends_on": "2026-03-15"}),
    )
    .await;
    let round = p["observation_rounds"][0]["id"].clone();
    let p = change(
        "observations",
        json!({"round_id": round, "observer": olle,
        "observed_on": "2026-03-14", "answers": {"situation": "Kund fotar skylten"}}),
    )
    .await;
    objects.insert("observation", id_in(&p["observations"][0]));
    objects.insert("project", project);

    let survey = app
        .open_survey(&a_key, super::surveys::analysed_survey())
        .await;
    let r = app
        .http
        .post(format!("{}/api/v1/surveys/{survey}/responses", app.base))
        .json(&json!({"answers": {"welcome": 4, "comment": "Trevlig personal"}}))
        .send()
        .await
        .unwrap();
    let response = id_in(&created(r).await);
    let r = app
        .post(
            &a_key,
            &format!("/surveys/{survey}/codings"),
            json!({
                "response_id": response, "question": "comment", "start": 0, "end": 8,
                "code": "stance.like", "coder": "Anna"
            }),
        )
        .await;
    objects.insert("coding", id_in(&created(r).await));
    objects.insert("response", response);
    objects.insert("survey", survey);

    // A town centre of A alone, sharing everything it can: B is outside it.
    let me: Value = app.get(&a_key, "/providers/me").await.json().await.unwrap();
    let r = app
        .http
        .post(format!("{}/api/v1/networks", app.base))
        .bearer_auth(super::OPERATOR)
        .json(&json!({"name": "A:s centrum", "members": [me["id"]],
                      "shares": ["journey_figures", "channel_flows", "aggregate_counts"]}))
        .send()
        .await
        .unwrap();
    objects.insert("network", id_in(&created(r).await));

    let r = app
        .post(
            &a_key,
            "/segments",
            json!({"name": "Stamgäster", "rules": {"traits": [{"key": "tier", "value": "gold"}]}}),
        )
        .await;
    objects.insert("segment", id_in(&created(r).await));

    // An urgent service message passes quiet hours: A holds a contact at any hour.
    let r = app
        .post(
            &a_key,
            "/contact-decisions",
            json!({"profile_id": objects["profile"], "channel": "sms", "purpose": "service", "urgency": "urgent"}),
        )
        .await;
    let decision = created(r).await;
    objects.insert(
        "contact",
        decision["decision_id"].as_str().unwrap().to_string(),
    );
    // A customer of both lets B read her touchpoints at A: B tries A's data holding
    // a grant, and the grant is an object only she may revoke.
    app.profile_with_email(&a_key, "grete@example.se").await;
    app.profile_with_email(&b_key, "grete@example.se").await;
    let email = motesplats_core::Identifier::parse(
        motesplats_core::IdentifierKind::Email,
        "grete@example.se",
        "SE",
    )
    .unwrap();
    let account = app.store.verify_identifier(email, None).await.unwrap();
    let provider_of = |key: &str| {
        let app = &app;
        let key = key.to_string();
        async move {
            let me: Value = app.get(&key, "/providers/me").await.json().await.unwrap();
            me["id"].as_str().unwrap().to_string()
        }
    };
    let now = chrono::Utc::now();
    let grant = motesplats_core::consent::GrantInput {
        holder: Some(provider_of(&a_key).await),
        reader: Some(provider_of(&b_key).await),
        categories: Some(vec!["identifiers".into(), "touchpoints".into()]),
        purpose: Some("personalisation".into()),
        until: Some((now.date_naive() + chrono::Days::new(30)).to_string()),
        consent: Some(true),
    }
    .parse(now, chrono_tz::Europe::Stockholm)
    .unwrap();
    let grant = app.store.create_grant(account, grant, now).await.unwrap();
    objects.insert("grant", grant.id.to_string());
    let asked = motesplats_core::consent::RectificationInput {
        provider: Some(provider_of(&a_key).await),
        wrong: Some("Fel namn".into()),
        right: Some("Grete".into()),
    }
    .parse()
    .unwrap();
    let asked = app
        .store
        .request_rectification(account, asked, now)
        .await
        .unwrap();
    objects.insert("rectification", asked.id.to_string());
    World {
        app,
        a_key,
        a_publishable,
        b_key,
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        objects,
        staff,
    }
}

async fn run_matrix(app: App) {
    let world = world(app).await;
    let mut routes = api_routes(&world.app).await;
    let api_count = routes.len();
    routes.extend(ui_routes());
    let ui_count = routes.len() - api_count;
    let mut not_default: Vec<_> = routes
        .iter()
        .filter(|r| !matches!(r.class, Class::Api | Class::Ui(Access::Staff(_))))
        .map(|r| (r.method.as_str(), r.path.as_str(), r.class))
        .collect();
    not_default.sort_by_key(|(m, p, _)| (*p, *m));
    let mut listed = NOT_DEFAULT.to_vec();
    listed.sort_by_key(|(m, p, _)| (*p, *m));
    assert_eq!(
        not_default, listed,
        "the routes open to more than their own provider differ from NOT_DEFAULT"
    );
    // Every kind of object A owns is named by some route; a kind none names is stale.
    for owned in world.objects.keys() {
        assert!(
            routes
                .iter()
                .any(|r| params(&r.path).any(|p| kind(&r.path, p) == *owned)),
            "no route takes A's {owned}"
        );
    }
    let ids: Vec<&String> = world.objects.values().collect();
    let before = fingerprint(&world).await;
    let mut attempts = 0;
    let mut failures = Vec::new();
    let mut session = Session::open(&world).await;
    for caller in CALLERS {
        for route in &routes {
            if caller
                .methods
                .is_some_and(|m| !m.contains(&route.method.as_str()))
            {
                continue;
            }
            let expected = (caller.expect)(route.class);
            if expected == Own && (route.method != "GET" || route.path.contains('{')) {
                continue;
            }
            let real = fill(&route.path, &world, false);
            let (status, body, location) =
                answer(&world, caller, &session, &route.method, &real).await;
            attempts += 1;
            if route.path == "/sign-out" || route.path == "/me/sign-out" {
                // The sign-out may have worked: the next attempts get live sessions again.
                session.renew(&world).await;
            }
            let what = format!("{} {} by {}", route.method, route.path, caller.name);
            let mut fail = |why: String| failures.push(format!("{what}: {why}"));
            if status.is_server_error() {
                fail(format!("answered {status}"));
            }
            match expected {
                Expect::Refused => {
                    let to_sign_in = status.is_redirection()
                        && (location == "/sign-in" || location == "/me/sign-in");
                    if !(status == StatusCode::UNAUTHORIZED
                        || status == StatusCode::FORBIDDEN
                        || to_sign_in)
                    {
                        fail(format!("not refused: {status} {location}"));
                    }
                }
                Expect::Forbidden => {
                    if status != StatusCode::FORBIDDEN {
                        fail(format!(
                            "a cross-site post answered {status} {location}, not 403"
                        ));
                    }
                }
                Expect::Own => {
                    let refused = status == StatusCode::UNAUTHORIZED
                        || status == StatusCode::FORBIDDEN
                        || status.is_redirection() && location == "/sign-in";
                    if refused {
                        fail(format!("refused its own right: {status} {location}"));
                    }
                    continue;
                }
                Expect::NothingOfA => {}
            }
            if let Some(id) = ids.iter().find(|id| body.contains(id.as_str())) {
                fail(format!("the answer carries A's id {id}"));
            }
            // On another tenant's object: the same answer as for an object that does not exist.
            if route.path.contains('{') && expected != Expect::Forbidden && !route.class.open() {
                let missing = fill(&route.path, &world, true);
                let (m_status, m_body, m_location) =
                    answer(&world, caller, &session, &route.method, &missing).await;
                attempts += 1;
                if (status, &body, &location) != (m_status, &m_body, &m_location) {
                    fail(format!(
                        "tells A's object from a missing one: {status} {location} {} vs {m_status} {m_location} {}",
                        short(&body),
                        short(&m_body)
                    ));
                }
            }
        }
    }
    let after = fingerprint(&world).await;
    if before != after {
        failures.push("A's data changed during the matrix".to_string());
    }
    println!(
        "authorisation matrix ({}): {api_count} API routes, {ui_count} UI routes, {} callers, {attempts} attempts",
        world.app.store.backend(),
        CALLERS.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

#[tokio::test]
async fn every_route_keeps_tenants_apart_on_sqlite() {
    run_matrix(spawn_app().await).await;
}

#[tokio::test]
async fn every_route_keeps_tenants_apart_on_postgres() {
    if let Some(app) = spawn_app_on_postgres("every_route_keeps_tenants_apart_on_postgres").await {
        run_matrix(app).await;
    }
}
