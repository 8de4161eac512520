//! Validation errors that name the field and the reason, collected rather than
//! stopping at the first, so a client can fix everything in one round.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One rejected field: a JSON-pointer-like path (`identifiers[1].value`) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    pub field: String,
    pub reason: String,
}

/// A value that failed validation, with every field that was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {}", .0.iter().map(|e| format!("{}: {}", e.field, e.reason)).collect::<Vec<_>>().join("; "))]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn one(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Invalid(vec![FieldError {
            field: field.into(),
            reason: reason.into(),
        }])
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

    pub fn fail(&mut self, field: impl Into<String>, reason: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            reason: reason.into(),
        });
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
            self.fail(field, "is required");
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
        return Err(Invalid::one(field, "must not be empty"));
    }
    if v.chars().count() > max {
        return Err(Invalid::one(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if v.chars().any(char::is_control) {
        return Err(Invalid::one(field, "must not contain control characters"));
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
            "must not be empty"
        );
        assert!(text("name", "abcdefghijk", 10).is_err());
        assert!(text("name", "a\u{0}b", 10).is_err());
    }

    #[test]
    fn within_prefixes_nested_fields() {
        let e = Invalid::one("value", "bad").within("identifiers[2]");
        assert_eq!(e.0[0].field, "identifiers[2].value");
        let e = Invalid::one("", "bad").within("channel");
        assert_eq!(e.0[0].field, "channel");
    }
}
