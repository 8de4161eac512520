//! A survey's results as one typed value, so the API, the CSV, the page and the CLI
//! all show the same figures.
//!
//! Every figure comes from [`super::stats`]. Two choices are made here, not there:
//! - a mean's interval is clipped to the scale (a mean of 1–5 answers cannot lie
//!   outside 1–5, while the Student-t interval of two answers easily does);
//! - a question answered by fewer than [`MIN_N`] respondents is marked `too_few`, so
//!   readers are told not to draw conclusions; its figures stay available.

use super::{
    Answer, Descriptives, Nps, PointCount, Proportion, Question, QuestionKind, Response, Scale,
    Split, Survey, describe, nps, scale_values, top_two_box,
};
use crate::Provider;
use serde::Serialize;
use utoipa::ToSchema;

/// Fewer respondents than this to a question are "too few answers to say".
pub const MIN_N: usize = 5;

/// The results of a survey's responses, overall and, with a split, per group.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SurveyResults {
    #[schema(value_type = String, format = Uuid)]
    pub survey_id: super::SurveyId,
    pub version: u32,
    /// Responses counted.
    pub responses: usize,
    /// Confidence level of every interval, such as 0.95.
    pub level: f64,
    /// Below this many respondents a question is `too_few`.
    pub min_n: usize,
    pub questions: Vec<QuestionResult>,
    /// The word of the split the responses were split by (`channel`, `week`,
    /// `segment:<id>`, ...), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split: Option<String>,
    /// With a split: the results of each of its groups, `unknown` last.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub splits: Vec<GroupResults>,
}

/// The results of one group of a split.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct GroupResults {
    /// The split value (`store`, `after`, `2026-W48`, `in`, `out`, …) or `unknown`.
    pub value: String,
    pub label: String,
    pub responses: usize,
    pub questions: Vec<QuestionResult>,
}

/// One question's figures.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct QuestionResult {
    pub key: String,
    /// The question kind: `scale`, `matrix`, `nps`, `csat`, `single_choice`,
    /// `multiple_choice` or `open_text`.
    pub kind: String,
    /// Respondents who answered it.
    pub n: usize,
    /// `n` is below `min_n`: too few answers to say anything; the figures are still
    /// given. Never set for open text, whose answers are read rather than summed up.
    pub too_few: bool,
    pub figures: Figures,
}

/// The figures of a question, by kind.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Figures {
    /// Scale, CSAT, NPS and matrix questions: one entry per item (one for all but matrix).
    Scale { scale: Scale, items: Vec<ScaleItem> },
    /// Single and multiple choice: every option in the question's order.
    Choice { options: Vec<OptionCount> },
    /// Open text: only `n` (the answers themselves are read on the coding page).
    OpenText,
}

/// The figures of one scale item.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ScaleItem {
    /// The matrix item's key; absent for a question with a single scale.
    pub item: Option<String>,
    /// Answers to it.
    pub n: usize,
    pub too_few: bool,
    /// Every point of the scale, those nobody chose too; shares are 0 without answers.
    pub distribution: Vec<PointCount>,
    /// Mean, median, sd and the Student-t interval clipped to the scale; absent with
    /// fewer than two answers.
    pub describe: Option<Descriptives>,
    /// Share of the top two points with its Wilson interval; absent without answers.
    pub top_two_box: Option<Proportion>,
    /// NPS questions only; absent without answers.
    pub nps: Option<Nps>,
}

/// How many respondents chose one option.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OptionCount {
    pub key: String,
    pub count: u64,
    /// count / n of the question (0 without answers); multiple choice shares may sum
    /// to more than 1.
    pub share: f64,
}

impl SurveyResults {
    /// The results of `responses` to `survey`; with `split`, per group too (labelled
    /// in the survey's first language).
    pub fn of(
        survey: &Survey,
        provider: &Provider,
        responses: &[Response],
        split: Option<Split>,
        level: f64,
    ) -> SurveyResults {
        let all: Vec<&Response> = responses.iter().collect();
        let splits = split
            .map(|s| {
                s.groups(survey, provider, responses)
                    .into_iter()
                    .map(|g| GroupResults {
                        label: s.label(survey, provider, &g.value, survey.languages[0]),
                        responses: g.responses.len(),
                        questions: questions(survey, &g.responses, level),
                        value: g.value,
                    })
                    .collect()
            })
            .unwrap_or_default();
        SurveyResults {
            survey_id: survey.id,
            version: survey.version,
            responses: responses.len(),
            level,
            min_n: MIN_N,
            questions: questions(survey, &all, level),
            split: split.map(|s| s.word()),
            splits,
        }
    }
}

