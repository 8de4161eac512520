//! `motesplats demo` shows the method: the café's research project with every step
//! done and two answered, coded surveys, read back from the store and compared with
//! what the generator says it made.

use super::{ok, text};
use chrono::{DateTime, Utc};
use motesplats_core::coding::{Codebook, agreement};
use motesplats_core::demo::research::project;
use motesplats_core::demo::surveys::{CODERS, CafeJourneys, chose, surveys};
use motesplats_core::research::{Project, StepState};

const SEED: u64 = 11;
const PEOPLE: usize = 1000;
const ANCHOR: &str = "2026-11-23T12:00:00Z";

#[tokio::test]
async fn the_demo_holds_what_its_generator_made() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db").display().to_string();
    let (seed, people) = (SEED.to_string(), PEOPLE.to_string());
    let out = text(&ok(&[
        "demo",
        "--seed",
        &seed,
        "--people",
        &people,
        "--anchor",
        ANCHOR,
        "--database",
        &db,
    ]));
    let anchor: DateTime<Utc> = ANCHOR.parse().unwrap();
    let store = motesplats_store::open(&db).await.unwrap();
    let (user, _) = store
        .user_by_email("demo@cafe.example")
        .await
        .unwrap()
        .expect("the café's user");
    let cafe = user.provider_id;

    // The research project: exactly what the engine built, every step done.
    let (expected, research) = project(SEED, cafe, anchor).unwrap();
    let stored = store.projects(cafe).await.unwrap();
    assert_eq!(stored.len(), 1);
    let stored = Project::import(stored[0].document.clone()).unwrap();
    assert_eq!(stored, expected);
    assert_eq!(stored.title, research.title);
    assert_eq!(
        (
            stored.stories.len(),
            stored.moments.len(),
            stored.functions.len()
        ),
        (research.stories, research.moments, research.functions)
    );
    for today in [anchor.date_naive(), Utc::now().date_naive()] {
        for step in stored.progress(today).steps {
            assert_eq!(
                step.state,
                StepState::Done,
                "{:?}: {:?}",
                step.step,
                step.gaps
            );
        }
    }

    // The surveys: every response and coding the generator made, and the designed
    // differences between channels and phases in what was stored.
    let journeys = CafeJourneys::generate(SEED, PEOPLE, anchor);
    let (made, truth) = surveys(SEED, &journeys, anchor).unwrap();
    assert_eq!(
        store.surveys(cafe).await.unwrap().len(),
        truth.surveys.len()
    );
    let book = Codebook::value_landscape();
    let mut stored_responses = Vec::new();
    let (mut responses, mut codings) = (0, 0);
    for (m, t) in made.iter().zip(&truth.surveys) {
        let rs = store.responses(cafe, t.id).await.unwrap();
        assert_eq!(rs.len(), t.responses);
        assert_eq!(rs, m.responses);
        let cs = store.codings(cafe, t.id).await.unwrap();
        let by = |coder: &str| cs.iter().filter(|c| c.coder == coder).count();
        assert_eq!([by(CODERS[0]), by(CODERS[1])], t.codings);
        let a = agreement(&book, &cs, CODERS[0], CODERS[1], 0.95);
        assert_eq!(a.answers, t.coded_by_both);
        assert!(a.overall.is_some(), "{:?}", a.reason);
        responses += rs.len();
        codings += cs.len();
        stored_responses.push(rs);
    }
    for d in truth.designed.iter().filter(|d| d.answers >= 30) {
        let values: Vec<f64> = stored_responses[d.survey]
            .iter()
            .filter(|r| chose(r, d.by, d.group))
            .filter_map(|r| r.answers.get(d.question)?.point(None))
            .map(f64::from)
            .collect();
        assert_eq!(values.len(), d.answers);
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let tolerance = if d.question == "recommend" { 0.9 } else { 0.45 };
        assert!((mean - d.mean).abs() < tolerance, "{mean:.2} for {d:?}");
    }
    assert!(
        out.contains(&format!(
            "2 surveys, {responses} responses, {codings} codings"
        )),
        "{out}"
    );
}
