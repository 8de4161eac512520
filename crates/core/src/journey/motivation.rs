//! Why a journey was made (seed 001's motivating circumstances), guessed from what
//! the journey shows: a party or an occasion points to relationships, a named event
//! or a browsed-for stay to experiences, a short direct path to goal fulfilment.
//!
//! `Signals` are the few facts of one journey the rules read; `MotivationRules` are a
//! provider's rules, stored as a settings document and tried in order (the first that
//! holds decides); `classify` applies them. A journey no rule covers stays unknown:
//! better unsaid than wrongly said.

use crate::channel::ChannelKey;
use crate::invalid::{Checker, Invalid, Reason};
use crate::touchpoint::{Initiator, TouchpointKind};
use crate::value::{Motivation, Phase};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use utoipa::ToSchema;

/// One touchpoint of a journey, as far as signals need it.
#[derive(Debug, Clone, Copy)]
pub struct Observed<'a> {
    pub at: DateTime<Utc>,
    /// The phase the journey gave it.
    pub phase: Phase,
    pub kind: &'a str,
    pub channel: &'a str,
    pub initiator: Initiator,
    pub properties: &'a Map<String, Value>,
}

/// Channels where people share with others and the provider does not decide.
const SHARING: [&str; 3] = ["social_media", "forum", "review_site"];

/// What one journey shows about why it was made.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Signals {
    /// The largest `guests` on any step: how many came together.
    pub party: Option<u32>,
    /// The largest `nights` on any step: a stay.
    pub nights: Option<u32>,
    /// Some step names an `event` (a concert, a course, a members' evening).
    pub event: bool,
    /// Some step names an `occasion` (a birthday, an anniversary).
    pub occasion: bool,
    /// Minutes from the anchor to its last `during` step.
    pub dwell_minutes: u32,
    /// `before` steps the person started (the provider's messages do not count).
    pub before_steps: u32,
    /// Whole hours from the first of those steps to the anchor; 0 without one.
    pub lead_hours: u32,
    /// After the anchor the person posted, shared a photo or reviewed in a channel
    /// the provider does not run (social media, a forum, a review site).
    pub shared: bool,
    pub anchor_kind: String,
    pub anchor_channel: String,
    /// Every kind on the journey's steps, sorted, once each.
    pub kinds: Vec<String>,
    /// Every channel on the journey's steps, sorted, once each.
    pub channels: Vec<String>,
}

fn whole(v: &Value) -> Option<u32> {
    v.as_u64().and_then(|n| u32::try_from(n).ok())
}

/// What one touchpoint's properties tell the signals: `guests`, `nights`, a named
/// `event` or `occasion`. Most touchpoints tell none of it, so the log keeps these
/// only for the rows that do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StepSignals {
    pub guests: Option<u32>,
    pub nights: Option<u32>,
    pub event: bool,
    pub occasion: bool,
}

impl StepSignals {
    /// The properties a step's signals come from: a store need read no others.
    pub const KEYS: [&str; 4] = ["guests", "nights", "event", "occasion"];

    pub fn read(properties: &Map<String, Value>) -> StepSignals {
        let names = |key: &str| {
            properties
                .get(key)
                .is_some_and(|v| v.as_str().is_some_and(|t| !t.is_empty()))
        };
        StepSignals {
            guests: properties.get("guests").and_then(whole),
            nights: properties.get("nights").and_then(whole),
            event: names("event"),
            occasion: names("occasion"),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == StepSignals::default()
    }
}

/// One touchpoint of a journey as `Signals::of` reads it, from `Observed` or from a
/// row of the log.
#[derive(Debug, Clone, Copy)]
pub struct StepView<'a> {
    pub at: DateTime<Utc>,
    pub phase: Phase,
    pub kind: &'a str,
    pub channel: &'a str,
    pub by_provider: bool,
    pub signals: StepSignals,
}

impl<'a> From<&Observed<'a>> for StepView<'a> {
    fn from(o: &Observed<'a>) -> Self {
        StepView {
            at: o.at,
            phase: o.phase,
            kind: o.kind,
            channel: o.channel,
            by_provider: o.initiator == Initiator::Provider,
            signals: StepSignals::read(o.properties),
        }
    }
}

