//! The strategy document as a PDF, made in-process from its Markdown: no browser
//! and no font files needed. It uses the standard Helvetica faces every PDF reader
//! has, with WinAnsi encoding (Swedish letters included), and wraps lines by the
//! published Helvetica glyph widths.

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

fn width(text: &str, size: f32, bold: bool) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| match c {
            ' '..='~' => u32::from(HELVETICA[c as usize - 32]),
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

/// Markdown's backslash escapes and emphasis marks removed for print, and arrows spelt.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '*' | '`' => {}
            // Arrows have no WinAnsi code; spell them.
            '→' => out.push_str("->"),
            '←' => out.push_str("<-"),
            _ => out.push(c),
        }
    }
    out
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

/// The PDF of a Markdown document (headings, paragraphs, bullet lists).
pub fn from_markdown(markdown: &str) -> Vec<u8> {
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let (regular, bold) = (Ref::new(3), Ref::new(4));
    let mut next = 5;
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));

    // Lay the lines out on pages.
    let mut pages: Vec<Vec<(f32, f32, &Line)>> = vec![Vec::new()];
    let all = lines(markdown);
    let mut y = PAGE.1 - MARGIN;
    for line in &all {
        let height = line.size * 1.4 + line.space_before;
        if y - height < MARGIN {
            pages.push(Vec::new());
            y = PAGE.1 - MARGIN;
        }
        y -= height;
        if let Some(page) = pages.last_mut() {
            page.push((MARGIN + line.indent, y, line));
        }
    }

    let mut kids = Vec::new();
    for placed in &pages {
        let (page_id, content_id) = (Ref::new(next), Ref::new(next + 1));
        next += 2;
        kids.push(page_id);
        let mut content = Content::new();
        for (x, y, line) in placed {
            let bytes: Vec<u8> = line.text.chars().map(win_ansi).collect();
            content.begin_text();
            content.set_font(Name(if line.bold { b"F2" } else { b"F1" }), line.size);
            content.next_line(*x, *y);
            content.show(Str(&bytes));
            content.end_text();
        }
        pdf.stream(content_id, content.finish().as_slice());
        let mut page = pdf.page(page_id);
        page.parent(tree)
            .media_box(Rect::new(0.0, 0.0, PAGE.0, PAGE.1))
            .contents(content_id);
        page.resources()
            .fonts()
            .pair(Name(b"F1"), regular)
            .pair(Name(b"F2"), bold);
    }
    let count = kids.len() as i32;
    pdf.pages(tree).kids(kids).count(count);
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_documents_wrap_and_break_into_pages() {
        let paragraph = "Kunden vill kunna handla när butiken är stängd, och det gäller både före och efter köpet. ".repeat(6);
        let md = format!(
            "# Strategi för Torget\n\n## Fokus\n\n{}\n\n- Boka dygnet runt\n",
            paragraph.repeat(12)
        );
        let pdf = from_markdown(&md);
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.matches("/Type /Page\n").count() + text.matches("/Type /Page ").count() >= 1);
        assert!(
            lines(&md)
                .iter()
                .all(|l| width(&l.text, l.size, l.bold) <= PAGE.0 - 2.0 * MARGIN - l.indent + 1.0)
        );
        let pages = text.matches("/Parent").count();
        assert!(pages >= 2, "a long text runs onto more pages ({pages})");
    }

    #[test]
    fn swedish_letters_and_typographic_marks_are_encoded() {
        let bytes: Vec<u8> = "Åå Ää Öö – ’…’ ✓".chars().map(win_ansi).collect();
        assert_eq!(
            bytes,
            [
                0xC5, 0xE5, b' ', 0xC4, 0xE4, b' ', 0xD6, 0xF6, b' ', 0x96, b' ', 0x92, 0x85, 0x92,
                b' ', b'?'
            ]
        );
        assert_eq!(plain(r"Kl\*der \[E1\] **fet** →"), "Kl*der [E1] fet ->");
    }
}
