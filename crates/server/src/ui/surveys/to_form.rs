//! A survey as the fields of the builder's forms, the values they start with.

use motesplats_core::Lang;
use motesplats_core::survey::{Anchor, LocalText, Question, QuestionKind, Survey};

/// The fields of a question as its edit form starts.
pub(super) fn question_fields(q: &Question, langs: &[Lang]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![
        ("_question".into(), q.key.to_string()),
        ("kind".into(), q.kind.name().into()),
        ("key".into(), q.key.to_string()),
        ("points".into(), "5".into()),
    ];
    if q.required {
        out.push(("required".into(), "true".into()));
    }
    let text = |out: &mut Vec<(String, String)>, name: &str, t: &LocalText| {
        for l in langs {
            if let Some(v) = t.get(*l) {
                out.push((format!("{name}.{}", l.as_str()), v.to_string()));
            }
        }
    };
    text(&mut out, "text", &q.text);
    let anchors = |out: &mut Vec<(String, String)>, points: i32, anchors: &[Anchor]| {
        out.retain(|(n, _)| n != "points");
        out.push(("points".into(), points.to_string()));
        for a in anchors {
            let row = if a.point == 1 {
                "first".to_string()
            } else if a.point == points {
                "last".to_string()
            } else {
                a.point.to_string()
            };
            text(out, &format!("anchors.{row}.label"), &a.label);
        }
    };
    let options = |out: &mut Vec<(String, String)>,
                   options: &[motesplats_core::survey::ChoiceOption]| {
        for (i, o) in options.iter().enumerate() {
            out.push((format!("options.{i}.key"), o.key.to_string()));
            text(out, &format!("options.{i}.label"), &o.label);
        }
    };
    match &q.kind {
        QuestionKind::Scale { points, anchors: a } => anchors(&mut out, *points, a),
        QuestionKind::Matrix {
            points,
            anchors: a,
            items,
        } => {
            anchors(&mut out, *points, a);
            for (i, it) in items.iter().enumerate() {
                out.push((format!("items.{i}.key"), it.key.to_string()));
                text(&mut out, &format!("items.{i}.text"), &it.text);
            }
        }
        QuestionKind::OpenText { max_length } => {
            out.push(("max_length".into(), max_length.to_string()))
        }
        QuestionKind::SingleChoice { options: o } => options(&mut out, o),
        QuestionKind::MultipleChoice {
            options: o,
            min_selections,
            max_selections,
        } => {
            options(&mut out, o);
            out.push(("min_selections".into(), min_selections.to_string()));
            out.push(("max_selections".into(), max_selections.to_string()));
        }
        QuestionKind::Nps { .. } | QuestionKind::Csat { .. } => {}
    }
    out
}

/// The agreement labels a new scale starts with, in the survey's languages.
pub(super) fn agreement(langs: &[Lang]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for l in langs {
        let (low, high) = match l {
            Lang::Sv => ("Instämmer inte alls", "Instämmer helt"),
            Lang::En => ("Strongly disagree", "Strongly agree"),
        };
        out.push((
            format!("anchors.first.label.{}", l.as_str()),
            low.to_string(),
        ));
        out.push((
            format!("anchors.last.label.{}", l.as_str()),
            high.to_string(),
        ));
    }
    out
}

/// The title, intro and journey context as the details form starts.
pub(super) fn details_fields(survey: &Survey) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for lg in &survey.languages {
        if let Some(v) = survey.title.get(*lg) {
            out.push((format!("title.{}", lg.as_str()), v.to_string()));
        }
        if let Some(v) = survey.intro.as_ref().and_then(|t| t.get(*lg)) {
            out.push((format!("intro.{}", lg.as_str()), v.to_string()));
        }
    }
    if let Some(p) = survey.context.phase {
        out.push(("phase".into(), p.as_str().into()));
    }
    if let Some(c) = &survey.context.channel {
        out.push(("channel".into(), c.as_str().into()));
    }
    if let Some(k) = &survey.context.touchpoint_kind {
        out.push(("touchpoint_kind".into(), k.as_str().into()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::forms::Sent;
    use crate::ui::surveys::parse::question_from;

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
    fn every_question_goes_back_into_the_form_it_came_from() {
        let survey = Survey::parse(
            &serde_json::from_value(serde_json::json!({
                "title": {"sv": "Besöket", "en": "The visit"}, "languages": ["sv", "en"],
                "sections": [{"questions": [
                    {"key": "welcome", "kind": "scale", "points": 5, "text": {"sv": "Välkommen?", "en": "Welcome?"},
                     "anchors": [{"point": 1, "label": {"sv": "Nej", "en": "No"}},
                                 {"point": 3, "label": {"sv": "Så där", "en": "So-so"}},
                                 {"point": 5, "label": {"sv": "Ja", "en": "Yes"}}]},
                    {"key": "extras", "kind": "multiple_choice", "max_selections": 1, "text": {"sv": "Mer?", "en": "More?"},
                     "options": [{"key": "wifi", "label": {"sv": "Wifi", "en": "Wi-fi"}},
                                 {"key": "tea", "label": {"sv": "Te", "en": "Tea"}}]}
                ]}]
            }))
            .unwrap(),
        )
        .unwrap();
        for q in survey.questions() {
            let fields = question_fields(q, &survey.languages);
            let refs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            let (input, _, bad) = question_from(&sent(&refs), &survey.languages, Some(q));
            assert!(bad.is_empty());
            assert_eq!(&input.parse(&survey.languages).unwrap(), q);
        }
    }
}
