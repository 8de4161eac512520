//! The person's page: the addresses they verified, every provider that holds a
//! record carrying one of them with the person's consent there per purpose, and how
//! and when they may be contacted by all providers together.

use super::PersonSignedIn;
use super::erase::ErasedLine;
use super::grants::Sharing;
use super::rectifications::Correction;
use crate::error::ApiError;
use crate::state::AppState;
use crate::ui::dashboard::Line;
use crate::ui::forms::Sent;
use crate::ui::i18n::{Lang, Messages};
use crate::ui::labels::Vocabulary;
use crate::ui::{Shell, local_time};
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
use motesplats_core::journey::Comparison;
use motesplats_core::lang::Label;
use motesplats_core::{Invalid, ProviderId, Reason, number};
use motesplats_store::grant::GRANT_READ;
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
    sharing: Sharing,
    export_tables: [&'static str; 6],
    corrections: Vec<Correction>,
    /// Why the last correction was not sent, one line a field.
    correction_problems: Vec<String>,
    erased: Vec<ErasedLine>,
    /// What the providers keep by law after the erasure, one line each.
    held_back: Vec<String>,
    erase_problems: Vec<String>,
}

/// One provider that holds something, what it holds, who there read it, and the
/// person's choice there per purpose.
struct Holder {
    id: String,
    name: String,
    records: Vec<Record>,
    /// (when, what was read), newest first.
    reads: Vec<(String, String)>,
    /// (purpose key, its name, the person's choice: Some(given) or None when never made).
    purposes: Vec<(&'static str, String, Option<bool>)>,
    /// The person beside people there with the same usual motivation, in words; None
    /// when fewer than ten share it or the person is not counted there.
    compared: Option<String>,
}

/// One record the provider keeps with a verified address.
struct Record {
    name: Option<String>,
    identifiers: Vec<String>,
    touchpoints: String,
    latest: Vec<Line>,
    /// How many survey answers are linked to the record.
    answers: String,
}

/// How many of a record's touchpoints and reads the page lists.
const LATEST: u32 = 10;
const READS: u32 = 20;

/// Why a form of the page was refused, one line a field.
#[derive(Default)]
pub(super) struct Problems {
    pub preferences: Vec<String>,
    pub grant: Vec<String>,
    pub correction: Vec<String>,
    pub erase: Vec<String>,
}

/// Each refused field as "its name: why", in the page's language.
pub(super) fn lines(lang: Lang, invalid: &Invalid) -> Vec<String> {
    invalid
        .0
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                lang.t(&format!("me-field-{}", field_key(&e.field))),
                lang.reason(&e.reason)
            )
        })
        .collect()
}

/// The person beside their group, in one sentence.
fn compared(lang: Lang, c: &Comparison) -> String {
    lang.t_text(
        "me-compared",
        &[
            ("motivation", c.motivation.label(lang).to_string()),
            ("group", number::integer(c.group as u64, lang)),
            ("meetings", number::integer(c.own.meetings, lang)),
            (
                "median_meetings",
                number::decimal(c.median_meetings, 1, lang),
            ),
            ("purchases", number::integer(c.own.purchases, lang)),
            (
                "median_purchases",
                number::decimal(c.median_purchases, 1, lang),
            ),
        ],
    )
}

