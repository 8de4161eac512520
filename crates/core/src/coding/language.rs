//! The language to read an open answer in, for the coding suggestions.
//!
//! A response declares one language (the one its form was shown in), but people write
//! in the language they like: an English answer in a Swedish form read with Swedish
//! cues gets Swedish suggestions, mostly wrong ones. Where the survey offers both
//! Swedish and English, the answer's own words decide, through `whatlang` limited to
//! those two; where the detector is unsure (short answers, mixed or unknown words) or
//! the survey has one language, the declared language stands.

use crate::lang::Lang;
use std::sync::LazyLock;
use whatlang::{Detector, Lang as Detected};

/// The detector's confidence (0 to 1) needed to overrule the declared language: below
/// it, Swedish and English trigrams score too alike to say.
pub const MIN_CONFIDENCE: f64 = 0.5;

/// The words an answer needs before its detected language counts: "Ok", "Bra!" or
/// "Nope" carry too few trigrams to tell the languages apart.
pub const MIN_WORDS: usize = 3;

static DETECTOR: LazyLock<Detector> =
    LazyLock::new(|| Detector::with_allowlist(vec![Detected::Swe, Detected::Eng]));

/// The language `text` is written in, when the detector is sure it is Swedish or
/// English (at least [`MIN_WORDS`] words, confidence at least [`MIN_CONFIDENCE`]).
pub fn detect(text: &str) -> Option<Lang> {
    let words = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .count();
    if words < MIN_WORDS {
        return None;
    }
    let info = DETECTOR.detect(text)?;
    if info.confidence() < MIN_CONFIDENCE {
        return None;
    }
    match info.lang() {
        Detected::Swe => Some(Lang::Sv),
        Detected::Eng => Some(Lang::En),
        _ => None,
    }
}

/// The language to read an answer in: the detected one when the survey offers both
/// Swedish and English and the detector is sure, otherwise the declared one.
pub fn reading_language(text: &str, declared: Lang, offered: &[Lang]) -> Lang {
    let both = Lang::ALL.iter().all(|l| offered.contains(l));
    both.then(|| detect(text)).flatten().unwrap_or(declared)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coding::suggest::Suggester;

    const BOTH: &[Lang] = &[Lang::Sv, Lang::En];
    const BUZZING: &str = "The app keeps buzzing with offers I never asked for.";

    #[test]
    fn an_english_answer_in_a_swedish_response_is_read_in_english() {
        assert_eq!(reading_language(BUZZING, Lang::Sv, BOTH), Lang::En);
        let s = Suggester::value_landscape();
        let codes =
            |l| -> Vec<String> { s.suggest(BUZZING, l).into_iter().map(|s| s.code).collect() };
        // Read as declared, the Swedish cues see only an app, a useful one; read as
        // written, it buzzes unasked, which is intrusive and disliked.
        assert_eq!(codes(Lang::Sv), ["digital.useful"]);
        let read = codes(reading_language(BUZZING, Lang::Sv, BOTH));
        for code in ["digital.intrusive", "stance.dislike"] {
            assert!(read.iter().any(|c| c == code), "{code} not in {read:?}");
        }
    }

    #[test]
    fn a_swedish_answer_in_an_english_response_is_read_in_swedish() {
        let text = "Personalen i kassan var otrevlig och det tog lång tid.";
        assert_eq!(reading_language(text, Lang::En, BOTH), Lang::Sv);
        assert_eq!(reading_language(text, Lang::Sv, BOTH), Lang::Sv);
    }

    #[test]
    fn a_survey_in_one_language_keeps_the_declared_one() {
        assert_eq!(reading_language(BUZZING, Lang::Sv, &[Lang::Sv]), Lang::Sv);
        assert_eq!(reading_language(BUZZING, Lang::Sv, &[]), Lang::Sv);
    }

    #[test]
    fn short_or_unclear_answers_keep_the_declared_one() {
        for text in [
            "Ok",
            "Bra!",
            "Nice app",
            "",
            "12345 !!!",
            "Кофе был холодный сегодня утром",
        ] {
            assert_eq!(detect(text), None, "{text:?}");
            assert_eq!(reading_language(text, Lang::En, BOTH), Lang::En);
            assert_eq!(reading_language(text, Lang::Sv, BOTH), Lang::Sv);
        }
    }
}
