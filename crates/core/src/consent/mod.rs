//! The person's side of being contacted: consent by purpose per provider, the
//! person's own contact preferences, and the contact decision that weighs both
//! with the attention already spent, and the grants by which one provider reads
//! what another holds. Seed 001: a message at the wrong moment
//! stresses people, and nobody wants to be the one who sent it.

mod choice;
mod decision;
mod grant;
mod preferences;
mod rectification;

pub use choice::{Choice, Purpose, Source, holding};
pub use decision::{
    ContactPurpose, ContactRequest, ContactRequestInput, Context, ContextInput, Decision, Facts,
    HOLD, Urgency, Verdict, WEEK, decide,
};
pub use grant::{Category, Grant, GrantInput, NewGrant};
pub use preferences::{
    CONTACT_CHANNELS, ContactPreferences, MOST_A_WEEK, PreferencesInput, QuietHours,
    QuietHoursInput,
};
pub use rectification::{
    AnswerInput, NewRectification, Rectification, RectificationInput, Resolution,
};

#[cfg(test)]
mod tests;
