//! Responses to a survey. `Response::parse` checks a loose [`ResponseInput`] against
//! the exact survey version it answers and names every problem by question key
//! (`answers.welcome`, `answers.aspects.coffee`).
//!
//! A `partial: true` response is a save in progress: required questions may be left
//! empty (and a multiple choice may have fewer than its minimum), but every answer
//! given must still be valid. A response links to a profile only with consent, and
//! only through the signed invitation the provider sent the person: the caller
//! checks its signature and sets `profile_id`.

use super::definition::{Question, QuestionKind, Survey, SurveyKey, SurveyStatus};
use super::ids::{ResponseId, SurveyId};
use super::stats::Scale;
use crate::ids::ProfileId;
use crate::invalid::{Checker, Invalid, List, Reason};
use crate::lang::Lang;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use utoipa::ToSchema;

/// A response as a client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseInput {
    /// Answers by question key: a whole number (scale, nps, csat), an object of item
    /// keys and numbers (matrix), a string (open text, single choice: the option key)
    /// or a list of option keys (multiple choice). `null` or an empty text or list
    /// leaves the question unanswered.
    #[schema(value_type = Option<Object>)]
    pub answers: Option<Map<String, Value>>,
    /// A save in progress: required questions may still be empty. Default false.
    pub partial: Option<bool>,
    /// One of the survey's languages; default its first.
    pub language: Option<String>,
    /// Whether the person lets the provider link this response to them. Default false.
    pub consent: Option<bool>,
    /// The signed invitation from the link the provider sent the person (its
    /// `invite` parameter); only with `consent: true`. With it the response is linked
    /// to the invited person's profile.
    pub invitation: Option<String>,
}

/// One checked answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Answer {
    /// A point on the scale of a scale, NPS or CSAT question.
    Point(i32),
    /// Points by matrix item (answered items only).
    #[schema(value_type = Object)]
    Items(BTreeMap<SurveyKey, i32>),
    /// Open text: trimmed, `\r\n` made `\n`.
    Text(String),
    /// The chosen option of a single choice.
    #[schema(value_type = String)]
    Choice(SurveyKey),
    /// The chosen options of a multiple choice, in the order given.
    #[schema(value_type = Vec<String>)]
    Choices(Vec<SurveyKey>),
}

impl Answer {
    /// The point of a scale answer, or of `item` of a matrix answer.
    pub fn point(&self, item: Option<&str>) -> Option<i32> {
        match (self, item) {
            (Answer::Point(p), None) => Some(*p),
            (Answer::Items(m), Some(i)) => m.get(i).copied(),
            _ => None,
        }
    }
}

/// A checked response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Response {
    pub id: ResponseId,
    pub survey_id: SurveyId,
    /// The survey version it answered.
    pub survey_version: u32,
    pub language: Lang,
    /// Answered questions only.
    #[schema(value_type = Object)]
    pub answers: BTreeMap<SurveyKey, Answer>,
    /// False for a partial save.
    pub completed: bool,
    pub consent: bool,
    /// Only when `consent` is true, from a checked invitation.
    pub profile_id: Option<ProfileId>,
    pub submitted_at: DateTime<Utc>,
}

