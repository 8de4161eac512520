//! Blocking: which pairs of records are compared at all. A rule is a list of keys
//! (a field's value, or its first characters); two records are a candidate pair
//! when a rule's keys are equal for both. The candidates are the union over the
//! rules, each pair once.

use super::record::{Field, Prepared};
use crate::invalid::{Invalid, Reason};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;

/// One key of a blocking rule: a field's whole value, or its first `prefix` characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Key {
    pub field: Field,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<usize>,
}

/// Records whose keys are all equal (and present) are compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Rule(Vec<Key>);

impl Rule {
    /// From one to five keys, each field at most once.
    pub fn new(keys: Vec<Key>) -> Result<Self, Invalid> {
        if keys.is_empty() || keys.len() > Field::ALL.len() {
            return Err(Invalid::one(
                "rule",
                Reason::Entries {
                    low: 1,
                    high: Field::ALL.len(),
                },
            ));
        }
        for (i, k) in keys.iter().enumerate() {
            if keys[..i].iter().any(|o| o.field == k.field) {
                return Err(Invalid::one(
                    "rule",
                    Reason::Repeats {
                        value: k.field.to_string(),
                    },
                ));
            }
            if k.prefix == Some(0) {
                return Err(Invalid::one(k.field.as_str(), Reason::AtLeast { min: 1 }));
            }
        }
        Ok(Rule(keys))
    }

    /// Reads `given_name,family_name` or `family_name:3,birth_date` (`:n` keeps the
    /// first n characters).
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        let keys = text
            .split(',')
            .map(|part| {
                let part = part.trim();
                let (name, prefix) = match part.split_once(':') {
                    Some((name, n)) => (
                        name,
                        Some(
                            n.parse::<usize>()
                                .map_err(|_| Invalid::one(name, Reason::WholeNumber))?,
                        ),
                    ),
                    None => (part, None),
                };
                Ok(Key {
                    field: name.parse()?,
                    prefix,
                })
            })
            .collect::<Result<Vec<_>, Invalid>>()?;
        Rule::new(keys)
    }

    /// Rules for people's records: each pair of one person is likely to agree
    /// exactly on at least one of them even with a typo or two elsewhere.
    pub fn defaults() -> Vec<Rule> {
        ["given_name,family_name", "birth_date", "postcode", "street"]
            .into_iter()
            .map(|r| Rule::parse(r).expect("the default rules parse"))
            .collect()
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, k) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            match k.prefix {
                Some(n) => write!(f, "{}:{n}", k.field)?,
                None => write!(f, "{}", k.field)?,
            }
        }
        Ok(())
    }
}

/// The blocks record `index` is in, one text per rule whose keys it has: two records
/// are candidates exactly when they share one. Stored, they let a record that
/// arrives later find its candidates without blocking everyone again.
pub fn keys(records: &Prepared, rules: &[Rule], index: usize) -> Vec<String> {
    rules
        .iter()
        .enumerate()
        .filter_map(|(i, rule)| {
            let mut key = i.to_string();
            for k in &rule.0 {
                let text = records
                    .text(k.field, records.cell(k.field, index)?)
                    .as_str();
                let head = match k.prefix {
                    Some(n) => text.char_indices().nth(n).map_or(text, |(i, _)| &text[..i]),
                    None => text,
                };
                // A unit separator: no normalised value contains one.
                key.push('\u{1f}');
                key.push_str(head);
            }
            Some(key)
        })
        .collect()
}

/// The pairs to compare, as indexes into [`Prepared`] with `a < b`, sorted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Candidates {
    pub pairs: Vec<(u32, u32)>,
    /// Blocks larger than the cap, left out so one common value cannot make n² pairs.
    pub skipped_blocks: usize,
}

/// The union of the rules' pairs; a block of more than `cap` records is skipped.
pub fn candidates(records: &Prepared, rules: &[Rule], cap: usize) -> Candidates {
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let mut skipped_blocks = 0;
    for rule in rules {
        let mut prefixes: Vec<HashMap<&str, u32>> = vec![HashMap::new(); rule.0.len()];
        let mut blocks: HashMap<[u32; 5], Vec<u32>> = HashMap::new();
        'records: for r in 0..records.len() {
            let mut block = [u32::MAX; 5];
            for (slot, key) in rule.0.iter().enumerate() {
                let Some(value) = records.cell(key.field, r) else {
                    continue 'records;
                };
                block[slot] = match key.prefix {
                    None => value,
                    Some(n) => {
                        let text = records.text(key.field, value).as_str();
                        let head = text.char_indices().nth(n).map_or(text, |(i, _)| &text[..i]);
                        let seen = &mut prefixes[slot];
                        let next = seen.len() as u32;
                        *seen.entry(head).or_insert(next)
                    }
                };
            }
            blocks.entry(block).or_default().push(r as u32);
        }
        for members in blocks.values() {
            if members.len() > cap {
                skipped_blocks += 1;
                continue;
            }
            for (i, &a) in members.iter().enumerate() {
                pairs.extend(members[i + 1..].iter().map(|&b| (a, b)));
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    Candidates {
        pairs,
        skipped_blocks,
    }
}
