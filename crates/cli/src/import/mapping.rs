//! The mapping file (TOML) that says how a row of an export becomes a touchpoint.
//!
//! A mapping is checked in two steps before any row is read: `Mapping::parse` checks
//! the file on its own (keys, identifier kinds, property types, time formats), and
//! `Mapping::bind` checks it against the file's header (every column it names exists).
//! Each problem names the key it is about, such as `identifiers[1].kind`.
//!
//! A mapping only moves text around; whether the result is a valid touchpoint is
//! decided by the same checks the HTTP API runs (`ingest::Context::check`).

use chrono::format::{Fixed, Item, ParseErrorKind, StrftimeItems};
use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use motesplats_core::reason::List;
use motesplats_core::touchpoint::{IdentifierInput, TouchpointInput};
use motesplats_core::{FieldError, IdentifierKind, ProfileId, Reason};
use serde::Deserialize;
use serde_json::{Map, Number, Value};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// The mapping file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    event_id: Option<String>,
    profile_id: Option<FieldSpec>,
    occurred_at: Option<TimeSpec>,
    channel: Option<FieldSpec>,
    kind: Option<FieldSpec>,
    phase: Option<FieldSpec>,
    initiator: Option<FieldSpec>,
    setting: Option<FieldSpec>,
    #[serde(default)]
    identifiers: Vec<IdentifierSpec>,
    #[serde(default)]
    properties: Vec<PropertySpec>,
    #[serde(default)]
    attributes: Vec<AttributeSpec>,
    delimiter: Option<String>,
    header: Option<bool>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a table such as { column = \"Kanal\" } or { value = \"store\" }"
)]
struct FieldSpec {
    value: Option<String>,
    column: Option<String>,
    map: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a table such as { column = \"Datum\", format = \"%Y-%m-%d %H:%M\" }"
)]
struct TimeSpec {
    column: Option<String>,
    format: Option<String>,
    time_zone: Option<String>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a table such as { kind = \"email\", column = \"E-post\" }"
)]
struct IdentifierSpec {
    kind: Option<String>,
    column: Option<String>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a table such as { column = \"Belopp\", name = \"amount_sek\", type = \"number\" }"
)]
struct PropertySpec {
    column: Option<String>,
    value: Option<String>,
    name: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a table such as { column = \"Förnamn\", name = \"given_name\" }"
)]
struct AttributeSpec {
    column: Option<String>,
    name: Option<String>,
}

/// A column the mapping reads: its name, the key that named it, and (once bound to
/// a header) its position.
#[derive(Debug, Clone)]
struct Column {
    key: String,
    name: String,
    index: usize,
}

/// Where a text field of the touchpoint comes from.
#[derive(Debug)]
enum Source {
    Value(String),
    Column {
        column: Column,
        map: Option<BTreeMap<String, String>>,
    },
}

#[derive(Debug)]
enum Part {
    Text(String),
    Column(Column),
    /// `{row}`: the row's number, as the error file counts it.
    Row,
}

/// How a line is cut into cells.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Delimiter {
    /// CSV with this separator (quotes as RFC 4180).
    Char(u8),
    /// Runs of spaces and tabs, as column-aligned exports are written; no quoting.
    Whitespace,
}

#[derive(Debug)]
struct Time {
    column: Column,
    format: Option<String>,
    /// The format carries an offset (`%z`), so the time zone is not needed.
    has_offset: bool,
    zone: Option<Tz>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Type {
    String,
    Number,
    Integer,
    Bool,
}

#[derive(Debug)]
enum PropertySource {
    Value(Value),
    Column(Column),
}

#[derive(Debug)]
struct Property {
    name: String,
    source: PropertySource,
    kind: Type,
}

/// A checked mapping.
#[derive(Debug)]
pub struct Mapping {
    pub delimiter: Delimiter,
    /// Whether the first row names the columns; without it columns are "1", "2", …
    pub header: bool,
    event_id: Option<Vec<Part>>,
    profile_id: Option<Source>,
    occurred_at: Option<Time>,
    /// channel, kind, phase, initiator, setting.
    text: Vec<(&'static str, Source)>,
    identifiers: Vec<(String, Column)>,
    properties: Vec<Property>,
    /// What the row says of the person: attribute name and the column it is read from.
    attributes: Vec<(String, Column)>,
}

/// Problems with a mapping, each `key: reason`.
#[derive(Debug)]
pub struct Problems(pub Vec<String>);

impl std::fmt::Display for Problems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("\n"))
    }
}

/// A refused field as the import tells it: the field error, and the columns the field
/// was read from, such as `(column "Datum")` (empty when it came from no column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub error: FieldError,
    pub columns: String,
}

impl From<FieldError> for Refusal {
    fn from(error: FieldError) -> Self {
        Refusal {
            error,
            columns: String::new(),
        }
    }
}

impl Refusal {
    /// The reason in English, with the columns, for people.
    pub fn reason(&self) -> String {
        if self.columns.is_empty() {
            self.error.reason.to_string()
        } else {
            format!("{} {}", self.error.reason, self.columns)
        }
    }
}

/// A row mapped to a touchpoint: the input, and the fields the mapping could not fill
/// (a date that does not match its format, a number that is not one).
pub struct Mapped {
    pub input: TouchpointInput,
    pub errors: Vec<FieldError>,
    /// For each identifier of `input`, its place in the mapping's `identifiers`.
    identifier_places: Vec<usize>,
}