impl Response {
    /// Checks `input` against `survey`, which must be open.
    pub fn parse(
        survey: &Survey,
        input: &ResponseInput,
        now: DateTime<Utc>,
    ) -> Result<Response, Invalid> {
        let mut c = Checker::new();
        match survey.status {
            SurveyStatus::Open => {}
            SurveyStatus::Closed => c.fail("survey", Reason::SurveyClosed),
            SurveyStatus::Draft => c.fail("survey", Reason::SurveyDraft),
        }
        let partial = input.partial.unwrap_or(false);
        let consent = input.consent.unwrap_or(false);
        let language = match input.language.as_deref() {
            None => survey.languages.first().copied(),
            Some(l) => match c.take(Lang::parse(l).map_err(|e| e.within("language"))) {
                Some(l) if !survey.languages.contains(&l) => {
                    c.fail("language", Reason::NotSurveyLanguage);
                    None
                }
                l => l,
            },
        };
        if input.invitation.is_some() && !consent {
            c.fail("invitation", Reason::ConsentOnly);
        }
        let empty = Map::new();
        let given = input.answers.as_ref().unwrap_or(&empty);
        for key in given.keys() {
            if survey.question(key).is_none() {
                c.fail(
                    format!("answers.{key}"),
                    Reason::NoQuestion { key: key.clone() },
                );
            }
        }
        let mut answers = BTreeMap::new();
        for q in survey.questions() {
            let field = format!("answers.{}", q.key);
            let value = given.get(q.key.as_str()).filter(|v| !v.is_null());
            let parsed = match value {
                None => Ok(None),
                Some(v) => answer(&field, q, v, partial),
            };
            match c.take(parsed) {
                Some(Some(a)) => {
                    answers.insert(q.key.clone(), a);
                }
                Some(None) if q.required && !partial => c.fail(field, Reason::Required),
                _ => {}
            }
        }
        c.finish()?;
        Ok(Response {
            id: ResponseId::new(),
            survey_id: survey.id,
            survey_version: survey.version,
            language: language.expect("checker finished without errors"),
            answers,
            completed: !partial,
            consent,
            profile_id: None,
            submitted_at: now,
        })
    }
}

/// The numeric answers to one scale item (`item` names a matrix statement) among
/// `responses`, skipping responses that left it empty, in order; feed them to
/// [`super::stats::describe_scale`] with [`Survey::scale_of`]. Partial saves count.
pub fn scale_values<'a>(
    responses: impl IntoIterator<Item = &'a Response>,
    question: &str,
    item: Option<&str>,
) -> Vec<f64> {
    responses
        .into_iter()
        .filter_map(|r| r.answers.get(question)?.point(item))
        .map(f64::from)
        .collect()
}

