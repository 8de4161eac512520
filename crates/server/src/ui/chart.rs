//! SVG charts written from a small typed model; askama escapes every label.

use crate::ui::i18n::Lang;
use crate::ui::i18n::Messages;
use askama::Template;
use motesplats_core::number::{self, integer};

/// One coloured piece of a bar.
pub struct Segment {
    pub x: u32,
    pub width: u32,
    pub class: &'static str,
    pub title: String,
}

pub struct Row {
    pub label: String,
    pub marked: bool,
    pub y: u32,
    /// The bar's total, written the page's way (`12 345`).
    pub total: String,
    pub total_x: u32,
    pub segments: Vec<Segment>,
}

pub struct LegendItem {
    pub x: u32,
    pub class: &'static str,
    pub label: String,
}

/// Horizontal bars, one per row, stacked by series.
#[derive(Template)]
// SVG is XML: escape it like HTML (askama does not by default for .svg).
#[template(path = "stacked_bars.svg", escape = "html")]
pub struct StackedBars {
    pub id: &'static str,
    pub title: String,
    pub width: u32,
    pub height: u32,
    pub label_width: u32,
    pub rows: Vec<Row>,
    pub legend: Vec<LegendItem>,
    pub legend_y: u32,
}

/// A row of input: its label, whether it is marked, and a value per series.
pub struct Bar {
    pub label: String,
    pub marked: bool,
    pub values: Vec<u64>,
}

const ROW: u32 = 28;
const BAR: u32 = 20;