impl Mapping {
    /// Reads and checks a mapping file on its own.
    pub fn parse(text: &str) -> Result<Mapping, Problems> {
        let file: File = toml::from_str(text).map_err(|e| Problems(vec![e.to_string()]))?;
        let mut p = Vec::new();
        let column = |key: &str, name: Option<String>, p: &mut Vec<String>| match name {
            Some(name) if name.trim().is_empty() => {
                p.push(format!("{key}: must name a column"));
                None
            }
            Some(name) => Some(Column {
                key: key.to_string(),
                name: name.trim().to_string(),
                index: usize::MAX,
            }),
            None => None,
        };

        let delimiter = match file.delimiter.as_deref() {
            None => Delimiter::Char(b','),
            Some("whitespace") => Delimiter::Whitespace,
            Some(d) if d.len() == 1 && d.is_ascii() && !"\"\r\n".contains(d) => {
                Delimiter::Char(d.as_bytes()[0])
            }
            Some(d) => {
                p.push(format!(
                    "delimiter: {d:?} is neither one character such as \",\", \";\" or \"\\t\" nor \"whitespace\""
                ));
                Delimiter::Char(b',')
            }
        };

        let event_id = file.event_id.as_deref().and_then(|t| match template(t) {
            Ok(parts) => Some(parts),
            Err(reason) => {
                p.push(format!("event_id: {reason}"));
                None
            }
        });

        let source = |key: &str, spec: Option<FieldSpec>, p: &mut Vec<String>| {
            let spec = spec?;
            match (spec.value, column(&format!("{key}.column"), spec.column, p)) {
                (Some(_), Some(_)) => {
                    p.push(format!("{key}: give value or column, not both"));
                    None
                }
                (Some(value), None) => {
                    if spec.map.is_some() {
                        p.push(format!("{key}.map: only goes with column"));
                    }
                    Some(Source::Value(value))
                }
                (None, Some(column)) => Some(Source::Column {
                    column,
                    map: spec.map,
                }),
                (None, None) => {
                    p.push(format!(
                        "{key}: give value = \"…\" (the same for every row) or column = \"…\""
                    ));
                    None
                }
            }
        };
        let profile_id = source("profile_id", file.profile_id, &mut p);
        if let Some(Source::Value(v)) = &profile_id
            && v.parse::<ProfileId>().is_err()
        {
            p.push(format!(
                "profile_id.value: {v:?} is not a profile id (a UUID)"
            ));
        }
        let mut text = Vec::new();
        for (key, spec, example) in [
            ("channel", file.channel, Some("{ value = \"store\" }")),
            ("kind", file.kind, Some("{ column = \"Typ\" }")),
            ("phase", file.phase, None),
            ("initiator", file.initiator, None),
            ("setting", file.setting, None),
        ] {
            let missing = spec.is_none();
            if let Some(s) = source(key, spec, &mut p) {
                text.push((key, s));
            }
            if let (true, Some(example)) = (missing, example) {
                p.push(format!(
                    "{key}: is required; say where it comes from, such as {key} = {example}"
                ));
            }
        }

        let occurred_at = match file.occurred_at {
            None => {
                p.push(
                    "occurred_at: is required, such as occurred_at = { column = \"Datum\", format = \"%Y-%m-%d %H:%M\" }"
                        .into(),
                );
                None
            }
            Some(spec) => {
                let format = spec.format.filter(|f| {
                    let bad = f.is_empty() || StrftimeItems::new(f).any(|i| matches!(i, Item::Error));
                    if bad {
                        p.push(format!(
                            "occurred_at.format: {f:?} is not a strftime format such as \"%Y-%m-%d %H:%M\""
                        ));
                    }
                    !bad
                });
                let has_offset = format.as_deref().is_some_and(|f| {
                    StrftimeItems::new(f).any(|i| {
                        matches!(
                            i,
                            Item::Fixed(
                                Fixed::TimezoneOffset
                                    | Fixed::TimezoneOffsetColon
                                    | Fixed::TimezoneOffsetDoubleColon
                                    | Fixed::TimezoneOffsetTripleColon
                                    | Fixed::TimezoneOffsetColonZ
                                    | Fixed::TimezoneOffsetZ
                                    | Fixed::RFC3339
                            )
                        )
                    })
                });
                let zone = spec.time_zone.and_then(|z| match z.parse::<Tz>() {
                    Ok(tz) => Some(tz),
                    Err(_) => {
                        p.push(format!(
                            "occurred_at.time_zone: {z:?} is not an IANA time zone such as Europe/Stockholm"
                        ));
                        None
                    }
                });
                match column("occurred_at.column", spec.column, &mut p) {
                    Some(column) => Some(Time {
                        column,
                        format,
                        has_offset,
                        zone,
                    }),
                    None => {
                        p.push("occurred_at.column: is required".into());
                        None
                    }
                }
            }
        };

        let (no_identifiers, no_profile) = (file.identifiers.is_empty(), profile_id.is_none());
        let mut identifiers = Vec::new();
        for (i, spec) in file.identifiers.into_iter().enumerate() {
            let key = format!("identifiers[{i}]");
            let kind = match spec.kind {
                None => {
                    p.push(format!(
                        "{key}.kind: is required: email, phone, customer_number, loyalty_card, device_id or social_handle"
                    ));
                    None
                }
                Some(k) => match IdentifierKind::parse(&k) {
                    Ok(kind) => Some(kind.as_str().to_string()),
                    Err(e) => {
                        p.extend(e.within(&format!("{key}.kind")).0.into_iter().map(line));
                        None
                    }
                },
            };
            let col = column(&format!("{key}.column"), spec.column, &mut p);
            if col.is_none() {
                p.push(format!("{key}.column: is required"));
            }
            if let (Some(kind), Some(col)) = (kind, col) {
                identifiers.push((kind, col));
            }
        }
        if no_identifiers && no_profile {
            p.push(
                "identifiers: is required (or profile_id): say which columns name the person, such as identifiers = [{ kind = \"email\", column = \"E-post\" }]"
                    .into(),
            );
        }

        let mut properties = Vec::new();
        let mut names: HashMap<String, usize> = HashMap::new();
        for (i, spec) in file.properties.into_iter().enumerate() {
            let key = format!("properties[{i}]");
            let kind = match spec.kind.as_deref() {
                None | Some("string") => Some(Type::String),
                Some("number") => Some(Type::Number),
                Some("integer") => Some(Type::Integer),
                Some("bool") => Some(Type::Bool),
                Some(other) => {
                    p.push(format!(
                        "{key}.type: unknown type {other:?}; expected string, number, integer or bool"
                    ));
                    None
                }
            };
            let col = column(&format!("{key}.column"), spec.column, &mut p);
            let name = match (spec.name, &col) {
                (Some(n), _) if n.trim().is_empty() => {
                    p.push(format!("{key}.name: must not be empty"));
                    None
                }
                (Some(n), _) => Some(n),
                (None, Some(c)) => Some(c.name.clone()),
                (None, None) => {
                    p.push(format!("{key}.name: is required with value"));
                    None
                }
            };
            if let Some(n) = &name
                && let Some(earlier) = names.insert(n.clone(), i)
            {
                p.push(format!(
                    "{key}.name: {n:?} is already the name of properties[{earlier}]"
                ));
            }
            let source = match (spec.value, col) {
                (Some(_), Some(_)) => {
                    p.push(format!("{key}: give value or column, not both"));
                    None
                }
                (Some(v), None) => match kind.map(|k| convert(&v, k)) {
                    Some(Ok(v)) => Some(PropertySource::Value(v)),
                    Some(Err(reason)) => {
                        p.push(format!("{key}.value: {v:?}: {reason}"));
                        None
                    }
                    None => None,
                },
                (None, Some(c)) => Some(PropertySource::Column(c)),
                (None, None) => {
                    p.push(format!("{key}: give column = \"…\" or value = \"…\""));
                    None
                }
            };
            if let (Some(name), Some(source), Some(kind)) = (name, source, kind) {
                properties.push(Property { name, source, kind });
            }
        }

        let mut attributes: Vec<(String, Column)> = Vec::new();
        for (i, spec) in file.attributes.into_iter().enumerate() {
            let key = format!("attributes[{i}]");
            let Some(col) = column(&format!("{key}.column"), spec.column, &mut p) else {
                if spec.name.is_none() {
                    p.push(format!("{key}: give column = \"…\" and name = \"…\""));
                }
                continue;
            };
            let name = spec.name.unwrap_or_else(|| col.name.clone());
            if name.trim().is_empty() {
                p.push(format!("{key}.name: must not be empty"));
            } else if let Some(earlier) = attributes.iter().position(|(n, _)| *n == name) {
                p.push(format!(
                    "{key}.name: {name:?} is already the name of attributes[{earlier}]"
                ));
            } else {
                attributes.push((name, col));
            }
        }

        if !p.is_empty() {
            return Err(Problems(p));
        }
        Ok(Mapping {
            delimiter,
            header: file.header.unwrap_or(true),
            event_id,
            profile_id,
            occurred_at,
            text,
            identifiers,
            properties,
            attributes,
        })
    }

