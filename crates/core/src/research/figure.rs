//! The four-field matrix as a picture, laid out once so that the PDF (vector
//! drawing) and the HTML (inline SVG) draw the same thing: boxes, colours and text
//! positions in points, y growing downwards, plus a text alternative.
//!
//! It is built from the strategy document itself (its classified moments and its
//! focus), so a renderer needs nothing but the document.

use super::protocol::Perspective;
use super::strategy::{SectionKind, Statement, StrategyDocument};
use crate::lang::{Label, Lang, pick};
use crate::value::{Action, Phase, Stance};

/// Width and height of the whole figure, in points (the PDF's text width).
pub const WIDTH: f32 = 483.0;
pub const HEIGHT: f32 = 316.0;
/// The band left of the fields for the provider's row labels.
const SIDE: f32 = 22.0;
/// The band above the fields for the customer's column labels.
const HEAD: f32 = 20.0;
const PAD: f32 = 10.0;
const ITEM_SIZE: f32 = 9.0;
const ITEM_STEP: f32 = 14.0;
/// Moments listed in one field before the rest are counted.
const ITEMS_MAX: usize = 7;
/// Characters of a moment title kept in a field (9 pt Helvetica fits about 40).
const TITLE_MAX: usize = 40;

/// A colour as red, green, blue in 0..=255.
pub type Rgb = (u8, u8, u8);

/// The lines and text of the figure.
pub const INK: Rgb = (0x1f, 0x29, 0x33);
pub const STROKE: Rgb = (0x55, 0x60, 0x6e);

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
}

/// A run of text: `(x, y)` is its baseline start, or its baseline middle.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub text: String,
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub bold: bool,
    pub anchor: Anchor,
    /// Turned a quarter left, reading upwards (the provider's axis).
    pub upright: bool,
}

/// One of the four fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub action: Action,
    pub rect: Rect,
    pub fill: Rgb,
    /// The action's name, then one line per moment (the focus in bold), then how
    /// many did not fit.
    pub texts: Vec<Text>,
}

/// The whole figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub title: String,
    /// The picture in words, for those who cannot see it.
    pub description: String,
    pub fields: Vec<Field>,
    /// The axis labels.
    pub axes: Vec<Text>,
}

/// The customer or the provider as the subject of a sentence.
pub(crate) fn subject(p: Perspective, lang: Lang) -> &'static str {
    match p {
        Perspective::Customer => pick(lang, "Kunden", "The customer"),
        Perspective::Provider => pick(lang, "Tjänsteleverantören", "The provider"),
    }
}

fn side(p: Perspective, stance: Stance, lang: Lang) -> String {
    format!("{} {}", subject(p, lang), stance.label(lang))
}

/// Light tints that tell the fields apart in print, in colour and in grey.
fn fill(action: Action) -> Rgb {
    match action {
        Action::Simplify => (0xfd, 0xe9, 0xc8),
        Action::Strengthen => (0xd8, 0xf0, 0xdc),
        Action::Automate => (0xdc, 0xe6, 0xf7),
        Action::Autonomise => (0xea, 0xdc, 0xf5),
    }
}

fn shortened(title: &str) -> String {
    if title.chars().count() <= TITLE_MAX {
        return title.to_string();
    }
    let kept: String = title.chars().take(TITLE_MAX - 1).collect();
    format!("{}…", kept.trim_end())
}

fn text(text: String, x: f32, y: f32, size: f32, bold: bool, anchor: Anchor) -> Text {
    Text {
        text,
        x,
        y,
        size,
        bold,
        anchor,
        upright: false,
    }
}

/// The moments of one field: title, phase, whether it is the chosen focus.
type Placed<'a> = Vec<(&'a str, Phase, bool)>;

