//! Quotes: a coded span of an open survey answer, brought into a project as evidence
//! in the customers' own words. A quote keeps where it came from (survey, response,
//! question, the coding) and the codes it carries, and sits in the survey's phase of
//! the journey when the survey names one. The codes place it on the value landscape
//! (`motivation.*`, `setting.*`, `digital.*`) and give it a leaning (`stance.like`,
//! `stance.dislike`) in the evidence table.

use super::ids::QuoteId;
use super::project::Project;
use crate::coding::{CodeKey, CodingId};
use crate::invalid::{Checker, Invalid, Reason};
use crate::survey::{ResponseId, SurveyId};
use crate::value::{DigitalAspect, Motivation, Phase, Setting, ValueLandscape};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The longest quote: the longest open answer a survey allows.
pub const QUOTE_MAX: usize = crate::survey::definition::MAX_TEXT_ANSWER;

/// A coded span of an open answer, as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Quote {
    pub id: QuoteId,
    /// The quoted words, as the person wrote them (trimmed).
    pub text: String,
    pub survey_id: SurveyId,
    pub response_id: ResponseId,
    /// The open-text question answered.
    pub question: String,
    /// The coding it was sent from.
    pub coding_id: CodingId,
    /// Code keys on the span, sorted, such as `motivation.experiences`.
    pub codes: Vec<String>,
    /// The survey's phase of the journey, when it names one.
    pub phase: Option<Phase>,
}

/// A quote as the server builds it from a coding (typed, not loose: it comes from
/// checked data, but its text and codes are checked again here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteInput {
    pub text: String,
    pub survey_id: SurveyId,
    pub response_id: ResponseId,
    pub question: String,
    pub coding_id: CodingId,
    pub codes: Vec<String>,
    pub phase: Option<Phase>,
}

impl Quote {
    /// Problems of a stored quote (an import, a row read back), by field.
    pub(crate) fn problems(&self) -> Vec<(String, Reason)> {
        let mut out = Vec::new();
        match crate::coding::codebook::text_block("text", &self.text, QUOTE_MAX) {
            Ok(t) if t == self.text => {}
            Ok(_) => out.push(("text".into(), Reason::EdgeWhiteSpace)),
            Err(e) => out.extend(e.0.into_iter().map(|f| ("text".to_string(), f.reason))),
        }
        for (i, code) in self.codes.iter().enumerate() {
            if let Err(e) = CodeKey::parse(code) {
                out.push((format!("codes[{i}]"), e.0[0].reason.clone()));
            }
        }
        out
    }

    /// Its leaning (`like`/`dislike` from the stance codes; none when both or neither)
    /// and its place on the value landscape, from its codes.
    pub fn leaning(&self) -> (Option<&'static str>, ValueLandscape) {
        let mut landscape = ValueLandscape::default();
        let (mut like, mut dislike) = (false, false);
        for code in &self.codes {
            let mut words = code.split('.');
            match (words.next(), words.next()) {
                (Some("motivation"), Some(w)) => {
                    landscape.motivations.extend(Motivation::parse(w).ok())
                }
                (Some("setting"), Some(w)) => landscape.settings.extend(Setting::parse(w).ok()),
                (Some("digital"), Some(w)) => {
                    landscape.digital.extend(DigitalAspect::parse(w).ok())
                }
                (Some("stance"), Some("like")) => like = true,
                (Some("stance"), Some("dislike")) => dislike = true,
                _ => {}
            }
        }
        landscape.motivations.sort();
        landscape.motivations.dedup();
        landscape.settings.sort();
        landscape.settings.dedup();
        landscape.digital.sort();
        landscape.digital.dedup();
        let leaning = match (like, dislike) {
            (true, false) => Some("like"),
            (false, true) => Some("dislike"),
            _ => None,
        };
        (leaning, landscape)
    }
}

impl Project {
    pub fn quote(&self, id: QuoteId) -> Option<&Quote> {
        self.quotes.iter().find(|q| q.id == id)
    }

