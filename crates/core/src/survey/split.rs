//! Splits of survey responses: the built-in dimensions that group responses, and the ways
//! to split responses into categories for a cross-tab or a two-group comparison.
//!
//! A stored [`Response`] holds its answers, the survey version it answered, the
//! submission time and, with consent, a profile. It does not hold the touchpoint that
//! led to it (invitation links carry only the survey), so each dimension is derived:
//!
//! | dimension | the value of a response | unknown when |
//! |---|---|---|
//! | `channel` | the channel in the survey's journey context | the survey names no channel |
//! | `phase` | the phase in the survey's journey context | the survey names no phase |
//! | `motivation` | the chosen option of the survey's single-choice question keyed `motivation` (see below) | the survey has no such question, or the response left it empty |
//! | `provider` | the provider that owns the survey (and so every response to it) | never |
//! | `week`, `month`, `quarter` | the submission time in the provider's time zone: `2026-W48` (ISO week), `2026-11`, `2026-Q4` | never |
//!
//! Motivation: neither responses nor touchpoints record why a person came, so it is
//! asked. A survey that wants the motivation split has a `single_choice` question with the key
//! `motivation`; its option keys are the groups (name them `relationships`,
//! `goal_fulfilment` and `experiences` to match the value landscape's motivations).
//!
//! The survey's context is its current definition: a revision that changes the channel
//! or phase relabels the responses to earlier versions too.
//!
//! A response whose value is not known falls in the group [`UNKNOWN`] rather than
//! being dropped, so the groups always add up to all responses.
//!
//! A provider's saved segment splits responses too (`segment:<id>`): the server works
//! out beforehand which respondents' persons are in it (a [`Membership`]), and the
//! responses fall in [`IN`], [`OUT`] or, without a profile or a person, [`UNKNOWN`].

use super::definition::{Question, QuestionKind, Survey};
use super::response::{Answer, Response};
use crate::ids::ProfileId;
use crate::invalid::{Invalid, List, Reason};
use crate::lang::Label;
use crate::lang::Lang;
use crate::provider::Provider;
use crate::value::Phase;
use chrono::{DateTime, Datelike, Utc};
use serde::{Serialize, Serializer};
use std::collections::HashMap;
use std::fmt;

/// The group of responses whose split value is not known.
pub const UNKNOWN: &str = "unknown";

/// The group of a segment split whose persons are in the segment.
pub const IN: &str = "in";

/// The group of a segment split whose persons are not in the segment.
pub const OUT: &str = "out";

/// How a split word names a saved segment: `segment:<id>`.
pub const SEGMENT_PREFIX: &str = "segment:";

/// The key of the single-choice question that gives the `motivation` split.
pub const MOTIVATION_QUESTION: &str = "motivation";

/// The length of a period split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// ISO 8601 week, `2026-W48`.
    Week,
    /// Calendar month, `2026-11`.
    Month,
    /// Calendar quarter, `2026-Q4`.
    Quarter,
}

/// A built-in way to split responses, read from each response's context: its channel,
/// phase, motivation, provider or period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    Channel,
    Phase,
    Motivation,
    Provider,
    Period(Period),
}

/// A group of responses sharing one split value.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitGroup<'r> {
    /// The value (`store`, `after`, `2026-W48`, ...) or [`UNKNOWN`].
    pub value: String,
    pub responses: Vec<&'r Response>,
}

impl Dimension {
    pub const ALL: [Dimension; 7] = [
        Dimension::Channel,
        Dimension::Phase,
        Dimension::Motivation,
        Dimension::Provider,
        Dimension::Period(Period::Week),
        Dimension::Period(Period::Month),
        Dimension::Period(Period::Quarter),
    ];

