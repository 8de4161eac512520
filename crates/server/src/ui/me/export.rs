//! Everything known about the person, to take with them (seed 004): one JSON
//! document, and the same as one CSV file per table. What the person's page shows,
//! but whole: every touchpoint and survey answer of every record, every read, every
//! grant.

use super::PersonSignedIn;
use crate::csv_out;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use motesplats_core::consent::{Choice, ContactPreferences, Grant};
use motesplats_core::survey::Response as SurveyAnswer;
use motesplats_core::{Identifier, PersonId, Profile, ProviderId, Touchpoint};
use motesplats_store::AccessEntry;
use motesplats_store::grant::GRANT_READ;
use serde::Serialize;

/// How many reads of each provider's person the export lists, newest first.
const READS: u32 = 10_000;

#[derive(Serialize)]
pub struct Export {
    exported_at: DateTime<Utc>,
    /// The addresses the person verified.
    identifiers: Vec<Identifier>,
    /// None until the person set them.
    contact_preferences: Option<ContactPreferences>,
    providers: Vec<Held>,
    grants: Vec<Grant>,
}

/// One provider and what it keeps.
#[derive(Serialize)]
struct Held {
    id: ProviderId,
    name: String,
    records: Vec<Record>,
    /// The person's own choices there.
    consents: Vec<Choice>,
    reads: Vec<Read>,
}

#[derive(Serialize)]
struct Record {
    profile: Profile,
    touchpoints: Vec<Touchpoint>,
    survey_answers: Vec<SurveyAnswer>,
}

#[derive(Serialize)]
struct Read {
    at: DateTime<Utc>,
    /// Who read: the provider itself, or another through a grant.
    reader: ProviderId,
    /// `profile`, `person`, `touchpoints`, `identity`, or `grant`.
    action: String,
}

async fn export(state: &AppState, me: &PersonSignedIn) -> Result<Export, ApiError> {
    let store = &state.store;
    let records = store.account_records(me.account, u32::MAX).await?;
    let own = store.own_consents(me.account).await?;
    let mut providers: Vec<Held> = Vec::new();
    for (provider, person) in store.account_persons(me.account).await? {
        let mine: Vec<_> = records
            .iter()
            .filter(|r| r.provider.id == provider.id)
            .collect();
        let reads: Vec<Read> = visible_reads(state, provider.id, person, &mine, READS)
            .await?
            .into_iter()
            .map(|e| Read {
                at: e.at,
                reader: e.provider_id,
                action: e.action,
            })
            .collect();
        if let Some(h) = providers.iter_mut().find(|h| h.id == provider.id) {
            h.reads.extend(reads);
            continue;
        }
        providers.push(Held {
            id: provider.id,
            name: provider.name,
            records: mine
                .into_iter()
                .map(|r| Record {
                    profile: r.profile.clone(),
                    touchpoints: r.latest.clone(),
                    survey_answers: r.responses.clone(),
                })
                .collect(),
            consents: own
                .iter()
                .filter(|(at, _)| *at == provider.id)
                .map(|(_, c)| c.clone())
                .collect(),
            reads,
        });
    }
    Ok(Export {
        exported_at: Utc::now(),
        identifiers: store.account_identifiers(me.account).await?,
        contact_preferences: store.contact_preferences(me.account).await?,
        providers,
        grants: store.grants(me.account).await?,
    })
}

/// The reads of one provider's person that the person may see, newest first: reads of
/// them as a whole or of a record with a verified address (never of a record only the
/// provider's own merges put beside them), by the provider or, through a grant, another.
pub(super) async fn visible_reads(
    state: &AppState,
    provider: ProviderId,
    person: PersonId,
    mine: &[&motesplats_store::HeldRecord],
    limit: u32,
) -> Result<Vec<AccessEntry>, ApiError> {
    Ok(state
        .store
        .access_log(person, limit)
        .await?
        .into_iter()
        .filter(|e| e.provider_id == provider || e.action == GRANT_READ)
        .filter(|e| {
            e.profile_id
                .is_none_or(|p| mine.iter().any(|r| r.profile.id == p))
        })
        .collect())
}

