//! The strategy document as Markdown and as HTML, in Swedish or English. Pure
//! string building: every piece of the project's own text is escaped for the
//! target format, the words around it come from here.

use super::evidence::EvidenceItem;
use super::explain::Explain;
use super::figure::{Anchor, Figure, Rgb, figure};
use super::observation::board_mark;
use super::strategy::{Claim, Statement, StrategyDocument};
use crate::lang::{Label, Lang, pick};
use crate::value::{Motivation, Phase};

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for inline Markdown: characters with meaning get a backslash, so
/// `*`, `[`, `<` and friends in a story stay text; line breaks become spaces, so no
/// text can start a block of its own.
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '!' => {
                out.push('\\');
                out.push(ch);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn phases(list: &[Phase], lang: Lang) -> String {
    list.iter()
        .map(|p| p.label(lang).to_lowercase())
        .collect::<Vec<_>>()
        .join(", ")
}

fn motivations(list: &[Motivation], lang: Lang) -> String {
    list.iter()
        .map(|m| m.label(lang))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The text ending in a full stop (or the question or exclamation mark it has).
fn sentence(s: &str) -> String {
    if s.ends_with(['.', '!', '?', '…']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

/// Text in the language's quotation marks: Swedish ”…”, English “…”.
pub fn quoted(text: &str, lang: Lang) -> String {
    match lang {
        Lang::Sv => format!("”{text}”"),
        Lang::En => format!("“{text}”"),
    }
}

/// An appendix entry in words, named by what it is and what it belongs to, never
/// by its id: `Moment i berättelse ”Vinterjacka” (före): Butiken hade stängt`.
pub fn evidence_text(item: &EvidenceItem, lang: Lang) -> String {
    let mut out = item.reference.kind_label(lang).to_string();
    if let Some(source) = &item.source {
        out.push(' ');
        out.push_str(&quoted(source, lang));
    }
    if let Some(phase) = item.phase {
        out.push_str(&format!(" ({})", phase.label(lang).to_lowercase()));
    }
    // A like or dislike without a reason is summed up by its moment's title: said once.
    if item.source.as_ref() != Some(&item.summary) {
        out.push_str(": ");
        out.push_str(&item.summary);
    }
    out
}

fn with_reason(mut body: String, reason: &Option<String>, lang: Lang) -> String {
    if let Some(r) = reason {
        body.push_str(pick(lang, " Skäl: ", " Reason: "));
        body.push_str(&sentence(r));
    }
    body
}

/// A claim in words: a short label (may be empty) and the sentence.
pub fn statement_text(s: &Statement, lang: Lang) -> (String, String) {
    match s {
        Statement::CarriedFocus {
            moment,
            phase,
            action,
            reason,
        } => (
            pick(lang, "Förra omgångens fokus", "Previous round's focus").into(),
            with_reason(
                format!(
                    "{moment} ({}): {}.",
                    phase.label(lang).to_lowercase(),
                    action.label(lang)
                ),
                reason,
                lang,
            ),
        ),
        Statement::CarriedReflection { text } => (
            pick(
                lang,
                "Förra omgångens reflektion",
                "Previous round's reflection",
            )
            .into(),
            text.clone(),
        ),
        Statement::Experience {
            purchase,
            phase,
            valence,
            text,
        } => (
            format!("{} · {}", phase.label(lang), valence.label(lang)),
            format!("{purchase}: {text}"),
        ),
        Statement::Value { phase, text } => (phase.label(lang).into(), quoted(text, lang)),
        Statement::Observed {
            phase,
            valence,
            text,
        } => (
            format!("{} · {}", phase.label(lang), board_mark(*valence, lang)),
            text.clone(),
        ),
        Statement::Function {
            name,
            what,
            phases: ps,
            motivations: ms,
            needs_care,
        } => {
            let mut body = format!(
                "{} {}{}.",
                sentence(what),
                pick(lang, "Faser: ", "Phases: "),
                phases(ps, lang)
            );
            if !ms.is_empty() {
                body.push_str(pick(lang, " Stödjer: ", " Supports: "));
                body.push_str(&motivations(ms, lang));
                body.push('.');
            }
            if *needs_care {
                body.push_str(pick(
                    lang,
                    " Kräver varsamhet: kan upplevas påträngande.",
                    " Handle with care: may feel intrusive.",
                ));
            }
            (name.clone(), body)
        }
        Statement::Classified {
            moment,
            phase,
            quadrant,
        } => (
            format!("{moment} ({})", phase.label(lang).to_lowercase()),
            format!(
                "{} {}, {} {} → {}.",
                pick(lang, "Kunden", "The customer"),
                quadrant.customer.label(lang),
                pick(lang, "tjänsteleverantören", "the provider"),
                quadrant.provider.label(lang),
                quadrant.action.label(lang)
            ),
        ),
        Statement::Unclassified {
            moment,
            phase,
            reason,
        } => (
            format!("{moment} ({})", phase.label(lang).to_lowercase()),
            format!(
                "{} {}.",
                pick(lang, "Ej klassificerat:", "Not classified:"),
                reason.describe(lang)
            ),
        ),
        Statement::Remedy {
            moment,
            perspective,
            reason,
            source,
            functions,
        } => {
            let whose = perspective.label(lang);
            let mut body = match source {
                Some(so) => format!(
                    "{} ({whose}, {})",
                    pick(lang, "Ogillas", "Disliked"),
                    so.label(lang)
                ),
                None => format!("{} ({whose})", pick(lang, "Ogillas", "Disliked")),
            };
            match reason {
                Some(r) => {
                    body.push_str(": ");
                    body.push_str(&sentence(r));
                }
                None => body.push('.'),
            }
            body.push_str(pick(
                lang,
                " Kan vändas till gillar med: ",
                " Could become a like with: ",
            ));
            body.push_str(&functions.join(", "));
            body.push('.');
            (moment.clone(), body)
        }
        Statement::Focus {
            moment,
            phase,
            action,
            suggested,
            reason,
            functions,
        } => {
            let mut body = format!(
                "{}{}",
                pick(lang, "Åtgärd: ", "Action: "),
                action.label(lang)
            );
            if let Some(s) = suggested.filter(|s| s != action) {
                body.push_str(&format!(
                    " ({} {})",
                    pick(
                        lang,
                        "fyrfältsmodellen föreslår",
                        "the four-field model suggests"
                    ),
                    s.label(lang)
                ));
            }
            body.push('.');
            let mut body = with_reason(body, reason, lang);
            if !functions.is_empty() {
                body.push_str(pick(lang, " Digitala funktioner: ", " Digital functions: "));
                body.push_str(&functions.join(", "));
                body.push('.');
            }
            (
                format!("{moment} ({})", phase.label(lang).to_lowercase()),
                body,
            )
        }
        Statement::Implementation {
            route,
            partnership,
            note,
        } => {
            let mut body = format!("{}, {}.", route.label(lang), partnership.label(lang));
            if let Some(n) = note {
                body.push(' ');
                body.push_str(&sentence(n));
            }
            (pick(lang, "Väg", "Route").into(), body)
        }
        Statement::CarriedTask {
            who,
            what,
            when,
            done,
        } => {
            let status = match done {
                Some(true) => pick(lang, "gjort", "done"),
                Some(false) => pick(lang, "inte gjort", "not done"),
                None => pick(lang, "inte avstämt ännu", "not checked yet"),
            };
            (
                format!(
                    "{} {when}",
                    pick(lang, "Förra omgångens plan,", "Last round's plan,")
                ),
                format!("{who}: {} ({status})", sentence(what)),
            )
        }
        Statement::Task { who, what, when } => {
            (when.to_string(), format!("{who}: {}", sentence(what)))
        }
        Statement::Reflection { text } => (String::new(), text.clone()),
    }
}

fn labels<'a>(doc: &'a StrategyDocument, claim: &Claim) -> Vec<&'a str> {
    claim
        .evidence
        .iter()
        .filter_map(|r| doc.label(*r))
        .collect()
}

fn subtitle(doc: &StrategyDocument, lang: Lang) -> String {
    format!(
        "{} · {} {}",
        pick(lang, "Digitaliseringsstrategi", "Digitalisation strategy"),
        pick(lang, "omgång", "round"),
        doc.round
    )
}

const NOTHING_YET: (&str, &str) = ("Inget underlag ännu.", "Nothing here yet.");
const EVIDENCE: (&str, &str) = ("Underlag", "Evidence");
const MEANING: (&str, &str) = ("Vad åtgärden innebär", "What the action means");

/// What the chosen action means, said under the focus: the document travels to
/// people who were not at the workshop.
fn action_meaning(s: &Statement, lang: Lang) -> Option<&'static str> {
    match s {
        Statement::Focus { action, .. } => Some(action.explanation(lang)),
        _ => None,
    }
}

/// The document as Markdown.
pub fn to_markdown(doc: &StrategyDocument, lang: Lang) -> String {
    let mut out = format!(
        "# {}\n\n*{}*\n",
        escape_markdown(&doc.title),
        subtitle(doc, lang)
    );
    for section in &doc.sections {
        out.push_str(&format!("\n## {}\n\n", section.kind.label(lang)));
        if section.claims.is_empty() {
            out.push_str(&format!(
                "- *{}*\n",
                pick(lang, NOTHING_YET.0, NOTHING_YET.1)
            ));
        }
        for claim in &section.claims {
            let (label, body) = statement_text(&claim.statement, lang);
            out.push_str("- ");
            if !label.is_empty() {
                out.push_str(&format!("**{}:** ", escape_markdown(&label)));
            }
            out.push_str(&escape_markdown(&body));
            let cited = labels(doc, claim);
            if !cited.is_empty() {
                out.push_str(&format!(" ({})", cited.join(", ")));
            }
            out.push('\n');
            if let Some(meaning) = action_meaning(&claim.statement, lang) {
                out.push_str(&format!(
                    "  - *{}:* {}\n",
                    pick(lang, MEANING.0, MEANING.1),
                    escape_markdown(meaning)
                ));
            }
        }
    }
    out.push_str(&format!("\n## {}\n\n", pick(lang, EVIDENCE.0, EVIDENCE.1)));
    for e in &doc.evidence {
        out.push_str(&format!(
            "- **{}** {}\n",
            e.label,
            escape_markdown(&evidence_text(&e.item, lang))
        ));
    }
    out
}

/// The document as a standalone HTML page.
pub fn to_html(doc: &StrategyDocument, lang: Lang) -> String {
    let title = escape_html(&doc.title);
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head><meta charset=\"utf-8\"><title>{title}</title></head>\n<body>\n<article class=\"strategy\">\n<h1>{title}</h1>\n<p class=\"meta\">{}</p>\n",
        lang.as_str(),
        escape_html(&subtitle(doc, lang))
    );
    out.push_str(&svg(&figure(doc, lang)));
    for section in &doc.sections {
        out.push_str(&format!(
            "<section class=\"{}\">\n<h2>{}</h2>\n<ul>\n",
            section.kind.as_str(),
            escape_html(section.kind.label(lang))
        ));
        if section.claims.is_empty() {
            out.push_str(&format!(
                "<li class=\"empty\">{}</li>\n",
                pick(lang, NOTHING_YET.0, NOTHING_YET.1)
            ));
        }
        for claim in &section.claims {
            let (label, body) = statement_text(&claim.statement, lang);
            out.push_str("<li>");
            if !label.is_empty() {
                out.push_str(&format!("<strong>{}:</strong> ", escape_html(&label)));
            }
            out.push_str(&escape_html(&body));
            let cited: Vec<String> = labels(doc, claim)
                .into_iter()
                .map(|l| format!("<a href=\"#{0}\">{0}</a>", escape_html(l)))
                .collect();
            if !cited.is_empty() {
                out.push_str(&format!(
                    " <span class=\"refs\">({})</span>",
                    cited.join(", ")
                ));
            }
            if let Some(meaning) = action_meaning(&claim.statement, lang) {
                out.push_str(&format!(
                    "<p class=\"explanation\"><em>{}:</em> {}</p>",
                    pick(lang, MEANING.0, MEANING.1),
                    escape_html(meaning)
                ));
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n</section>\n");
    }
    out.push_str(&format!(
        "<section class=\"evidence\">\n<h2>{}</h2>\n<ol>\n",
        pick(lang, EVIDENCE.0, EVIDENCE.1)
    ));
    for e in &doc.evidence {
        out.push_str(&format!(
            "<li id=\"{0}\"><strong>{0}</strong> {1}</li>\n",
            escape_html(&e.label),
            escape_html(&evidence_text(&e.item, lang))
        ));
    }
    out.push_str("</ol>\n</section>\n</article>\n</body>\n</html>\n");
    out
}

fn hex((r, g, b): Rgb) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// The four-field figure as inline SVG, an image with its text alternative.
pub fn svg(f: &Figure) -> String {
    use super::figure::{HEIGHT, INK, STROKE, WIDTH};
    let mut out = format!(
        "<figure class=\"matrix\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" height=\"{HEIGHT}\" style=\"max-width: 100%; height: auto\" role=\"img\" aria-labelledby=\"matrix-title matrix-desc\" font-family=\"Helvetica, Arial, sans-serif\" fill=\"{}\">\n<title id=\"matrix-title\">{}</title>\n<desc id=\"matrix-desc\">{}</desc>\n",
        hex(INK),
        escape_html(&f.title),
        escape_html(&f.description)
    );
    for field in &f.fields {
        let r = field.rect;
        out.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"{}\"/>\n",
            r.x,
            r.y,
            r.width,
            r.height,
            hex(field.fill),
            hex(STROKE)
        ));
    }
    let texts = f.fields.iter().flat_map(|field| &field.texts);
    for t in texts.chain(&f.axes) {
        let anchor = match t.anchor {
            Anchor::Start => "",
            Anchor::Middle => " text-anchor=\"middle\"",
        };
        let weight = if t.bold { " font-weight=\"bold\"" } else { "" };
        let turn = if t.upright {
            format!(" transform=\"rotate(-90 {} {})\"", t.x, t.y)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\"{weight}{anchor}{turn}>{}</text>\n",
            t.x,
            t.y,
            t.size,
            escape_html(&t.text)
        ));
    }
    out.push_str("</svg>\n</figure>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::fixture;

    #[test]
    fn markdown_cites_every_reference_in_both_languages() {
        let p = fixture::full_project();
        let doc = p.strategy();
        for lang in [Lang::Sv, Lang::En] {
            let md = to_markdown(&doc, lang);
            // Cited by readable words, never by an id a reader cannot follow.
            assert!(!md.contains("story_moment") && !md.contains('`'));
            for r in doc.cited() {
                assert!(!md.contains(&r.uuid().to_string()), "{lang:?}: {}", r.key());
            }
            for e in &doc.evidence {
                assert!(md.contains(&format!(
                    "**{}** {}\n",
                    e.label,
                    escape_markdown(&evidence_text(&e.item, lang))
                )));
            }
        }
        let sv = to_markdown(&doc, Lang::Sv);
        assert!(sv.contains("## Fyrfältsmodellen"));
        assert!(sv.contains("→ Autonomisera"), "{sv}");
        let en = to_markdown(&doc, Lang::En);
        assert!(en.contains("## The four-field model"));
        assert!(en.contains("## Evidence"));
        // A moment of a story is named with its story and phase; the quotes are typographic.
        let moment = doc
            .evidence
            .iter()
            .find(|e| e.item.source.is_some() && e.item.phase.is_some())
            .unwrap();
        let line = evidence_text(&moment.item, Lang::Sv);
        let source = moment.item.source.as_deref().unwrap();
        assert!(line.contains(&format!(" ”{source}” (")), "{line}");
        assert!(en.contains(&format!("“{source}”")), "{en}");
        assert!(!sv.contains('"') && !sv.contains("->"));
        // A remedied dislike says where it came from when its protocol did.
        assert!(
            sv.contains("Ogillas (kund, frågade kunder): Butiken var stängd"),
            "{sv}"
        );
        assert!(
            en.contains("Disliked (customer, customers asked): "),
            "{en}"
        );
        assert!(sv.contains("Ogillas (kund): Jag tappar lusten"), "{sv}");
    }

    #[test]
    fn html_draws_the_matrix_with_its_text_alternative() {
        let doc = fixture::full_project().strategy();
        let html = to_html(&doc, Lang::Sv);
        let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()];
        assert!(svg.contains("role=\"img\" aria-labelledby=\"matrix-title matrix-desc\""));
        assert_eq!(svg.matches("<rect ").count(), 4);
        let f = figure(&doc, Lang::Sv);
        assert!(svg.contains(&format!(
            "<desc id=\"matrix-desc\">{}</desc>",
            escape_html(&f.description)
        )));
        for field in &f.fields {
            assert!(svg.contains(&format!("fill=\"{}\"", hex(field.fill))));
            for t in &field.texts {
                assert!(
                    svg.contains(&format!(">{}</text>", escape_html(&t.text))),
                    "{}",
                    t.text
                );
            }
        }
        assert!(svg.contains("Kunden gillar →</text>"));
    }

    #[test]
    fn html_escapes_a_malicious_title_and_story() {
        let mut p = fixture::full_project();
        p.title = "<script>alert(\"x\")</script> & 'co'".into();
        p.stories[0].purchase = "<img src=x onerror=alert(1)>".into();
        let html = to_html(&p.strategy(), Lang::En);
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<img"));
        assert!(html.contains(
            "<title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</title>"
        ));
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    }

    #[test]
    fn markdown_keeps_story_text_as_text() {
        assert_eq!(
            escape_markdown("*fet* [länk](x)\n# rubrik"),
            "\\*fet\\* \\[länk\\](x) \\# rubrik"
        );
        let mut p = fixture::full_project();
        p.title = "[klicka](javascript:alert(1))".into();
        let md = to_markdown(&p.strategy(), Lang::Sv);
        assert!(
            md.starts_with("# \\[klicka\\](javascript:alert(1))\n"),
            "{md}"
        );
    }

    #[test]
    fn the_focus_says_what_its_action_means() {
        use crate::research::strategy::SectionKind;
        use crate::value::Action;
        let doc = fixture::full_project().strategy();
        for &lang in Lang::ALL {
            let section = |text: &str, start: &str, end: &str| {
                let from = text.find(start).unwrap();
                let to = text[from..].find(end).map_or(text.len(), |i| from + i);
                text[from..to].to_string()
            };
            let meaning = Action::Autonomise.explanation(lang);
            let label = pick(lang, MEANING.0, MEANING.1);
            let md = to_markdown(&doc, lang);
            let focus = section(
                &md,
                &format!("## {}", SectionKind::Focus.label(lang)),
                "\n## ",
            );
            // Nested under the focus item, the line that names the action.
            let nested = format!("  - *{label}:* {}", escape_markdown(meaning));
            let lines: Vec<&str> = focus.lines().collect();
            let at = lines.iter().position(|l| *l == nested).expect(&focus);
            assert!(
                lines[at - 1].contains(Action::Autonomise.label(lang)),
                "{focus}"
            );
            assert_eq!(md.matches(label).count(), 1, "only the chosen action");
            let html = to_html(&doc, lang);
            let focus = section(&html, "<section class=\"focus\">", "</section>");
            assert!(
                focus.contains(&format!(
                    "<p class=\"explanation\"><em>{label}:</em> {}</p></li>",
                    escape_html(meaning)
                )),
                "{focus}"
            );
            for other in Action::ALL.iter().filter(|a| **a != Action::Autonomise) {
                assert!(!md.contains(&escape_markdown(other.explanation(lang))));
            }
        }
        let empty = fixture::empty_project().strategy();
        assert!(!to_markdown(&empty, Lang::Sv).contains(MEANING.0));
    }

    #[test]
    fn empty_sections_say_so() {
        let p = fixture::empty_project();
        let md = to_markdown(&p.strategy(), Lang::Sv);
        assert_eq!(md.matches("Inget underlag ännu.").count(), 8);
        let html = to_html(&p.strategy(), Lang::En);
        assert_eq!(html.matches("Nothing here yet.").count(), 8);
    }
}
