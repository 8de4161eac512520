//! Profiles (one provider's record of a customer) and persons (the human behind a
//! set of profiles). Until identity resolution links them, each profile has its own
//! person.

use crate::identifier::{Identifier, IdentifierKind};
use crate::ids::{PersonId, ProfileId, ProviderId};
use crate::invalid::{Checker, Invalid, text};
use crate::touchpoint::IdentifierInput;
use crate::touchpoint::person_attributes;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Profile {
    pub id: ProfileId,
    pub provider_id: ProviderId,
    pub person_id: PersonId,
    pub display_name: Option<String>,
    pub identifiers: Vec<Identifier>,
    #[schema(value_type = Object)]
    pub attributes: Map<String, Value>,
    pub created_at: DateTime<Utc>,
}

/// The human: the profiles a provider may see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Person {
    pub id: PersonId,
    pub profiles: Vec<Profile>,
}

impl Person {
    /// Groups profiles ordered by person into persons, keeping their order.
    pub fn group(profiles: Vec<Profile>) -> Vec<Person> {
        let mut persons: Vec<Person> = Vec::new();
        for p in profiles {
            match persons.last_mut() {
                Some(last) if last.id == p.person_id => last.profiles.push(p),
                _ => persons.push(Person {
                    id: p.person_id,
                    profiles: vec![p],
                }),
            }
        }
        persons
    }
}

/// A profile as a client sends it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    pub display_name: Option<String>,
    pub identifiers: Option<Vec<IdentifierInput>>,
    /// What the provider knows of the person: a JSON object of at most 16 KiB.
    /// `given_name`, `family_name`, `birth_date`, `street` and `postcode` are text,
    /// and probabilistic linkage compares them.
    #[schema(value_type = Option<Object>)]
    pub attributes: Option<Value>,
}

/// A checked profile, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewProfile {
    pub id: ProfileId,
    pub display_name: Option<String>,
    pub identifiers: Vec<Identifier>,
    pub attributes: Map<String, Value>,
}

impl NewProfile {
    pub fn parse(input: &ProfileInput, region: &str) -> Result<Self, Invalid> {
        let mut c = Checker::new();
        let display_name = input
            .display_name
            .as_deref()
            .and_then(|n| c.take(text("display_name", n, 200)));
        let mut identifiers: Vec<Identifier> = input
            .identifiers
            .iter()
            .flatten()
            .enumerate()
            .filter_map(|(i, id)| {
                c.take(
                    id.parse(region)
                        .map_err(|e| e.within(&format!("identifiers[{i}]"))),
                )
            })
            .collect();
        identifiers.sort();
        identifiers.dedup();
        let attributes = person_attributes(&mut c, "attributes", input.attributes.clone());
        c.finish()?;
        Ok(NewProfile {
            id: ProfileId::new(),
            display_name,
            identifiers,
            attributes: attributes.unwrap_or_default(),
        })
    }
}

/// What a member of staff typed to find a customer, read the way identifiers are
/// written (e-mail lower-cased, phone numbers in E.164), so a search finds exactly the
/// profiles stitching would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileSearch {
    /// The identifiers the query may be: a profile holding any of them matches.
    pub identifiers: Vec<Identifier>,
    /// Lower-cased text the display name must contain, when the query may be a name.
    pub name: Option<String>,
}

impl ProfileSearch {
    /// None for an empty query (every profile). `@handle` is a social handle, text
    /// with `@` an e-mail address; otherwise a query with a digit may be a phone
    /// number, a customer number or a loyalty card, and one with a letter a name.
    pub fn parse(q: &str, region: &str) -> Result<Option<Self>, Invalid> {
        if q.trim().is_empty() {
            return Ok(None);
        }
        let q = text("q", q, 320)?;
        let as_kind = |kind| Identifier::parse(kind, &q, region).map_err(|e| e.within("q"));
        if q.starts_with('@') {
            return Ok(Some(Self::exactly(as_kind(IdentifierKind::SocialHandle)?)));
        }
        if q.contains('@') {
            return Ok(Some(Self::exactly(as_kind(IdentifierKind::Email)?)));
        }
        let mut identifiers = Vec::new();
        if q.chars().any(|c| c.is_ascii_digit()) {
            let kinds = [
                IdentifierKind::Phone,
                IdentifierKind::CustomerNumber,
                IdentifierKind::LoyaltyCard,
            ];
            identifiers.extend(kinds.into_iter().filter_map(|k| as_kind(k).ok()));
        }
        let name = q.chars().any(char::is_alphabetic).then(|| q.to_lowercase());
        Ok(Some(ProfileSearch { identifiers, name }))
    }

    fn exactly(id: Identifier) -> Self {
        ProfileSearch {
            identifiers: vec![id],
            name: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn search(q: &str) -> ProfileSearch {
        ProfileSearch::parse(q, "SE").unwrap().unwrap()
    }

    #[test]
    fn a_search_is_read_as_the_identifier_it_may_be() {
        let s = search(" Anna.K@Example.SE ");
        assert_eq!(
            s.identifiers,
            [Identifier::parse(IdentifierKind::Email, "anna.k@example.se", "SE").unwrap()]
        );
        assert_eq!(s.name, None);

        let s = search("070-123 45 67");
        assert!(
            s.identifiers
                .iter()
                .any(|i| i.kind == IdentifierKind::Phone && i.value == "+46701234567")
        );
        assert!(
            s.identifiers
                .iter()
                .any(|i| i.kind == IdentifierKind::CustomerNumber && i.value == "070-123 45 67")
        );
        assert_eq!(s.name, None);

        let s = search("M1000042");
        assert!(
            s.identifiers
                .iter()
                .all(|i| i.kind != IdentifierKind::Phone)
        );
        assert!(
            s.identifiers
                .iter()
                .any(|i| i.kind == IdentifierKind::CustomerNumber && i.value == "M1000042")
        );
        assert_eq!(s.name.as_deref(), Some("m1000042"));

        let s = search("ÅSA Öberg");
        assert!(s.identifiers.is_empty());
        assert_eq!(s.name.as_deref(), Some("åsa öberg"));

        assert_eq!(search("@Anna_K").identifiers[0].value, "anna_k");
        assert_eq!(ProfileSearch::parse("  ", "SE").unwrap(), None);
    }

    #[test]
    fn a_search_that_cannot_be_what_it_looks_like_names_the_field() {
        let e = ProfileSearch::parse("anna@", "SE").unwrap_err();
        assert_eq!(e.0[0].field, "q.value");
        let e = ProfileSearch::parse(&"x".repeat(321), "SE").unwrap_err();
        assert_eq!(e.0[0].field, "q");
    }

    #[test]
    fn identifiers_are_normalised_and_deduplicated() {
        let input: ProfileInput = serde_json::from_value(json!({
            "display_name": "Anna",
            "identifiers": [
                {"kind": "email", "value": "ANNA@example.se"},
                {"kind": "email", "value": "anna@example.se"}
            ]
        }))
        .unwrap();
        let p = NewProfile::parse(&input, "SE").unwrap();
        assert_eq!(p.identifiers.len(), 1);
        assert_eq!(p.identifiers[0].value, "anna@example.se");
    }

    #[test]
    fn bad_identifiers_are_named_by_position() {
        let input: ProfileInput = serde_json::from_value(json!({
            "identifiers": [{"kind": "email", "value": "a@b.se"}, {"kind": "fax", "value": "1"}],
            "attributes": 3
        }))
        .unwrap();
        let e = NewProfile::parse(&input, "SE").unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["identifiers[1].kind", "attributes"]);
    }
}
