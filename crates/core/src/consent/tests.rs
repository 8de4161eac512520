//! Known answers for consent and contact decisions, on hand-made clocks.

use super::*;
use crate::channel::ChannelKey;
use crate::reason::Reason;
use crate::value::{Motivation, Phase};
use chrono::{DateTime, TimeDelta, Utc};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn request(channel: &str, purpose: ContactPurpose) -> ContactRequest {
    ContactRequest {
        channel: ChannelKey::parse(channel).unwrap(),
        purpose,
        urgency: Urgency::Routine,
        context: Context::default(),
    }
}

fn yes(source: Source, when: &str) -> Choice {
    Choice {
        purpose: Purpose::Marketing,
        given: true,
        source,
        at: at(when),
    }
}

fn stockholm() -> ContactPreferences {
    ContactPreferences::default_in("Europe/Stockholm")
}

fn decide_at(
    r: &ContactRequest,
    consent: Option<&Choice>,
    prefs: &ContactPreferences,
    counted: &[DateTime<Utc>],
    now: &str,
) -> Decision {
    decide(
        r,
        &Facts {
            consent,
            preferences: prefs,
            counted,
            now: at(now),
        },
    )
}

fn codes(d: &Decision) -> Vec<&'static str> {
    d.reasons.iter().map(Reason::code).collect()
}

#[test]
fn the_persons_own_choice_wins_over_a_newer_import() {
    let own_no = Choice {
        given: false,
        ..yes(Source::Person, "2026-01-01T10:00:00Z")
    };
    let import_yes = yes(Source::Import, "2026-06-01T10:00:00Z");
    let older_import = Choice {
        given: false,
        ..yes(Source::Import, "2025-06-01T10:00:00Z")
    };
    let all = [import_yes.clone(), own_no.clone(), older_import.clone()];
    assert_eq!(holding(&all, Purpose::Marketing), Some(&own_no));
    assert_eq!(
        holding(&[older_import, import_yes.clone()], Purpose::Marketing),
        Some(&import_yes)
    );
    assert_eq!(holding(&all, Purpose::Research), None);
}

#[test]
fn marketing_needs_consent_and_service_does_not() {
    let prefs = stockholm();
    let noon = "2026-05-04T10:00:00Z";
    let none = decide_at(
        &request("email", ContactPurpose::Marketing),
        None,
        &prefs,
        &[],
        noon,
    );
    assert_eq!(none.verdict, Verdict::Deny);
    assert_eq!(codes(&none), ["contact-no-consent"]);
    let said_no = Choice {
        given: false,
        ..yes(Source::Person, "2026-05-01T10:00:00Z")
    };
    let no = decide_at(
        &request("email", ContactPurpose::Marketing),
        Some(&said_no),
        &prefs,
        &[],
        noon,
    );
    assert_eq!(codes(&no), ["contact-withdrawn"]);
    let consent = yes(Source::Import, "2026-05-01T10:00:00Z");
    let ok = decide_at(
        &request("email", ContactPurpose::Marketing),
        Some(&consent),
        &prefs,
        &[],
        noon,
    );
    assert_eq!(ok.verdict, Verdict::Allow);
    assert!(ok.counts);
    assert_eq!(codes(&ok), ["contact-consented", "contact-within-budget"]);
    let service = decide_at(
        &request("sms", ContactPurpose::Service),
        None,
        &prefs,
        &[],
        noon,
    );
    assert_eq!(service.verdict, Verdict::Allow);
    assert!(!service.counts, "service takes nothing of the budget");
    assert_eq!(codes(&service), ["contact-service"]);
}

#[test]
fn a_channel_the_person_does_not_accept_is_denied_naming_what_they_accept() {
    let prefs = PreferencesInput {
        channels: Some(vec!["email".into(), "app".into()]),
        time_zone: Some("Europe/Stockholm".into()),
        weekly_budget: Some(3),
        welcome_in_moments: Some(false),
        quiet_hours: None,
    }
    .parse()
    .unwrap();
    let d = decide_at(
        &request("phone", ContactPurpose::Service),
        None,
        &prefs,
        &[],
        "2026-05-04T10:00:00Z",
    );
    assert_eq!(d.verdict, Verdict::Deny);
    assert_eq!(
        d.reasons,
        [Reason::ContactChannel {
            channel: "phone".into(),
            allowed: crate::reason::List(vec!["app".into(), "email".into()]),
        }]
    );
}

