//! The café's two surveys and their responses, shaped by the demo's own journeys.
//!
//! `CafeJourneys` reads the café's touchpoints as the world is generated: each
//! purchase becomes a visit (ordered at the counter, in the kiosk, or in the app when
//! the app was used around it; come for a booked table, an event or an errand), each
//! app touchpoint with a phase an app use. Some of them answer: the visit survey
//! ("Efter besöket") and the app survey ("Appen"). Scores are drawn around designed
//! means that differ by how the visitor ordered and by the phase the app was used in,
//! open answers come in Swedish and English, and two coders code them with the default
//! codebook on an overlapping subset, so agreement can be computed.
//!
//! Everything comes from the seed and the journeys: the same world gives the same
//! surveys, ids included. [`SurveysTruth`] says what was designed and made.

use super::journeys::PROVIDERS;
use crate::coding::{Codebook, Coding, CodingId, CodingInput};
use crate::ids::ProfileId;
use crate::invalid::{Invalid, Reason};
use crate::survey::{
    Answer, Response, ResponseId, ResponseInput, Survey, SurveyId, SurveyInput, SurveyStatus,
};
use crate::touchpoint::{NewTouchpoint, Subject};
use crate::value::{Motivation, Phase};
use chrono::{DateTime, Duration, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value, json};

/// Visits and app uses kept from the journeys; the first ones are plenty for a few
/// hundred answers, and memory stays bounded in a world of a million people.
const KEEP: usize = 4_000;
/// Chance that a visit answers the visit survey, and the most answers it takes.
const VISIT_RATE: f64 = 0.2;
const VISIT_MAX: usize = 320;
/// Chance that an app use answers the app survey, and the most answers it takes.
const APP_RATE: f64 = 0.4;
const APP_MAX: usize = 200;
/// Chance that an answer is in English rather than Swedish.
const ENGLISH: f64 = 0.2;
/// Chance that a person writes an open answer.
const COMMENTS: f64 = 0.45;
/// Chance that an answer is linked to the person's profile.
const CONSENT: f64 = 0.6;
/// The two coders; the second codes part of what the first coded, and a few more.
pub const CODERS: [&str; 2] = ["Sara", "Amira"];
const FIRST_CODES: f64 = 0.7;
const SECOND_OVERLAP: f64 = 0.5;
const SECOND_ALONE: f64 = 0.15;
/// Chance that the second coder leaves out a code the first one applied.
const SECOND_MISSES: f64 = 0.12;

/// Where a visitor ordered: the answer to the visit survey's `ordered` question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ordered {
    Store,
    Kiosk,
    App,
}

impl Ordered {
    const ALL: [Ordered; 3] = [Ordered::Store, Ordered::Kiosk, Ordered::App];

    /// The option key, the café's channel key.
    fn key(self) -> &'static str {
        match self {
            Ordered::Store => "store",
            Ordered::Kiosk => "kiosk",
            Ordered::App => "app",
        }
    }

    /// Designed means: (waiting 1–5, overall CSAT 1–5, recommend NPS 0–10). Ordering
    /// in the app is meant to save time, yet the order waits in the counter's queue.
    fn means(self) -> (f64, f64, f64) {
        match self {
            Ordered::Store => (4.0, 4.3, 8.0),
            Ordered::Kiosk => (4.3, 4.2, 8.2),
            Ordered::App => (2.7, 3.4, 6.5),
        }
    }
}

/// Designed mean usefulness (1–5) of the app by the phase it was used in: the menu
/// before the visit helps; ordering and stamps during the visit less so.
fn useful_mean(phase: Phase) -> f64 {
    match phase {
        Phase::Before => 4.1,
        Phase::During => 2.8,
        Phase::After => 3.5,
    }
}

#[derive(Debug, Clone)]
struct Visit {
    profile: ProfileId,
    at: DateTime<Utc>,
    ordered: Ordered,
    motivation: Motivation,
}

#[derive(Debug, Clone)]
struct AppUse {
    profile: ProfileId,
    at: DateTime<Utc>,
    phase: Phase,
}

/// The café's visits and app uses, gathered from the world chunk by chunk.
#[derive(Debug, Clone, Default)]
pub struct CafeJourneys {
    visits: Vec<Visit>,
    app_uses: Vec<AppUse>,
}

/// The café's index in the world's providers.
pub fn cafe_index() -> usize {
    PROVIDERS.iter().position(|p| p.slug == "cafe").unwrap_or(0)
}

