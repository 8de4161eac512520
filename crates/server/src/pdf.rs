//! The strategy document as a PDF, made in-process: no browser and no font files
//! needed. Page 1 opens with the four-field figure drawn as vectors (the layout of
//! `research::figure`, which the HTML draws too), then the text of the Markdown.
//! It uses the standard Helvetica faces every PDF reader has, with WinAnsi encoding
//! (Swedish letters and typographic quotes included), the standard Symbol font for
//! the arrows WinAnsi lacks, and wraps lines by the published glyph widths.

use motesplats_core::Lang;
use motesplats_core::research::figure::{self, Anchor, Figure, Rgb};
use motesplats_core::research::{StrategyDocument, to_markdown};
use pdf_writer::{Content, Name, Pdf, Rect, Ref, Str};

const PAGE: (f32, f32) = (595.0, 842.0);
const MARGIN: f32 = 56.0;

/// Helvetica widths (thousandths of the font size) of ASCII 32..=126.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// Bold is wider; this factor keeps wrapped bold lines inside the margin.
const BOLD_WIDER: f32 = 1.07;

/// A character in WinAnsi, or `?` where it has none.
fn win_ansi(c: char) -> u8 {
    match c {
        ' '..='~' => c as u8,
        '\u{a0}'..='\u{ff}' => c as u32 as u8,
        '€' => 0x80,
        '…' => 0x85,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        _ => b'?',
    }
}

/// A character WinAnsi lacks in the Symbol font's own encoding, with its width.
fn symbol(c: char) -> Option<(u8, u16)> {
    match c {
        '→' => Some((0xAE, 987)),
        '←' => Some((0xAC, 987)),
        '−' => Some((0x2D, 549)),
        '≤' => Some((0xA3, 549)),
        '≥' => Some((0xB3, 549)),
        _ => None,
    }
}

fn width(text: &str, size: f32, bold: bool) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| match (c, symbol(c)) {
            (_, Some((_, w))) => u32::from(w),
            (' '..='~', _) => u32::from(HELVETICA[c as usize - 32]),
            _ => 556,
        })
        .sum();
    units as f32 / 1000.0 * size * if bold { BOLD_WIDER } else { 1.0 }
}

