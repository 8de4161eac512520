//! The figures of journeys: which channels people use in each phase, where they come
//! from and go next, how they move through an ordered funnel, the most common paths,
//! how long they take from the first touch to the meeting and how often they return.
//! Each figure reads the placed log and a selection of its journeys.

use super::clock::{Clock, PeriodUnit, start_of};
use super::log::{Log, Placement, Span};
use crate::value::Phase;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// Which journeys a figure counts.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// The meeting (the journey's first anchor) at or after this UTC ms.
    pub from: Option<i64>,
    /// The meeting before this UTC ms.
    pub to: Option<i64>,
    /// Journeys with at least one touchpoint in this channel.
    pub channel: Option<u16>,
    /// Journeys of these persons (indexed like `Log::persons`).
    pub persons: Option<Vec<bool>>,
    /// These journeys (indexed like `Placement::journeys`): what a segment keeps.
    pub journeys: Option<Vec<bool>>,
}

impl Filter {
    /// The indices of the journeys it keeps, in order.
    pub fn select(&self, log: &Log, placed: &Placement) -> Vec<u32> {
        let keep = |j: &Span| {
            let at = log.at[j.anchor as usize];
            self.from.is_none_or(|f| at >= f)
                && self.to.is_none_or(|t| at < t)
                && self
                    .persons
                    .as_ref()
                    .is_none_or(|p| p.get(j.person as usize).copied().unwrap_or(false))
                && self
                    .channel
                    .is_none_or(|c| log.channel[j.rows()].contains(&c))
        };
        let chosen = |i: usize| {
            self.journeys
                .as_ref()
                .is_none_or(|m| m.get(i).copied().unwrap_or(false))
        };
        (0..placed.journeys.len() as u32)
            .filter(|&i| chosen(i as usize) && keep(&placed.journeys[i as usize]))
            .collect()
    }

    /// Keeps only what `segment` keeps as well: its period within this one, its
    /// persons and journeys.
    pub fn within(&mut self, segment: &Filter) {
        self.from = self.from.max(segment.from);
        self.to = match (self.to, segment.to) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let both = |mine: &mut Option<Vec<bool>>, theirs: &Option<Vec<bool>>| {
            *mine = match (mine.take(), theirs) {
                (Some(a), Some(b)) => Some(a.iter().zip(b).map(|(x, y)| *x && *y).collect()),
                (a, b) => a.or_else(|| b.clone()),
            };
        };
        both(&mut self.persons, &segment.persons);
        both(&mut self.journeys, &segment.journeys);
    }
}

/// Touchpoints of one channel in each phase.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ChannelMix {
    pub channel: String,
    /// The provider controls the channel (its shop, web, app); false for forums,
    /// review and comparison sites, social media.
    pub controlled: bool,
    pub before: u64,
    pub during: u64,
    pub after: u64,
    /// Persons behind the counts before, during and after.
    pub persons: [u64; 3],
}

/// Touchpoints in the provider's own channels and in channels it does not control.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OwnAndUncontrolled {
    pub phase: Phase,
    pub own: u64,
    pub uncontrolled: u64,
}

/// People moving from one channel to the next within a journey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Flow {
    pub from: String,
    pub to: String,
    pub touchpoints: u64,
    pub persons: u64,
}

/// Where journeys came from, where the meeting happened, where they went next: the
/// three columns of the channel-flow diagram. `None` is a journey with no touchpoint
/// before (or after) the meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct MeetingFlow {
    pub came_from: Option<String>,
    pub met_in: String,
    pub went_to: Option<String>,
    pub journeys: u64,
    pub persons: u64,
}

/// A journey's channels in order, repeats in a row counted once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PathCount {
    pub channels: Vec<String>,
    /// The path went on beyond the channels shown.
    pub longer: bool,
    pub journeys: u64,
    pub persons: u64,
}