impl CafeJourneys {
    /// The café's journeys of the world `seed`, `people` and `anchor` make, generated
    /// afresh; the loader gathers the same with `add` while it writes the world.
    pub fn generate(seed: u64, people: usize, anchor: DateTime<Utc>) -> CafeJourneys {
        let mut journeys = CafeJourneys::default();
        for chunk in super::people(seed, people, anchor, KEEP) {
            journeys.add(&chunk.touchpoints[cafe_index()]);
        }
        journeys
    }

    /// Reads the café's touchpoints of one chunk, as the generator made them: grouped
    /// by profile, each journey in time order.
    pub fn add(&mut self, touchpoints: &[NewTouchpoint]) {
        for profile in touchpoints.chunk_by(|a, b| a.subject == b.subject) {
            let Subject::Profile(id) = profile[0].subject else {
                continue;
            };
            for t in profile {
                match (t.kind.as_str(), t.channel.as_str()) {
                    ("purchase", channel) if self.visits.len() < KEEP => {
                        self.visits.push(Visit {
                            profile: id,
                            at: t.occurred_at,
                            ordered: ordered(profile, t, channel),
                            motivation: motivation(profile, t),
                        });
                    }
                    (_, "app") if self.app_uses.len() < KEEP => {
                        if let Some(phase) = t.phase {
                            self.app_uses.push(AppUse {
                                profile: id,
                                at: t.occurred_at,
                                phase,
                            });
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

/// In the app when the person used it from two hours before the purchase to five
/// minutes after it; otherwise where the purchase was made.
fn ordered(profile: &[NewTouchpoint], purchase: &NewTouchpoint, channel: &str) -> Ordered {
    let around =
        purchase.occurred_at - Duration::hours(2)..=purchase.occurred_at + Duration::minutes(5);
    if profile
        .iter()
        .any(|t| t.channel.as_str() == "app" && around.contains(&t.occurred_at))
    {
        Ordered::App
    } else if channel == "kiosk" {
        Ordered::Kiosk
    } else {
        Ordered::Store
    }
}

/// Why the person came: an event is an experience, a booked table company; any other
/// purchase an errand.
fn motivation(profile: &[NewTouchpoint], purchase: &NewTouchpoint) -> Motivation {
    let before = purchase.occurred_at - Duration::hours(3)..=purchase.occurred_at;
    let visit = profile
        .iter()
        .find(|t| t.kind.as_str() == "visit" && before.contains(&t.occurred_at));
    match visit.map(|t| t.channel.as_str()) {
        Some("event") => Motivation::Experiences,
        Some(_) => Motivation::Relationships,
        None => Motivation::GoalFulfilment,
    }
}

/// One survey with what was answered and coded.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoSurvey {
    pub survey: Survey,
    /// Oldest first.
    pub responses: Vec<Response>,
    pub codings: Vec<Coding>,
}

/// A designed mean and how many answers it was drawn for: the mean of `question`
/// among the responses of survey `survey` whose answer to `by` is `group`.
#[derive(Debug, Clone, PartialEq)]
pub struct DesignedMean {
    pub survey: usize,
    pub question: &'static str,
    pub by: &'static str,
    pub group: &'static str,
    pub mean: f64,
    pub answers: usize,
}

/// What one survey got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyTruth {
    pub id: SurveyId,
    pub responses: usize,
    pub english: usize,
    pub linked: usize,
    /// Responses with an open answer.
    pub commented: usize,
    /// Codings per coder, in the order of [`CODERS`].
    pub codings: [usize; 2],
    /// Open answers both coders coded.
    pub coded_by_both: usize,
}

/// What the surveys were designed to show and what was made.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveysTruth {
    pub surveys: Vec<SurveyTruth>,
    pub designed: Vec<DesignedMean>,
}

/// The café's two surveys, answered by the visits and app uses of `journeys`, all
/// before `anchor`.
pub fn surveys(
    seed: u64,
    journeys: &CafeJourneys,
    anchor: DateTime<Utc>,
) -> Result<(Vec<DemoSurvey>, SurveysTruth), Invalid> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x7375_7276_6579_7321);
    let codebook = Codebook::value_landscape();
    let opened = anchor - Duration::days(super::WINDOW_DAYS);
    let mut maker = Maker {
        rng: &mut rng,
        codebook: &codebook,
        anchor,
    };

    let visit = maker.survey(visit_survey(), opened)?;
    let mut answers = Vec::new();
    for v in journeys.visits.iter() {
        if answers.len() >= VISIT_MAX {
            break;
        }
        if maker.rng.random_bool(VISIT_RATE) {
            answers.push(maker.visit_answer(v));
        }
    }
    let visit = maker.answered(visit, answers)?;

    let app = maker.survey(app_survey(), opened)?;
    let mut answers = Vec::new();
    for u in journeys.app_uses.iter() {
        if answers.len() >= APP_MAX {
            break;
        }
        if maker.rng.random_bool(APP_RATE) {
            answers.push(maker.app_answer(u));
        }
    }
    let app = maker.answered(app, answers)?;

    let made = [visit, app];
    let mut designed = Vec::new();
    let group_size = |s: &DemoSurvey, by: &str, group: &str| {
        s.responses.iter().filter(|r| chose(r, by, group)).count()
    };
    for o in Ordered::ALL {
        let (waiting, overall, recommend) = o.means();
        for (question, mean) in [
            ("waiting", waiting),
            ("overall", overall),
            ("recommend", recommend),
        ] {
            designed.push(DesignedMean {
                survey: 0,
                question,
                by: "ordered",
                group: o.key(),
                mean,
                answers: group_size(&made[0].0, "ordered", o.key()),
            });
        }
    }
    for &phase in Phase::ALL.iter() {
        let answers = group_size(&made[1].0, "when", phase.as_str());
        if answers > 0 {
            designed.push(DesignedMean {
                survey: 1,
                question: "useful",
                by: "when",
                group: phase.as_str(),
                mean: useful_mean(phase),
                answers,
            });
        }
    }
    let (surveys, truths): (Vec<_>, Vec<_>) = made.into_iter().unzip();
    Ok((
        surveys,
        SurveysTruth {
            surveys: truths,
            designed,
        },
    ))
}

/// One person's answers before they are checked, and who they are.
struct Answering {
    profile: ProfileId,
    at: DateTime<Utc>,
    english: bool,
    answers: Map<String, Value>,
    /// The open answer's codes with the words they mark.
    comment: Option<&'static Comment>,
}

struct Maker<'a> {
    rng: &'a mut ChaCha8Rng,
    codebook: &'a Codebook,
    anchor: DateTime<Utc>,
}

impl Maker<'_> {
    /// An id made at `at`, from the seed.
    fn uuid(&mut self, at: DateTime<Utc>) -> uuid::Uuid {
        let ms = u64::try_from(at.timestamp_millis()).unwrap_or(0);
        uuid::Builder::from_unix_timestamp_millis(ms, &self.rng.random()).into_uuid()
    }