#[test]
fn quiet_hours_defer_to_their_local_end_and_urgent_service_passes() {
    let prefs = stockholm();
    // 22:30 in Stockholm (summer time, +2): quiet until 08:00 the next morning.
    let late = decide_at(
        &request("sms", ContactPurpose::Service),
        None,
        &prefs,
        &[],
        "2026-05-04T20:30:00Z",
    );
    assert_eq!(
        late.verdict,
        Verdict::Defer {
            until: at("2026-05-05T06:00:00Z")
        }
    );
    assert_eq!(codes(&late), ["contact-quiet"]);
    // 07:59 local: quiet one more minute; 08:00 local: not quiet.
    let early = decide_at(
        &request("sms", ContactPurpose::Service),
        None,
        &prefs,
        &[],
        "2026-05-05T05:59:00Z",
    );
    assert_eq!(
        early.verdict,
        Verdict::Defer {
            until: at("2026-05-05T06:00:00Z")
        }
    );
    let eight = decide_at(
        &request("sms", ContactPurpose::Service),
        None,
        &prefs,
        &[],
        "2026-05-05T06:00:00Z",
    );
    assert_eq!(eight.verdict, Verdict::Allow);
    let urgent = ContactRequest {
        urgency: Urgency::Urgent,
        ..request("sms", ContactPurpose::Service)
    };
    assert_eq!(
        decide_at(&urgent, None, &prefs, &[], "2026-05-04T20:30:00Z").verdict,
        Verdict::Allow
    );
}

#[test]
fn quiet_hours_end_at_eight_on_the_wall_across_the_change_to_summer_time() {
    // The night of 28–29 March 2026 Stockholm moves from +1 to +2: 22:00 on the
    // 28th is 21:00Z, and 08:00 on the 29th is 06:00Z (not 07:00Z).
    let d = decide_at(
        &request("sms", ContactPurpose::Service),
        None,
        &stockholm(),
        &[],
        "2026-03-28T21:00:00Z",
    );
    assert_eq!(
        d.verdict,
        Verdict::Defer {
            until: at("2026-03-29T06:00:00Z")
        }
    );
}

#[test]
fn a_spent_budget_defers_until_the_oldest_contact_is_a_week_old() {
    let prefs = stockholm();
    let consent = yes(Source::Person, "2026-01-01T00:00:00Z");
    let now = at("2026-05-04T10:00:00Z");
    let counted = [
        now - TimeDelta::days(6),
        now - TimeDelta::days(2),
        now - TimeDelta::hours(1),
    ];
    let d = decide_at(
        &request("email", ContactPurpose::Marketing),
        Some(&consent),
        &prefs,
        &counted,
        "2026-05-04T10:00:00Z",
    );
    assert_eq!(
        d.verdict,
        Verdict::Defer {
            until: at("2026-05-05T10:00:00Z")
        }
    );
    assert_eq!(
        d.reasons,
        [Reason::ContactBudget {
            used: 3,
            budget: 3,
            until: "2026-05-05T10:00:00Z".into()
        }]
    );
    // A contact exactly seven days old no longer counts.
    let edge = [
        now - TimeDelta::days(7),
        now - TimeDelta::days(2),
        now - TimeDelta::hours(1),
    ];
    let d = decide_at(
        &request("email", ContactPurpose::Marketing),
        Some(&consent),
        &prefs,
        &edge,
        "2026-05-04T10:00:00Z",
    );
    assert_eq!(d.verdict, Verdict::Allow);
    assert!(
        d.reasons
            .contains(&Reason::ContactWithinBudget { used: 2, budget: 3 })
    );
}

#[test]
fn a_budget_freed_in_the_quiet_hours_waits_for_their_end() {
    let consent = yes(Source::Person, "2026-01-01T00:00:00Z");
    let now = at("2026-05-04T10:00:00Z");
    // The oldest of three turns a week old at 23:00 local (21:00Z): quiet then.
    let counted = [
        at("2026-04-27T21:00:00Z"),
        now - TimeDelta::days(1),
        now - TimeDelta::hours(2),
    ];
    let d = decide_at(
        &request("email", ContactPurpose::Marketing),
        Some(&consent),
        &stockholm(),
        &counted,
        "2026-05-04T10:00:00Z",
    );
    assert_eq!(
        d.verdict,
        Verdict::Defer {
            until: at("2026-05-05T06:00:00Z")
        }
    );
    assert_eq!(codes(&d), ["contact-budget", "contact-quiet"]);
}

