//! Surveys as whole definitions, responses as rows: the same rules as
//! `sqlite::surveys`, in transactions that hold the survey's row.

use super::projects::document_error;
use super::rows::stored;
use super::store::now;
use crate::{ResponseSaved, ResponseWrite, Result, StoreError, StoredSurvey, SurveyChange};
use motesplats_core::survey::{Response, ResponseId, Survey, SurveyId};
use motesplats_core::{Invalid, ProfileId, ProviderId};
use serde::de::DeserializeOwned;
use sqlx::types::Json;
use sqlx::{PgPool, Row};

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
            motesplats_core::Reason::Exists {
                what: "survey".into(),
            },
        )));
    }
    Ok(())
}

pub async fn get(
    pool: &PgPool,
    provider: Option<ProviderId>,
    id: SurveyId,
) -> Result<Option<StoredSurvey>> {
    let row = sqlx::query(
        "SELECT provider_id, revision, definition FROM surveys WHERE id = $1 AND ($2::uuid IS NULL OR provider_id = $2)",
    )
    .bind(id.0)
    .bind(provider.map(|p| p.0))
    .fetch_optional(pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let Json(definition): Json<serde_json::Value> = r.try_get(2)?;
    Ok(Some(StoredSurvey {
        owner: ProviderId(r.try_get(0)?),
        revision: r.try_get(1)?,
        survey: parse(definition, "survey")?,
    }))
}

pub async fn list(pool: &PgPool, provider: ProviderId) -> Result<Vec<Survey>> {
    let rows: Vec<Json<serde_json::Value>> =
        sqlx::query_scalar("SELECT definition FROM surveys WHERE provider_id = $1 ORDER BY id")
            .bind(provider.0)
            .fetch_all(pool)
            .await?;
    rows.into_iter().map(|Json(d)| parse(d, "survey")).collect()
}

/// The survey row is locked for update, and a response save takes it for share, so no
/// response lands between the question whether any exist and the save.
pub async fn change(
    pool: &PgPool,
    provider: ProviderId,
    id: SurveyId,
    expected: Option<i64>,
    change: SurveyChange,
) -> Result<StoredSurvey> {
    let mut tx = pool.begin().await?;
    let row: Option<(i64, Json<serde_json::Value>)> = sqlx::query_as(
        "SELECT revision, definition FROM surveys WHERE id = $1 AND provider_id = $2 FOR UPDATE",
    )
    .bind(id.0)
    .bind(provider.0)
    .fetch_optional(&mut *tx)
    .await?;
    let (revision, Json(definition)) = row.ok_or(StoreError::NotFound)?;
    if let Some(expected) = expected.filter(|e| *e != revision) {
        return Err(StoreError::stale_survey(expected, revision));
    }
    let answered: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM survey_responses WHERE survey_id = $1)")
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await?;
    let next = change(parse(definition, "survey")?, answered).map_err(StoreError::Invalid)?;
    sqlx::query("UPDATE surveys SET definition = $2, revision = $3, updated_at = $4 WHERE id = $1")
        .bind(id.0)
        .bind(Json(&next))
        .bind(revision + 1)
        .bind(stored(now()))
        .execute(&mut *tx)
        .await
        .map_err(document_error)?;
    tx.commit().await?;
    Ok(StoredSurvey {
        owner: provider,
        revision: revision + 1,
        survey: next,
    })
}

