use super::compare::{compare, levels};
use super::model::{em, patterns};
use super::*;
use crate::invalid::Reason;
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeSet;

const GIVEN: &[&str] = &[
    "anna", "erik", "maria", "lars", "karin", "johan", "eva", "per", "sara", "anders", "lena",
    "nils", "ingrid", "olof", "maja", "hugo", "elsa", "axel", "ebba", "oskar",
];
const FAMILY: &[&str] = &[
    "andersson",
    "johansson",
    "karlsson",
    "nilsson",
    "eriksson",
    "larsson",
    "olsson",
    "persson",
    "svensson",
    "gustafsson",
    "pettersson",
    "jonsson",
    "jansson",
    "hansson",
    "bengtsson",
    "lindberg",
    "lindqvist",
    "berglund",
    "sandberg",
    "holm",
];
const STREETS: &[&str] = &[
    "storgatan",
    "kyrkogatan",
    "skolgatan",
    "parkvägen",
    "björkvägen",
    "ringvägen",
    "torggatan",
    "sjövägen",
    "ängsvägen",
    "norra vägen",
];

fn typo(text: &str, rng: &mut ChaCha8Rng) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let i = rng.random_range(1..chars.len() - 1);
    chars.swap(i, i + 1);
    chars.into_iter().collect()
}

/// People and, for every third, a second record with a typo in one field; the ids
/// of a person's records share their number, so the truth is known.
fn population(people: usize, seed: u64) -> Vec<Record> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::new();
    for p in 0..people {
        let pick =
            |rng: &mut ChaCha8Rng, list: &[&str]| list[rng.random_range(0..list.len())].to_string();
        let given = pick(&mut rng, GIVEN);
        let family = pick(&mut rng, FAMILY);
        let date = format!(
            "{}-{:02}-{:02}",
            rng.random_range(1930..2006),
            rng.random_range(1..13),
            rng.random_range(1..29)
        );
        let street = format!("{} {}", pick(&mut rng, STREETS), rng.random_range(1..60));
        let postcode = format!(
            "{} {:02}",
            rng.random_range(100..990),
            rng.random_range(0..100)
        );
        let mut fields = [given, family, date, street, postcode];
        out.push(record(&format!("p{p:04}-a"), &fields));
        if p % 3 == 0 {
            let f = rng.random_range(0..fields.len());
            fields[f] = if Field::ALL[f] == Field::BirthDate {
                fields[f].replacen('1', "7", 1)
            } else {
                typo(&fields[f], &mut rng)
            };
            out.push(record(&format!("p{p:04}-b"), &fields));
        }
    }
    out
}

fn record(id: &str, values: &[String; 5]) -> Record {
    Record::new(
        id,
        Field::ALL
            .into_iter()
            .zip(values.iter().map(String::as_str)),
    )
}

fn settings() -> Settings {
    // Fewer random pairs than by default keep the tests fast in a debug build.
    Settings {
        u_pairs: 20_000,
        ..Settings::new(Rule::defaults(), Thresholds::new(0.9, 0.5).unwrap())
    }
}

fn trained(records: &[Record]) -> Model {
    train(&Prepared::new(records).unwrap(), &settings())
        .unwrap()
        .model
}

fn linked(model: &Model, records: &[Record]) -> Vec<(String, String)> {
    link(model, &Prepared::new(records).unwrap())
        .unwrap()
        .pairs
        .into_iter()
        .filter(|p| p.class == Class::Link)
        .map(|p| (p.a, p.b))
        .collect()
}

#[test]
fn duplicates_link_and_others_do_not() {
    let records = population(300, 1);
    let model = trained(&records);
    let links = linked(&model, &records);
    let truth = records.iter().filter(|r| r.id.ends_with("-b")).count();
    let right = links.iter().filter(|(a, b)| a[..5] == b[..5]).count();
    assert!(right * 10 >= truth * 9, "{right} of {truth} found");
    assert!(
        right * 100 >= links.len() * 95,
        "{right} right of {}",
        links.len()
    );
}

