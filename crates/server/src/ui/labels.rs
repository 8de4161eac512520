//! Words for the kinds the data carries: event kinds, identifier kinds and property
//! keys are shown through these functions only, so no page prints a raw internal
//! key that has a message. A provider names its own kinds in its tracking plan
//! ([`Vocabulary`]); a kind named nowhere is shown as sent.

use super::i18n::Lang;
use crate::error::ApiError;
use crate::ui::i18n::Messages;
use motesplats_core::plan::TrackingPlan;
use motesplats_core::{Channel, IdentifierKind, ProviderId, TouchpointKind, number};
use motesplats_store::Store;
use serde_json::Value;

/// A provider's own words: its channels, and what its tracking plan calls its kinds.
pub struct Vocabulary {
    pub channels: Vec<Channel>,
    pub plan: Option<TrackingPlan>,
}

impl Vocabulary {
    pub async fn of(store: &dyn Store, provider: ProviderId) -> Result<Self, ApiError> {
        Ok(Vocabulary {
            channels: store.channels(provider).await?,
            plan: store.tracking_plan(provider).await?,
        })
    }

    /// What happened, in words: the provider's name for the kind, else the built-in
    /// one (`purchase` → "Köp"), else the key.
    pub fn event(&self, kind: &TouchpointKind, lang: Lang) -> String {
        self.plan
            .as_ref()
            .and_then(|p| p.label(kind.as_str(), lang))
            .map_or_else(|| event_label(kind, lang), str::to_string)
    }
}

/// The message `<prefix>-<key>`, or the key itself. Fluent ids allow no dots, so a
/// dot in the key is written as a hyphen (`review.posted` → `event-kind-review-posted`).
fn label_or_key(lang: Lang, prefix: &str, key: &str) -> String {
    lang.try_t(&format!("{prefix}-{}", key.replace('.', "-")))
        .unwrap_or_else(|| key.to_string())
}

/// What happened, in built-in words: `purchase` → "Köp".
pub fn event_label(kind: &TouchpointKind, lang: Lang) -> String {
    label_or_key(lang, "event-kind", kind.as_str())
}

/// How the provider knows a customer: `loyalty_card` → "Stämpelkort".
pub fn identifier_label(kind: IdentifierKind, lang: Lang) -> String {
    label_or_key(lang, "identifier-kind", kind.as_str())
}

/// A touchpoint property: its name in words and its value, numbers as the language
/// writes them.
pub fn property(key: &str, value: &Value, lang: Lang) -> (String, String) {
    (label_or_key(lang, "property", key), json_value(value, lang))
}

/// A JSON value for reading: numbers as the language writes them, text without quotes.
pub fn json_value(value: &Value, lang: Lang) -> String {
    match value {
        Value::Number(n) => number::json(n, lang),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A symbol for a channel, beside its name (which is the text alternative, so the
/// symbol itself is hidden from screen readers).
pub fn channel_icon(key: &str) -> &'static str {
    match key {
        "store" => "⌂",
        "phone" => "☎",
        "web" => "◍",
        "app" => "▯",
        "email" => "✉",
        "sms" => "✆",
        "chat" => "❝",
        "letter" => "✍",
        "event" => "★",
        "social_media" => "♯",
        "forum" => "❞",
        "comparison_site" => "⇄",
        "review_site" => "☆",
        "marketplace" => "⚖",
        _ => "•",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_with_a_message_are_worded_and_others_shown_as_sent() {
        let purchase = TouchpointKind::parse("purchase").unwrap();
        assert_eq!(event_label(&purchase, Lang::Sv), "Köp");
        assert_eq!(event_label(&purchase, Lang::En), "Purchase");
        let posted = TouchpointKind::parse("review.posted").unwrap();
        assert_ne!(event_label(&posted, Lang::Sv), "review.posted");
        let own = TouchpointKind::parse("bike.parked").unwrap();
        assert_eq!(event_label(&own, Lang::Sv), "bike.parked");
        assert_eq!(
            identifier_label(IdentifierKind::LoyaltyCard, Lang::Sv),
            "Stämpelkort"
        );
    }

    #[test]
    fn every_identifier_kind_and_demo_event_kind_has_words_in_both_languages() {
        for lang in [Lang::Sv, Lang::En] {
            for k in IdentifierKind::ALL {
                assert_ne!(identifier_label(k, lang), k.as_str(), "{k} in {lang:?}");
            }
            for k in motesplats_core::demo::event_kinds() {
                let kind = TouchpointKind::parse(k).unwrap();
                assert_ne!(event_label(&kind, lang), k, "{k} in {lang:?}");
            }
        }
    }

    #[test]
    fn property_numbers_are_written_as_the_language_writes_them() {
        let amount: Value = serde_json::from_str("1234.5").unwrap();
        assert_eq!(
            property("amount_sek", &amount, Lang::Sv),
            ("Belopp (kr)".to_string(), "1\u{a0}234,5".to_string())
        );
        assert_eq!(property("amount_sek", &amount, Lang::En).1, "1,234.5");
        assert_eq!(
            property("shoe_size", &Value::from(42), Lang::En).0,
            "shoe_size"
        );
    }
}
