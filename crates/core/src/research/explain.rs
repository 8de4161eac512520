//! What each word of the value landscape and the four-field model means, in two to
//! four sentences a café or shop team understands without having read the research,
//! in Swedish and English. The board shows them beside the words; the strategy
//! document beside the chosen action.

use crate::lang::{Lang, pick};
use crate::value::{Action, DigitalAspect, Motivation, Setting};

/// A short explanation of a vocabulary word, for people new to the method.
pub trait Explain: Copy {
    fn explanation(self, lang: Lang) -> &'static str;
}

impl Explain for Setting {
    // The line between the two is drawn by who can change a thing, so both texts
    // end on that question.
    fn explanation(self, lang: Lang) -> &'static str {
        let (sv, en) = match self {
            Setting::SocialEnvironment => (
                "Allt runt omkring er som andra bestämmer över: gatan och torget, parkeringen och \
                 bussen, grannbutikerna, evenemangen i centrum och det folk skriver om er på nätet. \
                 Ni kan inte styra det på egen hand, men ni kan påverka det tillsammans med andra – \
                 genom centrumföreningen, hyresvärden eller kommunen. Fråga er: vem kan ändra på \
                 det här?",
                "Everything around you that others decide on: the street and the square, parking \
                 and buses, the shops next door, events in the town centre and what people write \
                 about you online. You cannot run it on your own, but you can influence it together \
                 with others – through the town-centre association, the landlord or the council. \
                 Ask yourselves: who can change this?",
            ),
            Setting::PhysicalPlace => (
                "Er egen plats, där ni själva bestämmer: lokalen, skyltarna, hyllorna, ljuset, \
                 musiken, kassan och hur personalen tar emot. Här kan ni ändra något redan i morgon \
                 utan att be någon om lov. Kan ni själva ändra på saken hör den hemma här; måste \
                 andra göra det hör den till den sociala miljön.",
                "Your own place, where you decide: the premises, the signs, the shelves, the light, \
                 the music, the till and how staff greet people. Here you can change something \
                 tomorrow without asking anyone's permission. If you can change it yourselves, it \
                 belongs here; if others must, it belongs to the social environment.",
            ),
        };
        pick(lang, sv, en)
    }
}

impl Explain for Motivation {
    fn explanation(self, lang: Lang) -> &'static str {
        let (sv, en) = match self {
            Motivation::GoalFulfilment => (
                "Kunden kommer för att få något gjort: köpa just den varan, hämta ett paket, ta med \
                 sig en kaffe. Besöket ska vara kort och smidigt – ”snabbt in, snabbt ut” – och allt \
                 som inte hjälper ärendet står i vägen. Här gör digital hjälp oftast nytta, som att \
                 kolla öppettider eller lagret innan man går hemifrån.",
                "The customer comes to get something done: buy that particular item, pick up a \
                 parcel, grab a coffee to go. The visit should be short and smooth – “quick in, \
                 quick out” – and anything that does not help the errand gets in the way. This is \
                 where digital help most often pays off, such as checking opening hours or stock \
                 before leaving home.",
            ),
            Motivation::Relationships => (
                "Kunden kommer för människornas skull: för att träffa en vän över en fika, äta \
                 middag med familjen, eller för personalen som känner igen en och vet vad man \
                 brukar ta. Det är sällskapet som är poängen, inte tempot. Allt som bryter in i \
                 samtalet – en skärm, en fråga vid fel tillfälle – tar något ifrån besöket.",
                "The customer comes for the people: to meet a friend over coffee, to eat out with \
                 the family, or for the staff who recognise them and know their usual order. The \
                 company is the point, not the speed. Anything that breaks into the conversation \
                 – a screen, a question at the wrong time – takes something away from the visit.",
            ),
            Motivation::Experiences => (
                "Besöket i sig är poängen: att upptäcka något nytt, känna stämningen och bli \
                 överraskad, kanske av en provsmakning eller musik på torget. Kunden har ingen \
                 brådska och vill ha något att minnas. Digital teknik kan bidra, men den måste \
                 passa in i stämningen och inte ta över.",
                "The visit itself is the point: finding something new, soaking up the atmosphere \
                 and being surprised, perhaps by a tasting or music on the square. The customer is \
                 in no hurry and wants something to remember. Digital technology can add to this, \
                 but it must fit the mood and not take over.",
            ),
        };
        pick(lang, sv, en)
    }
}

