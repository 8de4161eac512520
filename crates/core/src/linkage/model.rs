//! The Fellegi–Sunter model: per field and level, m (how often two records of one
//! person reach the level) and u (how often two records of different people do),
//! and the prior λ that two records drawn at random are one person. u is counted on
//! a seeded sample of random pairs; m is estimated by EM on the candidate pairs.
//! The model is a plain value: stored as JSON, it links the same records the same way.

use super::blocking::{Rule, candidates};
use super::compare::{Levels, MAX_LEVELS, MISSING, compare_all, levels};
use super::record::{Field, Prepared};
use crate::invalid::{Invalid, Reason};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The comparisons a model was trained with; a model of another version is refused.
pub const VERSION: i64 = 1;

/// No probability is 0 (its weight would be infinite): a level never seen in
/// training still gets a finite, strong weight.
const FLOOR: f64 = 1e-6;
/// EM stops after this many rounds, or when no parameter moves by more than this.
const MAX_ROUNDS: usize = 200;
const TOLERANCE: f64 = 1e-7;

/// Pairs with a probability of at least `link` are one person; those from `review`
/// up to `link` go to a person to decide; the rest are dropped.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    pub link: f64,
    pub review: f64,
}

impl Thresholds {
    pub fn new(link: f64, review: f64) -> Result<Self, Invalid> {
        let t = Thresholds { link, review };
        t.check()?;
        Ok(t)
    }

    fn check(&self) -> Result<(), Invalid> {
        for (name, p) in [("link", self.link), ("review", self.review)] {
            if !(0.0..=1.0).contains(&p) {
                return Err(Invalid::one(name, Reason::Level));
            }
        }
        if self.review > self.link {
            return Err(Invalid::one(
                "review",
                Reason::ReviewAboveLink {
                    link: self.link.to_string(),
                },
            ));
        }
        Ok(())
    }
}

/// m and u of one level.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Level {
    pub m: f64,
    pub u: f64,
}

impl Level {
    /// log2(m/u): what reaching this level says for (positive) or against one person.
    pub fn weight(&self) -> f64 {
        (self.m / self.u).log2()
    }
}

/// What training needs besides the records.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub rules: Vec<Rule>,
    /// Blocks with more records than this are skipped.
    pub block_cap: usize,
    pub thresholds: Thresholds,
    /// Random pairs u is counted on (all pairs when there are fewer); a million by
    /// default, as in Splink.
    pub u_pairs: usize,
    pub seed: u64,
}

impl Settings {
    pub fn new(rules: Vec<Rule>, thresholds: Thresholds) -> Self {
        Settings {
            rules,
            block_cap: 1000,
            thresholds,
            u_pairs: 1_000_000,
            seed: 12,
        }
    }

    fn check(&self) -> Result<(), Invalid> {
        if self.rules.is_empty() {
            return Err(Invalid::one("rules", Reason::Required));
        }
        if self.block_cap < 2 {
            return Err(Invalid::one("block_cap", Reason::AtLeast { min: 2 }));
        }
        if self.u_pairs < 1 {
            return Err(Invalid::one("u_pairs", Reason::AtLeast { min: 1 }));
        }
        self.thresholds.check()
    }
}

/// A trained model: everything linking needs, so the same model on the same records
/// gives the same pairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub version: i64,
    pub rules: Vec<Rule>,
    pub block_cap: usize,
    pub thresholds: Thresholds,
    /// λ: the probability that two records drawn at random are one person.
    pub prior: f64,
    /// Per field, its levels after "missing" (which weighs nothing), best first.
    pub fields: BTreeMap<Field, Vec<Level>>,
}

impl Model {
    /// Refuses a model this engine cannot use as it was meant (another version, a
    /// field without its levels, bad thresholds).
    pub fn check(&self) -> Result<(), Invalid> {
        if self.version != VERSION {
            return Err(Invalid::one(
                "version",
                Reason::Version {
                    value: self.version.to_string(),
                    supported: VERSION.to_string(),
                },
            ));
        }
        for field in Field::ALL {
            if self.fields.get(&field).map(Vec::len) != Some(levels(field).len() - 1) {
                return Err(Invalid::one(
                    format!("fields.{field}"),
                    Reason::Entries {
                        low: levels(field).len() - 1,
                        high: levels(field).len() - 1,
                    },
                ));
            }
        }
        self.thresholds.check()
    }

