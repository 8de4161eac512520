//! All of a project's evidence as one table: a row per story, story moment,
//! follow-up question, value statement, survey quote, observation, digital function,
//! moment, stance and reflection, in the order of the steps, with what cites it. The
//! server writes it as CSV; here it is plain data.

use super::evidence::EvidenceRef;
use super::progress::Step;
use super::project::Project;
use crate::lang::Lang;
use crate::value::{Phase, ValueLandscape};
use std::collections::HashMap;

/// One piece of evidence as a row of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceRow {
    /// The step it was gathered in (stories 1 … reflections 5).
    pub step: Step,
    /// Kind and id; `reference.kind()` is the snake_case kind, `reference.key()` the token.
    pub reference: EvidenceRef,
    /// The kind in words, in the language asked for.
    pub kind_label: &'static str,
    /// Where on the journey it sits: one phase, all of a function's phases, or none
    /// (stories, questions, reflections, observations not yet on the board).
    pub phases: Vec<Phase>,
    /// `positive`/`negative` for story moments and placed observations,
    /// `like`/`dislike` for stances; None for the rest.
    pub valence: Option<&'static str>,
    /// Its place on the value landscape: story moments, placed observations and
    /// moments as set; a function's motivations and digital aspect; else empty.
    pub landscape: ValueLandscape,
    /// A short summary in the project's own words (as the strategy's appendix has it).
    pub summary: String,
    /// What rests on it, in the table's order: moments and reflections naming it as
    /// evidence, and the subject (first reference) of every strategy claim citing it.
    pub cited_by: Vec<EvidenceRef>,
}

impl Project {
    /// Every piece of evidence the project holds, in the order of the steps; each
    /// story is followed by its moments, questions and value statements, the stories
    /// by the quotes from surveys, each moment by its stances.
    pub fn evidence_refs(&self) -> Vec<(Step, EvidenceRef)> {
        let mut out = Vec::new();
        for s in &self.stories {
            out.push((Step::Stories, EvidenceRef::Story(s.id)));
            out.extend(
                s.moments
                    .iter()
                    .map(|m| (Step::Stories, EvidenceRef::StoryMoment(m.id))),
            );
            out.extend(
                s.questions
                    .iter()
                    .map(|q| (Step::Stories, EvidenceRef::Question(q.id))),
            );
            out.extend(
                s.value_statements
                    .iter()
                    .map(|v| (Step::Stories, EvidenceRef::ValueStatement(v.id))),
            );
        }
        out.extend(
            self.quotes
                .iter()
                .map(|q| (Step::Stories, EvidenceRef::Quote(q.id))),
        );
        out.extend(
            self.observations
                .iter()
                .map(|o| (Step::Observation, EvidenceRef::Observation(o.id))),
        );
        out.extend(
            self.functions
                .iter()
                .map(|f| (Step::DigitalScan, EvidenceRef::Function(f.id))),
        );
        for m in &self.moments {
            out.push((Step::Protocols, EvidenceRef::Moment(m.id)));
            out.extend(
                m.stances
                    .iter()
                    .map(|s| (Step::Protocols, EvidenceRef::Stance(s.id))),
            );
        }
        out.extend(
            self.reflections
                .iter()
                .map(|r| (Step::Strategy, EvidenceRef::Reflection(r.id))),
        );
        out
    }

    /// Who cites whom: for each cited reference, the references citing it, without
    /// repeats and never itself.
    fn citations(&self) -> HashMap<EvidenceRef, Vec<EvidenceRef>> {
        let mut by: HashMap<EvidenceRef, Vec<EvidenceRef>> = HashMap::new();
        let mut cite = |cited: EvidenceRef, citing: EvidenceRef| {
            if cited != citing {
                let list = by.entry(cited).or_default();
                if !list.contains(&citing) {
                    list.push(citing);
                }
            }
        };
        for m in &self.moments {
            for r in &m.evidence {
                cite(*r, EvidenceRef::Moment(m.id));
            }
        }
        for r in &self.reflections {
            for e in &r.evidence {
                cite(*e, EvidenceRef::Reflection(r.id));
            }
        }
        let doc = self.strategy();
        for claim in doc.sections.iter().flat_map(|s| &s.claims) {
            if let Some((subject, rest)) = claim.evidence.split_first() {
                for r in rest {
                    cite(*r, *subject);
                }
            }
        }
        by
    }