    fn survey(&mut self, input: Value, opened: DateTime<Utc>) -> Result<Survey, Invalid> {
        let input: SurveyInput = serde_json::from_value(input).map_err(|e| {
            Invalid::one(
                "survey",
                Reason::Unreadable {
                    detail: e.to_string(),
                },
            )
        })?;
        let mut survey = Survey::parse(&input)?.with_status(SurveyStatus::Open)?;
        survey.id = SurveyId(self.uuid(opened));
        Ok(survey)
    }

    fn person(&mut self, profile: ProfileId, at: DateTime<Utc>) -> Answering {
        // Answers come within two days of the visit, and never after the anchor.
        let delay = Duration::minutes(self.rng.random_range(20..48 * 60));
        Answering {
            profile,
            at: (at + delay).min(self.anchor),
            english: self.rng.random_bool(ENGLISH),
            answers: Map::new(),
            comment: None,
        }
    }

    fn visit_answer(&mut self, v: &Visit) -> Answering {
        let mut a = self.person(v.profile, v.at);
        let (waiting, overall, recommend) = v.ordered.means();
        let waiting = draw(self.rng, 1, 5, waiting);
        let overall = draw(self.rng, 1, 5, overall);
        let recommend = draw(self.rng, 0, 10, recommend);
        a.answers.insert("ordered".into(), v.ordered.key().into());
        a.answers.insert("waiting".into(), waiting.into());
        a.answers.insert("overall".into(), overall.into());
        a.answers.insert("recommend".into(), recommend.into());
        a.answers
            .insert("motivation".into(), v.motivation.as_str().into());
        let pool = match (v.ordered, waiting >= 4) {
            (Ordered::App, false) => APP_SLOW,
            (Ordered::App, true) => APP_QUICK,
            (Ordered::Kiosk, true) => KIOSK_QUICK,
            (Ordered::Store, true) => COUNTER_GOOD,
            (_, false) => QUEUE_SLOW,
        };
        self.comment(&mut a, pool);
        a
    }

