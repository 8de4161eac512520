//! Survey definitions: a title and intro in one or more languages, sections of
//! questions, and the journey context the survey belongs to (a phase, a channel, a
//! kind of touchpoint). `Survey::parse` is the single gate from a loose
//! [`SurveyInput`] to a checked [`Survey`]; every bad field is named by its path, such
//! as `sections[0].questions[2].anchors`.
//!
//! Question kinds: `scale` (1..=k, k from 2 to 11, both ends labelled), `matrix`
//! (several statements sharing one scale), `open_text`, `single_choice`,
//! `multiple_choice`, `nps` (0..=10) and `csat` (1..=5 with default labels).
//!
//! Versioning: a survey keeps its id for life. [`Survey::revise`] keeps the version
//! while nobody has answered, and gives version + 1 once responses exist, so every
//! response can be read against the exact questions it answered. Once responses exist,
//! a question key also keeps its measurement: its kind and its scale may not change
//! (add a question with a new key instead), so answers to one key can be pooled across
//! versions.

use super::ids::SurveyId;
use super::response::{Response, scale_values};
use super::stats::Scale;
use crate::channel::ChannelKey;
use crate::invalid::{Checker, Invalid, List, Reason, text};
use crate::lang::Lang;
use crate::touchpoint::TouchpointKind;
use crate::value::Phase;
use serde::{Deserialize, Serialize};
use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use utoipa::ToSchema;

/// The fewest and most points of a `scale` or `matrix` question.
pub const SCALE_POINTS: std::ops::RangeInclusive<i64> = 2..=11;
/// The longest open-text answer when the question does not say.
pub const DEFAULT_MAX_LENGTH: usize = 2000;
/// The longest open-text answer a question may allow.
pub const MAX_TEXT_ANSWER: usize = 10_000;

const MAX_TITLE: usize = 200;
const MAX_INTRO: usize = 4000;
const MAX_QUESTION_TEXT: usize = 500;
const MAX_LABEL: usize = 200;
const MAX_SECTIONS: usize = 50;
const MAX_QUESTIONS: usize = 200;
const MAX_ENTRIES: usize = 50;

/// A text in each of the survey's languages, such as `{"sv": "Tack!", "en": "Thanks!"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = Object)]
pub struct LocalText(BTreeMap<Lang, String>);

impl LocalText {
    /// The text in `language`, if the survey has it.
    pub fn get(&self, language: Lang) -> Option<&str> {
        self.0.get(&language).map(String::as_str)
    }

    /// The text in `language`, or else in any language it has.
    pub fn best(&self, language: Lang) -> &str {
        self.get(language)
            .or_else(|| self.0.values().next().map(String::as_str))
            .unwrap_or("")
    }

    /// Built-in texts (default labels), kept to the survey's languages.
    fn builtin(sv: &str, en: &str, languages: &[Lang]) -> Self {
        LocalText(
            languages
                .iter()
                .map(|&l| {
                    let t = match l {
                        Lang::Sv => sv,
                        Lang::En => en,
                    };
                    (l, t.to_string())
                })
                .collect(),
        )
    }
}

/// A text as a client sends it: a plain string when the survey has one language, or
/// one text per language.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(untagged)]
pub enum TextInput {
    Plain(String),
    PerLanguage(BTreeMap<String, String>),
}

fn local_text(
    field: &str,
    input: &TextInput,
    languages: &[Lang],
    max: usize,
) -> Result<LocalText, Invalid> {
    let mut c = Checker::new();
    let mut texts = BTreeMap::new();
    match input {
        TextInput::Plain(s) => match languages {
            [only] => {
                if let Some(t) = c.take(text(field, s, max)) {
                    texts.insert(*only, t);
                }
            }
            _ => c.fail(field, Reason::TextPerLanguage),
        },
        TextInput::PerLanguage(m) => {
            for (k, v) in m {
                let path = format!("{field}.{k}");
                match c.take(Lang::parse(k).map_err(|e| e.within(&path))) {
                    None => {}
                    Some(l) if !languages.contains(&l) => c.fail(path, Reason::NotSurveyLanguage),
                    Some(l) => {
                        if let Some(t) = c.take(text(&path, v, max)) {
                            texts.insert(l, t);
                        }
                    }
                }
            }
            for l in languages {
                if !m.contains_key(l.as_str()) {
                    c.fail(
                        field,
                        Reason::NeedsText {
                            language: l.to_string(),
                        },
                    );
                }
            }
        }
    }
    c.finish()?;
    Ok(LocalText(texts))
}

/// A stable key of a question, a matrix item or a choice option: 1 to 40 characters, a
/// lower-case letter, then lower-case letters, digits or `_`. Answers and codes hang on
/// it, so it outlives wording changes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = String)]
pub struct SurveyKey(String);

impl SurveyKey {
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let ok = (1..=40).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if ok {
            Ok(SurveyKey(s.to_string()))
        } else {
            Err(Invalid::one(
                "",
                Reason::Key {
                    low: 1,
                    high: 40,
                    marks: "_".into(),
                },
            ))
        }
    }

    /// A key made from a question's label: letters without their accents (å → a,
    /// ö → o), lower case, other characters as `_`, and a number after it when
    /// `taken` already has it; `q` when the label has no letters.
    pub fn from_label(label: &str, taken: impl Fn(&str) -> bool) -> SurveyKey {
        use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};
        let mut stem = String::new();
        for c in label.nfd().filter(|c| !is_combining_mark(*c)) {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_lowercase() || (c.is_ascii_digit() && !stem.is_empty()) {
                stem.push(c);
            } else if !stem.is_empty() && !stem.ends_with('_') {
                stem.push('_');
            }
            if stem.len() >= 32 {
                break;
            }
        }
        let stem = match stem.trim_end_matches('_') {
            "" => "q",
            s => s,
        };
        let key = (1..)
            .map(|n| match n {
                1 => stem.to_string(),
                n => format!("{stem}_{n}"),
            })
            .find(|k| !taken(k))
            .unwrap_or_default();
        SurveyKey(key)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SurveyKey {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SurveyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a survey takes in answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SurveyStatus {
    /// Being written; takes no responses.
    Draft,
    /// Takes responses.
    Open,
    /// Takes no more responses; may be opened again.
    Closed,
}

impl SurveyStatus {
    pub const ALL: &'static [SurveyStatus] = &[
        SurveyStatus::Draft,
        SurveyStatus::Open,
        SurveyStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SurveyStatus::Draft => "draft",
            SurveyStatus::Open => "open",
            SurveyStatus::Closed => "closed",
        }
    }
}

