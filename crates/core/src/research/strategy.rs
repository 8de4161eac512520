//! Step 5, the digitalisation strategy as a document model compiled from steps 1–4:
//! sections of claims, each claim a structured statement (so it can be said in
//! Swedish or English) with references to the evidence it rests on, and an evidence
//! appendix that labels every reference once (E1, E2, …).
//!
//! Architecture invariant: a claim is only ever built from something the project
//! holds, and always cites it, so every sentence of the strategy can be traced back
//! to a story, an observation, a function or a protocol.

use super::evidence::{EvidenceItem, EvidenceRef};
use super::ids::ProjectId;
use super::implementation::{Partnership, Route};
use super::matrix::{Quadrant, Unclassified, classify};
use super::project::Project;
use super::protocol::{Moment, Perspective, StanceSource};
use super::story::Valence;
use crate::value::{Action, Motivation, Phase};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

labelled_vocabulary!(
    /// The sections of a strategy document, in order.
    SectionKind {
        Context => "context", "Sammanhang från förra omgången", "Context from the previous round";
        Experiences => "experiences", "Kundupplevelser", "Customer experiences";
        Values => "values", "Värdeutsagor", "Value statements";
        Observations => "observations", "Observationer på kundresan", "Observations on the journey";
        Functions => "functions", "Digitala funktioner", "Digital functions";
        Matrix => "matrix", "Fyrfältsmodellen", "The four-field model";
        Focus => "focus", "Valt fokus och åtgärd", "Chosen focus and action";
        Implementation => "implementation", "Genomförande", "Implementation";
        Reflections => "reflections", "Teamets reflektioner", "Team reflections";
    }
);

/// What a claim says, as data; the renderers put it into words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Statement {
    /// The previous round's focus.
    CarriedFocus {
        moment: String,
        phase: Phase,
        action: Action,
        reason: Option<String>,
    },
    /// One of the previous round's reflections.
    CarriedReflection { text: String },
    /// A task of the previous round's plan, and whether it was done.
    CarriedTask {
        who: String,
        what: String,
        when: NaiveDate,
        done: Option<bool>,
    },
    /// A moment of a story.
    Experience {
        purchase: String,
        phase: Phase,
        valence: Valence,
        text: String,
    },
    /// A value statement.
    Value { phase: Phase, text: String },
    /// An observation as placed on the journey board.
    Observed {
        phase: Phase,
        valence: Valence,
        text: String,
    },
    /// A function from the digital scan.
    Function {
        name: String,
        what: String,
        phases: Vec<Phase>,
        motivations: Vec<Motivation>,
        needs_care: bool,
    },
    /// A moment with its place in the four-field model.
    Classified {
        moment: String,
        phase: Phase,
        quadrant: Quadrant,
    },
    /// A moment without a place yet, and why.
    Unclassified {
        moment: String,
        phase: Phase,
        reason: Unclassified,
    },
    /// A dislike and the functions that could turn it into a like.
    Remedy {
        moment: String,
        perspective: Perspective,
        reason: Option<String>,
        /// Where the dislike came from, when the protocol said.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source: Option<StanceSource>,
        functions: Vec<String>,
    },
    /// The chosen focus and action.
    Focus {
        moment: String,
        phase: Phase,
        action: Action,
        suggested: Option<Action>,
        reason: Option<String>,
        functions: Vec<String>,
    },
    /// How the focus is carried out: join or build, alone or together.
    Implementation {
        route: Route,
        partnership: Partnership,
        note: Option<String>,
    },
    /// A task of the plan.
    Task {
        who: String,
        what: String,
        when: NaiveDate,
    },
    /// A team reflection.
    Reflection { text: String },
}

/// A statement and the evidence it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Claim {
    pub statement: Statement,
    pub evidence: Vec<EvidenceRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
// Named apart from the survey's `Section`, so the OpenAPI document keeps both.
#[schema(as = StrategySection)]
pub struct Section {
    pub kind: SectionKind,
    pub claims: Vec<Claim>,
}

