//! Calendar days where the provider is, fast enough for millions of meetings.
//!
//! A window of "14 days before" is 14 local calendar days, so it keeps its time of
//! day across a change to or from summer time. Asking the zone database for every
//! meeting is slow, so a `Clock` learns the zone's offsets once, as the list of
//! instants where the offset changes, and moves times with two binary searches.

use chrono::{
    DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Utc,
};
use chrono_tz::Tz;

const DAY_MS: i64 = 86_400_000;
/// How far past the data a clock knows its zone: farther than any window reaches.
const MARGIN_DAYS: i64 = 400;

/// A zone's UTC offsets over a span of time.
#[derive(Debug, Clone)]
pub struct Clock {
    zone: Tz,
    /// (from this UTC instant in ms, the offset in ms), in time order; the first entry
    /// holds from the start of the span.
    offsets: Vec<(i64, i64)>,
    span: (i64, i64),
}

fn offset_ms(zone: Tz, at: i64) -> i64 {
    DateTime::from_timestamp_millis(at).map_or(0, |t| {
        i64::from(
            zone.offset_from_utc_datetime(&t.naive_utc())
                .fix()
                .local_minus_utc(),
        ) * 1000
    })
}

impl Clock {
    /// A clock for `zone` that can move times between `first` and `last` (UTC ms) by
    /// up to a year of days each way.
    pub fn new(zone: Tz, first: i64, last: i64) -> Clock {
        let start = first.min(last) - MARGIN_DAYS * DAY_MS;
        let end = first.max(last) + MARGIN_DAYS * DAY_MS;
        let mut offsets = vec![(start, offset_ms(zone, start))];
        // Zones change offset at most a few times a year, never twice in a day.
        let mut t = start;
        while t < end {
            let next = t + DAY_MS;
            let current = offsets.last().map_or(0, |o| o.1);
            if offset_ms(zone, next) != current {
                // The first millisecond of the new offset lies in (t, next].
                let (mut low, mut high) = (t, next);
                while high - low > 1 {
                    let mid = low + (high - low) / 2;
                    if offset_ms(zone, mid) == current {
                        low = mid;
                    } else {
                        high = mid;
                    }
                }
                offsets.push((high, offset_ms(zone, high)));
            }
            t = next;
        }
        Clock {
            zone,
            offsets,
            span: (start, end),
        }
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// The offset at `at`, asking the zone itself outside the learnt span.
    fn offset(&self, at: i64) -> i64 {
        if at < self.span.0 || at > self.span.1 {
            return offset_ms(self.zone, at);
        }
        let i = self.offsets.partition_point(|o| o.0 <= at);
        self.offsets[i.saturating_sub(1)].1
    }

    /// `at` moved by whole local calendar days, later or earlier. Where the same local
    /// time does not exist on the day arrived at, or exists twice, it moves by whole
    /// 24-hour days instead.
    pub fn shift(&self, at: i64, days: u32, later: bool) -> i64 {
        let step = i64::from(days) * DAY_MS;
        let step = if later { step } else { -step };
        if days == 0 {
            return at;
        }
        let local = at + self.offset(at) + step;
        // The instant whose local time is `local`: one of the offsets around it.
        let around = [
            self.offset(local - 2 * DAY_MS),
            self.offset(local + 2 * DAY_MS),
        ];
        let mut found = around
            .iter()
            .map(|o| local - o)
            .filter(|&u| local - self.offset(u) == u);
        match (found.next(), found.next()) {
            (Some(u), None) => u,
            (Some(u), Some(v)) if u == v => u,
            _ => at + step,
        }
    }

    /// UTC milliseconds of the first instant of local `day`. Where a change of
    /// offset skips midnight (some zones change at 00:00), the day starts an hour
    /// later, when the clocks show 01:00.
    pub fn midnight(&self, day: NaiveDate) -> i64 {
        let local = day.and_time(NaiveTime::MIN);
        let at = |l: NaiveDateTime| self.zone.from_local_datetime(&l).earliest();
        at(local)
            .or_else(|| at(local + TimeDelta::hours(1)))
            .map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
            .timestamp_millis()
    }

    /// The local calendar day of `at`.
    pub fn day(&self, at: i64) -> NaiveDate {
        DateTime::from_timestamp_millis(at + self.offset(at))
            .map_or(NaiveDate::MIN, |t| t.date_naive())
    }
}

/// The first day of `at`'s week (Monday), month or quarter, where the provider is.
pub fn start_of(day: NaiveDate, unit: PeriodUnit) -> NaiveDate {
    match unit {
        PeriodUnit::Day => day,
        PeriodUnit::Week => day - Days::new(day.weekday().num_days_from_monday().into()),
        PeriodUnit::Month => day.with_day(1).unwrap_or(day),
        PeriodUnit::Quarter => {
            NaiveDate::from_ymd_opt(day.year(), (day.month0() / 3) * 3 + 1, 1).unwrap_or(day)
        }
    }
}

/// The steps of a trend.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PeriodUnit {
    Day,
    Week,
    Month,
    Quarter,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, Utc};
    use proptest::prelude::*;

    /// The same move as `Clock::shift`, asked of the zone database directly: the
    /// reference the clock is tested against.
    fn shift_by_zone(at: DateTime<Utc>, days: u32, later: bool, zone: Tz) -> DateTime<Utc> {
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

    const ZONES: [Tz; 4] = [
        chrono_tz::Europe::Stockholm,
        chrono_tz::America::New_York,
        // Half an hour of summer time, and a zone south of the equator.
        chrono_tz::Australia::Lord_Howe,
        chrono_tz::UTC,
    ];
    // 2025-01-01 to 2028-01-01 in ms.
    const FROM: i64 = 1_735_689_600_000;
    const TO: i64 = 1_830_297_600_000;

    proptest! {
        #[test]
        fn the_clock_moves_times_as_the_zone_database_does(
            zone in 0..ZONES.len(),
            at in FROM..TO,
            days in 0u32..40,
            later: bool,
        ) {
            let zone = ZONES[zone];
            let clock = Clock::new(zone, FROM, TO);
            let t = DateTime::from_timestamp_millis(at).unwrap();
            let expected = shift_by_zone(t, days, later, zone).timestamp_millis();
            prop_assert_eq!(clock.shift(at, days, later), expected);
            prop_assert_eq!(clock.day(at), t.with_timezone(&zone).date_naive());
        }
    }

    #[test]
    fn times_next_to_a_change_of_offset_move_as_the_zone_database_does() {
        // Around the spring and autumn changes of 2026 in Stockholm, second by second
        // through the hours that are missing or repeated, a day later and earlier.
        let zone = chrono_tz::Europe::Stockholm;
        let clock = Clock::new(zone, FROM, TO);
        for change in [1_774_746_000_000_i64, 1_792_890_000_000] {
            for days_off in [-1, 0, 1] {
                let centre = change + days_off * DAY_MS;
                for s in (-7200..7200).step_by(30) {
                    let at = centre + s * 1000;
                    let t = DateTime::from_timestamp_millis(at).unwrap();
                    for later in [true, false] {
                        assert_eq!(
                            clock.shift(at, 1, later),
                            shift_by_zone(t, 1, later, zone).timestamp_millis(),
                            "{t} moved a day {}",
                            if later { "later" } else { "earlier" }
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn periods_start_on_monday_the_first_and_the_quarter() {
        let d = NaiveDate::from_ymd_opt(2026, 8, 13).unwrap(); // a Thursday
        let on = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert_eq!(start_of(d, PeriodUnit::Week), on(8, 10));
        assert_eq!(start_of(d, PeriodUnit::Month), on(8, 1));
        assert_eq!(start_of(d, PeriodUnit::Quarter), on(7, 1));
        assert_eq!(start_of(d, PeriodUnit::Day), d);
    }

    #[test]
    fn a_day_starts_at_local_midnight_or_when_a_skipped_midnight_is_over() {
        let on = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let stockholm = Clock::new(chrono_tz::Europe::Stockholm, FROM, TO);
        // Summer time (UTC+2) and winter time (UTC+1); the change itself is at 02:00.
        assert_eq!(stockholm.midnight(on(2026, 7, 1)), 1_782_856_800_000); // 2026-06-30T22:00Z
        assert_eq!(stockholm.midnight(on(2026, 3, 29)), 1_774_738_800_000); // 2026-03-28T23:00Z
        // Santiago skips from 00:00 to 01:00 on 2026-09-06: the day starts at 01:00 (UTC-3).
        let santiago = Clock::new(chrono_tz::America::Santiago, FROM, TO);
        assert_eq!(santiago.midnight(on(2026, 9, 6)), 1_788_667_200_000); // 04:00Z
        for day in [on(2026, 3, 29), on(2026, 10, 25), on(2026, 12, 24)] {
            let m = stockholm.midnight(day);
            assert_eq!(stockholm.day(m), day);
            assert_eq!(stockholm.day(m - 1), day.pred_opt().unwrap());
        }
    }
}
