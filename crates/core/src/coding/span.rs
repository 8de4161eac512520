//! One coding: a coder marks a span of one open-text answer with a code of the
//! codebook. Spans are character offsets into the answer text as stored (trimmed,
//! `\r\n` made `\n`): `start` inclusive, `end` exclusive, counted in Unicode scalar
//! values (Rust `char`s; a client in JavaScript counts UTF-16 units, which differ only
//! for characters outside the Basic Multilingual Plane, such as emoji).
//!
//! [`CodingInput::parse`] checks a coding against the survey (the question must be
//! one of its open-text questions), the response (of this survey, answering that
//! question) and the codebook; every problem is named by field.

use super::codebook::{CodeKey, Codebook};
use crate::ids::id_type;
use crate::invalid::{Checker, Invalid, Reason, text};
use crate::survey::{Answer, QuestionKind, Response, ResponseId, Survey, SurveyId, SurveyKey};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

id_type!(
    /// One coding of a span of an open answer.
    CodingId
);

/// The longest coder name or e-mail.
pub const MAX_CODER: usize = 200;

/// A span of one open-text answer marked with a code by a coder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Coding {
    pub id: CodingId,
    pub survey_id: SurveyId,
    pub response_id: ResponseId,
    /// The key of the open-text question whose answer is coded.
    #[schema(value_type = String)]
    pub question: SurveyKey,
    /// First character of the span (0-based).
    pub start: u32,
    /// One past the last character of the span.
    pub end: u32,
    pub code: CodeKey,
    /// Who coded it: a name or e-mail, compared exactly when two coders are compared.
    pub coder: String,
    pub created_at: DateTime<Utc>,
}

impl Coding {
    /// The coded span of `text` (the answer it was made on); empty when the span lies
    /// outside it.
    pub fn quote<'t>(&self, text: &'t str) -> &'t str {
        slice_chars(text, self.start as usize, self.end as usize)
    }

    /// The answer text this coding was made on, if `response` is its response.
    pub fn answer<'r>(&self, response: &'r Response) -> Option<&'r str> {
        if response.id != self.response_id {
            return None;
        }
        match response.answers.get(self.question.as_str()) {
            Some(Answer::Text(t)) => Some(t),
            _ => None,
        }
    }

    /// Whether two codings mark the same span of the same answer.
    pub fn same_span(&self, other: &Coding) -> bool {
        self.response_id == other.response_id
            && self.question == other.question
            && (self.start, self.end) == (other.start, other.end)
    }
}

/// The characters `start..end` of `text` (clamped to the text).
pub fn slice_chars(text: &str, start: usize, end: usize) -> &str {
    let at = |n: usize| text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
    let (s, e) = (at(start), at(end));
    if s >= e { "" } else { &text[s..e] }
}

/// A stretch of an answer's text for display: characters `start..end` and the codings
/// that cover all of it (none for uncoded text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment<'a> {
    pub start: u32,
    pub end: u32,
    pub text: &'a str,
    pub codings: Vec<&'a Coding>,
}

