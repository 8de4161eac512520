//! Automatic code suggestions for open answers in Swedish and English.
//!
//! A [`Suggester`] reads an open answer ("Vad tyckte du om besöket?") and proposes codes
//! of the value landscape, each with the places in the text that made it think so, so a
//! person can accept a suggestion as a span coding or throw it away. It never codes on
//! its own: it suggests.
//!
//! How it works:
//!
//! 1. **Tokens.** The text is cut into words: runs of Unicode letters (so `å`, `ä`, `ö`
//!    stay inside words), lower-cased, with an apostrophe kept inside a word (`didn't`).
//!    Punctuation (`. , ; : ! ?` and brackets) and line breaks end a clause.
//! 2. **Stems.** Each word is reduced by the Snowball stemmer of the answer's language
//!    (`rust-stemmers`), so `öppettiderna` and `öppettid` meet at `öppettid`.
//! 3. **Cues.** The lexicon gives, per code and language, cues of one to a few words with
//!    a weight. A plain cue word matches by stem; `park*` matches words that begin with
//!    `park`, `*tjänst` words that end with it, `*personal*` words that contain it
//!    (Swedish compounds: `kassapersonalen`) and `=för` only the word `för` as written
//!    (short words whose stems collide). A cue of several words matches consecutive
//!    words in one clause. Where cues of one code overlap, the longest wins; a negative
//!    weight takes away (`nej tack` against `tack`).
//! 4. **Negation.** For the polar pair (`stance.like` / `stance.dislike`) a negator
//!    (`inte`, `aldrig`, `ingen`; `not`, `never`, `no`, `n't`) a few words before the cue,
//!    in the same clause and with no `men`/`but` between, moves the cue's weight to the
//!    other code: `inte trevlig` is a dislike, `no complaints` a like. In Swedish a
//!    negator right after the cue counts too (`gillade inte`). Phrases such as
//!    `inte minst` and `not only` do not negate. A negator that negates no polar cue
//!    counts as a dislike on its own (`kortterminalen fungerade inte`, `nobody said
//!    hello`): in answers to a survey, a bare negation mostly reports a failure.
//! 5. **Threshold.** A code's score is the sum of its matched cues' weights; codes whose
//!    score reaches the threshold are suggested, highest score first.
//!
//! The built-in lexicon ([`Suggester::value_landscape`]) is `suggest_lexicon.txt` beside
//! this file; its format is described at its top. How well it does, measured on
//! held-out answers, is in ARCHITECTURE.md ("Automatic code suggestions").

use crate::lang::Lang;
use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};

/// The built-in lexicon of the value landscape.
const VALUE_LANDSCAPE: &str = include_str!("suggest_lexicon.txt");

/// One suggested code for an answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Suggestion {
    /// The code key, such as `stance.dislike`.
    pub code: String,
    /// The sum of the weights of the cues that matched (after negation).
    pub score: f64,
    /// Where the cues matched: `(start, end)` in characters (Unicode scalar values, not
    /// bytes) of the original text, end exclusive, in text order.
    #[schema(value_type = Vec<Vec<u64>>)]
    pub spans: Vec<(usize, usize)>,
    /// The cue, as written in the lexicon, that matched at the span of the same index; a
    /// negated cue is shown with the negator first, as `inte + trevlig`.
    pub cues: Vec<String>,
}

/// A lexicon that could not be read, with its line (1-based).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("lexicon line {line}: {message}")]
pub struct LexiconError {
    pub line: usize,
    pub message: String,
}

/// Suggests codes for open answers from a lexicon of cues.
#[derive(Debug, Clone)]
pub struct Suggester {
    codes: Vec<String>,
    /// Pairs of code indexes that negation swaps.
    flips: Vec<(usize, usize)>,
    /// The code, and weight, a negator that negates no polar cue counts for.
    bare: Option<(usize, f64)>,
    sv: LanguageLexicon,
    en: LanguageLexicon,
    threshold: f64,
}

#[derive(Debug, Clone, Default)]
struct LanguageLexicon {
    cues: Vec<Cue>,
    negators: Vec<Pattern>,
    /// Negator phrases that do not negate (`inte minst`).
    pseudo: Vec<Pattern>,
    /// Words that end the reach of a negator (`men`, `but`).
    breaks: Vec<Pattern>,
    /// Negators that count on their own when they negate no polar cue
    /// (`fungerade inte`, `wasn't there`).
    bare: Vec<Pattern>,
    /// How many words before a cue a negator may stand.
    before: usize,
    /// How many words after a cue a negator may stand.
    after: usize,
}

