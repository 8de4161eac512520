//! Providers: the organisations people meet. Each is a tenant.

use crate::ids::ProviderId;
use crate::invalid::{Checker, Invalid, Reason, text};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Provider {
    pub id: ProviderId,
    pub name: String,
    /// IANA time zone, such as `Europe/Stockholm`: quiet hours and daily figures use it.
    pub time_zone: String,
    /// ISO 3166 alpha-2 country: phone numbers without a country code are read in it.
    pub country: String,
    pub created_at: DateTime<Utc>,
}

/// A provider to be created, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProvider {
    pub name: String,
    pub time_zone: String,
    pub country: String,
}

impl NewProvider {
    pub fn parse(
        name: Option<&str>,
        time_zone: Option<&str>,
        country: Option<&str>,
    ) -> Result<Self, Invalid> {
        let mut c = Checker::new();
        let name = c
            .required("name", name)
            .and_then(|n| c.take(text("name", n, 200)));
        let time_zone = time_zone.unwrap_or("Europe/Stockholm");
        if time_zone.parse::<chrono_tz::Tz>().is_err() {
            c.fail(
                "time_zone",
                Reason::TimeZone {
                    value: time_zone.to_string(),
                },
            );
        }
        let country = country.unwrap_or("SE").to_ascii_uppercase();
        if country.parse::<phonenumber::country::Id>().is_err() {
            c.fail(
                "country",
                Reason::Country {
                    value: country.clone(),
                },
            );
        }
        c.finish()?;
        Ok(NewProvider {
            name: name.unwrap_or_default(),
            time_zone: time_zone.to_string(),
            country,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_to_sweden_and_checks_every_field() {
        let p = NewProvider::parse(Some("Kafé Torget"), None, None).unwrap();
        assert_eq!(
            (p.time_zone.as_str(), p.country.as_str()),
            ("Europe/Stockholm", "SE")
        );
        let e = NewProvider::parse(None, Some("Mars/Olympus"), Some("XX")).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "time_zone", "country"]);
    }
}
