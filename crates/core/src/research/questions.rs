//! Open or closed? A small rule-based check of follow-up questions in Swedish and
//! English, with an open rewrite for closed ones. Open questions invite a story;
//! closed ones invite "yes", "no" or "sometimes".
//!
//! The rules, in order, on the first words after any leading connective
//! ("och", "men", "så", "and", "but", "so"):
//!
//! 1. A preposition followed by a question word is open: "På vilket sätt…",
//!    "With whom…".
//! 2. Swedish "Var" is "where" or "was". It is read as "was" (closed) when the next
//!    word is a subject — a pronoun such as du/ni/det/den/någon, or a definite noun
//!    (longer than three letters ending in -en, -et, -an or -na: "maten", "kassan") —
//!    and as "where" (open) otherwise, since "where" is followed by a verb ("Var
//!    köpte du…", "Var ligger…"). A bare "Var?" is "where?".
//! 3. A question word or an invitation to tell is open: vad, vem, vilken, hur,
//!    varför, när, vart… / what, who, which, where, when, why, how; berätta,
//!    beskriv / tell, describe, explain.
//! 4. A finite verb or auxiliary first is closed: är, har, kan, skulle, brukar,
//!    tycker, fick, blev… / is, are, was, did, do, have, can, would, should…
//! 5. Swedish verb-first word order is closed even for verbs not listed: a word
//!    followed directly by a subject pronoun ("Upplevde du…", "Betalade ni…").
//! 6. A statement turned into a question by its "?" is closed: "Du betalade med
//!    mobilen?", "You paid by phone?".
//! 7. Anything else is unclear ("Och sen?") and left to the people in the room.

use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

labelled_vocabulary!(
    /// The form of a question.
    QuestionForm {
        /// Invites a longer, developed answer.
        Open => "open", "öppen", "open";
        /// Invites yes, no or a single word.
        Closed => "closed", "sluten", "closed";
        /// The rules cannot tell.
        Unclear => "unclear", "oklar", "unclear";
    }
);

/// What the check says about one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct QuestionCheck {
    pub form: QuestionForm,
    /// The language the question seems to be in (Swedish when nothing tells).
    pub lang: Lang,
    /// An open rewrite, for closed questions.
    pub suggestion: Option<String>,
}

const CONNECTIVES: &[&str] = &[
    "och", "men", "så", "alltså", "and", "but", "so", "then", "also",
];

const SV_OPEN: &[&str] = &[
    "vad",
    "vem",
    "vems",
    "vilken",
    "vilket",
    "vilka",
    "hur",
    "hurdan",
    "hurdant",
    "hurdana",
    "varför",
    "när",
    "vart",
    "varifrån",
    "varav",
    "berätta",
    "beskriv",
    "förklara",
    "utveckla",
];
const EN_OPEN: &[&str] = &[
    "what", "who", "whom", "whose", "which", "where", "when", "why", "how", "what's", "who's",
    "where's", "when's", "why's", "how's", "tell", "describe", "explain",
];
const SV_CLOSED: &[&str] = &[
    "är",
    "har",
    "hade",
    "kan",
    "kunde",
    "ska",
    "skall",
    "skulle",
    "brukar",
    "brukade",
    "tycker",
    "tyckte",
    "gillar",
    "gillade",
    "vill",
    "ville",
    "finns",
    "fanns",
    "fick",
    "får",
    "gick",
    "går",
    "blev",
    "blir",
    "bör",
    "borde",
    "måste",
    "behöver",
    "behövde",
    "känner",
    "kände",
    "känns",
    "kändes",
    "tror",
    "trodde",
    "vet",
    "visste",
    "hittar",
    "hittade",
    "köper",
    "köpte",
    "använder",
    "använde",
    "gör",
    "gjorde",
    "ser",
    "såg",
    "märker",
    "märkte",
    "uppskattar",
    "uppskattade",
    "trivs",
    "trivdes",
    "handlar",
    "handlade",
    "betalar",
    "betalade",
    "provar",
    "provade",
    "testade",
    "väljer",
    "valde",
    "hinner",
    "hann",
    "orkade",
    "vågade",
    "minns",
    "mindes",
    "kommer",
    "kom",
    "står",
    "stod",
    "fungerar",
    "fungerade",
    "hjälper",
    "hjälpte",
    "besöker",
    "besökte",
    "väntar",
    "väntade",
    "stämmer",
    "stämde",
];
const EN_CLOSED: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "am",
    "do",
    "does",
    "did",
    "have",
    "has",
    "had",
    "can",
    "could",
    "would",
    "will",
    "should",
    "shall",
    "may",
    "might",
    "must",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "don't",
    "doesn't",
    "didn't",
    "haven't",
    "hasn't",
    "hadn't",
    "can't",
    "couldn't",
    "wouldn't",
    "won't",
    "shouldn't",
];
const SV_SUBJECTS: &[&str] = &[
    "du", "ni", "jag", "vi", "han", "hon", "hen", "de", "dom", "den", "det", "man", "någon",
    "något", "några", "ingen", "inget", "inga", "alla", "allt", "detta", "denna", "dessa",
];
const EN_SUBJECTS: &[&str] = &[
    "you", "i", "we", "he", "she", "they", "it", "there", "someone", "anyone", "this", "that",
];
const SV_PREPOSITIONS: &[&str] = &[
    "på", "i", "till", "med", "för", "från", "av", "om", "åt", "hos", "vid", "inför", "efter",
];
const EN_PREPOSITIONS: &[&str] = &[
    "in", "on", "at", "to", "with", "for", "from", "of", "about", "by",
];

