//! Rectification (GDPR article 16): the person says what a provider holds wrongly and
//! what is right; the request goes to that provider, which answers done or declined
//! with a note the person reads.

use crate::ProviderId;
use crate::invalid::{Checker, Invalid, Reason, text};
use crate::value::vocabulary;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The longest a request's or an answer's text may be.
pub const LONGEST_TEXT: usize = 1000;

vocabulary!(
    /// How a provider resolved a rectification request.
    Resolution { Done => "done", Declined => "declined" }
);

/// A request as stored, with its answer once given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Rectification {
    pub id: Uuid,
    pub provider: ProviderId,
    /// What the provider holds wrongly.
    pub wrong: String,
    /// What is right.
    pub right: String,
    pub requested_at: DateTime<Utc>,
    pub outcome: Option<Resolution>,
    pub note: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// A request as the person's form sends it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct RectificationInput {
    pub provider: Option<String>,
    pub wrong: Option<String>,
    pub right: Option<String>,
}

/// A checked request, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRectification {
    pub provider: ProviderId,
    pub wrong: String,
    pub right: String,
}

impl RectificationInput {
    pub fn parse(&self) -> Result<NewRectification, Invalid> {
        let mut c = Checker::new();
        let provider = c
            .required("provider", self.provider.as_deref())
            .and_then(|p| {
                let id = p.parse().ok().map(ProviderId);
                if id.is_none() {
                    c.fail("provider", Reason::Guid);
                }
                id
            });
        let mut said = |field: &str, value: Option<&str>| {
            c.required(field, value)
                .and_then(|v| c.take(text(field, v, LONGEST_TEXT)))
        };
        let wrong = said("wrong", self.wrong.as_deref());
        let right = said("right", self.right.as_deref());
        c.finish()?;
        match (provider, wrong, right) {
            (Some(provider), Some(wrong), Some(right)) => Ok(NewRectification {
                provider,
                wrong,
                right,
            }),
            _ => Err(Invalid::one("", Reason::Required)),
        }
    }
}

/// A provider's answer: done or declined, and a note (required when declining, so
/// the person learns why).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct AnswerInput {
    pub outcome: Option<String>,
    pub note: Option<String>,
}

impl AnswerInput {
    pub fn parse(&self) -> Result<(Resolution, Option<String>), Invalid> {
        let mut c = Checker::new();
        let outcome = c
            .required("outcome", self.outcome.as_deref())
            .and_then(|o| c.take(Resolution::parse(o).map_err(|e| e.within("outcome"))));
        let note = match self
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            Some(n) => c.take(text("note", n, LONGEST_TEXT)),
            None => {
                if outcome == Some(Resolution::Declined) {
                    c.fail("note", Reason::Required);
                }
                None
            }
        };
        c.finish()?;
        outcome
            .map(|o| (o, note))
            .ok_or_else(|| Invalid::one("outcome", Reason::Required))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(e: Invalid) -> Vec<(String, &'static str)> {
        e.0.iter()
            .map(|f| (f.field.clone(), f.reason.code()))
            .collect()
    }

    #[test]
    fn a_request_and_an_answer_name_each_bad_field() {
        let bad = RectificationInput {
            provider: Some("shop".into()),
            wrong: Some("   ".into()),
            right: None,
        };
        assert_eq!(
            codes(bad.parse().unwrap_err()),
            [
                ("provider".to_string(), "guid"),
                ("wrong".to_string(), "empty"),
                ("right".to_string(), "required"),
            ]
        );
        let declined = AnswerInput {
            outcome: Some("declined".into()),
            note: Some(" ".into()),
        };
        assert_eq!(
            codes(declined.parse().unwrap_err()),
            [("note".to_string(), "required")]
        );
        let done = AnswerInput {
            outcome: Some("done".into()),
            note: None,
        };
        assert_eq!(done.parse().unwrap(), (Resolution::Done, None));
    }
}