/// Splits `text` into lines no wider than `max`.
fn wrap(text: &str, size: f32, bold: bool, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate, size, bold) > max && !line.is_empty() {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Markdown's backslash escapes and emphasis marks removed for print.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '*' | '`' => {}
            _ => out.push(c),
        }
    }
    out
}

/// Shows `text` at the current text position: runs of WinAnsi in the Helvetica
/// face asked for, runs of arrows and signs in Symbol.
fn show(content: &mut Content, text: &str, bold: bool, size: f32) {
    let face = Name(if bold { b"F2" } else { b"F1" });
    let mut run: Vec<u8> = Vec::new();
    let mut in_symbol = false;
    let flush = |content: &mut Content, run: &mut Vec<u8>, in_symbol: bool| {
        if !run.is_empty() {
            content.set_font(if in_symbol { Name(b"F3") } else { face }, size);
            content.show(Str(run));
            run.clear();
        }
    };
    for c in text.chars() {
        let (byte, sym) = match symbol(c) {
            Some((b, _)) => (b, true),
            None => (win_ansi(c), false),
        };
        if sym != in_symbol {
            flush(content, &mut run, in_symbol);
            in_symbol = sym;
        }
        run.push(byte);
    }
    flush(content, &mut run, in_symbol);
}

/// One line to set: its text, size, face and indent.
struct Line {
    text: String,
    size: f32,
    bold: bool,
    indent: f32,
    space_before: f32,
}

fn lines(markdown: &str) -> Vec<Line> {
    let usable = PAGE.0 - 2.0 * MARGIN;
    let mut out = Vec::new();
    for raw in markdown.lines() {
        let (text, size, bold, indent, bullet, space) = if let Some(t) = raw.strip_prefix("# ") {
            (t, 18.0, true, 0.0, false, 0.0)
        } else if let Some(t) = raw.strip_prefix("## ") {
            (t, 13.5, true, 0.0, false, 14.0)
        } else if let Some(t) = raw.strip_prefix("### ") {
            (t, 11.5, true, 0.0, false, 10.0)
        } else if let Some(t) = raw.strip_prefix("- ").or_else(|| raw.strip_prefix("* ")) {
            (t, 10.5, false, 14.0, true, 2.0)
        } else if let Some(t) = raw.strip_prefix("  - ") {
            // A note under an item (what the chosen action means), under its text.
            (t, 10.5, false, 22.0, true, 2.0)
        } else if raw.trim().is_empty() {
            continue;
        } else {
            (raw, 10.5, false, 0.0, false, 5.0)
        };
        let text = plain(text);
        for (i, wrapped) in wrap(&text, size, bold, usable - indent)
            .into_iter()
            .enumerate()
        {
            let first = i == 0;
            out.push(Line {
                text: if bullet && first {
                    format!("• {wrapped}")
                } else {
                    wrapped
                },
                size,
                bold,
                indent: if bullet && !first {
                    indent + 8.0
                } else {
                    indent
                },
                space_before: if first { space } else { 0.0 },
            });
        }
    }
    out
}

/// What is set on a page: a line of text, or the figure.
enum Block<'a> {
    Line(&'a Line),
    Figure,
}

/// Blocks on pages, each with its x and the PDF y of its top.
struct Layout<'a> {
    pages: Vec<Vec<(f32, f32, Block<'a>)>>,
    /// The page and PDF y of the figure's top.
    figure_at: (usize, f32),
}

/// Space above and below the figure.
const FIGURE_GAP: f32 = 14.0;

/// Lays out the title lines, the figure, then the rest; a block that does not fit
/// goes onto a new page.
fn layout<'a>(head: &'a [Line], body: &'a [Line]) -> Layout<'a> {
    let mut pages: Vec<Vec<(f32, f32, Block)>> = vec![Vec::new()];
    let mut y = PAGE.1 - MARGIN;
    let mut figure_at = (0, y);
    let blocks = head
        .iter()
        .map(Block::Line)
        .chain(std::iter::once(Block::Figure))
        .chain(body.iter().map(Block::Line));
    for block in blocks {
        let (x, height) = match &block {
            Block::Line(l) => (MARGIN + l.indent, l.size * 1.4 + l.space_before),
            Block::Figure => (MARGIN, figure::HEIGHT + 2.0 * FIGURE_GAP),
        };
        if y - height < MARGIN {
            pages.push(Vec::new());
            y = PAGE.1 - MARGIN;
        }
        let top = y;
        y -= height;
        let at = match block {
            Block::Line(_) => y,
            Block::Figure => {
                figure_at = (pages.len() - 1, top - FIGURE_GAP);
                top - FIGURE_GAP
            }
        };
        if let Some(page) = pages.last_mut() {
            page.push((x, at, block));
        }
    }
    Layout { pages, figure_at }
}

fn rgb(content: &mut Content, (r, g, b): Rgb, fill: bool) {
    let (r, g, b) = (
        f32::from(r) / 255.0,
        f32::from(g) / 255.0,
        f32::from(b) / 255.0,
    );
    if fill {
        content.set_fill_rgb(r, g, b);
    } else {
        content.set_stroke_rgb(r, g, b);
    }
}

/// Draws the figure with its top-left corner at PDF `(x, top)`.
fn draw_figure(content: &mut Content, f: &Figure, x: f32, top: f32) {
    content.save_state();
    content.set_line_width(0.8);
    rgb(content, figure::STROKE, false);
    for field in &f.fields {
        let r = field.rect;
        rgb(content, field.fill, true);
        content.rect(x + r.x, top - r.y - r.height, r.width, r.height);
        content.fill_nonzero_and_stroke();
    }
    rgb(content, figure::INK, true);
    for t in f
        .fields
        .iter()
        .flat_map(|field| &field.texts)
        .chain(&f.axes)
    {
        let shift = match t.anchor {
            Anchor::Start => 0.0,
            Anchor::Middle => width(&t.text, t.size, t.bold) / 2.0,
        };
        let (tx, ty) = (x + t.x, top - t.y);
        content.begin_text();
        content.set_text_matrix(if t.upright {
            [0.0, 1.0, -1.0, 0.0, tx, ty - shift]
        } else {
            [1.0, 0.0, 0.0, 1.0, tx - shift, ty]
        });
        show(content, &t.text, t.bold, t.size);
        content.end_text();
    }
    content.restore_state();
}

/// The strategy document's lines: those above the figure (title and subtitle) and
/// those after it.
fn document_lines(doc: &StrategyDocument, lang: Lang) -> (Vec<Line>, Vec<Line>) {
    let markdown = to_markdown(doc, lang);
    let (head, body) = markdown
        .split_once("\n## ")
        .map(|(h, b)| (h.to_string(), format!("## {b}")))
        .unwrap_or((markdown, String::new()));
    (lines(&head), lines(&body))
}

/// Where the figure's top-left corner is on page 1, in points from the page's top
/// left (as a rasteriser counts), so a test can look inside each field.
pub fn figure_origin(doc: &StrategyDocument, lang: Lang) -> (f32, f32) {
    let (head, body) = document_lines(doc, lang);
    let (_, top) = layout(&head, &body).figure_at;
    (MARGIN, PAGE.1 - top)
}

/// The strategy document as PDF, in `lang`.
pub fn strategy(doc: &StrategyDocument, lang: Lang) -> Vec<u8> {
    let (head, body) = document_lines(doc, lang);
    let placed = layout(&head, &body);
    let figure = figure::figure(doc, lang);

    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let (regular, bold, symbols) = (Ref::new(3), Ref::new(4), Ref::new(5));
    let mut next = 6;
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    // Symbol keeps its built-in encoding, where 0xAE is the right arrow.
    pdf.type1_font(symbols).base_font(Name(b"Symbol"));

    let mut kids = Vec::new();
    for blocks in &placed.pages {
        let (page_id, content_id) = (Ref::new(next), Ref::new(next + 1));
        next += 2;
        kids.push(page_id);
        let mut content = Content::new();
        for (x, y, block) in blocks {
            match block {
                Block::Line(line) => {
                    content.begin_text();
                    content.next_line(*x, *y);
                    show(&mut content, &line.text, line.bold, line.size);
                    content.end_text();
                }
                Block::Figure => draw_figure(&mut content, &figure, *x, *y),
            }
        }
        pdf.stream(content_id, content.finish().as_slice());
        let mut page = pdf.page(page_id);
        page.parent(tree)
            .media_box(Rect::new(0.0, 0.0, PAGE.0, PAGE.1))
            .contents(content_id);
        page.resources()
            .fonts()
            .pair(Name(b"F1"), regular)
            .pair(Name(b"F2"), bold)
            .pair(Name(b"F3"), symbols);
    }
    let count = kids.len() as i32;
    pdf.pages(tree).kids(kids).count(count);
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_documents_wrap_and_break_into_pages_after_the_figure() {
        let paragraph = "Kunden vill kunna handla när butiken är stängd, och det gäller både före och efter köpet. ".repeat(6);
        let head = lines("# Strategi för Torget\n\n*Digitaliseringsstrategi · omgång 1*\n");
        let body = lines(&format!(
            "## Fokus\n\n{}\n\n- Boka dygnet runt\n  - *Vad åtgärden innebär:* Kunden bokar själv.\n",
            paragraph.repeat(12)
        ));
        assert!(
            head.iter()
                .chain(&body)
                .all(|l| width(&l.text, l.size, l.bold) <= PAGE.0 - 2.0 * MARGIN - l.indent + 1.0)
        );
        // A nested item starts where its parent's text does.
        let item = body
            .iter()
            .find(|l| l.text == "• Boka dygnet runt")
            .unwrap();
        let note = body.iter().find(|l| l.text.starts_with("• Vad")).unwrap();
        assert_eq!(note.indent, item.indent + 8.0);
        let placed = layout(&head, &body);
        assert!(placed.pages.len() >= 2, "a long text runs onto more pages");
        let (page, top) = placed.figure_at;
        assert_eq!(page, 0);
        // The figure sits below the title lines and above the first section.
        let first = &placed.pages[0];
        let (_, heading_y, _) = first
            .iter()
            .find(|(_, _, b)| matches!(b, Block::Line(l) if l.text == "Fokus"))
            .unwrap();
        assert!(*heading_y < top - figure::HEIGHT);
        assert!(first.iter().all(|(_, y, _)| *y >= MARGIN));
    }

    #[test]
    fn swedish_letters_and_typographic_marks_are_encoded() {
        let bytes: Vec<u8> = "Åå Ää Öö – ’…’ ”” ✓".chars().map(win_ansi).collect();
        assert_eq!(
            bytes,
            [
                0xC5, 0xE5, b' ', 0xC4, 0xE4, b' ', 0xD6, 0xF6, b' ', 0x96, b' ', 0x92, 0x85, 0x92,
                b' ', 0x94, 0x94, b' ', b'?'
            ]
        );
        assert_eq!(plain(r"Kl\*der \[E1\] **fet** →"), "Kl*der [E1] fet →");
        // The arrow is set in Symbol, the words around it in Helvetica.
        let mut content = Content::new();
        show(&mut content, "ogillar → Autonomisera", false, 10.0);
        let ops = String::from_utf8_lossy(&content.finish()).to_string();
        let faces: Vec<&str> = ops.matches("/F").collect();
        assert_eq!(faces.len(), 3, "{ops}");
        assert!(
            ops.contains("/F1 10 Tf\n(ogillar ) Tj\n/F3 10 Tf\n"),
            "{ops}"
        );
        assert!(ops.contains("/F1 10 Tf\n( Autonomisera) Tj"), "{ops}");
        assert_eq!(width("→", 10.0, false), 9.87);
    }
}