/// The results of every question over `responses`.
pub fn questions(survey: &Survey, responses: &[&Response], level: f64) -> Vec<QuestionResult> {
    survey
        .questions()
        .map(|q| question(q, responses, level))
        .collect()
}

fn question(q: &Question, responses: &[&Response], level: f64) -> QuestionResult {
    let answers: Vec<&Answer> = responses
        .iter()
        .filter_map(|r| r.answers.get(&q.key))
        .collect();
    let figures = match &q.kind {
        QuestionKind::Matrix { items, .. } => {
            let scale = q.kind.scale().expect("a matrix has a scale");
            let items = items
                .iter()
                .map(|i| scale_item(q, Some(i.key.as_str()), scale, responses, level))
                .collect();
            Figures::Scale { scale, items }
        }
        QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options, .. } => {
            Figures::Choice {
                options: options
                    .iter()
                    .map(|o| {
                        let count = answers
                            .iter()
                            .filter(|a| match a {
                                Answer::Choice(k) => k == &o.key,
                                Answer::Choices(ks) => ks.contains(&o.key),
                                _ => false,
                            })
                            .count() as u64;
                        OptionCount {
                            key: o.key.to_string(),
                            count,
                            share: share(count, answers.len()),
                        }
                    })
                    .collect(),
            }
        }
        QuestionKind::OpenText { .. } => Figures::OpenText,
        kind => {
            let scale = kind.scale().expect("scale, NPS and CSAT have a scale");
            Figures::Scale {
                scale,
                items: vec![scale_item(q, None, scale, responses, level)],
            }
        }
    };
    QuestionResult {
        key: q.key.to_string(),
        kind: q.kind.name().to_string(),
        n: answers.len(),
        // Open answers are read one by one, not summed up: there is nothing to be too few for.
        too_few: answers.len() < MIN_N && figures != Figures::OpenText,
        figures,
    }
}

fn share(count: u64, n: usize) -> f64 {
    if n == 0 { 0.0 } else { count as f64 / n as f64 }
}