#[test]
fn no_budget_denies_and_a_moment_is_respected_unless_welcome() {
    let consent = yes(Source::Person, "2026-01-01T00:00:00Z");
    let noon = "2026-05-04T10:00:00Z";
    let none = ContactPreferences {
        weekly_budget: 0,
        ..stockholm()
    };
    let d = decide_at(
        &request("email", ContactPurpose::Marketing),
        Some(&consent),
        &none,
        &[],
        noon,
    );
    assert_eq!(
        (d.verdict, codes(&d)),
        (Verdict::Deny, vec!["contact-none"])
    );
    assert_eq!(
        decide_at(
            &request("email", ContactPurpose::Service),
            None,
            &none,
            &[],
            noon
        )
        .verdict,
        Verdict::Allow
    );

    let in_moment = ContactRequest {
        context: Context {
            phase: Some(Phase::During),
            motivation: Some(Motivation::Experiences),
        },
        ..request("app", ContactPurpose::Marketing)
    };
    let d = decide_at(&in_moment, Some(&consent), &stockholm(), &[], noon);
    assert_eq!(
        d.reasons,
        [Reason::ContactMoment {
            motivation: "experiences".into()
        }]
    );
    let welcome = ContactPreferences {
        welcome_in_moments: true,
        ..stockholm()
    };
    assert_eq!(
        decide_at(&in_moment, Some(&consent), &welcome, &[], noon).verdict,
        Verdict::Allow
    );
    let after = ContactRequest {
        context: Context {
            phase: Some(Phase::After),
            motivation: Some(Motivation::Experiences),
        },
        ..in_moment.clone()
    };
    assert_eq!(
        decide_at(&after, Some(&consent), &stockholm(), &[], noon).verdict,
        Verdict::Allow
    );
    let goal = ContactRequest {
        context: Context {
            phase: Some(Phase::During),
            motivation: Some(Motivation::GoalFulfilment),
        },
        ..in_moment
    };
    assert_eq!(
        decide_at(&goal, Some(&consent), &stockholm(), &[], noon).verdict,
        Verdict::Allow
    );
}

#[test]
fn bad_requests_and_preferences_name_each_field() {
    let bad = ContactRequestInput {
        channel: Some("E-mail".into()),
        purpose: Some("marketing".into()),
        urgency: Some("urgent".into()),
        context: Some(ContextInput {
            phase: Some("during_the_meeting".into()),
            motivation: Some("greed".into()),
        }),
    }
    .parse()
    .unwrap_err();
    let fields: Vec<_> = bad
        .0
        .iter()
        .map(|e| (e.field.as_str(), e.reason.code()))
        .collect();
    assert_eq!(
        fields,
        [
            ("channel", "key"),
            ("urgency", "urgent-service"),
            ("context.phase", "one-of"),
            ("context.motivation", "one-of")
        ]
    );
    let missing = ContactRequestInput::default().parse().unwrap_err();
    assert_eq!(missing.0.len(), 2, "channel and purpose: {missing}");

    let bad = PreferencesInput {
        channels: Some(vec!["email".into(), "forum".into(), "email".into()]),
        quiet_hours: Some(QuietHoursInput {
            from: Some("25:00".into()),
            to: Some("08:00".into()),
        }),
        time_zone: Some("Mars/Olympus".into()),
        weekly_budget: Some(51),
        welcome_in_moments: None,
    }
    .parse()
    .unwrap_err();
    let fields: Vec<_> = bad
        .0
        .iter()
        .map(|e| (e.field.as_str(), e.reason.code()))
        .collect();
    assert_eq!(
        fields,
        [
            ("channels[1]", "one-of"),
            ("channels[2]", "repeats"),
            ("quiet_hours.from", "clock-time"),
            ("time_zone", "time-zone"),
            ("weekly_budget", "range"),
            ("welcome_in_moments", "required")
        ]
    );
}

