//! The browser session under attack: password guessing at the sign-in form, forms
//! posted from other sites, the language switch as a redirector, cookies over
//! HTTPS, the headers of pages, and what the logs keep.

use super::ui::{Browser, form_token};
use super::{App, OPERATOR, spawn_app, spawn_with};
use motesplats_server::AppState;
use motesplats_server::client::TrustedProxies;
use motesplats_server::state::CookieSecure;
use reqwest::redirect::Policy;
use reqwest::{Client, StatusCode};
use serde_json::Value;
use std::time::{Duration, Instant};

/// The server as if behind a reverse proxy on 127.0.0.1, so a test can be any
/// client address (X-Forwarded-For) and arrive over HTTPS (X-Forwarded-Proto).
async fn behind_proxy(secure: CookieSecure) -> App {
    let dir = tempfile::tempdir().unwrap();
    let store = motesplats_store::open(dir.path().join("api.db").to_str().unwrap())
        .await
        .unwrap();
    let state = AppState::new(store.clone(), Some(OPERATOR))
        .with_trusted_proxies(TrustedProxies::new(vec!["127.0.0.1".parse().unwrap()]))
        .with_cookie_secure(secure);
    spawn_with(state, store, dir).await
}

fn client() -> Client {
    Client::builder().redirect(Policy::none()).build().unwrap()
}

/// A sign-in form as a browser holds it: its cookie and its token.
struct SignInForm {
    cookie: String,
    token: String,
}

async fn open_sign_in(app: &App) -> SignInForm {
    let r = client()
        .get(format!("{}/sign-in", app.base))
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    SignInForm {
        cookie,
        token: form_token(&r.text().await.unwrap()),
    }
}

