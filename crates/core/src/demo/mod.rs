//! A deterministic demo world: a town centre network with a café, a clothing shop, a
//! hotel, the property owner and a bank, their customers and ninety days of meetings.
//!
//! The same seed, number of people and anchor always give the same world, ids
//! included: everything comes from one ChaCha8 stream and the anchor, never from the
//! clock. Each human is a customer of one to four providers, and each provider knows
//! them by different identifiers, as fragmented customer databases do; `truth` says
//! which profiles are the same human, for testing identity resolution.
//!
//! `world` gives the network and its providers; `people` gives their customers a
//! chunk of humans at a time, so a world of a million people never has to fit in
//! memory. How the people are cut into chunks does not change the world.
//!
//! # Motivations, message pressure and their truth
//!
//! Every journey template names the motivation that starts it (seed 001: relationships,
//! goal fulfilment, experiences), and the journeys show it the way people do: a party
//! (`guests`) or a named `occasion` where people meet people, a named `event` and long
//! stays where they seek experiences, browsing beforehand and sharing afterwards
//! (photos, posts) for both; short, direct paths for errands. `Chunk::journeys` keeps,
//! for every journey whose anchor was observed, the anchor's id, the motivation and
//! the pressure, so the analytics can be scored against known answers. Where a
//! provider's journeys lack a motivation (relationships at the clothing shop and the
//! hotel: shopping in company, a family gathering), a profile makes one of its
//! `side_journeys` with a chance of 30 %.
//!
//! Each human lives under a message pressure (`Pressure`): 40 % low, 35 % medium,
//! 25 % high. It sets how many extra provider-initiated contacts (newsletters,
//! reminders, offers) surround each of their journeys, from ten days before the
//! anchor to two weeks after the meeting: none under low, 0 or 1 under medium, 1 to
//! 3 under high. Its outcomes follow seed 001's finding:
//!
//! - Coming back: after a journey a person may make another of the same template,
//!   later in the window (`PlantedJourney::repeat`). For goal fulfilment the chance
//!   is 15 % at every pressure; for relationships and experiences it is 35 % under low,
//!   20 % under medium and 5 % under high pressure.
//! - Reviews: on a relationship or experience journey under high pressure a review's
//!   `stars` drop by 1 or 2 (at least 1 is left) with a chance of 70 %, under medium
//!   pressure by 1 with 30 %; goal-fulfilment reviews keep their stars.
//!
//! All of this comes from a second ChaCha8 stream (the seed mixed with a constant), so
//! the first stream, and with it every human, profile, identifier and touchpoint the
//! demo made before motivations were planted, stays the same. What the second stream
//! adds comes after a profile's first-stream touchpoints, with sequence numbers of its
//! own (from 2^40), so no earlier id or event id moves. Its only marks on first-stream
//! touchpoints are the planted anchor properties and the lowered stars. Its channels do
//! not change which identifiers a profile holds.

pub(crate) mod journeys;
mod mess;
mod names;
pub mod research;
pub mod surveys;

use crate::channel::{Channel, ChannelKey};
use crate::identifier::{Identifier, IdentifierKind};
use crate::ids::{ProfileId, TouchpointId};
use crate::journey::JourneySettings;
use crate::network::{NewNetwork, SharedData};
use crate::profile::NewProfile;
use crate::provider::NewProvider;
use crate::touchpoint::{NewTouchpoint, Subject, TouchpointKind};
use crate::value::{Motivation, Phase, Setting};
use chrono::{DateTime, Datelike, NaiveTime, TimeZone, Utc};
use journeys::{Gap, Journey, PROVIDERS, Props, ProviderSpec, Step, Style};
use names::{FIRST_NAMES, MOBILE_PREFIXES, PRIVATE_DOMAINS, SURNAMES, WORK_DOMAINS, ascii_lower};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashSet;
use uuid::Uuid;

/// People in the demo world unless asked otherwise.
pub const DEFAULT_PEOPLE: usize = 2000;
/// Touchpoints fall within this many days before the anchor.
pub const WINDOW_DAYS: i64 = 90;

/// The demo town centre without its customers; `people` brings them.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoWorld {
    /// The town centre, sharing aggregate counts between its members.
    pub network: NewNetwork,
    /// All are members of the network.
    pub providers: Vec<DemoProvider>,
}

/// One provider of the demo world.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoProvider {
    /// "cafe", "clothing", "hotel", "property" or "bank".
    pub slug: &'static str,
    pub provider: NewProvider,
    /// Demo sign-in e-mail for this provider, such as `demo@cafe.example`.
    pub user_email: String,
    /// Provider-defined channels; may be empty.
    pub channels: Vec<Channel>,
    /// Its anchors and windows: a hotel's meeting lasts a stay, a bank's customers
    /// meet it at a support contact too.
    pub journeys: JourneySettings,
}

/// Some humans of the demo world: their profiles at each provider and the touchpoints
/// of those profiles. Each profile comes with all its touchpoints in the same chunk.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Chunk {
    /// Indexed like `DemoWorld::providers`, each in order of creation; ids sort the
    /// same way, and after those of earlier chunks.
    pub profiles: Vec<Vec<NewProfile>>,
    /// Indexed like `DemoWorld::providers`, grouped by profile: first the journeys of
    /// the first stream, each in time order, then what the second stream added to
    /// them (see the module docs). The subject is always one of this chunk's profiles
    /// at that provider.
    pub touchpoints: Vec<Vec<NewTouchpoint>>,
    /// Ground truth for identity tests: one entry per human of the chunk, listing
    /// (provider index, ProfileId) of every profile that is this human.
    pub truth: Vec<Vec<(usize, ProfileId)>>,
    /// Ground truth for journeys, indexed like `touchpoints`: every journey whose
    /// anchor touchpoint was observed (lies in the window), in the order made. A
    /// journey whose anchor fell outside the window has no entry.
    pub journeys: Vec<Vec<PlantedJourney>>,
}

/// How hard the providers press a human with messages they did not ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pressure {
    Low,
    Medium,
    High,
}

impl Pressure {
    pub const ALL: [Pressure; 3] = [Pressure::Low, Pressure::Medium, Pressure::High];

    pub fn as_str(self) -> &'static str {
        match self {
            Pressure::Low => "low",
            Pressure::Medium => "medium",
            Pressure::High => "high",
        }
    }
}

/// One journey the demo made, as the generator knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PlantedJourney {
    /// The journey's anchor touchpoint: its first `During` step.
    pub anchor: TouchpointId,
    /// The profile the anchor is on (at the clothing shop perhaps the till's record).
    pub profile: ProfileId,
    pub motivation: Motivation,
    /// The pressure of the human who made it.
    pub pressure: Pressure,
    /// A journey made again: the person came back after an earlier one.
    pub repeat: bool,
}

/// The network and providers of the demo world; the same every time.
pub fn world() -> DemoWorld {
    DemoWorld {
        network: NewNetwork {
            name: "Torgets centrum".to_string(),
            // The town centre's agreement: totals and the journey figures with their
            // flows, never research evidence or survey results.
            shares: vec![
                SharedData::AggregateCounts,
                SharedData::JourneyFigures,
                SharedData::ChannelFlows,
            ],
        },
        providers: PROVIDERS.iter().map(demo_provider).collect(),
    }
}

/// Every event kind the demo's journeys use, each once: the UI has words for them.
pub fn event_kinds() -> Vec<&'static str> {
    let mut kinds: Vec<&str> = PROVIDERS
        .iter()
        .flat_map(|p| p.journeys.iter().chain(p.side_journeys))
        .flat_map(|j| j.steps.iter().chain(j.extra))
        .chain(CONTACTS)
        .map(|s| s.kind)
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    kinds
}

/// The customers of the demo world, `chunk` humans at a time (the last chunk may hold
/// fewer). Deterministic: the same seed, people and anchor always give the same
/// humans, ids included, however they are cut into chunks. Touchpoints fall within the
/// 90 days before `anchor`.
pub fn people(seed: u64, people: usize, anchor: DateTime<Utc>, chunk: usize) -> People {
    People {
        generator: Generator::new(seed, people, anchor),
        left: people,
        chunk: chunk.max(1),
    }
}

/// The chunks of humans `people` makes, in order.
pub struct People {
    generator: Generator,
    left: usize,
    chunk: usize,
}

impl Iterator for People {
    type Item = Chunk;

    fn next(&mut self) -> Option<Chunk> {
        if self.left == 0 {
            return None;
        }
        let humans = self.left.min(self.chunk);
        self.left -= humans;
        Some(self.generator.chunk(humans))
    }
}

