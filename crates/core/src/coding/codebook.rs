//! The codebook: the codes a provider marks open answers with, named in Swedish and
//! English, hierarchical through `parent`. Every provider starts from the value
//! landscape's codes ([`Codebook::value_landscape`]) and may edit them; an edit sends
//! the whole list ([`CodebookInput`]), checked with every problem named by field
//! (`codes[3].parent`).
//!
//! Rules: keys are unique; a parent names a code of the same list; parents form no
//! cycle and nest at most [`MAX_DEPTH`] deep; every code has a name (one language is
//! enough: the other copies it); at most [`MAX_CODES`] codes. A code's key does not
//! have to start with its parent's key (a code may move under another parent and keep
//! its codings), although the default and imported codebooks are built that way.
//! Removing a code that has codings is refused by the server, which knows the codings.

use crate::invalid::{Checker, Invalid, Reason, text};
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use utoipa::ToSchema;
use uuid::Uuid;

/// The most codes a codebook holds.
pub const MAX_CODES: usize = 500;
/// How deep codes may nest: a root is depth 1.
pub const MAX_DEPTH: usize = 8;
/// The longest key.
pub const MAX_KEY: usize = 100;
/// The longest word of a key.
pub const MAX_KEY_WORD: usize = 40;
/// The longest name.
pub const MAX_NAME: usize = 200;
/// The longest description.
pub const MAX_DESCRIPTION: usize = 2000;

/// A stable key of a code: lower-case words joined by dots, such as
/// `motivation.experiences`. Each word is a lower-case ASCII letter followed by
/// lower-case letters, digits or `_`, at most 40 characters; the key at most 100.
/// Codings, the 0/1 export's columns and the suggester hang on it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "motivation.experiences")]
pub struct CodeKey(String);

impl CodeKey {
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let word_ok = |w: &str| {
            (1..=MAX_KEY_WORD).contains(&w.len())
                && w.starts_with(|c: char| c.is_ascii_lowercase())
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        };
        if s.len() <= MAX_KEY && s.split('.').all(word_ok) {
            Ok(CodeKey(s.to_string()))
        } else {
            Err(Invalid::one(
                "",
                Reason::Key {
                    low: 1,
                    high: MAX_KEY,
                    marks: "_ .".into(),
                },
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The last word: `experiences` of `motivation.experiences`.
    pub fn last_word(&self) -> &str {
        self.0.rsplit('.').next().unwrap_or(&self.0)
    }
}

impl TryFrom<String> for CodeKey {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        CodeKey::parse(&s).map_err(|e| e.0[0].reason.to_string())
    }
}

impl From<CodeKey> for String {
    fn from(k: CodeKey) -> String {
        k.0
    }
}

impl std::borrow::Borrow<str> for CodeKey {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CodeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One code of a codebook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Code {
    pub key: CodeKey,
    pub name_sv: String,
    pub name_en: String,
    /// When to use the code (a coding rule), for the coders.
    pub description: Option<String>,
    /// The code this one sits under; None for a top-level code.
    pub parent: Option<CodeKey>,
    /// The code's GUID in REFI-QDA files, kept from an imported `.qdc` so it travels
    /// back unchanged; None means the one derived from the key ([`Code::refi_guid`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<Uuid>,
}

impl Code {
    /// The name in `language`.
    pub fn name(&self, language: Lang) -> &str {
        match language {
            Lang::Sv => &self.name_sv,
            Lang::En => &self.name_en,
        }
    }

    /// The description in `language`. A default code's description comes in both
    /// languages while the team leaves it as it came; a team's own words are shown
    /// as written.
    pub fn description_in(&self, language: Lang) -> Option<&str> {
        let own = self.description.as_deref()?;
        let default = VALUE_LANDSCAPE
            .iter()
            .find(|d| d.0 == self.key.as_str() && d.4 == own);
        Some(match (default, language) {
            (Some(d), Lang::En) => d.5,
            _ => own,
        })
    }

    /// The GUID this code has in REFI-QDA files: the kept one, or a UUID v5 of the key
    /// (stable, so every export of the same codebook names its codes alike).
    pub fn refi_guid(&self) -> Uuid {
        self.guid.unwrap_or_else(|| key_guid(&self.key))
    }
}

/// The namespace of the UUID v5 GUIDs derived from code keys (a v5 UUID of the URL
/// `urn:motesplats:code` in the URL namespace, fixed here).
pub(crate) fn key_guid(key: &CodeKey) -> Uuid {
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:motesplats:code");
    Uuid::new_v5(&namespace, key.as_str().as_bytes())
}

/// A provider's codebook. `version` is the stored version (0 for the default, never
/// saved); a change names it (`If-Match`) so two edits never overwrite each other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Codebook {
    pub version: u32,
    /// In the order the provider gave them; [`Codebook::tree`] gives parents first.
    pub codes: Vec<Code>,
}

/// A code as a client sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeInput {
    /// Lower-case words joined by dots, such as `motivation.experiences`.
    pub key: Option<String>,
    /// At least one of the names; a missing one copies the other.
    pub name_sv: Option<String>,
    pub name_en: Option<String>,
    pub description: Option<String>,
    /// The key of the code this one sits under.
    pub parent: Option<String>,
    /// A REFI-QDA GUID to keep (as an export gave it); usually absent.
    pub guid: Option<String>,
}

/// The whole codebook as a client sends it: every code, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodebookInput {
    pub codes: Option<Vec<CodeInput>>,
}

