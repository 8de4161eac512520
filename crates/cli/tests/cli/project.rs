//! `motesplats project list|export`: a research project read from the database and
//! written out as JSON (which import reads back equal), Markdown, PDF and evidence CSV.

use super::{motesplats, ok, text};
use chrono::Utc;
use motesplats_core::ProviderId;
use motesplats_core::research::{
    DigitalFunctionInput, EvidenceRef, MemberInput, MomentInput, Project, ProjectInput,
    ReflectionInput, StanceInput, StoryInput, StoryMomentInput,
};
use std::str::FromStr;

/// A small first round: a story with two moments, a function, a moment with a
/// dislike, and a reflection, made through the engine's methods.
fn project(owner: ProviderId) -> Project {
    let member = |name: &str, role: &str| MemberInput {
        name: Some(name.into()),
        role: Some(role.into()),
        user_id: None,
    };
    let mut p = Project::parse(
        &ProjectInput {
            title: Some("Kläder på Torget, våren 2026".into()),
            description: None,
            members: Some(vec![member("Lena", "lead"), member("Ahmed", "member")]),
        },
        owner,
        Utc::now(),
    )
    .unwrap();
    let ahmed = p.members[1].id;
    let moment = |phase: &str, text: &str, valence: &str| StoryMomentInput {
        phase: Some(phase.into()),
        text: Some(text.into()),
        valence: Some(valence.into()),
        landscape: None,
    };
    p.add_story(
        &StoryInput {
            teller: Some(ahmed),
            purchase: Some("Vinterjacka".into()),
            moments: Some(vec![
                moment("before", "Butiken hade just stängt", "negative"),
                moment("during", "Personalen letade i lagret, *snällt*", "positive"),
            ]),
        },
        Utc::now(),
    )
    .unwrap();
    let closed = EvidenceRef::StoryMoment(p.stories[0].moments[0].id);
    let lockers = p
        .add_function(&DigitalFunctionInput {
            name: Some("Boka och hämta dygnet runt".into()),
            what: Some("Hämta i ett skåp utanför butiken".into()),
            phases: Some(vec!["before".into(), "during".into()]),
            motivations: Some(vec!["goal_fulfilment".into()]),
            aspect: Some("useful".into()),
            ..Default::default()
        })
        .unwrap();
    let outside_hours = p
        .add_moment(&MomentInput {
            phase: Some("before".into()),
            title: Some("Vill handla när butiken är stängd".into()),
            evidence: Some(vec![closed]),
            ..Default::default()
        })
        .unwrap();
    p.record_stance(
        outside_hours,
        &StanceInput {
            perspective: Some("customer".into()),
            stance: Some("dislike".into()),
            reason: Some("Stängt när jag hade tid".into()),
            functions: Some(vec![lockers]),
            ..Default::default()
        },
    )
    .unwrap();
    p.add_reflection(&ReflectionInput {
        text: Some("Låt skåpet ta kvällarna.".into()),
        author: None,
        evidence: Some(vec![EvidenceRef::Moment(outside_hours), closed]),
    })
    .unwrap();
    p
}

