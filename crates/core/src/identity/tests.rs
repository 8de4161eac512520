use super::*;
use crate::identifier::{Identifier, IdentifierKind};
use crate::ids::ProfileId;
use crate::ids::ProviderId;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

fn p(n: u128) -> ProfileId {
    ProfileId(Uuid::from_u128(n))
}

fn id(kind: IdentifierKind, value: &str) -> Identifier {
    Identifier {
        kind,
        value: value.to_string(),
    }
}

fn obs(n: u128, kind: IdentifierKind, value: &str) -> Observation {
    Observation {
        profile: p(n),
        identifier: id(kind, value),
    }
}

fn m(a: u128, b: u128, probability: f64) -> Match {
    Match {
        a: p(a),
        b: p(b),
        probability,
        fields: vec![FieldWeight {
            field: crate::linkage::Field::FamilyName,
            level: "exact".into(),
            weight: 9.5,
        }],
    }
}

fn ids(identifiers: Vec<Identifier>) -> Evidence {
    Evidence::Identifiers { identifiers }
}

fn persons(r: &Resolution) -> Vec<Vec<ProfileId>> {
    r.persons().into_values().collect()
}

const ANNA: &str = "anna@example.se";
const PHONE: &str = "+46701234567";

#[test]
fn arrival_order_does_not_split_a_person() {
    use IdentifierKind::{Email, Phone};
    // {A}, {P}, then {A, P}: the third profile bridges the first two.
    let late = [
        obs(1, Email, ANNA),
        obs(2, Phone, PHONE),
        obs(3, Email, ANNA),
        obs(3, Phone, PHONE),
    ];
    let early = [
        obs(3, Email, ANNA),
        obs(3, Phone, PHONE),
        obs(1, Email, ANNA),
        obs(2, Phone, PHONE),
    ];
    let rules = Rules::default();
    let r = resolve(&late, &[], &[], &rules);
    assert_eq!(r, resolve(&early, &[], &[], &rules));
    assert_eq!(persons(&r), vec![vec![p(1), p(2), p(3)]]);
    assert_eq!(r.person_of(p(2)), Some(p(1)));
    assert_eq!(r.person_of(p(9)), None);
}

#[test]
fn why_names_the_chain_of_identifiers() {
    use IdentifierKind::{Email, Phone};
    let r = resolve(
        &[
            obs(1, Email, ANNA),
            obs(2, Phone, PHONE),
            obs(3, Email, ANNA),
            obs(3, Phone, PHONE),
        ],
        &[],
        &[],
        &Rules::default(),
    );
    let chain = r.why(p(1), p(2)).unwrap();
    assert_eq!(
        chain,
        vec![
            Link {
                from: p(1),
                to: p(3),
                evidence: ids(vec![id(Email, ANNA)])
            },
            Link {
                from: p(3),
                to: p(2),
                evidence: ids(vec![id(Phone, PHONE)])
            },
        ]
    );
    assert_eq!(r.why(p(2), p(2)), Some(vec![]));
    assert_eq!(r.links().len(), 2);
}

#[test]
fn a_household_email_on_four_profiles_is_shared_and_merges_nobody() {
    use IdentifierKind::{Email, Phone};
    let family = "family@example.se";
    let mut observations = Vec::new();
    for n in 1..=4 {
        // Each member has a shop profile (n) carrying the family e-mail and a web
        // profile (n + 4); their own phone number joins the two.
        let phone = format!("+4670100000{n}");
        observations.push(obs(n, Email, family));
        observations.push(obs(n, Phone, &phone));
        observations.push(obs(n + 4, Phone, &phone));
    }
    let r = resolve(&observations, &[], &[], &Rules::default());
    assert_eq!(r.shared(), &BTreeMap::from([(id(Email, family), 4)]));
    assert_eq!(
        persons(&r),
        vec![
            vec![p(1), p(5)],
            vec![p(2), p(6)],
            vec![p(3), p(7)],
            vec![p(4), p(8)]
        ]
    );
    assert_eq!(r.why(p(1), p(2)), None);
    let chain = r.why(p(5), p(1)).unwrap();
    assert_eq!(chain.len(), 1);
    assert_eq!(chain[0].identifier(), Some(&id(Phone, "+46701000001")));
}

