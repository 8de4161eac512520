//! Step 4, the like/dislike protocols: moments of the journey, each collecting what
//! customers and the provider like and dislike about it, with reasons, the evidence
//! the moment came from, and links to digital functions that could turn a dislike
//! into a like (or make a like stronger).

use super::evidence::EvidenceRef;
use super::ids::{FunctionId, MemberId, MomentId, StanceId};
use super::input::{
    NAME_MAX, TEXT_MAX, known_ids, landscape, optional_text, optional_word, required_text,
    required_word,
};
use super::project::Project;
use super::scan::DigitalFunction;
use crate::invalid::{Checker, Invalid, Reason};
use crate::value::{Phase, Stance, ValueLandscape, ValueLandscapeInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

labelled_vocabulary!(
    /// Whose protocol a stance comes from.
    Perspective {
        Customer => "customer", "kund", "customer";
        Provider => "provider", "tjänsteleverantör", "provider";
    }
);

labelled_vocabulary!(
    /// Where a like or dislike comes from, as the team fills in its protocols.
    StanceSource {
        OwnExperience => "own_experience", "egen erfarenhet", "own experience";
        OtherProviders => "other_providers", "andra verksamheter", "other providers";
        Observations => "observations", "fynd från observationerna", "findings from the observations";
        AskedCustomers => "asked_customers", "frågade kunder", "customers asked";
    }
);

impl Perspective {
    pub fn other(self) -> Perspective {
        match self {
            Perspective::Customer => Perspective::Provider,
            Perspective::Provider => Perspective::Customer,
        }
    }
}

/// One like or dislike of a moment, from one perspective.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StanceRecord {
    pub id: StanceId,
    pub perspective: Perspective,
    pub stance: Stance,
    pub reason: Option<String>,
    pub recorded_by: Option<MemberId>,
    /// Where it comes from. Absent in protocols from before sources were kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<StanceSource>,
    /// Functions that could turn this dislike into a like, or strengthen this like.
    pub functions: Vec<FunctionId>,
}

/// A situation in the journey that stances and evidence attach to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Moment {
    pub id: MomentId,
    pub phase: Phase,
    pub title: String,
    pub description: Option<String>,
    /// Stories, observations and other evidence the moment was drawn from.
    pub evidence: Vec<EvidenceRef>,
    pub stances: Vec<StanceRecord>,
    /// Where it sits on the value landscape (lanes of the journey board).
    #[serde(default, skip_serializing_if = "ValueLandscape::is_empty")]
    pub landscape: ValueLandscape,
}

impl Moment {
    pub fn stances_of(&self, perspective: Perspective) -> impl Iterator<Item = &StanceRecord> {
        self.stances
            .iter()
            .filter(move |s| s.perspective == perspective)
    }

    /// Dislikes that have functions linked to them.
    pub fn remedied_dislikes(&self) -> impl Iterator<Item = &StanceRecord> {
        self.stances
            .iter()
            .filter(|s| s.stance == Stance::Dislike && !s.functions.is_empty())
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MomentInput {
    /// `before`, `during` or `after`.
    pub phase: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// Evidence from earlier steps: `[{"kind": "observation", "id": "…"}]`.
    pub evidence: Option<Vec<EvidenceRef>>,
    /// Where it sits on the value landscape; may be given later.
    pub landscape: Option<ValueLandscapeInput>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StanceInput {
    /// `customer` or `provider`.
    pub perspective: Option<String>,
    /// `like` or `dislike`.
    pub stance: Option<String>,
    pub reason: Option<String>,
    pub recorded_by: Option<MemberId>,
    /// `own_experience`, `other_providers`, `observations` or `asked_customers`.
    pub source: Option<String>,
    pub functions: Option<Vec<FunctionId>>,
}

/// A function from the digital scan to link to a stance, found after the stance was
/// recorded (the protocols come first, the scan is matched to them afterwards).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FunctionLinkInput {
    pub function_id: Option<FunctionId>,
}

/// The moment an entry of a member's protocol is merged into.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeInput {
    pub moment_id: Option<MomentId>,
}

/// One member's like/dislike protocol: what they wrote, each entry with the moment
/// it was merged into, or none while it waits.
#[derive(Debug)]
pub struct MemberProtocol<'a> {
    pub member: MemberId,
    pub entries: Vec<(Option<&'a Moment>, &'a StanceRecord)>,
}

