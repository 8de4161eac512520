//! Step 3, the digital scan: a catalogue of digital functions the team found (apps,
//! web pages, other digital services), what they are, how they work, when and where
//! they are met, where in the journey they belong and what value they create.

use super::ids::{AttachmentId, FunctionId, MemberId};
use super::input::{
    NAME_MAX, TEXT_MAX, known_ids, optional_text, optional_word, required_text, word_list,
};
use super::project::Project;
use crate::invalid::{Checker, Invalid, Reason};
use crate::value::{DigitalAspect, Motivation, Phase};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A digital function found in the scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DigitalFunction {
    pub id: FunctionId,
    pub name: String,
    /// What has been found.
    pub what: String,
    /// How it works.
    pub how: Option<String>,
    /// When a customer would use it.
    pub when_used: Option<String>,
    /// Where it was found: an app store, a web page, a colleague's phone.
    pub where_found: Option<String>,
    /// Where in the journey it belongs: one phase or several.
    pub phases: Vec<Phase>,
    /// The motivations it supports (the value landscape's "why").
    pub motivations: Vec<Motivation>,
    /// How it meets the customer: useful, or intrusive.
    pub aspect: Option<DigitalAspect>,
    /// The value a customer gets from it, in the team's words.
    pub value: Option<String>,
    /// May be shared with the provider's network.
    pub shareable: bool,
    pub found_by: Option<MemberId>,
    /// Screenshots of the function: ids of the project's attachments.
    #[serde(default)]
    pub screenshots: Vec<AttachmentId>,
}

impl DigitalFunction {
    /// The value landscape's warning: digital help for goal fulfilment tends to add
    /// value, while in relationships and experiences it risks intruding and needs
    /// more care. True when the function touches those, or was judged intrusive.
    pub fn needs_care(&self) -> bool {
        self.aspect == Some(DigitalAspect::Intrusive)
            || self
                .motivations
                .iter()
                .any(|m| matches!(m, Motivation::Relationships | Motivation::Experiences))
    }

    /// Whether the team has said what value it creates.
    pub fn has_value(&self) -> bool {
        !self.motivations.is_empty() || self.value.is_some()
    }
}

/// A digital function as a client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DigitalFunctionInput {
    pub name: Option<String>,
    pub what: Option<String>,
    pub how: Option<String>,
    pub when_used: Option<String>,
    pub where_found: Option<String>,
    /// One or more of `before`, `during`, `after`.
    pub phases: Option<Vec<String>>,
    /// `relationships`, `goal_fulfilment`, `experiences`.
    pub motivations: Option<Vec<String>>,
    /// `useful` or `intrusive`.
    pub aspect: Option<String>,
    pub value: Option<String>,
    pub shareable: Option<bool>,
    pub found_by: Option<MemberId>,
    /// Screenshots uploaded to the project beforehand (`POST .../attachments`), in order.
    pub screenshots: Option<Vec<AttachmentId>>,
}

impl Project {
    pub fn function(&self, id: FunctionId) -> Option<&DigitalFunction> {
        self.functions.iter().find(|f| f.id == id)
    }

    /// Adds a function to the catalogue.
    pub fn add_function(&mut self, input: &DigitalFunctionInput) -> Result<FunctionId, Invalid> {
        let mut c = Checker::new();
        let name = required_text(&mut c, "name", input.name.as_deref(), NAME_MAX);
        let what = required_text(&mut c, "what", input.what.as_deref(), TEXT_MAX);
        let how = optional_text(&mut c, "how", input.how.as_deref(), TEXT_MAX);
        let when_used = optional_text(&mut c, "when_used", input.when_used.as_deref(), TEXT_MAX);
        let where_found = optional_text(
            &mut c,
            "where_found",
            input.where_found.as_deref(),
            TEXT_MAX,
        );
        let phases = match &input.phases {
            None => {
                c.fail("phases", Reason::Required);
                Vec::new()
            }
            Some(list) if list.is_empty() => {
                c.fail("phases", Reason::NeedsPhase);
                Vec::new()
            }
            Some(list) => word_list(&mut c, "phases", list, Phase::parse),
        };
        let motivations = word_list(
            &mut c,
            "motivations",
            input.motivations.as_deref().unwrap_or_default(),
            Motivation::parse,
        );
        let aspect = optional_word(
            &mut c,
            "aspect",
            input.aspect.as_deref(),
            DigitalAspect::parse,
        );
        let value = optional_text(&mut c, "value", input.value.as_deref(), TEXT_MAX);
        if let Some(m) = input.found_by
            && self.member(m).is_none()
        {
            c.fail(
                "found_by",
                Reason::NotInProject {
                    what: "member".into(),
                },
            );
        }
        let screenshots = known_ids(
            &mut c,
            "screenshots",
            input.screenshots.as_deref().unwrap_or_default(),
            |id| self.attachment(id).is_some(),
            "image",
        );
        c.finish()?;
        let id = FunctionId::new();
        self.functions.push(DigitalFunction {
            id,
            name: name.unwrap_or_default(),
            what: what.unwrap_or_default(),
            how,
            when_used,
            where_found,
            phases,
            motivations,
            aspect,
            value,
            shareable: input.shareable.unwrap_or(false),
            found_by: input.found_by,
            screenshots,
        });
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::fixture;

    #[test]
    fn functions_need_a_name_what_and_phases() {
        let mut p = fixture::empty_project();
        let e = p
            .add_function(&DigitalFunctionInput {
                phases: Some(vec!["during".into(), "later".into()]),
                motivations: Some(vec!["fun".into()]),
                ..Default::default()
            })
            .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "what", "phases[1]", "motivations[0]"]);

        let id = p
            .add_function(&DigitalFunctionInput {
                name: Some("Biljettappen".into()),
                what: Some("Boka och betala resor i mobilen".into()),
                phases: Some(vec!["during".into(), "before".into(), "before".into()]),
                motivations: Some(vec!["goal_fulfilment".into()]),
                aspect: Some("useful".into()),
                shareable: Some(true),
                ..Default::default()
            })
            .unwrap();
        let f = p.function(id).unwrap();
        assert_eq!(f.phases, [Phase::Before, Phase::During]);
        assert!(!f.needs_care() && f.has_value() && f.shareable);
    }

    #[test]
    fn relationships_and_experiences_need_care() {
        let mut p = fixture::empty_project();
        let id = p
            .add_function(&DigitalFunctionInput {
                name: Some("Stämpelkort i appen".into()),
                what: Some("Samla stämplar och tävla med vänner".into()),
                phases: Some(vec!["after".into()]),
                motivations: Some(vec!["relationships".into(), "experiences".into()]),
                ..Default::default()
            })
            .unwrap();
        assert!(p.function(id).unwrap().needs_care());
    }
}