    fn app_answer(&mut self, u: &AppUse) -> Answering {
        let mut a = self.person(u.profile, u.at);
        let useful = draw(self.rng, 1, 5, useful_mean(u.phase));
        a.answers.insert("when".into(), u.phase.as_str().into());
        a.answers.insert("useful".into(), useful.into());
        let pool = match (u.phase, useful >= 4) {
            (Phase::Before, true) => MENU_USEFUL,
            (Phase::During, true) => STAMPS_FUN,
            (Phase::During, false) => APP_ORDER_SLOW,
            (_, _) => NOTICES_INTRUSIVE,
        };
        self.comment(&mut a, pool);
        a
    }

    /// Perhaps an open answer from `pool`, in the person's language.
    fn comment(&mut self, a: &mut Answering, pool: &'static [[Comment; 2]]) {
        if self.rng.random_bool(COMMENTS) {
            let pair = &pool[self.rng.random_range(0..pool.len())];
            let c = &pair[usize::from(a.english)];
            a.answers.insert("comment".into(), c.text.into());
            a.comment = Some(c);
        }
    }

    /// Checks the answers against the survey, codes the open answers, and counts.
    fn answered(
        &mut self,
        survey: Survey,
        answering: Vec<Answering>,
    ) -> Result<(DemoSurvey, SurveyTruth), Invalid> {
        let mut truth = SurveyTruth {
            id: survey.id,
            responses: answering.len(),
            english: 0,
            linked: 0,
            commented: 0,
            codings: [0, 0],
            coded_by_both: 0,
        };
        let mut answering = answering;
        answering.sort_by_key(|a| a.at);
        let mut responses = Vec::with_capacity(answering.len());
        let mut codings = Vec::new();
        for a in answering {
            let consent = self.rng.random_bool(CONSENT);
            let input = ResponseInput {
                answers: Some(a.answers),
                language: Some(if a.english { "en" } else { "sv" }.into()),
                consent: Some(consent),
                ..Default::default()
            };
            let mut r = Response::parse(&survey, &input, a.at)?;
            r.id = ResponseId(self.uuid(a.at));
            r.profile_id = consent.then_some(a.profile);
            truth.english += usize::from(a.english);
            truth.linked += usize::from(consent);
            if let Some(comment) = a.comment {
                truth.commented += 1;
                let first = self.rng.random_bool(FIRST_CODES);
                let second =
                    self.rng
                        .random_bool(if first { SECOND_OVERLAP } else { SECOND_ALONE });
                truth.coded_by_both += usize::from(first && second);
                for (coder, codes) in CODERS.into_iter().zip([first, second]) {
                    if !codes {
                        continue;
                    }
                    for &(code, words) in comment.codes {
                        if coder == CODERS[1] && self.rng.random_bool(SECOND_MISSES) {
                            continue;
                        }
                        codings.push(self.coding(&survey, &r, comment.text, code, words, coder)?);
                        truth.codings[usize::from(coder == CODERS[1])] += 1;
                    }
                }
            }
            responses.push(r);
        }
        Ok((
            DemoSurvey {
                survey,
                responses,
                codings,
            },
            truth,
        ))
    }

    fn coding(
        &mut self,
        survey: &Survey,
        response: &Response,
        text: &str,
        code: &str,
        words: &str,
        coder: &str,
    ) -> Result<Coding, Invalid> {
        let (start, end) = span(text, words).ok_or_else(|| {
            Invalid::one(
                "comment",
                Reason::WordsNotInText {
                    words: words.to_string(),
                },
            )
        })?;
        let at = (response.submitted_at + Duration::days(2)).min(self.anchor);
        let input = CodingInput {
            response_id: Some(response.id),
            question: Some("comment".into()),
            start: Some(start),
            end: Some(end),
            code: Some(code.into()),
            coder: Some(coder.into()),
        };
        let mut coding = input.parse(survey, std::slice::from_ref(response), self.codebook, at)?;
        coding.id = CodingId(self.uuid(at));
        Ok(coding)
    }
}

/// Where `words` lie in `text`, in characters (end exclusive), as codings count.
fn span(text: &str, words: &str) -> Option<(i64, i64)> {
    let byte = text.find(words)?;
    let start = text[..byte].chars().count();
    let end = start + words.chars().count();
    Some((i64::try_from(start).ok()?, i64::try_from(end).ok()?))
}

/// Whether `response` chose the option `option` in the single choice `question`.
pub fn chose(response: &Response, question: &str, option: &str) -> bool {
    matches!(response.answers.get(question), Some(Answer::Choice(k)) if k.as_str() == option)
}

