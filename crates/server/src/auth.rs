//! Credentials. API keys and session tokens are random and stored only as SHA-256
//! (fast to check on the ingest path, useless if the database leaks); passwords are
//! hashed with Argon2.

use crate::error::ApiError;
use crate::state::AppState;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use hmac::{Hmac, Mac};
use motesplats_core::ProviderId;
use motesplats_store::{KeyGrant, KeyKind};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A new random token with a readable prefix, such as `mp_key_…`.
pub fn new_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}

pub fn sha256(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// HMAC-SHA-256 (RFC 2104): a tag only the holder of `key` can make for `message`.
pub fn hmac_sha256(key: &[u8; 32], message: &[u8]) -> [u8; 32] {
    // HMAC takes a key of any length, so a 32-byte key is never refused.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Compares secrets in time that does not depend on where they differ.
pub fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| ApiError::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(e.to_string()))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// The key that signed the request, whatever its kind.
async fn grant(parts: &Parts, state: &AppState) -> Result<KeyGrant, ApiError> {
    let token = bearer(parts).ok_or(ApiError::Unauthorized(
        "send an API key as Authorization: Bearer <key>",
    ))?;
    grant_of(state, token).await
}

async fn grant_of(state: &AppState, token: &str) -> Result<KeyGrant, ApiError> {
    state
        .store
        .key_grant(sha256(token))
        .await?
        .ok_or(ApiError::Unauthorized("the API key is unknown or revoked"))
}

/// The provider whose secret API key signed the request: every handler that reads
/// or manages the provider's data takes it.
#[derive(Debug, Clone, Copy)]
pub struct Tenant(pub ProviderId);

impl FromRequestParts<AppState> for Tenant {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let grant = grant(parts, state).await?;
        match grant.kind {
            KeyKind::Secret => Ok(Tenant(grant.provider_id)),
            KeyKind::Publishable => Err(ApiError::Forbidden(
                "a publishable key may only send touchpoints",
            )),
        }
    }
}

/// A key allowed to send touchpoints: secret, or publishable from an allowed origin.
#[derive(Debug, Clone)]
pub struct Sender {
    pub provider: ProviderId,
    pub key_id: uuid::Uuid,
    pub publishable: bool,
}

impl FromRequestParts<AppState> for Sender {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let grant = grant(parts, state).await?;
        Sender::of(grant, origin(&parts.headers))
    }
}

/// The Origin a browser sent; apps send none.
pub fn origin(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers.get(header::ORIGIN).and_then(|o| o.to_str().ok())
}

impl Sender {
    /// The sender a key names, wherever it was sent (the tracking protocol's SDKs put
    /// it in Basic auth or, from browsers, in the body): a publishable key only from
    /// the origins it allows.
    pub async fn with_key(
        state: &AppState,
        token: &str,
        origin: Option<&str>,
    ) -> Result<Sender, ApiError> {
        Sender::of(grant_of(state, token).await?, origin)
    }

    fn of(grant: KeyGrant, origin: Option<&str>) -> Result<Sender, ApiError> {
        let publishable = grant.kind == KeyKind::Publishable;
        if publishable
            && !grant.origins.is_empty()
            && let Some(origin) = origin
            && !grant.origins.iter().any(|o| o == origin)
        {
            return Err(ApiError::Forbidden(
                "this publishable key may not be used from this origin",
            ));
        }
        Ok(Sender {
            provider: grant.provider_id,
            key_id: grant.key_id,
            publishable,
        })
    }
}

/// The platform operator, who creates providers and networks.
pub struct Operator;

impl FromRequestParts<AppState> for Operator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let expected = state.operator_token_sha256.ok_or(ApiError::Forbidden(
            "operator actions are off: start the server with MOTESPLATS_OPERATOR_TOKEN set",
        ))?;
        let token = bearer(parts).ok_or(ApiError::Unauthorized(
            "send the operator token as Authorization: Bearer <token>",
        ))?;
        if sha256(token) == expected {
            Ok(Operator)
        } else {
            Err(ApiError::Unauthorized("the operator token is wrong"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_passwords_verify() {
        assert_ne!(new_token("mp_"), new_token("mp_"));
        assert_eq!(new_token("mp_").len(), 3 + 64);
        let h = hash_password("hemligt").unwrap();
        assert!(verify_password("hemligt", &h));
        assert!(!verify_password("fel", &h));
        assert!(!verify_password("hemligt", "not a hash"));
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 2 of RFC 4231, its key padded with zeros to 32 bytes (HMAC pads the
        // key with zeros to the block size anyway, so the tag is the same).
        let mut key = [0u8; 32];
        key[..4].copy_from_slice(b"Jefe");
        assert_eq!(
            hex::encode(hmac_sha256(&key, b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abc", b"abd") && !same_secret(b"abc", b"ab"));
    }
}
