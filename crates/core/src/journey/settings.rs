//! A provider's anchors and windows.

use crate::invalid::{Checker, Invalid, Reason};
use crate::touchpoint::TouchpointKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What starts a journey and how far it reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct JourneySettings {
    /// Kinds of touchpoint that start a meeting.
    pub anchors: Vec<String>,
    /// Calendar days before an anchor that lead up to it.
    pub before_days: u32,
    /// Hours from an anchor that belong to the meeting itself (a stay: its nights).
    pub during_hours: u32,
    /// Calendar days after the meeting that follow from it.
    pub after_days: u32,
}

impl Default for JourneySettings {
    fn default() -> Self {
        JourneySettings {
            anchors: ["purchase", "visit", "check_in", "meeting"]
                .map(String::from)
                .to_vec(),
            before_days: 14,
            during_hours: 4,
            after_days: 14,
        }
    }
}

/// The settings as a client sends them; what is left out keeps its default.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JourneySettingsInput {
    pub anchors: Option<Vec<String>>,
    pub before_days: Option<u32>,
    pub during_hours: Option<u32>,
    pub after_days: Option<u32>,
}

/// Windows longer than this say more about a customer's life than about a meeting.
const MAX_DAYS: u32 = 365;
const MAX_HOURS: u32 = 24 * 60;

impl JourneySettingsInput {
    pub fn parse(&self) -> Result<JourneySettings, Invalid> {
        let d = JourneySettings::default();
        let mut c = Checker::new();
        let anchors = self.anchors.clone().unwrap_or(d.anchors);
        if anchors.is_empty() || anchors.len() > 50 {
            c.fail("anchors", Reason::Entries { low: 1, high: 50 });
        }
        for (i, kind) in anchors.iter().enumerate() {
            c.take(TouchpointKind::parse(kind).map_err(|e| e.within(&format!("anchors[{i}]"))));
        }
        let mut within = |field: &str, value: Option<u32>, default: u32, high: u32| {
            let v = value.unwrap_or(default);
            if v > high {
                c.fail(
                    field,
                    Reason::Range {
                        low: 0,
                        high: i64::from(high),
                    },
                );
            }
            v
        };
        let before_days = within("before_days", self.before_days, d.before_days, MAX_DAYS);
        let during_hours = within("during_hours", self.during_hours, d.during_hours, MAX_HOURS);
        let after_days = within("after_days", self.after_days, d.after_days, MAX_DAYS);
        c.finish()?;
        Ok(JourneySettings {
            anchors,
            before_days,
            during_hours,
            after_days,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_keep_their_defaults_and_name_bad_values() {
        let s = JourneySettingsInput {
            anchors: Some(vec!["check_in".into()]),
            during_hours: Some(72),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!((s.before_days, s.during_hours, s.after_days), (14, 72, 14));
        let e = JourneySettingsInput {
            anchors: Some(vec!["Köp".into()]),
            after_days: Some(1000),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["anchors[0]", "after_days"]);
        let e = JourneySettingsInput {
            anchors: Some(vec![]),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(e.0[0].field, "anchors");
    }
}
