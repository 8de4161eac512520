//! A provider's own table from `track` event names ("Order Completed") to the kinds
//! its touchpoints are stored as (`purchase`), and its channel for messages that say
//! nothing of where they come from. Names outside the table fall back on the spec's
//! semantic events, then on the name itself written as a kind.

use crate::invalid::{Checker, Invalid, Reason, text};
use crate::touchpoint::TouchpointKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// Most rows of a provider's table.
pub const MAX_NAMES: usize = 1000;
/// Most characters of an event name.
const NAME_MAX: usize = 200;

/// The spec's semantic events (e-commerce and account) and the kinds they are
/// stored as when the provider's table does not say otherwise.
pub const SPEC_KINDS: &[(&str, &str)] = &[
    ("Order Completed", "purchase"),
    ("Order Refunded", "refund"),
    ("Order Cancelled", "order_cancelled"),
    ("Checkout Started", "checkout_started"),
    ("Product Viewed", "product_viewed"),
    ("Product Added", "cart_add"),
    ("Product Removed", "cart_remove"),
    ("Products Searched", "search"),
    ("Product Reviewed", "review"),
    ("Signed Up", "sign_up"),
    ("Signed In", "sign_in"),
    ("Signed Out", "sign_out"),
];

/// The table as stored and served.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EventNames {
    /// Event name as the SDK sends it → kind.
    pub kinds: BTreeMap<String, String>,
    /// The channel of messages whose context names none (a server's own calls);
    /// `web` when not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_channel: Option<String>,
}

/// The table as a client sends it: the whole table, replacing the one before.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventNamesInput {
    pub kinds: Option<BTreeMap<String, String>>,
    pub default_channel: Option<String>,
}

impl EventNamesInput {
    /// Checks every row; `known` says whether the provider has a channel key.
    pub fn parse(&self, known: impl Fn(&str) -> bool) -> Result<EventNames, Invalid> {
        let mut c = Checker::new();
        let given = self.kinds.clone().unwrap_or_default();
        if given.len() > MAX_NAMES {
            c.fail(
                "kinds",
                Reason::TooManyEntries {
                    count: given.len(),
                    max: MAX_NAMES,
                },
            );
        }
        let mut kinds = BTreeMap::new();
        for (name, kind) in &given {
            let field = format!("kinds.{name}");
            let name = c.take(text(&field, name, NAME_MAX));
            let kind = c.take(TouchpointKind::parse(kind.trim()).map_err(|e| e.within(&field)));
            if let (Some(name), Some(kind)) = (name, kind) {
                kinds.insert(name, kind.as_str().to_string());
            }
        }
        let default_channel = self.default_channel.as_deref().map(str::trim);
        if let Some(key) = default_channel
            && !known(key)
        {
            c.fail(
                "default_channel",
                Reason::UnknownChannel {
                    value: key.to_string(),
                },
            );
        }
        c.finish()?;
        Ok(EventNames {
            kinds,
            default_channel: default_channel.map(str::to_string),
        })
    }
}

impl EventNames {
    /// The kind a `track` event of this name is stored as.
    pub fn kind_of(&self, event: &str) -> String {
        let event = event.trim();
        self.kinds
            .get(event)
            .cloned()
            .or_else(|| {
                SPEC_KINDS
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(event))
                    .map(|(_, kind)| kind.to_string())
            })
            .unwrap_or_else(|| written_as_kind(event))
    }

    pub fn default_channel(&self) -> &str {
        self.default_channel.as_deref().unwrap_or("web")
    }
}

/// An event name as a kind: lower case, Swedish letters without their marks, every
/// other run of signs one `_`: "Bord bokat för två" → `bord_bokat_for_tva`.
fn written_as_kind(event: &str) -> String {
    let mut out = String::new();
    for ch in event.chars().flat_map(char::to_lowercase) {
        let ch = match ch {
            'å' | 'ä' | 'á' | 'à' | 'â' => 'a',
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' | 'ù' => 'u',
            c => c,
        };
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let mut kind = out.trim_end_matches('_').to_string();
    if !kind.starts_with(|c: char| c.is_ascii_lowercase()) {
        kind.insert_str(0, "event_");
    }
    kind.truncate(60);
    kind.trim_end_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_providers_table_then_the_spec_then_the_name_itself() {
        let names = EventNamesInput {
            kinds: Some(BTreeMap::from([(
                "Bord bokat".to_string(),
                "table_booking".to_string(),
            )])),
            default_channel: Some("store".into()),
        }
        .parse(|k| k == "store")
        .unwrap();
        assert_eq!(names.kind_of("Bord bokat"), "table_booking");
        assert_eq!(names.kind_of("Order Completed"), "purchase");
        assert_eq!(names.kind_of("order completed"), "purchase");
        assert_eq!(names.kind_of("Bord bokat för två"), "bord_bokat_for_tva");
        assert_eq!(names.kind_of("  Köp -- klart!! "), "kop_klart");
        assert_eq!(names.kind_of("2 for 1"), "event_2_for_1");
        assert_eq!(names.kind_of("***"), "event");
        assert_eq!(names.kind_of(&"x".repeat(100)).len(), 60);
        for name in [
            "Bord bokat för två",
            "  Köp -- klart!! ",
            "2 for 1",
            "***",
            "Ω",
        ] {
            assert!(
                TouchpointKind::parse(&names.kind_of(name)).is_ok(),
                "{name}"
            );
        }
        assert_eq!(names.default_channel(), "store");
        assert_eq!(EventNames::default().default_channel(), "web");
    }

    #[test]
    fn bad_rows_are_named() {
        let e = EventNamesInput {
            kinds: Some(BTreeMap::from([
                ("Köp".to_string(), "Köp!".to_string()),
                (" ".to_string(), "purchase".to_string()),
            ])),
            default_channel: Some("telegraph".into()),
        }
        .parse(|_| false)
        .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["kinds. ", "kinds.Köp", "default_channel"]);
    }
}
