//! Which channels lead to an outcome: the journeys' paths before their meetings, and
//! every attribution model's credit per channel.

use super::log::{Log, Placement};
use crate::attribution::{AttributionError, Model, Path, attribute};
use serde::Serialize;
use utoipa::ToSchema;

/// One channel's share of the outcomes in one model.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ChannelCredit {
    pub channel: String,
    pub credit: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ModelCredits {
    pub model: Model,
    /// Channels by credit, largest first.
    pub channels: Vec<ChannelCredit>,
}

/// The outcomes of a selection of journeys, credited to channels by every model.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Attribution {
    /// The kind of touchpoint that counts as the outcome.
    pub outcome: String,
    pub journeys: u64,
    /// Journeys with the outcome; in every model the credits and `unattributed` add
    /// up to this.
    pub outcomes: u64,
    /// Outcomes with nothing before the meeting: no channel can take them.
    pub unattributed: u64,
    pub models: Vec<ModelCredits>,
}

/// A journey's path is its touchpoints before the meeting (before its first anchor),
/// in order; it has the outcome when the journey holds a touchpoint of `outcome`'s
/// kind at or after the meeting.
pub fn attribution(
    log: &Log,
    placed: &Placement,
    selected: &[u32],
    outcome: &str,
) -> Result<Attribution, AttributionError> {
    let wanted = log.kinds.find(outcome);
    let paths = Path::group(selected.iter().map(|&j| {
        let span = &placed.journeys[j as usize];
        let anchor = span.anchor as usize;
        let rows = span.rows();
        Path::new(
            log.channel[rows.start..anchor].to_vec(),
            wanted.is_some_and(|k| log.kind[anchor..rows.end].contains(&k)),
        )
    }));
    let channels = log.channels.names.len();
    let mut models = Vec::with_capacity(Model::ALL.len());
    let (mut outcomes, mut unattributed) = (0, 0);
    for &model in Model::ALL.iter() {
        let credits = attribute(&paths, channels, model)?;
        (outcomes, unattributed) = (credits.outcomes, credits.unattributed);
        let mut shares: Vec<ChannelCredit> = credits
            .per_channel
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0.0)
            .map(|(c, credit)| ChannelCredit {
                channel: log.channels.name(c as u16).to_string(),
                credit: *credit,
            })
            .collect();
        shares.sort_by(|a, b| {
            b.credit
                .total_cmp(&a.credit)
                .then(a.channel.cmp(&b.channel))
        });
        models.push(ModelCredits {
            model,
            channels: shares,
        });
    }
    Ok(Attribution {
        outcome: outcome.to_string(),
        journeys: selected.len() as u64,
        outcomes,
        unattributed,
        models,
    })
}

#[cfg(test)]
mod tests {
    use super::super::clock::Clock;
    use super::super::log::{LogBuilder, LogRow};
    use super::super::motivation::StepSignals;
    use super::super::settings::JourneySettings;
    use super::*;
    use crate::ids::{PersonId, TouchpointId};

    const H: i64 = 3_600_000;
    const T: i64 = 1_780_300_800_000;

    #[test]
    fn credits_of_every_model_add_up_to_the_journeys_with_the_outcome() {
        // Three persons: forum then web then a purchase; web then a visit without one;
        // a purchase with nothing before.
        let rows: [(u128, i64, &str, &str); 6] = [
            (1, T - 30 * H, "forum", "post.read"),
            (1, T - 2 * H, "web", "menu.viewed"),
            (1, T, "store", "purchase"),
            (2, T - 5 * H, "web", "menu.viewed"),
            (2, T, "store", "visit"),
            (3, T, "store", "purchase"),
        ];
        let mut b = LogBuilder::default();
        for (n, (person, at, channel, kind)) in rows.iter().enumerate() {
            b.push(LogRow {
                person: PersonId(uuid::Uuid::from_u128(*person)),
                id: TouchpointId(uuid::Uuid::from_u128(n as u128 + 1)),
                at: *at,
                channel,
                kind,
                declared: None,
                by_provider: false,
                signals: StepSignals::default(),
            });
        }
        let log = b.finish();
        let clock = Clock::new(chrono_tz::Europe::Stockholm, T - 100 * H, T);
        let placed = log.place(&JourneySettings::default(), &clock);
        let all: Vec<u32> = (0..placed.journeys.len() as u32).collect();
        let a = attribution(&log, &placed, &all, "purchase").unwrap();
        assert_eq!((a.journeys, a.outcomes, a.unattributed), (3, 2, 1));
        let credit = |m: Model, c: &str| {
            a.models
                .iter()
                .find(|x| x.model == m)
                .and_then(|x| x.channels.iter().find(|s| s.channel == c))
                .map(|s| s.credit)
        };
        for &m in Model::ALL.iter() {
            let sum: f64 = a
                .models
                .iter()
                .find(|x| x.model == m)
                .unwrap()
                .channels
                .iter()
                .map(|c| c.credit)
                .sum();
            assert!(
                (sum + a.unattributed as f64 - a.outcomes as f64).abs() < 1e-9,
                "{m:?}"
            );
        }
        assert_eq!(credit(Model::FirstTouch, "forum"), Some(1.0));
        assert_eq!(credit(Model::LastTouch, "web"), Some(1.0));
        assert_eq!(credit(Model::Linear, "forum"), Some(0.5));
        // Without the web nothing converts (removal effect 1); without the forum half
        // as much does (½): one attributable purchase split 1 : ½.
        let (forum, web) = (
            credit(Model::Markov, "forum").unwrap(),
            credit(Model::Markov, "web").unwrap(),
        );
        assert!(
            (forum - 1.0 / 3.0).abs() < 1e-9 && (web - 2.0 / 3.0).abs() < 1e-9,
            "forum {forum}, web {web}"
        );
        let none = attribution(&log, &placed, &all, "teleport").unwrap();
        assert_eq!(none.outcomes, 0);
    }
}