/// One sign-in attempt from the client address `from`.
async fn attempt(
    app: &App,
    form: &SignInForm,
    from: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    client()
        .post(format!("{}/sign-in", app.base))
        .header("cookie", &form.cookie)
        .header("x-forwarded-for", from)
        .header("accept-language", "sv")
        .form(&[
            ("email", email),
            ("password", password),
            ("_csrf", &form.token),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_unknown_e_mail_costs_what_a_known_one_does() {
    let app = behind_proxy(CookieSecure::Auto).await;
    let key = app.provider("Kafé Torget").await;
    const TRIES: usize = 9;
    for i in 0..TRIES {
        app.user(&key, &format!("anna{i}@kafe.example"), "rätt lösenord")
            .await;
    }
    let form = open_sign_in(&app).await;
    // The first unknown e-mail also makes the dummy hash once; not measured.
    attempt(&app, &form, "198.51.100.1", "warm@up.example", "x").await;
    // Pairs of attempts, a known and an unknown e-mail back to back, so both meet
    // the same load on the machine; each e-mail once (no delay for failures), each
    // from its own address (no limit per address).
    let mut ratios = vec![];
    let mut addresses = 10..;
    for i in 0..TRIES {
        let mut took = vec![];
        for email in [
            format!("anna{i}@kafe.example"),
            format!("ingen{i}@kafe.example"),
        ] {
            let from = format!("198.51.100.{}", addresses.next().unwrap());
            let started = Instant::now();
            let r = attempt(&app, &form, &from, &email, "fel lösenord").await;
            took.push(started.elapsed());
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        }
        eprintln!("known e-mail {:?}, unknown e-mail {:?}", took[0], took[1]);
        ratios.push(took[1].as_secs_f64() / took[0].as_secs_f64());
    }
    // Before the fix an unknown e-mail took a tenth of the time or less.
    ratios.sort_by(f64::total_cmp);
    let ratio = ratios[TRIES / 2];
    assert!(
        (0.4..=2.5).contains(&ratio),
        "median time of an unknown e-mail / a known one: {ratio:.2}; the time tells which has an account"
    );
}

#[tokio::test]
async fn one_address_guessing_is_stopped_and_told_when_to_return() {
    let app = std::sync::Arc::new(behind_proxy(CookieSecure::Auto).await);
    let key = app.provider("Kafé Torget").await;
    app.user(&key, "anna@kafe.example", "rätt lösenord").await;
    let form = std::sync::Arc::new(open_sign_in(&app).await);
    let guesser = "203.0.113.7";
    // Eleven guesses at once (so the allowance cannot refill meanwhile), other
    // e-mails each time, so only the limit per address is at work.
    let guesses: Vec<_> = (0..11)
        .map(|i| {
            let (app, form) = (app.clone(), form.clone());
            let lang = if i % 2 == 0 { "sv" } else { "en" };
            tokio::spawn(async move {
                let r = client()
                    .post(format!("{}/sign-in", app.base))
                    .header("cookie", &form.cookie)
                    .header("x-forwarded-for", guesser)
                    .header("accept-language", lang)
                    .form(&[
                        ("email", format!("gissning{i}@kafe.example").as_str()),
                        ("password", "x"),
                        ("_csrf", &form.token),
                    ])
                    .send()
                    .await
                    .unwrap();
                let retry = r
                    .headers()
                    .get("retry-after")
                    .map(|v| v.to_str().unwrap().to_string());
                let session = r
                    .headers()
                    .get_all("set-cookie")
                    .iter()
                    .any(|c| c.to_str().unwrap().starts_with("motesplats_session"));
                (lang, r.status(), retry, session, r.text().await.unwrap())
            })
        })
        .collect();
    let mut refused = vec![];
    for guess in guesses {
        let (lang, status, retry, session, page) = guess.await.unwrap();
        assert!(!session);
        match status {
            StatusCode::UNAUTHORIZED => {}
            StatusCode::TOO_MANY_REQUESTS => refused.push((lang, retry.unwrap(), page)),
            other => panic!("{other}"),
        }
    }
    assert_eq!(refused.len(), 1, "ten attempts a minute");
    let (lang, retry, page) = &refused[0];
    let seconds: u64 = retry.parse().unwrap();
    assert!((1..=6).contains(&seconds), "Retry-After {retry}");
    let message = match *lang {
        "sv" => format!(
            "För många inloggningsförsök från din adress. Försök igen om {seconds} sekunder."
        ),
        _ => {
            format!("Too many sign-in attempts from your address. Try again in {seconds} seconds.")
        }
    };
    assert!(page.contains(&message), "{page}");

    // The right password from there is held back too; from another address it is not.
    let r = attempt(&app, &form, guesser, "anna@kafe.example", "rätt lösenord").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let r = attempt(
        &app,
        &form,
        "203.0.113.8",
        "anna@kafe.example",
        "rätt lösenord",
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_right_password_still_signs_in_after_many_wrong_ones_only_later() {
    let app = behind_proxy(CookieSecure::Auto).await;
    let key = app.provider("Kafé Torget").await;
    app.user(&key, "anna@kafe.example", "rätt lösenord").await;
    let form = open_sign_in(&app).await;
    // Six wrong passwords, each from its own address (a spread-out attacker).
    let mut times = vec![];
    for i in 0..6 {
        let started = Instant::now();
        let r = attempt(
            &app,
            &form,
            &format!("192.0.2.{i}"),
            "anna@kafe.example",
            "fel",
        )
        .await;
        times.push(started.elapsed());
        assert_eq!(
            r.status(),
            StatusCode::UNAUTHORIZED,
            "every guess is answered"
        );
    }
    // The delay per account: 0, 0, 0, then 250 ms, 500 ms, 1 s (doubling).
    assert!(times[5] >= Duration::from_millis(1000), "{times:?}");
    assert!(
        times[5] > times[0] + Duration::from_millis(500),
        "{times:?}"
    );

    // The person herself, from her own address: let in, after 2 s.
    let started = Instant::now();
    let r = attempt(
        &app,
        &form,
        "192.0.2.200",
        "Anna@kafe.example",
        "rätt lösenord",
    )
    .await;
    let waited = started.elapsed();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "never locked out");
    assert!(waited >= Duration::from_secs(2), "{waited:?}");
    assert!(
        r.headers()
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("motesplats_session="))
    );

    // Signed in, the failures are forgotten.
    let started = Instant::now();
    let r = attempt(&app, &form, "192.0.2.201", "anna@kafe.example", "fel").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(started.elapsed() < Duration::from_secs(2));
}

async fn projects(app: &App, key: &str) -> usize {
    let listed: Vec<Value> = app.get(key, "/projects").await.json().await.unwrap();
    listed.len()
}

fn project_form(title: &str) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .text("title", title.to_string())
        .text("members.0.name", "Lena")
}

#[tokio::test]
async fn forms_from_other_sites_are_refused_and_store_nothing() {
    let app = spawn_app().await;
    let shop = app.provider("Modehuset").await;
    app.user(&shop, "lena@mode.example", "hemligt-lösen").await;
    app.user(&shop, "kim@mode.example", "hemligt-lösen").await;
    let mut lena = Browser::new(&app.base);
    lena.sign_in("lena@mode.example", "hemligt-lösen").await;
    let mut kim = Browser::new(&app.base);
    kim.sign_in("kim@mode.example", "hemligt-lösen").await;
    assert_ne!(lena.token(), kim.token(), "a token per sign-in");
    let (cookie, token) = (lena.cookie_header(), lena.token().to_string());

    // What another site's page can make Lena's browser send: her cookie, no token
    // (or one it got by signing in itself), maybe from its own origin.
    let post = |token: Option<&str>, headers: &[(&str, &str)]| {
        let mut form = project_form("Utifrån");
        if let Some(token) = token {
            form = form.text("_csrf", token.to_string());
        }
        let mut request = client()
            .post(format!("{}/research", app.base))
            .header("cookie", &cookie)
            .multipart(form);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        request.send()
    };
    let cross_site = [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
        ("accept-language", "sv"),
    ];
    let r = post(None, &cross_site).await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("skickades från en annan webbplats") && page.contains("Ingenting sparades"),
        "{page}"
    );
    let r = post(Some(&token), &cross_site).await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "even with her token");
    let r = post(Some(&token), &[("origin", "http://evil.example")])
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "an old browser's Origin");
    for token in [None, Some(kim.token()), Some("")] {
        let r = post(token, &[("accept-language", "en")]).await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "token {token:?}");
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("The form had expired or did not come from this page")
        );
    }
    assert_eq!(projects(&app, &shop).await, 0, "nothing was created");

    // The codebook import (multipart with a file) and signing out are forms too.
    let r = client()
        .post(format!("{}/codebook/import", app.base))
        .header("cookie", &cookie)
        .multipart(reqwest::multipart::Form::new().text("version", "1").part(
            "file",
            reqwest::multipart::Part::bytes(b"<CodeBook/>".to_vec()).file_name("a.qdc"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = client()
        .post(format!("{}/sign-out", app.base))
        .header("cookie", &cookie)
        .form(&[("x", "y")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        lena.get("/dashboard", "en").await.status(),
        StatusCode::OK,
        "still signed in"
    );

    // From her own page, the same form goes through.
    let r = post(
        Some(&token),
        &[("sec-fetch-site", "same-origin"), ("origin", &app.base)],
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(projects(&app, &shop).await, 1);
}

#[tokio::test]
async fn another_site_cannot_sign_a_person_in_to_its_account() {
    let app = spawn_app().await;
    let key = app.provider("Kafé Torget").await;
    app.user(&key, "angripare@kafe.example", "angriparens lösen")
        .await;
    let credentials = [
        ("email", "angripare@kafe.example"),
        ("password", "angriparens lösen"),
    ];

    // No sign-in form was opened in this browser: no cookie, no token.
    let r = client()
        .post(format!("{}/sign-in", app.base))
        .form(&credentials)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.headers().get("set-cookie").is_none(), "no session");

    // A token the attacker got from its own sign-in page, without its cookie.
    let attackers = open_sign_in(&app).await;
    let victims = open_sign_in(&app).await;
    let mut fields = credentials.to_vec();
    fields.push(("_csrf", &attackers.token));
    let r = client()
        .post(format!("{}/sign-in", app.base))
        .header("cookie", &victims.cookie)
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // A forged token does not pass either.
    fields.pop();
    fields.push(("_csrf", "99999999999.00"));
    let r = client()
        .post(format!("{}/sign-in", app.base))
        .header("cookie", &victims.cookie)
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // The form's own token with its own cookie signs in.
    let r = attempt(
        &app,
        &victims,
        "127.0.0.1",
        "angripare@kafe.example",
        "angriparens lösen",
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_language_switch_only_goes_to_paths_on_this_site() {
    let app = spawn_app().await;
    for next in [
        "/%5Cevil.example",
        "/%09/evil.example",
        "/%0a/evil.example",
        "https://evil.example",
        "//evil.example",
    ] {
        let r = client()
            .get(format!("{}/lang?to=en&next={next}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers()["location"], "/", "next={next}");
    }
    let r = client()
        .get(format!("{}/lang?to=sv&next=/surveys/1/edit", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/surveys/1/edit");
}

#[tokio::test]
async fn cookies_are_secure_over_https() {
    let app = behind_proxy(CookieSecure::Auto).await;
    let key = app.provider("Kafé Torget").await;
    app.user(&key, "anna@kafe.example", "rätt lösenord").await;
    let session_cookie = |https: bool| {
        let app = &app;
        async move {
            let form = open_sign_in(app).await;
            let mut request = client()
                .post(format!("{}/sign-in", app.base))
                .header("cookie", &form.cookie)
                .form(&[
                    ("email", "anna@kafe.example"),
                    ("password", "rätt lösenord"),
                    ("_csrf", &form.token),
                ]);
            if https {
                request = request.header("x-forwarded-proto", "https");
            }
            let r = request.send().await.unwrap();
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            r.headers()
                .get_all("set-cookie")
                .iter()
                .map(|c| c.to_str().unwrap().to_string())
                .find(|c| c.starts_with("motesplats_session="))
                .unwrap()
        }
    };
    let over_https = session_cookie(true).await;
    assert!(
        over_https.contains("Secure") && over_https.contains("HttpOnly"),
        "{over_https}"
    );
    let over_http = session_cookie(false).await;
    assert!(
        !over_http.contains("Secure"),
        "a plain-HTTP server keeps working: {over_http}"
    );

    let always = behind_proxy(CookieSecure::Always).await;
    let r = client()
        .get(format!("{}/sign-in", always.base))
        .send()
        .await
        .unwrap();
    assert!(
        r.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Secure")
    );
}

#[tokio::test]
async fn pages_forbid_framing_sniffing_and_foreign_sources() {
    let app = spawn_app().await;
    let r = client()
        .get(format!("{}/sign-in", app.base))
        .send()
        .await
        .unwrap();
    let h = r.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    for part in [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ] {
        assert!(csp.contains(part), "{csp}");
    }
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "same-origin");
    let page = r.text().await.unwrap();
    assert!(
        !page.contains("style=") && !page.contains("<script>"),
        "nothing inline the policy would block"
    );
    let r = client()
        .get(format!("{}/api/v1/providers/me", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
}

/// What the server logs, kept in memory.
#[derive(Clone, Default)]
struct Logs(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_logs_name_routes_not_the_identifiers_in_paths_and_queries() {
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter("motesplats_server=trace,tower_http=trace,axum=trace")
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // For the whole test binary (a default per thread misses events when tests run
    // in parallel); only this test looks, for its own strings.
    tracing::subscriber::set_global_default(subscriber).unwrap();
    let app = spawn_app().await;
    let key = app.provider("Kafé Torget").await;
    let r = app
        .get(
            &key,
            "/profiles?identifier_kind=email&identifier_value=hemlig.kund%40example.com",
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = client()
        .get(format!("{}/lang?to=sv&next=/s/x/r/+46701234567", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let logged = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(logged.contains("route=\"/api/v1/profiles\""), "{logged}");
    for identifier in ["hemlig.kund", "46701234567"] {
        assert!(
            !logged.contains(identifier),
            "{identifier} in the log:\n{logged}"
        );
    }
}