impl MemberProtocol<'_> {
    /// The entries of one side's protocol (the customer's or the provider's).
    pub fn side(
        &self,
        perspective: Perspective,
    ) -> impl Iterator<Item = &(Option<&Moment>, &StanceRecord)> {
        self.entries
            .iter()
            .filter(move |(_, s)| s.perspective == perspective)
    }
}

impl Project {
    pub fn moment(&self, id: MomentId) -> Option<&Moment> {
        self.moments.iter().find(|m| m.id == id)
    }

    /// A stance and the moment it belongs to.
    pub fn stance(&self, id: StanceId) -> Option<(&Moment, &StanceRecord)> {
        self.moments
            .iter()
            .find_map(|m| m.stances.iter().find(|s| s.id == id).map(|s| (m, s)))
    }

    /// Puts a moment on the journey, drawn from evidence of earlier steps.
    pub fn add_moment(&mut self, input: &MomentInput) -> Result<MomentId, Invalid> {
        let mut c = Checker::new();
        let phase = required_word(&mut c, "phase", input.phase.as_deref(), Phase::parse);
        let title = required_text(&mut c, "title", input.title.as_deref(), NAME_MAX);
        let description = optional_text(
            &mut c,
            "description",
            input.description.as_deref(),
            TEXT_MAX,
        );
        let evidence = known_ids(
            &mut c,
            "evidence",
            input.evidence.as_deref().unwrap_or_default(),
            |r| self.has_evidence(r),
            "evidence",
        );
        let landscape = landscape(&mut c, input.landscape.as_ref());
        c.finish()?;
        let Some(phase) = phase else {
            return Err(Invalid::one("phase", Reason::Required));
        };
        let id = MomentId::new();
        self.moments.push(Moment {
            id,
            phase,
            title: title.unwrap_or_default(),
            description,
            evidence,
            stances: Vec::new(),
            landscape,
        });
        Ok(id)
    }

    /// Records a like or dislike from a protocol straight onto a moment.
    pub fn record_stance(
        &mut self,
        moment: MomentId,
        input: &StanceInput,
    ) -> Result<StanceId, Invalid> {
        let record = self.checked_stance(input)?;
        let id = record.id;
        let at = self.moment_index(moment)?;
        self.moments[at].stances.push(record);
        Ok(id)
    }

    /// Writes a like or dislike into one member's own protocol, before the team
    /// merges the protocols into moments.
    pub fn write_entry(&mut self, input: &StanceInput) -> Result<StanceId, Invalid> {
        if input.recorded_by.is_none() {
            return Err(Invalid::one("recorded_by", Reason::Required));
        }
        let record = self.checked_stance(input)?;
        let id = record.id;
        self.protocol_entries.push(record);
        Ok(id)
    }

    /// Merges an entry of a member's protocol into a moment of the journey: it keeps
    /// its id, author and source, and from then on counts like any stance there.
    pub fn merge_entry(&mut self, entry: StanceId, input: &MergeInput) -> Result<(), Invalid> {
        let moment = input
            .moment_id
            .ok_or_else(|| Invalid::one("moment_id", Reason::Required))?;
        let to = self.moment_index(moment)?;
        let at = self
            .protocol_entries
            .iter()
            .position(|s| s.id == entry)
            .ok_or_else(|| {
                Invalid::one(
                    "entry_id",
                    Reason::NotInProject {
                        what: "protocol entry".into(),
                    },
                )
            })?;
        let record = self.protocol_entries.remove(at);
        self.moments[to].stances.push(record);
        Ok(())
    }

