//! One message of the tracking protocol as a touchpoint input: `messageId` is the
//! event id (so an SDK's retries are stored once), the ids and traits that name a
//! person become identifiers, the context chooses the channel and fills the
//! properties, and `identify` hands what the person told about themselves to their
//! profile. The result then takes the same checks as any event.

use super::channel::choose;
use super::event_names::EventNames;
use super::message::{Call, Message, id_text};
use crate::invalid::{Invalid, Reason};
use crate::touchpoint::{IdentifierInput, TouchpointInput};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};

/// What a message becomes.
#[derive(Debug, Clone)]
pub enum Mapped {
    Touchpoint(Box<TouchpointInput>),
    /// Its `integrations` turn Mötesplats off: it is acknowledged and not stored.
    Skipped,
}

/// Maps one message. `call` is the call the endpoint names (`/v1/track`), None for a
/// batch, whose messages each say their `type`; `sent_at` is the batch's own
/// `sentAt`, for correcting the clock of a device that keeps the wrong time.
pub fn to_touchpoint(
    message: &Value,
    call: Option<Call>,
    names: &EventNames,
    known: impl Fn(&str) -> bool,
    received: DateTime<Utc>,
    sent_at: Option<&str>,
) -> Result<Mapped, Invalid> {
    let Value::Object(map) = message else {
        return Err(Invalid::one("", Reason::NotJsonObject));
    };
    let m = Message(map);
    let call = match (m.text("type")?, call) {
        (Some(t), _) => Call::parse(&t).filter(|c| c.as_str() == t).ok_or_else(|| {
            Invalid::one(
                "type",
                Reason::OneOf {
                    value: t,
                    allowed: crate::reason::List::of(Call::ALL.map(Call::as_str)),
                },
            )
        })?,
        (None, Some(c)) => c,
        (None, None) => return Err(Invalid::one("type", Reason::Required)),
    };
    if turned_off(&m) {
        return Ok(Mapped::Skipped);
    }
    let event_id = m
        .text("messageId")?
        .ok_or_else(|| Invalid::one("messageId", Reason::RetryKey))?;
    let kind = match call.kind() {
        Some(kind) => kind.to_string(),
        None => names.kind_of(
            &m.text("event")?
                .ok_or_else(|| Invalid::one("event", Reason::Required))?,
        ),
    };
    Ok(Mapped::Touchpoint(Box::new(TouchpointInput {
        event_id: Some(event_id),
        identifiers: Some(identifiers(&m, call)?),
        channel: Some(choose(&m, call, known, names.default_channel())),
        kind: Some(kind),
        occurred_at: Some(occurred_at(&m, received, sent_at)?),
        properties: Some(Value::Object(properties(&m, call)?)),
        attributes: attributes(&m, call)?.map(Value::Object),
        ..Default::default()
    })))
}

/// Whether `integrations` turns Mötesplats off: by name, or all off without it on.
fn turned_off(m: &Message) -> bool {
    let Some(integrations) = m.value("integrations").and_then(Value::as_object) else {
        return false;
    };
    let ours = ["Mötesplats", "Motesplats", "motesplats"]
        .iter()
        .find_map(|k| integrations.get(*k))
        .and_then(Value::as_bool);
    match ours {
        Some(on) => !on,
        None => integrations.get("All").and_then(Value::as_bool) == Some(false),
    }
}

