//! Integrity of a whole project, for data that did not come through the `add_*`
//! methods (an import, a row read back from a store): ids unique, every reference
//! resolving, no empty group, texts within the rules. Errors name the path.

use super::ids::AttachmentId;
use super::input::{NAME_MAX, TEXT_MAX};
use super::project::{Project, Role};
use crate::invalid::{Checker, Reason, text};
use std::collections::HashSet;
use uuid::Uuid;

fn check_text(c: &mut Checker, field: &str, value: &str, max: usize) {
    match text(field, value, max) {
        Ok(t) if t == value => {}
        Ok(_) => c.fail(field, Reason::EdgeWhiteSpace),
        Err(e) => {
            c.take::<String>(Err(e));
        }
    }
}

fn check_optional(c: &mut Checker, field: &str, value: &Option<String>, max: usize) {
    if let Some(v) = value {
        check_text(c, field, v, max);
    }
}

impl Project {
    fn all_ids(&self) -> Vec<(String, Uuid)> {
        let mut ids = vec![("id".to_string(), self.id.0)];
        let mut add = |path: String, id: Uuid| ids.push((path, id));
        for (i, m) in self.members.iter().enumerate() {
            add(format!("members[{i}].id"), m.id.0);
        }
        for (i, g) in self.groups.iter().enumerate() {
            add(format!("groups[{i}].id"), g.id.0);
        }
        for (i, s) in self.stories.iter().enumerate() {
            add(format!("stories[{i}].id"), s.id.0);
            for (j, m) in s.moments.iter().enumerate() {
                add(format!("stories[{i}].moments[{j}].id"), m.id.0);
            }
            for (j, q) in s.questions.iter().enumerate() {
                add(format!("stories[{i}].questions[{j}].id"), q.id.0);
            }
            for (j, v) in s.value_statements.iter().enumerate() {
                add(format!("stories[{i}].value_statements[{j}].id"), v.id.0);
            }
        }
        for (i, t) in self.templates.iter().enumerate() {
            add(format!("templates[{i}].id"), t.id.0);
        }
        for (i, r) in self.observation_rounds.iter().enumerate() {
            add(format!("observation_rounds[{i}].id"), r.id.0);
        }
        for (i, o) in self.observations.iter().enumerate() {
            add(format!("observations[{i}].id"), o.id.0);
        }
        for (i, f) in self.functions.iter().enumerate() {
            add(format!("functions[{i}].id"), f.id.0);
        }
        for (i, m) in self.moments.iter().enumerate() {
            add(format!("moments[{i}].id"), m.id.0);
            for (j, s) in m.stances.iter().enumerate() {
                add(format!("moments[{i}].stances[{j}].id"), s.id.0);
            }
        }
        for (i, r) in self.reflections.iter().enumerate() {
            add(format!("reflections[{i}].id"), r.id.0);
        }
        for (i, a) in self.attachments.iter().enumerate() {
            add(format!("attachments[{i}].id"), a.id.0);
        }
        for (i, q) in self.quotes.iter().enumerate() {
            add(format!("quotes[{i}].id"), q.id.0);
        }
        for (i, q) in self.presentation_questions.iter().enumerate() {
            add(format!("presentation_questions[{i}].id"), q.id.0);
        }
        ids
    }

    fn check_people(&self, c: &mut Checker) {
        if !self.members.iter().any(|m| m.role == Role::Lead) {
            c.fail("members", Reason::NeedsLead);
        }
        for (i, m) in self.members.iter().enumerate() {
            check_text(c, &format!("members[{i}].name"), &m.name, NAME_MAX);
        }
        let mut grouped = HashSet::new();
        for (i, g) in self.groups.iter().enumerate() {
            check_text(c, &format!("groups[{i}].name"), &g.name, NAME_MAX);
            for (j, id) in g.members.iter().enumerate() {
                let path = format!("groups[{i}].members[{j}]");
                match self.member(*id) {
                    None => c.fail(
                        path,
                        Reason::NotInProject {
                            what: "member".into(),
                        },
                    ),
                    Some(m) if !m.role.takes_part() => c.fail(path, Reason::IsObserver),
                    Some(_) if !grouped.insert(*id) => c.fail(path, Reason::SitsTwice),
                    Some(_) => {}
                }
            }
            if g.members.is_empty() {
                c.fail(format!("groups[{i}].members"), Reason::Required);
            }
        }
    }