#[test]
fn a_contact_held_by_a_parallel_asker_whose_clock_read_later_still_counts() {
    let consent = yes(Source::Person, "2026-01-01T00:00:00Z");
    let now = at("2026-05-04T10:00:00Z");
    let counted = [now + TimeDelta::milliseconds(3)];
    let one = ContactPreferences {
        weekly_budget: 1,
        ..stockholm()
    };
    let d = decide_at(
        &request("email", ContactPurpose::Marketing),
        Some(&consent),
        &one,
        &counted,
        "2026-05-04T10:00:00Z",
    );
    assert_eq!(
        d.verdict,
        Verdict::Defer {
            until: now + TimeDelta::milliseconds(3) + WEEK
        }
    );
}

mod grants {
    use super::super::{Category, GrantInput};
    use chrono::{DateTime, Utc};

    const SHOP: &str = "0190a1b2-0000-7000-8000-000000000001";
    const GYM: &str = "0190a1b2-0000-7000-8000-000000000002";

    fn input(until: &str) -> GrantInput {
        GrantInput {
            holder: Some(SHOP.into()),
            reader: Some(GYM.into()),
            categories: Some(vec!["touchpoints".into(), "identifiers".into()]),
            purpose: Some("personalisation".into()),
            until: Some(until.into()),
            consent: Some(true),
        }
    }

    fn at(t: &str) -> DateTime<Utc> {
        t.parse().unwrap()
    }

    fn refusals(i: &GrantInput, now: DateTime<Utc>) -> Vec<(String, &'static str)> {
        i.parse(now, chrono_tz::Europe::Stockholm)
            .unwrap_err()
            .0
            .iter()
            .map(|e| (e.field.clone(), e.reason.code()))
            .collect()
    }

    #[test]
    fn a_grant_ends_with_its_last_day_where_the_person_lives() {
        // Summer time starts on 29 March 2026: the 31st ends at 22:00 UTC, not 23:00.
        let now = at("2026-03-01T12:00:00Z");
        let g = input("2026-03-31")
            .parse(now, chrono_tz::Europe::Stockholm)
            .unwrap();
        assert_eq!(g.until, at("2026-03-31T22:00:00Z"));
        assert_eq!(
            g.categories.into_iter().collect::<Vec<_>>(),
            [Category::Identifiers, Category::Touchpoints]
        );
        // Late on 1 March in Stockholm is still the 1st there: the 2nd is the first
        // day allowed, and a year and a day ahead the last.
        let late = at("2026-03-01T22:30:00Z");
        assert_eq!(
            refusals(&input("2026-03-01"), late),
            [("until".to_string(), "day-within")]
        );
        let tomorrow = input("2026-03-02")
            .parse(late, chrono_tz::Europe::Stockholm)
            .unwrap();
        assert_eq!(tomorrow.until, at("2026-03-02T23:00:00Z"));
        assert!(
            input("2027-03-02")
                .parse(late, chrono_tz::Europe::Stockholm)
                .is_ok()
        );
        assert_eq!(
            refusals(&input("2027-03-03"), late),
            [("until".to_string(), "day-within")]
        );
    }

    #[test]
    fn every_bad_field_of_a_grant_is_named() {
        let bad = GrantInput {
            holder: Some(GYM.into()),
            reader: Some(GYM.into()),
            categories: Some(vec![
                "touchpoints".into(),
                "dna".into(),
                "touchpoints".into(),
            ]),
            purpose: Some("selling".into()),
            until: Some("31/3".into()),
            consent: Some(true),
        };
        assert_eq!(
            refusals(&bad, at("2026-03-01T12:00:00Z")),
            [
                ("reader".to_string(), "reader-is-holder"),
                ("categories[1]".to_string(), "one-of"),
                ("categories[2]".to_string(), "repeats"),
                ("purpose".to_string(), "one-of"),
                ("until".to_string(), "date"),
            ]
        );
        let empty = GrantInput {
            holder: Some("shop".into()),
            categories: Some(vec![]),
            ..GrantInput::default()
        };
        assert_eq!(
            refusals(&empty, at("2026-03-01T12:00:00Z")),
            [
                ("holder".to_string(), "guid"),
                ("reader".to_string(), "required"),
                ("categories".to_string(), "required"),
                ("purpose".to_string(), "required"),
                ("until".to_string(), "required"),
                ("consent".to_string(), "required"),
            ]
        );
    }
}
