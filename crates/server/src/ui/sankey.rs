//! A three-column Sankey diagram (came from → met in → went to) laid out from typed
//! flows; the template writes it as SVG and askama escapes every label.

use crate::ui::i18n::Lang;
use askama::Template;
use motesplats_core::number::integer;
use std::collections::BTreeMap;

/// One journey route through the three columns, labels already in words; `None` at
/// either end is "nothing before" or "nothing after".
pub struct Route {
    pub came_from: Option<String>,
    pub met_in: String,
    pub went_to: Option<String>,
    pub journeys: u64,
}

pub struct Node {
    pub x: u32,
    pub y: f64,
    pub height: f64,
    pub class: &'static str,
    pub label: String,
    /// The label's end: left of the first column, right of the others.
    pub label_x: u32,
    pub anchor: &'static str,
    pub count: String,
}

pub struct Link {
    /// The band's centre line, a cubic curve.
    pub d: String,
    pub thickness: f64,
    pub title: String,
}

#[derive(Template)]
#[template(path = "sankey.svg", escape = "html")]
pub struct Sankey {
    pub id: &'static str,
    pub title: String,
    pub width: u32,
    pub height: u32,
    pub nodes: Vec<Node>,
    pub links: Vec<Link>,
}

const WIDTH: u32 = 720;
/// The columns' left edges and the nodes' width.
const COLUMNS: [u32; 3] = [170, 353, 536];
const NODE: u32 = 14;
/// Pixels of height the busiest column's journeys share.
const PLOT: f64 = 320.0;
/// Space between nodes; a node is given at least a label's height.
const GAP: f64 = 8.0;
const LABEL: f64 = 16.0;
/// CSS classes of the columns, the phases' colours; "nothing" nodes are grey.
const CLASSES: [&str; 3] = ["phase-before", "phase-during", "phase-after"];

/// A node's key within its column: a channel's words, or none (sorted last).
type Key = Option<String>;