/// Chance that a touchpoint leaves its phase out: clients do not always declare it.
const NO_PHASE: f64 = 0.2;
/// Chance that a touchpoint in a place or a social environment says so.
const SETTING_SAID: f64 = 0.6;
/// How many providers a human uses (1 to 4), relative weights.
const PROVIDER_COUNT_WEIGHTS: [u32; 4] = [40, 35, 17, 8];
/// How many journeys a profile has (1 to 4), relative weights.
const JOURNEY_COUNT_WEIGHTS: [u32; 4] = [58, 28, 10, 4];
/// Profiles are created during the year before the window opens.
const PROFILE_SPAN_MS: i64 = 365 * 24 * 3600 * 1000;
/// The journeys use short fixed arrays for their step times.
const MAX_STEPS: usize = 20;
/// Mixed into the seed for the second stream (motivations and pressure).
const SIDE_SEED: u64 = 0x6d6f_7469_7661_7465;
/// The second stream's touchpoints number from here, far above the first's.
const SIDE_SEQ: u64 = 1 << 40;
/// Chance that a profile makes one of its provider's `side_journeys`.
const SIDE_JOURNEY_CHANCE: f64 = 0.3;
/// Low, medium and high pressure, relative weights.
const PRESSURE_WEIGHTS: [u32; 3] = [40, 35, 25];
/// Chance of coming back for a relationship or experience journey, by pressure.
const RETURN_FELT: [f64; 3] = [0.35, 0.2, 0.05];
/// Chance of coming back after goal fulfilment, whatever the pressure.
const RETURN_GOAL: f64 = 0.15;
/// The contacts pressure adds: provider-initiated, with the phase set by when they fall.
const CONTACTS: &[Step] = &[
    Step {
        phase: Phase::After,
        chance: 1.0,
        channels: &["email"],
        kind: "newsletter.opened",
        by: crate::touchpoint::Initiator::Provider,
        gap: Gap::Minutes(0, 0),
        props: Props::None,
    },
    Step {
        phase: Phase::After,
        chance: 1.0,
        channels: &["sms"],
        kind: "reminder",
        by: crate::touchpoint::Initiator::Provider,
        gap: Gap::Minutes(0, 0),
        props: Props::None,
    },
    Step {
        phase: Phase::After,
        chance: 1.0,
        channels: &["email"],
        kind: "offer.sent",
        by: crate::touchpoint::Initiator::Provider,
        gap: Gap::Minutes(0, 0),
        props: Props::None,
    },
];

/// A journey step with its kind and channels parsed once, not per touchpoint.
struct ResolvedStep {
    kind: TouchpointKind,
    channels: Vec<(ChannelKey, Option<Setting>, Used)>,
}

/// What a profile's touchpoints revealed, so its identifiers fit them.
#[derive(Debug, Clone, Copy, Default)]
struct Used {
    app: bool,
    social: bool,
    wifi: bool,
}

impl Used {
    fn add(&mut self, other: Used) {
        self.app |= other.app;
        self.social |= other.social;
        self.wifi |= other.wifi;
    }
}

struct ProviderState {
    spec: &'static ProviderSpec,
    /// Indexed by journey, then step.
    steps: Vec<Vec<ResolvedStep>>,
    /// Index of each journey's anchor (its first `During` step).
    anchors: Vec<usize>,
    journey_weights: Vec<u32>,
    profile_seq: u64,
    touchpoint_seq: u64,
    /// The next sequence number of a touchpoint the second stream makes.
    side_seq: u64,
}

/// One human, while their profiles are made.
struct Human {
    first: &'static str,
    middle: Option<&'static str>,
    last: &'static str,
    birth_year: i32,
    email: Identifier,
    work_email: Option<String>,
    phone: Option<Identifier>,
    /// Made the first time a profile needs it, and then the same everywhere.
    handle: Option<Identifier>,
    /// How records see them, and the household they may share.
    life: mess::Life,
    /// Drawn from the second stream.
    pressure: Pressure,
}

struct Generator {
    rng: ChaCha8Rng,
    /// The second stream: motivations, pressure and what they bring.
    side: ChaCha8Rng,
    mess: mess::Mess,
    providers: Vec<ProviderState>,
    /// Local (Stockholm) midnights of the days the window touches, in Unix ms.
    midnights: Vec<i64>,
    window: (i64, i64),
    profile_base_ms: i64,
    profile_step_ms: i64,
    year: i32,
    // Identifiers already given to someone: the truth must not be blurred by two
    // humans sharing an address, number or handle by accident.
    emails: HashSet<String>,
    phones: HashSet<u32>,
    handles: HashSet<String>,
}

impl Generator {
    fn new(seed: u64, people: usize, anchor: DateTime<Utc>) -> Self {
        let tz = chrono_tz::Europe::Stockholm;
        let start = anchor - chrono::Duration::days(WINDOW_DAYS);
        let first_day = start.with_timezone(&tz).date_naive();
        let last_day = anchor.with_timezone(&tz).date_naive();
        let midnights = first_day
            .iter_days()
            .take_while(|d| *d <= last_day)
            .map(|d| {
                let naive = d.and_time(NaiveTime::MIN);
                // Stockholm changes clocks at 02:00 or 03:00, so midnight always exists;
                // the fallback only keeps this total.
                tz.from_local_datetime(&naive).earliest().map_or_else(
                    || naive.and_utc().timestamp_millis(),
                    |t| t.timestamp_millis(),
                )
            })
            .collect();
        // One millisecond inside the start, so that whole-ms times never fall before it.
        let window = (start.timestamp_millis() + 1, anchor.timestamp_millis());
        let people_ms = i64::try_from(people.max(1)).unwrap_or(i64::MAX);
        Generator {
            rng: ChaCha8Rng::seed_from_u64(seed),
            side: ChaCha8Rng::seed_from_u64(seed ^ SIDE_SEED),
            mess: mess::Mess::new(seed),
            providers: PROVIDERS.iter().map(ProviderState::new).collect(),
            midnights,
            window,
            profile_base_ms: window.0 - PROFILE_SPAN_MS,
            profile_step_ms: (PROFILE_SPAN_MS / people_ms).max(1),
            year: anchor.year(),
            emails: HashSet::with_capacity(people + people / 2),
            phones: HashSet::with_capacity(people),
            handles: HashSet::new(),
        }
    }

    /// The next `humans` humans, with their profiles and touchpoints.
    fn chunk(&mut self, humans: usize) -> Chunk {
        let mut chunk = Chunk {
            profiles: vec![Vec::new(); PROVIDERS.len()],
            touchpoints: vec![Vec::new(); PROVIDERS.len()],
            truth: Vec::with_capacity(humans),
            journeys: vec![Vec::new(); PROVIDERS.len()],
        };
        for _ in 0..humans {
            let mut human = self.human();
            let chosen = self.choose_providers();
            let mut entry = Vec::with_capacity(4);
            for (p, &yes) in chosen.iter().enumerate() {
                if yes {
                    self.profile(p, &mut human, &mut chunk, &mut entry);
                }
            }
            chunk.truth.push(entry);
            self.mess.lived(human.life);
        }
        chunk
    }

    fn human(&mut self) -> Human {
        let first = FIRST_NAMES[self.rng.random_range(0..FIRST_NAMES.len())];
        let last = SURNAMES[self.rng.random_range(0..SURNAMES.len())];
        let middle = self
            .rng
            .random_bool(0.15)
            .then(|| FIRST_NAMES[self.rng.random_range(0..FIRST_NAMES.len())])
            .filter(|m| *m != first);
        let birth_year = self.rng.random_range(1950..=2006);
        let email = self.fresh_email(first, last, birth_year, PRIVATE_DOMAINS);
        let email = parse(IdentifierKind::Email, &email);
        let work_email = self
            .rng
            .random_bool(0.35)
            .then(|| self.fresh_email(first, last, birth_year, WORK_DOMAINS));
        let phone = self.rng.random_bool(0.85).then(|| self.fresh_phone());
        let life = self.mess.life(first, last, birth_year, &email);
        let pressure = Pressure::ALL[pick_weighted(&mut self.side, &PRESSURE_WEIGHTS)];
        Human {
            first,
            middle,
            last,
            birth_year,
            email,
            work_email,
            phone,
            handle: None,
            life,
            pressure,
        }
    }

