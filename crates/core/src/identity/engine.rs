//! The resolution: profiles joined by the identifiers they carry in common, as
//! connected components of a union-find, with a spanning forest kept as evidence.

use super::rules::Rules;
use crate::identifier::Identifier;
use crate::ids::ProfileId;
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

/// One step of evidence: two profiles that carry the same merging identifiers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub from: ProfileId,
    pub to: ProfileId,
    /// Every non-shared merging identifier both profiles carry, highest priority
    /// first; never empty.
    pub evidence: Vec<Identifier>,
}

impl Link {
    /// The identifier that joined the two profiles: the strongest they share.
    pub fn identifier(&self) -> &Identifier {
        &self.evidence[0]
    }
}

/// Who is who among one provider's profiles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// Profile → person key, the smallest profile id of its person.
    person: BTreeMap<ProfileId, ProfileId>,
    /// Shared identifier → the number of distinct profiles carrying it.
    shared: BTreeMap<Identifier, usize>,
    /// The spanning forest, `from < to`, sorted: one link per merge.
    links: Vec<Link>,
}

/// Resolves `observations` into persons under `rules`. The answer depends only on
/// the set of observations, never on their order or repetition.
pub fn resolve(observations: &[Observation], rules: &Rules) -> Resolution {
    let mut carriers: BTreeMap<&Identifier, BTreeSet<ProfileId>> = BTreeMap::new();
    for o in observations {
        carriers.entry(&o.identifier).or_default().insert(o.profile);
    }
    let profiles: Vec<ProfileId> = observations
        .iter()
        .map(|o| o.profile)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let index = |p: &ProfileId| profiles.binary_search(p).expect("every carrier observed");

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
    let mut joined = Vec::new();
    for (_, _, on) in &joining {
        let mut on = on.iter();
        let first = on.next().copied().expect("two or more carriers");
        for &other in on {
            if forest.union(index(&first), index(&other)) {
                joined.push((first, other));
            }
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
        .map(|(from, to)| {
            let theirs: BTreeSet<&Identifier> = carried[&to].iter().copied().collect();
            let evidence = carried[&from]
                .iter()
                .filter(|id| theirs.contains(*id))
                .map(|id| (*id).clone())
                .collect();
            Link { from, to, evidence }
        })
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
/// index, so a person's key is its smallest profile without a second pass.
struct Forest {
    parent: Vec<usize>,
}

impl Forest {
    fn new(n: usize) -> Self {
        Forest {
            parent: (0..n).collect(),
        }
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            // Path halving keeps the trees shallow.
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    /// Joins the sets of `a` and `b`; false when they were one already.
    fn union(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra == rb {
            return false;
        }
        let (low, high) = (ra.min(rb), ra.max(rb));
        self.parent[high] = low;
        true
    }
}
