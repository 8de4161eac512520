//! The quarantine in the browser: the events that were refused and why, and, for those
//! from one source or refused on one field, a replay or a discard of them all at once
//! (the same work as `POST /api/v1/quarantine/replay` and `/discard`).

use super::Shell;
use super::i18n::Lang;
use super::session::SignedIn;
use crate::api::quarantine::{QuarantineSelection, SOURCES, replay_all};
use crate::error::ApiError;
use crate::state::AppState;
use crate::ui::i18n::Messages;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use motesplats_core::PageRequest;
use motesplats_core::reason::{List, Reason};
use motesplats_store::Actor;
use serde::Deserialize;

/// Rows shown; the actions take every event that matches, shown or not.
const SHOWN: u32 = 200;
/// How much of an event as it arrived is shown.
const RAW_CHARS: usize = 300;

/// The selection as the page's fields send it (empty: any).
#[derive(Debug, Default, Deserialize)]
pub struct Fields {
    #[serde(default)]
    source: String,
    #[serde(default)]
    field: String,
    /// `replay` or `discard` (posted forms only).
    #[serde(default)]
    action: String,
}

impl Fields {
    fn selection(&self) -> QuarantineSelection {
        let given = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        QuarantineSelection {
            source: given(&self.source),
            field: given(&self.field),
        }
    }
}

pub struct Row {
    pub when: String,
    pub source: String,
    pub reasons: Vec<(String, String)>,
    pub raw: String,
}

#[derive(Template)]
#[template(path = "quarantine.html")]
struct QuarantinePage {
    shell: Shell,
    rows: Vec<Row>,
    more: String,
    /// (value, label, chosen) for the source choice.
    sources: Vec<(&'static str, String, bool)>,
    field: String,
    notice: Option<String>,
}

async fn render(
    state: &AppState,
    lang: Lang,
    who: &SignedIn,
    fields: &Fields,
    notice: Option<String>,
) -> Result<Response, ApiError> {
    let filter = fields.selection().filter()?;
    let page = PageRequest {
        limit: SHOWN,
        after: None,
    };
    let held = state
        .store
        .quarantined(who.provider.id, &filter, page)
        .await?;
    let rows = held
        .iter()
        .map(|q| Row {
            when: super::local_time(q.received_at, &who.provider.time_zone),
            source: lang.t(&format!("quarantine-source-{}", q.source)),
            reasons: q
                .errors
                .iter()
                .map(|e| (e.field.clone(), lang.reason(&e.reason)))
                .collect(),
            raw: q.raw.chars().take(RAW_CHARS).collect(),
        })
        .collect::<Vec<_>>();
    let more = if rows.len() as u32 >= SHOWN {
        lang.t_with("quarantine-more", &[("shown", i64::from(SHOWN))])
    } else {
        String::new()
    };
    let chosen = filter.source.as_deref();
    let page = QuarantinePage {
        shell: Shell::signed_in(lang, "/quarantine", who),
        rows,
        more,
        sources: SOURCES
            .iter()
            .map(|s| {
                (
                    *s,
                    lang.t(&format!("quarantine-source-{s}")),
                    chosen == Some(*s),
                )
            })
            .collect(),
        field: filter.field.unwrap_or_default(),
        notice,
    };
    let html = page
        .render()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Html(html).into_response())
}

/// `GET /quarantine?source=…&field=…`
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Query(fields): Query<Fields>,
) -> Result<Response, ApiError> {
    render(&state, lang, &who, &fields, None).await
}

/// `POST /quarantine`: replays or discards every event the selection takes, then
/// shows what remains of it with what was done.
pub async fn act(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Form(fields): Form<Fields>,
) -> Result<Response, ApiError> {
    let me = who.provider.id;
    let filter = fields.selection().filter()?;
    let notice = match fields.action.as_str() {
        "replay" => {
            let done = replay_all(&state, me, &filter).await?;
            lang.t_with(
                "quarantine-replayed",
                &[
                    ("stored", done.stored as i64),
                    ("already", done.already_there as i64),
                    ("still", done.still_rejected as i64),
                ],
            )
        }
        "discard" => {
            let by = Actor::from(&who.user);
            let n = state
                .store
                .discard_quarantined(me, &filter, Some(&by))
                .await?;
            lang.t_with("quarantine-discarded", &[("discarded", n as i64)])
        }
        other => {
            return Err(ApiError::invalid(
                "action",
                Reason::OneOf {
                    value: other.to_string(),
                    allowed: List::of(["replay", "discard"]),
                },
            ));
        }
    };
    render(&state, lang, &who, &fields, Some(notice)).await
}