/// `text` cut at every start and end of `codings` (the codings of this one answer;
/// spans are clamped to the text), in order and covering the whole text, each piece
/// with the codings over it: what a coding page marks up.
pub fn segments<'a>(text: &'a str, codings: &[&'a Coding]) -> Vec<Segment<'a>> {
    let length = text.chars().count() as u32;
    let mut cuts: Vec<u32> = vec![0, length];
    for c in codings {
        cuts.push(c.start.min(length));
        cuts.push(c.end.min(length));
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .map(|w| Segment {
            start: w[0],
            end: w[1],
            text: slice_chars(text, w[0] as usize, w[1] as usize),
            codings: codings
                .iter()
                .copied()
                .filter(|c| c.start <= w[0] && c.end >= w[1])
                .collect(),
        })
        .collect()
}

/// A coding as a client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodingInput {
    pub response_id: Option<ResponseId>,
    /// The key of an open-text question of the survey.
    pub question: Option<String>,
    /// First character of the span, from 0.
    pub start: Option<i64>,
    /// One past the last character; more than `start`, at most the answer's length.
    pub end: Option<i64>,
    /// A key of the codebook, such as `motivation.experiences`.
    pub code: Option<String>,
    /// The coder's name or e-mail.
    pub coder: Option<String>,
}

impl CodingInput {
    /// Checks the coding against `survey`, its `responses` and the `codebook`.
    pub fn parse(
        &self,
        survey: &Survey,
        responses: &[Response],
        codebook: &Codebook,
        now: DateTime<Utc>,
    ) -> Result<Coding, Invalid> {
        let mut c = Checker::new();
        let response = match self.response_id {
            None => {
                c.fail("response_id", Reason::Required);
                None
            }
            Some(id) => {
                let found = responses
                    .iter()
                    .find(|r| r.id == id && r.survey_id == survey.id);
                if found.is_none() {
                    c.fail("response_id", Reason::NoResponse);
                }
                found
            }
        };
        let question = match self.question.as_deref() {
            None => {
                c.fail("question", Reason::Required);
                None
            }
            Some(key) => match survey.question(key) {
                None => {
                    c.fail(
                        "question",
                        Reason::NoQuestion {
                            key: key.to_string(),
                        },
                    );
                    None
                }
                Some(q) if !matches!(q.kind, QuestionKind::OpenText { .. }) => {
                    c.fail(
                        "question",
                        Reason::NotOpenText {
                            key: key.to_string(),
                            kind: q.kind.name().to_string(),
                        },
                    );
                    None
                }
                Some(q) => Some(q.key.clone()),
            },
        };
        let answer = match (response, &question) {
            (Some(r), Some(q)) => match r.answers.get(q.as_str()) {
                Some(Answer::Text(t)) => Some(t.as_str()),
                _ => {
                    c.fail("question", Reason::NotAnswered);
                    None
                }
            },
            _ => None,
        };
        let start = match self.start {
            None => {
                c.fail("start", Reason::Required);
                None
            }
            Some(s) if s < 0 => {
                c.fail("start", Reason::Negative);
                None
            }
            Some(s) => Some(s),
        };
        let end = match self.end {
            None => {
                c.fail("end", Reason::Required);
                None
            }
            Some(e) if start.is_some_and(|s| e <= s) => {
                c.fail("end", Reason::SpanEmpty);
                None
            }
            Some(e) => Some(e),
        };
        if let (Some(text), Some(s), Some(e)) = (answer, start, end) {
            let length = text.chars().count() as i64;
            if s >= length {
                c.fail(
                    "start",
                    Reason::PastEnd {
                        length: length as usize,
                    },
                );
            }
            if e > length {
                c.fail(
                    "end",
                    Reason::PastEnd {
                        length: length as usize,
                    },
                );
            } else if slice_chars(text, s as usize, e as usize).trim().is_empty() {
                c.fail("end", Reason::SpanWhiteSpace);
            }
        }
        let code = match self.code.as_deref() {
            None => {
                c.fail("code", Reason::Required);
                None
            }
            Some(k) => match CodeKey::parse(k) {
                Err(e) => {
                    c.take::<()>(Err(e.within("code")));
                    None
                }
                Ok(key) if !codebook.contains(key.as_str()) => {
                    c.fail(
                        "code",
                        Reason::NoCode {
                            key: key.to_string(),
                        },
                    );
                    None
                }
                Ok(key) => Some(key),
            },
        };
        let coder = match self.coder.as_deref() {
            None => {
                c.fail("coder", Reason::Required);
                None
            }
            Some(v) => c.take(text("coder", v, MAX_CODER)),
        };
        c.finish()?;
        let (Some(response), Some(question), Some(start), Some(end), Some(code), Some(coder)) =
            (response, question, start, end, code, coder)
        else {
            unreachable!("the checker finished without errors");
        };
        Ok(Coding {
            id: CodingId::new(),
            survey_id: survey.id,
            response_id: response.id,
            question,
            start: start as u32,
            end: end as u32,
            code,
            coder,
            created_at: now,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::survey::{ResponseInput, SurveyInput, SurveyStatus};
    use serde_json::json;

    pub(crate) fn now() -> DateTime<Utc> {
        "2026-11-23T12:00:00Z".parse().unwrap()
    }

    /// An open survey with a scale question `welcome` and open questions `comment`
    /// and `more`.
    pub(crate) fn survey() -> Survey {
        let input: SurveyInput = serde_json::from_value(json!({
            "title": "Besöket",
            "phase": "during",
            "sections": [{"questions": [
                {"key": "welcome", "kind": "scale", "points": 5, "text": "Välkommen?",
                 "anchors": [{"point": 1, "label": "Nej"}, {"point": 5, "label": "Ja"}]},
                {"key": "comment", "kind": "open_text", "text": "Berätta!"},
                {"key": "more", "kind": "open_text", "text": "Något mer?"}
            ]}]
        }))
        .unwrap();
        Survey::parse(&input)
            .unwrap()
            .with_status(SurveyStatus::Open)
            .unwrap()
    }

    pub(crate) fn respond(survey: &Survey, answers: serde_json::Value) -> Response {
        let input: ResponseInput = serde_json::from_value(json!({ "answers": answers })).unwrap();
        Response::parse(survey, &input, now()).unwrap()
    }

    fn input(v: serde_json::Value) -> CodingInput {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn a_span_of_an_open_answer_is_coded_and_quoted() {
        let s = survey();
        let r = respond(
            &s,
            json!({"welcome": 4, "comment": "Kön var lång men kaffet gott ☕ tack"}),
        );
        let book = Codebook::value_landscape();
        let coding = input(json!({
            "response_id": r.id, "question": "comment", "start": 0, "end": 13,
            "code": "setting.physical_place", "coder": " anna@kafe.example "
        }))
        .parse(&s, std::slice::from_ref(&r), &book, now())
        .unwrap();
        assert_eq!(coding.coder, "anna@kafe.example");
        let text = coding.answer(&r).unwrap();
        assert_eq!(coding.quote(text), "Kön var lång ");
        // Offsets count characters, not bytes: "☕" is one.
        let cup = input(json!({
            "response_id": r.id, "question": "comment", "start": 29, "end": 30,
            "code": "stance.like", "coder": "Anna"
        }))
        .parse(&s, std::slice::from_ref(&r), &book, now())
        .unwrap();
        assert_eq!(cup.quote(text), "☕");
        assert_eq!(slice_chars("abc", 2, 9), "c");
        assert_eq!(slice_chars("abc", 5, 9), "");
        assert!(!coding.same_span(&cup));
        let json = serde_json::to_value(&coding).unwrap();
        assert_eq!(json["code"], "setting.physical_place");
        assert_eq!(serde_json::from_value::<Coding>(json).unwrap(), coding);
    }

    #[test]
    fn segments_cut_the_text_at_every_span() {
        let s = survey();
        let r = respond(&s, json!({"comment": "Kön var lång men kaffet gott"}));
        let book = Codebook::value_landscape();
        let code = |start: i64, end: i64, code: &str| {
            input(json!({
                "response_id": r.id, "question": "comment", "start": start, "end": end,
                "code": code, "coder": "Anna"
            }))
            .parse(&s, std::slice::from_ref(&r), &book, now())
            .unwrap()
        };
        let (queue, dislike, coffee) = (
            code(0, 12, "setting.physical_place"),
            code(4, 12, "stance.dislike"),
            code(17, 28, "stance.like"),
        );
        let text = queue.answer(&r).unwrap();
        let parts = segments(text, &[&queue, &dislike, &coffee]);
        let shown: Vec<(&str, usize)> = parts.iter().map(|p| (p.text, p.codings.len())).collect();
        assert_eq!(
            shown,
            [
                ("Kön ", 1),
                ("var lång", 2),
                (" men ", 0),
                ("kaffet gott", 1)
            ]
        );
        assert_eq!((parts[1].start, parts[1].end), (4, 12));
        assert_eq!(parts.iter().map(|p| p.text).collect::<String>(), text);
        assert_eq!(segments("", &[]), []);
    }

    #[test]
    fn every_bad_field_is_named() {
        let s = survey();
        let r = respond(&s, json!({"welcome": 4, "comment": "Trevligt"}));
        let book = Codebook::value_landscape();
        let parse = |v| input(v).parse(&s, std::slice::from_ref(&r), &book, now());
        let fields = |v| -> Vec<(String, Reason)> {
            parse(v)
                .unwrap_err()
                .0
                .into_iter()
                .map(|f| (f.field, f.reason))
                .collect()
        };
        assert_eq!(
            fields(json!({}))
                .iter()
                .map(|f| f.0.as_str())
                .collect::<Vec<_>>(),
            ["response_id", "question", "start", "end", "code", "coder"]
        );
        let got = fields(json!({
            "response_id": r.id, "question": "comment", "start": 3, "end": 12,
            "code": "stance.meh", "coder": "Anna"
        }));
        assert_eq!(
            got,
            [
                ("end".into(), Reason::PastEnd { length: 8 }),
                (
                    "code".into(),
                    Reason::NoCode {
                        key: "stance.meh".into()
                    }
                ),
            ]
        );
        let got = fields(json!({
            "response_id": r.id, "question": "welcome", "start": 3, "end": 3,
            "code": "Bad", "coder": ""
        }));
        let names: Vec<&str> = got.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(names, ["question", "end", "code", "coder"], "{got:?}");
        let got = fields(json!({
            "response_id": r.id, "question": "more", "start": -1, "end": 2,
            "code": "stance", "coder": "Anna"
        }));
        assert_eq!(
            got,
            [
                ("question".into(), Reason::NotAnswered),
                ("start".into(), Reason::Negative),
            ]
        );
        let other = respond(&survey(), json!({"comment": "Annan enkät"}));
        let got = fields(json!({
            "response_id": other.id, "question": "comment", "start": 0, "end": 2,
            "code": "stance", "coder": "Anna"
        }));
        assert_eq!(got[0].0, "response_id");
        let r2 = respond(&s, json!({"comment": "a   b"}));
        let got = input(json!({
            "response_id": r2.id, "question": "comment", "start": 1, "end": 4,
            "code": "stance", "coder": "Anna"
        }))
        .parse(&s, std::slice::from_ref(&r2), &book, now())
        .unwrap_err();
        assert_eq!(got.0[0].field, "end");
        assert_eq!(got.0[0].reason, Reason::SpanWhiteSpace);
    }
}
