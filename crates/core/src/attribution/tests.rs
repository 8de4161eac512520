use super::*;
use proptest::prelude::*;

fn path(channels: &[u16], outcome: bool, count: u64) -> Path {
    Path {
        channels: channels.to_vec(),
        outcome,
        count,
    }
}

fn near(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance * (1.0 + a.abs().max(b.abs()))
}

fn assert_near(got: &[f64], expected: &[f64]) {
    assert_eq!(got.len(), expected.len(), "{got:?} vs {expected:?}");
    for (g, e) in got.iter().zip(expected) {
        assert!(near(*g, *e, 1e-12), "{got:?} vs {expected:?}");
    }
}

fn credits(paths: &[Path], channels: usize, model: Model) -> Credits {
    attribute(paths, channels, model).unwrap()
}

/// The classic example, C1 = 0, C2 = 1, C3 = 2: C1→C2→C3 converts, C1 ends in
/// null, C2→C3 converts. Two outcomes.
fn classic() -> Vec<Path> {
    vec![
        path(&[0, 1, 2], true, 1),
        path(&[0], false, 1),
        path(&[1, 2], true, 1),
    ]
}

#[test]
fn the_rule_models_on_the_classic_paths() {
    let paths = classic();
    // First touch: C1 opens the first path, C2 the third.
    assert_near(
        &credits(&paths, 3, Model::FirstTouch).per_channel,
        &[1.0, 1.0, 0.0],
    );
    // Last touch: C3 closes both.
    assert_near(
        &credits(&paths, 3, Model::LastTouch).per_channel,
        &[0.0, 0.0, 2.0],
    );
    // Linear: a third each from the first path, a half each to C2, C3 from the third.
    let linear = credits(&paths, 3, Model::Linear);
    assert_near(&linear.per_channel, &[1.0 / 3.0, 5.0 / 6.0, 5.0 / 6.0]);
    // Position-based: 0.4 / 0.2 / 0.4 from the first path, 0.5 / 0.5 from the third.
    let position = credits(&paths, 3, Model::PositionBased);
    assert_near(&position.per_channel, &[0.4, 0.7, 0.9]);
    for model in [Model::FirstTouch, Model::Linear, Model::PositionBased] {
        let c = credits(&paths, 3, model);
        assert_eq!((c.model, c.outcomes, c.unattributed), (model, 2, 0));
    }
}

#[test]
fn markov_on_the_classic_paths() {
    // Start → C1 2/3, → C2 1/3; C1 → C2 1/2, → null 1/2; C2 → C3 1; C3 → conversion 1.
    // P(conversion) = 2/3 · 1/2 + 1/3 = 2/3.
    // Without C1: 1/3, effect 1 - (1/3)/(2/3) = 1/2. Without C2 or C3: 0, effect 1.
    // Credits: 2 outcomes × (1/2, 1, 1) / 2.5 = (0.4, 0.8, 0.8).
    let effects = removal_effects(&classic(), 3).unwrap();
    assert!(near(effects.conversion, 2.0 / 3.0, 1e-12));
    assert_near(&effects.per_channel, &[0.5, 1.0, 1.0]);
    let c = credits(&classic(), 3, Model::Markov);
    assert_near(&c.per_channel, &[0.4, 0.8, 0.8]);
    assert_eq!((c.outcomes, c.unattributed), (2, 0));
}

#[test]
fn markov_solves_a_chain_that_goes_back_and_forth() {
    // A = 0, B = 1: A→B converts, B→A ends in null, A converts.
    // Start → A 2/3, → B 1/3. A → B 1/3, → null 1/3, → conversion 1/3.
    // B → A 1/2, → conversion 1/2.
    // x_A = 1/3 + x_B/3, x_B = 1/2 + x_A/2 give x_A = 3/5, x_B = 4/5;
    // P = 2/3 · 3/5 + 1/3 · 4/5 = 2/3.
    // Without A: x_B = 1/2, P = 1/6, effect 3/4. Without B: x_A = 1/3, P = 2/9,
    // effect 2/3. Credits: 2 × (3/4, 2/3) / (17/12) = (18/17, 16/17).
    let paths = [
        path(&[0, 1], true, 1),
        path(&[1, 0], false, 1),
        path(&[0], true, 1),
    ];
    let effects = removal_effects(&paths, 2).unwrap();
    assert!(near(effects.conversion, 2.0 / 3.0, 1e-12));
    assert_near(&effects.per_channel, &[0.75, 2.0 / 3.0]);
    assert_near(
        &credits(&paths, 2, Model::Markov).per_channel,
        &[18.0 / 17.0, 16.0 / 17.0],
    );
}

