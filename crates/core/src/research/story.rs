//! Step 1, the value-creating customer experience: members tell the story of a
//! recent purchase as moments before, during and after it, the others ask
//! follow-up questions, and the group writes value statements tied to moments.

use super::ids::{GroupId, MemberId, QuestionId, StoryId, StoryMomentId, ValueStatementId};
use super::input::{NAME_MAX, TEXT_MAX, landscape, optional_text, required_text, required_word};
use super::project::Project;
use super::questions::{QuestionForm, check_question};
use crate::invalid::{Checker, Invalid, Reason};
use crate::value::{Phase, Stance, ValueLandscape, ValueLandscapeInput};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

labelled_vocabulary!(
    /// How something was experienced: a story moment, or an observation placed on
    /// the journey board.
    ///
    /// Deliberately not [`Stance`]: a stance is a position a perspective takes in
    /// the like/dislike protocols of step 4 and feeds the four-field matrix. A
    /// valence is a first-hand experience or a sighting; it becomes a stance only
    /// when the team says so (see [`Valence::as_stance`]), so stories never slip into
    /// the matrix by accident.
    Valence {
        /// Felt good; on the board: creates value.
        Positive => "positive", "positiv", "positive";
        /// Felt bad; on the board: irritates.
        Negative => "negative", "negativ", "negative";
    }
);

impl Valence {
    /// The stance a customer would take, when the team carries an experience into
    /// the like/dislike protocols.
    pub fn as_stance(self) -> Stance {
        match self {
            Valence::Positive => Stance::Like,
            Valence::Negative => Stance::Dislike,
        }
    }
}

/// One moment of a story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StoryMoment {
    pub id: StoryMomentId,
    pub phase: Phase,
    pub text: String,
    pub valence: Valence,
    /// Where it sits on the value landscape (lanes of the journey board).
    #[serde(default, skip_serializing_if = "ValueLandscape::is_empty")]
    pub landscape: ValueLandscape,
}

/// A follow-up question, with its form checked when it was written down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FollowUpQuestion {
    pub id: QuestionId,
    pub text: String,
    pub asked_by: Option<MemberId>,
    pub form: QuestionForm,
    /// An open rewrite when the question is closed.
    pub suggestion: Option<String>,
    pub answer: Option<String>,
}

/// "When I waited at the hairdresser they offered coffee…": a value, in the
/// customer's words, tied to the moment it came from and carrying its phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ValueStatement {
    pub id: ValueStatementId,
    pub moment_id: StoryMomentId,
    pub phase: Phase,
    pub text: String,
}

/// The story of a recent purchase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Story {
    pub id: StoryId,
    pub teller: MemberId,
    /// The teller's group when the story was told.
    pub group: Option<GroupId>,
    /// What was bought, in a few words: "a winter jacket", "dinner for four".
    pub purchase: String,
    pub told_at: DateTime<Utc>,
    pub moments: Vec<StoryMoment>,
    pub questions: Vec<FollowUpQuestion>,
    pub value_statements: Vec<ValueStatement>,
}

