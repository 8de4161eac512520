//! How and when a person may be contacted, by every provider together: the channels
//! they accept, their quiet hours where they live, how many contacts a week, and
//! whether contact is welcome in a moment of relationships or experiences.

use crate::channel::ChannelKey;
use crate::invalid::{Checker, Invalid, List, Reason};
use chrono::NaiveTime;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use utoipa::ToSchema;

/// The built-in channels a provider can reach a person by; a person chooses among these.
pub const CONTACT_CHANNELS: [&str; 7] = [
    "email",
    "sms",
    "phone",
    "app",
    "chat",
    "letter",
    "social_media",
];
/// The most contacts a week a person may allow: past this a budget protects nobody.
pub const MOST_A_WEEK: u32 = 50;

/// Local hours with no contact; `from` after `to` spans midnight (21:00–08:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct QuietHours {
    #[schema(value_type = String, example = "21:00")]
    pub from: NaiveTime,
    #[schema(value_type = String, example = "08:00")]
    pub to: NaiveTime,
}

impl QuietHours {
    pub fn holds_at(&self, t: NaiveTime) -> bool {
        if self.from <= self.to {
            self.from <= t && t < self.to
        } else {
            t >= self.from || t < self.to
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ContactPreferences {
    /// The channels the person accepts; None accepts every channel.
    pub channels: Option<BTreeSet<ChannelKey>>,
    pub quiet_hours: Option<QuietHours>,
    /// An IANA zone, where the quiet hours are kept.
    pub time_zone: String,
    /// At most this many contacts in any seven days, by all providers together
    /// (service messages the person asked for are not counted).
    pub weekly_budget: u32,
    /// Whether contact is welcome while the person is in a moment of relationships
    /// or experiences.
    pub welcome_in_moments: bool,
}

impl ContactPreferences {
    /// What holds until a person says otherwise: any channel, quiet from 21 to 8 in
    /// `time_zone` (the provider's, until the person gives theirs), three contacts a
    /// week, and no contact in a moment of relationships or experiences.
    pub fn default_in(time_zone: &str) -> ContactPreferences {
        ContactPreferences {
            channels: None,
            quiet_hours: Some(QuietHours {
                from: NaiveTime::from_hms_opt(21, 0, 0).unwrap_or_default(),
                to: NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default(),
            }),
            time_zone: time_zone.to_string(),
            weekly_budget: 3,
            welcome_in_moments: false,
        }
    }

    pub fn accepts(&self, channel: &ChannelKey) -> bool {
        self.channels.as_ref().is_none_or(|c| c.contains(channel))
    }

    /// The zone, or Stockholm's for a zone that no longer parses.
    pub fn zone(&self) -> Tz {
        self.time_zone
            .parse()
            .unwrap_or(chrono_tz::Europe::Stockholm)
    }
}

/// Preferences as a person sends them; every field is required, so a form shows
/// them all.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PreferencesInput {
    /// The accepted channels; absent or null accepts every channel.
    pub channels: Option<Vec<String>>,
    /// `{"from": "21:00", "to": "08:00"}`; null for none.
    pub quiet_hours: Option<QuietHoursInput>,
    pub time_zone: Option<String>,
    pub weekly_budget: Option<i64>,
    pub welcome_in_moments: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct QuietHoursInput {
    pub from: Option<String>,
    pub to: Option<String>,
}

fn clock_time(c: &mut Checker, field: &str, value: Option<&str>) -> Option<NaiveTime> {
    let value = c.required(field, value)?;
    let parsed = NaiveTime::parse_from_str(value, "%H:%M").ok();
    if parsed.is_none() {
        c.fail(
            field,
            Reason::ClockTime {
                value: value.to_string(),
            },
        );
    }
    parsed
}

impl PreferencesInput {
    pub fn parse(&self) -> Result<ContactPreferences, Invalid> {
        let mut c = Checker::new();
        let channels = self.channels.as_ref().map(|list| {
            let mut set = BTreeSet::new();
            for (i, key) in list.iter().enumerate() {
                let field = format!("channels[{i}]");
                if !CONTACT_CHANNELS.contains(&key.as_str()) {
                    c.fail(
                        &field,
                        Reason::OneOf {
                            value: key.clone(),
                            allowed: List::of(CONTACT_CHANNELS),
                        },
                    );
                } else if let Some(k) = c.take(ChannelKey::parse(key).map_err(|e| e.within(&field)))
                    && !set.insert(k)
                {
                    c.fail(&field, Reason::Repeats { value: key.clone() });
                }
            }
            set
        });
        let quiet_hours = self.quiet_hours.as_ref().and_then(|q| {
            let from = clock_time(&mut c, "quiet_hours.from", q.from.as_deref());
            let to = clock_time(&mut c, "quiet_hours.to", q.to.as_deref());
            let (from, to) = (from?, to?);
            if from == to {
                c.fail(
                    "quiet_hours.to",
                    Reason::RepeatsOf {
                        other: "quiet_hours.from".into(),
                    },
                );
            }
            Some(QuietHours { from, to })
        });
        let time_zone = c
            .required("time_zone", self.time_zone.as_deref())
            .and_then(|z| {
                let ok = z.parse::<Tz>().is_ok();
                if !ok {
                    c.fail(
                        "time_zone",
                        Reason::TimeZone {
                            value: z.to_string(),
                        },
                    );
                }
                ok.then(|| z.to_string())
            });
        let weekly_budget = c
            .required("weekly_budget", self.weekly_budget)
            .and_then(|n| {
                let ok = (0..=i64::from(MOST_A_WEEK)).contains(&n);
                if !ok {
                    c.fail(
                        "weekly_budget",
                        Reason::Range {
                            low: 0,
                            high: i64::from(MOST_A_WEEK),
                        },
                    );
                }
                u32::try_from(n).ok().filter(|_| ok)
            });
        let welcome_in_moments = c.required("welcome_in_moments", self.welcome_in_moments);
        c.finish()?;
        match (time_zone, weekly_budget, welcome_in_moments) {
            (Some(time_zone), Some(weekly_budget), Some(welcome_in_moments)) => {
                Ok(ContactPreferences {
                    channels,
                    quiet_hours,
                    time_zone,
                    weekly_budget,
                    welcome_in_moments,
                })
            }
            _ => Err(Invalid::one("", Reason::Required)),
        }
    }
}
