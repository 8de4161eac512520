//! One person's touchpoints as journeys.

use super::settings::JourneySettings;
use crate::ids::TouchpointId;
use crate::value::Phase;
use chrono::{DateTime, Days, Duration, Utc};
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

/// `at` moved by whole calendar days where the provider is, so that a window keeps
/// its local time of day across a change to or from summer time.
fn shift(at: DateTime<Utc>, days: u32, later: bool, zone: Tz) -> DateTime<Utc> {
    let local = at.with_timezone(&zone);
    let moved = if later {
        local.checked_add_days(Days::new(days.into()))
    } else {
        local.checked_sub_days(Days::new(days.into()))
    };
    let hours = Duration::days(days.into());
    moved.map_or(if later { at + hours } else { at - hours }, |t| {
        t.with_timezone(&Utc)
    })
}

/// A meeting: its anchor and the hours it lasts.
struct Meeting<'a> {
    anchor: &'a Step,
    end: DateTime<Utc>,
}

/// Splits one person's touchpoints into journeys, in time order. An anchor starts a
/// meeting unless it falls in the hours of one already started (then it is part of
/// it). A touchpoint in a meeting's hours is during it; one in the days before a
/// meeting leads up to it, one in the days after its hours follows from it; where
/// both hold it goes with the nearer meeting (the earlier at a tie). Window edges
/// belong to the window. Touchpoints outside every window are in no journey.
pub fn journeys(steps: &[Step], settings: &JourneySettings, zone: Tz) -> Vec<Journey> {
    let mut order: Vec<&Step> = steps.iter().collect();
    order.sort_by_key(|s| (s.at, s.id));
    let during = Duration::hours(settings.during_hours.into());
    let mut meetings: Vec<Meeting> = Vec::new();
    for s in &order {
        let anchor = settings.anchors.contains(&s.kind);
        if anchor && meetings.last().is_none_or(|m| s.at >= m.end) {
            meetings.push(Meeting {
                anchor: s,
                end: s.at + during,
            });
        }
    }
    let mut out: Vec<Journey> = meetings
        .iter()
        .map(|m| Journey {
            anchor: m.anchor.id,
            anchor_kind: m.anchor.kind.clone(),
            anchor_at: m.anchor.at,
            steps: Vec::new(),
        })
        .collect();
    for s in &order {
        let previous = meetings
            .partition_point(|m| m.anchor.at <= s.at)
            .checked_sub(1);
        let next = previous.map_or(0, |p| p + 1);
        let placed = match previous {
            Some(p) if s.at < meetings[p].end || s.at == meetings[p].anchor.at => {
                Some((p, Phase::During))
            }
            _ => {
                let after = previous
                    .filter(|&p| s.at <= shift(meetings[p].end, settings.after_days, true, zone))
                    .map(|p| (p, s.at - meetings[p].end));
                let before = meetings
                    .get(next)
                    .filter(|m| s.at >= shift(m.anchor.at, settings.before_days, false, zone))
                    .map(|m| (next, m.anchor.at - s.at));
                match (after, before) {
                    (Some((_, a)), Some((n, b))) if b < a => Some((n, Phase::Before)),
                    (Some((p, _)), _) => Some((p, Phase::After)),
                    (None, Some((n, _))) => Some((n, Phase::Before)),
                    (None, None) => None,
                }
            }
        };
        if let Some((j, phase)) = placed {
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
    use chrono::TimeZone;

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
            // 26 h after the first meeting's hours, 42 h before the second: after.
            step(4, day(2, 18), "newsletter.opened"),
            // 52 h after, 16 h before: before the second.
            step(5, day(3, 20), "search"),
            // At an equal distance (34 h each way): with the earlier meeting.
            step(6, day(3, 2), "search"),
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
                (6, 0, Phase::After)
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
