//! The labels of the value landscape's vocabularies in Swedish and English.

use crate::lang::{Label, Lang, pick};
use crate::value::{Action, DigitalAspect, Motivation, Phase, Setting, Stance};

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
    fn vocabularies_are_labelled() {
        assert_eq!(Action::Autonomise.label(Lang::Sv), "Autonomisera");
        assert_eq!(Phase::After.label(Lang::En), "After");
    }
}