#[test]
fn markov_gives_the_same_answer_with_repeated_touches() {
    // The classic paths with touches repeated: self-loops change no chance.
    let paths = [
        path(&[0, 0, 1, 2, 2, 2], true, 1),
        path(&[0, 0], false, 1),
        path(&[1, 1, 2], true, 1),
    ];
    assert_near(
        &removal_effects(&paths, 3).unwrap().per_channel,
        &[0.5, 1.0, 1.0],
    );
    assert_near(
        &credits(&paths, 3, Model::Markov).per_channel,
        &[0.4, 0.8, 0.8],
    );
}

#[test]
fn repeated_touches_take_shares_in_the_rule_models() {
    let paths = [path(&[0, 0, 1], true, 3)];
    // Linear: a third of 3 per touch; position-based: 0.4 + 0.2 of 3 to the first
    // channel's two touches, 0.4 of 3 to the last.
    assert_near(&credits(&paths, 2, Model::Linear).per_channel, &[2.0, 1.0]);
    assert_near(
        &credits(&paths, 2, Model::PositionBased).per_channel,
        &[1.8, 1.2],
    );
    let once = [paths[0].without_repeats()];
    assert_eq!(once[0], path(&[0, 1], true, 3));
    assert_near(&credits(&once, 2, Model::Linear).per_channel, &[1.5, 1.5]);
}

#[test]
fn position_based_spreads_a_fifth_over_the_middle() {
    let paths = [
        path(&[0, 1, 2, 3], true, 2), // 0.8, 0.2, 0.2, 0.8
        path(&[4], true, 3),          // 3 to channel 4
        path(&[0, 4], true, 1),       // 0.5 each
        path(&[1, 2, 3], false, 7),   // no outcome: no credit
        path(&[], true, 5),           // straight in: unattributed
        path(&[], false, 9),
    ];
    let c = credits(&paths, 6, Model::PositionBased);
    assert_near(&c.per_channel, &[1.3, 0.2, 0.2, 0.8, 3.5, 0.0]);
    assert_eq!((c.outcomes, c.unattributed), (11, 5));
    let linear = credits(&paths, 6, Model::Linear);
    assert_near(&linear.per_channel, &[1.0, 0.5, 0.5, 0.5, 3.5, 0.0]);
    let first = credits(&paths, 6, Model::FirstTouch);
    assert_near(&first.per_channel, &[3.0, 0.0, 0.0, 0.0, 3.0, 0.0]);
    let last = credits(&paths, 6, Model::LastTouch);
    assert_near(&last.per_channel, &[0.0, 0.0, 0.0, 2.0, 4.0, 0.0]);
    let markov = credits(&paths, 6, Model::Markov);
    assert_eq!(markov.unattributed, 5);
    assert_eq!(markov.per_channel[5], 0.0);
}

#[test]
fn no_outcomes_give_zero_credit_everywhere() {
    let without = [
        path(&[0, 1], false, 4),
        path(&[], false, 2),
        path(&[2], false, 1),
    ];
    for model in Model::ALL.iter().copied() {
        for paths in [&without[..], &[]] {
            let c = credits(paths, 3, model);
            assert_eq!((c.outcomes, c.unattributed), (0, 0));
            assert_eq!(c.per_channel, vec![0.0; 3], "{model:?}");
        }
        assert_eq!(credits(&[], 0, model).per_channel, Vec::<f64>::new());
    }
    assert_eq!(removal_effects(&without, 3).unwrap().conversion, 0.0);
}

#[test]
fn only_direct_outcomes_are_all_unattributed() {
    let paths = [path(&[], true, 4), path(&[0], false, 1)];
    for model in Model::ALL.iter().copied() {
        let c = credits(&paths, 1, model);
        assert_eq!((c.outcomes, c.unattributed), (4, 4), "{model:?}");
        assert_eq!(c.per_channel, vec![0.0]);
    }
}

#[test]
fn an_unknown_channel_is_refused() {
    let paths = [path(&[0], true, 1), path(&[1, 3], true, 1)];
    let unknown = AttributionError::UnknownChannel {
        path: 1,
        channel: 3,
        channels: 3,
    };
    for model in Model::ALL.iter().copied() {
        assert_eq!(attribute(&paths, 3, model), Err(unknown.clone()));
    }
    assert_eq!(removal_effects(&paths, 3), Err(unknown));
    assert!(attribute(&paths, 4, Model::Markov).is_ok());
}