/// A whole number in `lo..=hi` whose expected value is `mean`: the points weighted
/// by exp(θ·point), θ found by bisection, so no clipping pulls the mean off.
fn draw(rng: &mut ChaCha8Rng, lo: i32, hi: i32, mean: f64) -> i32 {
    let weights = |theta: f64| -> Vec<f64> {
        (lo..=hi)
            .map(|k| (theta * f64::from(k - lo)).exp())
            .collect()
    };
    let mean_of = |w: &[f64]| -> f64 {
        let total: f64 = w.iter().sum();
        w.iter()
            .zip(lo..)
            .map(|(w, k)| w * f64::from(k))
            .sum::<f64>()
            / total
    };
    let (mut low, mut high) = (-20.0_f64, 20.0_f64);
    for _ in 0..60 {
        let mid = (low + high) / 2.0;
        if mean_of(&weights(mid)) < mean {
            low = mid;
        } else {
            high = mid;
        }
    }
    let w = weights((low + high) / 2.0);
    let mut roll = rng.random::<f64>() * w.iter().sum::<f64>();
    for (w, k) in w.iter().zip(lo..) {
        if roll < *w {
            return k;
        }
        roll -= w;
    }
    hi
}

/// An open answer and its codes, each with the words it marks.
struct Comment {
    text: &'static str,
    codes: &'static [(&'static str, &'static str)],
}

const fn c(text: &'static str, codes: &'static [(&'static str, &'static str)]) -> Comment {
    Comment { text, codes }
}

/// Pools of open answers: each entry the same kind of remark in Swedish and English,
/// written for the demo, not translated word for word.
const APP_SLOW: &[[Comment; 2]] = &[
    [
        c(
            "Beställde i appen för att slippa kön, men fick ändå stå och vänta vid disken.",
            &[
                ("digital.useful", "Beställde i appen för att slippa kön"),
                ("stance.dislike", "fick ändå stå och vänta vid disken"),
                ("phase.during", "stå och vänta vid disken"),
            ],
        ),
        c(
            "I ordered in the app to skip the line and still ended up waiting at the counter.",
            &[
                ("digital.useful", "ordered in the app to skip the line"),
                ("stance.dislike", "still ended up waiting at the counter"),
                ("phase.during", "waiting at the counter"),
            ],
        ),
    ],
    [
        c(
            "Ingen visste vilken beställning som var min. Appen sa klar långt innan kaffet var det.",
            &[
                (
                    "stance.dislike",
                    "Ingen visste vilken beställning som var min",
                ),
                (
                    "digital.intrusive",
                    "Appen sa klar långt innan kaffet var det",
                ),
                (
                    "phase.during",
                    "Ingen visste vilken beställning som var min",
                ),
            ],
        ),
        c(
            "Nobody knew which order was mine, and the app said ready long before it was.",
            &[
                ("stance.dislike", "Nobody knew which order was mine"),
                ("digital.intrusive", "the app said ready long before it was"),
                ("phase.during", "Nobody knew which order was mine"),
            ],
        ),
    ],
];

const APP_QUICK: &[[Comment; 2]] = &[[
    c(
        "Smidigt att beställa på bussen och bara hämta, jag hann till jobbet i tid.",
        &[
            ("digital.useful", "Smidigt att beställa på bussen"),
            ("motivation.goal_fulfilment", "jag hann till jobbet i tid"),
            ("stance.like", "Smidigt"),
            ("phase.before", "beställa på bussen"),
        ],
    ),
    c(
        "Easy to order on the bus and just pick it up, I made it to work on time.",
        &[
            ("digital.useful", "Easy to order on the bus"),
            ("motivation.goal_fulfilment", "I made it to work on time"),
            ("stance.like", "Easy"),
            ("phase.before", "order on the bus"),
        ],
    ),
]];

const KIOSK_QUICK: &[[Comment; 2]] = &[
    [
        c(
            "Kiosken går fort när man vet vad man vill ha.",
            &[
                ("digital.useful", "Kiosken går fort"),
                ("stance.like", "Kiosken går fort"),
                ("phase.during", "Kiosken går fort"),
            ],
        ),
        c(
            "The kiosk is quick when you know what you want.",
            &[
                ("digital.useful", "The kiosk is quick"),
                ("stance.like", "The kiosk is quick"),
                ("phase.during", "The kiosk is quick"),
            ],
        ),
    ],
    [
        c(
            "Bra med skärmen vid entrén, men jag saknar att prata med baristan.",
            &[
                ("digital.useful", "Bra med skärmen vid entrén"),
                (
                    "motivation.relationships",
                    "jag saknar att prata med baristan",
                ),
                ("setting.physical_place", "skärmen vid entrén"),
            ],
        ),
        c(
            "The screen by the door is handy, but I miss chatting with the barista.",
            &[
                ("digital.useful", "The screen by the door is handy"),
                (
                    "motivation.relationships",
                    "I miss chatting with the barista",
                ),
                ("setting.physical_place", "The screen by the door"),
            ],
        ),
    ],
];