    /// Every column the mapping reads, once each, in the order the mapping names them.
    pub fn columns(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        self.each_column(&mut |c| {
            if !names.contains(&c.name) {
                names.push(c.name.clone());
            }
        });
        names
    }

    fn each_column(&self, f: &mut dyn FnMut(&Column)) {
        let mut columns: Vec<&Column> = Vec::new();
        for part in self.event_id.iter().flatten() {
            if let Part::Column(c) = part {
                columns.push(c);
            }
        }
        if let Some(Source::Column { column, .. }) = &self.profile_id {
            columns.push(column);
        }
        if let Some(t) = &self.occurred_at {
            columns.push(&t.column);
        }
        for (_, s) in &self.text {
            if let Source::Column { column, .. } = s {
                columns.push(column);
            }
        }
        columns.extend(self.identifiers.iter().map(|(_, c)| c));
        for p in &self.properties {
            if let PropertySource::Column(c) = &p.source {
                columns.push(c);
            }
        }
        columns.extend(self.attributes.iter().map(|(_, c)| c));
        for c in columns {
            f(c);
        }
    }

    fn each_column_mut(&mut self, f: &mut dyn FnMut(&mut Column)) {
        for part in self.event_id.iter_mut().flatten() {
            if let Part::Column(c) = part {
                f(c);
            }
        }
        if let Some(Source::Column { column, .. }) = &mut self.profile_id {
            f(column);
        }
        if let Some(t) = &mut self.occurred_at {
            f(&mut t.column);
        }
        for (_, s) in &mut self.text {
            if let Source::Column { column, .. } = s {
                f(column);
            }
        }
        for (_, c) in &mut self.identifiers {
            f(c);
        }
        for p in &mut self.properties {
            if let PropertySource::Column(c) = &mut p.source {
                f(c);
            }
        }
        for (_, c) in &mut self.attributes {
            f(c);
        }
    }

