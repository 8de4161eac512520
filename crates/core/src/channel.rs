//! The channel registry: built-in channels every provider has, plus channels a
//! provider defines. A channel is flagged when the provider does not control it
//! (forums, comparison sites, social media): meetings happen there too.

use crate::invalid::{Invalid, Reason, text};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A channel's key: lower-case letters, digits and `_`, 2 to 40 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
pub struct ChannelKey(String);

impl ChannelKey {
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let ok_len = (2..=40).contains(&s.len());
        let ok_chars = s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if ok_len && ok_chars && s.starts_with(|c: char| c.is_ascii_lowercase()) {
            Ok(ChannelKey(s.to_string()))
        } else {
            Err(Invalid::one(
                "",
                Reason::Key {
                    low: 2,
                    high: 40,
                    marks: "_".into(),
                },
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Channel {
    pub key: ChannelKey,
    /// English name; the UI translates built-ins by key.
    pub name: String,
    /// False where the provider does not control the channel (forums, social media).
    pub controlled: bool,
    pub builtin: bool,
}

impl Channel {
    /// A provider-defined channel, checked.
    pub fn custom(key: &str, name: &str, controlled: bool) -> Result<Channel, Invalid> {
        let key = ChannelKey::parse(key).map_err(|e| e.within("key"));
        let name = text("name", name, 100);
        match (key, name) {
            (Ok(key), Ok(name)) => {
                if builtin(key.as_str()).is_some() {
                    return Err(Invalid::one(
                        "key",
                        Reason::Exists {
                            what: "channel".into(),
                        },
                    ));
                }
                Ok(Channel {
                    key,
                    name,
                    controlled,
                    builtin: false,
                })
            }
            (k, n) => Err(Invalid(
                k.err()
                    .into_iter()
                    .chain(n.err())
                    .flat_map(|e| e.0)
                    .collect(),
            )),
        }
    }
}

/// Built-in channels: (key, English name, controlled by the provider).
const BUILTINS: &[(&str, &str, bool)] = &[
    ("store", "Store", true),
    ("phone", "Phone", true),
    ("web", "Web", true),
    ("app", "App", true),
    ("email", "E-mail", true),
    ("sms", "Text message", true),
    ("chat", "Chat", true),
    ("letter", "Letter", true),
    ("event", "Event", true),
    ("social_media", "Social media", false),
    ("forum", "Forum", false),
    ("comparison_site", "Comparison site", false),
    ("review_site", "Review site", false),
    ("marketplace", "Marketplace", false),
];

/// Every built-in channel.
pub fn builtins() -> Vec<Channel> {
    BUILTINS
        .iter()
        .map(|&(key, name, controlled)| Channel {
            key: ChannelKey(key.to_string()),
            name: name.to_string(),
            controlled,
            builtin: true,
        })
        .collect()
}

/// The built-in channel with this key, if any.
pub fn builtin(key: &str) -> Option<Channel> {
    builtins().into_iter().find(|c| c.key.as_str() == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_the_provider_does_not_control_are_flagged() {
        assert!(!builtin("forum").unwrap().controlled);
        assert!(!builtin("comparison_site").unwrap().controlled);
        assert!(builtin("store").unwrap().controlled);
        assert!(builtin("fax").is_none());
    }

    #[test]
    fn custom_channels_are_checked_and_cannot_shadow_builtins() {
        let c = Channel::custom("kiosk_2", "Kiosk by the entrance", true).unwrap();
        assert!(!c.builtin);
        assert_eq!(
            Channel::custom("store", "Store", true).unwrap_err().0[0].field,
            "key"
        );
        let e = Channel::custom("Kiosk", "", true).unwrap_err();
        assert_eq!(e.0.len(), 2);
    }
}
