//! Touchpoints: one meeting between a person and a provider, in one channel, at
//! one time. Input arrives loosely typed from many systems; `NewTouchpoint::parse`
//! is the single gate through which it becomes a domain value.

use crate::channel::ChannelKey;
use crate::identifier::{Identifier, IdentifierKind};
use crate::ids::{ProfileId, ProviderId, TouchpointId};
use crate::invalid::{Checker, FieldError, Invalid, List, Reason, text};
use crate::value::{Phase, Setting};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// Who started the meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Initiator {
    Person,
    Provider,
}

impl Initiator {
    pub fn as_str(self) -> &'static str {
        match self {
            Initiator::Person => "person",
            Initiator::Provider => "provider",
        }
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        match s {
            "person" => Ok(Initiator::Person),
            "provider" => Ok(Initiator::Provider),
            _ => Err(Invalid::one(
                "",
                Reason::OneOf {
                    value: s.to_string(),
                    allowed: List::of(["person", "provider"]),
                },
            )),
        }
    }
}

/// What happened, in the provider's words: `purchase`, `table_booking`, `review.posted`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
pub struct TouchpointKind(String);

impl TouchpointKind {
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let ok = (1..=60).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c));
        if ok {
            Ok(TouchpointKind(s.to_string()))
        } else {
            Err(Invalid::one(
                "",
                Reason::Key {
                    low: 1,
                    high: 60,
                    marks: "_ . -".into(),
                },
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An identifier as a client sends it, before normalisation.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentifierInput {
    /// email, phone, customer_number, loyalty_card, device_id or social_handle.
    pub kind: Option<String>,
    pub value: Option<String>,
}

impl IdentifierInput {
    pub fn parse(&self, region: &str) -> Result<Identifier, Invalid> {
        let mut c = Checker::new();
        let kind = c
            .required("kind", self.kind.as_deref())
            .and_then(|k| c.take(IdentifierKind::parse(k).map_err(|e| e.within("kind"))));
        let value = c.required("value", self.value.as_deref());
        c.finish()?;
        match (kind, value) {
            (Some(kind), Some(value)) => Identifier::parse(kind, value, region),
            _ => unreachable!("checker finished without errors"),
        }
    }
}

/// A touchpoint as a client sends it. Every field is optional here so that a missing
/// one is reported by name together with every other problem.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TouchpointInput {
    /// The client's own id for this event; retries with the same id are not stored twice.
    pub event_id: Option<String>,
    /// The profile the meeting was with. Give this or `identifiers`.
    pub profile_id: Option<ProfileId>,
    /// Identifiers of the person; the profile is found or created from them.
    pub identifiers: Option<Vec<IdentifierInput>>,
    /// A channel key: built-in (store, phone, web, forum...) or the provider's own.
    pub channel: Option<String>,
    /// What happened, such as `purchase` or `table_booking`.
    pub kind: Option<String>,
    /// RFC 3339 with an offset, such as `2026-11-23T14:05:00+01:00`.
    pub occurred_at: Option<String>,
    /// The day, when only the day is known, such as `2026-11-23`; `occurred_at` is
    /// then the start of that day where it happened (its date in its own offset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_on: Option<String>,
    /// `person` (default) or `provider`.
    pub initiator: Option<String>,
    /// `physical_place` or `social_environment`.
    pub setting: Option<String>,
    /// `before`, `during` or `after`, where the client knows it.
    pub phase: Option<String>,
    /// Free properties: a JSON object of at most 16 KiB.
    #[schema(value_type = Option<Object>)]
    pub properties: Option<Value>,
    /// What this source knows of the person, merged into the attributes of the
    /// profile the touchpoint lands on (a value sent wins): a JSON object of at most
    /// 16 KiB. `given_name`, `family_name`, `birth_date`, `street` and `postcode`
    /// are text, and probabilistic linkage compares them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub attributes: Option<Value>,
}

/// Whom a touchpoint is about: a known profile, or identifiers to stitch by.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    Profile(ProfileId),
    Identifiers(Vec<Identifier>),
}

/// A checked touchpoint, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTouchpoint {
    pub id: TouchpointId,
    pub event_id: Option<String>,
    pub subject: Subject,
    pub channel: ChannelKey,
    pub kind: TouchpointKind,
    pub occurred_at: DateTime<Utc>,
    /// The day, when the source knew no time of day.
    pub occurred_on: Option<NaiveDate>,
    pub initiator: Initiator,
    pub setting: Option<Setting>,
    pub phase: Option<Phase>,
    pub properties: Map<String, Value>,
    /// What the source knows of the person, for the profile it lands on.
    pub attributes: Map<String, Value>,
    /// Where the event breaks the provider's tracking plan (accept-and-flag mode).
    pub flags: Vec<FieldError>,
}

