//! One person's touchpoints as journeys.

use super::clock::Clock;
use super::settings::JourneySettings;
use crate::ids::TouchpointId;
use crate::value::Phase;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use utoipa::ToSchema;

/// A touchpoint as journeys see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub id: TouchpointId,
    pub at: DateTime<Utc>,
    pub kind: String,
    /// The phase the sender declared, if any.
    pub declared: Option<Phase>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct JourneyStep {
    pub id: TouchpointId,
    pub at: DateTime<Utc>,
    pub phase: Phase,
    /// The phase comes from where the touchpoint falls: its sender declared none.
    pub inferred: bool,
}

/// One meeting and what led up to it and followed from it, in time order.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Journey {
    pub anchor: TouchpointId,
    pub anchor_kind: String,
    pub anchor_at: DateTime<Utc>,
    pub steps: Vec<JourneyStep>,
}

/// A meeting: the first of its anchors, and its windows in UTC ms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Meeting {
    /// Index of the first anchor among the person's touchpoints.
    pub anchor: usize,
    pub start: i64,
    /// The meeting's hours end here (not included).
    pub end: i64,
    /// The days before it begin here, and the days after it end here (both included).
    pub from: i64,
    pub until: i64,
}

/// Where one person's touchpoints fall: the meetings, and for each touchpoint its
/// meeting and the phase its time gives it. `at` is in time order; `anchor(i)` says
/// whether touchpoint `i` is of a kind that starts a meeting.
///
/// Anchors less than the meeting's hours apart are one meeting (a visit and the
/// purchase made during it), whose hours run from its first anchor until the hours
/// after its last. A touchpoint in a meeting's hours is during it; one in the days
/// before a meeting leads up to it, one in the days after its hours follows from it;
/// where both hold it goes with the nearer meeting (the earlier at a tie). Window
/// edges belong to the window. A touchpoint outside every window is in no journey.
pub(super) fn place(
    at: &[i64],
    anchor: impl Fn(usize) -> bool,
    settings: &JourneySettings,
    clock: &Clock,
    meetings: &mut Vec<Meeting>,
    placed: &mut Vec<Option<(usize, Phase)>>,
) {
    meetings.clear();
    placed.clear();
    let during = i64::from(settings.during_hours) * 3_600_000;
    for (i, &t) in at.iter().enumerate() {
        if !anchor(i) {
            continue;
        }
        match meetings.last_mut() {
            Some(m) if t < m.end => m.end = t + during,
            _ => meetings.push(Meeting {
                anchor: i,
                start: t,
                end: t + during,
                from: 0,
                until: 0,
            }),
        }
    }
    for m in meetings.iter_mut() {
        m.from = clock.shift(m.start, settings.before_days, false);
        m.until = clock.shift(m.end, settings.after_days, true);
    }
    // `next` is the first meeting that starts after the touchpoint.
    let mut next = 0;
    for &t in at {
        while next < meetings.len() && meetings[next].start <= t {
            next += 1;
        }
        let previous = next.checked_sub(1).map(|p| (p, &meetings[p]));
        placed.push(match previous {
            Some((p, m)) if t < m.end || t == m.start => Some((p, Phase::During)),
            _ => {
                let after = previous
                    .filter(|(_, m)| t <= m.until)
                    .map(|(p, m)| (p, t - m.end));
                let before = meetings
                    .get(next)
                    .filter(|m| t >= m.from)
                    .map(|m| (next, m.start - t));
                match (after, before) {
                    (Some((_, a)), Some((n, b))) if b < a => Some((n, Phase::Before)),
                    (Some((p, _)), _) => Some((p, Phase::After)),
                    (None, Some((n, _))) => Some((n, Phase::Before)),
                    (None, None) => None,
                }
            }
        });
    }
}

