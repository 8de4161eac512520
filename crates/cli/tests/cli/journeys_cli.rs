//! `motesplats journeys` and `bench journeys`: the journey figures of a database as
//! JSON and CSV, and the demo's touchpoints placed by the benchmark.

use super::{motesplats, ok, text};
use serde_json::Value;

#[test]
fn the_benchmark_places_every_touchpoint_of_a_journey_set() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("set").display().to_string();
    ok(&[
        "demo",
        "--people",
        "300",
        "--anchor",
        "2026-12-01T00:00:00Z",
        "--journey-set",
        &set,
    ]);
    let rows = std::fs::read_to_string(dir.path().join("set/touchpoints.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    let line: Value = serde_json::from_slice(&ok(&["bench", "journeys", "--data", &set])).unwrap();
    assert_eq!(line["touchpoints"], rows);
    let phases = &line["phases"];
    let placed: u64 = ["outside", "before", "during", "after"]
        .iter()
        .map(|p| phases[p].as_u64().unwrap())
        .sum();
    assert_eq!(placed as usize, rows, "{line}");
    assert!(line["journeys"].as_u64().unwrap() > 100, "{line}");
    let steps = line["funnel"].as_array().unwrap();
    assert!(
        steps[0]["journeys"].as_u64() >= steps[2]["journeys"].as_u64(),
        "{line}"
    );
}

#[test]
fn journey_figures_funnels_and_attribution_come_as_json_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db").display().to_string();
    ok(&["demo", "--people", "200", "--database", &db]);
    let c = rusqlite::Connection::open(&db).unwrap();
    let hex: String = c
        .query_row(
            "SELECT lower(hex(id)) FROM providers WHERE name = 'Kafé Kanelbullen'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let cafe = format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    );
    // Each demo provider keeps the journey settings its trade would set.
    let settings = |name: &str| -> Value {
        let text: String = c
            .query_row(
                "SELECT s.document FROM provider_settings s JOIN providers p ON p.id = s.provider_id \
                 WHERE p.name = ?1 AND s.name = 'journeys'",
                [name],
                |r| r.get(0),
            )
            .unwrap();
        serde_json::from_str(&text).unwrap()
    };
    assert_eq!(settings("Hotell Stadsparken")["during_hours"], 48);
    assert!(
        settings("Banken på Torget")["anchors"]
            .as_array()
            .unwrap()
            .contains(&Value::from("support.contact"))
    );
    assert_eq!(settings("Kafé Kanelbullen")["during_hours"], 4);
    let scope = ["--provider", cafe.as_str(), "--database", db.as_str()];
    let run = |args: &[&str]| ok(&[args, &scope[..]].concat());

    let figures: Value = serde_json::from_slice(&run(&["journeys", "figures"])).unwrap();
    let journeys = figures["journeys"].as_u64().unwrap();
    assert!(journeys > 20, "{figures}");
    let mix = text(&run(&["journeys", "figures", "--format", "csv"]));
    assert!(
        mix.starts_with("channel,controlled,before,during,after\n"),
        "{mix}"
    );
    // The mix counts every touchpoint of every journey once.
    let counted: u64 = mix
        .lines()
        .skip(1)
        .flat_map(|l| {
            l.split(',')
                .skip(2)
                .map(|n| n.parse::<u64>().unwrap())
                .collect::<Vec<_>>()
        })
        .sum();
    assert_eq!(counted, figures["touchpoints"].as_u64().unwrap());

    let funnel = text(&run(&[
        "journeys",
        "funnel",
        "--steps",
        "table_booking,visit,purchase",
        "--format",
        "csv",
    ]));
    assert_eq!(funnel.lines().count(), 4, "{funnel}");

    let a: Value = serde_json::from_slice(&run(&["journeys", "attribution"])).unwrap();
    let outcomes = a["outcomes"].as_f64().unwrap() - a["unattributed"].as_f64().unwrap();
    for model in a["models"].as_array().unwrap() {
        let sum: f64 = model["channels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["credit"].as_f64().unwrap())
            .sum();
        assert!((sum - outcomes).abs() < 1e-6, "{model}");
    }

    let bad = motesplats(&[&["journeys", "figures", "--from", "2026-13-01"], &scope[..]].concat());
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("from: \"2026-13-01\" is not a date"),
        "{}",
        text(&bad.stderr)
    );

    // A saved segment narrows every command; the landscape says who came for company.
    c.execute(
        "INSERT INTO segments (id, provider_id, name, rules, updated_at) \
         SELECT randomblob(16), id, 'Sällskap', '{\"motivations\": [\"relationships\"]}', 0 \
         FROM providers WHERE name = 'Kafé Kanelbullen'",
        [],
    )
    .unwrap();
    let company: Value =
        serde_json::from_slice(&run(&["journeys", "figures", "--segment", "Sällskap"])).unwrap();
    let together = company["journeys"].as_u64().unwrap();
    assert!(
        together > 0 && together < journeys,
        "{together} of {journeys}"
    );
    let l: Value = serde_json::from_slice(&run(&["journeys", "landscape"])).unwrap();
    assert_eq!(l["landscape"]["journeys"], journeys);
    let mix = l["landscape"]["mix"].as_array().unwrap();
    let relationships = mix
        .iter()
        .find(|m| m["motivation"] == "relationships")
        .unwrap();
    assert_eq!(relationships["journeys"], together);
    let pressure = text(&run(&["journeys", "landscape", "--format", "csv"]));
    assert!(
        pressure.starts_with("band,motivation,journeys,persons,purchase_rate,return_rate\n"),
        "{pressure}"
    );
    let bad = motesplats(
        &[
            &[
                "journeys",
                "funnel",
                "--steps",
                "visit,purchase",
                "--segment",
                "Ingen",
            ],
            &scope[..],
        ]
        .concat(),
    );
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("--segment: no segment named \"Ingen\"; saved: Sällskap"),
        "{}",
        text(&bad.stderr)
    );
}