/// The part of the customer journey a survey asks about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct JourneyContext {
    pub phase: Option<Phase>,
    #[schema(value_type = Option<String>)]
    pub channel: Option<ChannelKey>,
    #[schema(value_type = Option<String>)]
    pub touchpoint_kind: Option<TouchpointKind>,
}

impl JourneyContext {
    /// Whether a survey in this context is the one to offer after `t`: it names the
    /// touchpoint's kind, and its channel and phase, where it names them, match too.
    /// A survey that names no kind is never triggered; it is shared by its link.
    pub fn invites_after(&self, t: &crate::Touchpoint) -> bool {
        self.touchpoint_kind.as_ref() == Some(&t.kind)
            && self.channel.as_ref().is_none_or(|c| *c == t.channel)
            && self.phase.is_none_or(|p| t.phase == Some(p))
    }
}

/// A labelled point of a scale, such as 1 = "Instämmer inte alls".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Anchor {
    pub point: i32,
    pub label: LocalText,
}

/// One statement of a matrix question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MatrixItem {
    pub key: SurveyKey,
    pub text: LocalText,
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChoiceOption {
    pub key: SurveyKey,
    pub label: LocalText,
}

/// What a question asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionKind {
    /// A point on `1..=points`; anchors sorted by point, both ends among them.
    Scale { points: i32, anchors: Vec<Anchor> },
    /// Several statements, each answered on the same `1..=points` scale.
    Matrix {
        points: i32,
        anchors: Vec<Anchor>,
        items: Vec<MatrixItem>,
    },
    /// Free text of at most `max_length` characters.
    OpenText { max_length: usize },
    /// Exactly one option.
    SingleChoice { options: Vec<ChoiceOption> },
    /// `min_selections..=max_selections` options.
    MultipleChoice {
        options: Vec<ChoiceOption>,
        min_selections: usize,
        max_selections: usize,
    },
    /// "How likely are you to recommend…", 0..=10.
    Nps { anchors: Vec<Anchor> },
    /// Customer satisfaction, 1..=5.
    Csat { anchors: Vec<Anchor> },
}

impl QuestionKind {
    pub const NAMES: &'static [&'static str] = &[
        "scale",
        "matrix",
        "open_text",
        "single_choice",
        "multiple_choice",
        "nps",
        "csat",
    ];

    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::Scale { .. } => "scale",
            QuestionKind::Matrix { .. } => "matrix",
            QuestionKind::OpenText { .. } => "open_text",
            QuestionKind::SingleChoice { .. } => "single_choice",
            QuestionKind::MultipleChoice { .. } => "multiple_choice",
            QuestionKind::Nps { .. } => "nps",
            QuestionKind::Csat { .. } => "csat",
        }
    }

    /// The numeric scale of scale, matrix, NPS and CSAT questions.
    pub fn scale(&self) -> Option<Scale> {
        match self {
            QuestionKind::Scale { points, .. } | QuestionKind::Matrix { points, .. } => {
                Scale::one_to(*points).ok()
            }
            QuestionKind::Nps { .. } => Some(Scale::zero_to_ten()),
            QuestionKind::Csat { .. } => Scale::one_to(5).ok(),
            _ => None,
        }
    }
}

/// One question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Question {
    /// Unique in the survey.
    pub key: SurveyKey,
    pub text: LocalText,
    /// A complete response must answer it (a partial save may leave it empty).
    pub required: bool,
    #[serde(flatten)]
    pub kind: QuestionKind,
}

/// A titled group of questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Section {
    pub title: Option<LocalText>,
    pub questions: Vec<Question>,
}

/// A checked survey definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Survey {
    pub id: SurveyId,
    /// Starts at 1; see [`Survey::revise`].
    pub version: u32,
    pub status: SurveyStatus,
    /// The first is the default language of a response.
    pub languages: Vec<Lang>,
    pub title: LocalText,
    pub intro: Option<LocalText>,
    pub context: JourneyContext,
    pub sections: Vec<Section>,
}

/// A labelled scale point as a client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnchorInput {
    pub point: Option<i64>,
    pub label: Option<TextInput>,
}

/// A matrix statement as a client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    pub key: Option<String>,
    pub text: Option<TextInput>,
}

/// A choice option as a client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionInput {
    pub key: Option<String>,
    pub label: Option<TextInput>,
}

/// A question as a client sends it; fields that do not apply to its kind are refused.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionInput {
    pub key: Option<String>,
    /// scale, matrix, open_text, single_choice, multiple_choice, nps or csat.
    pub kind: Option<String>,
    pub text: Option<TextInput>,
    /// Default false.
    pub required: Option<bool>,
    /// scale and matrix: 2 to 11 points, `1..=points`.
    pub points: Option<i64>,
    /// scale and matrix: at least both ends; nps and csat: replaces the default labels.
    pub anchors: Option<Vec<AnchorInput>>,
    /// matrix: the statements.
    pub items: Option<Vec<ItemInput>>,
    /// single_choice and multiple_choice.
    pub options: Option<Vec<OptionInput>>,
    /// multiple_choice: default 0.
    pub min_selections: Option<i64>,
    /// multiple_choice: default the number of options.
    pub max_selections: Option<i64>,
    /// open_text: default 2000, at most 10000.
    pub max_length: Option<i64>,
}