/// The largest `properties` object, serialised.
pub const MAX_PROPERTIES_BYTES: usize = 16 * 1024;
/// The largest object of a person's attributes, serialised.
pub const MAX_ATTRIBUTES_BYTES: usize = 16 * 1024;
/// How far in the future `occurred_at` may lie (clock skew between systems).
pub const MAX_FUTURE: Duration = Duration::hours(24);

impl NewTouchpoint {
    /// Checks `input`. `region` reads local phone numbers; `channel_exists` answers
    /// whether a channel key is known to this provider; `now` bounds `occurred_at`.
    pub fn parse(
        input: TouchpointInput,
        region: &str,
        channel_exists: impl Fn(&str) -> bool,
        now: DateTime<Utc>,
    ) -> Result<Self, Invalid> {
        let mut c = Checker::new();
        let event_id = input
            .event_id
            .as_deref()
            .and_then(|e| c.take(text("event_id", e, 200)));
        let subject = match (&input.profile_id, &input.identifiers) {
            (Some(_), Some(_)) => {
                c.fail(
                    "identifiers",
                    Reason::NotBoth {
                        first: "profile_id".into(),
                        second: "identifiers".into(),
                    },
                );
                None
            }
            (Some(p), None) => Some(Subject::Profile(*p)),
            (None, Some(ids)) if ids.is_empty() => {
                c.fail("identifiers", Reason::Empty);
                None
            }
            (None, Some(ids)) => {
                let parsed: Vec<_> = ids
                    .iter()
                    .enumerate()
                    .filter_map(|(i, id)| {
                        c.take(
                            id.parse(region)
                                .map_err(|e| e.within(&format!("identifiers[{i}]"))),
                        )
                    })
                    .collect();
                (parsed.len() == ids.len()).then_some(Subject::Identifiers(parsed))
            }
            (None, None) => {
                c.fail(
                    "profile_id",
                    Reason::RequiredOr {
                        other: "identifiers".into(),
                    },
                );
                None
            }
        };
        let channel = c
            .required("channel", input.channel.as_deref())
            .and_then(|ch| {
                let key = c.take(ChannelKey::parse(ch).map_err(|e| e.within("channel")))?;
                if channel_exists(key.as_str()) {
                    Some(key)
                } else {
                    c.fail(
                        "channel",
                        Reason::UnknownChannel {
                            value: ch.to_string(),
                        },
                    );
                    None
                }
            });
        let kind = c
            .required("kind", input.kind.as_deref())
            .and_then(|k| c.take(TouchpointKind::parse(k).map_err(|e| e.within("kind"))));
        let occurred_at = c
            .required("occurred_at", input.occurred_at.as_deref())
            .and_then(|t| c.take(timestamp("occurred_at", t, now)));
        let occurred_on = input
            .occurred_on
            .as_deref()
            .and_then(|d| c.take(day("occurred_on", d, input.occurred_at.as_deref())));
        let initiator = input
            .initiator
            .as_deref()
            .map_or(Ok(Initiator::Person), Initiator::parse)
            .map_err(|e| e.within("initiator"));
        let initiator = c.take(initiator);
        let setting = optional(&mut c, "setting", input.setting.as_deref(), Setting::parse);
        let phase = optional(&mut c, "phase", input.phase.as_deref(), Phase::parse);
        let properties = object(&mut c, "properties", input.properties, MAX_PROPERTIES_BYTES);
        let attributes = person_attributes(&mut c, "attributes", input.attributes);
        c.finish()?;
        match (
            subject,
            channel,
            kind,
            occurred_at,
            initiator,
            properties,
            attributes,
        ) {
            (
                Some(subject),
                Some(channel),
                Some(kind),
                Some(occurred_at),
                Some(initiator),
                Some(properties),
                Some(attributes),
            ) => Ok(NewTouchpoint {
                id: TouchpointId::new(),
                event_id,
                subject,
                channel,
                kind,
                occurred_at,
                occurred_on,
                initiator,
                setting: setting.flatten(),
                phase: phase.flatten(),
                properties,
                attributes,
                flags: Vec::new(),
            }),
            _ => unreachable!("checker finished without errors"),
        }
    }
}