#[derive(Debug, Clone)]
struct Cue {
    code: usize,
    weight: f64,
    pattern: Pattern,
}

#[derive(Debug, Clone)]
struct Pattern {
    words: Vec<Word>,
    text: String,
}

#[derive(Debug, Clone)]
enum Word {
    Exact(String),
    Stem(String),
    Prefix(String),
    Suffix(String),
    Contains(String),
}

#[derive(Debug, Clone)]
struct Token {
    surface: String,
    stem: String,
    start: usize,
    end: usize,
    clause: usize,
}

fn stemmer(language: Lang) -> Stemmer {
    Stemmer::create(match language {
        Lang::Sv => Algorithm::Swedish,
        Lang::En => Algorithm::English,
    })
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '´')
}

fn ends_clause(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ';' | ':' | '!' | '?' | '(' | ')' | '[' | ']' | '\n' | '\r' | '–' | '—'
    )
}

/// Cuts `text` into lower-cased, stemmed words with their character offsets.
fn tokenize(text: &str, stemmer: &Stemmer) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut clause = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphabetic() {
            let start = i;
            let mut surface = String::new();
            while i < chars.len() {
                let c = chars[i];
                if c.is_alphabetic() {
                    surface.extend(c.to_lowercase());
                } else if is_apostrophe(c) && chars.get(i + 1).is_some_and(|n| n.is_alphabetic()) {
                    surface.push('\'');
                } else {
                    break;
                }
                i += 1;
            }
            let stem = stemmer.stem(&surface).into_owned();
            tokens.push(Token {
                surface,
                stem,
                start,
                end: i,
                clause,
            });
        } else {
            if ends_clause(c) {
                clause += 1;
            }
            i += 1;
        }
    }
    tokens
}

impl Word {
    fn parse(word: &str, stemmer: &Stemmer) -> Option<Word> {
        let word = word.to_lowercase().replace(['’', '´'], "'");
        if let Some(exact) = word.strip_prefix('=') {
            let ok = !exact.is_empty() && !exact.contains(['*', '=']);
            return ok.then(|| Word::Exact(exact.to_string()));
        }
        let (head, tail) = (word.starts_with('*'), word.ends_with('*'));
        let core = word.trim_matches('*');
        if core.is_empty() || core.contains(['*', '=']) {
            return None;
        }
        let core = core.to_string();
        Some(match (head, tail) {
            (true, true) => Word::Contains(core),
            (true, false) => Word::Suffix(core),
            (false, true) => Word::Prefix(core),
            (false, false) => Word::Stem(stemmer.stem(&core).into_owned()),
        })
    }

    fn matches(&self, token: &Token) -> bool {
        match self {
            Word::Exact(s) => token.surface == *s,
            Word::Stem(s) => token.stem == *s,
            Word::Prefix(s) => token.surface.starts_with(s.as_str()),
            Word::Suffix(s) => token.surface.ends_with(s.as_str()),
            Word::Contains(s) => token.surface.contains(s.as_str()),
        }
    }
}

impl Pattern {
    fn parse(text: &str, stemmer: &Stemmer) -> Option<Pattern> {
        let words = text
            .split_whitespace()
            .map(|w| Word::parse(w, stemmer))
            .collect::<Option<Vec<_>>>()?;
        if words.is_empty() {
            return None;
        }
        Some(Pattern {
            words,
            text: text.split_whitespace().collect::<Vec<_>>().join(" "),
        })
    }

    /// Whether the pattern matches the words from `at` on, all in one clause.
    fn matches_at(&self, tokens: &[Token], at: usize) -> bool {
        let Some(window) = tokens.get(at..at + self.words.len()) else {
            return false;
        };
        let clause = window[0].clause;
        window
            .iter()
            .zip(&self.words)
            .all(|(t, w)| t.clause == clause && w.matches(t))
    }

    fn len(&self) -> usize {
        self.words.len()
    }
}

/// One matched cue: the code, the words `[from, to)`, the weight and what to show.
struct Hit {
    code: usize,
    from: usize,
    to: usize,
    weight: f64,
    cue: String,
}

