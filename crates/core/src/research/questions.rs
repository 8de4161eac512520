//! Open or closed? A small rule-based check of follow-up questions in Swedish and
//! English, with an open rewrite for closed ones. Open questions invite a story;
//! closed ones invite "yes", "no" or "sometimes".
//!
//! The rules, in order, on the first words after any leading connective or filler
//! ("och", "men", "så", "okej", "and", "but", "so", "okay", "please"); English
//! clitics are read off ("how'd" as "how", "it's" as "it"):
//!
//! 1. A question that restricts the answer to one word, yes or no, or a point on a
//!    scale is closed, wherever the restriction stands: "med ett ord", "ja eller
//!    nej", "på en skala…" / "in one word", "yes or no", "on a scale…". The rewrite
//!    leaves the restriction out.
//! 2. A preposition followed by a question word is open: "På vilket sätt…",
//!    "With whom…".
//! 3. Swedish "Var" is "where" or "was". It is read as "was" (closed) when the next
//!    word is a subject — a pronoun such as du/ni/det/den/någon, or a definite noun
//!    (longer than three letters ending in -en, -et, -an or -na: "maten", "kassan";
//!    or ending in -ön: "kön") — and as "where" (open) otherwise, since "where" is
//!    followed by a verb ("Var köpte du…", "Var ligger…"). A bare "Var?" is "where?".
//! 4. A question word or an invitation to tell is open: vad, vem, vilken, hur,
//!    varför, när, vart… / what, who, which, where, when, why, how; berätta,
//!    beskriv, förklara, utveckla, visa hur, ge ett exempel / tell, describe,
//!    explain, elaborate, talk about, walk me through, show me how, give an example
//!    (an object — mig, oss, me, us — may follow the verb).
//! 5. A modal addressed to the listener and followed by an invitation to tell (as in
//!    4) is a polite invitation, open: "Kan du beskriva situationen…", "Skulle ni
//!    kunna berätta…", "Could you tell me…", "Would you mind walking me through…".
//!    The modals are kan, kunde, skulle, vill, ville, orkar / can, could, would,
//!    will; softeners may stand before the invitation: kunna, vilja, orka, gärna,
//!    kort / mind, like to, be able to, please, briefly.
//! 6. A finite verb or auxiliary first is closed: är, har, kan, skulle, brukar,
//!    tycker, fick, blev… / is, are, was, did, do, have, can, would, should…; so is
//!    Swedish "visst", which asks for a yes ("Visst var det mysigt?").
//! 7. Swedish verb-first word order is closed even for verbs not listed: a word
//!    followed directly by a subject pronoun ("Upplevde du…", "Betalade ni…").
//! 8. A statement turned into a question by its "?" is closed: "Du betalade med
//!    mobilen?", "You paid by phone?", and so is a bare subject: "Något annat?",
//!    "Anything else?".
//! 9. Anything else is unclear ("Och sen?") and left to the people in the room.

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

/// Leading words skipped before the rules look.
const CONNECTIVES: &[&str] = &[
    "och", "men", "så", "alltså", "okej", "and", "but", "so", "then", "also", "ok", "okay",
    "please",
];

const SV_QUESTION_WORDS: &[&str] = &[
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
];
const EN_QUESTION_WORDS: &[&str] = &[
    "what", "who", "whom", "whose", "which", "where", "when", "why", "how",
];
/// Invitations to tell, as commands ("Berätta…") or after a modal ("Kan du beskriva…");
/// an object may follow the verb ("visa mig hur", "walk me through").
const SV_INVITATIONS: &[&str] = &[
    "berätta",
    "beskriv",
    "beskriva",
    "förklara",
    "utveckla",
    "visa hur",
    "ge exempel",
    "ge ett exempel",
    "ta ett exempel",
];
const EN_INVITATIONS: &[&str] = &[
    "tell",
    "describe",
    "explain",
    "elaborate",
    "talk about",
    "talk through",
    "walk through",
    "show how",
    "give an example",
];
const OBJECTS: &[&str] = &["mig", "oss", "me", "us"];
const SV_MODALS: &[&str] = &["kan", "kunde", "skulle", "vill", "ville", "orkar"];
const EN_MODALS: &[&str] = &["can", "could", "would", "will"];
/// Words that may soften a polite invitation: "Skulle du kunna berätta…".
const SV_SOFTENERS: &[&str] = &["kunna", "vilja", "orka", "gärna", "kort"];
const EN_SOFTENERS: &[&str] = &["mind", "like", "to", "be", "able", "please", "briefly"];
/// Phrases that restrict the answer to a word, yes or no, or a number.
const SV_RESTRICTIONS: &[&str] = &[
    "med ett ord",
    "i ett ord",
    "ja eller nej",
    "ja/nej",
    "på en skala",
];
const EN_RESTRICTIONS: &[&str] = &[
    "in one word",
    "in a word",
    "with one word",
    "yes or no",
    "yes/no",
    "on a scale",
];
const SV_CLOSED: &[&str] = &[
    // Not a verb, but "Visst var det…?" asks for a yes.
    "visst",
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
    "you",
    "i",
    "we",
    "he",
    "she",
    "they",
    "it",
    "there",
    "someone",
    "anyone",
    "something",
    "anything",
    "this",
    "that",
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
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|t| !t.is_empty())
        .map(|t| {
            let lower = t.to_lowercase().replace('’', "'");
            // English clitics: "how'd" is read as "how", "it's" as "it".
            let lower = match lower.rsplit_once('\'') {
                Some((head, "s" | "d" | "re" | "ve" | "ll" | "m")) => head.to_string(),
                _ => lower,
            };
            Word { text: t, lower }
        })
        .collect()
}

