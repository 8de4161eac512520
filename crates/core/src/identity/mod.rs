//! Identity resolution ("act as one", issue 12): which of one provider's profiles
//! are the same person, stitched deterministically by the identifiers they carry.
//!
//! Code map, one job per file:
//!
//! - `rules`: [`KindRule`] per identifier kind (merges or not, priority, cap) and
//!   [`Rules`], with the defaults and the placeholder values that never merge.
//! - `engine`: [`resolve`] turns [`Observation`]s and people's [`Decision`]s into
//!   a [`Resolution`]: each profile's person key, the *shared* identifiers, the
//!   [`Link`]s that explain every merge (so [`Resolution::why`] can name the chain
//!   of evidence between two profiles) and the [`Conflict`]s, joins refused by a
//!   per-person limit or a decision to keep two apart.
//! - `score`: [`score`], persons against the truth of who is who, pair by pair
//!   (precision, recall, false merges), for the demo's truth and benchmarks.
//! - `verified`: [`humans`], the only join across providers, through identifiers
//!   the person verified themselves.
//!
//! A person's key is its smallest [`ProfileId`](crate::ProfileId): the answer never
//! depends on the order observations arrive in, and a key stays while its smallest
//! profile stays. An identifier on more profiles than its kind's cap is shared and
//! merges nobody, so one family tablet does not make a family one person; a join
//! that would give one person two customer numbers or two loyalty cards is
//! refused, so a household e-mail does not either. An unmerge is a decision to
//! keep two profiles apart: resolving again splits the person, and since rows
//! hang on profiles, their touchpoints follow.
//!
//! Architecture invariant: as in the rest of the core, nothing here does I/O.

mod engine;
mod rules;
mod score;
#[cfg(test)]
mod tests;
mod verified;

pub use engine::{
    Conflict, Decision, Evidence, FieldWeight, Link, Match, Observation, Refusal, Resolution,
    resolve,
};
pub use rules::{KindRule, Rules};
pub use score::{Score, score};
pub use verified::{Held, humans};
