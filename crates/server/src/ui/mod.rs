//! The web UI: server-rendered HTML (askama escapes all output), Swedish and
//! English, no JavaScript needed. Each page module owns its handlers.

mod account;
mod audit;
mod chart;
mod codebook;
mod coding;
pub(crate) mod csrf;
mod customers;
mod dashboard;
mod event_names;
mod forms;
pub mod i18n;
mod journeys;
mod labels;
mod live;
mod me;
mod people;
mod person;
mod quarantine;
pub(crate) mod refusal;
mod research;
mod review;
pub mod roles;
pub mod routes;
mod sankey;
mod segments;
mod session;
mod staff;
pub(crate) mod surveys;
pub(crate) mod throttle;
mod town_centre;

use crate::client::Client;
use crate::state::AppState;
use crate::ui::i18n::Messages;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::uri::PathAndQuery;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use i18n::Lang;
use serde::Deserialize;

/// The web UI: the routes of `routes.rs`.
pub fn router() -> Router<AppState> {
    routes::build()
}

/// What every page's frame needs: the language, who is signed in, and where we are.
pub struct Shell {
    pub lang: Lang,
    pub path: String,
    pub user_email: Option<String>,
    pub provider_name: Option<String>,
    /// The token every form of a signed-in page carries (`csrf`); empty otherwise.
    pub csrf: String,
    /// A person on their own pages, not provider staff.
    pub person: bool,
    /// The navigation links (path, message key) the signed-in user's role may follow.
    pub nav: Vec<(&'static str, &'static str)>,
    /// Where the brand link leads: the user's first page.
    pub home: &'static str,
}

impl Shell {
    pub fn anonymous(lang: Lang, path: &str) -> Self {
        Shell {
            lang,
            path: path.to_string(),
            user_email: None,
            provider_name: None,
            csrf: String::new(),
            person: path.starts_with("/me"),
            nav: Vec::new(),
            home: if path.starts_with("/me") {
                "/me"
            } else {
                "/dashboard"
            },
        }
    }

    /// A signed-in person's page: their forms carry `csrf`.
    pub fn person(lang: Lang, path: &str, csrf: &str) -> Self {
        Shell {
            csrf: csrf.to_string(),
            ..Shell::anonymous(lang, path)
        }
    }

    pub fn signed_in(lang: Lang, path: &str, who: &session::SignedIn) -> Self {
        Shell {
            lang,
            path: path.to_string(),
            user_email: Some(who.user.email.clone()),
            provider_name: Some(who.provider.name.clone()),
            csrf: who.form_token.clone(),
            person: false,
            nav: roles::nav(who.user.role).collect(),
            home: roles::home(who.user.role),
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// The other language, for the switch in the header.
    pub fn other(&self) -> Lang {
        self.lang.other()
    }
}

#[derive(Deserialize)]
struct LanguageChoice {
    to: String,
    next: Option<String>,
}

/// Remembers the chosen language and goes back to the page it was chosen on.
async fn switch_language(
    State(state): State<AppState>,
    client: Client,
    jar: CookieJar,
    Query(choice): Query<LanguageChoice>,
) -> Response {
    let lang = Lang::parse(&choice.to).unwrap_or(Lang::En);
    let next = choice.next.as_deref().and_then(local_path).unwrap_or("/");
    let cookie = Cookie::build(("lang", lang.as_str()))
        .path("/")
        .same_site(SameSite::Lax)
        .secure(state.cookie_secure.for_https(client.https))
        .permanent()
        .build();
    (jar.add(cookie), Redirect::to(next)).into_response()
}

/// `next` if it is a path on this site, so the switch cannot send people elsewhere.
/// Browsers read `\` as `/` and drop tabs and line breaks, so `/\evil.example` and
/// `/<tab>/evil.example` would leave the site as `//evil.example` does.
fn local_path(next: &str) -> Option<&str> {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next
            .chars()
            .any(|c| c == '\\' || c.is_control() || c.is_whitespace())
        && next.parse::<PathAndQuery>().is_ok();
    local.then_some(next)
}

async fn stylesheet() -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/app.css"),
    )
        .into_response()
}

async fn coding_script() -> Response {
    script(include_str!("../../static/coding.js"))
}

async fn live_script() -> Response {
    script(include_str!("../../static/live.js"))
}

/// A script of the UI, cached for an hour.
fn script(body: &'static str) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

/// Formats a time in the provider's time zone.
pub fn local_time(t: chrono::DateTime<chrono::Utc>, time_zone: &str) -> String {
    match time_zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string(),
        Err(_) => t.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

/// The name of a channel in the page's language: built-ins are translated.
pub fn channel_name(lang: Lang, key: &str, own: &[motesplats_core::Channel]) -> String {
    match own.iter().find(|c| c.key.as_str() == key) {
        Some(c) if !c.builtin => c.name.clone(),
        _ => lang.t(&format!("channel-{key}")),
    }
}

pub fn phase_name(lang: Lang, phase: Option<motesplats_core::Phase>) -> String {
    lang.t(&format!("phase-{}", phase.map_or("none", |p| p.as_str())))
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_paths_on_this_site_are_followed() {
        for ok in ["/", "/dashboard", "/surveys/01/edit?step=2"] {
            assert_eq!(local_path(ok), Some(ok));
        }
        for off in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "https://evil.example",
            "evil.example",
            "",
            "/ /evil.example",
        ] {
            assert_eq!(local_path(off), None, "{off:?}");
        }
    }
}