    /// The query word: `channel`, `phase`, `motivation`, `provider`, `week`, `month`
    /// or `quarter`.
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Channel => "channel",
            Dimension::Phase => "phase",
            Dimension::Motivation => "motivation",
            Dimension::Provider => "provider",
            Dimension::Period(Period::Week) => "week",
            Dimension::Period(Period::Month) => "month",
            Dimension::Period(Period::Quarter) => "quarter",
        }
    }

    /// Parses a query word; the error names the field `split` and lists the words.
    pub fn parse(word: &str) -> Result<Dimension, Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == word)
            .ok_or_else(|| {
                Invalid::one(
                    "split",
                    Reason::OneOf {
                        value: word.to_string(),
                        allowed: dimension_words(),
                    },
                )
            })
    }

    /// The split value of `response` to `survey`, owned by `provider`; see the module
    /// documentation for the rule of each dimension.
    pub fn value(self, survey: &Survey, provider: &Provider, response: &Response) -> String {
        let known = match self {
            Dimension::Channel => survey
                .context
                .channel
                .as_ref()
                .map(|c| c.as_str().to_string()),
            Dimension::Phase => survey.context.phase.map(|p| p.as_str().to_string()),
            Dimension::Motivation => {
                motivation_question(survey).and_then(|q| match response.answers.get(&q.key) {
                    Some(Answer::Choice(option)) => Some(option.as_str().to_string()),
                    _ => None,
                })
            }
            Dimension::Provider => Some(provider.id.to_string()),
            Dimension::Period(period) => {
                Some(period.of(response.submitted_at, &provider.time_zone))
            }
        };
        known.unwrap_or_else(|| UNKNOWN.to_string())
    }

    /// The responses grouped by their value, in display order: phases before, during,
    /// after; motivation options in the question's order; periods oldest first;
    /// [`UNKNOWN`] last. Only values that occur get a group.
    pub fn groups<'r>(
        self,
        survey: &Survey,
        provider: &Provider,
        responses: &'r [Response],
    ) -> Vec<SplitGroup<'r>> {
        Split::Dimension(self).groups(survey, provider, responses)
    }

    /// A value as a category with its display rank.
    fn category(self, survey: &Survey, value: String) -> Category {
        if value == UNKNOWN {
            return Category::last(value);
        }
        let rank = match self {
            Dimension::Phase => Phase::ALL
                .iter()
                .position(|p| p.as_str() == value)
                .unwrap_or(0) as i64,
            Dimension::Motivation => match motivation_question(survey).map(|q| &q.kind) {
                Some(QuestionKind::SingleChoice { options }) => options
                    .iter()
                    .position(|o| o.key.as_str() == value)
                    .unwrap_or(0)
                    as i64,
                _ => 0,
            },
            _ => 0,
        };
        Category { rank, key: value }
    }

    /// A value for people: a motivation option's label, the provider's name, a phase in
    /// the language; other values as they are.
    pub fn label(
        self,
        survey: &Survey,
        provider: &Provider,
        value: &str,
        language: Lang,
    ) -> String {
        if value == UNKNOWN {
            return unknown_label(language).to_string();
        }
        match self {
            Dimension::Phase => Phase::parse(value)
                .map(|p| p.label(language).to_string())
                .unwrap_or_else(|_| value.to_string()),
            Dimension::Motivation => option_label(motivation_question(survey), value, language),
            Dimension::Provider if value == provider.id.to_string() => provider.name.clone(),
            _ => value.to_string(),
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Dimension {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl Period {
    /// The period containing `at`, in the IANA time zone `time_zone` (UTC if it is not
    /// one, which a checked provider never has).
    pub fn of(self, at: DateTime<Utc>, time_zone: &str) -> String {
        let local = match time_zone.parse::<chrono_tz::Tz>() {
            Ok(tz) => at.with_timezone(&tz).date_naive(),
            Err(_) => at.date_naive(),
        };
        match self {
            Period::Week => {
                let w = local.iso_week();
                format!("{:04}-W{:02}", w.year(), w.week())
            }
            Period::Month => format!("{:04}-{:02}", local.year(), local.month()),
            Period::Quarter => format!("{:04}-Q{}", local.year(), local.month0() / 3 + 1),
        }
    }
}

/// The dimension words, comma-separated, for messages.
pub fn words() -> String {
    Dimension::ALL.map(Dimension::as_str).join(", ")
}

/// The query words of every dimension, for a reason.
fn dimension_words() -> List {
    List::of(Dimension::ALL.map(Dimension::as_str))
}

/// The survey's single-choice question keyed `motivation`, if it has one.
pub fn motivation_question(survey: &Survey) -> Option<&Question> {
    survey
        .question(MOTIVATION_QUESTION)
        .filter(|q| matches!(q.kind, QuestionKind::SingleChoice { .. }))
}

fn unknown_label(language: Lang) -> &'static str {
    match language {
        Lang::Sv => "okänd",
        Lang::En => "unknown",
    }
}

fn option_label(question: Option<&Question>, key: &str, language: Lang) -> String {
    let options = match question.map(|q| &q.kind) {
        Some(
            QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. },
        ) => options,
        _ => return key.to_string(),
    };
    options
        .iter()
        .find(|o| o.key.as_str() == key)
        .map(|o| o.label.best(language).to_string())
        .unwrap_or_else(|| key.to_string())
}

/// One category of a split: its key and its place in display order. Categories sort by
/// rank, then key; they show as their key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Category {
    rank: i64,
    pub key: String,
}

