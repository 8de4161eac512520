//! Each provider's touchpoints placed into journeys, kept in memory so that the
//! journey figures answer without reading the store: loaded on the first request,
//! loaded again in the background once a few seconds old (the old one answers
//! meanwhile), forgotten when the journey settings change. Figures of a filter are
//! kept with the placement they were computed from, a few dozen at most.

use crate::error::ApiError;
use crate::state::AppState;
use crate::{asked, segments, settings};
use chrono::{DateTime, NaiveDate, Utc};
use motesplats_core::invalid::Checker;
use motesplats_core::journey::motivation::MotivationRules;
use motesplats_core::journey::{
    ANSWERS, AskedComparison, Attribution, BehaviourLandscape, Clock, Comparison, Context, Filter,
    JourneyFigures, JourneySettings, JourneyValue, Log, PeriodUnit, Placement, Tally, attribution,
    compare, compare_asked, figures, journey_values, tallies, value_landscape,
};
use motesplats_core::reason::List;
use motesplats_core::segment::{Segment, SegmentId};
use motesplats_core::{Invalid, Motivation, PersonId, ProviderId, Reason, TouchpointKind};
use motesplats_store::Store;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use utoipa::IntoParams;

/// How old a placement may be before a request has it loaded again.
const FRESH: Duration = Duration::from_secs(30);
/// Filters whose figures are kept per placement.
const KEPT_FIGURES: usize = 64;

/// A segment as it was at one change.
type SegmentVersion = (SegmentId, DateTime<Utc>);

/// One provider's log placed into journeys, with what the figures need besides.
pub struct Placed {
    pub log: Log,
    pub placed: Placement,
    pub clock: Clock,
    pub settings: JourneySettings,
    pub rules: MotivationRules,
    /// Every journey's motivation, pressure and outcomes, worked out when first asked.
    values: OnceLock<Vec<JourneyValue>>,
    /// Every person's meetings, purchases and usual motivation, for giving value back.
    tallies: OnceLock<Vec<Tally>>,
    /// Every channel the provider has, and whether it controls it.
    channels: HashMap<String, bool>,
    loaded: Instant,
    /// How long loading and working it out took: a big placement is loaded again
    /// less often, so that reloading never takes most of the machine.
    took: OnceLock<Duration>,
    /// What requests asked for, by the filter as they wrote it.
    figures: Kept<String, JourneyFigures>,
    /// An attribution, or why the engine could not make it.
    attributions: Kept<String, Result<Attribution, String>>,
    landscapes: Kept<String, BehaviourLandscape>,
    /// Each segment asked about as a filter, by its id and version.
    segments: Kept<SegmentVersion, Filter>,
    /// The classifier beside people's answers, worked out with the placement.
    asked: OnceLock<AskedComparison>,
    /// How many touchpoints lie outside every journey, counted once.
    outside: OnceLock<u64>,
}

/// Results kept by key, a few dozen at most (the oldest go all at once). Requests
/// for a key being worked out wait for that work rather than repeat it.
struct Kept<K, T>(Mutex<HashMap<K, Arc<OnceLock<Arc<T>>>>>);

impl<K: std::hash::Hash + Eq, T> Kept<K, T> {
    fn new() -> Self {
        Kept(Mutex::new(HashMap::new()))
    }

    fn get(&self, key: &K) -> Option<Arc<T>> {
        self.0.lock().ok()?.get(key)?.get().cloned()
    }

    /// The kept result of `key`, or `make`'s, kept.
    fn get_or(&self, key: K, make: impl FnOnce() -> T) -> Arc<T> {
        let cell = match self.0.lock() {
            Ok(mut kept) => {
                if kept.len() >= KEPT_FIGURES && !kept.contains_key(&key) {
                    kept.clear();
                }
                kept.entry(key).or_default().clone()
            }
            Err(_) => Arc::new(OnceLock::new()),
        };
        cell.get_or_init(|| Arc::new(make())).clone()
    }
}

impl Placed {
    pub fn controlled(&self, channel: &str) -> bool {
        self.channels.get(channel).copied().unwrap_or(true)
    }

    /// Whether `channel` is one of the provider's channels (the log may not have seen it).
    pub fn has_channel(&self, channel: &str) -> bool {
        self.channels.contains_key(channel)
    }

