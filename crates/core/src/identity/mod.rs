//! Identity resolution ("act as one", issue 12): which of one provider's profiles
//! are the same person, stitched deterministically by the identifiers they carry.
//!
//! Code map, one job per file:
//!
//! - `rules`: [`KindRule`] per identifier kind (merges or not, priority, cap) and
//!   [`Rules`], with the defaults and the placeholder values that never merge.
//! - `engine`: [`resolve`] turns [`Observation`]s into a [`Resolution`]: each
//!   profile's person key, the *shared* identifiers, and the [`Link`]s that
//!   explain every merge, so [`Resolution::why`] can name the chain of identifiers
//!   between two profiles.
//!
//! A person's key is its smallest [`ProfileId`](crate::ProfileId): the answer never
//! depends on the order observations arrive in, and a key stays while its smallest
//! profile stays. An identifier on more profiles than its kind's cap is shared and
//! merges nobody, so one family tablet does not make a family one person.
//!
//! Architecture invariant: as in the rest of the core, nothing here does I/O.

mod engine;
mod rules;
#[cfg(test)]
mod tests;

pub use engine::{Link, Observation, Resolution, resolve};
pub use rules::{KindRule, Rules};