    /// Each member's protocol as they filled it in: their entries, the merged ones
    /// with the moment they went to. Members who wrote nothing are left out.
    pub fn protocols(&self) -> Vec<MemberProtocol<'_>> {
        let placed = self
            .moments
            .iter()
            .flat_map(|m| m.stances.iter().map(move |s| (Some(m), s)));
        let waiting = self.protocol_entries.iter().map(|s| (None, s));
        let all: Vec<_> = waiting.chain(placed).collect();
        self.members
            .iter()
            .filter_map(|member| {
                let entries: Vec<_> = all
                    .iter()
                    .filter(|(_, s)| s.recorded_by == Some(member.id))
                    .copied()
                    .collect();
                (!entries.is_empty()).then_some(MemberProtocol {
                    member: member.id,
                    entries,
                })
            })
            .collect()
    }

    fn moment_index(&self, moment: MomentId) -> Result<usize, Invalid> {
        self.moments
            .iter()
            .position(|m| m.id == moment)
            .ok_or_else(|| {
                Invalid::one(
                    "moment_id",
                    Reason::NotInProject {
                        what: "moment".into(),
                    },
                )
            })
    }

    /// A like or dislike checked against the project, not yet kept anywhere.
    fn checked_stance(&self, input: &StanceInput) -> Result<StanceRecord, Invalid> {
        let mut c = Checker::new();
        let perspective = required_word(
            &mut c,
            "perspective",
            input.perspective.as_deref(),
            Perspective::parse,
        );
        let stance = required_word(&mut c, "stance", input.stance.as_deref(), Stance::parse);
        let reason = optional_text(&mut c, "reason", input.reason.as_deref(), TEXT_MAX);
        let source = optional_word(
            &mut c,
            "source",
            input.source.as_deref(),
            StanceSource::parse,
        );
        if let Some(m) = input.recorded_by
            && self.member(m).is_none()
        {
            c.fail(
                "recorded_by",
                Reason::NotInProject {
                    what: "member".into(),
                },
            );
        }
        let functions = known_ids(
            &mut c,
            "functions",
            input.functions.as_deref().unwrap_or_default(),
            |f| self.function(f).is_some(),
            "function",
        );
        c.finish()?;
        let (Some(perspective), Some(stance)) = (perspective, stance) else {
            return Err(Invalid::one("", Reason::Required));
        };
        Ok(StanceRecord {
            id: StanceId::new(),
            perspective,
            stance,
            reason,
            recorded_by: input.recorded_by,
            source,
            functions,
        })
    }

    /// Links a function from the digital scan to a stance: for a dislike, a function
    /// that could turn it into a like; for a like, one that could strengthen it.
    pub fn link_function(
        &mut self,
        stance: StanceId,
        input: &FunctionLinkInput,
    ) -> Result<(), Invalid> {
        let function = input
            .function_id
            .ok_or_else(|| Invalid::one("function_id", Reason::Required))?;
        if self.function(function).is_none() {
            return Err(Invalid::one(
                "function_id",
                Reason::NotInProject {
                    what: "function".into(),
                },
            ));
        }
        let s = self
            .moments
            .iter_mut()
            .flat_map(|m| m.stances.iter_mut())
            .find(|s| s.id == stance)
            .ok_or_else(|| {
                Invalid::one(
                    "stance_id",
                    Reason::NotInProject {
                        what: "stance".into(),
                    },
                )
            })?;
        if !s.functions.contains(&function) {
            s.functions.push(function);
        }
        Ok(())
    }

    /// Dislikes no function answers yet, moment by moment: step 4's open work.
    pub fn unanswered_dislikes(&self) -> impl Iterator<Item = (&Moment, &StanceRecord)> {
        self.moments.iter().flat_map(|m| {
            m.stances
                .iter()
                .filter(|s| s.stance == Stance::Dislike && s.functions.is_empty())
                .map(move |s| (m, s))
        })
    }

    /// The functions linked to one stance.
    pub fn functions_of(&self, stance: &StanceRecord) -> Vec<&DigitalFunction> {
        stance
            .functions
            .iter()
            .filter_map(|f| self.function(*f))
            .collect()
    }
}

