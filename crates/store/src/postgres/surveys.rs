//! Surveys as whole definitions, responses as rows: the same rules as
//! `sqlite::surveys`. A response save is one conditional upsert, so the check that an
//! earlier save may still change and the change itself cannot be split by another save.

use super::projects::document_error;
use super::rows::stored;
use super::store::now;
use crate::{Result, StoreError};
use motesplats_core::survey::{Response, Survey, SurveyId};
use motesplats_core::{Invalid, ProviderId};
use serde::de::DeserializeOwned;
use sqlx::types::Json;
use sqlx::{PgPool, Row};
use uuid::Uuid;

fn parse<T: DeserializeOwned>(v: serde_json::Value, what: &str) -> Result<T> {
    serde_json::from_value(v).map_err(|_| StoreError::Backend(format!("unreadable {what}")))
}

pub async fn create(pool: &PgPool, provider: ProviderId, survey: &Survey) -> Result<()> {
    let n = sqlx::query(
        "INSERT INTO surveys (id, provider_id, definition, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(survey.id.0)
    .bind(provider.0)
    .bind(Json(survey))
    .bind(stored(now()))
    .execute(pool)
    .await
    .map_err(document_error)?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::Conflict(Invalid::one(
            "id",
            "a survey with this id exists",
        )));
    }
    Ok(())
}

pub async fn get(
    pool: &PgPool,
    provider: Option<ProviderId>,
    id: SurveyId,
) -> Result<Option<(ProviderId, Survey)>> {
    let row = sqlx::query(
        "SELECT provider_id, definition FROM surveys WHERE id = $1 AND ($2::uuid IS NULL OR provider_id = $2)",
    )
    .bind(id.0)
    .bind(provider.map(|p| p.0))
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let owner: Uuid = r.try_get(0)?;
    let Json(definition): Json<serde_json::Value> = r.try_get(1)?;
    Ok(Some((ProviderId(owner), parse(definition, "survey")?)))
}

pub async fn list(pool: &PgPool, provider: ProviderId) -> Result<Vec<Survey>> {
    let rows: Vec<Json<serde_json::Value>> =
        sqlx::query_scalar("SELECT definition FROM surveys WHERE provider_id = $1 ORDER BY id")
            .bind(provider.0)
            .fetch_all(pool)
            .await?;
    rows.into_iter().map(|Json(d)| parse(d, "survey")).collect()
}

pub async fn save(pool: &PgPool, provider: ProviderId, survey: &Survey) -> Result<()> {
    let n = sqlx::query(
        "UPDATE surveys SET definition = $3, updated_at = $4 WHERE id = $1 AND provider_id = $2",
    )
    .bind(survey.id.0)
    .bind(provider.0)
    .bind(Json(survey))
    .bind(stored(now()))
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

pub async fn save_response(pool: &PgPool, provider: ProviderId, response: &Response) -> Result<()> {
    // Under READ COMMITTED a save that waited for another one on the row checks the
    // condition again against the row that one left.
    let saved: Option<Uuid> = sqlx::query_scalar(
        "INSERT INTO survey_responses (id, survey_id, provider_id, document, completed, submitted_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (id) DO UPDATE SET document = excluded.document, completed = excluded.completed, \
         submitted_at = excluded.submitted_at \
         WHERE survey_responses.completed = false AND survey_responses.survey_id = excluded.survey_id \
         RETURNING id",
    )
    .bind(response.id.0)
    .bind(response.survey_id.0)
    .bind(provider.0)
    .bind(Json(response))
    .bind(response.completed)
    .bind(response.submitted_at)
    .fetch_optional(pool)
    .await
    .map_err(document_error)?;
    if saved.is_some() {
        return Ok(());
    }
    // Nothing changed: an earlier row refused it. Neither its survey nor a completion
    // ever changes again, so reading it now tells why.
    let earlier: Option<(Uuid, bool)> =
        sqlx::query_as("SELECT survey_id, completed FROM survey_responses WHERE id = $1")
            .bind(response.id.0)
            .fetch_optional(pool)
            .await?;
    match earlier {
        Some((survey, _)) if survey != response.survey_id.0 => Err(StoreError::Conflict(
            Invalid::one("response", "belongs to another survey"),
        )),
        Some((_, true)) => Err(StoreError::Conflict(Invalid::one(
            "response",
            "was completed and cannot change",
        ))),
        _ => Err(StoreError::Backend(
            "the response could not be saved; try again".into(),
        )),
    }
}

pub async fn responses(
    pool: &PgPool,
    provider: ProviderId,
    survey: SurveyId,
) -> Result<Vec<Response>> {
    let rows: Vec<Json<serde_json::Value>> = sqlx::query_scalar(
        "SELECT document FROM survey_responses WHERE survey_id = $1 AND provider_id = $2 ORDER BY id",
    )
    .bind(survey.0)
    .bind(provider.0)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|Json(d)| parse(d, "response"))
        .collect()
}