/// One line of the evidence appendix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EvidenceEntry {
    /// `E1`, `E2`, … in order of first citation.
    pub label: String,
    pub item: EvidenceItem,
}

/// The strategy document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StrategyDocument {
    pub project_id: ProjectId,
    pub title: String,
    pub round: u32,
    pub sections: Vec<Section>,
    pub evidence: Vec<EvidenceEntry>,
}

impl StrategyDocument {
    /// The appendix label of a reference.
    pub fn label(&self, r: EvidenceRef) -> Option<&str> {
        self.evidence
            .iter()
            .find(|e| e.item.reference == r)
            .map(|e| e.label.as_str())
    }

    pub fn section(&self, kind: SectionKind) -> Option<&Section> {
        self.sections.iter().find(|s| s.kind == kind)
    }

    /// Every reference cited anywhere in the document, in order, without repeats.
    pub fn cited(&self) -> Vec<EvidenceRef> {
        let mut out: Vec<EvidenceRef> = Vec::new();
        for r in self
            .sections
            .iter()
            .flat_map(|s| &s.claims)
            .flat_map(|c| &c.evidence)
        {
            if !out.contains(r) {
                out.push(*r);
            }
        }
        out
    }
}

fn claim(statement: Statement, evidence: Vec<EvidenceRef>) -> Claim {
    Claim {
        statement,
        evidence,
    }
}

fn moment_refs(m: &Moment) -> Vec<EvidenceRef> {
    std::iter::once(EvidenceRef::Moment(m.id))
        .chain(m.stances.iter().map(|s| EvidenceRef::Stance(s.id)))
        .collect()
}

impl Project {
    fn context_claims(&self) -> Option<Vec<Claim>> {
        let ctx = self.carried_over.as_ref()?;
        let from = vec![EvidenceRef::PreviousRound(ctx.previous_project)];
        let mut claims = vec![claim(
            Statement::CarriedFocus {
                moment: ctx.focus.moment_title.clone(),
                phase: ctx.focus.phase,
                action: ctx.focus.action,
                reason: ctx.focus.reason.clone(),
            },
            from.clone(),
        )];
        claims.extend(ctx.reflections.iter().map(|text| {
            claim(
                Statement::CarriedReflection { text: text.clone() },
                from.clone(),
            )
        }));
        claims.extend(ctx.tasks.iter().map(|t| {
            claim(
                Statement::CarriedTask {
                    who: t.task.who.clone(),
                    what: t.task.what.clone(),
                    when: t.task.when,
                    done: t.done,
                },
                from.clone(),
            )
        }));
        Some(claims)
    }

    fn experience_claims(&self) -> (Vec<Claim>, Vec<Claim>) {
        let mut experiences = Vec::new();
        let mut values = Vec::new();
        for s in &self.stories {
            for m in &s.moments {
                experiences.push(claim(
                    Statement::Experience {
                        purchase: s.purchase.clone(),
                        phase: m.phase,
                        valence: m.valence,
                        text: m.text.clone(),
                    },
                    vec![EvidenceRef::StoryMoment(m.id), EvidenceRef::Story(s.id)],
                ));
            }
            for v in &s.value_statements {
                values.push((
                    v.phase,
                    claim(
                        Statement::Value {
                            phase: v.phase,
                            text: v.text.clone(),
                        },
                        vec![
                            EvidenceRef::ValueStatement(v.id),
                            EvidenceRef::StoryMoment(v.moment_id),
                        ],
                    ),
                ));
            }
        }
        values.sort_by_key(|(phase, _)| *phase);
        (experiences, values.into_iter().map(|(_, c)| c).collect())
    }

