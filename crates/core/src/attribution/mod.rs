//! Channel attribution: which channels share the credit for a provider's outcomes
//! (a purchase, a visit). Channels are the provider's own (store, web, app, e-mail)
//! and those it does not control (forums, review sites, social media, comparison
//! sites); the caller keeps the list and speaks of a channel by its index in it.
//!
//! Input is a list of [`Path`]s: the channels one person touched, in time order,
//! before an outcome or before the journey ended without one. Identical paths are
//! grouped with a count ([`Path::group`]), so millions of journeys cost what their
//! distinct paths cost.
//!
//! Two kinds of [`Model`]:
//! - `rules.rs`: first touch, last touch, linear and position-based. They split
//!   each outcome over the channels of its own path; a path without an outcome
//!   carries no credit. Cost: one step per touch.
//! - `markov.rs`: a first-order Markov chain learnt from all paths, with and without
//!   outcomes, that credits a channel by how many outcomes would be lost without it
//!   (its removal effect). Cost: one step per touch, then cubic in the number of
//!   channels that appear.
//!
//! Rules every model keeps:
//! - The credits add up to the outcomes: `sum(per_channel) + unattributed ==
//!   outcomes`. An outcome on a path with no channels (the person came straight in)
//!   has no channel to take it and is `unattributed`.
//! - No credit is negative or NaN; with no outcomes every credit is zero.
//! - Nothing is collapsed: a channel touched twice in a row is two touches. In the
//!   rule models it takes two shares; in the chain it is a self-loop, which changes
//!   how long a person stays on a channel but not where they go next, so the chain
//!   gives the same answer with repeats as without. [`Path::without_repeats`] is
//!   there for a caller who wants the rule models to see one touch.
//! - A channel index at or past the length of the caller's list is refused with
//!   [`AttributionError::UnknownChannel`]: it would otherwise be silently dropped.

mod markov;
mod rules;

#[cfg(test)]
mod tests;

pub use markov::{MARKOV_MAX_CHANNELS, RemovalEffects, removal_effects};

use rules::Rule;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

/// The channels one person touched, in time order, and whether an outcome followed;
/// `count` persons took exactly this path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub struct Path {
    /// Indices into the caller's channel list, earliest first. May be empty: the
    /// person reached the outcome (or left) without a touch we know of.
    pub channels: Vec<u16>,
    pub outcome: bool,
    /// How many persons took this path; a count of 0 weighs nothing.
    #[serde(default = "one")]
    pub count: u64,
}

fn one() -> u64 {
    1
}

impl Path {
    /// One person's path.
    pub fn new(channels: Vec<u16>, outcome: bool) -> Self {
        Path {
            channels,
            outcome,
            count: 1,
        }
    }

    /// Identical paths as one, their counts added; sorted by channels, then
    /// outcome, so the same paths in any order group the same.
    pub fn group(paths: impl IntoIterator<Item = Path>) -> Vec<Path> {
        let mut counts: HashMap<(Vec<u16>, bool), u64> = HashMap::new();
        for p in paths {
            let n = counts.entry((p.channels, p.outcome)).or_insert(0);
            *n = n.saturating_add(p.count);
        }
        let mut out: Vec<Path> = counts
            .into_iter()
            .map(|((channels, outcome), count)| Path {
                channels,
                outcome,
                count,
            })
            .collect();
        out.sort_unstable_by(|a, b| (&a.channels, a.outcome).cmp(&(&b.channels, b.outcome)));
        out
    }

    /// The same path with a channel touched several times in a row kept once.
    pub fn without_repeats(&self) -> Path {
        let mut channels = self.channels.clone();
        channels.dedup();
        Path {
            channels,
            outcome: self.outcome,
            count: self.count,
        }
    }
}

/// How the credit for an outcome is shared among the channels.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Model {
    /// All to the channel that first reached the person: what opens journeys.
    FirstTouch,
    /// All to the channel touched just before the outcome: what closes them.
    LastTouch,
    /// Equal shares to every touch of the path.
    Linear,
    /// 40% to the first touch, 40% to the last, 20% spread over those between; a
    /// path of one touch gives it all, of two gives half to each.
    PositionBased,
    /// By removal effect in a first-order Markov chain learnt from all paths,
    /// including those that ended without an outcome.
    Markov,
}

impl Model {
    pub const ALL: &'static [Model] = &[
        Model::FirstTouch,
        Model::LastTouch,
        Model::Linear,
        Model::PositionBased,
        Model::Markov,
    ];
}

/// The outcomes of a set of paths, shared among the channels by one model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Credits {
    pub model: Model,
    /// Persons whose path ended in an outcome.
    pub outcomes: u64,
    /// Outcomes credited to each channel, indexed like the caller's channel list;
    /// fractional, since an outcome may be shared.
    pub per_channel: Vec<f64>,
    /// Outcomes on paths with no channel: no channel can take them. With it the
    /// credits add up: `sum(per_channel) + unattributed == outcomes`.
    pub unattributed: u64,
}

/// Why paths could not be attributed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttributionError {
    /// A path names a channel that is not in the caller's list.
    #[error("path {path} touches channel {channel}, but there are only {channels} channels")]
    UnknownChannel {
        path: usize,
        channel: u16,
        channels: usize,
    },
    /// The Markov model would need a system too large to solve quickly.
    #[error("the Markov model takes at most {max} channels, the paths touch {got}")]
    TooManyChannels { max: usize, got: usize },
}

/// Shares the outcomes of `paths` among `channels` channels by `model`.
pub fn attribute(
    paths: &[Path],
    channels: usize,
    model: Model,
) -> Result<Credits, AttributionError> {
    check(paths, channels)?;
    let (mut outcomes, mut unattributed) = (0u64, 0u64);
    for p in paths.iter().filter(|p| p.outcome) {
        outcomes = outcomes.saturating_add(p.count);
        if p.channels.is_empty() {
            unattributed = unattributed.saturating_add(p.count);
        }
    }
    let mut per_channel = vec![0.0; channels];
    match model {
        Model::Markov => {
            let attributable = outcomes - unattributed;
            let effects = markov::effects(paths, channels)?;
            let total: f64 = effects.per_channel.iter().sum();
            if attributable > 0 && total > 0.0 && total.is_finite() {
                let scale = attributable as f64 / total;
                for (credit, effect) in per_channel.iter_mut().zip(&effects.per_channel) {
                    *credit = effect * scale;
                }
            } else {
                // Nothing to share, or (never seen, see `markov::invert`) the
                // solver gave up: the outcomes are said to be unattributed rather
                // than shared by a guess.
                unattributed = outcomes;
            }
        }
        Model::FirstTouch => rules::credit(paths, Rule::FirstTouch, &mut per_channel),
        Model::LastTouch => rules::credit(paths, Rule::LastTouch, &mut per_channel),
        Model::Linear => rules::credit(paths, Rule::Linear, &mut per_channel),
        Model::PositionBased => rules::credit(paths, Rule::PositionBased, &mut per_channel),
    }
    Ok(Credits {
        model,
        outcomes,
        per_channel,
        unattributed,
    })
}

/// Every channel index is in the caller's list.
fn check(paths: &[Path], channels: usize) -> Result<(), AttributionError> {
    for (i, p) in paths.iter().enumerate() {
        if let Some(&c) = p.channels.iter().find(|&&c| usize::from(c) >= channels) {
            return Err(AttributionError::UnknownChannel {
                path: i,
                channel: c,
                channels,
            });
        }
    }
    Ok(())
}