#[test]
fn exact_duplicates_and_a_surname_typo_link_and_a_namesake_does_not() {
    let mut records = population(300, 2);
    let model = trained(&records);
    let anna = ["Anna", "Lindgren", "1980-05-17", "Storgatan 4", "123 45"].map(String::from);
    let mut typo = anna.clone();
    typo[1] = "Lindgrem".into();
    // One name and one postcode, but another birth date and street: another person.
    let namesake = ["anna", "lindgren", "1950-11-02", "Kyrkogatan 30", "123 45"].map(String::from);
    records.extend([
        record("x1", &anna),
        record("x2", &anna),
        record("x3", &typo),
        record("x4", &namesake),
    ]);
    let links = linked(&model, &records);
    let has = |a: &str, b: &str| links.contains(&(a.to_string(), b.to_string()));
    assert!(has("x1", "x2"));
    assert!(has("x1", "x3"));
    assert!(!has("x1", "x4"));
}

#[test]
fn normalising_folds_case_accents_and_spaces_and_empty_is_missing() {
    assert_eq!(
        normalise(Field::FamilyName, "  Åström  Öberg "),
        Some("astrom oberg".into())
    );
    assert_eq!(
        normalise(Field::BirthDate, "1956-09-09"),
        Some("19560909".into())
    );
    assert_eq!(normalise(Field::Postcode, "123 45"), Some("12345".into()));
    assert_eq!(normalise(Field::Street, "   "), None);
}

#[test]
fn swapped_day_and_month_compare_at_the_date_level() {
    let records = Prepared::new(&[
        Record::new("a", [(Field::BirthDate, "1980-05-07")]),
        Record::new("b", [(Field::BirthDate, "1980-07-05")]),
        Record::new("c", [(Field::BirthDate, "1980-12-30")]),
        Record::new("d", [(Field::GivenName, "anna")]),
    ])
    .unwrap();
    let date = levels(Field::BirthDate);
    assert_eq!(
        date[compare(&records, Field::BirthDate, 0, 1) as usize],
        "typo-or-swap"
    );
    assert_eq!(
        date[compare(&records, Field::BirthDate, 0, 2) as usize],
        "same-year"
    );
    assert_eq!(
        date[compare(&records, Field::BirthDate, 0, 3) as usize],
        "missing"
    );
}

#[test]
fn a_model_round_trips_through_json_and_predicts_the_same() {
    let records = population(200, 3);
    let model = trained(&records);
    let json = serde_json::to_string(&model).unwrap();
    let back: Model = serde_json::from_str(&json).unwrap();
    assert_eq!(back, model);
    let prepared = Prepared::new(&records).unwrap();
    assert_eq!(
        link(&back, &prepared).unwrap(),
        link(&model, &prepared).unwrap()
    );
}

#[test]
fn the_block_cap_skips_and_counts_large_blocks() {
    let records: Vec<Record> = (0..10)
        .map(|i| {
            let postcode = if i < 6 { "11111" } else { "22222" };
            Record::new(&format!("r{i}"), [(Field::Postcode, postcode)])
        })
        .collect();
    let prepared = Prepared::new(&records).unwrap();
    let found = candidates(&prepared, &[Rule::parse("postcode").unwrap()], 5);
    assert_eq!(found.skipped_blocks, 1);
    // Only the block of four: 4·3/2 pairs, each once with a < b.
    assert_eq!(
        found.pairs,
        vec![(6, 7), (6, 8), (6, 9), (7, 8), (7, 9), (8, 9)]
    );
}

#[test]
fn prefix_keys_and_the_union_of_rules_give_each_pair_once() {
    let records = Prepared::new(&[
        Record::new(
            "a",
            [(Field::FamilyName, "lindberg"), (Field::Postcode, "1")],
        ),
        Record::new(
            "b",
            [(Field::FamilyName, "lindqvist"), (Field::Postcode, "1")],
        ),
        Record::new("c", [(Field::FamilyName, "holm"), (Field::Postcode, "2")]),
    ])
    .unwrap();
    let rules = [
        Rule::parse("family_name:4").unwrap(),
        Rule::parse("postcode").unwrap(),
    ];
    assert_eq!(candidates(&records, &rules, 10).pairs, vec![(0, 1)]);
}

