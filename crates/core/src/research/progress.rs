//! The five steps and how far a project has come, computed from what it holds.
//!
//! Each step is *not started* while it holds nothing, *done* when it has no gaps,
//! and *in progress* in between. The gaps, step by step:
//!
//! 1. Stories: at least two stories from at least two tellers (one tells while the
//!    other listens and asks), moments covering before, during and after across the
//!    stories, and at least one value statement.
//! 2. Observation: a round whose last day has passed (observing needs an end), at
//!    least one observation, and every observation placed on the journey board.
//!
//! Beside the gaps, advice the method gives and nothing enforces: groups of four to
//! five (step 1), and at least two people who actually observed (step 2).
//! 3. Digital scan: at least three functions, each with the value it creates (a
//!    motivation it supports or the value in words).
//! 4. Protocols: likes/dislikes from both perspectives, at least one moment with a
//!    place in the four-field model, and a chosen focus.
//! 5. Strategy: at least one team reflection, and steps 1–4 done.
//!
//! The current step is the first that is not done. Steps are not locked: a team
//! may scan apps while observations are still coming in.

use super::matrix::classify;
use super::project::{MAX_GROUP, MIN_GROUP, Project, group_size_recommended};
use super::protocol::Perspective;
use crate::lang::{Label, Lang};
use crate::value::Phase;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use utoipa::ToSchema;

labelled_vocabulary!(
    /// The five steps to a digitalisation strategy.
    Step {
        Stories => "stories", "Den värdeskapande kundupplevelsen", "The value-creating customer experience";
        Observation => "observation", "Kunders behov och beteenden", "Customers' needs and behaviour";
        DigitalScan => "digital_scan", "Digital omvärldsanalys", "Digital scan";
        Protocols => "protocols", "Värdeskapande i mötet", "Value creation in the meeting";
        Strategy => "strategy", "Din digitaliseringsstrategi", "Your digitalisation strategy";
    }
);

impl Step {
    /// 1 to 5.
    pub fn number(self) -> u8 {
        match self {
            Step::Stories => 1,
            Step::Observation => 2,
            Step::DigitalScan => 3,
            Step::Protocols => 4,
            Step::Strategy => 5,
        }
    }
}

labelled_vocabulary!(
    /// How far one step has come.
    StepState {
        NotStarted => "not_started", "ej påbörjat", "not started";
        InProgress => "in_progress", "pågår", "in progress";
        Done => "done", "klart", "done";
    }
);

pub const MIN_STORIES: usize = 2;
pub const MIN_TELLERS: usize = 2;
pub const MIN_OBSERVERS: usize = 2;
pub const MIN_FUNCTIONS: usize = 3;

/// What a step still lacks, without words, so any language can say it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "gap", rename_all = "snake_case")]
pub enum Gap {
    TooFewStories { have: usize, need: usize },
    TooFewTellers { have: usize, need: usize },
    PhasesMissing { phases: Vec<Phase> },
    NoValueStatement,
    NoObservationRound,
    RoundStillOpen { ends_on: NaiveDate },
    NoObservations,
    Unplaced { count: usize },
    TooFewFunctions { have: usize, need: usize },
    FunctionsWithoutValue { count: usize },
    PerspectiveMissing { perspective: Perspective },
    NoClassifiedMoment,
    NoFocus,
    NoReflection,
    EarlierStepsOpen { steps: Vec<Step> },
}

