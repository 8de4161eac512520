//! A provider's touchpoints as columns, placed into journeys all at once: the input
//! of every figure over many persons. Columns rather than rows keep ten million
//! touchpoints in a few hundred megabytes and let each figure read only what it needs.

use super::build::{Meeting, place};
use super::clock::Clock;
use super::motivation::{Signals, StepSignals, StepView};
use super::settings::JourneySettings;
use crate::ids::{PersonId, TouchpointId};
use crate::value::Phase;
use chrono::DateTime;
use std::collections::HashMap;
use std::ops::Range;

/// A phase as a column value: 0 none, then before, during, after.
pub type PhaseCode = u8;
pub const NO_PHASE: PhaseCode = 0;

pub fn phase_code(phase: Option<Phase>) -> PhaseCode {
    match phase {
        None => NO_PHASE,
        Some(Phase::Before) => 1,
        Some(Phase::During) => 2,
        Some(Phase::After) => 3,
    }
}

pub fn phase_of(code: PhaseCode) -> Option<Phase> {
    match code {
        1 => Some(Phase::Before),
        2 => Some(Phase::During),
        3 => Some(Phase::After),
        _ => None,
    }
}

/// One touchpoint as the log takes it in.
#[derive(Debug, Clone)]
pub struct LogRow<'a> {
    pub person: PersonId,
    pub id: TouchpointId,
    /// UTC milliseconds.
    pub at: i64,
    pub channel: &'a str,
    pub kind: &'a str,
    pub declared: Option<Phase>,
    /// Started by the provider (a campaign, a reminder), not the person.
    pub by_provider: bool,
    /// What its properties tell the motivation signals.
    pub signals: StepSignals,
}

/// Words stored once and referred to by number.
#[derive(Debug, Clone, Default)]
pub struct Words {
    pub names: Vec<String>,
    index: HashMap<String, u16>,
}

impl Words {
    fn intern(&mut self, word: &str) -> u16 {
        if let Some(&i) = self.index.get(word) {
            return i;
        }
        // A provider with more than 65,535 channels or kinds shares the last number.
        let i = u16::try_from(self.names.len()).unwrap_or(u16::MAX);
        if i < u16::MAX {
            self.names.push(word.to_string());
            self.index.insert(word.to_string(), i);
        }
        i
    }

    pub fn find(&self, word: &str) -> Option<u16> {
        self.index.get(word).copied()
    }

    pub fn name(&self, i: u16) -> &str {
        self.names.get(usize::from(i)).map_or("", String::as_str)
    }
}

/// Touchpoints in (person, time, id) order, as columns.
#[derive(Debug, Clone, Default)]
pub struct Log {
    pub persons: Vec<PersonId>,
    pub channels: Words,
    pub kinds: Words,
    pub person: Vec<u32>,
    pub id: Vec<TouchpointId>,
    pub at: Vec<i64>,
    pub channel: Vec<u16>,
    pub kind: Vec<u16>,
    pub declared: Vec<PhaseCode>,
    pub by_provider: Vec<bool>,
    /// The rows whose properties tell the signals something, in row order: few
    /// touchpoints do, so they are kept apart rather than as a column.
    signals: Vec<(u32, StepSignals)>,
    /// Where each person's rows begin, and one more entry for the end.
    starts: Vec<u32>,
}

/// Collects rows in any order; `finish` sorts them into a `Log`.
#[derive(Debug, Default)]
pub struct LogBuilder {
    log: Log,
    person_index: HashMap<PersonId, u32>,
}

impl LogBuilder {
    pub fn with_capacity(rows: usize) -> LogBuilder {
        let mut b = LogBuilder::default();
        let l = &mut b.log;
        l.person.reserve(rows);
        l.id.reserve(rows);
        l.at.reserve(rows);
        l.channel.reserve(rows);
        l.kind.reserve(rows);
        l.declared.reserve(rows);
        l.by_provider.reserve(rows);
        b
    }

    pub fn push(&mut self, row: LogRow) {
        let l = &mut self.log;
        let next = u32::try_from(l.persons.len()).unwrap_or(u32::MAX);
        let person = *self.person_index.entry(row.person).or_insert_with(|| {
            l.persons.push(row.person);
            next
        });
        l.person.push(person);
        l.id.push(row.id);
        l.at.push(row.at);
        l.channel.push(l.channels.intern(row.channel));
        l.kind.push(l.kinds.intern(row.kind));
        l.declared.push(phase_code(row.declared));
        l.by_provider.push(row.by_provider);
        if !row.signals.is_empty() {
            l.signals
                .push((l.by_provider.len() as u32 - 1, row.signals));
        }
    }

