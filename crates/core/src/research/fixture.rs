//! Hand-built projects for the tests, made only through the public methods.
//!
//! The full project is a clothing shop's first round: two stories, an observation
//! week, three digital functions, four moments (one for each of Autonomise,
//! Automate, Strengthen and one unclassified), the opening-hours focus and a
//! reflection. Every step is done on `today()`.

use super::evidence::EvidenceRef;
use super::focus::FocusInput;
use super::ids::MemberId;
use super::implementation::{ImplementationInput, TaskInput};
use super::observation::{ObservationInput, ObservationRoundInput, PlacementInput};
use super::project::{GroupInput, MemberInput, Project, ProjectInput, Role};
use super::protocol::{MomentInput, StanceInput};
use super::reflection::ReflectionInput;
use super::scan::DigitalFunctionInput;
use super::story::{QuestionInput, StoryInput, StoryMomentInput, ValueStatementInput};
use crate::ids::ProviderId;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use std::collections::BTreeMap;

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 20, 10, 0, 0)
        .single()
        .expect("a valid time")
}

pub fn today() -> NaiveDate {
    now().date_naive()
}

/// Lena leads; Ahmed, Birgitta, Cecilia and David take part; Olle observes.
pub fn empty_project() -> Project {
    Project::parse(
        &ProjectInput {
            title: Some("Kläder på Torget, våren 2026".into()),
            description: Some("Hur möter vi kunderna när butiken är stängd?".into()),
            members: Some(vec![
                MemberInput::named("Lena", "lead"),
                MemberInput::named("Ahmed", "member"),
                MemberInput::named("Birgitta", "member"),
                MemberInput::named("Cecilia", "member"),
                MemberInput::named("David", "member"),
                MemberInput::named("Olle", "observer"),
            ]),
        },
        ProviderId::new(),
        now(),
    )
    .expect("a valid project")
}

pub fn member_with_role(p: &Project, role: Role) -> MemberId {
    p.members
        .iter()
        .find(|m| m.role == role)
        .map(|m| m.id)
        .expect("a member with the role")
}

fn named(p: &Project, name: &str) -> MemberId {
    p.members
        .iter()
        .find(|m| m.name == name)
        .map(|m| m.id)
        .expect("a member with the name")
}

