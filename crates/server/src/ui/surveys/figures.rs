//! A survey's results ([`SurveyResults`]) as a café team reads them: each question's
//! text once, a chart with the percentages on the bars and the scale's anchors in the
//! legend, the figures in plain words with the page's numbers, "too few answers to
//! say" below the minimum n (the figures still shown), the method one click away, and
//! the open answers with their codes.

use crate::ui::chart::{Diverging, DivergingBars, percent};
use crate::ui::i18n::Lang;
use crate::ui::i18n::Messages;
use askama::Template;
use motesplats_core::coding::{Codebook, Coding};
use motesplats_core::number;
use motesplats_core::survey::{
    Answer, Figures, LocalText, Question, QuestionKind, QuestionResult, Response, ScaleItem,
    Survey, SurveyResults,
};

/// One question's figures, ready to show.
pub struct QuestionView {
    pub text: String,
    /// The language the text is written in (user-entered text carries its own).
    pub text_lang: &'static str,
    /// "n = 12" in the page's numbers.
    pub n: String,
    /// Set when too few answered to say anything.
    pub too_few: Option<String>,
    pub chart: Option<String>,
    /// The figures in plain words.
    pub says: Vec<String>,
    /// How they were computed, behind a <details>.
    pub method: Vec<String>,
    /// Choice questions: each option with its count and share.
    pub options: Vec<String>,
    /// Open-text questions: the answers with their codes.
    pub open: Option<Vec<OpenAnswer>>,
}

pub struct OpenAnswer {
    pub text: String,
    /// The answer's language: detected where the survey offers two, else declared.
    pub lang: &'static str,
    /// The codes given to it, in the page's language, or "not coded".
    pub codes: String,
}

/// What the open answers are shown with.
pub struct Coded<'a> {
    pub responses: &'a [Response],
    pub codings: &'a [Coding],
    pub book: &'a Codebook,
}

/// A user-entered text in the page's language if it has one, with the language it is
/// in.
fn text(t: &LocalText, lang: Lang, survey: &Survey) -> (String, &'static str) {
    let written = if t.get(lang).is_some() {
        lang
    } else {
        survey.languages[0]
    };
    (t.best(lang).to_string(), written.as_str())
}

/// A fraction in the page's numbers.
pub fn decimal(x: f64, places: usize, lang: Lang) -> String {
    number::decimal(x, places, lang)
}

/// A count in the page's numbers.
pub fn integer(n: usize, lang: Lang) -> String {
    number::integer(n, lang)
}

/// The views of every question of `results` (the overall figures).
pub fn question_views(
    lang: Lang,
    survey: &Survey,
    results: &SurveyResults,
    coded: &Coded,
) -> Vec<QuestionView> {
    results
        .questions
        .iter()
        .filter_map(|r| Some((survey.question(&r.key)?, r)))
        .map(|(q, r)| view(lang, survey, q, r, results, coded))
        .collect()
}

fn view(
    lang: Lang,
    survey: &Survey,
    q: &Question,
    r: &QuestionResult,
    results: &SurveyResults,
    coded: &Coded,
) -> QuestionView {
    let (text, text_lang) = text(&q.text, lang, survey);
    let level = percent(results.level, lang);
    let mut v = QuestionView {
        text,
        text_lang,
        n: format!("n = {}", integer(r.n, lang)),
        too_few: r
            .too_few
            .then(|| lang.t_text("survey-too-few", &[("min", integer(results.min_n, lang))])),
        chart: None,
        says: vec![],
        method: vec![],
        options: vec![],
        open: None,
    };
    match &r.figures {
        Figures::Scale { scale, items } => {
            let nps = matches!(q.kind, QuestionKind::Nps { .. });
            for item in items {
                let label = item_label(lang, q, item);
                v.says
                    .extend(says(lang, item, scale.low(), scale.high(), &label));
                v.method.extend(spread(lang, item, &label));
            }
            v.method.push(lang.t_text(
                if nps {
                    "survey-method-nps"
                } else {
                    "survey-method-mean"
                },
                &[("level", level.clone())],
            ));
            v.method
                .push(lang.t_text("survey-method-top-two", &[("level", level)]));
            v.chart = chart(lang, q, &v.text, items);
        }
        Figures::Choice { options } => {
            let labels = match &q.kind {
                QuestionKind::SingleChoice { options }
                | QuestionKind::MultipleChoice { options, .. } => options,
                _ => return v,
            };
            v.options = options
                .iter()
                .map(|o| {
                    let label = labels
                        .iter()
                        .find(|c| c.key.as_str() == o.key)
                        .map_or(o.key.clone(), |c| c.label.best(lang).to_string());
                    lang.t_text(
                        "survey-option-count",
                        &[
                            ("option", label),
                            ("count", integer(o.count as usize, lang)),
                            ("share", percent(o.share, lang)),
                        ],
                    )
                })
                .collect();
        }
        Figures::OpenText => v.open = Some(open_answers(lang, survey, q, coded)),
    }
    if r.n == 0 {
        v.says = vec![lang.t("survey-no-answers")];
    }
    v
}

/// A matrix item's text (empty for a question with a single scale).
fn item_label(lang: Lang, q: &Question, item: &ScaleItem) -> String {
    let (QuestionKind::Matrix { items, .. }, Some(key)) = (&q.kind, &item.item) else {
        return String::new();
    };
    items
        .iter()
        .find(|i| i.key.as_str() == key)
        .map_or(key.clone(), |i| i.text.best(lang).to_string())
}

/// `line` after the matrix item's label, if any.
fn labelled(label: &str, line: String) -> String {
    if label.is_empty() {
        line
    } else {
        format!("{label}: {line}")
    }
}

