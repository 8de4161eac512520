//! Profile and person pages: what the provider holds about one customer. Reads go
//! through the store, so each view is in the person's access log.

use super::dashboard::phase_class;
use super::i18n::Lang;
use super::labels::{Vocabulary, channel_icon, identifier_label, json_value, property};
use super::session::SignedIn;
use super::{Shell, channel_name, local_time, phase_name};
use crate::error::ApiError;
use crate::state::AppState;
use crate::ui::i18n::Messages;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use motesplats_core::{Cursor, PageRequest, PersonId, Profile, ProfileId, Touchpoint};
use motesplats_store::TouchpointFilter;
use serde::Deserialize;

/// Touchpoints a page of the story.
const STORY_PAGE: u32 = 100;

/// A profile with a page of its story.
pub struct ProfileView {
    pub id: String,
    pub display_name: String,
    pub identifiers: Vec<(String, String)>,
    pub attributes: Vec<(String, String)>,
    pub since: String,
    pub story: Story,
}

/// A page of a profile's touchpoints in the order they happened, cut into runs of one
/// phase each, so each visit reads before → during → after.
pub struct Story {
    /// The page it pages on: a profile's or a person's.
    pub base: String,
    pub runs: Vec<Run>,
    /// How many touchpoints a page holds, in words.
    pub page_note: String,
    /// Cursors of the neighbouring pages: the first and last touchpoint shown.
    pub earlier: Option<String>,
    pub later: Option<String>,
}

/// Touchpoints in a row that share a phase.
pub struct Run {
    pub class: &'static str,
    pub phase: String,
    pub moments: Vec<Moment>,
}

/// One touchpoint in the story.
pub struct Moment {
    pub when: String,
    pub icon: &'static str,
    pub channel: String,
    pub uncontrolled: bool,
    pub event: String,
    pub properties: Vec<(String, String)>,
}

impl Story {
    fn of(
        base: String,
        touchpoints: &[Touchpoint],
        lang: Lang,
        words: &Vocabulary,
        time_zone: &str,
    ) -> Self {
        let channels = &words.channels;
        let mut runs: Vec<Run> = Vec::new();
        for t in touchpoints {
            let class = t.phase.map_or("phase-none", phase_class);
            let moment = Moment {
                when: local_time(t.occurred_at, time_zone),
                icon: channel_icon(t.channel.as_str()),
                channel: channel_name(lang, t.channel.as_str(), channels),
                uncontrolled: channels.iter().any(|c| c.key == t.channel && !c.controlled),
                event: words.event(&t.kind, lang),
                properties: t
                    .properties
                    .iter()
                    .map(|(k, v)| property(k, v, lang))
                    .collect(),
            };
            match runs.last_mut() {
                Some(run) if run.class == class => run.moments.push(moment),
                _ => runs.push(Run {
                    class,
                    phase: phase_name(lang, t.phase),
                    moments: vec![moment],
                }),
            }
        }
        Story {
            base,
            runs,
            page_note: lang.t_with("story-page-size", &[("count", STORY_PAGE.into())]),
            earlier: None,
            later: None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }
}

/// Which page of the story: `after` a touchpoint (later ones) or `before` it.
#[derive(Deserialize, Default)]
pub struct StoryQuery {
    after: Option<String>,
    before: Option<String>,
}

impl StoryQuery {
    /// The cursors; `None` when either is no touchpoint id, which names no page.
    pub fn cursors(self) -> Option<(Option<Cursor>, Option<Cursor>)> {
        let cursor = |c: Option<String>| c.map(|c| c.parse().map(Cursor)).transpose();
        Some((cursor(self.after).ok()?, cursor(self.before).ok()?))
    }
}

/// Whose story: one profile's, or every profile of a person as one timeline.
#[derive(Clone, Copy)]
pub enum Whose {
    Profile(ProfileId),
    Person(PersonId),
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    shell: Shell,
    person_id: String,
    profile: ProfileView,
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

/// A page of a story: the first, or the one beside a touchpoint.
pub async fn story(
    state: &AppState,
    lang: Lang,
    who: &SignedIn,
    whose: Whose,
    words: &Vocabulary,
    (after, before): (Option<Cursor>, Option<Cursor>),
) -> Result<Story, ApiError> {
    let (profile, person, base) = match whose {
        Whose::Profile(p) => (Some(p), None, format!("/profiles/{p}")),
        Whose::Person(p) => (None, Some(p), format!("/persons/{p}")),
    };
    // One more than a page tells whether there is a page beyond.
    let filter = TouchpointFilter {
        page: PageRequest {
            limit: STORY_PAGE + 1,
            after: before.or(after),
        },
        profile,
        person,
        by_occurrence: true,
        newest_first: before.is_some(),
        ..Default::default()
    };
    let mut touchpoints = state.store.touchpoints(who.provider.id, &filter).await?;
    let beyond = touchpoints.len() > STORY_PAGE as usize;
    if beyond {
        touchpoints.pop();
    }
    if before.is_some() {
        touchpoints.reverse();
    }
    let mut story = Story::of(base, &touchpoints, lang, words, &who.provider.time_zone);
    let first = touchpoints.first().map(|t| t.id.to_string());
    let last = touchpoints.last().map(|t| t.id.to_string());
    (story.earlier, story.later) = if before.is_some() {
        (first.filter(|_| beyond), last)
    } else {
        (first.filter(|_| after.is_some()), last.filter(|_| beyond))
    };
    Ok(story)
}

fn view(p: Profile, lang: Lang, who: &SignedIn, story: Story) -> ProfileView {
    ProfileView {
        id: p.id.to_string(),
        display_name: p.display_name.clone().unwrap_or_else(|| "–".into()),
        identifiers: p
            .identifiers
            .iter()
            .map(|i| (identifier_label(i.kind, lang), i.value.clone()))
            .collect(),
        attributes: p
            .attributes
            .iter()
            .map(|(k, v)| (k.clone(), json_value(v, lang)))
            .collect(),
        since: local_time(p.created_at, &who.provider.time_zone),
        story,
    }
}

pub async fn profile(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Path(id): Path<String>,
    Query(page): Query<StoryQuery>,
) -> Result<Response, ApiError> {
    let path = format!("/profiles/{id}");
    let shell = Shell::signed_in(lang, &path, &who);
    let Ok(id) = id.parse::<ProfileId>() else {
        return not_found(shell);
    };
    let Some(cursors) = page.cursors() else {
        return not_found(shell);
    };
    let Some(p) = state.store.profile(who.provider.id, id).await? else {
        return not_found(shell);
    };
    let words = Vocabulary::of(state.store.as_ref(), who.provider.id).await?;
    let person_id = p.person_id.to_string();
    let story = story(&state, lang, &who, Whose::Profile(p.id), &words, cursors).await?;
    let profile = view(p, lang, &who, story);
    let html = ProfilePage {
        shell,
        person_id,
        profile,
    }
    .render()
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Html(html).into_response())
}
