//! SVG charts written from a small typed model; askama escapes every label.

use askama::Template;

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
    pub total: u64,
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
    /// Lays out `bars`; `series` gives each series' CSS class and legend label.
    pub fn new(
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
                            title: format!("{name}: {v}"),
                        };
                        x += width;
                        s
                    })
                    .collect();
                Row {
                    label: bar.label,
                    marked: bar.marked,
                    y: i as u32 * ROW,
                    total,
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
    pub label: String,
    /// Shares of the points low to high, summing to 1 (or all 0 without answers).
    pub shares: Vec<f64>,
}

/// Diverging stacked bars for scale items: disagreement to the left of the centre
/// line, agreement to the right, a neutral middle point split across it.
#[derive(Template)]
#[template(path = "diverging_bars.svg", escape = "html")]
pub struct DivergingBars {
    pub id: String,
    pub title: String,
    pub height: u32,
    pub centre: u32,
    pub rows: Vec<Row>,
    pub legend: Vec<LegendItem>,
    pub legend_y: u32,
}

impl DivergingBars {
    /// `points` names each scale point for the legend, low to high.
    pub fn new(id: String, title: String, points: &[String], bars: Vec<Diverging>) -> Self {
        let (label_width, plot) = (200u32, 480u32);
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
        let rows = bars
            .into_iter()
            .enumerate()
            .map(|(r, bar)| {
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
                let segments = bar
                    .shares
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| **s > 0.0)
                    .map(|(i, s)| {
                        let width = s * (plot / 2) as f64;
                        let seg = Segment {
                            x: x.round() as u32,
                            width: width.round().max(1.0) as u32,
                            class: class(i),
                            title: format!(
                                "{}: {:.0} %",
                                points.get(i).map_or("", String::as_str),
                                s * 100.0
                            ),
                        };
                        x += width;
                        seg
                    })
                    .collect();
                Row {
                    label: bar.label,
                    marked: false,
                    y: r as u32 * ROW,
                    total: 0,
                    total_x: 0,
                    segments,
                }
            })
            .collect::<Vec<_>>();
        let legend_y = rows.len() as u32 * ROW + 12;
        let legend = points
            .iter()
            .enumerate()
            .map(|(i, p)| LegendItem {
                x: label_width + i as u32 * (plot / k.max(1) as u32),
                class: class(i),
                label: p.clone(),
            })
            .collect();
        DivergingBars {
            id,
            title,
            height: legend_y + 24,
            centre,
            rows,
            legend,
            legend_y,
        }
    }

    pub fn bar_height(&self) -> u32 {
        BAR
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diverging_bars_put_disagreement_left_of_the_centre() {
        let points: Vec<String> = (1..=5).map(|p| p.to_string()).collect();
        let chart = DivergingBars::new(
            "d".into(),
            "Items".into(),
            &points,
            vec![Diverging {
                label: "Kaffet".into(),
                shares: vec![0.1, 0.1, 0.2, 0.3, 0.3],
            }],
        );
        let row = &chart.rows[0];
        // 0.1 + 0.1 + half of 0.2 = 0.3 of the half-width (240) lies left of the centre.
        assert_eq!(row.segments[0].x, chart.centre - 72);
        assert_eq!(row.segments[0].class, "disagree-strong");
        assert_eq!(row.segments[2].class, "neutral");
        assert_eq!(row.segments[4].class, "agree-strong");
        assert!(chart.render().unwrap().contains("Kaffet"));
    }

    #[test]
    fn bars_scale_to_the_largest_total_and_labels_are_escaped() {
        let chart = StackedBars::new(
            "c",
            "Touchpoints".into(),
            &[("a", "A".into()), ("b", "B".into())],
            vec![
                Bar {
                    label: "<script>".into(),
                    marked: true,
                    values: vec![30, 10],
                },
                Bar {
                    label: "Web".into(),
                    marked: false,
                    values: vec![0, 20],
                },
            ],
        );
        let widths: Vec<u32> = chart.rows[0].segments.iter().map(|s| s.width).collect();
        assert_eq!(widths, [368, 123], "the largest total fills the plot width");
        assert_eq!(chart.rows[1].segments.len(), 1, "empty series draw nothing");
        let svg = chart.render().unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(
            svg.contains("&#60;script&#62;") && !svg.contains("<script>"),
            "{svg}"
        );
    }
}
