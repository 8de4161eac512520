//! Profiles and their identifiers.

use super::Page;
use crate::auth::Tenant;
use crate::error::{ApiError, Problem};
use crate::ingest::region;
use crate::json::{ApiJson, ApiQuery};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use motesplats_core::profile::ProfileInput;
use motesplats_core::touchpoint::IdentifierInput;
use motesplats_core::{NewProfile, PageRequest, Profile, ProfileId};
use motesplats_store::ProfileFilter;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_profile, list_profiles))
        .routes(routes!(get_profile))
        .routes(routes!(add_identifier))
}

/// A path id: one that does not parse names nothing, so it is not found.
pub fn path_id<T: std::str::FromStr>(raw: &str) -> Result<T, ApiError> {
    raw.parse().map_err(|_| ApiError::NotFound)
}

/// Create a profile: a person of its own until the identifiers it carries join it
/// to others of the caller's profiles.
#[utoipa::path(post, path = "/profiles", tag = "profiles", request_body = ProfileInput,
    responses((status = 201, body = Profile), (status = 422, body = Problem)))]
async fn create_profile(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiJson(input): ApiJson<ProfileInput>,
) -> Result<(StatusCode, Json<Profile>), ApiError> {
    let new = NewProfile::parse(&input, &region(&state, me).await?)?;
    crate::erasure::of(&state, me)
        .await?
        .refuse(me, &new.identifiers, |i| format!("identifiers[{i}]"))?;
    let mut created = state.store.create_profiles(me, vec![new]).await?;
    created
        .pop()
        .map(|p| (StatusCode::CREATED, Json(p)))
        .ok_or(ApiError::Internal("no profile created".into()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ProfileQuery {
    /// Page size, 1 to 1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
    /// The `next` cursor of the previous page.
    #[param(value_type = Option<uuid::Uuid>)]
    after: Option<String>,
    /// Find the profile holding this identifier: give both kind and value.
    identifier_kind: Option<String>,
    identifier_value: Option<String>,
}

/// List the caller's profiles.
#[utoipa::path(get, path = "/profiles", tag = "profiles", params(ProfileQuery),
    responses((status = 200, body = Page<Profile>), (status = 422, body = Problem)))]
async fn list_profiles(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiQuery(q): ApiQuery<ProfileQuery>,
) -> Result<Json<Page<Profile>>, ApiError> {
    let page = PageRequest::parse(q.limit, q.after.as_deref())?;
    let identifier = match (q.identifier_kind, q.identifier_value) {
        (None, None) => None,
        (kind, value) => {
            let input = IdentifierInput { kind, value };
            Some(
                input
                    .parse(&region(&state, me).await?)
                    .map_err(|e| e.within("identifier"))?,
            )
        }
    };
    let profiles = state
        .store
        .profiles(me, &ProfileFilter { page, identifier })
        .await?;
    Ok(Json(Page::new(profiles, page.limit, |p| p.id.0)))
}

/// One of the caller's profiles.
#[utoipa::path(get, path = "/profiles/{id}", tag = "profiles", params(("id" = String, Path)),
    responses((status = 200, body = Profile), (status = 404, body = Problem)))]
async fn get_profile(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
) -> Result<Json<Profile>, ApiError> {
    let id: ProfileId = path_id(&id)?;
    state
        .store
        .profile(me, id)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// Add an identifier to a profile.
#[utoipa::path(post, path = "/profiles/{id}/identifiers", tag = "profiles", params(("id" = String, Path)),
    request_body = IdentifierInput,
    responses((status = 200, body = Profile), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn add_identifier(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<IdentifierInput>,
) -> Result<Json<Profile>, ApiError> {
    let id: ProfileId = path_id(&id)?;
    let identifier = input.parse(&region(&state, me).await?)?;
    crate::erasure::of(&state, me)
        .await?
        .refuse(me, std::slice::from_ref(&identifier), |_| "value".into())?;
    Ok(Json(state.store.add_identifier(me, id, identifier).await?))
}
