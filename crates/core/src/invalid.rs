//! Validation errors that name the field and the reason, collected rather than
//! stopping at the first, so a client can fix everything in one round.

pub use crate::reason::{List, Reason};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use utoipa::openapi::{RefOr, schema::Schema};
use utoipa::{PartialSchema, ToSchema};

/// One rejected field: a JSON-pointer-like path (`identifiers[1].value`) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub reason: Reason,
}

/// A field error as JSON: the field, and its reason's code, parameters and English
/// sentence beside it.
#[derive(Serialize, Deserialize, ToSchema)]
#[schema(as = FieldError)]
struct Wire {
    /// The field, as a path such as `identifiers[1].value`; empty for the whole input.
    field: String,
    #[serde(flatten)]
    reason: crate::reason::Wire,
}

impl Serialize for FieldError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Wire {
            field: self.field.clone(),
            reason: crate::reason::Wire::from(&self.reason),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for FieldError {
    /// Reads what [`Serialize`] wrote, and reasons stored before they had codes.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let wire = Wire::deserialize(d)?;
        Ok(FieldError::new(wire.field, Reason::from(wire.reason)))
    }
}

impl PartialSchema for FieldError {
    fn schema() -> RefOr<Schema> {
        Wire::schema()
    }
}

impl ToSchema for FieldError {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("FieldError")
    }
}

impl FieldError {
    pub fn new(field: impl Into<String>, reason: Reason) -> Self {
        FieldError {
            field: field.into(),
            reason,
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

/// A value that failed validation, with every field that was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn one(field: impl Into<String>, reason: Reason) -> Self {
        Invalid(vec![FieldError::new(field, reason)])
    }

    /// The same errors with `prefix` put before each field (for nested inputs).
    pub fn within(self, prefix: &str) -> Self {
        Invalid(
            self.0
                .into_iter()
                .map(|e| FieldError {
                    field: if e.field.is_empty() {
                        prefix.to_string()
                    } else if e.field.starts_with('[') {
                        format!("{prefix}{}", e.field)
                    } else {
                        format!("{prefix}.{}", e.field)
                    },
                    reason: e.reason,
                })
                .collect(),
        )
    }
}

/// Collects field errors while a whole input is checked.
#[derive(Debug, Default)]
pub struct Checker(Vec<FieldError>);

impl Checker {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn fail(&mut self, field: impl Into<String>, reason: Reason) {
        self.0.push(FieldError::new(field, reason));
    }

    /// Keeps the value if it parsed; records its errors otherwise.
    pub fn take<T>(&mut self, result: Result<T, Invalid>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.extend(e.0);
                None
            }
        }
    }

    /// A required field: records "is required" when absent.
    pub fn required<T>(&mut self, field: &str, value: Option<T>) -> Option<T> {
        if value.is_none() {
            self.fail(field, Reason::Required);
        }
        value
    }

    pub fn finish(self) -> Result<(), Invalid> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Invalid(self.0))
        }
    }
}

/// Checks a free-text field: trimmed, not empty, at most `max` characters, no control
/// characters (they break logs, CSV exports and terminals).
pub fn text(field: &str, value: &str, max: usize) -> Result<String, Invalid> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Invalid::one(field, Reason::Empty));
    }
    if v.chars().count() > max {
        return Err(Invalid::one(field, Reason::TooLong { max }));
    }
    if v.chars().any(char::is_control) {
        return Err(Invalid::one(field, Reason::ControlCharacters));
    }
    Ok(v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_trims_and_rejects_empty_long_and_control() {
        assert_eq!(text("name", "  Kafé  ", 10).unwrap(), "Kafé");
        assert_eq!(
            text("name", "   ", 10).unwrap_err().0[0].reason,
            Reason::Empty
        );
        assert!(text("name", "abcdefghijk", 10).is_err());
        assert!(text("name", "a\u{0}b", 10).is_err());
    }

    #[test]
    fn within_prefixes_nested_fields() {
        let e = Invalid::one("value", Reason::Empty).within("identifiers[2]");
        assert_eq!(e.0[0].field, "identifiers[2].value");
        let e = Invalid::one("", Reason::Empty).within("channel");
        assert_eq!(e.0[0].field, "channel");
    }

    #[test]
    fn a_field_error_is_json_with_its_code_and_params_and_reads_old_rows() {
        let e = FieldError {
            field: "name".into(),
            reason: Reason::TooLong { max: 40 },
        };
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "field": "name", "code": "too-long", "params": {"max": 40},
                "reason": "must be at most 40 characters"
            })
        );
        assert_eq!(serde_json::from_value::<FieldError>(json).unwrap(), e);
        // A reason stored before reasons had codes is kept as it was written.
        let old: FieldError =
            serde_json::from_str(r#"{"field": "kind", "reason": "is required"}"#).unwrap();
        assert_eq!(old.reason, Reason::Recorded("is required".into()));
    }
}
