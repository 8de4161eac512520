//! Reading a batch body: a JSON array or NDJSON, optionally gzip-compressed, split
//! into events that are parsed one by one, so one bad event never costs the others.

use crate::error::ApiError;
use crate::json::{JsonError, from_json};
use flate2::read::GzDecoder;
use motesplats_core::Invalid;
use motesplats_core::touchpoint::TouchpointInput;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::io::Read;

/// Most events in one request.
pub const MAX_EVENTS: usize = 2000;
/// Most bytes of a body after decompression.
pub const MAX_DECODED_BYTES: usize = 8 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    JsonArray,
    Ndjson,
}

impl Format {
    /// The format a Content-Type names.
    pub fn from_content_type(content_type: Option<&str>) -> Result<Format, ApiError> {
        let media = content_type
            .and_then(|v| v.split(';').next())
            .map(|m| m.trim().to_ascii_lowercase());
        match media.as_deref() {
            Some("application/json") => Ok(Format::JsonArray),
            Some("application/x-ndjson" | "application/ndjson" | "application/jsonl") => {
                Ok(Format::Ndjson)
            }
            other => Err(ApiError::media_type(
                other,
                &["application/json", "application/x-ndjson"],
            )),
        }
    }
}

/// The body as plain bytes: gzip is undone, at most `max` bytes of it (a cap against
/// decompression bombs); a plain body is used as it came. Both event endpoints use it.
pub fn decode<'a>(
    content_encoding: Option<&str>,
    body: &'a [u8],
    max: usize,
) -> Result<Cow<'a, [u8]>, ApiError> {
    match content_encoding
        .map(|e| e.trim().to_ascii_lowercase())
        .as_deref()
    {
        None | Some("identity") | Some("") => Ok(Cow::Borrowed(body)),
        Some("gzip") => {
            let mut out = Vec::new();
            GzDecoder::new(body)
                .take(max as u64 + 1)
                .read_to_end(&mut out)
                .map_err(|e| ApiError::Malformed(format!("the gzip body cannot be read: {e}")))?;
            if out.len() > max {
                return Err(ApiError::TooLarge(max));
            }
            Ok(Cow::Owned(out))
        }
        Some(other) => Err(ApiError::Invalid(Invalid::one(
            "content-encoding",
            motesplats_core::Reason::Encoding {
                value: other.to_string(),
            },
        ))),
    }
}

/// One event of a batch: its text as sent, and what parsing it gave.
pub struct RawEvent<'a> {
    pub text: &'a str,
    pub input: Result<TouchpointInput, Invalid>,
}

fn event(text: &str) -> RawEvent<'_> {
    let input = from_json::<TouchpointInput>(text.as_bytes()).map_err(|e| match e {
        JsonError::Syntax(d) => Invalid::one("", JsonError::syntax_reason(&d)),
        JsonError::Fields(i) => i,
    });
    RawEvent { text, input }
}