impl Category {
    fn last(key: String) -> Self {
        Category {
            rank: i64::MAX,
            key,
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key)
    }
}

/// Which respondents of a survey are in a saved segment, worked out beforehand by
/// whoever can read the store: the split `segment:<id>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Membership {
    /// The split word that asked for it, `segment:<id>`.
    pub word: String,
    /// The segment's name, the label of [`IN`].
    pub name: String,
    /// The responding profiles that have a person: true when the person is in the
    /// segment. A response without a profile, or whose profile is not here, is
    /// [`UNKNOWN`].
    pub profiles: HashMap<ProfileId, bool>,
}

impl Membership {
    /// The group of `response`: [`IN`], [`OUT`] or [`UNKNOWN`].
    pub fn value(&self, response: &Response) -> &'static str {
        match response.profile_id.and_then(|p| self.profiles.get(&p)) {
            Some(true) => IN,
            Some(false) => OUT,
            None => UNKNOWN,
        }
    }

    /// A group for people: the segment's name, "outside" it, or unknown.
    pub fn label(&self, value: &str, language: Lang) -> String {
        match (value, language) {
            (IN, _) => self.name.clone(),
            (OUT, Lang::Sv) => format!("utanför {}", self.name),
            (OUT, Lang::En) => format!("outside {}", self.name),
            (UNKNOWN, _) => unknown_label(language).to_string(),
            _ => value.to_string(),
        }
    }
}

/// A way to split responses into categories, for the results per group, a cross-tab
/// or a comparison of two groups: a dimension, a saved segment, or the answers to one
/// question that takes one answer per response.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Split<'s> {
    Dimension(Dimension),
    /// A saved segment: [`IN`], [`OUT`] and [`UNKNOWN`].
    Segment(&'s Membership),
    /// A single choice (categories: its options), a scale, CSAT or NPS question (its
    /// points), or one item of a matrix (`item`; its points).
    Question {
        question: &'s Question,
        item: Option<&'s str>,
    },
}

impl<'s> Split<'s> {
    /// Reads a split of the results per group, whose groups add up to all responses:
    /// `segment:<id>` (one of `segments`) or a dimension word. Errors name `split`.
    pub fn grouping(word: &str, segments: &'s [Membership]) -> Result<Split<'s>, Invalid> {
        match Self::segment(word, "split", segments) {
            Some(found) => found,
            None => Dimension::parse(word).map(Split::Dimension),
        }
    }

    /// The segment of `segments` that `word` names, if it is `segment:<id>`; a
    /// segment not among them is [`Reason::NoSegment`], naming `field`.
    fn segment(
        word: &str,
        field: &str,
        segments: &'s [Membership],
    ) -> Option<Result<Split<'s>, Invalid>> {
        word.starts_with(SEGMENT_PREFIX).then(|| {
            segments
                .iter()
                .find(|m| m.word == word)
                .map(Split::Segment)
                .ok_or_else(|| Invalid::one(field, Reason::NoSegment))
        })
    }

