//! A user's own password: changed while signed in (the current one first; the user's
//! other sessions end), or reset through a link sent by e-mail, which ends every
//! session. Asking for a reset always gives the same answer, so it tells nobody
//! which addresses have accounts, and it counts against the sign-in limits.

use super::Shell;
use super::csrf;
use super::i18n::{Lang, Messages};
use super::session::{self, SignedIn, password_matches, whole_seconds};
use super::staff::{PASSWORD_MIN, SetPasswordPage, chosen_password, hashed};
use crate::auth::{new_token, sha256};
use crate::client::{Client, PublicOrigin};
use crate::deliver::Message;
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::CookieJar;
use chrono::{Duration, Utc};
use motesplats_core::{Identifier, IdentifierKind, Reason};
use motesplats_store::Actor;
use serde::Deserialize;

/// How long a reset link lives.
const RESET_LIFETIME: Duration = Duration::hours(1);

#[derive(Template)]
#[template(path = "account_password.html")]
struct PasswordPage {
    shell: Shell,
    /// Why the change was refused, per field (`current`, `password`).
    current_problem: Option<String>,
    new_problem: Option<String>,
    done: bool,
    min: usize,
}

fn password_page(
    lang: Lang,
    who: &SignedIn,
    current_problem: Option<String>,
    new_problem: Option<String>,
    done: bool,
) -> Result<Html<String>, ApiError> {
    let page = PasswordPage {
        shell: Shell::signed_in(lang, "/account/password", who),
        current_problem,
        new_problem,
        done,
        min: PASSWORD_MIN,
    };
    Ok(Html(
        page.render()
            .map_err(|e| ApiError::Internal(e.to_string()))?,
    ))
}

pub async fn password_form(lang: Lang, who: SignedIn) -> Result<Html<String>, ApiError> {
    password_page(lang, &who, None, None, false)
}

