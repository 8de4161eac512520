use super::*;
use crate::TouchpointId;
use crate::journey::{JourneySettings, LogBuilder, LogRow};
use crate::survey::{ResponseInput, SurveyInput, SurveyStatus};
use serde_json::json;

const STOCKHOLM: chrono_tz::Tz = chrono_tz::Europe::Stockholm;
const H: i64 = 3_600_000;
/// Sunday 29 March 2026, 00:00 in Stockholm (still winter time, UTC+1): the clocks
/// go forward at 02:00 that night.
const SPRING: i64 = 1_774_738_800_000;

fn person(n: u128) -> PersonId {
    PersonId(uuid::Uuid::from_u128(n))
}

/// Four persons around the change to summer time. Ada reads a forum before her
/// visit; Bo visits a minute before the day starts and posts on the forum after;
/// Cy visits with nothing before; Di only browses and has no journey.
fn world() -> (Log, Placement, Clock) {
    let rows: [(u128, i64, &str, &str); 7] = [
        (1, SPRING - 20 * H, "forum", "post.read"),
        (1, SPRING + 10 * H, "store", "visit"),
        (2, SPRING - 60_000, "store", "visit"),
        (2, SPRING + 20 * H, "forum", "post.written"),
        (3, SPRING + 30 * H, "store", "visit"),
        (4, SPRING, "web", "page.viewed"),
        (4, SPRING + H, "web", "page.viewed"),
    ];
    let mut b = LogBuilder::default();
    for (n, (p, at, channel, kind)) in rows.into_iter().enumerate() {
        b.push(LogRow {
            person: person(p),
            id: TouchpointId(uuid::Uuid::from_u128(n as u128 + 100)),
            at,
            channel,
            kind,
            declared: None,
            by_provider: false,
            signals: Default::default(),
        });
    }
    let log = b.finish();
    let clock = Clock::new(STOCKHOLM, SPRING - 100 * H, SPRING + 300 * H);
    let placed = log.place(&JourneySettings::default(), &clock);
    (log, placed, clock)
}

fn known_channel(k: &ChannelKey) -> bool {
    matches!(k.as_str(), "forum" | "store" | "web")
}

fn rules(input: serde_json::Value) -> SegmentRules {
    rules_of(input, &[])
}

fn rules_of(input: serde_json::Value, surveys: &[Survey]) -> SegmentRules {
    let input: SegmentRulesInput = serde_json::from_value(input).unwrap();
    let known = Known {
        channel: &known_channel,
        surveys,
    };
    input.parse(&known).unwrap()
}

/// The persons of the segment `input`, sorted by number, with `members` as the
/// persons meeting the rules over persons and Cy's journey classified as made for
/// relationships.
fn persons_of(input: serde_json::Value, members: Option<&[u128]>) -> Vec<u128> {
    let (log, placed, clock) = world();
    let members: Option<HashSet<PersonId>> =
        members.map(|m| m.iter().map(|n| person(*n)).collect());
    let cy = log.persons.iter().position(|p| *p == person(3));
    let motivation = |j: usize| {
        (Some(placed.journeys[j].person as usize) == cy).then_some(Motivation::Relationships)
    };
    let mut found: Vec<u128> = rules(input)
        .persons(&log, &placed, &clock, members.as_ref(), &motivation)
        .into_iter()
        .map(|p| p.0.as_u128())
        .collect();
    found.sort_unstable();
    found
}

#[test]
fn a_touchpoint_must_be_in_the_channel_and_the_phase_together() {
    assert_eq!(persons_of(json!({"channels": ["forum"]}), None), [1, 2]);
    assert_eq!(
        persons_of(json!({"channels": ["forum"], "phases": ["before"]}), None),
        [1]
    );
    assert_eq!(persons_of(json!({"phases": ["after"]}), None), [2]);
    assert_eq!(
        persons_of(json!({"channels": ["web"]}), None),
        Vec::<u128>::new(),
        "Di's browsing belongs to no journey"
    );
}

