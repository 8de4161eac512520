//! Extractors that turn every kind of bad request into a problem naming the field:
//! wrong content type, a body that is not JSON, a field of the wrong type, a missing
//! or unknown field, a bad query parameter.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use motesplats_core::Invalid;
use serde::de::DeserializeOwned;

/// A JSON body, deserialised with the path of the first bad field kept.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        require_json(req.headers())?;
        let bytes = RawBody::from_request(req, state).await?.0;
        // serde reads a struct from an array of its fields in order too; every body
        // taken here is an object.
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
            return Err(ApiError::Invalid(motesplats_core::Invalid::one(
                "",
                motesplats_core::Reason::NotJsonObject,
            )));
        }
        parse_json(&bytes).map(ApiJson)
    }
}

/// The body's media type, lower case and without parameters (`application/json`).
pub fn media_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next()?.trim().to_ascii_lowercase())
}

/// Refuses a body whose Content-Type is not JSON (`application/json` or `…+json`).
pub fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let sent = media_type(headers);
    let is_json = sent.as_deref().is_some_and(|m| {
        m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
    });
    if is_json {
        Ok(())
    } else {
        Err(ApiError::media_type(sent.as_deref(), &["application/json"]))
    }
}

/// Why bytes did not become a value.
#[derive(Debug)]
pub enum JsonError {
    /// Not JSON at all.
    Syntax(String),
    /// JSON, but fields are missing, unknown or of the wrong type.
    Fields(Invalid),
}

impl JsonError {
    /// The reason of a [`JsonError::Syntax`] detail, for a field error.
    pub fn syntax_reason(detail: &str) -> motesplats_core::Reason {
        motesplats_core::Reason::NotJson {
            detail: detail.strip_prefix(NOT_JSON).unwrap_or(detail).to_string(),
        }
    }
}

/// How a [`JsonError::Syntax`] detail begins.
const NOT_JSON: &str = "not valid JSON: ";

impl From<JsonError> for ApiError {
    fn from(e: JsonError) -> Self {
        match e {
            JsonError::Syntax(d) => ApiError::Malformed(d),
            JsonError::Fields(i) => ApiError::Invalid(i),
        }
    }
}

/// The request body as bytes, within the route's body limit.
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let limit = req
            .extensions()
            .get::<BodyLimit>()
            .map_or(crate::BODY_LIMIT, |l| l.0);
        Bytes::from_request(req, state)
            .await
            .map(RawBody)
            .map_err(|e| {
                if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::TooLarge(limit)
                } else {
                    ApiError::Malformed(e.body_text())
                }
            })
    }
}

/// A route's body limit, when it differs from [`crate::BODY_LIMIT`], so errors can name it.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// Deserialises `bytes`, reporting syntax errors as malformed and data errors by field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    from_json(bytes).map_err(ApiError::from)
}

/// Deserialises `bytes`, keeping the path of the first bad field. Good input takes
/// the plain parser; only bad input pays for a second pass that tracks the path.
pub fn from_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, JsonError> {
    if let Ok(value) = serde_json::from_slice(bytes) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let inner = e.inner();
        if inner.is_syntax() || inner.is_eof() || inner.is_io() {
            return malformed(inner);
        }
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        let message = inner.to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_string();
        JsonError::Fields(field_error(&path, &message))
    })?;
    // Trailing bytes after the value make the whole body malformed.
    de.end().map_err(|e| malformed(&e))?;
    Ok(value)
}

fn malformed(e: &serde_json::Error) -> JsonError {
    JsonError::Syntax(format!("{NOT_JSON}{e}"))
}

/// Names the field in serde's messages: `missing field `x``, `unknown field `x``.
fn field_error(path: &str, message: &str) -> Invalid {
    // The path already ends in the field for unknown fields, not for missing ones.
    let named = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(|name| {
                if path.is_empty() {
                    name.to_string()
                } else if path == name || path.ends_with(&format!(".{name}")) {
                    path.to_string()
                } else {
                    format!("{path}.{name}")
                }
            })
    };
    if let Some(field) = named("missing field `") {
        return Invalid::one(field, motesplats_core::Reason::Required);
    }
    if let Some(field) = named("unknown field `") {
        return Invalid::one(field, motesplats_core::Reason::NotKnownField);
    }
    let field = if path.is_empty() {
        "body".to_string()
    } else {
        path.to_string()
    };
    let reason = if let Some(detail) = message.strip_prefix("invalid type: ") {
        motesplats_core::Reason::Mistyped {
            detail: detail.to_string(),
        }
    } else if let Some((value, allowed)) = message
        .strip_prefix("unknown variant `")
        .and_then(|rest| rest.split_once("`, expected "))
    {
        let allowed = allowed.strip_prefix("one of ").unwrap_or(allowed);
        motesplats_core::Reason::OneOf {
            value: value.to_string(),
            allowed: motesplats_core::reason::List(
                allowed
                    .split(", ")
                    .map(|a| a.trim_matches('`').to_string())
                    .collect(),
            ),
        }
    } else {
        motesplats_core::Reason::Unreadable {
            detail: message.to_string(),
        }
    };
    Invalid::one(field, reason)
}

/// Query parameters, with problems named like body fields.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        // The path is kept so that a value of the wrong type (`limit=-1`) names its
        // parameter, not the whole request.
        let pairs = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(pairs)
            .map(ApiQuery)
            .map_err(|e| {
                let path = e.path().to_string();
                let path = if path == "." { String::new() } else { path };
                ApiError::Invalid(field_error(&path, &e.inner().to_string()))
            })
    }
}
