//! Stitching profiles into persons, the same for both backends: which profile an
//! arriving touchpoint lands on ([`choose`]), the walk that gathers the part of a
//! provider's identity graph a change can reach ([`Walk`]), and what the engine's
//! answer changes ([`Component::relink`]). The backends only run the queries.
//!
//! A person's id is the id of its smallest profile (the engine's key), so a new
//! profile is a person of its own and two providers' persons never share an id.

use chrono::{DateTime, Utc};
use motesplats_core::identity::{
    self, Decision, Evidence, FieldWeight, Match, Observation, Refusal, Resolution, Rules,
};
use motesplats_core::linkage::{Field, Record};
use motesplats_core::{Identifier, PersonId, ProfileId, ProviderId};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use utoipa::ToSchema;

/// The rules every provider's profiles are stitched by.
pub fn rules() -> &'static Rules {
    static RULES: std::sync::LazyLock<Rules> = std::sync::LazyLock::new(Rules::default);
    &RULES
}

/// How many holders of `identifier` a lookup needs: one past the cap tells that it
/// is shared, and one more tells that it was shared already before this arrival.
pub fn lookup_limit(rules: &Rules, identifier: &Identifier) -> usize {
    rules.rule(identifier.kind).cap + 2
}

/// Whether `identifier` can join profiles at all (a merging kind, no placeholder).
fn merging(rules: &Rules, identifier: &Identifier) -> bool {
    rules.rule(identifier.kind).merges && !rules.is_placeholder(&identifier.value)
}

/// The profile a touchpoint carrying `ids` lands on, given the holders of each
/// (`holders[i]` for `ids[i]`, sorted, at most [`lookup_limit`]); `None`: a new
/// profile. The holder that carries the most of the touchpoint's unshared
/// identifiers, weighed by priority, wins, the smallest id on a tie; when only
/// shared identifiers or placeholders are held, the smallest holder of the first
/// held one, so a family tablet's events do not each make a profile.
pub fn choose(rules: &Rules, ids: &[Identifier], holders: &[Vec<ProfileId>]) -> Option<ProfileId> {
    let mut score: BTreeMap<ProfileId, u32> = BTreeMap::new();
    for (id, on) in ids.iter().zip(holders) {
        let rule = rules.rule(id.kind);
        if merging(rules, id) && on.len() <= rule.cap {
            for p in on {
                *score.entry(*p).or_default() += u32::from(rule.priority) + 1;
            }
        }
    }
    let best = score
        .into_iter()
        .max_by(|(p, s), (q, t)| s.cmp(t).then(q.cmp(p)))
        .map(|(p, _)| p);
    best.or_else(|| holders.iter().find_map(|on| on.first().copied()))
}

/// The profile a touchpoint carrying `ids` lands on when placing it would change
/// nothing: [`choose`]'s profile, if it holds every one of `ids` already (`holders`
/// as for [`choose`]). Such a touchpoint can be written placed as it arrives, with
/// no lookup but these and no write but its own row; `None`: it waits for the
/// resolver (nobody holds it, or it brings an identifier to attach). A holder cut
/// off by [`lookup_limit`] reads as not holding, so it waits: never wrongly placed.
pub fn holding_all(
    rules: &Rules,
    ids: &[Identifier],
    holders: &[Vec<ProfileId>],
) -> Option<ProfileId> {
    let profile = choose(rules, ids, holders)?;
    holders
        .iter()
        .all(|on| on.binary_search(&profile).is_ok())
        .then_some(profile)
}

/// The profiles whose persons may change when `profile` newly carries `identifier`,
/// now held by `holders` (sorted, at most [`lookup_limit`], `profile` among them).
pub fn touched_by(
    rules: &Rules,
    identifier: &Identifier,
    profile: ProfileId,
    holders: &[ProfileId],
) -> Vec<ProfileId> {
    let rule = rules.rule(identifier.kind);
    if !merging(rules, identifier) {
        return Vec::new();
    }
    if (2..=rule.cap + 1).contains(&holders.len()) {
        // It joins them now, or it has just become shared and must part them.
        holders.to_vec()
    } else if rule.per_person != usize::MAX {
        // One more value of a limited kind may forbid a join the person rests on.
        vec![profile]
    } else {
        Vec::new()
    }
}

/// What a backend tells the walk about some profiles.
#[derive(Debug, Default)]
pub struct ProfileFacts {
    /// Every identifier they carry.
    pub observations: Vec<Observation>,
    /// Their persons now, and every other profile of those persons.
    pub persons: Vec<(ProfileId, PersonId)>,
    /// The decisions that name any of them.
    pub decisions: Vec<Decision>,
    /// The pairs probabilistic linkage links that name any of them.
    pub matches: Vec<Match>,
}

