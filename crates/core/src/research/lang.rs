//! Swedish and English: the language of guidance, labels and rendered documents,
//! and the labels of the value landscape's vocabularies.

use crate::value::{Action, DigitalAspect, Motivation, Phase, Setting, Stance};

labelled_vocabulary!(
    /// The language of guidance texts, labels and rendered strategy documents.
    Lang {
        Sv => "sv", "svenska", "Swedish";
        En => "en", "engelska", "English";
    }
);

/// A word for people, in Swedish or English.
pub trait Label: Copy {
    fn label(self, lang: Lang) -> &'static str;
}

/// Picks the Swedish or the English text.
pub(crate) fn pick(lang: Lang, sv: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Sv => sv,
        Lang::En => en,
    }
}

impl Label for Phase {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            Phase::Before => pick(lang, "Före", "Before"),
            Phase::During => pick(lang, "Under", "During"),
            Phase::After => pick(lang, "Efter", "After"),
        }
    }
}

impl Label for Stance {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            Stance::Like => pick(lang, "gillar", "likes"),
            Stance::Dislike => pick(lang, "ogillar", "dislikes"),
        }
    }
}

impl Label for Action {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            Action::Automate => pick(lang, "Automatisera", "Automate"),
            Action::Simplify => pick(lang, "Förenkla", "Simplify"),
            Action::Autonomise => pick(lang, "Autonomisera", "Autonomise"),
            Action::Strengthen => pick(lang, "Förstärk", "Strengthen"),
        }
    }
}

impl Label for Motivation {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            Motivation::Relationships => pick(lang, "relationer", "relationships"),
            Motivation::GoalFulfilment => pick(lang, "måluppfyllelse", "goal fulfilment"),
            Motivation::Experiences => pick(lang, "upplevelser", "experiences"),
        }
    }
}

impl Label for DigitalAspect {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            DigitalAspect::Useful => pick(lang, "praktiskt användbar", "useful"),
            DigitalAspect::Intrusive => pick(lang, "påträngande", "intrusive"),
        }
    }
}

impl Label for Setting {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            Setting::SocialEnvironment => pick(lang, "social miljö", "social environment"),
            Setting::PhysicalPlace => pick(lang, "fysisk plats", "physical place"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_parse_and_label() {
        assert_eq!(Lang::parse("sv").unwrap(), Lang::Sv);
        assert!(Lang::parse("de").is_err());
        assert_eq!(Action::Autonomise.label(Lang::Sv), "Autonomisera");
        assert_eq!(Phase::After.label(Lang::En), "After");
        assert_eq!(serde_json::to_string(&Lang::En).unwrap(), "\"en\"");
    }
}
