use super::*;
use crate::identifier::{Identifier, IdentifierKind};
use crate::ids::ProfileId;
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
    let r = resolve(&late, &rules);
    assert_eq!(r, resolve(&early, &rules));
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
        &Rules::default(),
    );
    let chain = r.why(p(1), p(2)).unwrap();
    assert_eq!(
        chain,
        vec![
            Link {
                from: p(1),
                to: p(3),
                evidence: vec![id(Email, ANNA)]
            },
            Link {
                from: p(3),
                to: p(2),
                evidence: vec![id(Phone, PHONE)]
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
    let r = resolve(&observations, &Rules::default());
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
    assert_eq!(chain[0].identifier(), &id(Phone, "+46701000001"));
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
    let r = resolve(&three, &rules);
    assert!(r.shared().is_empty());
    assert_eq!(r.person_of(p(3)), Some(p(1)));
    // A fourth profile with the same number: a test number, which joins nobody.
    let four: Vec<Observation> = (1..=4).map(|i| obs(i, CustomerNumber, "K-17")).collect();
    let r = resolve(&four, &rules);
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
        &Rules::default(),
    );
    let link = &r.links()[0];
    assert_eq!(link.evidence, vec![id(Email, ANNA), id(DeviceId, "tablet")]);
    assert_eq!(link.identifier(), &id(Email, ANNA));
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
    let r = resolve(&[obs(1, Email, ANNA), obs(2, Email, ANNA)], &rules);
    assert_eq!(persons(&r), vec![vec![p(1)], vec![p(2)]]);
    rules.kinds.remove(&Email);
    assert_eq!(rules.rule(Email), KindRule::NEVER);
    assert_eq!(
        resolve(&[obs(1, Email, ANNA), obs(2, Email, ANNA)], &rules),
        r
    );
}

// Property tests over a small world: eight profiles and few values, so that
// identifiers collide, bridge and pass their caps often.

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

proptest! {
    #[test]
    fn identity_is_independent_of_order(
        (observations, shuffled) in observations()
            .prop_flat_map(|o| (Just(o.clone()), Just(o).prop_shuffle()))
    ) {
        let rules = Rules::default();
        let r = resolve(&observations, &rules);
        prop_assert_eq!(&r, &resolve(&shuffled, &rules));
        for (key, members) in r.persons() {
            prop_assert_eq!(key, members[0]);
            prop_assert!(members.windows(2).all(|w| w[0] < w[1]));
        }
    }

    #[test]
    fn identity_joins_only_through_unshared_merging_identifiers(observations in observations()) {
        let rules = Rules::default();
        let r = resolve(&observations, &rules);
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
                    prop_assert!(!link.evidence.is_empty());
                    for i in &link.evidence {
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
    fn identity_keeps_each_unshared_merging_identifier_in_one_person(
        observations in observations()
    ) {
        let rules = Rules::default();
        let r = resolve(&observations, &rules);
        for (i, on) in carriers(&observations) {
            if joins(&rules, &i, on.len()) {
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
        let rules = Rules::default();
        let before = resolve(&observations, &rules);
        let mut more = observations.clone();
        more.push(extra.clone());
        let after = resolve(&more, &rules);
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
}