/// A story as a client sends it; moments may come now or later.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StoryInput {
    pub teller: Option<MemberId>,
    pub purchase: Option<String>,
    pub moments: Option<Vec<StoryMomentInput>>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StoryMomentInput {
    /// `before`, `during` or `after`.
    pub phase: Option<String>,
    pub text: Option<String>,
    /// `positive` or `negative`.
    pub valence: Option<String>,
    /// Where it sits on the value landscape; may be given later.
    pub landscape: Option<ValueLandscapeInput>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
// Named apart from the survey's `QuestionInput`, so the OpenAPI document keeps both.
#[schema(as = FollowUpQuestionInput)]
pub struct QuestionInput {
    pub text: Option<String>,
    pub asked_by: Option<MemberId>,
    pub answer: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueStatementInput {
    /// The story moment the value came from; the statement takes its phase.
    pub moment_id: Option<StoryMomentId>,
    pub text: Option<String>,
}

impl StoryMomentInput {
    pub fn parse(&self) -> Result<StoryMoment, Invalid> {
        let mut c = Checker::new();
        let phase = required_word(&mut c, "phase", self.phase.as_deref(), Phase::parse);
        let text = required_text(&mut c, "text", self.text.as_deref(), TEXT_MAX);
        let valence = required_word(&mut c, "valence", self.valence.as_deref(), Valence::parse);
        let landscape = landscape(&mut c, self.landscape.as_ref());
        c.finish()?;
        match (phase, text, valence) {
            (Some(phase), Some(text), Some(valence)) => Ok(StoryMoment {
                id: StoryMomentId::new(),
                phase,
                text,
                valence,
                landscape,
            }),
            _ => Err(Invalid::one("", Reason::Required)),
        }
    }
}

fn no_story() -> Invalid {
    Invalid::one(
        "story_id",
        Reason::NotInProject {
            what: "story".into(),
        },
    )
}

impl Project {
    pub fn story(&self, id: StoryId) -> Option<&Story> {
        self.stories.iter().find(|s| s.id == id)
    }

    /// A story moment and the story it belongs to.
    pub fn story_moment(&self, id: StoryMomentId) -> Option<(&Story, &StoryMoment)> {
        self.stories
            .iter()
            .find_map(|s| s.moments.iter().find(|m| m.id == id).map(|m| (s, m)))
    }

    /// A value statement and the story it belongs to.
    pub fn value_statement(&self, id: ValueStatementId) -> Option<(&Story, &ValueStatement)> {
        self.stories.iter().find_map(|s| {
            s.value_statements
                .iter()
                .find(|v| v.id == id)
                .map(|v| (s, v))
        })
    }

    fn story_mut(&mut self, id: StoryId) -> Result<&mut Story, Invalid> {
        self.stories
            .iter_mut()
            .find(|s| s.id == id)
            .ok_or_else(no_story)
    }

    /// Records a story told by a lead or member.
    pub fn add_story(
        &mut self,
        input: &StoryInput,
        now: DateTime<Utc>,
    ) -> Result<StoryId, Invalid> {
        let mut c = Checker::new();
        let teller = c
            .required("teller", input.teller)
            .and_then(|id| match self.member(id) {
                None => {
                    c.fail(
                        "teller",
                        Reason::NotInProject {
                            what: "member".into(),
                        },
                    );
                    None
                }
                Some(m) if !m.role.takes_part() => {
                    c.fail("teller", Reason::IsObserver);
                    None
                }
                Some(m) => Some(m.id),
            });
        let purchase = required_text(&mut c, "purchase", input.purchase.as_deref(), NAME_MAX);
        let moments: Vec<StoryMoment> = input
            .moments
            .iter()
            .flatten()
            .enumerate()
            .filter_map(|(i, m)| c.take(m.parse().map_err(|e| e.within(&format!("moments[{i}]")))))
            .collect();
        c.finish()?;
        let teller = teller.ok_or_else(|| Invalid::one("teller", Reason::Required))?;
        let id = StoryId::new();
        let group = self.group_of(teller).map(|g| g.id);
        self.stories.push(Story {
            id,
            teller,
            group,
            purchase: purchase.unwrap_or_default(),
            told_at: now,
            moments,
            questions: Vec::new(),
            value_statements: Vec::new(),
        });
        Ok(id)
    }

    pub fn add_story_moment(
        &mut self,
        story: StoryId,
        input: &StoryMomentInput,
    ) -> Result<StoryMomentId, Invalid> {
        let moment = input.parse()?;
        let id = moment.id;
        self.story_mut(story)?.moments.push(moment);
        Ok(id)
    }

    /// Writes down a follow-up question; its form (open or closed) is checked and a
    /// closed one gets an open rewrite to consider.
    pub fn add_question(
        &mut self,
        story: StoryId,
        input: &QuestionInput,
    ) -> Result<&FollowUpQuestion, Invalid> {
        let mut c = Checker::new();
        let text = required_text(&mut c, "text", input.text.as_deref(), NAME_MAX);
        if let Some(id) = input.asked_by
            && self.member(id).is_none()
        {
            c.fail(
                "asked_by",
                Reason::NotInProject {
                    what: "member".into(),
                },
            );
        }
        let answer = optional_text(&mut c, "answer", input.answer.as_deref(), TEXT_MAX);
        c.finish()?;
        let text = text.unwrap_or_default();
        let check = check_question(&text);
        let story = self.story_mut(story)?;
        story.questions.push(FollowUpQuestion {
            id: QuestionId::new(),
            text,
            asked_by: input.asked_by,
            form: check.form,
            suggestion: check.suggestion,
            answer,
        });
        story.questions.last().ok_or_else(no_story)
    }

    /// Writes a value statement for one of the story's moments.
    pub fn add_value_statement(
        &mut self,
        story: StoryId,
        input: &ValueStatementInput,
    ) -> Result<ValueStatementId, Invalid> {
        let mut c = Checker::new();
        let text = required_text(&mut c, "text", input.text.as_deref(), TEXT_MAX);
        let moment_id = c.required("moment_id", input.moment_id);
        c.finish()?;
        let story = self.story_mut(story)?;
        let phase = story
            .moments
            .iter()
            .find(|m| Some(m.id) == moment_id)
            .map(|m| m.phase)
            .ok_or_else(|| Invalid::one("moment_id", Reason::NotInStory))?;
        let id = ValueStatementId::new();
        story.value_statements.push(ValueStatement {
            id,
            moment_id: moment_id.unwrap_or_default(),
            phase,
            text: text.unwrap_or_default(),
        });
        Ok(id)
    }

    /// Members who told at least one story.
    pub fn tellers(&self) -> Vec<MemberId> {
        let mut t: Vec<MemberId> = self.stories.iter().map(|s| s.teller).collect();
        t.sort();
        t.dedup();
        t
    }
}

impl StoryMomentInput {
    /// A moment of a story, as the demo and the tests write one.
    pub(crate) fn of(phase: &str, text: &str, valence: &str) -> StoryMomentInput {
        StoryMomentInput {
            phase: Some(phase.into()),
            text: Some(text.into()),
            valence: Some(valence.into()),
            landscape: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::fixture;

    #[test]
    fn stories_are_told_by_participants_and_moments_checked() {
        let mut p = fixture::empty_project();
        let observer = fixture::member_with_role(&p, super::super::project::Role::Observer);
        let e = p
            .add_story(
                &StoryInput {
                    teller: Some(observer),
                    purchase: Some("Vinterjacka".into()),
                    moments: Some(vec![StoryMomentInput {
                        phase: Some("sometime".into()),
                        text: Some("".into()),
                        valence: Some("positive".into()),
                        landscape: None,
                    }]),
                },
                Utc::now(),
            )
            .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["teller", "moments[0].phase", "moments[0].text"]);
    }

    /// A project with one story (a haircut) told by a member, without moments.
    fn haircut() -> (Project, MemberId, StoryId) {
        let mut p = fixture::empty_project();
        let teller = fixture::member_with_role(&p, super::super::project::Role::Member);
        let story = p
            .add_story(
                &StoryInput {
                    teller: Some(teller),
                    purchase: Some("Klippning".into()),
                    moments: None,
                },
                Utc::now(),
            )
            .unwrap();
        (p, teller, story)
    }

    #[test]
    fn value_statements_take_the_phase_of_their_moment() {
        let (mut p, _, story) = haircut();
        let waiting = p
            .add_story_moment(
                story,
                &StoryMomentInput {
                    phase: Some("during".into()),
                    text: Some("Jag fick vänta en kvart".into()),
                    valence: Some("positive".into()),
                    landscape: None,
                },
            )
            .unwrap();
        let v = p
            .add_value_statement(
                story,
                &ValueStatementInput {
                    moment_id: Some(waiting),
                    text: Some(
                        "Medan jag väntade bjöds jag på kaffe och kände mig som hemma.".into(),
                    ),
                },
            )
            .unwrap();
        assert_eq!(p.value_statement(v).unwrap().1.phase, Phase::During);

        let e = p
            .add_value_statement(
                story,
                &ValueStatementInput {
                    moment_id: Some(StoryMomentId::new()),
                    text: Some("x".into()),
                },
            )
            .unwrap_err();
        assert_eq!(e.0[0].field, "moment_id");
        let e = p
            .add_value_statement(
                story,
                &ValueStatementInput {
                    moment_id: Some(waiting),
                    text: Some("  ".into()),
                },
            )
            .unwrap_err();
        assert_eq!(e.0[0].field, "text");
    }

    #[test]
    fn closed_follow_up_questions_get_an_open_rewrite() {
        let (mut p, teller, story) = haircut();
        let q = p
            .add_question(
                story,
                &QuestionInput {
                    text: Some("Gillade du kaffet?".into()),
                    asked_by: Some(teller),
                    answer: None,
                },
            )
            .unwrap();
        assert_eq!(q.form, QuestionForm::Closed);
        assert_eq!(q.suggestion.as_deref(), Some("Hur upplevde du kaffet?"));
        let q = p
            .add_question(
                story,
                &QuestionInput {
                    text: Some("Hur valde du frisör?".into()),
                    asked_by: None,
                    answer: Some("Grannen tipsade".into()),
                },
            )
            .unwrap();
        assert_eq!((q.form, q.suggestion.clone()), (QuestionForm::Open, None));
    }
}