    /// Finds every column the mapping names in the file's header, or, in a file
    /// without one, among the `cells` of its first row ("1" is the first).
    pub fn bind_by_position(&mut self, cells: usize) -> Result<(), Problems> {
        let mut p = Vec::new();
        self.each_column_mut(&mut |c| match c.name.parse::<usize>() {
            Ok(n) if (1..=cells).contains(&n) => c.index = n - 1,
            Ok(_) => p.push(format!(
                "{}: no column {}; without a header the columns are numbered 1 to {cells}, as many as the first row has",
                c.key, c.name
            )),
            Err(_) => p.push(format!(
                "{}: {:?} is not a column number; with header = false columns are named by position, \"1\" for the first",
                c.key, c.name
            )),
        });
        if p.is_empty() {
            Ok(())
        } else {
            Err(Problems(p))
        }
    }

    /// Finds every column the mapping names in the file's header.
    pub fn bind(&mut self, header: &[String]) -> Result<(), Problems> {
        let mut p = Vec::new();
        self.each_column_mut(&mut |c| {
            let at: Vec<usize> = (0..header.len()).filter(|&i| header[i] == c.name).collect();
            match at[..] {
                [i] => c.index = i,
                [] => {
                    let hint = match header
                        .iter()
                        .find(|h| h.to_lowercase() == c.name.to_lowercase())
                    {
                        Some(h) => format!(" (did you mean {h:?}?)"),
                        None => {
                            let shown: Vec<String> =
                                header.iter().take(30).map(|h| format!("{h:?}")).collect();
                            format!("; it has {}", shown.join(", "))
                        }
                    };
                    p.push(format!(
                        "{}: no column {:?} in the file header{hint}",
                        c.key, c.name
                    ));
                }
                _ => p.push(format!(
                    "{}: the column {:?} appears {} times in the file header",
                    c.key,
                    c.name,
                    at.len()
                )),
            }
        });
        if p.is_empty() {
            Ok(())
        } else {
            Err(Problems(p))
        }
    }

    /// Whether the mapping makes the event id (else the caller derives it from the row).
    pub fn has_event_id(&self) -> bool {
        self.event_id.is_some()
    }

    /// Maps row number `row` (cells in header order) with `zone` for times without
    /// an offset.
    pub fn apply(&self, cells: &[&str], row: u64, zone: Tz) -> Mapped {
        let cell = |c: &Column| cells.get(c.index).map_or("", |s| s.trim());
        let mut errors = Vec::new();
        let mut input = TouchpointInput::default();

        if let Some(parts) = &self.event_id {
            let row = row.to_string();
            let id: String = parts
                .iter()
                .map(|part| match part {
                    Part::Text(t) => t.as_str(),
                    Part::Column(c) => cell(c),
                    Part::Row => row.as_str(),
                })
                .collect();
            input.event_id = Some(id).filter(|id| !id.is_empty());
        }

        let text = |key: &str, source: &Source, errors: &mut Vec<FieldError>| match source {
            Source::Value(v) => Some(v.clone()),
            Source::Column { column, map } => {
                let value = cell(column);
                match map {
                    Some(map) => match map.get(value) {
                        Some(v) => Some(v.clone()),
                        None if value.is_empty() => None,
                        None => {
                            errors.push(FieldError {
                                field: key.to_string(),
                                reason: Reason::OneOf {
                                    value: value.to_string(),
                                    allowed: List::of(map.keys().take(20)),
                                },
                            });
                            Some(value.to_string())
                        }
                    },
                    None => Some(value.to_string()).filter(|v| !v.is_empty()),
                }
            }
        };

        if let Some(source) = &self.profile_id
            && let Some(v) = text("profile_id", source, &mut errors)
        {
            match v.parse::<ProfileId>() {
                Ok(id) => input.profile_id = Some(id),
                Err(_) => errors.push(FieldError {
                    field: "profile_id".into(),
                    reason: Reason::Uuid,
                }),
            }
        }
        for (key, source) in &self.text {
            let value = text(key, source, &mut errors);
            match *key {
                "channel" => input.channel = value,
                "kind" => input.kind = value,
                "phase" => input.phase = value,
                "initiator" => input.initiator = value,
                _ => input.setting = value,
            }
        }

        if let Some(time) = &self.occurred_at {
            let value = cell(&time.column);
            if !value.is_empty() {
                input.occurred_at = Some(match time.read(value, time.zone.unwrap_or(zone)) {
                    Ok((t, day)) => {
                        input.occurred_on = day.map(|d| d.to_string());
                        t
                    }
                    Err(reason) => {
                        errors.push(FieldError {
                            field: "occurred_at".into(),
                            reason,
                        });
                        value.to_string()
                    }
                });
            }
        }

        let mut identifier_places = Vec::new();
        let identifiers: Vec<IdentifierInput> = self
            .identifiers
            .iter()
            .enumerate()
            .filter_map(|(place, (kind, column))| {
                let value = cell(column);
                (!value.is_empty()).then(|| {
                    identifier_places.push(place);
                    IdentifierInput {
                        kind: Some(kind.clone()),
                        value: Some(value.to_string()),
                    }
                })
            })
            .collect();
        if !identifiers.is_empty() || input.profile_id.is_none() && self.profile_id.is_none() {
            input.identifiers = Some(identifiers);
        }

        if !self.properties.is_empty() {
            let mut properties = Map::new();
            for p in &self.properties {
                let value = match &p.source {
                    PropertySource::Value(v) => v.clone(),
                    PropertySource::Column(c) => {
                        let raw = cell(c);
                        if raw.is_empty() {
                            continue;
                        }
                        convert(raw, p.kind).unwrap_or_else(|reason| {
                            errors.push(FieldError {
                                field: format!("properties.{}", p.name),
                                reason,
                            });
                            Value::String(raw.to_string())
                        })
                    }
                };
                properties.insert(p.name.clone(), value);
            }
            input.properties = Some(Value::Object(properties));
        }

        // An empty cell says nothing: it leaves what the profile keeps.
        let attributes: Map<String, Value> = self
            .attributes
            .iter()
            .filter(|(_, c)| !cell(c).is_empty())
            .map(|(name, c)| (name.clone(), Value::String(cell(c).to_string())))
            .collect();
        if !attributes.is_empty() {
            input.attributes = Some(Value::Object(attributes));
        }

        Mapped {
            input,
            errors,
            identifier_places,
        }
    }

