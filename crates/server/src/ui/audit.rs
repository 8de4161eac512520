//! The audit log of staff actions (`/staff/audit`, admins): newest first, a page at
//! a time, each action in the reader's language.

use super::i18n::{Lang, Messages};
use super::session::SignedIn;
use super::staff::role_name;
use super::{Shell, local_time};
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use motesplats_store::{AuditAction, Role};
use serde::Deserialize;
use uuid::Uuid;

/// Entries per page.
const PAGE: u32 = 50;

/// One row as shown: when, who, what, to what.
struct Row {
    at: String,
    email: String,
    action: String,
    object: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    shell: Shell,
    rows: Vec<Row>,
    /// The link to the next older page, when there is one.
    older: Option<String>,
}

#[derive(Deserialize)]
pub struct Before {
    before: Option<Uuid>,
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Query(q): Query<Before>,
) -> Result<Html<String>, ApiError> {
    // One more than shown tells whether an older page exists.
    let mut entries = state
        .store
        .audit_log(who.provider.id, q.before, PAGE + 1)
        .await?;
    let more = entries.len() > PAGE as usize;
    entries.truncate(PAGE as usize);
    let older = more
        .then(|| {
            entries
                .last()
                .map(|e| format!("/staff/audit?before={}", e.id))
        })
        .flatten();
    let time_zone = &who.provider.time_zone;
    let rows = entries
        .into_iter()
        .map(|e| {
            // A role named in the entry (an invitation's, a new one) is said in words.
            let detail = Role::parse(&e.detail).map(|r| role_name(lang, r));
            // A settings change names its kind: the message says it in words.
            let settings = e.action == AuditAction::Settings;
            Row {
                at: local_time(e.at, time_zone),
                email: e.email,
                action: lang.t_text(
                    &format!("audit-{}", e.action.as_str()),
                    &[
                        ("role", detail.unwrap_or_default()),
                        ("detail", e.object.clone()),
                    ],
                ),
                object: if settings { String::new() } else { e.object },
            }
        })
        .collect();
    let page = AuditPage {
        shell: Shell::signed_in(lang, "/staff/audit", &who),
        rows,
        older,
    };
    Ok(Html(
        page.render()
            .map_err(|e| ApiError::Internal(e.to_string()))?,
    ))
}
