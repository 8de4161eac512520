//! Surveys read and written out without HTTP: the results as CSV, the
//! responses as CSV, the 0/1 code table as CSV, the codebook loaded and saved. The API,
//! the web UI and the CLI (`motesplats survey …`) all go through these, so a download
//! is the same wherever it is made.
//!
//! Everything here takes the store (`&dyn Store`) or plain data, never a request; the
//! statistics themselves are the core's (`motesplats_core::survey`, `coding`).

use crate::error::ApiError;
use motesplats_core::coding::{Codebook, Coding, code_table};
use motesplats_core::survey::{Response, Survey};
use motesplats_core::{FieldError, Invalid, Provider, ProviderId};
use motesplats_store::Store;

pub use crate::api::survey_analysis::{Data, LEVEL, RESULTS_HEADER, level, results_csv};
pub use crate::api::surveys::responses_csv;

/// The channel a survey is tied to must be one the provider knows (422 naming
/// `channel`).
/// The change that sets a survey's status (the API, the builder and the CLI share it).
pub fn status_change(
    status: motesplats_core::survey::SurveyStatus,
) -> motesplats_store::SurveyChange {
    Box::new(move |s: Survey, _| s.with_status(status).map_err(|e| e.within("status")))
}

pub async fn check_channel(
    store: &dyn Store,
    me: ProviderId,
    survey: &Survey,
) -> Result<(), ApiError> {
    if let Some(channel) = &survey.context.channel {
        let known = store.channels(me).await?;
        if !known.iter().any(|c| c.key.as_str() == channel.as_str()) {
            return Err(ApiError::invalid(
                "channel",
                motesplats_core::Reason::UnknownChannel {
                    value: channel.as_str().to_string(),
                },
            ));
        }
    }
    Ok(())
}

/// `survey` of `provider` with its responses (completed only unless `partial`).
pub async fn data(
    store: &dyn Store,
    survey: Survey,
    provider: Provider,
    partial: bool,
) -> Result<Data, ApiError> {
    let mut responses = store.responses(provider.id, survey.id).await?;
    if !partial {
        responses.retain(|r| r.completed);
    }
    Ok(Data {
        survey,
        provider,
        responses,
        segments: Vec::new(),
    })
}

/// The codes as CSV (`GET /api/v1/surveys/{id}/codes.csv`): one row per response in
/// `responses`, `response_id`, `submitted_at`, then one 0/1 column per code (parents
/// before children); the cells stay empty for a response nobody (or not `coder`)
/// coded, since "not coded" is not "absent".
pub fn codes_csv(
    book: &Codebook,
    responses: &[Response],
    codings: &[Coding],
    coder: Option<&str>,
) -> Result<Vec<u8>, ApiError> {
    let table = code_table(book, responses, codings, coder);
    let mut csv = crate::csv_out::Writer::in_memory();
    let failed = |e: csv::Error| ApiError::Internal(e.to_string());
    let header: Vec<&str> = ["response_id", "submitted_at"]
        .into_iter()
        .chain(table.codes.iter().map(|k| k.as_str()))
        .collect();
    csv.row(&header).map_err(failed)?;
    for row in &table.rows {
        let mut record = vec![row.response_id.to_string(), row.submitted_at.to_rfc3339()];
        record.extend(row.present.iter().map(|&p| match (row.coded, p) {
            (false, _) => String::new(),
            (true, p) => u8::from(p).to_string(),
        }));
        csv.row(&record).map_err(failed)?;
    }
    csv.into_inner().map_err(failed)
}

/// The provider's codebook: its saved one, or the default (the value landscape's
/// codes, version 0).
pub async fn codebook(store: &dyn Store, me: ProviderId) -> Result<Codebook, ApiError> {
    match store.codebook(me).await? {
        None => Ok(Codebook::value_landscape()),
        Some((version, document)) => {
            let mut book: Codebook = serde_json::from_value(document)
                .map_err(|e| ApiError::Internal(format!("a stored codebook does not load: {e}")))?;
            book.version = u32::try_from(version)
                .map_err(|_| ApiError::Internal("a codebook version out of range".into()))?;
            Ok(book)
        }
    }
}

/// Saves `next` in place of `current` if `expected` is still its version (409 naming
/// `version` otherwise) and no code with codings goes away (409 naming the code); the
/// saved codebook with its new version.
pub async fn save_codebook(
    store: &dyn Store,
    me: ProviderId,
    expected: u32,
    current: &Codebook,
    mut next: Codebook,
) -> Result<Codebook, ApiError> {
    if current.version != expected {
        return Err(ApiError::Conflict(Invalid::one(
            "version",
            motesplats_core::Reason::Changed {
                what: "codebook".into(),
                expected: expected.into(),
                current: current.version.into(),
            },
        )));
    }
    let mut in_use = Vec::new();
    for key in current.removed_in(&next) {
        if store.code_in_use(me, key.as_str()).await? {
            in_use.push(FieldError {
                field: "codes".into(),
                reason: motesplats_core::Reason::HasCodings {
                    key: key.to_string(),
                },
            });
        }
    }
    if !in_use.is_empty() {
        return Err(ApiError::Conflict(Invalid(in_use)));
    }
    next.version = expected + 1;
    let document = serde_json::to_value(&next).map_err(|e| ApiError::Internal(e.to_string()))?;
    let saved = store
        .save_codebook(me, (expected > 0).then_some(i64::from(expected)), document)
        .await?;
    if saved != i64::from(next.version) {
        return Err(ApiError::Internal(format!(
            "the store gave version {saved}, expected {}",
            next.version
        )));
    }
    Ok(next)
}
