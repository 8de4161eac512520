//! What real customer databases get wrong, planted into the demo world so identity
//! resolution has something to get right: a second source (the clothing shop's till
//! beside its web shop) that knows the customer by other identifiers, households
//! whose members register with one family e-mail, family tablets in the property
//! owner's app, junk values where a till had no customer number, and the names,
//! birth dates and addresses record linkage compares, with nicknames, typos, swapped
//! day and month and addresses from before a move.
//!
//! It draws from a stream of its own, so the world without it stays as it was.

use crate::identifier::{Identifier, IdentifierKind};
use chrono::{Datelike, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Map, Value};

/// Chance that a human lives with the one before them.
const HOUSEHOLD: f64 = 0.3;
/// Chance that a clothing customer is also in the till's own register.
const TILL_RECORD: f64 = 0.3;
/// Chance that a human moved during the year, leaving the old address in some records.
const MOVED: f64 = 0.2;

const STREETS: &[&str] = &[
    "Storgatan",
    "Kyrkogatan",
    "Drottninggatan",
    "Skolgatan",
    "Parkvägen",
    "Björkvägen",
    "Ringvägen",
    "Järnvägsgatan",
    "Strandvägen",
    "Östra Långgatan",
];

/// Nicknames Swedish records carry for the demo's first names.
const NICKNAMES: &[(&str, &str)] = &[
    ("Kristina", "Kicki"),
    ("Mikael", "Micke"),
    ("Fredrik", "Fredde"),
    ("Johan", "Jocke"),
    ("Peter", "Pelle"),
    ("Gunnar", "Gunne"),
    ("Jenny", "Jennie"),
    ("Mohammed", "Mohamed"),
    ("Elisabeth", "Lisa"),
    ("Sofia", "Sofie"),
];

#[derive(Debug, Clone, PartialEq)]
struct Address {
    street: String,
    postcode: String,
}

/// A human's life as records see it.
#[derive(Debug, Clone)]
pub(super) struct Life {
    given: &'static str,
    family: &'static str,
    birth_date: NaiveDate,
    address: Address,
    moved_from: Option<Address>,
    /// The partner's e-mail, which this human registers with where a card or
    /// customer number of their own is also on the record.
    pub household_email: Option<Identifier>,
    /// The partner's tablet, which this human's app runs on too.
    pub tablet: Option<Identifier>,
    /// This human's own tablet at the property owner, once it is known.
    pub device: Option<Identifier>,
    /// This human's own e-mail, for a partner.
    email: Identifier,
    /// The providers whose record of this human carries a customer number.
    pub numbered: Vec<usize>,
    /// The same of the partner: where both have one, the family e-mail is safe to
    /// plant (the numbers tell the two apart, as a real register's would).
    pub partner_numbered: Vec<usize>,
}

pub(super) struct Mess {
    rng: ChaCha8Rng,
    /// The human before, who may become a partner.
    last: Option<Life>,
    /// Till records made so far: their card numbers and id sequence.
    tills: u64,
}