#[test]
fn the_period_is_of_local_days_across_the_change_to_summer_time() {
    // Bo's visit is at 23:59 on the 28th where the provider is; the others on the 29th
    // and 30th (Cy's, 30 hours after midnight, falls on the 30th in summer time).
    assert_eq!(persons_of(json!({"to": "2026-03-28"}), None), [2]);
    assert_eq!(persons_of(json!({"from": "2026-03-29"}), None), [1, 3]);
    assert_eq!(
        persons_of(json!({"from": "2026-03-29", "to": "2026-03-29"}), None),
        [1]
    );
    assert_eq!(persons_of(json!({"from": "2026-03-30"}), None), [3]);
}

#[test]
fn rules_over_persons_keep_members_with_or_without_journeys() {
    assert_eq!(
        persons_of(json!({}), None),
        [1, 2, 3, 4],
        "no rules: everyone"
    );
    let traits = json!({"traits": [{"key": "tier", "value": "gold"}]});
    assert_eq!(persons_of(traits.clone(), Some(&[2, 4])), [2, 4]);
    // With a journey rule too, a member needs a journey the segment keeps.
    let mut both = traits;
    both["phases"] = json!(["during"]);
    assert_eq!(persons_of(both, Some(&[2, 4])), [2]);
    // Members are ignored by a segment that asks nothing of persons.
    assert_eq!(
        persons_of(json!({"phases": ["during"]}), Some(&[2])),
        [1, 2, 3]
    );
}

#[test]
fn motivations_keep_the_journeys_classified_so() {
    assert_eq!(
        persons_of(json!({"motivations": ["relationships"]}), None),
        [3]
    );
    assert_eq!(
        persons_of(
            json!({"motivations": ["experiences", "goal_fulfilment"]}),
            None
        ),
        Vec::<u128>::new(),
        "an unknown motivation is in no motivation's segment"
    );
}

#[test]
fn a_request_filter_within_a_segment_keeps_what_both_keep() {
    let (log, placed, clock) = world();
    let segment = rules(json!({"from": "2026-03-29", "phases": ["during"]})).filter(
        &log,
        &placed,
        &clock,
        None,
        &|_| None,
    );
    let mut f = Filter {
        to: Some(SPRING + 12 * H),
        ..Filter::default()
    };
    f.within(&segment);
    assert_eq!(
        f.select(&log, &placed).len(),
        1,
        "only Ada's visit at 11:00"
    );
    let mut f = Filter {
        from: Some(SPRING + 11 * H),
        ..Filter::default()
    };
    f.within(&segment);
    assert_eq!(
        f.select(&log, &placed).len(),
        1,
        "only Cy's visit the day after"
    );
    f.within(&Filter {
        journeys: Some(vec![true; placed.journeys.len() - 1]),
        ..Filter::default()
    });
    assert!(
        f.select(&log, &placed).is_empty(),
        "Cy's is the last journey"
    );
}

fn survey() -> Survey {
    let input: SurveyInput = serde_json::from_value(json!({
        "title": {"sv": "Besöket"},
        "sections": [{"questions": [
            {"key": "welcome", "kind": "scale", "points": 5, "text": {"sv": "Välkommen?"},
             "anchors": [{"point": 1, "label": {"sv": "Nej"}}, {"point": 5, "label": {"sv": "Ja"}}]},
            {"key": "motivation", "kind": "single_choice", "text": {"sv": "Varför?"},
             "options": [{"key": "relationships", "label": {"sv": "Sällskap"}},
                         {"key": "goal_fulfilment", "label": {"sv": "Ärende"}}]},
            {"key": "liked", "kind": "multiple_choice", "text": {"sv": "Vad gillade du?"},
             "min_selections": 1, "max_selections": 2,
             "options": [{"key": "food", "label": {"sv": "Maten"}}, {"key": "staff", "label": {"sv": "Personalen"}}]},
            {"key": "note", "kind": "open_text", "max_length": 200, "text": {"sv": "Något mer?"}}
        ]}]
    }))
    .unwrap();
    Survey::parse(&input)
        .unwrap()
        .with_status(SurveyStatus::Open)
        .unwrap()
}