    fn check_stories(&self, c: &mut Checker) {
        for (i, s) in self.stories.iter().enumerate() {
            let at = format!("stories[{i}]");
            match self.member(s.teller) {
                None => c.fail(
                    format!("{at}.teller"),
                    Reason::NotInProject {
                        what: "member".into(),
                    },
                ),
                Some(m) if !m.role.takes_part() => {
                    c.fail(format!("{at}.teller"), Reason::IsObserver)
                }
                Some(_) => {}
            }
            if let Some(g) = s.group
                && !self.groups.iter().any(|o| o.id == g)
            {
                c.fail(
                    format!("{at}.group"),
                    Reason::NotInProject {
                        what: "group".into(),
                    },
                );
            }
            check_text(c, &format!("{at}.purchase"), &s.purchase, NAME_MAX);
            for (j, m) in s.moments.iter().enumerate() {
                check_text(c, &format!("{at}.moments[{j}].text"), &m.text, TEXT_MAX);
            }
            for (j, q) in s.questions.iter().enumerate() {
                check_text(c, &format!("{at}.questions[{j}].text"), &q.text, NAME_MAX);
                check_optional(
                    c,
                    &format!("{at}.questions[{j}].answer"),
                    &q.answer,
                    TEXT_MAX,
                );
                if let Some(a) = q.asked_by
                    && self.member(a).is_none()
                {
                    c.fail(
                        format!("{at}.questions[{j}].asked_by"),
                        Reason::NotInProject {
                            what: "member".into(),
                        },
                    );
                }
            }
            for (j, v) in s.value_statements.iter().enumerate() {
                check_text(
                    c,
                    &format!("{at}.value_statements[{j}].text"),
                    &v.text,
                    TEXT_MAX,
                );
                match s.moments.iter().find(|m| m.id == v.moment_id) {
                    None => c.fail(
                        format!("{at}.value_statements[{j}].moment_id"),
                        Reason::NotInStory,
                    ),
                    Some(m) if m.phase != v.phase => c.fail(
                        format!("{at}.value_statements[{j}].phase"),
                        Reason::PhaseOfMoment {
                            phase: m.phase.to_string(),
                        },
                    ),
                    Some(_) => {}
                }
            }
        }
    }

