//! Word lists for the demo world: common Swedish first names and surnames, and
//! e-mail domains under the reserved `.example` top-level domain, so no demo address
//! can ever reach a real mailbox.

/// First names as written.
pub const FIRST_NAMES: &[&str] = &[
    "Anna", "Eva", "Maria", "Karin", "Sara", "Kristina", "Lena", "Emma", "Kerstin", "Ingrid",
    "Malin", "Jenny", "Elin", "Åsa", "Linnea", "Ida", "Hanna", "Sofia", "Maja", "Astrid", "Fatima",
    "Märta", "Lars", "Karl", "Erik", "Anders", "Johan", "Per", "Nils", "Mikael", "Jan", "Hans",
    "Peter", "Olof", "Gunnar", "Sven", "Björn", "Fredrik", "Oskar", "Lucas", "Ali", "Mohammed",
    "Elias", "Göran",
];

/// Surnames as written.
pub const SURNAMES: &[&str] = &[
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Lindström",
    "Olofsson",
    "Lindqvist",
    "Lindgren",
    "Berg",
    "Axelsson",
    "Bergström",
    "Lundberg",
    "Lundgren",
    "Mattsson",
    "Berglund",
    "Fredriksson",
    "Sandberg",
    "Henriksson",
    "Forsberg",
    "Sjöberg",
    "Wallin",
    "Engström",
    "Eklund",
    "Håkansson",
    "Björk",
    "Ali",
    "Hassan",
    "Nguyen",
    "Yilmaz",
];

/// Private mailbox providers.
pub const PRIVATE_DOMAINS: &[&str] = &[
    "post.example",
    "mejl.example",
    "brevlada.example",
    "natpost.example",
];

/// Employers, for work addresses that some people give a hotel or a bank.
pub const WORK_DOMAINS: &[&str] = &[
    "kommunen.example",
    "regionen.example",
    "bolaget.example",
    "skolan.example",
    "verkstan.example",
];

/// Mobile prefixes that Swedish numbering plans give to mobile phones.
pub const MOBILE_PREFIXES: &[&str] = &["070", "072", "073", "076", "079"];

/// Lower-case ASCII for e-mail addresses and handles: å, ä → a, ö → o, é → e.
pub fn ascii_lower(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'å' | 'ä' | 'Å' | 'Ä' => Some('a'),
            'ö' | 'Ö' => Some('o'),
            'é' | 'É' => Some('e'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_long_enough_and_have_no_duplicates() {
        for list in [FIRST_NAMES, SURNAMES] {
            assert!(list.len() >= 40);
            let mut sorted = list.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), list.len());
        }
    }

    #[test]
    fn swedish_letters_become_ascii() {
        assert_eq!(ascii_lower("Åsa Sjöberg-Märta"), "asasjobergmarta");
        assert!(
            FIRST_NAMES
                .iter()
                .chain(SURNAMES)
                .all(|n| !ascii_lower(n).is_empty())
        );
    }
}