/// Verbs whose object is the very thing worth asking about: "Gillade du kaffet?"
/// becomes "Hur upplevde du kaffet?".
const SV_EXPERIENCE_VERBS: &[&str] = &[
    "gillar",
    "gillade",
    "uppskattar",
    "uppskattade",
    "tycker",
    "tyckte",
    "använder",
    "använde",
    "provar",
    "provade",
    "testade",
    "väljer",
    "valde",
];
const EN_EXPERIENCE_VERBS: &[&str] = &[
    "like",
    "enjoy",
    "use",
    "try",
    "choose",
    "appreciate",
    "prefer",
    "mind",
];
/// Prepositions that start a place or time phrase worth keeping in a rewrite.
const SV_SCENE: &[&str] = &[
    "i", "på", "hos", "vid", "med", "efter", "före", "under", "inför", "bland",
];
const EN_SCENE: &[&str] = &[
    "in", "at", "with", "after", "before", "during", "on", "inside",
];

struct Word<'a> {
    text: &'a str,
    lower: String,
}

fn words(text: &str) -> Vec<Word<'_>> {
    text.split_whitespace()
        .filter_map(|w| {
            let t = w.trim_matches(|c: char| !c.is_alphanumeric());
            (!t.is_empty()).then(|| Word {
                text: t,
                lower: t.to_lowercase().replace('’', "'"),
            })
        })
        .collect()
}

fn is(list: &[&str], word: &str) -> bool {
    list.contains(&word)
}

/// A definite Swedish noun, roughly: "maten", "köket", "kassan", "varorna".
fn looks_like_definite_noun(word: &str) -> bool {
    word.chars().count() > 3 && ["en", "et", "an", "na"].iter().any(|e| word.ends_with(e))
}