impl Signals {
    /// The signals of a journey whose steps are `steps` (in any order) and whose
    /// anchor is `steps[anchor]`.
    pub fn read(steps: &[Observed], anchor: usize) -> Signals {
        let views: Vec<StepView> = steps.iter().map(StepView::from).collect();
        Signals::of(&views, anchor)
    }

    /// The same as `read`, over steps however they are held.
    pub fn of(steps: &[StepView], anchor: usize) -> Signals {
        let a = &steps[anchor];
        let most = |get: fn(&StepSignals) -> Option<u32>| {
            steps.iter().filter_map(|s| get(&s.signals)).max()
        };
        let last_during = steps
            .iter()
            .filter(|s| s.phase == Phase::During && s.at >= a.at)
            .map(|s| s.at)
            .max()
            .unwrap_or(a.at);
        let led: Vec<DateTime<Utc>> = steps
            .iter()
            .filter(|s| s.phase == Phase::Before && !s.by_provider)
            .map(|s| s.at)
            .collect();
        let lead = led
            .iter()
            .min()
            .map_or(0, |first| (a.at - *first).num_hours());
        let set =
            |all: BTreeSet<&str>| -> Vec<String> { all.into_iter().map(String::from).collect() };
        Signals {
            party: most(|s| s.guests),
            nights: most(|s| s.nights),
            event: steps.iter().any(|s| s.signals.event),
            occasion: steps.iter().any(|s| s.signals.occasion),
            dwell_minutes: u32::try_from((last_during - a.at).num_minutes()).unwrap_or(0),
            before_steps: u32::try_from(led.len()).unwrap_or(u32::MAX),
            lead_hours: u32::try_from(lead).unwrap_or(0),
            shared: steps
                .iter()
                .any(|s| s.phase == Phase::After && !s.by_provider && SHARING.contains(&s.channel)),
            anchor_kind: a.kind.to_string(),
            anchor_channel: a.channel.to_string(),
            kinds: set(steps.iter().map(|s| s.kind).collect()),
            channels: set(steps.iter().map(|s| s.channel).collect()),
        }
    }
}

/// What must hold of a journey's signals for a rule to fire. Every condition given
/// must hold; a rule without conditions fires always (a last resort).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Conditions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occasion: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared: Option<bool>,
    /// The party is at least this large (a journey that names none is a party of one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party_min: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party_max: Option<u32>,
    /// The journey is a stay of at least this many nights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nights_min: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dwell_minutes_min: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dwell_minutes_max: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_steps_min: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_steps_max: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_hours_min: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_hours_max: Option<u32>,
    /// The anchor is one of these kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor_kinds: Option<Vec<String>>,
    /// The anchor happened in one of these channels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor_channels: Option<Vec<String>>,
    /// Some step is one of these kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any_kinds: Option<Vec<String>>,
    /// Some step happened in one of these channels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any_channels: Option<Vec<String>>,
}

impl Conditions {
    /// Whether `s` meets every condition given.
    pub fn hold(&self, s: &Signals) -> bool {
        let flag = |want: Option<bool>, have: bool| want.is_none_or(|w| w == have);
        let at_least = |min: Option<u32>, have: u32| min.is_none_or(|m| have >= m);
        let at_most = |max: Option<u32>, have: u32| max.is_none_or(|m| have <= m);
        let one_of = |list: &Option<Vec<String>>, have: &str| {
            list.as_ref().is_none_or(|l| l.iter().any(|x| x == have))
        };
        let any_of = |list: &Option<Vec<String>>, have: &[String]| {
            list.as_ref()
                .is_none_or(|l| l.iter().any(|x| have.contains(x)))
        };
        let party = s.party.unwrap_or(1);
        flag(self.event, s.event)
            && flag(self.occasion, s.occasion)
            && flag(self.shared, s.shared)
            && at_least(self.party_min, party)
            && at_most(self.party_max, party)
            && at_least(self.nights_min, s.nights.unwrap_or(0))
            && at_least(self.dwell_minutes_min, s.dwell_minutes)
            && at_most(self.dwell_minutes_max, s.dwell_minutes)
            && at_least(self.before_steps_min, s.before_steps)
            && at_most(self.before_steps_max, s.before_steps)
            && at_least(self.lead_hours_min, s.lead_hours)
            && at_most(self.lead_hours_max, s.lead_hours)
            && one_of(&self.anchor_kinds, &s.anchor_kind)
            && one_of(&self.anchor_channels, &s.anchor_channel)
            && any_of(&self.any_kinds, &s.kinds)
            && any_of(&self.any_channels, &s.channels)
    }
}

