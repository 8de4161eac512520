//! Forms are only accepted from our own pages. Every state-changing request to the
//! web UI passes `guard` (a layer on the UI router, so no handler can forget it):
//!
//! - a browser's `Sec-Fetch-Site` must say same-origin; without it, an `Origin`
//!   header must name this host (the rule of Go's `http.CrossOriginProtection`);
//! - the form must carry the token of its sign-in in the field `_csrf`: derived from
//!   the session cookie, which other sites can neither read nor guess;
//! - the sign-in form, before there is a session, carries a token signed by the
//!   server for a short-lived cookie of its own (signed double-submit), so no other
//!   site can sign a person into an account of its choosing.
//!
//! The public survey pages (`/s/…`) act on no one's authority and are left alone.

use super::Shell;
use super::i18n::Lang;
use super::session::COOKIE as SESSION_COOKIE;
use crate::auth::{hmac_sha256, new_token, same_secret, sha256};
use crate::error::ApiError;
use crate::state::AppState;
use crate::ui::i18n::Messages;
use askama::Template;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use chrono::Utc;

/// The form field that carries the token.
pub const FIELD: &str = "_csrf";

/// Where someone signs in: provider staff with a password, or a person with a
/// one-time code. Each door's forms carry tokens of its own, bound by a cookie of its
/// own, so a token of one is worth nothing at the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Door {
    Staff,
    Person,
}

impl Door {
    /// The cookie that binds a sign-in form to the browser it was shown in.
    fn cookie(self) -> &'static str {
        match self {
            Door::Staff => "motesplats_sign_in_form",
            Door::Person => "motesplats_me_form",
        }
    }

    /// Where that cookie is sent.
    fn path(self) -> &'static str {
        match self {
            Door::Staff => "/sign-in",
            Door::Person => "/me",
        }
    }

    fn tag(self) -> &'static str {
        match self {
            Door::Staff => "sign-in",
            Door::Person => "me-sign-in",
        }
    }

    /// The door whose sign-in forms post to `path`, if any.
    fn of_sign_in(path: &str) -> Option<Door> {
        match path {
            // The invitation and password-reset pages are sign-in forms too.
            "/sign-in" => Some(Door::Staff),
            p if p.starts_with("/sign-in/") => Some(Door::Staff),
            "/me/sign-in" | "/me/code" => Some(Door::Person),
            _ => None,
        }
    }

    /// The session cookie the forms at `path` are checked against.
    fn session_cookie(path: &str) -> &'static str {
        if path == "/me" || path.starts_with("/me/") {
            super::me::COOKIE
        } else {
            SESSION_COOKIE
        }
    }
}
/// How long a sign-in form may be left open (the token carries its expiry; the
/// cookie lasts the browser session).
const PRE_SIGN_IN_LIFETIME: i64 = 60 * 60;
/// The largest form body read to find the token: the largest any UI form allows
/// (each route still applies its own limit afterwards).
const BODY_LIMIT: usize = super::research::forms::FORM_LIMIT;

/// The token of the sign-in whose session cookie holds `session`.
pub fn session_token(session: &str) -> String {
    hex::encode(sha256(&format!("motesplats-form:{session}")))
}

/// A token for a sign-in form at `door` and the cookie it is checked against.
pub fn pre_sign_in(
    state: &AppState,
    door: Door,
    jar: CookieJar,
    https: bool,
) -> (CookieJar, String) {
    // A second tab keeps the first tab's form working: the cookie is reused.
    let nonce = jar
        .get(door.cookie())
        .map(|c| c.value().to_string())
        .filter(|n| n.len() == 64 + "mp_form_".len())
        .unwrap_or_else(|| new_token("mp_form_"));
    let expires = Utc::now().timestamp() + PRE_SIGN_IN_LIFETIME;
    let token = format!(
        "{expires}.{}",
        pre_sign_in_tag(state, door, &nonce, expires)
    );
    let cookie = Cookie::build((door.cookie(), nonce))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.cookie_secure.for_https(https))
        .path(door.path())
        .build();
    (jar.add(cookie), token)
}

fn pre_sign_in_tag(state: &AppState, door: Door, nonce: &str, expires: i64) -> String {
    hex::encode(hmac_sha256(
        &state.form_key,
        format!("{}:{nonce}:{expires}", door.tag()).as_bytes(),
    ))
}

/// Why a form was refused; each has a message in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    CrossSite,
    Token,
}

impl Refusal {
    fn message(self) -> &'static str {
        match self {
            Refusal::CrossSite => "form-refused-cross-site",
            Refusal::Token => "form-refused-token",
        }
    }
}

