//! The project: one workshop round owned by a provider, its members and their roles,
//! and the groups of four to five that tell and question stories together.
//!
//! Architecture invariant: `Project` is one aggregate. Every change goes through a
//! method on it that checks the input against what the project already holds, so a
//! teller, an observer, a function or a piece of evidence named anywhere exists.

use super::attachment::Attachment;
use super::focus::Focus;
use super::ids::{GroupId, MemberId, ProjectId};
use super::implementation::Implementation;
use super::input::{NAME_MAX, TEXT_MAX, optional_text, optional_word, required_text};
use super::observation::{Observation, ObservationRound, ProtocolTemplate};
use super::presentation::PresentationQuestion;
use super::protocol::{Moment, StanceRecord};
use super::quote::Quote;
use super::reflection::Reflection;
use super::round::RoundContext;
use super::scan::DigitalFunction;
use super::story::Story;
use crate::ids::{ProviderId, UserId};
use crate::invalid::{Checker, Invalid, Reason};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

labelled_vocabulary!(
    /// What a member does in the workshop.
    Role {
        /// Runs the workshop: plans the steps, keeps time, holds the pen on the strategy.
        Lead => "lead", "ledare", "lead";
        /// Takes part: tells a story, asks, observes, scans and fills in protocols.
        Member => "member", "deltagare", "member";
        /// Follows the work and may observe customers in step 2, but sits in no group
        /// and tells no story.
        Observer => "observer", "observatör", "observer";
    }
);

impl Role {
    /// Leads and members take part in groups and tell stories; observers do not.
    pub fn takes_part(self) -> bool {
        !matches!(self, Role::Observer)
    }
}

/// A person in the project. `user_id` links a provider user who signs in; external
/// participants (a friend, a town-centre manager) have none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Member {
    pub id: MemberId,
    pub name: String,
    pub role: Role,
    pub user_id: Option<UserId>,
}

/// Members who tell and question each other's stories.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Group {
    pub id: GroupId,
    pub name: String,
    pub members: Vec<MemberId>,
}

/// The workshop round with everything the five steps have gathered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Project {
    pub id: ProjectId,
    /// The provider that owns the project (the tenant).
    pub provider_id: ProviderId,
    pub title: String,
    pub description: Option<String>,
    /// 1 for the first round; each `next_round` counts up.
    pub round: u32,
    pub created_at: DateTime<Utc>,
    /// The focus and reflections of the previous round, shown in step 1.
    pub carried_over: Option<RoundContext>,
    pub members: Vec<Member>,
    pub groups: Vec<Group>,
    /// Step 1.
    pub stories: Vec<Story>,
    /// Step 2: the protocols, the rounds and the filled-in observations.
    pub templates: Vec<ProtocolTemplate>,
    pub observation_rounds: Vec<ObservationRound>,
    pub observations: Vec<Observation>,
    /// Step 3.
    pub functions: Vec<DigitalFunction>,
    /// Step 4: moments with their likes and dislikes, and the chosen focus.
    pub moments: Vec<Moment>,
    /// Step 4: likes and dislikes as members wrote them in their own protocols, not
    /// yet merged into a moment. Absent in projects stored before they were kept.
    #[serde(default)]
    pub protocol_entries: Vec<StanceRecord>,
    pub focus: Option<Focus>,
    /// Step 5.
    pub reflections: Vec<Reflection>,
    /// How the focus is carried out, and the plan. Absent in projects from before.
    #[serde(default)]
    pub implementation: Option<Implementation>,
    /// Photos of observations and screenshots of functions: what the store keeps
    /// under each id. Absent in projects exported before images existed.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// Coded quotes from open survey answers (step 1's material in the customers' own
    /// words). Absent in projects exported before quotes existed.
    #[serde(default)]
    pub quotes: Vec<Quote>,
    /// Questions and answers from the presentation rounds of steps 2–4. Absent in
    /// projects stored before they were kept.
    #[serde(default)]
    pub presentation_questions: Vec<PresentationQuestion>,
}

/// A project as a client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectInput {
    pub title: Option<String>,
    pub description: Option<String>,
    /// At least one must be a lead.
    pub members: Option<Vec<MemberInput>>,
}

/// A member as a client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberInput {
    pub name: Option<String>,
    /// `lead`, `member` (default) or `observer`.
    pub role: Option<String>,
    pub user_id: Option<UserId>,
}

/// A group as a client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupInput {
    pub name: Option<String>,
    pub members: Option<Vec<MemberId>>,
}

/// The seed's group size: four to five people.
pub const MIN_GROUP: usize = 4;
pub const MAX_GROUP: usize = 5;

