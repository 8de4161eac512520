//! What the UI's forms share: a posted form as its fields ([`Sent`]), a refused form
//! with the core's reasons by field ([`Refused`]), and how a page draws a refused form
//! again ([`FormView`]): the values typed kept, a reason beside each input, the common
//! reasons in the page's language. The research board and the survey builder use them.

use super::i18n::Lang;
use axum::body::Bytes;
use motesplats_core::{FieldError, Invalid};
use std::fmt::Display;

/// A file posted with a form.
pub struct Upload {
    pub name: String,
    pub data: Bytes,
}

/// A posted form: which one, its fields in order, and its file if any.
#[derive(Default)]
pub struct Sent {
    pub form: String,
    pub fields: Vec<(String, String)>,
    pub file: Option<Upload>,
}

impl Sent {
    /// The first non-blank value of a field.
    pub fn one(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, v)| n == name && !v.trim().is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// Whether the field was sent with this value: a ticked box, a chosen option.
    pub fn has(&self, name: &str, value: &str) -> bool {
        self.fields.iter().any(|(n, v)| n == name && v == value)
    }
}

/// A form a page shows again: what was sent and why it was refused.
pub struct Refused {
    pub sent: Sent,
    pub errors: Vec<FieldError>,
    /// Someone else changed the card first; nothing was saved.
    pub conflict: bool,
}

impl Refused {
    pub fn new(sent: Sent, e: Invalid) -> Self {
        Refused {
            sent,
            errors: e.0,
            conflict: false,
        }
    }

    /// The reasons given for an input of the form, by its name (and for the inputs
    /// under it: `text` covers `text.sv`).
    pub fn reasons(&self, name: &str) -> Vec<&str> {
        let field = error_name(name);
        self.errors
            .iter()
            .filter(|e| {
                e.field == field
                    || e.field.starts_with(&format!("{field}["))
                    || e.field.starts_with(&format!("{field}."))
            })
            .map(|e| e.reason.as_str())
            .collect()
    }

    /// The reasons given for exactly this input, not those under it.
    pub fn reasons_here(&self, name: &str) -> Vec<&str> {
        let field = error_name(name);
        self.errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.reason.as_str())
            .collect()
    }
}

/// The name the core gives a form input in its errors: `moments.0.text:list`
/// becomes `moments[0].text`.
pub fn error_name(input: &str) -> String {
    let path = input.split(':').next().unwrap_or(input);
    let mut out = String::new();
    for segment in path.split('.') {
        if segment.parse::<usize>().is_ok() {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(segment);
        }
    }
    out
}

