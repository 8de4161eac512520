//! Swedish and English: the one language of pages, surveys, guidance texts, numbers
//! and rendered documents, and the trait that gives a vocabulary its words in each.

use crate::invalid::{Invalid, List, Reason};
use serde::{Deserialize, Serialize};
use std::fmt;
use utoipa::ToSchema;

/// A language Mötesplats speaks, and a survey may be offered in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    Sv,
    En,
}

impl Lang {
    pub const ALL: &'static [Lang] = &[Lang::Sv, Lang::En];

    /// The language's tag: `sv`, `en`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL
            .iter()
            .copied()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| {
                Invalid::one(
                    "",
                    Reason::OneOf {
                        value: s.to_string(),
                        allowed: List::of(Self::ALL.iter().map(|l| l.as_str())),
                    },
                )
            })
    }

    /// The other language, for a page's language switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Sv => Lang::En,
            Lang::En => Lang::Sv,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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

impl Label for Lang {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            Lang::Sv => pick(lang, "svenska", "Swedish"),
            Lang::En => pick(lang, "engelska", "English"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_parse_and_label() {
        assert_eq!(Lang::parse("sv").unwrap(), Lang::Sv);
        let refused = Lang::parse("de").unwrap_err();
        assert_eq!(refused.0[0].reason.code(), "one-of");
        assert_eq!(Lang::Sv.label(Lang::En), "Swedish");
        assert_eq!(Lang::En.other(), Lang::Sv);
        assert_eq!(serde_json::to_string(&Lang::En).unwrap(), "\"en\"");
    }
}
