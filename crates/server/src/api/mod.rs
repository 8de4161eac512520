//! The JSON API under `/api/v1`, one module per capability, and its OpenAPI
//! document at `/api/openapi.json`, generated from the handlers' annotations.

pub(crate) mod attachments;
mod batch;
pub(crate) mod catalogue;
mod channels;
pub(crate) mod coding;
mod contact;
pub(crate) mod event_names;
mod identity;
mod journeys;
mod networks;
mod openapi;
mod persons;
mod profiles;
mod projects;
mod providers;
pub mod quarantine;
mod rectifications;
mod retention;
mod segments;
mod shared;
pub(crate) mod survey_analysis;
mod survey_qr;
pub(crate) mod surveys;
mod touchpoints;
mod tracking;

use crate::error::Problem;
use crate::state::AppState;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use std::sync::Arc;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Mötesplats API",
        description = "Touchpoints, profiles and persons of the meetings between people and providers. \
                       Authenticate with a provider API key: `Authorization: Bearer mp_key_…`. \
                       Errors are RFC 9457 problem+json documents naming each bad field."
    ),
    modifiers(&Security),
    components(schemas(Problem)),
    security(("api_key" = []))
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let bearer = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build();
        components.add_security_scheme("api_key", SecurityScheme::Http(bearer.clone()));
        components.add_security_scheme("operator_token", SecurityScheme::Http(bearer));
        // The tracking protocol's SDKs send an API key as Basic auth's user name.
        let basic = HttpBuilder::new().scheme(HttpAuthScheme::Basic).build();
        components.add_security_scheme("write_key", SecurityScheme::Http(basic));
    }
}

/// The version a change was made against, from `If-Match: "3"`; None without the
/// header. `what` names the thing versioned in the error.
pub(crate) fn if_match<T: std::str::FromStr>(
    headers: &axum::http::HeaderMap,
    what: &str,
) -> Result<Option<T>, crate::error::ApiError> {
    let Some(raw) = headers.get(axum::http::header::IF_MATCH) else {
        return Ok(None);
    };
    raw.to_str()
        .ok()
        .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|v| v.parse().ok())
        .map(Some)
        .ok_or_else(|| {
            crate::error::ApiError::invalid(
                "if-match",
                motesplats_core::Reason::IfMatch {
                    what: what.to_string(),
                },
            )
        })
}

/// One page of a list, with the cursor of the next page when there may be one.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    /// Pass as `after` to get the next page; absent on the last page.
    pub next: Option<String>,
}

impl<T: ToSchema> Page<T> {
    pub fn new(items: Vec<T>, limit: u32, id: impl Fn(&T) -> uuid::Uuid) -> Self {
        let next = (items.len() == limit as usize)
            .then(|| items.last().map(|t| id(t).to_string()))
            .flatten();
        Page { items, next }
    }
}

#[derive(Serialize, ToSchema)]
struct Health {
    status: &'static str,
    store: &'static str,
}

async fn health(axum::extract::State(state): axum::extract::State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok",
        store: state.store.backend(),
    })
}

pub fn router() -> Router<AppState> {
    let v1 = OpenApiRouter::new()
        .merge(providers::router())
        .merge(channels::router())
        .merge(profiles::router())
        .merge(persons::router())
        .merge(shared::router())
        .merge(rectifications::router())
        .merge(retention::router())
        .merge(journeys::router())
        .merge(contact::router())
        .merge(identity::router())
        .merge(touchpoints::router())
        .merge(batch::router())
        .merge(quarantine::router())
        .merge(event_names::router())
        .merge(projects::router())
        .merge(catalogue::router())
        .merge(attachments::router())
        .merge(surveys::router())
        .merge(survey_analysis::router())
        .merge(survey_qr::router())
        .merge(coding::router())
        .merge(networks::router())
        .merge(segments::router());
    let (router, spec) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", v1)
        .nest("/tracking/v1", tracking::router())
        .split_for_parts();
    let spec = Arc::new(openapi::finish(spec));
    router
        .route(
            "/api/openapi.json",
            get(move || async move { Json(spec.as_ref().clone()) }),
        )
        .route("/healthz", get(health))
}