    /// An address no other human has.
    fn fresh_email(&mut self, first: &str, last: &str, year: i32, domains: &[&str]) -> String {
        let (f, l) = (ascii_lower(first), ascii_lower(last));
        let initial = &f[..1];
        let mut attempt = 0;
        loop {
            let domain = domains[self.rng.random_range(0..domains.len())];
            let local = match (attempt, self.rng.random_range(0..4)) {
                // One try at a plain address, then numbers, as most real addresses end up.
                (0, 0) => format!("{f}.{l}"),
                (0, 1) => format!("{f}{l}"),
                (0, 2) => format!("{f}.{l}{:02}", year % 100),
                (0, _) => format!("{initial}{l}"),
                _ => format!("{f}.{l}{}", self.rng.random_range(1..100_000)),
            };
            let email = format!("{local}@{domain}");
            if !self.emails.contains(&email) {
                self.emails.insert(email.clone());
                return email;
            }
            attempt += 1;
        }
    }

    /// A mistyped variant of `email` that nobody else has, if one comes out.
    fn typo_email(&mut self, email: &str) -> Option<String> {
        let (local, domain) = email.split_once('@')?;
        let mut b = local.as_bytes().to_vec();
        if b.len() < 4 || !local.is_ascii() {
            return None;
        }
        let i = self.rng.random_range(1..b.len() - 1);
        match self.rng.random_range(0..3) {
            0 => {
                b.remove(i);
            }
            1 => b.insert(i, b[i]),
            _ => b.swap(i, i + 1),
        }
        let typo = format!("{}@{domain}", String::from_utf8(b).ok()?);
        (typo != email && self.emails.insert(typo.clone())).then_some(typo)
    }

    /// A Swedish mobile number nobody else has, written as people write it.
    fn fresh_phone(&mut self) -> Identifier {
        loop {
            let prefix = self.rng.random_range(0..MOBILE_PREFIXES.len() as u32);
            let number = self.rng.random_range(0..10_000_000);
            if self.phones.insert(prefix * 10_000_000 + number) {
                return mobile_e164(MOBILE_PREFIXES[prefix as usize], number);
            }
        }
    }

    fn handle(&mut self, h: &mut Human) -> Identifier {
        if let Some(handle) = &h.handle {
            return handle.clone();
        }
        let (f, l) = (ascii_lower(h.first), ascii_lower(h.last));
        let mut attempt = 0;
        let handle = loop {
            let candidate = match (attempt, self.rng.random_range(0..3)) {
                (0, 0) => format!("{f}_{}{:02}", &l[..1], h.birth_year % 100),
                (0, 1) => format!("{f}{l}"),
                (0, _) => format!("{}.{l}", &f[..1]),
                _ => format!("{f}_{l}{}", self.rng.random_range(1..100_000)),
            };
            if self.handles.insert(candidate.clone()) {
                break candidate;
            }
            attempt += 1;
        };
        let handle = parse(IdentifierKind::SocialHandle, &format!("@{handle}"));
        h.handle = Some(handle.clone());
        handle
    }

    /// Which providers a human uses: the café and the clothing shop most often.
    fn choose_providers(&mut self) -> [bool; PROVIDERS.len()] {
        let count = pick_weighted(&mut self.rng, &PROVIDER_COUNT_WEIGHTS) + 1;
        let mut weights: [u32; PROVIDERS.len()] = std::array::from_fn(|p| PROVIDERS[p].weight);
        let mut chosen = [false; PROVIDERS.len()];
        for _ in 0..count.min(chosen.len()) {
            let p = pick_weighted(&mut self.rng, &weights);
            chosen[p] = true;
            weights[p] = 0;
        }
        chosen
    }

    /// Makes the human's profile at provider `p` with its journeys, into `chunk`, and
    /// at the clothing shop sometimes the till's record too; each goes into `truth`.
    fn profile(
        &mut self,
        p: usize,
        h: &mut Human,
        chunk: &mut Chunk,
        truth: &mut Vec<(usize, ProfileId)>,
    ) {
        let seq = self.providers[p].profile_seq;
        self.providers[p].profile_seq += 1;
        // Whole milliseconds apart, so profile ids sort by creation within a provider.
        let ms =
            self.profile_base_ms + i64::try_from(seq).unwrap_or(i64::MAX) * self.profile_step_ms;
        let id = ProfileId(v7(&mut self.rng, ms, p, seq));

        let mut used = Used::default();
        let journeys = pick_weighted(&mut self.rng, &JOURNEY_COUNT_WEIGHTS) + 1;
        let mut made = Vec::with_capacity(journeys);
        for _ in 0..journeys {
            if let Some((j, walked)) = self.journey(p, id, &mut chunk.touchpoints[p]) {
                used.add(walked.used);
                made.push((j, walked));
            }
        }

        let style = self.providers[p].spec.style;
        let mut identifiers = self.identifiers(style, seq, h, used);
        self.household(p, style, seq, h, used, &mut identifiers);
        let display_name = self.display_name(style, h);
        let mut attributes = self.attributes(style, &identifiers);
        if matches!(style, Style::Clothing | Style::Hotel | Style::Bank) {
            self.mess.attributes(&h.life, &mut attributes);
        }
        truth.push((p, id));
        let till =
            (style == Style::Clothing && self.mess.till_record()).then(|| identifiers.clone());
        chunk.profiles[p].push(NewProfile {
            id,
            display_name,
            identifiers,
            attributes,
        });
        let mut till_id = None;
        if let Some(web_ids) = till
            && let Some(till) = self.till(p, id, ms, h, &web_ids, chunk)
        {
            truth.push((p, till));
            till_id = Some(till);
        }
        self.second_stream(p, (id, till_id), h.pressure, made, chunk);
    }

    /// The marks a household leaves on a record: the partner's e-mail where both have
    /// a customer number of their own here, the family tablet, and the app's account
    /// number on every app user's record.
    fn household(
        &mut self,
        p: usize,
        style: Style,
        seq: u64,
        h: &mut Human,
        used: Used,
        ids: &mut Vec<Identifier>,
    ) {
        let numbered = ids.iter().any(|i| i.kind == IdentifierKind::CustomerNumber);
        if numbered {
            h.life.numbered.push(p);
        }
        if let Some(family) = &h.life.household_email
            && numbered
            && h.life.partner_numbered.contains(&p)
        {
            for i in ids.iter_mut().filter(|i| **i == h.email) {
                *i = family.clone();
            }
        }
        if style == Style::Property && used.app {
            ids.push(parse(
                IdentifierKind::CustomerNumber,
                &format!("A{:07}", 1_000_000 + seq),
            ));
            if let Some(tablet) = &h.life.tablet {
                for i in ids
                    .iter_mut()
                    .filter(|i| i.kind == IdentifierKind::DeviceId)
                {
                    *i = tablet.clone();
                }
            }
            h.life.device = ids
                .iter()
                .find(|i| i.kind == IdentifierKind::DeviceId)
                .cloned();
        }
        ids.sort();
        ids.dedup();
    }

    /// The till's own record of web customer `web` at provider `p`, with the
    /// purchases made in the shop moved to it; none when there were none.
    fn till(
        &mut self,
        p: usize,
        web: ProfileId,
        ms: i64,
        h: &Human,
        web_ids: &[Identifier],
        chunk: &mut Chunk,
    ) -> Option<ProfileId> {
        // Between this profile and the next, so ids still sort by creation.
        let (rng, seq) = self.mess.next_till();
        let till = ProfileId(v7(rng, ms + self.profile_step_ms / 2, p, seq));
        let mut moved = 0;
        for t in chunk.touchpoints[p].iter_mut().rev() {
            if t.subject != Subject::Profile(web) {
                break;
            }
            if t.channel.as_str() == "store" {
                t.subject = Subject::Profile(till);
                moved += 1;
            }
        }
        if moved == 0 {
            return None;
        }
        let identifiers = self.mess.till_identifiers(web_ids, h.phone.as_ref());
        let mut attributes = Map::new();
        self.mess.attributes(&h.life, &mut attributes);
        chunk.profiles[p].push(NewProfile {
            id: till,
            display_name: Some(format!("{} {}", h.first, h.last).to_uppercase()),
            identifiers,
            attributes,
        });
        Some(till)
    }

