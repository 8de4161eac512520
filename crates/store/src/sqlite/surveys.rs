//! Surveys as whole definitions, responses as rows.

use super::rows::micros;
use crate::{Result, StoreError};
use chrono::Utc;
use motesplats_core::survey::{Response, Survey, SurveyId};
use motesplats_core::{Invalid, ProviderId};
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
            "a survey with this id exists",
        )));
    }
    Ok(())
}

pub fn get(
    c: &Connection,
    provider: Option<ProviderId>,
    id: SurveyId,
) -> Result<Option<(ProviderId, Survey)>> {
    let row: Option<(Uuid, String)> = c
        .prepare_cached("SELECT provider_id, definition FROM surveys WHERE id = ?1")?
        .query_row([id.0], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match row {
        Some((owner, _)) if provider.is_some_and(|p| p.0 != owner) => Ok(None),
        Some((owner, definition)) => Ok(Some((ProviderId(owner), parse(&definition, "survey")?))),
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

pub fn save(c: &Connection, provider: ProviderId, survey: &Survey) -> Result<()> {
    let n = c.execute(
        "UPDATE surveys SET definition = ?3, updated_at = ?4 WHERE id = ?1 AND provider_id = ?2",
        params![survey.id.0, provider.0, json(survey)?, micros(Utc::now())],
    )?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub fn save_response(c: &Connection, provider: ProviderId, response: &Response) -> Result<()> {
    let earlier: Option<(Uuid, bool)> = c
        .prepare_cached("SELECT survey_id, completed FROM survey_responses WHERE id = ?1")?
        .query_row([response.id.0], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match earlier {
        Some((survey, _)) if survey != response.survey_id.0 => {
            return Err(StoreError::Conflict(Invalid::one(
                "response",
                "belongs to another survey",
            )));
        }
        Some((_, true)) => {
            return Err(StoreError::Conflict(Invalid::one(
                "response",
                "was completed and cannot change",
            )));
        }
        _ => {}
    }
    c.execute(
        "INSERT INTO survey_responses (id, survey_id, provider_id, document, completed, submitted_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (id) DO UPDATE SET document = excluded.document, completed = excluded.completed, \
         submitted_at = excluded.submitted_at",
        params![
            response.id.0,
            response.survey_id.0,
            provider.0,
            json(response)?,
            response.completed,
            micros(response.submitted_at)
        ],
    )?;
    Ok(())
}

pub fn responses(c: &Connection, provider: ProviderId, survey: SurveyId) -> Result<Vec<Response>> {
    let rows: Vec<String> = c
        .prepare_cached("SELECT document FROM survey_responses WHERE survey_id = ?1 AND provider_id = ?2 ORDER BY id")?
        .query_map(params![survey.0, provider.0], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    rows.iter().map(|d| parse(d, "response")).collect()
}
