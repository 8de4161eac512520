//! Probabilistic record linkage: which records with no shared identifier are one
//! person, by their names, birth date and address (Fellegi–Sunter, as in Splink).
//!
//! Code map, in the order a run takes:
//! - [`record`]: the fields, normalisation, and [`Prepared`] records (sorted, interned).
//! - [`blocking`]: rules that choose the candidate pairs, and the cap on a block.
//! - [`compare`]: the levels two values reach in a field (exact, Jaro-Winkler, …);
//!   `text.rs` holds the cheap bounds that spare it most of the work.
//! - [`model`]: m and u per level (u from random pairs, m by EM), the prior, the
//!   thresholds: a serialisable [`Model`].
//! - [`predict`]: weights and classes of the candidates: link, review or dropped,
//!   each kept pair with its field-by-field evidence.
//!
//! `cores.rs` runs the independent parts of a step on threads of their own.
//!
//! Deterministic: the same records in any order and the same model give the same
//! pairs, so a provider's persons can be rebuilt from scratch with a stored model.

pub mod blocking;
pub mod compare;
mod cores;
pub mod model;
pub mod predict;
pub mod record;
mod text;

#[cfg(test)]
mod tests;

pub use blocking::{Candidates, Key, Rule, candidates, keys};
pub use compare::{Levels, compare_all};
pub use model::{Level, Model, Settings, Thresholds, Training, estimate, train};
pub use predict::{Class, Evidence, Prediction, Scored, link, score};
pub use record::{Field, Prepared, Record, normalise};
