//! A person's identity as the API, the pages and the CLI tell it: which of the
//! provider's profiles are one person and why, the identifiers that are shared and
//! the joins that were refused, and the history of merges and splits.

use motesplats_core::identity::{Conflict, Link, Resolution};
use motesplats_core::{Identifier, PersonId, ProfileId, ProviderId};
use motesplats_store::linking::rules;
use motesplats_store::{IdentityEvent, Store, StoreError};
use serde::Serialize;
use utoipa::ToSchema;

/// One person as the provider knows them.
#[derive(Debug, Serialize, ToSchema)]
pub struct Identity {
    pub person_id: PersonId,
    /// Its profiles, smallest id first.
    pub profiles: Vec<ProfileId>,
    /// One link per merge: together they join every profile of the person.
    pub links: Vec<Link>,
    /// Identifiers its profiles carry that are on more profiles than their kind's
    /// cap, so they join nobody.
    pub shared: Vec<Shared>,
    /// Joins an identifier suggested that a per-person limit or a decision refused.
    pub conflicts: Vec<Conflict>,
    /// Every merge and split its profiles took part in, oldest first.
    pub history: Vec<IdentityEvent>,
}

/// A shared identifier: a family tablet, a household address, a shop's demo phone.
#[derive(Debug, Serialize, ToSchema)]
pub struct Shared {
    pub identifier: Identifier,
    /// It is on more profiles than this.
    pub cap: usize,
}

/// Why two profiles are one person, or that they are not.
#[derive(Debug, Serialize, ToSchema)]
pub struct Why {
    pub same_person: bool,
    /// The chain of links from the first profile to the second; empty when they
    /// are different persons.
    pub links: Vec<Link>,
}

/// The identity of `profile`'s person; None when the profile is not the reader's.
pub async fn of(
    store: &dyn Store,
    reader: ProviderId,
    profile: ProfileId,
) -> Result<Option<Identity>, StoreError> {
    let Some((component, r)) = resolved(store, reader, profile).await? else {
        return Ok(None);
    };
    let key = r.person_of(profile).unwrap_or(profile);
    let profiles: Vec<ProfileId> = r.persons().remove(&key).unwrap_or_else(|| vec![profile]);
    let mine = |p: &ProfileId| profiles.binary_search(p).is_ok();
    let carried: std::collections::BTreeSet<&Identifier> = component
        .observations
        .iter()
        .filter(|o| mine(&o.profile))
        .map(|o| &o.identifier)
        .collect();
    let shared = component
        .shared
        .iter()
        .filter(|i| carried.contains(i))
        .map(|i| Shared {
            identifier: i.clone(),
            cap: rules().rule(i.kind).cap,
        })
        .collect();
    let history = store.identity_history(reader, profiles.clone()).await?;
    Ok(Some(Identity {
        person_id: PersonId(key.0),
        links: r
            .links()
            .iter()
            .filter(|l| mine(&l.from))
            .cloned()
            .collect(),
        conflicts: r
            .conflicts()
            .iter()
            .filter(|c| mine(&c.a) || mine(&c.b))
            .cloned()
            .collect(),
        shared,
        history,
        profiles,
    }))
}

/// Why `a` and `b` are one person; None when either is not the reader's.
pub async fn why(
    store: &dyn Store,
    reader: ProviderId,
    a: ProfileId,
    b: ProfileId,
) -> Result<Option<Why>, StoreError> {
    if store.profile(reader, b).await?.is_none() {
        return Ok(None);
    }
    let Some((_, r)) = resolved(store, reader, a).await? else {
        return Ok(None);
    };
    let links = r.why(a, b);
    Ok(Some(Why {
        same_person: links.is_some() || a == b,
        links: links.unwrap_or_default(),
    }))
}

/// The part of the graph around `profile`, resolved.
async fn resolved(
    store: &dyn Store,
    reader: ProviderId,
    profile: ProfileId,
) -> Result<Option<(motesplats_store::linking::Component, Resolution)>, StoreError> {
    let Some(component) = store.identity(reader, profile).await? else {
        return Ok(None);
    };
    let r = component.resolve(rules());
    Ok(Some((component, r)))
}
