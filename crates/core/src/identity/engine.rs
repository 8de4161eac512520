//! The resolution: profiles joined by the identifiers they carry in common and by
//! the decisions people made, as connected components of a union-find, with a
//! spanning forest kept as evidence and every refused join kept as a conflict.

use super::rules::Rules;
use crate::identifier::{Identifier, IdentifierKind};
use crate::ids::ProfileId;
use crate::linkage::Field;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// One provider's record that a profile carries an identifier. The value must be
/// normalised already ([`Identifier::parse`]), matching is exact.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Observation {
    pub profile: ProfileId,
    pub identifier: Identifier,
}

/// What a person of the provider decided about two profiles. The latest decision
/// about a pair is the one that counts; the store keeps only that one.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(tag = "decision", rename_all = "snake_case", deny_unknown_fields)]
pub enum Decision {
    /// The two are one person (a review pair accepted, a manual merge).
    Same { a: ProfileId, b: ProfileId },
    /// The two are never one person (an unmerge, a review pair rejected).
    Apart { a: ProfileId, b: ProfileId },
}

/// Two profiles that probabilistic linkage takes for one person (or, in the review
/// band, perhaps), with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Match {
    pub a: ProfileId,
    pub b: ProfileId,
    pub probability: f64,
    pub fields: Vec<FieldWeight>,
}

/// One field's part in a match: the level its two values reached and the weight
/// (log2 m/u) that level carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FieldWeight {
    pub field: Field,
    pub level: String,
    pub weight: f64,
}

/// Why two profiles were joined.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Evidence {
    /// Every non-shared merging identifier both profiles carry, highest priority
    /// first; never empty.
    Identifiers { identifiers: Vec<Identifier> },
    /// A person of the provider decided they are one.
    Decided,
    /// Their names, birth dates and addresses agree enough (probabilistic linkage).
    Matched {
        probability: f64,
        fields: Vec<FieldWeight>,
    },
}

/// One step of evidence: two profiles joined directly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Link {
    pub from: ProfileId,
    pub to: ProfileId,
    pub evidence: Evidence,
}

impl Link {
    /// The identifier that joined the two profiles: the strongest they share, if an
    /// identifier joined them.
    pub fn identifier(&self) -> Option<&Identifier> {
        match &self.evidence {
            Evidence::Identifiers { identifiers } => identifiers.first(),
            Evidence::Decided | Evidence::Matched { .. } => None,
        }
    }
}

/// A join that was refused although an identifier suggested it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Conflict {
    /// The identifier both carry.
    pub identifier: Identifier,
    pub a: ProfileId,
    pub b: ProfileId,
    pub why: Refusal,
}

/// Why a join was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "refusal", rename_all = "snake_case")]
pub enum Refusal {
    /// Together they would hold more distinct values of `kind` than one person may
    /// (two loyalty cards of a household sharing an e-mail).
    Limit { kind: IdentifierKind, limit: usize },
    /// A person of the provider decided that two of their profiles are apart.
    Apart,
}

/// Who is who among one provider's profiles.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    /// Profile → person key, the smallest profile id of its person.
    person: BTreeMap<ProfileId, ProfileId>,
    /// Shared identifier → the number of distinct profiles carrying it.
    shared: BTreeMap<Identifier, usize>,
    /// The spanning forest, `from < to`, sorted: one link per merge.
    links: Vec<Link>,
    /// The joins identifiers suggested and the rules or decisions refused, sorted.
    conflicts: Vec<Conflict>,
}