fn optional<T>(
    c: &mut Checker,
    field: &str,
    value: Option<&str>,
    parse: fn(&str) -> Result<T, Invalid>,
) -> Option<Option<T>> {
    match value {
        None => Some(None),
        Some(v) => c.take(parse(v).map_err(|e| e.within(field))).map(Some),
    }
}

/// A free JSON object: absent or null is empty; anything but an object, a NUL
/// anywhere (PostgreSQL cannot store one, and no real value needs it) or more than
/// `max` bytes is refused, and gives `None`.
fn object(
    c: &mut Checker,
    field: &str,
    value: Option<Value>,
    max: usize,
) -> Option<Map<String, Value>> {
    match value {
        None | Some(Value::Null) => Some(Map::new()),
        Some(Value::Object(m)) => {
            if let Some(path) = nul_in_object(&m, field) {
                c.fail(path, Reason::NulCharacter);
                None
            } else if json_size(&m) > max {
                c.fail(field, Reason::TooLargeJson { max });
                None
            } else {
                Some(m)
            }
        }
        Some(_) => {
            c.fail(
                field,
                Reason::WrongType {
                    expected: "object".into(),
                },
            );
            None
        }
    }
}

/// What a source knows of the person, as a profile keeps it: a free object of at
/// most 16 KiB in which the attributes linkage compares (`given_name`,
/// `family_name`, `birth_date`, `street`, `postcode`) are text.
pub fn person_attributes(
    c: &mut Checker,
    field: &str,
    value: Option<Value>,
) -> Option<Map<String, Value>> {
    let m = object(c, field, value, MAX_ATTRIBUTES_BYTES)?;
    let mut fine = true;
    for f in crate::linkage::Field::ALL {
        if m.get(f.as_str())
            .is_some_and(|v| !v.is_string() && !v.is_null())
        {
            c.fail(
                format!("{field}.{f}"),
                Reason::WrongType {
                    expected: "string".into(),
                },
            );
            fine = false;
        }
    }
    fine.then_some(m)
}

/// How many bytes `v` takes as JSON, counted without building the text.
fn json_size(v: &impl Serialize) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    serde_json::to_writer(&mut count, v).map_or(usize::MAX, |_| count.0)
}

/// The path of the first key or string holding a NUL character, if any.
fn nul_in(v: &Value, path: &str) -> Option<String> {
    match v {
        Value::String(s) if s.contains('\0') => Some(path.to_string()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, x)| nul_in(x, &format!("{path}[{i}]"))),
        Value::Object(m) => nul_in_object(m, path),
        _ => None,
    }
}

fn nul_in_object(m: &Map<String, Value>, path: &str) -> Option<String> {
    m.iter().find_map(|(k, x)| {
        if k.contains('\0') {
            Some(path.to_string())
        } else {
            nul_in(x, &format!("{path}.{k}"))
        }
    })
}

