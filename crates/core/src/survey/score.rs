//! One figure per journey phase for the research board: how the answers to the
//! provider's surveys about that phase score, every scale item put on 0–100 so that
//! five-point items, CSAT and NPS can be pooled.

use super::definition::{QuestionKind, Survey};
use super::response::{Response, scale_values};

/// The pooled score and how many scale answers it rests on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PooledScore {
    /// 0 is the bottom of every scale, 100 the top.
    pub score: f64,
    pub answers: usize,
}

/// The mean of all scale answers in `surveys`, each put on 0–100; None without any.
pub fn pooled_score<'a>(
    surveys: impl IntoIterator<Item = (&'a Survey, &'a [Response])>,
) -> Option<PooledScore> {
    let (mut sum, mut answers) = (0.0, 0usize);
    for (survey, responses) in surveys {
        for q in survey.questions() {
            let Some(scale) = q.kind.scale() else {
                continue;
            };
            let items: Vec<Option<&str>> = match &q.kind {
                QuestionKind::Matrix { items, .. } => {
                    items.iter().map(|i| Some(i.key.as_str())).collect()
                }
                _ => vec![None],
            };
            let (low, high) = (f64::from(scale.low()), f64::from(scale.high()));
            for item in items {
                for v in scale_values(responses, q.key.as_str(), item) {
                    sum += (v - low) / (high - low) * 100.0;
                    answers += 1;
                }
            }
        }
    }
    (answers > 0).then(|| PooledScore {
        score: sum / answers as f64,
        answers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::definition::tests::cafe_input;
    use crate::survey::{ResponseInput, SurveyStatus};
    use serde_json::json;

    #[test]
    fn every_scale_item_counts_on_zero_to_hundred() {
        let survey = Survey::parse(&cafe_input())
            .unwrap()
            .with_status(SurveyStatus::Open)
            .unwrap();
        let input: ResponseInput = serde_json::from_value(json!({"answers": {
            "overall": 4, "welcome": 5, "recommend": 9,
            "aspects": {"coffee": 5, "staff": 4, "queue": 2}
        }}))
        .unwrap();
        let r = Response::parse(&survey, &input, chrono::Utc::now()).unwrap();
        let responses = [r];
        // CSAT 4 of 1–5 is 75, 5 of 5 is 100, NPS 9 of 0–10 is 90, the matrix 100, 75, 25.
        let pooled = pooled_score([(&survey, &responses[..])]).unwrap();
        assert_eq!(pooled.answers, 6);
        assert!((pooled.score - 465.0 / 6.0).abs() < 1e-9, "{pooled:?}");
        assert_eq!(pooled_score([(&survey, &[][..])]), None);
    }
}
