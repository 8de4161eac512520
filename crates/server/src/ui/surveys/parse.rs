//! The builder's posted forms as the core's input: the fields of a question form as a
//! `QuestionInput` (and which row each entry came from, so the core's reasons find
//! their inputs), the survey's details, and which form a change came from.

use crate::ui::forms::{Sent, error_name};
use axum::Form;
use axum::extract::rejection::FormRejection;
use motesplats_core::survey::{
    AnchorInput, ItemInput, OptionInput, Question, QuestionInput, QuestionKind, SurveyInput,
    TextInput,
};
use motesplats_core::{FieldError, Invalid, Lang, Reason};
use std::collections::{BTreeMap, BTreeSet};

/// The points between the ends that may be labelled (the ends have their own rows).
pub(super) const MIDDLE: std::ops::RangeInclusive<i64> = 2..=10;

/// A text typed per language (`{name}.sv`, `{name}.en`); absent when all are blank.
pub(super) fn texts(sent: &Sent, name: &str, langs: &[Lang]) -> Option<TextInput> {
    let m: BTreeMap<String, String> = langs
        .iter()
        .filter_map(|l| {
            sent.one(&format!("{name}.{}", l.as_str()))
                .map(|v| (l.as_str().to_string(), v.to_string()))
        })
        .collect();
    (!m.is_empty()).then_some(TextInput::PerLanguage(m))
}

/// A whole number typed into `name`; a bad one is named.
fn number(sent: &Sent, name: &str, bad: &mut Vec<FieldError>) -> Option<i64> {
    let raw = sent.one(name)?;
    match raw.trim().parse() {
        Ok(n) => Some(n),
        Err(_) => {
            bad.push(FieldError {
                field: name.to_string(),
                reason: Reason::WholeNumber,
            });
            None
        }
    }
}

/// Rows beyond this are not read: the core takes at most 50 statements or options.
const MAX_ROWS: usize = 100;

/// The numbered rows of `list` that were sent (`items.0.key`, `items.3.key`…), in
/// order; with `filled`, only those with something typed into them.
pub(super) fn rows_sent(sent: &Sent, list: &str, filled: bool) -> BTreeSet<usize> {
    let prefix = format!("{list}.");
    sent.fields
        .iter()
        .filter(|(_, v)| !filled || !v.trim().is_empty())
        .filter_map(|(n, _)| {
            n.strip_prefix(&prefix)?
                .split('.')
                .next()?
                .parse::<usize>()
                .ok()
        })
        .filter(|i| *i < MAX_ROWS)
        .collect()
}

/// Which form row each entry of a built list came from, so the core's
/// `anchors[1].label` finds its input again.
#[derive(Default)]
pub(super) struct Rows {
    anchors: Vec<String>,
    items: Vec<String>,
    options: Vec<String>,
}

impl Rows {
    /// A field of the core's question input, named as the form's inputs are.
    pub(super) fn rename(&self, field: &str) -> String {
        for (list, rows) in [
            ("anchors", &self.anchors),
            ("items", &self.items),
            ("options", &self.options),
        ] {
            let Some(rest) = field.strip_prefix(&format!("{list}[")) else {
                continue;
            };
            let Some((i, tail)) = rest.split_once(']') else {
                continue;
            };
            if let Some(row) = i.parse::<usize>().ok().and_then(|i| rows.get(i)) {
                return format!("{}{tail}", error_name(row));
            }
        }
        field.to_string()
    }
}

/// The fields each kind takes; the others on the form are ignored.
pub(super) fn applies(kind: &str, field: &str) -> bool {
    let fields: &[&str] = match kind {
        "scale" => &["points", "anchors"],
        "matrix" => &["points", "anchors", "items"],
        "open_text" => &["max_length"],
        "single_choice" => &["options"],
        "multiple_choice" => &["options", "min_selections", "max_selections"],
        _ => &[],
    };
    fields.contains(&field)
}

/// The anchor rows of a scale: the first point, the points between, the last point
/// (whatever the number of points is).
fn anchor_rows(points: Option<i64>) -> Vec<(String, Option<i64>)> {
    std::iter::once(("first".to_string(), Some(1)))
        .chain(MIDDLE.map(|p| (p.to_string(), Some(p))))
        .chain(std::iter::once(("last".to_string(), points)))
        .collect()
}