fn classify(w: &[Word<'_>], asks: bool) -> (QuestionForm, Option<Lang>) {
    use QuestionForm::{Closed, Open, Unclear};
    let Some(first) = w.first() else {
        return (Unclear, None);
    };
    let w0 = first.lower.as_str();
    let w1 = w.get(1).map(|x| x.lower.as_str());
    if let Some(w1) = w1 {
        if is(SV_PREPOSITIONS, w0) && is(SV_OPEN, w1) {
            return (Open, Some(Lang::Sv));
        }
        if is(EN_PREPOSITIONS, w0) && is(EN_OPEN, w1) {
            return (Open, Some(Lang::En));
        }
    }
    if w0 == "var" {
        let was = w1.is_some_and(|w1| is(SV_SUBJECTS, w1) || looks_like_definite_noun(w1));
        return (if was { Closed } else { Open }, Some(Lang::Sv));
    }
    if is(SV_OPEN, w0) {
        return (Open, Some(Lang::Sv));
    }
    if is(EN_OPEN, w0) {
        return (Open, Some(Lang::En));
    }
    if is(SV_CLOSED, w0) {
        return (Closed, Some(Lang::Sv));
    }
    if is(EN_CLOSED, w0) {
        return (Closed, Some(Lang::En));
    }
    if w1.is_some_and(|w1| is(SV_SUBJECTS, w1)) && !is(SV_SUBJECTS, w0) && !is(EN_SUBJECTS, w0) {
        return (Closed, Some(Lang::Sv));
    }
    if asks && is(SV_SUBJECTS, w0) {
        return (Closed, Some(Lang::Sv));
    }
    if asks && is(EN_SUBJECTS, w0) {
        return (Closed, Some(Lang::En));
    }
    (Unclear, None)
}

/// Swedish unless the words look English.
fn guess_lang(text: &str, w: &[Word<'_>]) -> Lang {
    let swedish = text.chars().any(|c| "åäöÅÄÖ".contains(c))
        || w.iter()
            .any(|x| is(SV_SUBJECTS, &x.lower) || is(SV_OPEN, &x.lower));
    let english = w
        .iter()
        .any(|x| is(EN_SUBJECTS, &x.lower) || is(EN_OPEN, &x.lower) || is(EN_CLOSED, &x.lower));
    if english && !swedish {
        Lang::En
    } else {
        Lang::Sv
    }
}

fn join(w: &[Word<'_>]) -> String {
    w.iter().map(|x| x.text).collect::<Vec<_>>().join(" ")
}

/// The last place or time phrase after the opening word: "i butiken".
fn scene<'a>(w: &'a [Word<'a>], preps: &[&str]) -> Option<&'a [Word<'a>]> {
    (1..w.len().saturating_sub(1))
        .rev()
        .find(|&j| is(preps, &w[j].lower))
        .map(|j| &w[j..])
}

fn suggest(w: &[Word<'_>], lang: Lang) -> String {
    let w0 = w.first().map_or("", |x| x.lower.as_str());
    let w1 = w.get(1).map_or("", |x| x.lower.as_str());
    match lang {
        Lang::Sv => {
            let subject = if w1 == "ni" { "ni" } else { "du" };
            if is(SV_EXPERIENCE_VERBS, w0) && (w1 == "du" || w1 == "ni") && w.len() > 2 {
                let mut rest = &w[2..];
                if w0.starts_with("tyck") && rest.len() > 1 && rest[0].lower == "om" {
                    rest = &rest[1..];
                }
                return format!("Hur upplevde {subject} {}?", join(rest));
            }
            match scene(w, SV_SCENE) {
                Some(pp) => format!("Hur upplevde {subject} det {}?", join(pp)),
                None => format!("Hur upplevde {subject} det? Berätta gärna mer."),
            }
        }
        Lang::En => {
            let w2 = w.get(2).map_or("", |x| x.lower.as_str());
            if is(&["did", "do", "does"], w0)
                && w1 == "you"
                && is(EN_EXPERIENCE_VERBS, w2)
                && w.len() > 3
            {
                return format!("How did you experience {}?", join(&w[3..]));
            }
            match scene(w, EN_SCENE) {
                Some(pp) => format!("How did you experience it {}?", join(pp)),
                None => "How did you experience that? Tell me more.".to_string(),
            }
        }
    }
}

/// Checks one question: its form, its language and, when closed, an open rewrite.
pub fn check_question(text: &str) -> QuestionCheck {
    let all = words(text);
    let skip = all
        .iter()
        .take(2)
        .take_while(|x| is(CONNECTIVES, &x.lower))
        .count()
        .min(all.len().saturating_sub(1));
    let w = &all[skip..];
    let (form, lang) = classify(w, text.trim_end().ends_with('?'));
    let lang = lang.unwrap_or_else(|| guess_lang(text, &all));
    let suggestion = (form == QuestionForm::Closed).then(|| suggest(w, lang));
    QuestionCheck {
        form,
        lang,
        suggestion,
    }
}

/// True when the question invites yes or no.
pub fn is_closed(text: &str) -> bool {
    check_question(text).form == QuestionForm::Closed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(q: &str) -> QuestionForm {
        check_question(q).form
    }

    #[test]
    fn swedish_closed_questions() {
        for q in [
            "Är du nöjd med köpet?",
            "Var det trångt i butiken?",
            "Var du ensam?",
            "Var maten god?",
            "Var kassan snabb?",
            "Har du handlat här förut?",
            "Hade ni bokat bord?",
            "Kan du tänka dig att komma tillbaka?",
            "Kunde du hitta varan själv?",
            "Skulle du rekommendera butiken?",
            "Brukar du handla på nätet?",
            "Tycker du om att prova kläder?",
            "Gillade du kaffet?",
            "Vill du bli medlem?",
            "Finns det något du saknade?",
            "Fick du hjälp av personalen?",
            "Gick det snabbt i kassan?",
            "Blev du väl bemött?",
            "Upplevde du kön som lång?",
            "Du betalade med mobilen?",
            "Men var det dyrt?",
        ] {
            assert_eq!(form(q), QuestionForm::Closed, "{q}");
            assert_eq!(check_question(q).lang, Lang::Sv, "{q}");
        }
    }

    #[test]
    fn swedish_open_questions() {
        for q in [
            "Hur började resan?",
            "Vad skulle köpas?",
            "Varför valde du just den butiken?",
            "Var köpte du jackan?",
            "Var ligger butiken?",
            "Var?",
            "När märkte du att den var stängd?",
            "Vilka andra butiker tittade du i?",
            "På vilket sätt hjälpte appen dig?",
            "Berätta mer om väntan!",
            "Vem var med dig?",
            "Och hur kändes det sedan?",
        ] {
            assert_eq!(form(q), QuestionForm::Open, "{q}");
            assert_eq!(check_question(q).lang, Lang::Sv, "{q}");
        }
    }

    #[test]
    fn english_closed_questions() {
        for q in [
            "Is the shop open on Sundays?",
            "Are you a member?",
            "Was it crowded?",
            "Were the staff friendly?",
            "Did you like the coffee?",
            "Do you shop online?",
            "Does the app work well?",
            "Have you been here before?",
            "Has it changed?",
            "Can you describe it in one word?",
            "Could you find it?",
            "Would you come back?",
            "Will you recommend it?",
            "Should they open earlier?",
            "Didn't you mind the queue?",
            "You paid by phone?",
            "And did you pay by card?",
        ] {
            assert_eq!(form(q), QuestionForm::Closed, "{q}");
            assert_eq!(check_question(q).lang, Lang::En, "{q}");
        }
    }

    #[test]
    fn english_open_questions() {
        for q in [
            "How did you choose the shop?",
            "What made the visit good?",
            "Why did you leave the queue?",
            "Where did you park?",
            "With whom did you go?",
            "Tell me about the last time you ate out.",
            "Which app did you use?",
            "What's a good Friday evening for you?",
        ] {
            assert_eq!(form(q), QuestionForm::Open, "{q}");
            assert_eq!(check_question(q).lang, Lang::En, "{q}");
        }
    }

    #[test]
    fn what_the_rules_cannot_tell() {
        assert_eq!(form("Och sen?"), QuestionForm::Unclear);
        assert_eq!(form(""), QuestionForm::Unclear);
        assert_eq!(check_question("Kaffet?").suggestion, None);
    }

    #[test]
    fn closed_questions_get_open_rewrites() {
        let s = |q: &str| check_question(q).suggestion.unwrap();
        assert_eq!(s("Gillade du kaffet?"), "Hur upplevde du kaffet?");
        assert_eq!(s("Tyckte ni om personalen?"), "Hur upplevde ni personalen?");
        assert_eq!(
            s("Var det trångt i butiken?"),
            "Hur upplevde du det i butiken?"
        );
        assert_eq!(
            s("Fick du hjälp?"),
            "Hur upplevde du det? Berätta gärna mer."
        );
        assert_eq!(
            s("Did you like the coffee?"),
            "How did you experience the coffee?"
        );
        assert_eq!(
            s("Was it crowded in the shop?"),
            "How did you experience it in the shop?"
        );
        assert_eq!(
            s("Could you find it?"),
            "How did you experience that? Tell me more."
        );
        assert!(is_closed("Is it open?") && !is_closed("How is it?"));
        assert_eq!(check_question("Hur var det?").suggestion, None);
    }
}