/// Lays out the matrix of `doc` in `lang`.
pub fn figure(doc: &StrategyDocument, lang: Lang) -> Figure {
    let focus = doc
        .section(SectionKind::Focus)
        .and_then(|s| s.claims.first())
        .and_then(|c| match &c.statement {
            Statement::Focus { moment, phase, .. } => Some((moment.as_str(), *phase)),
            _ => None,
        });
    let classified: Vec<(&str, Phase, Action)> = doc
        .section(SectionKind::Matrix)
        .map(|s| s.claims.as_slice())
        .unwrap_or_default()
        .iter()
        .filter_map(|c| match &c.statement {
            Statement::Classified {
                moment,
                phase,
                quadrant,
            } => Some((moment.as_str(), *phase, quadrant.action)),
            _ => None,
        })
        .collect();
    let (w, h) = ((WIDTH - SIDE) / 2.0, (HEIGHT - HEAD) / 2.0);
    // Row by row, as the matrix module draws it: customer across, provider up.
    let order = [
        (Stance::Dislike, Stance::Like),
        (Stance::Like, Stance::Like),
        (Stance::Dislike, Stance::Dislike),
        (Stance::Like, Stance::Dislike),
    ];
    let mut fields = Vec::new();
    let mut words = vec![pick(lang, "Fyrfältsmodellen.", "The four-field model.").to_string()];
    for (i, (customer, provider)) in order.into_iter().enumerate() {
        let action = Action::for_stances(customer, provider);
        let rect = Rect {
            x: SIDE + (i % 2) as f32 * w,
            y: HEAD + (i / 2) as f32 * h,
            width: w,
            height: h,
        };
        let moments: Placed = classified
            .iter()
            .filter(|(_, _, a)| *a == action)
            .map(|(t, p, _)| (*t, *p, focus == Some((*t, *p))))
            .collect();
        let mut texts = vec![text(
            action.label(lang).to_string(),
            rect.x + PAD,
            rect.y + 20.0,
            12.0,
            true,
            Anchor::Start,
        )];
        let shown = if moments.len() > ITEMS_MAX {
            ITEMS_MAX - 1
        } else {
            moments.len()
        };
        let lines = moments
            .iter()
            .take(shown)
            .map(|(t, _, focus)| (shortened(t), *focus))
            .chain((moments.len() > shown).then(|| {
                let more = moments.len() - shown;
                (format!("+{more} {}", pick(lang, "till", "more")), false)
            }));
        for (n, (line, focus)) in lines.enumerate() {
            texts.push(text(
                line,
                rect.x + PAD,
                rect.y + 38.0 + n as f32 * ITEM_STEP,
                ITEM_SIZE,
                focus,
                Anchor::Start,
            ));
        }
        words.push(describe(action, customer, provider, &moments, lang));
        fields.push(Field {
            action,
            rect,
            fill: fill(action),
            texts,
        });
    }
    let axes = vec![
        text(
            format!("← {}", side(Perspective::Customer, Stance::Dislike, lang)),
            SIDE + w / 2.0,
            HEAD - 6.0,
            9.0,
            false,
            Anchor::Middle,
        ),
        text(
            format!("{} →", side(Perspective::Customer, Stance::Like, lang)),
            SIDE + 1.5 * w,
            HEAD - 6.0,
            9.0,
            false,
            Anchor::Middle,
        ),
        Text {
            upright: true,
            ..text(
                format!("{} →", side(Perspective::Provider, Stance::Like, lang)),
                SIDE - 7.0,
                HEAD + h / 2.0,
                9.0,
                false,
                Anchor::Middle,
            )
        },
        Text {
            upright: true,
            ..text(
                format!("← {}", side(Perspective::Provider, Stance::Dislike, lang)),
                SIDE - 7.0,
                HEAD + 1.5 * h,
                9.0,
                false,
                Anchor::Middle,
            )
        },
    ];
    Figure {
        title: pick(lang, "Fyrfältsmodellen", "The four-field model").to_string(),
        description: words.join(" "),
        fields,
        axes,
    }
}