/// One default code: key, parent, Swedish and English names, Swedish and English
/// descriptions.
type DefaultCode = (
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// The value landscape (seed 001) as codes. The English names slugify to the keys'
/// last words, so a codebook exported to `.qdc` and imported again keeps its keys.
const VALUE_LANDSCAPE: &[DefaultCode] = &[
    (
        "motivation",
        None,
        "Motiverande omständigheter",
        "Motivation",
        "Varför personen gav sig ut: vad som satte igång besöket eller köpet.",
        "Why the person set out: what started the visit or the purchase.",
    ),
    (
        "motivation.relationships",
        Some("motivation"),
        "Relationer",
        "Relationships",
        "Att träffa, umgås med eller göra något för andra människor: vänner, familj, kollegor.",
        "Meeting, spending time with or doing something for other people: friends, family, colleagues.",
    ),
    (
        "motivation.goal_fulfilment",
        Some("motivation"),
        "Måluppfyllelse",
        "Goal fulfilment",
        "Att få något gjort: ett ärende, ett köp, ett problem löst, på kort tid.",
        "Getting something done: an errand, a purchase, a problem solved, quickly.",
    ),
    (
        "motivation.experiences",
        Some("motivation"),
        "Upplevelser",
        "Experiences",
        "Att uppleva något för dess egen skull: njuta, bli överraskad, unna sig.",
        "Experiencing something for its own sake: enjoying, being surprised, treating oneself.",
    ),
    (
        "setting",
        None,
        "Miljö",
        "Setting",
        "Var mötet skedde och vad som omgav det.",
        "Where the meeting happened and what surrounded it.",
    ),
    (
        "setting.social_environment",
        Some("setting"),
        "Social miljö",
        "Social environment",
        "Det som omger platsen: andra verksamheter, grannskapet, stämningen, andra människor.",
        "What surrounds the place: other businesses, the neighbourhood, the atmosphere, other people.",
    ),
    (
        "setting.physical_place",
        Some("setting"),
        "Fysisk plats",
        "Physical place",
        "Själva platsen: lokalen, inredningen, skyltningen, ljudet, köerna.",
        "The place itself: the premises, the furnishing, the signs, the sound, the queues.",
    ),
    (
        "digital",
        None,
        "Digital teknik",
        "Digital",
        "Hur digital teknik mötte personen: appar, webb, skärmar, betalning, meddelanden.",
        "How digital technology met the person: apps, web, screens, payment, messages.",
    ),
    (
        "digital.useful",
        Some("digital"),
        "Praktiskt användbar",
        "Useful",
        "Tekniken hjälpte: sparade tid, gjorde något enklare eller möjligt.",
        "The technology helped: it saved time, or made something easier or possible.",
    ),
    (
        "digital.intrusive",
        Some("digital"),
        "Påträngande",
        "Intrusive",
        "Tekniken störde: trängde sig på, krävde för mycket eller tog bort det personliga.",
        "The technology got in the way: it pushed in, asked too much or took away the personal touch.",
    ),
    (
        "phase",
        None,
        "Fas i kundresan",
        "Phase",
        "När i kundresan det som svaret handlar om hände.",
        "When in the customer journey the thing the answer is about happened.",
    ),
    (
        "phase.before",
        Some("phase"),
        "Före",
        "Before",
        "Före besöket eller köpet: att planera, söka, välja, ta sig dit.",
        "Before the visit or purchase: planning, searching, choosing, getting there.",
    ),
    (
        "phase.during",
        Some("phase"),
        "Under",
        "During",
        "Under besöket eller köpet: på plats, i kassan, i samtalet.",
        "During the visit or purchase: on site, at the till, in the conversation.",
    ),
    (
        "phase.after",
        Some("phase"),
        "Efter",
        "After",
        "Efter besöket eller köpet: att använda, återkomma, klaga, rekommendera.",
        "After the visit or purchase: using, coming back, complaining, recommending.",
    ),
    (
        "stance",
        None,
        "Hållning",
        "Stance",
        "Vad personen tyckte om det hen beskriver.",
        "What the person thought of what they describe.",
    ),
    (
        "stance.like",
        Some("stance"),
        "Gillar",
        "Like",
        "Personen uttrycker att hen tyckte om något.",
        "The person says they liked something.",
    ),
    (
        "stance.dislike",
        Some("stance"),
        "Ogillar",
        "Dislike",
        "Personen uttrycker att hen inte tyckte om något, eller störde sig på det.",
        "The person says they did not like something, or were bothered by it.",
    ),
];

impl Codebook {
    /// The default codebook: the value landscape's motivations, settings, digital
    /// useful/intrusive, phases and like/dislike, version 0.
    pub fn value_landscape() -> Codebook {
        let key = |k: &str| CodeKey::parse(k).expect("default keys are valid");
        Codebook {
            version: 0,
            codes: VALUE_LANDSCAPE
                .iter()
                .map(|&(k, parent, sv, en, description, _)| Code {
                    key: key(k),
                    name_sv: sv.to_string(),
                    name_en: en.to_string(),
                    description: Some(description.to_string()),
                    parent: parent.map(key),
                    guid: None,
                })
                .collect(),
        }
    }

    pub fn code(&self, key: &str) -> Option<&Code> {
        self.codes.iter().find(|c| c.key.as_str() == key)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.code(key).is_some()
    }

    /// The codes directly under `parent` (None: the top-level codes), in list order.
    pub fn children<'a>(&'a self, parent: Option<&'a str>) -> impl Iterator<Item = &'a Code> + 'a {
        self.codes
            .iter()
            .filter(move |c| c.parent.as_ref().map(CodeKey::as_str) == parent)
    }

    /// The code `key` and every code below it.
    pub fn subtree<'a>(&'a self, key: &'a str) -> BTreeSet<&'a str> {
        let mut out = BTreeSet::new();
        let mut todo = vec![key];
        while let Some(k) = todo.pop() {
            if out.insert(k) {
                todo.extend(self.children(Some(k)).map(|c| c.key.as_str()));
            }
        }
        out.retain(|k| self.contains(k));
        out
    }

    /// For each code, the codes it counts toward: itself and every code above it.
    pub fn ancestry(&self) -> HashMap<&str, Vec<&str>> {
        let parents: HashMap<&str, Option<&str>> = self
            .codes
            .iter()
            .map(|c| (c.key.as_str(), c.parent.as_ref().map(CodeKey::as_str)))
            .collect();
        self.codes
            .iter()
            .map(|c| {
                let mut chain = vec![c.key.as_str()];
                let mut at = parents.get(c.key.as_str()).copied().flatten();
                while let Some(p) = at {
                    if chain.contains(&p) || chain.len() > self.codes.len() {
                        break;
                    }
                    chain.push(p);
                    at = parents.get(p).copied().flatten();
                }
                (c.key.as_str(), chain)
            })
            .collect()
    }

    /// The codes depth first, parents before their children (each level in list
    /// order), with their depth (1 for a top-level code): the order of a tree view,
    /// of the `.qdc` export and of the 0/1 columns.
    pub fn tree(&self) -> Vec<(usize, &Code)> {
        fn walk<'a>(
            book: &'a Codebook,
            parent: Option<&'a str>,
            depth: usize,
            out: &mut Vec<(usize, &'a Code)>,
        ) {
            if depth > MAX_DEPTH + 1 {
                return;
            }
            for c in book.children(parent) {
                out.push((depth, c));
                walk(book, Some(c.key.as_str()), depth + 1, out);
            }
        }
        let mut out = Vec::with_capacity(self.codes.len());
        walk(self, None, 1, &mut out);
        out
    }

    /// The keys of this codebook that `next` no longer has.
    pub fn removed_in<'a>(&'a self, next: &Codebook) -> Vec<&'a CodeKey> {
        self.codes
            .iter()
            .map(|c| &c.key)
            .filter(|k| !next.contains(k.as_str()))
            .collect()
    }

    /// The codebook as an input, for an edit form that sends it back whole.
    pub fn to_input(&self) -> CodebookInput {
        CodebookInput {
            codes: Some(
                self.codes
                    .iter()
                    .map(|c| CodeInput {
                        key: Some(c.key.to_string()),
                        name_sv: Some(c.name_sv.clone()),
                        name_en: Some(c.name_en.clone()),
                        description: c.description.clone(),
                        parent: c.parent.as_ref().map(ToString::to_string),
                        guid: c.guid.map(|g| g.to_string()),
                    })
                    .collect(),
            ),
        }
    }

    /// Checks a whole codebook that did not come through [`CodebookInput::parse`]
    /// (a stored document, an import): the same rules, named by `codes[i].field`.
    pub fn check(&self) -> Result<(), Invalid> {
        let mut c = Checker::new();
        if self.codes.len() > MAX_CODES {
            c.fail(
                "codes",
                Reason::TooManyCodes {
                    count: self.codes.len(),
                    max: MAX_CODES,
                },
            );
        }
        for (i, code) in self.codes.iter().enumerate() {
            let at = format!("codes[{i}]");
            for (field, value, max) in [
                ("name_sv", Some(&code.name_sv), MAX_NAME),
                ("name_en", Some(&code.name_en), MAX_NAME),
                ("description", code.description.as_ref(), MAX_DESCRIPTION),
            ] {
                if let Some(v) = value {
                    let checked = if field == "description" {
                        text_block(&format!("{at}.{field}"), v, max)
                    } else {
                        text(&format!("{at}.{field}"), v, max)
                    };
                    match checked {
                        Ok(t) if t == *v => {}
                        Ok(_) => c.fail(format!("{at}.{field}"), Reason::EdgeWhiteSpace),
                        Err(e) => {
                            c.take::<String>(Err(e));
                        }
                    }
                }
            }
        }
        structure(&mut c, &self.codes);
        c.finish()
    }
}

