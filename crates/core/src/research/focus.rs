//! The end of step 4: not every moment can be worked on, so the team chooses one as
//! its focus and an action from the four-field model — usually the one the matrix
//! suggests; when it departs from it, or the moment is unclassified, it says why.

use super::ids::{FunctionId, MomentId};
use super::input::{TEXT_MAX, known_ids, optional_text, optional_word};
use super::matrix::{Unclassified, classify};
use super::project::Project;
use crate::invalid::{Checker, Invalid, Reason};
use crate::value::{Action, Motivation};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The chosen focus area and action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Focus {
    pub moment_id: MomentId,
    pub action: Action,
    /// What the matrix suggested when the focus was chosen (none if unclassified).
    pub suggested: Option<Action>,
    /// Why this focus and action; required when the action is not the suggestion.
    pub reason: Option<String>,
    /// Digital functions the team means to use or build on.
    pub functions: Vec<FunctionId>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FocusInput {
    pub moment_id: Option<MomentId>,
    /// `automate`, `simplify`, `autonomise` or `strengthen`; defaults to the matrix's
    /// suggestion.
    pub action: Option<String>,
    pub reason: Option<String>,
    pub functions: Option<Vec<FunctionId>>,
}

/// Why an action must be given for a moment the matrix cannot place.
fn unclassified(why: Unclassified) -> Reason {
    match why {
        Unclassified::Empty => Reason::UnclassifiedEmpty,
        Unclassified::OneSided(p) => Reason::UnclassifiedOneSided {
            perspective: p.as_str().to_string(),
        },
        Unclassified::Tie(p) => Reason::UnclassifiedTie {
            perspective: p.as_str().to_string(),
        },
    }
}

impl Project {
    /// Chooses (or changes) the focus.
    pub fn choose_focus(&mut self, input: &FocusInput) -> Result<&Focus, Invalid> {
        let mut c = Checker::new();
        let moment = c.required("moment_id", input.moment_id).and_then(|id| {
            let m = self.moment(id);
            if m.is_none() {
                c.fail(
                    "moment_id",
                    Reason::NotInProject {
                        what: "moment".into(),
                    },
                );
            }
            m
        });
        let chosen = optional_word(&mut c, "action", input.action.as_deref(), Action::parse);
        let reason = optional_text(&mut c, "reason", input.reason.as_deref(), TEXT_MAX);
        let functions = known_ids(
            &mut c,
            "functions",
            input.functions.as_deref().unwrap_or_default(),
            |f| self.function(f).is_some(),
            "function",
        );
        let mut focus = None;
        if let Some(m) = moment {
            let suggested = classify(m);
            let action = match (chosen, suggested) {
                (Some(a), _) => Some(a),
                (None, Ok(q)) => Some(q.action),
                (None, Err(why)) => {
                    c.fail("action", unclassified(why));
                    None
                }
            };
            let suggested = suggested.ok().map(|q| q.action);
            if let Some(action) = action
                && suggested != Some(action)
                && reason.is_none()
            {
                c.fail(
                    "reason",
                    match suggested {
                        Some(s) => Reason::SayWhy {
                            action: action.as_str().to_string(),
                            suggested: s.as_str().to_string(),
                        },
                        None => Reason::SayWhyUnclassified,
                    },
                );
            }
            focus = action.map(|action| Focus {
                moment_id: m.id,
                action,
                suggested,
                reason,
                functions,
            });
        }
        c.finish()?;
        let focus = focus.ok_or_else(|| Invalid::one("moment_id", Reason::Required))?;
        Ok(self.focus.insert(focus))
    }
}

/// Why the chosen focus calls for the extra care the method asks of digital help near
/// relationships and experiences, where it can intrude.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Care {
    /// The relationship and experience motivations the focus moment sits in.
    pub motivations: Vec<Motivation>,
    /// The planned functions that touch them or were judged intrusive.
    pub functions: Vec<String>,
}

