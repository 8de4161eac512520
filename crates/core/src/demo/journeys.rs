//! The five providers of the demo town centre and the journeys their customers make.
//!
//! A journey is a list of steps in time order. The first `During` step is the anchor
//! (the purchase, visit, stay or meeting); `Before` steps lie before it and `After`
//! steps after the last `During` step. Each step happens with its `chance`, in one of
//! its `channels`.
//!
//! Each journey names its motivation, and its `plant` and `extra` show it: a party
//! (`guests`) or an `occasion` for relationships, an `event` and browsing or sharing
//! for experiences, a short direct path for goal fulfilment. `steps` come from the
//! generator's first stream; `plant`, `extra` and `side_journeys` from its second, so
//! that adding them changed nothing the first stream made.

use crate::touchpoint::Initiator;
use crate::value::{Motivation, Phase};

/// How long a step lies from its neighbour, in minutes.
#[derive(Debug, Clone, Copy)]
pub enum Gap {
    /// Before steps: minutes until the next step (or the anchor). During and after
    /// steps: minutes since the previous step.
    Minutes(u32, u32),
    /// A hotel check-out: the morning after the last night, counted from the anchor.
    Nights,
}

/// The step's `properties`.
#[derive(Debug, Clone, Copy)]
pub enum Props {
    None,
    /// `{"amount_sek": n}` with `lo <= n <= hi`.
    Amount(u32, u32),
    /// `{"stars": 1..=5}`, mostly good.
    Stars,
    /// `{"nights": n}` for the journey's stay.
    Nights,
    /// `{"amount_sek": nights * rate}`.
    StayBill,
    /// `{key: one of values}`.
    Pick(&'static str, &'static [&'static str]),
    /// `{key: n}` with `lo <= n <= hi`.
    Count(&'static str, u32, u32),
}

#[derive(Debug, Clone, Copy)]
pub struct Step {
    pub phase: Phase,
    /// Probability that the step happens in a journey.
    pub chance: f64,
    /// One is chosen at random; repeat a key to weight it.
    pub channels: &'static [&'static str],
    pub kind: &'static str,
    pub by: Initiator,
    pub gap: Gap,
    pub props: Props,
}

const fn step(
    phase: Phase,
    chance: f64,
    channels: &'static [&'static str],
    kind: &'static str,
    gap: (u32, u32),
) -> Step {
    Step {
        phase,
        chance,
        channels,
        kind,
        by: Initiator::Person,
        gap: Gap::Minutes(gap.0, gap.1),
        props: Props::None,
    }
}

const fn before(
    chance: f64,
    channels: &'static [&'static str],
    kind: &'static str,
    gap: (u32, u32),
) -> Step {
    step(Phase::Before, chance, channels, kind, gap)
}

const fn during(
    chance: f64,
    channels: &'static [&'static str],
    kind: &'static str,
    gap: (u32, u32),
) -> Step {
    step(Phase::During, chance, channels, kind, gap)
}

const fn after(
    chance: f64,
    channels: &'static [&'static str],
    kind: &'static str,
    gap: (u32, u32),
) -> Step {
    step(Phase::After, chance, channels, kind, gap)
}

impl Step {
    /// Started by the provider: campaigns, confirmations, reminders.
    const fn by_provider(self) -> Step {
        Step {
            by: Initiator::Provider,
            ..self
        }
    }

    const fn props(self, props: Props) -> Step {
        Step { props, ..self }
    }

    const fn gap(self, gap: Gap) -> Step {
        Step { gap, ..self }
    }
}

#[derive(Debug)]
pub struct Journey {
    pub weight: u32,
    /// Local opening hours for the anchor: from `hours.0`:00 to `hours.1`:00.
    pub hours: (u32, u32),
    /// Why people make this journey; the demo keeps it as the journey's truth.
    pub motivation: Motivation,
    pub steps: &'static [Step],
    /// Properties put on the anchor, each with its chance: the party, the occasion,
    /// the event. Drawn from the second stream (see the module docs of `demo`).
    pub plant: &'static [(f64, Props)],
    /// Steps the second stream adds: `Before` ones lie their gap before the anchor,
    /// `During` ones their gap after it, `After` ones their gap after the last
    /// `During` step.
    pub extra: &'static [Step],
}

