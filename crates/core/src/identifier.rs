//! Identifiers: how a provider's systems know a customer. Values are normalised at
//! the edge (e-mail lower-cased, phone numbers in E.164) so that exact matching across
//! sources works without fuzziness.

use crate::invalid::{Invalid, List, Reason, text};
use serde::{Deserialize, Serialize};
use std::fmt;
use utoipa::ToSchema;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierKind {
    Email,
    Phone,
    /// The provider's own customer number.
    CustomerNumber,
    LoyaltyCard,
    /// An app install or web cookie id.
    DeviceId,
    /// A handle on a social network or forum, such as `@anna_k`.
    SocialHandle,
}

impl IdentifierKind {
    pub const ALL: [IdentifierKind; 6] = [
        Self::Email,
        Self::Phone,
        Self::CustomerNumber,
        Self::LoyaltyCard,
        Self::DeviceId,
        Self::SocialHandle,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Phone => "phone",
            Self::CustomerNumber => "customer_number",
            Self::LoyaltyCard => "loyalty_card",
            Self::DeviceId => "device_id",
            Self::SocialHandle => "social_handle",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                Invalid::one(
                    "",
                    Reason::OneOf {
                        value: s.to_string(),
                        allowed: List::of(Self::ALL.map(Self::as_str)),
                    },
                )
            })
    }
}

impl fmt::Display for IdentifierKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A normalised identifier. Construct with [`Identifier::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
pub struct Identifier {
    pub kind: IdentifierKind,
    pub value: String,
}

impl Identifier {
    /// Normalises `value` for `kind`. `region` (ISO 3166 alpha-2, such as `SE`) is the
    /// provider's country, used for phone numbers written without a country code.
    pub fn parse(kind: IdentifierKind, value: &str, region: &str) -> Result<Self, Invalid> {
        let raw = text("value", value, 320)?;
        let value = match kind {
            IdentifierKind::Email => email(&raw)?,
            IdentifierKind::Phone => phone(&raw, region)?,
            IdentifierKind::SocialHandle => raw.trim_start_matches('@').to_lowercase(),
            IdentifierKind::CustomerNumber
            | IdentifierKind::LoyaltyCard
            | IdentifierKind::DeviceId => raw,
        };
        Ok(Identifier { kind, value })
    }
}

fn email(raw: &str) -> Result<String, Invalid> {
    let v = raw.to_lowercase();
    let bad = || Invalid::one("value", Reason::Email);
    let (local, domain) = v.split_once('@').ok_or_else(bad)?;
    if local.is_empty()
        || domain.len() < 3
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains('@')
        || v.chars().any(char::is_whitespace)
    {
        return Err(bad());
    }
    Ok(v)
}

fn phone(raw: &str, region: &str) -> Result<String, Invalid> {
    let country = region.parse::<phonenumber::country::Id>().ok();
    let number =
        phonenumber::parse(country, raw).map_err(|_| Invalid::one("value", Reason::Phone))?;
    if !phonenumber::is_valid(&number) {
        return Err(Invalid::one("value", Reason::Phone));
    }
    Ok(number.format().mode(phonenumber::Mode::E164).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_lower_cased_and_checked() {
        let id =
            Identifier::parse(IdentifierKind::Email, " Anna.Karlsson@Example.SE ", "SE").unwrap();
        assert_eq!(id.value, "anna.karlsson@example.se");
        assert!(Identifier::parse(IdentifierKind::Email, "anna", "SE").is_err());
        assert!(Identifier::parse(IdentifierKind::Email, "anna@se", "SE").is_err());
    }

    #[test]
    fn swedish_phone_numbers_become_e164() {
        for written in [
            "070-123 45 67",
            "+46 70 123 45 67",
            "0046701234567",
            "(070) 1234567",
        ] {
            let id = Identifier::parse(IdentifierKind::Phone, written, "SE").unwrap();
            assert_eq!(id.value, "+46701234567", "{written}");
        }
        assert!(Identifier::parse(IdentifierKind::Phone, "12", "SE").is_err());
        assert!(Identifier::parse(IdentifierKind::Phone, "not a number", "SE").is_err());
    }

    #[test]
    fn social_handles_lose_the_at_sign_and_case() {
        let id = Identifier::parse(IdentifierKind::SocialHandle, "@Anna_K", "SE").unwrap();
        assert_eq!(id.value, "anna_k");
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for k in IdentifierKind::ALL {
            assert_eq!(IdentifierKind::parse(k.as_str()).unwrap(), k);
        }
        assert!(IdentifierKind::parse("passport").is_err());
    }
}
