//! "Start the next round": the fifth step can become a bridge back to the first.
//! A new project round starts with the same people and protocols, and step 1
//! carries the previous round's focus and strategy reflections as its context.

use super::ids::{GroupId, MemberId, ProjectId, TemplateId};
use super::observation::ProtocolTemplate;
use super::project::{Group, Member, Project};
use crate::invalid::{Invalid, Reason};
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

/// What a round inherits from the one before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RoundContext {
    pub previous_project: ProjectId,
    pub previous_round: u32,
    pub previous_title: String,
    pub focus: CarriedFocus,
    /// The previous round's strategy reflections, in order.
    pub reflections: Vec<String>,
}

impl Project {
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
            focus: None,
            reflections: Vec::new(),
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
}
