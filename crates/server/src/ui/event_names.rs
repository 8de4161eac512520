//! The provider's event-name table in the browser: what kind a `track` event of each
//! name (as apps and web shops send them with Segment's or RudderStack's SDKs) is
//! stored as, a form to add, change or remove a row, the channel of events that
//! name none, and the spec's names that apply unless the table says otherwise.

use super::i18n::Lang;
use super::labels::Vocabulary;
use super::session::SignedIn;
use super::{Shell, channel_name};
use crate::api::event_names::save;
use crate::error::ApiError;
use crate::state::AppState;
use crate::ui::i18n::Messages;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use motesplats_core::invalid::text;
use motesplats_core::reason::{List, Reason};
use motesplats_core::tracking_protocol::{EventNames, EventNamesInput, SPEC_KINDS};
use motesplats_core::{FieldError, Invalid, TouchpointKind};
use motesplats_store::Actor;

/// Most characters of an event name (as the core checks it).
const NAME_MAX: usize = 200;

/// One of the spec's names: the name, the kind the spec gives it, and the kind the
/// provider's table gives it instead, if any.
pub struct SpecRow {
    pub name: String,
    pub kind: Kind,
    pub table: Option<Kind>,
}

/// A kind as the page shows it: its key, and its words where it has some (the
/// tracking plan's or the built-in ones; empty for a kind named nowhere).
pub struct Kind {
    pub key: String,
    pub words: String,
}

#[derive(Template)]
#[template(path = "event_names.html")]
struct EventNamesPage {
    shell: Shell,
    /// The table: name → kind.
    rows: Vec<(String, Kind)>,
    spec: Vec<SpecRow>,
    /// The provider's channels: key, name in the page's language.
    channels: Vec<(String, String)>,
    /// The channel chosen (empty: none chosen, `web`).
    channel: String,
    /// The row typed into the add-or-change form.
    name: String,
    kind: String,
    name_errors: Vec<String>,
    kind_errors: Vec<String>,
    channel_errors: Vec<String>,
    /// Every reason, for the summary at the top.
    problems: Vec<String>,
}

/// What a refused form showed: the values typed, and why.
#[derive(Default)]
struct Typed {
    name: String,
    kind: String,
    channel: Option<String>,
    errors: Vec<FieldError>,
}

async fn render(
    state: &AppState,
    lang: Lang,
    who: &SignedIn,
    typed: Typed,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let me = who.provider.id;
    let names = crate::settings::read::<EventNames>(state, me).await?;
    let vocabulary = Vocabulary::of(state.store.as_ref(), me).await?;
    let own = &vocabulary.channels;
    let kind = |key: &str| Kind {
        key: key.to_string(),
        words: TouchpointKind::parse(key)
            .map(|k| vocabulary.event(&k, lang))
            .ok()
            .filter(|w| w != key)
            .unwrap_or_default(),
    };
    let reasons = |field: &str| -> Vec<String> {
        typed
            .errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| lang.reason(&e.reason))
            .collect()
    };
    let label = |field: &str| match field {
        "name" => lang.t("event-names-name"),
        "kind" => lang.t("event-names-kind"),
        "default_channel" => lang.t("event-names-channel"),
        other => other.to_string(),
    };
    let page = EventNamesPage {
        shell: Shell::signed_in(lang, "/event-names", who),
        rows: names
            .kinds
            .iter()
            .map(|(n, k)| (n.clone(), kind(k)))
            .collect(),
        spec: SPEC_KINDS
            .iter()
            .map(|(name, spec)| SpecRow {
                name: name.to_string(),
                kind: kind(spec),
                table: names.kinds.get(*name).map(|k| kind(k)),
            })
            .collect(),
        channels: own
            .iter()
            .map(|c| {
                let key = c.key.as_str();
                (key.to_string(), channel_name(lang, key, own))
            })
            .collect(),
        channel: typed
            .channel
            .clone()
            .or_else(|| names.default_channel.clone())
            .unwrap_or_default(),
        name_errors: reasons("name"),
        kind_errors: reasons("kind"),
        channel_errors: reasons("default_channel"),
        problems: typed
            .errors
            .iter()
            .map(|e| format!("{}: {}", label(&e.field), lang.reason(&e.reason)))
            .collect(),
        name: typed.name,
        kind: typed.kind,
    };
    let html = page
        .render()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((status, Html(html)).into_response())
}

/// `GET /event-names`
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
) -> Result<Response, ApiError> {
    render(&state, lang, &who, Typed::default(), StatusCode::OK).await
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map_or("", |(_, v)| v.as_str())
}

/// The core names a row's errors `kinds.<name>` (and the table's size `kinds`): on
/// this page they belong to the form's kind (or name) input.
fn as_form_fields(e: Invalid) -> Vec<FieldError> {
    e.0.into_iter()
        .map(|mut e| {
            if e.field == "kinds" {
                e.field = "name".into();
            } else if e.field.starts_with("kinds.") {
                e.field = "kind".into();
            }
            e
        })
        .collect()
}

/// `POST /event-names`: `action=set` (name, kind) adds or changes a row,
/// `action=remove` (name) removes one, `action=channel` (default_channel) sets the
/// channel of events that name none.
pub async fn edit(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let me = who.provider.id;
    let current: EventNames = crate::settings::read::<EventNames>(&state, me).await?;
    let mut input = EventNamesInput {
        kinds: Some(current.kinds.clone()),
        default_channel: current.default_channel.clone(),
    };
    let mut typed = Typed::default();
    match field(&fields, "action") {
        "set" => {
            typed.name = field(&fields, "name").trim().to_string();
            typed.kind = field(&fields, "kind").trim().to_string();
            let mut refused = Vec::new();
            if let Err(e) = text("name", &typed.name, NAME_MAX) {
                refused.extend(e.0);
            }
            if typed.kind.is_empty() {
                refused.push(FieldError {
                    field: "kind".into(),
                    reason: Reason::Required,
                });
            }
            if !refused.is_empty() {
                typed.errors = refused;
                return render(&state, lang, &who, typed, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
            if let Some(kinds) = input.kinds.as_mut() {
                kinds.insert(typed.name.clone(), typed.kind.clone());
            }
        }
        "remove" => {
            if let Some(kinds) = input.kinds.as_mut() {
                kinds.remove(field(&fields, "name").trim());
            }
        }
        "channel" => {
            let chosen = field(&fields, "default_channel").trim().to_string();
            input.default_channel = (!chosen.is_empty()).then(|| chosen.clone());
            typed.channel = Some(chosen);
        }
        other => {
            return Err(ApiError::invalid(
                "action",
                Reason::OneOf {
                    value: other.to_string(),
                    allowed: List::of(["set", "remove", "channel"]),
                },
            ));
        }
    }
    match save(&state, me, &input, Some(&Actor::from(&who.user))).await {
        Ok(_) => Ok(Redirect::to("/event-names").into_response()),
        Err(ApiError::Invalid(e)) => {
            typed.errors = as_form_fields(e);
            render(&state, lang, &who, typed, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e),
    }
}