/// The person's ids: `userId` is the provider's own customer number, `anonymousId`
/// and `context.device.id` a browser's or an app's id, e-mail and phone from the
/// traits; `alias` adds the id the person had before.
fn identifiers(m: &Message, call: Call) -> Result<Vec<IdentifierInput>, Invalid> {
    let anonymous = m.text("anonymousId")?;
    let mut ids: Vec<(&str, Option<String>)> = vec![
        ("customer_number", m.text("userId")?),
        ("device_id", anonymous.clone()),
    ];
    if call == Call::Alias {
        let previous = m.text("previousId")?;
        let kind = if previous == anonymous {
            "device_id"
        } else {
            "customer_number"
        };
        ids.push((kind, previous));
    }
    let device = m
        .context("device")
        .map(|d| id_text(d.get("id")))
        .transpose();
    ids.push((
        "device_id",
        device.map_err(|e| e.within("context.device.id"))?.flatten(),
    ));
    // A group's traits describe the group, not the person.
    let own_traits = (call == Call::Identify)
        .then(|| m.value("traits"))
        .flatten();
    for traits in [own_traits, m.value("context").and_then(|c| c.get("traits"))]
        .into_iter()
        .flatten()
    {
        for kind in ["email", "phone"] {
            let value =
                id_text(traits.get(kind)).map_err(|e| e.within(&format!("traits.{kind}")))?;
            ids.push((kind, value));
        }
    }
    let mut out: Vec<IdentifierInput> = Vec::new();
    for (kind, value) in ids {
        let Some(value) = value else { continue };
        if !out
            .iter()
            .any(|i| i.kind.as_deref() == Some(kind) && i.value.as_deref() == Some(&value))
        {
            out.push(IdentifierInput {
                kind: Some(kind.into()),
                value: Some(value),
            });
        }
    }
    Ok(out)
}

fn timestamp(m: &Message, field: &str) -> Result<Option<DateTime<Utc>>, Invalid> {
    m.text(field)?
        .map(|t| {
            DateTime::parse_from_rfc3339(&t)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| Invalid::one(field, Reason::Timestamp { value: t }))
        })
        .transpose()
}

/// When it happened: `timestamp` as sent; else `originalTimestamp` moved by how far
/// the device's clock was off when it sent (`sentAt` against the arrival), as the
/// spec computes it; else the arrival.
fn occurred_at(
    m: &Message,
    received: DateTime<Utc>,
    batch_sent_at: Option<&str>,
) -> Result<String, Invalid> {
    let at = match timestamp(m, "timestamp")? {
        Some(t) => t,
        None => match timestamp(m, "originalTimestamp")? {
            None => received,
            Some(original) => {
                let sent = match timestamp(m, "sentAt")? {
                    Some(s) => Some(s),
                    None => batch_sent_at
                        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                        .map(|s| s.with_timezone(&Utc)),
                };
                sent.map_or(original, |sent| original + (received - sent))
            }
        },
    };
    Ok(at.to_rfc3339_opts(SecondsFormat::Millis, true))
}

/// The message's own properties, and beside them what the call and its context
/// tell (a property the sender gave wins): the event's name as sent, the page or
/// screen, the group, the page, campaign, referrer and app of the context.
fn properties(m: &Message, call: Call) -> Result<Map<String, Value>, Invalid> {
    let mut out = m.object("properties")?.cloned().unwrap_or_default();
    let mut add = |key: &str, value: Option<&Value>| {
        if let Some(v) = value.filter(|v| !v.is_null()) {
            out.entry(key).or_insert_with(|| v.clone());
        }
    };
    match call {
        Call::Track => add("event", m.value("event")),
        Call::Page | Call::Screen => {
            add("name", m.value("name"));
            add("category", m.value("category"));
        }
        Call::Group => {
            add("group_id", m.value("groupId"));
            add("group_traits", m.value("traits"));
        }
        Call::Identify | Call::Alias => {}
    }
    let context = m.object("context")?;
    for part in ["page", "campaign", "referrer", "app", "locale"] {
        add(part, context.and_then(|c| c.get(part)));
    }
    Ok(out)
}

