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

/// One rule's pairs, and how many of its blocks were over the cap.
fn rule_pairs(records: &Prepared, rule: &Rule, cap: usize) -> (Vec<(u32, u32)>, usize) {
    // A prefix key maps each distinct value to the number of its head, once.
    let heads: Vec<Option<Vec<u32>>> = rule
        .0
        .iter()
        .map(|key| key.prefix.map(|n| heads(records, key.field, n)))
        .collect();
    let mut keyed: Vec<([u32; 5], u32)> = (0..records.len())
        .filter_map(|r| {
            let mut block = [u32::MAX; 5];
            for (slot, (key, heads)) in rule.0.iter().zip(&heads).enumerate() {
                let value = records.cell(key.field, r)?;
                block[slot] = heads.as_ref().map_or(value, |h| h[value as usize]);
            }
            Some((block, r as u32))
        })
        .collect();
    keyed.sort_unstable();
    let (mut pairs, mut skipped) = (Vec::new(), 0);
    for block in keyed.chunk_by(|x, y| x.0 == y.0) {
        if block.len() > cap {
            skipped += 1;
            continue;
        }
        for (i, &(_, a)) in block.iter().enumerate() {
            pairs.extend(block[i + 1..].iter().map(|&(_, b)| (a, b)));
        }
    }
    (pairs, skipped)
}

/// Per distinct value of `field`, the number of its first `n` characters.
fn heads(records: &Prepared, field: Field, n: usize) -> Vec<u32> {
    let mut seen: HashMap<&str, u32> = HashMap::new();
    records
        .texts(field)
        .iter()
        .map(|text| {
            let text = text.as_str();
            let head = text.char_indices().nth(n).map_or(text, |(i, _)| &text[..i]);
            let next = seen.len() as u32;
            *seen.entry(head).or_insert(next)
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
/// Blocks are runs of equal keys after a sort: no hashing of a million records.
pub fn candidates(records: &Prepared, rules: &[Rule], cap: usize) -> Candidates {
    // Each rule on a core of its own.
    let found = super::cores::on_cores(rules, |rule| rule_pairs(records, rule, cap));
    let skipped_blocks = found.iter().map(|(_, skipped)| skipped).sum();
    let mut pairs: Vec<(u32, u32)> = found.into_iter().flat_map(|(pairs, _)| pairs).collect();
    pairs.sort_unstable();
    pairs.dedup();
    Candidates {
        pairs,
        skipped_blocks,
    }
}
