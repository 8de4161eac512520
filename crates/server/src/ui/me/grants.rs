//! Sharing on the person's page: the grants they made (live, ended or revoked), a
//! form to let one provider read what another holds, and revoking, which stops
//! reads at once.

use super::PersonSignedIn;
use super::page::{Problems, again, lines};
use crate::error::ApiError;
use crate::state::AppState;
use crate::ui::forms::Sent;
use crate::ui::i18n::{Lang, Messages};
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Days, Utc};
use motesplats_core::consent::{Category, ContactPreferences, Grant, GrantInput, Purpose};
use motesplats_core::{PersonId, Provider};
use motesplats_store::StoreError;

/// How long the form offers a grant to run, in days, until the person picks a day.
const OFFERED_DAYS: u64 = 90;

/// The page's sharing section.
pub struct Sharing {
    pub grants: Vec<GrantLine>,
    /// (id, name) of every provider that holds a record of theirs.
    pub providers: Vec<(String, String)>,
    pub categories: Vec<(&'static str, String)>,
    pub purposes: Vec<(&'static str, String)>,
    /// The day the form offers as the last.
    pub until: String,
    /// Why the last grant was not made, one line a field.
    pub problems: Vec<String>,
}

/// One grant as the person reads it.
pub struct GrantLine {
    pub id: String,
    pub holder: String,
    pub reader: String,
    pub categories: String,
    pub purpose: String,
    pub until: String,
    /// Live, ended or revoked, in words.
    pub status: String,
    pub live: bool,
}

impl Sharing {
    pub fn of(
        lang: Lang,
        grants: &[Grant],
        holding: &[(Provider, PersonId)],
        shown: &ContactPreferences,
        problems: Vec<String>,
    ) -> Sharing {
        let zone = shown.zone();
        let now = Utc::now();
        let name = |id| {
            holding
                .iter()
                .find(|(p, _)| p.id == id)
                .map_or_else(|| lang.t("me-provider-gone"), |(p, _)| p.name.clone())
        };
        let mut seen = std::collections::HashSet::new();
        let providers: Vec<(String, String)> = holding
            .iter()
            .filter(|(p, _)| seen.insert(p.id))
            .map(|(p, _)| (p.id.to_string(), p.name.clone()))
            .collect();
        let grants = grants
            .iter()
            .map(|g| GrantLine {
                id: g.id.to_string(),
                holder: name(g.holder),
                reader: name(g.reader),
                categories: g
                    .categories
                    .iter()
                    .map(|c| lang.t(&format!("category-{c}")))
                    .collect::<Vec<_>>()
                    .join(", "),
                purpose: lang.t(&format!("purpose-{}", g.purpose)),
                // The grant's last day is the day before the instant it ends.
                until: (g.until.with_timezone(&zone) - chrono::Duration::seconds(1))
                    .format("%Y-%m-%d")
                    .to_string(),
                status: lang.t(match (g.revoked_at, g.live(now)) {
                    (Some(_), _) => "me-grant-revoked",
                    (None, true) => "me-grant-live",
                    (None, false) => "me-grant-ended",
                }),
                live: g.live(now),
            })
            .collect();
        Sharing {
            grants,
            providers,
            categories: Category::ALL
                .iter()
                .map(|&c| (c.as_str(), lang.t(&format!("category-{c}"))))
                .collect(),
            purposes: Purpose::ALL
                .iter()
                .map(|&p| (p.as_str(), lang.t(&format!("purpose-{p}"))))
                .collect(),
            until: (now.with_timezone(&zone).date_naive() + Days::new(OFFERED_DAYS)).to_string(),
            problems,
        }
    }
}

/// Makes a grant from the form; a refused one draws the page again with why.
pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    me: PersonSignedIn,
    // Pairs, since a ticked box is one `category` pair each.
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let sent = Sent {
        fields,
        ..Sent::default()
    };
    let field = |name: &str| sent.one(name).map(|v| v.trim().to_string());
    let input = GrantInput {
        holder: field("holder"),
        reader: field("reader"),
        categories: Some(
            sent.fields
                .iter()
                .filter(|(k, _)| k == "category")
                .map(|(_, v)| v.clone())
                .collect(),
        ),
        purpose: field("purpose"),
        until: field("until"),
        consent: Some(sent.has("consent", "yes")),
    };
    let zone = state
        .store
        .contact_preferences(me.account)
        .await?
        .map_or(chrono_tz::Europe::Stockholm, |p| p.zone());
    let now = Utc::now();
    let refused = |invalid| Problems {
        grant: lines(lang, &invalid),
        ..Problems::default()
    };
    let new = match input.parse(now, zone) {
        Ok(new) => new,
        Err(invalid) => return again(&state, lang, &me, refused(invalid)).await,
    };
    let (reader, purpose) = (new.reader, new.purpose);
    match state.store.create_grant(me.account, new, now).await {
        Err(StoreError::Invalid(invalid)) => again(&state, lang, &me, refused(invalid)).await,
        other => {
            other?;
            if purpose == Purpose::Analytics {
                // Granting consented: the reader's figures count the person at once.
                state.figures.forget(reader);
            }
            Ok(Redirect::to("/me#sharing").into_response())
        }
    }
}

/// Revokes one of the person's grants; reads through it stop at once.
pub async fn revoke(
    State(state): State<AppState>,
    me: PersonSignedIn,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = id.parse().map_err(|_| ApiError::NotFound)?;
    state.store.revoke_grant(me.account, id, Utc::now()).await?;
    Ok(Redirect::to("/me#sharing").into_response())
}