    fn check_observations(&self, c: &mut Checker) {
        for (i, t) in self.templates.iter().enumerate() {
            check_text(c, &format!("templates[{i}].name"), &t.name, NAME_MAX);
            if t.fields.is_empty() {
                c.fail(format!("templates[{i}].fields"), Reason::Empty);
            }
            let mut keys = HashSet::new();
            for (j, f) in t.fields.iter().enumerate() {
                if !keys.insert(f.key.as_str()) {
                    c.fail(
                        format!("templates[{i}].fields[{j}].key"),
                        Reason::Repeats {
                            value: f.key.clone(),
                        },
                    );
                }
            }
        }
        for (i, r) in self.observation_rounds.iter().enumerate() {
            let at = format!("observation_rounds[{i}]");
            check_text(c, &format!("{at}.name"), &r.name, NAME_MAX);
            if self.template(r.template_id).is_none() {
                c.fail(
                    format!("{at}.template_id"),
                    Reason::NotInProject {
                        what: "template".into(),
                    },
                );
            }
            for (j, o) in r.observers.iter().enumerate() {
                if self.member(*o).is_none() {
                    c.fail(
                        format!("{at}.observers[{j}]"),
                        Reason::NotInProject {
                            what: "member".into(),
                        },
                    );
                }
            }
            if r.ends_on < r.starts_on {
                c.fail(
                    format!("{at}.ends_on"),
                    Reason::NotBefore {
                        other: "starts_on".into(),
                    },
                );
            }
        }
        for (i, o) in self.observations.iter().enumerate() {
            let at = format!("observations[{i}]");
            let Some(r) = self.observation_round(o.round_id) else {
                c.fail(
                    format!("{at}.round_id"),
                    Reason::NotInProject {
                        what: "round".into(),
                    },
                );
                continue;
            };
            if !r.observers.contains(&o.observer) {
                c.fail(format!("{at}.observer"), Reason::NotObserver);
            }
            if o.observed_on < r.starts_on || o.observed_on > r.ends_on {
                c.fail(
                    format!("{at}.observed_on"),
                    Reason::WithinRound {
                        start: r.starts_on.to_string(),
                        end: r.ends_on.to_string(),
                    },
                );
            }
            let template = self.template(r.template_id);
            for (j, a) in o.answers.iter().enumerate() {
                if template.is_some_and(|t| t.field(&a.field).is_none()) {
                    c.fail(format!("{at}.answers[{j}].field"), Reason::NotProtocolField);
                }
                check_text(c, &format!("{at}.answers[{j}].text"), &a.text, TEXT_MAX);
            }
            for (j, m) in o.echoes.iter().enumerate() {
                if self.story_moment(*m).is_none() {
                    c.fail(
                        format!("{at}.echoes[{j}]"),
                        Reason::NotInProject {
                            what: "story moment".into(),
                        },
                    );
                }
            }
        }
    }

    fn check_presentation_questions(&self, c: &mut Checker) {
        for (i, q) in self.presentation_questions.iter().enumerate() {
            let at = format!("presentation_questions[{i}]");
            if let Some(reason) = self.presentation_problem(q.about) {
                c.fail(format!("{at}.about"), reason);
            }
            check_text(c, &format!("{at}.text"), &q.text, NAME_MAX);
            check_optional(c, &format!("{at}.answer"), &q.answer, TEXT_MAX);
        }
    }

    fn check_scan_and_protocols(&self, c: &mut Checker) {
        for (i, f) in self.functions.iter().enumerate() {
            check_text(c, &format!("functions[{i}].name"), &f.name, NAME_MAX);
            check_text(c, &format!("functions[{i}].what"), &f.what, TEXT_MAX);
            if f.phases.is_empty() {
                c.fail(format!("functions[{i}].phases"), Reason::NeedsPhase);
            }
            if let Some(m) = f.found_by
                && self.member(m).is_none()
            {
                c.fail(
                    format!("functions[{i}].found_by"),
                    Reason::NotInProject {
                        what: "member".into(),
                    },
                );
            }
        }
        for (i, m) in self.moments.iter().enumerate() {
            check_text(c, &format!("moments[{i}].title"), &m.title, NAME_MAX);
            for (j, r) in m.evidence.iter().enumerate() {
                if !self.has_evidence(*r) {
                    c.fail(
                        format!("moments[{i}].evidence[{j}]"),
                        Reason::NotInProject {
                            what: "evidence".into(),
                        },
                    );
                }
            }
            for (j, s) in m.stances.iter().enumerate() {
                check_optional(
                    c,
                    &format!("moments[{i}].stances[{j}].reason"),
                    &s.reason,
                    TEXT_MAX,
                );
                for (k, f) in s.functions.iter().enumerate() {
                    if self.function(*f).is_none() {
                        c.fail(
                            format!("moments[{i}].stances[{j}].functions[{k}]"),
                            Reason::NotInProject {
                                what: "function".into(),
                            },
                        );
                    }
                }
                if let Some(by) = s.recorded_by
                    && self.member(by).is_none()
                {
                    c.fail(
                        format!("moments[{i}].stances[{j}].recorded_by"),
                        Reason::NotInProject {
                            what: "member".into(),
                        },
                    );
                }
            }
        }
        if let Some(f) = &self.focus {
            if self.moment(f.moment_id).is_none() {
                c.fail(
                    "focus.moment_id",
                    Reason::NotInProject {
                        what: "moment".into(),
                    },
                );
            }
            for (k, id) in f.functions.iter().enumerate() {
                if self.function(*id).is_none() {
                    c.fail(
                        format!("focus.functions[{k}]"),
                        Reason::NotInProject {
                            what: "function".into(),
                        },
                    );
                }
            }
        }
        for (i, r) in self.reflections.iter().enumerate() {
            check_text(c, &format!("reflections[{i}].text"), &r.text, TEXT_MAX);
            for (j, e) in r.evidence.iter().enumerate() {
                if !self.has_evidence(*e) {
                    c.fail(
                        format!("reflections[{i}].evidence[{j}]"),
                        Reason::NotInProject {
                            what: "evidence".into(),
                        },
                    );
                }
            }
        }
    }