/// The figures of one item in plain words.
fn says(lang: Lang, item: &ScaleItem, low: i32, high: i32, label: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(n) = &item.nps {
        out.push(lang.t_text(
            "survey-says-nps",
            &[
                ("score", decimal(n.score, 0, lang)),
                ("lower", decimal(n.ci.lower, 0, lang)),
                ("upper", decimal(n.ci.upper, 0, lang)),
                ("promoters", percent(n.promoters as f64 / n.n as f64, lang)),
                (
                    "detractors",
                    percent(n.detractors as f64 / n.n as f64, lang),
                ),
            ],
        ));
    } else if let Some(d) = &item.describe {
        out.push(lang.t_text(
            "survey-says-mean",
            &[
                ("mean", decimal(d.mean, 1, lang)),
                ("low", low.to_string()),
                ("high", high.to_string()),
                ("lower", decimal(d.ci.lower, 1, lang)),
                ("upper", decimal(d.ci.upper, 1, lang)),
            ],
        ));
    } else if item.n == 1 {
        out.push(lang.t("survey-says-one"));
    }
    if let (Some(t), None) = (&item.top_two_box, &item.nps) {
        out.push(lang.t_text(
            "survey-says-top-two",
            &[
                ("share", percent(t.proportion, lang)),
                ("top", (high - 1).to_string()),
                ("high", high.to_string()),
                ("lower", percent(t.ci.lower, lang)),
                ("upper", percent(t.ci.upper, lang)),
            ],
        ));
    }
    out.into_iter().map(|l| labelled(label, l)).collect()
}

/// Median and standard deviation, for the method's details.
fn spread(lang: Lang, item: &ScaleItem, label: &str) -> Option<String> {
    let d = item.describe.as_ref()?;
    Some(labelled(
        label,
        lang.t_text(
            "survey-method-spread",
            &[
                ("median", decimal(d.median, 1, lang)),
                ("sd", decimal(d.sd, 2, lang)),
                ("n", integer(d.n, lang)),
            ],
        ),
    ))
}

/// The scale's anchors, "1 = Inte alls · 5 = Mycket".
fn anchors(lang: Lang, q: &Question) -> String {
    let anchors = match &q.kind {
        QuestionKind::Scale { anchors, .. }
        | QuestionKind::Matrix { anchors, .. }
        | QuestionKind::Nps { anchors }
        | QuestionKind::Csat { anchors } => anchors,
        _ => return String::new(),
    };
    anchors
        .iter()
        .map(|a| format!("{} = {}", a.point, a.label.best(lang)))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn chart(lang: Lang, q: &Question, title: &str, items: &[ScaleItem]) -> Option<String> {
    if items.iter().all(|i| i.n == 0) {
        return None;
    }
    let points: Vec<String> = items[0]
        .distribution
        .iter()
        .map(|p| p.point.to_string())
        .collect();
    let bars = items
        .iter()
        .map(|i| Diverging {
            label: item_label(lang, q, i),
            shares: i.distribution.iter().map(|p| p.share).collect(),
        })
        .collect();
    DivergingBars::new(
        format!("chart-{}", q.key),
        title.to_string(),
        &points,
        &anchors(lang, q),
        bars,
        lang,
    )
    .render()
    .ok()
}

/// The answers to open question `q`, oldest first, each with its codes.
fn open_answers(lang: Lang, survey: &Survey, q: &Question, coded: &Coded) -> Vec<OpenAnswer> {
    coded
        .responses
        .iter()
        .filter_map(|r| match r.answers.get(&q.key) {
            Some(Answer::Text(t)) => Some((r, t)),
            _ => None,
        })
        .map(|(r, t)| {
            let mut codes: Vec<&str> = coded
                .codings
                .iter()
                .filter(|c| c.response_id == r.id && c.question == q.key)
                .map(|c| {
                    coded
                        .book
                        .code(c.code.as_str())
                        .map_or(c.code.as_str(), |code| code.name(lang))
                })
                .collect();
            codes.sort_unstable();
            codes.dedup();
            let read = motesplats_core::coding::reading_language(t, r.language, &survey.languages);
            OpenAnswer {
                text: t.clone(),
                lang: read.as_str(),
                codes: if codes.is_empty() {
                    lang.t("survey-open-uncoded")
                } else {
                    codes.join(", ")
                },
            }
        })
        .collect()
}

/// The lines of one cell of the split table.
pub fn cell(lang: Lang, item: &ScaleItem, min_n: usize) -> Vec<String> {
    let interval = |lower: f64, upper: f64, places: usize| {
        format!(
            "[{}; {}]",
            decimal(lower, places, lang),
            decimal(upper, places, lang)
        )
    };
    let mut lines = Vec::new();
    if let Some(n) = &item.nps {
        lines.push(format!(
            "{} {} {}",
            lang.t("survey-nps"),
            decimal(n.score, 0, lang),
            interval(n.ci.lower, n.ci.upper, 0)
        ));
    } else {
        if let Some(d) = &item.describe {
            lines.push(format!(
                "{} {}",
                decimal(d.mean, 2, lang),
                interval(d.ci.lower, d.ci.upper, 2)
            ));
        }
        if let Some(t) = &item.top_two_box {
            lines.push(format!(
                "{} {} [{}; {}]",
                lang.t("survey-top-two"),
                percent(t.proportion, lang),
                percent(t.ci.lower, lang),
                percent(t.ci.upper, lang)
            ));
        }
    }
    if lines.is_empty() {
        lines.push("–".into());
    }
    lines.push(format!("n = {}", integer(item.n, lang)));
    if item.n < min_n {
        lines.push(lang.t("survey-too-few-short"));
    }
    lines
}