/// How long before the meeting a journey's first touchpoint came.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct LeadTime {
    /// Journeys with a touchpoint before their meeting.
    pub journeys: u64,
    pub median_hours: Option<f64>,
    /// Counts under an hour, under a day, 1–3 days, 3–7 days, 7–14 days, 14 days or more.
    pub buckets: [u64; 6],
    /// Persons behind each bucket.
    pub persons: [u64; 6],
}

/// Persons by their number of journeys: 1, 2, 3, 4 or more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Repeat {
    pub persons: u64,
    pub by_count: [u64; 4],
}

/// Journeys whose meeting fell in one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct TrendPoint {
    pub start: NaiveDate,
    pub journeys: u64,
    pub persons: u64,
    pub touchpoints: u64,
}

/// The figures of a selection of journeys.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct JourneyFigures {
    pub journeys: u64,
    pub persons: u64,
    pub touchpoints: u64,
    pub mix: Vec<ChannelMix>,
    pub own_and_uncontrolled: Vec<OwnAndUncontrolled>,
    pub flows: Vec<Flow>,
    pub meeting_flows: Vec<MeetingFlow>,
    pub paths: Vec<PathCount>,
    pub lead_time: LeadTime,
    pub repeat: Repeat,
    pub trend: Vec<TrendPoint>,
}

/// The fewest persons a figure shared across a network may stand for.
pub const MIN_PERSONS: u64 = 10;

/// A cell standing for so few persons that sharing it could point at them.
pub(super) fn too_few(persons: u64) -> bool {
    persons < MIN_PERSONS
}

impl JourneyFigures {
    /// Withholds every cell that stands for fewer than `MIN_PERSONS` persons (and the
    /// flows, meeting flows and paths altogether unless `flows` is shared), so that
    /// figures shown across a network never point at a few people; the totals per
    /// phase are counted again from what is left. Says how many cells it withheld.
    pub fn withhold_small(&mut self, flows: bool) -> u64 {
        if too_few(self.persons) {
            let withheld = self.mix.len() as u64 * 3 + self.trend.len() as u64 + 1;
            *self = JourneyFigures::empty();
            return withheld;
        }
        let mut withheld = 0;
        for m in &mut self.mix {
            for (i, count) in [&mut m.before, &mut m.during, &mut m.after]
                .into_iter()
                .enumerate()
            {
                if *count > 0 && too_few(m.persons[i]) {
                    (*count, m.persons[i]) = (0, 0);
                    withheld += 1;
                }
            }
        }
        self.mix.retain(|m| m.before + m.during + m.after > 0);
        for o in &mut self.own_and_uncontrolled {
            let i = o.phase as usize;
            let counted = |own: bool| {
                self.mix
                    .iter()
                    .filter(|m| m.controlled == own)
                    .map(|m| [m.before, m.during, m.after][i])
                    .sum()
            };
            (o.own, o.uncontrolled) = (counted(true), counted(false));
        }
        let mut keep = |persons: u64| {
            let kept = flows && !too_few(persons);
            withheld += u64::from(!kept);
            kept
        };
        self.flows.retain(|f| keep(f.persons));
        self.meeting_flows.retain(|f| keep(f.persons));
        self.paths.retain(|p| keep(p.persons));
        let before = self.trend.len();
        self.trend.retain(|p| !too_few(p.persons));
        withheld += (before - self.trend.len()) as u64;
        for (i, n) in self.lead_time.buckets.iter_mut().enumerate() {
            if *n > 0 && too_few(self.lead_time.persons[i]) {
                (*n, self.lead_time.persons[i]) = (0, 0);
                withheld += 1;
            }
        }
        for n in &mut self.repeat.by_count {
            if *n > 0 && too_few(*n) {
                *n = 0;
                withheld += 1;
            }
        }
        withheld
    }

    fn empty() -> JourneyFigures {
        JourneyFigures {
            journeys: 0,
            persons: 0,
            touchpoints: 0,
            mix: Vec::new(),
            own_and_uncontrolled: Vec::new(),
            flows: Vec::new(),
            meeting_flows: Vec::new(),
            paths: Vec::new(),
            lead_time: LeadTime {
                journeys: 0,
                median_hours: None,
                buckets: [0; 6],
                persons: [0; 6],
            },
            repeat: Repeat {
                persons: 0,
                by_count: [0; 4],
            },
            trend: Vec::new(),
        }
    }
}