    /// Reads `word`: `segment:<id>` (one of `segments`), a question key of the survey
    /// (`key.item` for a matrix item), then a dimension word. Errors name `field`.
    pub fn parse(
        survey: &'s Survey,
        word: &str,
        field: &str,
        segments: &'s [Membership],
    ) -> Result<Split<'s>, Invalid> {
        if let Some(found) = Self::segment(word, field, segments) {
            return found;
        }
        let fail = |reason: Reason| Invalid::one(field, reason);
        let (key, item) = match word.split_once('.') {
            Some((k, i)) => (k, Some(i)),
            None => (word, None),
        };
        let Some(question) = survey.question(key) else {
            if item.is_none()
                && let Ok(dimension) = Dimension::parse(word)
            {
                return Ok(Split::Dimension(dimension));
            }
            return Err(fail(Reason::NotSplit {
                value: word.to_string(),
                splits: dimension_words(),
            }));
        };
        match (&question.kind, item) {
            (QuestionKind::Matrix { items, .. }, Some(i)) => {
                let item = items
                    .iter()
                    .find(|it| it.key.as_str() == i)
                    .ok_or_else(|| {
                        fail(Reason::NoItem {
                            item: i.to_string(),
                            question: key.to_string(),
                        })
                    })?;
                Ok(Split::Question {
                    question,
                    item: Some(item.key.as_str()),
                })
            }
            (QuestionKind::Matrix { items, .. }, None) => Err(fail(Reason::NameItemSuchAs {
                question: key.to_string(),
                example: format!("{key}.{}", items.first().map_or("item", |i| i.key.as_str())),
            })),
            (_, Some(_)) => Err(fail(Reason::OnlyMatrixItems)),
            (
                QuestionKind::SingleChoice { .. }
                | QuestionKind::Scale { .. }
                | QuestionKind::Csat { .. }
                | QuestionKind::Nps { .. },
                None,
            ) => Ok(Split::Question {
                question,
                item: None,
            }),
            (QuestionKind::MultipleChoice { .. }, None) => Err(fail(Reason::SplitSeveral {
                key: key.to_string(),
            })),
            (QuestionKind::OpenText { .. }, None) => Err(fail(Reason::SplitOpenText {
                key: key.to_string(),
            })),
        }
    }

    /// The word that names this split (`reason`, `aspects.coffee`, `week`).
    pub fn word(&self) -> String {
        match self {
            Split::Dimension(s) => s.as_str().to_string(),
            Split::Segment(m) => m.word.clone(),
            Split::Question {
                question,
                item: Some(i),
            } => format!("{}.{i}", question.key),
            Split::Question { question, .. } => question.key.to_string(),
        }
    }

    /// The category of `response`; None when it left the question empty (a dimension
    /// always gives one, [`UNKNOWN`] at worst).
    pub fn category(
        &self,
        survey: &Survey,
        provider: &Provider,
        response: &Response,
    ) -> Option<Category> {
        match self {
            Split::Dimension(s) => Some(s.category(survey, s.value(survey, provider, response))),
            Split::Segment(m) => {
                let value = m.value(response);
                Some(match value {
                    IN => Category {
                        rank: 0,
                        key: IN.to_string(),
                    },
                    OUT => Category {
                        rank: 1,
                        key: OUT.to_string(),
                    },
                    _ => Category::last(value.to_string()),
                })
            }
            Split::Question { question, item } => {
                match (response.answers.get(&question.key)?, &question.kind) {
                    (Answer::Choice(option), QuestionKind::SingleChoice { options }) => {
                        let rank = options.iter().position(|o| o.key == *option).unwrap_or(0);
                        Some(Category {
                            rank: rank as i64,
                            key: option.to_string(),
                        })
                    }
                    (answer, _) => answer.point(*item).map(|p| Category {
                        rank: i64::from(p),
                        key: p.to_string(),
                    }),
                }
            }
        }
    }

    /// The responses grouped by their category, in display order, [`UNKNOWN`] last
    /// (with the responses that have no category: a question left empty), so the
    /// groups add up to all responses. Only categories that occur get a group.
    pub fn groups<'r>(
        &self,
        survey: &Survey,
        provider: &Provider,
        responses: &'r [Response],
    ) -> Vec<SplitGroup<'r>> {
        let mut groups: Vec<(Category, Vec<&'r Response>)> = Vec::new();
        for r in responses {
            let category = self
                .category(survey, provider, r)
                .unwrap_or_else(|| Category::last(UNKNOWN.to_string()));
            match groups.iter_mut().find(|(c, _)| *c == category) {
                Some((_, members)) => members.push(r),
                None => groups.push((category, vec![r])),
            }
        }
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        groups
            .into_iter()
            .map(|(c, responses)| SplitGroup {
                value: c.key,
                responses,
            })
            .collect()
    }

    /// Whether `key` names a category this split can have even if no response falls in
    /// it: an option of a single choice, a point of a scale, or [`IN`] and [`OUT`] of a
    /// segment. Dimension values are open (any week), so none is known in advance.
    pub fn defines(&self, key: &str) -> bool {
        match self {
            Split::Dimension(_) => false,
            Split::Segment(_) => key == IN || key == OUT,
            Split::Question { question, .. } => match &question.kind {
                QuestionKind::SingleChoice { options } => {
                    options.iter().any(|o| o.key.as_str() == key)
                }
                kind => kind.scale().is_some_and(|s| {
                    key.parse::<i32>()
                        .is_ok_and(|p| (s.low()..=s.high()).contains(&p))
                }),
            },
        }
    }

    /// A category for people: an option's label, a point with its anchor's label
    /// (`5 – Strongly agree`), a dimension's value as [`Dimension::label`] gives it.
    pub fn label(&self, survey: &Survey, provider: &Provider, key: &str, language: Lang) -> String {
        match self {
            Split::Dimension(s) => s.label(survey, provider, key, language),
            Split::Segment(m) => m.label(key, language),
            Split::Question { question, .. } => match &question.kind {
                QuestionKind::SingleChoice { .. } => option_label(Some(question), key, language),
                QuestionKind::Scale { anchors, .. }
                | QuestionKind::Matrix { anchors, .. }
                | QuestionKind::Nps { anchors }
                | QuestionKind::Csat { anchors } => key
                    .parse::<i32>()
                    .ok()
                    .and_then(|p| anchors.iter().find(|a| a.point == p))
                    .map(|a| format!("{key} – {}", a.label.best(language)))
                    .unwrap_or_else(|| key.to_string()),
                _ => key.to_string(),
            },
        }
    }
}

