//! Small helpers shared by the `parse` functions: loose `Option` fields in, checked
//! values out, every problem recorded under its field name.

use crate::invalid::{Checker, Invalid, Reason, text};
use crate::value::{ValueLandscape, ValueLandscapeInput};

/// Names, titles and labels.
pub const NAME_MAX: usize = 200;
/// Story moments, answers, reasons, reflections.
pub const TEXT_MAX: usize = 2000;

/// A required free-text field.
pub(crate) fn required_text(
    c: &mut Checker,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    c.required(field, value)
        .and_then(|v| c.take(text(field, v, max)))
}

/// An optional free-text field: absent or blank means none.
pub(crate) fn optional_text(
    c: &mut Checker,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    value
        .filter(|v| !v.trim().is_empty())
        .and_then(|v| c.take(text(field, v, max)))
}

/// A required word from a closed vocabulary.
pub(crate) fn required_word<T>(
    c: &mut Checker,
    field: &str,
    value: Option<&str>,
    parse: impl Fn(&str) -> Result<T, Invalid>,
) -> Option<T> {
    c.required(field, value)
        .and_then(|v| c.take(parse(v).map_err(|e| e.within(field))))
}

/// An optional word from a closed vocabulary.
pub(crate) fn optional_word<T>(
    c: &mut Checker,
    field: &str,
    value: Option<&str>,
    parse: impl Fn(&str) -> Result<T, Invalid>,
) -> Option<T> {
    value.and_then(|v| c.take(parse(v).map_err(|e| e.within(field))))
}

/// A list of vocabulary words, sorted and without repeats; `field[i]` names a bad one.
pub(crate) fn word_list<T: Ord>(
    c: &mut Checker,
    field: &str,
    values: &[String],
    parse: impl Fn(&str) -> Result<T, Invalid>,
) -> Vec<T> {
    let mut out: Vec<T> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| c.take(parse(v).map_err(|e| e.within(&format!("{field}[{i}]")))))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A list of ids that must each be known, in the given order without repeats;
/// `field[i]` names an unknown one. `what` is the thing's key word for
/// [`Reason::NotInProject`]: member, function, image, evidence.
pub(crate) fn known_ids<T: Copy + PartialEq>(
    c: &mut Checker,
    field: &str,
    ids: &[T],
    known: impl Fn(T) -> bool,
    what: &str,
) -> Vec<T> {
    let mut out = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        if !known(*id) {
            c.fail(
                format!("{field}[{i}]"),
                Reason::NotInProject { what: what.into() },
            );
        } else if !out.contains(id) {
            out.push(*id);
        }
    }
    out
}

/// An optional value-landscape placement; bad words are named as `landscape.settings[0]`.
pub(crate) fn landscape(c: &mut Checker, input: Option<&ValueLandscapeInput>) -> ValueLandscape {
    input
        .and_then(|l| c.take(l.parse().map_err(|e| e.within("landscape"))))
        .unwrap_or_default()
}
