//! The catalogue of digital functions (step 3 of the research method), shared
//! across projects: the functions a team marked shareable, in every project the
//! provider owns or was invited to, so the next project need not scan from scratch.

use crate::auth::Tenant;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use motesplats_core::ProviderId;
use motesplats_core::research::{DigitalFunction, Project};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// A shareable function and the project it was found in.
#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogueEntry {
    pub project_id: Uuid,
    pub project_title: String,
    pub function: DigitalFunction,
}

/// The shareable functions of every project `me` may see, newest project first.
pub(crate) async fn entries(
    state: &AppState,
    me: ProviderId,
) -> Result<Vec<CatalogueEntry>, ApiError> {
    let stored = state.store.projects(me).await?;
    let mut out = Vec::new();
    for s in stored {
        let project = Project::import(s.document)
            .map_err(|e| ApiError::Internal(format!("a stored project does not load: {e}")))?;
        for function in project.functions.into_iter().filter(|f| f.shareable) {
            out.push(CatalogueEntry {
                project_id: s.id,
                project_title: project.title.clone(),
                function,
            });
        }
    }
    Ok(out)
}

/// Digital functions marked shareable, from all projects the caller owns or joined.
#[utoipa::path(get, path = "/digital-functions", tag = "research",
    responses((status = 200, body = Vec<CatalogueEntry>)))]
async fn list(
    State(state): State<AppState>,
    Tenant(me): Tenant,
) -> Result<Json<Vec<CatalogueEntry>>, ApiError> {
    Ok(Json(entries(&state, me).await?))
}
