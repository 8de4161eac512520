//! Photos of observations (step 2) and screenshots of digital functions (step 3).
//! An upload is the raw image as the body; the core checks it (`Attachment::inspect`),
//! the store keeps the bytes, and the project records the description with a version
//! check like every other change. Observations and functions then name the image by
//! its id (`photos`, `screenshots`).
//!
//! `keep` and `serve` are the two halves the web UI shares with these endpoints.

use super::profiles::path_id;
use super::projects::expected_version;
use crate::auth::Tenant;
use crate::error::{ApiError, Problem};
use crate::json::{ApiQuery, BodyLimit, RawBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use motesplats_core::ProviderId;
use motesplats_core::research::{ATTACHMENT_MAX, Attachment, IMAGE_TYPES, Project};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload))
        .routes(routes!(download))
        // A body over the limit is refused while it is read, as 413 naming the limit.
        .layer(DefaultBodyLimit::max(ATTACHMENT_MAX))
        .layer(axum::Extension(BodyLimit(ATTACHMENT_MAX)))
}

/// Checks an uploaded image and keeps its bytes in the store under a new id, without
/// touching the project document: the caller adds the returned description to the
/// project (`Project::add_attachment`) in its own versioned change.
///
/// Errors: 422 naming `file` (empty, over [`ATTACHMENT_MAX`], not a PNG, JPEG, GIF
/// or WebP) or `name`; 404 when `me` may not see the project.
pub(crate) async fn keep(
    state: &AppState,
    me: ProviderId,
    project: Uuid,
    name: &str,
    data: &[u8],
) -> Result<Attachment, ApiError> {
    let attachment = Attachment::inspect(name, data)?;
    state
        .store
        .put_attachment(me, project, attachment.id.0, &attachment.content_type, data)
        .await?;
    Ok(attachment)
}

/// The stored image as a response: its own content type, never sniffed, cached
/// privately for an hour (an id always names the same bytes). 404 when the image is
/// unknown or `me` may not see the project.
pub(crate) async fn serve(
    state: &AppState,
    me: ProviderId,
    project: Uuid,
    id: Uuid,
) -> Result<Response, ApiError> {
    let (content_type, data) = state
        .store
        .attachment(me, project, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    // Only the types the core accepts are ever stored; anything else is served inert.
    let content_type = IMAGE_TYPES
        .iter()
        .find(|t| **t == content_type)
        .copied()
        .unwrap_or("application/octet-stream");
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CACHE_CONTROL, "private, max-age=3600"),
        ],
        data,
    )
        .into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// The file name, such as `kassan.jpg`; `image` when absent.
    name: Option<String>,
}

/// The raw bytes of a PNG, JPEG, GIF or WebP file (documentation only).
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)] // never built: it only describes the body in the OpenAPI document
pub struct ImageFile(Vec<u8>);

/// An uploaded image and the project version that records it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Uploaded {
    pub attachment: Attachment,
    /// The project's new version (also the ETag): name it in the next change.
    pub version: i64,
}

/// Steps 2 and 3: upload a photo or screenshot (the raw file as the body, at most
/// 5 MiB, PNG, JPEG, GIF or WebP). Then name its id in an observation's `photos` or
/// a function's `screenshots`.
#[utoipa::path(post, path = "/projects/{id}/attachments", tag = "research",
    params(("If-Match" = String, Header, description = "the version the change was made against"),
           ("id" = String, Path), UploadQuery),
    request_body(description = "The image file itself", content(
        (ImageFile = "image/png"), (ImageFile = "image/jpeg"), (ImageFile = "image/gif"),
        (ImageFile = "image/webp"))),
    responses((status = 201, body = Uploaded), (status = 404, body = Problem), (status = 409, body = Problem),
              (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem),
              (status = 428, body = Problem)))]
async fn upload(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<UploadQuery>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<Response, ApiError> {
    let sent = crate::json::media_type(&headers);
    if !sent.as_deref().is_some_and(|t| IMAGE_TYPES.contains(&t)) {
        return Err(ApiError::media_type(sent.as_deref(), IMAGE_TYPES));
    }
    if body.len() > ATTACHMENT_MAX {
        return Err(ApiError::TooLarge(ATTACHMENT_MAX));
    }
    let expected = expected_version(&headers)?;
    let id: Uuid = path_id(&id)?;
    let stored = state
        .store
        .project(me, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let mut project = Project::import(stored.document.clone())
        .map_err(|e| ApiError::Internal(format!("a stored project does not load: {e}")))?;
    if stored.version != expected {
        // Refused before the bytes are kept; the save below checks again.
        return Err(ApiError::Conflict(motesplats_core::Invalid::one(
            "version",
            motesplats_core::Reason::Changed {
                what: "project".into(),
                expected,
                current: stored.version,
            },
        )));
    }
    let attachment = keep(&state, me, id, query.name.as_deref().unwrap_or(""), &body).await?;
    project.add_attachment(attachment.clone());
    let document = project
        .export()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    // If this save fails (someone saved in between), the bytes kept above stay as an
    // orphan no project names: harmless, and nothing saved before is touched.
    let saved = state.store.save_project(me, id, expected, document).await?;
    let mut response = (
        StatusCode::CREATED,
        Json(Uploaded {
            attachment,
            version: saved.version,
        }),
    )
        .into_response();
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{}\"", saved.version)) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    Ok(response)
}

/// A photo or screenshot of the project, as it was uploaded.
#[utoipa::path(get, path = "/projects/{id}/attachments/{attachment}", tag = "research",
    params(("id" = String, Path), ("attachment" = String, Path)),
    responses((status = 200, description = "The image", content(
        (ImageFile = "image/png"), (ImageFile = "image/jpeg"), (ImageFile = "image/gif"),
        (ImageFile = "image/webp"))),
        (status = 404, body = Problem)))]
async fn download(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path((id, attachment)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    serve(&state, me, path_id(&id)?, path_id(&attachment)?).await
}
