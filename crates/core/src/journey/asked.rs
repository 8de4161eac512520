//! The classifier beside what people said: where a survey asks the `motivation`
//! question, each answer given with consent is set beside the motivation the rules
//! gave the person's latest journey before answering; and every response's score
//! beside that journey's message pressure and motivation (the third outcome of the
//! value landscape, after purchase and return).

use super::landscape::{JourneyValue, PressureBand};
use super::log::{Log, Placement};
use crate::PersonId;
use crate::value::Motivation;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

/// How long after a meeting an answer is still about it.
pub const ASKED_WITHIN_DAYS: i64 = 30;
const DAY_MS: i64 = 86_400_000;

/// One completed response given with consent.
#[derive(Debug, Clone)]
pub struct Asked {
    pub person: PersonId,
    /// When it was given, UTC ms.
    pub at: i64,
    /// The option chosen at a `motivation` question: a motivation's word when the
    /// survey names its options so.
    pub answer: Option<String>,
    /// Its scale answers pooled on 0–100 (`survey::pooled_score`), if it has any.
    pub score: Option<f64>,
}

/// Survey scores after journeys of one band of pressure and one motivation.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ScoreCell {
    pub band: PressureBand,
    pub motivation: Option<Motivation>,
    pub responses: u64,
    /// The mean score, 0–100.
    pub mean: f64,
}

/// Answers of one option beside journeys of one classified motivation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AskedCell {
    pub answered: String,
    /// `None`: no rule held for the journey.
    pub classified: Option<Motivation>,
    pub answers: u64,
}

/// The classifier measured against people's own answers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct AskedComparison {
    /// Answers set beside a journey.
    pub compared: u64,
    /// Answers with no journey of the person in the `ASKED_WITHIN_DAYS` before.
    pub without_journey: u64,
    /// Of the compared answers that name a motivation, those the classifier agrees
    /// with, and their share (`None` without any).
    pub agreed: u64,
    pub agreement: Option<f64>,
    pub cells: Vec<AskedCell>,
    /// Scores by the band and motivation of the journey before them, in band order.
    pub scores: Vec<ScoreCell>,
}