impl Gap {
    pub fn describe(&self, lang: Lang) -> String {
        let sv = lang == Lang::Sv;
        match self {
            Gap::TooFewStories { have, need } if sv => {
                format!("{have} av minst {need} berättelser")
            }
            Gap::TooFewStories { have, need } => format!("{have} of at least {need} stories"),
            Gap::TooFewTellers { have, need } if sv => {
                format!("berättelser från {have} av minst {need} personer")
            }
            Gap::TooFewTellers { have, need } => {
                format!("stories from {have} of at least {need} people")
            }
            Gap::PhasesMissing { phases } => {
                let names: Vec<_> = phases
                    .iter()
                    .map(|p| p.label(lang).to_lowercase())
                    .collect();
                if sv {
                    format!("inga moment från: {}", names.join(", "))
                } else {
                    format!("no moments from: {}", names.join(", "))
                }
            }
            Gap::NoValueStatement if sv => "ingen värdeutsaga ännu".into(),
            Gap::NoValueStatement => "no value statement yet".into(),
            Gap::NoObservationRound if sv => "ingen observationsomgång planerad".into(),
            Gap::NoObservationRound => "no observation round planned".into(),
            Gap::RoundStillOpen { ends_on } if sv => {
                format!("observationerna pågår till och med {ends_on}")
            }
            Gap::RoundStillOpen { ends_on } => format!("observing goes on until {ends_on}"),
            Gap::NoObservations if sv => "inga observationer ännu".into(),
            Gap::NoObservations => "no observations yet".into(),
            Gap::Unplaced { count } if sv => {
                format!("{count} observationer är inte placerade på kundresan")
            }
            Gap::Unplaced { count } => format!("{count} observations not placed on the journey"),
            Gap::TooFewFunctions { have, need } if sv => {
                format!("{have} av minst {need} digitala funktioner")
            }
            Gap::TooFewFunctions { have, need } => {
                format!("{have} of at least {need} digital functions")
            }
            Gap::FunctionsWithoutValue { count } if sv => {
                format!("{count} funktioner saknar det värde de skapar")
            }
            Gap::FunctionsWithoutValue { count } => {
                format!("{count} functions lack the value they create")
            }
            Gap::PerspectiveMissing { perspective } if sv => {
                format!(
                    "inga gillar/ogillar från perspektivet {}",
                    perspective.label(lang)
                )
            }
            Gap::PerspectiveMissing { perspective } => format!(
                "no likes or dislikes from the {} perspective",
                perspective.label(lang)
            ),
            Gap::NoClassifiedMoment if sv => "inget moment har en plats i fyrfältsmodellen".into(),
            Gap::NoClassifiedMoment => "no moment has a place in the four-field model".into(),
            Gap::NoFocus if sv => "inget fokus valt".into(),
            Gap::NoFocus => "no focus chosen".into(),
            Gap::NoReflection if sv => "ingen reflektion ännu".into(),
            Gap::NoReflection => "no reflection yet".into(),
            Gap::EarlierStepsOpen { steps } => {
                let n: Vec<_> = steps.iter().map(|s| s.number().to_string()).collect();
                if sv {
                    format!("steg {} är inte klara", n.join(", "))
                } else {
                    format!("steps {} are not done", n.join(", "))
                }
            }
        }
    }
}

/// What the method recommends and a step does not follow: said, never enforced
/// (a team may have good reasons to sit or observe otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "advice", rename_all = "snake_case")]
pub enum Advice {
    GroupSize {
        group: String,
        size: usize,
        low: usize,
        high: usize,
    },
    /// Counted from the observations made, not from the rounds' plans.
    FewObservers { observed: usize, recommended: usize },
    /// Entries of the members' own protocols not yet brought to a moment.
    EntriesWaiting { count: usize },
}

impl Advice {
    pub fn describe(&self, lang: Lang) -> String {
        let sv = lang == Lang::Sv;
        match self {
            Advice::GroupSize {
                group,
                size,
                low,
                high,
            } if sv => format!(
                "gruppen {group} har {size} personer; {low} till {high} brukar ge varje berättelse tid och alla en röst"
            ),
            Advice::GroupSize {
                group,
                size,
                low,
                high,
            } => format!(
                "group {group} has {size} people; {low} to {high} usually gives every story time and everyone a voice"
            ),
            Advice::FewObservers {
                observed,
                recommended,
            } if sv => {
                format!("{observed} person har observerat; minst {recommended} ser mer än en")
            }
            Advice::FewObservers {
                observed,
                recommended,
            } => {
                format!("{observed} person has observed; at least {recommended} see more than one")
            }
            Advice::EntriesWaiting { count } if sv => format!(
                "rader i protokollen som väntar på att föras till ett ögonblick: {count}; de räknas först när de förts dit"
            ),
            Advice::EntriesWaiting { count } => format!(
                "protocol entries waiting to be brought to a moment: {count}; they count only once brought there"
            ),
        }
    }
}

