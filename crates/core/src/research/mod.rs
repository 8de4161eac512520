//! The research workspace (seed 001): the five steps to a digitalisation strategy,
//! with evidence that carries through from the first story to the strategy document.
//!
//! Code map, one job per file:
//!
//! - `project`: the workshop round — owner, members and roles, groups of four to five.
//! - `progress`: the five [`Step`]s and which have enough material (rules there).
//! - `story`, `questions`: step 1 — stories of a purchase as moments before, during
//!   and after; follow-up questions checked for open or closed form; value statements.
//! - `observation`: step 2 — protocol templates, observation rounds, the journey board.
//! - `presentation`: the presentation rounds of steps 2–4 — questions and answers
//!   about an observation, a function or a moment, checked like step 1's questions.
//! - `scan`: step 3 — the catalogue of digital functions.
//! - `quote`: coded quotes from open survey answers (see `crate::coding`), brought
//!   in as evidence in the customers' own words.
//! - `attachment`: photos of observations (step 2) and screenshots of functions
//!   (step 3): the checks of an uploaded image and its description in the project.
//! - `protocol`, `matrix`, `focus`: step 4 — moments with likes and dislikes from both
//!   perspectives, the four-field classification and its layout, the chosen focus.
//! - `implementation`: step 5 — join or build, alone or together, and who does what by when.
//! - `reflection`, `strategy`, `render`: step 5 — team reflections, the strategy
//!   document model (every claim citing evidence), Markdown and HTML.
//! - `figure`: the four-field matrix laid out as a picture, drawn alike by the PDF
//!   and the HTML; `file_name`: a download's name from the project's title and date.
//! - `evidence`: typed references to anything a project holds, and their resolution.
//! - `evidence_table`: all of a project's evidence as rows (step, kind, phase,
//!   valence, value landscape, summary, what cites it), for the CSV export.
//! - `round`: start the next round with this round's focus as context.
//! - `export`, `check`: the project as one JSON value; integrity of outside data.
//! - `guidance`: texts for each step and each tool, Swedish and English.
//! - `explain`: what each setting, motivation, face of digital technology and
//!   action means, in a team's everyday words, Swedish and English.
//! - `lang`, `ids`, `input`, `macros`: the vocabularies' labels, ids, parse helpers.
//!
//! Architecture invariant: a [`Project`] is one aggregate and changes only through
//! its methods (`add_*`, `record_stance`, `place_observation`, `choose_focus`…),
//! each of which checks loose input against what the project already holds, so
//! every id named anywhere in it resolves. [`Project::check`] verifies the same for
//! data from outside. Nothing here reads a clock: times and dates are parameters.

#[macro_use]
mod macros;

pub mod attachment;
pub mod check;
pub mod evidence;
pub mod evidence_table;
pub mod explain;
pub mod export;
pub mod figure;
pub mod file_name;
pub mod focus;
pub mod guidance;
pub mod ids;
pub mod implementation;
pub(crate) mod input;
pub mod lang;
pub mod matrix;
pub mod observation;
pub mod presentation;
pub mod progress;
pub mod project;
pub mod protocol;
pub mod questions;
pub mod quote;
pub mod reflection;
pub mod render;
pub mod round;
pub mod scan;
pub mod story;
pub mod strategy;

#[cfg(test)]
mod fixture;

pub use attachment::{ATTACHMENT_MAX, Attachment, IMAGE_TYPES};
pub use evidence::{EvidenceItem, EvidenceRef};
pub use evidence_table::EvidenceRow;
pub use explain::Explain;
pub use export::{EXPORT_FORMAT, EXPORT_VERSION, ProjectExport};
pub use focus::{Care, Focus, FocusInput};
pub use guidance::{Tool, Topic, guidance, tools_for};
pub use ids::{
    AttachmentId, FunctionId, GroupId, MemberId, MomentId, ObservationId, PresentationQuestionId,
    ProjectId, QuestionId, QuoteId, ReflectionId, RoundId, StanceId, StoryId, StoryMomentId,
    TaskId, TemplateId, ValueStatementId,
};
pub use implementation::{
    Implementation, ImplementationInput, Partnership, Route, Task, TaskInput,
};
pub use input::{NAME_MAX, TEXT_MAX};
pub use matrix::{MatrixLayout, Quadrant, Tally, Unclassified, classify, layout};
pub use observation::{
    Answer, EchoInput, Observation, ObservationInput, ObservationRound, ObservationRoundInput,
    Placement, PlacementInput, ProtocolField, ProtocolFieldInput, ProtocolTemplate,
    ProtocolTemplateInput,
};
pub use presentation::{PresentationQuestion, PresentationQuestionInput, presented_in};
pub use progress::{Advice, Gap, Progress, Step, StepProgress, StepState};
pub use project::{Group, GroupInput, Member, MemberInput, Project, ProjectInput, Role};
pub use protocol::{
    FunctionLinkInput, MemberProtocol, MergeInput, Moment, MomentInput, Perspective, StanceInput,
    StanceRecord, StanceSource,
};
pub use questions::{QuestionCheck, QuestionForm, check_question, is_closed};
pub use quote::{Quote, QuoteInput};
pub use reflection::{Reflection, ReflectionInput};
pub use render::{to_html, to_markdown};
pub use round::{CarriedFocus, CarriedTask, RoundContext, TaskCheckInput};
pub use scan::{DigitalFunction, DigitalFunctionInput};
pub use story::{
    FollowUpQuestion, QuestionInput, Story, StoryInput, StoryMoment, StoryMomentInput, Valence,
    ValueStatement, ValueStatementInput,
};
pub use strategy::{Claim, Section, SectionKind, Statement, StrategyDocument};