    /// Images: each description within the rules, and every photo and screenshot
    /// naming one the project holds.
    fn check_attachments(&self, c: &mut Checker) {
        for (i, a) in self.attachments.iter().enumerate() {
            for (field, reason) in a.problems() {
                c.fail(format!("attachments[{i}].{field}"), reason);
            }
        }
        let mut resolve = |at: String, ids: &[AttachmentId]| {
            for (j, id) in ids.iter().enumerate() {
                if self.attachment(*id).is_none() {
                    c.fail(
                        format!("{at}[{j}]"),
                        Reason::NotInProject {
                            what: "image".into(),
                        },
                    );
                }
            }
        };
        for (i, o) in self.observations.iter().enumerate() {
            resolve(format!("observations[{i}].photos"), &o.photos);
        }
        for (i, f) in self.functions.iter().enumerate() {
            resolve(format!("functions[{i}].screenshots"), &f.screenshots);
        }
    }

    /// Checks the whole project; every problem is reported with its path.
    pub fn check(&self) -> Result<(), crate::invalid::Invalid> {
        let mut c = Checker::new();
        check_text(&mut c, "title", &self.title, NAME_MAX);
        check_optional(&mut c, "description", &self.description, TEXT_MAX);
        if self.round == 0 {
            c.fail("round", Reason::AtLeast { min: 1 });
        }
        if let Some(ctx) = &self.carried_over
            && ctx.previous_round + 1 != self.round
        {
            c.fail("carried_over.previous_round", Reason::RoundBefore);
        }
        let mut seen = HashSet::new();
        for (path, id) in self.all_ids() {
            if !seen.insert(id) {
                c.fail(
                    path,
                    Reason::Repeats {
                        value: id.to_string(),
                    },
                );
            }
        }
        self.check_people(&mut c);
        self.check_stories(&mut c);
        self.check_observations(&mut c);
        self.check_scan_and_protocols(&mut c);
        self.check_attachments(&mut c);
        self.check_presentation_questions(&mut c);
        for (i, q) in self.quotes.iter().enumerate() {
            for (field, reason) in q.problems() {
                c.fail(format!("quotes[{i}].{field}"), reason);
            }
        }
        c.finish()
    }
}

#[cfg(test)]
mod tests {
    use crate::research::fixture;
    use crate::research::ids::MemberId;
    use crate::value::Phase;

    #[test]
    fn a_project_built_through_the_methods_is_consistent() {
        assert!(fixture::full_project().check().is_ok());
        assert!(fixture::empty_project().check().is_ok());
    }

    #[test]
    fn broken_references_are_reported_by_path() {
        let mut p = fixture::full_project();
        p.stories[0].value_statements[0].phase = Phase::After;
        p.groups[0].members.push(MemberId::new());
        let first = p.groups[0].members[0];
        p.groups[0].members.push(first);
        p.moments[1].id = p.moments[0].id;
        p.title = " padded".into();
        let e = p.check().unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "title",
                "moments[1].id",
                "groups[0].members[4]",
                "groups[0].members[5]",
                "stories[0].value_statements[0].phase",
            ],
            "{e}"
        );
    }
}