#[derive(Deserialize)]
pub struct Change {
    current: String,
    password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    jar: CookieJar,
    Form(form): Form<Change>,
) -> Result<Response, ApiError> {
    let hash = state
        .store
        .user_by_email(&who.user.email)
        .await?
        .map(|(_, hash)| hash);
    let refused = |current, new| {
        password_page(lang, &who, current, new, false)
            .map(|page| (StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    if !password_matches(&state, form.current, hash).await? {
        return refused(Some(lang.reason(&Reason::WrongPassword)), None);
    }
    if let Err(problem) = chosen_password(lang, &form.password) {
        return refused(None, Some(problem));
    }
    let hash = hashed(form.password).await?;
    let keep = jar
        .get(session::COOKIE)
        .map(|c| sha256(c.value()))
        .unwrap_or_default();
    state
        .store
        .change_password(&Actor::from(&who.user), &hash, keep)
        .await?;
    Ok(password_page(lang, &who, None, None, true)?.into_response())
}

#[derive(Template)]
#[template(path = "password_reset.html")]
struct ResetPage {
    shell: Shell,
    token: String,
    /// The answer, the same whether or not an account has the address.
    sent: bool,
    problem: Option<String>,
}

fn reset_page(
    lang: Lang,
    token: String,
    sent: bool,
    problem: Option<String>,
) -> Result<Html<String>, ApiError> {
    let page = ResetPage {
        shell: Shell::anonymous(lang, "/sign-in/reset"),
        token,
        sent,
        problem,
    };
    Ok(Html(
        page.render()
            .map_err(|e| ApiError::Internal(e.to_string()))?,
    ))
}

pub async fn reset_form(
    State(state): State<AppState>,
    lang: Lang,
    client: Client,
    jar: CookieJar,
) -> Result<Response, ApiError> {
    let (jar, token) = csrf::pre_sign_in(&state, csrf::Door::Staff, jar, client.https);
    Ok((jar, reset_page(lang, token, false, None)?).into_response())
}

#[derive(Deserialize)]
pub struct Ask {
    email: String,
}

pub async fn ask_reset(
    State(state): State<AppState>,
    lang: Lang,
    client: Client,
    origin: PublicOrigin,
    jar: CookieJar,
    Form(form): Form<Ask>,
) -> Result<Response, ApiError> {
    let (jar, token) = csrf::pre_sign_in(&state, csrf::Door::Staff, jar, client.https);
    if let Err(wait) = state.sign_in.attempt_from(client.limited_as()) {
        let seconds = whole_seconds(wait);
        let problem = lang.t_with("sign-in-too-many", &[("seconds", seconds as i64)]);
        let page = reset_page(lang, token, false, Some(problem))?;
        let retry_after = [(header::RETRY_AFTER, seconds.to_string())];
        return Ok((StatusCode::TOO_MANY_REQUESTS, retry_after, jar, page).into_response());
    }
    let email = form.email.trim().to_lowercase();
    // An inbox is not flooded by whoever types its address: past the limit, nothing is sent.
    if state.sign_in.code_to(&email).is_ok() {
        let link = new_token("mp_reset_");
        let expires = Utc::now() + RESET_LIFETIME;
        let asked = state
            .store
            .request_password_reset(&email, sha256(&link), expires)
            .await?;
        if let (Some(user), Some(origin)) = (asked, origin.for_mail(&state)) {
            let message = Message {
                subject: lang.t("reset-subject"),
                body: lang.t_text(
                    "reset-body",
                    &[("link", format!("{origin}/sign-in/reset/{link}"))],
                ),
            };
            let to = Identifier {
                kind: IdentifierKind::Email,
                value: user.email,
            };
            // Sent after the answer, so its time tells nothing about the address.
            let deliver = state.deliver.clone();
            tokio::spawn(async move {
                if let Err(e) = deliver.send(&to, &message).await {
                    tracing::error!(transport = e.transport(), "a reset link was not delivered");
                }
            });
        }
    }
    Ok((jar, reset_page(lang, token, true, None)?).into_response())
}

fn new_password_page(
    lang: Lang,
    token: String,
    link: &str,
    email: Option<String>,
    problem: Option<String>,
) -> SetPasswordPage {
    let action = format!("/sign-in/reset/{link}");
    SetPasswordPage::new(lang, token, action, "reset-title", email, problem)
}

pub async fn reset_link(
    State(state): State<AppState>,
    lang: Lang,
    client: Client,
    jar: CookieJar,
    Path(link): Path<String>,
) -> Result<Response, ApiError> {
    let (jar, token) = csrf::pre_sign_in(&state, csrf::Door::Staff, jar, client.https);
    match state.store.reset_user(sha256(&link), Utc::now()).await? {
        Some(user) => new_password_page(lang, token, &link, Some(user.email), None)
            .answer(StatusCode::OK, jar),
        None => new_password_page(
            lang,
            token,
            &link,
            None,
            Some(lang.reason(&Reason::LinkSpent)),
        )
        .answer(StatusCode::NOT_FOUND, jar),
    }
}

#[derive(Deserialize)]
pub struct NewPassword {
    password: String,
}

pub async fn reset(
    State(state): State<AppState>,
    lang: Lang,
    client: Client,
    jar: CookieJar,
    Path(link): Path<String>,
    Form(form): Form<NewPassword>,
) -> Result<Response, ApiError> {
    let (jar, token) = csrf::pre_sign_in(&state, csrf::Door::Staff, jar, client.https);
    let spent = |jar, token| {
        new_password_page(
            lang,
            token,
            &link,
            None,
            Some(lang.reason(&Reason::LinkSpent)),
        )
        .answer(StatusCode::NOT_FOUND, jar)
    };
    let now = Utc::now();
    let Some(user) = state.store.reset_user(sha256(&link), now).await? else {
        return spent(jar, token);
    };
    if let Err(problem) = chosen_password(lang, &form.password) {
        return new_password_page(lang, token, &link, Some(user.email), Some(problem))
            .answer(StatusCode::UNPROCESSABLE_ENTITY, jar);
    }
    let hash = hashed(form.password).await?;
    match state
        .store
        .reset_password(sha256(&link), &hash, now)
        .await?
    {
        Some(user) => session::open(&state, jar, &user, client.https).await,
        None => spent(jar, token),
    }
}