/// Splits one person's touchpoints into journeys, in time order (see `place`).
/// A touchpoint keeps the phase its sender declared; where none was, it gets the one
/// its time gives it.
pub fn journeys(steps: &[Step], settings: &JourneySettings, zone: Tz) -> Vec<Journey> {
    let mut order: Vec<&Step> = steps.iter().collect();
    order.sort_by_key(|s| (s.at, s.id));
    let at: Vec<i64> = order.iter().map(|s| s.at.timestamp_millis()).collect();
    let clock = Clock::new(
        zone,
        at.first().copied().unwrap_or(0),
        at.last().copied().unwrap_or(0),
    );
    let (mut meetings, mut placed) = (Vec::new(), Vec::new());
    let is_anchor = |i: usize| settings.anchors.contains(&order[i].kind);
    place(&at, is_anchor, settings, &clock, &mut meetings, &mut placed);
    let mut out: Vec<Journey> = meetings
        .iter()
        .map(|m| {
            let a = order[m.anchor];
            Journey {
                anchor: a.id,
                anchor_kind: a.kind.clone(),
                anchor_at: a.at,
                steps: Vec::new(),
            }
        })
        .collect();
    for (s, place) in order.iter().zip(&placed) {
        if let Some((j, phase)) = *place {
            out[j].steps.push(JourneyStep {
                id: s.id,
                at: s.at,
                phase: s.declared.unwrap_or(phase),
                inferred: s.declared.is_none(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    const STOCKHOLM: Tz = chrono_tz::Europe::Stockholm;

    fn local(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        STOCKHOLM
            .with_ymd_and_hms(y, mo, d, h, mi, s)
            .single()
            .expect("a local time that exists once")
            .with_timezone(&Utc)
    }

    fn step(n: u128, at: DateTime<Utc>, kind: &str) -> Step {
        Step {
            id: TouchpointId(uuid::Uuid::from_u128(n)),
            at,
            kind: kind.into(),
            declared: None,
        }
    }

    /// (step number, journey number, phase) of every placed step.
    fn placed(journeys: &[Journey]) -> Vec<(u128, usize, Phase)> {
        let mut out: Vec<_> = journeys
            .iter()
            .enumerate()
            .flat_map(|(j, journey)| {
                journey
                    .steps
                    .iter()
                    .map(move |s| (s.id.0.as_u128(), j, s.phase))
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn window_edges_belong_to_the_window() {
        let settings = JourneySettings::default();
        let anchor = local(2026, 5, 10, 12, 0, 0);
        let steps = [
            step(1, anchor, "purchase"),
            step(2, local(2026, 4, 26, 12, 0, 0), "search"),
            step(3, local(2026, 4, 26, 11, 59, 59), "search"),
            // The meeting's hours end at 16:00; the after window 14 days later.
            step(4, local(2026, 5, 10, 15, 59, 59), "review"),
            step(5, local(2026, 5, 10, 16, 0, 0), "review"),
            step(6, local(2026, 5, 24, 16, 0, 0), "review"),
            step(7, local(2026, 5, 24, 16, 0, 1), "review"),
        ];
        let j = journeys(&steps, &settings, STOCKHOLM);
        assert_eq!(j.len(), 1);
        assert_eq!(
            placed(&j),
            [
                (1, 0, Phase::During),
                (2, 0, Phase::Before),
                (4, 0, Phase::During),
                (5, 0, Phase::After),
                (6, 0, Phase::After)
            ]
        );
    }

    #[test]
    fn close_anchors_share_a_meeting_or_split_the_days_between_them() {
        let settings = JourneySettings::default();
        let day = |d: u32, h: u32| local(2026, 6, d, h, 0, 0);
        let steps = [
            step(1, day(1, 12), "visit"),
            // 45 minutes into the visit: part of it, not a meeting of its own.
            step(2, day(1, 12) + Duration::minutes(45), "purchase"),
            step(3, day(4, 12), "visit"),
            // The first meeting's hours run until 16:45, four hours after the purchase.
            step(7, day(1, 16) + Duration::minutes(44), "review"),
            step(8, day(1, 16) + Duration::minutes(45), "review"),
            // 25¼ h after the first meeting's hours, 42 h before the second: after.
            step(4, day(2, 18), "newsletter.opened"),
            // 51¼ h after, 16 h before: before the second.
            step(5, day(3, 20), "search"),
            // At an equal distance (33 h 37½ min each way): with the earlier meeting.
            step(6, day(3, 2) + Duration::seconds(22 * 60 + 30), "search"),
            step(9, day(3, 2) + Duration::seconds(22 * 60 + 31), "search"),
        ];
        let j = journeys(&steps, &settings, STOCKHOLM);
        assert_eq!(j.len(), 2);
        assert_eq!(j[0].anchor_kind, "visit");
        assert_eq!(
            placed(&j),
            [
                (1, 0, Phase::During),
                (2, 0, Phase::During),
                (3, 1, Phase::During),
                (4, 0, Phase::After),
                (5, 1, Phase::Before),
                (6, 0, Phase::After),
                (7, 0, Phase::During),
                (8, 0, Phase::After),
                (9, 1, Phase::Before)
            ]
        );
    }

    #[test]
    fn a_person_without_an_anchor_has_no_journey_and_declared_phases_stay() {
        let settings = JourneySettings::default();
        let t = local(2026, 6, 1, 12, 0, 0);
        assert!(journeys(&[step(1, t, "search")], &settings, STOCKHOLM).is_empty());
        let mut told = step(2, t - Duration::hours(1), "call");
        told.declared = Some(Phase::During);
        let j = journeys(&[step(1, t, "purchase"), told], &settings, STOCKHOLM);
        let call = j[0].steps.iter().find(|s| s.id.0.as_u128() == 2).unwrap();
        assert_eq!((call.phase, call.inferred), (Phase::During, false));
        assert!(
            j[0].steps
                .iter()
                .find(|s| s.id.0.as_u128() == 1)
                .unwrap()
                .inferred
        );
    }

    #[test]
    fn a_day_is_a_calendar_day_where_the_provider_is_across_summer_time() {
        // Summer time began on 29 March 2026 at 02:00 in Stockholm: the day before
        // the anchor, noon to noon, is 23 hours long.
        let settings = JourneySettings {
            before_days: 1,
            ..JourneySettings::default()
        };
        let anchor = local(2026, 3, 29, 12, 0, 0);
        let steps = [
            step(1, anchor, "purchase"),
            step(2, anchor - Duration::hours(23), "search"),
            step(3, anchor - Duration::minutes(23 * 60 + 30), "search"),
        ];
        let j = journeys(&steps, &settings, STOCKHOLM);
        assert_eq!(placed(&j), [(1, 0, Phase::During), (2, 0, Phase::Before)]);
        // In UTC the same day is 24 hours, and the half hour falls inside.
        let j = journeys(&steps, &settings, chrono_tz::UTC);
        assert_eq!(placed(&j).len(), 3);
    }
}
