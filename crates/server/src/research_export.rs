//! Research projects written out as files: the evidence table as CSV, the
//! strategy document as PDF under its file name. The API, the web UI and the CLI
//! share these, so a download is the same wherever it is made.

use motesplats_core::Lang;
use motesplats_core::research::file_name::{FileName, strategy_file_name};
use motesplats_core::research::{EvidenceRow, Project};
use motesplats_store::StoredProject;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::fmt::Display;

/// The header row of the evidence CSV.
pub const EVIDENCE_COLUMNS: [&str; 11] = [
    "step",
    "kind",
    "kind_label",
    "id",
    "phase",
    "valence",
    "settings",
    "motivations",
    "digital",
    "summary",
    "cited_by",
];

fn words<T: Display>(list: &[T]) -> String {
    list.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

fn record(row: &EvidenceRow) -> [String; 11] {
    [
        row.step.number().to_string(),
        row.reference.kind().to_string(),
        row.kind_label.to_string(),
        row.reference.uuid().to_string(),
        words(&row.phases),
        row.valence.unwrap_or_default().to_string(),
        words(&row.landscape.settings),
        words(&row.landscape.motivations),
        words(&row.landscape.digital),
        row.summary.clone(),
        row.cited_by
            .iter()
            .map(|r| r.key())
            .collect::<Vec<_>>()
            .join(" "),
    ]
}

/// Every piece of evidence in the project as CSV: a header row of
/// [`EVIDENCE_COLUMNS`], then one row per piece in the order of the steps
/// ([`Project::evidence_table`]). Lists (a function's phases, the value landscape,
/// `cited_by` as `kind:id` keys) are space-separated; kind labels are in `lang`.
pub fn evidence_csv(project: &Project, lang: Lang) -> String {
    let mut out = crate::csv_out::Writer::in_memory();
    out.row(EVIDENCE_COLUMNS)
        .expect("writing to memory does not fail");
    for row in project.evidence_table(lang) {
        out.row(record(&row))
            .expect("writing to memory does not fail");
    }
    let bytes = out.into_inner().expect("writing to memory does not fail");
    String::from_utf8(bytes).expect("every field is a String, so the CSV is UTF-8")
}

/// The strategy document as PDF, and the name it is saved under: the project's
/// title and the day (UTC) of its last change, so one version keeps one name.
pub fn strategy_pdf(stored: &StoredProject, project: &Project, lang: Lang) -> (FileName, Vec<u8>) {
    let doc = project.strategy();
    let name = strategy_file_name(&doc.title, stored.updated_at.date_naive(), lang, "pdf");
    (name, crate::pdf::strategy(&doc, lang))
}

/// RFC 5987's attr-char: what a `filename*` value may carry unencoded.
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// The Content-Disposition of a download (RFC 6266): the ASCII name for every
/// client, and the name with its own letters for those that read `filename*`.
pub fn attachment(name: &FileName) -> String {
    format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        name.ascii,
        utf8_percent_encode(&name.unicode, ATTR_CHAR)
    )
}

/// The file name a download of the evidence CSV gets: `evidence-<project id>.csv`.
pub fn evidence_filename(project: &Project) -> String {
    format!("evidence-{}.csv", project.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use motesplats_core::ProviderId;
    use motesplats_core::research::{
        DigitalFunctionInput, EvidenceRef, MemberInput, MomentInput, ProjectInput, StanceInput,
        StoryInput, StoryMomentInput,
    };

    fn project() -> Project {
        let mut p = Project::parse(
            &ProjectInput {
                title: Some("Kläder".into()),
                description: None,
                members: Some(vec![MemberInput {
                    name: Some("Ahmed".into()),
                    role: Some("lead".into()),
                    user_id: None,
                }]),
            },
            ProviderId::new(),
            Utc::now(),
        )
        .unwrap();
        let ahmed = p.members[0].id;
        p.add_story(
            &StoryInput {
                teller: Some(ahmed),
                purchase: Some("Jacka, \"vinter\"".into()),
                moments: Some(vec![StoryMomentInput {
                    phase: Some("before".into()),
                    text: Some("Stängt, igen; och igen".into()),
                    valence: Some("negative".into()),
                    landscape: None,
                }]),
            },
            Utc::now(),
        )
        .unwrap();
        p.add_function(&DigitalFunctionInput {
            name: Some("Skåp".into()),
            what: Some("Hämta när som helst".into()),
            phases: Some(vec!["before".into(), "after".into()]),
            motivations: Some(vec!["goal_fulfilment".into()]),
            aspect: Some("useful".into()),
            ..Default::default()
        })
        .unwrap();
        let closed = EvidenceRef::StoryMoment(p.stories[0].moments[0].id);
        let moment = p
            .add_moment(&MomentInput {
                phase: Some("before".into()),
                title: Some("Stängt".into()),
                evidence: Some(vec![closed]),
                ..Default::default()
            })
            .unwrap();
        p.record_stance(
            moment,
            &StanceInput {
                perspective: Some("customer".into()),
                stance: Some("dislike".into()),
                ..Default::default()
            },
        )
        .unwrap();
        p
    }

    #[test]
    fn the_csv_has_a_header_and_a_row_per_piece_of_evidence() {
        let p = project();
        let text = evidence_csv(&p, Lang::En);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(reader.headers().unwrap(), EVIDENCE_COLUMNS.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), p.evidence_table(Lang::En).len());
        assert_eq!(rows.len(), 5);
        let kinds: Vec<&str> = rows.iter().map(|r| &r[1]).collect();
        assert_eq!(
            kinds,
            ["story", "story_moment", "function", "moment", "stance"]
        );
        // Quotes and commas survive.
        assert_eq!(&rows[0][9], "Jacka, \"vinter\"");
        assert_eq!(&rows[0][2], "Story");
        let moment = &rows[1];
        assert_eq!(
            (&moment[0], &moment[4], &moment[5]),
            ("1", "before", "negative")
        );
        assert_eq!(&moment[10], format!("moment:{}", p.moments[0].id));
        assert_eq!(
            &rows[0][10],
            format!("story_moment:{}", p.stories[0].moments[0].id)
        );
        let function = &rows[2];
        assert_eq!(
            (&function[0], &function[4], &function[7], &function[8]),
            ("3", "before after", "goal_fulfilment", "useful")
        );
        assert_eq!(&rows[4][5], "dislike");
        assert_eq!(&rows[4][10], format!("moment:{}", p.moments[0].id));
        let sv = evidence_csv(&p, Lang::Sv);
        assert!(
            sv.lines()
                .nth(1)
                .unwrap()
                .starts_with(&format!("1,story,Berättelse,{},", p.stories[0].id)),
            "{sv}"
        );
        assert_eq!(evidence_filename(&p), format!("evidence-{}.csv", p.id));
    }

    #[test]
    fn a_download_names_itself_in_ascii_and_in_utf8() {
        let name = FileName {
            ascii: "kafe-torget-strategi-2026-12-03.pdf".into(),
            unicode: "kafé-torget-strategi-2026-12-03.pdf".into(),
        };
        assert_eq!(
            attachment(&name),
            "attachment; filename=\"kafe-torget-strategi-2026-12-03.pdf\"; filename*=UTF-8''kaf%C3%A9-torget-strategi-2026-12-03.pdf"
        );
    }
}