/// The page with the person's preferences as stored.
pub(super) async fn again(
    state: &AppState,
    lang: Lang,
    me: &PersonSignedIn,
    problems: Problems,
) -> Result<Response, ApiError> {
    let shown = preferences(state, me).await?;
    let html = render(state, lang, me, shown, problems).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

async fn preferences(
    state: &AppState,
    me: &PersonSignedIn,
) -> Result<ContactPreferences, ApiError> {
    Ok(state
        .store
        .contact_preferences(me.account)
        .await?
        .unwrap_or_else(|| ContactPreferences::default_in(HOME_ZONE)))
}

async fn render(
    state: &AppState,
    lang: Lang,
    me: &PersonSignedIn,
    shown: ContactPreferences,
    problems: Problems,
) -> Result<Html<String>, ApiError> {
    let identifiers = state
        .store
        .account_identifiers(me.account)
        .await?
        .into_iter()
        .map(|i| i.value)
        .collect();
    let own = state.store.own_consents(me.account).await?;
    let records = state.store.account_records(me.account, LATEST).await?;
    let holding = state.store.account_persons(me.account).await?;
    let name_of = |id: ProviderId| {
        holding
            .iter()
            .find(|(p, _)| p.id == id)
            .map_or_else(String::new, |(p, _)| p.name.clone())
    };
    let mut providers: Vec<Holder> = Vec::new();
    for (provider, person) in &holding {
        let (provider, person) = (provider.clone(), *person);
        let mine: Vec<_> = records
            .iter()
            .filter(|r| r.provider.id == provider.id)
            .collect();
        let read = super::export::visible_reads(state, provider.id, person, &mine, READS).await?;
        let reads = read.iter().map(|e| {
            let what = if e.action == GRANT_READ {
                lang.t_text("me-read-grant", &[("reader", name_of(e.provider_id))])
            } else {
                lang.t(&format!("me-read-{}", e.action))
            };
            (local_time(e.at, &provider.time_zone), what)
        });
        if let Some(h) = providers
            .iter_mut()
            .find(|h| h.id == provider.id.to_string())
        {
            h.reads.extend(reads);
            continue;
        }
        let reads = reads.collect();
        let words = Vocabulary::of(state.store.as_ref(), provider.id).await?;
        let records = mine
            .iter()
            .map(|r| Record {
                name: r.profile.display_name.clone(),
                identifiers: r
                    .profile
                    .identifiers
                    .iter()
                    .map(|i| i.value.clone())
                    .collect(),
                touchpoints: number::integer(r.touchpoints, lang),
                answers: number::integer(r.responses.len() as u64, lang),
                latest: r
                    .latest
                    .iter()
                    .map(|t| Line::of(lang, t, &words, &provider.time_zone))
                    .collect(),
            })
            .collect();
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
        let compared = state
            .figures
            .placed(state, provider.id)
            .await?
            .compare(person)
            .map(|c| compared(lang, &c));
        providers.push(Holder {
            id: provider.id.to_string(),
            name: provider.name,
            records,
            reads,
            purposes,
            compared,
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
        problems: problems.preferences,
        export_tables: super::export::TABLES,
        corrections: Correction::all(
            lang,
            state.store.rectifications(me.account).await?,
            &holding,
            &shown.time_zone,
        ),
        correction_problems: problems.correction,
        erased: ErasedLine::all(
            lang,
            &state.store.erasures(me.account).await?,
            &shown.time_zone,
        ),
        held_back: super::erase::held_back(
            lang,
            &state.store.held_back(me.account).await?,
            &shown.time_zone,
        ),
        erase_problems: problems.erase,
        sharing: Sharing::of(
            lang,
            &state.store.grants(me.account).await?,
            &holding,
            &shown,
            problems.grant,
        ),
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
    let shown = preferences(&state, &me).await?;
    render(&state, lang, &me, shown, Problems::default()).await
}

pub async fn save_preferences(
    State(state): State<AppState>,
    lang: Lang,
    me: PersonSignedIn,
    // Pairs, since a ticked box is one `channel` pair each.
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let sent = Sent {
        fields,
        ..Sent::default()
    };
    let field = |name: &str| sent.one(name).map_or("", str::trim);
    let channels: Vec<String> = sent
        .fields
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
            let problems = Problems {
                preferences: lines(lang, &invalid),
                ..Problems::default()
            };
            again(&state, lang, &me, problems).await
        }
    }
}

/// The form field a refused input field stands for (`channels[2]` is a channel).
fn field_key(field: &str) -> &str {
    match field.split(['[', '.']).next().unwrap_or(field) {
        "quiet_hours" => "quiet-hours",
        "weekly_budget" => "weekly-budget",
        "time_zone" => "time-zone",
        key @ ("holder" | "reader" | "categories" | "purpose" | "until" | "consent"
        | "provider" | "wrong" | "right") => key,
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
    if purpose == Purpose::Analytics {
        // The provider's figures count the person, or stop counting them, at once.
        state.figures.forget(provider);
    }
    Ok(Redirect::to("/me").into_response())
}
