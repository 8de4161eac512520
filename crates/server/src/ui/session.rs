//! Signing in and out of the web UI. The session cookie holds a random token; the
//! database holds only its SHA-256. Cookies are HttpOnly and SameSite=Lax (and Secure
//! over HTTPS); forms carry a token besides (`csrf`). Guessing is slowed by
//! `throttle`; every e-mail costs one Argon2 check, known or not, so the time of
//! an answer tells nothing about which addresses have accounts.

use super::Shell;
use super::csrf;
use super::i18n::Lang;
use super::roles;
use crate::auth::{hash_password, new_token, sha256, verify_password};
use crate::client::Client;
use crate::error::ApiError;
use crate::state::AppState;
use crate::ui::i18n::Messages;
use askama::Template;
use axum::Form;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use chrono::{Duration, Utc};
use motesplats_core::Provider;
use motesplats_store::User;
use serde::Deserialize;
use std::sync::LazyLock;
use std::time::Duration as StdDuration;

pub const COOKIE: &str = "motesplats_session";
const LIFETIME: Duration = Duration::hours(12);

/// Checked when no account has the e-mail, so that costs what a wrong password does.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password(&new_token("mp_dummy_")).unwrap_or_default());

/// A signed-in provider user whose role may use the page: `roles::guard` checks both
/// before any handler runs and hands the user on.
#[derive(Clone)]
pub struct SignedIn {
    pub user: User,
    pub provider: Provider,
    /// The token this sign-in's forms carry.
    pub form_token: String,
}

impl SignedIn {
    /// The user of the request's session; without one, a redirect to the sign-in page.
    pub(super) async fn load(parts: &Parts, state: &AppState) -> Result<Self, Response> {
        let to_sign_in = || Redirect::to("/sign-in").into_response();
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar.get(COOKIE).ok_or_else(to_sign_in)?.value().to_string();
        let found = async {
            let Some(user) = state.store.session_user(sha256(&token), Utc::now()).await? else {
                return Ok(None);
            };
            let provider = state.store.provider(user.provider_id).await?;
            Ok::<_, ApiError>(provider.map(|provider| SignedIn {
                user,
                provider,
                form_token: csrf::session_token(&token),
            }))
        };
        match found.await {
            Ok(Some(signed_in)) => Ok(signed_in),
            Ok(None) => Err(to_sign_in()),
            Err(e) => Err(e.into_response()),
        }
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    /// Only a route the table marks as a staff page has one; any other route that
    /// asks is a mistake in the table, refused rather than let through.
    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Response> {
        parts.extensions.remove::<SignedIn>().ok_or_else(|| {
            ApiError::Internal("a handler of a route not marked Staff asks for the user".into())
                .into_response()
        })
    }
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    shell: Shell,
    token: String,
    email: String,
    /// Why the last attempt did not sign in.
    problem: Option<String>,
}

pub async fn form(
    State(state): State<AppState>,
    lang: Lang,
    client: Client,
    jar: CookieJar,
) -> Result<Response, ApiError> {
    let (jar, token) = csrf::pre_sign_in(&state, csrf::Door::Staff, jar, client.https);
    Ok((jar, render(lang, token, String::new(), None)?).into_response())
}

fn render(
    lang: Lang,
    token: String,
    email: String,
    problem: Option<String>,
) -> Result<Html<String>, ApiError> {
    let page = SignInPage {
        shell: Shell::anonymous(lang, "/sign-in"),
        token,
        email,
        problem,
    };
    Ok(Html(
        page.render()
            .map_err(|e| ApiError::Internal(e.to_string()))?,
    ))
}

#[derive(Deserialize)]
pub struct Credentials {
    email: String,
    password: String,
}

pub async fn sign_in(
    State(state): State<AppState>,
    lang: Lang,
    client: Client,
    jar: CookieJar,
    Form(form): Form<Credentials>,
) -> Result<Response, ApiError> {
    let (jar, token) = csrf::pre_sign_in(&state, csrf::Door::Staff, jar, client.https);
    if let Err(wait) = state.sign_in.attempt_from(client.limited_as()) {
        let seconds = whole_seconds(wait);
        let problem = lang.t_with("sign-in-too-many", &[("seconds", seconds as i64)]);
        let page = render(lang, token, form.email, Some(problem))?;
        let retry_after = [(header::RETRY_AFTER, seconds.to_string())];
        return Ok((StatusCode::TOO_MANY_REQUESTS, retry_after, jar, page).into_response());
    }
    tokio::time::sleep(state.sign_in.delay_for(&form.email)).await;
    let (user, hash) = match state.store.user_by_email(&form.email).await? {
        Some((user, hash)) => (Some(user), Some(hash)),
        None => (None, None),
    };
    let right = password_matches(&state, form.password, hash).await?;
    let Some(user) = user.filter(|_| right) else {
        state.sign_in.failed(&form.email);
        let page = render(lang, token, form.email, Some(lang.t("sign-in-failed")))?;
        return Ok((StatusCode::UNAUTHORIZED, jar, page).into_response());
    };
    state.sign_in.succeeded(&form.email);
    open(&state, jar, &user, client.https).await
}

/// Opens a session for `user` and goes to their first page.
pub(super) async fn open(
    state: &AppState,
    jar: CookieJar,
    user: &User,
    https: bool,
) -> Result<Response, ApiError> {
    let token = new_token("mp_session_");
    state
        .store
        .create_session(user.id, sha256(&token), Utc::now() + LIFETIME)
        .await?;
    let cookie = session_cookie(state, COOKIE, token, https);
    Ok((jar.add(cookie), Redirect::to(roles::home(user.role))).into_response())
}

/// A session cookie (a provider user's or a person's): HttpOnly, SameSite=Lax,
/// Secure over HTTPS.
pub(super) fn session_cookie(
    state: &AppState,
    name: &'static str,
    token: String,
    https: bool,
) -> Cookie<'static> {
    Cookie::build((name, token))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.cookie_secure.for_https(https))
        .path("/")
        .build()
}

/// Seconds to wait, rounded up, at least one.
pub(super) fn whole_seconds(wait: StdDuration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

/// Checks the password on a blocking thread, against the dummy hash when there is
/// no account, waiting for a free hashing slot first.
pub(super) async fn password_matches(
    state: &AppState,
    password: String,
    hash: Option<String>,
) -> Result<bool, ApiError> {
    let slot = state
        .sign_in
        .hashing
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    // The slot goes with the hash: a client that hangs up does not free it early.
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        verify_password(&password, hash.as_deref().unwrap_or(&DUMMY_HASH))
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))
}

pub async fn sign_out(State(state): State<AppState>, jar: CookieJar) -> Result<Response, ApiError> {
    if let Some(c) = jar.get(COOKIE) {
        state.store.delete_session(sha256(c.value())).await?;
    }
    Ok((
        jar.remove(Cookie::build(COOKIE).path("/")),
        Redirect::to("/sign-in"),
    )
        .into_response())
}
