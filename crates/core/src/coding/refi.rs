//! The codebook as a REFI-QDA codebook (`.qdc`): the XML exchange format of the
//! Rotterdam Exchange Format Initiative that QDA tools (QualCoder, ATLAS.ti, MAXQDA,
//! NVivo, Taguette) read and write, namespace `urn:QDA-XML:codebook:1.0`:
//!
//! ```xml
//! <CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Mötesplats">
//!   <Codes>
//!     <Code guid="…" name="Motivation" isCodable="true">
//!       <Description>sv: Motiverande omständigheter
//!
//! Varför personen gav sig ut…</Description>
//!       <Code guid="…" name="Experiences" isCodable="true">…</Code>
//!     </Code>
//!   </Codes>
//!   <Sets/>
//! </CodeBook>
//! ```
//!
//! How the two models meet:
//! - A code's `name` is its English name. The format has one name per code, so the
//!   Swedish one, when it differs, leads the `Description` as a line `sv: …`, followed
//!   by a blank line and the description. Import reads that line back; without it the
//!   Swedish name is the name.
//! - Hierarchy is nesting. Every code is exported codable (`isCodable="true"`);
//!   import ignores `isCodable`, colours and sets (`<Sets>`).
//! - GUIDs: a code's kept GUID, or a UUID v5 of its key ([`Code::refi_guid`]), upper
//!   case as the tools write them. On import, a code whose GUID is that of a code of
//!   the current codebook keeps that code's key (so a code renamed in another tool
//!   keeps its codings); any other code gets a key from its name, slugified
//!   (`Goal fulfilment` → `goal_fulfilment`, `Väntetid` → `vantetid`) under its
//!   parent's key, made unique with `_2`, `_3`…. The GUID is kept in the code unless
//!   it is the one derived from the key, so a round trip keeps both.
//!
//! Import errors name the element by an XPath-like path (`/CodeBook/Codes/Code[2]/@guid`,
//! positions from 1) and the reason.

use super::codebook::{
    Code, CodeKey, Codebook, MAX_CODES, MAX_DEPTH, MAX_DESCRIPTION, MAX_KEY, MAX_KEY_WORD,
    MAX_NAME, key_guid, text_block,
};
use crate::invalid::{Checker, Invalid, List, Reason, text};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::reader::Reader;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The namespace of REFI-QDA codebooks.
pub const NAMESPACE: &str = "urn:QDA-XML:codebook:1.0";
/// The `origin` written on export.
pub const ORIGIN: &str = "Mötesplats";
/// The line that carries the Swedish name at the head of a description.
const SWEDISH: &str = "sv: ";

/// The codebook as a `.qdc` document (UTF-8 XML), codes nested under their parents.
pub fn to_qdc(book: &Codebook) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let mut write = |e: Event<'_>| w.write_event(e).expect("writing to memory cannot fail");
    write(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)));
    let mut root = BytesStart::new("CodeBook");
    root.push_attribute(("xmlns", NAMESPACE));
    root.push_attribute(("origin", ORIGIN));
    write(Event::Start(root));
    write(Event::Start(BytesStart::new("Codes")));
    let tree = book.tree();
    for (i, &(depth, code)) in tree.iter().enumerate() {
        let has_children = tree.get(i + 1).is_some_and(|&(d, _)| d > depth);
        let mut e = BytesStart::new("Code");
        e.push_attribute((
            "guid",
            code.refi_guid()
                .hyphenated()
                .to_string()
                .to_uppercase()
                .as_str(),
        ));
        e.push_attribute(("name", code.name_en.as_str()));
        e.push_attribute(("isCodable", "true"));
        let description = description_of(code);
        if description.is_none() && !has_children {
            write(Event::Empty(e));
        } else {
            write(Event::Start(e));
            if let Some(d) = &description {
                write(Event::Start(BytesStart::new("Description")));
                write(Event::Text(BytesText::new(d)));
                write(Event::End(BytesEnd::new("Description")));
            }
            if !has_children {
                write(Event::End(BytesEnd::new("Code")));
            }
        }
        // Close the codes this one was the last descendant of.
        let next_depth = tree.get(i + 1).map_or(1, |&(d, _)| d);
        for _ in next_depth..depth {
            write(Event::End(BytesEnd::new("Code")));
        }
    }
    write(Event::End(BytesEnd::new("Codes")));
    write(Event::Empty(BytesStart::new("Sets")));
    write(Event::End(BytesEnd::new("CodeBook")));
    let mut out = String::from_utf8(w.into_inner()).expect("the writer writes UTF-8");
    out.push('\n');
    out
}