    /// The filter a request's parameters name, each bad one named.
    pub fn filter(&self, q: &FilterQuery) -> Result<Filter, ApiError> {
        let mut c = Checker::new();
        let mut day = |field: &str, value: &Option<String>| {
            let text = value.as_deref().filter(|v| !v.is_empty())?;
            match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    c.fail(
                        field,
                        Reason::Date {
                            value: text.to_string(),
                        },
                    );
                    None
                }
            }
        };
        let (from, to) = (day("from", &q.from), day("to", &q.to));
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            c.fail(
                "to",
                Reason::NotBefore {
                    other: "from".into(),
                },
            );
        }
        let channel = q.channel.as_deref().filter(|v| !v.is_empty());
        if let Some(key) = channel
            && !self.channels.contains_key(key)
        {
            c.fail(
                "channel",
                Reason::UnknownChannel {
                    value: key.to_string(),
                },
            );
        }
        c.finish().map_err(ApiError::BadParameters)?;
        let midnight = |d: NaiveDate| self.clock.midnight(d);
        Ok(Filter {
            from: from.map(midnight),
            // The last day is included: the period ends at the next midnight.
            to: to.and_then(|d| d.succ_opt()).map(midnight),
            // A channel the log never saw keeps no journey.
            channel: channel.map(|k| self.log.channels.find(k).unwrap_or(u16::MAX)),
            persons: None,
            journeys: None,
        })
    }

    /// Touchpoints outside every journey.
    pub fn outside(&self) -> u64 {
        *self
            .outside
            .get_or_init(|| self.placed.in_journey.iter().filter(|i| !**i).count() as u64)
    }

    /// Every journey's motivation, pressure and outcomes, by journey index.
    pub fn values(&self) -> &[JourneyValue] {
        self.values.get_or_init(|| {
            let all: Vec<u32> = (0..self.placed.journeys.len() as u32).collect();
            journey_values(&self.log, &self.placed, &all, &self.rules, &ANSWERS)
        })
    }

    /// The person beside the people there whose journeys mostly share their
    /// motivation, when there are at least ten of them.
    pub fn compare(&self, person: PersonId) -> Option<Comparison> {
        let index = self.log.persons.iter().position(|p| *p == person)?;
        let tallies = self
            .tallies
            .get_or_init(|| tallies(self.log.persons.len(), &self.placed, self.values()));
        compare(tallies, index)
    }

    /// The motivation the rules gave journey `journey` (an index into its journeys).
    pub fn motivation(&self, journey: usize) -> Option<Motivation> {
        self.values()[journey].verdict.motivation
    }

    /// The value landscape of the journeys `filter` keeps, worked out once per `key`.
    pub fn landscape(&self, key: &str, filter: &Filter) -> Arc<BehaviourLandscape> {
        self.landscapes.get_or(key.to_string(), || {
            let values = self.values();
            let selected = filter.select(&self.log, &self.placed);
            value_landscape(
                &self.placed,
                selected.iter().map(|&j| &values[j as usize]),
                &self.rules,
            )
        })
    }

    /// Channels credited with the outcome `outcome` in the journeys `filter` keeps,
    /// worked out once per `key`.
    pub fn attribution(
        &self,
        key: &str,
        filter: &Filter,
        outcome: &str,
    ) -> Result<Arc<Attribution>, ApiError> {
        let made = self.attributions.get_or(format!("{key}|{outcome}"), || {
            let selected = filter.select(&self.log, &self.placed);
            attribution(&self.log, &self.placed, &selected, outcome).map_err(|e| e.to_string())
        });
        match made.as_ref() {
            Ok(a) => Ok(Arc::new(a.clone())),
            Err(e) => Err(ApiError::Internal(e.clone())),
        }
    }

    /// The classifier beside people's answers to the motivation question, as of the
    /// placement's loading (empty for a placement made for one request).
    pub fn asked(&self) -> AskedComparison {
        self.asked.get().cloned().unwrap_or_default()
    }

    /// Makes and keeps the filter of `segment` whose rules over persons hold `members`.
    pub fn segment_filter(
        &self,
        segment: &Segment,
        members: Option<&HashSet<PersonId>>,
    ) -> Arc<Filter> {
        self.segments.get_or((segment.id, segment.updated_at), || {
            segment
                .rules
                .filter(&self.log, &self.placed, &self.clock, members, &|j| {
                    self.motivation(j)
                })
        })
    }

    /// The figures of the journeys `filter` keeps, counted once per `key` (the
    /// filter as the request wrote it).
    pub fn figures(&self, key: &str, filter: &Filter, unit: PeriodUnit) -> Arc<JourneyFigures> {
        self.figures.get_or(format!("{key}|{unit:?}"), || {
            let selected = filter.select(&self.log, &self.placed);
            let controlled = |c: &str| self.controlled(c);
            figures(
                &self.log,
                &self.placed,
                &selected,
                &Context {
                    controlled: &controlled,
                    unit,
                    clock: &self.clock,
                },
            )
        })
    }
}

/// The filters every journey figure takes, as a request writes them.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilterQuery {
    /// The first day of the period (YYYY-MM-DD, where the provider is): journeys whose
    /// meeting falls on it or later.
    pub from: Option<String>,
    /// The last day of the period, included.
    pub to: Option<String>,
    /// Only journeys with a touchpoint in this channel (its key).
    pub channel: Option<String>,
}