    /// The weight of each level of each field (level 0, missing, weighs 0).
    pub(crate) fn weights(&self) -> [[f64; MAX_LEVELS]; 5] {
        let mut out = [[0.0; MAX_LEVELS]; 5];
        for field in Field::ALL {
            for (i, level) in self.fields[&field].iter().enumerate() {
                out[field.index()][i + 1] = level.weight();
            }
        }
        out
    }

    /// log2(λ / (1 − λ)): where every pair starts before its evidence.
    pub(crate) fn prior_weight(&self) -> f64 {
        (self.prior / (1.0 - self.prior)).log2()
    }
}

/// A model and how its EM went.
#[derive(Debug, Clone, PartialEq)]
pub struct Training {
    pub model: Model,
    pub rounds: usize,
    pub converged: bool,
}

/// Blocks, compares and estimates: a model of `records` from scratch.
pub fn train(records: &Prepared, settings: &Settings) -> Result<Training, Invalid> {
    settings.check()?;
    let found = candidates(records, &settings.rules, settings.block_cap);
    let compared = compare_all(records, &found.pairs);
    estimate(records, &compared, settings)
}

/// The model from the levels of candidate pairs already blocked and compared.
pub fn estimate(
    records: &Prepared,
    compared: &[Levels],
    settings: &Settings,
) -> Result<Training, Invalid> {
    settings.check()?;
    let u = random_u(records, settings.u_pairs, settings.seed);
    let em = em(&patterns(compared), &u);
    // λ over all pairs: the matches EM finds among the candidates (blocking is
    // meant to miss few) over every pair there is.
    let n = records.len() as f64;
    let all_pairs = (n * (n - 1.0) / 2.0).max(1.0);
    // At least one: λ stays finite however rare matches are (a million records have
    // 5·10¹¹ pairs, so no fixed floor fits every size).
    let matches = em.share * compared.len() as f64;
    let prior = (matches.max(1.0) / all_pairs).min(1.0 - FLOOR);
    let fields: BTreeMap<Field, Vec<Level>> = Field::ALL
        .into_iter()
        .map(|f| {
            let i = f.index();
            let levels = em.m[i]
                .iter()
                .zip(&u[i])
                .map(|(&m, &u)| Level { m, u })
                .collect();
            (f, levels)
        })
        .collect();
    // Records with (almost) no duplicates teach EM to take near neighbours, a
    // household at one address, for matches, and agreeing on a name then counts
    // against a match. Such a model would join strangers: refused.
    for (field, levels) in &fields {
        if levels[0].weight() < 0.0 {
            return Err(Invalid::one(
                format!("fields.{field}"),
                Reason::AgreementAgainst,
            ));
        }
    }
    Ok(Training {
        model: Model {
            version: VERSION,
            rules: settings.rules.clone(),
            block_cap: settings.block_cap,
            thresholds: settings.thresholds,
            prior,
            fields,
        },
        rounds: em.rounds,
        converged: em.converged,
    })
}

/// Per field, the probability of each level (after missing) between random records:
/// every pair when there are at most `wanted`, else `wanted` pairs drawn with `seed`.
fn random_u(records: &Prepared, wanted: usize, seed: u64) -> [Vec<f64>; 5] {
    let n = records.len();
    let pairs: Vec<(u32, u32)> = if n * n.saturating_sub(1) / 2 <= wanted {
        (0..n as u32)
            .flat_map(|a| (a + 1..n as u32).map(move |b| (a, b)))
            .collect()
    } else {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        std::iter::repeat_with(|| (rng.random_range(0..n as u32), rng.random_range(0..n as u32)))
            .filter(|(a, b)| a != b)
            .take(wanted)
            .collect()
    };
    // No pairs: every level equally likely, so no level weighs anything.
    let mut counts: [Vec<f64>; 5] = Field::ALL.map(|f| vec![0.0; levels(f).len() - 1]);
    for pair in compare_all(records, &pairs) {
        for (i, level) in pair.into_iter().enumerate() {
            if level != MISSING {
                counts[i][level as usize - 1] += 1.0;
            }
        }
    }
    counts.map(|c| distribution(&c))
}

