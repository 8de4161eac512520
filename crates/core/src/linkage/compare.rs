//! Comparison levels: how alike two records are in one field, as a small number.
//! Level 0 is "missing" (either side has no value: no evidence either way), level 1
//! is an exact match, the last level is "else"; between them, degrees of nearness.
//!
//! Names: Jaro-Winkler at least 0.92, then at least 0.80. The lower level is 0.80
//! rather than 0.88 because one typo in a short name (`jack`/`jakc`, `emily`/`emiily`)
//! often lands between the two, and the trained weight of a level, not its bound,
//! decides how much it counts: a wide level that true pairs reach earns its weight.
//! Streets and postcodes: at most one, then two edits (Levenshtein). Birth dates:
//! one typo in the yyyymmdd text or day and month swapped, then the same year.

use super::record::{Field, Prepared};

/// The levels a pair reached, one per field in [`Field::ALL`] order.
pub type Levels = [u8; 5];

pub const MISSING: u8 = 0;

const NAME: &[&str] = &[
    "missing",
    "exact",
    "jaro-winkler ≥ 0.92",
    "jaro-winkler ≥ 0.80",
    "else",
];
const EDITS: &[&str] = &["missing", "exact", "one edit", "two edits", "else"];
const DATE: &[&str] = &[
    "missing",
    "exact",
    "one typo or day and month swapped",
    "same year",
    "else",
];

/// The names of a field's levels, level 0 (missing) first.
pub fn levels(field: Field) -> &'static [&'static str] {
    match field {
        Field::GivenName | Field::FamilyName => NAME,
        Field::Street | Field::Postcode => EDITS,
        Field::BirthDate => DATE,
    }
}

/// The level records `a` and `b` reach in `field`.
pub fn compare(records: &Prepared, field: Field, a: usize, b: usize) -> u8 {
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
            let jw = strsim::jaro_winkler(x, y);
            if jw >= 0.92 {
                2
            } else if jw >= 0.80 {
                3
            } else {
                4
            }
        }
        Field::Street | Field::Postcode => {
            // A length gap of more than two is more than two edits: skip the table.
            if x.chars().count().abs_diff(y.chars().count()) > 2 {
                return 4;
            }
            match strsim::levenshtein(x, y) {
                1 => 2,
                2 => 3,
                _ => 4,
            }
        }
        Field::BirthDate => {
            if swapped(x, y) || strsim::levenshtein(x, y) <= 1 {
                2
            } else if x.len() >= 4 && y.len() >= 4 && x[..4] == y[..4] {
                3
            } else {
                4
            }
        }
    }
}

/// Day and month swapped: yyyymmdd against yyyyddmm (dates hold digits only).
fn swapped(x: &str, y: &str) -> bool {
    x.len() == 8 && y.len() == 8 && x[..4] == y[..4] && x[4..6] == y[6..8] && x[6..8] == y[4..6]
}

/// The levels of one pair in every field.
pub fn compare_pair(records: &Prepared, a: usize, b: usize) -> Levels {
    Field::ALL.map(|f| compare(records, f, a, b))
}

/// The levels of every candidate pair, in the pairs' order.
pub fn compare_all(records: &Prepared, pairs: &[(u32, u32)]) -> Vec<Levels> {
    pairs
        .iter()
        .map(|&(a, b)| compare_pair(records, a as usize, b as usize))
        .collect()
}