/// The survey row is held for share until the response is in, so a change waits for
/// it, and a response waits for a change and then sees the new revision.
pub async fn save_response(
    pool: &PgPool,
    provider: ProviderId,
    response: &Response,
    revision: i64,
    write: ResponseWrite,
) -> Result<ResponseSaved> {
    let mut tx = pool.begin().await?;
    let current: Option<i64> = sqlx::query_scalar(
        "SELECT revision FROM surveys WHERE id = $1 AND provider_id = $2 FOR SHARE",
    )
    .bind(response.survey_id.0)
    .bind(provider.0)
    .fetch_optional(&mut *tx)
    .await?;
    match current {
        None => return Err(StoreError::NotFound),
        Some(r) if r != revision => return Ok(ResponseSaved::SurveyChanged),
        Some(_) => {}
    }
    match write {
        ResponseWrite::New { resume_sha256 } => {
            sqlx::query(
                "INSERT INTO survey_responses (id, survey_id, provider_id, document, completed, submitted_at, resume_sha256) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(response.id.0)
            .bind(response.survey_id.0)
            .bind(provider.0)
            .bind(Json(response))
            .bind(response.completed)
            .bind(stored(response.submitted_at))
            .bind(resume_sha256.map(|h| h.to_vec()))
            .execute(&mut *tx)
            .await
            .map_err(document_error)?;
        }
        ResponseWrite::Continue { resume_sha256 } => {
            // Under READ COMMITTED a save that waited for another one on the row checks
            // the condition again against the row that one left.
            let n = sqlx::query(
                "UPDATE survey_responses SET document = $5, completed = $6, submitted_at = $7 \
                 WHERE id = $1 AND survey_id = $2 AND provider_id = $3 AND resume_sha256 = $4 AND completed = false",
            )
            .bind(response.id.0)
            .bind(response.survey_id.0)
            .bind(provider.0)
            .bind(resume_sha256.to_vec())
            .bind(Json(response))
            .bind(response.completed)
            .bind(stored(response.submitted_at))
            .execute(&mut *tx)
            .await
            .map_err(document_error)?
            .rows_affected();
            if n == 0 {
                // Nothing changed: no such response, or it was completed, which never
                // changes again, so reading it now tells which.
                drop(tx);
                let opened = resumable(
                    pool,
                    provider,
                    response.survey_id,
                    response.id,
                    resume_sha256,
                )
                .await?;
                return Err(if opened.is_some() {
                    StoreError::response_completed()
                } else {
                    StoreError::NotFound
                });
            }
        }
    }
    tx.commit().await?;
    Ok(ResponseSaved::Saved)
}

pub async fn resumable(
    pool: &PgPool,
    provider: ProviderId,
    survey: SurveyId,
    id: ResponseId,
    resume_sha256: [u8; 32],
) -> Result<Option<Response>> {
    let document: Option<Json<serde_json::Value>> = sqlx::query_scalar(
        "SELECT document FROM survey_responses \
         WHERE id = $1 AND survey_id = $2 AND provider_id = $3 AND resume_sha256 = $4",
    )
    .bind(id.0)
    .bind(survey.0)
    .bind(provider.0)
    .bind(resume_sha256.to_vec())
    .fetch_optional(pool)
    .await?;
    document.map(|Json(d)| parse(d, "response")).transpose()
}

/// The secret called `name`, made from `candidate` the first time; a node that loses
/// the race to insert reads the winner's.
pub async fn secret(pool: &PgPool, name: &str, candidate: [u8; 32]) -> Result<[u8; 32]> {
    sqlx::query(
        "INSERT INTO server_secrets (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(candidate.to_vec())
    .execute(pool)
    .await?;
    let stored: Vec<u8> = sqlx::query_scalar("SELECT secret FROM server_secrets WHERE name = $1")
        .bind(name)
        .fetch_one(pool)
        .await?;
    stored
        .try_into()
        .map_err(|_| StoreError::Backend(format!("the secret {name} is not 32 bytes")))
}

/// The responses linked to one of the provider's profiles, oldest first.
pub async fn of_profile(
    c: &mut sqlx::PgConnection,
    provider: ProviderId,
    profile: ProfileId,
) -> Result<Vec<Response>> {
    let rows: Vec<Json<serde_json::Value>> = sqlx::query_scalar(
        "SELECT document FROM survey_responses WHERE provider_id = $1 \
         AND document->>'profile_id' = $2 ORDER BY id",
    )
    .bind(provider.0)
    .bind(profile.0.to_string())
    .fetch_all(&mut *c)
    .await?;
    rows.into_iter()
        .map(|Json(d)| parse(d, "response"))
        .collect()
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