impl CodebookInput {
    /// Checks the whole list; the result has version 0 (the store gives versions).
    pub fn parse(&self) -> Result<Codebook, Invalid> {
        let mut c = Checker::new();
        let Some(list) = &self.codes else {
            c.fail("codes", Reason::Required);
            return Err(c.finish().unwrap_err());
        };
        if list.is_empty() {
            c.fail("codes", Reason::NeedsCode);
        }
        if list.len() > MAX_CODES {
            c.fail(
                "codes",
                Reason::TooManyCodes {
                    count: list.len(),
                    max: MAX_CODES,
                },
            );
        }
        let mut codes = Vec::with_capacity(list.len());
        let mut complete = true;
        for (i, input) in list.iter().enumerate() {
            match input.parse().map_err(|e| e.within(&format!("codes[{i}]"))) {
                Ok(code) => codes.push(code),
                Err(e) => {
                    complete = false;
                    c.take::<()>(Err(e));
                }
            }
        }
        // The structure is checked only over a list whose every code parsed, so that
        // positions in the messages are the client's positions.
        if complete {
            structure(&mut c, &codes);
        }
        c.finish()?;
        Ok(Codebook { version: 0, codes })
    }
}

impl CodeInput {
    /// Checks one code's fields (not its place in the list).
    pub fn parse(&self) -> Result<Code, Invalid> {
        let mut c = Checker::new();
        let key = match self.key.as_deref() {
            None => {
                c.fail("key", Reason::Required);
                None
            }
            Some(k) => c.take(CodeKey::parse(k.trim()).map_err(|e| e.within("key"))),
        };
        fn given(v: &Option<String>) -> Option<&str> {
            v.as_deref().filter(|s| !s.trim().is_empty())
        }
        let (sv, en) = match (given(&self.name_sv), given(&self.name_en)) {
            (None, None) => {
                c.fail("name_sv", Reason::Required);
                (None, None)
            }
            (sv, en) => {
                let sv = sv.and_then(|v| c.take(text("name_sv", v, MAX_NAME)));
                let en = en.and_then(|v| c.take(text("name_en", v, MAX_NAME)));
                (sv.clone().or_else(|| en.clone()), en.or(sv))
            }
        };
        let description = given(&self.description)
            .and_then(|v| c.take(text_block("description", v, MAX_DESCRIPTION)));
        let parent = given(&self.parent)
            .and_then(|p| c.take(CodeKey::parse(p.trim()).map_err(|e| e.within("parent"))));
        let guid = given(&self.guid).and_then(|g| match Uuid::parse_str(g.trim()) {
            Ok(u) => Some(u),
            Err(_) => {
                c.fail("guid", Reason::Guid);
                None
            }
        });
        c.finish()?;
        Ok(Code {
            key: key.expect("checked"),
            name_sv: sv.unwrap_or_default(),
            name_en: en.unwrap_or_default(),
            description,
            parent,
            guid,
        })
    }
}

