//! Segments (urval): a provider's saved, named filters over persons and journeys,
//! such as "regulars who came with a party" or "people who looked at a forum first".
//!
//! A segment's rules are of two families, and every rule given must hold:
//! - rules over persons: a trait (a value of a profile attribute) and answers to a
//!   survey question. The store finds the persons (`members`), since the profiles
//!   and responses live there;
//! - rules over journeys: the period of the meeting, a touchpoint in given channels
//!   and phases, the motivation the classifier gave the journey.
//!
//! Applied to the placed log a segment is a [`Filter`]; the persons it holds are the
//! persons with at least one journey it keeps (or, with rules over persons only,
//! every member).

use crate::channel::ChannelKey;
use crate::ids::id_type;
use crate::invalid::{Checker, Invalid, Reason, text};
use crate::journey::{Clock, Filter, Log, Placement, phase_code};
use crate::reason::List;
use crate::research::input::{required_text, word_list};
use crate::survey::stats::Scale;
use crate::survey::{Answer, ChoiceOption, QuestionKind, Response, Survey, SurveyId, SurveyKey};
use crate::value::{Motivation, Phase};
use crate::{PersonId, ProfileId};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashSet;
use utoipa::ToSchema;

id_type!(
    /// A provider's saved segment.
    SegmentId
);

/// The longest segment name.
pub const NAME_MAX: usize = 80;
/// At most this many trait rules and answer rules each.
pub const RULES_MAX: usize = 8;

/// A saved segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Segment {
    pub id: SegmentId,
    pub name: String,
    pub rules: SegmentRules,
    pub updated_at: DateTime<Utc>,
}

/// What a segment keeps. An empty list is no rule; a segment without rules holds
/// everyone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SegmentRules {
    /// Journeys whose meeting falls on this day (where the provider is) or later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// Journeys whose meeting falls on this day or earlier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    /// Journeys with a touchpoint in one of these channels...
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<ChannelKey>,
    /// ...in one of these phases (with channels: the same touchpoint).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phases: Vec<Phase>,
    /// Journeys the motivation rules classify as one of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub motivations: Vec<Motivation>,
    /// Persons with a profile holding each of these attribute values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub traits: Vec<TraitRule>,
    /// Persons who gave each of these answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<AnswerRule>,
}

/// A profile attribute and its value, compared as text (`true`, `3`, `gold`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TraitRule {
    pub key: String,
    pub value: String,
}

/// A completed response to `survey`, given with consent to link it to a profile,
/// whose answer to `question` is one of `values` (option keys, or points of a
/// scale, NPS or CSAT question).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AnswerRule {
    pub survey: SurveyId,
    #[schema(value_type = String)]
    pub question: SurveyKey,
    pub values: Vec<String>,
}

/// A segment as a client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentInput {
    /// 1 to 80 characters, unique at the provider.
    pub name: Option<String>,
    pub rules: Option<SegmentRulesInput>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentRulesInput {
    /// YYYY-MM-DD.
    pub from: Option<String>,
    /// YYYY-MM-DD, not before `from`.
    pub to: Option<String>,
    /// Channel keys of the provider.
    pub channels: Option<Vec<String>>,
    /// `before`, `during`, `after`.
    pub phases: Option<Vec<String>>,
    /// `relationships`, `goal_fulfilment`, `experiences`.
    pub motivations: Option<Vec<String>>,
    pub traits: Option<Vec<TraitRuleInput>>,
    pub answers: Option<Vec<AnswerRuleInput>>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TraitRuleInput {
    /// A profile attribute's name.
    pub key: Option<String>,
    /// Text, a number or true/false.
    #[schema(value_type = Object)]
    pub value: Option<Value>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerRuleInput {
    /// A survey's id.
    pub survey: Option<String>,
    /// The key of a single choice, multiple choice, scale, NPS or CSAT question.
    pub question: Option<String>,
    /// Option keys, or points (as numbers or text).
    #[schema(value_type = Vec<Object>)]
    pub values: Option<Vec<Value>>,
}

/// What a segment's words are checked against: the provider's channels and surveys.
pub struct Known<'a> {
    pub channel: &'a dyn Fn(&ChannelKey) -> bool,
    pub surveys: &'a [Survey],
}

impl SegmentInput {
    /// The name and the checked rules; every error names its field (`rules.to`,
    /// `rules.answers[0].values[1]`).
    pub fn parse(&self, known: &Known) -> Result<(String, SegmentRules), Invalid> {
        let mut c = Checker::new();
        let name = required_text(&mut c, "name", self.name.as_deref(), NAME_MAX);
        let rules = self
            .rules
            .as_ref()
            .map(|r| c.take(r.parse(known).map_err(|e| e.within("rules"))))
            .unwrap_or(Some(SegmentRules::default()));
        c.finish()?;
        Ok((name.unwrap_or_default(), rules.unwrap_or_default()))
    }
}

impl SegmentRulesInput {
    pub fn parse(&self, known: &Known) -> Result<SegmentRules, Invalid> {
        let mut c = Checker::new();
        let mut day = |field: &str, v: &Option<String>| {
            let v = v.as_deref().filter(|v| !v.is_empty())?;
            let parsed = NaiveDate::parse_from_str(v, "%Y-%m-%d");
            c.take(parsed.map_err(|_| {
                Invalid::one(
                    field,
                    Reason::Date {
                        value: v.to_string(),
                    },
                )
            }))
        };
        let (from, to) = (day("from", &self.from), day("to", &self.to));
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            c.fail(
                "to",
                Reason::NotBefore {
                    other: "from".into(),
                },
            );
        }
        let none = Vec::new();
        let channels = word_list(
            &mut c,
            "channels",
            self.channels.as_ref().unwrap_or(&none),
            |w| {
                let key = ChannelKey::parse(w)?;
                if (known.channel)(&key) {
                    Ok(key)
                } else {
                    Err(Invalid::one(
                        "",
                        Reason::UnknownChannel {
                            value: w.to_string(),
                        },
                    ))
                }
            },
        );
        let phases = word_list(
            &mut c,
            "phases",
            self.phases.as_ref().unwrap_or(&none),
            Phase::parse,
        );
        let motivations = word_list(
            &mut c,
            "motivations",
            self.motivations.as_ref().unwrap_or(&none),
            Motivation::parse,
        );
        let traits = rule_list(&mut c, "traits", self.traits.as_deref(), |r| r.parse());
        let answers = rule_list(&mut c, "answers", self.answers.as_deref(), |r| {
            r.parse(known.surveys)
        });
        c.finish()?;
        Ok(SegmentRules {
            from,
            to,
            channels,
            phases,
            motivations,
            traits,
            answers,
        })
    }
}

