//! Step 5 that leads somewhere: for the chosen focus, whether to join a solution that
//! exists or build one, alone or with others in the network, and a plan of who does
//! what by when. The strategy document carries it; the next round checks each task.

use super::ids::TaskId;
use super::input::{NAME_MAX, TEXT_MAX, optional_text, required_text, required_word};
use super::project::Project;
use crate::invalid::{Checker, Invalid, Reason};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

labelled_vocabulary!(
    /// Whether the focus is carried out with a solution that exists or a new one.
    Route {
        Join => "join", "ansluta till en befintlig lösning", "join an existing solution";
        Build => "build", "bygga en egen lösning", "build a solution";
    }
);

labelled_vocabulary!(
    /// Who carries it out.
    Partnership {
        Alone => "alone", "på egen hand", "on our own";
        Together => "together", "tillsammans med andra i nätverket", "together with others in the network";
    }
);

/// One task of the plan: who does what, by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Task {
    pub id: TaskId,
    pub who: String,
    pub what: String,
    pub when: NaiveDate,
}

/// How the chosen focus is to be carried out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Implementation {
    pub route: Route,
    pub partnership: Partnership,
    /// Which solution to join, or which partners to build with.
    pub note: Option<String>,
    pub tasks: Vec<Task>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImplementationInput {
    /// `join` or `build`.
    pub route: Option<String>,
    /// `alone` or `together`.
    pub partnership: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskInput {
    pub who: Option<String>,
    pub what: Option<String>,
    pub when: Option<NaiveDate>,
}

impl Project {
    /// Decides (or changes) how the focus is carried out; the tasks stay.
    pub fn decide_implementation(&mut self, input: &ImplementationInput) -> Result<(), Invalid> {
        let mut c = Checker::new();
        if self.focus.is_none() {
            c.fail("focus", Reason::PlanAfterFocus);
        }
        let route = required_word(&mut c, "route", input.route.as_deref(), Route::parse);
        let partnership = required_word(
            &mut c,
            "partnership",
            input.partnership.as_deref(),
            Partnership::parse,
        );
        let note = optional_text(&mut c, "note", input.note.as_deref(), TEXT_MAX);
        c.finish()?;
        let (Some(route), Some(partnership)) = (route, partnership) else {
            return Err(Invalid::one("route", Reason::Required));
        };
        let tasks = self
            .implementation
            .take()
            .map(|i| i.tasks)
            .unwrap_or_default();
        self.implementation = Some(Implementation {
            route,
            partnership,
            note,
            tasks,
        });
        Ok(())
    }

    /// Adds a task to the plan; the route is decided first.
    pub fn add_task(&mut self, input: &TaskInput) -> Result<TaskId, Invalid> {
        let mut c = Checker::new();
        if self.implementation.is_none() {
            c.fail("route", Reason::Required);
        }
        let who = required_text(&mut c, "who", input.who.as_deref(), NAME_MAX);
        let what = required_text(&mut c, "what", input.what.as_deref(), TEXT_MAX);
        let when = c.required("when", input.when);
        c.finish()?;
        let (Some(plan), Some(who), Some(what), Some(when)) =
            (self.implementation.as_mut(), who, what, when)
        else {
            return Err(Invalid::one("", Reason::Required));
        };
        let id = TaskId::new();
        plan.tasks.push(Task {
            id,
            who,
            what,
            when,
        });
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use crate::research::SectionKind;
    use crate::research::fixture;

    fn plan() -> ImplementationInput {
        ImplementationInput {
            route: Some("join".into()),
            partnership: Some("together".into()),
            note: Some("Centrumföreningens gemensamma app".into()),
        }
    }

    #[test]
    fn a_plan_follows_the_focus_and_keeps_its_tasks() {
        let mut p = fixture::empty_project();
        let e = p.decide_implementation(&plan()).unwrap_err();
        assert_eq!(
            (e.0[0].field.as_str(), &e.0[0].reason),
            ("focus", &Reason::PlanAfterFocus)
        );

        let mut p = fixture::full_project();
        p.implementation = None;
        let task = TaskInput {
            who: Some("Lena".into()),
            what: Some("Boka möte med centrumföreningen".into()),
            when: NaiveDate::from_ymd_opt(2027, 1, 15),
        };
        assert_eq!(p.add_task(&task).unwrap_err().0[0].field, "route");
        p.decide_implementation(&plan()).unwrap();
        p.add_task(&task).unwrap();
        // Changing the route keeps the plan's tasks.
        p.decide_implementation(&ImplementationInput {
            route: Some("build".into()),
            partnership: Some("alone".into()),
            note: None,
        })
        .unwrap();
        let i = p.implementation.as_ref().unwrap();
        assert_eq!((i.route, i.partnership), (Route::Build, Partnership::Alone));
        assert_eq!(i.tasks[0].what, "Boka möte med centrumföreningen");

        // The strategy document carries the route and the plan, citing the focus.
        let doc = p.strategy();
        let section = doc.section(SectionKind::Implementation).unwrap();
        assert_eq!(section.claims.len(), 2);
        let md = crate::research::to_markdown(&doc, Lang::Sv);
        assert!(md.contains("## Genomförande"), "{md}");
        assert!(
            md.contains("bygga en egen lösning, på egen hand.")
                && md.contains("2027-01-15")
                && md.contains("Lena: Boka möte med centrumföreningen."),
            "{md}"
        );

        let e = p
            .add_task(&TaskInput {
                who: Some(" ".into()),
                what: None,
                when: None,
            })
            .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["who", "what", "when"]);
        let e = p
            .decide_implementation(&ImplementationInput {
                route: Some("buy".into()),
                ..plan()
            })
            .unwrap_err();
        assert_eq!(e.0[0].field, "route");
    }
}