#[test]
fn answers_hold_for_a_chosen_option_or_point_of_a_completed_response() {
    let s = survey();
    let respond = |answers: serde_json::Value| {
        let input: ResponseInput = serde_json::from_value(json!({ "answers": answers })).unwrap();
        Response::parse(&s, &input, "2026-12-01T10:00:00Z".parse().unwrap()).unwrap()
    };
    let rule = |q: &str, values: serde_json::Value| {
        let input =
            json!({"answers": [{"survey": s.id.to_string(), "question": q, "values": values}]});
        rules_of(input, std::slice::from_ref(&s)).answers.remove(0)
    };
    let warm = respond(json!({"welcome": 5, "motivation": "relationships", "liked": ["staff"]}));
    assert!(rule("welcome", json!([4, "5"])).holds(&warm));
    assert!(!rule("welcome", json!([1])).holds(&warm));
    assert!(rule("motivation", json!(["relationships"])).holds(&warm));
    assert!(rule("liked", json!(["food", "staff"])).holds(&warm));
    assert!(!rule("liked", json!(["food"])).holds(&warm));
    let mut partial = warm.clone();
    partial.completed = false;
    assert!(!rule("welcome", json!([5])).holds(&partial));
}

#[test]
fn every_bad_field_is_named() {
    let s = survey();
    let input: SegmentInput = serde_json::from_value(json!({
        "name": "  ",
        "rules": {
            "from": "2026-04-01", "to": "2026-03-01",
            "channels": ["forum", "tiktok", "Bad Key"],
            "phases": ["during", "later"],
            "motivations": ["fun"],
            "traits": [{"key": "tier"}, {"key": "x", "value": {"a": 1}}],
            "answers": [
                {"survey": "0190b1a3-0000-7000-8000-000000000000", "question": "welcome", "values": [1]},
                {"survey": s.id.to_string(), "question": "nope", "values": [1]},
                {"survey": s.id.to_string(), "question": "welcome", "values": [0, 3, "x"]},
                {"survey": s.id.to_string(), "question": "note", "values": ["hi"]},
                {"survey": s.id.to_string(), "question": "motivation", "values": []},
                {"survey": s.id.to_string(), "question": "motivation", "values": ["fun"]}
            ]
        }
    }))
    .unwrap();
    let surveys = [s];
    let known = Known {
        channel: &known_channel,
        surveys: &surveys,
    };
    let e = input.parse(&known).unwrap_err();
    let got: Vec<(String, String)> =
        e.0.iter()
            .map(|f| (f.field.clone(), f.reason.code().to_string()))
            .collect();
    let expected = [
        ("name", "empty"),
        ("rules.to", "not-before"),
        ("rules.channels[1]", "unknown-channel"),
        ("rules.channels[2]", "key"),
        ("rules.phases[1]", "one-of"),
        ("rules.motivations[0]", "one-of"),
        ("rules.traits[0].value", "required"),
        ("rules.traits[1].value", "wrong-type"),
        ("rules.answers[0].survey", "no-survey"),
        ("rules.answers[1].question", "no-question"),
        ("rules.answers[2].values[0]", "range"),
        ("rules.answers[2].values[2]", "range"),
        ("rules.answers[3].question", "does-not-apply"),
        ("rules.answers[4].values", "empty"),
        ("rules.answers[5].values[0]", "one-of"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(f, c)| (f.to_string(), c.to_string()))
        .collect();
    assert_eq!(got, expected);
    let many: SegmentRulesInput = serde_json::from_value(json!({
        "traits": (0..9).map(|i| json!({"key": format!("k{i}"), "value": i})).collect::<Vec<_>>()
    }))
    .unwrap();
    let e = many.parse(&known).unwrap_err();
    assert_eq!(e.0[0].field, "traits");
}

#[test]
fn a_segment_reads_back_what_it_wrote() {
    let r = rules(json!({
        "from": "2026-03-01", "channels": ["forum"], "phases": ["before"],
        "motivations": ["experiences"], "traits": [{"key": "guests", "value": 4}]
    }));
    assert_eq!(r.traits[0].value, "4");
    let text = serde_json::to_string(&r).unwrap();
    assert_eq!(serde_json::from_str::<SegmentRules>(&text).unwrap(), r);
    assert!(
        !text.contains("answers"),
        "empty rules are left out: {text}"
    );
}