const COUNTER_GOOD: &[[Comment; 2]] = &[
    [
        c(
            "Baristan kom ihåg hur jag vill ha mitt kaffe. Sånt gör dagen.",
            &[
                (
                    "motivation.relationships",
                    "Baristan kom ihåg hur jag vill ha mitt kaffe",
                ),
                ("stance.like", "Sånt gör dagen"),
                (
                    "phase.during",
                    "Baristan kom ihåg hur jag vill ha mitt kaffe",
                ),
            ],
        ),
        c(
            "The barista remembered how I take my coffee. That makes my day.",
            &[
                (
                    "motivation.relationships",
                    "The barista remembered how I take my coffee",
                ),
                ("stance.like", "That makes my day"),
                (
                    "phase.during",
                    "The barista remembered how I take my coffee",
                ),
            ],
        ),
    ],
    [
        c(
            "Mysigt ljus och gott om plats vid fönstret, vi satt kvar i två timmar.",
            &[
                (
                    "setting.physical_place",
                    "Mysigt ljus och gott om plats vid fönstret",
                ),
                ("motivation.experiences", "vi satt kvar i två timmar"),
                ("stance.like", "Mysigt"),
            ],
        ),
        c(
            "Cosy light and plenty of room by the window, we stayed for two hours.",
            &[
                (
                    "setting.physical_place",
                    "Cosy light and plenty of room by the window",
                ),
                ("motivation.experiences", "we stayed for two hours"),
                ("stance.like", "Cosy"),
            ],
        ),
    ],
];

const QUEUE_SLOW: &[[Comment; 2]] = &[[
    c(
        "Kön var lång vid lunch och det fanns ingenstans att sitta.",
        &[
            ("setting.physical_place", "ingenstans att sitta"),
            ("stance.dislike", "Kön var lång vid lunch"),
            ("phase.during", "Kön var lång vid lunch"),
        ],
    ),
    c(
        "The line was long at lunch and there was nowhere to sit.",
        &[
            ("setting.physical_place", "nowhere to sit"),
            ("stance.dislike", "The line was long at lunch"),
            ("phase.during", "The line was long at lunch"),
        ],
    ),
]];

const MENU_USEFUL: &[[Comment; 2]] = &[[
    c(
        "Jag kollar alltid dagens soppa i appen innan jag går dit.",
        &[
            ("digital.useful", "kollar alltid dagens soppa i appen"),
            ("phase.before", "innan jag går dit"),
            ("motivation.goal_fulfilment", "kollar alltid dagens soppa"),
        ],
    ),
    c(
        "I always check the soup of the day in the app before I go.",
        &[
            ("digital.useful", "check the soup of the day in the app"),
            ("phase.before", "before I go"),
            ("motivation.goal_fulfilment", "check the soup of the day"),
        ],
    ),
]];

const STAMPS_FUN: &[[Comment; 2]] = &[[
    c(
        "Roligt med stämplarna, min dotter räknar dem varje gång.",
        &[
            ("stance.like", "Roligt med stämplarna"),
            (
                "motivation.relationships",
                "min dotter räknar dem varje gång",
            ),
            ("digital.useful", "stämplarna"),
        ],
    ),
    c(
        "The stamps are fun, my daughter counts them every time.",
        &[
            ("stance.like", "The stamps are fun"),
            (
                "motivation.relationships",
                "my daughter counts them every time",
            ),
            ("digital.useful", "The stamps"),
        ],
    ),
]];

const APP_ORDER_SLOW: &[[Comment; 2]] = &[[
    c(
        "Appen hänger sig vid betalningen och kön växer bakom mig.",
        &[
            ("digital.intrusive", "Appen hänger sig vid betalningen"),
            ("stance.dislike", "kön växer bakom mig"),
            ("phase.during", "vid betalningen"),
        ],
    ),
    c(
        "The app freezes at payment while the line grows behind me.",
        &[
            ("digital.intrusive", "The app freezes at payment"),
            ("stance.dislike", "the line grows behind me"),
            ("phase.during", "at payment"),
        ],
    ),
]];