impl Project {
    /// The care the chosen focus calls for, if any: the rule the scan applies to each
    /// function, applied to the choice as a whole.
    pub fn focus_care(&self) -> Option<Care> {
        let focus = self.focus.as_ref()?;
        let motivations: Vec<Motivation> = self
            .moment(focus.moment_id)
            .map(|m| {
                m.landscape
                    .motivations
                    .iter()
                    .copied()
                    .filter(|m| matches!(m, Motivation::Relationships | Motivation::Experiences))
                    .collect()
            })
            .unwrap_or_default();
        let functions: Vec<String> = focus
            .functions
            .iter()
            .filter_map(|f| self.function(*f))
            .filter(|f| f.needs_care())
            .map(|f| f.name.clone())
            .collect();
        (!motivations.is_empty() || !functions.is_empty()).then_some(Care {
            motivations,
            functions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::fixture;
    use crate::research::protocol::{MomentInput, StanceInput};

    fn moment(p: &mut Project, stances: &[(&str, &str)]) -> MomentId {
        let id = p
            .add_moment(&MomentInput {
                phase: Some("during".into()),
                title: Some("Deklarationen".into()),
                ..Default::default()
            })
            .unwrap();
        for (perspective, stance) in stances {
            p.record_stance(
                id,
                &StanceInput {
                    perspective: Some((*perspective).into()),
                    stance: Some((*stance).into()),
                    ..Default::default()
                },
            )
            .unwrap();
        }
        id
    }

    #[test]
    fn the_suggestion_is_the_default_and_departing_needs_a_reason() {
        let mut p = fixture::empty_project();
        let m = moment(&mut p, &[("customer", "dislike"), ("provider", "like")]);
        let f = p
            .choose_focus(&FocusInput {
                moment_id: Some(m),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(
            (f.action, f.suggested),
            (Action::Simplify, Some(Action::Simplify))
        );

        let e = p
            .choose_focus(&FocusInput {
                moment_id: Some(m),
                action: Some("automate".into()),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.0[0].field, "reason");
        assert_eq!(
            e.0[0].reason,
            Reason::SayWhy {
                action: "automate".into(),
                suggested: "simplify".into()
            },
            "{e}"
        );
        assert!(e.0[0].reason.to_string().contains("suggests simplify"));

        let f = p
            .choose_focus(&FocusInput {
                moment_id: Some(m),
                action: Some("automate".into()),
                reason: Some("Uppgifterna finns redan hos oss".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(f.action, Action::Automate);
    }

    #[test]
    fn an_unclassified_moment_needs_an_action_and_a_reason() {
        let mut p = fixture::empty_project();
        let m = moment(&mut p, &[("customer", "dislike")]);
        let e = p
            .choose_focus(&FocusInput {
                moment_id: Some(m),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.0[0].field, "action");
        assert_eq!(
            e.0[0].reason,
            Reason::UnclassifiedOneSided {
                perspective: "provider".into()
            },
            "{e}"
        );
        assert!(p.focus.is_none());
    }

    /// The care rule applies to the choice too: a focus on an experience moment, or a
    /// planned function near relationships, is marked; a quick errand is not.
    #[test]
    fn a_focus_near_relationships_or_experiences_asks_for_care() {
        use crate::research::scan::DigitalFunctionInput;
        use crate::value::ValueLandscapeInput;
        let mut p = fixture::empty_project();
        let errand = moment(&mut p, &[("customer", "dislike"), ("provider", "dislike")]);
        let focus = |p: &mut Project, m, functions| {
            p.choose_focus(&FocusInput {
                moment_id: Some(m),
                functions: Some(functions),
                ..Default::default()
            })
            .unwrap();
        };
        focus(&mut p, errand, Vec::new());
        assert_eq!(p.focus_care(), None);

        let greeting = p
            .add_function(&DigitalFunctionInput {
                name: Some("Hälsning i appen".into()),
                what: Some("Personalen ser stamgästens namn".into()),
                phases: Some(vec!["during".into()]),
                motivations: Some(vec!["relationships".into()]),
                ..Default::default()
            })
            .unwrap();
        focus(&mut p, errand, vec![greeting]);
        assert_eq!(
            p.focus_care(),
            Some(Care {
                motivations: Vec::new(),
                functions: vec!["Hälsning i appen".into()]
            })
        );

        let dinner = p
            .add_moment(&MomentInput {
                phase: Some("during".into()),
                title: Some("Middagen".into()),
                landscape: Some(ValueLandscapeInput {
                    motivations: Some(vec!["experiences".into(), "goal_fulfilment".into()]),
                    ..Default::default()
                }),
                ..Default::default()
            })
            .unwrap();
        p.choose_focus(&FocusInput {
            moment_id: Some(dinner),
            action: Some("strengthen".into()),
            reason: Some("Kvällen är det gästerna kommer för".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            p.focus_care().map(|c| c.motivations),
            Some(vec![Motivation::Experiences])
        );
    }
}
