//! Swedish and English. The language comes from the `lang` cookie when the person
//! has chosen one, otherwise from Accept-Language; English is the fallback.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Sv,
    En,
}

impl Lang {
    /// The same language as a survey names it.
    pub fn language(self) -> motesplats_core::survey::Language {
        match self {
            Lang::Sv => motesplats_core::survey::Language::Sv,
            Lang::En => motesplats_core::survey::Language::En,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "sv" => Some(Lang::Sv),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::Sv => &SV,
            Lang::En => &EN,
        }
    }

    /// The message `key` in this language.
    pub fn t(self, key: &str) -> String {
        LOCALES.lookup(self.id(), key)
    }

    /// The message `key` in this language, if there is one.
    pub fn try_t(self, key: &str) -> Option<String> {
        LOCALES.try_lookup(self.id(), key)
    }

    /// The message `key` in this language with whole-number arguments, such as the
    /// ends of a scale.
    pub fn t_with(self, key: &str, args: &[(&'static str, i64)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(*v)))
            .collect();
        LOCALES.lookup_with_args(self.id(), key, &args)
    }

    /// The message `key` with text arguments, such as numbers already written the
    /// language's way.
    pub fn t_text(self, key: &str, args: &[(&'static str, String)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.clone())))
            .collect();
        LOCALES.lookup_with_args(self.id(), key, &args)
    }

    /// Why a field was refused, in this language, with its numbers written this
    /// language's way. A reason stored before reasons had codes is shown as written.
    pub fn reason(self, reason: &Reason) -> String {
        if let Reason::Recorded(text) = reason {
            return text.clone();
        }
        let args: HashMap<Cow<'static, str>, FluentValue> = reason
            .params()
            .into_iter()
            .map(|(name, param)| {
                let text = match param {
                    Param::Number(n) => number::integer(n, self.core()),
                    Param::Text(t) => t,
                    Param::List(words) => words.join(", "),
                };
                (Cow::Owned(name), FluentValue::from(text))
            })
            .collect();
        LOCALES.lookup_with_args(self.id(), &format!("reason-{}", reason.code()), &args)
    }

    /// The core's language of numbers and labels.
    pub fn core(self) -> motesplats_core::research::Lang {
        match self {
            Lang::Sv => motesplats_core::research::Lang::Sv,
            Lang::En => motesplats_core::research::Lang::En,
        }
    }

    /// Picks Swedish or English from an Accept-Language header by quality.
    pub fn from_accept_language(header: &str) -> Lang {
        header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.trim().split(';');
                let tag = pieces.next()?.trim().to_ascii_lowercase();
                let q = pieces
                    .find_map(|p| {
                        p.trim()
                            .strip_prefix("q=")
                            .and_then(|q| q.parse::<f32>().ok())
                    })
                    .unwrap_or(1.0);
                let lang = Lang::parse(tag.split('-').next()?)?;
                Some((lang, q))
            })
            .fold(None, |best: Option<(Lang, f32)>, (lang, q)| match best {
                Some((_, bq)) if bq >= q => best,
                _ => Some((lang, q)),
            })
            .map_or(Lang::En, |(lang, _)| lang)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        if let Some(lang) = jar.get("lang").and_then(|c| Lang::parse(c.value())) {
            return Ok(lang);
        }
        let accept = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        Ok(Lang::from_accept_language(accept))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_is_read_by_quality() {
        assert_eq!(
            Lang::from_accept_language("sv-SE,sv;q=0.9,en;q=0.8"),
            Lang::Sv
        );
        assert_eq!(Lang::from_accept_language("en-GB,sv;q=0.5"), Lang::En);
        assert_eq!(
            Lang::from_accept_language("de-DE,sv;q=0.7,en;q=0.3"),
            Lang::Sv
        );
        assert_eq!(Lang::from_accept_language("fr"), Lang::En);
        assert_eq!(Lang::from_accept_language(""), Lang::En);
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