fn is(list: &[&str], word: &str) -> bool {
    list.contains(&word)
}

/// A definite Swedish noun, roughly: "maten", "köket", "kassan", "varorna", "kön".
fn looks_like_definite_noun(word: &str) -> bool {
    let long = word.chars().count() > 3;
    long && ["en", "et", "an", "na"].iter().any(|e| word.ends_with(e)) || word.ends_with("ön")
}

/// Whether the words start with the phrase (words separated by spaces).
fn starts_with(w: &[Word<'_>], phrase: &str) -> bool {
    let parts: Vec<&str> = phrase.split_whitespace().collect();
    w.len() >= parts.len() && parts.iter().zip(w).all(|(p, x)| x.lower == *p)
}

/// Whether the words start with one of the invitations, its verb perhaps as an English
/// -ing form ("would you mind describing…") and followed by an object ("walking me
/// through…").
fn invites(w: &[Word<'_>], invitations: &[&str]) -> bool {
    let Some((first, mut rest)) = w.split_first() else {
        return false;
    };
    if rest.first().is_some_and(|x| is(OBJECTS, &x.lower)) {
        rest = &rest[1..];
    }
    invitations.iter().any(|p| {
        let (verb, object) = p.split_once(' ').unwrap_or((p, ""));
        let ing = format!("{}ing", verb.strip_suffix('e').unwrap_or(verb));
        (first.lower == verb || first.lower == ing) && starts_with(rest, object)
    })
}

/// Rule 5: a modal, the listener, any softeners, then an invitation to tell.
fn polite_invitation(
    w: &[Word<'_>],
    modals: &[&str],
    listener: &[&str],
    softeners: &[&str],
    invitations: &[&str],
) -> bool {
    let [modal, person, rest @ ..] = w else {
        return false;
    };
    let soft = rest.iter().take_while(|x| is(softeners, &x.lower)).count();
    is(modals, &modal.lower) && is(listener, &person.lower) && invites(&rest[soft..], invitations)
}

/// Rule 1: where a restriction of the answer starts, and its language.
fn restriction(w: &[Word<'_>]) -> Option<(usize, Lang)> {
    (0..w.len()).find_map(|i| {
        [(SV_RESTRICTIONS, Lang::Sv), (EN_RESTRICTIONS, Lang::En)]
            .into_iter()
            .find(|(phrases, _)| phrases.iter().any(|p| starts_with(&w[i..], p)))
            .map(|(_, lang)| (i, lang))
    })
}

fn classify(w: &[Word<'_>], asks: bool) -> (QuestionForm, Option<Lang>) {
    use QuestionForm::{Closed, Open, Unclear};
    let Some(first) = w.first() else {
        return (Unclear, None);
    };
    let w0 = first.lower.as_str();
    let w1 = w.get(1).map(|x| x.lower.as_str());
    if let Some(w1) = w1 {
        if is(SV_PREPOSITIONS, w0) && is(SV_QUESTION_WORDS, w1) {
            return (Open, Some(Lang::Sv));
        }
        if is(EN_PREPOSITIONS, w0) && is(EN_QUESTION_WORDS, w1) {
            return (Open, Some(Lang::En));
        }
    }
    if w0 == "var" {
        let was = w1.is_some_and(|w1| is(SV_SUBJECTS, w1) || looks_like_definite_noun(w1));
        return (if was { Closed } else { Open }, Some(Lang::Sv));
    }
    if is(SV_QUESTION_WORDS, w0) || invites(w, SV_INVITATIONS) {
        return (Open, Some(Lang::Sv));
    }
    if is(EN_QUESTION_WORDS, w0) || invites(w, EN_INVITATIONS) {
        return (Open, Some(Lang::En));
    }
    if polite_invitation(w, SV_MODALS, &["du", "ni"], SV_SOFTENERS, SV_INVITATIONS) {
        return (Open, Some(Lang::Sv));
    }
    if polite_invitation(w, EN_MODALS, &["you"], EN_SOFTENERS, EN_INVITATIONS) {
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
            .any(|x| is(SV_SUBJECTS, &x.lower) || is(SV_QUESTION_WORDS, &x.lower));
    let english = w.iter().any(|x| {
        is(EN_SUBJECTS, &x.lower) || is(EN_QUESTION_WORDS, &x.lower) || is(EN_CLOSED, &x.lower)
    });
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
            // "Har ni…?", "Ni kom…?": the rewrite asks the same people.
            let subject = if w0 == "ni" || w1 == "ni" { "ni" } else { "du" };
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
    // Rule 1 comes first, and the rewrite is made of the words before the restriction.
    let (form, lang, asked) = match restriction(w) {
        Some((at, lang)) => (QuestionForm::Closed, Some(lang), &w[..at]),
        None => {
            let (form, lang) = classify(w, text.trim_end().ends_with('?'));
            (form, lang, w)
        }
    };
    let lang = lang.unwrap_or_else(|| guess_lang(text, &all));
    let suggestion = (form == QuestionForm::Closed).then(|| suggest(asked, lang));
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
        assert_eq!(s("Ni kom med bil?"), "Hur upplevde ni det med bil?");
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
        assert_eq!(
            s("Hur nöjd är du med besöket på en skala från ett till fem?"),
            "Hur upplevde du det med besöket?"
        );
        assert_eq!(
            s("Can you describe it in one word?"),
            "How did you experience that? Tell me more."
        );
        assert_eq!(
            check_question("Kan du beskriva situationen mer utförligt?").suggestion,
            None
        );
        assert!(is_closed("Is it open?") && !is_closed("How is it?"));
        assert_eq!(check_question("Hur var det?").suggestion, None);
    }
}
