//! A message of the tracking protocol, read leniently: the spec keeps growing and
//! SDKs add fields of their own, so unknown fields are kept out of the way rather
//! than refused, and ids sent as numbers are read as text.

use crate::invalid::{Invalid, Reason};
use serde_json::{Map, Value};

/// Most bytes of one message, as Segment's HTTP API documents (32 KB per call).
pub const MESSAGE_MAX_BYTES: usize = 32 * 1024;

/// The six calls of the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    Identify,
    Track,
    Page,
    Screen,
    Alias,
    Group,
}

impl Call {
    pub const ALL: [Call; 6] = [
        Call::Identify,
        Call::Track,
        Call::Page,
        Call::Screen,
        Call::Alias,
        Call::Group,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Call::Identify => "identify",
            Call::Track => "track",
            Call::Page => "page",
            Call::Screen => "screen",
            Call::Alias => "alias",
            Call::Group => "group",
        }
    }

    /// A call by its name, or by the one letter the browser SDK puts in its paths
    /// (`/t`, `/p`, `/i`, `/a`, `/g`, `/s`).
    pub fn parse(s: &str) -> Option<Call> {
        Call::ALL
            .into_iter()
            .find(|c| c.as_str() == s || (s.len() == 1 && c.as_str().starts_with(s)))
    }

    /// The kind a call other than `track` is stored as; `track` names its own.
    pub fn kind(self) -> Option<&'static str> {
        match self {
            Call::Track => None,
            Call::Page => Some("page_view"),
            Call::Screen => Some("screen_view"),
            Call::Identify => Some("identify"),
            Call::Alias => Some("alias"),
            Call::Group => Some("group"),
        }
    }
}

/// One message's fields, by the spec's names.
pub(super) struct Message<'a>(pub &'a Map<String, Value>);

impl<'a> Message<'a> {
    pub fn value(&self, field: &str) -> Option<&'a Value> {
        self.0.get(field).filter(|v| !v.is_null())
    }

    /// A text field; ids sent as numbers are read as their digits.
    pub fn text(&self, field: &str) -> Result<Option<String>, Invalid> {
        id_text(self.value(field)).map_err(|e| e.within(field))
    }

    /// An object field, such as `properties`, `traits` or `context`.
    pub fn object(&self, field: &str) -> Result<Option<&'a Map<String, Value>>, Invalid> {
        match self.value(field) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m)),
            Some(_) => Err(Invalid::one(
                field,
                Reason::WrongType {
                    expected: "object".into(),
                },
            )),
        }
    }

    /// `context.<part>` as an object, when the context has one.
    pub fn context(&self, part: &str) -> Option<&'a Map<String, Value>> {
        self.value("context")?.get(part)?.as_object()
    }
}

/// A value that names something (an id, an e-mail): text, or a number as its digits;
/// empty text is no value.
pub(super) fn id_text(v: Option<&Value>) -> Result<Option<String>, Invalid> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(Invalid::one(
            "",
            Reason::WrongType {
                expected: "string".into(),
            },
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_named_in_full_or_by_the_browser_sdks_letter() {
        assert_eq!(Call::parse("track"), Some(Call::Track));
        assert_eq!(Call::parse("t"), Some(Call::Track));
        assert_eq!(Call::parse("s"), Some(Call::Screen));
        assert_eq!(Call::parse("b"), None);
        assert_eq!(Call::parse("tr"), None);
        assert_eq!(Call::parse("import"), None);
    }

    #[test]
    fn ids_may_be_numbers_but_not_objects() {
        assert_eq!(
            id_text(Some(&Value::from(42))).unwrap().as_deref(),
            Some("42")
        );
        assert_eq!(id_text(Some(&Value::from("  "))).unwrap(), None);
        assert!(id_text(Some(&serde_json::json!({"id": 1}))).is_err());
    }
}
