//! Step 5's raw material: what the team concluded, each reflection pointing at the
//! evidence it rests on.

use super::evidence::EvidenceRef;
use super::ids::{MemberId, ReflectionId};
use super::input::{TEXT_MAX, known_ids, required_text};
use super::project::Project;
use crate::invalid::{Checker, Invalid, Reason};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A team reflection for the strategy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Reflection {
    pub id: ReflectionId,
    pub text: String,
    pub author: Option<MemberId>,
    pub evidence: Vec<EvidenceRef>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReflectionInput {
    pub text: Option<String>,
    pub author: Option<MemberId>,
    /// What it rests on: `[{"kind": "value_statement", "id": "…"}]`.
    pub evidence: Option<Vec<EvidenceRef>>,
}

impl Project {
    pub fn reflection(&self, id: ReflectionId) -> Option<&Reflection> {
        self.reflections.iter().find(|r| r.id == id)
    }

    pub fn add_reflection(&mut self, input: &ReflectionInput) -> Result<ReflectionId, Invalid> {
        let mut c = Checker::new();
        let text = required_text(&mut c, "text", input.text.as_deref(), TEXT_MAX);
        if let Some(a) = input.author
            && self.member(a).is_none()
        {
            c.fail(
                "author",
                Reason::NotInProject {
                    what: "member".into(),
                },
            );
        }
        let evidence = known_ids(
            &mut c,
            "evidence",
            input.evidence.as_deref().unwrap_or_default(),
            |r| self.has_evidence(r),
            "evidence",
        );
        c.finish()?;
        let id = ReflectionId::new();
        self.reflections.push(Reflection {
            id,
            text: text.unwrap_or_default(),
            author: input.author,
            evidence,
        });
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::fixture;
    use crate::research::ids::StoryId;

    #[test]
    fn reflections_rest_on_evidence_that_exists() {
        let mut p = fixture::full_project();
        let story = p.stories[0].id;
        let id = p
            .add_reflection(&ReflectionInput {
                text: Some("Väntan blir värdefull när den känns som omtanke".into()),
                author: None,
                evidence: Some(vec![EvidenceRef::Story(story), EvidenceRef::Story(story)]),
            })
            .unwrap();
        assert_eq!(
            p.reflection(id).unwrap().evidence,
            [EvidenceRef::Story(story)]
        );
        let e = p
            .add_reflection(&ReflectionInput {
                text: Some("x".into()),
                author: None,
                evidence: Some(vec![EvidenceRef::Story(StoryId::new())]),
            })
            .unwrap_err();
        assert_eq!(e.0[0].field, "evidence[0]");
    }
}
