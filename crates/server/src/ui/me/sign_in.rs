//! A person signs in with a one-time code: they give an e-mail address or a phone
//! number, a six-digit code goes there, and the right code within ten minutes and
//! five tries verifies that address as theirs and signs them in. Every address gets
//! a code and the same answer, so the form tells nothing about who is known.

use super::COOKIE;
use crate::auth::{new_token, sha256};
use crate::client::Client;
use crate::deliver::Message;
use crate::error::ApiError;
use crate::state::AppState;
use crate::ui::Shell;
use crate::ui::csrf::{self, Door};
use crate::ui::i18n::{Lang, Messages};
use crate::ui::session::{session_cookie, whole_seconds};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::Cookie;
use chrono::{Duration, Utc};
use motesplats_core::{Identifier, IdentifierKind};
use motesplats_store::Redeemed;
use rand::Rng;
use serde::Deserialize;

/// How long a code lives, and how many tries it has.
pub const CODE_LIFETIME: Duration = Duration::minutes(10);
pub const CODE_TRIES: u32 = 5;
/// How long a person stays signed in.
const LIFETIME: Duration = Duration::hours(12);

#[derive(Template)]
#[template(path = "me_sign_in.html")]
struct SignInPage {
    shell: Shell,
    token: String,
    address: String,
    /// Set once a code was sent: the page asks for it.
    code_sent: bool,
    problem: Option<String>,
}

fn page(status: StatusCode, jar: CookieJar, page: SignInPage) -> Result<Response, ApiError> {
    let html = page
        .render()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((status, jar, Html(html)).into_response())
}

fn sign_in_page(
    lang: Lang,
    token: String,
    address: String,
    code_sent: bool,
    problem: Option<String>,
) -> SignInPage {
    SignInPage {
        shell: Shell::anonymous(lang, "/me/sign-in"),
        token,
        address,
        code_sent,
        problem,
    }
}

pub async fn form(
    State(state): State<AppState>,
    lang: Lang,
    client: Client,
    jar: CookieJar,
) -> Result<Response, ApiError> {
    let (jar, token) = csrf::pre_sign_in(&state, Door::Person, jar, client.https);
    page(
        StatusCode::OK,
        jar,
        sign_in_page(lang, token, String::new(), false, None),
    )
}

/// An e-mail address (it has an @) or a phone number, as the person wrote it.
fn address(raw: &str) -> Result<Identifier, motesplats_core::Invalid> {
    let kind = if raw.contains('@') {
        IdentifierKind::Email
    } else {
        IdentifierKind::Phone
    };
    Identifier::parse(kind, raw, "SE")
}

#[derive(Deserialize)]
pub struct AddressForm {
    address: String,
}

