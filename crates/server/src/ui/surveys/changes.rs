//! The builder's changes. Each takes the survey as it is, turned back into its input
//! (`Survey::to_input`), applies the change and goes through `Survey::revise` with
//! whether responses exist, as the API's revise does.

use super::parse::{Rows, context_from, question_from, texts};
use crate::ui::forms::Sent;
use motesplats_core::survey::{
    QuestionInput, SectionInput, Survey, SurveyKey, SurveyStatus, TextInput,
};
use motesplats_core::{Channel, FieldError, Invalid, Lang, Reason};

/// Why a change did not apply.
pub(super) enum Refusal {
    /// Reasons by the form's input names.
    Invalid(Invalid),
    /// The question or section the form was drawn for is no longer there.
    Gone,
}

impl From<Invalid> for Refusal {
    fn from(e: Invalid) -> Self {
        Refusal::Invalid(e)
    }
}

/// What a change leads to.
pub(super) enum Outcome {
    /// The survey as it is to be saved, and where on the page to come back to.
    Save(Survey, String),
    /// Nothing to save; back to the page with this address.
    Back(String),
}

/// Where a question sits: its section and its place in it.
fn position(s: &Survey, key: &str) -> Option<(usize, usize)> {
    s.sections.iter().enumerate().find_map(|(i, sec)| {
        sec.questions
            .iter()
            .position(|q| q.key.as_str() == key)
            .map(|j| (i, j))
    })
}

/// Errors of the whole survey, for a question at `path` (`sections[1].questions[3]`):
/// those of the question named as the form's inputs, a new section's title as
/// `section_title`, the rest as they are.
fn for_question(
    e: Invalid,
    path: &str,
    new_section: Option<usize>,
    rows: &Rows,
) -> Vec<FieldError> {
    let title = new_section.map(|s| format!("sections[{s}].title"));
    e.0.into_iter()
        .filter(|err| {
            // A repeated question key is said on the key input instead.
            !(matches!(err.reason, Reason::RepeatsOf { .. }) && err.field.ends_with(".key"))
        })
        .map(|err| {
            let field = if let Some(rest) = err.field.strip_prefix(path) {
                rows.rename(rest.trim_start_matches('.'))
            } else if let Some(rest) = title.as_deref().and_then(|t| err.field.strip_prefix(t)) {
                format!("section_title{rest}")
            } else {
                err.field
            };
            FieldError {
                field,
                reason: err.reason,
            }
        })
        .collect()
}

/// Adds a question, or changes the one named by `_question`.
pub(super) fn put_question(
    s: &Survey,
    sent: &Sent,
    has_responses: bool,
) -> Result<Outcome, Refusal> {
    let langs = s.languages.as_slice();
    let mut input = s.to_input();
    let sections = input.sections.get_or_insert_with(Vec::new);
    let was = match sent.one("_question") {
        Some(k) => Some(s.question(k).ok_or(Refusal::Gone)?),
        None => None,
    };
    let (mut question, rows, mut errors) = question_from(sent, langs, was);
    if was.is_none()
        && question.key.is_none()
        && let Some(label) = question.text.as_ref().and_then(|t| label_of(t, langs))
    {
        let made = SurveyKey::from_label(label, |k| s.question(k).is_some());
        question.key = Some(made.as_str().to_string());
    }
    let key = question.key.clone();
    let mut new_section = None;
    let (si, qi) = match was {
        Some(w) => {
            let (si, qi) = position(s, w.key.as_str()).ok_or(Refusal::Gone)?;
            sections[si].questions.get_or_insert_with(Vec::new)[qi] = question;
            (si, qi)
        }
        None => {
            let chosen = sent.one("section");
            let into = match chosen {
                Some("new") => None,
                Some(i) => {
                    let si = i.parse::<usize>().ok().filter(|i| *i < sections.len());
                    if si.is_none() {
                        errors.push(FieldError {
                            field: "section".into(),
                            reason: Reason::NoSection,
                        });
                    }
                    si
                }
                None => {
                    errors.push(FieldError {
                        field: "section".into(),
                        reason: Reason::Required,
                    });
                    None
                }
            };
            match into {
                Some(si) => {
                    let qs = sections[si].questions.get_or_insert_with(Vec::new);
                    qs.push(question);
                    (si, qs.len() - 1)
                }
                // A new section; without a valid choice the question is still
                // checked there, so every problem is named at once.
                None => {
                    let title = (chosen == Some("new"))
                        .then(|| texts(sent, "section_title", langs))
                        .flatten();
                    sections.push(SectionInput {
                        title,
                        questions: Some(vec![question]),
                    });
                    if chosen == Some("new") {
                        new_section = Some(sections.len() - 1);
                    }
                    (sections.len() - 1, 0)
                }
            }
        }
    };
    if let Some(k) = &key {
        let elsewhere = s
            .questions()
            .any(|q| q.key.as_str() == k && was.is_none_or(|w| w.key != q.key));
        if elsewhere {
            errors.push(FieldError {
                field: "key".into(),
                reason: Reason::RepeatsOf {
                    other: "another question".into(),
                },
            });
        }
    }
    let path = format!("sections[{si}].questions[{qi}]");
    let revised = s.revise(&input, has_responses);
    let bad: Vec<String> = errors.iter().map(|e| e.field.clone()).collect();
    let core = match &revised {
        Ok(_) => Vec::new(),
        Err(e) => for_question(e.clone(), &path, new_section, &rows),
    };
    // A number that could not be read is said once, not also as missing.
    errors.extend(core.into_iter().filter(|e| !bad.contains(&e.field)));
    match revised {
        Ok(r) if errors.is_empty() => {
            let at = r
                .sections
                .get(si)
                .and_then(|sec| sec.questions.get(qi))
                .map_or_else(
                    || "questions".to_string(),
                    |q| format!("question-{}", q.key),
                );
            Ok(Outcome::Save(r, at))
        }
        _ => Err(Invalid(errors).into()),
    }
}