/// Whether a group of `size` follows the method's advice in a project with
/// `participants` leads and members: 4–5 people, or fewer when the whole project has
/// fewer than four participants (no group of four can be formed then). Advice only: a
/// team that sits differently is told so, never stopped (`Advice::GroupSize`).
pub fn group_size_recommended(size: usize, participants: usize) -> bool {
    (MIN_GROUP..=MAX_GROUP).contains(&size) || (participants < MIN_GROUP && size >= 2)
}

impl MemberInput {
    pub fn parse(&self) -> Result<Member, Invalid> {
        let mut c = Checker::new();
        let name = required_text(&mut c, "name", self.name.as_deref(), NAME_MAX);
        let role = optional_word(&mut c, "role", self.role.as_deref(), Role::parse);
        c.finish()?;
        Ok(Member {
            id: MemberId::new(),
            name: name.unwrap_or_default(),
            role: role.unwrap_or(Role::Member),
            user_id: self.user_id,
        })
    }
}

impl Project {
    /// A new first-round project with the default customer-observation protocol.
    pub fn parse(
        input: &ProjectInput,
        provider_id: ProviderId,
        now: DateTime<Utc>,
    ) -> Result<Project, Invalid> {
        let mut c = Checker::new();
        let title = required_text(&mut c, "title", input.title.as_deref(), NAME_MAX);
        let description = optional_text(
            &mut c,
            "description",
            input.description.as_deref(),
            TEXT_MAX,
        );
        let mut members = Vec::new();
        match &input.members {
            None => c.fail("members", Reason::Required),
            Some(list) if list.is_empty() => c.fail("members", Reason::Required),
            Some(list) => {
                for (i, m) in list.iter().enumerate() {
                    let field = format!("members[{i}]");
                    if let Some(m) = c.take(m.parse().map_err(|e| e.within(&field))) {
                        if m.user_id.is_some()
                            && members.iter().any(|o: &Member| o.user_id == m.user_id)
                        {
                            c.fail(
                                format!("{field}.user_id"),
                                Reason::Already {
                                    what: "member".into(),
                                },
                            );
                        }
                        members.push(m);
                    }
                }
                if members.len() == list.len() && !members.iter().any(|m| m.role == Role::Lead) {
                    c.fail("members", Reason::NeedsLead);
                }
            }
        }
        c.finish()?;
        Ok(Project {
            id: ProjectId::new(),
            provider_id,
            title: title.unwrap_or_default(),
            description,
            round: 1,
            created_at: now,
            carried_over: None,
            members,
            groups: Vec::new(),
            stories: Vec::new(),
            templates: vec![ProtocolTemplate::customer_observation()],
            observation_rounds: Vec::new(),
            observations: Vec::new(),
            functions: Vec::new(),
            moments: Vec::new(),
            protocol_entries: Vec::new(),
            focus: None,
            reflections: Vec::new(),
            implementation: None,
            attachments: Vec::new(),
            quotes: Vec::new(),
            presentation_questions: Vec::new(),
        })
    }

    pub fn member(&self, id: MemberId) -> Option<&Member> {
        self.members.iter().find(|m| m.id == id)
    }

    /// Leads and members: the people who sit in groups and tell stories.
    pub fn participants(&self) -> usize {
        self.members.iter().filter(|m| m.role.takes_part()).count()
    }

    /// The group a member sits in, if any.
    pub fn group_of(&self, member: MemberId) -> Option<&Group> {
        self.groups.iter().find(|g| g.members.contains(&member))
    }

    /// Adds a member; a user may be a member once.
    pub fn add_member(&mut self, input: &MemberInput) -> Result<MemberId, Invalid> {
        let m = input.parse()?;
        if m.user_id.is_some() && self.members.iter().any(|o| o.user_id == m.user_id) {
            return Err(Invalid::one(
                "user_id",
                Reason::Already {
                    what: "member".into(),
                },
            ));
        }
        let id = m.id;
        self.members.push(m);
        Ok(id)
    }

    /// Forms a group of leads and members who are in no other group, of a size the
    /// seed recommends (see [`group_size_problem`]).
    pub fn add_group(&mut self, input: &GroupInput) -> Result<GroupId, Invalid> {
        let mut c = Checker::new();
        let name = required_text(&mut c, "name", input.name.as_deref(), NAME_MAX);
        let mut members: Vec<MemberId> = Vec::new();
        match &input.members {
            None => c.fail("members", Reason::Required),
            Some(list) if list.is_empty() => c.fail("members", Reason::Required),
            Some(list) => {
                for (i, id) in list.iter().enumerate() {
                    let field = format!("members[{i}]");
                    match self.member(*id) {
                        None => c.fail(
                            field,
                            Reason::NotInProject {
                                what: "member".into(),
                            },
                        ),
                        Some(m) if !m.role.takes_part() => c.fail(field, Reason::IsObserver),
                        Some(m) => {
                            if let Some(g) = self.group_of(m.id) {
                                c.fail(
                                    field,
                                    Reason::InGroup {
                                        group: g.name.clone(),
                                    },
                                );
                            } else if members.contains(id) {
                                c.fail(
                                    field,
                                    Reason::Repeats {
                                        value: id.to_string(),
                                    },
                                );
                            } else {
                                members.push(*id);
                            }
                        }
                    }
                }
            }
        }
        c.finish()?;
        let id = GroupId::new();
        self.groups.push(Group {
            id,
            name: name.unwrap_or_default(),
            members,
        });
        Ok(id)
    }
}