/// One rule: when its conditions hold, the journey was made for its motivation. The
/// key names the rule to people (the UI words it) and in every verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MotivationRule {
    pub key: String,
    pub motivation: Motivation,
    #[serde(default)]
    pub when: Conditions,
}

/// A provider's rules, tried in order: the first that holds decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MotivationRules {
    pub rules: Vec<MotivationRule>,
}

fn kinds(list: &[&str]) -> Option<Vec<String>> {
    Some(list.iter().map(|k| k.to_string()).collect())
}

fn rule(key: &str, motivation: Motivation, when: Conditions) -> MotivationRule {
    MotivationRule {
        key: key.to_string(),
        motivation,
        when,
    }
}

impl Default for MotivationRules {
    /// Rules for journeys like the demo town centre's: what is named first (an
    /// event, an occasion, a party), then the kind of place and path.
    fn default() -> Self {
        use Motivation::{Experiences, GoalFulfilment, Relationships};
        let none = Conditions::default;
        MotivationRules {
            rules: vec![
                // Someone named the event they came for.
                rule(
                    "event_named",
                    Experiences,
                    Conditions {
                        event: Some(true),
                        ..none()
                    },
                ),
                // A birthday, an anniversary: people meet people.
                rule(
                    "occasion_named",
                    Relationships,
                    Conditions {
                        occasion: Some(true),
                        ..none()
                    },
                ),
                // They came in company.
                rule(
                    "party",
                    Relationships,
                    Conditions {
                        party_min: Some(2),
                        ..none()
                    },
                ),
                // A visit to an event, named or not.
                rule(
                    "event_visit",
                    Experiences,
                    Conditions {
                        anchor_kinds: kinds(&["visit"]),
                        anchor_channels: kinds(&["event"]),
                        ..none()
                    },
                ),
                // A stay they read and compared their way to, or told others about.
                rule(
                    "stay_sought",
                    Experiences,
                    Conditions {
                        anchor_kinds: kinds(&["check_in"]),
                        before_steps_min: Some(2),
                        ..none()
                    },
                ),
                rule(
                    "stay_shared",
                    Experiences,
                    Conditions {
                        anchor_kinds: kinds(&["check_in"]),
                        shared: Some(true),
                        ..none()
                    },
                ),
                // A stay booked and nothing more: work.
                rule(
                    "stay_booked",
                    GoalFulfilment,
                    Conditions {
                        anchor_kinds: kinds(&["check_in"]),
                        ..none()
                    },
                ),
                // An adviser met in person, prepared over days.
                rule(
                    "advice_met",
                    Relationships,
                    Conditions {
                        anchor_kinds: kinds(&["meeting"]),
                        anchor_channels: kinds(&["store"]),
                        ..none()
                    },
                ),
                // A meeting of work at a venue.
                rule(
                    "meeting_attended",
                    GoalFulfilment,
                    Conditions {
                        anchor_kinds: kinds(&["meeting"]),
                        ..none()
                    },
                ),
                // In and out: little before, little time spent.
                rule(
                    "errand",
                    GoalFulfilment,
                    Conditions {
                        before_steps_max: Some(2),
                        dwell_minutes_max: Some(30),
                        ..none()
                    },
                ),
                // Bought, however long it was weighed, with nobody along and nothing shared.
                rule(
                    "purchase_alone",
                    GoalFulfilment,
                    Conditions {
                        anchor_kinds: kinds(&["purchase", "support.contact", "visit"]),
                        shared: Some(false),
                        ..none()
                    },
                ),
            ],
        }
    }
}

/// What the rules concluded about one journey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Verdict {
    /// None when no rule holds.
    pub motivation: Option<Motivation>,
    /// The key of the rule that decided.
    pub rule: Option<String>,
}

/// The motivation of the first rule of `rules` whose conditions `signals` meet.
pub fn classify(signals: &Signals, rules: &MotivationRules) -> Verdict {
    match rules.rules.iter().find(|r| r.when.hold(signals)) {
        Some(r) => Verdict {
            motivation: Some(r.motivation),
            rule: Some(r.key.clone()),
        },
        None => Verdict {
            motivation: None,
            rule: None,
        },
    }
}

