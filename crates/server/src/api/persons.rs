//! Persons: the humans behind profiles, as far as the caller may see them.

use super::Page;
use super::profiles::path_id;
use crate::auth::Tenant;
use crate::error::{ApiError, Problem};
use crate::json::ApiQuery;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use motesplats_core::{PageRequest, Person, PersonId};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_persons))
        .routes(routes!(get_person))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PersonQuery {
    /// Page size, 1 to 1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
    /// The `next` cursor of the previous page.
    #[param(value_type = Option<uuid::Uuid>)]
    after: Option<String>,
}

/// Persons with at least one of the caller's profiles.
#[utoipa::path(get, path = "/persons", tag = "persons", params(PersonQuery),
    responses((status = 200, body = Page<Person>), (status = 422, body = Problem)))]
async fn list_persons(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiQuery(q): ApiQuery<PersonQuery>,
) -> Result<Json<Page<Person>>, ApiError> {
    let page = PageRequest::parse(q.limit, q.after.as_deref())?;
    let persons = state.store.persons(me, page).await?;
    Ok(Json(Page::new(persons, page.limit, |p| p.id.0)))
}

/// A person, with the profiles the caller may see.
#[utoipa::path(get, path = "/persons/{id}", tag = "persons", params(("id" = String, Path)),
    responses((status = 200, body = Person), (status = 404, body = Problem)))]
async fn get_person(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
) -> Result<Json<Person>, ApiError> {
    let id: PersonId = path_id(&id)?;
    state
        .store
        .person(me, id)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound)
}