/// A journey with nothing planted or added, to fill in the rest of a template.
const PLAIN: Journey = Journey {
    weight: 0,
    hours: (0, 24),
    motivation: Motivation::GoalFulfilment,
    steps: &[],
    plant: &[],
    extra: &[],
};

/// Which identifiers a provider's systems hold and how it writes names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Cafe,
    Clothing,
    Hotel,
    Property,
    Bank,
}

#[derive(Debug)]
pub struct ProviderSpec {
    pub slug: &'static str,
    pub name: &'static str,
    pub style: Style,
    /// How often a person picks this provider, relative to the others.
    pub weight: u32,
    /// Provider-defined channels: (key, name, controlled by the provider, a physical place).
    pub channels: &'static [(&'static str, &'static str, bool, bool)],
    pub journeys: &'static [Journey],
    /// Journeys made only by the second stream, for a motivation the first
    /// stream's journeys lack here: a profile makes one of them with
    /// `SIDE_JOURNEY_CHANCE`.
    pub side_journeys: &'static [Journey],
}

const H: u32 = 60;
const D: u32 = 24 * 60;

const CAMPAIGNS_CAFE: &[&str] = &["hostens_bakverk", "lunchmeny", "fredagsfika"];
const CAMPAIGNS_SHOP: &[&str] = &["rea", "black_week", "medlemskvall", "nyheter"];
/// What a party celebrates, where the journey names it.
const OCCASIONS: &[&str] = &["födelsedag", "årsdag", "jul", "avslutning"];
const COMPLAINTS_SHOP: &[&str] = &["quality", "delivery", "return_refused", "staff"];

