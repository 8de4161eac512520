//! "Start the next round": the fifth step can become a bridge back to the first.
//! A new project round starts with the same people and protocols, and step 1
//! carries the previous round's focus and strategy reflections as its context.

use super::ids::{GroupId, MemberId, ProjectId, TaskId, TemplateId};
use super::implementation::Task;
use super::observation::ProtocolTemplate;
use super::project::{Group, Member, Project};
use crate::invalid::{Checker, Invalid, Reason};
use crate::value::{Action, Phase};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The focus of the previous round, in words that stand without its project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CarriedFocus {
    pub moment_title: String,
    pub phase: Phase,
    pub action: Action,
    pub reason: Option<String>,
    /// Names of the digital functions chosen with it.
    pub functions: Vec<String>,
}

/// A task of the previous round's plan, for this round to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CarriedTask {
    pub task: Task,
    /// Whether it was done, once the team has checked; `None` until then.
    pub done: Option<bool>,
}

/// A check of a carried task.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskCheckInput {
    pub task_id: Option<TaskId>,
    pub done: Option<bool>,
}

/// What a round inherits from the one before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RoundContext {
    pub previous_project: ProjectId,
    pub previous_round: u32,
    pub previous_title: String,
    pub focus: CarriedFocus,
    /// The previous round's strategy reflections, in order.
    pub reflections: Vec<String>,
    /// The previous round's plan, to be checked task by task. Absent before plans.
    #[serde(default)]
    pub tasks: Vec<CarriedTask>,
}

impl Project {
    /// Records whether a task of the previous round's plan was done.
    pub fn check_task(&mut self, input: &TaskCheckInput) -> Result<(), Invalid> {
        let mut c = Checker::new();
        let id = c.required("task_id", input.task_id);
        let done = c.required("done", input.done);
        c.finish()?;
        let (Some(id), Some(done)) = (id, done) else {
            return Err(Invalid::one("task_id", Reason::Required));
        };
        let task = self
            .carried_over
            .iter_mut()
            .flat_map(|c| c.tasks.iter_mut())
            .find(|t| t.task.id == id)
            .ok_or_else(|| {
                Invalid::one(
                    "task_id",
                    Reason::NotInProject {
                        what: "task".into(),
                    },
                )
            })?;
        task.done = Some(done);
        Ok(())
    }