/// A section as a client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionInput {
    pub title: Option<TextInput>,
    pub questions: Option<Vec<QuestionInput>>,
}

/// A survey definition as a client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyInput {
    pub title: Option<TextInput>,
    /// `sv` and/or `en`; default `["sv"]`. The first is the default for responses.
    pub languages: Option<Vec<String>>,
    pub intro: Option<TextInput>,
    /// before, during or after.
    pub phase: Option<String>,
    /// A channel key (existence is checked by the caller, who knows the registry).
    pub channel: Option<String>,
    pub touchpoint_kind: Option<String>,
    pub sections: Option<Vec<SectionInput>>,
}

impl Survey {
    /// A new draft survey, version 1.
    pub fn parse(input: &SurveyInput) -> Result<Survey, Invalid> {
        parse_survey(input, SurveyId::new(), 1, SurveyStatus::Draft)
    }

    /// The survey rewritten from `input`, with the same id and status.
    ///
    /// The rule: while the survey has no responses its version stays (a draft may be
    /// edited freely); once it has responses (`has_responses`, which the caller knows
    /// from storage) the revision is version + 1, and every question key that remains
    /// must keep its kind and scale, so that old and new answers to it stay comparable.
    pub fn revise(&self, input: &SurveyInput, has_responses: bool) -> Result<Survey, Invalid> {
        let version = if has_responses {
            self.version + 1
        } else {
            self.version
        };
        let revised = parse_survey(input, self.id, version, self.status)?;
        if has_responses {
            let mut c = Checker::new();
            for (s, section) in revised.sections.iter().enumerate() {
                for (q, new) in section.questions.iter().enumerate() {
                    let Some(old) = self.question(new.key.as_str()) else {
                        continue;
                    };
                    let path = format!("sections[{s}].questions[{q}]");
                    if old.kind.name() != new.kind.name() {
                        c.fail(
                            format!("{path}.kind"),
                            Reason::KindKept {
                                from: old.kind.name().to_string(),
                                to: new.kind.name().to_string(),
                            },
                        );
                    } else if old.kind.scale() != new.kind.scale() {
                        c.fail(format!("{path}.points"), Reason::ScaleKept);
                    }
                }
            }
            c.finish()?;
        }
        Ok(revised)
    }

    /// The survey with a new status. Draft → open, open → closed and closed → open are
    /// allowed (and staying put); nothing goes back to draft, and a draft is opened
    /// before it is closed.
    pub fn with_status(&self, status: SurveyStatus) -> Result<Survey, Invalid> {
        use SurveyStatus::*;
        match (self.status, status) {
            (a, b) if a == b => {}
            (Draft, Open) | (Open, Closed) | (Closed, Open) => {}
            (_, Draft) => {
                return Err(Invalid::one("status", Reason::NoDraft));
            }
            (Draft, Closed) => {
                return Err(Invalid::one("status", Reason::OpenFirst));
            }
            _ => unreachable!("every pair is covered"),
        }
        Ok(Survey {
            status,
            ..self.clone()
        })
    }

    /// Every question, section by section.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.sections.iter().flat_map(|s| s.questions.iter())
    }

    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions().find(|q| q.key.as_str() == key)
    }

    /// The scale of a scale, NPS or CSAT question, or of one `item` of a matrix.
    /// Errors name `question` or `item`.
    pub fn scale_of(&self, question: &str, item: Option<&str>) -> Result<Scale, Invalid> {
        let q = self.question(question).ok_or_else(|| {
            Invalid::one(
                "question",
                Reason::NoQuestion {
                    key: question.to_string(),
                },
            )
        })?;
        match (&q.kind, item) {
            (QuestionKind::Matrix { .. }, None) => Err(Invalid::one("item", Reason::NameItem)),
            (QuestionKind::Matrix { items, .. }, Some(i))
                if !items.iter().any(|it| it.key.as_str() == i) =>
            {
                Err(Invalid::one(
                    "item",
                    Reason::NoItem {
                        item: i.to_string(),
                        question: question.to_string(),
                    },
                ))
            }
            (QuestionKind::Matrix { .. }, Some(_)) | (_, None) => q.kind.scale().ok_or_else(|| {
                Invalid::one(
                    "question",
                    Reason::NoScale {
                        kind: q.kind.name().to_string(),
                    },
                )
            }),
            (_, Some(_)) => Err(Invalid::one("item", Reason::OnlyMatrixItems)),
        }
    }

    /// The scale of one item and the numeric answers to it among `responses` of this
    /// survey (any version; missing answers skipped; partial saves count), ready for
    /// [`super::stats::describe_scale`].
    pub fn scale_answers(
        &self,
        responses: &[Response],
        question: &str,
        item: Option<&str>,
    ) -> Result<(Scale, Vec<f64>), Invalid> {
        let scale = self.scale_of(question, item)?;
        let mine = responses.iter().filter(|r| r.survey_id == self.id);
        Ok((scale, scale_values(mine, question, item)))
    }
}

