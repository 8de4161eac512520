//! The value landscape (seed 001): phases of a journey, the settings a provider
//! belongs to, the motivations that start a journey, the two faces of digital
//! technology, stances in the like/dislike protocols, and the four-field model.

use crate::invalid::{Checker, Invalid};
use crate::research::input::word_list;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Declares a closed vocabulary with snake_case names for the API and the database.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize, ::utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the snake_case name; the error lists the names that exist.
            pub fn parse(s: &str) -> Result<Self, $crate::invalid::Invalid> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| {
                    $crate::invalid::Invalid::one(
                        "",
                        $crate::invalid::Reason::OneOf {
                            value: s.to_string(),
                            allowed: $crate::invalid::List::of(Self::ALL.iter().map(|v| v.as_str())),
                        },
                    )
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use vocabulary;

vocabulary!(
    /// Where a touchpoint sits around the anchor of a journey (a purchase, a visit).
    Phase { Before => "before", During => "during", After => "after" }
);
vocabulary!(
    /// Provider cluster: what surrounds the place, or the place itself.
    Setting { SocialEnvironment => "social_environment", PhysicalPlace => "physical_place" }
);
vocabulary!(
    /// Why a person starts a journey.
    Motivation { Relationships => "relationships", GoalFulfilment => "goal_fulfilment", Experiences => "experiences" }
);
vocabulary!(
    /// The two faces of digital technology in a meeting.
    DigitalAspect { Useful => "useful", Intrusive => "intrusive" }
);
vocabulary!(
    /// A stance in a like/dislike protocol.
    Stance { Like => "like", Dislike => "dislike" }
);
vocabulary!(
    /// The four-field model's answer for a moment.
    Action { Automate => "automate", Simplify => "simplify", Autonomise => "autonomise", Strengthen => "strengthen" }
);

/// Where a piece of evidence sits on the value landscape: the settings it belongs
/// to, the motivations it speaks to, and how digital technology met the person.
/// Any part may be empty: a team often places evidence before it sorts it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ValueLandscape {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub settings: Vec<Setting>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub motivations: Vec<Motivation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub digital: Vec<DigitalAspect>,
}

impl ValueLandscape {
    pub fn is_empty(&self) -> bool {
        self.settings.is_empty() && self.motivations.is_empty() && self.digital.is_empty()
    }
}

/// A value-landscape placement as a client sends it: lists of vocabulary names.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueLandscapeInput {
    /// `social_environment`, `physical_place`.
    pub settings: Option<Vec<String>>,
    /// `relationships`, `goal_fulfilment`, `experiences`.
    pub motivations: Option<Vec<String>>,
    /// `useful`, `intrusive`.
    pub digital: Option<Vec<String>>,
}

impl ValueLandscapeInput {
    /// Sorted, without repeats; a bad name is reported as `settings[1]` and so on.
    pub fn parse(&self) -> Result<ValueLandscape, Invalid> {
        let mut c = Checker::new();
        let none = Vec::new();
        let landscape = ValueLandscape {
            settings: word_list(
                &mut c,
                "settings",
                self.settings.as_ref().unwrap_or(&none),
                Setting::parse,
            ),
            motivations: word_list(
                &mut c,
                "motivations",
                self.motivations.as_ref().unwrap_or(&none),
                Motivation::parse,
            ),
            digital: word_list(
                &mut c,
                "digital",
                self.digital.as_ref().unwrap_or(&none),
                DigitalAspect::parse,
            ),
        };
        c.finish()?;
        Ok(landscape)
    }
}

impl Action {
    /// The four-field model: the customer's and the provider's stance on a moment
    /// decide what digital technology should do with it.
    pub fn for_stances(customer: Stance, provider: Stance) -> Action {
        match (customer, provider) {
            (Stance::Dislike, Stance::Dislike) => Action::Automate,
            (Stance::Dislike, Stance::Like) => Action::Simplify,
            (Stance::Like, Stance::Dislike) => Action::Autonomise,
            (Stance::Like, Stance::Like) => Action::Strengthen,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invalid::{List, Reason};

    #[test]
    fn four_field_model_follows_the_seed() {
        // Paying a road toll: neither side enjoys it, so it is automated away.
        assert_eq!(
            Action::for_stances(Stance::Dislike, Stance::Dislike),
            Action::Automate
        );
        // Filing a tax return: the customer dislikes it, the authority needs it done well.
        assert_eq!(
            Action::for_stances(Stance::Dislike, Stance::Like),
            Action::Simplify
        );
        // Booking tickets around the clock: customers like it, staffing it is costly.
        assert_eq!(
            Action::for_stances(Stance::Like, Stance::Dislike),
            Action::Autonomise
        );
        assert_eq!(
            Action::for_stances(Stance::Like, Stance::Like),
            Action::Strengthen
        );
    }

    #[test]
    fn a_landscape_names_each_bad_word() {
        let input = ValueLandscapeInput {
            settings: Some(vec!["physical_place".into(), "moon".into()]),
            motivations: Some(vec!["experiences".into(), "experiences".into()]),
            digital: Some(vec!["loud".into()]),
        };
        let err = input.parse().unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["settings[1]", "digital[0]"]);
        let ok = ValueLandscapeInput {
            motivations: Some(vec![
                "experiences".into(),
                "relationships".into(),
                "experiences".into(),
            ]),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(
            ok.motivations,
            [Motivation::Relationships, Motivation::Experiences]
        );
        assert!(ok.settings.is_empty() && !ok.is_empty());
        assert_eq!(
            serde_json::to_string(&ValueLandscape::default()).unwrap(),
            "{}"
        );
    }

    #[test]
    fn vocabularies_parse_their_own_names_only() {
        for p in Phase::ALL {
            assert_eq!(Phase::parse(p.as_str()).unwrap(), *p);
        }
        let err = Phase::parse("during_visit").unwrap_err();
        assert_eq!(
            err.0[0].reason,
            Reason::OneOf {
                value: "during_visit".into(),
                allowed: List::of(["before", "during", "after"])
            }
        );
        assert_eq!(
            serde_json::to_string(&Motivation::GoalFulfilment).unwrap(),
            "\"goal_fulfilment\""
        );
    }
}
