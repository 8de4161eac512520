//! The provider's whole view of a person: its profiles, the identifiers they carry
//! (shared ones marked), one timeline of every profile's touchpoints, how its
//! profiles were joined and which joins were refused, the history of merges and
//! splits, and the unmerge that splits a person back.

use super::chart::percent_to;
use super::i18n::{Lang, Messages};
use super::labels::{Vocabulary, identifier_label};
use super::people::{Story, StoryQuery, Whose, not_found, story};
use super::session::SignedIn;
use super::{Shell, local_time};
use crate::error::ApiError;
use crate::identity::{self, Identity};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use motesplats_core::identity::{Decision, Evidence, FieldWeight, Link, Refusal};
use motesplats_core::number;
use motesplats_core::{Identifier, PersonId, Profile, ProfileId};
use motesplats_store::{Change, StoreError};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    shell: Shell,
    person_id: String,
    profiles: Vec<ProfileLine>,
    identifiers: Vec<IdentifierLine>,
    story: Story,
    links: Vec<LinkLine>,
    refused: Vec<String>,
    history: Vec<(String, String)>,
}

struct ProfileLine {
    id: String,
    name: String,
    since: String,
}

struct IdentifierLine {
    kind: String,
    value: String,
    /// On how many of the person's profiles.
    on: usize,
    /// Why it joins nobody, when it is shared.
    shared: Option<String>,
}

struct LinkLine {
    from: String,
    to: String,
    from_name: String,
    to_name: String,
    evidence: String,
}

/// A profile as pages name it: its name, or the start of its id.
pub fn profile_name(p: &Profile) -> String {
    p.display_name.clone().unwrap_or_else(|| short_id(p.id))
}

fn short_id(id: ProfileId) -> String {
    id.to_string()[..8].to_string() + "…"
}

/// The name of one of the person's profiles (`profile_name`).
fn name_of(profiles: &BTreeMap<ProfileId, Profile>, id: ProfileId) -> String {
    profiles.get(&id).map_or_else(|| short_id(id), profile_name)
}

fn said(lang: Lang, i: &Identifier) -> String {
    format!("{} {}", identifier_label(i.kind, lang), i.value)
}

fn evidence(lang: Lang, e: &Evidence) -> String {
    match e {
        Evidence::Decided => lang.t("identity-decided"),
        Evidence::Identifiers { identifiers } => identifiers
            .iter()
            .map(|i| said(lang, i))
            .collect::<Vec<_>>()
            .join(" · "),
        Evidence::Matched {
            probability,
            fields,
        } => lang.t_text(
            "identity-matched",
            &[
                ("percent", percent_to(*probability, 1, lang)),
                ("fields", field_weights(lang, fields)),
            ],
        ),
    }
}

/// A field's weight with its sign, as `lang` writes numbers: "+3,1", "-4,4".
pub fn signed_weight(weight: f64, lang: Lang) -> String {
    let sign = if weight >= 0.0 { "+" } else { "" };
    format!("{sign}{}", number::decimal(weight, 1, lang))
}