fn parse_survey(
    input: &SurveyInput,
    id: SurveyId,
    version: u32,
    status: SurveyStatus,
) -> Result<Survey, Invalid> {
    let mut c = Checker::new();
    let languages: Vec<Lang> = match &input.languages {
        None => vec![Lang::Sv],
        Some(ls) if ls.is_empty() => {
            c.fail("languages", Reason::Empty);
            vec![Lang::Sv]
        }
        Some(ls) => {
            let mut out = Vec::new();
            for (i, l) in ls.iter().enumerate() {
                let field = format!("languages[{i}]");
                match c.take(Lang::parse(l).map_err(|e| e.within(&field))) {
                    Some(l) if out.contains(&l) => c.fail(
                        field,
                        Reason::Repeats {
                            value: l.to_string(),
                        },
                    ),
                    Some(l) => out.push(l),
                    None => {}
                }
            }
            if out.is_empty() {
                out.push(Lang::Sv);
            }
            out
        }
    };
    let langs = languages.as_slice();
    let title = c
        .required("title", input.title.as_ref())
        .and_then(|t| c.take(local_text("title", t, langs, MAX_TITLE)));
    let intro = input
        .intro
        .as_ref()
        .map(|t| c.take(local_text("intro", t, langs, MAX_INTRO)));
    let phase = input
        .phase
        .as_deref()
        .map(|p| c.take(Phase::parse(p).map_err(|e| e.within("phase"))));
    let channel = input
        .channel
        .as_deref()
        .map(|ch| c.take(ChannelKey::parse(ch).map_err(|e| e.within("channel"))));
    let touchpoint_kind = input
        .touchpoint_kind
        .as_deref()
        .map(|k| c.take(TouchpointKind::parse(k).map_err(|e| e.within("touchpoint_kind"))));
    let mut sections = Vec::new();
    match c.required("sections", input.sections.as_ref()) {
        None => {}
        Some(ss) if ss.is_empty() || ss.len() > MAX_SECTIONS => c.fail(
            "sections",
            Reason::Entries {
                low: 1,
                high: MAX_SECTIONS,
            },
        ),
        Some(ss) => {
            let mut keys: BTreeMap<String, String> = BTreeMap::new();
            let total: usize = ss
                .iter()
                .map(|s| s.questions.as_ref().map_or(0, Vec::len))
                .sum();
            if total > MAX_QUESTIONS {
                c.fail("sections", Reason::TooManyQuestions { max: MAX_QUESTIONS });
            }
            for (s, section) in ss.iter().enumerate() {
                let path = format!("sections[{s}]");
                let title = section
                    .title
                    .as_ref()
                    .map(|t| c.take(local_text(&format!("{path}.title"), t, langs, MAX_TITLE)));
                let mut questions = Vec::new();
                match &section.questions {
                    None => c.fail(format!("{path}.questions"), Reason::Required),
                    Some(qs) if qs.is_empty() => c.fail(format!("{path}.questions"), Reason::Empty),
                    Some(qs) => {
                        for (q, question) in qs.iter().enumerate() {
                            let qpath = format!("{path}.questions[{q}]");
                            if let Some(k) = &question.key {
                                if let Some(first) = keys.get(k) {
                                    c.fail(
                                        format!("{qpath}.key"),
                                        Reason::RepeatsOf {
                                            other: format!("{first}.key"),
                                        },
                                    );
                                } else {
                                    keys.insert(k.clone(), qpath.clone());
                                }
                            }
                            if let Some(parsed) =
                                c.take(question.parse(langs).map_err(|e| e.within(&qpath)))
                            {
                                questions.push(parsed);
                            }
                        }
                    }
                }
                sections.push(Section {
                    title: title.flatten(),
                    questions,
                });
            }
        }
    }
    c.finish()?;
    Ok(Survey {
        id,
        version,
        status,
        title: title.expect("checker finished without errors"),
        intro: intro.flatten(),
        context: JourneyContext {
            phase: phase.flatten(),
            channel: channel.flatten(),
            touchpoint_kind: touchpoint_kind.flatten(),
        },
        sections,
        languages,
    })
}

impl QuestionInput {
    /// Checks one question; fields are named relative to the question.
    pub fn parse(&self, languages: &[Lang]) -> Result<Question, Invalid> {
        let mut c = Checker::new();
        let key = c
            .required("key", self.key.as_deref())
            .and_then(|k| c.take(SurveyKey::parse(k).map_err(|e| e.within("key"))));
        let text = c
            .required("text", self.text.as_ref())
            .and_then(|t| c.take(local_text("text", t, languages, MAX_QUESTION_TEXT)));
        let kind = c
            .required("kind", self.kind.as_deref())
            .and_then(|k| self.kind(&mut c, k, languages));
        c.finish()?;
        match (key, text, kind) {
            (Some(key), Some(text), Some(kind)) => Ok(Question {
                key,
                text,
                required: self.required.unwrap_or(false),
                kind,
            }),
            _ => unreachable!("checker finished without errors"),
        }
    }