impl StanceInput {
    /// A stance with its reason, as the demo and the tests write one.
    pub(crate) fn of(perspective: &str, stance: &str, reason: &str) -> StanceInput {
        StanceInput {
            perspective: Some(perspective.into()),
            stance: Some(stance.into()),
            reason: Some(reason.into()),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::fixture;
    use crate::research::progress::{Advice, Step};
    use crate::research::scan::DigitalFunctionInput;

    /// The protocols are filled in first; a function found later in the scan is linked
    /// to a dislike after the fact.
    #[test]
    fn the_opening_hours_dislike_links_to_a_round_the_clock_function() {
        let mut p = fixture::empty_project();
        let booking = p
            .add_function(&DigitalFunctionInput {
                name: Some("Boka och hämta dygnet runt".into()),
                what: Some("Beställ i appen när som helst, hämta i skåp utanför butiken".into()),
                phases: Some(vec!["before".into(), "during".into()]),
                motivations: Some(vec!["goal_fulfilment".into()]),
                ..Default::default()
            })
            .unwrap();
        let closed = p
            .add_moment(&MomentInput {
                phase: Some("before".into()),
                title: Some("Kommer fram till en stängd butik".into()),
                ..Default::default()
            })
            .unwrap();
        let dislike = p
            .record_stance(
                closed,
                &StanceInput {
                    perspective: Some("customer".into()),
                    stance: Some("dislike".into()),
                    reason: Some("Butiken var stängd när jag hade tid att handla".into()),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(p.unanswered_dislikes().count(), 1);
        let link = |f| FunctionLinkInput {
            function_id: Some(f),
        };
        p.link_function(dislike, &link(booking)).unwrap();
        p.link_function(dislike, &link(booking)).unwrap();
        assert_eq!(p.unanswered_dislikes().count(), 0);

        let m = p.moment(closed).unwrap();
        let remedied: Vec<_> = m.remedied_dislikes().collect();
        assert_eq!(remedied.len(), 1);
        let names: Vec<_> = p
            .functions_of(remedied[0])
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(names, ["Boka och hämta dygnet runt"]);

        let e = p
            .link_function(dislike, &link(FunctionId::new()))
            .unwrap_err();
        assert_eq!(e.0[0].field, "function_id");
        let e = p
            .link_function(dislike, &FunctionLinkInput::default())
            .unwrap_err();
        assert_eq!(e.0[0].reason, Reason::Required);
        let e = p
            .link_function(StanceId::new(), &link(booking))
            .unwrap_err();
        assert_eq!(e.0[0].field, "stance_id");
    }

    #[test]
    fn stances_and_moments_are_checked() {
        let mut p = fixture::empty_project();
        let e = p
            .add_moment(&MomentInput {
                phase: Some("during".into()),
                title: Some("Kön".into()),
                evidence: Some(vec![EvidenceRef::Observation(Default::default())]),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.0[0].field, "evidence[0]");
        let m = p
            .add_moment(&MomentInput {
                phase: Some("during".into()),
                title: Some("Kön".into()),
                ..Default::default()
            })
            .unwrap();
        let e = p
            .record_stance(
                m,
                &StanceInput {
                    perspective: Some("staff".into()),
                    stance: Some("meh".into()),
                    functions: Some(vec![FunctionId::new()]),
                    ..Default::default()
                },
            )
            .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["perspective", "stance", "functions[0]"]);

        // Each entry may say where it comes from.
        let s = p
            .record_stance(
                m,
                &StanceInput {
                    source: Some("asked_customers".into()),
                    ..StanceInput::of("customer", "dislike", "Kön är för lång")
                },
            )
            .unwrap();
        assert_eq!(
            p.stance(s).unwrap().1.source,
            Some(StanceSource::AskedCustomers)
        );
        let e = p
            .record_stance(
                m,
                &StanceInput {
                    source: Some("hearsay".into()),
                    ..StanceInput::of("customer", "dislike", "Kön")
                },
            )
            .unwrap_err();
        assert_eq!(e.0[0].field, "source");
    }

    /// Each member fills in their own protocols first; the team then merges the
    /// entries into moments, and each keeps its author and source on the way.
    #[test]
    fn protocols_are_written_per_person_and_merged_into_moments() {
        let mut p = fixture::empty_project();
        let (lena, ahmed) = (p.members[0].id, p.members[1].id);
        let entry = |by, perspective, stance, reason, source: &str| StanceInput {
            recorded_by: Some(by),
            source: Some(source.into()),
            ..StanceInput::of(perspective, stance, reason)
        };
        let queue = p
            .write_entry(&entry(
                lena,
                "provider",
                "dislike",
                "Kunder lämnar kön",
                "own_experience",
            ))
            .unwrap();
        p.write_entry(&entry(
            lena,
            "customer",
            "like",
            "Personalen minns vad jag köpte sist",
            "asked_customers",
        ))
        .unwrap();
        let closed = p
            .write_entry(&entry(
                ahmed,
                "customer",
                "dislike",
                "Stängt när jag har tid",
                "observations",
            ))
            .unwrap();
        // An entry in someone's protocol says whose it is.
        let e = p
            .write_entry(&StanceInput::of("customer", "like", "Utan namn"))
            .unwrap_err();
        assert_eq!(e.0[0].field, "recorded_by");

        let mine = |p: &Project, m| {
            p.protocols()
                .into_iter()
                .find(|pr| pr.member == m)
                .map(|pr| {
                    pr.entries
                        .iter()
                        .map(|(mo, s)| (mo.map(|mo| mo.title.clone()), s.perspective))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        };
        assert_eq!(p.protocols().len(), 2, "only members who wrote something");
        let advice = |p: &Project| {
            let progress = p.progress(fixture::today());
            progress.step(Step::Protocols).unwrap().advice.clone()
        };
        assert_eq!(advice(&p), [Advice::EntriesWaiting { count: 3 }]);
        assert_eq!(
            mine(&p, lena),
            [(None, Perspective::Provider), (None, Perspective::Customer)]
        );

        let checkout = p
            .add_moment(&MomentInput {
                phase: Some("during".into()),
                title: Some("Kön i kassan".into()),
                ..Default::default()
            })
            .unwrap();
        let merge = |m| MergeInput { moment_id: Some(m) };
        p.merge_entry(queue, &merge(checkout)).unwrap();
        assert_eq!(
            mine(&p, lena),
            [
                (None, Perspective::Customer),
                (Some("Kön i kassan".into()), Perspective::Provider)
            ]
        );
        let (m, s) = p.stance(queue).unwrap();
        assert_eq!((m.id, s.recorded_by), (checkout, Some(lena)));
        assert_eq!(s.source, Some(StanceSource::OwnExperience));
        assert_eq!(m.stances_of(Perspective::Provider).count(), 1);

        // Merged once is merged: the entry is no longer waiting.
        let e = p.merge_entry(queue, &merge(checkout)).unwrap_err();
        assert_eq!(e.0[0].field, "entry_id");
        // A moment that is not there leaves the entry waiting.
        let e = p.merge_entry(closed, &merge(MomentId::new())).unwrap_err();
        assert_eq!(e.0[0].field, "moment_id");
        let e = p.merge_entry(closed, &MergeInput::default()).unwrap_err();
        assert_eq!(e.0[0].reason, Reason::Required);
        assert_eq!(p.protocol_entries.len(), 2);
        assert_eq!(advice(&p), [Advice::EntriesWaiting { count: 2 }]);
    }
}