/// Splits a decoded body into events. Only a body that cannot be split at all (not
/// a JSON array, not UTF-8, too many events) is an error for the whole request.
pub fn split(format: Format, bytes: &[u8]) -> Result<Vec<RawEvent<'_>>, ApiError> {
    let events: Vec<RawEvent> = match format {
        Format::JsonArray => {
            let raws: Vec<&RawValue> = serde_json::from_slice(bytes).map_err(|e| {
                ApiError::Malformed(format!("the body must be a JSON array of events: {e}"))
            })?;
            raws.into_iter().map(|r| event(r.get())).collect()
        }
        Format::Ndjson => {
            let text = std::str::from_utf8(bytes)
                .map_err(|_| ApiError::Malformed("the body is not UTF-8".into()))?;
            text.split('\n')
                .map(|l| l.trim_end_matches('\r'))
                .filter(|l| !l.trim().is_empty())
                .map(event)
                .collect()
        }
    };
    if events.len() > MAX_EVENTS {
        return Err(ApiError::Invalid(Invalid::one(
            "body",
            motesplats_core::Reason::TooManyEntries {
                count: events.len(),
                max: MAX_EVENTS,
            },
        )));
    }
    if events.is_empty() {
        return Err(ApiError::Invalid(Invalid::one(
            "body",
            motesplats_core::Reason::Empty,
        )));
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn arrays_and_ndjson_split_into_events_that_fail_alone() {
        let body = br#"[{"kind": "visit"}, {"colour": 1}, 7]"#;
        let events = split(Format::JsonArray, body).unwrap();
        assert_eq!(events.len(), 3);
        assert!(events[0].input.is_ok());
        assert_eq!(events[1].input.as_ref().unwrap_err().0[0].field, "colour");
        assert!(events[2].input.is_err());
        let body = b"{\"kind\": \"visit\"}\r\n\n{not json\n{\"kind\": \"buy\"}\n";
        let events = split(Format::Ndjson, body).unwrap();
        assert_eq!(events.len(), 3);
        let why = &events[1].input.as_ref().unwrap_err().0[0].reason;
        assert_eq!(why.code(), "not-json");
        assert!(why.to_string().starts_with("is not valid JSON: "), "{why}");
        assert_eq!(events[2].text, "{\"kind\": \"buy\"}");
    }

    #[test]
    fn whole_bodies_that_cannot_be_split_are_refused() {
        assert!(matches!(
            split(Format::JsonArray, b"{\"kind\": 1}"),
            Err(ApiError::Malformed(_))
        ));
        assert!(matches!(
            split(Format::JsonArray, b"[]"),
            Err(ApiError::Invalid(_))
        ));
        assert!(matches!(
            split(Format::Ndjson, &[0xff, 0xfe]),
            Err(ApiError::Malformed(_))
        ));
        let many = format!("[{}]", vec!["{}"; MAX_EVENTS + 1].join(","));
        assert!(matches!(
            split(Format::JsonArray, many.as_bytes()),
            Err(ApiError::Invalid(_))
        ));
        assert!(matches!(
            Format::from_content_type(Some("text/csv")),
            Err(ApiError::UnsupportedMediaType(_))
        ));
    }

    #[test]
    fn gzip_is_undone_and_bombs_are_capped() {
        use flate2::Compression;
        use flate2::write::GzEncoder;
        use std::io::Write;
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(b"[{}]").unwrap();
        assert_eq!(
            decode(Some("gzip"), &gz.finish().unwrap(), MAX_DECODED_BYTES)
                .unwrap()
                .as_ref(),
            b"[{}]"
        );
        let mut bomb = GzEncoder::new(Vec::new(), Compression::best());
        bomb.write_all(&vec![b' '; MAX_DECODED_BYTES + 10]).unwrap();
        assert!(matches!(
            decode(Some("gzip"), &bomb.finish().unwrap(), MAX_DECODED_BYTES),
            Err(ApiError::TooLarge(_))
        ));
        assert!(matches!(
            decode(Some("gzip"), b"not gzip", MAX_DECODED_BYTES),
            Err(ApiError::Malformed(_))
        ));
        assert!(matches!(
            decode(Some("br"), b"", MAX_DECODED_BYTES),
            Err(ApiError::Invalid(_))
        ));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The batch parser never panics, whatever bytes arrive.
        #[test]
        fn any_bytes_are_handled_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512), ndjson: bool, gzip: bool) {
            let format = if ndjson { Format::Ndjson } else { Format::JsonArray };
            if let Ok(decoded) = decode(gzip.then_some("gzip"), &bytes, MAX_DECODED_BYTES) {
                let _ = split(format, &decoded);
            }
        }

        /// Near-valid bodies too: JSON-ish text made of the batch's own vocabulary.
        #[test]
        fn json_like_text_is_handled_without_panic(text in r#"\[?(\{("(kind|channel|occurred_at|event_id|identifiers|properties)": ?("[a-z0-9:+-]{0,12}"|[0-9]{1,3}|null|\[\]|\{\}),? ?){0,4}\},?\n?){0,4}\]?"#) {
            let _ = split(Format::JsonArray, text.as_bytes());
            let _ = split(Format::Ndjson, text.as_bytes());
        }
    }
}