/// Counts to probabilities, none below the floor.
fn distribution(counts: &[f64]) -> Vec<f64> {
    let total: f64 = counts.iter().sum();
    let raw: Vec<f64> = if total > 0.0 {
        counts.iter().map(|c| (c / total).max(FLOOR)).collect()
    } else {
        vec![1.0; counts.len()]
    };
    let sum: f64 = raw.iter().sum();
    raw.into_iter().map(|p| p / sum).collect()
}

/// The distinct level patterns of the candidates with how many pairs have each,
/// sorted: EM runs over a few hundred patterns, not every pair, and always in the
/// same order. Counted in a table with a place for every pattern there can be.
pub(crate) fn patterns(compared: &[Levels]) -> Vec<(Levels, f64)> {
    const PLACES: usize = MAX_LEVELS.pow(5);
    let place = |levels: &Levels| {
        levels
            .iter()
            .fold(0, |at, &level| at * MAX_LEVELS + usize::from(level))
    };
    let mut counts = vec![0u64; PLACES];
    for levels in compared {
        counts[place(levels)] += 1;
    }
    counts
        .iter()
        .enumerate()
        .filter(|&(_, &n)| n > 0)
        .map(|(mut at, &n)| {
            let mut levels = [0u8; 5];
            for level in levels.iter_mut().rev() {
                *level = (at % MAX_LEVELS) as u8;
                at /= MAX_LEVELS;
            }
            (levels, n as f64)
        })
        .collect()
}

/// What EM found among the candidates.
pub(crate) struct Em {
    /// Per field, m of each level after missing.
    pub m: [Vec<f64>; 5],
    /// The share of candidates that are one person.
    pub share: f64,
    pub rounds: usize,
    pub converged: bool,
}

/// EM over the candidates' patterns. Candidates are not random pairs: those blocked
/// on a field agree on it whatever they are, so the non-match side gets its own u
/// here (started at the random u), and only m and the share leave EM.
pub(crate) fn em(patterns: &[(Levels, f64)], random_u: &[Vec<f64>; 5]) -> Em {
    // Start: one person mostly agrees exactly, less and less on the lower levels.
    let mut m: [Vec<f64>; 5] = Field::ALL.map(|f| {
        let k = levels(f).len() - 1;
        distribution(
            &(0..k)
                .map(|i| 0.5f64.powi(i as i32 * 2))
                .collect::<Vec<_>>(),
        )
    });
    let mut u = random_u.clone();
    let mut share = 0.1;
    let total: f64 = patterns.iter().map(|(_, c)| c).sum();
    let (mut rounds, mut converged) = (0, false);
    while rounds < MAX_ROUNDS && total > 0.0 {
        rounds += 1;
        let mut m_sum: [Vec<f64>; 5] = m.clone().map(|v| vec![0.0; v.len()]);
        let mut u_sum = m_sum.clone();
        let mut matched = 0.0;
        for (levels, count) in patterns {
            let (mut pm, mut pu) = (share, 1.0 - share);
            for (i, &level) in levels.iter().enumerate() {
                if level != MISSING {
                    pm *= m[i][level as usize - 1];
                    pu *= u[i][level as usize - 1];
                }
            }
            let r = pm / (pm + pu);
            matched += r * count;
            for (i, &level) in levels.iter().enumerate() {
                if level != MISSING {
                    m_sum[i][level as usize - 1] += r * count;
                    u_sum[i][level as usize - 1] += (1.0 - r) * count;
                }
            }
        }
        let next_m = m_sum.map(|c| distribution(&c));
        let next_u = u_sum.map(|c| distribution(&c));
        let next_share = (matched / total).clamp(FLOOR, 1.0 - FLOOR);
        let moved = (next_share - share)
            .abs()
            .max(largest_move(&m, &next_m).max(largest_move(&u, &next_u)));
        (m, u, share) = (next_m, next_u, next_share);
        if moved < TOLERANCE {
            converged = true;
            break;
        }
    }
    Em {
        m,
        share,
        rounds,
        converged,
    }
}

fn largest_move(old: &[Vec<f64>; 5], new: &[Vec<f64>; 5]) -> f64 {
    old.iter()
        .flatten()
        .zip(new.iter().flatten())
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max)
}
