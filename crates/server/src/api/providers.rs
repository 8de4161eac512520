//! Providers and their API keys.

use crate::auth::{Operator, Tenant, new_token, sha256};
use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use motesplats_core::invalid::{Checker, text};
use motesplats_core::{NewProvider, Provider};
use motesplats_store::{ApiKey, KeyKind, NewApiKey};
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
    new: NewApiKey,
) -> Result<IssuedKey, ApiError> {
    let prefix = match new.kind {
        KeyKind::Secret => "mp_key_",
        KeyKind::Publishable => "mp_pub_",
    };
    let token = new_token(prefix);
    let key = state
        .store
        .create_api_key(provider, new, sha256(&token))
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
    let api_key = issue_key(&state, provider.id, NewApiKey::secret("first key")).await?;
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
    /// `secret` (default): full access; `publishable`: may only send touchpoints, and
    /// is safe to put in a web page or an app.
    kind: Option<KeyKind>,
    /// For publishable keys: the web origins allowed to use it, such as
    /// `https://shop.example`. Empty allows any origin.
    origins: Option<Vec<String>>,
}

/// Issue another API key for the caller's provider.
#[utoipa::path(post, path = "/api-keys", tag = "providers", request_body = KeyInput,
    responses((status = 201, body = IssuedKey), (status = 422, body = Problem)))]
async fn create_key(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiJson(input): ApiJson<KeyInput>,
) -> Result<(StatusCode, Json<IssuedKey>), ApiError> {
    let mut c = Checker::new();
    let label = c.take(text(
        "label",
        input.label.as_deref().unwrap_or("API key"),
        100,
    ));
    let kind = input.kind.unwrap_or(KeyKind::Secret);
    let origins = input.origins.unwrap_or_default();
    for (i, o) in origins.iter().enumerate() {
        if !is_origin(o) {
            c.fail(format!("origins[{i}]"), motesplats_core::Reason::Origin);
        }
    }
    if kind == KeyKind::Secret && !origins.is_empty() {
        c.fail("origins", motesplats_core::Reason::PublishableOnly);
    }
    c.finish()?;
    let new = NewApiKey {
        label: label.unwrap_or_default(),
        kind,
        origins,
    };
    Ok((StatusCode::CREATED, Json(issue_key(&state, me, new).await?)))
}

/// `scheme://host[:port]` with nothing after it, as browsers send in `Origin`.
fn is_origin(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once("://") else {
        return false;
    };
    matches!(scheme, "http" | "https")
        && !rest.is_empty()
        && !rest.contains('/')
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
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
