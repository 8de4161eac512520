//! Sharing grants: a person lets one provider (the reader) read what another (the
//! holder) keeps about them, some categories, for one purpose, until a day. Seed 000:
//! the person shares with each provider only as far as it needs. A grant reads only
//! while it is live and the person's consent for its purpose at the reader holds.

use super::Purpose;
use crate::ProviderId;
use crate::invalid::{Checker, Invalid, Reason};
use crate::value::vocabulary;
use chrono::{DateTime, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use utoipa::ToSchema;
use uuid::Uuid;

vocabulary!(
    /// What a grant lets the reader see of the holder's records: the identifiers on
    /// them, or the touchpoints.
    Category { Identifiers => "identifiers", Touchpoints => "touchpoints" }
);

/// The longest a grant may run: past a year, the person should be asked again.
const LONGEST_DAYS: u64 = 366;

/// One grant as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Grant {
    pub id: Uuid,
    pub holder: ProviderId,
    pub reader: ProviderId,
    pub categories: BTreeSet<Category>,
    pub purpose: Purpose,
    /// The grant reads until this instant (the end of its last day where the person lives).
    pub until: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Grant {
    pub fn live(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && now < self.until
    }
}

/// A grant as a person asks for it (the form's fields by name).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct GrantInput {
    pub holder: Option<String>,
    pub reader: Option<String>,
    pub categories: Option<Vec<String>>,
    pub purpose: Option<String>,
    /// The last day, such as 2027-03-31.
    pub until: Option<String>,
    /// The person allows the reader to use what it reads for the purpose: asked apart,
    /// since granting records that consent (which stays when the grant ends).
    pub consent: Option<bool>,
}

/// A checked grant, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGrant {
    pub holder: ProviderId,
    pub reader: ProviderId,
    pub categories: BTreeSet<Category>,
    pub purpose: Purpose,
    pub until: DateTime<Utc>,
}

fn provider(c: &mut Checker, field: &str, value: Option<&str>) -> Option<ProviderId> {
    let value = c.required(field, value)?;
    let id = value.parse().ok().map(ProviderId);
    if id.is_none() {
        c.fail(field, Reason::Guid);
    }
    id
}

impl GrantInput {
    /// `zone` is where the person lives: the grant ends when their last day does.
    pub fn parse(&self, now: DateTime<Utc>, zone: Tz) -> Result<NewGrant, Invalid> {
        let mut c = Checker::new();
        let holder = provider(&mut c, "holder", self.holder.as_deref());
        let reader = provider(&mut c, "reader", self.reader.as_deref());
        if holder.is_some() && holder == reader {
            c.fail("reader", Reason::ReaderIsHolder);
        }
        let mut categories = BTreeSet::new();
        match self.categories.as_deref() {
            None | Some([]) => c.fail("categories", Reason::Required),
            Some(list) => {
                for (i, key) in list.iter().enumerate() {
                    let field = format!("categories[{i}]");
                    if let Some(k) = c.take(Category::parse(key).map_err(|e| e.within(&field)))
                        && !categories.insert(k)
                    {
                        c.fail(&field, Reason::Repeats { value: key.clone() });
                    }
                }
            }
        }
        let purpose = c
            .required("purpose", self.purpose.as_deref())
            .and_then(|p| c.take(Purpose::parse(p).map_err(|e| e.within("purpose"))));
        let until = c
            .required("until", self.until.as_deref())
            .and_then(|d| until(&mut c, d, now, zone));
        if self.consent != Some(true) {
            c.fail("consent", Reason::Required);
        }
        c.finish()?;
        match (holder, reader, purpose, until) {
            (Some(holder), Some(reader), Some(purpose), Some(until)) => Ok(NewGrant {
                holder,
                reader,
                categories,
                purpose,
                until,
            }),
            _ => Err(Invalid::one("", Reason::Required)),
        }
    }
}

/// The end of the day `value` where the person lives: from tomorrow to a year ahead.
fn until(c: &mut Checker, value: &str, now: DateTime<Utc>, zone: Tz) -> Option<DateTime<Utc>> {
    let Ok(day) = NaiveDate::parse_from_str(value, "%Y-%m-%d") else {
        c.fail(
            "until",
            Reason::Date {
                value: value.to_string(),
            },
        );
        return None;
    };
    let today = now.with_timezone(&zone).date_naive();
    let first = today + Days::new(1);
    let last = today + Days::new(LONGEST_DAYS);
    if day < first || day > last {
        c.fail(
            "until",
            Reason::DayWithin {
                first: first.to_string(),
                last: last.to_string(),
            },
        );
        return None;
    }
    // The first instant of the next day there; where the clocks skip midnight, the
    // day begins an hour later.
    let next = (day + Days::new(1)).and_hms_opt(0, 0, 0)?;
    next.and_local_timezone(zone)
        .earliest()
        .or_else(|| {
            (next + chrono::Duration::hours(1))
                .and_local_timezone(zone)
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
}