/// Moves a question up or down (into the next section at a section's end) or removes
/// it; a section left without questions is dropped.
pub(super) fn reorder(
    s: &Survey,
    sent: &Sent,
    action: &str,
    has_responses: bool,
) -> Result<Outcome, Refusal> {
    let key = sent.one("_question").ok_or(Refusal::Gone)?;
    let (si, qi) = position(s, key).ok_or(Refusal::Gone)?;
    let mut input = s.to_input();
    let sections = input.sections.get_or_insert_with(Vec::new);
    fn qs(sections: &mut [SectionInput], i: usize) -> &mut Vec<QuestionInput> {
        sections[i].questions.get_or_insert_with(Vec::new)
    }
    let len =
        |sections: &[SectionInput], i: usize| sections[i].questions.as_ref().map_or(0, Vec::len);
    match action {
        "move-up" if qi > 0 => qs(sections, si).swap(qi - 1, qi),
        "move-up" if si > 0 => {
            let q = qs(sections, si).remove(qi);
            qs(sections, si - 1).push(q);
        }
        "move-down" if qi + 1 < len(sections, si) => qs(sections, si).swap(qi, qi + 1),
        "move-down" if si + 1 < sections.len() => {
            let q = qs(sections, si).remove(qi);
            qs(sections, si + 1).insert(0, q);
        }
        "remove" => {
            qs(sections, si).remove(qi);
        }
        _ => return Ok(Outcome::Back("questions".into())),
    }
    sections.retain(|sec| sec.questions.as_ref().is_some_and(|q| !q.is_empty()));
    if sections.is_empty() {
        return Err(Invalid::one("", Reason::NoQuestions).into());
    }
    let revised = s.revise(&input, has_responses)?;
    let at = if action == "remove" {
        "questions".to_string()
    } else {
        format!("question-{key}")
    };
    Ok(Outcome::Save(revised, at))
}

/// A section's title: checked as the core checks it, on a copy of the survey with
/// a section of that title added (with a stand-in question).
pub(super) fn check_section_title(s: &Survey, sent: &Sent) -> Result<(), Refusal> {
    let langs = s.languages.as_slice();
    let mut input = s.to_input();
    let sections = input.sections.get_or_insert_with(Vec::new);
    let stand_in = (0..)
        .map(|i| format!("stand_in_{i}"))
        .find(|k| s.question(k).is_none())
        .unwrap_or_default();
    sections.push(SectionInput {
        title: texts(sent, "section_title", langs),
        questions: Some(vec![QuestionInput {
            key: Some(stand_in),
            kind: Some("open_text".into()),
            text: Some(TextInput::PerLanguage(
                langs
                    .iter()
                    .map(|l| (l.as_str().to_string(), "–".to_string()))
                    .collect(),
            )),
            ..QuestionInput::default()
        }]),
    });
    let title = format!("sections[{}].title", sections.len() - 1);
    match Survey::parse(&input) {
        Ok(_) => Ok(()),
        Err(e) => {
            let mine: Vec<FieldError> =
                e.0.into_iter()
                    .filter_map(|err| {
                        let rest = err.field.strip_prefix(&title)?.to_string();
                        Some(FieldError {
                            field: format!("section_title{rest}"),
                            reason: err.reason,
                        })
                    })
                    .collect();
            if mine.is_empty() {
                Ok(())
            } else {
                Err(Invalid(mine).into())
            }
        }
    }
}