/// Up to [`RULES_MAX`] rules, each parsed; `field[i]` names a bad one.
fn rule_list<I, T>(
    c: &mut Checker,
    field: &str,
    inputs: Option<&[I]>,
    parse: impl Fn(&I) -> Result<T, Invalid>,
) -> Vec<T> {
    let inputs = inputs.unwrap_or_default();
    if inputs.len() > RULES_MAX {
        c.fail(
            field,
            Reason::TooManyEntries {
                count: inputs.len(),
                max: RULES_MAX,
            },
        );
        return Vec::new();
    }
    inputs
        .iter()
        .enumerate()
        .filter_map(|(i, r)| c.take(parse(r).map_err(|e| e.within(&format!("{field}[{i}]")))))
        .collect()
}

impl TraitRuleInput {
    fn parse(&self) -> Result<TraitRule, Invalid> {
        let mut c = Checker::new();
        let key = required_text(&mut c, "key", self.key.as_deref(), NAME_MAX);
        let value = c
            .required("value", self.value.as_ref())
            .and_then(|v| c.take(scalar_text("value", v)));
        c.finish()?;
        Ok(TraitRule {
            key: key.unwrap_or_default(),
            value: value.unwrap_or_default(),
        })
    }
}

/// A JSON string, number or boolean as the text it is compared as.
fn scalar_text(field: &str, v: &Value) -> Result<String, Invalid> {
    match v {
        Value::String(s) => text(field, s, NAME_MAX),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(Invalid::one(
            field,
            Reason::WrongType {
                expected: "string, number or boolean".into(),
            },
        )),
    }
}

impl AnswerRuleInput {
    fn parse(&self, surveys: &[Survey]) -> Result<AnswerRule, Invalid> {
        let fail = |field: &str, reason| Err(Invalid::one(field, reason));
        let Some(id) = self.survey.as_deref() else {
            return fail("survey", Reason::Required);
        };
        let Some(survey) = id
            .parse::<SurveyId>()
            .ok()
            .and_then(|id| surveys.iter().find(|s| s.id == id))
        else {
            return fail("survey", Reason::NoSurvey);
        };
        let Some(key) = self.question.as_deref() else {
            return fail("question", Reason::Required);
        };
        let Some(question) = survey.question(key) else {
            return fail(
                "question",
                Reason::NoQuestion {
                    key: key.to_string(),
                },
            );
        };
        let Some(accepts) = Accepts::of(&question.kind) else {
            return fail(
                "question",
                Reason::DoesNotApply {
                    kind: question.kind.name().to_string(),
                },
            );
        };
        let values = self.values.as_deref().unwrap_or_default();
        if values.is_empty() {
            return fail("values", Reason::Empty);
        }
        let mut c = Checker::new();
        let words: Vec<String> = values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                let field = format!("values[{i}]");
                let word = c.take(scalar_text(&field, v))?;
                c.take(accepts.check(&word).map_err(|e| e.within(&field)))
            })
            .collect();
        c.finish()?;
        Ok(AnswerRule {
            survey: survey.id,
            question: question.key.clone(),
            values: words,
        })
    }
}

/// What a rule may name as the answer to a question.
enum Accepts<'a> {
    Options(&'a [ChoiceOption]),
    Points(Scale),
}