impl Mess {
    pub fn new(seed: u64) -> Self {
        Mess {
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x6d65_7373),
            last: None,
            tills: 0,
        }
    }

    /// A human's life: sometimes sharing the previous human's home, e-mail and tablet.
    pub fn life(
        &mut self,
        given: &'static str,
        family: &'static str,
        birth_year: i32,
        email: &Identifier,
    ) -> Life {
        let rng = &mut self.rng;
        let day = rng.random_range(0..365);
        let birth_date = NaiveDate::from_yo_opt(birth_year, 1)
            .and_then(|d| d.checked_add_days(chrono::Days::new(day)))
            .unwrap_or_default();
        let home = address(rng);
        let moved_from = rng.random_bool(MOVED).then(|| address(rng));
        let mut life = Life {
            given,
            family,
            birth_date,
            address: home,
            moved_from,
            household_email: None,
            tablet: None,
            device: None,
            email: email.clone(),
            numbered: Vec::new(),
            partner_numbered: Vec::new(),
        };
        if let Some(partner) = self.last.take().filter(|_| rng.random_bool(HOUSEHOLD)) {
            // Same home, often the same surname; the partner's e-mail and tablet.
            life.address = partner.address.clone();
            life.moved_from = partner.moved_from.clone();
            if rng.random_bool(0.6) {
                life.family = partner.family;
            }
            life.household_email = Some(partner.email.clone());
            life.tablet = partner.device.clone();
            life.partner_numbered = partner.numbered.clone();
        }
        life
    }

    /// Remembers `life` as the one the next human may share a home with.
    pub fn lived(&mut self, life: Life) {
        self.last = Some(life);
    }

    /// Whether a clothing customer is also in the till's register.
    pub fn till_record(&mut self) -> bool {
        self.rng.random_bool(TILL_RECORD)
    }

    /// The stream and sequence number of the next till record's id, in a sequence
    /// space of its own (far above the shop's own profiles').
    pub fn next_till(&mut self) -> (&mut ChaCha8Rng, u64) {
        self.tills += 1;
        (&mut self.rng, (1 << 40) + self.tills)
    }

    /// The till's own record of a customer the web shop knows by `web`: the phone,
    /// the customer number or a junk number the till wrote for "none", and its card.
    pub fn till_identifiers(
        &mut self,
        web: &[Identifier],
        phone: Option<&Identifier>,
    ) -> Vec<Identifier> {
        let card = 30_000_000 + self.tills;
        let rng = &mut self.rng;
        let mut ids = Vec::new();
        if let Some(phone) = phone.filter(|_| rng.random_bool(0.6)) {
            ids.push(phone.clone());
        }
        let number = web
            .iter()
            .find(|i| i.kind == IdentifierKind::CustomerNumber)
            .filter(|_| rng.random_bool(0.6));
        match number {
            Some(n) => ids.push(n.clone()),
            None if rng.random_bool(0.15) => {
                ids.push(identifier(IdentifierKind::CustomerNumber, "0"))
            }
            None => {}
        }
        ids.push(identifier(
            IdentifierKind::LoyaltyCard,
            &format!("7350{card:08}"),
        ));
        ids.sort();
        ids
    }

    /// The record-linkage attributes a record of `life` carries, each as that system
    /// writes it: a nickname, a mistyped surname, day and month swapped, the address
    /// from before a move, or left out.
    pub fn attributes(&mut self, life: &Life, m: &mut Map<String, Value>) {
        let rng = &mut self.rng;
        let given = match NICKNAMES.iter().find(|(n, _)| *n == life.given) {
            Some((_, nick)) if rng.random_bool(0.25) => nick.to_string(),
            _ => life.given.to_string(),
        };
        m.insert("given_name".into(), given.into());
        let family = if rng.random_bool(0.05) {
            typo(rng, life.family)
        } else {
            life.family.to_string()
        };
        m.insert("family_name".into(), family.into());
        if rng.random_bool(0.8) {
            let d = life.birth_date;
            let swapped = (d.day() <= 12 && rng.random_bool(0.03))
                .then(|| NaiveDate::from_ymd_opt(d.year(), d.day(), d.month()))
                .flatten();
            m.insert("birth_date".into(), swapped.unwrap_or(d).to_string().into());
        }
        let address = match &life.moved_from {
            Some(old) if rng.random_bool(0.5) => old,
            _ => &life.address,
        };
        m.insert("street".into(), address.street.clone().into());
        m.insert("postcode".into(), address.postcode.clone().into());
    }
}

fn identifier(kind: IdentifierKind, value: &str) -> Identifier {
    Identifier {
        kind,
        value: value.to_string(),
    }
}

fn address(rng: &mut ChaCha8Rng) -> Address {
    let street = STREETS[rng.random_range(0..STREETS.len())];
    Address {
        street: format!("{street} {}", rng.random_range(1..80)),
        postcode: format!(
            "{} {:02}",
            rng.random_range(111..199),
            rng.random_range(10..99)
        ),
    }
}

/// `word` with two neighbouring letters swapped, as a hurried hand types it.
fn typo(rng: &mut ChaCha8Rng, word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() > 3 {
        let i = rng.random_range(1..chars.len() - 1);
        chars.swap(i, i + 1);
    }
    chars.into_iter().collect()
}
