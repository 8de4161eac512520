//! Consent by purpose: what a person allows one provider, recorded with its source
//! and time. A provider may import consents it collected elsewhere; the person's own
//! choice here always wins over an import, whichever is newer.

use crate::value::vocabulary;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

vocabulary!(
    /// What a consent allows: contact for marketing, counting the person in journey
    /// figures, linking survey responses to the profile, reading through grants.
    Purpose { Marketing => "marketing", Analytics => "analytics", Research => "research", Personalisation => "personalisation" }
);
vocabulary!(
    /// Who recorded a choice: the person here, or a provider that collected it elsewhere.
    Source { Person => "person", Import => "import" }
);

/// One recorded choice about one purpose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Choice {
    pub purpose: Purpose,
    pub given: bool,
    pub source: Source,
    pub at: DateTime<Utc>,
}

/// The choice that holds for `purpose`: the person's own latest, else the latest
/// import; None when nobody ever recorded one.
pub fn holding(choices: &[Choice], purpose: Purpose) -> Option<&Choice> {
    choices
        .iter()
        .filter(|c| c.purpose == purpose)
        .max_by_key(|c| (c.source == Source::Person, c.at))
}