/// The text of a code's `Description`: the Swedish name when it differs, then the
/// description.
fn description_of(code: &Code) -> Option<String> {
    let lead = (code.name_sv != code.name_en
        || code
            .description
            .as_deref()
            .is_some_and(|d| d.starts_with(SWEDISH)))
    .then(|| format!("{SWEDISH}{}", code.name_sv));
    match (lead, &code.description) {
        (Some(l), Some(d)) => Some(format!("{l}\n\n{d}")),
        (Some(l), None) => Some(l),
        (None, d) => d.clone(),
    }
}

/// One `<Code>` as read, before it has a key.
struct Raw {
    path: String,
    guid: Option<Uuid>,
    name: Option<String>,
    description: String,
    parent: Option<usize>,
    depth: usize,
}

/// Where the reader stands.
enum Frame {
    CodeBook { codes: usize },
    Codes { children: usize },
    Code { index: usize, children: usize },
    Description { code: usize },
    Ignored,
}

/// Reads a `.qdc` document. `current` is the codebook it replaces: codes with one of
/// its GUIDs keep their keys. The result has version 0 (the store gives versions).
pub fn from_qdc(xml: &str, current: &Codebook) -> Result<Codebook, Invalid> {
    let raws = read(xml)?;
    let mut c = Checker::new();
    let known: HashMap<Uuid, &CodeKey> = current
        .codes
        .iter()
        .map(|c| (c.refi_guid(), &c.key))
        .collect();
    let mut seen_guids = HashSet::new();
    for r in &raws {
        if let Some(g) = r.guid
            && !seen_guids.insert(g)
        {
            c.fail(
                format!("{}/@guid", r.path),
                Reason::Repeats {
                    value: g.to_string(),
                },
            );
        }
    }
    c.finish()?;
    let mut c = Checker::new();
    // Kept keys first, so a derived key never takes one.
    let mut taken: HashSet<String> = raws
        .iter()
        .filter_map(|r| r.guid.and_then(|g| known.get(&g)).map(|k| k.to_string()))
        .collect();
    let mut codes: Vec<Code> = Vec::with_capacity(raws.len());
    for r in &raws {
        let Some(name) = &r.name else {
            c.fail(format!("{}/@name", r.path), Reason::Required);
            codes.push(placeholder());
            continue;
        };
        let name = match text(&format!("{}/@name", r.path), name, MAX_NAME) {
            Ok(n) => n,
            Err(e) => {
                c.take::<()>(Err(e));
                codes.push(placeholder());
                continue;
            }
        };
        let (name_sv, description) = split_description(&r.description);
        let name_sv = match name_sv {
            None => name.clone(),
            Some(sv) => match text(&format!("{}/Description", r.path), sv, MAX_NAME) {
                Ok(sv) => sv,
                // The Swedish name's line of the Description (sv: …) is refused as
                // the Description.
                Err(e) => {
                    c.take::<()>(Err(e));
                    name.clone()
                }
            },
        };
        let description = match description {
            None => None,
            Some(d) => match text_block(&format!("{}/Description", r.path), d, MAX_DESCRIPTION) {
                Ok(d) => Some(d),
                Err(e) => {
                    c.take::<()>(Err(e));
                    None
                }
            },
        };
        let parent = r.parent.map(|p| codes[p].key.clone());
        let key = match r.guid.and_then(|g| known.get(&g)) {
            Some(k) => (*k).clone(),
            None => match derive_key(parent.as_ref(), &name, &mut taken) {
                Some(k) => k,
                None => {
                    c.fail(r.path.clone(), Reason::KeyTooDeep { max: MAX_KEY });
                    placeholder().key
                }
            },
        };
        let guid = r.guid.filter(|g| *g != key_guid(&key));
        codes.push(Code {
            key,
            name_sv,
            name_en: name,
            description,
            parent,
            guid,
        });
    }
    c.finish()?;
    let book = Codebook { version: 0, codes };
    book.check().map_err(|e| e.within("/CodeBook"))?;
    Ok(book)
}