impl LanguageLexicon {
    /// Word positions where a negator stands (those inside a pseudo-negation excluded).
    fn negator_positions(&self, tokens: &[Token]) -> Vec<Option<usize>> {
        let mut at = vec![None; tokens.len()];
        let mut pseudo = vec![false; tokens.len()];
        for i in 0..tokens.len() {
            for p in &self.pseudo {
                if p.matches_at(tokens, i) {
                    pseudo[i..i + p.len()].iter_mut().for_each(|x| *x = true);
                }
            }
        }
        for i in 0..tokens.len() {
            if pseudo[i] {
                continue;
            }
            for (n, p) in self.negators.iter().enumerate() {
                if p.matches_at(tokens, i) && !pseudo[i..i + p.len()].contains(&true) {
                    at[i] = Some(n);
                }
            }
        }
        at
    }

    fn is_break(&self, tokens: &[Token], i: usize) -> bool {
        self.breaks.iter().any(|p| p.matches_at(tokens, i))
    }

    /// The negator (its position, and index in `negators`) that reaches the words
    /// `[from, to)`.
    fn negation(
        &self,
        tokens: &[Token],
        negators: &[Option<usize>],
        from: usize,
        to: usize,
    ) -> Option<(usize, usize)> {
        let clause = tokens[from].clause;
        // Before the cue, nearest first, stopping at a break word or a new clause.
        for i in (from.saturating_sub(self.before)..from).rev() {
            if tokens[i].clause != clause || self.is_break(tokens, i) {
                break;
            }
            if let Some(n) = negators[i] {
                return Some((i, n));
            }
        }
        for i in to..(to + self.after).min(tokens.len()) {
            if tokens[i].clause != clause || self.is_break(tokens, i) {
                break;
            }
            if let Some(n) = negators[i] {
                return Some((i, n));
            }
        }
        None
    }
}

impl Suggester {
    /// The built-in lexicon of the value landscape, in Swedish and English.
    pub fn value_landscape() -> Suggester {
        Suggester::from_lexicon(VALUE_LANDSCAPE).expect("the built-in lexicon is valid")
    }

