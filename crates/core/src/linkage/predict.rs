//! Scoring: every candidate pair's match weight under a model, and its class. Each
//! kept pair carries its evidence, field by field, so a page can show why two
//! records were taken for one person.

use super::blocking::{Candidates, candidates};
use super::compare::{Levels, MAX_LEVELS, compare_all, levels};
use super::model::Model;
use super::record::{Field, Prepared};
use crate::invalid::Invalid;
use serde::Serialize;

/// What a kept pair is taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// One person.
    Link,
    /// Perhaps one person: a person decides.
    Review,
}

/// One field's part in a pair's weight.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Evidence {
    pub field: Field,
    /// The code of the level reached, such as `exact` or `jaro-winkler-92`
    /// (Jaro-Winkler at least 0.92).
    pub level: &'static str,
    /// log2(m/u) of that level; 0 when either record lacks the field.
    pub weight: f64,
}

/// A pair at or above the review threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    /// The ids of the two records, `a < b`.
    pub a: String,
    pub b: String,
    pub class: Class,
    /// The prior's weight plus every field's.
    pub weight: f64,
    pub probability: f64,
    pub evidence: [Evidence; 5],
}

/// The kept pairs, sorted by ids, and what blocking did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prediction {
    pub pairs: Vec<Scored>,
    /// Candidate pairs scored.
    pub candidates: usize,
    pub skipped_blocks: usize,
}

/// Blocks with the model's rules, compares and scores.
pub fn link(model: &Model, records: &Prepared) -> Result<Prediction, Invalid> {
    let found = candidates(records, &model.rules, model.block_cap);
    let compared = compare_all(records, &found.pairs);
    score(model, records, &found, &compared)
}

/// Scores candidates already blocked and compared (levels in the order of the pairs).
pub fn score(
    model: &Model,
    records: &Prepared,
    found: &Candidates,
    compared: &[Levels],
) -> Result<Prediction, Invalid> {
    model.check()?;
    let weights = model.weights();
    let prior = model.prior_weight();
    let mut pairs = Vec::new();
    for (&(a, b), levels) in found.pairs.iter().zip(compared) {
        let weight = prior
            + levels
                .iter()
                .enumerate()
                .map(|(i, &l)| weights[i][l as usize])
                .sum::<f64>();
        let probability = probability(weight);
        let class = if probability >= model.thresholds.link {
            Class::Link
        } else if probability >= model.thresholds.review {
            Class::Review
        } else {
            continue;
        };
        pairs.push(Scored {
            a: records.id(a as usize).to_string(),
            b: records.id(b as usize).to_string(),
            class,
            weight,
            probability,
            evidence: evidence(&weights, levels),
        });
    }
    Ok(Prediction {
        pairs,
        candidates: found.pairs.len(),
        skipped_blocks: found.skipped_blocks,
    })
}

/// 2^w / (1 + 2^w), written so a large weight does not overflow.
fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

fn evidence(weights: &[[f64; MAX_LEVELS]; 5], compared: &Levels) -> [Evidence; 5] {
    Field::ALL.map(|field| {
        let level = compared[field.index()] as usize;
        Evidence {
            field,
            level: levels(field)[level],
            weight: weights[field.index()][level],
        }
    })
}