/// Resolves `observations`, `decisions` and `matches` into persons under `rules`.
/// The answer depends only on the sets given, never on their order or repetition.
///
/// Joins are tried strongest first: decisions to join (which no per-person limit
/// overrules, since a person looked), then identifiers by priority, then matches by
/// probability. A join is refused when a decision keeps two of the profiles apart,
/// or when a join by identifier or match would give the person more values of a
/// kind than its limit. A refused match is only dropped: its pair went to no one.
pub fn resolve(
    observations: &[Observation],
    decisions: &[Decision],
    matches: &[Match],
    rules: &Rules,
) -> Resolution {
    let mut carriers: BTreeMap<&Identifier, BTreeSet<ProfileId>> = BTreeMap::new();
    for o in observations {
        carriers.entry(&o.identifier).or_default().insert(o.profile);
    }
    let mut profiles: BTreeSet<ProfileId> = observations.iter().map(|o| o.profile).collect();
    for d in decisions {
        let (Decision::Same { a, b } | Decision::Apart { a, b }) = *d;
        profiles.extend([a, b]);
    }
    for m in matches {
        profiles.extend([m.a, m.b]);
    }
    let profiles: Vec<ProfileId> = profiles.into_iter().collect();
    let index = |p: &ProfileId| profiles.binary_search(p).expect("every profile indexed");

    let mut shared = BTreeMap::new();
    let mut joining = Vec::new();
    for (&id, on) in &carriers {
        let rule = rules.rule(id.kind);
        if !rule.merges || rules.is_placeholder(&id.value) {
            continue;
        }
        if on.len() > rule.cap {
            shared.insert(id.clone(), on.len());
        } else if on.len() > 1 {
            joining.push((Reverse(rule.priority), id, on));
        }
    }
    // Strongest identifiers join first (Kruskal), so each link is made by the
    // strongest identifier its two profiles share and `why` follows strong evidence.
    joining.sort();

    let mut forest = Forest::new(profiles.len());
    for o in observations {
        let rule = rules.rule(o.identifier.kind);
        if rule.per_person != usize::MAX && !rules.is_placeholder(&o.identifier.value) {
            forest.hold(index(&o.profile), &o.identifier);
        }
    }
    let mut same = BTreeSet::new();
    for d in decisions {
        match *d {
            Decision::Apart { a, b } => forest.keep_apart(index(&a), index(&b)),
            Decision::Same { a, b } => {
                same.insert((a.min(b), a.max(b)));
            }
        }
    }

    let mut joined = Vec::new();
    for &(a, b) in &same {
        if forest.join(index(&a), index(&b), None).is_ok() {
            joined.push((a, b, None));
        }
    }
    let mut conflicts = Vec::new();
    for (_, id, on) in &joining {
        let on: Vec<ProfileId> = on.iter().copied().collect();
        // Each carrier joins the first earlier carrier it may join, so one
        // conflicting pair does not keep a third, compatible profile out.
        for (i, &other) in on.iter().enumerate().skip(1) {
            for &earlier in &on[..i] {
                match forest.join(index(&earlier), index(&other), Some(rules)) {
                    Ok(true) => joined.push((earlier, other, Some(*id))),
                    Ok(false) => {}
                    Err(why) => {
                        conflicts.push(Conflict {
                            identifier: (*id).clone(),
                            a: earlier,
                            b: other,
                            why,
                        });
                        continue;
                    }
                }
                break;
            }
        }
    }
    conflicts.sort_by(|x, y| (&x.identifier, x.a, x.b).cmp(&(&y.identifier, y.a, y.b)));

    // Likeliest first, then by the pair, so the order given does not matter.
    let mut likely: Vec<&Match> = matches.iter().filter(|m| m.a != m.b).collect();
    likely.sort_by(|x, y| {
        y.probability
            .total_cmp(&x.probability)
            .then((x.a.min(x.b), x.a.max(x.b)).cmp(&(y.a.min(y.b), y.a.max(y.b))))
    });
    let mut matched = Vec::new();
    for m in likely {
        if let Ok(true) = forest.join(index(&m.a), index(&m.b), Some(rules)) {
            matched.push(m);
        }
    }

    // The evidence of a link: what both ends carry among the joining identifiers.
    let mut carried: BTreeMap<ProfileId, Vec<&Identifier>> = BTreeMap::new();
    for (_, id, on) in &joining {
        for p in on.iter() {
            carried.entry(*p).or_default().push(id);
        }
    }
    let mut links: Vec<Link> = joined
        .into_iter()
        .map(|(from, to, by)| {
            let evidence = match by {
                None => Evidence::Decided,
                Some(_) => {
                    let theirs: BTreeSet<&Identifier> = carried[&to].iter().copied().collect();
                    let identifiers = carried[&from]
                        .iter()
                        .filter(|id| theirs.contains(*id))
                        .map(|id| (*id).clone())
                        .collect();
                    Evidence::Identifiers { identifiers }
                }
            };
            Link { from, to, evidence }
        })
        .chain(matched.into_iter().map(|m| Link {
            from: m.a.min(m.b),
            to: m.a.max(m.b),
            evidence: Evidence::Matched {
                probability: m.probability,
                fields: m.fields.clone(),
            },
        }))
        .collect();
    links.sort_by_key(|l| (l.from, l.to));

    let person = profiles
        .iter()
        .enumerate()
        .map(|(i, p)| (*p, profiles[forest.root(i)]))
        .collect();
    Resolution {
        person,
        shared,
        links,
        conflicts,
    }
}

impl Resolution {
    /// The person key of `profile`: the smallest profile id of its person. `None`
    /// for a profile with no observations, which is a person on its own.
    pub fn person_of(&self, profile: ProfileId) -> Option<ProfileId> {
        self.person.get(&profile).copied()
    }

