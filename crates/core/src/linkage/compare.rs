//! Comparison levels: how alike two records are in one field, as a small number.
//! Level 0 is "missing" (either side has no value: no evidence either way), level 1
//! is an exact match, the last level is "else"; between them, degrees of nearness.
//!
//! Names: given and family name swapped (a common slip in forms; each Jaro-Winkler
//! at least 0.92 against the other's), then Jaro-Winkler at least 0.92, then at
//! least 0.80. The lower level is 0.80
//! rather than 0.88 because one typo in a short name (`jack`/`jakc`, `emily`/`emiily`)
//! often lands between the two, and the trained weight of a level, not its bound,
//! decides how much it counts: a wide level that true pairs reach earns its weight.
//! Streets and postcodes: at most one, then two edits (Levenshtein); streets then
//! "same street name": at most one edit apart once the house numbers are left out,
//! for a number missing or mistyped. Birth dates:
//! one typo in the yyyymmdd text or day and month swapped, then the same year.

use super::record::{Field, Prepared};
use super::text::Text;
use std::cell::OnceCell;

/// The levels a pair reached, one per field in [`Field::ALL`] order.
pub type Levels = [u8; 5];

/// The most levels a field has, missing included.
pub const MAX_LEVELS: usize = 6;

pub const MISSING: u8 = 0;

// Level codes: pages say them in their own words (`linkage-level-…`).
const NAME: &[&str] = &[
    "missing",
    "exact",
    "swapped",
    "jaro-winkler-92",
    "jaro-winkler-80",
    "else",
];
const STREET: &[&str] = &[
    "missing",
    "exact",
    "one-edit",
    "two-edits",
    "street-name",
    "else",
];
const EDITS: &[&str] = &["missing", "exact", "one-edit", "two-edits", "else"];
const DATE: &[&str] = &["missing", "exact", "typo-or-swap", "same-year", "else"];

/// The codes of a field's levels, level 0 (missing) first.
pub fn levels(field: Field) -> &'static [&'static str] {
    match field {
        Field::GivenName | Field::FamilyName => NAME,
        Field::Street => STREET,
        Field::Postcode => EDITS,
        Field::BirthDate => DATE,
    }
}

/// The level records `a` and `b` reach in `field`.
pub fn compare(records: &Prepared, field: Field, a: usize, b: usize) -> u8 {
    level(records, field, a, b, &OnceCell::new())
}

/// [`compare`], with whether the names are swapped worked out at most once a pair
/// (both name fields ask).
fn level(records: &Prepared, field: Field, a: usize, b: usize, swapped: &OnceCell<bool>) -> u8 {
    let (Some(x), Some(y)) = (records.cell(field, a), records.cell(field, b)) else {
        return MISSING;
    };
    // Interned: equal numbers are equal text, and no string is touched.
    if x == y {
        return 1;
    }
    let (x, y) = (records.text(field, x), records.text(field, y));
    match field {
        Field::GivenName | Field::FamilyName => {
            if *swapped.get_or_init(|| names_swapped(records, a, b)) {
                return 2;
            }
            let jw = x.jaro_winkler(y, 0.80);
            if jw >= 0.92 {
                3
            } else if jw >= 0.80 {
                4
            } else {
                5
            }
        }
        Field::Street | Field::Postcode => match x.edits(y, 2) {
            1 => 2,
            2 => 3,
            _ if field == Field::Street => {
                let same = records.street_name(a).zip(records.street_name(b));
                if same.is_some_and(|(p, q)| p.edits(q, 1) <= 1) {
                    4
                } else {
                    5
                }
            }
            _ => 4,
        },
        Field::BirthDate => {
            if day_and_month_swapped(x.as_str(), y.as_str()) || x.edits(y, 1) <= 1 {
                2
            } else if x
                .as_str()
                .get(..4)
                .is_some_and(|year| y.as_str().get(..4) == Some(year))
            {
                3
            } else {
                4
            }
        }
    }
}

/// One record's given name is (nearly) the other's family name and the other way
/// round.
fn names_swapped(records: &Prepared, a: usize, b: usize) -> bool {
    let text = |field, r| records.cell(field, r).map(|v| records.text(field, v));
    let near = |x: Option<&Text>, y: Option<&Text>| {
        x.zip(y)
            .is_some_and(|(x, y)| x.as_str() == y.as_str() || x.jaro_winkler(y, 0.92) >= 0.92)
    };
    let (given, family) = (Field::GivenName, Field::FamilyName);
    near(text(given, a), text(family, b)) && near(text(family, a), text(given, b))
}

/// Day and month swapped: yyyymmdd against yyyyddmm (dates hold digits only).
fn day_and_month_swapped(x: &str, y: &str) -> bool {
    x.len() == 8 && y.len() == 8 && x[..4] == y[..4] && x[4..6] == y[6..8] && x[6..8] == y[4..6]
}

/// The levels of one pair in every field.
pub fn compare_pair(records: &Prepared, a: usize, b: usize) -> Levels {
    let swapped = OnceCell::new();
    Field::ALL.map(|f| level(records, f, a, b, &swapped))
}

/// The levels of every candidate pair, in the pairs' order; a share of the pairs
/// per core, as comparing is most of linking's work.
pub fn compare_all(records: &Prepared, pairs: &[(u32, u32)]) -> Vec<Levels> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let share = pairs.len().div_ceil(cores).max(10_000);
    super::cores::on_cores(pairs.chunks(share), |part| {
        part.iter()
            .map(|&(a, b)| compare_pair(records, a as usize, b as usize))
            .collect::<Vec<_>>()
    })
    .concat()
}
