//! The one bridge between providers: an identifier the person verified themselves.
//! Each provider resolves its own profiles alone; persons of different providers
//! are one human only when they carry the same verified identifier.

use crate::identifier::Identifier;
use crate::ids::{ProfileId, ProviderId};
use std::collections::{BTreeMap, BTreeSet};

/// One provider's person (by its key) carrying an identifier.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Held {
    pub provider: ProviderId,
    pub person: ProfileId,
    pub identifier: Identifier,
}

/// The persons that are one human across providers, each group sorted and of two
/// or more persons. Only `verified` identifiers join; any other, however many
/// providers carry it, joins nobody.
pub fn humans(held: &[Held], verified: &BTreeSet<Identifier>) -> Vec<Vec<(ProviderId, ProfileId)>> {
    let mut by_identifier: BTreeMap<&Identifier, BTreeSet<(ProviderId, ProfileId)>> =
        BTreeMap::new();
    for h in held.iter().filter(|h| verified.contains(&h.identifier)) {
        by_identifier
            .entry(&h.identifier)
            .or_default()
            .insert((h.provider, h.person));
    }
    // Union of the persons each verified identifier names, by repeated absorption:
    // the groups are few and small (one human's providers).
    let mut groups: Vec<BTreeSet<(ProviderId, ProfileId)>> = Vec::new();
    for persons in by_identifier.into_values() {
        let mut merged = persons;
        groups.retain(|g| {
            if g.is_disjoint(&merged) {
                true
            } else {
                merged.extend(g.iter().copied());
                false
            }
        });
        groups.push(merged);
    }
    let mut out: Vec<Vec<_>> = groups
        .into_iter()
        .filter(|g| g.len() > 1)
        .map(|g| g.into_iter().collect())
        .collect();
    out.sort();
    out
}