/// One step's state, what it lacks, and the advice it does not follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StepProgress {
    pub step: Step,
    pub state: StepState,
    pub gaps: Vec<Gap>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub advice: Vec<Advice>,
}

/// All five steps, in order, and the one to work on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Progress {
    pub steps: Vec<StepProgress>,
    pub current: Step,
}

impl Progress {
    pub fn step(&self, step: Step) -> Option<&StepProgress> {
        self.steps.iter().find(|s| s.step == step)
    }
}

fn state(started: bool, gaps: &[Gap]) -> StepState {
    if !started {
        StepState::NotStarted
    } else if gaps.is_empty() {
        StepState::Done
    } else {
        StepState::InProgress
    }
}

impl Project {
    fn stories_progress(&self) -> StepProgress {
        let mut gaps = Vec::new();
        if self.stories.len() < MIN_STORIES {
            gaps.push(Gap::TooFewStories {
                have: self.stories.len(),
                need: MIN_STORIES,
            });
        }
        let tellers = self.tellers().len();
        if tellers < MIN_TELLERS {
            gaps.push(Gap::TooFewTellers {
                have: tellers,
                need: MIN_TELLERS,
            });
        }
        let missing: Vec<Phase> = Phase::ALL
            .iter()
            .copied()
            .filter(|p| {
                !self
                    .stories
                    .iter()
                    .any(|s| s.moments.iter().any(|m| m.phase == *p))
            })
            .collect();
        if !missing.is_empty() {
            gaps.push(Gap::PhasesMissing { phases: missing });
        }
        if self.stories.iter().all(|s| s.value_statements.is_empty()) {
            gaps.push(Gap::NoValueStatement);
        }
        let participants = self.participants();
        let advice = self
            .groups
            .iter()
            .filter(|g| !group_size_recommended(g.members.len(), participants))
            .map(|g| Advice::GroupSize {
                group: g.name.clone(),
                size: g.members.len(),
                low: MIN_GROUP,
                high: MAX_GROUP,
            })
            .collect();
        StepProgress {
            step: Step::Stories,
            state: state(!self.stories.is_empty(), &gaps),
            gaps,
            advice,
        }
    }

    fn observation_progress(&self, today: NaiveDate) -> StepProgress {
        let mut gaps = Vec::new();
        let rounds = &self.observation_rounds;
        if rounds.is_empty() {
            gaps.push(Gap::NoObservationRound);
        } else {
            let ended: Vec<_> = rounds.iter().filter(|r| r.has_ended(today)).collect();
            if ended.is_empty()
                && let Some(ends_on) = rounds.iter().map(|r| r.ends_on).min()
            {
                gaps.push(Gap::RoundStillOpen { ends_on });
            }
        }
        if self.observations.is_empty() {
            gaps.push(Gap::NoObservations);
        }
        let unplaced = self
            .observations
            .iter()
            .filter(|o| o.placement.is_none())
            .count();
        if unplaced > 0 {
            gaps.push(Gap::Unplaced { count: unplaced });
        }
        let observed: HashSet<_> = self.observations.iter().map(|o| o.observer).collect();
        let mut advice = Vec::new();
        if !self.observations.is_empty() && observed.len() < MIN_OBSERVERS {
            advice.push(Advice::FewObservers {
                observed: observed.len(),
                recommended: MIN_OBSERVERS,
            });
        }
        StepProgress {
            step: Step::Observation,
            state: state(!rounds.is_empty() || !self.observations.is_empty(), &gaps),
            gaps,
            advice,
        }
    }