#[test]
fn a_null_customer_number_merges_nobody() {
    use IdentifierKind::{CustomerNumber, DeviceId};
    let rules = Rules::default();
    assert!(rules.is_placeholder(" NULL "));
    let r = resolve(
        &[
            obs(1, CustomerNumber, "null"),
            obs(2, CustomerNumber, "null"),
            obs(1, DeviceId, "0"),
            obs(2, DeviceId, "0"),
        ],
        &[],
        &[],
        &rules,
    );
    assert_eq!(persons(&r), vec![vec![p(1)], vec![p(2)]]);
    // A placeholder is no identifier, so it is not reported as shared either.
    assert!(r.shared().is_empty());
}

#[test]
fn a_customer_number_joins_its_sources_up_to_the_cap_and_is_shared_beyond() {
    use IdentifierKind::CustomerNumber;
    let rules = Rules::default();
    assert_eq!(rules.rule(CustomerNumber).cap, 3);
    // The web shop, the till and the booking system: one customer.
    let three: Vec<Observation> = (1..=3).map(|i| obs(i, CustomerNumber, "K-17")).collect();
    let r = resolve(&three, &[], &[], &rules);
    assert!(r.shared().is_empty());
    assert_eq!(r.person_of(p(3)), Some(p(1)));
    // A fourth profile with the same number: a test number, which joins nobody.
    let four: Vec<Observation> = (1..=4).map(|i| obs(i, CustomerNumber, "K-17")).collect();
    let r = resolve(&four, &[], &[], &rules);
    assert_eq!(
        r.shared(),
        &BTreeMap::from([(id(CustomerNumber, "K-17"), 4)])
    );
    assert_eq!(r.why(p(1), p(2)), None);
}

#[test]
fn evidence_names_the_strongest_identifier_first() {
    use IdentifierKind::{DeviceId, Email};
    let r = resolve(
        &[
            obs(2, DeviceId, "tablet"),
            obs(1, DeviceId, "tablet"),
            obs(1, Email, ANNA),
            obs(2, Email, ANNA),
        ],
        &[],
        &[],
        &Rules::default(),
    );
    let link = &r.links()[0];
    assert_eq!(
        link.evidence,
        ids(vec![id(Email, ANNA), id(DeviceId, "tablet")])
    );
    assert_eq!(link.identifier(), Some(&id(Email, ANNA)));
}

#[test]
fn a_kind_that_does_not_merge_joins_nobody() {
    use IdentifierKind::Email;
    let mut rules = Rules::default();
    rules.kinds.insert(
        Email,
        KindRule {
            merges: false,
            ..rules.rule(Email)
        },
    );
    let r = resolve(
        &[obs(1, Email, ANNA), obs(2, Email, ANNA)],
        &[],
        &[],
        &rules,
    );
    assert_eq!(persons(&r), vec![vec![p(1)], vec![p(2)]]);
    rules.kinds.remove(&Email);
    assert_eq!(rules.rule(Email), KindRule::NEVER);
    assert_eq!(
        resolve(
            &[obs(1, Email, ANNA), obs(2, Email, ANNA)],
            &[],
            &[],
            &rules
        ),
        r
    );
}

