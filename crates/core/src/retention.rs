//! How long a provider keeps each kind of data, and what it must keep by law even
//! when a person asks for erasure (a bookkeeping law keeps purchases for years): those
//! rows are held back, apart from the figures, with the reason the person reads.

use crate::invalid::{Checker, Invalid, Reason, text};
use crate::touchpoint::TouchpointKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The most days a retention period may name: a hundred years is "keep".
pub const MOST_DAYS: i64 = 36_500;
/// The most years a legal hold may name.
pub const MOST_YEARS: i64 = 30;
/// The longest reason a legal hold may give.
pub const LONGEST_REASON: usize = 300;

/// A provider's retention periods in days (none: kept until erased) and legal holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Retention {
    pub touchpoints_days: Option<u32>,
    /// Raw events that failed the checks.
    pub quarantine_days: Option<u32>,
    pub responses_days: Option<u32>,
    /// The access log of reads.
    pub logs_days: Option<u32>,
    pub legal_holds: Vec<LegalHold>,
}

/// Touchpoints of a kind the provider must keep, for how long after they happened,
/// and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LegalHold {
    #[schema(value_type = String)]
    pub kind: TouchpointKind,
    pub reason: String,
    pub years: u32,
}

impl Retention {
    /// The hold on touchpoints of `kind`, if any.
    pub fn hold(&self, kind: &str) -> Option<&LegalHold> {
        self.legal_holds.iter().find(|h| h.kind.as_str() == kind)
    }
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct RetentionInput {
    pub touchpoints_days: Option<i64>,
    pub quarantine_days: Option<i64>,
    pub responses_days: Option<i64>,
    pub logs_days: Option<i64>,
    pub legal_holds: Option<Vec<LegalHoldInput>>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct LegalHoldInput {
    pub kind: Option<String>,
    pub reason: Option<String>,
    pub years: Option<i64>,
}

fn within(c: &mut Checker, field: &str, value: Option<i64>, high: i64) -> Option<u32> {
    let n = value?;
    if !(1..=high).contains(&n) {
        c.fail(field, Reason::Range { low: 1, high });
        return None;
    }
    u32::try_from(n).ok()
}

impl RetentionInput {
    pub fn parse(&self) -> Result<Retention, Invalid> {
        let mut c = Checker::new();
        let touchpoints_days = within(&mut c, "touchpoints_days", self.touchpoints_days, MOST_DAYS);
        let quarantine_days = within(&mut c, "quarantine_days", self.quarantine_days, MOST_DAYS);
        let responses_days = within(&mut c, "responses_days", self.responses_days, MOST_DAYS);
        let logs_days = within(&mut c, "logs_days", self.logs_days, MOST_DAYS);
        let mut legal_holds: Vec<LegalHold> = Vec::new();
        for (i, h) in self.legal_holds.iter().flatten().enumerate() {
            let field = |name: &str| format!("legal_holds[{i}].{name}");
            let kind = c.required(&field("kind"), h.kind.as_deref()).and_then(|k| {
                c.take(TouchpointKind::parse(k).map_err(|e| e.within(&field("kind"))))
            });
            let reason = c
                .required(&field("reason"), h.reason.as_deref())
                .and_then(|r| c.take(text(&field("reason"), r, LONGEST_REASON)));
            let years = c
                .required(&field("years"), h.years)
                .and_then(|y| within(&mut c, &field("years"), Some(y), MOST_YEARS));
            if let Some(k) = &kind
                && legal_holds.iter().any(|held| &held.kind == k)
            {
                c.fail(
                    field("kind"),
                    Reason::Repeats {
                        value: k.as_str().to_string(),
                    },
                );
            }
            if let (Some(kind), Some(reason), Some(years)) = (kind, reason, years) {
                legal_holds.push(LegalHold {
                    kind,
                    reason,
                    years,
                });
            }
        }
        c.finish()?;
        Ok(Retention {
            touchpoints_days,
            quarantine_days,
            responses_days,
            logs_days,
            legal_holds,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_field_of_the_retention_is_named() {
        let bad = RetentionInput {
            touchpoints_days: Some(0),
            logs_days: Some(400),
            legal_holds: Some(vec![
                LegalHoldInput {
                    kind: Some("purchase".into()),
                    reason: Some("Bokföringslagen".into()),
                    years: Some(7),
                },
                LegalHoldInput {
                    kind: Some("purchase".into()),
                    reason: Some(" ".into()),
                    years: Some(31),
                },
            ]),
            ..RetentionInput::default()
        };
        let codes: Vec<_> = bad
            .parse()
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| (e.field, e.reason.code()))
            .collect();
        assert_eq!(
            codes,
            [
                ("touchpoints_days".to_string(), "range"),
                ("legal_holds[1].reason".to_string(), "empty"),
                ("legal_holds[1].years".to_string(), "range"),
                ("legal_holds[1].kind".to_string(), "repeats"),
            ]
        );
        let good = RetentionInput {
            logs_days: Some(365),
            legal_holds: Some(vec![LegalHoldInput {
                kind: Some("purchase".into()),
                reason: Some("Bokföringslagen".into()),
                years: Some(7),
            }]),
            ..RetentionInput::default()
        }
        .parse()
        .unwrap();
        assert_eq!(good.logs_days, Some(365));
        assert_eq!(good.hold("purchase").map(|h| h.years), Some(7));
        assert!(good.hold("visit").is_none());
    }
}