/// A longer text: trimmed, at most `max` characters, newlines and tabs allowed.
pub(crate) fn text_block(field: &str, value: &str, max: usize) -> Result<String, Invalid> {
    let v = value.replace("\r\n", "\n");
    let v = v.trim();
    if v.is_empty() {
        return Err(Invalid::one(field, Reason::Empty));
    }
    if v.chars().count() > max {
        return Err(Invalid::one(field, Reason::TooLong { max }));
    }
    if v.chars()
        .any(|ch| ch.is_control() && ch != '\n' && ch != '\t')
    {
        return Err(Invalid::one(field, Reason::ControlCharactersInText));
    }
    Ok(v.to_string())
}

/// The rules over the list: unique keys, parents that exist, no cycles, depth.
fn structure(c: &mut Checker, codes: &[Code]) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, code) in codes.iter().enumerate() {
        if let Some(j) = first.get(code.key.as_str()) {
            c.fail(
                format!("codes[{i}].key"),
                Reason::RepeatsOf {
                    other: format!("codes[{j}].key"),
                },
            );
        } else {
            first.insert(code.key.as_str(), i);
        }
    }
    let parent_of = |k: &str| -> Option<&str> {
        first
            .get(k)
            .and_then(|&j| codes[j].parent.as_ref())
            .map(CodeKey::as_str)
    };
    for (i, code) in codes.iter().enumerate() {
        let Some(parent) = &code.parent else { continue };
        let field = format!("codes[{i}].parent");
        if parent == &code.key {
            c.fail(field, Reason::NamesItself);
            continue;
        }
        if !first.contains_key(parent.as_str()) {
            c.fail(
                field,
                Reason::NoCode {
                    key: parent.to_string(),
                },
            );
            continue;
        }
        // Walk up: a chain that comes back to this code is a cycle.
        let mut chain = vec![code.key.as_str()];
        let mut at = Some(parent.as_str());
        while let Some(k) = at {
            if k == code.key.as_str() {
                chain.push(k);
                c.fail(
                    field.clone(),
                    Reason::ParentCycle {
                        chain: chain.join(" → "),
                    },
                );
                break;
            }
            if chain.contains(&k) {
                break; // a cycle above this code; reported at its own codes
            }
            chain.push(k);
            at = parent_of(k);
        }
        if at.is_none() && chain.len() > MAX_DEPTH {
            c.fail(field, Reason::NestsTooDeep { max: MAX_DEPTH });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn input(v: serde_json::Value) -> CodebookInput {
        serde_json::from_value(v).unwrap()
    }

    fn fields(e: &Invalid) -> Vec<&str> {
        e.0.iter().map(|f| f.field.as_str()).collect()
    }

    #[test]
    fn default_descriptions_come_in_english_until_the_team_rewrites_them() {
        let book = Codebook::value_landscape();
        let like = book.code("stance.like").unwrap();
        assert_eq!(
            like.description_in(Lang::En),
            Some("The person says they liked something.")
        );
        assert_eq!(like.description_in(Lang::Sv), like.description.as_deref());
        for code in &book.codes {
            assert_ne!(code.description_in(Lang::En), code.description_in(Lang::Sv));
        }
        let mut own = like.clone();
        own.description = Some("Gästen gillade något.".into());
        assert_eq!(own.description_in(Lang::En), Some("Gästen gillade något."));
    }

    #[test]
    fn the_default_is_the_value_landscape_with_exactly_these_keys() {
        let book = Codebook::value_landscape();
        let keys: Vec<&str> = book.codes.iter().map(|c| c.key.as_str()).collect();
        let expected = [
            "motivation",
            "motivation.relationships",
            "motivation.goal_fulfilment",
            "motivation.experiences",
            "setting",
            "setting.social_environment",
            "setting.physical_place",
            "digital",
            "digital.useful",
            "digital.intrusive",
            "phase",
            "phase.before",
            "phase.during",
            "phase.after",
            "stance",
            "stance.like",
            "stance.dislike",
        ];
        assert_eq!(keys, expected);
        assert!(book.check().is_ok());
        for c in &book.codes {
            // Children sit under the parent their key starts with.
            match &c.parent {
                Some(p) => assert!(c.key.as_str().starts_with(&format!("{p}."))),
                None => assert!(!c.key.as_str().contains('.')),
            }
        }
        assert_eq!(
            book.code("digital.intrusive").unwrap().name(Lang::Sv),
            "Påträngande"
        );
        // Through its own input, it parses back to itself.
        assert_eq!(book.to_input().parse().unwrap(), book);
        // JSON round trip; no guid is written when none is kept.
        let json = serde_json::to_value(&book).unwrap();
        assert!(json["codes"][0].get("guid").is_none());
        assert_eq!(serde_json::from_value::<Codebook>(json).unwrap(), book);
    }

    #[test]
    fn keys_are_lower_case_dotted_words() {
        for ok in ["a", "motivation.experiences", "a1.b_2.c", &"x".repeat(40)] {
            assert!(CodeKey::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "A",
            "a..b",
            ".a",
            "a.",
            "1a",
            "a-b",
            "å",
            "a.B",
            &"x".repeat(41),
        ] {
            assert!(CodeKey::parse(bad).is_err(), "{bad}");
        }
        assert!(CodeKey::parse(&["abc"; 30].join(".")).is_err(), "too long");
        assert_eq!(CodeKey::parse("a.b.c").unwrap().last_word(), "c");
        assert!(serde_json::from_value::<CodeKey>(json!("Bad Key")).is_err());
    }

    #[test]
    fn the_tree_puts_parents_first_and_subtrees_hold_children() {
        let book = Codebook::value_landscape();
        let tree: Vec<(usize, &str)> = book
            .tree()
            .into_iter()
            .map(|(d, c)| (d, c.key.as_str()))
            .collect();
        assert_eq!(tree.len(), book.codes.len());
        assert_eq!(tree[0], (1, "motivation"));
        assert_eq!(tree[1], (2, "motivation.relationships"));
        assert_eq!(
            book.subtree("phase").into_iter().collect::<Vec<_>>(),
            ["phase", "phase.after", "phase.before", "phase.during"]
        );
        assert_eq!(book.subtree("nope").len(), 0);
        assert_eq!(book.ancestry()["stance.like"], ["stance.like", "stance"]);
    }

    #[test]
    fn every_problem_of_an_edit_is_named_by_field() {
        let e = input(json!({"codes": [
            {"key": "a", "name_sv": "A"},
            {"key": "a", "name_en": "A again"},
            {"key": "b", "name_sv": "B", "parent": "nope"},
            {"key": "Bad", "name_sv": " "},
            {"key": "c", "name_sv": "x".repeat(201), "guid": "not-a-guid"},
        ]}))
        .parse()
        .unwrap_err();
        assert_eq!(
            fields(&e),
            [
                "codes[3].key",
                "codes[3].name_sv",
                "codes[4].name_sv",
                "codes[4].guid"
            ],
            "{e}"
        );
        // Once each code parses, the list's rules are checked.
        let e = input(json!({"codes": [
            {"key": "a", "name_sv": "A"},
            {"key": "a", "name_en": "A again"},
            {"key": "b", "name_sv": "B", "parent": "nope"},
            {"key": "c", "name_sv": "C", "parent": "d"},
            {"key": "d", "name_sv": "D", "parent": "c"},
            {"key": "e", "name_sv": "E", "parent": "e"},
        ]}))
        .parse()
        .unwrap_err();
        assert_eq!(
            fields(&e),
            [
                "codes[1].key",
                "codes[2].parent",
                "codes[3].parent",
                "codes[4].parent",
                "codes[5].parent"
            ],
            "{e}"
        );
        assert_eq!(
            e.0[0].reason,
            Reason::RepeatsOf {
                other: "codes[0].key".into()
            }
        );
        assert_eq!(e.0[1].reason, Reason::NoCode { key: "nope".into() });
        assert_eq!(
            e.0[2].reason,
            Reason::ParentCycle {
                chain: "c → d → c".into()
            }
        );
        assert_eq!(e.0[4].reason, Reason::NamesItself);

        assert_eq!(fields(&input(json!({})).parse().unwrap_err()), ["codes"]);
        assert_eq!(
            fields(&input(json!({"codes": []})).parse().unwrap_err()),
            ["codes"]
        );
        // Nine deep is one too many.
        let deep: Vec<_> = (0..9)
            .map(|i| json!({"key": format!("k{i}"), "name_sv": "K", "parent": (i > 0).then(|| format!("k{}", i - 1))}))
            .collect();
        assert_eq!(
            fields(&input(json!({"codes": deep})).parse().unwrap_err()),
            ["codes[8].parent"]
        );
    }

    #[test]
    fn one_name_is_enough_and_texts_are_trimmed() {
        let book = input(json!({"codes": [
            {"key": "kö", "name_sv": "Kö"},
        ]}))
        .parse();
        assert!(book.is_err(), "keys are ASCII");
        let book = input(json!({"codes": [
            {"key": "queue", "name_sv": " Kö ", "description": " Väntan\r\nvid kassan \n"},
            {"key": "queue.long", "name_en": "Long queue", "parent": "queue",
             "guid": "1ff58b12-6f6f-4b0c-8be5-bbdc91f55294"},
        ]}))
        .parse()
        .unwrap();
        assert_eq!(
            (
                book.codes[0].name_sv.as_str(),
                book.codes[0].name_en.as_str()
            ),
            ("Kö", "Kö")
        );
        assert_eq!(
            book.codes[0].description.as_deref(),
            Some("Väntan\nvid kassan")
        );
        assert_eq!(book.codes[1].name_sv, "Long queue");
        assert_eq!(
            book.codes[1].refi_guid().to_string(),
            "1ff58b12-6f6f-4b0c-8be5-bbdc91f55294"
        );
        // Derived GUIDs are stable and differ per key.
        assert_eq!(book.codes[0].refi_guid(), key_guid(&book.codes[0].key));
        assert_ne!(
            book.codes[0].refi_guid(),
            Codebook::value_landscape().codes[0].refi_guid()
        );
        let next = Codebook {
            version: 0,
            codes: vec![book.codes[0].clone()],
        };
        assert_eq!(book.removed_in(&next), [&book.codes[1].key]);
    }
}