    /// The problems of a mapped row, in the mapping's terms: the mapping's own errors,
    /// then the checks' errors on fields the mapping did fill, each saying which column
    /// it came from.
    pub fn explain(&self, mapped: &Mapped, checked: Vec<FieldError>) -> Vec<Refusal> {
        let top = |field: &str| -> String {
            field
                .split(['.', '['])
                .next()
                .unwrap_or_default()
                .to_string()
        };
        let failed: Vec<String> = mapped.errors.iter().map(|e| top(&e.field)).collect();
        let mut out = Vec::new();
        for e in &mapped.errors {
            out.push(Refusal {
                error: e.clone(),
                columns: self.columns_of(&e.field),
            });
        }
        for e in checked {
            if failed.contains(&top(&e.field)) {
                continue;
            }
            let field = match e.field.strip_prefix("identifiers[").and_then(|rest| {
                let (n, rest) = rest.split_once(']')?;
                let place = *mapped.identifier_places.get(n.parse::<usize>().ok()?)?;
                Some(format!("identifiers[{place}]{rest}"))
            }) {
                Some(field) => field,
                None => e.field,
            };
            let columns = self.columns_of(&field);
            out.push(Refusal {
                error: FieldError {
                    field,
                    reason: e.reason,
                },
                columns,
            });
        }
        out
    }

    /// The columns `field` was read from, such as `(column "Datum")`, or nothing.
    fn columns_of(&self, field: &str) -> String {
        let named = |c: &Column| format!("(column {:?})", c.name);
        let source = |s: &Source| match s {
            Source::Column { column, .. } => Some(named(column)),
            Source::Value(_) => None,
        };
        let head = field.split(['.', '[']).next().unwrap_or_default();
        let found = match head {
            "occurred_at" => self.occurred_at.as_ref().map(|t| named(&t.column)),
            "profile_id" => self.profile_id.as_ref().and_then(source),
            "identifiers" if field == "identifiers" => {
                let names: Vec<String> = self
                    .identifiers
                    .iter()
                    .map(|(_, c)| format!("{:?}", c.name))
                    .collect();
                (!names.is_empty()).then(|| format!("(columns {})", names.join(", ")))
            }
            "identifiers" => field
                .strip_prefix("identifiers[")
                .and_then(|r| r.split_once(']'))
                .and_then(|(n, _)| n.parse::<usize>().ok())
                .and_then(|i| self.identifiers.get(i))
                .map(|(_, c)| named(c)),
            "attributes" => self
                .attributes
                .iter()
                .find(|(n, _)| field.strip_prefix("attributes.") == Some(n.as_str()))
                .map(|(_, c)| named(c)),
            "properties" => self
                .properties
                .iter()
                .find(|p| field.strip_prefix("properties.") == Some(p.name.as_str()))
                .and_then(|p| match &p.source {
                    PropertySource::Column(c) => Some(named(c)),
                    PropertySource::Value(_) => None,
                }),
            "event_id" => {
                let names: Vec<String> = self
                    .event_id
                    .iter()
                    .flatten()
                    .filter_map(|p| match p {
                        Part::Column(c) => Some(format!("{:?}", c.name)),
                        Part::Text(_) | Part::Row => None,
                    })
                    .collect();
                (!names.is_empty()).then(|| format!("(columns {})", names.join(", ")))
            }
            other => self
                .text
                .iter()
                .find(|(k, _)| *k == other)
                .and_then(|(_, s)| source(s)),
        };
        found.unwrap_or_default()
    }
}