/// One answer checked against its question; `Ok(None)` when it is left empty.
fn answer(field: &str, q: &Question, v: &Value, partial: bool) -> Result<Option<Answer>, Invalid> {
    match &q.kind {
        QuestionKind::Scale { .. } | QuestionKind::Nps { .. } | QuestionKind::Csat { .. } => {
            let scale = q.kind.scale().expect("these kinds have a scale");
            point(v, scale)
                .map(|p| Some(Answer::Point(p)))
                .map_err(|reason| Invalid::one(field, reason))
        }
        QuestionKind::Matrix { items, .. } => {
            let scale = q.kind.scale().expect("a matrix has a scale");
            let Value::Object(m) = v else {
                return Err(Invalid::one(field, Reason::ItemPoints));
            };
            let mut c = Checker::new();
            let mut points = BTreeMap::new();
            for (k, iv) in m {
                let path = format!("{field}.{k}");
                match items.iter().find(|it| it.key.as_str() == k) {
                    None => c.fail(
                        path,
                        Reason::NoItem {
                            item: k.clone(),
                            question: q.key.to_string(),
                        },
                    ),
                    Some(_) if iv.is_null() => {}
                    Some(it) => match point(iv, scale) {
                        Ok(p) => {
                            points.insert(it.key.clone(), p);
                        }
                        Err(reason) => c.fail(path, reason),
                    },
                }
            }
            if points.is_empty() {
                c.finish()?;
                return Ok(None);
            }
            if q.required && !partial {
                for it in items {
                    if m.get(it.key.as_str()).is_none_or(Value::is_null) {
                        c.fail(format!("{field}.{}", it.key), Reason::Required);
                    }
                }
            }
            c.finish()?;
            Ok(Some(Answer::Items(points)))
        }
        QuestionKind::OpenText { max_length } => {
            let Value::String(s) = v else {
                return Err(Invalid::one(
                    field,
                    Reason::WrongType {
                        expected: "a string".into(),
                    },
                ));
            };
            let t = s.replace("\r\n", "\n");
            let t = t.trim();
            if t.chars()
                .any(|ch| ch.is_control() && ch != '\n' && ch != '\t')
            {
                return Err(Invalid::one(field, Reason::ControlCharactersInText));
            }
            let n = t.chars().count();
            if n > *max_length {
                return Err(Invalid::one(field, Reason::TooLong { max: *max_length }));
            }
            Ok((!t.is_empty()).then(|| Answer::Text(t.to_string())))
        }
        QuestionKind::SingleChoice { options } => {
            let Value::String(s) = v else {
                return Err(Invalid::one(field, Reason::OptionKey));
            };
            if s.is_empty() {
                return Ok(None);
            }
            let keys: Vec<&SurveyKey> = options.iter().map(|o| &o.key).collect();
            option(s, &keys)
                .map(|k| Some(Answer::Choice(k)))
                .map_err(|reason| Invalid::one(field, reason))
        }
        QuestionKind::MultipleChoice {
            options,
            min_selections,
            max_selections,
        } => {
            let list = match v {
                Value::Array(list) => list,
                _ => return Err(Invalid::one(field, Reason::OptionKeys)),
            };
            let keys: Vec<&SurveyKey> = options.iter().map(|o| &o.key).collect();
            let mut chosen = Vec::new();
            let mut seen = BTreeSet::new();
            for item in list {
                let Value::String(s) = item else {
                    return Err(Invalid::one(field, Reason::OptionKeys));
                };
                let key = option(s, &keys).map_err(|reason| Invalid::one(field, reason))?;
                if !seen.insert(key.clone()) {
                    return Err(Invalid::one(field, Reason::Repeats { value: s.clone() }));
                }
                chosen.push(key);
            }
            let n = chosen.len();
            if n == 0 {
                return Ok(None);
            }
            if n > *max_selections {
                return Err(Invalid::one(
                    field,
                    Reason::TooManyChoices {
                        count: n,
                        max: *max_selections,
                    },
                ));
            }
            if n < *min_selections && !partial {
                return Err(Invalid::one(
                    field,
                    Reason::TooFewChoices {
                        count: n,
                        min: *min_selections,
                    },
                ));
            }
            Ok(Some(Answer::Choices(chosen)))
        }
    }
}

fn point(v: &Value, scale: Scale) -> Result<i32, Reason> {
    let (low, high) = (i64::from(scale.low()), i64::from(scale.high()));
    let n = v.as_i64().ok_or(Reason::WholeNumber)?;
    if n < low || n > high {
        return Err(Reason::Range { low, high });
    }
    Ok(n as i32)
}

