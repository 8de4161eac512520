//! Erasure on the person's page: everything every provider keeps with their verified
//! addresses goes at once, after they confirm; the page then says what went where.

use super::PersonSignedIn;
use super::page::{Problems, again};
use crate::error::ApiError;
use crate::state::AppState;
use crate::ui::i18n::{Lang, Messages};
use crate::ui::labels::event_label;
use crate::ui::local_time;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use motesplats_core::{Reason, TouchpointKind, number};
use motesplats_store::{Erased, HeldBack};
use serde::Deserialize;

/// One provider's erasure as the person reads it.
pub struct ErasedLine {
    pub when: String,
    pub provider: String,
    pub what: String,
}

impl ErasedLine {
    pub fn all(lang: Lang, erased: &[Erased], zone: &str) -> Vec<ErasedLine> {
        erased
            .iter()
            .map(|e| ErasedLine {
                when: local_time(e.at, zone),
                provider: e.provider_name.clone(),
                // Whole numbers, so the message can choose "1 record" or "2 records".
                what: lang.t_with(
                    "me-erased-what",
                    &[
                        ("records", whole(e.records)),
                        ("touchpoints", whole(e.touchpoints)),
                        ("responses", whole(e.responses)),
                    ],
                ),
            })
            .collect()
    }
}

fn whole(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The day of `t` where the person lives.
fn local_day(t: chrono::DateTime<chrono::Utc>, zone: &str) -> String {
    local_time(t, zone).chars().take(10).collect()
}

/// What a provider keeps by law after the erasure, as one line.
pub fn held_back(lang: Lang, held: &[HeldBack], zone: &str) -> Vec<String> {
    held.iter()
        .map(|h| {
            let kind = TouchpointKind::parse(&h.kind)
                .map_or_else(|_| h.kind.clone(), |k| event_label(&k, lang));
            lang.t_text(
                "me-held-back",
                &[
                    ("provider", h.provider_name.clone()),
                    ("count", number::integer(h.count, lang)),
                    ("kind", kind),
                    ("until", local_day(h.until, zone)),
                    ("reason", h.reason.clone()),
                ],
            )
        })
        .collect()
}

#[derive(Deserialize)]
pub struct EraseForm {
    confirm: Option<String>,
}

/// Erases everything, once the person ticked that they understand it cannot be undone.
pub async fn erase(
    State(state): State<AppState>,
    lang: Lang,
    me: PersonSignedIn,
    Form(form): Form<EraseForm>,
) -> Result<Response, ApiError> {
    if form.confirm.is_none() {
        let problems = Problems {
            erase: vec![format!(
                "{}: {}",
                lang.t("me-erase-confirm"),
                lang.reason(&Reason::Required)
            )],
            ..Problems::default()
        };
        return again(&state, lang, &me, problems).await;
    }
    crate::erasure::erase(&state, me.account).await?;
    Ok(Redirect::to("/me#erase").into_response())
}