fn scale_item(
    q: &Question,
    item: Option<&str>,
    scale: Scale,
    responses: &[&Response],
    level: f64,
) -> ScaleItem {
    let values = scale_values(responses.iter().copied(), q.key.as_str(), item);
    let distribution = (scale.low()..=scale.high())
        .map(|point| {
            let count = values.iter().filter(|v| **v == f64::from(point)).count() as u64;
            PointCount {
                point,
                count,
                share: share(count, values.len()),
            }
        })
        .collect();
    let describe = describe(&values, level).ok().map(|mut d| {
        d.ci.lower = d.ci.lower.max(f64::from(scale.low()));
        d.ci.upper = d.ci.upper.min(f64::from(scale.high()));
        d
    });
    ScaleItem {
        item: item.map(str::to_string),
        n: values.len(),
        too_few: values.len() < MIN_N,
        distribution,
        describe,
        top_two_box: top_two_box(&values, scale, level).ok(),
        nps: matches!(q.kind, QuestionKind::Nps { .. })
            .then(|| nps(&values, level).ok())
            .flatten(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ProviderId;
    use crate::survey::{ResponseInput, SurveyInput, SurveyStatus};
    use serde_json::json;

    fn provider() -> Provider {
        Provider {
            id: ProviderId::new(),
            name: "Kafé Linden".into(),
            time_zone: "Europe/Stockholm".into(),
            country: "SE".into(),
            created_at: chrono::Utc::now(),
        }
    }

    fn respond(s: &Survey, answers: serde_json::Value) -> Response {
        let input: ResponseInput = serde_json::from_value(json!({ "answers": answers })).unwrap();
        Response::parse(s, &input, "2026-12-01T10:00:00Z".parse().unwrap()).unwrap()
    }

    fn survey() -> Survey {
        let input: SurveyInput = serde_json::from_value(json!({
            "title": {"sv": "Besöket"},
            "sections": [{"questions": [
                {"key": "welcome", "kind": "scale", "points": 5, "text": {"sv": "Hur välkommen kände du dig?"},
                 "anchors": [{"point": 1, "label": {"sv": "Inte alls"}}, {"point": 5, "label": {"sv": "Mycket"}}]},
                {"key": "reason", "kind": "single_choice", "text": {"sv": "Varför?"},
                 "options": [{"key": "fika", "label": {"sv": "Fika"}}, {"key": "work", "label": {"sv": "Jobba"}}]}
            ]}]
        }))
        .unwrap();
        Survey::parse(&input)
            .unwrap()
            .with_status(SurveyStatus::Open)
            .unwrap()
    }

    fn results(points: &[i32]) -> QuestionResult {
        let s = survey();
        let responses: Vec<Response> = points
            .iter()
            .map(|p| respond(&s, json!({"welcome": p, "reason": "work"})))
            .collect();
        let r = SurveyResults::of(&s, &provider(), &responses, None, 0.95);
        assert_eq!(r.responses, points.len());
        r.questions.into_iter().next().unwrap()
    }

    fn item(q: &QuestionResult) -> &ScaleItem {
        match &q.figures {
            Figures::Scale { items, .. } => &items[0],
            other => panic!("not a scale: {other:?}"),
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-4
    }

    #[test]
    fn one_answer_is_too_few_and_has_a_distribution_but_no_mean() {
        let q = results(&[3]);
        assert_eq!((q.n, q.too_few), (1, true));
        let i = item(&q);
        let counts: Vec<u64> = i.distribution.iter().map(|p| p.count).collect();
        assert_eq!(counts, [0, 0, 1, 0, 0]);
        assert_eq!(i.distribution[2].share, 1.0);
        assert!(
            i.describe.is_none(),
            "a standard deviation needs two answers"
        );
        assert_eq!(i.top_two_box.as_ref().unwrap().successes, 0);
    }

    #[test]
    fn two_answers_keep_the_mean_interval_on_the_scale() {
        // 2 and 4: mean 3, se 1, t(0.975, 1) = 12.706: the raw interval is [-9.71, 15.71].
        let q = results(&[2, 4]);
        assert_eq!((q.n, q.too_few), (2, true));
        let d = item(&q).describe.clone().unwrap();
        assert_eq!(d.mean, 3.0);
        assert_eq!((d.ci.lower, d.ci.upper), (1.0, 5.0));
    }

    #[test]
    fn five_hundred_answers_match_hand_computed_figures() {
        // 100 answers on each point of 1–5: mean 3, sd √(1000/499), t(0.975, 499) = 1.964729.
        let points: Vec<i32> = (0..500).map(|i| i % 5 + 1).collect();
        let q = results(&points);
        assert_eq!((q.n, q.too_few), (500, false));
        let i = item(&q);
        assert!(
            i.distribution
                .iter()
                .all(|p| p.count == 100 && p.share == 0.2)
        );
        let d = i.describe.clone().unwrap();
        assert_eq!((d.mean, d.median), (3.0, 3.0));
        assert!(close(d.sd, 1.415_630), "{}", d.sd);
        assert!(close(d.ci.lower, 2.875_615), "{}", d.ci.lower);
        assert!(close(d.ci.upper, 3.124_385), "{}", d.ci.upper);
        // Top two: 200 of 500 = 0.4, Wilson [0.357979, 0.443545].
        let t = i.top_two_box.clone().unwrap();
        assert_eq!(t.proportion, 0.4);
        assert!(
            close(t.ci.lower, 0.357_979) && close(t.ci.upper, 0.443_545),
            "{t:?}"
        );
    }

    #[test]
    fn choices_count_every_option_in_order() {
        let s = survey();
        let responses = vec![respond(&s, json!({"welcome": 4, "reason": "fika"}))];
        let r = SurveyResults::of(&s, &provider(), &responses, None, 0.95);
        let Figures::Choice { options } = &r.questions[1].figures else {
            panic!("not a choice")
        };
        let counts: Vec<(&str, u64)> = options.iter().map(|o| (o.key.as_str(), o.count)).collect();
        assert_eq!(counts, [("fika", 1), ("work", 0)]);
        assert_eq!(options[0].share, 1.0);
    }
}