#[test]
fn a_household_email_between_two_loyalty_cards_joins_nobody() {
    use IdentifierKind::{Email, LoyaltyCard, Phone};
    let family = "family@example.se";
    // Two members' till profiles, each with their own card and the family e-mail,
    // and a web profile of the mother's with the e-mail and her phone; her phone is
    // also on her till profile.
    let observations = [
        obs(1, LoyaltyCard, "6390-1"),
        obs(1, Email, family),
        obs(1, Phone, PHONE),
        obs(2, LoyaltyCard, "6390-2"),
        obs(2, Email, family),
        obs(3, Email, family),
        obs(3, Phone, PHONE),
    ];
    let r = resolve(&observations, &[], &[], &Rules::default());
    assert_eq!(persons(&r), vec![vec![p(1), p(3)], vec![p(2)]]);
    assert_eq!(
        r.conflicts(),
        [Conflict {
            identifier: id(Email, family),
            a: p(1),
            b: p(2),
            why: Refusal::Limit {
                kind: LoyaltyCard,
                limit: 1
            }
        }]
    );
    // A person of the provider who knows better joins the two cards by hand.
    let r = resolve(
        &observations,
        &[Decision::Same { a: p(2), b: p(1) }],
        &[],
        &Rules::default(),
    );
    assert_eq!(persons(&r), vec![vec![p(1), p(2), p(3)]]);
    assert_eq!(r.why(p(1), p(2)).unwrap()[0].evidence, Evidence::Decided);
}

#[test]
fn an_unmerge_keeps_two_profiles_apart_whatever_joins_them() {
    use IdentifierKind::{Email, Phone};
    let observations = [
        obs(1, Email, ANNA),
        obs(2, Email, ANNA),
        obs(2, Phone, PHONE),
        obs(3, Phone, PHONE),
    ];
    let rules = Rules::default();
    assert_eq!(
        persons(&resolve(&observations, &[], &[], &rules)),
        vec![vec![p(1), p(2), p(3)]]
    );
    let r = resolve(
        &observations,
        &[Decision::Apart { a: p(1), b: p(2) }],
        &[],
        &rules,
    );
    assert_eq!(persons(&r), vec![vec![p(1)], vec![p(2), p(3)]]);
    assert_eq!(r.conflicts()[0].why, Refusal::Apart);
    // Apart from the one, not from everyone: 1 and 3 may still meet.
    let r = resolve(
        &[obs(1, Email, ANNA), obs(3, Email, ANNA)],
        &[Decision::Apart { a: p(1), b: p(2) }],
        &[],
        &rules,
    );
    assert_eq!(r.person_of(p(3)), Some(p(1)));
    assert_eq!(r.person_of(p(2)), Some(p(2)));
}

#[test]
fn a_match_joins_what_no_identifier_does_unless_a_rule_or_a_person_forbids() {
    use IdentifierKind::{CustomerNumber, Email};
    let rules = Rules::default();
    // The web shop's 1 and the till's 2 carry nothing in common but agree on names.
    let observations = [obs(1, Email, ANNA), obs(2, CustomerNumber, "K-1")];
    let r = resolve(&observations, &[], &[m(2, 1, 0.97)], &rules);
    assert_eq!(persons(&r), vec![vec![p(1), p(2)]]);
    let link = &r.why(p(1), p(2)).unwrap()[0];
    assert!(matches!(
        &link.evidence,
        Evidence::Matched { probability, fields } if *probability == 0.97 && fields.len() == 1
    ));
    // A second customer number on the person is one too many, whatever names say.
    let two = [obs(1, CustomerNumber, "K-2"), obs(2, CustomerNumber, "K-1")];
    assert_eq!(
        persons(&resolve(&two, &[], &[m(1, 2, 0.99)], &rules)).len(),
        2
    );
    // A rejected pair stays apart.
    let apart = [Decision::Apart { a: p(1), b: p(2) }];
    let r = resolve(&observations, &apart, &[m(1, 2, 0.99)], &rules);
    assert_eq!(persons(&r).len(), 2);
    // Of two matches that cannot both hold, the likelier wins: 3 is more like 2.
    let cards = [obs(1, CustomerNumber, "K-1"), obs(3, CustomerNumber, "K-3")];
    let r = resolve(&cards, &[], &[m(1, 2, 0.91), m(2, 3, 0.99)], &rules);
    assert_eq!(persons(&r), vec![vec![p(1)], vec![p(2), p(3)]]);
}