/// Rules as a client sends them; `rules` left out keeps the default set.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MotivationRulesInput {
    pub rules: Option<Vec<MotivationRuleInput>>,
}

/// One rule as a client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MotivationRuleInput {
    /// Lower-case letters, digits and `_ . -`; unique among the rules.
    pub key: Option<String>,
    /// `relationships`, `goal_fulfilment` or `experiences`.
    pub motivation: Option<String>,
    pub when: Option<Conditions>,
}

/// At most this many rules: they are read by people.
const MAX_RULES: usize = 100;
/// At most this many names in one list of a condition.
const MAX_NAMES: usize = 50;

impl MotivationRulesInput {
    pub fn parse(&self) -> Result<MotivationRules, Invalid> {
        let Some(inputs) = &self.rules else {
            return Ok(MotivationRules::default());
        };
        let mut c = Checker::new();
        if inputs.len() > MAX_RULES {
            c.fail(
                "rules",
                Reason::Entries {
                    low: 0,
                    high: MAX_RULES,
                },
            );
        }
        let mut keys = BTreeSet::new();
        let mut rules = Vec::with_capacity(inputs.len());
        for (i, input) in inputs.iter().enumerate() {
            let at = format!("rules[{i}]");
            let key = c
                .required(&format!("{at}.key"), input.key.as_deref())
                .and_then(|k| {
                    c.take(TouchpointKind::parse(k).map_err(|e| e.within(&format!("{at}.key"))))
                });
            if let Some(k) = &key
                && !keys.insert(k.as_str().to_string())
            {
                c.fail(
                    format!("{at}.key"),
                    Reason::Repeats {
                        value: k.as_str().to_string(),
                    },
                );
            }
            let motivation = c
                .required(&format!("{at}.motivation"), input.motivation.as_deref())
                .and_then(|m| {
                    c.take(Motivation::parse(m).map_err(|e| e.within(&format!("{at}.motivation"))))
                });
            let when = input.when.clone().unwrap_or_default();
            check_conditions(&mut c, &format!("{at}.when"), &when);
            if let (Some(key), Some(motivation)) = (key, motivation) {
                rules.push(MotivationRule {
                    key: key.as_str().to_string(),
                    motivation,
                    when,
                });
            }
        }
        c.finish()?;
        Ok(MotivationRules { rules })
    }
}

