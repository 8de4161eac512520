//! Surveys and their statistics.
//!
//! [`stats`] is the pure statistics engine for survey answers (scale descriptives,
//! top-two-box, NPS, cross-tabs, Welch's test, Cohen's kappa and the join of scores with
//! open-text codes). Everything is re-exported here so callers write
//! `motesplats_core::survey::nps`.
//!
//! [`definition`] holds survey definitions (sections, questions, versions, the journey
//! context), [`response`] the checked responses and the bridge from answers to
//! [`stats`], [`ids`] their ids; `to_input` turns a survey back into the input that
//! makes it; [`results`] holds the figures of every question as one value. [`split`]
//! splits responses into groups by a built-in dimension (channel, phase, motivation,
//! provider, period) or a saved segment's worked-out membership, and into categories
//! for cross-tabs.

pub mod definition;
pub mod ids;
pub mod response;
pub mod results;
pub mod score;
pub mod split;
pub mod stats;
mod to_input;

pub use definition::{
    Anchor, AnchorInput, ChoiceOption, ItemInput, JourneyContext, LocalText, MatrixItem,
    OptionInput, Question, QuestionInput, QuestionKind, Section, SectionInput, Survey, SurveyInput,
    SurveyKey, SurveyStatus, TextInput,
};
pub use ids::{ResponseId, SurveyId};
pub use response::{Answer, Response, ResponseInput, scale_values};
pub use results::{
    Figures, GroupResults, MIN_N, OptionCount, QuestionResult, ScaleItem, SurveyResults,
};
pub use score::{PooledScore, pooled_score};
pub use split::{
    Category, Dimension, IN, Membership, OUT, Period, SEGMENT_PREFIX, Split, SplitGroup, UNKNOWN,
};

pub use stats::{
    ChiSquareTest, CodeScoreJoin, ConfidenceInterval, CrossTab, Descriptives, GroupMean,
    IntervalMethod, Kappa, MAX_SCALE_POINTS, Nps, PointCount, Proportion, Scale, ScaleDescriptives,
    StatsError, WelchTest, chi_square_test, cohens_kappa, crosstab, describe, describe_scale, nps,
    nps_from_counts, score_by_code, top_two_box, welch_t_test, wilson_interval,
};