fn too_many(
    lang: Lang,
    jar: CookieJar,
    sign_in: SignInPage,
    wait: std::time::Duration,
) -> Result<Response, ApiError> {
    let secs = i64::try_from(whole_seconds(wait)).unwrap_or(i64::MAX);
    let problem = lang.t_with("sign-in-too-many", &[("seconds", secs)]);
    let mut response = page(
        StatusCode::TOO_MANY_REQUESTS,
        jar,
        SignInPage {
            problem: Some(problem),
            ..sign_in
        },
    )?;
    if let Ok(v) = secs.to_string().parse() {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    Ok(response)
}

pub async fn send_code(
    State(state): State<AppState>,
    lang: Lang,
    client: Client,
    jar: CookieJar,
    Form(form): Form<AddressForm>,
) -> Result<Response, ApiError> {
    let (jar, token) = csrf::pre_sign_in(&state, Door::Person, jar, client.https);
    let again = |problem: Option<String>, sent: bool| {
        sign_in_page(lang, token.clone(), form.address.clone(), sent, problem)
    };
    if let Err(wait) = state.sign_in.attempt_from(client.limited_as()) {
        return too_many(lang, jar, again(None, false), wait);
    }
    let id = match address(form.address.trim()) {
        Ok(id) => id,
        Err(e) => {
            let problem = e.0.first().map(|f| lang.reason(&f.reason));
            return page(StatusCode::UNPROCESSABLE_ENTITY, jar, again(problem, false));
        }
    };
    if let Err(wait) = state.sign_in.code_to(&id.value) {
        return too_many(lang, jar, again(None, false), wait);
    }
    let code = format!("{:06}", rand::rng().random_range(0..1_000_000));
    state
        .store
        .issue_sign_in_code(
            id.clone(),
            sha256(&code),
            Utc::now() + CODE_LIFETIME,
            CODE_TRIES,
        )
        .await?;
    let message = Message {
        subject: lang.t("me-code-subject"),
        body: lang.t_text("me-code-body", &[("code", code)]),
    };
    if let Err(e) = state.deliver.send(&id, &message).await {
        // The transport only: a relay's answer may repeat the address.
        tracing::error!(
            transport = e.transport(),
            "a sign-in code was not delivered"
        );
        return page(
            StatusCode::SERVICE_UNAVAILABLE,
            jar,
            again(Some(lang.t("me-code-not-sent")), false),
        );
    }
    page(StatusCode::OK, jar, again(None, true))
}

#[derive(Deserialize)]
pub struct CodeForm {
    address: String,
    code: String,
}

pub async fn redeem(
    State(state): State<AppState>,
    lang: Lang,
    client: Client,
    jar: CookieJar,
    Form(form): Form<CodeForm>,
) -> Result<Response, ApiError> {
    let (jar, token) = csrf::pre_sign_in(&state, Door::Person, jar, client.https);
    let again = |problem: String, sent: bool| {
        sign_in_page(
            lang,
            token.clone(),
            form.address.clone(),
            sent,
            Some(problem),
        )
    };
    if let Err(wait) = state.sign_in.attempt_from(client.limited_as()) {
        return too_many(lang, jar, again(String::new(), true), wait);
    }
    let Ok(id) = address(form.address.trim()) else {
        return page(
            StatusCode::UNAUTHORIZED,
            jar,
            again(lang.t("me-code-gone"), false),
        );
    };
    let code: String = form.code.chars().filter(|c| !c.is_whitespace()).collect();
    // Signed in already: the address joins the same account.
    let signed_in = match jar.get(COOKIE) {
        Some(c) => {
            state
                .store
                .person_session(sha256(c.value()), Utc::now())
                .await?
        }
        None => None,
    };
    let redeemed = state
        .store
        .redeem_sign_in_code(id, sha256(&code), signed_in, Utc::now())
        .await?;
    match redeemed {
        Redeemed::Accepted(account) => {
            let session = new_token("mp_person_");
            state
                .store
                .create_person_session(account, sha256(&session), Utc::now() + LIFETIME)
                .await?;
            let cookie = session_cookie(&state, COOKIE, session, client.https);
            Ok((jar.add(cookie), Redirect::to("/me")).into_response())
        }
        Redeemed::Wrong { tries_left } if tries_left > 0 => {
            let problem = lang.t_with("me-code-wrong", &[("tries", i64::from(tries_left))]);
            page(StatusCode::UNAUTHORIZED, jar, again(problem, true))
        }
        Redeemed::Wrong { .. } | Redeemed::NoCode => page(
            StatusCode::UNAUTHORIZED,
            jar,
            again(lang.t("me-code-gone"), false),
        ),
    }
}

pub async fn sign_out(State(state): State<AppState>, jar: CookieJar) -> Result<Response, ApiError> {
    if let Some(c) = jar.get(COOKIE) {
        state.store.delete_person_session(sha256(c.value())).await?;
    }
    Ok((
        jar.remove(Cookie::build(COOKIE).path("/")),
        Redirect::to("/me/sign-in"),
    )
        .into_response())
}
