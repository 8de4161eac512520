//! Profile and person pages: what the provider holds about one customer. Reads go
//! through the store, so each view is in the person's access log.

use super::dashboard::Line;
use super::i18n::Lang;
use super::session::SignedIn;
use super::{Shell, local_time};
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use motesplats_core::{Channel, PageRequest, PersonId, Profile, ProfileId};
use motesplats_store::TouchpointFilter;

/// A profile with its touchpoints, newest first.
pub struct ProfileView {
    pub id: String,
    pub display_name: String,
    pub identifiers: Vec<(String, String)>,
    pub attributes: Vec<(String, String)>,
    pub since: String,
    pub lines: Vec<Line>,
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    shell: Shell,
    person_id: String,
    profile: ProfileView,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    shell: Shell,
    person_id: String,
    profiles: Vec<ProfileView>,
}

#[derive(Template)]
#[template(path = "not_found.html")]
struct NotFoundPage {
    shell: Shell,
}

pub fn not_found(shell: Shell) -> Result<Response, ApiError> {
    let html = NotFoundPage { shell }
        .render()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((StatusCode::NOT_FOUND, Html(html)).into_response())
}

async fn view(
    state: &AppState,
    lang: Lang,
    who: &SignedIn,
    p: Profile,
    channels: &[Channel],
) -> Result<ProfileView, ApiError> {
    let filter = TouchpointFilter {
        page: PageRequest {
            limit: 200,
            after: None,
        },
        profile: Some(p.id),
        newest_first: true,
        ..Default::default()
    };
    let touchpoints = state.store.touchpoints(who.provider.id, &filter).await?;
    Ok(ProfileView {
        id: p.id.to_string(),
        display_name: p.display_name.clone().unwrap_or_else(|| "–".into()),
        identifiers: p
            .identifiers
            .iter()
            .map(|i| (i.kind.to_string(), i.value.clone()))
            .collect(),
        attributes: p
            .attributes
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect(),
        since: local_time(p.created_at, &who.provider.time_zone),
        lines: touchpoints
            .iter()
            .map(|t| Line::of(lang, t, channels, &who.provider.time_zone))
            .collect(),
    })
}

pub async fn profile(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let path = format!("/profiles/{id}");
    let shell = Shell::signed_in(lang, &path, &who);
    let Ok(id) = id.parse::<ProfileId>() else {
        return not_found(shell);
    };
    let Some(p) = state.store.profile(who.provider.id, id).await? else {
        return not_found(shell);
    };
    let channels = state.store.channels(who.provider.id).await?;
    let person_id = p.person_id.to_string();
    let profile = view(&state, lang, &who, p, &channels).await?;
    let html = ProfilePage {
        shell,
        person_id,
        profile,
    }
    .render()
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Html(html).into_response())
}

pub async fn person(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let path = format!("/persons/{id}");
    let shell = Shell::signed_in(lang, &path, &who);
    let Ok(id) = id.parse::<PersonId>() else {
        return not_found(shell);
    };
    let Some(person) = state.store.person(who.provider.id, id).await? else {
        return not_found(shell);
    };
    let channels = state.store.channels(who.provider.id).await?;
    let mut profiles = Vec::new();
    for p in person.profiles {
        profiles.push(view(&state, lang, &who, p, &channels).await?);
    }
    let html = PersonPage {
        shell,
        person_id: id.to_string(),
        profiles,
    }
    .render()
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Html(html).into_response())
}