    fn scan_progress(&self) -> StepProgress {
        let mut gaps = Vec::new();
        if self.functions.len() < MIN_FUNCTIONS {
            gaps.push(Gap::TooFewFunctions {
                have: self.functions.len(),
                need: MIN_FUNCTIONS,
            });
        }
        let without = self.functions.iter().filter(|f| !f.has_value()).count();
        if without > 0 {
            gaps.push(Gap::FunctionsWithoutValue { count: without });
        }
        StepProgress {
            step: Step::DigitalScan,
            state: state(!self.functions.is_empty(), &gaps),
            gaps,
            advice: Vec::new(),
        }
    }

    fn protocols_progress(&self) -> StepProgress {
        let mut gaps = Vec::new();
        for perspective in Perspective::ALL.iter().copied() {
            if !self
                .moments
                .iter()
                .any(|m| m.stances_of(perspective).next().is_some())
            {
                gaps.push(Gap::PerspectiveMissing { perspective });
            }
        }
        if !self.moments.iter().any(|m| classify(m).is_ok()) {
            gaps.push(Gap::NoClassifiedMoment);
        }
        if self.focus.is_none() {
            gaps.push(Gap::NoFocus);
        }
        let waiting = self.protocol_entries.len();
        StepProgress {
            step: Step::Protocols,
            state: state(!self.moments.is_empty() || waiting > 0, &gaps),
            gaps,
            advice: (waiting > 0)
                .then_some(Advice::EntriesWaiting { count: waiting })
                .into_iter()
                .collect(),
        }
    }

