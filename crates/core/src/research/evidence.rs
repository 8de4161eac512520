//! Evidence (underlag): typed references to anything a project holds, so that every
//! claim in the strategy can say what it rests on, and a reference can be followed
//! back to its source.

use super::ids::{
    FunctionId, MomentId, ObservationId, ProjectId, QuestionId, QuoteId, ReflectionId, StanceId,
    StoryId, StoryMomentId, ValueStatementId,
};
use super::project::Project;
use crate::lang::{Lang, pick};
use crate::value::Phase;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A reference to one piece of evidence: `{"kind": "story", "id": "…"}`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum EvidenceRef {
    Story(StoryId),
    StoryMoment(StoryMomentId),
    Question(QuestionId),
    ValueStatement(ValueStatementId),
    Observation(ObservationId),
    Function(FunctionId),
    Moment(MomentId),
    Stance(StanceId),
    Reflection(ReflectionId),
    /// The previous round of the workshop, whose focus this round carries over.
    PreviousRound(ProjectId),
    /// A coded quote from an open survey answer.
    Quote(QuoteId),
}

impl EvidenceRef {
    pub fn uuid(self) -> Uuid {
        match self {
            EvidenceRef::Story(id) => id.0,
            EvidenceRef::StoryMoment(id) => id.0,
            EvidenceRef::Question(id) => id.0,
            EvidenceRef::ValueStatement(id) => id.0,
            EvidenceRef::Observation(id) => id.0,
            EvidenceRef::Function(id) => id.0,
            EvidenceRef::Moment(id) => id.0,
            EvidenceRef::Stance(id) => id.0,
            EvidenceRef::Reflection(id) => id.0,
            EvidenceRef::PreviousRound(id) => id.0,
            EvidenceRef::Quote(id) => id.0,
        }
    }

    /// The snake_case kind, as serialised.
    pub fn kind(self) -> &'static str {
        match self {
            EvidenceRef::Story(_) => "story",
            EvidenceRef::StoryMoment(_) => "story_moment",
            EvidenceRef::Question(_) => "question",
            EvidenceRef::ValueStatement(_) => "value_statement",
            EvidenceRef::Observation(_) => "observation",
            EvidenceRef::Function(_) => "function",
            EvidenceRef::Moment(_) => "moment",
            EvidenceRef::Stance(_) => "stance",
            EvidenceRef::Reflection(_) => "reflection",
            EvidenceRef::PreviousRound(_) => "previous_round",
            EvidenceRef::Quote(_) => "quote",
        }
    }

    pub fn kind_label(self, lang: Lang) -> &'static str {
        match self {
            EvidenceRef::Story(_) => pick(lang, "Berättelse", "Story"),
            EvidenceRef::StoryMoment(_) => pick(lang, "Moment i berättelse", "Story moment"),
            EvidenceRef::Question(_) => pick(lang, "Uppföljande fråga", "Follow-up question"),
            EvidenceRef::ValueStatement(_) => pick(lang, "Värdeutsaga", "Value statement"),
            EvidenceRef::Observation(_) => pick(lang, "Observation", "Observation"),
            EvidenceRef::Function(_) => pick(lang, "Digital funktion", "Digital function"),
            EvidenceRef::Moment(_) => pick(lang, "Moment", "Moment"),
            EvidenceRef::Stance(_) => pick(lang, "Gillar/ogillar", "Like/dislike"),
            EvidenceRef::Reflection(_) => pick(lang, "Reflektion", "Reflection"),
            EvidenceRef::PreviousRound(_) => pick(lang, "Förra omgången", "Previous round"),
            EvidenceRef::Quote(_) => pick(lang, "Citat", "Quote"),
        }
    }

    /// `story:0190…`: kind and id in one stable token.
    pub fn key(self) -> String {
        format!("{}:{}", self.kind(), self.uuid())
    }

    /// Reads a [`EvidenceRef::key`] back; None when it is not one.
    pub fn from_key(key: &str) -> Option<EvidenceRef> {
        let (kind, id) = key.split_once(':')?;
        serde_json::from_value(serde_json::json!({"kind": kind, "id": id})).ok()
    }
}