#[test]
fn markov_refuses_more_channels_than_it_can_solve() {
    let many = MARKOV_MAX_CHANNELS + 1;
    let paths: Vec<Path> = (0..many as u16).map(|c| path(&[c], true, 1)).collect();
    assert_eq!(
        attribute(&paths, many, Model::Markov),
        Err(AttributionError::TooManyChannels {
            max: MARKOV_MAX_CHANNELS,
            got: many
        })
    );
    assert!(attribute(&paths, many, Model::Linear).is_ok());
    // Channels that no path touches are not states.
    assert!(attribute(&paths[..MARKOV_MAX_CHANNELS], many, Model::Markov).is_ok());
}

#[test]
fn grouping_adds_the_counts_of_identical_paths() {
    let grouped = Path::group([
        path(&[1, 0], true, 2),
        path(&[0], false, 1),
        path(&[1, 0], true, 3),
        path(&[1, 0], false, 1),
        Path::new(vec![0], false),
    ]);
    assert_eq!(
        grouped,
        vec![
            path(&[0], false, 2),
            path(&[1, 0], false, 1),
            path(&[1, 0], true, 5),
        ]
    );
}

#[test]
fn models_and_credits_as_json() {
    assert_eq!(
        serde_json::to_string(&Model::PositionBased).unwrap(),
        "\"position_based\""
    );
    let c = credits(&classic(), 3, Model::LastTouch);
    let json = serde_json::to_value(&c).unwrap();
    assert_eq!(json["model"], "last_touch");
    assert_eq!(json["unattributed"], 0);
    let p: Path = serde_json::from_str(r#"{"channels":[2,0],"outcome":true}"#).unwrap();
    assert_eq!(p, path(&[2, 0], true, 1));
}

/// P(conversion) of the chain learnt from `paths` with `removed` cut out, by
/// iterating the chain to its fixed point. Unlike the engine it keeps self-loops in
/// the counts and solves one chain per removed channel: a check from another road.
fn iterated_conversion(paths: &[Path], channels: usize, removed: Option<usize>) -> f64 {
    let n = channels;
    let (mut start, mut moves) = (vec![0.0; n], vec![vec![0.0; n]; n]);
    let (mut conversion, mut out) = (vec![0.0; n], vec![0.0; n]);
    for p in paths.iter().filter(|p| !p.channels.is_empty()) {
        let w = p.count as f64;
        let c: Vec<usize> = p.channels.iter().map(|&c| usize::from(c)).collect();
        start[c[0]] += w;
        for pair in c.windows(2) {
            moves[pair[0]][pair[1]] += w;
            out[pair[0]] += w;
        }
        let last = c[c.len() - 1];
        out[last] += w;
        if p.outcome {
            conversion[last] += w;
        }
    }
    let mut x = vec![0.0; n];
    for _ in 0..1_000_000 {
        let mut change: f64 = 0.0;
        for i in (0..n).filter(|&i| out[i] > 0.0 && Some(i) != removed) {
            let reached: f64 = (0..n).map(|j| moves[i][j] * x[j]).sum();
            let next = (reached + conversion[i]) / out[i];
            change = change.max((next - x[i]).abs());
            x[i] = next;
        }
        if change < 1e-15 {
            break;
        }
    }
    let starts: f64 = start.iter().sum();
    if starts == 0.0 {
        return 0.0;
    }
    (0..n).map(|i| start[i] * x[i]).sum::<f64>() / starts
}

fn path_sets() -> impl Strategy<Value = (usize, Vec<Path>)> {
    (1usize..7).prop_flat_map(|channels| {
        let one = (
            prop::collection::vec(0..channels as u16, 0..7),
            any::<bool>(),
            1u64..60,
        )
            .prop_map(|(channels, outcome, count)| Path {
                channels,
                outcome,
                count,
            });
        (Just(channels), prop::collection::vec(one, 0..25))
    })
}

proptest! {
    #[test]
    fn credits_add_up_to_the_outcomes((channels, paths) in path_sets()) {
        let outcomes: u64 = paths.iter().filter(|p| p.outcome).map(|p| p.count).sum();
        for model in Model::ALL.iter().copied() {
            let c = attribute(&paths, channels, model).unwrap();
            prop_assert_eq!(c.outcomes, outcomes);
            prop_assert_eq!(c.per_channel.len(), channels);
            prop_assert!(c.per_channel.iter().all(|x| x.is_finite() && *x >= 0.0), "{:?}", c);
            let total = c.per_channel.iter().sum::<f64>() + c.unattributed as f64;
            prop_assert!(
                (total - outcomes as f64).abs() <= 1e-9 * (outcomes as f64).max(1.0),
                "{:?}: {} vs {}", model, total, outcomes
            );
        }
    }

    #[test]
    fn markov_agrees_with_the_chain_iterated_to_its_fixed_point((channels, paths) in path_sets()) {
        let effects = removal_effects(&paths, channels).unwrap();
        let whole = iterated_conversion(&paths, channels, None);
        prop_assert!(near(effects.conversion, whole, 1e-9), "{} vs {}", effects.conversion, whole);
        for c in 0..channels {
            let expected = if whole > 0.0 {
                1.0 - iterated_conversion(&paths, channels, Some(c)) / whole
            } else {
                0.0
            };
            prop_assert!(
                near(effects.per_channel[c], expected, 1e-9),
                "channel {}: {} vs {}", c, effects.per_channel[c], expected
            );
        }
    }

    #[test]
    fn a_channel_that_only_leads_to_null_gets_nothing(
        (channels, paths) in path_sets(),
        dead_ends in prop::collection::vec(
            (prop::collection::vec(0u16..6, 0..4), 1usize..3, 1u64..60),
            1..6,
        ),
    ) {
        // Channel `channels` is the last stop of some journeys without an outcome
        // and appears nowhere else.
        let dead = channels as u16;
        let mut all = paths;
        for (before, repeats, count) in dead_ends {
            let mut touches: Vec<u16> = before.into_iter().filter(|&c| c < dead).collect();
            touches.extend(std::iter::repeat_n(dead, repeats));
            all.push(Path { channels: touches, outcome: false, count });
        }
        prop_assert_eq!(removal_effects(&all, channels + 1).unwrap().per_channel[channels], 0.0);
        prop_assert_eq!(credits(&all, channels + 1, Model::Markov).per_channel[channels], 0.0);
    }

    #[test]
    fn a_channel_every_conversion_must_pass_has_removal_effect_one(
        (channels, paths) in path_sets(),
    ) {
        // Channel `channels` is the last touch before every outcome, so no move into
        // conversion leaves from anywhere else.
        let gate = channels as u16;
        let all: Vec<Path> = paths
            .into_iter()
            .map(|mut p| {
                if p.outcome {
                    p.channels.push(gate);
                }
                p
            })
            .collect();
        let effects = removal_effects(&all, channels + 1).unwrap();
        if all.iter().any(|p| p.outcome) {
            prop_assert!(near(effects.per_channel[channels], 1.0, 1e-12), "{:?}", effects);
        } else {
            prop_assert_eq!(effects.per_channel[channels], 0.0);
        }
    }

    #[test]
    fn grouping_changes_no_credit((channels, paths) in path_sets()) {
        // Each path split into persons of their own, then grouped back.
        let persons: Vec<Path> = paths
            .iter()
            .flat_map(|p| std::iter::repeat_n(Path { count: 1, ..p.clone() }, p.count as usize))
            .collect();
        let grouped = Path::group(persons);
        let people = |ps: &[Path]| ps.iter().map(|p| p.count).sum::<u64>();
        prop_assert_eq!(people(&grouped), people(&paths));
        for model in Model::ALL.iter().copied() {
            let (a, b) = (credits(&paths, channels, model), credits(&grouped, channels, model));
            prop_assert_eq!((a.outcomes, a.unattributed), (b.outcomes, b.unattributed));
            for (x, y) in a.per_channel.iter().zip(&b.per_channel) {
                prop_assert!(near(*x, *y, 1e-9), "{:?}: {:?} vs {:?}", model, a, b);
            }
        }
    }

    #[test]
    fn markov_is_the_same_without_repeats((channels, paths) in path_sets()) {
        let once: Vec<Path> = paths.iter().map(Path::without_repeats).collect();
        let a = credits(&paths, channels, Model::Markov);
        let b = credits(&once, channels, Model::Markov);
        for (x, y) in a.per_channel.iter().zip(&b.per_channel) {
            prop_assert!(near(*x, *y, 1e-9), "{:?} vs {:?}", a, b);
        }
    }
}