    /// One first-stream journey of profile `id` at provider `p`, into `out`: which
    /// template it followed and what it made.
    fn journey(
        &mut self,
        p: usize,
        id: ProfileId,
        out: &mut Vec<NewTouchpoint>,
    ) -> Option<(usize, Walked)> {
        let j = pick_weighted(&mut self.rng, &self.providers[p].journey_weights);
        let ProviderState {
            spec,
            steps,
            anchors,
            touchpoint_seq,
            ..
        } = &mut self.providers[p];
        let mut walker = Walker {
            rng: &mut self.rng,
            p,
            slug: spec.slug,
            seq: touchpoint_seq,
            midnights: &self.midnights,
            window: self.window,
            whom: (id, None),
        };
        let walked = walker.walk(&spec.journeys[j], &steps[j], anchors[j], 1, out)?;
        Some((j, walked))
    }

    /// A journey made by the second stream into `out`: a side journey (`template`
    /// none) or the return to first-stream template `template`, on day `first_day`
    /// or later.
    fn side_journey(
        &mut self,
        p: usize,
        whom: (ProfileId, Option<ProfileId>),
        journey: &'static Journey,
        template: Option<usize>,
        first_day: usize,
        out: &mut Vec<NewTouchpoint>,
    ) -> Option<Walked> {
        let ProviderState {
            spec,
            steps,
            anchors,
            side_seq,
            ..
        } = &mut self.providers[p];
        let resolved_here: Vec<ResolvedStep>;
        let (resolved, anchor) = match template {
            Some(j) => (&steps[j][..], anchors[j]),
            None => {
                resolved_here = journey.steps.iter().map(|s| resolve(spec, s)).collect();
                (&resolved_here[..], anchor_of(journey))
            }
        };
        let mut walker = Walker {
            rng: &mut self.side,
            p,
            slug: spec.slug,
            seq: side_seq,
            midnights: &self.midnights,
            window: self.window,
            whom,
        };
        walker.walk(journey, resolved, anchor, first_day, out)
    }

    /// The second stream's part in profile `whom.0`'s journeys at provider `p` (see the
    /// module docs): it plants and adds to each first-stream journey in `made`, keeps
    /// its truth, and perhaps lets the person come back or make a side journey.
    fn second_stream(
        &mut self,
        p: usize,
        whom: (ProfileId, Option<ProfileId>),
        pressure: Pressure,
        made: Vec<(usize, Walked)>,
        chunk: &mut Chunk,
    ) {
        let spec = self.providers[p].spec;
        for (j, walked) in made {
            self.settle(
                p,
                whom,
                pressure,
                (&spec.journeys[j], Some(j)),
                walked,
                chunk,
            );
        }
        if !spec.side_journeys.is_empty() && self.side.random_bool(SIDE_JOURNEY_CHANCE) {
            let k = self.side.random_range(0..spec.side_journeys.len());
            let journey = &spec.side_journeys[k];
            if let Some(walked) =
                self.side_journey(p, whom, journey, None, 1, &mut chunk.touchpoints[p])
            {
                self.settle(p, whom, pressure, (journey, None), walked, chunk);
            }
        }
    }

    /// Plants the template's anchor properties on one walked journey, adds its extra
    /// steps and the contacts its pressure brings, lowers its reviews where pressure
    /// spoils them, records its truth, and perhaps makes the journey again.
    fn settle(
        &mut self,
        p: usize,
        whom: (ProfileId, Option<ProfileId>),
        pressure: Pressure,
        (journey, template): (&'static Journey, Option<usize>),
        walked: Walked,
        chunk: &mut Chunk,
    ) {
        let out = &mut chunk.touchpoints[p];
        let mut planted = Map::new();
        for &(chance, props) in journey.plant {
            if self.side.random_bool(chance) {
                planted.extend(properties(&mut self.side, props, walked.nights));
            }
        }
        if let Some(a) = walked.anchor {
            for (key, value) in planted {
                out[a].properties.entry(key).or_insert(value);
            }
        }

        let ProviderState { spec, side_seq, .. } = &mut self.providers[p];
        let spec: &'static ProviderSpec = spec;
        let mut walker = Walker {
            rng: &mut self.side,
            p,
            slug: spec.slug,
            seq: side_seq,
            midnights: &self.midnights,
            window: self.window,
            whom,
        };
        let mut made = walked.made.clone();
        for step in journey.extra {
            if !happens(walker.rng, step.chance) {
                continue;
            }
            let gap = gap_ms(walker.rng, step.gap);
            let ms = match step.phase {
                Phase::Before => walked.t0 - gap,
                Phase::During => walked.t0 + gap,
                Phase::After => walked.last_during + gap,
            };
            if let Some(t) = walker.observed(&resolve(spec, step), step, ms, walked.nights) {
                made.push(out.len());
                out.push(t.0);
            }
        }
        let contacts = match pressure {
            Pressure::Low => 0,
            Pressure::Medium => walker.rng.random_range(0..=1),
            Pressure::High => walker.rng.random_range(1..=3),
        };
        for _ in 0..contacts {
            let contact = CONTACTS[walker.rng.random_range(0..CONTACTS.len())];
            let offset = walker.rng.random_range(-10 * DAY_MS..14 * DAY_MS);
            let (phase, ms) = if offset < 0 {
                (Phase::Before, walked.t0 + offset)
            } else {
                (Phase::After, walked.last_during + offset.max(HOUR_MS))
            };
            let step = Step { phase, ..contact };
            if let Some(t) = walker.observed(&resolve(spec, &step), &step, ms, walked.nights) {
                made.push(out.len());
                out.push(t.0);
            }
        }

        let felt = journey.motivation != Motivation::GoalFulfilment;
        let spoil = match pressure {
            _ if !felt => None,
            Pressure::Low => None,
            Pressure::Medium => Some((0.3, 1)),
            Pressure::High => Some((0.7, 2)),
        };
        if let Some((chance, most)) = spoil {
            for &i in &made {
                let t = &mut out[i];
                let stars = t.properties.get("stars").and_then(Value::as_u64);
                if let Some(stars) = stars.filter(|_| t.kind.as_str() == "review.posted")
                    && walker.rng.random_bool(chance)
                {
                    let lower = stars.saturating_sub(walker.rng.random_range(1..=most));
                    t.properties.insert("stars".into(), lower.max(1).into());
                }
            }
        }

        if let Some(a) = walked.anchor
            && let Subject::Profile(profile) = out[a].subject
        {
            chunk.journeys[p].push(PlantedJourney {
                anchor: out[a].id,
                profile,
                motivation: journey.motivation,
                pressure,
                repeat: walked.repeat,
            });
        }

        let back = if felt {
            RETURN_FELT[pressure as usize]
        } else {
            RETURN_GOAL
        };
        if !walked.repeat && self.side.random_bool(back) {
            let again = self.side_journey(
                p,
                whom,
                journey,
                template,
                walked.day + 1,
                &mut chunk.touchpoints[p],
            );
            if let Some(mut again) = again {
                again.repeat = true;
                self.settle(p, whom, pressure, (journey, template), again, chunk);
            }
        }
    }

    /// What each kind of provider knows about a customer: the bank a lot, the café
    /// little, and the same human looks different in each.
    fn identifiers(
        &mut self,
        style: Style,
        seq: u64,
        h: &mut Human,
        used: Used,
    ) -> Vec<Identifier> {
        let mut ids = Vec::with_capacity(4);
        let phone = |rng: &mut ChaCha8Rng, h: &Human, chance: f64| {
            h.phone.clone().filter(|_| rng.random_bool(chance))
        };
        match style {
            Style::Cafe => {
                ids.push(parse(
                    IdentifierKind::LoyaltyCard,
                    &format!("6390{:08}", 10_000_000 + seq),
                ));
                ids.extend(phone(&mut self.rng, h, 0.35));
            }
            Style::Clothing => {
                ids.push(h.email.clone());
                ids.extend(phone(&mut self.rng, h, 0.2));
                if self.rng.random_bool(0.5) {
                    ids.push(parse(
                        IdentifierKind::CustomerNumber,
                        &format!("M{:07}", 1_000_000 + seq),
                    ));
                }
            }
            Style::Hotel => {
                let roll = self.rng.random_range(0..100);
                let email = match roll {
                    0..60 => None,
                    60..85 => h.work_email.clone(),
                    _ => self.typo_email(&h.email.value),
                };
                ids.push(
                    email.map_or_else(|| h.email.clone(), |e| parse(IdentifierKind::Email, &e)),
                );
                ids.extend(phone(&mut self.rng, h, 0.5));
            }
            Style::Property => {
                ids.extend(phone(&mut self.rng, h, if used.app { 0.5 } else { 0.1 }));
                // Always known somehow: without an app, wifi or handle, by the newsletter.
                let anonymous = !(used.app || used.wifi || used.social) && ids.is_empty();
                if self.rng.random_bool(0.5) || anonymous {
                    ids.push(h.email.clone());
                }
            }
            Style::Bank => {
                ids.push(parse(
                    IdentifierKind::CustomerNumber,
                    &format!("{:08}", 20_000_000 + seq),
                ));
                let work = h.work_email.clone().filter(|_| self.rng.random_bool(0.1));
                ids.push(
                    work.map_or_else(|| h.email.clone(), |e| parse(IdentifierKind::Email, &e)),
                );
                ids.extend(h.phone.clone());
            }
        }
        // Each app install and each wifi login has its own id.
        if used.app || (style == Style::Property && used.wifi) {
            let device = uuid::Builder::from_random_bytes(self.rng.random()).into_uuid();
            ids.push(parse(IdentifierKind::DeviceId, &device.to_string()));
        }
        // Forum and social-media meetings are known by the handle they came from.
        if used.social {
            ids.push(self.handle(h));
        }
        ids.sort();
        ids.dedup();
        ids
    }

    /// Names as each system writes them: in full, by initial, surname first, or not at all.
    fn display_name(&mut self, style: Style, h: &Human) -> Option<String> {
        let (first, last) = (h.first, h.last);
        let initial = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
        let roll = self.rng.random_range(0..100);
        match style {
            Style::Cafe => match roll {
                0..50 => None,
                50..80 => Some(first.to_string()),
                _ => Some(format!("{first} {}.", initial(last))),
            },
            Style::Clothing => match roll {
                0..70 => Some(format!("{first} {last}")),
                70..85 => Some(format!("{first} {last}").to_lowercase()),
                _ => None,
            },
            Style::Hotel => match roll {
                0..45 => Some(format!("{last}, {first}")),
                45..75 => Some(format!("{first} {last}")),
                75..95 => Some(format!("{}. {last}", initial(first))),
                _ => Some(format!("{first} {}", misspelt(last))),
            },
            Style::Property => (roll < 20).then(|| first.to_string()),
            Style::Bank => Some(match h.middle {
                Some(middle) => format!("{first} {middle} {last}"),
                None => format!("{first} {last}"),
            }),
        }
    }

    fn attributes(&mut self, style: Style, ids: &[Identifier]) -> Map<String, Value> {
        let mut m = Map::new();
        let rng = &mut self.rng;
        match style {
            Style::Cafe => {
                if rng.random_bool(0.7) {
                    m.insert(
                        "member_since".into(),
                        rng.random_range(2012..=self.year).into(),
                    );
                }
            }
            Style::Clothing => {
                if ids.iter().any(|i| i.kind == IdentifierKind::CustomerNumber) {
                    let level = ["bas", "bas", "silver", "guld"][rng.random_range(0..4)];
                    m.insert("club_level".into(), level.into());
                }
            }
            Style::Hotel => {
                if rng.random_bool(0.6) {
                    let kind = if rng.random_bool(0.35) {
                        "business"
                    } else {
                        "leisure"
                    };
                    m.insert("guest_type".into(), kind.into());
                }
            }
            Style::Property => {
                let source = match ids.iter().map(|i| i.kind).min() {
                    Some(IdentifierKind::Email) => "newsletter",
                    Some(IdentifierKind::Phone) => "parking",
                    Some(IdentifierKind::DeviceId) => "wifi",
                    _ => "social_media",
                };
                m.insert("source".into(), source.into());
            }
            Style::Bank => {
                let segment = match rng.random_range(0..100) {
                    0..70 => "private",
                    70..85 => "young",
                    _ => "premium",
                };
                m.insert("segment".into(), segment.into());
                m.insert(
                    "customer_since".into(),
                    rng.random_range(1985..=self.year).into(),
                );
            }
        }
        m
    }
}

impl ProviderState {
    fn new(spec: &'static ProviderSpec) -> Self {
        let steps = spec
            .journeys
            .iter()
            .map(|j| j.steps.iter().map(|s| resolve(spec, s)).collect())
            .collect();
        ProviderState {
            spec,
            steps,
            anchors: spec.journeys.iter().map(anchor_of).collect(),
            journey_weights: spec.journeys.iter().map(|j| j.weight).collect(),
            profile_seq: 0,
            touchpoint_seq: 0,
            side_seq: SIDE_SEQ,
        }
    }
}

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// What one walk through a journey template made.
struct Walked {
    used: Used,
    /// Index of the anchor in the provider's touchpoints, when it was observed.
    anchor: Option<usize>,
    /// Indices of all the walk's touchpoints in the provider's touchpoints.
    made: Vec<usize>,
    /// Index of the anchor's day in the window's midnights.
    day: usize,
    /// When the anchor happened, and the last `During` step.
    t0: i64,
    last_during: i64,
    nights: u32,
    repeat: bool,
}

/// Walks journey templates with one stream and one sequence of touchpoint numbers.
struct Walker<'a> {
    rng: &'a mut ChaCha8Rng,
    p: usize,
    slug: &'static str,
    seq: &'a mut u64,
    midnights: &'a [i64],
    window: (i64, i64),
    /// The profile the touchpoints are about, and the till's record that takes those
    /// in the shop, if any.
    whom: (ProfileId, Option<ProfileId>),
}