/// A decision as stored: the pair and whether they are one person.
pub fn decision(a: ProfileId, b: ProfileId, same: bool) -> Decision {
    if same {
        Decision::Same { a, b }
    } else {
        Decision::Apart { a, b }
    }
}

/// A linked pair as stored: the evidence is JSON.
pub fn matched(a: ProfileId, b: ProfileId, probability: f64, fields: &str) -> crate::Result<Match> {
    let fields: Vec<FieldWeight> = serde_json::from_str(fields)
        .map_err(|_| crate::StoreError::Backend("unreadable linkage evidence".into()))?;
    Ok(Match {
        a,
        b,
        probability,
        fields,
    })
}

/// A profile's linkage attributes as a record to link, none when it has none. Only
/// text values count: a number or a list in `given_name` is not a name.
pub fn record(
    profile: ProfileId,
    attributes: &serde_json::Map<String, serde_json::Value>,
) -> Option<Record> {
    let fields: BTreeMap<Field, String> = Field::ALL
        .into_iter()
        .filter_map(|f| Some((f, attributes.get(f.as_str())?.as_str()?.to_string())))
        .collect();
    (!fields.is_empty()).then(|| Record {
        id: profile.to_string(),
        fields,
    })
}

/// Waiting profiles as linkage takes them, grouped by provider (the rows come
/// sorted by provider). A profile whose names were all blanked still leaves the
/// list: as a record without fields.
pub fn waiting(
    rows: impl IntoIterator<
        Item = (
            ProviderId,
            ProfileId,
            serde_json::Map<String, serde_json::Value>,
        ),
    >,
) -> Vec<(ProviderId, Vec<Record>)> {
    let mut out: Vec<(ProviderId, Vec<Record>)> = Vec::new();
    for (provider, profile, attributes) in rows {
        let record = record(profile, &attributes).unwrap_or(Record {
            id: profile.to_string(),
            fields: Default::default(),
        });
        match out.last_mut() {
            Some((p, records)) if *p == provider => records.push(record),
            _ => out.push((provider, vec![record])),
        }
    }
    out
}

/// Merges what a touchpoint's source knows of the person into its profile's
/// attributes: a value sent replaces the one kept, a null removes it. `None` when
/// nothing changes; otherwise whether a field linkage compares changed.
pub fn merge(
    kept: &mut serde_json::Map<String, serde_json::Value>,
    said: &serde_json::Map<String, serde_json::Value>,
) -> Option<bool> {
    let mut linkage = None;
    for (key, value) in said {
        if value.is_null() {
            if kept.remove(key).is_none() {
                continue;
            }
        } else if kept.get(key) == Some(value) {
            continue;
        } else {
            kept.insert(key.clone(), value.clone());
        }
        linkage = Some(linkage.unwrap_or(false) || key.parse::<Field>().is_ok());
    }
    linkage
}

/// Gathers the part of the graph reachable from some profiles: through unshared
/// merging identifiers, the persons they are in now, decisions to join and linked
/// pairs. Shared
/// identifiers are not followed (they join nobody), so a "null" on a hundred
/// thousand profiles costs one lookup.
pub struct Walk {
    rules: &'static Rules,
    seen: BTreeSet<ProfileId>,
    frontier: BTreeSet<ProfileId>,
    asked: BTreeSet<Identifier>,
    component: Component,
}

/// One connected part of a provider's identity graph, with what it was before.
#[derive(Debug, Default)]
pub struct Component {
    pub observations: Vec<Observation>,
    pub decisions: BTreeSet<Decision>,
    /// Linked pairs by their two profiles, smaller first.
    pub matches: BTreeMap<(ProfileId, ProfileId), Match>,
    /// Identifiers on more profiles than their kind's cap: they join nobody.
    pub shared: BTreeSet<Identifier>,
    pub before: BTreeMap<ProfileId, PersonId>,
}

impl Walk {
    pub fn new(rules: &'static Rules, touched: impl IntoIterator<Item = ProfileId>) -> Self {
        Walk {
            rules,
            seen: BTreeSet::new(),
            frontier: touched.into_iter().collect(),
            asked: BTreeSet::new(),
            component: Component::default(),
        }
    }

    /// The profiles to ask about next; `None` once the walk is done.
    pub fn frontier(&mut self) -> Option<Vec<ProfileId>> {
        let next: Vec<ProfileId> = std::mem::take(&mut self.frontier)
            .into_iter()
            .filter(|p| self.seen.insert(*p))
            .collect();
        (!next.is_empty()).then_some(next)
    }