    fn kind(&self, c: &mut Checker, kind: &str, langs: &[Lang]) -> Option<QuestionKind> {
        let applies: &[&str] = match kind {
            "scale" => &["points", "anchors"],
            "matrix" => &["points", "anchors", "items"],
            "open_text" => &["max_length"],
            "single_choice" => &["options"],
            "multiple_choice" => &["options", "min_selections", "max_selections"],
            "nps" | "csat" => &["anchors"],
            _ => {
                c.fail(
                    "kind",
                    Reason::OneOf {
                        value: kind.to_string(),
                        allowed: List::of(QuestionKind::NAMES.iter()),
                    },
                );
                return None;
            }
        };
        let given = [
            ("points", self.points.is_some()),
            ("anchors", self.anchors.is_some()),
            ("items", self.items.is_some()),
            ("options", self.options.is_some()),
            ("min_selections", self.min_selections.is_some()),
            ("max_selections", self.max_selections.is_some()),
            ("max_length", self.max_length.is_some()),
        ];
        let mut fits = true;
        for (field, present) in given {
            if present && !applies.contains(&field) {
                c.fail(
                    field,
                    Reason::DoesNotApply {
                        kind: kind.to_string(),
                    },
                );
                fits = false;
            }
        }
        let kind = match kind {
            "scale" | "matrix" => {
                let points = c.required("points", self.points).and_then(|p| {
                    if SCALE_POINTS.contains(&p) {
                        Some(p as i32)
                    } else {
                        c.fail(
                            "points",
                            Reason::Range {
                                low: *SCALE_POINTS.start(),
                                high: *SCALE_POINTS.end(),
                            },
                        );
                        None
                    }
                });
                let anchors = c
                    .required("anchors", self.anchors.as_deref())
                    .zip(points)
                    .and_then(|(a, p)| anchors(c, a, 1, p, langs));
                if kind == "scale" {
                    Some(QuestionKind::Scale {
                        points: points?,
                        anchors: anchors?,
                    })
                } else {
                    let items = c.required("items", self.items.as_deref()).and_then(|is| {
                        let entries: Vec<_> = is.iter().map(|i| (&i.key, &i.text)).collect();
                        keyed(c, "items", "text", &entries, 2, MAX_QUESTION_TEXT, langs)
                    });
                    Some(QuestionKind::Matrix {
                        points: points?,
                        anchors: anchors?,
                        items: items?
                            .into_iter()
                            .map(|(key, text)| MatrixItem { key, text })
                            .collect(),
                    })
                }
            }
            "open_text" => {
                let max = self.max_length.unwrap_or(DEFAULT_MAX_LENGTH as i64);
                if (1..=MAX_TEXT_ANSWER as i64).contains(&max) {
                    Some(QuestionKind::OpenText {
                        max_length: max as usize,
                    })
                } else {
                    c.fail(
                        "max_length",
                        Reason::Range {
                            low: 1,
                            high: MAX_TEXT_ANSWER as i64,
                        },
                    );
                    None
                }
            }
            "single_choice" | "multiple_choice" => {
                let options = c
                    .required("options", self.options.as_deref())
                    .and_then(|os| {
                        let entries: Vec<_> = os.iter().map(|o| (&o.key, &o.label)).collect();
                        keyed(c, "options", "label", &entries, 2, MAX_LABEL, langs)
                    });
                let options: Vec<ChoiceOption> = options?
                    .into_iter()
                    .map(|(key, label)| ChoiceOption { key, label })
                    .collect();
                if kind == "single_choice" {
                    Some(QuestionKind::SingleChoice { options })
                } else {
                    let n = options.len() as i64;
                    let min = self.min_selections.unwrap_or(0);
                    let max = self.max_selections.unwrap_or(n);
                    let mut ok = true;
                    if min < 0 {
                        c.fail("min_selections", Reason::Negative);
                        ok = false;
                    }
                    if max < 1 || max > n {
                        c.fail(
                            "max_selections",
                            Reason::MaxSelections { max: options.len() },
                        );
                        ok = false;
                    }
                    if ok && min > max {
                        c.fail("min_selections", Reason::MinOverMax { max: max as usize });
                        ok = false;
                    }
                    ok.then_some(QuestionKind::MultipleChoice {
                        options,
                        min_selections: min as usize,
                        max_selections: max as usize,
                    })
                }
            }
            "nps" => {
                let anchors = match self.anchors.as_deref() {
                    Some(a) => anchors(c, a, 0, 10, langs),
                    None => Some(vec![
                        anchor(0, "Inte alls troligt", "Not at all likely", langs),
                        anchor(10, "Mycket troligt", "Extremely likely", langs),
                    ]),
                };
                Some(QuestionKind::Nps { anchors: anchors? })
            }
            "csat" => {
                let anchors = match self.anchors.as_deref() {
                    Some(a) => anchors(c, a, 1, 5, langs),
                    None => Some(vec![
                        anchor(1, "Mycket missnöjd", "Very dissatisfied", langs),
                        anchor(2, "Missnöjd", "Dissatisfied", langs),
                        anchor(3, "Varken nöjd eller missnöjd", "Neutral", langs),
                        anchor(4, "Nöjd", "Satisfied", langs),
                        anchor(5, "Mycket nöjd", "Very satisfied", langs),
                    ]),
                };
                Some(QuestionKind::Csat { anchors: anchors? })
            }
            _ => unreachable!("unknown kinds returned above"),
        };
        kind.filter(|_| fits)
    }
}

fn anchor(point: i32, sv: &str, en: &str, langs: &[Lang]) -> Anchor {
    Anchor {
        point,
        label: LocalText::builtin(sv, en, langs),
    }
}

/// Checks anchors on `low..=high`: points in range and unique, labels present, and
/// both ends labelled. Sorted by point.
fn anchors(
    c: &mut Checker,
    input: &[AnchorInput],
    low: i32,
    high: i32,
    langs: &[Lang],
) -> Option<Vec<Anchor>> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let mut ok = true;
    for (a, anchor) in input.iter().enumerate() {
        let path = format!("anchors[{a}]");
        let point = match anchor.point {
            None => {
                c.fail(format!("{path}.point"), Reason::Required);
                None
            }
            Some(p) if p < i64::from(low) || p > i64::from(high) => {
                c.fail(
                    format!("{path}.point"),
                    Reason::Range {
                        low: low.into(),
                        high: high.into(),
                    },
                );
                None
            }
            Some(p) if !seen.insert(p) => {
                c.fail(
                    format!("{path}.point"),
                    Reason::Repeats {
                        value: p.to_string(),
                    },
                );
                None
            }
            Some(p) => Some(p as i32),
        };
        let label = match &anchor.label {
            None => {
                c.fail(format!("{path}.label"), Reason::Required);
                None
            }
            Some(t) => c.take(local_text(&format!("{path}.label"), t, langs, MAX_LABEL)),
        };
        match (point, label) {
            (Some(point), Some(label)) => out.push(Anchor { point, label }),
            _ => ok = false,
        }
    }
    if !seen.contains(&i64::from(low)) || !seen.contains(&i64::from(high)) {
        c.fail(
            "anchors",
            Reason::AnchorEnds {
                low: low.into(),
                high: high.into(),
            },
        );
        ok = false;
    }
    out.sort_by_key(|a| a.point);
    ok.then_some(out)
}

