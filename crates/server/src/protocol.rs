//! Refusals made outside the handlers, as problem+json like every other error: no
//! such route, a method the route does not take, a body over the limit (axum answers
//! those itself, in text/plain or with no body), and a path or header section over
//! the limits (hyper would answer those with an empty body).

use crate::error::ApiError;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The longest path and query answered; a longer one gets 414. hyper refuses URIs
/// over 64 KiB itself, with an empty 414, before any of this runs.
pub const URI_LIMIT: usize = 8 * 1024;
/// The most header bytes answered (names and values); more gets 431.
pub const HEADER_LIMIT: usize = 64 * 1024;
/// The most headers answered; more gets 431.
pub const HEADER_COUNT: usize = 100;
/// How much of a request head hyper reads, and how many headers it parses: well over
/// the limits above, so an over-long head reaches [`limits`] and is answered with a
/// problem. Only a head beyond these gets hyper's own empty 431.
pub const READ_BUFFER: usize = 1024 * 1024;
pub const PARSED_HEADERS: usize = 1000;

/// No route matched.
pub async fn not_found() -> ApiError {
    ApiError::Http(StatusCode::NOT_FOUND, "no route answers this path".into())
}

/// Refuses a request head over the limits before it is routed.
pub async fn limits(request: Request, next: Next) -> Response {
    let uri = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if uri > URI_LIMIT {
        let detail = format!("the path and query may be at most {URI_LIMIT} bytes");
        return ApiError::Http(StatusCode::URI_TOO_LONG, detail).into_response();
    }
    let headers = request.headers();
    let bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if headers.len() > HEADER_COUNT || bytes > HEADER_LIMIT {
        let detail = format!(
            "a request may carry at most {HEADER_COUNT} headers of at most {HEADER_LIMIT} bytes together"
        );
        return ApiError::Http(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, detail).into_response();
    }
    next.run(request).await
}

/// Turns the error answers axum makes itself (text/plain or no body) into problems,
/// keeping their status and headers (such as `Allow` on a 405).
pub async fn problems(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let response = next.run(request).await;
    let status = response.status();
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|v| v.as_bytes().starts_with(b"text/plain"));
    if !(status.is_client_error() || status.is_server_error()) || !plain {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text).trim().to_string();
    let detail = match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            format!("this path does not take {method}; the Allow header lists what it takes")
        }
        StatusCode::PAYLOAD_TOO_LARGE => "the body is over this path's size limit".to_string(),
        _ if !text.is_empty() => text,
        _ => status
            .canonical_reason()
            .unwrap_or("refused")
            .to_lowercase(),
    };
    let problem = ApiError::Http(status, detail).into_response();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    Response::from_parts(parts, problem.into_body())
}
