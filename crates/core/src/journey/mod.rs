//! Journeys: a person's touchpoints before, during and after a meeting with the
//! provider. A meeting starts at an anchor (a touchpoint of a kind the provider names:
//! a purchase, a visit, a check-in); what happens in the hours after it is during,
//! the days before lead up to it, the days after follow from it. The phase of a
//! touchpoint whose sender declared none is inferred from where it falls.
//!
//! `settings` holds a provider's anchors and windows; `build` splits one person's
//! touchpoints into journeys.

mod build;
pub mod motivation;
mod settings;

pub use build::{Journey, JourneyStep, Step, journeys};
pub use settings::{JourneySettings, JourneySettingsInput};