    /// Reads a lexicon in the format of `suggest_lexicon.txt`.
    pub fn from_lexicon(source: &str) -> Result<Suggester, LexiconError> {
        let (sv_stem, en_stem) = (stemmer(Lang::Sv), stemmer(Lang::En));
        let mut s = Suggester {
            codes: Vec::new(),
            flips: Vec::new(),
            bare: None,
            sv: LanguageLexicon {
                before: 3,
                ..LanguageLexicon::default()
            },
            en: LanguageLexicon {
                before: 3,
                ..LanguageLexicon::default()
            },
            threshold: 1.0,
        };
        let mut current: Option<usize> = None;
        for (n, raw) in source.lines().enumerate() {
            let line = n + 1;
            let err = |message: String| LexiconError { line, message };
            let text = raw.split('#').next().unwrap_or("").trim();
            if text.is_empty() {
                continue;
            }
            if let Some(code) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
                let code = code.trim();
                if code.is_empty() || code.contains(char::is_whitespace) {
                    return Err(err(format!("bad code key {code:?}")));
                }
                current = Some(s.code_index(code));
                continue;
            }
            if let Some(value) = setting(text, "threshold") {
                s.threshold = value
                    .parse()
                    .map_err(|_| err(format!("bad threshold {value:?}")))?;
                continue;
            }
            if let Some(value) = setting(text, "flip") {
                let pair: Vec<&str> = value.split_whitespace().collect();
                let [a, b] = pair[..] else {
                    return Err(err("flip needs two code keys".into()));
                };
                let pair = (s.code_index(a), s.code_index(b));
                s.flips.push(pair);
                continue;
            }
            if let Some(value) = setting(text, "bare") {
                let parts: Vec<&str> = value.split_whitespace().collect();
                let [code, weight] = parts[..] else {
                    return Err(err("bare needs a code key and a weight".into()));
                };
                let weight = weight
                    .parse()
                    .map_err(|_| err(format!("bad weight {weight:?}")))?;
                s.bare = Some((s.code_index(code), weight));
                continue;
            }
            let Some((head, list)) = text.split_once(':') else {
                return Err(err(format!("expected `key: values`, found {text:?}")));
            };
            let mut head = head.split_whitespace();
            let (first, lang, extra) = (head.next(), head.next(), head.next());
            // `sv: ...`, `sv 0.5: ...`, `negators sv: ...`, `window sv: ...`
            let (kind, language, weight) = match (first, lang, extra) {
                (Some(l), None, None) => ("cue", l, None),
                (Some(l), Some(w), None) if w.parse::<f64>().is_ok() => ("cue", l, Some(w)),
                (Some(k), Some(l), None) => (k, l, None),
                _ => return Err(err(format!("bad line head {text:?}"))),
            };
            let language =
                Lang::parse(language).map_err(|_| err(format!("unknown language {language:?}")))?;
            let stem = match language {
                Lang::Sv => &sv_stem,
                Lang::En => &en_stem,
            };
            let lex = match language {
                Lang::Sv => &mut s.sv,
                Lang::En => &mut s.en,
            };
            if kind == "window" {
                let nums: Vec<usize> = list
                    .split_whitespace()
                    .map(|x| x.parse())
                    .collect::<Result<_, _>>()
                    .map_err(|_| err(format!("bad window {list:?}")))?;
                let [before, after] = nums[..] else {
                    return Err(err("window needs two numbers: before after".into()));
                };
                (lex.before, lex.after) = (before, after);
                continue;
            }
            let patterns = list
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(|c| Pattern::parse(c, stem).ok_or_else(|| err(format!("bad cue {c:?}"))))
                .collect::<Result<Vec<_>, _>>()?;
            match kind {
                "negators" => lex.negators.extend(patterns),
                "pseudo" => lex.pseudo.extend(patterns),
                "breaks" => lex.breaks.extend(patterns),
                "bare" => lex.bare.extend(patterns),
                "cue" => {
                    let Some(code) = current else {
                        return Err(err("a cue line before any [code]".into()));
                    };
                    let weight = match weight {
                        Some(w) => w.parse().map_err(|_| err(format!("bad weight {w:?}")))?,
                        None => 1.0,
                    };
                    lex.cues.extend(patterns.into_iter().map(|pattern| Cue {
                        code,
                        weight,
                        pattern,
                    }));
                }
                other => return Err(err(format!("unknown line kind {other:?}"))),
            }
        }
        Ok(s)
    }

    fn code_index(&mut self, code: &str) -> usize {
        match self.codes.iter().position(|c| c == code) {
            Some(i) => i,
            None => {
                self.codes.push(code.to_string());
                self.codes.len() - 1
            }
        }
    }

    /// The same suggester with another threshold.
    pub fn with_threshold(mut self, threshold: f64) -> Suggester {
        self.threshold = threshold;
        self
    }

    /// The score a code needs to be suggested.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// The code keys the lexicon has cues for, in the order the lexicon names them.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.codes.iter().map(String::as_str)
    }

    /// The suggested codes for `text` written in `language`, highest score first.
    pub fn suggest(&self, text: &str, language: Lang) -> Vec<Suggestion> {
        let lex = match language {
            Lang::Sv => &self.sv,
            Lang::En => &self.en,
        };
        let tokens = tokenize(text, &stemmer(language));
        let negators = lex.negator_positions(&tokens);

        let mut hits = Vec::new();
        for i in 0..tokens.len() {
            for cue in &lex.cues {
                if cue.pattern.matches_at(&tokens, i) {
                    hits.push(Hit {
                        code: cue.code,
                        from: i,
                        to: i + cue.pattern.len(),
                        weight: cue.weight,
                        cue: cue.pattern.text.clone(),
                    });
                }
            }
        }
        // Negation moves a polar cue to its partner.
        let mut used = vec![false; tokens.len()];
        for hit in &mut hits {
            let Some(partner) = self.partner(hit.code) else {
                continue;
            };
            if let Some((at, n)) = lex.negation(&tokens, &negators, hit.from, hit.to) {
                used[at] = true;
                hit.code = partner;
                hit.cue = format!("{} + {}", lex.negators[n].text, hit.cue);
            }
        }
        // A negator that negated no polar cue may count on its own.
        if let Some((code, weight)) = self.bare {
            for (i, n) in negators.iter().enumerate() {
                let Some(n) = *n else { continue };
                if !used[i] && lex.bare.iter().any(|p| p.matches_at(&tokens, i)) {
                    let negator = &lex.negators[n];
                    hits.push(Hit {
                        code,
                        from: i,
                        to: i + negator.len(),
                        weight,
                        cue: negator.text.clone(),
                    });
                }
            }
        }
        // Within a code, the longest cue wins where cues overlap; then the earliest.
        hits.sort_by_key(|h| (h.code, std::cmp::Reverse(h.to - h.from), h.from));
        let mut kept: Vec<Hit> = Vec::new();
        for hit in hits {
            let overlaps = kept
                .iter()
                .any(|k| k.code == hit.code && k.from < hit.to && hit.from < k.to);
            if !overlaps {
                kept.push(hit);
            }
        }

        let mut out: Vec<Suggestion> = Vec::new();
        for (code, name) in self.codes.iter().enumerate() {
            let mut mine: Vec<&Hit> = kept.iter().filter(|h| h.code == code).collect();
            if mine.is_empty() {
                continue;
            }
            mine.sort_by_key(|h| h.from);
            let score: f64 = mine.iter().map(|h| h.weight).sum();
            if score < self.threshold {
                continue;
            }
            out.push(Suggestion {
                code: name.clone(),
                score,
                spans: mine
                    .iter()
                    .map(|h| (tokens[h.from].start, tokens[h.to - 1].end))
                    .collect(),
                cues: mine.iter().map(|h| h.cue.clone()).collect(),
            });
        }
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.code.cmp(&b.code))
        });
        out
    }

    fn partner(&self, code: usize) -> Option<usize> {
        self.flips.iter().find_map(|&(a, b)| {
            if a == code {
                Some(b)
            } else if b == code {
                Some(a)
            } else {
                None
            }
        })
    }
}