impl FilterQuery {
    /// The filter as a key of the figures kept.
    pub fn key(&self) -> String {
        format!("{:?}|{:?}|{:?}", self.from, self.to, self.channel)
    }
}

/// A saved segment that narrows a provider's own journey figures.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SegmentQuery {
    /// Only the journeys of this segment (its id): its persons, period, channels,
    /// phases and motivations, within the other filters.
    pub segment: Option<String>,
}

impl SegmentQuery {
    /// The provider's segment the query names, if any; a 400 naming `segment` when
    /// the id is bad or unknown.
    pub async fn named(
        &self,
        state: &AppState,
        me: ProviderId,
    ) -> Result<Option<Segment>, ApiError> {
        segments::named(state.store.as_ref(), me, self.segment.as_deref()).await
    }
}

/// The steps of a trend, by the word a request gives them.
pub const UNITS: [(&str, PeriodUnit); 4] = [
    ("day", PeriodUnit::Day),
    ("week", PeriodUnit::Week),
    ("month", PeriodUnit::Month),
    ("quarter", PeriodUnit::Quarter),
];

/// The trend's unit a request names (`unit`); weeks when it names none.
pub fn trend_unit(unit: Option<&str>) -> Result<PeriodUnit, Invalid> {
    let Some(u) = unit.filter(|u| !u.is_empty()) else {
        return Ok(PeriodUnit::Week);
    };
    UNITS
        .iter()
        .find(|(w, _)| *w == u)
        .map(|(_, p)| *p)
        .ok_or_else(|| {
            Invalid::one(
                "unit",
                Reason::OneOf {
                    value: u.to_string(),
                    allowed: List::of(UNITS.iter().map(|(w, _)| *w)),
                },
            )
        })
}

/// A funnel's step kinds, checked (`steps`): 2 to 8 kinds, each a valid key.
pub fn funnel_steps(steps: Vec<String>) -> Result<Vec<String>, Invalid> {
    let mut c = Checker::new();
    if !(2..=8).contains(&steps.len()) {
        c.fail("steps", Reason::Entries { low: 2, high: 8 });
    }
    for s in &steps {
        c.take(TouchpointKind::parse(s).map_err(|e| e.within("steps")));
    }
    c.finish().map(|()| steps)
}

/// The outcome kind of an attribution (`outcome`), purchases when none is named.
pub fn outcome_kind(outcome: Option<String>) -> Result<String, Invalid> {
    let outcome = outcome
        .filter(|o| !o.is_empty())
        .unwrap_or_else(|| "purchase".into());
    TouchpointKind::parse(&outcome).map_err(|e| e.within("outcome"))?;
    Ok(outcome)
}