/// Names each bad name in a condition's lists, and each range whose top lies below
/// its bottom.
fn check_conditions(c: &mut Checker, at: &str, w: &Conditions) {
    let lists: [(&str, &Option<Vec<String>>, bool); 4] = [
        ("anchor_kinds", &w.anchor_kinds, true),
        ("anchor_channels", &w.anchor_channels, false),
        ("any_kinds", &w.any_kinds, true),
        ("any_channels", &w.any_channels, false),
    ];
    for (field, list, kind) in lists {
        let Some(list) = list else { continue };
        if list.is_empty() || list.len() > MAX_NAMES {
            c.fail(
                format!("{at}.{field}"),
                Reason::Entries {
                    low: 1,
                    high: MAX_NAMES,
                },
            );
        }
        for (i, name) in list.iter().enumerate() {
            let checked = if kind {
                TouchpointKind::parse(name).map(drop)
            } else {
                ChannelKey::parse(name).map(drop)
            };
            c.take(checked.map_err(|e| e.within(&format!("{at}.{field}[{i}]"))));
        }
    }
    let ranges = [
        ("party_max", w.party_min, w.party_max),
        (
            "dwell_minutes_max",
            w.dwell_minutes_min,
            w.dwell_minutes_max,
        ),
        ("before_steps_max", w.before_steps_min, w.before_steps_max),
        ("lead_hours_max", w.lead_hours_min, w.lead_hours_max),
    ];
    for (field, min, max) in ranges {
        if let (Some(min), Some(max)) = (min, max)
            && max < min
        {
            c.fail(
                format!("{at}.{field}"),
                Reason::AtLeast {
                    min: i64::from(min),
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;
    use crate::ids::{ProfileId, TouchpointId};
    use crate::journey::{Step, journeys};
    use crate::touchpoint::{NewTouchpoint, Subject};
    use std::collections::HashMap;

    /// A journey no default rule covers: a purchase weighed over three steps, shared
    /// afterwards, an hour in the shop.
    fn undecided() -> Signals {
        Signals {
            before_steps: 3,
            lead_hours: 50,
            dwell_minutes: 60,
            shared: true,
            anchor_kind: "purchase".into(),
            anchor_channel: "store".into(),
            kinds: vec!["purchase".into(), "search".into()],
            channels: vec!["store".into(), "web".into()],
            ..Signals::default()
        }
    }

    fn verdict(s: &Signals) -> (Option<Motivation>, Option<String>) {
        let v = classify(s, &MotivationRules::default());
        (v.motivation, v.rule)
    }

    #[test]
    fn each_default_rule_fires_where_it_should_and_nothing_else_stays_unknown() {
        use Motivation::{Experiences as E, GoalFulfilment as G, Relationships as R};
        assert_eq!(verdict(&undecided()), (None, None));
        let stay = |before: u32, shared: bool| Signals {
            anchor_kind: "check_in".into(),
            anchor_channel: "reception".into(),
            nights: Some(2),
            dwell_minutes: 2 * 24 * 60,
            before_steps: before,
            shared,
            ..undecided()
        };
        let cases: Vec<(&str, Signals, Motivation)> = vec![
            (
                "event_named",
                Signals {
                    event: true,
                    ..undecided()
                },
                E,
            ),
            (
                "occasion_named",
                Signals {
                    occasion: true,
                    ..undecided()
                },
                R,
            ),
            (
                "party",
                Signals {
                    party: Some(3),
                    ..undecided()
                },
                R,
            ),
            (
                "event_visit",
                Signals {
                    anchor_kind: "visit".into(),
                    anchor_channel: "event".into(),
                    ..undecided()
                },
                E,
            ),
            ("stay_sought", stay(2, false), E),
            ("stay_shared", stay(1, true), E),
            ("stay_booked", stay(1, false), G),
            (
                "advice_met",
                Signals {
                    anchor_kind: "meeting".into(),
                    ..undecided()
                },
                R,
            ),
            (
                "meeting_attended",
                Signals {
                    anchor_kind: "meeting".into(),
                    anchor_channel: "event".into(),
                    ..undecided()
                },
                G,
            ),
            (
                "errand",
                Signals {
                    before_steps: 1,
                    dwell_minutes: 2,
                    ..undecided()
                },
                G,
            ),
            (
                "purchase_alone",
                Signals {
                    shared: false,
                    ..undecided()
                },
                G,
            ),
        ];
        let defaults = MotivationRules::default();
        assert_eq!(cases.len(), defaults.rules.len(), "a case for every rule");
        for (key, signals, motivation) in cases {
            assert_eq!(
                verdict(&signals),
                (Some(motivation), Some(key.to_string())),
                "{signals:?}"
            );
        }
        // A party of one is no party, and the errand needs a short stay.
        assert_eq!(
            verdict(&Signals {
                party: Some(1),
                ..undecided()
            })
            .0,
            None
        );
        let long = Signals {
            before_steps: 1,
            dwell_minutes: 31,
            ..undecided()
        };
        assert_eq!(verdict(&long).0, None);
    }

    #[test]
    fn the_first_rule_that_holds_decides() {
        let both = Signals {
            event: true,
            party: Some(4),
            ..undecided()
        };
        assert_eq!(verdict(&both).1.as_deref(), Some("event_named"));
        let mut rules = MotivationRules::default();
        rules.rules.reverse();
        // Reversed, the catch-alls come first: the purchase alone is not alone here
        // (shared), so the party speaks before the event.
        let v = classify(&both, &rules);
        assert_eq!(
            (v.motivation, v.rule.as_deref()),
            (Some(Motivation::Relationships), Some("party"))
        );
        // A rule without conditions holds for everything; no rules decide nothing.
        let always = MotivationRules {
            rules: vec![rule(
                "always",
                Motivation::Experiences,
                Conditions::default(),
            )],
        };
        assert_eq!(
            classify(&undecided(), &always).rule.as_deref(),
            Some("always")
        );
        let none = MotivationRules { rules: vec![] };
        assert_eq!(
            classify(&both, &none),
            Verdict {
                motivation: None,
                rule: None
            }
        );
    }

    #[test]
    fn signals_come_from_the_steps_around_the_anchor() {
        let at = |h: i64| -> DateTime<Utc> {
            "2026-06-05T18:00:00Z".parse::<DateTime<Utc>>().unwrap() + chrono::Duration::minutes(h)
        };
        let props = |pairs: &[(&str, Value)]| -> Map<String, Value> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect()
        };
        let (booking, none, review) = (
            props(&[("guests", 4.into())]),
            Map::new(),
            props(&[("stars", 5.into()), ("occasion", "årsdag".into())]),
        );
        let step = |m: i64, phase, kind, channel, initiator, properties| Observed {
            at: at(m),
            phase,
            kind,
            channel,
            initiator,
            properties,
        };
        let (person, provider) = (Initiator::Person, Initiator::Provider);
        let steps = [
            step(
                -3 * 24 * 60 - 30,
                Phase::Before,
                "menu.viewed",
                "web",
                person,
                &none,
            ),
            step(
                -3 * 24 * 60,
                Phase::Before,
                "table_booking",
                "phone",
                person,
                &booking,
            ),
            step(-120, Phase::Before, "reminder", "sms", provider, &none),
            step(0, Phase::During, "visit", "store", person, &none),
            step(95, Phase::During, "purchase", "store", person, &none),
            step(
                24 * 60,
                Phase::After,
                "review.posted",
                "review_site",
                person,
                &review,
            ),
            step(
                2 * 24 * 60,
                Phase::After,
                "newsletter.opened",
                "email",
                provider,
                &none,
            ),
        ];
        let s = Signals::read(&steps, 3);
        assert_eq!(
            s,
            Signals {
                party: Some(4),
                nights: None,
                event: false,
                occasion: true,
                dwell_minutes: 95,
                before_steps: 2,
                lead_hours: 72,
                shared: true,
                anchor_kind: "visit".into(),
                anchor_channel: "store".into(),
                kinds: [
                    "menu.viewed",
                    "newsletter.opened",
                    "purchase",
                    "reminder",
                    "review.posted",
                    "table_booking",
                    "visit"
                ]
                .map(String::from)
                .to_vec(),
                channels: ["email", "phone", "review_site", "sms", "store", "web"]
                    .map(String::from)
                    .to_vec(),
            }
        );
        assert_eq!(
            verdict(&s),
            (
                Some(Motivation::Relationships),
                Some("occasion_named".into())
            )
        );
    }

    #[test]
    fn rules_parse_with_their_defaults_and_name_every_bad_field() {
        assert_eq!(
            MotivationRulesInput::default().parse().unwrap(),
            MotivationRules::default()
        );
        // The stored document reads back as the same rules.
        let json = serde_json::to_value(MotivationRules::default()).unwrap();
        let input: MotivationRulesInput = serde_json::from_value(json).unwrap();
        assert_eq!(input.parse().unwrap(), MotivationRules::default());

        let input: MotivationRulesInput = serde_json::from_value(serde_json::json!({
            "rules": [
                {"key": "fika", "motivation": "relationships", "when": {"party_min": 2, "any_channels": ["store"]}},
                {"key": "fika", "motivation": "friendship"},
                {"motivation": "experiences", "when": {"anchor_kinds": ["Konsert"], "any_channels": []}},
                {"key": "kort", "when": {"dwell_minutes_min": 30, "dwell_minutes_max": 10}}
            ]
        }))
        .unwrap();
        let e = input.parse().unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "rules[1].key",
                "rules[1].motivation",
                "rules[2].key",
                "rules[2].when.anchor_kinds[0]",
                "rules[2].when.any_channels",
                "rules[3].motivation",
                "rules[3].when.dwell_minutes_max",
            ]
        );
        assert!(matches!(e.0[0].reason, Reason::Repeats { .. }));
        assert!(matches!(e.0[2].reason, Reason::Required));
        assert!(matches!(e.0[6].reason, Reason::AtLeast { min: 30 }));
        // An unknown condition is refused by name when the document is read.
        let unknown = serde_json::from_value::<MotivationRulesInput>(serde_json::json!({
            "rules": [{"key": "x", "motivation": "experiences", "when": {"mood": "glad"}}]
        }));
        assert!(unknown.unwrap_err().to_string().contains("mood"));

        let ok: MotivationRulesInput = serde_json::from_value(serde_json::json!({
            "rules": [{"key": "fika", "motivation": "relationships", "when": {"party_min": 2}}]
        }))
        .unwrap();
        let rules = ok.parse().unwrap();
        assert_eq!(
            classify(
                &Signals {
                    party: Some(2),
                    ..undecided()
                },
                &rules
            )
            .rule
            .as_deref(),
            Some("fika")
        );
    }

    /// The default rules' verdict on a journey of the demo world: per planted
    /// motivation, how often each verdict (None: unknown) came out.
    type Confusion = HashMap<Motivation, HashMap<Option<Motivation>, usize>>;

    fn demo_verdicts(seed: u64, people: usize) -> (Confusion, HashMap<String, usize>) {
        let anchor = "2026-11-23T12:00:00Z".parse().unwrap();
        // A table booking is a step towards the visit here.
        let settings = crate::journey::demo_settings();
        let zone = chrono_tz::Europe::Stockholm;
        let rules = MotivationRules::default();
        let mut confusion: Confusion = HashMap::new();
        let mut fired: HashMap<String, usize> = HashMap::new();
        for chunk in demo::people(seed, people, anchor, 1000) {
            for (p, planted) in chunk.journeys.iter().enumerate() {
                let mut of_profile: HashMap<ProfileId, Vec<&NewTouchpoint>> = HashMap::new();
                let mut by_id: HashMap<TouchpointId, &NewTouchpoint> = HashMap::new();
                for t in &chunk.touchpoints[p] {
                    if let Subject::Profile(id) = t.subject {
                        of_profile.entry(id).or_default().push(t);
                    }
                    by_id.insert(t.id, t);
                }
                let mut built: HashMap<ProfileId, Vec<crate::journey::Journey>> = HashMap::new();
                for j in planted {
                    let found = built.entry(j.profile).or_insert_with(|| {
                        let steps: Vec<Step> = of_profile[&j.profile]
                            .iter()
                            .map(|t| Step {
                                id: t.id,
                                at: t.occurred_at,
                                kind: t.kind.as_str().to_string(),
                                declared: t.phase,
                            })
                            .collect();
                        journeys(&steps, &settings, zone)
                    });
                    let verdict = found.iter().find(|x| x.anchor == j.anchor).map(|x| {
                        let observed: Vec<Observed> = x
                            .steps
                            .iter()
                            .map(|s| {
                                let t = by_id[&s.id];
                                Observed {
                                    at: s.at,
                                    phase: s.phase,
                                    kind: t.kind.as_str(),
                                    channel: t.channel.as_str(),
                                    initiator: t.initiator,
                                    properties: &t.properties,
                                }
                            })
                            .collect();
                        let a = x.steps.iter().position(|s| s.id == x.anchor).unwrap();
                        classify(&Signals::read(&observed, a), &rules)
                    });
                    if let Some(rule) = verdict.as_ref().and_then(|v| v.rule.clone()) {
                        *fired.entry(rule).or_default() += 1;
                    }
                    *confusion
                        .entry(j.motivation)
                        .or_default()
                        .entry(verdict.and_then(|v| v.motivation))
                        .or_default() += 1;
                }
            }
        }
        (confusion, fired)
    }

    #[test]
    fn the_default_rules_beat_guessing_the_commonest_motivation_on_the_demo() {
        let (confusion, fired) = demo_verdicts(1, 3000);
        let count = |m: &Motivation| confusion[m].values().sum::<usize>();
        let total: usize = Motivation::ALL.iter().map(count).sum();
        let right: usize = Motivation::ALL
            .iter()
            .map(|m| confusion[m].get(&Some(*m)).copied().unwrap_or(0))
            .sum();
        let unknown: usize = Motivation::ALL
            .iter()
            .map(|m| confusion[m].get(&None).copied().unwrap_or(0))
            .sum();
        let majority = Motivation::ALL.iter().map(count).max().unwrap();
        let (accuracy, baseline) = (right as f64 / total as f64, majority as f64 / total as f64);
        println!(
            "motivation classifier: {accuracy:.2} right, majority baseline {baseline:.2}, unknown {:.0}% of {total} journeys",
            100.0 * unknown as f64 / total as f64
        );
        for m in Motivation::ALL {
            println!("  planted {m}: {:?}", confusion[m]);
        }
        let mut fired: Vec<_> = fired.into_iter().collect();
        fired.sort();
        println!("  rules fired: {fired:?}");
        assert!(accuracy > baseline + 0.2, "{accuracy} against {baseline}");
    }
}
