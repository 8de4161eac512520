//! Swedish and English. The language comes from the `lang` cookie when the person
//! has chosen one, otherwise from Accept-Lang; English is the fallback.

use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum_extra::extract::CookieJar;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};
pub use motesplats_core::Lang;
use motesplats_core::number;
use motesplats_core::reason::{Param, Reason};
use std::borrow::Cow;
use std::collections::HashMap;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static EN: LanguageIdentifier = langid!("en");
static SV: LanguageIdentifier = langid!("sv");

fn id(lang: Lang) -> &'static LanguageIdentifier {
    match lang {
        Lang::Sv => &SV,
        Lang::En => &EN,
    }
}

/// The product's messages in a language.
pub trait Messages: Copy {
    /// The message `key`.
    fn t(self, key: &str) -> String;
    /// The message `key`, if there is one.
    fn try_t(self, key: &str) -> Option<String>;
    /// The message `key` with whole-number arguments, such as the ends of a scale.
    fn t_with(self, key: &str, args: &[(&'static str, i64)]) -> String;
    /// The message `key` with text arguments, such as numbers already written the
    /// language's way.
    fn t_text(self, key: &str, args: &[(&'static str, String)]) -> String;
    /// Why a field was refused, with its numbers written this language's way. A
    /// reason stored before reasons had codes is shown as written.
    fn reason(self, reason: &Reason) -> String;
}

impl Messages for Lang {
    fn t(self, key: &str) -> String {
        LOCALES.lookup(id(self), key)
    }

    fn try_t(self, key: &str) -> Option<String> {
        LOCALES.try_lookup(id(self), key)
    }

    fn t_with(self, key: &str, args: &[(&'static str, i64)]) -> String {
        let args = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(*v)));
        with_args(self, key, args)
    }

    fn t_text(self, key: &str, args: &[(&'static str, String)]) -> String {
        let args = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.clone())));
        with_args(self, key, args)
    }

    fn reason(self, reason: &Reason) -> String {
        if let Reason::Recorded(text) = reason {
            return text.clone();
        }
        let args = reason.params().into_iter().map(|(name, param)| {
            let text = match param {
                Param::Number(n) => number::integer(n, self),
                Param::Text(t) => t,
                Param::List(words) => words.join(", "),
            };
            (Cow::Owned(name), FluentValue::from(text))
        });
        with_args(self, &format!("reason-{}", reason.code()), args)
    }
}

/// The message `key` in `lang` with its arguments by name.
fn with_args<'a>(
    lang: Lang,
    key: &str,
    args: impl Iterator<Item = (Cow<'static, str>, FluentValue<'a>)>,
) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue> = args.collect();
    LOCALES.lookup_with_args(id(lang), key, &args)
}

/// The best of `offered` by an Accept-Language header's qualities; None when the
/// header names none of them.
pub fn negotiate(headers: &HeaderMap, offered: &[Lang]) -> Option<Lang> {
    let header = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next()?.trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q=")?.parse::<f32>().ok())
                .unwrap_or(1.0);
            let lang = Lang::parse(tag.split('-').next()?).ok()?;
            (offered.contains(&lang) && q > 0.0).then_some((lang, q))
        })
        .fold(None, |best: Option<(Lang, f32)>, (lang, q)| match best {
            Some((_, bq)) if bq >= q => best,
            _ => Some((lang, q)),
        })
        .map(|(lang, _)| lang)
}

/// A page's language: the chosen one (the `lang` cookie), else the best the browser
/// asks for, else English.
impl FromRequestParts<AppState> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        if let Some(lang) = jar.get("lang").and_then(|c| Lang::parse(c.value()).ok()) {
            return Ok(lang);
        }
        Ok(negotiate(&parts.headers, Lang::ALL).unwrap_or(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepting(value: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_LANGUAGE, value.parse().unwrap());
        h
    }

    #[test]
    fn accept_language_is_read_by_quality_among_the_offered() {
        let both = Lang::ALL;
        let best = |v| negotiate(&accepting(v), both);
        assert_eq!(best("sv-SE,sv;q=0.9,en;q=0.8"), Some(Lang::Sv));
        assert_eq!(best("en-GB,sv;q=0.5"), Some(Lang::En));
        assert_eq!(best("de-DE,sv;q=0.7,en;q=0.3"), Some(Lang::Sv));
        assert_eq!(best("fr"), None);
        assert_eq!(best("sv;q=0"), None);
        assert_eq!(negotiate(&HeaderMap::new(), both), None);
        let english_only = negotiate(&accepting("sv-SE,en;q=0.5"), &[Lang::En]);
        assert_eq!(english_only, Some(Lang::En));
    }

    /// The message ids of a Fluent file: lines that start a message (`key =`).
    fn keys(ftl: &str) -> Vec<String> {
        let mut k: Vec<String> = ftl
            .lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once(" =").map(|(k, _)| k.to_string()))
            .collect();
        k.sort();
        k
    }

    #[test]
    fn both_languages_have_every_message() {
        let en = include_str!("../../locales/en/main.ftl");
        let sv = include_str!("../../locales/sv/main.ftl");
        assert_eq!(keys(en), keys(sv));
        assert_eq!(Lang::Sv.t("sign-in"), "Logga in");
        assert_eq!(Lang::En.t("sign-in"), "Sign in");
    }

    #[test]
    fn every_reason_code_is_said_in_both_languages() {
        let en = keys(include_str!("../../locales/en/reasons.ftl"));
        let sv = keys(include_str!("../../locales/sv/reasons.ftl"));
        assert_eq!(en, sv, "the Swedish and English reasons differ");
        let mut codes: Vec<String> = Reason::CODES
            .iter()
            .map(|c| format!("reason-{c}"))
            .collect();
        codes.sort();
        assert_eq!(en, codes, "reasons.ftl and Reason::CODES differ");
    }

    #[test]
    fn a_reason_keeps_its_numbers_in_the_page_language() {
        let long = Reason::TooLong { max: 16384 };
        assert_eq!(Lang::Sv.reason(&long), "får vara högst 16\u{a0}384 tecken");
        assert_eq!(Lang::En.reason(&long), "must be at most 16,384 characters");
        let missing = Reason::NotInProject {
            what: "moment".into(),
        };
        assert_eq!(
            Lang::Sv.reason(&missing),
            "pekar inte på något ögonblick i projektet"
        );
        assert_eq!(
            Lang::En.reason(&Reason::Recorded("as stored".into())),
            "as stored"
        );
    }
}