    pub fn finish(self) -> Log {
        let mut l = self.log;
        let mut order: Vec<u32> = (0..u32::try_from(l.at.len()).unwrap_or(u32::MAX)).collect();
        order.sort_unstable_by_key(|&i| {
            let i = i as usize;
            (l.person[i], l.at[i], l.id[i])
        });
        fn gather<T: Copy>(column: &[T], order: &[u32]) -> Vec<T> {
            order.iter().map(|&i| column[i as usize]).collect()
        }
        l.person = gather(&l.person, &order);
        l.id = gather(&l.id, &order);
        l.at = gather(&l.at, &order);
        l.channel = gather(&l.channel, &order);
        l.kind = gather(&l.kind, &order);
        l.declared = gather(&l.declared, &order);
        l.by_provider = gather(&l.by_provider, &order);
        if !l.signals.is_empty() {
            let mut row_of = vec![0u32; order.len()];
            for (new, &old) in order.iter().enumerate() {
                row_of[old as usize] = new as u32;
            }
            for (row, _) in &mut l.signals {
                *row = row_of[*row as usize];
            }
            l.signals.sort_unstable_by_key(|s| s.0);
        }
        l.starts = Vec::with_capacity(l.persons.len() + 1);
        for (i, p) in l.person.iter().enumerate() {
            if i == 0 || l.person[i - 1] != *p {
                l.starts.push(i as u32);
            }
        }
        l.starts.push(l.person.len() as u32);
        l
    }
}

impl Log {
    pub fn len(&self) -> usize {
        self.at.len()
    }

    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    /// Each person's rows, in person order.
    pub fn person_rows(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.starts.windows(2).map(|w| w[0] as usize..w[1] as usize)
    }

    /// What the properties of `rows` tell the signals, for the rows that tell any.
    fn signals_in(&self, rows: Range<usize>) -> &[(u32, StepSignals)] {
        let at = |row: usize| self.signals.partition_point(|s| (s.0 as usize) < row);
        &self.signals[at(rows.start)..at(rows.end)]
    }

    /// The motivation signals of journey `j` of `placed`; `steps` is a buffer to reuse.
    pub fn signals<'a>(
        &'a self,
        placed: &Placement,
        j: usize,
        steps: &mut Vec<StepView<'a>>,
    ) -> Signals {
        let span = &placed.journeys[j];
        let rows = span.rows();
        steps.clear();
        let mut told = self.signals_in(rows.clone()).iter().peekable();
        for r in rows.clone() {
            let signals = match told.next_if(|s| s.0 as usize == r) {
                Some(&(_, s)) => s,
                None => StepSignals::default(),
            };
            steps.push(StepView {
                at: DateTime::from_timestamp_millis(self.at[r]).unwrap_or_default(),
                // Every row of a journey has a phase.
                phase: phase_of(placed.phase[r]).unwrap_or(Phase::During),
                kind: self.kinds.name(self.kind[r]),
                channel: self.channels.name(self.channel[r]),
                by_provider: self.by_provider[r],
                signals,
            });
        }
        Signals::of(steps, span.anchor as usize - rows.start)
    }

    /// The rows of person `person` (indexed like `persons`), in time order.
    pub fn rows_of(&self, person: u32) -> Range<usize> {
        let p = person as usize;
        self.starts[p] as usize..self.starts[p + 1] as usize
    }

    /// The earliest and latest time in the log (UTC ms).
    pub fn span(&self) -> (i64, i64) {
        let low = self.at.iter().copied().min().unwrap_or(0);
        let high = self.at.iter().copied().max().unwrap_or(0);
        (low, high)
    }

    /// Every person's journeys, with the phase each touchpoint is counted under.
    pub fn place(&self, settings: &JourneySettings, clock: &Clock) -> Placement {
        let anchor_kinds: Vec<bool> = self
            .kinds
            .names
            .iter()
            .map(|k| settings.anchors.contains(k))
            .collect();
        let mut out = Placement {
            journeys: Vec::new(),
            phase: self.declared.clone(),
            in_journey: vec![false; self.len()],
        };
        let (mut meetings, mut placed): (Vec<Meeting>, _) = (Vec::new(), Vec::new());
        for rows in self.person_rows() {
            let kinds = &self.kind[rows.clone()];
            place(
                &self.at[rows.clone()],
                |i| anchor_kinds[usize::from(kinds[i])],
                settings,
                clock,
                &mut meetings,
                &mut placed,
            );
            let base = out.journeys.len();
            out.journeys.extend(meetings.iter().map(|m| Span {
                person: self.person[rows.start],
                rows: u32::MAX..u32::MAX,
                anchor: (rows.start + m.anchor) as u32,
            }));
            for (offset, p) in placed.iter().enumerate() {
                let Some((j, phase)) = *p else { continue };
                let row = rows.start + offset;
                let span = &mut out.journeys[base + j].rows;
                span.start = span.start.min(row as u32);
                span.end = row as u32 + 1;
                out.in_journey[row] = true;
                if out.phase[row] == NO_PHASE {
                    out.phase[row] = phase_code(Some(phase));
                }
            }
        }
        out
    }
}

