//! The café's research project: a team that has walked through all five steps, built
//! through the research engine's own methods, so it passes the same progress rules as
//! a project made by hand.
//!
//! The engine gives every new thing a fresh time-ordered id; the demo re-seeds them
//! from its seed through the export document, so the same seed and anchor give the
//! same project, ids included.

use crate::ids::ProviderId;
use crate::invalid::{Invalid, Reason};
use crate::research::{
    DigitalFunctionInput, EvidenceRef, FocusInput, GroupInput, MemberId, MemberInput, MergeInput,
    MomentInput, ObservationInput, ObservationRoundInput, PlacementInput, Project, ProjectInput,
    QuestionInput, ReflectionInput, StanceInput, StoryInput, StoryMomentInput, ValueStatementInput,
    classify,
};
use crate::value::Action;
use chrono::{DateTime, Duration, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// What the demo project holds, for tests to compare with what is read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResearchTruth {
    pub title: String,
    pub stories: usize,
    pub observations: usize,
    pub functions: usize,
    pub moments: usize,
    /// The four-field action of each moment, in the project's order.
    pub actions: Vec<Action>,
    pub focus: Option<Action>,
    pub reflections: usize,
}

/// The café's project, owned by `provider`, finished by `anchor`: the observation
/// round ended three weeks before it, the reflections were written the week before.
pub fn project(
    seed: u64,
    provider: ProviderId,
    anchor: DateTime<Utc>,
) -> Result<(Project, ResearchTruth), Invalid> {
    let built = walk(provider, anchor)?;
    let project = reseeded(&built, seed)?;
    let truth = ResearchTruth {
        title: project.title.clone(),
        stories: project.stories.len(),
        observations: project.observations.len(),
        functions: project.functions.len(),
        moments: project.moments.len(),
        actions: project
            .moments
            .iter()
            .filter_map(|m| classify(m).ok().map(|q| q.action))
            .collect(),
        focus: project.focus.as_ref().map(|f| f.action),
        reflections: project.reflections.len(),
    };
    Ok((project, truth))
}

/// The project with every id the engine made replaced by one from `seed`, in the
/// order the export document first names them; the provider's id stays.
fn reseeded(project: &Project, seed: u64) -> Result<Project, Invalid> {
    let mut doc = project.export().map_err(|e| {
        Invalid::one(
            "project",
            Reason::Unreadable {
                detail: e.to_string(),
            },
        )
    })?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x7265_7365_6172_6368);
    let created = u64::try_from(project.created_at.timestamp_millis()).unwrap_or(0);
    let keep = project.provider_id.0;
    let mut fresh: HashMap<Uuid, Uuid> = HashMap::new();
    let mut next = 0u64;
    replace_ids(&mut doc, &mut |old| {
        if old == keep {
            return old;
        }
        *fresh.entry(old).or_insert_with(|| {
            // One millisecond apart, so the new ids sort in the order they were named.
            next += 1;
            uuid::Builder::from_unix_timestamp_millis(created + next, &rng.random()).into_uuid()
        })
    });
    Project::import(doc)
}

