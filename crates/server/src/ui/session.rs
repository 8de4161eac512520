//! Signing in and out of the web UI. The session cookie holds a random token; the
//! database holds only its SHA-256. Cookies are HttpOnly and SameSite=Lax, so other
//! sites can neither read them nor post forms with them.

use super::Shell;
use super::i18n::Lang;
use crate::auth::{new_token, sha256, verify_password};
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use chrono::{Duration, Utc};
use motesplats_core::Provider;
use motesplats_store::User;
use serde::Deserialize;

pub const COOKIE: &str = "motesplats_session";
const LIFETIME: Duration = Duration::hours(12);

/// A signed-in provider user; pages that need one redirect to the sign-in page.
pub struct SignedIn {
    pub user: User,
    pub provider: Provider,
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let to_sign_in = || Redirect::to("/sign-in").into_response();
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar.get(COOKIE).ok_or_else(to_sign_in)?.value().to_string();
        let found = async {
            let Some(user) = state.store.session_user(sha256(&token), Utc::now()).await? else {
                return Ok(None);
            };
            let provider = state.store.provider(user.provider_id).await?;
            Ok::<_, ApiError>(provider.map(|provider| SignedIn { user, provider }))
        };
        match found.await {
            Ok(Some(signed_in)) => Ok(signed_in),
            Ok(None) => Err(to_sign_in()),
            Err(e) => Err(e.into_response()),
        }
    }
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    shell: Shell,
    email: String,
    failed: bool,
}

pub async fn form(lang: Lang) -> Result<Html<String>, ApiError> {
    render(lang, String::new(), false)
}

fn render(lang: Lang, email: String, failed: bool) -> Result<Html<String>, ApiError> {
    let page = SignInPage {
        shell: Shell::anonymous(lang, "/sign-in"),
        email,
        failed,
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
    jar: CookieJar,
    Form(form): Form<Credentials>,
) -> Result<Response, ApiError> {
    let user = state
        .store
        .user_by_email(&form.email)
        .await?
        .filter(|(_, hash)| verify_password(&form.password, hash))
        .map(|(user, _)| user);
    let Some(user) = user else {
        let page = render(lang, form.email, true)?;
        return Ok((StatusCode::UNAUTHORIZED, page).into_response());
    };
    let token = new_token("mp_session_");
    state
        .store
        .create_session(user.id, sha256(&token), Utc::now() + LIFETIME)
        .await?;
    let cookie = Cookie::build((COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .build();
    Ok((jar.add(cookie), Redirect::to("/dashboard")).into_response())
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
