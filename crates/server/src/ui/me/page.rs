//! The person's page: the addresses they verified, every provider that holds a
//! record carrying one of them with the person's consent there per purpose, and how
//! and when they may be contacted by all providers together.

use super::PersonSignedIn;
use crate::error::ApiError;
use crate::state::AppState;
use crate::ui::Shell;
use crate::ui::i18n::{Lang, Messages};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Utc;
use motesplats_core::consent::{
    CONTACT_CHANNELS, Choice, ContactPreferences, MOST_A_WEEK, PreferencesInput, Purpose,
    QuietHoursInput, Source,
};
use motesplats_core::{ProviderId, Reason};
use serde::Deserialize;

/// The zone a person's preferences start in until they choose theirs.
const HOME_ZONE: &str = "Europe/Stockholm";

#[derive(Template)]
#[template(path = "me.html")]
struct MePage {
    shell: Shell,
    identifiers: Vec<String>,
    providers: Vec<Holder>,
    channels: Vec<(&'static str, String, bool)>,
    quiet_from: String,
    quiet_to: String,
    time_zone: String,
    weekly_budget: u32,
    most_a_week: u32,
    welcome_in_moments: bool,
    /// Why the preferences were not saved, one line a field.
    problems: Vec<String>,
}

/// One provider that holds something, and the person's choice there per purpose.
struct Holder {
    id: String,
    name: String,
    /// (purpose key, its name, the person's choice: Some(given) or None when never made).
    purposes: Vec<(&'static str, String, Option<bool>)>,
}

async fn render(
    state: &AppState,
    lang: Lang,
    me: &PersonSignedIn,
    shown: ContactPreferences,
    problems: Vec<String>,
) -> Result<Html<String>, ApiError> {
    let identifiers = state
        .store
        .account_identifiers(me.account)
        .await?
        .into_iter()
        .map(|i| i.value)
        .collect();
    let own = state.store.own_consents(me.account).await?;
    let mut providers: Vec<Holder> = Vec::new();
    for (provider, _) in state.store.account_persons(me.account).await? {
        if providers.iter().any(|h| h.id == provider.id.to_string()) {
            continue;
        }
        let purposes = Purpose::ALL
            .iter()
            .map(|&p| {
                let choice = own
                    .iter()
                    .find(|(at, c)| *at == provider.id && c.purpose == p)
                    .map(|(_, c)| c.given);
                (p.as_str(), lang.t(&format!("purpose-{p}")), choice)
            })
            .collect();
        providers.push(Holder {
            id: provider.id.to_string(),
            name: provider.name,
            purposes,
        });
    }
    let time =
        |t: Option<chrono::NaiveTime>| t.map(|t| t.format("%H:%M").to_string()).unwrap_or_default();
    let page = MePage {
        shell: Shell::person(lang, "/me", &me.form_token),
        identifiers,
        providers,
        channels: CONTACT_CHANNELS
            .iter()
            .map(|&c| {
                let on = shown
                    .channels
                    .as_ref()
                    .is_none_or(|set| set.iter().any(|k| k.as_str() == c));
                (c, lang.t(&format!("channel-{c}")), on)
            })
            .collect(),
        quiet_from: time(shown.quiet_hours.map(|q| q.from)),
        quiet_to: time(shown.quiet_hours.map(|q| q.to)),
        time_zone: shown.time_zone.clone(),
        weekly_budget: shown.weekly_budget,
        most_a_week: MOST_A_WEEK,
        welcome_in_moments: shown.welcome_in_moments,
        problems,
    };
    Ok(Html(
        page.render()
            .map_err(|e| ApiError::Internal(e.to_string()))?,
    ))
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    me: PersonSignedIn,
) -> Result<Html<String>, ApiError> {
    let shown = state
        .store
        .contact_preferences(me.account)
        .await?
        .unwrap_or_else(|| ContactPreferences::default_in(HOME_ZONE));
    render(&state, lang, &me, shown, Vec::new()).await
}

pub async fn save_preferences(
    State(state): State<AppState>,
    lang: Lang,
    me: PersonSignedIn,
    // Pairs, since a ticked box is one `channel` pair each.
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.trim())
    };
    let channels: Vec<String> = fields
        .iter()
        .filter(|(k, _)| k == "channel")
        .map(|(_, v)| v.clone())
        .collect();
    let (from, to) = (field("quiet_from"), field("quiet_to"));
    let input = PreferencesInput {
        // Every channel ticked is the same as no limit on channels.
        channels: (channels.len() < CONTACT_CHANNELS.len()).then_some(channels),
        quiet_hours: (!from.is_empty() || !to.is_empty()).then(|| QuietHoursInput {
            from: Some(from.to_string()),
            to: Some(to.to_string()),
        }),
        time_zone: Some(field("time_zone").to_string()),
        // What is not a whole number is refused as out of range.
        weekly_budget: Some(field("weekly_budget").parse().unwrap_or(-1)),
        welcome_in_moments: Some(!field("welcome_in_moments").is_empty()),
    };
    match input.parse() {
        Ok(preferences) => {
            state
                .store
                .set_contact_preferences(me.account, preferences)
                .await?;
            Ok(Redirect::to("/me").into_response())
        }
        Err(invalid) => {
            let problems = invalid
                .0
                .iter()
                .map(|e| {
                    format!(
                        "{}: {}",
                        lang.t(&format!("me-field-{}", field_key(&e.field))),
                        lang.reason(&e.reason)
                    )
                })
                .collect();
            let shown = state
                .store
                .contact_preferences(me.account)
                .await?
                .unwrap_or_else(|| ContactPreferences::default_in(HOME_ZONE));
            let html = render(&state, lang, &me, shown, problems).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

/// The form field a refused input field stands for (`channels[2]` is a channel).
fn field_key(field: &str) -> &str {
    match field.split(['[', '.']).next().unwrap_or(field) {
        "quiet_hours" => "quiet-hours",
        "weekly_budget" => "weekly-budget",
        "time_zone" => "time-zone",
        _ => "channels",
    }
}

#[derive(Deserialize)]
pub struct ConsentForm {
    provider: String,
    purpose: String,
    given: String,
}

/// The person's own choice about one provider and purpose; only a provider that
/// holds something of theirs can be chosen about.
pub async fn choose(
    State(state): State<AppState>,
    me: PersonSignedIn,
    Form(form): Form<ConsentForm>,
) -> Result<Response, ApiError> {
    let provider: ProviderId = form.provider.parse().map_err(|_| ApiError::NotFound)?;
    let holds = state
        .store
        .account_persons(me.account)
        .await?
        .iter()
        .any(|(p, _)| p.id == provider);
    if !holds {
        return Err(ApiError::NotFound);
    }
    let purpose =
        Purpose::parse(&form.purpose).map_err(|e| ApiError::Invalid(e.within("purpose")))?;
    let given = match form.given.as_str() {
        "yes" => true,
        "no" => false,
        other => {
            return Err(ApiError::invalid(
                "given",
                Reason::OneOf {
                    value: other.into(),
                    allowed: motesplats_core::reason::List::of(["yes", "no"]),
                },
            ));
        }
    };
    let choice = Choice {
        purpose,
        given,
        source: Source::Person,
        at: Utc::now(),
    };
    state
        .store
        .choose_consent(me.account, provider, choice)
        .await?;
    Ok(Redirect::to("/me").into_response())
}