/// The most paths listed, and the most channels shown of each.
pub const TOP_PATHS: usize = 10;
pub const PATH_LENGTH: usize = 6;

/// What the figures need besides the log: which channels the provider controls,
/// the steps of the trend and the zone its days are counted in.
pub struct Context<'a> {
    pub controlled: &'a dyn Fn(&str) -> bool,
    pub unit: PeriodUnit,
    pub clock: &'a Clock,
}

pub fn figures(log: &Log, placed: &Placement, selected: &[u32], cx: &Context) -> JourneyFigures {
    let spans = || selected.iter().map(|&i| &placed.journeys[i as usize]);
    let channels = log.channels.names.len();
    let name = |c: u16| log.channels.name(c).to_string();
    let controlled: Vec<bool> = log
        .channels
        .names
        .iter()
        .map(|c| (cx.controlled)(c))
        .collect();

    let mut mix = vec![[Tally::default(); 3]; channels];
    let mut flows = vec![Tally::default(); channels * channels];
    let mut meeting_flows: HashMap<(Option<u16>, u16, Option<u16>), Tally> = HashMap::new();
    let mut paths: HashMap<([u16; PATH_LENGTH], u8, bool), Tally> = HashMap::new();
    let mut lead = Vec::new();
    let mut journeys_of = vec![0u32; log.persons.len()];
    let mut trend: HashMap<NaiveDate, (Tally, u64)> = HashMap::new();
    let mut touchpoints = 0u64;
    for span in spans() {
        let rows = span.rows();
        let person = span.person;
        touchpoints += rows.len() as u64;
        journeys_of[person as usize] += 1;
        let anchor = span.anchor as usize;
        let period = start_of(cx.clock.day(log.at[anchor]), cx.unit);
        let t = trend.entry(period).or_default();
        t.0.add(person);
        t.1 += rows.len() as u64;
        for r in rows.clone() {
            // Every touchpoint in a journey has a phase: codes 1 to 3.
            if let Some(i) = placed.phase[r].checked_sub(1) {
                mix[usize::from(log.channel[r])][usize::from(i)].add(person);
            }
        }
        for w in log.channel[rows.clone()].windows(2) {
            flows[usize::from(w[0]) * channels + usize::from(w[1])].add(person);
        }
        let came_from = (rows.start < anchor).then(|| log.channel[anchor - 1]);
        let after = (anchor..rows.end).find(|&r| placed.phase[r] == 3);
        let went_to = after.map(|r| log.channel[r]);
        meeting_flows
            .entry((came_from, log.channel[anchor], went_to))
            .or_default()
            .add(person);
        let mut path = [0u16; PATH_LENGTH];
        let (mut n, mut longer) = (0usize, false);
        for &c in &log.channel[rows.clone()] {
            if n > 0 && path[n - 1] == c {
                continue;
            }
            if n == PATH_LENGTH {
                longer = true;
                break;
            }
            path[n] = c;
            n += 1;
        }
        paths
            .entry((path, n as u8, longer))
            .or_default()
            .add(person);
        if rows.start < anchor {
            lead.push((log.at[anchor] - log.at[rows.start], person));
        }
    }

    let mix_rows: Vec<ChannelMix> = (0..channels)
        .filter(|&c| mix[c].iter().any(|n| n.count > 0))
        .map(|c| ChannelMix {
            channel: name(c as u16),
            controlled: controlled[c],
            before: mix[c][0].count,
            during: mix[c][1].count,
            after: mix[c][2].count,
            persons: mix[c].map(|t| t.persons),
        })
        .collect();
    let own_and_uncontrolled = [Phase::Before, Phase::During, Phase::After]
        .into_iter()
        .enumerate()
        .map(|(i, phase)| {
            let (mut own, mut uncontrolled) = (0, 0);
            for (c, counts) in mix.iter().enumerate() {
                if controlled[c] {
                    own += counts[i].count;
                } else {
                    uncontrolled += counts[i].count;
                }
            }
            OwnAndUncontrolled {
                phase,
                own,
                uncontrolled,
            }
        })
        .collect();
    let mut flow_rows: Vec<Flow> = flows
        .iter()
        .enumerate()
        .filter(|(_, n)| n.count > 0)
        .map(|(i, n)| Flow {
            from: name((i / channels) as u16),
            to: name((i % channels) as u16),
            touchpoints: n.count,
            persons: n.persons,
        })
        .collect();
    flow_rows.sort_by(|a, b| {
        b.touchpoints
            .cmp(&a.touchpoints)
            .then(a.from.cmp(&b.from))
            .then(a.to.cmp(&b.to))
    });
    let mut meeting_rows: Vec<MeetingFlow> = meeting_flows
        .into_iter()
        .map(|((from, met, to), n)| MeetingFlow {
            came_from: from.map(name),
            met_in: name(met),
            went_to: to.map(name),
            journeys: n.count,
            persons: n.persons,
        })
        .collect();
    meeting_rows.sort_by(|a, b| {
        b.journeys.cmp(&a.journeys).then_with(|| {
            (&a.came_from, &a.met_in, &a.went_to).cmp(&(&b.came_from, &b.met_in, &b.went_to))
        })
    });
    let mut path_rows: Vec<PathCount> = paths
        .into_iter()
        .map(|((path, n, longer), count)| PathCount {
            channels: path[..usize::from(n)].iter().map(|&c| name(c)).collect(),
            longer,
            journeys: count.count,
            persons: count.persons,
        })
        .collect();
    path_rows.sort_by(|a, b| {
        b.journeys
            .cmp(&a.journeys)
            .then_with(|| (&a.channels, a.longer).cmp(&(&b.channels, b.longer)))
    });
    path_rows.truncate(TOP_PATHS);

    let persons = journeys_of.iter().filter(|n| **n > 0).count() as u64;
    let mut by_count = [0u64; 4];
    for &n in journeys_of.iter().filter(|n| **n > 0) {
        by_count[(n as usize).min(4) - 1] += 1;
    }
    let mut trend: Vec<TrendPoint> = trend
        .into_iter()
        .map(|(start, (journeys, touchpoints))| TrendPoint {
            start,
            journeys: journeys.count,
            persons: journeys.persons,
            touchpoints,
        })
        .collect();
    trend.sort_by_key(|p| p.start);
    JourneyFigures {
        journeys: selected.len() as u64,
        persons,
        touchpoints,
        mix: mix_rows,
        own_and_uncontrolled,
        flows: flow_rows,
        meeting_flows: meeting_rows,
        paths: path_rows,
        lead_time: lead_time(&lead),
        repeat: Repeat { persons, by_count },
        trend,
    }
}