/// Every step done.
pub fn full_project() -> Project {
    let mut p = empty_project();
    let (lena, ahmed, birgitta, cecilia, olle) = (
        named(&p, "Lena"),
        named(&p, "Ahmed"),
        named(&p, "Birgitta"),
        named(&p, "Cecilia"),
        named(&p, "Olle"),
    );
    p.add_group(&GroupInput {
        name: Some("Grupp 1".into()),
        members: Some(vec![lena, ahmed, birgitta, cecilia]),
    })
    .expect("group");

    // Step 1.
    let haircut = p
        .add_story(
            &StoryInput {
                teller: Some(ahmed),
                purchase: Some("Klippning hos frisören".into()),
                moments: Some(vec![
                    StoryMomentInput::of("before", "Bokade tid i appen sent en kväll", "positive"),
                    StoryMomentInput::of(
                        "during",
                        "Fick vänta, men bjöds på kaffe och kaka",
                        "positive",
                    ),
                ]),
            },
            now(),
        )
        .expect("story");
    let waiting = p.stories[0].moments[1].id;
    p.add_value_statement(
        haircut,
        &ValueStatementInput {
            moment_id: Some(waiting),
            text: Some(
                "Kaffet medan jag väntade gjorde att väntan kändes som omtanke i stället för slöseri."
                    .into(),
            ),
        },
    )
    .expect("value statement");
    p.add_question(
        haircut,
        &QuestionInput {
            text: Some("Hur kändes det att boka så sent?".into()),
            asked_by: Some(birgitta),
            answer: Some("Skönt, jag slapp ringa på dagen".into()),
        },
    )
    .expect("question");
    let jacket = p
        .add_story(
            &StoryInput {
                teller: Some(birgitta),
                purchase: Some("Vinterjacka".into()),
                moments: Some(vec![
                    StoryMomentInput::of(
                        "before",
                        "Kom till butiken efter jobbet, den hade just stängt",
                        "negative",
                    ),
                    StoryMomentInput::of(
                        "during",
                        "Personalen hittade rätt storlek på lagret",
                        "positive",
                    ),
                    StoryMomentInput::of(
                        "after",
                        "Fick tre enkäter på mejl samma vecka",
                        "negative",
                    ),
                ]),
            },
            now(),
        )
        .expect("story");
    let closed_door = p.stories[1].moments[0].id;
    p.add_value_statement(
        jacket,
        &ValueStatementInput {
            moment_id: Some(p.stories[1].moments[1].id),
            text: Some("Att någon letade åt mig gjorde att jag kände mig sedd.".into()),
        },
    )
    .expect("value statement");

    // Step 2.
    let week = p
        .add_observation_round(&ObservationRoundInput {
            name: Some("Vecka 11".into()),
            template_id: None,
            observers: Some(vec![cecilia, olle]),
            starts_on: Some("2026-03-09".into()),
            ends_on: Some("2026-03-15".into()),
        })
        .expect("round");
    let queue = p
        .add_observation(&ObservationInput {
            round_id: Some(week),
            observer: Some(olle),
            observed_on: Some("2026-03-14".into()),
            answers: Some(BTreeMap::from([
                (
                    "situation".to_string(),
                    "Lång kö vid kassan, en kund ställer tillbaka en tröja och går".to_string(),
                ),
                ("time".to_string(), "Lördag 13.30".to_string()),
            ])),
            photos: None,
            echoes: None,
        })
        .expect("observation");
    let phone = p
        .add_observation(&ObservationInput {
            round_id: Some(week),
            observer: Some(cecilia),
            observed_on: Some("2026-03-10".into()),
            answers: Some(BTreeMap::from([
                (
                    "situation".to_string(),
                    "Kund kollar öppettider i mobilen utanför dörren".to_string(),
                ),
                ("digital".to_string(), "Mobil, söker på kartan".to_string()),
            ])),
            photos: None,
            echoes: None,
        })
        .expect("observation");
    for (id, phase, valence) in [(queue, "during", "negative"), (phone, "before", "negative")] {
        p.place_observation(
            id,
            &PlacementInput {
                phase: Some(phase.into()),
                valence: Some(valence.into()),
                landscape: None,
            },
        )
        .expect("placement");
    }

    // Step 3.
    let around_the_clock = p
        .add_function(&DigitalFunctionInput {
            name: Some("Boka och hämta dygnet runt".into()),
            what: Some("Beställ i appen när som helst och hämta i ett skåp utanför butiken".into()),
            how: Some("Kod i mobilen öppnar skåpet".into()),
            when_used: Some("När butiken är stängd".into()),
            where_found: Some("En sportkedjas app".into()),
            phases: Some(vec!["before".into(), "during".into()]),
            motivations: Some(vec!["goal_fulfilment".into()]),
            aspect: Some("useful".into()),
            value: Some("Handla när det passar mig".into()),
            shareable: Some(true),
            found_by: Some(ahmed),
            screenshots: None,
        })
        .expect("function");
    let queue_app = p
        .add_function(&DigitalFunctionInput {
            name: Some("Självscanning".into()),
            what: Some("Scanna varorna med mobilen och betala utan kassakö".into()),
            phases: Some(vec!["during".into()]),
            motivations: Some(vec!["goal_fulfilment".into()]),
            aspect: Some("useful".into()),
            ..Default::default()
        })
        .expect("function");
    p.add_function(&DigitalFunctionInput {
        name: Some("Stämpelkort i appen".into()),
        what: Some("Samla stämplar, lås upp överraskningar och tävla med vänner".into()),
        phases: Some(vec!["after".into()]),
        motivations: Some(vec!["relationships".into(), "experiences".into()]),
        ..Default::default()
    })
    .expect("function");

    // Step 4.
    let outside_hours = p
        .add_moment(&MomentInput {
            phase: Some("before".into()),
            title: Some("Vill handla när butiken är stängd".into()),
            description: None,
            evidence: Some(vec![
                EvidenceRef::StoryMoment(closed_door),
                EvidenceRef::Observation(phone),
            ]),
            landscape: None,
        })
        .expect("moment");
    let mut closed = StanceInput::of(
        "customer",
        "dislike",
        "Butiken var stängd när jag äntligen hade tid",
    );
    closed.functions = Some(vec![around_the_clock]);
    closed.source = Some("asked_customers".into());
    p.record_stance(outside_hours, &closed).expect("stance");
    for s in [
        StanceInput::of(
            "customer",
            "like",
            "Att kunna beställa på kvällen när barnen sover",
        ),
        StanceInput::of("customer", "like", "Att slippa passa öppettider"),
        StanceInput::of(
            "provider",
            "dislike",
            "Att hålla öppet sent kostar mer än det ger",
        ),
    ] {
        p.record_stance(outside_hours, &s).expect("stance");
    }
    let checkout = p
        .add_moment(&MomentInput {
            phase: Some("during".into()),
            title: Some("Kön vid kassan".into()),
            evidence: Some(vec![EvidenceRef::Observation(queue)]),
            ..Default::default()
        })
        .expect("moment");
    let mut slow = StanceInput::of(
        "customer",
        "dislike",
        "Jag tappar lusten när kön står still",
    );
    slow.functions = Some(vec![queue_app]);
    p.record_stance(checkout, &slow).expect("stance");
    p.record_stance(
        checkout,
        &StanceInput::of("provider", "dislike", "Vi ser kunder lämna kön"),
    )
    .expect("stance");
    let coffee = p
        .add_moment(&MomentInput {
            phase: Some("during".into()),
            title: Some("Kaffe medan man väntar".into()),
            evidence: Some(vec![EvidenceRef::StoryMoment(waiting)]),
            ..Default::default()
        })
        .expect("moment");
    p.record_stance(
        coffee,
        &StanceInput::of("customer", "like", "Det känns omtänksamt"),
    )
    .expect("stance");
    p.record_stance(
        coffee,
        &StanceInput::of("provider", "like", "Kunderna stannar och pratar"),
    )
    .expect("stance");
    let surveys = p
        .add_moment(&MomentInput {
            phase: Some("after".into()),
            title: Some("Enkäter på mejl".into()),
            ..Default::default()
        })
        .expect("moment");
    p.record_stance(
        surveys,
        &StanceInput::of("customer", "dislike", "För många och för långa"),
    )
    .expect("stance");
    p.choose_focus(&FocusInput {
        moment_id: Some(outside_hours),
        action: None,
        reason: Some("Flest berättelser och observationer pekar hit".into()),
        functions: Some(vec![around_the_clock]),
    })
    .expect("focus");

    // Step 5.
    p.add_reflection(&ReflectionInput {
        text: Some(
            "Kunderna vill själva välja när de handlar; låt appen och skåpet ta kvällarna.".into(),
        ),
        author: Some(lena),
        evidence: Some(vec![
            EvidenceRef::Moment(outside_hours),
            EvidenceRef::StoryMoment(closed_door),
        ]),
    })
    .expect("reflection");
    p.decide_implementation(&ImplementationInput {
        route: Some("join".into()),
        partnership: Some("together".into()),
        note: Some("Skåpen som centrumföreningen redan hyr ut".into()),
    })
    .expect("implementation");
    p.add_task(&TaskInput {
        who: Some("Lena".into()),
        what: Some("Fråga centrumföreningen om ett skåp vid entrén".into()),
        when: chrono::NaiveDate::from_ymd_opt(2026, 12, 15),
    })
    .expect("task");
    p
}