/// A section's new title (blank for none).
pub(super) fn retitle(s: &Survey, sent: &Sent, has_responses: bool) -> Result<Outcome, Refusal> {
    let si: usize = sent
        .one("_section")
        .and_then(|i| i.parse().ok())
        .filter(|i| *i < s.sections.len())
        .ok_or(Refusal::Gone)?;
    let mut input = s.to_input();
    let sections = input.sections.get_or_insert_with(Vec::new);
    sections[si].title = texts(sent, "section_title", &s.languages);
    let prefix = format!("sections[{si}].title");
    let revised = s.revise(&input, has_responses).map_err(|e| {
        Invalid(
            e.0.into_iter()
                .map(|err| FieldError {
                    field: match err.field.strip_prefix(&prefix) {
                        Some(rest) => format!("section_title{rest}"),
                        None => err.field,
                    },
                    reason: err.reason,
                })
                .collect(),
        )
    })?;
    Ok(Outcome::Save(revised, format!("section-{si}")))
}

/// The title, intro and journey context; the languages stay.
pub(super) fn details(
    s: &Survey,
    sent: &Sent,
    channels: &[Channel],
    has_responses: bool,
) -> Result<Outcome, Refusal> {
    let mut input = s.to_input();
    context_from(sent, &s.languages, &mut input);
    let mut errors = check_channel(input.channel.as_deref(), channels);
    match s.revise(&input, has_responses) {
        Ok(r) if errors.is_empty() => Ok(Outcome::Save(r, "details".into())),
        Ok(_) => Err(Invalid(errors).into()),
        Err(e) => {
            errors.extend(e.0);
            Err(Invalid(errors).into())
        }
    }
}

/// A new question's label in the survey's first language, to make its key from.
fn label_of<'a>(text: &'a TextInput, langs: &[Lang]) -> Option<&'a str> {
    match text {
        TextInput::Plain(t) => Some(t),
        TextInput::PerLanguage(m) => langs.first().and_then(|l| m.get(l.as_str())),
    }
    .map(String::as_str)
    .filter(|t| !t.trim().is_empty())
}

/// A channel the provider does not know, as the API refuses it.
pub(super) fn check_channel(channel: Option<&str>, channels: &[Channel]) -> Vec<FieldError> {
    match channel {
        Some(c) if !channels.iter().any(|k| k.key.as_str() == c) => vec![FieldError {
            field: "channel".into(),
            reason: Reason::UnknownChannel {
                value: c.to_string(),
            },
        }],
        _ => Vec::new(),
    }
}

pub(super) fn status(s: &Survey, sent: &Sent) -> Result<Outcome, Refusal> {
    let to = match sent.one("status") {
        Some("open") => SurveyStatus::Open,
        Some("closed") => SurveyStatus::Closed,
        Some("draft") => SurveyStatus::Draft,
        _ => return Err(Invalid::one("status", Reason::Required).into()),
    };
    let changed = s.with_status(to)?;
    Ok(Outcome::Save(changed, "sharing".into()))
}

/// The first question of a new survey, in its languages: a start the builder can
/// change or remove once there are others.
pub(super) fn first_question(kind: &str, langs: &[Lang]) -> QuestionInput {
    let (key, sv, en) = match kind {
        "nps" => (
            "recommend",
            "Hur troligt är det att du skulle rekommendera oss till en vän?",
            "How likely are you to recommend us to a friend?",
        ),
        "open_text" => (
            "comment",
            "Vill du berätta något mer?",
            "Is there anything else you would like to tell us?",
        ),
        _ => (
            "overall",
            "Hur nöjd är du totalt sett?",
            "How satisfied are you overall?",
        ),
    };
    let kind = if matches!(kind, "nps" | "open_text") {
        kind
    } else {
        "csat"
    };
    QuestionInput {
        key: Some(key.into()),
        kind: Some(kind.into()),
        text: Some(TextInput::PerLanguage(
            langs
                .iter()
                .map(|l| {
                    let t = match l {
                        Lang::Sv => sv,
                        Lang::En => en,
                    };
                    (l.as_str().to_string(), t.to_string())
                })
                .collect(),
        )),
        required: Some(kind != "open_text"),
        ..QuestionInput::default()
    }
}