pub const PROVIDERS: &[ProviderSpec] = &[
    ProviderSpec {
        slug: "cafe",
        name: "Kafé Kanelbullen",
        style: Style::Cafe,
        weight: 34,
        channels: &[("kiosk", "Beställningskiosk", true, true)],
        side_journeys: &[],
        journeys: &[
            Journey {
                weight: 60,
                hours: (7, 18),
                motivation: Motivation::GoalFulfilment,
                steps: &[
                    before(0.15, &["social_media"], "post.seen", (H, 3 * D)),
                    before(0.10, &["review_site"], "review.read", (30, 2 * D)),
                    before(0.15, &["app"], "menu.viewed", (5, 2 * H)),
                    during(1.0, &["store", "store", "kiosk"], "purchase", (0, 0))
                        .props(Props::Amount(39, 189)),
                    during(0.35, &["app"], "loyalty.stamp", (0, 2)),
                    after(0.08, &["review_site"], "review.posted", (H, 2 * D)).props(Props::Stars),
                    after(0.08, &["social_media"], "photo.posted", (5, 4 * H)),
                    after(0.15, &["email"], "newsletter.opened", (D, 10 * D))
                        .by_provider()
                        .props(Props::Pick("campaign", CAMPAIGNS_CAFE)),
                    after(0.03, &["phone", "email"], "complaint", (30, D)).props(Props::Pick(
                        "topic",
                        &["wrong_order", "waiting_time", "price"],
                    )),
                ],
                plant: &[(0.1, Props::Count("guests", 2, 2))],
                ..PLAIN
            },
            Journey {
                weight: 25,
                hours: (11, 20),
                motivation: Motivation::Relationships,
                steps: &[
                    before(0.5, &["web"], "menu.viewed", (H, 3 * D)),
                    before(0.3, &["review_site"], "review.read", (H, 3 * D)),
                    before(
                        1.0,
                        &["phone", "web", "app"],
                        "table_booking",
                        (2 * H, 5 * D),
                    )
                    .props(Props::Count("guests", 2, 8)),
                    before(0.3, &["sms"], "reminder", (H, 3 * H)).by_provider(),
                    during(1.0, &["store"], "visit", (0, 0)),
                    during(1.0, &["store", "kiosk"], "purchase", (45, 2 * H))
                        .props(Props::Amount(250, 1400)),
                    after(0.25, &["email"], "feedback.requested", (2 * H, D)).by_provider(),
                    after(0.15, &["review_site"], "review.posted", (2 * H, 3 * D))
                        .props(Props::Stars),
                ],
                plant: &[(0.3, Props::Pick("occasion", OCCASIONS))],
                extra: &[after(0.3, &["social_media"], "photo.posted", (10, 6 * H))],
            },
            Journey {
                weight: 15,
                hours: (17, 21),
                motivation: Motivation::Experiences,
                steps: &[
                    before(0.6, &["social_media"], "event.seen", (D, 10 * D)),
                    before(0.4, &["web"], "event.registered", (H, 7 * D)),
                    during(1.0, &["event"], "visit", (0, 0)).props(Props::Pick(
                        "event",
                        &["poesikväll", "vinylkväll", "baristakurs"],
                    )),
                    during(0.6, &["store", "kiosk"], "purchase", (10, 2 * H))
                        .props(Props::Amount(45, 320)),
                    after(0.2, &["social_media"], "photo.posted", (10, 6 * H)),
                    after(0.1, &["forum"], "post.written", (H, 3 * D)),
                ],
                extra: &[
                    before(0.3, &["social_media"], "event.seen", (2 * D, 14 * D)),
                    after(0.25, &["social_media"], "photo.posted", (10, 6 * H)),
                ],
                ..PLAIN
            },
        ],
    },
    ProviderSpec {
        slug: "clothing",
        name: "Modehuset Torget",
        style: Style::Clothing,
        weight: 30,
        channels: &[("click_collect", "Hämtdisk", true, true)],
        // Shopping in company, often for a gift.
        side_journeys: &[Journey {
            weight: 1,
            hours: (10, 19),
            motivation: Motivation::Relationships,
            steps: &[
                before(0.5, &["social_media"], "post.seen", (H, 5 * D)),
                before(0.5, &["web", "app"], "product.viewed", (10, 3 * D)),
                during(1.0, &["store"], "visit", (0, 0)),
                during(1.0, &["store"], "purchase", (20, 2 * H)).props(Props::Amount(199, 1999)),
                after(0.3, &["social_media"], "photo.posted", (10, D)),
                after(0.08, &["review_site"], "review.posted", (H, 7 * D)).props(Props::Stars),
            ],
            plant: &[
                (0.7, Props::Count("guests", 2, 4)),
                (0.5, Props::Pick("occasion", OCCASIONS)),
            ],
            ..PLAIN
        }],
        journeys: &[
            Journey {
                weight: 50,
                hours: (10, 19),
                motivation: Motivation::GoalFulfilment,
                steps: &[
                    before(0.5, &["web"], "search", (H, 7 * D)).props(Props::Pick(
                        "query",
                        &[
                            "jeans",
                            "vinterjacka",
                            "klänning",
                            "sneakers",
                            "stickad tröja",
                            "chinos",
                        ],
                    )),
                    before(0.3, &["comparison_site"], "price.compared", (30, 3 * D)),
                    before(0.35, &["app"], "product.viewed", (10, 2 * D)),
                    before(0.15, &["social_media"], "ad.clicked", (H, 5 * D)),
                    before(0.1, &["forum"], "review.read", (H, 5 * D)),
                    during(1.0, &["store"], "purchase", (0, 0)).props(Props::Amount(199, 2499)),
                    during(0.3, &["app"], "member.scanned", (0, 5)),
                    after(0.5, &["email"], "receipt.sent", (0, 10)).by_provider(),
                    after(0.08, &["store", "web"], "return", (D, 14 * D))
                        .props(Props::Amount(199, 999)),
                    after(0.04, &["phone", "chat", "email"], "complaint", (H, 10 * D))
                        .props(Props::Pick("topic", COMPLAINTS_SHOP)),
                    after(0.08, &["review_site"], "review.posted", (H, 7 * D)).props(Props::Stars),
                    after(0.2, &["email"], "newsletter.opened", (D, 20 * D))
                        .by_provider()
                        .props(Props::Pick("campaign", CAMPAIGNS_SHOP)),
                ],
                ..PLAIN
            },
            Journey {
                weight: 30,
                hours: (7, 23),
                motivation: Motivation::GoalFulfilment,
                steps: &[
                    before(0.5, &["social_media"], "ad.clicked", (H, 5 * D)),
                    before(0.5, &["comparison_site"], "price.compared", (30, 3 * D)),
                    before(0.6, &["web", "app"], "product.viewed", (5, 2 * D)),
                    before(0.3, &["web", "app"], "cart.abandoned", (H, 3 * D)),
                    during(1.0, &["web", "app", "web"], "purchase", (0, 0))
                        .props(Props::Amount(249, 3499)),
                    during(1.0, &["email"], "order.confirmed", (0, 2)).by_provider(),
                    during(0.5, &["click_collect"], "pickup", (D, 3 * D)),
                    after(0.1, &["web"], "return", (D, 14 * D)).props(Props::Amount(249, 1499)),
                    after(0.1, &["review_site"], "review.posted", (H, 7 * D)).props(Props::Stars),
                    after(0.05, &["phone", "chat"], "complaint", (H, 10 * D))
                        .props(Props::Pick("topic", COMPLAINTS_SHOP)),
                ],
                ..PLAIN
            },
            Journey {
                weight: 20,
                hours: (10, 18),
                motivation: Motivation::Experiences,
                steps: &[
                    before(0.9, &["email"], "newsletter.opened", (D, 7 * D))
                        .by_provider()
                        .props(Props::Pick("campaign", CAMPAIGNS_SHOP)),
                    before(0.3, &["social_media"], "event.seen", (H, 5 * D)),
                    during(1.0, &["event"], "visit", (0, 0)),
                    during(0.7, &["store"], "purchase", (10, 2 * H))
                        .props(Props::Amount(199, 1999)),
                    after(0.1, &["social_media"], "photo.posted", (10, D)),
                ],
                plant: &[(
                    1.0,
                    Props::Pick("event", &["medlemskväll", "modevisning", "stilkväll"]),
                )],
                extra: &[after(0.2, &["social_media"], "photo.posted", (10, D))],
            },
        ],
    },
    ProviderSpec {
        slug: "hotel",
        name: "Hotell Stadsparken",
        style: Style::Hotel,
        weight: 12,
        channels: &[
            // A third-party portal: bookings happen there, but the hotel does not run it.
            ("booking_portal", "Bokningsportal", false, false),
            ("reception", "Reception", true, true),
        ],
        // A family gathering: a party of relatives for a celebration.
        side_journeys: &[Journey {
            weight: 1,
            hours: (14, 20),
            motivation: Motivation::Relationships,
            steps: &[
                before(0.4, &["review_site"], "review.read", (H, 3 * D)),
                before(1.0, &["web", "phone"], "booking", (0, 5)).props(Props::Nights),
                before(0.9, &["email"], "booking.confirmed", (D, 30 * D)).by_provider(),
                during(1.0, &["reception"], "check_in", (0, 0)).props(Props::Nights),
                during(0.7, &["store"], "purchase", (H, 5 * H)).props(Props::Amount(450, 2500)),
                during(1.0, &["reception"], "check_out", (0, 0))
                    .gap(Gap::Nights)
                    .props(Props::StayBill),
                after(0.4, &["social_media"], "photo.posted", (10, 2 * D)),
                after(0.3, &["review_site"], "review.posted", (H, 5 * D)).props(Props::Stars),
            ],
            plant: &[
                (1.0, Props::Count("guests", 3, 8)),
                (
                    0.7,
                    Props::Pick("occasion", &["födelsedag", "bröllop", "släktträff", "jul"]),
                ),
            ],
            ..PLAIN
        }],
        journeys: &[
            Journey {
                weight: 55,
                hours: (14, 22),
                motivation: Motivation::Experiences,
                steps: &[
                    before(0.6, &["comparison_site"], "price.compared", (H, 2 * D)),
                    before(0.5, &["review_site"], "review.read", (H, 2 * D)),
                    before(0.15, &["forum"], "question.asked", (H, 2 * D)),
                    before(
                        1.0,
                        &["web", "booking_portal", "booking_portal", "phone"],
                        "booking",
                        (0, 5),
                    )
                    .props(Props::Nights),
                    before(0.9, &["email"], "booking.confirmed", (D, 30 * D)).by_provider(),
                    before(0.4, &["sms"], "reminder", (H, D)).by_provider(),
                    during(1.0, &["reception"], "check_in", (0, 0)).props(Props::Nights),
                    during(0.3, &["store"], "purchase", (H, 5 * H)).props(Props::Amount(95, 890)),
                    during(0.15, &["app"], "digital_key.used", (5, H)),
                    during(1.0, &["reception"], "check_out", (0, 0))
                        .gap(Gap::Nights)
                        .props(Props::StayBill),
                    after(0.5, &["email"], "feedback.requested", (H, D)).by_provider(),
                    after(0.25, &["review_site"], "review.posted", (H, 5 * D)).props(Props::Stars),
                    after(0.1, &["social_media"], "photo.posted", (10, 2 * D)),
                    after(0.05, &["forum"], "review.posted", (H, 10 * D)).props(Props::Stars),
                    after(0.03, &["phone"], "complaint", (H, 5 * D))
                        .props(Props::Pick("topic", &["noise", "cleaning", "billing"])),
                    after(0.2, &["email"], "newsletter.opened", (5 * D, 30 * D))
                        .by_provider()
                        .props(Props::Pick("campaign", &["weekendpaket", "spa", "julbord"])),
                ],
                plant: &[(
                    0.6,
                    Props::Pick("event", &["spahelg", "teaterhelg", "julbord", "konsert"]),
                )],
                extra: &[before(0.4, &["web"], "review.read", (D, 10 * D))],
            },
            Journey {
                weight: 30,
                hours: (16, 23),
                motivation: Motivation::GoalFulfilment,
                steps: &[
                    before(1.0, &["web", "phone"], "booking", (0, 5))
                        .props(Props::Pick("rate", &["corporate", "flex"])),
                    before(0.9, &["email"], "booking.confirmed", (H, 14 * D)).by_provider(),
                    during(1.0, &["reception", "app"], "check_in", (0, 0)).props(Props::Nights),
                    during(0.5, &["store"], "purchase", (H, 4 * H)).props(Props::Amount(145, 650)),
                    during(1.0, &["reception", "app"], "check_out", (0, 0))
                        .gap(Gap::Nights)
                        .props(Props::StayBill),
                    after(0.4, &["email"], "receipt.sent", (0, 30)).by_provider(),
                    after(0.2, &["email"], "feedback.requested", (H, D)).by_provider(),
                ],
                ..PLAIN
            },
            Journey {
                weight: 15,
                hours: (8, 10),
                motivation: Motivation::GoalFulfilment,
                steps: &[
                    before(0.7, &["web"], "conference.registered", (D, 20 * D)),
                    during(1.0, &["event"], "meeting", (0, 0))
                        .props(Props::Pick("room", &["Salen", "Biblioteket", "Orangeriet"])),
                    during(0.6, &["store"], "purchase", (3 * H, 4 * H))
                        .props(Props::Amount(125, 295)),
                    after(0.3, &["email"], "survey.sent", (2 * H, D)).by_provider(),
                    after(0.1, &["social_media"], "post.written", (H, D)),
                ],
                ..PLAIN
            },
        ],
    },
    ProviderSpec {
        slug: "property",
        name: "Torgets Fastigheter AB",
        style: Style::Property,
        weight: 14,
        channels: &[
            ("guest_wifi", "Gäst-wifi", true, true),
            ("info_desk", "Informationsdisk", true, true),
        ],
        side_journeys: &[],
        journeys: &[
            Journey {
                weight: 60,
                hours: (10, 19),
                motivation: Motivation::GoalFulfilment,
                steps: &[
                    before(0.3, &["web"], "opening_hours.viewed", (30, 2 * D)),
                    before(0.2, &["social_media"], "event.seen", (H, 5 * D)),
                    before(0.25, &["app"], "parking.started", (0, 15)),
                    during(1.0, &["guest_wifi", "guest_wifi", "app"], "visit", (0, 0)),
                    during(0.15, &["info_desk"], "question", (10, 2 * H)),
                    during(0.25, &["app"], "parking.paid", (H, 4 * H)).props(Props::Amount(10, 60)),
                    after(0.2, &["email"], "newsletter.opened", (D, 14 * D))
                        .by_provider()
                        .props(Props::Pick(
                            "campaign",
                            &["julmarknad", "sommarkväll", "nya_butiker"],
                        )),
                    after(0.05, &["forum", "social_media"], "post.written", (H, 3 * D)),
                    after(0.03, &["phone", "email"], "complaint", (H, 3 * D)).props(Props::Pick(
                        "topic",
                        &["parking", "cleaning", "opening_hours", "accessibility"],
                    )),
                ],
                ..PLAIN
            },
            Journey {
                weight: 15,
                hours: (10, 19),
                motivation: Motivation::Relationships,
                steps: &[
                    before(0.5, &["web"], "gift_card.viewed", (H, 5 * D)),
                    during(1.0, &["info_desk", "web"], "purchase", (0, 0))
                        .props(Props::Amount(200, 2000)),
                    after(0.3, &["email"], "receipt.sent", (0, 10)).by_provider(),
                ],
                plant: &[(0.8, Props::Pick("occasion", OCCASIONS))],
                ..PLAIN
            },
            Journey {
                weight: 25,
                hours: (11, 16),
                motivation: Motivation::Experiences,
                steps: &[
                    before(0.5, &["social_media"], "event.seen", (D, 10 * D)),
                    before(0.4, &["email"], "newsletter.opened", (H, 5 * D)).by_provider(),
                    during(1.0, &["event"], "visit", (0, 0)).props(Props::Pick(
                        "event",
                        &["julmarknad", "modevisning", "barnens_dag", "bokcirkel"],
                    )),
                    during(0.3, &["guest_wifi"], "wifi.login", (5, H)),
                    after(0.2, &["social_media"], "photo.posted", (10, D)),
                    after(0.1, &["review_site"], "review.posted", (H, 3 * D)).props(Props::Stars),
                ],
                extra: &[after(0.15, &["social_media"], "photo.posted", (10, D))],
                ..PLAIN
            },
        ],
    },
    ProviderSpec {
        slug: "bank",
        name: "Banken på Torget",
        style: Style::Bank,
        weight: 10,
        channels: &[],
        side_journeys: &[],
        journeys: &[
            Journey {
                weight: 35,
                hours: (9, 16),
                motivation: Motivation::Relationships,
                steps: &[
                    before(0.5, &["web"], "loan.calculated", (H, 10 * D))
                        .props(Props::Pick("product", &["bolån", "billån", "privatlån"])),
                    before(0.4, &["comparison_site"], "rate.compared", (H, 5 * D)),
                    before(0.15, &["forum"], "review.read", (H, 5 * D)),
                    before(
                        1.0,
                        &["phone", "app", "web"],
                        "meeting_booking",
                        (D, 10 * D),
                    ),
                    before(0.5, &["sms"], "reminder", (H, D)).by_provider(),
                    during(1.0, &["store"], "meeting", (0, 0)).props(Props::Pick(
                        "topic",
                        &["bolån", "sparande", "pension", "företagskonto"],
                    )),
                    after(0.5, &["email"], "offer.sent", (H, 2 * D)).by_provider(),
                    after(0.4, &["app"], "document.signed", (H, 5 * D)),
                    after(0.03, &["phone"], "complaint", (H, 10 * D))
                        .props(Props::Pick("topic", &["fees", "waiting_time", "advice"])),
                    after(0.05, &["review_site"], "review.posted", (H, 10 * D)).props(Props::Stars),
                ],
                plant: &[
                    (0.6, Props::Count("guests", 2, 2)),
                    (
                        0.4,
                        Props::Pick("occasion", &["bostadsköp", "barn", "pension"]),
                    ),
                ],
                ..PLAIN
            },
            Journey {
                weight: 40,
                hours: (8, 20),
                motivation: Motivation::GoalFulfilment,
                steps: &[
                    before(0.5, &["web"], "faq.read", (5, 2 * H)),
                    before(0.3, &["app"], "login.failed", (5, H)),
                    during(1.0, &["phone", "chat", "chat"], "support.contact", (0, 0)).props(
                        Props::Pick(
                            "topic",
                            &["kort_spärrat", "bankid", "betalning", "mobilbetalning"],
                        ),
                    ),
                    after(0.3, &["sms"], "survey.sent", (10, 2 * H)).by_provider(),
                    after(0.05, &["phone", "email"], "complaint", (H, 5 * D))
                        .props(Props::Pick("topic", &["fees", "waiting_time", "advice"])),
                ],
                ..PLAIN
            },
            Journey {
                weight: 25,
                hours: (7, 22),
                motivation: Motivation::GoalFulfilment,
                steps: &[
                    before(1.0, &["email"], "newsletter.opened", (H, 5 * D))
                        .by_provider()
                        .props(Props::Pick(
                            "campaign",
                            &["sparkonto", "ungdomskonto", "grön_fond"],
                        )),
                    during(1.0, &["app", "web"], "purchase", (0, 0))
                        .props(Props::Amount(500, 20000)),
                    after(0.2, &["social_media"], "post.written", (H, 3 * D)),
                ],
                ..PLAIN
            },
        ],
    },
];