/// The id of a form's input in the page, from the input's name or the core's name
/// for it in an error (`moments.0.text` and `moments[0].text` both give
/// `f-story-moments-0-text`), so a summary of a refused form can link to the input.
/// A row of a list (`phases[1]`) gives the list's id.
pub fn field_id(form: &str, name: &str) -> String {
    let mut field = error_name(name);
    while let Some(rest) = field.strip_suffix(']').and_then(|f| f.rsplit_once('[')) {
        if !rest.1.chars().all(|c| c.is_ascii_digit()) {
            break;
        }
        field = rest.0.to_string();
    }
    std::iter::once("f")
        .chain(form.split(|c: char| !c.is_ascii_alphanumeric()))
        .chain(field.split(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// A refused form as the template asks about it: the value typed into an input, a
/// box that was ticked, the reasons for an input. Other forms draw empty.
///
/// A form drawn filled in (an existing question to edit) is a `Refused` with no
/// errors: its values are what the form starts with.
pub struct FormView {
    pub lang: Lang,
    pub refused: Option<Refused>,
}

impl FormView {
    fn mine(&self, form: &str) -> Option<&Refused> {
        self.refused.as_ref().filter(|r| r.sent.form == form)
    }

    pub fn value(&self, form: &str, name: impl Display) -> String {
        self.value_or(form, name, "")
    }

    /// What was typed into a refused form, else the value the form starts with.
    pub fn value_or(&self, form: &str, name: impl Display, start: &str) -> String {
        match self.mine(form) {
            Some(r) => r
                .sent
                .one(&name.to_string())
                .unwrap_or_default()
                .to_string(),
            None => start.to_string(),
        }
    }

    pub fn ticked(&self, form: &str, name: impl Display, value: &str) -> bool {
        self.mine(form)
            .is_some_and(|r| r.sent.has(&name.to_string(), value))
    }

    /// The reasons for an input, in the page's language where the reason is a
    /// common one.
    pub fn error(&self, form: &str, name: impl Display) -> String {
        self.mine(form)
            .map(|r| self.said(&r.reasons(&name.to_string())))
            .unwrap_or_default()
    }

    /// The reasons for exactly this input (a list as a whole, not its rows).
    pub fn error_here(&self, form: &str, name: impl Display) -> String {
        self.mine(form)
            .map(|r| self.said(&r.reasons_here(&name.to_string())))
            .unwrap_or_default()
    }

    fn said(&self, reasons: &[&str]) -> String {
        reasons
            .iter()
            .map(|reason| say(self.lang, reason))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The id of an input of a form, for a summary's link to it.
    pub fn field_id(&self, form: &str, name: impl Display) -> String {
        field_id(form, &name.to_string())
    }

    /// The name of the refused form, if one was.
    pub fn refused_form(&self) -> Option<&str> {
        self.refused
            .as_ref()
            .filter(|r| r.conflict || !r.errors.is_empty())
            .map(|r| r.sent.form.as_str())
    }

    /// Every problem of the form with the id it links to: the input it is about,
    /// or the form itself when it is about no one input.
    pub fn linked_problems(&self, form: &str) -> Vec<(String, String)> {
        let Some(r) = self.mine(form) else {
            return Vec::new();
        };
        let fields: Vec<&str> = if r.conflict {
            vec![""]
        } else {
            r.errors.iter().map(|e| e.field.as_str()).collect()
        };
        fields
            .into_iter()
            .zip(self.problems(form))
            .map(|(field, text)| match field {
                "" => (format!("form-{form}"), text),
                field => (field_id(form, field), text),
            })
            .collect()
    }

    /// Every problem of the form, for the summary at its top.
    pub fn problems(&self, form: &str) -> Vec<String> {
        let Some(r) = self.mine(form) else {
            return Vec::new();
        };
        if r.conflict {
            return vec![self.lang.t("form-conflict")];
        }
        r.errors
            .iter()
            .map(|e| {
                let field = e.field.trim_start_matches('_');
                if field.is_empty() {
                    say(self.lang, &e.reason)
                } else {
                    format!("{field}: {}", say(self.lang, &e.reason))
                }
            })
            .collect()
    }
}

/// The whole numbers in a reason, such as the ends of a range.
fn numbers(reason: &str) -> Vec<i64> {
    reason
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect()
}

/// The common reasons in the page's language; the rest as the core words them.
pub fn say(lang: Lang, reason: &str) -> String {
    let key = if reason.starts_with("is required") {
        "form-required"
    } else if reason == "must not be empty" || reason.starts_with("is empty") {
        "form-empty"
    } else if reason.starts_with("must be at most") {
        "form-too-long"
    } else if reason.starts_with("must not contain control") {
        "form-control"
    } else if reason.starts_with("unknown value") {
        "form-unknown-value"
    } else if reason.contains("not an image")
        || reason.contains("cannot be read")
        || reason.contains("damaged")
    {
        "form-not-image"
    } else if reason.contains("larger than") || reason.contains("may be at most") {
        "form-too-large"
    } else if reason.contains("names nothing") || reason.starts_with("no ") {
        "form-names-nothing"
    } else if let Some(key) = say_survey(reason) {
        key
    } else {
        return say_with_numbers(lang, reason).unwrap_or_else(|| reason.to_string());
    };
    lang.t(key)
}

/// The reasons of survey definitions that need no numbers.
fn say_survey(reason: &str) -> Option<&'static str> {
    let key = if reason.starts_with("must be 1 to 40 characters: a lower-case letter") {
        "form-key"
    } else if reason.starts_with("must be 1 to 60 characters: a lower-case letter") {
        "form-kind-key"
    } else if reason.starts_with("must be 2 to 40 characters: a lower-case letter") {
        "form-channel-key"
    } else if reason.starts_with("repeats the key") {
        "form-repeats-key"
    } else if reason == "repeats a language" {
        "form-repeats-language"
    } else if reason.starts_with("unknown channel") {
        "form-unknown-channel"
    } else if reason.starts_with("unknown language") || reason.starts_with("unknown kind") {
        "form-unknown-value"
    } else if reason == "needs a text in sv" {
        "form-needs-sv"
    } else if reason == "needs a text in en" {
        "form-needs-en"
    } else if reason.starts_with("cannot change from") {
        "form-kind-kept"
    } else if reason.starts_with("cannot change the scale") {
        "form-scale-kept"
    } else if reason.starts_with("cannot go back to draft") {
        "form-no-draft"
    } else if reason.starts_with("a draft must be opened") {
        "form-open-first"
    } else if reason == "must not be negative" {
        "form-negative"
    } else if reason == "must be a whole number" {
        "form-number"
    } else if reason == "is not one of the sections" {
        "form-no-section"
    } else if reason == "the survey needs at least one question" {
        "form-last-question"
    } else {
        return None;
    };
    Some(key)
}

/// Reasons that carry numbers, such as "must be from 2 to 11".
fn say_with_numbers(lang: Lang, reason: &str) -> Option<String> {
    let mut n = numbers(reason);
    let (key, names): (&str, &[&'static str]) =
        if reason.starts_with("must label at least both ends") {
            ("form-anchor-ends", &["low", "high"])
        } else if reason.starts_with("must be from 1 to the number of options") {
            n.drain(..n.len().saturating_sub(1));
            ("form-max-selections", &["max"])
        } else if reason.starts_with("must be from") {
            ("form-range", &["low", "high"])
        } else if reason.starts_with("must have from") && reason.ends_with("entries") {
            ("form-entries", &["low", "high"])
        } else if reason.starts_with("repeats point") {
            ("form-repeats-point", &["point"])
        } else if reason.starts_with("must not exceed max_selections") {
            ("form-min-over-max", &["max"])
        } else {
            return None;
        };
    if n.len() < names.len() {
        return None;
    }
    let args: Vec<(&'static str, i64)> = names.iter().copied().zip(n).collect();
    Some(lang.t_with(key, &args))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_links_to_the_id_of_its_input() {
        let input = field_id("story", "moments.0.text");
        assert_eq!(input, "f-story-moments-0-text");
        assert_eq!(field_id("story", "moments[0].text"), input);
        assert_eq!(
            field_id("function", "phases[1]"),
            field_id("function", "phases:list")
        );
        assert_eq!(field_id("story-moment", "_story"), "f-story-moment-story");
    }

    #[test]
    fn errors_find_their_inputs() {
        assert_eq!(error_name("moments.0.text"), "moments[0].text");
        assert_eq!(error_name("phases:list"), "phases");
        let refused = Refused::new(
            Sent::default(),
            Invalid(vec![
                FieldError {
                    field: "phases[1]".into(),
                    reason: "unknown".into(),
                },
                FieldError {
                    field: "moments[0].text".into(),
                    reason: "must not be empty".into(),
                },
                FieldError {
                    field: "moments".into(),
                    reason: "must have from 1 to 50 entries".into(),
                },
            ]),
        );
        assert_eq!(refused.reasons("phases:list"), ["unknown"]);
        assert_eq!(refused.reasons("moments.0.text"), ["must not be empty"]);
        assert!(refused.reasons("moments.0.phase").is_empty());
        assert_eq!(refused.reasons("moments").len(), 2);
        assert_eq!(
            refused.reasons_here("moments"),
            ["must have from 1 to 50 entries"]
        );
    }

    #[test]
    fn common_reasons_are_said_in_the_page_language() {
        assert_eq!(say(Lang::Sv, "is required"), "måste fyllas i");
        assert_eq!(
            say(Lang::Sv, "must label at least both ends, 1 and 5"),
            "måste ha etiketter för åtminstone båda ändarna, 1 och 5"
        );
        assert_eq!(
            say(Lang::En, "must be from 2 to 11"),
            "must be from 2 to 11"
        );
        assert_eq!(
            say(Lang::Sv, "must be from 2 to 11"),
            "måste vara från 2 till 11"
        );
        assert!(
            say(
                Lang::Sv,
                "must be 1 to 40 characters: a lower-case letter, then lower-case letters, digits or _"
            )
            .contains("liten bokstav")
        );
        assert_eq!(say(Lang::Sv, "something new"), "something new");
    }
}