fn attachment(content_type: &'static str, name: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CONTENT_DISPOSITION,
                &format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /me/export.json`: everything, as one document.
pub async fn json(State(state): State<AppState>, me: PersonSignedIn) -> Result<Response, ApiError> {
    let doc = export(&state, &me).await?;
    let body = serde_json::to_vec_pretty(&doc).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(attachment(
        "application/json",
        "motesplats-export.json",
        body,
    ))
}

/// The tables the CSV export offers, by file name.
pub const TABLES: [&str; 6] = [
    "identifiers.csv",
    "touchpoints.csv",
    "survey_answers.csv",
    "consents.csv",
    "reads.csv",
    "grants.csv",
];

/// `GET /me/export/{table}`: one table of the document as CSV.
pub async fn csv(
    State(state): State<AppState>,
    me: PersonSignedIn,
    Path(table): Path<String>,
) -> Result<Response, ApiError> {
    if !TABLES.contains(&table.as_str()) {
        return Err(ApiError::NotFound);
    }
    let doc = export(&state, &me).await?;
    let body = table_csv(&doc, &table).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(attachment("text/csv; charset=utf-8", &table, body))
}

fn table_csv(doc: &Export, table: &str) -> csv::Result<Vec<u8>> {
    let mut out = csv_out::Writer::in_memory();
    let time = |t: DateTime<Utc>| t.to_rfc3339();
    match table {
        "identifiers.csv" => {
            out.row(["provider", "profile_id", "kind", "value", "verified"])?;
            for h in &doc.providers {
                for r in &h.records {
                    for i in &r.profile.identifiers {
                        let verified = doc.identifiers.contains(i);
                        out.row([
                            h.name.as_str(),
                            &r.profile.id.to_string(),
                            i.kind.as_str(),
                            &i.value,
                            if verified { "yes" } else { "no" },
                        ])?;
                    }
                }
            }
        }
        "touchpoints.csv" => {
            out.row([
                "provider",
                "profile_id",
                "id",
                "occurred_at",
                "channel",
                "kind",
                "initiator",
                "phase",
                "properties",
            ])?;
            for h in &doc.providers {
                for r in &h.records {
                    for t in &r.touchpoints {
                        out.row([
                            h.name.as_str(),
                            &r.profile.id.to_string(),
                            &t.id.to_string(),
                            &time(t.occurred_at),
                            t.channel.as_str(),
                            t.kind.as_str(),
                            t.initiator.as_str(),
                            t.phase.map_or("", |p| p.as_str()),
                            &serde_json::Value::Object(t.properties.clone()).to_string(),
                        ])?;
                    }
                }
            }
        }
        "survey_answers.csv" => {
            out.row([
                "provider",
                "profile_id",
                "survey_id",
                "response_id",
                "submitted_at",
                "answers",
            ])?;
            for h in &doc.providers {
                for r in &h.records {
                    for a in &r.survey_answers {
                        out.row([
                            h.name.as_str(),
                            &r.profile.id.to_string(),
                            &a.survey_id.to_string(),
                            &a.id.to_string(),
                            &time(a.submitted_at),
                            &serde_json::to_string(&a.answers).unwrap_or_default(),
                        ])?;
                    }
                }
            }
        }
        "consents.csv" => {
            out.row(["provider", "purpose", "given", "at"])?;
            for h in &doc.providers {
                for c in &h.consents {
                    out.row([
                        h.name.as_str(),
                        c.purpose.as_str(),
                        if c.given { "yes" } else { "no" },
                        &time(c.at),
                    ])?;
                }
            }
        }
        "reads.csv" => {
            out.row(["provider", "at", "reader", "action"])?;
            for h in &doc.providers {
                for r in &h.reads {
                    out.row([
                        h.name.as_str(),
                        &time(r.at),
                        &name(doc, r.reader),
                        &r.action,
                    ])?;
                }
            }
        }
        _ => {
            out.row([
                "id",
                "holder",
                "reader",
                "categories",
                "purpose",
                "until",
                "created_at",
                "revoked_at",
            ])?;
            for g in &doc.grants {
                let categories: Vec<_> = g.categories.iter().map(|c| c.as_str()).collect();
                out.row([
                    g.id.to_string(),
                    name(doc, g.holder),
                    name(doc, g.reader),
                    categories.join(" "),
                    g.purpose.as_str().to_string(),
                    time(g.until),
                    time(g.created_at),
                    g.revoked_at.map(time).unwrap_or_default(),
                ])?;
            }
        }
    }
    out.into_inner()
}

/// A provider's name as the document knows it, else its id.
fn name(doc: &Export, id: ProviderId) -> String {
    doc.providers
        .iter()
        .find(|h| h.id == id)
        .map_or_else(|| id.to_string(), |h| h.name.clone())
}