impl Walker<'_> {
    /// One journey along `steps` (resolved as `resolved`), anchored at step `anchor`
    /// on a day from `first_day` on, into `out`; none when no such day is left.
    fn walk(
        &mut self,
        journey: &Journey,
        resolved: &[ResolvedStep],
        anchor: usize,
        first_day: usize,
        out: &mut Vec<NewTouchpoint>,
    ) -> Option<Walked> {
        let steps = journey.steps;
        if first_day + 1 >= self.midnights.len() {
            return None;
        }
        // The anchor lies on a whole local day inside the window, in opening hours.
        let day = self.rng.random_range(first_day..self.midnights.len() - 1);
        let open_s = self
            .rng
            .random_range(journey.hours.0 * 3600..journey.hours.1 * 3600);
        let t0 = self.midnights[day] + i64::from(open_s) * 1000;
        let nights: u32 = self.rng.random_range(1..=4);

        let mut times = [None::<i64>; MAX_STEPS];
        let mut next = t0;
        for i in (0..anchor).rev() {
            if happens(self.rng, steps[i].chance) {
                next -= gap_ms(self.rng, steps[i].gap);
                times[i] = Some(next);
            }
        }
        times[anchor] = Some(t0);
        let mut prev = t0;
        let mut last_during = t0;
        for (i, step) in steps.iter().enumerate().skip(anchor + 1) {
            if happens(self.rng, step.chance) {
                prev = match step.gap {
                    Gap::Minutes(..) => prev + gap_ms(self.rng, step.gap),
                    Gap::Nights => {
                        let morning = t0 + i64::from(nights) * 86_400_000
                            - i64::from(self.rng.random_range(4 * 3600..12 * 3600)) * 1000;
                        morning.max(prev + 600_000)
                    }
                };
                times[i] = Some(prev);
                if step.phase == Phase::During {
                    last_during = prev;
                }
            }
        }

        let mut walked = Walked {
            used: Used::default(),
            anchor: None,
            made: Vec::new(),
            day,
            t0,
            last_during,
            nights,
            repeat: false,
        };
        for (i, step) in steps.iter().enumerate() {
            let Some(ms) = times[i] else {
                continue;
            };
            if let Some((touchpoint, reveals)) = self.observed(&resolved[i], step, ms, nights) {
                walked.used.add(reveals);
                if i == anchor {
                    walked.anchor = Some(out.len());
                }
                walked.made.push(out.len());
                out.push(touchpoint);
            }
        }
        Some(walked)
    }

    /// The touchpoint of `step` at `ms`, if the window observes it: before the window
    /// it was never recorded, after the anchor it has not happened yet.
    fn observed(
        &mut self,
        resolved: &ResolvedStep,
        step: &Step,
        ms: i64,
        nights: u32,
    ) -> Option<(NewTouchpoint, Used)> {
        if !(self.window.0..=self.window.1).contains(&ms) {
            return None;
        }
        let (channel, place, reveals) =
            &resolved.channels[self.rng.random_range(0..resolved.channels.len())];
        let phase = (!self.rng.random_bool(NO_PHASE)).then_some(step.phase);
        let setting = place.filter(|_| self.rng.random_bool(SETTING_SAID));
        let seq = *self.seq;
        *self.seq += 1;
        let subject = match self.whom {
            (_, Some(till)) if channel.as_str() == "store" => till,
            (id, _) => id,
        };
        let touchpoint = NewTouchpoint {
            id: TouchpointId(v7(self.rng, ms, self.p, seq)),
            event_id: Some(format!("demo-{}-{seq}", self.slug)),
            subject: Subject::Profile(subject),
            channel: channel.clone(),
            kind: resolved.kind.clone(),
            occurred_at: DateTime::from_timestamp_millis(ms).unwrap_or_default(),
            occurred_on: None,
            initiator: step.by,
            setting,
            phase,
            properties: properties(self.rng, step.props, nights),
            attributes: Map::new(),
            flags: Vec::new(),
        };
        Some((touchpoint, *reveals))
    }
}