    fn observation_claims(&self) -> Vec<Claim> {
        let mut placed: Vec<_> = self
            .observations
            .iter()
            .filter_map(|o| o.placement.as_ref().map(|p| (p, o)))
            .collect();
        placed.sort_by_key(|(p, _)| p.phase);
        placed
            .into_iter()
            .map(|(p, o)| {
                claim(
                    Statement::Observed {
                        phase: p.phase,
                        valence: p.valence,
                        text: o.summary().to_string(),
                    },
                    vec![EvidenceRef::Observation(o.id)],
                )
            })
            .collect()
    }

    fn function_claims(&self) -> Vec<Claim> {
        self.functions
            .iter()
            .map(|f| {
                claim(
                    Statement::Function {
                        name: f.name.clone(),
                        what: f.what.clone(),
                        phases: f.phases.clone(),
                        motivations: f.motivations.clone(),
                        needs_care: f.needs_care(),
                    },
                    vec![EvidenceRef::Function(f.id)],
                )
            })
            .collect()
    }

    fn matrix_claims(&self) -> Vec<Claim> {
        let mut classified = Vec::new();
        let mut unclassified = Vec::new();
        let mut remedies = Vec::new();
        for m in &self.moments {
            match classify(m) {
                Ok(quadrant) => classified.push((
                    (quadrant.action, m.phase),
                    claim(
                        Statement::Classified {
                            moment: m.title.clone(),
                            phase: m.phase,
                            quadrant,
                        },
                        moment_refs(m),
                    ),
                )),
                Err(reason) => unclassified.push(claim(
                    Statement::Unclassified {
                        moment: m.title.clone(),
                        phase: m.phase,
                        reason,
                    },
                    moment_refs(m),
                )),
            }
            for s in m.remedied_dislikes() {
                let functions = self.functions_of(s);
                let mut evidence = vec![EvidenceRef::Moment(m.id), EvidenceRef::Stance(s.id)];
                evidence.extend(functions.iter().map(|f| EvidenceRef::Function(f.id)));
                remedies.push(claim(
                    Statement::Remedy {
                        moment: m.title.clone(),
                        perspective: s.perspective,
                        reason: s.reason.clone(),
                        source: s.source,
                        functions: functions.iter().map(|f| f.name.clone()).collect(),
                    },
                    evidence,
                ));
            }
        }
        classified.sort_by_key(|(key, _)| *key);
        classified
            .into_iter()
            .map(|(_, c)| c)
            .chain(unclassified)
            .chain(remedies)
            .collect()
    }

    fn focus_claims(&self) -> Vec<Claim> {
        let Some(f) = &self.focus else {
            return Vec::new();
        };
        let Some(m) = self.moment(f.moment_id) else {
            return Vec::new();
        };
        let functions: Vec<_> = f
            .functions
            .iter()
            .filter_map(|id| self.function(*id))
            .collect();
        let mut evidence = moment_refs(m);
        evidence.extend(functions.iter().map(|f| EvidenceRef::Function(f.id)));
        vec![claim(
            Statement::Focus {
                moment: m.title.clone(),
                phase: m.phase,
                action: f.action,
                suggested: f.suggested,
                reason: f.reason.clone(),
                functions: functions.iter().map(|f| f.name.clone()).collect(),
            },
            evidence,
        )]
    }

    /// The plan rests on the focus it carries out.
    fn implementation_claims(&self) -> Vec<Claim> {
        let (Some(plan), Some(m)) = (
            &self.implementation,
            self.focus.as_ref().and_then(|f| self.moment(f.moment_id)),
        ) else {
            return Vec::new();
        };
        let evidence = vec![EvidenceRef::Moment(m.id)];
        let mut claims = vec![claim(
            Statement::Implementation {
                route: plan.route,
                partnership: plan.partnership,
                note: plan.note.clone(),
            },
            evidence.clone(),
        )];
        let mut tasks: Vec<_> = plan.tasks.iter().collect();
        tasks.sort_by_key(|t| t.when);
        claims.extend(tasks.into_iter().map(|t| {
            claim(
                Statement::Task {
                    who: t.who.clone(),
                    what: t.what.clone(),
                    when: t.when,
                },
                evidence.clone(),
            )
        }));
        claims
    }

