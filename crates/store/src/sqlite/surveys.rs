//! Surveys as whole definitions, responses as rows.

use super::rows::micros;
use crate::{ResponseSaved, ResponseWrite, Result, StoreError, StoredSurvey, SurveyChange};
use chrono::Utc;
use motesplats_core::survey::{Response, ResponseId, Survey, SurveyId};
use motesplats_core::{Invalid, ProfileId, ProviderId};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Backend(e.to_string()))
}

fn parse<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|_| StoreError::Backend(format!("unreadable {what}")))
}

pub fn create(c: &Connection, provider: ProviderId, survey: &Survey) -> Result<()> {
    let n = c.execute(
        "INSERT OR IGNORE INTO surveys (id, provider_id, definition, updated_at) VALUES (?1, ?2, ?3, ?4)",
        params![survey.id.0, provider.0, json(survey)?, micros(Utc::now())],
    )?;
    if n == 0 {
        return Err(StoreError::Conflict(Invalid::one(
            "id",
            motesplats_core::Reason::Exists {
                what: "survey".into(),
            },
        )));
    }
    Ok(())
}

pub fn get(
    c: &Connection,
    provider: Option<ProviderId>,
    id: SurveyId,
) -> Result<Option<StoredSurvey>> {
    let row: Option<(Uuid, i64, String)> = c
        .prepare_cached("SELECT provider_id, revision, definition FROM surveys WHERE id = ?1")?
        .query_row([id.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    match row {
        Some((owner, ..)) if provider.is_some_and(|p| p.0 != owner) => Ok(None),
        Some((owner, revision, definition)) => Ok(Some(StoredSurvey {
            owner: ProviderId(owner),
            revision,
            survey: parse(&definition, "survey")?,
        })),
        None => Ok(None),
    }
}

pub fn list(c: &Connection, provider: ProviderId) -> Result<Vec<Survey>> {
    let rows: Vec<String> = c
        .prepare_cached("SELECT definition FROM surveys WHERE provider_id = ?1 ORDER BY id")?
        .query_map([provider.0], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    rows.iter().map(|d| parse(d, "survey")).collect()
}

/// Runs on the writer thread, so nothing else writes between the checks and the save.
pub fn change(
    c: &Connection,
    provider: ProviderId,
    id: SurveyId,
    expected: Option<i64>,
    change: SurveyChange,
) -> Result<StoredSurvey> {
    let row: Option<(i64, String)> = c
        .prepare_cached(
            "SELECT revision, definition FROM surveys WHERE id = ?1 AND provider_id = ?2",
        )?
        .query_row(params![id.0, provider.0], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (revision, definition) = row.ok_or(StoreError::NotFound)?;
    if let Some(expected) = expected.filter(|e| *e != revision) {
        return Err(StoreError::stale_survey(expected, revision));
    }
    let answered: bool = c
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM survey_responses WHERE survey_id = ?1)")?
        .query_row([id.0], |r| r.get(0))?;
    let next = change(parse(&definition, "survey")?, answered).map_err(StoreError::Invalid)?;
    c.execute(
        "UPDATE surveys SET definition = ?2, revision = ?3, updated_at = ?4 WHERE id = ?1",
        params![id.0, json(&next)?, revision + 1, micros(Utc::now())],
    )?;
    Ok(StoredSurvey {
        owner: provider,
        revision: revision + 1,
        survey: next,
    })
}

/// Runs on the writer thread, so the survey cannot change between the check of its
/// revision and the save.
pub fn save_response(
    c: &Connection,
    provider: ProviderId,
    response: &Response,
    revision: i64,
    write: ResponseWrite,
) -> Result<ResponseSaved> {
    let current: Option<i64> = c
        .prepare_cached("SELECT revision FROM surveys WHERE id = ?1 AND provider_id = ?2")?
        .query_row(params![response.survey_id.0, provider.0], |r| r.get(0))
        .optional()?;
    match current {
        None => return Err(StoreError::NotFound),
        Some(r) if r != revision => return Ok(ResponseSaved::SurveyChanged),
        Some(_) => {}
    }
    match write {
        ResponseWrite::New { resume_sha256 } => {
            c.execute(
                "INSERT INTO survey_responses (id, survey_id, provider_id, document, completed, submitted_at, resume_sha256) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    response.id.0,
                    response.survey_id.0,
                    provider.0,
                    json(response)?,
                    response.completed,
                    micros(response.submitted_at),
                    resume_sha256.as_ref().map(|h| &h[..]),
                ],
            )?;
        }
        ResponseWrite::Continue { resume_sha256 } => {
            let n = c.execute(
                "UPDATE survey_responses SET document = ?5, completed = ?6, submitted_at = ?7 \
                 WHERE id = ?1 AND survey_id = ?2 AND provider_id = ?3 AND resume_sha256 = ?4 AND completed = 0",
                params![
                    response.id.0,
                    response.survey_id.0,
                    provider.0,
                    &resume_sha256[..],
                    json(response)?,
                    response.completed,
                    micros(response.submitted_at),
                ],
            )?;
            if n == 0 {
                let opened =
                    resumable(c, provider, response.survey_id, response.id, resume_sha256)?;
                return Err(if opened.is_some() {
                    StoreError::response_completed()
                } else {
                    StoreError::NotFound
                });
            }
        }
    }
    Ok(ResponseSaved::Saved)
}

pub fn resumable(
    c: &Connection,
    provider: ProviderId,
    survey: SurveyId,
    id: ResponseId,
    resume_sha256: [u8; 32],
) -> Result<Option<Response>> {
    let document: Option<String> = c
        .prepare_cached(
            "SELECT document FROM survey_responses \
             WHERE id = ?1 AND survey_id = ?2 AND provider_id = ?3 AND resume_sha256 = ?4",
        )?
        .query_row(
            params![id.0, survey.0, provider.0, &resume_sha256[..]],
            |r| r.get(0),
        )
        .optional()?;
    document.map(|d| parse(&d, "response")).transpose()
}

/// The secret called `name`, made from `candidate` the first time.
pub fn secret(c: &Connection, name: &str, candidate: [u8; 32]) -> Result<[u8; 32]> {
    c.execute(
        "INSERT OR IGNORE INTO server_secrets (name, secret) VALUES (?1, ?2)",
        params![name, &candidate[..]],
    )?;
    let stored: Vec<u8> = c.query_row(
        "SELECT secret FROM server_secrets WHERE name = ?1",
        [name],
        |r| r.get(0),
    )?;
    stored
        .try_into()
        .map_err(|_| StoreError::Backend(format!("the secret {name} is not 32 bytes")))
}

/// The responses linked to one of the provider's profiles, oldest first.
pub fn of_profile(
    c: &Connection,
    provider: ProviderId,
    profile: ProfileId,
) -> Result<Vec<Response>> {
    let rows: Vec<String> = c
        .prepare_cached(
            "SELECT document FROM survey_responses WHERE provider_id = ?1 \
             AND json_extract(document, '$.profile_id') = ?2 ORDER BY id",
        )?
        .query_map(params![provider.0, profile.0.to_string()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    rows.iter().map(|d| parse(d, "response")).collect()
}

pub fn responses(c: &Connection, provider: ProviderId, survey: SurveyId) -> Result<Vec<Response>> {
    let rows: Vec<String> = c
        .prepare_cached("SELECT document FROM survey_responses WHERE survey_id = ?1 AND provider_id = ?2 ORDER BY id")?
        .query_map(params![survey.0, provider.0], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    rows.iter().map(|d| parse(d, "response")).collect()
}