impl MemberInput {
    /// A member by name and role, as the demo and the tests write one.
    pub(crate) fn named(name: &str, role: &str) -> MemberInput {
        MemberInput {
            name: Some(name.into()),
            role: Some(role.into()),
            user_id: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(name: &str, role: &str) -> MemberInput {
        MemberInput {
            name: Some(name.into()),
            role: Some(role.into()),
            user_id: None,
        }
    }

    fn project(participants: usize) -> Project {
        let mut members = vec![member("Lena", "lead")];
        for i in 1..participants {
            members.push(member(&format!("Deltagare {i}"), "member"));
        }
        members.push(member("Olle", "observer"));
        Project::parse(
            &ProjectInput {
                title: Some("Torget".into()),
                description: None,
                members: Some(members),
            },
            ProviderId::new(),
            Utc::now(),
        )
        .unwrap()
    }

    fn ids(p: &Project, n: usize) -> Vec<MemberId> {
        p.members
            .iter()
            .filter(|m| m.role.takes_part())
            .take(n)
            .map(|m| m.id)
            .collect()
    }

    #[test]
    fn a_project_needs_a_title_and_a_lead() {
        let e = Project::parse(
            &ProjectInput {
                title: Some(" ".into()),
                description: None,
                members: Some(vec![member("Lena", "member"), member("Per", "chef")]),
            },
            ProviderId::new(),
            Utc::now(),
        )
        .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["title", "members[1].role"]);
        let e = Project::parse(
            &ProjectInput {
                title: Some("T".into()),
                description: None,
                members: Some(vec![member("Lena", "member")]),
            },
            ProviderId::new(),
            Utc::now(),
        )
        .unwrap_err();
        assert_eq!(e.0[0].reason, Reason::NeedsLead, "{e}");
    }

    #[test]
    fn group_size_advice() {
        assert!(group_size_recommended(4, 10) && group_size_recommended(5, 10));
        assert!(!group_size_recommended(6, 10) && !group_size_recommended(3, 10));
        // A small workshop of three may work as one group.
        assert!(group_size_recommended(3, 3) && group_size_recommended(2, 2));
        assert!(!group_size_recommended(1, 1));
    }

    #[test]
    fn groups_take_participants_once_each_whatever_their_size() {
        let mut p = project(10);
        let people = ids(&p, 10);
        let g = p
            .add_group(&GroupInput {
                name: Some("Grupp A".into()),
                members: Some(people[..4].to_vec()),
            })
            .unwrap();
        assert_eq!(p.group_of(people[0]).map(|g| g.id), Some(g));

        let e = p
            .add_group(&GroupInput {
                name: Some("Grupp B".into()),
                members: Some(Vec::new()),
            })
            .unwrap_err();
        assert_eq!(
            (e.0[0].field.as_str(), &e.0[0].reason),
            ("members", &Reason::Required)
        );

        let e = p
            .add_group(&GroupInput {
                name: Some("Grupp C".into()),
                members: Some(people[3..9].to_vec()),
            })
            .unwrap_err();
        assert_eq!(e.0[0].field, "members[0]");
        assert_eq!(
            e.0[0].reason,
            Reason::InGroup {
                group: "Grupp A".into()
            },
            "{e}"
        );

        let observer = p
            .members
            .iter()
            .find(|m| m.role == Role::Observer)
            .unwrap()
            .id;
        let mut with_observer = people[4..7].to_vec();
        with_observer.push(observer);
        let e = p
            .add_group(&GroupInput {
                name: Some("Grupp D".into()),
                members: Some(with_observer),
            })
            .unwrap_err();
        assert_eq!(e.0[0].field, "members[3]");
        assert_eq!(e.0[0].reason, Reason::IsObserver);

        // Six, over the advice of four to five, sit together all the same.
        assert!(
            p.add_group(&GroupInput {
                name: Some("Grupp E".into()),
                members: Some(people[4..10].to_vec()),
            })
            .is_ok()
        );
    }

    #[test]
    fn a_small_workshop_may_be_one_small_group() {
        let mut p = project(3);
        let people = ids(&p, 3);
        assert!(
            p.add_group(&GroupInput {
                name: Some("Alla".into()),
                members: Some(people),
            })
            .is_ok()
        );
    }
}