/// Parses an RFC 3339 timestamp with an explicit offset, not too far in the future.
pub fn timestamp(field: &str, s: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, Invalid> {
    let t = DateTime::parse_from_rfc3339(s)
        .map_err(|_| {
            Invalid::one(
                field,
                Reason::Timestamp {
                    value: s.to_string(),
                },
            )
        })?
        .with_timezone(&Utc);
    if t > now + MAX_FUTURE {
        return Err(Invalid::one(
            field,
            Reason::TooFarAhead {
                hours: MAX_FUTURE.num_hours(),
            },
        ));
    }
    if t.timestamp() < 0 {
        return Err(Invalid::one(field, Reason::BeforeEpoch));
    }
    Ok(t)
}

/// A day as `YYYY-MM-DD`, which must be the date `occurred_at` (if readable) has in
/// its own offset: the day says when, the time only orders the day's events.
fn day(field: &str, s: &str, occurred_at: Option<&str>) -> Result<NaiveDate, Invalid> {
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        Invalid::one(
            field,
            Reason::Date {
                value: s.to_string(),
            },
        )
    })?;
    match occurred_at.and_then(|t| DateTime::parse_from_rfc3339(t).ok()) {
        Some(t) if t.date_naive() != d => Err(Invalid::one(
            field,
            Reason::DateOfTime {
                date: d.to_string(),
                time: t.to_string(),
            },
        )),
        _ => Ok(d),
    }
}