fn option(s: &str, keys: &[&SurveyKey]) -> Result<SurveyKey, Reason> {
    keys.iter()
        .find(|k| k.as_str() == s)
        .map(|k| (*k).clone())
        .ok_or_else(|| Reason::OneOf {
            value: s.to_string(),
            allowed: List::of(keys.iter().map(|k| k.as_str())),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::definition::tests::cafe_input;
    use crate::survey::stats::describe_scale;
    use serde_json::json;

    fn now() -> DateTime<Utc> {
        "2026-11-23T12:00:00Z".parse().unwrap()
    }

    fn open_survey() -> Survey {
        Survey::parse(&cafe_input())
            .unwrap()
            .with_status(SurveyStatus::Open)
            .unwrap()
    }

    fn input(v: Value) -> ResponseInput {
        serde_json::from_value(v).unwrap()
    }

    fn respond(survey: &Survey, v: Value) -> Result<Response, Invalid> {
        Response::parse(survey, &input(v), now())
    }

    fn complete() -> Value {
        json!({
            "overall": 4, "welcome": 5, "recommend": 9,
            "aspects": {"coffee": 5, "staff": 4, "queue": 2},
            "visit_reason": "fika", "extras": ["wifi", "vegan"],
            "comment": "  Gott kaffe!\r\nMen kön var lång.\tTack.  "
        })
    }

    #[test]
    fn a_complete_response_is_checked_and_normalised() {
        let s = open_survey();
        let r = respond(&s, json!({"answers": complete(), "language": "en"})).unwrap();
        assert!(r.completed);
        assert_eq!((r.survey_id, r.survey_version), (s.id, 1));
        assert_eq!(r.language, Lang::En);
        assert_eq!(r.submitted_at, now());
        assert_eq!(r.answers["welcome"], Answer::Point(5));
        assert_eq!(r.answers["aspects"].point(Some("queue")), Some(2));
        assert_eq!(
            r.answers["comment"],
            Answer::Text("Gott kaffe!\nMen kön var lång.\tTack.".into())
        );
        assert_eq!(
            r.answers["extras"],
            Answer::Choices(vec![
                SurveyKey::parse("wifi").unwrap(),
                SurveyKey::parse("vegan").unwrap()
            ])
        );
        assert_eq!((r.consent, r.profile_id), (false, None));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(
            json["answers"]["welcome"],
            json!({"type": "point", "value": 5})
        );
        assert_eq!(serde_json::from_value::<Response>(json).unwrap(), r);
    }

    #[test]
    fn a_profile_link_needs_consent_and_an_invitation() {
        let s = open_survey();
        let r = respond(
            &s,
            json!({"answers": complete(), "consent": true, "invitation": "signed"}),
        )
        .unwrap();
        assert_eq!(
            r.profile_id, None,
            "the caller links it once the signature holds"
        );
        let e = respond(&s, json!({"answers": complete(), "invitation": "signed"})).unwrap_err();
        assert_eq!(e.0[0].field, "invitation");
        let p = ProfileId::new();
        assert!(
            serde_json::from_value::<ResponseInput>(
                json!({"answers": complete(), "consent": true, "profile_id": p})
            )
            .is_err(),
            "a plain profile id is no longer taken"
        );
    }

    #[test]
    fn every_bad_answer_is_named_by_question_key() {
        let s = open_survey();
        let e = respond(
            &s,
            json!({"language": "fi", "answers": {
                "overall": 6,
                "welcome": 4.5,
                "aspects": {"coffee": 0, "tea": 3},
                "visit_reason": "lunch",
                "extras": ["wifi", "outdoor", "vegan"],
                "comment": "ok\u{7}",
                "shoe_size": 42
            }}),
        )
        .unwrap_err();
        let got: Vec<(&str, &Reason)> = e.0.iter().map(|f| (f.field.as_str(), &f.reason)).collect();
        assert_eq!(
            got,
            [
                (
                    "language",
                    &Reason::OneOf {
                        value: "fi".into(),
                        allowed: List::of(["sv", "en"])
                    }
                ),
                (
                    "answers.shoe_size",
                    &Reason::NoQuestion {
                        key: "shoe_size".into()
                    }
                ),
                ("answers.overall", &Reason::Range { low: 1, high: 5 }),
                ("answers.welcome", &Reason::WholeNumber),
                ("answers.aspects.coffee", &Reason::Range { low: 1, high: 5 }),
                (
                    "answers.aspects.tea",
                    &Reason::NoItem {
                        item: "tea".into(),
                        question: "aspects".into()
                    }
                ),
                (
                    "answers.visit_reason",
                    &Reason::OneOf {
                        value: "lunch".into(),
                        allowed: List::of(["fika", "meeting", "work"])
                    }
                ),
                (
                    "answers.extras",
                    &Reason::TooManyChoices { count: 3, max: 2 }
                ),
                ("answers.recommend", &Reason::Required),
                ("answers.comment", &Reason::ControlCharactersInText),
            ]
        );
    }

    #[test]
    fn long_texts_out_of_range_nps_and_missing_items_are_refused() {
        let mut definition = cafe_input();
        definition.sections.as_mut().unwrap()[0]
            .questions
            .as_mut()
            .unwrap()[2]
            .required = Some(true);
        let s = Survey::parse(&definition)
            .unwrap()
            .with_status(SurveyStatus::Open)
            .unwrap();
        let mut a = complete();
        a["comment"] = json!("å".repeat(501));
        a["recommend"] = json!(11);
        a["aspects"] = json!({"coffee": 3});
        let e = respond(&s, json!({ "answers": a })).unwrap_err();
        let got: Vec<(&str, &Reason)> = e.0.iter().map(|f| (f.field.as_str(), &f.reason)).collect();
        assert_eq!(
            got,
            [
                ("answers.aspects.staff", &Reason::Required),
                ("answers.aspects.queue", &Reason::Required),
                ("answers.recommend", &Reason::Range { low: 0, high: 10 }),
                ("answers.comment", &Reason::TooLong { max: 500 }),
            ]
        );
        // Optional questions may be skipped; required ones may not.
        let s = open_survey();
        assert!(respond(&s, json!({"answers": a})).is_err());
        let e = respond(&s, json!({"answers": {"overall": 4, "welcome": 3}})).unwrap_err();
        assert_eq!(e.0[0].field, "answers.recommend");
        assert!(
            respond(
                &s,
                json!({"answers": {"overall": 4, "welcome": 3, "recommend": 0}})
            )
            .is_ok()
        );
    }

    #[test]
    fn partial_saves_may_leave_required_questions_empty() {
        let s = open_survey();
        let r = respond(
            &s,
            json!({"partial": true, "answers": {"overall": 4, "aspects": {"coffee": 5}, "comment": ""}}),
        )
        .unwrap();
        assert!(!r.completed);
        assert_eq!(r.answers.len(), 2);
        // ...but what is given must still be valid.
        let e = respond(&s, json!({"partial": true, "answers": {"overall": 9}})).unwrap_err();
        assert_eq!(e.0[0].field, "answers.overall");
    }

    #[test]
    fn closed_and_draft_surveys_take_no_responses() {
        let closed = open_survey().with_status(SurveyStatus::Closed).unwrap();
        let e = respond(&closed, json!({"answers": complete()})).unwrap_err();
        assert_eq!(e.0[0].field, "survey");
        assert_eq!(e.0[0].reason, Reason::SurveyClosed);
        let draft = Survey::parse(&cafe_input()).unwrap();
        assert_eq!(
            respond(&draft, json!({"answers": complete()}))
                .unwrap_err()
                .0[0]
                .field,
            "survey"
        );
    }

    #[test]
    fn scale_answers_feed_describe_scale() {
        let s = open_survey();
        let mut responses = Vec::new();
        for (welcome, coffee) in [(5, Some(5)), (4, None), (4, Some(3)), (2, Some(4))] {
            let mut a = json!({"overall": 3, "welcome": welcome, "recommend": 8});
            if let Some(c) = coffee {
                a["aspects"] = json!({"coffee": c});
            }
            responses.push(respond(&s, json!({"answers": a, "partial": true})).unwrap());
        }
        // A response that skipped the item, and one to another survey, are left out.
        responses.push(respond(&s, json!({"partial": true, "answers": {"overall": 1}})).unwrap());
        let other = open_survey();
        responses.push(respond(&other, json!({"answers": complete()})).unwrap());

        let (scale, values) = s.scale_answers(&responses, "welcome", None).unwrap();
        assert_eq!(values, [5.0, 4.0, 4.0, 2.0]);
        let d = describe_scale(&values, scale, 0.95).unwrap();
        assert_eq!(d.summary.n, 4);
        assert!((d.summary.mean - 3.75).abs() < 1e-12);
        assert_eq!(d.distribution.len(), 5);
        assert_eq!(d.distribution[3].count, 2);

        let (scale, values) = s
            .scale_answers(&responses, "aspects", Some("coffee"))
            .unwrap();
        assert_eq!(values, [5.0, 3.0, 4.0]);
        assert!((describe_scale(&values, scale, 0.95).unwrap().summary.mean - 4.0).abs() < 1e-12);

        // The free function takes any responses.
        assert_eq!(scale_values(&responses, "welcome", None).len(), 5);
        assert!(scale_values(&responses, "aspects", None).is_empty());
    }
}
