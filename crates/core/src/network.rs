//! Networks: providers that work together, such as the shops, cafés and property
//! owner of a town centre, and the agreement on what they share.

use crate::ids::{NetworkId, ProviderId};
use crate::invalid::{Checker, Invalid, List, Reason, text};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What members of a network agree to share with each other.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SharedData {
    /// Counts of touchpoints per channel and phase, never rows about a person.
    AggregateCounts,
    /// Research evidence and strategies from joint projects.
    ResearchEvidence,
    /// Survey results, aggregated.
    SurveyResults,
    /// Journey figures of all members together: journeys, persons, the channel mix per
    /// phase, own versus uncontrolled channels, lead time, repeat journeys, the trend.
    JourneyFigures,
    /// How journeys move between channels: flows, meeting flows and paths.
    ChannelFlows,
}

impl SharedData {
    pub const ALL: [SharedData; 5] = [
        Self::AggregateCounts,
        Self::ResearchEvidence,
        Self::SurveyResults,
        Self::JourneyFigures,
        Self::ChannelFlows,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::AggregateCounts => "aggregate_counts",
            Self::ResearchEvidence => "research_evidence",
            Self::SurveyResults => "survey_results",
            Self::JourneyFigures => "journey_figures",
            Self::ChannelFlows => "channel_flows",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| {
                Invalid::one(
                    "",
                    Reason::OneOf {
                        value: s.to_string(),
                        allowed: List::of(Self::ALL.map(Self::as_str)),
                    },
                )
            })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Network {
    pub id: NetworkId,
    pub name: String,
    pub members: Vec<ProviderId>,
    pub shares: Vec<SharedData>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNetwork {
    pub name: String,
    pub shares: Vec<SharedData>,
}

impl NewNetwork {
    pub fn parse(name: Option<&str>, shares: &[String]) -> Result<Self, Invalid> {
        let mut c = Checker::new();
        let name = c
            .required("name", name)
            .and_then(|n| c.take(text("name", n, 200)));
        let mut shares: Vec<SharedData> = shares
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                c.take(SharedData::parse(s).map_err(|e| e.within(&format!("shares[{i}]"))))
            })
            .collect();
        shares.sort();
        shares.dedup();
        c.finish()?;
        Ok(NewNetwork {
            name: name.unwrap_or_default(),
            shares,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreements_name_known_data_only() {
        let n = NewNetwork::parse(
            Some("Centrum Karlstad"),
            &["aggregate_counts".into(), "aggregate_counts".into()],
        )
        .unwrap();
        assert_eq!(n.shares, [SharedData::AggregateCounts]);
        let e = NewNetwork::parse(Some("C"), &["personal_data".into()]).unwrap_err();
        assert_eq!(e.0[0].field, "shares[0]");
    }
}
