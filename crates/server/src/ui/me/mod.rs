//! The person's own side: signing in with a one-time code sent to an address or
//! phone they own (`sign_in.rs`), and their page (`page.rs`: who holds what of
//! theirs, their consent per provider and purpose, and their contact preferences)
//! with the grants by which one provider reads what another holds (`grants.rs`),
//! requests to correct what a provider holds (`rectifications.rs`), everything
//! known about them to take with them (`export.rs`), and erasing it all (`erase.rs`).
//! A person session is kept apart from provider users' sessions: its own cookie, its
//! own table, its own form tokens.

pub mod erase;
pub mod export;
pub mod grants;
pub mod page;
pub mod rectifications;
pub mod sign_in;

use super::csrf;
use crate::auth::sha256;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use chrono::Utc;
use motesplats_core::AccountId;

pub const COOKIE: &str = "motesplats_person";

/// A signed-in person; their pages redirect to the code sign-in without one.
pub struct PersonSignedIn {
    pub account: AccountId,
    /// The token this sign-in's forms carry.
    pub form_token: String,
}

impl FromRequestParts<AppState> for PersonSignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let to_sign_in = || Redirect::to("/me/sign-in").into_response();
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar.get(COOKIE).ok_or_else(to_sign_in)?.value().to_string();
        match state.store.person_session(sha256(&token), Utc::now()).await {
            Ok(Some(account)) => Ok(PersonSignedIn {
                account,
                form_token: csrf::session_token(&token),
            }),
            Ok(None) => Err(to_sign_in()),
            Err(e) => Err(ApiError::from(e).into_response()),
        }
    }
}