fn placeholder() -> Code {
    Code {
        key: CodeKey::parse("invalid").expect("valid"),
        name_sv: String::new(),
        name_en: String::new(),
        description: None,
        parent: None,
        guid: None,
    }
}

/// The Swedish name (a leading `sv: …` line) and the description of a `Description`.
fn split_description(text: &str) -> (Option<&str>, Option<&str>) {
    let text = text.trim();
    let (sv, rest) = match text.strip_prefix(SWEDISH) {
        Some(after) => match after.split_once('\n') {
            Some((line, rest)) => (Some(line.trim()), rest),
            None => (Some(after.trim()), ""),
        },
        None => (None, text),
    };
    let rest = rest.trim();
    (sv, (!rest.is_empty()).then_some(rest))
}

/// A name as one word of a key: lower case, Swedish letters without their marks,
/// anything else `_`, at most [`MAX_KEY_WORD`] characters, starting with a letter.
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for ch in name.chars().flat_map(char::to_lowercase) {
        let mapped: &str = match ch {
            'å' | 'ä' | 'á' | 'à' | 'â' | 'ã' => "a",
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' | 'õ' => "o",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'ü' | 'ú' | 'ù' | 'û' => "u",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'ñ' => "n",
            'ç' => "c",
            'ß' => "ss",
            'æ' => "ae",
            c if c.is_ascii_lowercase() || c.is_ascii_digit() => {
                out.push(c);
                continue;
            }
            _ => "_",
        };
        out.push_str(mapped);
    }
    let mut word = String::new();
    for part in out.split('_').filter(|p| !p.is_empty()) {
        if !word.is_empty() {
            word.push('_');
        }
        word.push_str(part);
    }
    if word.is_empty() {
        word = "code".into();
    }
    if word.starts_with(|c: char| c.is_ascii_digit()) {
        word.insert_str(0, "c_");
    }
    truncate_word(&word, MAX_KEY_WORD)
}

fn truncate_word(word: &str, max: usize) -> String {
    let cut: String = word.chars().take(max).collect();
    cut.trim_end_matches('_').to_string()
}

/// A key for a code named `name` under `parent`, not in `taken` (which it joins).
fn derive_key(
    parent: Option<&CodeKey>,
    name: &str,
    taken: &mut HashSet<String>,
) -> Option<CodeKey> {
    let prefix = parent.map_or(String::new(), |p| format!("{p}."));
    let room = MAX_KEY.checked_sub(prefix.len())?.min(MAX_KEY_WORD);
    let base = truncate_word(&slugify(name), room);
    for n in 1.. {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!("_{n}")
        };
        let word = format!(
            "{}{suffix}",
            truncate_word(&base, room.checked_sub(suffix.len())?)
        );
        let candidate = format!("{prefix}{word}");
        if let Ok(key) = CodeKey::parse(&candidate)
            && taken.insert(candidate)
        {
            return Some(key);
        }
        if n > MAX_CODES + 1 {
            break;
        }
    }
    None
}