/// The layer: refuses state-changing requests that did not come from our own forms.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method().is_safe() || request.uri().path().starts_with("/s/") {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let lang = match Lang::from_request_parts(&mut parts, &state).await {
        Ok(lang) => lang,
        Err(never) => match never {},
    };
    if !from_this_site(&parts.headers) {
        return refuse(lang, Refusal::CrossSite);
    }
    // No cookie to check a token against: refused before the body is read.
    let jar = CookieJar::from_headers(&parts.headers);
    let path = parts.uri.path().to_string();
    let door = Door::of_sign_in(&path);
    let cookie = door.map_or_else(|| Door::session_cookie(&path), Door::cookie);
    if jar.get(cookie).is_none() {
        return refuse(lang, Refusal::Token);
    }
    let body = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(body) => body,
        Err(_) => return ApiError::TooLarge(BODY_LIMIT).into_response(),
    };
    let sent = token_field(&parts.headers, body.clone()).await;
    let valid = sent.is_some_and(|sent| match door {
        Some(door) => pre_sign_in_valid(&state, door, &jar, &sent),
        None => jar.get(cookie).is_some_and(|session| {
            same_secret(session_token(session.value()).as_bytes(), sent.as_bytes())
        }),
    });
    if !valid {
        return refuse(lang, Refusal::Token);
    }
    next.run(Request::from_parts(parts, Body::from(body))).await
}

/// What the browser says about where the request came from.
fn from_this_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return site == "same-origin" || site == "none";
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        // Not a browser, or one too old to say: the token still has to match.
        return true;
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin.to_str().ok().and_then(|o| {
        o.strip_prefix("https://")
            .or_else(|| o.strip_prefix("http://"))
    });
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

fn pre_sign_in_valid(state: &AppState, door: Door, jar: &CookieJar, sent: &str) -> bool {
    let Some(nonce) = jar.get(door.cookie()) else {
        return false;
    };
    let Some((expires, tag)) = sent.split_once('.') else {
        return false;
    };
    let Ok(expires) = expires.parse::<i64>() else {
        return false;
    };
    expires > Utc::now().timestamp()
        && same_secret(
            pre_sign_in_tag(state, door, nonce.value(), expires).as_bytes(),
            tag.as_bytes(),
        )
}

/// The `_csrf` field of a URL-encoded or multipart form.
async fn token_field(headers: &HeaderMap, body: Bytes) -> Option<String> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let mime = content_type.split(';').next()?.trim();
    if mime.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).ok()?;
        return fields.into_iter().find(|(k, _)| k == FIELD).map(|(_, v)| v);
    }
    if mime.eq_ignore_ascii_case("multipart/form-data") {
        let boundary = multer::parse_boundary(content_type).ok()?;
        let stream = futures_util::stream::once(async { Ok::<_, std::io::Error>(body) });
        let mut form = multer::Multipart::new(stream, boundary);
        while let Ok(Some(field)) = form.next_field().await {
            if field.name() == Some(FIELD) {
                return field.text().await.ok();
            }
        }
    }
    None
}

#[derive(Template)]
#[template(path = "refused.html")]
struct RefusedPage {
    shell: Shell,
    reason: String,
}

fn refuse(lang: Lang, why: Refusal) -> Response {
    let page = RefusedPage {
        shell: Shell::anonymous(lang, "/dashboard"),
        reason: lang.t(why.message()),
    };
    match page.render() {
        Ok(html) => (StatusCode::FORBIDDEN, Html(html)).into_response(),
        Err(e) => ApiError::Internal(e.to_string()).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn only_requests_from_this_site_pass() {
        let host = ("host", "motesplats.example");
        assert!(from_this_site(&headers(&[
            host,
            ("sec-fetch-site", "same-origin")
        ])));
        assert!(!from_this_site(&headers(&[
            host,
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(
            !from_this_site(&headers(&[host, ("sec-fetch-site", "same-site")])),
            "a sibling subdomain is another site's page"
        );
        assert!(from_this_site(&headers(&[
            host,
            ("origin", "https://motesplats.example")
        ])));
        assert!(!from_this_site(&headers(&[
            host,
            ("origin", "https://evil.example")
        ])));
        assert!(!from_this_site(&headers(&[host, ("origin", "null")])));
        assert!(from_this_site(&headers(&[host])), "no browser headers");
    }

    #[test]
    fn tokens_differ_per_sign_in_and_from_the_stored_hash() {
        let a = session_token("mp_session_a");
        assert_eq!(a, session_token("mp_session_a"));
        assert_ne!(a, session_token("mp_session_b"));
        assert_ne!(a, hex::encode(sha256("mp_session_a")));
    }
}