/// One field in words: "Förenkla (kunden ogillar, tjänsteleverantören gillar): A, B (fokus)."
fn describe(
    action: Action,
    customer: Stance,
    provider: Stance,
    moments: &Placed,
    lang: Lang,
) -> String {
    let list = if moments.is_empty() {
        pick(lang, "inga moment", "no moments").to_string()
    } else {
        moments
            .iter()
            .map(|(t, p, focus)| {
                let mut s = format!("{t} ({})", p.label(lang).to_lowercase());
                if *focus {
                    s.push_str(pick(lang, ", valt fokus", ", chosen focus"));
                }
                s
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    format!(
        "{} ({}, {}): {list}.",
        action.label(lang),
        side(Perspective::Customer, customer, lang).to_lowercase(),
        side(Perspective::Provider, provider, lang).to_lowercase()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::fixture;
    use crate::research::protocol::{MomentInput, StanceInput};

    fn add(p: &mut crate::research::Project, title: &str, customer: &str, provider: &str) {
        let id = p
            .add_moment(&MomentInput {
                phase: Some("during".into()),
                title: Some(title.into()),
                ..Default::default()
            })
            .unwrap();
        for (perspective, stance) in [("customer", customer), ("provider", provider)] {
            p.record_stance(
                id,
                &StanceInput {
                    perspective: Some(perspective.into()),
                    stance: Some(stance.into()),
                    ..Default::default()
                },
            )
            .unwrap();
        }
    }

    #[test]
    fn each_moment_is_drawn_in_its_field_and_the_fields_tile_the_figure() {
        let mut p = fixture::empty_project();
        add(&mut p, "Betala vägtull", "dislike", "dislike");
        add(&mut p, "Deklarera", "dislike", "like");
        add(&mut p, "Boka biljett dygnet runt", "like", "dislike");
        add(&mut p, "Samla poäng", "like", "like");
        let f = figure(&p.strategy(), Lang::Sv);
        let at = |a: Action| f.fields.iter().find(|x| x.action == a).unwrap();
        for (action, title, col, row) in [
            (Action::Simplify, "Deklarera", 0, 0),
            (Action::Strengthen, "Samla poäng", 1, 0),
            (Action::Automate, "Betala vägtull", 0, 1),
            (Action::Autonomise, "Boka biljett dygnet runt", 1, 1),
        ] {
            let field = at(action);
            assert_eq!(field.texts[0].text, action.label(Lang::Sv));
            assert_eq!(field.texts[1].text, title);
            let r = field.rect;
            assert_eq!(r.x, SIDE + col as f32 * r.width);
            assert_eq!(r.y, HEAD + row as f32 * r.height);
            assert!(
                field
                    .texts
                    .iter()
                    .all(|t| t.y > r.y && t.y < r.y + r.height)
            );
        }
        let area: f32 = f.fields.iter().map(|x| x.rect.width * x.rect.height).sum();
        assert_eq!(area, (WIDTH - SIDE) * (HEIGHT - HEAD));
        assert!(f.description.contains(
            "Automatisera (kunden ogillar, tjänsteleverantören ogillar): Betala vägtull (under)."
        ));
        assert!(f.axes.iter().any(|a| a.text == "Kunden gillar →"));
    }

    #[test]
    fn a_crowded_field_counts_what_does_not_fit_and_long_titles_are_cut() {
        let mut p = fixture::empty_project();
        let long = "En mycket lång titel på ett moment som aldrig tar slut i rutan";
        add(&mut p, long, "like", "like");
        for i in 0..9 {
            add(&mut p, &format!("Moment {i}"), "like", "like");
        }
        let f = figure(&p.strategy(), Lang::En);
        let field = f
            .fields
            .iter()
            .find(|x| x.action == Action::Strengthen)
            .unwrap();
        assert_eq!(field.texts.len(), 1 + ITEMS_MAX);
        assert_eq!(field.texts.last().unwrap().text, "+4 more");
        let cut = field
            .texts
            .iter()
            .find(|t| t.text.starts_with("En"))
            .unwrap();
        assert!(cut.text.chars().count() <= TITLE_MAX);
        assert!(cut.text.ends_with('…'));
        let bottom = field.texts.last().unwrap().y;
        assert!(bottom < field.rect.y + field.rect.height);
        assert!(
            f.description
                .contains("Simplify (the customer dislikes, the provider likes): no moments.")
        );
    }

    #[test]
    fn the_focus_is_bold_and_said_in_words() {
        let doc = fixture::full_project().strategy();
        let f = figure(&doc, Lang::Sv);
        let bold: Vec<&Text> = f
            .fields
            .iter()
            .flat_map(|x| x.texts.iter().skip(1))
            .filter(|t| t.bold)
            .collect();
        assert_eq!(bold.len(), 1, "{f:?}");
        assert!(f.description.contains("valt fokus"));
    }
}