/// A count and the persons behind it. Journeys come in person order, so a person is
/// new to a cell when they differ from the last one counted there.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tally {
    pub count: u64,
    pub persons: u64,
    last: u32,
}

impl Default for Tally {
    fn default() -> Self {
        Tally {
            count: 0,
            persons: 0,
            last: u32::MAX,
        }
    }
}

impl Tally {
    pub fn add(&mut self, person: u32) {
        self.count += 1;
        if person != self.last {
            self.persons += 1;
            self.last = person;
        }
    }
}

const HOUR_MS: i64 = 3_600_000;

fn lead_time(lead: &[(i64, u32)]) -> LeadTime {
    let mut buckets = [Tally::default(); 6];
    for &(ms, person) in lead {
        let i = match ms {
            ms if ms < HOUR_MS => 0,
            ms if ms < 24 * HOUR_MS => 1,
            ms if ms < 3 * 24 * HOUR_MS => 2,
            ms if ms < 7 * 24 * HOUR_MS => 3,
            ms if ms < 14 * 24 * HOUR_MS => 4,
            _ => 5,
        };
        buckets[i].add(person);
    }
    let mut times: Vec<i64> = lead.iter().map(|l| l.0).collect();
    LeadTime {
        journeys: lead.len() as u64,
        median_hours: median(&mut times).map(|ms| ms / HOUR_MS as f64),
        buckets: buckets.map(|t| t.count),
        persons: buckets.map(|t| t.persons),
    }
}