    /// Where the project stands; `today` decides whether observation rounds are over.
    pub fn progress(&self, today: NaiveDate) -> Progress {
        let mut steps = vec![
            self.stories_progress(),
            self.observation_progress(today),
            self.scan_progress(),
            self.protocols_progress(),
        ];
        let open: Vec<Step> = steps
            .iter()
            .filter(|s| s.state != StepState::Done)
            .map(|s| s.step)
            .collect();
        let mut gaps = Vec::new();
        if self.reflections.is_empty() {
            gaps.push(Gap::NoReflection);
        }
        if !open.is_empty() {
            gaps.push(Gap::EarlierStepsOpen { steps: open });
        }
        steps.push(StepProgress {
            step: Step::Strategy,
            state: state(!self.reflections.is_empty(), &gaps),
            gaps,
            advice: Vec::new(),
        });
        let current = steps
            .iter()
            .find(|s| s.state != StepState::Done)
            .map_or(Step::Strategy, |s| s.step);
        Progress { steps, current }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::fixture;

    fn gaps(p: &Progress, step: Step) -> Vec<Gap> {
        p.step(step).unwrap().gaps.clone()
    }

    #[test]
    fn a_new_project_has_started_nothing() {
        let p = fixture::empty_project();
        let progress = p.progress(fixture::today());
        assert!(
            progress
                .steps
                .iter()
                .all(|s| s.state == StepState::NotStarted)
        );
        assert_eq!(progress.current, Step::Stories);
        assert_eq!(progress.steps.len(), 5);
        assert_eq!(
            gaps(&progress, Step::Stories)[0].describe(Lang::Sv),
            "0 av minst 2 berättelser"
        );
    }

    #[test]
    fn the_full_project_is_done_and_each_rule_can_undo_it() {
        let full = fixture::full_project();
        let progress = full.progress(fixture::today());
        for s in &progress.steps {
            assert_eq!(s.state, StepState::Done, "{:?}: {:?}", s.step, s.gaps);
        }
        assert_eq!(progress.current, Step::Strategy);

        // Step 1: one story only, and no "after" moment.
        let mut p = full.clone();
        p.stories.truncate(1);
        p.stories[0].moments.retain(|m| m.phase != Phase::After);
        let g = gaps(&p.progress(fixture::today()), Step::Stories);
        assert!(
            g.contains(&Gap::TooFewStories { have: 1, need: 2 }),
            "{g:?}"
        );
        assert!(
            g.contains(&Gap::TooFewTellers { have: 1, need: 2 }),
            "{g:?}"
        );
        assert!(
            g.contains(&Gap::PhasesMissing {
                phases: vec![Phase::After]
            }),
            "{g:?}"
        );
        let pr = p.progress(fixture::today());
        assert_eq!(pr.current, Step::Stories);
        assert_eq!(
            pr.step(Step::Strategy).unwrap().gaps,
            [Gap::EarlierStepsOpen {
                steps: vec![Step::Stories]
            }]
        );

        // Step 1: no value statement.
        let mut p = full.clone();
        p.stories
            .iter_mut()
            .for_each(|s| s.value_statements.clear());
        assert_eq!(
            gaps(&p.progress(fixture::today()), Step::Stories),
            [Gap::NoValueStatement]
        );

        // Step 2: on the round's last day it is still open; unplaced observations.
        let mut p = full.clone();
        let last_day = p.observation_rounds[0].ends_on;
        p.observations[0].placement = None;
        let g = gaps(&p.progress(last_day), Step::Observation);
        assert_eq!(
            g,
            [
                Gap::RoundStillOpen { ends_on: last_day },
                Gap::Unplaced { count: 1 }
            ]
        );
        // One person observed: advice, and the step is done all the same.
        let mut p = full.clone();
        let first = p.observations[0].observer;
        for o in &mut p.observations {
            o.observer = first;
        }
        let step = p
            .progress(fixture::today())
            .step(Step::Observation)
            .cloned()
            .unwrap();
        assert_eq!(step.state, StepState::Done);
        assert_eq!(
            step.advice,
            [Advice::FewObservers {
                observed: 1,
                recommended: 2
            }]
        );
        assert_eq!(
            step.advice[0].describe(Lang::Sv),
            "1 person har observerat; minst 2 ser mer än en"
        );

        // Step 3: two functions, one without value.
        let mut p = full.clone();
        p.functions.truncate(2);
        p.functions[1].motivations.clear();
        p.functions[1].value = None;
        assert_eq!(
            gaps(&p.progress(fixture::today()), Step::DigitalScan),
            [
                Gap::TooFewFunctions { have: 2, need: 3 },
                Gap::FunctionsWithoutValue { count: 1 }
            ]
        );

        // Step 4: no provider stances leaves nothing classified and no focus.
        let mut p = full.clone();
        p.focus = None;
        p.moments
            .iter_mut()
            .for_each(|m| m.stances.retain(|s| s.perspective == Perspective::Customer));
        assert_eq!(
            gaps(&p.progress(fixture::today()), Step::Protocols),
            [
                Gap::PerspectiveMissing {
                    perspective: Perspective::Provider
                },
                Gap::NoClassifiedMoment,
                Gap::NoFocus
            ]
        );

        // Step 5: no reflections.
        let mut p = full.clone();
        p.reflections.clear();
        let s = p.progress(fixture::today());
        assert_eq!(s.step(Step::Strategy).unwrap().state, StepState::NotStarted);
        assert_eq!(s.current, Step::Strategy);
    }

    #[test]
    fn gaps_serialise_with_their_name() {
        assert_eq!(
            serde_json::to_value(Gap::Unplaced { count: 2 }).unwrap(),
            serde_json::json!({"gap": "unplaced", "count": 2})
        );
        assert_eq!(
            Gap::EarlierStepsOpen {
                steps: vec![Step::Stories, Step::DigitalScan]
            }
            .describe(Lang::En),
            "steps 1, 3 are not done"
        );
    }
}