    /// Learns what the backend found about the profiles `frontier` gave; returns the
    /// identifiers whose holders it must look up next (at most [`lookup_limit`]).
    pub fn learn(&mut self, facts: ProfileFacts) -> Vec<Identifier> {
        let mut ask = Vec::new();
        for o in &facts.observations {
            if merging(self.rules, &o.identifier) && self.asked.insert(o.identifier.clone()) {
                ask.push(o.identifier.clone());
            }
        }
        self.component.observations.extend(facts.observations);
        for (profile, person) in facts.persons {
            self.component.before.insert(profile, person);
            self.frontier.insert(profile);
        }
        for d in facts.decisions {
            if let Decision::Same { a, b } = d {
                self.frontier.extend([a, b]);
            }
            self.component.decisions.insert(d);
        }
        for m in facts.matches {
            self.frontier.extend([m.a, m.b]);
            self.component
                .matches
                .insert((m.a.min(m.b), m.a.max(m.b)), m);
        }
        ask
    }

    /// Learns the holders of identifiers `learn` asked for.
    pub fn holders(&mut self, holders: Vec<(Identifier, Vec<ProfileId>)>) {
        for (identifier, on) in holders {
            if on.len() > self.rules.rule(identifier.kind).cap {
                self.component.shared.insert(identifier);
            } else {
                self.frontier.extend(on);
            }
        }
    }

    pub fn finish(self) -> Component {
        self.component
    }
}

/// One entry of a person's merge history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct IdentityEvent {
    pub at: DateTime<Utc>,
    #[serde(flatten)]
    pub change: Change,
}

/// What happened to two profiles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// `from` and `to`, of different persons before, became one person.
    Merged {
        from: ProfileId,
        to: ProfileId,
        evidence: Evidence,
    },
    /// `profile` left the person it was in with `from`.
    Split {
        from: ProfileId,
        profile: ProfileId,
        /// What keeps them apart now, when a rule or decision says it.
        why: Option<Refusal>,
    },
}

impl Change {
    /// The two profiles it names, smaller first.
    pub fn profiles(&self) -> (ProfileId, ProfileId) {
        let (a, b) = match self {
            Change::Merged { from, to, .. } => (*from, *to),
            Change::Split { from, profile, .. } => (*from, *profile),
        };
        (a.min(b), a.max(b))
    }
}

/// What a component's relinking writes.
#[derive(Debug, Default)]
pub struct Relinked {
    /// Profiles whose person changes, with the new person.
    pub moves: Vec<(ProfileId, PersonId)>,
    pub changes: Vec<Change>,
}

impl Component {
    /// The engine's answer over the component (shared identifiers left out: they
    /// join nobody).
    pub fn resolve(&self, rules: &Rules) -> Resolution {
        let observations: Vec<Observation> = self
            .observations
            .iter()
            .filter(|o| !self.shared.contains(&o.identifier))
            .cloned()
            .collect();
        let decisions: Vec<Decision> = self.decisions.iter().copied().collect();
        let matches: Vec<Match> = self.matches.values().cloned().collect();
        identity::resolve(&observations, &decisions, &matches, rules)
    }