#[tokio::test]
async fn a_project_is_listed_and_exported_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("x.db").display().to_string();
    let shop = super::provider(&database, "Modehuset", "lena@modehuset.example").0;
    let original = project(ProviderId::from_str(&shop).unwrap());
    let id = original.id.to_string();
    {
        let store = motesplats_store::open(&database).await.unwrap();
        store
            .create_project(
                original.provider_id,
                original.id.0,
                original.export().unwrap(),
            )
            .await
            .unwrap();
    }
    let scope = ["--provider", shop.as_str(), "--database", database.as_str()];

    // The list: a header, then id, title, round and version.
    let mut args = vec!["project", "list"];
    args.extend(scope);
    let listed = text(&ok(&args));
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(
        lines,
        [
            "id\ttitle\tround\tversion".to_string(),
            format!("{id}\tKläder på Torget, våren 2026\t1\t1")
        ]
    );

    let export = |format: &str, extra: &[&str]| -> Vec<u8> {
        let mut args = vec!["project", "export", id.as_str(), "--format", format];
        args.extend(scope);
        args.extend_from_slice(extra);
        ok(&args)
    };

    // JSON to a file reads back equal to the original.
    let json_file = dir.path().join("round1.json");
    let printed = export("json", &["--out", json_file.to_str().unwrap()]);
    assert!(printed.is_empty(), "{}", text(&printed));
    let value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json_file).unwrap()).unwrap();
    assert_eq!(value["format"], "motesplats.research.project");
    assert_eq!(Project::import(value).unwrap(), original);
    // And to stdout, the same document.
    let stdout: serde_json::Value = serde_json::from_slice(&export("json", &[])).unwrap();
    assert_eq!(Project::import(stdout).unwrap(), original);

    // The strategy as Markdown on stdout, in the language asked for.
    let md = text(&export("markdown", &["--lang", "en"]));
    assert!(md.starts_with("# Kläder på Torget, våren 2026\n"), "{md}");
    assert!(md.contains("Digitalisation strategy"), "{md}");
    assert!(md.contains("Boka och hämta dygnet runt"), "{md}");
    let sv = text(&export("markdown", &[]));
    assert!(sv.contains("Digitaliseringsstrategi"), "{sv}");

    // HTML, a page of its own.
    let html = text(&export("html", &["--lang", "en"]));
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");

    // PDF to a file.
    let pdf_file = dir.path().join("strategy.pdf");
    export("pdf", &["--out", pdf_file.to_str().unwrap()]);
    assert!(std::fs::read(&pdf_file).unwrap().starts_with(b"%PDF-"));
    // Without --out, under the name the web UI gives it, in the current folder.
    let mut args = vec!["project", "export", id.as_str(), "--format", "pdf"];
    args.extend(scope);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_motesplats"))
        .args(&args)
        .current_dir(dir.path())
        .env_remove("MOTESPLATS_DATABASE")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let name = format!(
        "klader-pa-torget-varen-2026-strategi-{}.pdf",
        Utc::now().date_naive()
    );
    assert_eq!(text(&out.stdout).trim(), name);
    assert!(
        std::fs::read(dir.path().join(&name))
            .unwrap()
            .starts_with(b"%PDF-")
    );

    // The evidence as CSV: a header and a row per piece of evidence.
    let csv_text = text(&export("evidence-csv", &["--lang", "en"]));
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        motesplats_server::research_export::EVIDENCE_COLUMNS
    );
    let kinds: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[1].to_string())
        .collect();
    assert_eq!(
        kinds,
        [
            "story",
            "story_moment",
            "story_moment",
            "function",
            "moment",
            "stance",
            "reflection"
        ]
    );
    assert_eq!(
        csv_text,
        motesplats_server::research_export::evidence_csv(&original, motesplats_core::Lang::En)
    );
}

#[tokio::test]
async fn unknown_projects_and_bad_arguments_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("x.db").display().to_string();
    let shop = super::provider(&database, "Modehuset", "lena@modehuset.example").0;
    let cafe = super::provider(&database, "Kaféet", "anna@kafe.example").0;
    let original = project(ProviderId::from_str(&shop).unwrap());
    let id = original.id.to_string();
    {
        let store = motesplats_store::open(&database).await.unwrap();
        store
            .create_project(
                original.provider_id,
                original.id.0,
                original.export().unwrap(),
            )
            .await
            .unwrap();
    }

    // Another provider sees no such project, and lists none.
    let out = motesplats(&[
        "project",
        "export",
        &id,
        "--provider",
        &cafe,
        "--database",
        &database,
        "--format",
        "json",
    ]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(
        text(&out.stderr).contains(&format!("no project {id} for provider {cafe}")),
        "{}",
        text(&out.stderr)
    );
    let out = motesplats(&[
        "project",
        "list",
        "--provider",
        &cafe,
        "--database",
        &database,
    ]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));

    // A provider that does not exist.
    let nobody = ProviderId::new().to_string();
    let out = motesplats(&[
        "project",
        "list",
        "--provider",
        &nobody,
        "--database",
        &database,
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains(&format!("no provider {nobody}")),
        "{}",
        text(&out.stderr)
    );

    // clap names a bad format.
    let base = [
        "project",
        "export",
        id.as_str(),
        "--provider",
        shop.as_str(),
        "--database",
        database.as_str(),
    ];
    let out = motesplats(&[&base[..], &["--format", "docx"]].concat());
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("invalid value 'docx' for '--format <FORMAT>'")
            && stderr.contains("evidence-csv"),
        "{stderr}"
    );
}
