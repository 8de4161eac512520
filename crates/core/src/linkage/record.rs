//! The records linkage reads: an id and the named profile attributes, normalised once
//! and interned, so the pair loop compares small integers and borrowed text.

use super::text::Text;
use crate::invalid::{Invalid, List, Reason};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;
use unicode_normalization::UnicodeNormalization;

/// A named profile attribute linkage compares.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    GivenName,
    FamilyName,
    BirthDate,
    Street,
    Postcode,
}

impl Field {
    pub const ALL: [Field; 5] = [
        Field::GivenName,
        Field::FamilyName,
        Field::BirthDate,
        Field::Street,
        Field::Postcode,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::GivenName => "given_name",
            Field::FamilyName => "family_name",
            Field::BirthDate => "birth_date",
            Field::Street => "street",
            Field::Postcode => "postcode",
        }
    }

    /// The position of the field in [`Field::ALL`], for per-field arrays.
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Field {
    type Err = Invalid;

    fn from_str(s: &str) -> Result<Self, Invalid> {
        Field::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| {
                Invalid::one(
                    "field",
                    Reason::OneOf {
                        value: s.to_string(),
                        allowed: List::of(Field::ALL.map(Field::as_str)),
                    },
                )
            })
    }
}

/// One record to link, such as a profile: its id and the attributes it has.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Record {
    pub id: String,
    pub fields: BTreeMap<Field, String>,
}

impl Record {
    pub fn new<'a>(id: &str, fields: impl IntoIterator<Item = (Field, &'a str)>) -> Self {
        Record {
            id: id.to_string(),
            fields: fields
                .into_iter()
                .map(|(f, v)| (f, v.to_string()))
                .collect(),
        }
    }
}

/// A value as it is compared: trimmed, accents folded away, lower-case, runs of white
/// space as one space; dates and postcodes keep their digits only, so `1956-09-09`
/// and `19560909`, `123 45` and `12345` are the same. Empty is missing.
pub fn normalise(field: Field, value: &str) -> Option<String> {
    let folded: String = value
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    let out = match field {
        Field::BirthDate => folded.chars().filter(char::is_ascii_digit).collect(),
        Field::Postcode => folded.chars().filter(|c| !c.is_whitespace()).collect(),
        _ => folded.split_whitespace().collect::<Vec<_>>().join(" "),
    };
    (!out.is_empty()).then_some(out)
}

/// A field's distinct normalised values, and per record the number of its value. Each
/// distinct value as written is normalised once: records repeat names.
fn intern(field: Field, records: &[&Record]) -> (Vec<Text>, Vec<Option<u32>>) {
    let mut written: HashMap<&str, Option<u32>> = HashMap::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut table = Vec::new();
    let cells = records
        .iter()
        .map(|r| {
            let raw = r.fields.get(&field)?;
            *written.entry(raw).or_insert_with(|| {
                let v = normalise(field, raw)?;
                Some(*seen.entry(v).or_insert_with_key(|v| {
                    table.push(Text::new(v.clone()));
                    (table.len() - 1) as u32
                }))
            })
        })
        .collect();
    (table, cells)
}

/// Records made ready to link: sorted by id (so the answer does not depend on the
/// input's order), each value normalised once and interned per field.
#[derive(Debug, Clone)]
pub struct Prepared {
    ids: Vec<String>,
    /// Per field, the distinct values.
    values: [Vec<Text>; 5],
    /// Per field, per record, the index of its value in `values` (`None`: missing).
    cells: [Vec<Option<u32>>; 5],
    /// Per distinct street, the street without its house numbers.
    street_names: Vec<Text>,
}

impl Prepared {
    /// Refuses a repeated id: two records with one id cannot be told apart in pairs.
    pub fn new(records: &[Record]) -> Result<Self, Invalid> {
        let mut order: Vec<&Record> = records.iter().collect();
        order.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        if let Some(w) = order.windows(2).find(|w| w[0].id == w[1].id) {
            return Err(Invalid::one(
                "id",
                Reason::Repeats {
                    value: w[0].id.clone(),
                },
            ));
        }
        // Each field on a core of its own: they share nothing but the records.
        let mut values: [Vec<Text>; 5] = Default::default();
        let mut cells: [Vec<Option<u32>>; 5] = Default::default();
        let interned = super::cores::on_cores(Field::ALL, |field| intern(field, &order));
        for (field, (table, of_records)) in Field::ALL.into_iter().zip(interned) {
            values[field.index()] = table;
            cells[field.index()] = of_records;
        }
        let street_names = values[Field::Street.index()]
            .iter()
            .map(|s| {
                let letters: String = s.as_str().chars().filter(|c| !c.is_ascii_digit()).collect();
                Text::new(letters.split_whitespace().collect::<Vec<_>>().join(" "))
            })
            .collect();
        Ok(Prepared {
            ids: order.into_iter().map(|r| r.id.clone()).collect(),
            values,
            cells,
            street_names,
        })
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The id of the record at `index` (records are in id order).
    pub fn id(&self, index: usize) -> &str {
        &self.ids[index]
    }

    /// The interned value of a record's field: equal numbers are equal values.
    pub(crate) fn cell(&self, field: Field, index: usize) -> Option<u32> {
        self.cells[field.index()][index]
    }

    /// The distinct values of `field`, as cells number them.
    pub(crate) fn texts(&self, field: Field) -> &[Text] {
        &self.values[field.index()]
    }

    /// A record's street without house numbers, if it has one.
    pub(crate) fn street_name(&self, index: usize) -> Option<&Text> {
        let name = &self.street_names[self.cell(Field::Street, index)? as usize];
        (!name.as_str().is_empty()).then_some(name)
    }

    /// The normalised text of an interned value.
    pub(crate) fn text(&self, field: Field, value: u32) -> &Text {
        &self.values[field.index()][value as usize]
    }
}