impl Time {
    /// The time as RFC 3339, and the day when the value is a date only (the time is
    /// then the start of that day), or why it cannot be read. Text that is neither in
    /// the format nor local is passed on as it is, for the checks to judge.
    fn read(&self, value: &str, zone: Tz) -> Result<(String, Option<NaiveDate>), Reason> {
        let Some(format) = &self.format else {
            if DateTime::parse_from_rfc3339(value).is_ok() {
                return Ok((value.to_string(), None));
            }
            for f in [
                "%Y-%m-%dT%H:%M:%S%.f",
                "%Y-%m-%d %H:%M:%S%.f",
                "%Y-%m-%dT%H:%M",
                "%Y-%m-%d %H:%M",
            ] {
                if let Ok(local) = NaiveDateTime::parse_from_str(value, f) {
                    return localise(local, zone).map(|t| (t, None));
                }
            }
            if let Ok(day) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
                return start_of(day, zone);
            }
            return Ok((value.to_string(), None));
        };
        let mismatch = |e: chrono::ParseError| Reason::TimeFormat {
            value: value.to_string(),
            format: format.clone(),
            detail: e.to_string(),
        };
        if self.has_offset {
            return DateTime::parse_from_str(value, format)
                .map(|t| (t.to_rfc3339(), None))
                .map_err(mismatch);
        }
        match NaiveDateTime::parse_from_str(value, format) {
            Ok(local) => localise(local, zone).map(|t| (t, None)),
            Err(e) if e.kind() == ParseErrorKind::NotEnough => {
                NaiveDate::parse_from_str(value, format)
                    .map_err(mismatch)
                    .and_then(|d| start_of(d, zone))
            }
            Err(e) => Err(mismatch(e)),
        }
    }
}

/// A day: its first moment in `zone` (midnight, or the hour clocks were put forward
/// to when midnight does not exist), and the day itself.
fn start_of(day: NaiveDate, zone: Tz) -> Result<(String, Option<NaiveDate>), Reason> {
    let t = (0..24)
        .find_map(|h| localise(day.and_hms_opt(h, 0, 0)?, zone).ok())
        .ok_or_else(|| Reason::NoHour {
            day: day.to_string(),
            zone: zone.to_string(),
        })?;
    Ok((t, Some(day)))
}

/// A wall-clock time in `zone`. In the hour clocks go back, the earlier of the two.
fn localise(local: NaiveDateTime, zone: Tz) -> Result<String, Reason> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Ok(t.to_rfc3339()),
        LocalResult::None => Err(Reason::ClocksForward {
            time: local.to_string(),
            zone: zone.to_string(),
        }),
    }
}

/// A template such as `{order_id}-{line}`; `{row}` is the row's number and `{{` and
/// `}}` stand for braces.
fn template(t: &str) -> Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => name.push(c),
                        None => return Err(format!("the template {t:?} has a {{ without a }}")),
                    }
                }
                if name.trim().is_empty() {
                    return Err(format!(
                        "the template {t:?} has an empty {{}}; name a column in it"
                    ));
                }
                if !text.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                }
                if name.trim() == "row" {
                    parts.push(Part::Row);
                    continue;
                }
                parts.push(Part::Column(Column {
                    key: "event_id".into(),
                    name: name.trim().to_string(),
                    index: usize::MAX,
                }));
            }
            '}' => {
                return Err(format!(
                    "the template {t:?} has a }} without a {{; write }}}} for a brace"
                ));
            }
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        parts.push(Part::Text(text));
    }
    if !parts
        .iter()
        .any(|p| matches!(p, Part::Column(_) | Part::Row))
    {
        return Err(format!(
            "the template {t:?} names no column, so every row would get the same id; use {{column}} or {{row}}"
        ));
    }
    Ok(parts)
}

/// A cell as a property of `kind`. Numbers may use a decimal comma and spaces between
/// thousands, as Swedish exports do.
fn convert(raw: &str, kind: Type) -> Result<Value, Reason> {
    let digits = || -> String {
        let s: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        if s.contains(',') && !s.contains('.') {
            s.replace(',', ".")
        } else {
            s
        }
    };
    match kind {
        Type::String => Ok(Value::String(raw.to_string())),
        Type::Integer => digits()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| Reason::WholeNumber),
        Type::Number => {
            let s = digits();
            if let Ok(i) = s.parse::<i64>() {
                return Ok(Value::from(i));
            }
            s.parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                .map(Value::Number)
                .ok_or(Reason::Number)
        }
        Type::Bool => match raw.to_lowercase().as_str() {
            "true" | "yes" | "ja" | "1" | "y" | "j" | "sant" => Ok(Value::Bool(true)),
            "false" | "no" | "nej" | "0" | "n" | "falskt" => Ok(Value::Bool(false)),
            _ => Err(Reason::YesNo),
        },
    }
}

fn line(e: FieldError) -> String {
    format!("{}: {}", e.field, e.reason)
}

