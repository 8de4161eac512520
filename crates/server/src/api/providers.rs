//! Providers and their API keys.

use crate::auth::{Operator, Tenant, new_token, sha256};
use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use motesplats_core::invalid::text;
use motesplats_core::{NewProvider, Provider};
use motesplats_store::ApiKey;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_provider, list_providers))
        .routes(routes!(current_provider))
        .routes(routes!(create_key, list_keys))
        .routes(routes!(revoke_key))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProviderInput {
    name: Option<String>,
    /// IANA time zone; default Europe/Stockholm.
    time_zone: Option<String>,
    /// ISO 3166 country code; default SE.
    country: Option<String>,
}

/// A key and its token. The token is shown only in this response.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedKey {
    key: ApiKey,
    token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedProvider {
    provider: Provider,
    api_key: IssuedKey,
}

/// Issues a new API key for `provider`.
pub async fn issue_key(
    state: &AppState,
    provider: motesplats_core::ProviderId,
    label: &str,
) -> Result<IssuedKey, ApiError> {
    let token = new_token("mp_key_");
    let key = state
        .store
        .create_api_key(provider, label, sha256(&token))
        .await?;
    Ok(IssuedKey { key, token })
}

/// Create a provider (operator only); its first API key comes back once.
#[utoipa::path(post, path = "/providers", tag = "providers", request_body = ProviderInput,
    security(("operator_token" = [])),
    responses((status = 201, body = CreatedProvider), (status = 422, body = Problem), (status = 401, body = Problem)))]
async fn create_provider(
    State(state): State<AppState>,
    _: Operator,
    ApiJson(input): ApiJson<ProviderInput>,
) -> Result<(StatusCode, Json<CreatedProvider>), ApiError> {
    let new = NewProvider::parse(
        input.name.as_deref(),
        input.time_zone.as_deref(),
        input.country.as_deref(),
    )?;
    let provider = state.store.create_provider(new).await?;
    let api_key = issue_key(&state, provider.id, "first key").await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedProvider { provider, api_key }),
    ))
}

/// List all providers (operator only).
#[utoipa::path(get, path = "/providers", tag = "providers", security(("operator_token" = [])),
    responses((status = 200, body = Vec<Provider>)))]
async fn list_providers(
    State(state): State<AppState>,
    _: Operator,
) -> Result<Json<Vec<Provider>>, ApiError> {
    Ok(Json(state.store.providers().await?))
}

/// The provider the API key belongs to.
#[utoipa::path(get, path = "/providers/me", tag = "providers", responses((status = 200, body = Provider)))]
async fn current_provider(
    State(state): State<AppState>,
    Tenant(me): Tenant,
) -> Result<Json<Provider>, ApiError> {
    state
        .store
        .provider(me)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyInput {
    /// What the key is for, such as "till in the café".
    label: Option<String>,
}

/// Issue another API key for the caller's provider.
#[utoipa::path(post, path = "/api-keys", tag = "providers", request_body = KeyInput,
    responses((status = 201, body = IssuedKey), (status = 422, body = Problem)))]
async fn create_key(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiJson(input): ApiJson<KeyInput>,
) -> Result<(StatusCode, Json<IssuedKey>), ApiError> {
    let label = text("label", input.label.as_deref().unwrap_or("API key"), 100)?;
    Ok((
        StatusCode::CREATED,
        Json(issue_key(&state, me, &label).await?),
    ))
}

/// The caller's API keys (never their tokens).
#[utoipa::path(get, path = "/api-keys", tag = "providers", responses((status = 200, body = Vec<ApiKey>)))]
async fn list_keys(
    State(state): State<AppState>,
    Tenant(me): Tenant,
) -> Result<Json<Vec<ApiKey>>, ApiError> {
    Ok(Json(state.store.api_keys(me).await?))
}

/// Revoke one of the caller's API keys.
#[utoipa::path(delete, path = "/api-keys/{id}", tag = "providers", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
async fn revoke_key(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::NotFound)?;
    state.store.revoke_api_key(me, id, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
