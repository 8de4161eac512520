//! How persons compare with the truth of who is who, pair by pair: of the pairs of
//! profiles put in one person, how many are one human (precision), and of the pairs
//! that are one human, how many were put in one person (recall).

use std::collections::BTreeMap;

/// Pair counts of a resolution against the truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Score {
    /// Pairs of profiles that are one human.
    pub true_pairs: u64,
    /// Pairs of profiles put in one person.
    pub found_pairs: u64,
    /// Pairs both: put in one person and one human.
    pub correct_pairs: u64,
}

impl Score {
    /// 1 when nothing was merged.
    pub fn precision(&self) -> f64 {
        ratio(self.correct_pairs, self.found_pairs)
    }

    /// 1 when there was nothing to merge.
    pub fn recall(&self) -> f64 {
        ratio(self.correct_pairs, self.true_pairs)
    }

    /// The pairs merged that are two humans: each a false merge.
    pub fn false_pairs(&self) -> u64 {
        self.found_pairs - self.correct_pairs
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

/// Scores one row per profile: (its person, its human in truth).
pub fn score<P: Ord + Clone, H: Ord + Clone>(rows: &[(P, H)]) -> Score {
    let mut person: BTreeMap<P, u64> = BTreeMap::new();
    let mut human: BTreeMap<H, u64> = BTreeMap::new();
    let mut both: BTreeMap<(P, H), u64> = BTreeMap::new();
    for (p, h) in rows {
        *person.entry(p.clone()).or_default() += 1;
        *human.entry(h.clone()).or_default() += 1;
        *both.entry((p.clone(), h.clone())).or_default() += 1;
    }
    Score {
        true_pairs: human.into_values().map(pairs).sum(),
        found_pairs: person.into_values().map(pairs).sum(),
        correct_pairs: both.into_values().map(pairs).sum(),
    }
}