const NOTICES_INTRUSIVE: &[[Comment; 2]] = &[[
    c(
        "För många notiser om erbjudanden, jag stängde av dem.",
        &[
            ("digital.intrusive", "För många notiser om erbjudanden"),
            ("stance.dislike", "jag stängde av dem"),
            ("phase.after", "notiser om erbjudanden"),
        ],
    ),
    c(
        "Too many notifications about offers, so I turned them off.",
        &[
            ("digital.intrusive", "Too many notifications about offers"),
            ("stance.dislike", "I turned them off"),
            ("phase.after", "notifications about offers"),
        ],
    ),
]];

/// Every pool, for the test that each marked span is in its text.
#[cfg(test)]
const POOLS: &[&[[Comment; 2]]] = &[
    APP_SLOW,
    APP_QUICK,
    KIOSK_QUICK,
    COUNTER_GOOD,
    QUEUE_SLOW,
    MENU_USEFUL,
    STAMPS_FUN,
    APP_ORDER_SLOW,
    NOTICES_INTRUSIVE,
];

fn anchors(low: (&str, &str), high: (&str, &str)) -> Value {
    json!([
        {"point": 1, "label": {"sv": low.0, "en": low.1}},
        {"point": 5, "label": {"sv": high.0, "en": high.1}}
    ])
}

fn comment_question() -> Value {
    json!({"key": "comment", "kind": "open_text", "max_length": 1000,
           "text": {"sv": "Vill du berätta mer?", "en": "Anything you would like to tell us?"}})
}

fn visit_survey() -> Value {
    json!({
        "title": {"sv": "Efter besöket på Kafé Kanelbullen", "en": "After your visit to Kafé Kanelbullen"},
        "languages": ["sv", "en"],
        "intro": {"sv": "Tack för besöket! Fem frågor, en minut.",
                  "en": "Thank you for coming! Five questions, one minute."},
        "phase": "during", "touchpoint_kind": "purchase",
        "sections": [{"questions": [
            {"key": "ordered", "kind": "single_choice", "required": true,
             "text": {"sv": "Hur beställde du?", "en": "How did you order?"},
             "options": [
                {"key": "store", "label": {"sv": "Vid disken", "en": "At the counter"}},
                {"key": "kiosk", "label": {"sv": "I beställningskiosken", "en": "At the order kiosk"}},
                {"key": "app", "label": {"sv": "I appen", "en": "In the app"}}
             ]},
            {"key": "waiting", "kind": "scale", "points": 5, "required": true,
             "anchors": anchors(("Alldeles för lång", "Far too long"), ("Helt okej", "Perfectly fine")),
             "text": {"sv": "Hur var väntetiden?", "en": "How was the wait?"}},
            {"key": "overall", "kind": "csat", "required": true,
             "text": {"sv": "Hur nöjd är du med besöket?", "en": "How satisfied are you with your visit?"}},
            {"key": "motivation", "kind": "single_choice",
             "text": {"sv": "Vad förde dig hit i dag?", "en": "What brought you here today?"},
             "options": [
                {"key": "relationships", "label": {"sv": "Att träffa någon", "en": "Meeting someone"}},
                {"key": "goal_fulfilment", "label": {"sv": "Ett snabbt ärende", "en": "A quick errand"}},
                {"key": "experiences", "label": {"sv": "Ett evenemang eller en stund för mig själv", "en": "An event, or a moment to myself"}}
             ]},
            {"key": "recommend", "kind": "nps", "required": true,
             "text": {"sv": "Hur troligt är det att du rekommenderar oss till en vän?",
                      "en": "How likely are you to recommend us to a friend?"}},
            comment_question()
        ]}]
    })
}

