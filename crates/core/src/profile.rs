//! Profiles (one provider's record of a customer) and persons (the human behind a
//! set of profiles). Until identity resolution links them, each profile has its own
//! person.

use crate::identifier::Identifier;
use crate::ids::{PersonId, ProfileId, ProviderId};
use crate::invalid::{Checker, Invalid, text};
use crate::touchpoint::IdentifierInput;
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
    /// Free attributes: a JSON object of at most 16 KiB.
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
        let attributes = match &input.attributes {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(m)) if serde_json::to_vec(m).map_or(0, |v| v.len()) <= 16 * 1024 => {
                m.clone()
            }
            Some(Value::Object(_)) => {
                c.fail("attributes", "must be at most 16384 bytes as JSON");
                Map::new()
            }
            Some(_) => {
                c.fail("attributes", "must be a JSON object");
                Map::new()
            }
        };
        c.finish()?;
        Ok(NewProfile {
            id: ProfileId::new(),
            display_name,
            identifiers,
            attributes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
