//! Corrections on the person's page: asking a provider to correct what it holds, and
//! reading its answer.

use super::PersonSignedIn;
use super::page::{Problems, again, lines};
use crate::error::ApiError;
use crate::state::AppState;
use crate::ui::i18n::{Lang, Messages};
use crate::ui::local_time;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use motesplats_core::consent::{Rectification, RectificationInput};
use motesplats_core::{PersonId, Provider};
use motesplats_store::StoreError;
use serde::Deserialize;

/// One request as the person reads it.
pub struct Correction {
    pub provider: String,
    pub wrong: String,
    pub right: String,
    pub asked: String,
    /// Waiting, corrected or declined, in words, with the provider's note.
    pub status: String,
    pub note: Option<String>,
}

impl Correction {
    pub fn all(
        lang: Lang,
        asked: Vec<Rectification>,
        holding: &[(Provider, PersonId)],
        zone: &str,
    ) -> Vec<Correction> {
        asked
            .into_iter()
            .map(|r| Correction {
                provider: holding
                    .iter()
                    .find(|(p, _)| p.id == r.provider)
                    .map_or_else(|| lang.t("me-provider-gone"), |(p, _)| p.name.clone()),
                asked: local_time(r.requested_at, zone),
                status: lang.t(&format!(
                    "me-correction-{}",
                    r.outcome.map_or("waiting", |o| o.as_str())
                )),
                wrong: r.wrong,
                right: r.right,
                note: r.note,
            })
            .collect()
    }
}

#[derive(Deserialize)]
pub struct CorrectionForm {
    provider: Option<String>,
    wrong: Option<String>,
    right: Option<String>,
}

/// Sends the request to the provider; a refused one draws the page again with why.
pub async fn ask(
    State(state): State<AppState>,
    lang: Lang,
    me: PersonSignedIn,
    Form(form): Form<CorrectionForm>,
) -> Result<Response, ApiError> {
    let input = RectificationInput {
        provider: form.provider,
        wrong: form.wrong,
        right: form.right,
    };
    let refused = |invalid| Problems {
        correction: lines(lang, &invalid),
        ..Problems::default()
    };
    let new = match input.parse() {
        Ok(new) => new,
        Err(invalid) => return again(&state, lang, &me, refused(invalid)).await,
    };
    match state
        .store
        .request_rectification(me.account, new, Utc::now())
        .await
    {
        Err(StoreError::Invalid(invalid)) => again(&state, lang, &me, refused(invalid)).await,
        other => {
            other?;
            Ok(Redirect::to("/me#corrections").into_response())
        }
    }
}