impl Explain for DigitalAspect {
    // The same app can be either; what turns it is the motivation and the moment.
    fn explanation(self, lang: Lang) -> &'static str {
        let (sv, en) = match self {
            DigitalAspect::Useful => (
                "Tekniken hjälper kunden med det hen ändå ska göra, när hen själv vill: hitta hit, \
                 se öppettider, betala, få kvittot i mobilen. Den sparar tid eller besvär, och det \
                 är kunden som väljer att använda den. Den passar bäst när kunden har ett ärende att \
                 klara av.",
                "The technology helps customers with what they were going to do anyway, at the \
                 moment they choose: finding you, checking opening hours, paying, getting the \
                 receipt on their phone. It saves time or trouble, and the customer decides to use \
                 it. It fits best when the customer has an errand to get done.",
            ),
            DigitalAspect::Intrusive => (
                "Samma teknik blir påträngande när den kommer oombedd eller vid fel tillfälle: en \
                 avisering mitt i en fika med en vän, en skärm som drar blicken från upplevelsen, \
                 ännu ett erbjudande när kunden redan fått tio i dag. Irritationen hamnar på den som \
                 hördes sist, fast det är mängden som stör. Var extra varsamma när besöket handlar \
                 om relationer eller upplevelser.",
                "The same technology intrudes when it arrives unasked or at the wrong moment: a \
                 notification in the middle of coffee with a friend, a screen that pulls attention \
                 away from the experience, yet another offer when the customer has had ten today. \
                 The annoyance lands on whoever pinged last, though it is the sheer amount that \
                 bothers. Take extra care when a visit is about relationships or experiences.",
            ),
        };
        pick(lang, sv, en)
    }
}

