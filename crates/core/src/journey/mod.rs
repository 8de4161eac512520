//! Journeys: a person's touchpoints before, during and after a meeting with the
//! provider. A meeting starts at an anchor (a touchpoint of a kind the provider names:
//! a purchase, a visit, a check-in); what happens in the hours after it is during,
//! the days before lead up to it, the days after follow from it. The phase of a
//! touchpoint whose sender declared none is inferred from where it falls.
//!
//! `settings` holds a provider's anchors and windows; `build` splits one person's
//! touchpoints into journeys; `clock` counts the windows' days where the provider is;
//! `log` holds many persons' touchpoints as columns and places them all at once;
//! `figures` counts what a selection of journeys shows (channel mix, flows, paths,
//! lead time, repeat, trend, funnels); `outcomes` credits channels with the outcomes
//! (attribution); `motivation` classifies a journey by what started it; `landscape`
//! sets each journey's motivation beside the messages pressing the person and what
//! came of it (the value landscape).

mod asked;
mod build;
mod clock;
mod compare;
mod figures;
mod landscape;
mod log;
pub mod motivation;
mod outcomes;
mod settings;

pub use asked::{ASKED_WITHIN_DAYS, Asked, AskedCell, AskedComparison, ScoreCell, compare_asked};
pub use build::{Journey, JourneyStep, Step, journeys};
pub use clock::{Clock, PeriodUnit};
pub use compare::{Comparison, Tally, compare, tallies};
pub use figures::{
    ChannelMix, Context, Filter, Flow, FunnelStep, JourneyFigures, LeadTime, MIN_PERSONS,
    MeetingFlow, OwnAndUncontrolled, PathCount, Repeat, TrendPoint, figures, funnel,
};
pub use landscape::{
    ANSWERS, BehaviourLandscape, JourneyValue, MotivationCount, PRESSURE_DAYS, PURCHASE,
    PressureBand, PressureCell, RETURN_DAYS, RuleCount, journey_values, value_landscape,
};
pub use log::{Log, LogBuilder, LogRow, PhaseCode, Placement, Span, phase_code};
pub use motivation::{StepSignals, StepView};
pub use outcomes::{Attribution, ChannelCredit, ModelCredits, attribution};
pub use settings::{JourneySettings, JourneySettingsInput};

/// The demo's anchors: its bank's journeys meet at a support contact.
#[cfg(test)]
fn demo_settings() -> JourneySettings {
    JourneySettings {
        anchors: [
            "purchase",
            "visit",
            "check_in",
            "meeting",
            "support.contact",
        ]
        .map(String::from)
        .to_vec(),
        ..JourneySettings::default()
    }
}
