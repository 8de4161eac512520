//! What each role of a provider's staff may do: one table of role × capability, which
//! the route table (`routes.rs`) names per route, the guard below checks before any
//! handler runs, the navigation follows, and the authorisation matrix reads.

use super::routes::{Access, ROUTES};
use super::session::SignedIn;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use motesplats_core::Reason;
use motesplats_core::invalid::Invalid;
use motesplats_store::Role;

/// A part of the UI that a role may or may not use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Capability {
    /// Figures over many people: dashboard, journeys, town centre, segments.
    Figures,
    /// Personal data: customers, profiles, persons, their review and unmerging, and
    /// the touchpoints behind a figure.
    Persons,
    /// The research boards.
    Research,
    /// Surveys, their results, coding and the codebook.
    Surveys,
    /// How events are received: the quarantine and the event-name table.
    Settings,
    /// The provider's users and the audit log of what they did.
    Staff,
    /// One's own sign-in: the password.
    Account,
}

impl Capability {
    pub const ALL: [Capability; 7] = [
        Capability::Figures,
        Capability::Persons,
        Capability::Research,
        Capability::Surveys,
        Capability::Settings,
        Capability::Staff,
        Capability::Account,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Capability::Figures => "figures",
            Capability::Persons => "persons",
            Capability::Research => "research",
            Capability::Surveys => "surveys",
            Capability::Settings => "settings",
            Capability::Staff => "staff",
            Capability::Account => "account",
        }
    }
}

use Capability::{Account, Figures, Persons, Research, Surveys};

/// Each role's capabilities. Analysts work with figures, research and surveys but
/// never see a person's data. Support answers customers: persons (to find, correct
/// and unmerge them) and the figures that explain a customer's journey. Staff, the
/// shop-floor team, observe, interview and code answers: research and surveys only.
/// Only admins change how events are received and who works here. Everyone keeps
/// their own sign-in.
const TABLE: &[(Role, &[Capability])] = &[
    (Role::Admin, &Capability::ALL),
    (Role::Analyst, &[Figures, Research, Surveys, Account]),
    (Role::Support, &[Persons, Figures, Account]),
    (Role::Staff, &[Research, Surveys, Account]),
];

pub fn may(role: Role, capability: Capability) -> bool {
    TABLE
        .iter()
        .any(|(r, caps)| *r == role && caps.contains(&capability))
}

/// The capability a route needs, from the route table; `None` for routes that are
/// not staff pages. A method the table does not list for the path (HEAD, or one the
/// route will refuse) is held to the path's first entry, so nothing slips past.
pub fn needed(method: &Method, path: &str) -> Option<Capability> {
    let method = if method == Method::HEAD {
        "GET"
    } else {
        method.as_str()
    };
    let on_path = || ROUTES.iter().filter(|r| r.path == path);
    let route = on_path()
        .find(|r| r.method == method)
        .or_else(|| on_path().next())?;
    match route.access {
        Access::Staff(capability) => Some(capability),
        _ => None,
    }
}

/// The layer on the UI router: a staff page needs a signed-in user whose role has the
/// route's capability; the user is handed on to the handler's `SignedIn`.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str());
    let Some(capability) = path.and_then(|p| needed(request.method(), p)) else {
        return next.run(request).await;
    };
    let (mut parts, body) = request.into_parts();
    let who = match SignedIn::load(&parts, &state).await {
        Ok(who) => who,
        Err(refused) => return refused,
    };
    if !may(who.user.role, capability) {
        let reason = Reason::RoleLacks {
            role: who.user.role.as_str().to_string(),
            capability: capability.as_str().to_string(),
        };
        return ApiError::NotAllowed(Invalid::one("", reason)).into_response();
    }
    parts.extensions.insert(who);
    next.run(Request::from_parts(parts, body)).await
}

/// The links of the navigation, in order; each is shown to a role that may follow it.
const NAV: &[(&str, &str)] = &[
    ("/dashboard", "dashboard"),
    ("/journeys", "journeys"),
    ("/segments", "segments"),
    ("/town-centre", "town-centre"),
    ("/customers", "customers"),
    ("/persons/review", "review"),
    ("/research", "research"),
    ("/surveys", "surveys"),
    ("/quarantine", "quarantine"),
    ("/event-names", "event-names"),
    ("/staff", "staff"),
];

/// The navigation links (path, message key) this role may follow.
pub fn nav(role: Role) -> impl Iterator<Item = (&'static str, &'static str)> {
    NAV.iter().copied().filter(move |(path, _)| {
        needed(&Method::GET, path).is_none_or(|capability| may(role, capability))
    })
}

/// Where a user lands after signing in: the first page of the navigation they may see.
pub fn home(role: Role) -> &'static str {
    nav(role).next().map_or("/dashboard", |(path, _)| path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_has_a_home_it_may_see() {
        for role in Role::ALL {
            let home = home(role);
            let capability = needed(&Method::GET, home).unwrap();
            assert!(may(role, capability), "{role:?} lands on {home}");
        }
        assert_eq!(home(Role::Staff), "/research");
    }

    #[test]
    fn only_admins_manage_staff_and_settings() {
        for role in Role::ALL {
            let admin = role == Role::Admin;
            assert_eq!(may(role, Capability::Staff), admin);
            assert_eq!(may(role, Capability::Settings), admin);
        }
        assert!(!may(Role::Analyst, Capability::Persons));
        assert!(!nav(Role::Analyst).any(|(path, _)| path == "/customers"));
    }
}
