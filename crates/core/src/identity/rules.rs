//! The rules per identifier kind: whether it merges profiles, how strong it is as
//! evidence, and on how many profiles it may appear before it counts as shared.

use crate::identifier::IdentifierKind;
use std::collections::{BTreeMap, BTreeSet};

/// How one identifier kind takes part in stitching profiles into persons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindRule {
    /// Whether two profiles carrying the same identifier of this kind are one person.
    pub merges: bool,
    /// Strength as evidence; higher first. Decides which identifier is named as the
    /// one that joined two profiles when they carry several in common.
    pub priority: u8,
    /// An identifier seen on more distinct profiles than this is *shared* (a family
    /// tablet, a shop's demo phone, a household e-mail) and merges nobody.
    pub cap: usize,
    /// The most distinct values of this kind one person may hold: a join by
    /// identifiers that would give a person more is refused, so two loyalty cards
    /// behind one household e-mail stay two people. `usize::MAX`: no limit.
    pub per_person: usize,
}

impl KindRule {
    /// The rule of a kind the rules do not name: it joins nobody.
    pub const NEVER: KindRule = KindRule {
        merges: false,
        priority: 0,
        cap: 0,
        per_person: usize::MAX,
    };
}

/// The rules of one provider's identity resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    /// One rule per kind; a kind left out never merges.
    pub kinds: BTreeMap<IdentifierKind, KindRule>,
    /// Values that stand for "no value" in source systems; they never merge and are
    /// never reported as shared. Compared trimmed and lower-cased.
    pub placeholders: BTreeSet<String>,
}

impl Rules {
    /// The rule for `kind`, [`KindRule::NEVER`] when the rules leave it out.
    pub fn rule(&self, kind: IdentifierKind) -> KindRule {
        self.kinds.get(&kind).copied().unwrap_or(KindRule::NEVER)
    }

    /// Whether `value` is a junk value such as `null` or `-1` rather than an identifier.
    pub fn is_placeholder(&self, value: &str) -> bool {
        self.placeholders
            .contains(value.trim().to_lowercase().as_str())
    }
}

impl Default for Rules {
    fn default() -> Self {
        let rule = |priority, cap, per_person| KindRule {
            merges: true,
            priority,
            cap,
            per_person,
        };
        let kinds = BTreeMap::from([
            // Issued once per customer by the provider itself, so the strongest
            // evidence: the same number in the web shop, the till and the booking
            // system is one customer. On more profiles than a provider has sources
            // it is a test number or a typing error, not one human; and a provider
            // gives one customer one number, so two numbers are two customers.
            (IdentifierKind::CustomerNumber, rule(50, 3, 1)),
            // A card is issued to one customer like a customer number, and shown at
            // each of the provider's tills; on more profiles it is a shop's own card
            // kept at the till for customers who forgot theirs. Each member of a
            // household has a card of their own, so two cards are two people (a
            // replaced card is joined by a person's decision).
            (IdentifierKind::LoyaltyCard, rule(40, 3, 1)),
            // Chosen and usually verified by the person; up to three profiles allows
            // a shop, a web account and a newsletter sign-up. More is a household or
            // an office address.
            (IdentifierKind::Email, rule(30, 3, usize::MAX)),
            // Personal for most people, but a shop's demo phone or a family's
            // landline turns up on many profiles; same cap as e-mail.
            (IdentifierKind::Phone, rule(20, 3, usize::MAX)),
            // A handle belongs to one account, seen from a forum and a review site
            // at most; on more profiles it is more likely a look-alike.
            (IdentifierKind::SocialHandle, rule(15, 2, usize::MAX)),
            // Weakest: tablets and computers are shared within families; two
            // profiles (an app and a web login on one device) still merge.
            (IdentifierKind::DeviceId, rule(10, 2, usize::MAX)),
        ]);
        // The junk values source systems put where they have no identifier.
        let placeholders = ["", "null", "-1", "0", "unknown", "n/a", "none", "-"]
            .map(String::from)
            .into();
        Rules {
            kinds,
            placeholders,
        }
    }
}