/// A stored touchpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Touchpoint {
    pub id: TouchpointId,
    pub provider_id: ProviderId,
    /// Null for a moment after ingestion, until identity resolution has placed the
    /// touchpoint on a profile.
    pub profile_id: Option<ProfileId>,
    pub event_id: Option<String>,
    #[schema(value_type = String)]
    pub channel: ChannelKey,
    #[schema(value_type = String)]
    pub kind: TouchpointKind,
    pub occurred_at: DateTime<Utc>,
    /// Set when the source gave only the day: show this date, not `occurred_at`'s time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_on: Option<NaiveDate>,
    pub received_at: DateTime<Utc>,
    pub initiator: Initiator,
    pub setting: Option<Setting>,
    pub phase: Option<Phase>,
    #[schema(value_type = Object)]
    pub properties: Map<String, Value>,
    /// Where the event breaks the tracking plan, when the plan flags rather than rejects.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<FieldError>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> DateTime<Utc> {
        "2026-11-23T12:00:00Z".parse().unwrap()
    }

    fn input(v: Value) -> TouchpointInput {
        serde_json::from_value(v).unwrap()
    }

    fn known(ch: &str) -> bool {
        crate::channel::builtin(ch).is_some()
    }

    #[test]
    fn a_good_touchpoint_is_normalised() {
        let t = NewTouchpoint::parse(
            input(json!({
                "identifiers": [{"kind": "phone", "value": "070-123 45 67"}],
                "channel": "forum", "kind": "review.posted",
                "occurred_at": "2026-11-23T10:00:00+01:00", "phase": "after",
                "properties": {"stars": 2}
            })),
            "SE",
            known,
            now(),
        )
        .unwrap();
        assert_eq!(
            t.occurred_at,
            "2026-11-23T09:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(t.initiator, Initiator::Person);
        assert_eq!(t.phase, Some(Phase::After));
        assert_eq!(
            t.subject,
            Subject::Identifiers(vec![Identifier {
                kind: IdentifierKind::Phone,
                value: "+46701234567".into()
            }])
        );
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let e = NewTouchpoint::parse(
            input(json!({
                "identifiers": [{"kind": "email", "value": "nope"}],
                "channel": "fax", "occurred_at": "yesterday", "phase": "later", "properties": [1]
            })),
            "SE",
            known,
            now(),
        )
        .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "identifiers[0].value",
                "channel",
                "kind",
                "occurred_at",
                "phase",
                "properties"
            ]
        );
    }

    #[test]
    fn a_day_must_be_a_date_and_the_date_of_occurred_at() {
        let on = |at: &str, on: &str| {
            NewTouchpoint::parse(
                input(
                    json!({"profile_id": ProfileId::new(), "channel": "web", "kind": "purchase",
                              "occurred_at": at, "occurred_on": on}),
                ),
                "SE",
                known,
                now(),
            )
        };
        // Midnight in Stockholm is the evening before in UTC; the day is the local one.
        let t = on("2026-11-20T00:00:00+01:00", "2026-11-20").unwrap();
        assert_eq!(t.occurred_on, NaiveDate::from_ymd_opt(2026, 11, 20));
        let e = on("2026-11-20T00:00:00+01:00", "2026-11-19").unwrap_err();
        assert_eq!(e.0[0].field, "occurred_on");
        assert_eq!(
            e.0[0].reason,
            Reason::DateOfTime {
                date: "2026-11-19".into(),
                time: "2026-11-20 00:00:00 +01:00".into()
            },
            "{e:?}"
        );
        let e = on("2026-11-20T00:00:00+01:00", "20/11/2026").unwrap_err();
        assert_eq!(
            e.0[0].reason,
            Reason::Date {
                value: "20/11/2026".into()
            },
            "{e:?}"
        );
    }

    #[test]
    fn nul_characters_in_properties_are_named() {
        let e = NewTouchpoint::parse(
            input(json!({"profile_id": ProfileId::new(), "channel": "web", "kind": "visit",
                          "occurred_at": "2026-11-20T10:00:00Z", "properties": {"notes": ["ok", "a\u{0}b"]}})),
            "SE",
            known,
            now(),
        )
        .unwrap_err();
        assert_eq!(e.0[0].field, "properties.notes[1]");
    }

    #[test]
    fn what_a_source_knows_of_the_person_is_an_object_with_names_as_text() {
        let with = |attributes: Value| {
            NewTouchpoint::parse(
                input(
                    json!({"profile_id": ProfileId::new(), "channel": "store", "kind": "purchase",
                              "occurred_at": "2026-11-20T10:00:00Z", "attributes": attributes}),
                ),
                "SE",
                known,
                now(),
            )
        };
        let t = with(json!({"given_name": "Åsa", "family_name": null, "tier": 3})).unwrap();
        assert_eq!(t.attributes["given_name"], json!("Åsa"));
        let e = with(json!({"given_name": ["Åsa"], "birth_date": 19560909})).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["attributes.given_name", "attributes.birth_date"]);
        assert_eq!(
            with(json!("Åsa")).unwrap_err().0[0].field,
            "attributes",
            "not an object"
        );
        let e = with(json!({"street": "Storgatan\u{0}1"})).unwrap_err();
        assert_eq!(e.0[0].field, "attributes.street");
    }

    #[test]
    fn the_subject_is_required_and_single() {
        let e = NewTouchpoint::parse(TouchpointInput::default(), "SE", known, now()).unwrap_err();
        assert_eq!(e.0[0].field, "profile_id");
        let both = input(json!({"profile_id": ProfileId::new(), "identifiers": []}));
        let e = NewTouchpoint::parse(both, "SE", known, now()).unwrap_err();
        assert_eq!(
            e.0[0].reason,
            Reason::NotBoth {
                first: "profile_id".into(),
                second: "identifiers".into()
            }
        );
    }

    #[test]
    fn timestamps_need_an_offset_and_a_plausible_time() {
        assert!(timestamp("t", "2026-11-23T10:00:00", now()).is_err());
        assert!(timestamp("t", "2026-11-25T12:00:01Z", now()).is_err());
        assert!(timestamp("t", "1960-01-01T00:00:00Z", now()).is_err());
        assert!(timestamp("t", "2026-11-24T11:00:00Z", now()).is_ok());
    }
}
