//! Coding of open survey answers: a provider's codebook, spans of answer text marked
//! with a code by a named coder, and what the codings say once counted.
//!
//! Code map, one job per file:
//!
//! - `codebook`: [`CodeKey`], [`Code`] and the [`Codebook`], hierarchical through
//!   `parent`; the default [`Codebook::value_landscape`]; [`CodebookInput`], the whole
//!   list as a client sends it, checked with every problem named by field.
//! - `refi`: the codebook as a REFI-QDA codebook (`.qdc`, XML) and back, so it can
//!   travel to and from QDA tools (QualCoder, ATLAS.ti, MAXQDA, NVivo, Taguette).
//! - `language`: the language to read an open answer in for the suggestions: the
//!   detected one (Swedish or English, `whatlang`) where the survey offers both and
//!   the detector is sure, else the one the response declares.
//! - `span`: one [`Coding`] — a span of one open-text answer, a code and a coder —
//!   and [`CodingInput`], checked against the survey, the response's answer text
//!   and the codebook. (Not `coding/coding.rs`: a module named like its parent.)
//! - `analysis`: code frequencies, the agreement of two coders (Cohen's kappa), the
//!   0/1 table of codes per response, and the mixed-methods join of scale scores
//!   with code presence (Welch's test). The statistics themselves are the survey
//!   engine's (`survey::cohens_kappa`, `survey::score_by_code`).
//!
//! Architecture invariant: as in the rest of the core, nothing here does I/O. The
//! store keeps the codebook as a JSON document with a version and codings as rows;
//! the server checks input through the `parse` functions here before storing it.

pub mod analysis;
pub mod codebook;
pub mod language;
pub mod refi;
pub mod span;
pub mod suggest;

pub use analysis::{
    Agreement, CodeAgreement, CodeFrequency, CodeJoin, CodeRow, CodeTable, Frequencies, Join,
    JoinOn, agreement, code_table, frequencies, join,
};
pub use codebook::{Code, CodeInput, CodeKey, Codebook, CodebookInput, MAX_CODES};
pub use language::reading_language;
pub use refi::{from_qdc, slugify, to_qdc};
pub use span::{Coding, CodingId, CodingInput, Segment, segments, slice_chars};