    /// Valence or stance, and value landscape, of one piece of evidence.
    fn leaning_and_landscape(&self, r: EvidenceRef) -> (Option<&'static str>, ValueLandscape) {
        match r {
            EvidenceRef::StoryMoment(id) => self
                .story_moment(id)
                .map(|(_, m)| (Some(m.valence.as_str()), m.landscape.clone()))
                .unwrap_or_default(),
            EvidenceRef::Observation(id) => self
                .observation(id)
                .and_then(|o| o.placement.as_ref())
                .map(|p| (Some(p.valence.as_str()), p.landscape.clone()))
                .unwrap_or_default(),
            EvidenceRef::Function(id) => self
                .function(id)
                .map(|f| {
                    let landscape = ValueLandscape {
                        settings: Vec::new(),
                        motivations: f.motivations.clone(),
                        digital: f.aspect.into_iter().collect(),
                    };
                    (None, landscape)
                })
                .unwrap_or_default(),
            EvidenceRef::Moment(id) => self
                .moment(id)
                .map(|m| (None, m.landscape.clone()))
                .unwrap_or_default(),
            EvidenceRef::Stance(id) => self
                .stance(id)
                .map(|(_, s)| (Some(s.stance.as_str()), ValueLandscape::default()))
                .unwrap_or_default(),
            EvidenceRef::Quote(id) => self.quote(id).map(|q| q.leaning()).unwrap_or_default(),
            EvidenceRef::Story(_)
            | EvidenceRef::Question(_)
            | EvidenceRef::ValueStatement(_)
            | EvidenceRef::Reflection(_)
            | EvidenceRef::PreviousRound(_) => (None, ValueLandscape::default()),
        }
    }

