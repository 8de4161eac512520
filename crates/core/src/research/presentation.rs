//! The presentation rounds of steps 2–4: each observer presents what they saw, and
//! the team goes through the functions of the digital scan and the moments of the
//! like/dislike protocols. The questions asked there, and their answers, are kept
//! with what was presented; like step 1's follow-up questions they are checked for
//! open or closed form, since a closed question cuts the presenter short.

use super::evidence::EvidenceRef;
use super::ids::PresentationQuestionId;
use super::input::{NAME_MAX, TEXT_MAX, optional_text, required_text};
use super::progress::Step;
use super::project::Project;
use super::questions::{QuestionForm, check_question};
use crate::invalid::{Checker, Invalid, List, Reason};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A question asked during a presentation round, with its form checked when it was
/// written down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PresentationQuestion {
    pub id: PresentationQuestionId,
    /// What was presented: an observation (step 2), a digital function (step 3) or
    /// a moment of the protocols (step 4).
    pub about: EvidenceRef,
    pub text: String,
    pub form: QuestionForm,
    /// An open rewrite when the question is closed.
    pub suggestion: Option<String>,
    pub answer: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PresentationQuestionInput {
    /// `{"kind": "observation" | "function" | "moment", "id": "…"}`.
    pub about: Option<EvidenceRef>,
    pub text: Option<String>,
    pub answer: Option<String>,
}

/// The kinds of evidence presented in a round, as serialised.
const PRESENTED: [&str; 3] = ["observation", "function", "moment"];

/// The step whose presentation round discusses `about`; None for anything that is
/// not presented in a round (stories have their own follow-up questions).
pub fn presented_in(about: EvidenceRef) -> Option<Step> {
    match about {
        EvidenceRef::Observation(_) => Some(Step::Observation),
        EvidenceRef::Function(_) => Some(Step::DigitalScan),
        EvidenceRef::Moment(_) => Some(Step::Protocols),
        _ => None,
    }
}

impl Project {
    /// Why `about` cannot be what a presentation question is about, if it cannot.
    pub(crate) fn presentation_problem(&self, about: EvidenceRef) -> Option<Reason> {
        if presented_in(about).is_none() {
            Some(Reason::OneOf {
                value: about.kind().into(),
                allowed: List::of(PRESENTED),
            })
        } else if !self.has_evidence(about) {
            Some(Reason::NotInProject {
                what: about.kind().replace('_', " "),
            })
        } else {
            None
        }
    }

    /// Writes down a question from a presentation round; its form (open or closed)
    /// is checked and a closed one gets an open rewrite to consider.
    pub fn add_presentation_question(
        &mut self,
        input: &PresentationQuestionInput,
    ) -> Result<PresentationQuestionId, Invalid> {
        let mut c = Checker::new();
        let about = c.required("about", input.about);
        if let Some(reason) = about.and_then(|a| self.presentation_problem(a)) {
            c.fail("about", reason);
        }
        let text = required_text(&mut c, "text", input.text.as_deref(), NAME_MAX);
        let answer = optional_text(&mut c, "answer", input.answer.as_deref(), TEXT_MAX);
        c.finish()?;
        let (Some(about), Some(text)) = (about, text) else {
            return Err(Invalid::one("", Reason::Required));
        };
        let check = check_question(&text);
        let id = PresentationQuestionId::new();
        self.presentation_questions.push(PresentationQuestion {
            id,
            about,
            text,
            form: check.form,
            suggestion: check.suggestion,
            answer,
        });
        Ok(id)
    }

    /// The questions of one step's presentation round, in the order they were asked.
    pub fn presentation_questions_in(
        &self,
        step: Step,
    ) -> impl Iterator<Item = &PresentationQuestion> {
        self.presentation_questions
            .iter()
            .filter(move |q| presented_in(q.about) == Some(step))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::fixture;
    use crate::research::ids::{FunctionId, ObservationId};

    fn ask(about: EvidenceRef, text: &str, answer: Option<&str>) -> PresentationQuestionInput {
        PresentationQuestionInput {
            about: Some(about),
            text: Some(text.into()),
            answer: answer.map(Into::into),
        }
    }

    #[test]
    fn questions_are_kept_with_what_was_presented_and_checked() {
        let mut p = fixture::full_project();
        let observation = EvidenceRef::Observation(p.observations[0].id);
        let function = EvidenceRef::Function(p.functions[0].id);
        let moment = EvidenceRef::Moment(p.moments[0].id);
        let open = p
            .add_presentation_question(&ask(
                observation,
                "Vad gjorde kunden när kön växte?",
                Some("Gick ut och kom tillbaka senare."),
            ))
            .unwrap();
        p.add_presentation_question(&ask(function, "Använder kunderna appen?", None))
            .unwrap();
        p.add_presentation_question(&ask(moment, "How did it feel at the counter?", None))
            .unwrap();

        let step2: Vec<_> = p.presentation_questions_in(Step::Observation).collect();
        assert_eq!(step2.len(), 1);
        assert_eq!(step2[0].id, open);
        assert_eq!(step2[0].form, QuestionForm::Open);
        assert_eq!(step2[0].suggestion, None);
        assert_eq!(
            step2[0].answer.as_deref(),
            Some("Gick ut och kom tillbaka senare.")
        );

        let closed: Vec<_> = p.presentation_questions_in(Step::DigitalScan).collect();
        assert_eq!(closed[0].form, QuestionForm::Closed);
        assert!(closed[0].suggestion.is_some(), "{:?}", closed[0]);
        assert_eq!(p.presentation_questions_in(Step::Protocols).count(), 1);
        assert!(p.check().is_ok(), "{:?}", p.check());
    }

    #[test]
    fn the_reference_and_the_text_are_checked() {
        let mut p = fixture::full_project();
        let e = p
            .add_presentation_question(&ask(
                EvidenceRef::Observation(ObservationId::new()),
                " ",
                None,
            ))
            .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["about", "text"], "{e}");
        assert_eq!(
            e.0[0].reason,
            Reason::NotInProject {
                what: "observation".into()
            }
        );

        // Stories have their own follow-up questions.
        let story = EvidenceRef::Story(p.stories[0].id);
        let e = p
            .add_presentation_question(&ask(story, "Vad hände sen?", None))
            .unwrap_err();
        assert_eq!(e.0[0].field, "about");
        assert!(matches!(e.0[0].reason, Reason::OneOf { .. }));

        let e = p
            .add_presentation_question(&PresentationQuestionInput::default())
            .unwrap_err();
        assert_eq!(e.0[0].field, "about");
        assert_eq!(e.0[0].reason, Reason::Required);
    }

    #[test]
    fn a_question_about_something_gone_fails_the_integrity_check() {
        let mut p = fixture::full_project();
        p.add_presentation_question(&ask(
            EvidenceRef::Function(p.functions[0].id),
            "Hur hittade du den?",
            None,
        ))
        .unwrap();
        p.presentation_questions[0].about = EvidenceRef::Function(FunctionId::new());
        let e = p.check().unwrap_err();
        assert_eq!(e.0[0].field, "presentation_questions[0].about", "{e}");
    }
}