    fn reflection_claims(&self) -> Vec<Claim> {
        self.reflections
            .iter()
            .map(|r| {
                let mut evidence = vec![EvidenceRef::Reflection(r.id)];
                evidence.extend(r.evidence.iter().copied());
                claim(
                    Statement::Reflection {
                        text: r.text.clone(),
                    },
                    evidence,
                )
            })
            .collect()
    }

    /// Compiles the strategy document from everything the project holds.
    pub fn strategy(&self) -> StrategyDocument {
        let mut sections = Vec::new();
        if let Some(claims) = self.context_claims() {
            sections.push(Section {
                kind: SectionKind::Context,
                claims,
            });
        }
        let (experiences, values) = self.experience_claims();
        for (kind, claims) in [
            (SectionKind::Experiences, experiences),
            (SectionKind::Values, values),
            (SectionKind::Observations, self.observation_claims()),
            (SectionKind::Functions, self.function_claims()),
            (SectionKind::Matrix, self.matrix_claims()),
            (SectionKind::Focus, self.focus_claims()),
            (SectionKind::Implementation, self.implementation_claims()),
            (SectionKind::Reflections, self.reflection_claims()),
        ] {
            sections.push(Section { kind, claims });
        }
        let mut doc = StrategyDocument {
            project_id: self.id,
            title: self.title.clone(),
            round: self.round,
            sections,
            evidence: Vec::new(),
        };
        doc.evidence = doc
            .cited()
            .into_iter()
            .enumerate()
            .map(|(i, r)| EvidenceEntry {
                label: format!("E{}", i + 1),
                item: self.resolve(r).unwrap_or(EvidenceItem {
                    reference: r,
                    phase: None,
                    summary: String::new(),
                    source: None,
                }),
            })
            .collect();
        doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::fixture;

    #[test]
    fn every_claim_cites_evidence_that_resolves() {
        let p = fixture::full_project();
        let doc = p.strategy();
        for s in &doc.sections {
            if s.kind != SectionKind::Context {
                assert!(!s.claims.is_empty(), "{:?} is empty", s.kind);
            }
            for c in &s.claims {
                assert!(!c.evidence.is_empty(), "{:?}", c.statement);
                for r in &c.evidence {
                    assert!(p.has_evidence(*r), "{r:?}");
                    assert!(doc.label(*r).is_some());
                }
            }
        }
        assert_eq!(doc.evidence.len(), doc.cited().len());
        assert_eq!(doc.evidence[0].label, "E1");
        assert!(doc.section(SectionKind::Context).is_none());
    }

    #[test]
    fn the_matrix_section_names_the_remedy_for_opening_hours() {
        let doc = fixture::full_project().strategy();
        let matrix = doc.section(SectionKind::Matrix).unwrap();
        let remedy = matrix
            .claims
            .iter()
            .find_map(|c| match &c.statement {
                Statement::Remedy { functions, .. } => Some(functions.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!(remedy, ["Boka och hämta dygnet runt"]);
        let focus = &doc.section(SectionKind::Focus).unwrap().claims[0];
        assert!(matches!(
            focus.statement,
            Statement::Focus {
                action: Action::Autonomise,
                ..
            }
        ));
    }

    #[test]
    fn a_second_round_opens_with_its_context() {
        let p = fixture::full_project();
        let next = p.next_round(fixture::now()).unwrap();
        let doc = next.strategy();
        let ctx = doc.section(SectionKind::Context).unwrap();
        let tasks = p.implementation.as_ref().map_or(0, |i| i.tasks.len());
        assert_eq!(ctx.claims.len(), 1 + p.reflections.len() + tasks);
        assert_eq!(ctx.claims[0].evidence, [EvidenceRef::PreviousRound(p.id)]);
        assert_eq!(doc.evidence[0].item.summary, p.title);
    }
}
