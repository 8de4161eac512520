//! What the UI's forms share: a posted form as its fields ([`Sent`]), a refused form
//! with the core's reasons by field ([`Refused`]), and how a page draws a refused form
//! again ([`FormView`]): the values typed kept, a reason beside each input in the
//! page's language. The research board and the survey builder use them.

use super::i18n::Lang;
use crate::ui::i18n::Messages;
use axum::body::Bytes;
use motesplats_core::{FieldError, Invalid, Reason};
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
    pub fn reasons(&self, name: &str) -> Vec<&Reason> {
        let field = error_name(name);
        self.errors
            .iter()
            .filter(|e| {
                e.field == field
                    || e.field.starts_with(&format!("{field}["))
                    || e.field.starts_with(&format!("{field}."))
            })
            .map(|e| &e.reason)
            .collect()
    }

    /// The reasons given for exactly this input, not those under it.
    pub fn reasons_here(&self, name: &str) -> Vec<&Reason> {
        let field = error_name(name);
        self.errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| &e.reason)
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

    /// The reasons for an input, in the page's language.
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

    fn said(&self, reasons: &[&Reason]) -> String {
        reasons
            .iter()
            .map(|reason| self.lang.reason(reason))
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
                    self.lang.reason(&e.reason)
                } else {
                    format!("{field}: {}", self.lang.reason(&e.reason))
                }
            })
            .collect()
    }
}

/// One choice of a select, a radio group or a row of tick boxes.
pub struct Opt {
    pub value: String,
    pub label: String,
    /// What the word means, for a team new to the method (empty for plain choices).
    pub hint: &'static str,
}

impl Opt {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Opt {
        Opt {
            value: value.into(),
            label: label.into(),
            hint: "",
        }
    }
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
                    reason: Reason::Required,
                },
                FieldError {
                    field: "moments[0].text".into(),
                    reason: Reason::Empty,
                },
                FieldError {
                    field: "moments".into(),
                    reason: Reason::Entries { low: 1, high: 50 },
                },
            ]),
        );
        assert_eq!(refused.reasons("phases:list"), [&Reason::Required]);
        assert_eq!(refused.reasons("moments.0.text"), [&Reason::Empty]);
        assert!(refused.reasons("moments.0.phase").is_empty());
        assert_eq!(refused.reasons("moments").len(), 2);
        assert_eq!(
            refused.reasons_here("moments"),
            [&Reason::Entries { low: 1, high: 50 }]
        );
    }
}