impl<'a> Accepts<'a> {
    /// Choices and single scales; a matrix has a scale per item, which a rule does
    /// not name, and open text has no values to name.
    fn of(kind: &'a QuestionKind) -> Option<Accepts<'a>> {
        match kind {
            QuestionKind::SingleChoice { options }
            | QuestionKind::MultipleChoice { options, .. } => Some(Accepts::Options(options)),
            QuestionKind::Scale { .. } | QuestionKind::Nps { .. } | QuestionKind::Csat { .. } => {
                kind.scale().map(Accepts::Points)
            }
            _ => None,
        }
    }

    /// `word` as an option key, or a point written as a whole number.
    fn check(&self, word: &str) -> Result<String, Invalid> {
        let fail = |reason| Err(Invalid::one("", reason));
        match self {
            Accepts::Options(options) if options.iter().any(|o| o.key.as_str() == word) => {
                Ok(word.to_string())
            }
            Accepts::Options(options) => fail(Reason::OneOf {
                value: word.to_string(),
                allowed: List::of(options.iter().map(|o| o.key.as_str())),
            }),
            Accepts::Points(scale) => match word.parse::<i32>() {
                Ok(p) if (scale.low()..=scale.high()).contains(&p) => Ok(p.to_string()),
                _ => fail(Reason::Range {
                    low: scale.low().into(),
                    high: scale.high().into(),
                }),
            },
        }
    }
}

impl AnswerRule {
    /// Whether `response` (to this rule's survey) gives one of the values.
    pub fn holds(&self, response: &Response) -> bool {
        if response.survey_id != self.survey || !response.completed {
            return false;
        }
        let given = |w: &str| self.values.iter().any(|v| v == w);
        match response.answers.get(&self.question) {
            Some(Answer::Choice(o)) => given(o.as_str()),
            Some(Answer::Choices(os)) => os.iter().any(|o| given(o.as_str())),
            Some(Answer::Point(p)) => given(&p.to_string()),
            _ => false,
        }
    }

    /// The profiles whose responses give one of the values.
    pub fn profiles(&self, responses: &[Response]) -> HashSet<ProfileId> {
        responses
            .iter()
            .filter(|r| self.holds(r))
            .filter_map(|r| r.profile_id)
            .collect()
    }
}

impl SegmentRules {
    /// Whether some rule is over persons (traits, answers): then only members count.
    pub fn asks_persons(&self) -> bool {
        !self.traits.is_empty() || !self.answers.is_empty()
    }

    /// Whether some rule is over journeys.
    pub fn asks_journeys(&self) -> bool {
        self.from.is_some()
            || self.to.is_some()
            || !self.channels.is_empty()
            || !self.phases.is_empty()
            || !self.motivations.is_empty()
    }

    /// The filter that keeps this segment's journeys of `log`. `members` are the
    /// persons meeting the rules over persons (ignored without such rules);
    /// `motivation` gives a journey's classified motivation by its index.
    pub fn filter(
        &self,
        log: &Log,
        placed: &Placement,
        clock: &Clock,
        members: Option<&HashSet<PersonId>>,
        motivation: &dyn Fn(usize) -> Option<Motivation>,
    ) -> Filter {
        let persons = members
            .filter(|_| self.asks_persons())
            .map(|m| log.persons.iter().map(|p| m.contains(p)).collect());
        let channels: Option<Vec<u16>> = (!self.channels.is_empty()).then(|| {
            self.channels
                .iter()
                .filter_map(|k| log.channels.find(k.as_str()))
                .collect()
        });
        let phases: Option<Vec<u8>> = (!self.phases.is_empty())
            .then(|| self.phases.iter().map(|p| phase_code(Some(*p))).collect());
        let touches = channels.is_some() || phases.is_some();
        let journeys = (touches || !self.motivations.is_empty()).then(|| {
            placed
                .journeys
                .iter()
                .enumerate()
                .map(|(i, j)| {
                    let touched = !touches
                        || j.rows().any(|r| {
                            channels
                                .as_ref()
                                .is_none_or(|c| c.contains(&log.channel[r]))
                                && phases.as_ref().is_none_or(|p| p.contains(&placed.phase[r]))
                        });
                    touched
                        && (self.motivations.is_empty()
                            || motivation(i).is_some_and(|m| self.motivations.contains(&m)))
                })
                .collect()
        });
        Filter {
            from: self.from.map(|d| clock.midnight(d)),
            to: self
                .to
                .and_then(|d| d.succ_opt())
                .map(|d| clock.midnight(d)),
            channel: None,
            persons,
            journeys,
        }
    }

    /// The persons of the segment: those with a journey it keeps, or with rules over
    /// persons only, every member (journeys or not).
    pub fn persons(
        &self,
        log: &Log,
        placed: &Placement,
        clock: &Clock,
        members: Option<&HashSet<PersonId>>,
        motivation: &dyn Fn(usize) -> Option<Motivation>,
    ) -> HashSet<PersonId> {
        if !self.asks_journeys() {
            return match members.filter(|_| self.asks_persons()) {
                Some(m) => m.clone(),
                None => log.persons.iter().copied().collect(),
            };
        }
        let filter = self.filter(log, placed, clock, members, motivation);
        filter
            .select(log, placed)
            .into_iter()
            .map(|j| log.persons[placed.journeys[j as usize].person as usize])
            .collect()
    }
}

#[cfg(test)]
mod tests;
