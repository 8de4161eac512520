//! Coding of open survey answers: the same rules as `sqlite::coding`. A codebook save
//! is one conditional statement, so of two saves naming the same version only one wins;
//! a coding's insert checks in the same statement that the response is the survey's
//! and the survey the provider's.

use super::projects::document_error;
use super::rows::stored;
use super::store::now;
use crate::sqlite::coding::{stale, unreadable};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use motesplats_core::ProviderId;
use motesplats_core::coding::{CodeKey, Coding, CodingId};
use motesplats_core::survey::{ResponseId, SurveyId, SurveyKey};
use sqlx::PgPool;
use sqlx::types::Json;
use uuid::Uuid;

pub async fn codebook(
    pool: &PgPool,
    provider: ProviderId,
) -> Result<Option<(i64, serde_json::Value)>> {
    let row: Option<(i64, Json<serde_json::Value>)> =
        sqlx::query_as("SELECT version, document FROM codebooks WHERE provider_id = $1")
            .bind(provider.0)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(v, Json(d))| (v, d)))
}

pub async fn save_codebook(
    pool: &PgPool,
    provider: ProviderId,
    expected: Option<i64>,
    document: &serde_json::Value,
) -> Result<i64> {
    let at = stored(now());
    let saved: Option<i64> = match expected {
        None => sqlx::query_scalar(
            "INSERT INTO codebooks (provider_id, version, document, updated_at) VALUES ($1, 1, $2, $3) \
             ON CONFLICT (provider_id) DO NOTHING RETURNING version",
        )
        .bind(provider.0)
        .bind(Json(document))
        .bind(at)
        .fetch_optional(pool)
        .await
        .map_err(document_error)?,
        Some(v) => sqlx::query_scalar(
            "UPDATE codebooks SET version = version + 1, document = $3, updated_at = $4 \
             WHERE provider_id = $1 AND version = $2 RETURNING version",
        )
        .bind(provider.0)
        .bind(v)
        .bind(Json(document))
        .bind(at)
        .fetch_optional(pool)
        .await
        .map_err(document_error)?,
    };
    if let Some(v) = saved {
        return Ok(v);
    }
    let current: Option<i64> =
        sqlx::query_scalar("SELECT version FROM codebooks WHERE provider_id = $1")
            .bind(provider.0)
            .fetch_optional(pool)
            .await?;
    Err(stale(expected, current))
}

pub async fn add(pool: &PgPool, provider: ProviderId, coding: &Coding) -> Result<()> {
    let n = sqlx::query(
        "INSERT INTO codings (id, provider_id, survey_id, response_id, question, start_at, end_at, code, coder, created_at) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 WHERE EXISTS ( \
             SELECT 1 FROM survey_responses r JOIN surveys s ON s.id = r.survey_id \
             WHERE r.id = $4 AND r.survey_id = $3 AND s.provider_id = $2)",
    )
    .bind(coding.id.0)
    .bind(provider.0)
    .bind(coding.survey_id.0)
    .bind(coding.response_id.0)
    .bind(coding.question.as_str())
    .bind(i32::try_from(coding.start).map_err(|_| unreadable())?)
    .bind(i32::try_from(coding.end).map_err(|_| unreadable())?)
    .bind(coding.code.as_str())
    .bind(&coding.coder)
    .bind(stored(coding.created_at))
    .execute(pool)
    .await
    .map_err(document_error)?
    .rows_affected();
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub async fn delete(pool: &PgPool, provider: ProviderId, id: CodingId) -> Result<()> {
    let n = sqlx::query("DELETE FROM codings WHERE id = $1 AND provider_id = $2")
        .bind(id.0)
        .bind(provider.0)
        .execute(pool)
        .await?
        .rows_affected();
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

type Row = (
    Uuid,
    Uuid,
    Uuid,
    String,
    i32,
    i32,
    String,
    String,
    DateTime<Utc>,
);

pub async fn list(pool: &PgPool, provider: ProviderId, survey: SurveyId) -> Result<Vec<Coding>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, survey_id, response_id, question, start_at, end_at, code, coder, created_at \
         FROM codings WHERE provider_id = $1 AND survey_id = $2 ORDER BY id",
    )
    .bind(provider.0)
    .bind(survey.0)
    .fetch_all(pool)
    .await?;
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
                    created_at,
                })
            },
        )
        .collect()
}

pub async fn in_use(pool: &PgPool, provider: ProviderId, code: &str) -> Result<bool> {
    let found: Option<i32> =
        sqlx::query_scalar("SELECT 1 FROM codings WHERE provider_id = $1 AND code = $2 LIMIT 1")
            .bind(provider.0)
            .bind(code)
            .fetch_optional(pool)
            .await?;
    Ok(found.is_some())
}
