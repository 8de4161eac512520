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

#[cfg(test)]
mod tests {
    use super::*;

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