/// Sets each answer beside the latest journey of its person whose meeting came at
/// most `ASKED_WITHIN_DAYS` before it; `values` are every journey's, by index.
pub fn compare_asked(
    log: &Log,
    placed: &Placement,
    values: &[JourneyValue],
    asked: &[Asked],
) -> AskedComparison {
    let index: HashMap<PersonId, u32> = log
        .persons
        .iter()
        .enumerate()
        .map(|(i, p)| (*p, i as u32))
        .collect();
    // Where each person's journeys begin: journeys come in person order.
    let first = |person: u32| placed.journeys.partition_point(|j| j.person < person);
    let mut cells: BTreeMap<(String, Option<Motivation>), u64> = BTreeMap::new();
    let mut scores: BTreeMap<(PressureBand, usize), (u64, f64)> = BTreeMap::new();
    let (mut compared, mut without, mut named, mut agreed) = (0, 0, 0, 0);
    for a in asked {
        let journey = index.get(&a.person).and_then(|&p| {
            (first(p)..first(p + 1)).rev().find(|&j| {
                let met = log.at[placed.journeys[j].anchor as usize];
                met <= a.at && a.at - met <= ASKED_WITHIN_DAYS * DAY_MS
            })
        });
        let Some(j) = journey else {
            without += u64::from(a.answer.is_some());
            continue;
        };
        let classified = values[j].verdict.motivation;
        if let Some(score) = a.score {
            let order = classified.map_or(Motivation::ALL.len(), |m| m as usize);
            let cell = scores.entry((values[j].band, order)).or_default();
            *cell = (cell.0 + 1, cell.1 + score);
        }
        let Some(answer) = &a.answer else {
            continue;
        };
        compared += 1;
        if let Ok(said) = Motivation::parse(answer) {
            named += 1;
            agreed += u64::from(classified == Some(said));
        }
        *cells.entry((answer.clone(), classified)).or_default() += 1;
    }
    AskedComparison {
        compared,
        without_journey: without,
        agreed,
        agreement: (named > 0).then(|| agreed as f64 / named as f64),
        cells: cells
            .into_iter()
            .map(|((answered, classified), answers)| AskedCell {
                answered,
                classified,
                answers,
            })
            .collect(),
        scores: scores
            .into_iter()
            .map(|((band, m), (responses, sum))| ScoreCell {
                band,
                motivation: Motivation::ALL.get(m).copied(),
                responses,
                mean: sum / responses as f64,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::landscape::{ANSWERS, journey_values};
    use super::super::log::{LogBuilder, LogRow};
    use super::super::motivation::{MotivationRules, StepSignals};
    use super::super::{Clock, JourneySettings};
    use super::*;
    use crate::TouchpointId;

    const H: i64 = 3_600_000;
    // Monday 1 June 2026, 10:00 in Stockholm.
    const T: i64 = 1_780_300_800_000;

    fn person(n: u128) -> PersonId {
        PersonId(uuid::Uuid::from_u128(n))
    }

    /// Ada comes with a party of six (relationships) and, five weeks later, alone;
    /// Bo comes once, alone.
    #[test]
    fn each_answer_meets_the_latest_journey_within_thirty_days() {
        let party = StepSignals {
            guests: Some(6),
            ..StepSignals::default()
        };
        let rows = [
            (1, T, party),
            (1, T + 35 * 24 * H, StepSignals::default()),
            (2, T, StepSignals::default()),
        ];
        let mut b = LogBuilder::default();
        for (n, (p, at, signals)) in rows.into_iter().enumerate() {
            b.push(LogRow {
                person: person(p),
                id: TouchpointId(uuid::Uuid::from_u128(n as u128 + 10)),
                at,
                channel: "store",
                kind: "visit",
                declared: None,
                by_provider: false,
                signals,
            });
        }
        let log = b.finish();
        let clock = Clock::new(chrono_tz::Europe::Stockholm, T - 100 * H, T + 2000 * H);
        let placed = log.place(&JourneySettings::default(), &clock);
        let all: Vec<u32> = (0..placed.journeys.len() as u32).collect();
        let rules = MotivationRules::default();
        let values = journey_values(&log, &placed, &all, &rules, &ANSWERS);
        assert_eq!(
            values[0].verdict.motivation,
            Some(Motivation::Relationships)
        );
        let ask = |p, at, answer: &str| Asked {
            person: person(p),
            at,
            answer: Some(answer.into()),
            score: None,
        };
        let asked = [
            // A day after the party: agrees.
            ask(1, T + 24 * H, "relationships"),
            // Thirty days after to the millisecond: still the party.
            ask(1, T + 30 * 24 * H, "experiences"),
            // 31 days after: before the second visit, too late for the first.
            ask(1, T + 31 * 24 * H, "relationships"),
            // After the second visit.
            ask(1, T + 36 * 24 * H, "goal_fulfilment"),
            // An option that names no motivation is compared but not scored.
            ask(2, T + H, "other"),
            // Someone the provider has no journey of.
            ask(3, T, "relationships"),
        ];
        let c = compare_asked(&log, &placed, &values, &asked);
        assert_eq!((c.compared, c.without_journey), (4, 2));
        let alone = values[1].verdict.motivation;
        let agreed = 1 + u64::from(alone == Some(Motivation::GoalFulfilment));
        assert_eq!(c.agreed, agreed);
        assert_eq!(c.agreement, Some(agreed as f64 / 3.0));
        let cell = |answered: &str, classified| {
            c.cells
                .iter()
                .find(|x| x.answered == answered && x.classified == classified)
                .map_or(0, |x| x.answers)
        };
        assert_eq!(cell("relationships", Some(Motivation::Relationships)), 1);
        assert_eq!(cell("experiences", Some(Motivation::Relationships)), 1);
        assert_eq!(cell("goal_fulfilment", alone), 1);
        assert_eq!(cell("other", values[2].verdict.motivation), 1);
        assert!(c.scores.is_empty());

        // Scores go to the band and motivation of the journey before them; a score
        // with no journey before it counts nowhere.
        let scored = |p, at, score| Asked {
            person: person(p),
            at,
            answer: None,
            score: Some(score),
        };
        let c = compare_asked(
            &log,
            &placed,
            &values,
            &[
                scored(1, T + H, 80.0),
                scored(1, T + 2 * H, 60.0),
                scored(3, T, 10.0),
            ],
        );
        assert_eq!(
            (c.compared, c.without_journey),
            (0, 0),
            "no motivation answers"
        );
        assert_eq!(
            c.scores,
            [ScoreCell {
                band: PressureBand::None,
                motivation: Some(Motivation::Relationships),
                responses: 2,
                mean: 70.0,
            }]
        );
    }
}