/// An event id from a row's content, so that importing the same row again finds it.
pub fn content_id<'a>(cells: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hash = Sha256::new();
    for cell in cells {
        hash.update((cell.len() as u64).to_le_bytes());
        hash.update(cell);
    }
    format!("sha256:{}", hex::encode(hash.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
        event_id = "{Order}-{Rad}"
        occurred_at = { column = "Datum", format = "%Y-%m-%d %H:%M" }
        channel = { column = "Kanal", map = { "Butik" = "store", "Webb" = "web" } }
        kind = { value = "purchase" }
        identifiers = [ { kind = "email", column = "E-post" }, { kind = "phone", column = "Mobil" } ]
        properties = [ { column = "Belopp", name = "amount_sek", type = "number" } ]
        delimiter = ";"
    "#;

    fn header() -> Vec<String> {
        [
            "Order", "Rad", "Datum", "Kanal", "E-post", "Mobil", "Belopp",
        ]
        .map(String::from)
        .to_vec()
    }

    #[test]
    fn a_row_becomes_an_input_with_local_time_and_typed_properties() {
        let mut m = Mapping::parse(GOOD).unwrap();
        assert_eq!(m.delimiter, Delimiter::Char(b';'));
        m.bind(&header()).unwrap();
        let row = [
            "A1",
            "2",
            "2025-07-01 14:05",
            "Butik",
            "",
            "070-123 45 67",
            "1 299,50",
        ];
        let mapped = m.apply(&row, 7, chrono_tz::Europe::Stockholm);
        assert!(mapped.errors.is_empty(), "{:?}", mapped.errors);
        let i = &mapped.input;
        assert_eq!(i.event_id.as_deref(), Some("A1-2"));
        assert_eq!(i.occurred_at.as_deref(), Some("2025-07-01T14:05:00+02:00"));
        assert_eq!(i.channel.as_deref(), Some("store"));
        let ids = i.identifiers.as_ref().unwrap();
        assert_eq!(ids.len(), 1);
        assert_eq!(ids[0].kind.as_deref(), Some("phone"));
        assert_eq!(mapped.identifier_places, [1]);
        assert_eq!(i.properties.as_ref().unwrap()["amount_sek"], 1299.5);
    }

    #[test]
    fn named_columns_become_what_the_row_says_of_the_person() {
        let mut m = Mapping::parse(&format!(
            "{GOOD}\n attributes = [ {{ column = \"Förnamn\", name = \"given_name\" }}, {{ column = \"Postnr\", name = \"postcode\" }} ]"
        ))
        .unwrap();
        let mut header = header();
        header.extend(["Förnamn".to_string(), "Postnr".to_string()]);
        m.bind(&header).unwrap();
        assert!(m.columns().contains(&"Förnamn".to_string()));
        let row = [
            "A1",
            "2",
            "2025-07-01 14:05",
            "Butik",
            "",
            "0701234567",
            "10",
            "Åsa",
            "",
        ];
        let mapped = m.apply(&row, 7, chrono_tz::Europe::Stockholm);
        // The empty postcode says nothing, so the profile keeps what it has.
        assert_eq!(
            mapped.input.attributes,
            Some(serde_json::json!({"given_name": "Åsa"}))
        );
        let refused = m.explain(
            &mapped,
            vec![FieldError {
                field: "attributes.given_name".into(),
                reason: Reason::Required,
            }],
        );
        assert_eq!(refused[0].columns, "(column \"Förnamn\")");
        let twice = format!(
            "{GOOD}\n attributes = [ {{ column = \"A\", name = \"x\" }}, {{ column = \"B\", name = \"x\" }} ]"
        );
        let problems = Mapping::parse(&twice).unwrap_err().0;
        assert_eq!(
            problems,
            ["attributes[1].name: \"x\" is already the name of attributes[0]"]
        );
    }

    #[test]
    fn bad_cells_are_named_by_field_and_column() {
        let mut m = Mapping::parse(GOOD).unwrap();
        m.bind(&header()).unwrap();
        let row = ["A1", "3", "2025-13-01 14:05", "Telefon", "a@b.se", "", "x"];
        let mapped = m.apply(&row, 7, chrono_tz::Europe::Stockholm);
        let fields: Vec<&str> = mapped.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["channel", "occurred_at", "properties.amount_sek"]);
        let explained = m.explain(
            &mapped,
            vec![FieldError {
                field: "occurred_at".into(),
                reason: Reason::Timestamp {
                    value: "2025-13-01 14:05".into(),
                },
            }],
        );
        assert_eq!(explained.len(), 3, "{explained:?}");
        assert_eq!(explained[1].error.field, "occurred_at");
        assert!(matches!(
            explained[1].error.reason,
            Reason::TimeFormat { .. }
        ));
        assert_eq!(explained[1].columns, "(column \"Datum\")");
        assert!(explained[1].reason().ends_with("(column \"Datum\")"));
    }

    #[test]
    fn mapping_problems_name_their_keys() {
        let bad = r#"
            occurred_at = { column = "datum", format = "%Q" }
            channel = { value = "store" }
            kind = { column = "Typ", map = {} }
            identifiers = [ { kind = "email", column = "E-post" }, { kind = "fax", column = "Fax" } ]
            properties = [ { column = "Belopp", type = "money" } ]
            delimiter = ";;"
        "#;
        let p = Mapping::parse(bad).unwrap_err().0;
        let keys: Vec<&str> = p.iter().map(|l| l.split(':').next().unwrap()).collect();
        assert_eq!(
            keys,
            [
                "delimiter",
                "occurred_at.format",
                "identifiers[1].kind",
                "properties[0].type"
            ],
            "{p:?}"
        );
        assert!(
            p[2].contains("unknown value \"fax\"; expected one of"),
            "{}",
            p[2]
        );

        let mut m = Mapping::parse(
            &bad.replace("%Q", "%d")
                .replace("fax", "phone")
                .replace("money", "number")
                .replace(";;", ";"),
        )
        .unwrap();
        let p = m.bind(&header()).unwrap_err().0;
        assert!(p.contains(&"occurred_at.column: no column \"datum\" in the file header (did you mean \"Datum\"?)".to_string()), "{p:?}");
        assert!(
            p.iter()
                .any(|l| l.starts_with("kind.column: no column \"Typ\""))
        );
        assert!(
            p.iter()
                .any(|l| l.starts_with("identifiers[1].column: no column \"Fax\""))
        );

        let unknown = Mapping::parse("chanel = { value = \"store\" }")
            .unwrap_err()
            .0;
        assert!(unknown[0].contains("unknown field `chanel`"), "{unknown:?}");
        let missing = Mapping::parse("").unwrap_err().0;
        assert!(
            missing
                .iter()
                .any(|l| l.starts_with("occurred_at: is required"))
        );
        assert!(
            missing
                .iter()
                .any(|l| l.starts_with("identifiers: is required"))
        );
    }

    #[test]
    fn templates_and_times() {
        assert!(template("{a}-{{x}}").is_ok());
        assert!(template("{a").is_err());
        assert!(template("static").is_err());
        let t = Time {
            column: Column {
                key: "occurred_at.column".into(),
                name: "t".into(),
                index: 0,
            },
            format: None,
            has_offset: false,
            zone: None,
        };
        let z = chrono_tz::Europe::Stockholm;
        let at = |t: &str| (t.to_string(), None);
        assert_eq!(
            t.read("2025-01-05 10:00", z).unwrap(),
            at("2025-01-05T10:00:00+01:00")
        );
        assert_eq!(
            t.read("2025-01-05T10:00:00Z", z).unwrap(),
            at("2025-01-05T10:00:00Z")
        );
        assert_eq!(t.read("igår", z).unwrap(), at("igår"));
        assert_eq!(
            t.read("2025-03-30 02:30", z),
            Err(Reason::ClocksForward {
                time: "2025-03-30 02:30:00".into(),
                zone: "Europe/Stockholm".into()
            })
        );
        // A date alone is that day, kept as a day.
        let day = NaiveDate::from_ymd_opt(2025, 1, 5);
        assert_eq!(
            t.read("2025-01-05", z).unwrap(),
            ("2025-01-05T00:00:00+01:00".to_string(), day)
        );
        let d = Time {
            format: Some("%d/%m/%Y".into()),
            ..t
        };
        assert_eq!(
            d.read("05/01/2025", z).unwrap(),
            ("2025-01-05T00:00:00+01:00".to_string(), day)
        );
        // Where clocks go forward at midnight, the day starts an hour later.
        let havana = chrono_tz::America::Havana;
        assert_eq!(
            d.read("08/03/2026", havana).unwrap().0,
            "2026-03-08T01:00:00-04:00"
        );
        let why = d.read("32/01/2025", z).unwrap_err();
        assert!(
            matches!(&why, Reason::TimeFormat { value, format, .. } if value == "32/01/2025" && format == "%d/%m/%Y"),
            "{why:?}"
        );
        assert!(why.to_string().contains("does not match the format"));
    }

    #[test]
    fn a_headerless_aligned_file_is_read_by_position_with_row_numbers_for_ids() {
        let cdnow = r#"
            delimiter = "whitespace"
            header = false
            event_id = "cdnow-{row}"
            occurred_at = { column = "2", format = "%Y%m%d" }
            channel = { value = "web" }
            kind = { value = "purchase" }
            identifiers = [{ kind = "customer_number", column = "1" }]
            properties = [{ column = "4", name = "amount_usd", type = "number" }]
        "#;
        let mut m = Mapping::parse(cdnow).unwrap();
        assert_eq!(m.delimiter, Delimiter::Whitespace);
        assert!(!m.header);
        let p = m.bind_by_position(3).unwrap_err().0;
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("properties[0].column: no column 4;"),
            "{p:?}"
        );
        m.bind_by_position(4).unwrap();
        let row = ["00001", "19970101", "1", "11.77"];
        let mapped = m.apply(&row, 12, chrono_tz::UTC);
        assert!(mapped.errors.is_empty(), "{:?}", mapped.errors);
        assert_eq!(mapped.input.event_id.as_deref(), Some("cdnow-12"));
        assert_eq!(mapped.input.properties.unwrap()["amount_usd"], 11.77);

        let named = Mapping::parse(&cdnow.replace("\"4\"", "\"Belopp\"")).unwrap();
        let p = { named }.bind_by_position(4).unwrap_err().0;
        assert!(p[0].contains("\"Belopp\" is not a column number"), "{p:?}");
        assert!(template("{row}").is_ok());
        assert!(
            Mapping::parse(&cdnow.replace("\"whitespace\"", "\"blank\""))
                .unwrap_err()
                .0[0]
                .starts_with("delimiter: \"blank\" is neither")
        );
    }

    #[test]
    fn content_ids_are_stable_and_tell_cells_apart() {
        let a = content_id([b"ab".as_slice(), b"c"]);
        assert_eq!(a, content_id([b"ab".as_slice(), b"c"]));
        assert_ne!(a, content_id([b"a".as_slice(), b"bc"]));
        assert_eq!(a.len(), 7 + 64);
    }
}
