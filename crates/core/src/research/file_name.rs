//! A download's file name from the project's title and the day it was made, e.g.
//! `kafe-torget-strategi-2026-12-03.pdf`: a board member's folder then sorts the
//! strategies by project and date. Two spellings, for RFC 6266: one folded to
//! ASCII for every client, and one that keeps the title's own letters.

use crate::lang::{Lang, pick};
use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileName {
    /// Lower-case a–z, 0–9 and hyphens: `kafe-torget-strategi-2026-12-03.pdf`.
    pub ascii: String,
    /// The same with the title's letters kept: `kafé-torget-strategi-2026-12-03.pdf`.
    pub unicode: String,
}

/// Words joined by single hyphens; `keep` says which characters make words.
fn slug(text: &str, keep: impl Fn(char) -> bool) -> String {
    text.to_lowercase()
        .split(|c: char| !keep(c))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// The accents taken off (`é` → `e`, `å` → `a`); letters with no ASCII base go.
fn folded(text: &str) -> String {
    text.nfd().filter(char::is_ascii).collect()
}

/// The strategy document's file name, with `extension` (without the dot).
pub fn strategy_file_name(title: &str, date: NaiveDate, lang: Lang, extension: &str) -> FileName {
    let word = pick(lang, "strategi", "strategy");
    let name = |title: String| {
        if title.is_empty() {
            format!("{word}-{date}.{extension}")
        } else {
            format!("{title}-{word}-{date}.{extension}")
        }
    };
    FileName {
        ascii: name(slug(&folded(title), |c| c.is_ascii_alphanumeric())),
        unicode: name(slug(title, char::is_alphanumeric)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
    }

    #[test]
    fn a_swedish_title_folds_to_ascii_and_keeps_its_letters_beside() {
        let n = strategy_file_name("Kafé  Torget: Året runt!", day(), Lang::Sv, "pdf");
        assert_eq!(n.ascii, "kafe-torget-aret-runt-strategi-2026-12-03.pdf");
        assert_eq!(n.unicode, "kafé-torget-året-runt-strategi-2026-12-03.pdf");
        let en = strategy_file_name("Öl & Bröd", day(), Lang::En, "pdf");
        assert_eq!(en.ascii, "ol-brod-strategy-2026-12-03.pdf");
    }

    #[test]
    fn a_title_without_latin_letters_or_slashes_leaves_a_safe_name() {
        let n = strategy_file_name("../../etc/passwd", day(), Lang::Sv, "pdf");
        assert_eq!(n.ascii, "etc-passwd-strategi-2026-12-03.pdf");
        let n = strategy_file_name("東京 \"x\"", day(), Lang::En, "pdf");
        assert_eq!(n.ascii, "x-strategy-2026-12-03.pdf");
        assert_eq!(n.unicode, "東京-x-strategy-2026-12-03.pdf");
        let n = strategy_file_name("★", day(), Lang::Sv, "pdf");
        assert_eq!(n.ascii, "strategi-2026-12-03.pdf");
    }
}