/// `name = value` or `name: value` for a setting line, else `None`.
fn setting<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(name)?.trim_start();
    let value = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':'))?;
    Some(value.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(s: &Suggester, text: &str, language: Lang) -> Vec<String> {
        let mut c: Vec<String> = s
            .suggest(text, language)
            .into_iter()
            .map(|s| s.code)
            .collect();
        c.sort();
        c
    }

    fn slice(text: &str, (start, end): (usize, usize)) -> String {
        text.chars().skip(start).take(end - start).collect()
    }

    #[test]
    fn the_built_in_lexicon_reads() {
        let s = Suggester::value_landscape();
        assert!(s.codes().any(|c| c == "stance.like"));
        assert!(s.codes().all(|c| c.contains('.')), "only leaf codes");
    }

    #[test]
    fn stemming_finds_inflected_forms() {
        let s = Suggester::from_lexicon("[setting.physical_place]\nsv: öppettid\n").unwrap();
        let found = s.suggest("Öppettiderna borde vara längre.", Lang::Sv);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, "setting.physical_place");
        assert_eq!(found[0].spans, vec![(0, 12)]);
        assert_eq!(found[0].cues, vec!["öppettid".to_string()]);
    }

    #[test]
    fn negation_flips_like_and_dislike() {
        let lexicon = "flip = stance.like stance.dislike\n\
                       negators sv: inte, aldrig, ingen\n\
                       pseudo sv: inte minst\n\
                       breaks sv: men\n\
                       window sv: 3 1\n\
                       negators en: not, never, no, *n't\n\
                       [stance.like]\nsv: trevlig, gilla\nen: friendly\n\
                       [stance.dislike]\nsv: dålig\nen: complaint\n";
        let s = Suggester::from_lexicon(lexicon).unwrap();
        let sv = Lang::Sv;
        assert_eq!(codes(&s, "Personalen var trevlig.", sv), ["stance.like"]);
        assert_eq!(
            codes(&s, "Personalen var inte trevlig.", sv),
            ["stance.dislike"]
        );
        assert_eq!(codes(&s, "Inte särskilt trevlig.", sv), ["stance.dislike"]);
        assert_eq!(codes(&s, "Maten var inte dålig alls", sv), ["stance.like"]);
        assert_eq!(codes(&s, "Jag gillade inte kön", sv), ["stance.dislike"]);
        // A clause break or a break word ends the negator's reach.
        assert_eq!(codes(&s, "Inte billigt, men trevlig", sv), ["stance.like"]);
        assert_eq!(
            codes(&s, "Inte dyrt. Trevlig personal", sv),
            ["stance.like"]
        );
        assert_eq!(
            codes(&s, "Trevlig inte minst i kassan", sv),
            ["stance.like"]
        );
        let en = Lang::En;
        assert_eq!(
            codes(&s, "The staff weren't friendly", en),
            ["stance.dislike"]
        );
        assert_eq!(codes(&s, "No complaints at all", en), ["stance.like"]);
        assert_eq!(codes(&s, "friendly, not cheap", en), ["stance.like"]);
        let found = s.suggest("Personalen var inte trevlig.", sv);
        assert_eq!(found[0].cues, ["inte + trevlig"]);
        assert_eq!(
            slice("Personalen var inte trevlig.", found[0].spans[0]),
            "trevlig"
        );
    }

    #[test]
    fn spans_count_characters_not_bytes() {
        let s = Suggester::from_lexicon(
            "[setting.physical_place]\nsv: *personal*, fika på stan\n[stance.like]\nsv: härlig\n",
        )
        .unwrap();
        let text = "Åh, vilken härlig fika på stan! Kassapersonalen i Östermalmshallen log.";
        let found = s.suggest(text, Lang::Sv);
        let place = found
            .iter()
            .find(|s| s.code == "setting.physical_place")
            .unwrap();
        let shown: Vec<String> = place.spans.iter().map(|&sp| slice(text, sp)).collect();
        assert_eq!(shown, ["fika på stan", "Kassapersonalen"]);
        assert_eq!(place.spans[0], (18, 30));
        let like = found.iter().find(|s| s.code == "stance.like").unwrap();
        assert_eq!(slice(text, like.spans[0]), "härlig");
    }

    #[test]
    fn the_threshold_needs_enough_weight() {
        let s = Suggester::from_lexicon("threshold = 1\n[phase.before]\nen 0.5: book, website\n")
            .unwrap();
        assert!(s.suggest("I looked at the website", Lang::En).is_empty());
        let found = s.suggest("I booked on the website", Lang::En);
        assert_eq!(found[0].score, 1.0);
        assert!(
            s.clone()
                .with_threshold(0.5)
                .suggest("website", Lang::En)
                .len()
                == 1
        );
    }

    #[test]
    fn the_longest_overlapping_cue_wins() {
        let s = Suggester::from_lexicon("[digital.useful]\nen: self checkout, checkout\n").unwrap();
        let found = s.suggest("The self-checkout was quick", Lang::En);
        assert_eq!(found[0].cues, ["self checkout"]);
        assert_eq!(found[0].score, 1.0);
    }

    #[test]
    fn a_bare_negation_counts_on_its_own() {
        let lexicon = "flip = stance.like stance.dislike\n\
                       bare = stance.dislike 1\n\
                       negators sv: inte, utan\n\
                       bare sv: inte\n\
                       [stance.like]\nsv: bra\n[stance.dislike]\nsv: krångel\n";
        let s = Suggester::from_lexicon(lexicon).unwrap();
        let text = "Kortterminalen fungerade inte.";
        let found = s.suggest(text, Lang::Sv);
        assert_eq!(found[0].code, "stance.dislike");
        assert_eq!(slice(text, found[0].spans[0]), "inte");
        // A negator that flipped a cue does not count again; `utan` never counts bare.
        assert_eq!(codes(&s, "Inte bra", Lang::Sv), ["stance.dislike"]);
        assert_eq!(s.suggest("Inte bra", Lang::Sv)[0].score, 1.0);
        assert_eq!(codes(&s, "Utan krångel", Lang::Sv), ["stance.like"]);
        assert!(s.suggest("utan kvitto", Lang::Sv).is_empty());
    }

    #[test]
    fn the_built_in_lexicon_reads_simple_answers() {
        let s = Suggester::value_landscape();
        let has = |text: &str, language: Lang, code: &str| {
            codes(&s, text, language).iter().any(|c| c == code)
        };
        let sv = Lang::Sv;
        assert!(has("Personalen var inte trevlig.", sv, "stance.dislike"));
        assert!(!has("Personalen var inte trevlig.", sv, "stance.like"));
        assert!(has(
            "Öppettiderna på hemsidan stämde inte.",
            sv,
            "phase.before"
        ));
        assert!(has(
            "Öppettiderna på hemsidan stämde inte.",
            sv,
            "digital.useful"
        ));
        assert!(has(
            "Öppettiderna på hemsidan stämde inte.",
            sv,
            "stance.dislike"
        ));
        assert!(has(
            "Alldeles för mycket folk vid kassorna",
            sv,
            "setting.social_environment"
        ));
        let en = Lang::En;
        assert!(has(
            "No complaints, the staff were friendly.",
            en,
            "stance.like"
        ));
        assert!(!has(
            "No complaints, the staff were friendly.",
            en,
            "stance.dislike"
        ));
        assert!(has(
            "Too many notifications from your app",
            en,
            "digital.intrusive"
        ));
        assert!(codes(&s, "Nothing to add.", en).is_empty());
        assert!(codes(&s, "Vet inte.", sv).is_empty());
    }

    #[test]
    fn bad_lexicons_name_the_line() {
        let err = Suggester::from_lexicon("# x\nsv: bra\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(Suggester::from_lexicon("[a.b]\nxx: bra\n").is_err());
        assert!(Suggester::from_lexicon("[a.b]\nsv abc: bra\n").is_err());
        assert!(Suggester::from_lexicon("[a.b]\nsv: b*r\n").is_err());
    }
}
