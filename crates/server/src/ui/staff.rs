//! The provider's staff: who works here in which role, invitations by e-mail, role
//! changes and removals (admins only, by the role table), and the invitation link's
//! page where the invitee chooses a password and is signed in. The store keeps the
//! rules (one admin at least, an invitation spent once) and the audit log.

use super::Shell;
use super::csrf;
use super::i18n::{Lang, Messages};
use super::session::{self, SignedIn};
use crate::auth::{hash_password, new_token, sha256};
use crate::client::{Client, PublicOrigin};
use crate::deliver::Message;
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use chrono::{Duration, Utc};
use motesplats_core::reason::List;
use motesplats_core::{Identifier, IdentifierKind, Invalid, Reason, UserId};
use motesplats_store::{Actor, NewInvitation, Role};
use serde::Deserialize;
use uuid::Uuid;

/// How long an invitation link lives.
const INVITATION_LIFETIME: Duration = Duration::days(3);
/// The shortest password a user may choose.
pub const PASSWORD_MIN: usize = 12;

#[derive(Template)]
#[template(path = "staff.html")]
struct StaffPage {
    shell: Shell,
    /// Each user: id, e-mail, role key, and whether it is the reader.
    users: Vec<(Uuid, String, &'static str, bool)>,
    /// Every role: key and name.
    roles: Vec<(&'static str, String)>,
    /// What the last form did.
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

/// The words of a role.
pub fn role_name(lang: Lang, role: Role) -> String {
    lang.t(&format!("role-{}", role.as_str()))
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Query(done): Query<Done>,
) -> Result<Html<String>, ApiError> {
    let users = state.store.users(who.provider.id).await?;
    let notice = match done.done.as_deref() {
        Some(what @ ("invited" | "role-changed" | "removed")) => {
            Some(lang.t(&format!("staff-{what}")))
        }
        _ => None,
    };
    let page = StaffPage {
        shell: Shell::signed_in(lang, "/staff", &who),
        users: users
            .into_iter()
            .map(|u| (u.id.0, u.email, u.role.as_str(), u.id == who.user.id))
            .collect(),
        roles: Role::ALL.map(|r| (r.as_str(), role_name(lang, r))).to_vec(),
        notice,
    };
    Ok(Html(
        page.render()
            .map_err(|e| ApiError::Internal(e.to_string()))?,
    ))
}

fn parse_role(role: &str) -> Result<Role, ApiError> {
    Role::parse(role).ok_or_else(|| {
        ApiError::Invalid(Invalid::one(
            "role",
            Reason::OneOf {
                value: role.to_string(),
                allowed: List::of(Role::ALL.map(Role::as_str)),
            },
        ))
    })
}

#[derive(Deserialize)]
pub struct InviteForm {
    email: String,
    role: String,
}

pub async fn invite(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    origin: PublicOrigin,
    Form(form): Form<InviteForm>,
) -> Result<Response, ApiError> {
    let email = Identifier::parse(IdentifierKind::Email, &form.email, "")
        .map_err(|_| ApiError::Invalid(Invalid::one("email", Reason::Email)))?
        .value;
    let role = parse_role(&form.role)?;
    let Some(origin) = origin.for_mail(&state) else {
        return Err(ApiError::Internal(
            "no Host to link the invitation to".into(),
        ));
    };
    let token = new_token("mp_invite_");
    let invitation = NewInvitation {
        email: email.clone(),
        role,
        token_sha256: sha256(&token),
        expires_at: Utc::now() + INVITATION_LIFETIME,
    };
    state
        .store
        .invite_user(&Actor::from(&who.user), invitation)
        .await?;
    let message = Message {
        subject: lang.t_text(
            "staff-invite-subject",
            &[("provider", who.provider.name.clone())],
        ),
        body: lang.t_text(
            "staff-invite-body",
            &[
                ("provider", who.provider.name.clone()),
                ("role", role_name(lang, role)),
                ("link", format!("{origin}/sign-in/invitation/{token}")),
                ("days", INVITATION_LIFETIME.num_days().to_string()),
            ],
        ),
    };
    let to = Identifier {
        kind: IdentifierKind::Email,
        value: email,
    };
    if let Err(e) = state.deliver.send(&to, &message).await {
        // The transport only: a relay's answer may repeat the address.
        tracing::error!(transport = e.transport(), "an invitation was not delivered");
        return Err(ApiError::Http(
            StatusCode::SERVICE_UNAVAILABLE,
            "the invitation was kept but could not be sent; invite again".into(),
        ));
    }
    Ok(Redirect::to("/staff?done=invited").into_response())
}

#[derive(Deserialize)]
pub struct RoleForm {
    role: String,
}

pub async fn change_role(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<Uuid>,
    Form(form): Form<RoleForm>,
) -> Result<Response, ApiError> {
    let role = parse_role(&form.role)?;
    state
        .store
        .change_role(&Actor::from(&who.user), UserId(id), role)
        .await?;
    Ok(Redirect::to("/staff?done=role-changed").into_response())
}

pub async fn remove(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<Uuid>,
) -> Result<Response, ApiError> {
    state
        .store
        .remove_user(&Actor::from(&who.user), UserId(id))
        .await?;
    // Removing oneself ends one's own session too.
    let to = if UserId(id) == who.user.id {
        "/sign-in"
    } else {
        "/staff?done=removed"
    };
    Ok(Redirect::to(to).into_response())
}

#[derive(Template)]
#[template(path = "set_password.html")]
pub(super) struct SetPasswordPage {
    pub shell: Shell,
    /// Where the form posts.
    pub action: String,
    pub token: String,
    pub heading: String,
    /// Who the password is for (an e-mail address), or nothing when the link is spent.
    pub email: Option<String>,
    pub problem: Option<String>,
    pub min: usize,
}

impl SetPasswordPage {
    /// The page of a link that sets a password: `action` is where it posts, `heading`
    /// the message key of its title.
    pub fn new(
        lang: Lang,
        token: String,
        action: String,
        heading: &str,
        email: Option<String>,
        problem: Option<String>,
    ) -> Self {
        SetPasswordPage {
            shell: Shell::anonymous(lang, "/sign-in"),
            action,
            token,
            heading: lang.t(heading),
            email,
            problem,
            min: PASSWORD_MIN,
        }
    }

    pub fn answer(self, status: StatusCode, jar: CookieJar) -> Result<Response, ApiError> {
        let html = self
            .render()
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        Ok((status, jar, Html(html)).into_response())
    }
}

/// The password a user chose, if long enough; else why not, in the reader's language.
pub(super) fn chosen_password(lang: Lang, password: &str) -> Result<(), String> {
    if password.chars().count() < PASSWORD_MIN {
        return Err(lang.reason(&Reason::PasswordShort { min: PASSWORD_MIN }));
    }
    Ok(())
}

/// Hashes a new password on a blocking thread: Argon2 would hold up the workers.
pub(super) async fn hashed(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
}

fn invitation_page(
    lang: Lang,
    token: String,
    link: &str,
    email: Option<String>,
    problem: Option<String>,
) -> SetPasswordPage {
    let action = format!("/sign-in/invitation/{link}");
    SetPasswordPage::new(lang, token, action, "invitation-title", email, problem)
}

pub async fn invitation(
    State(state): State<AppState>,
    lang: Lang,
    client: Client,
    jar: CookieJar,
    Path(link): Path<String>,
) -> Result<Response, ApiError> {
    let (jar, token) = csrf::pre_sign_in(&state, csrf::Door::Staff, jar, client.https);
    let invited = state.store.invitation(sha256(&link), Utc::now()).await?;
    let (status, email, problem) = match invited {
        Some(i) => (StatusCode::OK, Some(i.email), None),
        None => (
            StatusCode::NOT_FOUND,
            None,
            Some(lang.reason(&Reason::LinkSpent)),
        ),
    };
    invitation_page(lang, token, &link, email, problem).answer(status, jar)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    password: String,
}

pub async fn accept(
    State(state): State<AppState>,
    lang: Lang,
    client: Client,
    jar: CookieJar,
    Path(link): Path<String>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, ApiError> {
    let (jar, token) = csrf::pre_sign_in(&state, csrf::Door::Staff, jar, client.https);
    let now = Utc::now();
    let Some(invited) = state.store.invitation(sha256(&link), now).await? else {
        let problem = Some(lang.reason(&Reason::LinkSpent));
        return invitation_page(lang, token, &link, None, problem)
            .answer(StatusCode::NOT_FOUND, jar);
    };
    if let Err(problem) = chosen_password(lang, &form.password) {
        return invitation_page(lang, token, &link, Some(invited.email), Some(problem))
            .answer(StatusCode::UNPROCESSABLE_ENTITY, jar);
    }
    let hash = hashed(form.password).await?;
    let Some(user) = state
        .store
        .accept_invitation(sha256(&link), &hash, now)
        .await?
    else {
        // Spent by a second tab between the look and the use.
        let problem = Some(lang.reason(&Reason::LinkSpent));
        return invitation_page(lang, token, &link, None, problem)
            .answer(StatusCode::NOT_FOUND, jar);
    };
    session::open(&state, jar, &user, client.https).await
}
