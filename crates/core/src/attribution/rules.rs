//! The rule-based models: each outcome is split over the touches of its own path
//! by a fixed rule. One step per touch.

use super::Path;

/// A rule-based model: [`super::Model`] without the chain.
#[derive(Debug, Clone, Copy)]
pub(super) enum Rule {
    FirstTouch,
    LastTouch,
    Linear,
    PositionBased,
}

/// Share of the first touch, and of the last, in the position-based model.
const ENDS: f64 = 0.4;

/// Adds the credit of every path with an outcome to `per_channel`. The caller has
/// checked every channel index.
pub(super) fn credit(paths: &[Path], rule: Rule, per_channel: &mut [f64]) {
    for p in paths.iter().filter(|p| p.outcome && p.count > 0) {
        let (Some(&first), Some(&last)) = (p.channels.first(), p.channels.last()) else {
            continue; // no channel: unattributed
        };
        let weight = p.count as f64;
        let touches = p.channels.len();
        match rule {
            Rule::FirstTouch => per_channel[usize::from(first)] += weight,
            Rule::LastTouch => per_channel[usize::from(last)] += weight,
            Rule::Linear => spread(&p.channels, weight, per_channel),
            Rule::PositionBased if touches <= 2 => spread(&p.channels, weight, per_channel),
            Rule::PositionBased => {
                per_channel[usize::from(first)] += ENDS * weight;
                per_channel[usize::from(last)] += ENDS * weight;
                let middle = &p.channels[1..touches - 1];
                spread(middle, (1.0 - 2.0 * ENDS) * weight, per_channel);
            }
        }
    }
}

/// `weight` in equal shares over `touches`.
fn spread(touches: &[u16], weight: f64, per_channel: &mut [f64]) {
    let share = weight / touches.len() as f64;
    for &c in touches {
        per_channel[usize::from(c)] += share;
    }
}