impl Sankey {
    /// Lays out `routes`; `nothing` names the empty ends ("nothing before", "nothing
    /// after"); counts are written in `lang`.
    pub fn new(
        lang: Lang,
        id: &'static str,
        title: String,
        nothing: [String; 2],
        routes: &[Route],
    ) -> Self {
        // Journeys per node of each column, and per link between neighbouring columns.
        let mut columns: [BTreeMap<Key, u64>; 3] = Default::default();
        let mut pairs: [BTreeMap<(Key, Key), u64>; 2] = Default::default();
        for r in routes {
            let keys = [
                r.came_from.clone(),
                Some(r.met_in.clone()),
                r.went_to.clone(),
            ];
            for (c, k) in keys.iter().enumerate() {
                *columns[c].entry(k.clone()).or_default() += r.journeys;
            }
            for (p, pair) in pairs.iter_mut().enumerate() {
                *pair
                    .entry((keys[p].clone(), keys[p + 1].clone()))
                    .or_default() += r.journeys;
            }
        }
        let total: u64 = columns[1].values().sum();
        let scale = PLOT / total.max(1) as f64;
        let size = |n: u64| (n as f64 * scale).max(1.0);

        // Each column's nodes, largest first, "nothing" last; their tops.
        let mut order: Vec<Vec<(Key, u64)>> = Vec::new();
        let mut top: Vec<BTreeMap<Key, f64>> = Vec::new();
        let mut nodes = Vec::new();
        let mut height = 0f64;
        for (c, column) in columns.iter().enumerate() {
            let mut list: Vec<(Key, u64)> = column.iter().map(|(k, n)| (k.clone(), *n)).collect();
            list.sort_by(|a, b| (a.0.is_none(), b.1).cmp(&(b.0.is_none(), a.1)));
            let mut y = 0f64;
            let mut tops = BTreeMap::new();
            for (key, n) in &list {
                let h = size(*n);
                tops.insert(key.clone(), y);
                let first = c == 0;
                nodes.push(Node {
                    x: COLUMNS[c],
                    y,
                    height: h,
                    class: if key.is_some() {
                        CLASSES[c]
                    } else {
                        "phase-none"
                    },
                    label: key.clone().unwrap_or_else(|| {
                        let i = usize::from(c == 2);
                        nothing[i].clone()
                    }),
                    label_x: if first {
                        COLUMNS[c] - 6
                    } else {
                        COLUMNS[c] + NODE + 6
                    },
                    anchor: if first { "end" } else { "start" },
                    count: integer(*n, lang),
                });
                y += h.max(LABEL) + GAP;
            }
            height = height.max(y);
            order.push(list);
            top.push(tops);
        }

        // Links leave a node in the order of their targets and enter in the order of
        // their sources, so bands never cross inside a node.
        let mut links = Vec::new();
        for (p, pair) in pairs.iter().enumerate() {
            let rank = |c: usize, k: &Key| order[c].iter().position(|(o, _)| o == k);
            let mut list: Vec<(&(Key, Key), &u64)> = pair.iter().collect();
            let mut out: BTreeMap<Key, f64> = BTreeMap::new();
            let mut inn: BTreeMap<Key, f64> = BTreeMap::new();
            list.sort_by_key(|((a, b), _)| (rank(p, a), rank(p + 1, b)));
            let mut starts = Vec::new();
            for ((a, _), n) in &list {
                let t = size(**n);
                let o = out.entry(a.clone()).or_default();
                starts.push(top[p][a] + *o + t / 2.0);
                *o += t;
            }
            list.sort_by_key(|((a, b), _)| (rank(p + 1, b), rank(p, a)));
            let mut ends = BTreeMap::new();
            for ((a, b), n) in &list {
                let t = size(**n);
                let i = inn.entry(b.clone()).or_default();
                ends.insert((a.clone(), b.clone()), top[p + 1][b] + *i + t / 2.0);
                *i += t;
            }
            list.sort_by_key(|((a, b), _)| (rank(p, a), rank(p + 1, b)));
            let name = |c: usize, k: &Key| {
                k.clone()
                    .unwrap_or_else(|| nothing[usize::from(c == 2)].clone())
            };
            for (((a, b), n), y0) in list.iter().zip(starts) {
                let y1 = ends[&(a.clone(), b.clone())];
                let (x0, x1) = (COLUMNS[p] + NODE, COLUMNS[p + 1]);
                let mid = (x0 + x1) / 2;
                links.push(Link {
                    d: format!("M{x0} {y0:.1}C{mid} {y0:.1} {mid} {y1:.1} {x1} {y1:.1}"),
                    thickness: size(**n),
                    title: format!(
                        "{} → {}: {}",
                        name(p, a),
                        name(p + 1, b),
                        integer(**n, lang)
                    ),
                });
            }
        }
        Sankey {
            id,
            title,
            width: WIDTH,
            height: height.ceil() as u32 + 4,
            nodes,
            links,
        }
    }

    pub fn node_width(&self) -> u32 {
        NODE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(from: Option<&str>, met: &str, to: Option<&str>, n: u64) -> Route {
        Route {
            came_from: from.map(String::from),
            met_in: met.into(),
            went_to: to.map(String::from),
            journeys: n,
        }
    }

    #[test]
    fn every_column_holds_every_journey_and_links_sum_per_pair() {
        let chart = Sankey::new(
            Lang::En,
            "s",
            "Flows".into(),
            ["Nothing before".into(), "Nothing after".into()],
            &[
                route(Some("Web"), "Store", None, 3),
                route(None, "Store", Some("<App>"), 1),
                route(Some("Web"), "Store", Some("<App>"), 2),
            ],
        );
        let labels: Vec<(&str, &str)> = chart
            .nodes
            .iter()
            .map(|n| (n.label.as_str(), n.count.as_str()))
            .collect();
        assert_eq!(
            labels,
            [
                ("Web", "5"),
                ("Nothing before", "1"),
                ("Store", "6"),
                ("<App>", "3"),
                ("Nothing after", "3"),
            ]
        );
        let titles: Vec<&str> = chart.links.iter().map(|l| l.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Web → Store: 5",
                "Nothing before → Store: 1",
                "Store → <App>: 3",
                "Store → Nothing after: 3",
            ]
        );
        // The meeting column is one node holding all six journeys: the whole plot.
        assert!((chart.nodes[2].height - PLOT).abs() < 1e-9);
        let svg = chart.render().unwrap();
        assert!(
            svg.contains("&#60;App&#62;") && !svg.contains("<App>"),
            "{svg}"
        );
        assert!(svg.contains("<title>Web → Store: 5</title>"), "{svg}");
    }
}
