//! Numbers as people read them: Swedish groups thousands with a no-break space and
//! writes a decimal comma (`12 345,5`), English groups with a comma and writes a
//! decimal point (`12,345.5`).

use crate::lang::Lang;

/// The thousands separator of Swedish: U+00A0, so a number never breaks across lines.
const SV_GROUP: char = '\u{a0}';

fn marks(lang: Lang) -> (char, char) {
    match lang {
        Lang::Sv => (SV_GROUP, ','),
        Lang::En => (',', '.'),
    }
}

/// Writes Rust's plain rendering of a number (`-12345.5`) in `lang`.
fn localise(plain: &str, lang: Lang) -> String {
    let (group, point) = marks(lang);
    if plain.contains(['e', 'E']) {
        // Exponent notation (1e21) is left ungrouped.
        return plain.replace('.', &point.to_string());
    }
    let (sign, unsigned) = match plain.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", plain),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    let mut out = String::from(sign);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(digit);
    }
    if let Some(f) = fraction {
        out.push(point);
        out.push_str(f);
    }
    out
}

/// A whole number of any width (a count, a limit, an amount).
pub trait Whole: std::fmt::Display {}
impl Whole for i32 {}
impl Whole for i64 {}
impl Whole for u32 {}
impl Whole for u64 {}
impl Whole for usize {}

/// A whole number, grouped by thousands.
pub fn integer(n: impl Whole, lang: Lang) -> String {
    localise(&n.to_string(), lang)
}

/// A number with exactly `places` decimals.
pub fn decimal(x: f64, places: usize, lang: Lang) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    localise(&format!("{x:.places$}"), lang)
}

/// A JSON number as it was sent (no rounding), grouped and with the language's decimal mark.
pub fn json(n: &serde_json::Number, lang: Lang) -> String {
    localise(&n.to_string(), lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_groups_with_a_no_break_space_and_writes_a_decimal_comma() {
        assert_eq!(integer(1_234_567, Lang::Sv), "1\u{a0}234\u{a0}567");
        assert_eq!(integer(-69_659, Lang::Sv), "-69\u{a0}659");
        assert_eq!(decimal(12345.456, 2, Lang::Sv), "12\u{a0}345,46");
        assert_eq!(integer(999, Lang::Sv), "999");
    }

    #[test]
    fn english_groups_with_a_comma_and_writes_a_decimal_point() {
        assert_eq!(integer(1_234_567, Lang::En), "1,234,567");
        assert_eq!(decimal(-0.5, 1, Lang::En), "-0.5");
        assert_eq!(decimal(1000.0, 0, Lang::En), "1,000");
    }

    #[test]
    fn json_numbers_keep_their_digits() {
        let n: serde_json::Number = serde_json::from_str("23570.25").unwrap();
        assert_eq!(json(&n, Lang::Sv), "23\u{a0}570,25");
        assert_eq!(json(&n, Lang::En), "23,570.25");
        let n: serde_json::Number = serde_json::from_str("7").unwrap();
        assert_eq!(json(&n, Lang::Sv), "7");
        let n: serde_json::Number = serde_json::from_str("1.5e300").unwrap();
        assert_eq!(json(&n, Lang::Sv), "1,5e+300");
    }
}
