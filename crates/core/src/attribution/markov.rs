//! The data-driven model: a first-order Markov chain over the states start, one per
//! channel, conversion and null, learnt from how often persons moved between them.
//! A channel's removal effect is the share of conversions lost when the chain
//! cannot pass through it (a move into it ends in null instead):
//! `1 - P(conversion without it) / P(conversion)`. Credits follow the removal
//! effects, scaled so they add up to the outcomes.
//!
//! How it is solved. With `Q` the moves between channels, `r` the moves from a
//! channel to conversion and `s` the moves out of start, the fundamental matrix
//! `N = (I - Q)^-1` gives every answer at once:
//! - `x = N r`: the chance of converting from each channel; `P(conversion) = s·x`.
//! - `(sN)_c / N_cc`: the chance that a journey from start ever reaches `c`.
//!
//! The conversions lost without `c` are exactly those that pass through it: reach
//! `c`, then convert from there. So `P(conversion) - P(conversion without c)` is
//! the chance of reaching `c` times `x_c`, and one inverse serves every channel
//! instead of one solve per removed channel: cubic in the number of channels, not
//! quartic. The inverse is taken by Gauss–Jordan elimination with partial pivoting,
//! not by iterating the chain to a fixed point: elimination ends in a known number
//! of steps with an answer exact up to rounding, while iteration needs a tolerance
//! and crawls when persons go back and forth between channels for long.
//!
//! Self-loops. A channel touched twice in a row is a move from it to itself. Such a
//! move makes a person stay longer but does not change where they go next, so no
//! conversion chance depends on it; it is left out of the counts, which is the same
//! chain as counting it and dividing the other moves by what leaves the channel.
//! It also keeps `I - Q` well away from singular.
//!
//! Paths with no channels stay out of the chain: with an outcome they are
//! unattributed, without one they would only add a move from start to null, which
//! scales every conversion chance alike and changes no removal effect.

use super::{AttributionError, Path};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The most channels the Markov model takes, so that the system it solves stays
/// small (the inverse is this squared in memory and cubed in time: a few MB and
/// well under a second).
pub const MARKOV_MAX_CHANNELS: usize = 512;

/// What the chain says before credits are shared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RemovalEffects {
    /// The chance that a journey with at least one touch ends in an outcome.
    pub conversion: f64,
    /// For each channel, the share of conversions lost without it, in [0, 1];
    /// 0 for a channel no path touches.
    pub per_channel: Vec<f64>,
}

/// The removal effect of each of `channels` channels in the chain learnt from
/// `paths`.
pub fn removal_effects(
    paths: &[Path],
    channels: usize,
) -> Result<RemovalEffects, AttributionError> {
    super::check(paths, channels)?;
    effects(paths, channels)
}

/// [`removal_effects`] for paths already checked.
pub(super) fn effects(paths: &[Path], channels: usize) -> Result<RemovalEffects, AttributionError> {
    let counted = || paths.iter().filter(|p| p.count > 0);
    // One state per channel that appears, in the order of the channel list, so the
    // order of the paths changes nothing.
    const ABSENT: usize = usize::MAX;
    let mut state = vec![ABSENT; channels];
    for p in counted() {
        for &c in &p.channels {
            state[usize::from(c)] = 0;
        }
    }
    let mut channel_of = Vec::new();
    for (c, s) in state.iter_mut().enumerate() {
        if *s != ABSENT {
            *s = channel_of.len();
            channel_of.push(c);
        }
    }
    let n = channel_of.len();
    if n > MARKOV_MAX_CHANNELS {
        return Err(AttributionError::TooManyChannels {
            max: MARKOV_MAX_CHANNELS,
            got: n,
        });
    }

    let mut from_start = vec![0.0; n];
    let mut moves = vec![0.0; n * n];
    let mut to_conversion = vec![0.0; n];
    let mut leaving = vec![0.0; n];
    for p in counted() {
        let Some((&first, rest)) = p.channels.split_first() else {
            continue;
        };
        let weight = p.count as f64;
        let mut at = state[usize::from(first)];
        from_start[at] += weight;
        for &c in rest {
            let next = state[usize::from(c)];
            if next != at {
                moves[at * n + next] += weight;
                leaving[at] += weight;
            }
            at = next;
        }
        leaving[at] += weight;
        if p.outcome {
            to_conversion[at] += weight;
        }
    }

    let none = RemovalEffects {
        conversion: 0.0,
        per_channel: vec![0.0; channels],
    };
    let starts: f64 = from_start.iter().sum();
    if starts <= 0.0 {
        return Ok(none);
    }
    // Every state has moves out: its last touch on any path leads somewhere else.
    let mut system = moves;
    let mut r = vec![0.0; n];
    for i in 0..n {
        let row = &mut system[i * n..(i + 1) * n];
        for q in row.iter_mut() {
            *q = -*q / leaving[i];
        }
        row[i] += 1.0;
        r[i] = to_conversion[i] / leaving[i];
    }
    let Some(fundamental) = invert(system, n) else {
        return Ok(none);
    };
    let s: Vec<f64> = from_start.iter().map(|w| w / starts).collect();
    let converts: Vec<f64> = (0..n)
        .map(|i| (0..n).map(|j| fundamental[i * n + j] * r[j]).sum())
        .collect();
    let conversion: f64 = s.iter().zip(&converts).map(|(a, b)| a * b).sum();
    if !(conversion > 0.0 && conversion.is_finite()) {
        return Ok(none);
    }
    let mut per_channel = vec![0.0; channels];
    for c in 0..n {
        let visits: f64 = (0..n).map(|i| s[i] * fundamental[i * n + c]).sum();
        let reaches = visits / fundamental[c * n + c];
        let effect = reaches * converts[c] / conversion;
        // Rounding may stray past the bounds a removal effect cannot leave.
        per_channel[channel_of[c]] = if effect.is_finite() {
            effect.clamp(0.0, 1.0)
        } else {
            0.0
        };
    }
    Ok(RemovalEffects {
        conversion,
        per_channel,
    })
}

/// The inverse of the `n`×`n` row-major matrix `a`, by Gauss–Jordan elimination
/// with partial pivoting. `I - Q` of a chain in which every state can reach an end
/// is never singular; `None` (a pivot of zero or not finite) would mean rounding
/// defeated that, and the caller then credits no channel rather than guess.
fn invert(mut a: Vec<f64>, n: usize) -> Option<Vec<f64>> {
    let mut inverse = vec![0.0; n * n];
    for i in 0..n {
        inverse[i * n + i] = 1.0;
    }
    for col in 0..n {
        let pivot_row =
            (col..n).max_by(|&i, &j| a[i * n + col].abs().total_cmp(&a[j * n + col].abs()))?;
        let pivot = a[pivot_row * n + col];
        if pivot == 0.0 || !pivot.is_finite() {
            return None;
        }
        if pivot_row != col {
            for k in 0..n {
                a.swap(pivot_row * n + k, col * n + k);
                inverse.swap(pivot_row * n + k, col * n + k);
            }
        }
        for k in 0..n {
            a[col * n + k] /= pivot;
            inverse[col * n + k] /= pivot;
        }
        for row in (0..n).filter(|&row| row != col) {
            let factor = a[row * n + col];
            if factor == 0.0 {
                continue;
            }
            for k in 0..n {
                a[row * n + k] -= factor * a[col * n + k];
                inverse[row * n + k] -= factor * inverse[col * n + k];
            }
        }
    }
    Some(inverse)
}