/// What `identify` tells of the person, for their profile: the traits as sent, with
/// the names linkage compares under the names it knows them by.
fn attributes(m: &Message, call: Call) -> Result<Option<Map<String, Value>>, Invalid> {
    if call != Call::Identify {
        return Ok(None);
    }
    let Some(traits) = m.object("traits")? else {
        return Ok(None);
    };
    let mut out = traits.clone();
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let address = traits.get("address").and_then(Value::as_object);
    let linkage = [
        (
            "given_name",
            text(traits.get("firstName").or(traits.get("first_name"))),
        ),
        (
            "family_name",
            text(traits.get("lastName").or(traits.get("last_name"))),
        ),
        (
            "birth_date",
            text(traits.get("birthday")).map(|b| b.chars().take(10).collect()),
        ),
        ("street", text(address.and_then(|a| a.get("street")))),
        (
            "postcode",
            text(address.and_then(|a| a.get("postalCode").or(a.get("postal_code")))),
        ),
    ];
    for (name, value) in linkage {
        if let Some(v) = value {
            out.insert(name.into(), Value::String(v));
        }
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn now() -> DateTime<Utc> {
        "2026-12-07T12:00:00Z".parse().unwrap()
    }

    fn map(v: Value, call: Option<Call>) -> Result<TouchpointInput, Invalid> {
        let names = EventNames {
            kinds: [("Bord bokat".to_string(), "table_booking".to_string())].into(),
            default_channel: None,
        };
        let known = |k: &str| crate::channel::builtin(k).is_some();
        match to_touchpoint(&v, call, &names, known, now(), Some("2026-12-07T11:59:00Z"))? {
            Mapped::Touchpoint(t) => Ok(*t),
            Mapped::Skipped => panic!("skipped"),
        }
    }

    fn ids(t: &TouchpointInput) -> Vec<(String, String)> {
        t.identifiers
            .iter()
            .flatten()
            .map(|i| (i.kind.clone().unwrap(), i.value.clone().unwrap()))
            .collect()
    }

    #[test]
    fn a_track_from_the_web_keeps_its_id_name_and_context() {
        let t = map(
            json!({
                "type": "track", "messageId": "m-1", "event": "Bord bokat",
                "userId": 1017, "anonymousId": "a-9",
                "properties": {"guests": 4, "page": "egen"},
                "context": {"page": {"url": "https://kafe.se/boka", "referrer": "https://www.tripadvisor.se/r"},
                            "campaign": {"name": "vinter"}, "traits": {"email": "Anna@Example.se"},
                            "device": {"id": "a-9"}},
                "timestamp": "2026-12-07T10:00:00+01:00"
            }),
            None,
        )
        .unwrap();
        assert_eq!(t.event_id.as_deref(), Some("m-1"));
        assert_eq!(t.kind.as_deref(), Some("table_booking"));
        assert_eq!(t.channel.as_deref(), Some("review_site"));
        assert_eq!(t.occurred_at.as_deref(), Some("2026-12-07T09:00:00.000Z"));
        assert_eq!(
            ids(&t),
            [
                ("customer_number".into(), "1017".into()),
                ("device_id".into(), "a-9".into()),
                ("email".into(), "Anna@Example.se".into())
            ]
        );
        let p = t.properties.unwrap();
        assert_eq!(p["guests"], 4);
        assert_eq!(p["event"], "Bord bokat");
        assert_eq!(p["page"], "egen", "the sender's own property wins");
        assert_eq!(p["campaign"]["name"], "vinter");
        assert_eq!(t.attributes, None);
    }

    #[test]
    fn identify_gives_the_profile_what_the_person_told() {
        let t = map(
            json!({
                "messageId": "m-2", "userId": "k-1", "anonymousId": "a-1",
                "traits": {"email": "anna@example.se", "phone": "070-123 45 67", "firstName": "Anna",
                           "lastName": "Berg", "birthday": "1990-04-01T00:00:00.000Z",
                           "address": {"street": "Storgatan 1", "postalCode": "111 22"}, "plan": "guld"},
                "originalTimestamp": "2026-12-07T11:58:00Z"
            }),
            Some(Call::Identify),
        )
        .unwrap();
        assert_eq!(t.kind.as_deref(), Some("identify"));
        let kinds: Vec<_> = ids(&t).into_iter().map(|(k, _)| k).collect();
        assert_eq!(kinds, ["customer_number", "device_id", "email", "phone"]);
        let a = t.attributes.unwrap();
        assert_eq!(
            (
                &a["given_name"],
                &a["family_name"],
                &a["birth_date"],
                &a["postcode"]
            ),
            (
                &json!("Anna"),
                &json!("Berg"),
                &json!("1990-04-01"),
                &json!("111 22")
            )
        );
        assert_eq!(a["plan"], "guld");
        // The device's clock ran a minute behind: sent 11:59 by its clock, here at 12:00.
        assert_eq!(t.occurred_at.as_deref(), Some("2026-12-07T11:59:00.000Z"));
    }

    #[test]
    fn alias_group_page_and_screen() {
        let alias = map(
            json!({"type": "alias", "messageId": "m-3", "previousId": "a-1", "anonymousId": "a-1", "userId": "k-1"}),
            None,
        )
        .unwrap();
        assert_eq!(
            ids(&alias),
            [
                ("customer_number".into(), "k-1".into()),
                ("device_id".into(), "a-1".into())
            ]
        );
        let alias = map(
            json!({"type": "alias", "messageId": "m-4", "previousId": "gammal-7", "userId": "k-1"}),
            None,
        )
        .unwrap();
        assert_eq!(
            ids(&alias)[1],
            ("customer_number".into(), "gammal-7".into())
        );

        let group = map(
            json!({"type": "group", "messageId": "m-5", "userId": "k-1", "groupId": "företag-1",
                   "traits": {"email": "info@foretag.se", "name": "Företaget"}}),
            None,
        )
        .unwrap();
        assert_eq!(ids(&group).len(), 1, "a group's e-mail is not the person's");
        assert_eq!(
            group.properties.as_ref().unwrap()["group_traits"]["name"],
            "Företaget"
        );

        let page = map(
            json!({"type": "page", "messageId": "m-6", "anonymousId": "a-1", "name": "Meny",
                   "properties": {"url": "https://kafe.se/meny"}}),
            None,
        )
        .unwrap();
        assert_eq!(
            (page.kind.as_deref(), page.channel.as_deref()),
            (Some("page_view"), Some("web"))
        );
        assert_eq!(page.properties.unwrap()["name"], "Meny");
        assert_eq!(
            page.occurred_at.as_deref(),
            Some("2026-12-07T12:00:00.000Z")
        );
        let screen = map(
            json!({"type": "screen", "messageId": "m-7", "anonymousId": "a-1"}),
            None,
        )
        .unwrap();
        assert_eq!(
            (screen.kind.as_deref(), screen.channel.as_deref()),
            (Some("screen_view"), Some("app"))
        );
    }

    #[test]
    fn what_is_wrong_is_named_by_the_specs_field() {
        let field = |v: Value, call| map(v, call).unwrap_err().0[0].field.clone();
        assert_eq!(
            field(json!({"type": "track", "event": "x"}), None),
            "messageId"
        );
        assert_eq!(
            field(json!({"type": "track", "messageId": "m"}), None),
            "event"
        );
        assert_eq!(field(json!({"messageId": "m"}), None), "type");
        assert_eq!(field(json!({"type": "t", "messageId": "m"}), None), "type");
        assert_eq!(
            field(
                json!({"type": "track", "messageId": {"a": 1}, "event": "x"}),
                None
            ),
            "messageId"
        );
        assert_eq!(
            field(
                json!({"type": "page", "messageId": "m", "timestamp": "i går"}),
                None
            ),
            "timestamp"
        );
        assert_eq!(
            field(
                json!({"type": "page", "messageId": "m", "properties": [1]}),
                None
            ),
            "properties"
        );
        assert_eq!(
            field(
                json!({"type": "identify", "messageId": "m", "traits": {"email": ["a"]}}),
                None
            ),
            "traits.email"
        );
        assert_eq!(
            map(json!([1]), None).unwrap_err().0[0].reason,
            Reason::NotJsonObject
        );
    }

    #[test]
    fn integrations_can_turn_mötesplats_off() {
        let names = EventNames::default();
        let off = |integrations: Value| {
            let v = json!({"type": "page", "messageId": "m", "anonymousId": "a", "integrations": integrations});
            matches!(
                to_touchpoint(&v, None, &names, |_| true, now(), None).unwrap(),
                Mapped::Skipped
            )
        };
        assert!(off(json!({"Mötesplats": false})));
        assert!(off(json!({"All": false})));
        assert!(!off(json!({"All": false, "Mötesplats": true})));
        assert!(!off(json!({"Mixpanel": false})));
    }
}