/// A journey among the log's rows: its rows are consecutive, since each touchpoint
/// goes with the nearer of two meetings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub person: u32,
    pub rows: Range<u32>,
    /// The row of its first anchor.
    pub anchor: u32,
}

impl Span {
    pub fn rows(&self) -> Range<usize> {
        self.rows.start as usize..self.rows.end as usize
    }
}

/// The log placed into journeys.
#[derive(Debug, Clone)]
pub struct Placement {
    /// In person order, then time order.
    pub journeys: Vec<Span>,
    /// Per row: the declared phase, or the one its time gives it inside a journey.
    pub phase: Vec<PhaseCode>,
    pub in_journey: Vec<bool>,
}

#[cfg(test)]
mod tests {
    use super::super::build::{Step, journeys};
    use super::*;
    use proptest::prelude::*;

    const STOCKHOLM: chrono_tz::Tz = chrono_tz::Europe::Stockholm;
    const KINDS: [&str; 4] = ["purchase", "visit", "search", "newsletter.opened"];
    const HOUR: i64 = 3_600_000;

    proptest! {
        /// The log places every person's touchpoints as the one-person engine does.
        #[test]
        fn the_log_places_touchpoints_as_one_persons_journeys_do(
            rows in prop::collection::vec((0u8..4, 0i64..(60 * 24), 0usize..4, 0u8..4), 0..80),
            before_days in 0u32..5,
            during_hours in 0u32..6,
        ) {
            let settings = JourneySettings {
                anchors: vec!["purchase".into(), "visit".into()],
                before_days,
                during_hours,
                after_days: 2,
            };
            let base = 1_774_000_000_000_i64; // March 2026, across the change to summer time
            let mut b = LogBuilder::default();
            let mut steps: Vec<Vec<Step>> = vec![Vec::new(); 4];
            for (n, (person, hour, kind, declared)) in rows.iter().enumerate() {
                let id = TouchpointId(uuid::Uuid::from_u128(n as u128));
                let at = base + hour * HOUR;
                let declared = phase_of(*declared);
                b.push(LogRow {
                    person: PersonId(uuid::Uuid::from_u128(u128::from(*person))),
                    id, at, channel: "web", kind: KINDS[*kind], declared, by_provider: false,
                    signals: StepSignals::default(),
                });
                steps[usize::from(*person)].push(Step {
                    id,
                    at: chrono::DateTime::from_timestamp_millis(at).unwrap(),
                    kind: KINDS[*kind].into(),
                    declared,
                });
            }
            let log = b.finish();
            let (low, high) = log.span();
            let placed = log.place(&settings, &Clock::new(STOCKHOLM, low, high));
            let mut expected: Vec<(TouchpointId, TouchpointId, Option<Phase>)> = Vec::new();
            for s in &steps {
                for j in journeys(s, &settings, STOCKHOLM) {
                    expected.extend(j.steps.iter().map(|st| (j.anchor, st.id, Some(st.phase))));
                }
            }
            let mut got: Vec<_> = placed.journeys.iter().flat_map(|j| {
                let log = &log;
                let placed = &placed;
                j.rows().map(move |r| (log.id[j.anchor as usize], log.id[r], phase_of(placed.phase[r])))
            }).collect();
            expected.sort();
            got.sort();
            prop_assert_eq!(got, expected);
            let inside = placed.in_journey.iter().filter(|b| **b).count();
            prop_assert_eq!(inside, placed.journeys.iter().map(|j| j.rows().len()).sum::<usize>());
        }
    }
}
