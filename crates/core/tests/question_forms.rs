//! How well the open/closed check of follow-up questions (`research::check_question`)
//! does on a labelled set of Swedish and English questions.
//!
//! The questions are ones a shop or café team might ask its customers or each other,
//! written and labelled by us, plus every example question of the method's first
//! seed (all open). A question is open when it invites a story, closed when it
//! invites yes, no, a single word or a number, unclear when it is too short to say
//! (those are left to the people in the room). A question word makes a question open
//! even when the answer may be short ("Hur länge…?"), as in the method's examples.
//! The rules were mended against this set, so it shows what they get right rather
//! than how they do on questions nobody has looked at.
//!
//! `cargo test -p motesplats-core --test question_forms -- --nocapture` prints the
//! summary and every question the check gets wrong.

use motesplats_core::research::QuestionForm::{self, Closed, Open, Unclear};
use motesplats_core::research::check_question;

const SV: &[(&str, QuestionForm)] = &[
    // The method's own examples (seed 001).
    (
        "Vad är det då som gör att en kund påbörjar en sådan kundresa?",
        Open,
    ),
    (
        "Hur kan man då jobba med att digitalisera sin verksamhet?",
        Open,
    ),
    ("Hur brukar du tillbringa din semester?", Open),
    ("Vad är ett bra fredagsmys för dig?", Open),
    ("Vilken funktion har…?", Open),
    ("Hur började er resa?", Open),
    ("Vad skulle köpas?", Open),
    ("Hur valde ni?", Open),
    ("Vad upplevde ni?", Open),
    ("Kan du beskriva situationen mer utförligt?", Open),
    ("Hur har kunden upplevt situationen tror du?", Open),
    ("Vad har du hittat?", Open),
    ("Hur fungerar den?", Open),
    ("När kan man använda den?", Open),
    ("Vad gör att ett besök på stan blir bra?", Open),
    ("Vad handlar detta om?", Open),
    // Open.
    ("Kan du berätta om senaste gången du fikade här?", Open),
    ("Skulle du kunna beskriva hur du hittade hit?", Open),
    (
        "Vill du berätta lite mer om vad som hände vid kassan?",
        Open,
    ),
    ("Kan ni förklara hur ni delar upp arbetet en lördag?", Open),
    ("Orkar du berätta hur morgonen såg ut?", Open),
    ("Kan du visa hur du brukar beställa i appen?", Open),
    ("Kan du ge ett exempel på när det blev fel?", Open),
    ("Skulle ni vilja utveckla det där om parkeringen?", Open),
    ("Berätta gärna hur ni firade!", Open),
    ("Beskriv hur en vanlig förmiddag i butiken ser ut.", Open),
    ("Varför valde du att sätta dig vid fönstret?", Open),
    ("Vad fick dig att komma in i dag?", Open),
    ("Hur märks det att det är rea?", Open),
    ("Vilka tider brukar det vara mest folk?", Open),
    ("Var brukar ni ställa barnvagnen?", Open),
    ("Vem handlar ni oftast till?", Open),
    ("På vilket sätt skiljer sig vår meny från andras?", Open),
    ("Okej, och vad hände sedan?", Open),
    ("Hur kändes det när kaffet tog slut?", Open),
    ("Hur länge fick ni vänta på maten?", Open),
    ("Kan du berätta vad du tänkte när du kom in?", Open),
    (
        "Skulle du kunna förklara varför du inte köpte tröjan?",
        Open,
    ),
    ("Kan du ge mig ett exempel på en bra service?", Open),
    ("Berätta om när ni senast hade kö ut genom dörren.", Open),
    ("Hur upplevde du musiken i butiken?", Open),
    ("Vad saknar du i vårt sortiment?", Open),
    ("Var satt du helst förr i tiden?", Open),
    ("Hur skulle en perfekt lunch här se ut för dig?", Open),
    ("Vad var det bästa med dagens besök?", Open),
    ("Vem bestämde vart ni skulle äta?", Open),
    // Closed.
    ("Var kön lång i dag?", Closed),
    ("Var personalen trevlig mot dig?", Closed),
    ("Kan du tänka dig att betala mer för ekologiskt?", Closed),
    ("Kan du beskriva upplevelsen med ett ord?", Closed),
    ("Vill du berätta med ett ord hur det var?", Closed),
    ("Kan du svara ja eller nej: hittade du allt?", Closed),
    ("Skulle du vilja ha kvitto?", Closed),
    ("Hittade du det du letade efter?", Closed),
    ("Har ni testat vår nya kanelbulle?", Closed),
    ("Visst var det mysigt med levande ljus?", Closed),
    ("Tror du att kunderna märker skillnaden?", Closed),
    ("Ni kom med bil?", Closed),
    (
        "Hur nöjd är du med besöket på en skala från ett till fem?",
        Closed,
    ),
    ("Stämmer det att ni väntade länge på maten?", Closed),
    ("Hände det något särskilt under besöket?", Closed),
    ("Är det första gången du är här?", Closed),
    ("Fungerade kortläsaren?", Closed),
    ("Saknade du något i hyllorna?", Closed),
    ("Något annat?", Closed),
    ("Var priset rimligt tycker du?", Closed),
    ("Gick det bra att hitta parkering?", Closed),
    ("Kan du tänka dig att prova vår frukostbuffé?", Closed),
    ("Kan ni beskriva med ett ord hur stämningen var?", Closed),
    ("Vill ni ha påsen?", Closed),
    ("Du ville alltså byta storlek?", Closed),
    ("Tyckte du att kaffet var för starkt?", Closed),
    ("Skulle du säga att du är stamkund?", Closed),
    ("Kunde du hitta toaletten utan att fråga?", Closed),
    // Unclear.
    ("Sen då?", Unclear),
    ("Och kanelbullarna?", Unclear),
    ("Jaså?", Unclear),
    ("Eller?", Unclear),
    ("Och lunchen?", Unclear),
];