#[test]
fn only_a_verified_identifier_makes_two_providers_persons_one_human() {
    use IdentifierKind::{Email, Phone};
    let (cafe, hotel) = (
        ProviderId(Uuid::from_u128(100)),
        ProviderId(Uuid::from_u128(200)),
    );
    let held = [
        Held {
            provider: cafe,
            person: p(1),
            identifier: id(Email, ANNA),
        },
        Held {
            provider: hotel,
            person: p(7),
            identifier: id(Email, ANNA),
        },
        Held {
            provider: hotel,
            person: p(8),
            identifier: id(Phone, PHONE),
        },
        Held {
            provider: cafe,
            person: p(1),
            identifier: id(Phone, PHONE),
        },
    ];
    assert!(humans(&held, &BTreeSet::new()).is_empty());
    let verified = BTreeSet::from([id(Email, ANNA)]);
    assert_eq!(
        humans(&held, &verified),
        vec![vec![(cafe, p(1)), (hotel, p(7))]]
    );
}

// Property tests over a small world: eight profiles and few values, so that
// identifiers collide, bridge, pass their caps and meet their limits often.

fn observation() -> impl Strategy<Value = Observation> {
    (
        0u128..8,
        0usize..6,
        prop::sample::select(vec!["a", "b", "null"]),
    )
        .prop_map(|(n, k, v)| obs(n, IdentifierKind::ALL[k], v))
}

fn observations() -> impl Strategy<Value = Vec<Observation>> {
    prop::collection::vec(observation(), 0..24)
}

fn decision() -> impl Strategy<Value = Decision> {
    (0u128..8, 0u128..8, any::<bool>()).prop_map(|(a, b, same)| {
        let (a, b) = (p(a), p(b));
        if same {
            Decision::Same { a, b }
        } else {
            Decision::Apart { a, b }
        }
    })
}

fn matched() -> impl Strategy<Value = Match> {
    // Few probabilities, so that ties happen.
    (
        0u128..8,
        0u128..8,
        prop::sample::select(vec![0.9, 0.95, 0.99]),
    )
        .prop_map(|(a, b, probability)| m(a, b, probability))
}

fn carriers(observations: &[Observation]) -> BTreeMap<Identifier, BTreeSet<ProfileId>> {
    let mut carriers: BTreeMap<Identifier, BTreeSet<ProfileId>> = BTreeMap::new();
    for o in observations {
        carriers
            .entry(o.identifier.clone())
            .or_default()
            .insert(o.profile);
    }
    carriers
}

/// Whether `identifier`, carried by `count` profiles, may join them.
fn joins(rules: &Rules, identifier: &Identifier, count: usize) -> bool {
    let rule = rules.rule(identifier.kind);
    rule.merges && !rules.is_placeholder(&identifier.value) && count <= rule.cap
}

fn profiles(observations: &[Observation]) -> BTreeSet<ProfileId> {
    observations.iter().map(|o| o.profile).collect()
}

/// The default rules without per-person limits, under which joining only grows.
fn unlimited() -> Rules {
    let mut rules = Rules::default();
    for rule in rules.kinds.values_mut() {
        rule.per_person = usize::MAX;
    }
    rules
}

/// The partition alone: who is with whom.
fn partition(r: &Resolution) -> BTreeSet<Vec<ProfileId>> {
    r.persons().into_values().collect()
}

