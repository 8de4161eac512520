//! Coding of open survey answers: the provider's codebook as one versioned document,
//! codings as rows. Every query filters by the provider.

use super::rows::{micros, time};
use crate::{Result, StoreError};
use chrono::Utc;
use motesplats_core::coding::{CodeKey, Coding, CodingId};
use motesplats_core::survey::{ResponseId, SurveyId, SurveyKey};
use motesplats_core::{Invalid, ProviderId};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

/// Why a codebook save named a version that is not the stored one.
pub(crate) fn stale(expected: Option<i64>, current: Option<i64>) -> StoreError {
    // No version read is the default codebook's, 0; none saved is version 0 too.
    let what = "codebook".to_string();
    let reason = match (expected, current) {
        (None, None) => motesplats_core::Reason::NotSaved { what },
        (expected, current) => motesplats_core::Reason::Changed {
            what,
            expected: expected.unwrap_or(0),
            current: current.unwrap_or(0),
        },
    };
    StoreError::Conflict(Invalid::one("version", reason))
}

pub(crate) fn unreadable() -> StoreError {
    StoreError::Backend("unreadable coding in the database".into())
}

pub fn codebook(c: &Connection, provider: ProviderId) -> Result<Option<(i64, serde_json::Value)>> {
    let row: Option<(i64, String)> = c
        .prepare_cached("SELECT version, document FROM codebooks WHERE provider_id = ?1")?
        .query_row([provider.0], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    row.map(|(version, document)| {
        serde_json::from_str(&document)
            .map(|d| (version, d))
            .map_err(|_| StoreError::Backend("unreadable codebook document".into()))
    })
    .transpose()
}

pub fn save_codebook(
    c: &Connection,
    provider: ProviderId,
    expected: Option<i64>,
    document: &serde_json::Value,
) -> Result<i64> {
    let at = micros(Utc::now());
    let n = match expected {
        None => c.execute(
            "INSERT OR IGNORE INTO codebooks (provider_id, version, document, updated_at) VALUES (?1, 1, ?2, ?3)",
            params![provider.0, document.to_string(), at],
        )?,
        Some(v) => c.execute(
            "UPDATE codebooks SET version = version + 1, document = ?3, updated_at = ?4 \
             WHERE provider_id = ?1 AND version = ?2",
            params![provider.0, v, document.to_string(), at],
        )?,
    };
    if n == 1 {
        return Ok(expected.map_or(1, |v| v + 1));
    }
    let current: Option<i64> = c
        .query_row(
            "SELECT version FROM codebooks WHERE provider_id = ?1",
            [provider.0],
            |r| r.get(0),
        )
        .optional()?;
    Err(stale(expected, current))
}

pub fn add(c: &Connection, provider: ProviderId, coding: &Coding) -> Result<()> {
    // The response must be one of the survey's, and the survey the provider's.
    let n = c.execute(
        "INSERT INTO codings (id, provider_id, survey_id, response_id, question, start_at, end_at, code, coder, created_at) \
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 WHERE EXISTS ( \
             SELECT 1 FROM survey_responses r JOIN surveys s ON s.id = r.survey_id \
             WHERE r.id = ?4 AND r.survey_id = ?3 AND s.provider_id = ?2)",
        params![
            coding.id.0,
            provider.0,
            coding.survey_id.0,
            coding.response_id.0,
            coding.question.as_str(),
            coding.start,
            coding.end,
            coding.code.as_str(),
            coding.coder,
            micros(coding.created_at),
        ],
    )?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub fn delete(c: &Connection, provider: ProviderId, id: CodingId) -> Result<()> {
    let n = c.execute(
        "DELETE FROM codings WHERE id = ?1 AND provider_id = ?2",
        params![id.0, provider.0],
    )?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

type Row = (Uuid, Uuid, Uuid, String, i64, i64, String, String, i64);

pub fn list(c: &Connection, provider: ProviderId, survey: SurveyId) -> Result<Vec<Coding>> {
    let rows: Vec<Row> = c
        .prepare_cached(
            "SELECT id, survey_id, response_id, question, start_at, end_at, code, coder, created_at \
             FROM codings WHERE provider_id = ?1 AND survey_id = ?2 ORDER BY id",
        )?
        .query_map(params![provider.0, survey.0], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(
            |(id, survey, response, question, start, end, code, coder, created_at)| {
                Ok(Coding {
                    id: CodingId(id),
                    survey_id: SurveyId(survey),
                    response_id: ResponseId(response),
                    question: SurveyKey::parse(&question).map_err(|_| unreadable())?,
                    start: u32::try_from(start).map_err(|_| unreadable())?,
                    end: u32::try_from(end).map_err(|_| unreadable())?,
                    code: CodeKey::parse(&code).map_err(|_| unreadable())?,
                    coder,
                    created_at: time(created_at)?,
                })
            },
        )
        .collect()
}

pub fn in_use(c: &Connection, provider: ProviderId, code: &str) -> Result<bool> {
    let found: Option<i64> = c
        .prepare_cached("SELECT 1 FROM codings WHERE provider_id = ?1 AND code = ?2 LIMIT 1")?
        .query_row(params![provider.0, code], |r| r.get(0))
        .optional()?;
    Ok(found.is_some())
}