const EN: &[(&str, QuestionForm)] = &[
    // Open.
    ("Could you tell me about the last time you came in?", Open),
    ("Can you describe what the queue was like?", Open),
    ("Would you mind walking me through how you ordered?", Open),
    ("Would you like to tell us more about the party?", Open),
    ("Can you explain why you switched to oat milk?", Open),
    ("Could you talk about what the staff did?", Open),
    ("Can you give me an example of a good visit?", Open),
    ("Can you elaborate on that a little?", Open),
    ("Could you show me how you use the self-checkout?", Open),
    ("Please describe your usual Saturday morning.", Open),
    ("Walk me through a busy lunch hour.", Open),
    ("Tell me about the best café visit you remember.", Open),
    ("How'd you hear about us?", Open),
    ("What brought you in today?", Open),
    ("Why did you pick this table?", Open),
    ("Where do you usually buy your bread?", Open),
    ("When did you notice the card reader was down?", Open),
    ("Which cake did the kids like best?", Open),
    ("Who usually does the shopping in your family?", Open),
    ("In what way did the loyalty app help?", Open),
    ("So, what happened after that?", Open),
    ("How did it feel when your order was late?", Open),
    ("How long did you wait for a table?", Open),
    ("Could you describe how you found the gift?", Open),
    ("Can you tell us what made you pick oat milk?", Open),
    (
        "Would you be able to explain what went wrong with the order?",
        Open,
    ),
    ("Would you mind telling me why you left early?", Open),
    ("Can you talk me through your morning routine?", Open),
    ("What was the best part of your visit?", Open),
    ("How often do you come here?", Open),
    ("Who recommended us?", Open),
    ("Okay, so why the change?", Open),
    // Closed.
    ("Can you describe the atmosphere in one word?", Closed),
    (
        "Could you tell me, yes or no, whether you paid at the till?",
        Closed,
    ),
    ("Did you find everything you needed?", Closed),
    ("Is this your first time here?", Closed),
    ("Would you recommend us to a friend?", Closed),
    ("Have you tried the new cinnamon bun?", Closed),
    ("Could you find a seat?", Closed),
    ("You came by bike?", Closed),
    ("Was the music too loud?", Closed),
    ("Do you think customers notice the new layout?", Closed),
    ("It's a bit cramped in here, isn't it?", Closed),
    (
        "On a scale from one to ten, how likely are you to come back?",
        Closed,
    ),
    ("Anything else?", Closed),
    ("Did the barista get your name right?", Closed),
    ("Was the bread still warm?", Closed),
    ("Could you sum it up in a word?", Closed),
    ("Would you say the prices are fair?", Closed),
    ("You'd come again?", Closed),
    ("Anything you'd like to add?", Closed),
    // Unclear.
    ("And then?", Unclear),
    ("The queue?", Unclear),
    ("Really?", Unclear),
    ("So?", Unclear),
];

/// The questions the check gets wrong, each with the label and what the check said.
fn wrong(set: &[(&str, QuestionForm)]) -> Vec<String> {
    set.iter()
        .filter_map(|&(q, label)| {
            let got = check_question(q).form;
            (got != label).then(|| format!("{q:?}: labelled {label:?}, checked {got:?}"))
        })
        .collect()
}

#[test]
fn labelled_questions_get_their_form() {
    let (sv, en) = (wrong(SV), wrong(EN));
    let right = |set: &[_], wrong: &[_]| set.len() - wrong.len();
    println!(
        "question forms: {} of {} right (sv {}/{}, en {}/{})",
        right(SV, &sv) + right(EN, &en),
        SV.len() + EN.len(),
        right(SV, &sv),
        SV.len(),
        right(EN, &en),
        EN.len(),
    );
    for line in sv.iter().chain(&en) {
        println!("  wrong: {line}");
    }
    assert!(
        sv.is_empty() && en.is_empty(),
        "{} questions wrong",
        sv.len() + en.len()
    );
}