    /// The evidence table: one row per piece of evidence, in the order of
    /// [`Project::evidence_refs`], kind labels in `lang`.
    pub fn evidence_table(&self, lang: Lang) -> Vec<EvidenceRow> {
        let refs = self.evidence_refs();
        let position: HashMap<EvidenceRef, usize> =
            refs.iter().enumerate().map(|(i, (_, r))| (*r, i)).collect();
        let mut citations = self.citations();
        refs.into_iter()
            .map(|(step, reference)| {
                let (phase, summary) = self
                    .resolve(reference)
                    .map(|item| (item.phase, item.summary))
                    .unwrap_or_default();
                let phases = match reference {
                    EvidenceRef::Function(id) => self
                        .function(id)
                        .map(|f| f.phases.clone())
                        .unwrap_or_default(),
                    _ => phase.into_iter().collect(),
                };
                let (valence, landscape) = self.leaning_and_landscape(reference);
                let mut cited_by = citations.remove(&reference).unwrap_or_default();
                cited_by.sort_by_key(|r| position.get(r).copied().unwrap_or(usize::MAX));
                EvidenceRow {
                    step,
                    reference,
                    kind_label: reference.kind_label(lang),
                    phases,
                    valence,
                    landscape,
                    summary,
                    cited_by,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::fixture;
    use crate::research::observation::PlacementInput;
    use crate::value::{DigitalAspect, Motivation, Setting, ValueLandscapeInput};

    fn row(table: &[EvidenceRow], r: EvidenceRef) -> &EvidenceRow {
        table
            .iter()
            .find(|row| row.reference == r)
            .unwrap_or_else(|| panic!("no row for {r:?}"))
    }

    #[test]
    fn every_piece_of_evidence_has_one_row_in_the_order_of_the_steps() {
        let p = fixture::full_project();
        let table = p.evidence_table(Lang::En);
        let stories = p.stories.len()
            + p.stories
                .iter()
                .map(|s| s.moments.len() + s.questions.len() + s.value_statements.len())
                .sum::<usize>();
        let moments = p.moments.len() + p.moments.iter().map(|m| m.stances.len()).sum::<usize>();
        let expected =
            stories + p.observations.len() + p.functions.len() + moments + p.reflections.len();
        assert_eq!(table.len(), expected);
        // 2 stories with 5 moments, 1 question and 2 value statements; 2
        // observations; 3 functions; 4 moments with 9 stances; 1 reflection.
        assert_eq!(expected, 10 + 2 + 3 + 13 + 1);

        let mut seen = std::collections::HashSet::new();
        for r in &table {
            assert!(seen.insert(r.reference), "{:?} twice", r.reference);
            assert!(p.has_evidence(r.reference));
            assert!(!r.summary.is_empty(), "{:?}", r.reference);
            assert!(!r.cited_by.contains(&r.reference));
        }
        let steps: Vec<u8> = table.iter().map(|r| r.step.number()).collect();
        assert!(steps.is_sorted(), "{steps:?}");
        assert_eq!(steps.first(), Some(&1));
        assert_eq!(steps.last(), Some(&5));
        // Everything gathered in steps 1–3 is in the table.
        for r in p.gathered_evidence() {
            assert!(seen.contains(&r), "{r:?}");
        }
        assert_eq!(table[0].reference, EvidenceRef::Story(p.stories[0].id));
        assert_eq!(
            table[1].reference,
            EvidenceRef::StoryMoment(p.stories[0].moments[0].id)
        );
    }

    #[test]
    fn rows_carry_phase_valence_landscape_and_what_cites_them() {
        let p = fixture::full_project();
        let table = p.evidence_table(Lang::Sv);

        let closed_door = EvidenceRef::StoryMoment(p.stories[1].moments[0].id);
        let outside_hours = EvidenceRef::Moment(p.moments[0].id);
        let reflection = EvidenceRef::Reflection(p.reflections[0].id);
        let r = row(&table, closed_door);
        assert_eq!(r.step, Step::Stories);
        assert_eq!(r.kind_label, "Moment i berättelse");
        assert_eq!(r.phases, [Phase::Before]);
        assert_eq!(r.valence, Some("negative"));
        assert_eq!(
            r.summary,
            "Kom till butiken efter jobbet, den hade just stängt"
        );
        assert_eq!(r.cited_by, [outside_hours, reflection]);

        // A story is cited by the claims about its moments.
        let jacket = row(&table, EvidenceRef::Story(p.stories[1].id));
        assert_eq!(jacket.phases, []);
        assert_eq!(jacket.valence, None);
        assert_eq!(jacket.summary, "Vinterjacka");
        assert_eq!(
            jacket.cited_by,
            p.stories[1]
                .moments
                .iter()
                .map(|m| EvidenceRef::StoryMoment(m.id))
                .collect::<Vec<_>>()
        );

        // The question, answered; nothing cites it.
        let q = row(&table, EvidenceRef::Question(p.stories[0].questions[0].id));
        assert_eq!(
            q.summary,
            "Hur kändes det att boka så sent? — Skönt, jag slapp ringa på dagen"
        );
        assert!(q.cited_by.is_empty());

        // A function: all its phases, its motivations and aspect, the moment
        // whose remedy and focus name it.
        let around_the_clock = row(&table, EvidenceRef::Function(p.functions[0].id));
        assert_eq!(around_the_clock.step, Step::DigitalScan);
        assert_eq!(around_the_clock.phases, [Phase::Before, Phase::During]);
        assert_eq!(
            around_the_clock.landscape.motivations,
            [Motivation::GoalFulfilment]
        );
        assert_eq!(around_the_clock.landscape.digital, [DigitalAspect::Useful]);
        assert_eq!(around_the_clock.cited_by, [outside_hours]);

        // A stance: like or dislike, the phase of its moment, cited by the moment.
        let first = &p.moments[0].stances[0];
        let stance = row(&table, EvidenceRef::Stance(first.id));
        assert_eq!(stance.step, Step::Protocols);
        assert_eq!(stance.valence, Some("dislike"));
        assert_eq!(stance.phases, [Phase::Before]);
        assert_eq!(stance.cited_by, [outside_hours]);

        // The moment: cited by the reflection.
        let moment = row(&table, outside_hours);
        assert_eq!(moment.cited_by, [reflection]);
        assert_eq!(moment.valence, None);

        // Observations placed on the board carry phase and valence.
        let queue = row(&table, EvidenceRef::Observation(p.observations[0].id));
        assert_eq!(
            (queue.phases.as_slice(), queue.valence),
            (&[Phase::During][..], Some("negative"))
        );
        assert_eq!(queue.cited_by, [EvidenceRef::Moment(p.moments[1].id)]);

        let last = table.last().unwrap();
        assert_eq!((last.reference, last.step), (reflection, Step::Strategy));
        assert!(last.cited_by.is_empty());
    }

    #[test]
    fn landscape_placements_show_and_labels_follow_the_language() {
        let mut p = fixture::full_project();
        let id = p.observations[1].id;
        p.place_observation(
            id,
            &PlacementInput {
                phase: Some("before".into()),
                valence: Some("positive".into()),
                landscape: Some(ValueLandscapeInput {
                    settings: Some(vec!["physical_place".into()]),
                    motivations: Some(vec!["goal_fulfilment".into()]),
                    digital: Some(vec!["useful".into(), "intrusive".into()]),
                }),
            },
        )
        .unwrap();
        let table = p.evidence_table(Lang::En);
        let phone = row(&table, EvidenceRef::Observation(id));
        assert_eq!(phone.kind_label, "Observation");
        assert_eq!(phone.valence, Some("positive"));
        assert_eq!(phone.landscape.settings, [Setting::PhysicalPlace]);
        assert_eq!(
            phone.landscape.digital,
            [DigitalAspect::Useful, DigitalAspect::Intrusive]
        );
        let story = row(&table, EvidenceRef::Story(p.stories[0].id));
        assert_eq!(story.kind_label, "Story");
        assert!(story.landscape.is_empty());

        assert!(fixture::empty_project().evidence_table(Lang::Sv).is_empty());
    }
}
