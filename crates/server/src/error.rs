//! One error type for the whole API, rendered as RFC 9457 problem+json. Internal
//! errors are logged with their cause and returned opaque.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use motesplats_core::reason::List;
use motesplats_core::{FieldError, Invalid, Reason};
use motesplats_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug)]
pub enum ApiError {
    /// The body is not JSON at all.
    Malformed(String),
    /// Fields failed validation.
    Invalid(Invalid),
    /// Query parameters (filters) failed validation: a bad request, not a bad body.
    BadParameters(Invalid),
    Conflict(Invalid),
    /// A network member asked for what the network does not share.
    NotShared(Invalid),
    /// The user's role may not do this (the reasons say which role and what).
    NotAllowed(Invalid),
    Unauthorized(&'static str),
    Forbidden(&'static str),
    NotFound,
    /// The body's content type is not one the route takes (`content-type` names them).
    UnsupportedMediaType(Reason),
    /// The body is over this many bytes.
    TooLarge(usize),
    /// A change that must name the version it was made against did not; says how.
    PreconditionRequired(&'static str),
    /// Over the key's rate limit; retry after this many seconds.
    RateLimited(u64),
    /// The disk is full: nothing was stored; the same request may succeed later.
    StorageFull,
    /// Over the allowance of answers to one survey from one address; retry after
    /// this many seconds.
    TooManyResponses(u64),
    Internal(String),
    /// Refused before any handler ran (no such route, wrong method, over a size limit).
    Http(StatusCode, String),
}

/// When a client should try a write again after the disk was full.
const STORAGE_FULL_RETRY_SECS: u64 = 30;

/// A problem document (RFC 9457).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Each field that was wrong, and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl ApiError {
    pub fn invalid(field: impl Into<String>, reason: Reason) -> Self {
        ApiError::Invalid(Invalid::one(field, reason))
    }

    /// A body of content type `sent` where the route takes only `allowed`.
    pub fn media_type(sent: Option<&str>, allowed: &[&str]) -> Self {
        ApiError::UnsupportedMediaType(Reason::MediaType {
            sent: sent.unwrap_or_default().to_string(),
            allowed: List::of(allowed),
        })
    }

    fn parts(
        &self,
    ) -> (
        StatusCode,
        &'static str,
        &'static str,
        String,
        Vec<FieldError>,
    ) {
        match self {
            ApiError::Malformed(d) => (
                StatusCode::BAD_REQUEST,
                "malformed",
                "Malformed request body",
                d.clone(),
                vec![],
            ),
            ApiError::Invalid(e) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "Invalid fields",
                summary(&e.0),
                e.0.clone(),
            ),
            ApiError::BadParameters(e) => (
                StatusCode::BAD_REQUEST,
                "invalid-parameters",
                "Invalid parameters",
                summary(&e.0),
                e.0.clone(),
            ),
            ApiError::NotShared(e) => (
                StatusCode::FORBIDDEN,
                "not-shared",
                "Not shared",
                summary(&e.0),
                e.0.clone(),
            ),
            ApiError::NotAllowed(e) => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "Forbidden",
                summary(&e.0),
                e.0.clone(),
            ),
            ApiError::Conflict(e) => (
                StatusCode::CONFLICT,
                "conflict",
                "Conflict",
                summary(&e.0),
                e.0.clone(),
            ),
            ApiError::Unauthorized(d) => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Unauthorized",
                d.to_string(),
                vec![],
            ),
            ApiError::Forbidden(d) => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "Forbidden",
                d.to_string(),
                vec![],
            ),
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                "not-found",
                "Not found",
                "no such resource for this provider".into(),
                vec![],
            ),
            ApiError::UnsupportedMediaType(reason) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
                format!("content-type: {reason}"),
                vec![FieldError {
                    field: "content-type".into(),
                    reason: reason.clone(),
                }],
            ),
            ApiError::TooLarge(limit) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                "Request body too large",
                format!("the body may be at most {limit} bytes"),
                vec![],
            ),
            ApiError::PreconditionRequired(how) => (
                StatusCode::PRECONDITION_REQUIRED,
                "precondition-required",
                "Version required",
                how.to_string(),
                vec![],
            ),
            ApiError::RateLimited(secs) => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate-limited",
                "Too many events",
                format!("this key is over its rate limit; retry after {secs} s"),
                vec![],
            ),
            ApiError::Http(status, detail) => (
                *status,
                protocol_slug(*status),
                status.canonical_reason().unwrap_or("Error"),
                detail.clone(),
                vec![],
            ),
            ApiError::StorageFull => (
                StatusCode::SERVICE_UNAVAILABLE,
                "storage-full",
                "Storage full",
                format!(
                    "the server's disk is full, so nothing of this request was stored; \
                     send it again in {STORAGE_FULL_RETRY_SECS} s"
                ),
                vec![],
            ),
            ApiError::TooManyResponses(secs) => (
                StatusCode::TOO_MANY_REQUESTS,
                "too-many-responses",
                "Too many responses",
                format!(
                    "this address has sent too many answers to this survey; retry after {secs} s"
                ),
                vec![],
            ),
            ApiError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Internal error",
                "something went wrong on our side; it has been logged".into(),
                vec![],
            ),
        }
    }

    pub fn problem(&self) -> (StatusCode, Problem) {
        let (status, slug, title, detail, errors) = self.parts();
        let problem = Problem {
            kind: format!("urn:motesplats:problem:{slug}"),
            title: title.to_string(),
            status: status.as_u16(),
            detail,
            errors,
        };
        (status, problem)
    }
}

/// The problem type of a refusal made before any handler ran.
fn protocol_slug(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "not-found",
        StatusCode::METHOD_NOT_ALLOWED => "method-not-allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "too-large",
        StatusCode::URI_TOO_LONG => "uri-too-long",
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => "headers-too-large",
        s if s.is_server_error() => "internal",
        _ => "bad-request",
    }
}

fn summary(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.reason))
        .collect::<Vec<_>>()
        .join("; ")
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(cause) = &self {
            tracing::error!(%cause, "internal error");
        }
        let (status, problem) = self.problem();
        let mut response = (status, axum::Json(problem.clone())).into_response();
        // Kept for the UI, which draws a refusal as a page (`ui::refusal`).
        response.extensions_mut().insert(problem);
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        let retry_after = match &self {
            ApiError::RateLimited(secs) | ApiError::TooManyResponses(secs) => Some(*secs),
            ApiError::StorageFull => Some(STORAGE_FULL_RETRY_SECS),
            _ => None,
        };
        if let Some(secs) = retry_after
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<Invalid> for ApiError {
    fn from(e: Invalid) -> Self {
        ApiError::Invalid(e)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(i) => ApiError::Conflict(i),
            StoreError::Invalid(i) => ApiError::Invalid(i),
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Full(cause) => {
                tracing::error!(%cause, "the disk is full; writes are refused");
                ApiError::StorageFull
            }
            StoreError::Backend(cause) => ApiError::Internal(cause),
        }
    }
}
