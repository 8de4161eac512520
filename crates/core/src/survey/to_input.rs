//! A checked survey as the input that would make it again. The builder changes a
//! survey by editing this input and revising it, so every change passes the same
//! gate as the API's (`Survey::revise`).

use super::definition::{
    Anchor, AnchorInput, ChoiceOption, ItemInput, LocalText, OptionInput, Question, QuestionInput,
    QuestionKind, SectionInput, Survey, SurveyInput, TextInput,
};
use crate::lang::Lang;

impl Survey {
    /// The input that makes this survey again: `revise(&s.to_input(), false) == s`.
    pub fn to_input(&self) -> SurveyInput {
        let langs = self.languages.as_slice();
        SurveyInput {
            title: Some(self.title.to_input(langs)),
            languages: Some(self.languages.iter().map(|l| l.as_str().into()).collect()),
            intro: self.intro.as_ref().map(|t| t.to_input(langs)),
            phase: self.context.phase.map(|p| p.as_str().into()),
            channel: self.context.channel.as_ref().map(|c| c.as_str().into()),
            touchpoint_kind: self
                .context
                .touchpoint_kind
                .as_ref()
                .map(|k| k.as_str().into()),
            sections: Some(
                self.sections
                    .iter()
                    .map(|sec| SectionInput {
                        title: sec.title.as_ref().map(|t| t.to_input(langs)),
                        questions: Some(sec.questions.iter().map(|q| q.to_input(langs)).collect()),
                    })
                    .collect(),
            ),
        }
    }
}

impl Question {
    /// The input that makes this question again in a survey of `langs`.
    pub fn to_input(&self, langs: &[Lang]) -> QuestionInput {
        let mut i = QuestionInput {
            key: Some(self.key.to_string()),
            kind: Some(self.kind.name().to_string()),
            text: Some(self.text.to_input(langs)),
            required: Some(self.required),
            ..QuestionInput::default()
        };
        let anchors = |a: &[Anchor]| Some(a.iter().map(|a| a.to_input(langs)).collect());
        match &self.kind {
            QuestionKind::Scale { points, anchors: a } => {
                i.points = Some(i64::from(*points));
                i.anchors = anchors(a);
            }
            QuestionKind::Matrix {
                points,
                anchors: a,
                items,
            } => {
                i.points = Some(i64::from(*points));
                i.anchors = anchors(a);
                i.items = Some(
                    items
                        .iter()
                        .map(|it| ItemInput {
                            key: Some(it.key.to_string()),
                            text: Some(it.text.to_input(langs)),
                        })
                        .collect(),
                );
            }
            QuestionKind::OpenText { max_length } => i.max_length = Some(*max_length as i64),
            QuestionKind::SingleChoice { options } => i.options = Some(options_in(options, langs)),
            QuestionKind::MultipleChoice {
                options,
                min_selections,
                max_selections,
            } => {
                i.options = Some(options_in(options, langs));
                i.min_selections = Some(*min_selections as i64);
                i.max_selections = Some(*max_selections as i64);
            }
            QuestionKind::Nps { anchors: a } | QuestionKind::Csat { anchors: a } => {
                i.anchors = anchors(a);
            }
        }
        i
    }
}

impl Anchor {
    /// The input of this labelled point in a survey of `langs`.
    pub fn to_input(&self, langs: &[Lang]) -> AnchorInput {
        AnchorInput {
            point: Some(i64::from(self.point)),
            label: Some(self.label.to_input(langs)),
        }
    }
}

impl LocalText {
    /// The text per language, in the survey's languages.
    pub fn to_input(&self, langs: &[Lang]) -> TextInput {
        TextInput::PerLanguage(
            langs
                .iter()
                .filter_map(|l| {
                    self.get(*l)
                        .map(|s| (l.as_str().to_string(), s.to_string()))
                })
                .collect(),
        )
    }
}

fn options_in(options: &[ChoiceOption], langs: &[Lang]) -> Vec<OptionInput> {
    options
        .iter()
        .map(|o| OptionInput {
            key: Some(o.key.to_string()),
            label: Some(o.label.to_input(langs)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::definition::tests::cafe_input;
    use super::*;
    use crate::survey::SurveyStatus;
    use serde_json::json;
    use std::collections::BTreeSet;

    /// A survey whose input round-trips, and each of its questions on its own.
    fn round_trips(s: &Survey) {
        assert_eq!(&s.revise(&s.to_input(), false).unwrap(), s);
        for q in s.questions() {
            assert_eq!(&q.to_input(&s.languages).parse(&s.languages).unwrap(), q);
        }
    }

    #[test]
    fn every_kind_of_question_comes_back_from_its_input() {
        let cafe = Survey::parse(&cafe_input()).unwrap();
        let kinds: BTreeSet<&str> = cafe.questions().map(|q| q.kind.name()).collect();
        assert_eq!(kinds, QuestionKind::NAMES.iter().copied().collect());
        round_trips(&cafe);
        // Once open, a survey keeps its status and version through its input.
        let open = cafe.with_status(SurveyStatus::Open).unwrap();
        round_trips(&open);
        assert_eq!(
            Survey::parse(&cafe.to_input()).unwrap().sections,
            cafe.sections
        );
    }

    #[test]
    fn own_labels_one_language_and_no_context_come_back_too() {
        let s = Survey::parse(
            &serde_json::from_value(json!({
                "title": "The visit", "languages": ["en"],
                "sections": [{"questions": [
                    {"key": "recommend", "kind": "nps", "text": "Recommend us?",
                     "anchors": [{"point": 0, "label": "Never"}, {"point": 10, "label": "At once"}]},
                    {"key": "overall", "kind": "csat", "required": true, "text": "Happy?"},
                    {"key": "welcome", "kind": "scale", "points": 7, "text": "Welcome?",
                     "anchors": [{"point": 1, "label": "No"}, {"point": 4, "label": "So-so"},
                                 {"point": 7, "label": "Yes"}]},
                    {"key": "extras", "kind": "multiple_choice", "min_selections": 1,
                     "max_selections": 1, "text": "More?",
                     "options": [{"key": "wifi", "label": "Wi-fi"}, {"key": "tea", "label": "Tea"}]},
                    {"key": "comment", "kind": "open_text", "text": "Anything else?"}
                ]}, {"title": "Finally", "questions": [
                    {"key": "again", "kind": "single_choice", "text": "Again?",
                     "options": [{"key": "yes", "label": "Yes"}, {"key": "no", "label": "No"}]}
                ]}]
            }))
            .unwrap(),
        )
        .unwrap();
        assert!(s.intro.is_none() && s.context.phase.is_none());
        round_trips(&s);
    }
}