fn app_survey() -> Value {
    json!({
        "title": {"sv": "Kanelbullens app", "en": "The Kanelbullen app"},
        "languages": ["sv", "en"],
        "channel": "app",
        "sections": [{"questions": [
            {"key": "when", "kind": "single_choice", "required": true,
             "text": {"sv": "När använde du appen senast?", "en": "When did you last use the app?"},
             "options": [
                {"key": "before", "label": {"sv": "Före besöket (menyn, bokning)", "en": "Before the visit (menu, booking)"}},
                {"key": "during", "label": {"sv": "Under besöket (beställning, stämplar)", "en": "During the visit (ordering, stamps)"}},
                {"key": "after", "label": {"sv": "Efter besöket (erbjudanden)", "en": "After the visit (offers)"}}
             ]},
            {"key": "useful", "kind": "scale", "points": 5, "required": true,
             "anchors": anchors(("Inte alls", "Not at all"), ("Mycket", "Very much")),
             "text": {"sv": "Hur mycket hjälpte appen dig?", "en": "How much did the app help you?"}},
            comment_question()
        ]}]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coding::agreement;

    fn anchor() -> DateTime<Utc> {
        "2026-11-23T12:00:00Z".parse().unwrap()
    }

    fn journeys(seed: u64, people: usize) -> CafeJourneys {
        CafeJourneys::generate(seed, people, anchor())
    }

    #[test]
    fn the_same_seed_gives_the_same_surveys() {
        let j = journeys(7, 600);
        let (a, ta) = surveys(7, &j, anchor()).unwrap();
        let (b, tb) = surveys(7, &j, anchor()).unwrap();
        assert!(a == b && ta == tb, "two runs from seed 7 differ");
        let (c, _) = surveys(8, &j, anchor()).unwrap();
        assert_ne!(a[0].survey.id, c[0].survey.id);
        assert_ne!(a[0].responses, c[0].responses);
    }

    #[test]
    fn means_differ_by_channel_and_phase_as_designed() {
        let j = journeys(7, super::super::DEFAULT_PEOPLE);
        let (made, truth) = surveys(7, &j, anchor()).unwrap();
        assert_eq!(made.len(), 2);
        for (s, t) in made.iter().zip(&truth.surveys) {
            assert_eq!(s.responses.len(), t.responses);
            assert_eq!(s.survey.id, t.id);
            assert!(
                (100..=VISIT_MAX).contains(&t.responses),
                "{} responses",
                t.responses
            );
            assert!(t.english > 0 && t.english < t.responses / 2);
            for r in &s.responses {
                assert!(r.submitted_at <= anchor());
                assert_eq!(r.profile_id.is_some(), r.consent);
            }
        }
        for d in &truth.designed {
            let s = &made[d.survey];
            let values: Vec<f64> = s
                .responses
                .iter()
                .filter(|r| chose(r, d.by, d.group))
                .filter_map(|r| r.answers.get(d.question)?.point(None))
                .map(f64::from)
                .collect();
            assert_eq!(values.len(), d.answers, "{d:?}");
            assert!(d.answers >= 25, "too few answers for {d:?}");
            let mean = values.iter().sum::<f64>() / values.len() as f64;
            let tolerance = if d.question == "recommend" { 0.8 } else { 0.4 };
            assert!((mean - d.mean).abs() < tolerance, "{mean:.2} for {d:?}");
        }
        // The app keeps people waiting; the kiosk does not.
        let waiting = |group: &str| {
            truth
                .designed
                .iter()
                .find(|d| d.question == "waiting" && d.group == group)
                .unwrap()
                .mean
        };
        assert!(waiting("app") + 1.0 < waiting("store") && waiting("store") < waiting("kiosk"));
    }

    #[test]
    fn two_coders_overlap_so_their_agreement_is_computable() {
        let j = journeys(7, super::super::DEFAULT_PEOPLE);
        let (made, truth) = surveys(7, &j, anchor()).unwrap();
        let book = Codebook::value_landscape();
        for (s, t) in made.iter().zip(&truth.surveys) {
            let by = |coder: &str| s.codings.iter().filter(|c| c.coder == coder).count();
            assert_eq!([by(CODERS[0]), by(CODERS[1])], t.codings);
            assert!(t.coded_by_both >= 10, "{t:?}");
            let a = agreement(&book, &s.codings, CODERS[0], CODERS[1], 0.95);
            assert_eq!(a.answers, t.coded_by_both);
            let kappa = a.overall.expect("kappa").kappa;
            assert!(kappa > 0.6 && kappa < 1.0, "kappa {kappa}");
            let commented = s
                .responses
                .iter()
                .filter(|r| r.answers.contains_key("comment"));
            assert_eq!(commented.count(), t.commented);
        }
    }

    #[test]
    fn every_marked_span_is_in_its_answer_and_its_code_in_the_codebook() {
        let book = Codebook::value_landscape();
        for pool in POOLS {
            for pair in *pool {
                for comment in pair {
                    for (code, words) in comment.codes {
                        assert!(span(comment.text, words).is_some(), "{words:?}");
                        assert!(book.contains(code), "{code}");
                    }
                }
            }
        }
        assert_eq!(span("Väntan är lång", "är lång"), Some((7, 14)));
    }
}