    /// Adds a coded quote as evidence. A coding is quoted once per project (field
    /// `coding_id`); the text must hold something; codes must be code keys.
    pub fn add_quote(&mut self, input: QuoteInput) -> Result<QuoteId, Invalid> {
        let mut c = Checker::new();
        if self.quotes.iter().any(|q| q.coding_id == input.coding_id) {
            c.fail("coding_id", Reason::AlreadyQuoted);
        }
        let text = c.take(crate::coding::codebook::text_block(
            "text",
            &input.text,
            QUOTE_MAX,
        ));
        let mut codes = Vec::new();
        for (i, code) in input.codes.iter().enumerate() {
            if let Some(k) =
                c.take(CodeKey::parse(code).map_err(|e| e.within(&format!("codes[{i}]"))))
            {
                codes.push(k.to_string());
            }
        }
        codes.sort();
        codes.dedup();
        c.finish()?;
        let id = QuoteId::new();
        self.quotes.push(Quote {
            id,
            text: text.unwrap_or_default(),
            survey_id: input.survey_id,
            response_id: input.response_id,
            question: input.question,
            coding_id: input.coding_id,
            codes,
            phase: input.phase,
        });
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use crate::research::evidence::EvidenceRef;
    use crate::research::evidence_table::EvidenceRow;
    use crate::research::fixture;
    use crate::research::progress::Step;

    pub(crate) fn input(text: &str, codes: &[&str]) -> QuoteInput {
        QuoteInput {
            text: text.into(),
            survey_id: SurveyId::new(),
            response_id: ResponseId::new(),
            question: "comment".into(),
            coding_id: CodingId::new(),
            codes: codes.iter().map(|c| c.to_string()).collect(),
            phase: Some(Phase::During),
        }
    }

    #[test]
    fn a_quote_is_evidence_with_its_phase_leaning_and_landscape() {
        let mut p = fixture::full_project();
        let id = p
            .add_quote(input(
                "  Personalen kom ihåg mitt namn\n– det gjorde dagen  ",
                &[
                    "stance.like",
                    "motivation.relationships",
                    "stance.like",
                    "setting.social_environment",
                ],
            ))
            .unwrap();
        let q = p.quote(id).unwrap();
        assert_eq!(q.text, "Personalen kom ihåg mitt namn\n– det gjorde dagen");
        assert_eq!(
            q.codes,
            [
                "motivation.relationships",
                "setting.social_environment",
                "stance.like"
            ]
        );
        let r = EvidenceRef::Quote(id);
        assert_eq!(
            (r.kind(), r.kind_label(Lang::Sv), r.kind_label(Lang::En)),
            ("quote", "Citat", "Quote")
        );
        let item = p.resolve(r).unwrap();
        assert_eq!(
            (item.phase, item.summary.as_str()),
            (Some(Phase::During), q.text.as_str())
        );
        assert!(p.gathered_evidence().contains(&r));
        let table = p.evidence_table(Lang::En);
        let row: &EvidenceRow = table.iter().find(|row| row.reference == r).unwrap();
        assert_eq!(row.step, Step::Stories);
        assert_eq!(row.valence, Some("like"));
        assert_eq!(row.landscape.motivations, [Motivation::Relationships]);
        assert_eq!(row.landscape.settings, [Setting::SocialEnvironment]);
        assert_eq!(row.phases, [Phase::During]);
        // Quotes survive export and import, and are checked there.
        assert_eq!(Project::import(p.export().unwrap()).unwrap(), p);
        let mut broken = p.clone();
        broken.quotes[0].codes.push("Not A Key".into());
        broken.quotes[0].text = " padded".into();
        let e = broken.check().unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["quotes[0].text", "quotes[0].codes[3]"]);
        // A reflection may rest on a quote.
        let reflection = p
            .add_reflection(&crate::research::ReflectionInput {
                text: Some("Att bli igenkänd väger tungt".into()),
                author: None,
                evidence: Some(vec![r]),
            })
            .unwrap();
        assert_eq!(p.reflection(reflection).unwrap().evidence, [r]);
    }

    #[test]
    fn a_coding_is_quoted_once_and_quotes_hold_text() {
        let mut p = fixture::empty_project();
        let first = input("Bra", &[]);
        p.add_quote(first.clone()).unwrap();
        let e = p.add_quote(first).unwrap_err();
        assert_eq!(e.0[0].field, "coding_id");
        let e = p.add_quote(input("   ", &["bad key"])).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["text", "codes[0]"]);
        // No stance, or both: no leaning.
        let mut q = p.quotes[0].clone();
        q.codes = vec![
            "stance.like".into(),
            "stance.dislike".into(),
            "digital.intrusive".into(),
        ];
        assert_eq!(q.leaning().0, None);
        assert_eq!(q.leaning().1.digital, [DigitalAspect::Intrusive]);
        // Projects stored before quotes existed still load.
        let mut v = p.export().unwrap();
        v["project"].as_object_mut().unwrap().remove("quotes");
        assert!(Project::import(v).unwrap().quotes.is_empty());
    }
}