/// Reads the `<Code>` elements of a document, in document order.
fn read(xml: &str) -> Result<Vec<Raw>, Invalid> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Frame> = Vec::new();
    let mut paths: Vec<String> = Vec::new();
    let mut raws: Vec<Raw> = Vec::new();
    let mut root_seen = false;
    let fail = |path: &str, reason: Reason| Err(Invalid::one(path, reason));
    loop {
        let position = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let at = paths.last().map_or("/", String::as_str);
                return fail(
                    at,
                    Reason::NotWellFormed {
                        byte: usize::try_from(position).unwrap_or(usize::MAX),
                        detail: e.to_string(),
                    },
                );
            }
        };
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let local = e.local_name();
            let name = local.as_ref();
            let parent_path = paths.last().cloned().unwrap_or_default();
            let parent_code = match stack.last() {
                Some(Frame::Code { index, .. }) => Some(*index),
                _ => None,
            };
            let (frame, path) = match stack.last_mut() {
                None if root_seen => {
                    return fail("/", Reason::SecondRoot);
                }
                None => {
                    if name != "CodeBook" {
                        return fail(
                            &format!("/{name}"),
                            Reason::RootElement {
                                name: "CodeBook".into(),
                            },
                        );
                    }
                    root_seen = true;
                    for a in e.attributes() {
                        let a = a.map_err(|err| {
                            Invalid::one(
                                "/CodeBook",
                                Reason::BadAttribute {
                                    detail: err.to_string(),
                                },
                            )
                        })?;
                        if a.key.as_ref() == "xmlns" && &*a.value != NAMESPACE {
                            return fail(
                                "/CodeBook/@xmlns",
                                Reason::OneOf {
                                    value: a.value.to_string(),
                                    allowed: List::of([NAMESPACE]),
                                },
                            );
                        }
                    }
                    (Frame::CodeBook { codes: 0 }, "/CodeBook".to_string())
                }
                Some(Frame::CodeBook { codes }) if name == "Codes" => {
                    *codes += 1;
                    if *codes > 1 {
                        return fail(
                            &format!("{parent_path}/Codes[{codes}]"),
                            Reason::RepeatsElement {
                                name: "Codes".into(),
                            },
                        );
                    }
                    (Frame::Codes { children: 0 }, format!("{parent_path}/Codes"))
                }
                Some(Frame::Codes { children }) | Some(Frame::Code { children, .. })
                    if name == "Code" =>
                {
                    *children += 1;
                    let path = format!("{parent_path}/Code[{children}]");
                    let parent = parent_code;
                    let depth = parent.map_or(1, |p| raws[p].depth + 1);
                    if depth > MAX_DEPTH {
                        return fail(&path, Reason::NestsTooDeep { max: MAX_DEPTH });
                    }
                    if raws.len() >= MAX_CODES {
                        return fail(
                            &path,
                            Reason::TooManyCodes {
                                count: MAX_CODES + 1,
                                max: MAX_CODES,
                            },
                        );
                    }
                    let mut raw = Raw {
                        path: path.clone(),
                        guid: None,
                        name: None,
                        description: String::new(),
                        parent,
                        depth,
                    };
                    for a in e.attributes() {
                        let a = a.map_err(|err| {
                            Invalid::one(
                                path.clone(),
                                Reason::BadAttribute {
                                    detail: err.to_string(),
                                },
                            )
                        })?;
                        let value = a
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .map_err(|err| {
                                Invalid::one(
                                    format!("{path}/@{}", a.key.as_ref()),
                                    Reason::BadXml {
                                        detail: err.to_string(),
                                    },
                                )
                            })?;
                        match a.key.local_name().as_ref() {
                            "guid" => match Uuid::parse_str(value.trim()) {
                                Ok(g) => raw.guid = Some(g),
                                Err(_) => {
                                    return fail(&format!("{path}/@guid"), Reason::Guid);
                                }
                            },
                            "name" => raw.name = Some(value.into_owned()),
                            _ => {}
                        }
                    }
                    if raw.guid.is_none() {
                        return fail(&format!("{path}/@guid"), Reason::Required);
                    }
                    raws.push(raw);
                    (
                        Frame::Code {
                            index: raws.len() - 1,
                            children: 0,
                        },
                        path,
                    )
                }
                Some(Frame::Code { index, .. }) if name == "Description" => {
                    let index = *index;
                    (
                        Frame::Description { code: index },
                        format!("{parent_path}/Description"),
                    )
                }
                Some(_) => (Frame::Ignored, format!("{parent_path}/{name}")),
            };
            if !empty {
                stack.push(frame);
                paths.push(path);
            }
            continue;
        }
        match event {
            Event::End(_) => {
                stack.pop();
                paths.pop();
            }
            Event::Text(t) => {
                if let Some(Frame::Description { code }) = stack.last() {
                    raws[*code].description.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(Frame::Description { code }) = stack.last() {
                    raws[*code].description.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(Frame::Description { code }) = stack.last() {
                    let at = paths.last().cloned().unwrap_or_default();
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(ch)) => ch.to_string(),
                        Ok(None) => match quick_xml::escape::resolve_predefined_entity(&r) {
                            Some(s) => s.to_string(),
                            None => {
                                return fail(
                                    &at,
                                    Reason::UnknownEntity {
                                        name: r.to_string(),
                                    },
                                );
                            }
                        },
                        Err(e) => {
                            return fail(
                                &at,
                                Reason::BadXml {
                                    detail: e.to_string(),
                                },
                            );
                        }
                    };
                    raws[*code].description.push_str(&resolved);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !root_seen {
        return fail(
            "/",
            Reason::RootElement {
                name: "CodeBook".into(),
            },
        );
    }
    if !stack.is_empty() {
        return fail(
            paths.last().map_or("/", String::as_str),
            Reason::ElementNotClosed,
        );
    }
    if raws.is_empty() {
        return fail("/CodeBook/Codes", Reason::NeedsCode);
    }
    Ok(raws)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coding::codebook::CodebookInput;
    use serde_json::json;

    fn empty() -> Codebook {
        Codebook {
            version: 0,
            codes: vec![],
        }
    }

    #[test]
    fn the_default_codebook_round_trips_through_qdc() {
        let book = Codebook::value_landscape();
        let xml = to_qdc(&book);
        assert!(
            xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"),
            "{xml}"
        );
        assert!(
            xml.contains("<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" origin=\"Mötesplats\">")
        );
        assert!(xml.contains("<Sets/>"));
        let guid = book.codes[0]
            .refi_guid()
            .hyphenated()
            .to_string()
            .to_uppercase();
        assert!(
            xml.contains(&format!(
                "<Code guid=\"{guid}\" name=\"Motivation\" isCodable=\"true\">"
            )),
            "{xml}"
        );
        assert!(xml.contains("sv: Motiverande omständigheter"));
        // Into the same codebook, and into an empty one (keys come from the names).
        assert_eq!(from_qdc(&xml, &book).unwrap(), book);
        assert_eq!(from_qdc(&xml, &empty()).unwrap(), book);
        // Exports are stable.
        assert_eq!(to_qdc(&from_qdc(&xml, &book).unwrap()), xml);
    }

    #[test]
    fn guids_and_odd_names_survive_and_renamed_codes_keep_their_keys() {
        let input: CodebookInput = serde_json::from_value(json!({"codes": [
            {"key": "kassa", "name_sv": "Kassan & kön", "name_en": "Till \"queue\" <long>",
             "description": "sv: is not a name here\n\nTvå rader.", "guid": "1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294"},
            {"key": "kassa.kort", "name_sv": "Kort", "parent": "kassa"},
            {"key": "annat", "name_sv": "Annat"}
        ]}))
        .unwrap();
        let book = input.parse().unwrap();
        let xml = to_qdc(&book);
        assert!(xml.contains("guid=\"1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294\""));
        assert_eq!(from_qdc(&xml, &book).unwrap(), book);
        // Into an empty codebook, keys come from the English names; GUIDs are kept.
        let fresh = from_qdc(&xml, &empty()).unwrap();
        let keys: Vec<&str> = fresh.codes.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["till_queue_long", "till_queue_long.kort", "annat"]);
        assert_eq!(fresh.codes[0].name_sv, "Kassan & kön");
        assert_eq!(
            fresh.codes[0].description.as_deref(),
            Some("sv: is not a name here\n\nTvå rader.")
        );
        assert_eq!(fresh.codes[0].refi_guid(), book.codes[0].refi_guid());
        assert_eq!(
            fresh.codes[1].refi_guid(),
            book.codes[1].refi_guid(),
            "derived GUIDs travel as kept ones"
        );
        assert!(fresh.codes[1].guid.is_some());
        assert!(
            fresh.codes[2].guid.is_none(),
            "the GUID derived from the same key is not kept"
        );

        // A code renamed in another tool keeps its key (and codings).
        let renamed = xml.replace("name=\"Kort\"", "name=\"Kortbetalning\"");
        let back = from_qdc(&renamed, &book).unwrap();
        assert_eq!(back.codes[1].key.as_str(), "kassa.kort");
        assert_eq!(back.codes[1].name_en, "Kortbetalning");
    }

    #[test]
    fn codes_from_other_tools_get_keys_from_their_names() {
        let xml = r##"<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" origin="ATLAS.ti Win 23.4.0" xmlns="urn:QDA-XML:codebook:1.0">
  <Codes>
    <Code guid="{1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294}" name="Väntetid" color="#46AA00" isCodable="true">
      <Description>Tid i kö &amp; vid &#x4B;assan<![CDATA[ <CDATA> ]]></Description>
      <Code guid="2FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="Lång" isCodable="false"/>
      <Code guid="3FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="lång!" isCodable="true"/>
    </Code>
    <Code guid="4FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="2023 års besök" isCodable="true"/>
  </Codes>
  <Sets>
    <Set name="group" guid="ECA18D76-2B8B-4F26-BC1D-19ECA19FB3F0">
      <MemberCode guid="1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" />
    </Set>
  </Sets>
</CodeBook>"##;
        let book = from_qdc(xml, &empty()).unwrap();
        let keys: Vec<&str> = book.codes.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "vantetid",
                "vantetid.lang",
                "vantetid.lang_2",
                "c_2023_ars_besok"
            ]
        );
        assert_eq!(
            book.codes[0].description.as_deref(),
            Some("Tid i kö & vid Kassan <CDATA>")
        );
        assert_eq!(book.codes[0].name_sv, "Väntetid");
        assert_eq!(book.codes[2].parent.as_ref().unwrap().as_str(), "vantetid");
        assert_eq!(
            book.codes[0].guid.unwrap().to_string(),
            "1ff58b12-6f6f-4b0c-8be5-bbdc91f55294"
        );
    }

    #[test]
    fn import_errors_name_the_element_and_the_reason() {
        let err = |xml: &str| {
            let e = from_qdc(xml, &empty()).unwrap_err();
            (e.0[0].field.clone(), e.0[0].reason.clone())
        };
        let wrap = |codes: &str| {
            format!("<CodeBook xmlns=\"{NAMESPACE}\"><Codes>{codes}</Codes></CodeBook>")
        };
        let g = |n: u8| format!("{n:X}FF58B12-6F6F-4B0C-8BE5-BBDC91F55294");
        let root = Reason::RootElement {
            name: "CodeBook".into(),
        };
        assert_eq!(err("<Project/>"), ("/Project".into(), root.clone()));
        assert_eq!(err(""), ("/".into(), root));
        assert_eq!(
            err("<CodeBook xmlns=\"urn:QDA-XML:project:1.0\"/>"),
            (
                "/CodeBook/@xmlns".into(),
                Reason::OneOf {
                    value: "urn:QDA-XML:project:1.0".into(),
                    allowed: List::of([NAMESPACE])
                }
            )
        );
        assert_eq!(
            err(&wrap("")),
            ("/CodeBook/Codes".into(), Reason::NeedsCode)
        );
        let (field, reason) = err(&wrap(&format!(
            "<Code guid=\"{}\" name=\"A\"><Code guid=\"nope\" name=\"B\"/></Code>",
            g(1)
        )));
        assert_eq!(field, "/CodeBook/Codes/Code[1]/Code[1]/@guid");
        assert_eq!(reason, Reason::Guid);
        assert_eq!(
            err(&wrap(&format!(
                "<Code guid=\"{}\" name=\"A\"/><Code name=\"B\"/>",
                g(1)
            )))
            .0,
            "/CodeBook/Codes/Code[2]/@guid"
        );
        assert_eq!(
            err(&wrap(&format!(
                "<Code guid=\"{}\" name=\"A\"/><Code guid=\"{}\" name=\"B\"/>",
                g(1),
                g(1)
            ))),
            (
                "/CodeBook/Codes/Code[2]/@guid".into(),
                Reason::Repeats {
                    value: "1ff58b12-6f6f-4b0c-8be5-bbdc91f55294".into()
                }
            )
        );
        assert_eq!(
            err(&wrap(&format!("<Code guid=\"{}\"/>", g(1)))),
            ("/CodeBook/Codes/Code[1]/@name".into(), Reason::Required)
        );
        assert_eq!(
            err(&wrap(&format!("<Code guid=\"{}\" name=\"  \"/>", g(1)))).0,
            "/CodeBook/Codes/Code[1]/@name"
        );
        let long = format!(
            "<Code guid=\"{}\" name=\"A\"><Description>{}</Description></Code>",
            g(1),
            "x".repeat(2001)
        );
        assert_eq!(err(&wrap(&long)).0, "/CodeBook/Codes/Code[1]/Description");
        let (field, reason) = err(&wrap(&format!(
            "<Code guid=\"{}\" name=\"A\"><Description>&nbsp;</Description></Code>",
            g(1)
        )));
        assert_eq!(field, "/CodeBook/Codes/Code[1]/Description");
        assert_eq!(
            reason,
            Reason::UnknownEntity {
                name: "nbsp".into()
            }
        );
        let (field, reason) = err(&wrap(&format!("<Code guid=\"{}\" name=\"A\"></Cod>", g(1))));
        assert_eq!(field, "/CodeBook/Codes/Code[1]");
        assert!(matches!(reason, Reason::NotWellFormed { .. }), "{reason:?}");
        // Nine levels is one too many.
        let mut deep = String::new();
        for i in 0..9u8 {
            deep.push_str(&format!("<Code guid=\"{}\" name=\"L{i}\">", g(i)));
        }
        deep.push_str(&"</Code>".repeat(9));
        assert_eq!(err(&wrap(&deep)).1, Reason::NestsTooDeep { max: 8 });
    }

    #[test]
    fn slugs_are_key_words() {
        assert_eq!(slugify("Goal fulfilment"), "goal_fulfilment");
        assert_eq!(slugify("  Måluppfyllelse!! "), "maluppfyllelse");
        assert_eq!(slugify("---"), "code");
        assert_eq!(slugify("42"), "c_42");
        assert_eq!(slugify(&"ab ".repeat(30)).len(), 40);
        for s in ["Goal fulfilment", "ÅÄÖ åäö", "x", &"é".repeat(99)] {
            assert!(CodeKey::parse(&slugify(s)).is_ok(), "{s}");
        }
        let mut taken = HashSet::new();
        let parent = CodeKey::parse(&["abcdefghij"; 8].join(".")).unwrap();
        let k = derive_key(Some(&parent), "A long name of a code", &mut taken).unwrap();
        assert!(k.as_str().len() <= MAX_KEY, "{k}");
        let k2 = derive_key(Some(&parent), "A long name of a code", &mut taken).unwrap();
        assert_ne!(k, k2);
        assert!(k2.as_str().len() <= MAX_KEY, "{k2}");
    }
}
