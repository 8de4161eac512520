//! Segments saved from a request, a segment named by a request, and the persons its
//! rules hold: the store knows profiles' traits and the survey responses given with
//! consent, the placement the journeys.

use crate::error::ApiError;
use crate::state::AppState;
use chrono::{SubsecRound, Utc};
use motesplats_core::segment::{Known, Segment, SegmentId, SegmentInput, SegmentRules};
use motesplats_core::survey::{Membership, Response, SEGMENT_PREFIX};
use motesplats_core::{ChannelKey, Invalid, PersonId, ProviderId, Reason};
use motesplats_store::Store;
use std::collections::{HashMap, HashSet};

/// The provider's segment named by the parameter `segment` (its id), if one is
/// named; a bad or unknown id is a 400 naming `segment`.
pub async fn named(
    store: &dyn Store,
    provider: ProviderId,
    id: Option<&str>,
) -> Result<Option<Segment>, ApiError> {
    let Some(id) = id.filter(|i| !i.is_empty()) else {
        return Ok(None);
    };
    let unknown = || ApiError::BadParameters(Invalid::one("segment", Reason::NoSegment));
    let id: SegmentId = id.parse().map_err(|_| unknown())?;
    store
        .segment(provider, id)
        .await?
        .ok_or_else(unknown)
        .map(Some)
}

/// The persons meeting every rule over persons, or `None` when there is none.
pub async fn members(
    store: &dyn Store,
    provider: ProviderId,
    rules: &SegmentRules,
) -> Result<Option<HashSet<PersonId>>, ApiError> {
    if !rules.asks_persons() {
        return Ok(None);
    }
    let mut held: Option<HashSet<PersonId>> = None;
    let mut keep = |found: Vec<PersonId>| {
        let found: HashSet<PersonId> = found.into_iter().collect();
        held = Some(match held.take() {
            Some(h) => h.intersection(&found).copied().collect(),
            None => found,
        });
    };
    for t in &rules.traits {
        keep(store.trait_persons(provider, &t.key, &t.value).await?);
    }
    for a in &rules.answers {
        let responses = store.responses(provider, a.survey).await?;
        let profiles: Vec<_> = a.profiles(&responses).into_iter().collect();
        let persons = store.profile_persons(provider, &profiles).await?;
        keep(persons.into_iter().map(|(_, p)| p).collect());
    }
    Ok(held)
}

/// The persons of `segment`: those with a journey it keeps or, with rules over
/// persons only, every member (see `SegmentRules::persons`).
pub async fn persons(
    state: &AppState,
    provider: ProviderId,
    segment: &Segment,
) -> Result<HashSet<PersonId>, ApiError> {
    let members = members(state.store.as_ref(), provider, &segment.rules).await?;
    let placed = state.figures.placed(state, provider).await?;
    let rules = segment.rules.clone();
    tokio::task::spawn_blocking(move || {
        let p = placed.as_ref();
        rules.persons(&p.log, &p.placed, &p.clock, members.as_ref(), &|j| {
            p.motivation(j)
        })
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))
}

/// Checks `input` against the provider's channels and surveys and stores it as
/// segment `id`.
pub async fn save(
    state: &AppState,
    me: ProviderId,
    id: SegmentId,
    input: &SegmentInput,
) -> Result<Segment, ApiError> {
    let channels = state.store.channels(me).await?;
    let surveys = state.store.surveys(me).await?;
    // Checked in a block: the closure is not `Send` and must not live across an await.
    let (name, rules) = {
        let channel = |k: &ChannelKey| channels.iter().any(|c| c.key == *k);
        let known = Known {
            channel: &channel,
            surveys: &surveys,
        };
        input.parse(&known).map_err(ApiError::Invalid)?
    };
    let segment = Segment {
        id,
        name,
        rules,
        updated_at: Utc::now().trunc_subsecs(6),
    };
    state.store.save_segment(me, segment.clone()).await?;
    Ok(segment)
}

/// The split `word` as a segment's membership among the respondents of `responses`,
/// when it is `segment:<id>` naming one of the provider's segments; otherwise `None`
/// (a bad or unknown id is then reported by the core's split parsing, naming its
/// field).
pub async fn membership(
    state: &AppState,
    provider: ProviderId,
    responses: &[Response],
    word: &str,
) -> Result<Option<Membership>, ApiError> {
    let Some(id) = word.strip_prefix(SEGMENT_PREFIX) else {
        return Ok(None);
    };
    let Ok(id) = id.parse::<SegmentId>() else {
        return Ok(None);
    };
    let Some(segment) = state.store.segment(provider, id).await? else {
        return Ok(None);
    };
    let persons = persons(state, provider, &segment).await?;
    let mut profiles: Vec<_> = responses.iter().filter_map(|r| r.profile_id).collect();
    profiles.sort_unstable();
    profiles.dedup();
    let mut held: HashMap<_, bool> = HashMap::new();
    for (profile, person) in state.store.profile_persons(provider, &profiles).await? {
        *held.entry(profile).or_default() |= persons.contains(&person);
    }
    Ok(Some(Membership {
        word: word.to_string(),
        name: segment.name,
        profiles: held,
    }))
}