impl StackedBars {
    /// Lays out `bars`; `series` gives each series' CSS class and legend label;
    /// numbers are written in `lang`.
    pub fn new(
        lang: Lang,
        id: &'static str,
        title: String,
        series: &[(&'static str, String)],
        bars: Vec<Bar>,
    ) -> Self {
        let (width, label_width, number_width) = (720u32, 170u32, 60u32);
        let plot = width - label_width - number_width;
        let max = bars
            .iter()
            .map(|b| b.values.iter().sum::<u64>())
            .max()
            .unwrap_or(0)
            .max(1);
        let rows = bars
            .into_iter()
            .enumerate()
            .map(|(i, bar)| {
                let mut x = label_width;
                let total: u64 = bar.values.iter().sum();
                let segments = bar
                    .values
                    .iter()
                    .zip(series)
                    .filter(|(v, _)| **v > 0)
                    .map(|(v, (class, name))| {
                        let width =
                            ((*v as f64 / max as f64) * plot as f64).round().max(1.0) as u32;
                        let s = Segment {
                            x,
                            width,
                            class,
                            title: format!("{name}: {}", integer(*v, lang)),
                        };
                        x += width;
                        s
                    })
                    .collect();
                Row {
                    label: bar.label,
                    marked: bar.marked,
                    y: i as u32 * ROW,
                    total: integer(total, lang),
                    total_x: x + 6,
                    segments,
                }
            })
            .collect::<Vec<_>>();
        let legend_y = rows.len() as u32 * ROW + 12;
        let legend = series
            .iter()
            .enumerate()
            .map(|(i, (class, label))| LegendItem {
                x: label_width + i as u32 * 130,
                class,
                label: label.clone(),
            })
            .collect();
        StackedBars {
            id,
            title,
            width,
            height: legend_y + 24,
            label_width,
            rows,
            legend,
            legend_y,
        }
    }

    pub fn bar_height(&self) -> u32 {
        BAR
    }
}

/// One row of a diverging bar: the label and the share of each scale point.
pub struct Diverging {
    /// Empty for a chart of a single item, whose label is the question above it.
    pub label: String,
    /// Shares of the points low to high, summing to 1 (or all 0 without answers).
    pub shares: Vec<f64>,
}

/// One coloured piece of a diverging bar, with its percentage written on it when it
/// is wide enough to hold it.
pub struct DivergingSegment {
    pub x: u32,
    pub width: u32,
    pub class: &'static str,
    pub title: String,
    pub percent: Option<String>,
}

pub struct DivergingRow {
    /// The label wrapped into lines that fit the label column.
    pub lines: Vec<String>,
    pub y: u32,
    pub segments: Vec<DivergingSegment>,
}

/// Diverging stacked bars for scale items: disagreement to the left of the centre
/// line, agreement to the right, a neutral middle point split across it.
#[derive(Template)]
#[template(path = "diverging_bars.svg", escape = "html")]
pub struct DivergingBars {
    pub id: String,
    pub title: String,
    /// The text alternative: every row's shares in words.
    pub desc: String,
    pub height: u32,
    pub label_right: u32,
    /// The left edge of the plot and the legend.
    pub left: u32,
    pub centre: u32,
    pub rows: Vec<DivergingRow>,
    pub legend: Vec<LegendItem>,
    pub legend_y: u32,
    /// The scale's anchors ("1 = Inte alls · 5 = Mycket"), wrapped, below the swatches.
    pub anchors: Vec<String>,
}

/// Width of the chart.
const WIDTH: u32 = 720;
/// The label column, when the rows have labels.
const LABEL_WIDTH: u32 = 220;
/// Characters of a label line that fit the label column at the chart's font size.
const LABEL_CHARS: usize = 30;
/// Line height of wrapped labels.
const LINE: u32 = 14;
/// The narrowest segment a percentage is written on.
const MIN_PERCENT_WIDTH: u32 = 30;

/// `text` in lines of at most `chars` characters, broken between words (a word longer
/// than a line stands alone).
pub fn wrap(text: &str, chars: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= chars => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// A share (0–1) as a whole percentage the way `lang` writes it: "45 %" in Swedish
/// (with a no-break space), "45%" in English.
pub fn percent(share: f64, lang: Lang) -> String {
    percent_to(share, 0, lang)
}

/// A share (0–1) as a percentage with `places` decimals, written as `lang` writes it.
pub fn percent_to(share: f64, places: usize, lang: Lang) -> String {
    let n = number::decimal(share * 100.0, places, lang);
    match lang {
        Lang::Sv => format!("{n}\u{a0}%"),
        Lang::En => format!("{n}%"),
    }
}

impl DivergingBars {
    /// `points` names each scale point low to high; `anchors` says what the labelled
    /// points mean.
    pub fn new(
        id: String,
        title: String,
        points: &[String],
        anchors: &str,
        bars: Vec<Diverging>,
        lang: Lang,
    ) -> Self {
        let labelled = bars.iter().any(|b| !b.label.is_empty());
        let label_width = if labelled { LABEL_WIDTH } else { 0 };
        let plot = WIDTH - label_width - 20;
        let centre = label_width + plot / 2;
        let k = points.len();
        let middle = (k as f64 - 1.0) / 2.0;
        let class = |i: usize| -> &'static str {
            let d = i as f64 - middle;
            match () {
                _ if d.abs() < 0.01 => "neutral",
                _ if d <= -1.5 => "disagree-strong",
                _ if d < 0.0 => "disagree",
                _ if d >= 1.5 => "agree-strong",
                _ => "agree",
            }
        };
        let mut y = 0;
        let mut desc = Vec::new();
        let rows = bars
            .into_iter()
            .map(|bar| {
                // The left edge: everything below the middle, and half the middle.
                let left: f64 = bar
                    .shares
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        if (i as f64) < middle - 0.01 {
                            *s
                        } else if (i as f64 - middle).abs() < 0.01 {
                            s / 2.0
                        } else {
                            0.0
                        }
                    })
                    .sum();
                let mut x = centre as f64 - left * (plot / 2) as f64;
                let mut said = Vec::new();
                let segments = bar
                    .shares
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| **s > 0.0)
                    .map(|(i, s)| {
                        let width = s * (plot / 2) as f64;
                        let point = points.get(i).map_or("", String::as_str);
                        let p = percent(*s, lang);
                        said.push(format!("{point}: {p}"));
                        let seg = DivergingSegment {
                            x: x.round() as u32,
                            width: width.round().max(1.0) as u32,
                            class: class(i),
                            title: format!("{point}: {p}"),
                            percent: (width.round() as u32 >= MIN_PERCENT_WIDTH).then_some(p),
                        };
                        x += width;
                        seg
                    })
                    .collect();
                if said.is_empty() {
                    said.push(lang.t("survey-no-answers"));
                }
                let lines = wrap(&bar.label, LABEL_CHARS);
                let height = (lines.len() as u32 * LINE).max(BAR) + ROW - BAR;
                desc.push(if bar.label.is_empty() {
                    said.join(", ")
                } else {
                    format!("{}: {}", bar.label, said.join(", "))
                });
                let row = DivergingRow { lines, y, segments };
                y += height;
                row
            })
            .collect::<Vec<_>>();
        let legend_y = y + 12;
        let legend = points
            .iter()
            .enumerate()
            .map(|(i, p)| LegendItem {
                x: label_width + i as u32 * (plot / k.max(1) as u32),
                class: class(i),
                label: p.clone(),
            })
            .collect();
        let anchors = wrap(anchors, 90);
        DivergingBars {
            id,
            title,
            desc: desc.join(". "),
            height: legend_y + 24 + anchors.len() as u32 * LINE,
            label_right: label_width.saturating_sub(10),
            left: label_width,
            centre,
            rows,
            legend,
            legend_y,
            anchors,
        }
    }

    pub fn bar_height(&self) -> u32 {
        BAR
    }

    /// The baseline of label line `i` of `row`: the first beside the bar, the rest
    /// below it, inside the row's height.
    pub fn line_y(&self, row: &DivergingRow, i: usize) -> u32 {
        row.y + i as u32 * LINE + LINE
    }

    /// The baseline of anchor line `i`, below the swatches.
    pub fn anchor_y(&self, i: usize) -> u32 {
        self.legend_y + 30 + i as u32 * LINE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> DivergingBars {
        let points: Vec<String> = (1..=5).map(|p| p.to_string()).collect();
        DivergingBars::new(
            "d".into(),
            "Hur väl stämmer påståendena?".into(),
            &points,
            "1 = Stämmer inte alls · 5 = Stämmer helt",
            vec![
                Diverging {
                    label: "Kaffet".into(),
                    shares: vec![0.1, 0.1, 0.2, 0.3, 0.3],
                },
                Diverging {
                    label:
                        "Personalen hälsade vänligt och tog sig tid att förklara menyn <utförligt>"
                            .into(),
                    shares: vec![0.0, 0.0, 0.5, 0.25, 0.25],
                },
            ],
            Lang::Sv,
        )
    }

    #[test]
    fn diverging_bars_put_disagreement_left_of_the_centre() {
        let chart = chart();
        let row = &chart.rows[0];
        // 0.1 + 0.1 + half of 0.2 = 0.3 of the half-width (240) lies left of the centre.
        assert_eq!(row.segments[0].x, chart.centre - 72);
        assert_eq!(row.segments[0].class, "disagree-strong");
        assert_eq!(row.segments[2].class, "neutral");
        assert_eq!(row.segments[4].class, "agree-strong");
        // Wide segments carry their percentage; narrow ones only a tooltip.
        assert_eq!(row.segments[3].percent.as_deref(), Some("30\u{a0}%"));
        assert_eq!(row.segments[0].percent, None);
    }

    #[test]
    fn long_labels_wrap_inside_the_label_column() {
        let chart = chart();
        let lines = &chart.rows[1].lines;
        assert!(lines.len() > 1, "{lines:?}");
        assert!(lines.iter().all(|l| l.chars().count() <= LABEL_CHARS));
        assert_eq!(
            lines.join(" "),
            "Personalen hälsade vänligt och tog sig tid att förklara menyn <utförligt>"
        );
        // The wrapped row is taller, so the next starts lower.
        assert!(chart.height > 2 * ROW + 36);
    }

    /// The rendered chart against the committed snapshot; `UPDATE_SNAPSHOTS=1` writes
    /// it instead (tests never write into the tree otherwise).
    #[test]
    fn diverging_bars_match_the_snapshot() {
        let svg = chart().render().unwrap();
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/snapshots/diverging_bars.svg"
        );
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1") {
            std::fs::write(path, &svg).unwrap();
        }
        let expected = std::fs::read_to_string(path).unwrap();
        assert_eq!(
            svg, expected,
            "run with UPDATE_SNAPSHOTS=1 to accept a change"
        );
        assert!(svg.contains(r#"role="img" aria-labelledby="d-title d-desc""#));
        assert!(svg.contains("&#60;utförligt&#62;") && !svg.contains("<utförligt>"));
    }

    #[test]
    fn bars_scale_to_the_largest_total_and_labels_are_escaped() {
        let chart = StackedBars::new(
            Lang::Sv,
            "c",
            "Touchpoints".into(),
            &[("a", "A".into()), ("b", "B".into())],
            vec![
                Bar {
                    label: "<script>".into(),
                    marked: true,
                    values: vec![30_000, 10_000],
                },
                Bar {
                    label: "Web".into(),
                    marked: false,
                    values: vec![0, 20_000],
                },
            ],
        );
        let widths: Vec<u32> = chart.rows[0].segments.iter().map(|s| s.width).collect();
        assert_eq!(widths, [368, 123], "the largest total fills the plot width");
        assert_eq!(chart.rows[1].segments.len(), 1, "empty series draw nothing");
        assert_eq!(chart.rows[0].total, "40\u{a0}000", "totals are grouped");
        let svg = chart.render().unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(
            svg.contains("&#60;script&#62;") && !svg.contains("<script>"),
            "{svg}"
        );
    }
}