/// Runs `work` on the provider's placement, off the async threads (a filter nobody
/// asked for yet reads every journey), with the request's filter (or what was wrong
/// with it) narrowed to the segment it names, and a key naming both (for results kept
/// per filter).
pub async fn on_selection<T: Send + 'static>(
    state: &AppState,
    me: ProviderId,
    q: FilterQuery,
    segment: Option<Segment>,
    work: impl FnOnce(&Placed, Result<Filter, ApiError>, String) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let placed = state.figures.placed(state, me).await?;
    let narrowed = match &segment {
        None => None,
        Some(s) => Some(match placed.segments.get(&(s.id, s.updated_at)) {
            Some(f) => f,
            None => {
                let members = segments::members(state.store.as_ref(), me, &s.rules).await?;
                let (p, s) = (placed.clone(), s.clone());
                tokio::task::spawn_blocking(move || p.segment_filter(&s, members.as_ref()))
                    .await
                    .map_err(|e| ApiError::Internal(e.to_string()))?
            }
        }),
    };
    let key = match &segment {
        Some(s) => format!("{}|{}|{}", q.key(), s.id, s.updated_at.timestamp_micros()),
        None => q.key(),
    };
    tokio::task::spawn_blocking(move || {
        let filter = placed.filter(&q).map(|mut f| {
            if let Some(n) = narrowed {
                f.within(&n);
            }
            f
        });
        work(&placed, filter, key)
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?
}

#[derive(Default)]
struct Slot {
    current: Option<Arc<Placed>>,
    loading: bool,
}

/// The placements of every provider asked about.
#[derive(Default)]
pub struct FigureCache {
    slots: Mutex<HashMap<ProviderId, Slot>>,
    /// Held while a provider's first placement loads, so that it loads once.
    first: tokio::sync::Mutex<()>,
}

impl FigureCache {
    /// The provider's placement: the kept one (its reload started in the background
    /// when it is old), or one loaded now when there is none.
    pub async fn placed(
        &self,
        state: &AppState,
        provider: ProviderId,
    ) -> Result<Arc<Placed>, ApiError> {
        if let Some(p) = self.kept(state, provider) {
            return Ok(p);
        }
        let _first = self.first.lock().await;
        if let Some(p) = self.kept(state, provider) {
            return Ok(p);
        }
        let placed = Arc::new(load_warm(state.store.as_ref(), provider).await?);
        if let Ok(mut slots) = self.slots.lock() {
            slots.entry(provider).or_default().current = Some(placed.clone());
        }
        Ok(placed)
    }

    fn kept(&self, state: &AppState, provider: ProviderId) -> Option<Arc<Placed>> {
        let mut slots = self.slots.lock().ok()?;
        let slot = slots.get_mut(&provider)?;
        let current = slot.current.clone()?;
        let fresh = FRESH.max(current.took.get().map_or(FRESH, |t| *t * 10));
        if current.loaded.elapsed() >= fresh && !slot.loading {
            slot.loading = true;
            let state = state.clone();
            tokio::spawn(async move {
                let loaded = load_warm(state.store.as_ref(), provider).await;
                let cache = &state.figures;
                if let Ok(mut slots) = cache.slots.lock() {
                    let slot = slots.entry(provider).or_default();
                    slot.loading = false;
                    match loaded {
                        Ok(p) => slot.current = Some(Arc::new(p)),
                        Err(e) => tracing::warn!("journey figures of {provider}: {e:?}"),
                    }
                }
            });
        }
        Some(current)
    }

    /// Drops the provider's placement: its settings changed.
    pub fn forget(&self, provider: ProviderId) {
        if let Ok(mut slots) = self.slots.lock() {
            slots.remove(&provider);
        }
    }
}

/// What placing a log needs of the provider who reads it: its journey settings, its
/// time zone and its channels (and whether it controls each).
pub struct Viewpoint {
    settings: JourneySettings,
    rules: MotivationRules,
    zone: chrono_tz::Tz,
    channels: HashMap<String, bool>,
}

pub async fn viewpoint(store: &dyn Store, provider: ProviderId) -> Result<Viewpoint, ApiError> {
    Ok(Viewpoint {
        settings: settings::read_in(store, provider).await?,
        rules: settings::read_in(store, provider).await?,
        zone: store
            .provider(provider)
            .await?
            .and_then(|p| p.time_zone.parse().ok())
            .unwrap_or(chrono_tz::Europe::Stockholm),
        channels: store
            .channels(provider)
            .await?
            .into_iter()
            .map(|c| (c.key.as_str().to_string(), c.controlled))
            .collect(),
    })
}

/// The provider's touchpoints placed into journeys by its settings, now.
pub async fn load(store: &dyn Store, provider: ProviderId) -> Result<Placed, ApiError> {
    let seen = viewpoint(store, provider).await?;
    place(store.journey_log(provider).await?, seen).await
}

/// `load`, then every journey's value and the figures of all journeys worked out
/// before any request asks: what the cache keeps answers from aggregates ready made.
async fn load_warm(store: &dyn Store, provider: ProviderId) -> Result<Placed, ApiError> {
    let started = Instant::now();
    let placed = load(store, provider).await?;
    let answers = asked::answers(store, provider).await?;
    tokio::task::spawn_blocking(move || {
        let values = placed.values();
        let compared = compare_asked(&placed.log, &placed.placed, values, &answers);
        placed.asked.get_or_init(|| compared);
        // What the dashboard and the journeys page ask for when opened.
        let (key, all) = (FilterQuery::default().key(), Filter::default());
        placed.figures(&key, &all, PeriodUnit::Week);
        placed.landscape(&key, &all);
        placed.outside();
        // An attribution the engine cannot make is reported when a request asks.
        let _ = placed.attribution(&key, &all, "purchase");
        placed.took.get_or_init(|| started.elapsed());
        placed
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))
}

/// `log` placed into journeys as `seen` from, off the async threads: placing millions
/// of touchpoints is CPU work.
pub async fn place(log: Log, seen: Viewpoint) -> Result<Placed, ApiError> {
    tokio::task::spawn_blocking(move || {
        let (low, high) = log.span();
        let clock = Clock::new(seen.zone, low, high);
        let placed = log.place(&seen.settings, &clock);
        Placed {
            log,
            placed,
            clock,
            settings: seen.settings,
            rules: seen.rules,
            values: OnceLock::new(),
            tallies: OnceLock::new(),
            channels: seen.channels,
            loaded: Instant::now(),
            took: OnceLock::new(),
            figures: Kept::new(),
            attributions: Kept::new(),
            landscapes: Kept::new(),
            segments: Kept::new(),
            asked: OnceLock::new(),
            outside: OnceLock::new(),
        }
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))
}