    /// Every person: its key and its profiles, smallest first.
    pub fn persons(&self) -> BTreeMap<ProfileId, Vec<ProfileId>> {
        let mut persons: BTreeMap<ProfileId, Vec<ProfileId>> = BTreeMap::new();
        for (profile, key) in &self.person {
            persons.entry(*key).or_default().push(*profile);
        }
        persons
    }

    /// The shared identifiers, with the number of distinct profiles carrying each.
    pub fn shared(&self) -> &BTreeMap<Identifier, usize> {
        &self.shared
    }

    /// The spanning forest: one link per merge, sorted by `(from, to)`.
    pub fn links(&self) -> &[Link] {
        &self.links
    }

    /// The joins identifiers suggested that limits or decisions refused.
    pub fn conflicts(&self) -> &[Conflict] {
        &self.conflicts
    }

    /// The chain of links from `a` to `b`, each oriented along the way; empty when
    /// `a == b`; `None` when they are different persons or either is unknown.
    pub fn why(&self, a: ProfileId, b: ProfileId) -> Option<Vec<Link>> {
        if self.person_of(a)? != self.person_of(b)? {
            return None;
        }
        let mut next: BTreeMap<ProfileId, Vec<&Link>> = BTreeMap::new();
        for l in &self.links {
            next.entry(l.from).or_default().push(l);
            next.entry(l.to).or_default().push(l);
        }
        // Breadth-first over the tree from `a`, remembering the link that reached
        // each profile; the path in a tree is unique.
        let mut reached: BTreeMap<ProfileId, Option<&Link>> = BTreeMap::from([(a, None)]);
        let mut queue = VecDeque::from([a]);
        while let Some(p) = queue.pop_front() {
            if p == b {
                break;
            }
            for l in next.get(&p).into_iter().flatten() {
                let q = if l.from == p { l.to } else { l.from };
                if let Entry::Vacant(e) = reached.entry(q) {
                    e.insert(Some(l));
                    queue.push_back(q);
                }
            }
        }
        let mut path = Vec::new();
        let mut at = b;
        while let Some(Some(l)) = reached.get(&at) {
            let back = if l.to == at { l.from } else { l.to };
            path.push(Link {
                from: back,
                to: at,
                evidence: l.evidence.clone(),
            });
            at = back;
        }
        path.reverse();
        Some(path)
    }
}

/// Union-find over profile indexes in id order. The root is always the smallest
/// index, so a person's key is its smallest profile without a second pass. Each
/// root keeps what its set holds of the limited kinds and whom it is kept apart from.
struct Forest {
    parent: Vec<usize>,
    held: Vec<BTreeMap<IdentifierKind, BTreeSet<String>>>,
    apart: Vec<BTreeSet<usize>>,
}

impl Forest {
    fn new(n: usize) -> Self {
        Forest {
            parent: (0..n).collect(),
            held: vec![BTreeMap::new(); n],
            apart: vec![BTreeSet::new(); n],
        }
    }

    fn hold(&mut self, i: usize, id: &Identifier) {
        self.held[i]
            .entry(id.kind)
            .or_default()
            .insert(id.value.clone());
    }

    fn keep_apart(&mut self, a: usize, b: usize) {
        self.apart[a].insert(b);
        self.apart[b].insert(a);
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            // Path halving keeps the trees shallow.
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    /// Joins the sets of `a` and `b`: `Ok(false)` when they were one already, the
    /// refusal when a decision keeps them apart or, with `limits`, when together
    /// they would hold more values of a kind than a person may.
    fn join(&mut self, a: usize, b: usize, limits: Option<&Rules>) -> Result<bool, Refusal> {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra == rb {
            return Ok(false);
        }
        let partners: Vec<usize> = self.apart[ra].iter().copied().collect();
        if partners.into_iter().any(|p| self.root(p) == rb) {
            return Err(Refusal::Apart);
        }
        if let Some(rules) = limits {
            for (kind, values) in &self.held[ra] {
                let limit = rules.rule(*kind).per_person;
                if let Some(theirs) = self.held[rb].get(kind)
                    && values.union(theirs).count() > limit
                {
                    return Err(Refusal::Limit { kind: *kind, limit });
                }
            }
        }
        let (low, high) = (ra.min(rb), ra.max(rb));
        self.parent[high] = low;
        let held = std::mem::take(&mut self.held[high]);
        for (kind, values) in held {
            self.held[low].entry(kind).or_default().extend(values);
        }
        let apart = std::mem::take(&mut self.apart[high]);
        self.apart[low].extend(apart);
        Ok(true)
    }
}