    /// What changes: every profile's new person, a merge for each link between two
    /// former persons, a split for each profile that left its former person's key.
    pub fn relink(&self, rules: &Rules) -> Relinked {
        let r = self.resolve(rules);
        let person = |p: ProfileId| PersonId(r.person_of(p).unwrap_or(p).0);
        let mut out = Relinked::default();
        for (&profile, &was) in &self.before {
            let now = person(profile);
            if now != was {
                out.moves.push((profile, now));
            }
        }
        for link in r.links() {
            let was = |p| self.before.get(&p).copied().unwrap_or(PersonId(p.0));
            if was(link.from) != was(link.to) {
                out.changes.push(Change::Merged {
                    from: link.from,
                    to: link.to,
                    evidence: link.evidence.clone(),
                });
            }
        }
        // A profile that no longer shares a person with its former key has left it.
        for (&profile, &was) in &self.before {
            let key = ProfileId(was.0);
            if profile != key && self.before.contains_key(&key) && person(profile) != person(key) {
                // The refused join between the two sides, if a rule or decision made one.
                let sides = [person(profile), person(key)];
                let why = r
                    .conflicts()
                    .iter()
                    .find(|c| {
                        let (a, b) = (person(c.a), person(c.b));
                        a != b && sides.contains(&a) && sides.contains(&b)
                    })
                    .map(|c| c.why.clone());
                out.changes.push(Change::Split {
                    from: key,
                    profile,
                    why,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use motesplats_core::IdentifierKind::{self, CustomerNumber, DeviceId, Email, Phone};
    use uuid::Uuid;

    fn p(n: u128) -> ProfileId {
        ProfileId(Uuid::from_u128(n))
    }

    fn id(kind: IdentifierKind, value: &str) -> Identifier {
        Identifier {
            kind,
            value: value.into(),
        }
    }

    #[test]
    fn a_value_sent_replaces_the_kept_one_and_a_null_removes_it() {
        let object = |v: serde_json::Value| v.as_object().unwrap().clone();
        let mut kept = object(serde_json::json!({"given_name": "Åsa", "tier": "gold"}));
        assert_eq!(
            merge(&mut kept, &object(serde_json::json!({"tier": "gold"}))),
            None
        );
        assert_eq!(
            merge(&mut kept, &object(serde_json::json!({"tier": "silver"}))),
            Some(false)
        );
        let said = serde_json::json!({"given_name": null, "family_name": "Öberg"});
        assert_eq!(merge(&mut kept, &object(said)), Some(true));
        assert_eq!(
            serde_json::Value::Object(kept),
            serde_json::json!({"family_name": "Öberg", "tier": "silver"})
        );
        assert_eq!(
            merge(
                &mut Default::default(),
                &object(serde_json::json!({"x": null}))
            ),
            None
        );
    }

    #[test]
    fn a_touchpoint_lands_on_the_holder_that_carries_most_of_it() {
        let ids = [id(Email, "a@x.se"), id(Phone, "+46701"), id(DeviceId, "t")];
        // 2 holds the e-mail and the phone, 1 only the e-mail: 2 wins.
        let holders = [vec![p(1), p(2)], vec![p(2)], vec![]];
        assert_eq!(choose(rules(), &ids, &holders), Some(p(2)));
        // A tie goes to the smaller id.
        let holders = [vec![p(1), p(2)], vec![], vec![]];
        assert_eq!(choose(rules(), &ids, &holders), Some(p(1)));
        // Nobody holds anything: a new profile.
        assert_eq!(choose(rules(), &ids, &[vec![], vec![], vec![]]), None);
    }

    #[test]
    fn a_shared_identifier_alone_lands_on_its_first_holder_and_weighs_nothing() {
        let ids = [id(DeviceId, "tablet"), id(Phone, "+46701")];
        let shared = vec![p(1), p(2), p(3)];
        assert_eq!(choose(rules(), &ids, &[shared.clone(), vec![]]), Some(p(1)));
        // Beside it the phone's holder wins, however many share the tablet.
        assert_eq!(choose(rules(), &ids, &[shared, vec![p(3)]]), Some(p(3)));
    }

    #[test]
    fn a_touchpoint_is_placed_as_it_arrives_only_where_placing_it_attaches_nothing() {
        let ids = [id(Email, "a@x.se"), id(Phone, "+46701")];
        // 2 holds both and is chosen: nothing to attach.
        let holders = [vec![p(1), p(2)], vec![p(2)]];
        assert_eq!(holding_all(rules(), &ids, &holders), Some(p(2)));
        // Whoever is chosen lacks one of them: placing it would attach (and join), so
        // it waits.
        let holders = [vec![p(1), p(2)], vec![p(3)]];
        assert_eq!(holding_all(rules(), &ids, &holders), None);
        // A new identifier for a known profile waits, and so does an unknown one.
        assert_eq!(holding_all(rules(), &ids, &[vec![p(1)], vec![]]), None);
        assert_eq!(holding_all(rules(), &ids, &[vec![], vec![]]), None);
        // A shared identifier alone lands on its first holder, which holds it.
        let tablet = [id(DeviceId, "tablet")];
        let shared = [vec![p(1), p(2), p(3)]];
        assert_eq!(holding_all(rules(), &tablet, &shared), Some(p(1)));
        // Beside it the phone's holder is chosen; it must hold the tablet too.
        let both = [id(DeviceId, "tablet"), id(Phone, "+46701")];
        assert_eq!(
            holding_all(rules(), &both, &[shared[0].clone(), vec![p(3)]]),
            Some(p(3))
        );
        assert_eq!(
            holding_all(rules(), &both, &[shared[0].clone(), vec![p(4)]]),
            None
        );
    }

    #[test]
    fn only_an_identifier_that_can_change_a_person_touches_anyone() {
        let email = id(Email, "a@x.se");
        assert_eq!(touched_by(rules(), &email, p(1), &[p(1)]), vec![]);
        assert_eq!(
            touched_by(rules(), &email, p(2), &[p(1), p(2)]),
            vec![p(1), p(2)]
        );
        // The fourth holder makes it shared: all four must part.
        let four = [p(1), p(2), p(3), p(4)];
        assert_eq!(touched_by(rules(), &email, p(4), &four), four.to_vec());
        // Shared already before: nothing changes.
        let five = [p(1), p(2), p(3), p(4), p(5)];
        assert_eq!(touched_by(rules(), &email, p(5), &five), vec![]);
        // A second customer number on one profile may undo a join it rests on.
        let number = id(CustomerNumber, "K-2");
        assert_eq!(touched_by(rules(), &number, p(1), &[p(1)]), vec![p(1)]);
        assert_eq!(
            touched_by(rules(), &id(CustomerNumber, "0"), p(1), &[p(1)]),
            vec![]
        );
    }
}