proptest! {
    #[test]
    fn identity_is_independent_of_order(
        (input, shuffled) in (
            observations(),
            prop::collection::vec(decision(), 0..4),
            prop::collection::vec(matched(), 0..4),
        )
            .prop_flat_map(|(o, d, m)| {
                let same = (Just(o.clone()), Just(d.clone()), Just(m.clone()));
                let mixed = (Just(o).prop_shuffle(), Just(d).prop_shuffle(), Just(m).prop_shuffle());
                (same, mixed)
            })
    ) {
        let rules = Rules::default();
        // A pair's decisions must agree for the order not to matter; the store
        // keeps only the latest one, so it never hands over both.
        let agreed = |d: &[Decision]| {
            d.iter().all(|x| d.iter().all(|y| {
                let pair = |d: &Decision| match *d {
                    Decision::Same { a, b } | Decision::Apart { a, b } => (a.min(b), a.max(b)),
                };
                pair(x) != pair(y) || std::mem::discriminant(x) == std::mem::discriminant(y)
            }))
        };
        prop_assume!(agreed(&input.1));
        let r = resolve(&input.0, &input.1, &input.2, &rules);
        prop_assert_eq!(&r, &resolve(&shuffled.0, &shuffled.1, &shuffled.2, &rules));
        for (key, members) in r.persons() {
            prop_assert_eq!(key, members[0]);
            prop_assert!(members.windows(2).all(|w| w[0] < w[1]));
        }
    }

    #[test]
    fn identity_joins_only_through_unshared_merging_identifiers(observations in observations()) {
        let rules = Rules::default();
        let r = resolve(&observations, &[], &[], &rules);
        let carriers = carriers(&observations);
        let shared: BTreeMap<Identifier, usize> = carriers
            .iter()
            .filter(|(i, on)| {
                let rule = rules.rule(i.kind);
                rule.merges && !rules.is_placeholder(&i.value) && on.len() > rule.cap
            })
            .map(|(i, on)| (i.clone(), on.len()))
            .collect();
        prop_assert_eq!(r.shared(), &shared);
        let profiles = profiles(&observations);
        for &a in &profiles {
            for &b in &profiles {
                let Some(chain) = r.why(a, b) else {
                    prop_assert_ne!(r.person_of(a), r.person_of(b));
                    continue;
                };
                prop_assert_eq!(r.person_of(a), r.person_of(b));
                let mut at = a;
                for link in &chain {
                    prop_assert_eq!(link.from, at);
                    let Evidence::Identifiers { identifiers } = &link.evidence else {
                        return Err(TestCaseError::fail("a decision nobody made"));
                    };
                    prop_assert!(!identifiers.is_empty());
                    for i in identifiers {
                        let on = &carriers[i];
                        prop_assert!(joins(&rules, i, on.len()));
                        prop_assert!(on.contains(&link.from) && on.contains(&link.to));
                    }
                    at = link.to;
                }
                prop_assert_eq!(at, b);
            }
        }
    }

    #[test]
    fn identity_gives_no_person_more_values_than_its_kind_allows(
        observations in observations(),
        matches in prop::collection::vec(matched(), 0..6),
    ) {
        let rules = Rules::default();
        let r = resolve(&observations, &[], &matches, &rules);
        let mut held: BTreeMap<(ProfileId, IdentifierKind), BTreeSet<&str>> = BTreeMap::new();
        for o in &observations {
            if !rules.is_placeholder(&o.identifier.value) {
                let key = r.person_of(o.profile).unwrap();
                held.entry((key, o.identifier.kind)).or_default().insert(&o.identifier.value);
            }
        }
        for ((key, kind), values) in held {
            // A profile may arrive holding two values itself; joins never add to that.
            let own = observations
                .iter()
                .filter(|o| o.identifier.kind == kind && !rules.is_placeholder(&o.identifier.value))
                .fold(BTreeMap::<ProfileId, BTreeSet<&str>>::new(), |mut m, o| {
                    m.entry(o.profile).or_default().insert(&o.identifier.value);
                    m
                })
                .into_values()
                .map(|v| v.len())
                .max()
                .unwrap_or(0);
            let limit = rules.rule(kind).per_person.max(own);
            prop_assert!(values.len() <= limit, "{:?} holds {:?} of {:?}", key, values, kind);
        }
    }

    #[test]
    fn identity_keeps_each_unshared_merging_identifier_in_one_person_unless_refused(
        observations in observations()
    ) {
        let rules = Rules::default();
        let r = resolve(&observations, &[], &[], &rules);
        for (i, on) in carriers(&observations) {
            if joins(&rules, &i, on.len()) && !r.conflicts().iter().any(|c| c.identifier == i) {
                let keys: BTreeSet<_> = on.iter().map(|p| r.person_of(*p)).collect();
                prop_assert_eq!(keys.len(), 1, "{:?} on {:?}", i, on);
            }
        }
    }

    #[test]
    fn identity_splits_no_person_unless_an_identifier_becomes_shared(
        observations in observations(),
        extra in observation(),
    ) {
        let rules = unlimited();
        let before = resolve(&observations, &[], &[], &rules);
        let mut more = observations.clone();
        more.push(extra.clone());
        let after = resolve(&more, &[], &[], &rules);
        let shared = |r: &Resolution| r.shared().contains_key(&extra.identifier);
        if shared(&before) == shared(&after) {
            let profiles = profiles(&observations);
            for &a in &profiles {
                for &b in &profiles {
                    if before.person_of(a) == before.person_of(b) {
                        prop_assert_eq!(after.person_of(a), after.person_of(b));
                    }
                }
            }
        }
    }

    #[test]
    fn an_unmerge_after_a_merge_restores_the_persons_exactly(
        observations in observations(),
        a in 0u128..8,
        b in 0u128..8,
    ) {
        let rules = Rules::default();
        let (a, b) = (p(a), p(b));
        let before = resolve(&observations, &[], &[], &rules);
        prop_assume!(a != b && before.person_of(a).is_some() && before.person_of(b).is_some());
        prop_assume!(before.person_of(a) != before.person_of(b));
        let merged = resolve(&observations, &[Decision::Same { a, b }], &[], &rules);
        prop_assert_eq!(merged.person_of(a), merged.person_of(b));
        let unmerged = resolve(&observations, &[Decision::Apart { a, b }], &[], &rules);
        prop_assert_eq!(partition(&unmerged), partition(&before));
        prop_assert_eq!(unmerged.links(), before.links());
    }

    #[test]
    fn an_unmerge_of_any_link_separates_its_ends_and_only_splits(
        observations in observations(),
    ) {
        // With per-person limits an unmerge may free a join a limit refused before
        // (the values that blocked it left with the other side), so "only splits"
        // holds without them; the ends part under either rules.
        for (rules, only_splits) in [(Rules::default(), false), (unlimited(), true)] {
            let r = resolve(&observations, &[], &[], &rules);
            for link in r.links() {
                let apart = [Decision::Apart { a: link.from, b: link.to }];
                let split = resolve(&observations, &apart, &[], &rules);
                prop_assert_ne!(split.person_of(link.from), split.person_of(link.to));
                for members in split.persons().into_values().filter(|_| only_splits) {
                    let keys: BTreeSet<_> = members.iter().map(|m| r.person_of(*m)).collect();
                    prop_assert_eq!(keys.len(), 1);
                }
            }
        }
    }

    #[test]
    fn no_two_providers_meet_but_through_a_verified_identifier(
        held in prop::collection::vec(
            (0u128..3, 0u128..4, 0usize..6, prop::sample::select(vec!["a", "b"])),
            0..16,
        ),
        verified in prop::collection::btree_set(
            (0usize..6, prop::sample::select(vec!["a", "b"])),
            0..3,
        ),
    ) {
        let held: Vec<Held> = held
            .into_iter()
            .map(|(provider, person, k, v)| Held {
                provider: ProviderId(Uuid::from_u128(100 + provider)),
                person: p(provider * 10 + person),
                identifier: id(IdentifierKind::ALL[k], v),
            })
            .collect();
        let verified: BTreeSet<Identifier> = verified
            .into_iter()
            .map(|(k, v)| id(IdentifierKind::ALL[k], v))
            .collect();
        let carries = |who: (ProviderId, ProfileId)| -> BTreeSet<&Identifier> {
            held.iter()
                .filter(|h| (h.provider, h.person) == who && verified.contains(&h.identifier))
                .map(|h| &h.identifier)
                .collect()
        };
        for group in humans(&held, &verified) {
            prop_assert!(group.len() > 1);
            // Every member reaches another through a verified identifier both carry.
            for &member in &group {
                let mine = carries(member);
                prop_assert!(group.iter().any(|&other| other != member
                    && !carries(other).is_disjoint(&mine)));
            }
        }
        prop_assert!(humans(&held, &BTreeSet::new()).is_empty());
    }
}