fn happens(rng: &mut ChaCha8Rng, chance: f64) -> bool {
    chance >= 1.0 || rng.random_bool(chance)
}

fn gap_ms(rng: &mut ChaCha8Rng, gap: Gap) -> i64 {
    let minutes = match gap {
        Gap::Minutes(lo, hi) => rng.random_range(lo..=hi),
        Gap::Nights => 24 * 60,
    };
    (i64::from(minutes) * 60 + rng.random_range(0..60)) * 1000
}

/// Index of a journey's anchor: its first `During` step.
fn anchor_of(journey: &Journey) -> usize {
    journey
        .steps
        .iter()
        .position(|s| s.phase == Phase::During)
        .unwrap_or(0)
}

/// A step's kind and channels, parsed; the setting of each channel and what it
/// reveals about the profile.
fn resolve(spec: &ProviderSpec, step: &Step) -> ResolvedStep {
    let channel = |key: &str| -> (ChannelKey, Option<Setting>, Used) {
        let physical = spec.channels.iter().any(|c| c.0 == key && c.3);
        let setting = match key {
            "store" | "event" => Some(Setting::PhysicalPlace),
            "forum" | "social_media" | "review_site" => Some(Setting::SocialEnvironment),
            _ if physical => Some(Setting::PhysicalPlace),
            _ => None,
        };
        let used = Used {
            app: key == "app",
            social: matches!(key, "forum" | "social_media"),
            wifi: key == "guest_wifi",
        };
        (
            ChannelKey::parse(key).expect("the journey tables use valid channel keys"),
            setting,
            used,
        )
    };
    ResolvedStep {
        kind: TouchpointKind::parse(step.kind).expect("the journey tables use valid kinds"),
        channels: step.channels.iter().map(|c| channel(c)).collect(),
    }
}

fn demo_provider(spec: &'static ProviderSpec) -> DemoProvider {
    DemoProvider {
        slug: spec.slug,
        provider: NewProvider {
            name: spec.name.to_string(),
            time_zone: "Europe/Stockholm".to_string(),
            country: "SE".to_string(),
        },
        user_email: format!("demo@{}.example", spec.slug),
        channels: spec
            .channels
            .iter()
            .map(|&(key, name, controlled, _)| {
                Channel::custom(key, name, controlled)
                    .expect("the demo's own channels are valid and not built-in")
            })
            .collect(),
        journeys: journey_settings(spec.style),
    }
}

/// The anchors and windows each kind of provider would set.
fn journey_settings(style: Style) -> JourneySettings {
    let default = JourneySettings::default();
    match style {
        // Two nights: the stay itself is the meeting, from check-in to check-out.
        Style::Hotel => JourneySettings {
            during_hours: 48,
            ..default
        },
        Style::Bank => JourneySettings {
            anchors: default
                .anchors
                .iter()
                .cloned()
                .chain(["support.contact".to_string()])
                .collect(),
            ..default
        },
        Style::Cafe | Style::Clothing | Style::Property => default,
    }
}

/// A UUID v7 at `ms` whose other bits are random except the provider and a scrambled
/// sequence number, which make it unique by construction rather than by luck.
fn v7(rng: &mut ChaCha8Rng, ms: i64, provider: usize, seq: u64) -> Uuid {
    // Multiplying by an odd number is a bijection modulo 2^48, so distinct sequence
    // numbers (below 2^48, far beyond any demo) stay distinct while the ids stop
    // looking like a counter.
    let scrambled = seq.wrapping_mul(0x9E37_79B9_7F4A_7C15) & 0xFFFF_FFFF_FFFF;
    let r: u32 = rng.random();
    let s = scrambled.to_be_bytes();
    let bytes = [
        r as u8,
        provider as u8,
        (r >> 8) as u8,
        s[2],
        s[3],
        s[4],
        s[5],
        s[6],
        s[7],
        (r >> 16) as u8,
    ];
    uuid::Builder::from_unix_timestamp_millis(u64::try_from(ms).unwrap_or(0), &bytes).into_uuid()
}

fn pick_weighted(rng: &mut ChaCha8Rng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut roll = rng.random_range(0..total.max(1));
    for (i, &w) in weights.iter().enumerate() {
        if roll < w {
            return i;
        }
        roll -= w;
    }
    0
}

fn properties(rng: &mut ChaCha8Rng, props: Props, nights: u32) -> Map<String, Value> {
    let mut m = Map::new();
    let (key, value): (&str, Value) = match props {
        Props::None => return m,
        // Prices end in 0 or 5, as on a price list.
        Props::Amount(lo, hi) => ("amount_sek", (rng.random_range(lo..=hi) / 5 * 5).into()),
        Props::Stars => (
            "stars",
            [1, 2, 3, 3, 4, 4, 4, 5, 5, 5][rng.random_range(0..10)].into(),
        ),
        Props::Nights => ("nights", nights.into()),
        Props::StayBill => (
            "amount_sek",
            (nights * rng.random_range(219..=499) * 5).into(),
        ),
        Props::Pick(key, values) => (key, values[rng.random_range(0..values.len())].into()),
        Props::Count(key, lo, hi) => (key, rng.random_range(lo..=hi).into()),
    };
    m.insert(key.to_string(), value);
    m
}

/// The identifier `Identifier::parse` makes of `mobile(prefix, number)`, built
/// directly: the phone-number parser takes about 15 µs a number, most of the time of
/// a large world. A test checks that both agree for every prefix.
fn mobile_e164(prefix: &str, number: u32) -> Identifier {
    Identifier {
        kind: IdentifierKind::Phone,
        value: format!("+46{}{number:07}", &prefix[1..]),
    }
}

/// A surname as a receptionist might mistype it: Karlsson → Karlson, Karlsson → Carlsson.
fn misspelt(last: &str) -> String {
    if last.contains("ss") {
        last.replacen("ss", "s", 1)
    } else if let Some(rest) = last.strip_prefix('K') {
        format!("C{rest}")
    } else {
        format!("{last}h")
    }
}