impl fmt::Display for Split<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.word())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ProviderId;
    use crate::survey::Survey;
    use crate::survey::definition::tests::cafe_input;
    use crate::survey::{ResponseInput, SurveyStatus};
    use serde_json::{Value, json};

    fn provider(time_zone: &str) -> Provider {
        Provider {
            id: ProviderId::new(),
            name: "Kafé Linden".into(),
            time_zone: time_zone.into(),
            country: "SE".into(),
            created_at: Utc::now(),
        }
    }

    /// The café survey with a motivation question added.
    fn survey(context: bool) -> Survey {
        let mut input = cafe_input();
        if !context {
            input.channel = None;
            input.phase = None;
        }
        let mut v = serde_json::to_value(&input).unwrap();
        v["sections"][0]["questions"]
            .as_array_mut()
            .unwrap()
            .push(json!({"key": "motivation", "kind": "single_choice",
            "text": {"sv": "Varför?", "en": "Why?"},
            "options": [
                {"key": "relationships", "label": {"sv": "Träffa någon", "en": "To meet someone"}},
                {"key": "goal_fulfilment", "label": {"sv": "Få något gjort", "en": "To get something done"}},
                {"key": "experiences", "label": {"sv": "Uppleva något", "en": "To experience something"}}
            ]}));
        Survey::parse(&serde_json::from_value(v).unwrap())
            .unwrap()
            .with_status(SurveyStatus::Open)
            .unwrap()
    }

    fn respond(survey: &Survey, at: &str, extra: Value) -> Response {
        let mut answers = json!({"overall": 4, "welcome": 5, "recommend": 9});
        for (k, v) in extra.as_object().unwrap() {
            answers[k] = v.clone();
        }
        let input: ResponseInput = serde_json::from_value(json!({ "answers": answers })).unwrap();
        Response::parse(survey, &input, at.parse().unwrap()).unwrap()
    }

    #[test]
    fn words_parse_and_bad_words_name_the_field() {
        for s in Dimension::ALL {
            assert_eq!(Dimension::parse(s.as_str()).unwrap(), s);
        }
        let e = Dimension::parse("colour").unwrap_err();
        assert_eq!(e.0[0].field, "split");
        assert_eq!(
            e.0[0].reason,
            Reason::OneOf {
                value: "colour".into(),
                allowed: List::of([
                    "channel",
                    "phase",
                    "motivation",
                    "provider",
                    "week",
                    "month",
                    "quarter"
                ])
            }
        );
        assert_eq!(
            serde_json::to_value(Dimension::Period(Period::Week)).unwrap(),
            "week"
        );
    }

    #[test]
    fn each_dimension_has_its_rule() {
        let p = provider("Europe/Stockholm");
        let s = survey(true);
        // 23:30 UTC on Sunday 29 November is already Monday 30 November in Stockholm.
        let r = respond(
            &s,
            "2026-11-29T23:30:00Z",
            json!({"motivation": "experiences"}),
        );
        let v = |d| Dimension::value(d, &s, &p, &r);
        assert_eq!(v(Dimension::Channel), "store");
        assert_eq!(v(Dimension::Phase), "after");
        assert_eq!(v(Dimension::Motivation), "experiences");
        assert_eq!(v(Dimension::Provider), p.id.to_string());
        assert_eq!(v(Dimension::Period(Period::Week)), "2026-W49");
        assert_eq!(v(Dimension::Period(Period::Month)), "2026-11");
        assert_eq!(v(Dimension::Period(Period::Quarter)), "2026-Q4");
        // In UTC it is still week 48; the last days of a year can be week 1 of the next.
        assert_eq!(Period::Week.of(r.submitted_at, "UTC"), "2026-W48");
        assert_eq!(
            Period::Week.of("2024-12-30T12:00:00Z".parse().unwrap(), "UTC"),
            "2025-W01"
        );
        assert_eq!(
            Period::Quarter.of("2026-03-31T22:30:00Z".parse().unwrap(), "Europe/Stockholm"),
            "2026-Q2"
        );

        // What is not known is "unknown", not dropped.
        let bare = survey(false);
        let r = respond(&bare, "2026-11-20T10:00:00Z", json!({}));
        assert_eq!(Dimension::Channel.value(&bare, &p, &r), UNKNOWN);
        assert_eq!(Dimension::Phase.value(&bare, &p, &r), UNKNOWN);
        assert_eq!(Dimension::Motivation.value(&bare, &p, &r), UNKNOWN);
        // A survey without a motivation question: unknown for everyone.
        let cafe = Survey::parse(&cafe_input())
            .unwrap()
            .with_status(SurveyStatus::Open)
            .unwrap();
        let r = respond(
            &cafe,
            "2026-11-20T10:00:00Z",
            json!({"visit_reason": "fika"}),
        );
        assert_eq!(Dimension::Motivation.value(&cafe, &p, &r), UNKNOWN);
    }

    #[test]
    fn groups_add_up_and_come_in_display_order() {
        let p = provider("Europe/Stockholm");
        let s = survey(true);
        let responses = vec![
            respond(
                &s,
                "2026-12-02T10:00:00Z",
                json!({"motivation": "experiences"}),
            ),
            respond(&s, "2026-11-20T10:00:00Z", json!({})),
            respond(
                &s,
                "2026-11-21T10:00:00Z",
                json!({"motivation": "relationships"}),
            ),
            respond(
                &s,
                "2026-11-22T10:00:00Z",
                json!({"motivation": "experiences"}),
            ),
        ];
        let groups = Dimension::Motivation.groups(&s, &p, &responses);
        let shape: Vec<(&str, usize)> = groups
            .iter()
            .map(|g| (g.value.as_str(), g.responses.len()))
            .collect();
        assert_eq!(
            shape,
            [("relationships", 1), ("experiences", 2), (UNKNOWN, 1)]
        );
        let months: Vec<String> = Dimension::Period(Period::Month)
            .groups(&s, &p, &responses)
            .into_iter()
            .map(|g| g.value)
            .collect();
        assert_eq!(months, ["2026-11", "2026-12"]);
        assert_eq!(Dimension::Channel.groups(&s, &p, &responses).len(), 1);

        assert_eq!(
            Dimension::Motivation.label(&s, &p, "experiences", Lang::Sv),
            "Uppleva något"
        );
        assert_eq!(Dimension::Phase.label(&s, &p, "after", Lang::Sv), "Efter");
        assert_eq!(
            Dimension::Provider.label(&s, &p, &p.id.to_string(), Lang::En),
            "Kafé Linden"
        );
        assert_eq!(Dimension::Channel.label(&s, &p, UNKNOWN, Lang::Sv), "okänd");
    }

    #[test]
    fn splits_read_question_keys_before_dimension_words() {
        let p = provider("UTC");
        let s = survey(true);
        let r = respond(
            &s,
            "2026-11-20T10:00:00Z",
            json!({"visit_reason": "work", "aspects": {"coffee": 4}}),
        );
        let split = |w: &str| Split::parse(&s, w, "columns", &[]);
        let cat = |w: &str| split(w).unwrap().category(&s, &p, &r).map(|c| c.key);
        assert_eq!(cat("visit_reason").as_deref(), Some("work"));
        assert_eq!(cat("welcome").as_deref(), Some("5"));
        assert_eq!(cat("aspects.coffee").as_deref(), Some("4"));
        assert_eq!(cat("aspects.staff"), None, "left empty");
        assert_eq!(cat("channel").as_deref(), Some("store"));
        // The motivation question is a question first; unanswered it has no category,
        // while the motivation dimension puts the response in "unknown".
        assert_eq!(cat("motivation"), None);
        assert!(matches!(
            split("motivation").unwrap(),
            Split::Question { .. }
        ));
        assert_eq!(split("aspects.coffee").unwrap().word(), "aspects.coffee");

        for (word, reason) in [
            (
                "colour",
                Reason::NotSplit {
                    value: "colour".into(),
                    splits: dimension_words(),
                },
            ),
            (
                "aspects",
                Reason::NameItemSuchAs {
                    question: "aspects".into(),
                    example: "aspects.coffee".into(),
                },
            ),
            (
                "aspects.tea",
                Reason::NoItem {
                    item: "tea".into(),
                    question: "aspects".into(),
                },
            ),
            ("welcome.x", Reason::OnlyMatrixItems),
            (
                "extras",
                Reason::SplitSeveral {
                    key: "extras".into(),
                },
            ),
            (
                "comment",
                Reason::SplitOpenText {
                    key: "comment".into(),
                },
            ),
        ] {
            let e = split(word).unwrap_err();
            assert_eq!(e.0[0].field, "columns");
            assert_eq!(e.0[0].reason, reason, "{word}");
        }

        let reason = split("visit_reason").unwrap();
        assert!(reason.defines("meeting") && !reason.defines("lunch"));
        assert_eq!(reason.label(&s, &p, "work", Lang::En), "Work");
        let welcome = split("welcome").unwrap();
        assert!(welcome.defines("1") && !welcome.defines("6"));
        assert_eq!(welcome.label(&s, &p, "5", Lang::En), "5 – Strongly agree");
        assert_eq!(welcome.label(&s, &p, "3", Lang::En), "3");
        assert!(!split("week").unwrap().defines("2026-W48"));
    }

    #[test]
    fn a_segment_splits_into_in_out_and_unknown() {
        let p = provider("UTC");
        let s = survey(true);
        let (gold, plain, no_person) = (ProfileId::new(), ProfileId::new(), ProfileId::new());
        let with = |profile: Option<ProfileId>| {
            let mut r = respond(&s, "2026-11-20T10:00:00Z", json!({}));
            r.profile_id = profile;
            r
        };
        let responses = vec![
            with(Some(plain)),
            with(None),
            with(Some(gold)),
            with(Some(no_person)),
            with(Some(gold)),
        ];
        let membership = Membership {
            word: "segment:abc".into(),
            name: "Guld".into(),
            profiles: HashMap::from([(gold, true), (plain, false)]),
        };
        let segments = [membership];
        let split = Split::grouping("segment:abc", &segments).unwrap();
        assert_eq!(split, Split::Segment(&segments[0]));
        let shape: Vec<(String, usize)> = split
            .groups(&s, &p, &responses)
            .into_iter()
            .map(|g| (g.value, g.responses.len()))
            .collect();
        assert_eq!(
            shape,
            [
                (IN.to_string(), 2),
                (OUT.to_string(), 1),
                (UNKNOWN.to_string(), 2)
            ]
        );
        assert_eq!(split.word(), "segment:abc");
        assert_eq!(split.label(&s, &p, IN, Lang::Sv), "Guld");
        assert_eq!(split.label(&s, &p, OUT, Lang::Sv), "utanför Guld");
        assert_eq!(split.label(&s, &p, OUT, Lang::En), "outside Guld");
        assert_eq!(split.label(&s, &p, UNKNOWN, Lang::Sv), "okänd");
        assert!(split.defines(OUT) && !split.defines("gold"));
        // Cross-tabs and comparisons read it too, before question keys.
        assert_eq!(
            Split::parse(&s, "segment:abc", "by", &segments).unwrap(),
            split
        );

        // A segment not worked out is no segment, naming the field.
        for (e, field) in [
            (
                Split::grouping("segment:xyz", &segments).unwrap_err(),
                "split",
            ),
            (
                Split::parse(&s, "segment:", "columns", &segments).unwrap_err(),
                "columns",
            ),
        ] {
            assert_eq!(e.0[0].field, field);
            assert_eq!(e.0[0].reason, Reason::NoSegment);
        }
        // Without the prefix a word is still a dimension word.
        assert_eq!(
            Split::grouping("week", &segments).unwrap(),
            Split::Dimension(Dimension::Period(Period::Week))
        );
        assert!(matches!(
            Split::grouping("colour", &segments).unwrap_err().0[0].reason,
            Reason::OneOf { .. }
        ));
    }
}