fn replace_ids(value: &mut Value, map: &mut impl FnMut(Uuid) -> Uuid) {
    match value {
        Value::String(s) => {
            if let Ok(id) = Uuid::parse_str(s) {
                *s = map(id).to_string();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| replace_ids(v, map)),
        Value::Object(fields) => fields.values_mut().for_each(|v| replace_ids(v, map)),
        _ => {}
    }
}

fn answers(pairs: &[(&str, &str)]) -> Option<BTreeMap<String, String>> {
    Some(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

/// The five steps, walked in order by the café's team.
fn walk(provider: ProviderId, anchor: DateTime<Utc>) -> Result<Project, Invalid> {
    let day = |days_before: i64| anchor - Duration::days(days_before);
    let date = |days_before: i64| day(days_before).date_naive().to_string();
    let mut p = Project::parse(
        &ProjectInput {
            title: Some("Kafé Kanelbullen: väntan och appen".into()),
            description: Some(
                "Varför väntar de som beställer i appen längst, och vad gör vi åt det?".into(),
            ),
            members: Some(vec![
                MemberInput::named("Maja", "lead"),
                MemberInput::named("Sara", "member"),
                MemberInput::named("Amira", "member"),
                MemberInput::named("Jonas", "member"),
                MemberInput::named("Elin", "member"),
                MemberInput::named("Per", "observer"),
            ]),
        },
        provider,
        day(45),
    )?;
    let named = |p: &Project, name: &str| -> MemberId {
        p.members
            .iter()
            .find(|m| m.name == name)
            .map(|m| m.id)
            .unwrap_or_default()
    };
    let (maja, sara, amira, jonas, elin, per) = (
        named(&p, "Maja"),
        named(&p, "Sara"),
        named(&p, "Amira"),
        named(&p, "Jonas"),
        named(&p, "Elin"),
        named(&p, "Per"),
    );
    p.add_group(&GroupInput {
        name: Some("Morgonpasset".into()),
        members: Some(vec![maja, sara, amira, jonas, elin]),
    })?;

    // Step 1: stories of a recent purchase, told and questioned in the group.
    let lunch = p.add_story(
        &StoryInput {
            teller: Some(sara),
            purchase: Some("Lunch på ett kafé i en annan stad".into()),
            moments: Some(vec![
                StoryMomentInput::of(
                    "before",
                    "Såg dagens soppa på kaféets sida i mobilen",
                    "positive",
                ),
                StoryMomentInput::of(
                    "during",
                    "Beställde i appen men stod ändå i samma kö som alla andra",
                    "negative",
                ),
                StoryMomentInput::of(
                    "after",
                    "Fick en stämpel och en tack-hälsning i appen",
                    "positive",
                ),
            ]),
        },
        day(44),
    )?;
    let queue_moment = p.stories[0].moments[1].id;
    p.add_value_statement(
        lunch,
        &ValueStatementInput {
            moment_id: Some(queue_moment),
            text: Some(
                "När jag har beställt i förväg vill jag att det ska märkas, annars kunde jag lika gärna ha köat."
                    .into(),
            ),
        },
    )?;
    p.add_question(
        lunch,
        &QuestionInput {
            text: Some("Vad hade du velat se när du kom in?".into()),
            asked_by: Some(jonas),
            answer: Some("En egen hylla där min beställning stod klar".into()),
        },
    )?;
    let bakery = p.add_story(
        &StoryInput {
            teller: Some(amira),
            purchase: Some("Fikabröd till jobbet".into()),
            moments: Some(vec![
                StoryMomentInput::of(
                    "before",
                    "Ringde och förbeställde trettio bullar",
                    "positive",
                ),
                StoryMomentInput::of(
                    "during",
                    "Personalen kände igen mig och hade allt packat",
                    "positive",
                ),
            ]),
        },
        day(44),
    )?;
    let known_moment = p.stories[1].moments[1].id;
    p.add_value_statement(
        bakery,
        &ValueStatementInput {
            moment_id: Some(known_moment),
            text: Some("Att de kom ihåg mig gjorde att jag kände mig som stamkund.".into()),
        },
    )?;
    p.add_story(
        &StoryInput {
            teller: Some(jonas),
            purchase: Some("Kaffe på tågstationen".into()),
            moments: Some(vec![
                StoryMomentInput::of(
                    "during",
                    "Beställningsskärmen var snabb, jag hann med tåget",
                    "positive",
                ),
                StoryMomentInput::of(
                    "after",
                    "Fick tre erbjudanden i appen samma kväll",
                    "negative",
                ),
            ]),
        },
        day(43),
    )?;
    let offers_moment = p.stories[2].moments[1].id;

    // Step 2: a week of watching customers in the café.
    let week = p.add_observation_round(&ObservationRoundInput {
        name: Some("Observationsveckan".into()),
        template_id: None,
        observers: Some(vec![elin, per]),
        starts_on: Some(date(28)),
        ends_on: Some(date(22)),
    })?;
    let pickup = p.add_observation(&ObservationInput {
        round_id: Some(week),
        observer: Some(per),
        observed_on: Some(date(27)),
        answers: answers(&[
            ("place", "Disken, lunchrusningen"),
            ("time", "Tisdag 12.10"),
            (
                "situation",
                "En kund visar en appbeställning och får ställa sig sist i kön",
            ),
            ("reactions", "Suckar och tittar på klockan"),
        ]),
        photos: None,
        echoes: None,
    })?;
    let kiosk = p.add_observation(&ObservationInput {
        round_id: Some(week),
        observer: Some(elin),
        observed_on: Some(date(25)),
        answers: answers(&[
            ("place", "Kiosken vid entrén"),
            ("time", "Torsdag 08.40"),
            (
                "situation",
                "Tre pendlare beställer i kiosken medan kön vid disken står still",
            ),
            ("digital", "Beställningskiosk, kortbetalning"),
        ]),
        photos: None,
        echoes: None,
    })?;
    let menu = p.add_observation(&ObservationInput {
        round_id: Some(week),
        observer: Some(elin),
        observed_on: Some(date(23)),
        answers: answers(&[
            ("place", "Utanför fönstret"),
            ("time", "Lördag 10.15"),
            ("situation", "Ett par läser menyn i mobilen innan de går in"),
            ("digital", "Kaféets app, menysidan"),
        ]),
        photos: None,
        echoes: None,
    })?;
    for (id, phase, valence) in [
        (pickup, "during", "negative"),
        (kiosk, "during", "positive"),
        (menu, "before", "positive"),
    ] {
        p.place_observation(
            id,
            &PlacementInput {
                phase: Some(phase.into()),
                valence: Some(valence.into()),
                landscape: None,
            },
        )?;
    }

    // Step 3: digital functions found elsewhere.
    let pickup_shelf = p.add_function(&DigitalFunctionInput {
        name: Some("Hämthylla med namn".into()),
        what: Some("Appbeställningar ställs på en egen hylla med kundens namn".into()),
        how: Some("Appen säger till när beställningen står klar".into()),
        where_found: Some("En kaffekedja i Göteborg".into()),
        phases: Some(vec!["during".into()]),
        motivations: Some(vec!["goal_fulfilment".into()]),
        aspect: Some("useful".into()),
        value: Some("Slippa kön när man redan har betalat".into()),
        shareable: Some(true),
        found_by: Some(sara),
        ..Default::default()
    })?;
    p.add_function(&DigitalFunctionInput {
        name: Some("Meny med väntetid".into()),
        what: Some("Menyn i appen visar hur lång väntan är just nu".into()),
        phases: Some(vec!["before".into()]),
        motivations: Some(vec!["goal_fulfilment".into()]),
        aspect: Some("useful".into()),
        found_by: Some(jonas),
        ..Default::default()
    })?;
    let stamps = p.add_function(&DigitalFunctionInput {
        name: Some("Stämpelkort med överraskning".into()),
        what: Some("Var tionde stämpel ger en överraskning som baristan väljer".into()),
        phases: Some(vec!["after".into()]),
        motivations: Some(vec!["relationships".into(), "experiences".into()]),
        value: Some("Känslan av att vara stamkund".into()),
        found_by: Some(amira),
        ..Default::default()
    })?;
    p.add_function(&DigitalFunctionInput {
        name: Some("Påminnelser om erbjudanden".into()),
        what: Some("Pushnotiser om dagens erbjudanden".into()),
        phases: Some(vec!["after".into()]),
        motivations: Some(vec!["experiences".into()]),
        aspect: Some("intrusive".into()),
        value: Some("Få veta om nybakat, om det inte blir för ofta".into()),
        found_by: Some(elin),
        ..Default::default()
    })?;

    // Step 4: one moment in each field of the four-field model.
    let app_queue = p.add_moment(&MomentInput {
        phase: Some("during".into()),
        title: Some("Hämta en appbeställning".into()),
        description: Some("Den som beställt i appen köar ändå vid disken".into()),
        evidence: Some(vec![
            EvidenceRef::StoryMoment(queue_moment),
            EvidenceRef::Observation(pickup),
        ]),
        landscape: None,
    })?;
    // The protocols of these two moments were written person by person, then merged.
    let wrote = |p: &mut Project, moment, by, source: &str, entry: StanceInput| {
        let id = p.write_entry(&StanceInput {
            recorded_by: Some(by),
            source: Some(source.into()),
            ..entry
        })?;
        p.merge_entry(
            id,
            &MergeInput {
                moment_id: Some(moment),
            },
        )
    };
    let mut waited = StanceInput::of("customer", "dislike", "Jag har redan betalat men får vänta");
    waited.functions = Some(vec![pickup_shelf]);
    wrote(&mut p, app_queue, sara, "asked_customers", waited)?;
    wrote(
        &mut p,
        app_queue,
        amira,
        "observations",
        StanceInput::of(
            "customer",
            "dislike",
            "Ingen vet vilken beställning som är min",
        ),
    )?;
    wrote(
        &mut p,
        app_queue,
        maja,
        "own_experience",
        StanceInput::of("provider", "like", "Appen tar trycket från kassan"),
    )?;
    let refill = p.add_moment(&MomentInput {
        phase: Some("during".into()),
        title: Some("Påfyllning av kaffe".into()),
        ..Default::default()
    })?;
    wrote(
        &mut p,
        refill,
        jonas,
        "own_experience",
        StanceInput::of("customer", "dislike", "Att behöva köa igen för en påtår"),
    )?;
    wrote(
        &mut p,
        refill,
        elin,
        "other_providers",
        StanceInput::of("provider", "dislike", "Påtåren stoppar kön vid lunch"),
    )?;
    let kiosk_moment = p.add_moment(&MomentInput {
        phase: Some("during".into()),
        title: Some("Beställa i kiosken".into()),
        evidence: Some(vec![EvidenceRef::Observation(kiosk)]),
        ..Default::default()
    })?;
    p.record_stance(
        kiosk_moment,
        &StanceInput::of("customer", "like", "Snabbt när man vet vad man vill ha"),
    )?;
    p.record_stance(
        kiosk_moment,
        &StanceInput::of(
            "provider",
            "dislike",
            "Kiosken måste torkas och fyllas på med kvittopapper",
        ),
    )?;
    let regulars = p.add_moment(&MomentInput {
        phase: Some("after".into()),
        title: Some("Stamkunden känns igen".into()),
        evidence: Some(vec![EvidenceRef::StoryMoment(known_moment)]),
        ..Default::default()
    })?;
    let mut known = StanceInput::of("customer", "like", "Det känns personligt");
    known.functions = Some(vec![stamps]);
    p.record_stance(regulars, &known)?;
    p.record_stance(
        regulars,
        &StanceInput::of("provider", "like", "Stamkunderna kommer tillbaka"),
    )?;
    let offers = p.add_moment(&MomentInput {
        phase: Some("after".into()),
        title: Some("Erbjudanden i appen".into()),
        evidence: Some(vec![EvidenceRef::StoryMoment(offers_moment)]),
        ..Default::default()
    })?;
    p.record_stance(
        offers,
        &StanceInput::of("customer", "dislike", "För många notiser"),
    )?;
    p.choose_focus(&FocusInput {
        moment_id: Some(app_queue),
        action: None,
        reason: Some(
            "Enkäten visar att appbeställare är minst nöjda med väntan, och berättelserna säger varför"
                .into(),
        ),
        functions: Some(vec![pickup_shelf]),
    })?;

    // Step 5: the team's reflections for the strategy.
    p.add_reflection(&ReflectionInput {
        text: Some(
            "Appen ska spara tid; gör den inte det blir den ett löfte vi bryter. Börja med en hämthylla."
                .into(),
        ),
        author: Some(maja),
        evidence: Some(vec![
            EvidenceRef::Moment(app_queue),
            EvidenceRef::Observation(pickup),
        ]),
    })?;
    p.add_reflection(&ReflectionInput {
        text: Some(
            "Det personliga mötet vid disken är vår styrka; tekniken ska ge baristorna mer tid för det."
                .into(),
        ),
        author: Some(sara),
        evidence: Some(vec![EvidenceRef::Moment(regulars)]),
    })?;
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::{Step, StepState};

    fn anchor() -> DateTime<Utc> {
        "2026-11-23T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn the_same_seed_gives_the_same_project_and_another_seed_other_ids() {
        let provider = ProviderId::new();
        let (a, truth) = project(7, provider, anchor()).unwrap();
        let (b, _) = project(7, provider, anchor()).unwrap();
        assert_eq!(a.export().unwrap(), b.export().unwrap());
        let (c, other) = project(8, provider, anchor()).unwrap();
        assert_ne!(a.id, c.id);
        assert_ne!(a.stories[0].id, c.stories[0].id);
        assert_eq!(truth, other, "the seed changes ids, not the story");
        assert_eq!(a.provider_id, provider);
    }

    #[test]
    fn every_step_is_done_by_the_anchor() {
        let (p, truth) = project(7, ProviderId::new(), anchor()).unwrap();
        let progress = p.progress(anchor().date_naive());
        for step in &progress.steps {
            assert_eq!(
                step.state,
                StepState::Done,
                "step {:?} lacks {:?}",
                step.step,
                step.gaps
            );
        }
        assert_eq!(progress.steps.len(), 5);
        assert_eq!(
            progress.step(Step::Strategy).unwrap().state,
            StepState::Done
        );
        // A moment in every field of the four-field model, and the focus where the
        // surveys point.
        for action in [
            Action::Automate,
            Action::Simplify,
            Action::Autonomise,
            Action::Strengthen,
        ] {
            assert!(truth.actions.contains(&action), "no moment to {action:?}");
        }
        assert_eq!(truth.focus, Some(Action::Simplify));
        // The strategy document cites what the project holds.
        let doc = p.strategy();
        assert!(doc.cited().len() >= truth.moments, "{:?}", doc.cited());
    }
}