#[test]
fn two_records_share_a_stored_key_exactly_when_they_are_candidates() {
    let records = Prepared::new(&population(80, 3)).unwrap();
    let rules = Rule::defaults();
    let keys: Vec<BTreeSet<String>> = (0..records.len())
        .map(|i| super::keys(&records, &rules, i).into_iter().collect())
        .collect();
    let found = candidates(&records, &rules, usize::MAX);
    assert!(!found.pairs.is_empty());
    for a in 0..records.len() {
        for b in a + 1..records.len() {
            let shared = !keys[a].is_disjoint(&keys[b]);
            let candidate = found.pairs.binary_search(&(a as u32, b as u32)).is_ok();
            assert_eq!(shared, candidate, "{a} {b}: {:?} {:?}", keys[a], keys[b]);
        }
    }
}

#[test]
fn em_finds_the_known_m_of_a_synthetic_set() {
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let m_true = [0.85, 0.08, 0.04, 0.03];
    let u_true = [0.02, 0.03, 0.10, 0.85];
    let draw = |p: &[f64; 4], rng: &mut ChaCha8Rng| {
        let x: f64 = rng.random();
        let mut acc = 0.0;
        for (i, q) in p.iter().enumerate() {
            acc += q;
            if x < acc {
                return i as u8 + 1;
            }
        }
        4
    };
    let mut compared = Vec::new();
    for i in 0..6000 {
        let p = if i < 1000 { &m_true } else { &u_true };
        compared.push(Field::ALL.map(|_| draw(p, &mut rng)));
    }
    let start = Field::ALL.map(|_| vec![0.25; 4]);
    let found = em(&patterns(&compared), &start);
    assert!(found.converged, "{} rounds", found.rounds);
    assert!(
        (found.share - 1000.0 / 6000.0).abs() < 0.02,
        "share {}",
        found.share
    );
    for m in &found.m {
        for (got, want) in m.iter().zip(m_true) {
            assert!((got - want).abs() < 0.03, "{m:?}");
        }
    }
}

#[test]
fn bad_settings_and_models_are_refused_with_reasons() {
    assert_eq!(
        Thresholds::new(1.5, 0.5).unwrap_err().0[0].reason,
        Reason::Level
    );
    assert_eq!(
        Thresholds::new(0.6, 0.8).unwrap_err().0[0].reason,
        Reason::ReviewAboveLink { link: "0.6".into() }
    );
    let unknown = Rule::parse("surname").unwrap_err();
    assert_eq!(unknown.0[0].reason.code(), "one-of");
    assert!(
        unknown.to_string().contains("given_name, family_name"),
        "{unknown}"
    );
    assert!(Rule::parse("postcode,postcode").is_err());
    assert!(Rule::parse("postcode:x").is_err());
    let mut model = trained(&population(30, 5));
    model.version = 0;
    assert_eq!(model.check().unwrap_err().0[0].reason.code(), "version");
    let twice = [Record::new("a", []), Record::new("a", [])];
    assert!(Prepared::new(&twice).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    #[test]
    fn the_order_of_the_records_changes_nothing(order in Just(population(60, 6)).prop_shuffle()) {
        let records = population(60, 6);
        let model = trained(&records);
        prop_assert_eq!(&trained(&order), &model);
        let (a, b) = (Prepared::new(&records).unwrap(), Prepared::new(&order).unwrap());
        prop_assert_eq!(link(&model, &a).unwrap(), link(&model, &b).unwrap());
    }
}

proptest! {
    #[test]
    // Values are never empty: empty is missing.
    fn the_cheap_bounds_never_change_a_distance(x in "[a-e0-9 ]{1,12}", y in "[a-e0-9 ]{1,12}") {
        let (a, b) = (super::text::Text::new(x.clone()), super::text::Text::new(y.clone()));
        let lev = strsim::levenshtein(&x, &y);
        // Past two edits only "more than two" counts.
        prop_assert_eq!(a.edits(&b, 2).min(3), lev.min(3));
        let jw = strsim::jaro_winkler(&x, &y);
        let bounded = a.jaro_winkler(&b, 0.8);
        prop_assert!(bounded == jw || (bounded == 0.0 && jw < 0.8), "{} {}", bounded, jw);
    }
}