/// The question a question form describes. `was` is the question being edited: an
/// NPS or CSAT question keeps its labels (the form does not show them).
pub(super) fn question_from(
    sent: &Sent,
    langs: &[Lang],
    was: Option<&Question>,
) -> (QuestionInput, Rows, Vec<FieldError>) {
    let mut bad = Vec::new();
    let mut rows = Rows::default();
    let kind = sent.one("kind").unwrap_or_default().to_string();
    let mut q = QuestionInput {
        key: sent.one("key").map(|k| k.trim().to_string()),
        kind: (!kind.is_empty()).then(|| kind.clone()),
        text: texts(sent, "text", langs),
        required: Some(sent.has("required", "true")),
        ..QuestionInput::default()
    };
    if applies(&kind, "points") {
        q.points = number(sent, "points", &mut bad);
        let mut anchors = Vec::new();
        for (row, point) in anchor_rows(q.points) {
            // Without a number of points the last point is not known (the core says
            // the points are missing).
            if point.is_none() {
                continue;
            }
            let name = format!("anchors.{row}");
            if let Some(label) = texts(sent, &format!("{name}.label"), langs) {
                anchors.push(AnchorInput {
                    point,
                    label: Some(label),
                });
                rows.anchors.push(name);
            }
        }
        q.anchors = Some(anchors);
    }
    if let Some(QuestionKind::Nps { anchors } | QuestionKind::Csat { anchors }) =
        was.map(|w| &w.kind)
        && was.is_some_and(|w| w.kind.name() == kind)
    {
        q.anchors = Some(anchors.iter().map(|a| a.to_input(langs)).collect());
    }
    if applies(&kind, "items") {
        let mut items = Vec::new();
        for i in rows_sent(sent, "items", false) {
            let name = format!("items.{i}");
            let key = sent
                .one(&format!("{name}.key"))
                .map(|k| k.trim().to_string());
            let text = texts(sent, &format!("{name}.text"), langs);
            if key.is_some() || text.is_some() {
                items.push(ItemInput { key, text });
                rows.items.push(name);
            }
        }
        q.items = Some(items);
    }
    if applies(&kind, "options") {
        let mut options = Vec::new();
        for i in rows_sent(sent, "options", false) {
            let name = format!("options.{i}");
            let key = sent
                .one(&format!("{name}.key"))
                .map(|k| k.trim().to_string());
            let label = texts(sent, &format!("{name}.label"), langs);
            if key.is_some() || label.is_some() {
                options.push(OptionInput { key, label });
                rows.options.push(name);
            }
        }
        q.options = Some(options);
    }
    if applies(&kind, "min_selections") {
        q.min_selections = number(sent, "min_selections", &mut bad);
        q.max_selections = number(sent, "max_selections", &mut bad);
    }
    if applies(&kind, "max_length") {
        q.max_length = number(sent, "max_length", &mut bad);
    }
    (q, rows, bad)
}

/// The title, intro and context fields of the new-survey and details forms.
pub(super) fn context_from(sent: &Sent, langs: &[Lang], input: &mut SurveyInput) {
    input.title = texts(sent, "title", langs);
    input.intro = texts(sent, "intro", langs);
    input.phase = sent.one("phase").map(str::to_string);
    input.channel = sent.one("channel").map(str::to_string);
    input.touchpoint_kind = sent.one("touchpoint_kind").map(|k| k.trim().to_string());
}

/// A posted form as `form`'s fields, or why it could not be read (the page then
/// shows that form again, empty).
pub(super) fn sent(
    form: &str,
    fields: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> (Sent, Option<Invalid>) {
    let mut sent = Sent {
        form: form.to_string(),
        ..Sent::default()
    };
    match fields {
        Ok(Form(fields)) => {
            sent.fields = fields;
            (sent, None)
        }
        Err(e) => {
            let why = Invalid::one(
                "",
                Reason::Unreadable {
                    detail: e.body_text(),
                },
            );
            (sent, Some(why))
        }
    }
}

/// Which form on the page a posted change came from, so a refusal is drawn there.
pub(super) fn form_name(action: &str, fields: Option<&[(String, String)]>) -> String {
    let field = |name: &str| {
        fields
            .unwrap_or_default()
            .iter()
            .find(|(n, v)| n == name && !v.is_empty())
            .map(|(_, v)| v.clone())
    };
    match action {
        "question" => match field("_question") {
            Some(k) => format!("edit-{k}"),
            None => "add".into(),
        },
        "section-title" => format!("section-{}", field("_section").unwrap_or_default()),
        "move-up" | "move-down" | "remove" => "order".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(pairs: &[(&str, &str)]) -> Sent {
        Sent {
            form: "add".into(),
            fields: pairs
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            file: None,
        }
    }

    #[test]
    fn a_question_form_builds_the_api_input_and_ignores_other_kinds_fields() {
        let langs = [Lang::Sv, Lang::En];
        let (q, rows, bad) = question_from(
            &sent(&[
                ("kind", "matrix"),
                ("key", "aspects"),
                ("text.sv", "Hur väl stämmer det?"),
                ("text.en", "How well does it fit?"),
                ("points", "7"),
                ("anchors.first.label.sv", "Inte alls"),
                ("anchors.first.label.en", "Not at all"),
                ("anchors.4.label.sv", "Delvis"),
                ("anchors.4.label.en", "Partly"),
                ("anchors.last.label.sv", "Helt"),
                ("anchors.last.label.en", "Fully"),
                ("items.0.key", "coffee"),
                ("items.0.text.sv", "Kaffet"),
                ("items.0.text.en", "The coffee"),
                ("items.1.key", ""),
                ("items.2.key", "staff"),
                ("items.2.text.sv", "Personalen"),
                ("options.0.key", "ignored"),
                ("max_length", "12"),
            ]),
            &langs,
            None,
        );
        assert!(bad.is_empty());
        assert_eq!(q.points, Some(7));
        let points: Vec<_> = q
            .anchors
            .as_ref()
            .unwrap()
            .iter()
            .map(|a| a.point)
            .collect();
        assert_eq!(points, [Some(1), Some(4), Some(7)]);
        assert_eq!(q.items.as_ref().unwrap().len(), 2);
        assert!(q.options.is_none() && q.max_length.is_none());
        assert_eq!(rows.rename("items[1].text"), "items[2].text");
        assert_eq!(rows.rename("anchors[2].label"), "anchors.last.label");
        assert_eq!(rows.rename("anchors[1].point"), "anchors[4].point");
        // The core refuses the half-translated statement, named by its row.
        let e = q.parse(&langs).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| rows.rename(&f.field)).collect();
        assert_eq!(fields, ["items[2].text"]);
    }

    #[test]
    fn changes_are_named_by_the_form_they_came_from() {
        let fields = vec![("_question".to_string(), "welcome".to_string())];
        assert_eq!(form_name("question", Some(&fields)), "edit-welcome");
        assert_eq!(form_name("question", None), "add");
        assert_eq!(form_name("remove", Some(&fields)), "order");
    }
}