/// A resolved reference: where in the journey it sits, a short summary in the
/// project's own words, and the title of what it belongs to, so a reader can find
/// it without its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EvidenceItem {
    pub reference: EvidenceRef,
    pub phase: Option<Phase>,
    pub summary: String,
    /// The story of a story moment, question or value statement; the moment of a
    /// like or dislike.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Project {
    /// Follows a reference to what it names in this project.
    pub fn resolve(&self, r: EvidenceRef) -> Option<EvidenceItem> {
        let mut source = None;
        let (phase, summary) = match r {
            EvidenceRef::Story(id) => (None, self.story(id)?.purchase.clone()),
            EvidenceRef::StoryMoment(id) => {
                let (s, m) = self.story_moment(id)?;
                source = Some(s.purchase.clone());
                (Some(m.phase), m.text.clone())
            }
            EvidenceRef::Question(id) => {
                let (s, q) = self
                    .stories
                    .iter()
                    .find_map(|s| s.questions.iter().find(|q| q.id == id).map(|q| (s, q)))?;
                source = Some(s.purchase.clone());
                let summary = match &q.answer {
                    Some(a) => format!("{} — {a}", q.text),
                    None => q.text.clone(),
                };
                (None, summary)
            }
            EvidenceRef::ValueStatement(id) => {
                let (s, v) = self.value_statement(id)?;
                source = Some(s.purchase.clone());
                (Some(v.phase), v.text.clone())
            }
            EvidenceRef::Observation(id) => {
                let o = self.observation(id)?;
                (
                    o.placement.as_ref().map(|p| p.phase),
                    o.summary().to_string(),
                )
            }
            EvidenceRef::Function(id) => (None, self.function(id)?.name.clone()),
            EvidenceRef::Moment(id) => {
                let m = self.moment(id)?;
                (Some(m.phase), m.title.clone())
            }
            EvidenceRef::Stance(id) => {
                let (m, s) = self.stance(id)?;
                source = Some(m.title.clone());
                (
                    Some(m.phase),
                    s.reason.clone().unwrap_or_else(|| m.title.clone()),
                )
            }
            EvidenceRef::Reflection(id) => (None, self.reflection(id)?.text.clone()),
            EvidenceRef::PreviousRound(id) => {
                let ctx = self
                    .carried_over
                    .as_ref()
                    .filter(|c| c.previous_project == id)?;
                (None, ctx.previous_title.clone())
            }
            EvidenceRef::Quote(id) => {
                let q = self.quote(id)?;
                (q.phase, q.text.clone())
            }
        };
        Some(EvidenceItem {
            reference: r,
            phase,
            summary,
            source,
        })
    }

    pub fn has_evidence(&self, r: EvidenceRef) -> bool {
        self.resolve(r).is_some()
    }

    /// Everything gathered in steps 1–3, in the order of the steps (quotes from
    /// surveys after the stories): what a moment or a reflection can be drawn from.
    pub fn gathered_evidence(&self) -> Vec<EvidenceRef> {
        let stories = self.stories.iter().flat_map(|s| {
            std::iter::once(EvidenceRef::Story(s.id))
                .chain(s.moments.iter().map(|m| EvidenceRef::StoryMoment(m.id)))
                .chain(
                    s.value_statements
                        .iter()
                        .map(|v| EvidenceRef::ValueStatement(v.id)),
                )
        });
        let quotes = self.quotes.iter().map(|q| EvidenceRef::Quote(q.id));
        let observations = self
            .observations
            .iter()
            .map(|o| EvidenceRef::Observation(o.id));
        let functions = self.functions.iter().map(|f| EvidenceRef::Function(f.id));
        stories
            .chain(quotes)
            .chain(observations)
            .chain(functions)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_serialise_with_kind_and_id() {
        let id = StoryId::new();
        let r = EvidenceRef::Story(id);
        let json = serde_json::to_value(r).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "story", "id": id.to_string()})
        );
        assert_eq!(serde_json::from_value::<EvidenceRef>(json).unwrap(), r);
        assert_eq!(r.key(), format!("story:{id}"));
        assert_eq!(EvidenceRef::from_key(&r.key()), Some(r));
        assert_eq!(EvidenceRef::from_key("story"), None);
        assert_eq!(EvidenceRef::from_key(&format!("rumour:{id}")), None);
        assert!(
            serde_json::from_value::<EvidenceRef>(serde_json::json!({"kind": "rumour", "id": id}))
                .is_err()
        );
    }
}