/// Parses an identifier the generator made itself.
fn parse(kind: IdentifierKind, value: &str) -> Identifier {
    Identifier::parse(kind, value, "SE").expect("the demo makes only valid identifiers")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn anchor() -> DateTime<Utc> {
        "2026-11-23T12:00:00Z".parse().unwrap()
    }

    /// The whole world's people as one chunk.
    fn generate(seed: u64, humans: usize, anchor: DateTime<Utc>) -> Chunk {
        people(seed, humans, anchor, humans).next().unwrap()
    }

    fn profile_ids(w: &Chunk) -> Vec<HashSet<ProfileId>> {
        w.profiles
            .iter()
            .map(|p| p.iter().map(|x| x.id).collect())
            .collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_world_and_another_seed_another() {
        let a = generate(7, 200, anchor());
        let b = generate(7, 200, anchor());
        assert!(a == b, "two worlds from seed 7 differ");
        let c = generate(8, 200, anchor());
        assert!(a != c);
        let ids = |w: &Chunk| -> Vec<TouchpointId> {
            w.touchpoints
                .iter()
                .flat_map(|p| p.iter().map(|t| t.id))
                .collect()
        };
        assert_ne!(ids(&a), ids(&c));
        assert_ne!(profile_ids(&a), profile_ids(&c));
    }

    #[test]
    fn chunks_of_any_size_make_the_same_world() {
        let whole = generate(5, 300, anchor());
        for size in [1, 7, 299, 1000] {
            let mut joined = Chunk::default();
            let mut chunks = 0;
            for chunk in people(5, 300, anchor(), size) {
                chunks += 1;
                joined.profiles.resize_with(chunk.profiles.len(), Vec::new);
                joined
                    .touchpoints
                    .resize_with(chunk.touchpoints.len(), Vec::new);
                for (all, part) in joined.profiles.iter_mut().zip(chunk.profiles) {
                    all.extend(part);
                }
                for (all, part) in joined.touchpoints.iter_mut().zip(chunk.touchpoints) {
                    all.extend(part);
                }
                joined.truth.extend(chunk.truth);
                joined.journeys.resize_with(chunk.journeys.len(), Vec::new);
                for (all, part) in joined.journeys.iter_mut().zip(chunk.journeys) {
                    all.extend(part);
                }
            }
            assert_eq!(chunks, 300_usize.div_ceil(size));
            assert!(joined == whole, "chunks of {size} make another world");
        }
        assert_eq!(people(5, 0, anchor(), 10).count(), 0);
    }

    #[test]
    fn truth_covers_every_profile_exactly_once() {
        let w = generate(1, 500, anchor());
        assert_eq!(w.truth.len(), 500);
        let mut seen = HashSet::new();
        for human in &w.truth {
            // One to four providers, and at the clothing shop perhaps a till record too.
            assert!((1..=5).contains(&human.len()));
            for &(p, id) in human {
                assert!(profile_ids(&w)[p].contains(&id));
                assert!(seen.insert((p, id)), "{id} listed twice");
            }
        }
        let profiles: usize = w.profiles.iter().map(Vec::len).sum();
        assert_eq!(seen.len(), profiles);
    }

    #[test]
    fn a_default_world_is_plausible() {
        let anchor = anchor();
        let town = world();
        let w = generate(42, DEFAULT_PEOPLE, anchor);
        assert_eq!(town.providers.len(), 5);
        assert_eq!((w.profiles.len(), w.touchpoints.len()), (5, 5));
        assert_eq!(
            town.network.shares,
            [
                SharedData::AggregateCounts,
                SharedData::JourneyFigures,
                SharedData::ChannelFlows
            ]
        );
        let slugs: Vec<_> = town.providers.iter().map(|p| p.slug).collect();
        assert_eq!(slugs, ["cafe", "clothing", "hotel", "property", "bank"]);

        let total: usize = w.touchpoints.iter().map(Vec::len).sum();
        assert!((20_000..=45_000).contains(&total), "{total} touchpoints");
        let start = anchor - chrono::Duration::days(WINDOW_DAYS);
        let mut phases: HashMap<Option<Phase>, usize> = HashMap::new();
        let mut settings: HashMap<Option<Setting>, usize> = HashMap::new();
        let mut touchpoint_ids = HashSet::new();
        let mut event_ids = HashSet::new();
        let ids = profile_ids(&w);
        for (i, p) in town.providers.iter().enumerate() {
            let (profiles, touchpoints, own) = (&w.profiles[i], &w.touchpoints[i], &ids[i]);
            assert!(!profiles.is_empty(), "{} has no profiles", p.slug);
            assert_eq!(p.provider.time_zone, "Europe/Stockholm");
            for pr in profiles {
                assert!(
                    !pr.identifiers.is_empty(),
                    "a {} profile has no identifiers",
                    p.slug
                );
            }
            // Profile ids sort in the order the profiles were made.
            assert!(
                profiles.windows(2).all(|w| w[0].id < w[1].id),
                "{} profile ids out of order",
                p.slug
            );
            for t in touchpoints {
                let Subject::Profile(id) = &t.subject else {
                    panic!("subject is not a profile")
                };
                assert!(
                    own.contains(id),
                    "touchpoint of {} about another provider's profile",
                    p.slug
                );
                let key = t.channel.as_str();
                assert!(
                    crate::channel::builtin(key).is_some()
                        || p.channels.iter().any(|c| c.key == t.channel),
                    "{} uses unknown channel {key}",
                    p.slug
                );
                assert!(
                    t.occurred_at >= start && t.occurred_at <= anchor,
                    "{} outside the window",
                    t.occurred_at
                );
                assert!(touchpoint_ids.insert(t.id), "touchpoint id {} twice", t.id);
                assert!(
                    event_ids.insert(t.event_id.clone().unwrap()),
                    "event id twice"
                );
                *phases.entry(t.phase).or_default() += 1;
                *settings.entry(t.setting).or_default() += 1;
            }
        }
        for phase in [
            None,
            Some(Phase::Before),
            Some(Phase::During),
            Some(Phase::After),
        ] {
            assert!(
                phases.get(&phase).copied().unwrap_or(0) > 100,
                "too few touchpoints in {phase:?}: {phases:?}"
            );
        }
        let none = phases[&None] as f64 / total as f64;
        assert!((0.15..0.25).contains(&none), "{none} without phase");
        for setting in [
            None,
            Some(Setting::PhysicalPlace),
            Some(Setting::SocialEnvironment),
        ] {
            assert!(
                settings.get(&setting).copied().unwrap_or(0) > 100,
                "{setting:?}: {settings:?}"
            );
        }
        let by_provider = w
            .touchpoints
            .iter()
            .flatten()
            .filter(|t| t.initiator == crate::Initiator::Provider)
            .count();
        assert!(
            by_provider > 500 && by_provider < total / 2,
            "{by_provider} started by providers"
        );
    }

    #[test]
    fn humans_at_several_providers_look_different_at_each() {
        let w = generate(3, DEFAULT_PEOPLE, anchor());
        let profile = |p: usize, id: ProfileId| w.profiles[p].iter().find(|x| x.id == id).unwrap();
        let emails = |pr: &NewProfile| -> Vec<String> {
            pr.identifiers
                .iter()
                .filter(|i| i.kind == IdentifierKind::Email)
                .map(|i| i.value.clone())
                .collect()
        };
        let mut at_three = 0;
        let mut differing_emails = 0;
        let mut linkable = 0;
        for human in w.truth.iter().filter(|h| h.len() >= 3) {
            at_three += 1;
            let profiles: Vec<&NewProfile> = human.iter().map(|&(p, id)| profile(p, id)).collect();
            assert!(
                profiles
                    .windows(2)
                    .any(|w| w[0].identifiers != w[1].identifiers),
                "all profiles of a human have the same identifiers"
            );
            let all: Vec<String> = profiles.iter().flat_map(|p| emails(p)).collect();
            if all.iter().any(|e| *e != all[0]) {
                differing_emails += 1;
            }
            let shared = |a: &NewProfile, b: &NewProfile| {
                a.identifiers.iter().any(|i| b.identifiers.contains(i))
            };
            if profiles.iter().skip(1).any(|p| shared(profiles[0], p)) {
                linkable += 1;
            }
        }
        assert!(at_three > 100, "{at_three} humans at 3+ providers");
        assert!(
            differing_emails > 5,
            "{differing_emails} humans with differing e-mails"
        );
        assert!(
            linkable > at_three / 4 && linkable < at_three,
            "{linkable} of {at_three} share an identifier"
        );

        // Distinct humans share only what a household shares (the partner's e-mail,
        // the family tablet) and the till's junk number: the truth is exact.
        let mut owner: HashMap<&Identifier, usize> = HashMap::new();
        for (h, human) in w.truth.iter().enumerate() {
            for &(p, id) in human {
                for i in &profile(p, id).identifiers {
                    let first = *owner.entry(i).or_insert(h);
                    // A household is a run of neighbours: a tablet passes down it.
                    let household = h - first <= 4
                        && matches!(i.kind, IdentifierKind::Email | IdentifierKind::DeviceId);
                    assert!(
                        first == h || household || i.value == "0",
                        "{i:?} belongs to two humans"
                    );
                }
            }
        }
    }

    #[test]
    fn side_journeys_and_extras_use_known_channels_and_anchor_on_a_during_step() {
        for spec in PROVIDERS {
            for journey in spec.side_journeys {
                let anchor = anchor_of(journey);
                assert_eq!(journey.steps[anchor].phase, Phase::During);
                assert!(journey.steps[anchor].chance >= 1.0);
                assert!(journey.steps.len() <= MAX_STEPS);
            }
            let steps = spec
                .journeys
                .iter()
                .chain(spec.side_journeys)
                .flat_map(|j| j.steps.iter().chain(j.extra));
            for step in steps.chain(CONTACTS) {
                // Resolving parses every kind and channel key.
                resolve(spec, step);
                for ch in step.channels {
                    assert!(
                        crate::channel::builtin(ch).is_some()
                            || spec.channels.iter().any(|c| c.0 == *ch),
                        "{} uses unknown channel {ch}",
                        spec.slug
                    );
                }
            }
        }
    }

    #[test]
    fn the_journey_tables_use_known_channels_and_valid_kinds() {
        for spec in PROVIDERS {
            let state = ProviderState::new(spec);
            for (j, journey) in spec.journeys.iter().enumerate() {
                assert!(journey.steps.len() <= MAX_STEPS);
                assert!(journey.hours.0 < journey.hours.1 && journey.hours.1 <= 24);
                let anchor = state.anchors[j];
                assert_eq!(
                    journey.steps[anchor].phase,
                    Phase::During,
                    "{} journey {j} has no anchor",
                    spec.slug
                );
                assert!(journey.steps[anchor].chance >= 1.0);
                let phases: Vec<Phase> = journey.steps.iter().map(|s| s.phase).collect();
                assert!(
                    phases.is_sorted(),
                    "{} journey {j} steps out of phase order",
                    spec.slug
                );
                for step in journey.steps.iter().chain(journey.extra) {
                    for ch in step.channels {
                        assert!(
                            crate::channel::builtin(ch).is_some()
                                || spec.channels.iter().any(|c| c.0 == *ch),
                            "{} uses unknown channel {ch}",
                            spec.slug
                        );
                    }
                }
            }
        }
    }

    /// Every journey of the world `w` with its anchor touchpoint.
    fn planted(w: &Chunk) -> Vec<(usize, PlantedJourney, &NewTouchpoint)> {
        let mut out = Vec::new();
        for (p, journeys) in w.journeys.iter().enumerate() {
            let by_id: HashMap<TouchpointId, &NewTouchpoint> =
                w.touchpoints[p].iter().map(|t| (t.id, t)).collect();
            for j in journeys {
                out.push((p, *j, by_id[&j.anchor]));
            }
        }
        out
    }

    #[test]
    fn every_planted_journey_names_an_observed_anchor_of_its_profile() {
        let w = generate(9, 1500, anchor());
        let planted = planted(&w);
        let mut anchors = HashSet::new();
        let mut motivations: HashMap<Motivation, usize> = HashMap::new();
        for (p, j, t) in &planted {
            assert!(anchors.insert(j.anchor), "{} planted twice", j.anchor);
            assert_eq!(t.subject, Subject::Profile(j.profile));
            let kinds: Vec<&str> = PROVIDERS[*p]
                .journeys
                .iter()
                .chain(PROVIDERS[*p].side_journeys)
                .map(|k| k.steps[anchor_of(k)].kind)
                .collect();
            assert!(kinds.contains(&t.kind.as_str()), "{:?}", t.kind);
            *motivations.entry(j.motivation).or_default() += 1;
        }
        // Each provider's journeys are known, and all three motivations are common.
        for (p, journeys) in w.journeys.iter().enumerate() {
            assert!(journeys.len() > 100, "{} journeys at {p}", journeys.len());
        }
        for m in Motivation::ALL {
            assert!(motivations[m] * 8 > planted.len(), "{motivations:?}");
        }
        // What the second stream makes numbers from 2^40, never among the first's.
        for t in w.touchpoints.iter().flatten() {
            let seq: u64 = t
                .event_id
                .as_ref()
                .unwrap()
                .rsplit('-')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            assert!(!(100_000..SIDE_SEQ).contains(&seq), "{seq}");
        }
    }

    #[test]
    fn pressure_brings_contacts_and_spoils_felt_journeys_but_not_errands() {
        let w = generate(4, 6000, anchor());
        let planted = planted(&w);
        let by_pressure = |felt: bool, f: &dyn Fn(&PlantedJourney) -> f64| -> Vec<f64> {
            Pressure::ALL
                .iter()
                .map(|&pressure| {
                    let of: Vec<f64> = planted
                        .iter()
                        .filter(|(_, j, _)| j.pressure == pressure)
                        .filter(|(_, j, _)| (j.motivation != Motivation::GoalFulfilment) == felt)
                        .map(|(_, j, _)| f(j))
                        .collect();
                    of.iter().sum::<f64>() / of.len() as f64
                })
                .collect()
        };
        // Coming back: the share of journeys that are repeats.
        let back = |j: &PlantedJourney| f64::from(u8::from(j.repeat));
        let (felt, goal) = (by_pressure(true, &back), by_pressure(false, &back));
        assert!(felt[0] > felt[1] && felt[1] > felt[2] + 0.05, "{felt:?}");
        assert!((goal[0] - goal[2]).abs() < 0.04, "{goal:?}");

        // Contacts from the provider per profile, by pressure of its human.
        let mut pressure_of: HashMap<ProfileId, Pressure> = HashMap::new();
        for (_, j, _) in &planted {
            pressure_of.insert(j.profile, j.pressure);
        }
        let mut contacts: HashMap<Pressure, (usize, HashSet<ProfileId>)> = HashMap::new();
        for t in w.touchpoints.iter().flatten() {
            let Subject::Profile(id) = t.subject else {
                continue;
            };
            if let Some(&pressure) = pressure_of.get(&id) {
                let entry = contacts.entry(pressure).or_default();
                entry.1.insert(id);
                if t.initiator == crate::Initiator::Provider {
                    entry.0 += 1;
                }
            }
        }
        let per = |p: Pressure| contacts[&p].0 as f64 / contacts[&p].1.len() as f64;
        assert!(
            per(Pressure::Low) + 0.5 < per(Pressure::Medium)
                && per(Pressure::Medium) + 1.0 < per(Pressure::High),
            "{:?}",
            Pressure::ALL.map(per)
        );

        // Stars of the reviews written on each journey.
        let mut stars: HashMap<(bool, Pressure), Vec<f64>> = HashMap::new();
        let mut of_profile: HashMap<ProfileId, Vec<&NewTouchpoint>> = HashMap::new();
        for t in w.touchpoints.iter().flatten() {
            if let Subject::Profile(id) = t.subject {
                of_profile.entry(id).or_default().push(t);
            }
        }
        for (_, j, anchor) in &planted {
            for t in &of_profile[&j.profile] {
                let after = t.occurred_at > anchor.occurred_at
                    && t.occurred_at - anchor.occurred_at < chrono::Duration::days(12);
                if let Some(s) = t.properties.get("stars").and_then(Value::as_f64)
                    && after
                {
                    let felt = j.motivation != Motivation::GoalFulfilment;
                    stars.entry((felt, j.pressure)).or_default().push(s);
                }
            }
        }
        let mean = |k: (bool, Pressure)| stars[&k].iter().sum::<f64>() / stars[&k].len() as f64;
        let felt_drop = mean((true, Pressure::Low)) - mean((true, Pressure::High));
        let goal_drop = mean((false, Pressure::Low)) - mean((false, Pressure::High));
        assert!(
            felt_drop > 0.5 && goal_drop.abs() < 0.3,
            "{felt_drop} {goal_drop}"
        );
    }

    /// "070-123 45 67": the prefix and a seven-digit subscriber number.
    fn mobile(prefix: &str, number: u32) -> String {
        format!(
            "{prefix}-{:03} {:02} {:02}",
            number / 10_000,
            number / 100 % 100,
            number % 100
        )
    }

    #[test]
    fn demo_mobile_numbers_are_valid_swedish_numbers() {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        for prefix in MOBILE_PREFIXES {
            for number in [0, 9_999_999]
                .into_iter()
                .chain((0..200).map(|_| rng.random_range(0..10_000_000)))
            {
                let written = mobile(prefix, number);
                let id = Identifier::parse(IdentifierKind::Phone, &written, "SE").unwrap();
                assert_eq!(
                    id.value,
                    format!("+46{}{number:07}", &prefix[1..]),
                    "{written}"
                );
            }
        }
        assert_eq!(mobile("070", 1_234_567), "070-123 45 67");
    }

    #[test]
    fn misspellings_differ_from_the_name() {
        for last in SURNAMES {
            assert_ne!(misspelt(last), *last);
        }
        assert_eq!(misspelt("Karlsson"), "Karlson");
    }

    /// `cargo test --release -p motesplats-core demo::tests::timing -- --ignored --nocapture`
    #[test]
    #[ignore = "prints timings; run in release"]
    fn timing() {
        for humans in [DEFAULT_PEOPLE, 100_000, 1_000_000] {
            let t = std::time::Instant::now();
            let (mut profiles, mut touchpoints) = (0, 0);
            for chunk in people(1, humans, anchor(), 2000) {
                profiles += chunk.profiles.iter().map(Vec::len).sum::<usize>();
                touchpoints += chunk.touchpoints.iter().map(Vec::len).sum::<usize>();
            }
            let elapsed = t.elapsed();
            println!(
                "{humans} people: {profiles} profiles, {touchpoints} touchpoints in {elapsed:.2?}"
            );
        }
    }
}
