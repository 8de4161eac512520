//! The names the core uses on the wire and in storage: kinds, statuses, vocabularies.
//! People should never read one of these on a page; the browser walk checks that
//! every page shows a label instead.

use crate::identifier::IdentifierKind;
use crate::survey::{QuestionKind, SurveyStatus};
use crate::value::{Action, DigitalAspect, Motivation, Phase, Setting, Stance};
use std::collections::BTreeSet;

/// Every internal key the core defines, plus the event kinds of the demo world.
pub fn internal_keys() -> BTreeSet<&'static str> {
    let mut keys: BTreeSet<&'static str> = BTreeSet::new();
    keys.extend(IdentifierKind::ALL.map(IdentifierKind::as_str));
    keys.extend(SurveyStatus::ALL.iter().map(|s| s.as_str()));
    keys.extend(QuestionKind::NAMES);
    keys.extend(Phase::ALL.iter().map(|v| v.as_str()));
    keys.extend(Setting::ALL.iter().map(|v| v.as_str()));
    keys.extend(Motivation::ALL.iter().map(|v| v.as_str()));
    keys.extend(DigitalAspect::ALL.iter().map(|v| v.as_str()));
    keys.extend(Action::ALL.iter().map(|v| v.as_str()));
    keys.extend(Stance::ALL.iter().map(|v| v.as_str()));
    keys.extend(crate::demo::event_kinds());
    keys.extend(
        crate::consent::ContactPurpose::ALL
            .iter()
            .map(|p| p.touchpoint_kind()),
    );
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_kinds_statuses_and_the_demo_event_kinds() {
        let keys = internal_keys();
        for key in [
            "loyalty_card",
            "open",
            "open_text",
            "review.posted",
            "automate",
        ] {
            assert!(keys.contains(key), "{key} is an internal key");
        }
    }
}