    /// A new round of this workshop: same provider, title, members, groups and
    /// protocol templates (with fresh ids), empty steps, and the focus and
    /// reflections of this round as context for step 1. Needs a chosen focus.
    pub fn next_round(&self, now: DateTime<Utc>) -> Result<Project, Invalid> {
        let focus = self
            .focus
            .as_ref()
            .ok_or_else(|| Invalid::one("focus", Reason::FocusFirst))?;
        let moment = self.moment(focus.moment_id).ok_or_else(|| {
            Invalid::one(
                "focus.moment_id",
                Reason::NotInProject {
                    what: "moment".into(),
                },
            )
        })?;
        let context = RoundContext {
            previous_project: self.id,
            previous_round: self.round,
            previous_title: self.title.clone(),
            focus: CarriedFocus {
                moment_title: moment.title.clone(),
                phase: moment.phase,
                action: focus.action,
                reason: focus.reason.clone(),
                functions: focus
                    .functions
                    .iter()
                    .filter_map(|f| self.function(*f))
                    .map(|f| f.name.clone())
                    .collect(),
            },
            reflections: self.reflections.iter().map(|r| r.text.clone()).collect(),
            tasks: self
                .implementation
                .iter()
                .flat_map(|i| &i.tasks)
                .map(|t| CarriedTask {
                    task: t.clone(),
                    done: None,
                })
                .collect(),
        };
        let ids: Vec<(MemberId, MemberId)> = self
            .members
            .iter()
            .map(|m| (m.id, MemberId::new()))
            .collect();
        let renamed = |old: MemberId| ids.iter().find(|(o, _)| *o == old).map(|(_, n)| *n);
        let members = self
            .members
            .iter()
            .zip(&ids)
            .map(|(m, (_, id))| Member {
                id: *id,
                ..m.clone()
            })
            .collect();
        let groups = self
            .groups
            .iter()
            .map(|g| Group {
                id: GroupId::new(),
                name: g.name.clone(),
                members: g.members.iter().filter_map(|m| renamed(*m)).collect(),
            })
            .collect();
        let templates = self
            .templates
            .iter()
            .map(|t| ProtocolTemplate {
                id: TemplateId::new(),
                ..t.clone()
            })
            .collect();
        Ok(Project {
            id: ProjectId::new(),
            provider_id: self.provider_id,
            title: self.title.clone(),
            description: self.description.clone(),
            round: self.round + 1,
            created_at: now,
            carried_over: Some(context),
            members,
            groups,
            stories: Vec::new(),
            templates,
            observation_rounds: Vec::new(),
            observations: Vec::new(),
            functions: Vec::new(),
            moments: Vec::new(),
            protocol_entries: Vec::new(),
            focus: None,
            reflections: Vec::new(),
            implementation: None,
            // Images belong to the observations and functions, which stay behind.
            attachments: Vec::new(),
            // Quotes and presentation questions stay with the round that gathered them.
            quotes: Vec::new(),
            presentation_questions: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::evidence::EvidenceRef;
    use crate::research::fixture;
    use crate::research::progress::{Step, StepState};

    #[test]
    fn the_next_round_carries_focus_and_reflections_into_step_one() {
        let p = fixture::full_project();
        let next = p.next_round(fixture::now()).unwrap();
        assert_eq!(next.round, 2);
        assert_eq!(next.provider_id, p.provider_id);
        let ctx = next.carried_over.as_ref().unwrap();
        assert_eq!(ctx.previous_project, p.id);
        assert_eq!(ctx.focus.moment_title, "Vill handla när butiken är stängd");
        assert_eq!(ctx.focus.action, Action::Autonomise);
        assert_eq!(ctx.focus.functions, ["Boka och hämta dygnet runt"]);
        assert_eq!(ctx.reflections.len(), p.reflections.len());
        assert!(next.has_evidence(EvidenceRef::PreviousRound(p.id)));
        // Same people and groups, fresh ids, nothing of the old steps.
        assert_eq!(next.members.len(), p.members.len());
        assert!(next.members.iter().all(|m| p.member(m.id).is_none()));
        assert_eq!(next.groups[0].members.len(), p.groups[0].members.len());
        assert!(
            next.groups[0]
                .members
                .iter()
                .all(|m| next.member(*m).is_some())
        );
        assert!(next.stories.is_empty() && next.moments.is_empty() && next.focus.is_none());
        assert!(next.check().is_ok(), "{:?}", next.check());
        let progress = next.progress(fixture::today());
        assert_eq!(
            progress.step(Step::Stories).unwrap().state,
            StepState::NotStarted
        );
    }

    #[test]
    fn no_next_round_without_a_focus() {
        let mut p = fixture::full_project();
        p.focus = None;
        assert_eq!(
            p.next_round(fixture::now()).unwrap_err().0[0].field,
            "focus"
        );
    }

    /// Step 5 leads somewhere: the next round checks the plan task by task, and its
    /// strategy says what was done.
    #[test]
    fn the_next_round_checks_the_plan() {
        let done = fixture::full_project();
        let mut next = done.next_round(Utc::now()).unwrap();
        let tasks = &next.carried_over.as_ref().unwrap().tasks;
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].done, None);
        let id = tasks[0].task.id;
        let md = crate::research::to_markdown(&next.strategy(), crate::lang::Lang::Sv);
        assert!(md.contains("(inte avstämt ännu)"), "{md}");

        let check = |task_id, done| TaskCheckInput {
            task_id: Some(task_id),
            done: Some(done),
        };
        next.check_task(&check(id, true)).unwrap();
        assert_eq!(
            next.carried_over.as_ref().unwrap().tasks[0].done,
            Some(true)
        );
        let md = crate::research::to_markdown(&next.strategy(), crate::lang::Lang::Sv);
        assert!(
            md.contains("Lena: Fråga centrumföreningen om ett skåp vid entrén. (gjort)"),
            "{md}"
        );
        let e = next.check_task(&check(TaskId::new(), false)).unwrap_err();
        assert_eq!(e.0[0].field, "task_id");
        let e = next.check_task(&TaskCheckInput::default()).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["task_id", "done"]);
    }
}