impl Explain for Action {
    // Each text names whose like or dislike leads here, one everyday example, and
    // a way to act without digital technology, so no team reads "action" as "app".
    fn explanation(self, lang: Lang) -> &'static str {
        let (sv, en) = match self {
            Action::Automate => (
                "Både kunden och ni tycker att momentet är ett besvär, så låt en maskin eller en \
                 fast rutin sköta det. Tänk på vägtullen: förr stod bilarna i kö vid ett bås, i dag \
                 rullar man förbi och räkningen kommer av sig själv. Det kan vara digitalt, men \
                 också en stående beställning hos leverantören i stället för att ringa varje vecka.",
                "Both the customer and you find this moment a nuisance, so let a machine or a \
                 fixed routine take care of it. Think of the road toll: cars used to queue at a \
                 booth, now they drive straight through and the bill arrives by itself. It can be \
                 digital, but also a standing order with your supplier instead of a phone call \
                 every week.",
            ),
            Action::Simplify => (
                "Kunden tycker att momentet är krångligt, men ni behöver det eller gillar det. \
                 Behåll det och gör det lättare för kunden – som deklarationen, som kommer nästan \
                 färdig så att man bara läser igenom och godkänner. Det kan vara en app, men lika \
                 gärna en tydligare skylt eller ett kortare formulär.",
                "The customer finds this moment a chore, but you need it or like it. Keep it and \
                 make it easier for the customer – like the tax return that arrives almost done, \
                 so you only read it through and approve. That can be an app, but just as well a \
                 clearer sign or a shorter form.",
            ),
            Action::Autonomise => (
                "Kunden vill ha det här, men det är dyrt eller tungt för er att erbjuda det själva. \
                 Låt kunden klara sig på egen hand – som att boka en resa eller ett bord mitt i \
                 natten utan att någon behöver svara i telefon. Det kan vara bokning på nätet, men \
                 också en hylla med självbetjäning eller ett skåp där kunden hämtar sin beställning.",
                "Customers want this, but it is costly or heavy for you to offer it yourselves. \
                 Let customers serve themselves – like booking a trip or a table in the middle of \
                 the night without anyone having to answer the phone. It can be online booking, \
                 but also a self-service shelf or a locker where customers collect their order.",
            ),
            Action::Strengthen => (
                "Både kunden och ni gillar momentet – det fungerar redan. Ofta räcker det att vårda \
                 det och inte förstöra det. Vill ni göra mer av det kan ni lägga till lite lek, som \
                 en stämpel på kortet eller en liten utmaning, med eller utan en app.",
                "Both the customer and you enjoy this moment – it already works. Often it is \
                 enough to look after it and not spoil it. If you want to make more of it, add a \
                 touch of play, like a stamp card or a small challenge, with or without an app.",
            ),
        };
        pick(lang, sv, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every explained word: the two settings, three motivations, two faces of
    /// digital technology and four actions.
    fn all(lang: Lang) -> Vec<&'static str> {
        let settings = Setting::ALL.iter().map(|v| v.explanation(lang));
        let motivations = Motivation::ALL.iter().map(|v| v.explanation(lang));
        let digital = DigitalAspect::ALL.iter().map(|v| v.explanation(lang));
        let actions = Action::ALL.iter().map(|v| v.explanation(lang));
        settings
            .chain(motivations)
            .chain(digital)
            .chain(actions)
            .collect()
    }

    /// Sentences end in a full stop or a question mark followed by a space or the end.
    fn sentences(text: &str) -> usize {
        let ends = text
            .match_indices(['.', '?'])
            .filter(|(i, _)| text[i + 1..].chars().next().is_none_or(char::is_whitespace));
        ends.count()
    }

    #[test]
    fn every_word_is_explained_in_both_languages() {
        let (sv, en) = (all(Lang::Sv), all(Lang::En));
        assert_eq!(sv.len(), 11);
        let mut seen = std::collections::HashSet::new();
        for (sv, en) in sv.iter().zip(&en) {
            assert_ne!(sv, en);
            for text in [sv, en] {
                assert!((2..=4).contains(&sentences(text)), "{text}");
                assert!(!text.contains("  ") && !text.contains('"'), "{text}");
                assert!(seen.insert(*text), "repeated: {text}");
            }
        }
    }

    #[test]
    fn every_action_carries_the_methods_own_example() {
        let examples = [
            (Action::Automate, "vägtull", "road toll"),
            (Action::Simplify, "deklaration", "tax return"),
            (Action::Autonomise, "boka", "booking"),
            (Action::Strengthen, "lek", "play"),
        ];
        for (action, sv, en) in examples {
            assert!(action.explanation(Lang::Sv).contains(sv), "{action:?}");
            assert!(action.explanation(Lang::En).contains(en), "{action:?}");
        }
    }

    #[test]
    fn the_texts_are_our_own_words() {
        // Distinctive phrases of the seed's examples: the texts say the same in
        // other words. A guard against pasting, not a proof of originality.
        let seed = [
            "fotografera nummerskylten",
            "räkna ut allt själv",
            "när som helst på dygnet",
            "bemanna kundtjänst",
            "inte göras mer",
            "fort och okomplicerat",
            "finns inne eller inte",
            "nära och kära",
            "strosa i butiker",
            "plingar till",
            "rädsla att missa",
            "kravfylld och enahanda",
        ];
        for text in all(Lang::Sv) {
            let text = text.to_lowercase();
            for phrase in seed {
                assert!(!text.contains(phrase), "{phrase}: {text}");
            }
        }
    }
}