/// What each field said about a pair, such as "given name alike (+3,1)"; fields
/// that one record lacks said nothing and are left out.
pub fn field_weights(lang: Lang, fields: &[FieldWeight]) -> String {
    fields
        .iter()
        .filter(|f| f.level != "missing")
        .map(|f| {
            format!(
                "{} {} ({})",
                lang.t(&format!("linkage-field-{}", f.field)),
                lang.t(&format!("linkage-level-{}", f.level)),
                signed_weight(f.weight, lang),
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn refusal(lang: Lang, identifier: &Identifier, why: &Refusal) -> String {
    let identifier = said(lang, identifier);
    match why {
        Refusal::Apart => lang.t_text("identity-refused-apart", &[("identifier", identifier)]),
        Refusal::Limit { kind, limit } => lang.t_text(
            "identity-refused-limit",
            &[
                ("identifier", identifier),
                ("kind", identifier_label(*kind, lang)),
                ("limit", limit.to_string()),
            ],
        ),
    }
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Path(id): Path<String>,
    Query(page): Query<StoryQuery>,
) -> Result<Response, ApiError> {
    let path = format!("/persons/{id}");
    let shell = Shell::signed_in(lang, &path, &who);
    let (Ok(id), Some(cursors)) = (id.parse::<PersonId>(), page.cursors()) else {
        return not_found(shell);
    };
    let me = who.provider.id;
    let Some(person) = state.store.person(me, id).await? else {
        return not_found(shell);
    };
    let Some(first) = person.profiles.first().map(|p| p.id) else {
        return not_found(shell);
    };
    let Some(Identity {
        links,
        shared,
        conflicts,
        history,
        ..
    }) = identity::of(state.store.as_ref(), me, first).await?
    else {
        return not_found(shell);
    };
    let words = Vocabulary::of(state.store.as_ref(), me).await?;
    let story = story(&state, lang, &who, Whose::Person(id), &words, cursors).await?;
    let zone = &who.provider.time_zone;
    let profiles: BTreeMap<ProfileId, Profile> =
        person.profiles.into_iter().map(|p| (p.id, p)).collect();

    let mut carried: BTreeMap<&Identifier, usize> = BTreeMap::new();
    for i in profiles.values().flat_map(|p| &p.identifiers) {
        *carried.entry(i).or_default() += 1;
    }
    let identifiers = carried
        .into_iter()
        .map(|(i, on)| IdentifierLine {
            kind: identifier_label(i.kind, lang),
            value: i.value.clone(),
            on,
            shared: shared
                .iter()
                .find(|s| &s.identifier == i)
                .map(|s| lang.t_text("identity-shared", &[("cap", s.cap.to_string())])),
        })
        .collect();
    let links = links
        .iter()
        .map(|l: &Link| LinkLine {
            from: l.from.to_string(),
            to: l.to.to_string(),
            from_name: name_of(&profiles, l.from),
            to_name: name_of(&profiles, l.to),
            evidence: evidence(lang, &l.evidence),
        })
        .collect();
    let refused = conflicts
        .iter()
        .map(|c| refusal(lang, &c.identifier, &c.why))
        .collect();
    let history = history
        .iter()
        .map(|e| {
            let text = match &e.change {
                Change::Merged {
                    from,
                    to,
                    evidence: by,
                } => lang.t_text(
                    "identity-merged",
                    &[
                        ("a", name_of(&profiles, *from)),
                        ("b", name_of(&profiles, *to)),
                        ("by", evidence(lang, by)),
                    ],
                ),
                Change::Split { from, profile, .. } => lang.t_text(
                    "identity-split",
                    &[
                        ("profile", name_of(&profiles, *profile)),
                        ("from", name_of(&profiles, *from)),
                    ],
                ),
            };
            (local_time(e.at, zone), text)
        })
        .collect();
    let html = PersonPage {
        shell,
        person_id: id.to_string(),
        profiles: profiles
            .values()
            .map(|p| ProfileLine {
                id: p.id.to_string(),
                name: name_of(&profiles, p.id),
                since: local_time(p.created_at, zone),
            })
            .collect(),
        identifiers,
        story,
        links,
        refused,
        history,
    }
    .render()
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Html(html).into_response())
}

/// The two ends of the link an unmerge undoes.
#[derive(Deserialize)]
pub struct Unmerge {
    from: String,
    to: String,
}

/// `POST /persons/{id}/unmerge`: keeps the link's two profiles apart for good, which
/// splits the person; shows the person `from` is in afterwards.
pub async fn unmerge(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Path(id): Path<String>,
    Form(link): Form<Unmerge>,
) -> Result<Response, ApiError> {
    let shell = Shell::signed_in(lang, &format!("/persons/{id}"), &who);
    let (Ok(a), Ok(b)) = (link.from.parse::<ProfileId>(), link.to.parse::<ProfileId>()) else {
        return not_found(shell);
    };
    let me = who.provider.id;
    match state
        .store
        .decide(me, Decision::Apart { a, b }, Some(who.user.id))
        .await
    {
        Err(StoreError::NotFound) => return not_found(shell),
        other => other?,
    }
    let Some(after) = state.store.profile(me, a).await? else {
        return not_found(shell);
    };
    Ok(Redirect::to(&format!("/persons/{}", after.person_id)).into_response())
}
