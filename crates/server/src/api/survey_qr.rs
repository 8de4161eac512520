//! A survey's public link as a QR code, for its owner to print.

use super::profiles::path_id;
use crate::auth::Tenant;
use crate::client::PublicOrigin;
use crate::error::{ApiError, Problem};
use crate::state::AppState;
use crate::ui::surveys::public::qr_svg;
use axum::extract::{Path, State};
use axum::response::Response;
use motesplats_core::survey::SurveyId;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(qr))
}

/// The survey's public link as a QR code in SVG. The link uses the request's host,
/// and https when a proxy says so in X-Forwarded-Proto.
#[utoipa::path(get, path = "/surveys/{id}/qr.svg", tag = "surveys", params(("id" = String, Path)),
    responses((status = 200, content_type = "image/svg+xml", body = String, description = "the QR code"),
              (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn qr(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    origin: PublicOrigin,
) -> Result<Response, ApiError> {
    let id: SurveyId = path_id(&id)?;
    let survey = state
        .store
        .survey(Some(me), id)
        .await?
        .ok_or(ApiError::NotFound)?
        .survey;
    let link = origin
        .survey_link(&survey.id.to_string())
        .ok_or_else(|| ApiError::invalid("host", motesplats_core::Reason::NoHost))?;
    qr_svg(&link)
}