/// The middle value, or the mean of the two middle ones (as `quantile_cont(0.5)`).
pub fn median(values: &mut [i64]) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let (_, &mut high, _) = values.select_nth_unstable(n / 2);
    if n % 2 == 1 {
        return Some(high as f64);
    }
    let low = values[..n / 2].iter().copied().max().unwrap_or(high);
    Some((low as f64 + high as f64) / 2.0)
}

/// One step of an ordered funnel.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FunnelStep {
    pub kind: String,
    /// Journeys that reached this step after all the earlier ones, in order.
    pub journeys: u64,
    /// Of the journeys at the step before; the first step's is of all journeys.
    pub conversion: Option<f64>,
    /// Median minutes from the step before.
    pub median_minutes: Option<f64>,
}

/// Journeys through touchpoints of the given kinds, in that order (not necessarily
/// one right after the other): each step is the first of its kind after the step
/// before.
pub fn funnel(log: &Log, placed: &Placement, selected: &[u32], kinds: &[&str]) -> Vec<FunnelStep> {
    let wanted: Vec<Option<u16>> = kinds.iter().map(|k| log.kinds.find(k)).collect();
    let mut reached = vec![0u64; kinds.len()];
    let mut gaps: Vec<Vec<i64>> = vec![Vec::new(); kinds.len()];
    for &j in selected {
        let rows = placed.journeys[j as usize].rows();
        let mut next = rows.start;
        let mut previous: Option<i64> = None;
        for (step, want) in wanted.iter().enumerate() {
            let Some(want) = *want else { break };
            let Some(r) = (next..rows.end).find(|&r| log.kind[r] == want) else {
                break;
            };
            reached[step] += 1;
            if let Some(p) = previous {
                gaps[step].push(log.at[r] - p);
            }
            previous = Some(log.at[r]);
            next = r + 1;
        }
    }
    let total = selected.len() as u64;
    kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            let base = if i == 0 { total } else { reached[i - 1] };
            FunnelStep {
                kind: kind.to_string(),
                journeys: reached[i],
                conversion: (base > 0).then(|| reached[i] as f64 / base as f64),
                median_minutes: median(&mut gaps[i]).map(|ms| ms / 60_000.0),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::log::{LogBuilder, LogRow};
    use super::super::motivation::StepSignals;
    use super::super::settings::JourneySettings;
    use super::*;
    use crate::ids::{PersonId, TouchpointId};

    const STOCKHOLM: chrono_tz::Tz = chrono_tz::Europe::Stockholm;
    const H: i64 = HOUR_MS;
    // Monday 1 June 2026, 10:00 in Stockholm.
    const T: i64 = 1_780_300_800_000;

    /// Two persons: Ada finds the café on a forum, books on the web, visits, buys and
    /// reviews, and comes back the week after; Bo buys with nothing before and gets a
    /// newsletter. A third person only searches and has no journey.
    fn world() -> (Log, Placement, Clock) {
        let rows: [(u128, i64, &str, &str, bool); 11] = [
            (1, T - 50 * H, "forum", "post.read", false),
            (1, T - 26 * H, "web", "table_booking", false),
            (1, T, "store", "visit", false),
            (1, T + H, "store", "purchase", false),
            (1, T + 30 * H, "review_site", "review.posted", false),
            (1, T + 7 * 24 * H - 2 * H, "web", "menu.viewed", false),
            (1, T + 7 * 24 * H, "store", "purchase", false),
            (2, T + 2 * H, "store", "purchase", false),
            (2, T + 50 * H, "email", "newsletter.opened", true),
            (3, T, "web", "search", false),
            (3, T + H, "web", "search", false),
        ];
        let mut b = LogBuilder::default();
        for (n, (person, at, channel, kind, by_provider)) in rows.iter().enumerate() {
            b.push(LogRow {
                person: PersonId(uuid::Uuid::from_u128(*person)),
                id: TouchpointId(uuid::Uuid::from_u128(n as u128 + 100)),
                at: *at,
                channel,
                kind,
                declared: None,
                by_provider: *by_provider,
                signals: StepSignals::default(),
            });
        }
        let log = b.finish();
        let clock = Clock::new(STOCKHOLM, T - 100 * H, T + 300 * H);
        let settings = JourneySettings {
            anchors: vec!["visit".into(), "purchase".into()],
            ..JourneySettings::default()
        };
        let placed = log.place(&settings, &clock);
        (log, placed, clock)
    }

    fn everything(log: &Log, placed: &Placement, clock: &Clock) -> JourneyFigures {
        let all = Filter::default().select(log, placed);
        let controlled = |c: &str| !matches!(c, "forum" | "review_site");
        figures(
            log,
            placed,
            &all,
            &Context {
                controlled: &controlled,
                unit: PeriodUnit::Week,
                clock,
            },
        )
    }

    #[test]
    fn figures_of_a_small_world_are_known() {
        let (log, placed, clock) = world();
        let f = everything(&log, &placed, &clock);
        // Ada's second purchase is 7 days after: a journey of its own, and the review
        // (29 h after her meeting's hours) and the menu (2 h before) split between them.
        assert_eq!((f.journeys, f.persons, f.touchpoints), (3, 2, 9));
        assert_eq!(f.repeat.by_count, [1, 1, 0, 0]);
        let mix = |c: &str| {
            f.mix
                .iter()
                .find(|m| m.channel == c)
                .map(|m| (m.before, m.during, m.after))
        };
        assert_eq!(mix("store"), Some((0, 4, 0)));
        // Four touchpoints in the store during, by two persons; web before, 2 by Ada.
        let persons = |c: &str| f.mix.iter().find(|m| m.channel == c).map(|m| m.persons);
        assert_eq!(persons("store"), Some([0, 2, 0]));
        assert_eq!(persons("web"), Some([1, 0, 0]));
        assert_eq!(mix("web"), Some((2, 0, 0)));
        assert_eq!(mix("forum"), Some((1, 0, 0)));
        assert_eq!(mix("review_site"), Some((0, 0, 1)));
        assert_eq!(mix("email"), Some((0, 0, 1)));
        assert_eq!(
            f.own_and_uncontrolled
                .iter()
                .map(|o| (o.own, o.uncontrolled))
                .collect::<Vec<_>>(),
            [(2, 1), (4, 0), (1, 1)]
        );
        let flow = |a: &str, b: &str| {
            f.flows
                .iter()
                .find(|x| x.from == a && x.to == b)
                .map(|x| x.touchpoints)
        };
        assert_eq!(flow("forum", "web"), Some(1));
        assert_eq!(flow("store", "store"), Some(1));
        assert_eq!(flow("web", "store"), Some(2));
        assert_eq!(flow("store", "review_site"), Some(1));
        assert_eq!(f.meeting_flows.len(), 3);
        assert!(f.meeting_flows.contains(&MeetingFlow {
            came_from: Some("web".into()),
            met_in: "store".into(),
            went_to: Some("review_site".into()),
            journeys: 1,
            persons: 1
        }));
        assert!(f.meeting_flows.contains(&MeetingFlow {
            came_from: None,
            met_in: "store".into(),
            went_to: Some("email".into()),
            journeys: 1,
            persons: 1
        }));
        assert_eq!(
            f.paths[0].channels,
            ["forum", "web", "store", "review_site"]
        );
        // Ada's first journey began 50 h before, her second 2 h before; Bo's had nothing before.
        assert_eq!(f.lead_time.journeys, 2);
        assert_eq!(f.lead_time.median_hours, Some(26.0));
        assert_eq!(f.lead_time.buckets, [0, 1, 1, 0, 0, 0]);
        assert_eq!(
            f.trend
                .iter()
                .map(|p| (p.start.to_string(), p.journeys))
                .collect::<Vec<_>>(),
            [("2026-06-01".to_string(), 2), ("2026-06-08".to_string(), 1)]
        );
        assert_eq!(f.trend[0].persons, 2);
        let web_to_store = f
            .flows
            .iter()
            .find(|x| x.from == "web" && x.to == "store")
            .unwrap();
        assert_eq!((web_to_store.touchpoints, web_to_store.persons), (2, 1));
    }

    #[test]
    fn filters_keep_the_period_the_channel_and_the_persons() {
        let (log, placed, _) = world();
        let week = 7 * 24 * H;
        let count = |f: Filter| f.select(&log, &placed).len();
        assert_eq!(
            count(Filter {
                from: Some(T + week),
                ..Filter::default()
            }),
            1
        );
        assert_eq!(
            count(Filter {
                to: Some(T + week),
                ..Filter::default()
            }),
            2
        );
        // The edge belongs to the period that starts there.
        assert_eq!(
            count(Filter {
                from: Some(T),
                to: Some(T + week),
                ..Filter::default()
            }),
            2
        );
        let forum = log.channels.find("forum");
        assert_eq!(
            count(Filter {
                channel: forum,
                ..Filter::default()
            }),
            1
        );
        assert_eq!(
            count(Filter {
                persons: Some(vec![false, true, false]),
                ..Filter::default()
            }),
            1
        );
    }

    #[test]
    fn an_ordered_funnel_counts_steps_in_order_with_the_time_between() {
        let (log, placed, _) = world();
        let all = Filter::default().select(&log, &placed);
        let steps = funnel(&log, &placed, &all, &["table_booking", "visit", "purchase"]);
        let counts: Vec<u64> = steps.iter().map(|s| s.journeys).collect();
        assert_eq!(counts, [1, 1, 1]);
        assert_eq!(steps[0].conversion, Some(1.0 / 3.0));
        assert_eq!(steps[1].median_minutes, Some(26.0 * 60.0));
        assert_eq!(steps[2].median_minutes, Some(60.0));
        // Out of order nothing follows; an unknown kind stops the funnel there.
        let backwards = funnel(&log, &placed, &all, &["purchase", "visit"]);
        assert_eq!(backwards[1].journeys, 0);
        let unknown = funnel(&log, &placed, &all, &["purchase", "teleport"]);
        assert_eq!((unknown[0].journeys, unknown[1].journeys), (3, 0));
        assert_eq!(unknown[1].conversion, Some(0.0));
    }

    /// `n` persons who read the web and then buy in the store, the first `forum` of
    /// them after a forum post.
    fn crowd(n: u128, forum: u128) -> (Log, Placement, Clock) {
        let mut b = LogBuilder::default();
        let mut push = |person: u128, at: i64, channel: &'static str, kind: &'static str| {
            b.push(LogRow {
                person: PersonId(uuid::Uuid::from_u128(person)),
                id: TouchpointId(uuid::Uuid::from_u128(
                    person * 10 + (at - T + 10 * H) as u128 / H as u128,
                )),
                at,
                channel,
                kind,
                declared: None,
                by_provider: false,
                signals: StepSignals::default(),
            });
        };
        for p in 1..=n {
            if p <= forum {
                push(p, T - 5 * H, "forum", "post.read");
            }
            push(p, T - 2 * H, "web", "menu.viewed");
            push(p, T, "store", "purchase");
        }
        let log = b.finish();
        let clock = Clock::new(STOCKHOLM, T - 100 * H, T + 100 * H);
        let placed = log.place(&JourneySettings::default(), &clock);
        (log, placed, clock)
    }

    #[test]
    fn figures_shared_across_a_network_withhold_cells_of_fewer_than_ten_persons() {
        let (log, placed, clock) = crowd(12, 3);
        let mut f = everything(&log, &placed, &clock);
        let withheld = f.withhold_small(true);
        let channels: Vec<&str> = f.mix.iter().map(|m| m.channel.as_str()).collect();
        assert!(
            !channels.contains(&"forum") && channels.contains(&"web"),
            "{channels:?}"
        );
        assert_eq!(f.flows.len(), 1, "web → store stays, forum → web goes");
        assert_eq!((f.flows[0].from.as_str(), f.flows[0].persons), ("web", 12));
        // The totals per phase no longer hold the forum's three.
        assert_eq!(f.own_and_uncontrolled[0].uncontrolled, 0);
        assert_eq!(f.own_and_uncontrolled[0].own, 12);
        // Forum before, forum → web, and both paths (three and nine persons).
        assert_eq!(withheld, 4);

        let mut f = everything(&log, &placed, &clock);
        f.withhold_small(false);
        assert!(f.flows.is_empty() && f.meeting_flows.is_empty() && f.paths.is_empty());
        assert_eq!(f.journeys, 12);

        let (log, placed, clock) = crowd(9, 0);
        let mut f = everything(&log, &placed, &clock);
        f.withhold_small(true);
        assert_eq!((f.journeys, f.touchpoints, f.mix.len()), (0, 0, 0));
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5, 1, 3]), Some(3.0));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2.5));
    }

    #[test]
    fn the_trend_counts_each_meeting_on_its_local_day_across_the_change_to_summer_time() {
        // Stockholm goes to summer time at 02:00 on Sunday 29 March 2026. Visits at
        // 23:30 local on the Sunday (21:30 UTC) and at 00:30 local on the Monday
        // (22:30 UTC, still 29 March in UTC) fall in different weeks; a visit at 00:30
        // local on Sunday (23:30 UTC on Saturday) is Sunday's.
        const SAT_2330_UTC: i64 = 1_774_740_600_000; // 2026-03-28T23:30:00Z
        const SUN_2130_UTC: i64 = 1_774_819_800_000; // 2026-03-29T21:30:00Z
        const SUN_2230_UTC: i64 = 1_774_823_400_000; // 2026-03-29T22:30:00Z
        let mut b = LogBuilder::default();
        for (n, at) in [SAT_2330_UTC, SUN_2130_UTC, SUN_2230_UTC]
            .into_iter()
            .enumerate()
        {
            b.push(LogRow {
                person: PersonId(uuid::Uuid::from_u128(n as u128 + 1)),
                id: TouchpointId(uuid::Uuid::from_u128(n as u128 + 10)),
                at,
                channel: "store",
                kind: "visit",
                declared: None,
                by_provider: false,
                signals: Default::default(),
            });
        }
        let log = b.finish();
        let clock = Clock::new(STOCKHOLM, SAT_2330_UTC - 100 * H, SUN_2230_UTC + 100 * H);
        let placed = log.place(&JourneySettings::default(), &clock);
        let all = Filter::default().select(&log, &placed);
        let trend = |unit| {
            let f = figures(
                &log,
                &placed,
                &all,
                &Context {
                    controlled: &|_| true,
                    unit,
                    clock: &clock,
                },
            );
            f.trend
                .iter()
                .map(|p| (p.start.to_string(), p.journeys))
                .collect::<Vec<_>>()
        };
        let day = |d: &str| d.to_string();
        assert_eq!(
            trend(PeriodUnit::Day),
            [(day("2026-03-29"), 2), (day("2026-03-30"), 1)]
        );
        assert_eq!(
            trend(PeriodUnit::Week),
            [(day("2026-03-23"), 2), (day("2026-03-30"), 1)]
        );
        assert_eq!(trend(PeriodUnit::Month), [(day("2026-03-01"), 3)]);
        // A period of local days: 29 March is Saturday 23:00 UTC to Sunday 22:00 UTC.
        let sunday = Filter {
            from: Some(clock.midnight(NaiveDate::from_ymd_opt(2026, 3, 29).unwrap())),
            to: Some(clock.midnight(NaiveDate::from_ymd_opt(2026, 3, 30).unwrap())),
            ..Filter::default()
        };
        assert_eq!(sunday.select(&log, &placed).len(), 2);
    }
}