/// Checks keyed, labelled entries (matrix items, choice options): `min..=50` of them,
/// keys valid and unique, texts present.
fn keyed(
    c: &mut Checker,
    field: &str,
    text_field: &str,
    entries: &[(&Option<String>, &Option<TextInput>)],
    min: usize,
    max_text: usize,
    langs: &[Lang],
) -> Option<Vec<(SurveyKey, LocalText)>> {
    if entries.len() < min || entries.len() > MAX_ENTRIES {
        c.fail(
            field,
            Reason::Entries {
                low: min,
                high: MAX_ENTRIES,
            },
        );
        return None;
    }
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, (key, label)) in entries.iter().enumerate() {
        let path = format!("{field}[{i}]");
        let key = c
            .required(&format!("{path}.key"), key.as_deref())
            .and_then(|k| {
                let key =
                    c.take(SurveyKey::parse(k).map_err(|e| e.within(&format!("{path}.key"))))?;
                if seen.insert(key.clone()) {
                    Some(key)
                } else {
                    c.fail(
                        format!("{path}.key"),
                        Reason::Repeats {
                            value: k.to_string(),
                        },
                    );
                    None
                }
            });
        let tpath = format!("{path}.{text_field}");
        let label = c
            .required(&tpath, label.as_ref())
            .and_then(|t| c.take(local_text(&tpath, t, langs, max_text)));
        if let (Some(key), Some(label)) = (key, label) {
            out.push((key, label));
        }
    }
    (out.len() == entries.len()).then_some(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn a_key_is_made_from_the_label_in_a_to_z() {
        let free = |_: &str| false;
        let key = |label| SurveyKey::from_label(label, free).as_str().to_string();
        assert_eq!(key("Bemötande"), "bemotande");
        assert_eq!(
            key("Hur nöjd är du med kaffet?"),
            "hur_nojd_ar_du_med_kaffet"
        );
        assert_eq!(key("  2024: Café & bröd  "), "cafe_brod");
        assert_eq!(key("???"), "q");
        let long = key("Hur troligt är det att du skulle rekommendera oss till en vän?");
        assert!(long.len() <= 40, "{long}");
        let taken = |k: &str| k == "bemotande" || k == "bemotande_2";
        assert_eq!(
            SurveyKey::from_label("Bemötande", taken).as_str(),
            "bemotande_3"
        );
        for label in ["Bemötande", "Ölets pris 2", "?", "Åäö ÅÄÖ"] {
            let made = SurveyKey::from_label(label, free);
            assert!(SurveyKey::parse(made.as_str()).is_ok(), "{label}");
        }
    }

    /// A realistic survey after a visit to a café: Swedish first, English too.
    #[test]
    fn surveys_are_offered_after_the_touchpoints_they_name() {
        let survey = Survey::parse(&cafe_input()).unwrap();
        let touchpoint = |kind: &str, channel: &str, phase: Option<Phase>| crate::Touchpoint {
            id: crate::TouchpointId::new(),
            provider_id: crate::ProviderId::new(),
            profile_id: None,
            event_id: None,
            channel: crate::ChannelKey::parse(channel).unwrap(),
            kind: crate::TouchpointKind::parse(kind).unwrap(),
            occurred_at: chrono::Utc::now(),
            occurred_on: None,
            received_at: chrono::Utc::now(),
            initiator: crate::Initiator::Person,
            setting: None,
            phase,
            properties: Default::default(),
            flags: vec![],
        };
        assert!(
            survey
                .context
                .invites_after(&touchpoint("visit", "store", Some(Phase::After)))
        );
        assert!(
            !survey
                .context
                .invites_after(&touchpoint("visit", "web", Some(Phase::After))),
            "another channel"
        );
        assert!(
            !survey
                .context
                .invites_after(&touchpoint("visit", "store", None)),
            "the phase is not known"
        );
        assert!(
            !survey
                .context
                .invites_after(&touchpoint("purchase", "store", Some(Phase::After))),
            "another kind"
        );
    }

    pub(crate) fn cafe_input() -> SurveyInput {
        let agree = json!([
            {"point": 1, "label": {"sv": "Instämmer inte alls", "en": "Strongly disagree"}},
            {"point": 5, "label": {"sv": "Instämmer helt", "en": "Strongly agree"}}
        ]);
        serde_json::from_value(json!({
            "title": {"sv": "Hur var ditt besök på Kafé Linden?", "en": "How was your visit to Café Linden?"},
            "languages": ["sv", "en"],
            "intro": {"sv": "Tack för att du fikade hos oss! Enkäten tar två minuter.",
                      "en": "Thank you for visiting! The survey takes two minutes."},
            "phase": "after", "channel": "store", "touchpoint_kind": "visit",
            "sections": [
                {"title": {"sv": "Besöket", "en": "The visit"}, "questions": [
                    {"key": "overall", "kind": "csat", "required": true,
                     "text": {"sv": "Hur nöjd är du med besöket som helhet?", "en": "How satisfied are you with the visit overall?"}},
                    {"key": "welcome", "kind": "scale", "points": 5, "required": true, "anchors": agree,
                     "text": {"sv": "Jag kände mig välkommen.", "en": "I felt welcome."}},
                    {"key": "aspects", "kind": "matrix", "points": 5, "anchors": agree,
                     "text": {"sv": "Hur väl stämmer följande?", "en": "How well does this fit?"},
                     "items": [
                        {"key": "coffee", "text": {"sv": "Kaffet var gott.", "en": "The coffee was good."}},
                        {"key": "staff", "text": {"sv": "Personalen var vänlig.", "en": "The staff were friendly."}},
                        {"key": "queue", "text": {"sv": "Jag slapp vänta länge.", "en": "I did not wait long."}}
                     ]},
                    {"key": "visit_reason", "kind": "single_choice",
                     "text": {"sv": "Varför kom du?", "en": "Why did you come?"},
                     "options": [
                        {"key": "fika", "label": {"sv": "Fika", "en": "Coffee break"}},
                        {"key": "meeting", "label": {"sv": "Möte", "en": "Meeting"}},
                        {"key": "work", "label": {"sv": "Arbete", "en": "Work"}}
                     ]},
                    {"key": "extras", "kind": "multiple_choice", "max_selections": 2,
                     "text": {"sv": "Vad vill du se mer av?", "en": "What would you like more of?"},
                     "options": [
                        {"key": "wifi", "label": {"sv": "Wifi", "en": "Wi-fi"}},
                        {"key": "outdoor", "label": {"sv": "Uteservering", "en": "Outdoor seating"}},
                        {"key": "vegan", "label": {"sv": "Veganskt", "en": "Vegan food"}}
                     ]}
                ]},
                {"title": {"sv": "Till sist", "en": "Finally"}, "questions": [
                    {"key": "recommend", "kind": "nps", "required": true,
                     "text": {"sv": "Hur troligt är det att du rekommenderar oss till en vän?",
                              "en": "How likely are you to recommend us to a friend?"}},
                    {"key": "comment", "kind": "open_text", "max_length": 500,
                     "text": {"sv": "Vill du berätta mer?", "en": "Anything else?"}}
                ]}
            ]
        }))
        .unwrap()
    }

    fn parse(v: Value) -> Result<Survey, Invalid> {
        Survey::parse(&serde_json::from_value(v).unwrap())
    }

    fn fields(e: &Invalid) -> Vec<&str> {
        e.0.iter().map(|f| f.field.as_str()).collect()
    }

    #[test]
    fn a_swedish_cafe_survey_parses() {
        let s = Survey::parse(&cafe_input()).unwrap();
        assert_eq!((s.version, s.status), (1, SurveyStatus::Draft));
        assert_eq!(s.languages, [Lang::Sv, Lang::En]);
        assert_eq!(s.context.phase, Some(Phase::After));
        assert_eq!(s.context.channel.as_ref().unwrap().as_str(), "store");
        assert_eq!(s.questions().count(), 7);
        let overall = s.question("overall").unwrap();
        assert!(overall.required);
        let QuestionKind::Csat { anchors } = &overall.kind else {
            panic!("csat expected")
        };
        assert_eq!(anchors.len(), 5);
        assert_eq!(anchors[4].label.get(Lang::Sv), Some("Mycket nöjd"));
        let QuestionKind::Scale { anchors, .. } = &s.question("welcome").unwrap().kind else {
            panic!("scale expected")
        };
        assert_eq!(anchors[0].label.best(Lang::Sv), "Instämmer inte alls");
        assert_eq!(
            s.question("extras").unwrap().kind,
            QuestionKind::MultipleChoice {
                options: match &s.question("extras").unwrap().kind {
                    QuestionKind::MultipleChoice { options, .. } => options.clone(),
                    _ => unreachable!(),
                },
                min_selections: 0,
                max_selections: 2,
            }
        );
        assert_eq!(
            s.question("comment").unwrap().kind,
            QuestionKind::OpenText { max_length: 500 }
        );
        // Stored form round-trips, with the kind flattened into the question.
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["sections"][1]["questions"][0]["kind"], "nps");
        assert_eq!(serde_json::from_value::<Survey>(json).unwrap(), s);
    }

    #[test]
    fn open_text_defaults_to_2000_characters_and_plain_texts_serve_one_language() {
        let s = parse(json!({"title": "Hej", "sections": [{"questions": [
            {"key": "tankar", "kind": "open_text", "text": "Vad tycker du?"}
        ]}]}))
        .unwrap();
        assert_eq!(s.languages, [Lang::Sv]);
        assert_eq!(
            s.question("tankar").unwrap().kind,
            QuestionKind::OpenText { max_length: 2000 }
        );
    }

    #[test]
    fn every_bad_definition_is_named_by_path() {
        let e = parse(json!({
            "languages": ["sv", "de"],
            "phase": "later",
            "sections": [{"questions": [
                {"key": "a", "kind": "scale", "points": 12, "text": "A",
                 "anchors": [{"point": 1, "label": "Nej"}, {"point": 12, "label": "Ja"}]},
                {"key": "b", "kind": "scale", "points": 5, "text": "B",
                 "anchors": [{"point": 1, "label": "Nej"}, {"point": 7, "label": "Ja"}]},
                {"key": "b", "kind": "open_text", "text": "C", "max_length": 0},
                {"key": "d", "kind": "single_choice", "text": "D", "options": [{"key": "x", "label": "X"}]},
                {"key": "e", "kind": "multiple_choice", "text": "E", "min_selections": 3, "max_selections": 2,
                 "options": [{"key": "x", "label": "X"}, {"key": "y", "label": "Y"}, {"key": "z", "label": "Z"}]},
                {"key": "f", "kind": "slider", "text": "F"},
                {"key": "g", "kind": "nps", "text": "G", "points": 10},
                {"key": "h", "kind": "matrix", "points": 5, "text": "H",
                 "anchors": [{"point": 1, "label": "Nej"}, {"point": 5, "label": "Ja"}],
                 "items": [{"key": "x", "text": "X"}, {"key": "x", "text": "Y"}]},
                {"key": "Bad Key", "kind": "csat"}
            ]}, {"questions": []}]
        }))
        .unwrap_err();
        assert_eq!(
            fields(&e),
            [
                "languages[1]",
                "title",
                "phase",
                "sections[0].questions[0].points",
                "sections[0].questions[1].anchors[1].point",
                "sections[0].questions[1].anchors",
                "sections[0].questions[2].key",
                "sections[0].questions[2].max_length",
                "sections[0].questions[3].options",
                "sections[0].questions[4].min_selections",
                "sections[0].questions[5].kind",
                "sections[0].questions[6].points",
                "sections[0].questions[7].items[1].key",
                "sections[0].questions[8].key",
                "sections[0].questions[8].text",
                "sections[1].questions",
            ],
            "{e}"
        );
        let reason = |f: &str| &e.0.iter().find(|x| x.field == f).unwrap().reason;
        assert_eq!(
            reason("sections[0].questions[1].anchors"),
            &Reason::AnchorEnds { low: 1, high: 5 }
        );
        assert_eq!(
            reason("sections[0].questions[2].key"),
            &Reason::RepeatsOf {
                other: "sections[0].questions[1].key".into()
            }
        );
        assert_eq!(
            reason("sections[0].questions[6].points"),
            &Reason::DoesNotApply { kind: "nps".into() }
        );
    }

    #[test]
    fn labels_need_a_text_in_every_language() {
        let e = parse(json!({
            "title": {"sv": "Hej", "en": "Hi"}, "languages": ["sv", "en"],
            "sections": [{"questions": [
                {"key": "a", "kind": "scale", "points": 5, "text": "Plain",
                 "anchors": [{"point": 1, "label": {"sv": "Nej"}}, {"point": 5, "label": {"sv": "Ja", "en": "Yes", "fi": "Kyllä"}}]}
            ]}]
        }))
        .unwrap_err();
        assert_eq!(
            fields(&e),
            [
                "sections[0].questions[0].text",
                "sections[0].questions[0].anchors[0].label",
                "sections[0].questions[0].anchors[1].label.fi",
            ]
        );
        assert_eq!(
            e.0[1].reason,
            Reason::NeedsText {
                language: "en".into()
            }
        );
    }

    #[test]
    fn revise_bumps_the_version_only_when_responses_exist() {
        let s = Survey::parse(&cafe_input()).unwrap();
        let mut input = cafe_input();
        input.title = Some(TextInput::PerLanguage(BTreeMap::from([
            ("sv".into(), "Ditt besök".into()),
            ("en".into(), "Your visit".into()),
        ])));
        let draft = s.revise(&input, false).unwrap();
        assert_eq!((draft.id, draft.version), (s.id, 1));
        assert_eq!(draft.title.get(Lang::Sv), Some("Ditt besök"));
        let open = s.with_status(SurveyStatus::Open).unwrap();
        let v2 = open.revise(&input, true).unwrap();
        assert_eq!(
            (v2.id, v2.version, v2.status),
            (s.id, 2, SurveyStatus::Open)
        );
        assert_eq!(v2.revise(&input, true).unwrap().version, 3);

        // With responses a key keeps its measurement.
        let questions = input.sections.as_mut().unwrap()[0]
            .questions
            .as_mut()
            .unwrap();
        questions[1].points = Some(7);
        questions[1].anchors.as_mut().unwrap()[1].point = Some(7);
        let e = open.revise(&input, true).unwrap_err();
        assert_eq!(fields(&e), ["sections[0].questions[1].points"]);
        assert_eq!(open.revise(&input, false).unwrap().version, 1);
        let questions = input.sections.as_mut().unwrap()[0]
            .questions
            .as_mut()
            .unwrap();
        questions[1] = QuestionInput {
            key: Some("welcome".into()),
            kind: Some("nps".into()),
            text: questions[0].text.clone(),
            ..QuestionInput::default()
        };
        let e = open.revise(&input, true).unwrap_err();
        assert_eq!(fields(&e), ["sections[0].questions[1].kind"]);
    }

    #[test]
    fn api_schemas_build() {
        use utoipa::PartialSchema;
        let survey = serde_json::to_value(Survey::schema()).unwrap();
        assert!(survey.to_string().contains("sections"));
        let input = serde_json::to_value(QuestionInput::schema()).unwrap();
        assert!(input.to_string().contains("min_selections"));
        let response = serde_json::to_value(crate::survey::Response::schema()).unwrap();
        assert!(response.to_string().contains("survey_version"));
    }

    #[test]
    fn status_moves_forward_and_may_reopen() {
        let s = Survey::parse(&cafe_input()).unwrap();
        assert!(s.with_status(SurveyStatus::Closed).is_err());
        let open = s.with_status(SurveyStatus::Open).unwrap();
        let closed = open.with_status(SurveyStatus::Closed).unwrap();
        assert_eq!(
            closed.with_status(SurveyStatus::Open).unwrap().status,
            SurveyStatus::Open
        );
        assert_eq!(
            closed.with_status(SurveyStatus::Draft).unwrap_err().0[0].field,
            "status"
        );
    }

    #[test]
    fn scale_of_gives_each_scale_and_names_bad_lookups() {
        let s = Survey::parse(&cafe_input()).unwrap();
        assert_eq!(
            s.scale_of("welcome", None).unwrap(),
            Scale::one_to(5).unwrap()
        );
        assert_eq!(
            s.scale_of("aspects", Some("staff")).unwrap(),
            Scale::one_to(5).unwrap()
        );
        assert_eq!(s.scale_of("recommend", None).unwrap(), Scale::zero_to_ten());
        assert_eq!(
            s.scale_of("overall", None).unwrap(),
            Scale::one_to(5).unwrap()
        );
        let field = |q, i| s.scale_of(q, i).unwrap_err().0[0].field.clone();
        assert_eq!(field("nope", None), "question");
        assert_eq!(field("aspects", None), "item");
        assert_eq!(field("aspects", Some("tea")), "item");
        assert_eq!(field("welcome", Some("staff")), "item");
        assert_eq!(field("comment", None), "question");
    }
}
