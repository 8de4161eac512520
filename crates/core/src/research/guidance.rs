//! Guidance for the workshop leader: a short text for each step and for each of
//! the three tools the steps train (interview technique, observation, analytical
//! reasoning), in Swedish and English.

use super::progress::Step;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

labelled_vocabulary!(
    /// The three basic tools the five steps rely on.
    Tool {
        InterviewTechnique => "interview_technique", "Intervjuteknik", "Interview technique";
        Observation => "observation", "Observation", "Observation";
        AnalyticalReasoning => "analytical_reasoning", "Analytiskt resonerande", "Analytical reasoning";
    }
);

/// A step or a tool, for `guidance`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum Topic {
    Step(Step),
    Tool(Tool),
}

/// The tools a step trains, most used first.
pub fn tools_for(step: Step) -> &'static [Tool] {
    match step {
        Step::Stories => &[Tool::InterviewTechnique],
        Step::Observation => &[Tool::Observation, Tool::InterviewTechnique],
        Step::DigitalScan => &[Tool::AnalyticalReasoning, Tool::InterviewTechnique],
        Step::Protocols => &[Tool::InterviewTechnique, Tool::AnalyticalReasoning],
        Step::Strategy => &[Tool::AnalyticalReasoning],
    }
}

/// The guidance text for a step or a tool.
pub fn guidance(topic: Topic, lang: Lang) -> &'static str {
    let (sv, en) = match topic {
        Topic::Step(step) => step_text(step),
        Topic::Tool(tool) => tool_text(tool),
    };
    match lang {
        Lang::Sv => sv,
        Lang::En => en,
    }
}

fn step_text(step: Step) -> (&'static str, &'static str) {
    match step {
        Step::Stories => (
            "Samla gruppen, fyra eller fem personer, och låt var och en i tur och ordning berätta \
             om något de köpt nyligen. Följ köpet från början till slut: vad hände innan, vid själva \
             köpet och efteråt? Lyssnarna avbryter inte – de antecknar frågor att ställa när \
             berättelsen är slut, helst sådana som börjar med hur, vad eller varför. Avsluta varje \
             berättelse med att peka ut vad som kändes bra och vad som skavde, och skriv det som \
             värde med kundens egna ord: \"När … gjorde de … och det gav mig …\".",
            "Gather the group, four or five people, and let each person in turn talk about \
             something they bought recently. Follow the purchase from start to finish: what \
             happened ahead of it, at the purchase itself and afterwards? Listeners do not \
             interrupt – they jot down questions to ask when the story is over, preferably ones \
             that begin with how, what or why. Close each story by pointing out what felt good and \
             what chafed, and write it down as value in the customer's own words: \"When … they \
             did … and that gave me …\".",
        ),
        Step::Observation => (
            "Gå dit era kunder är och titta, med protokollet som stöd. Var minst två som \
             observerar, gärna olika dagar och tider, och bestäm i förväg vilken dag \
             observationerna slutar – annars blir de aldrig klara. Passar det kan ni fråga en kund \
             hur situationen kändes. Tillbaka i gruppen redovisar var och en vad hen såg medan de \
             andra frågar tills bilden är tydlig. Sätt sedan varje observation på den gemensamma \
             kundresan – före, under eller efter – och märk den som värdeskapande eller \
             irriterande.",
            "Go where your customers are and watch, with the protocol as support. Have at least \
             two observers, ideally on different days and at different hours, and decide up front \
             on the day observing stops – otherwise it never ends. If the moment allows, ask a \
             customer how the situation felt. Back in the group, each observer reports what they \
             saw while the others ask until the picture is clear. Then put every observation on \
             the shared journey – before, during or after – and mark it as value-creating or \
             irritating.",
        ),
        Step::DigitalScan => (
            "Leta efter digitala funktioner, nya som gamla: i appbutikerna, på webben och hos \
             kollegor och vänner. Fråga folk vilka appar de använder när de handlar, fikar eller \
             äter ute, och vad de får ut av dem, och ta skärmbilder. Vid genomgången visar var och \
             en sina fynd: vad är det, hur fungerar det, när använder man det? Placera sedan \
             funktionerna på kundresan – en funktion kan höra hemma i flera faser – och resonera om \
             vilket värde kunden får: hjälper den kunden att nå ett mål, eller rör den relationer \
             och upplevelser där den lätt blir påträngande?",
            "Hunt for digital functions, old and new: in the app stores, on the web, and among \
             colleagues and friends. Ask people which apps they use when they shop, meet for \
             coffee or eat out, and what they get from them, and take screenshots. At the review, \
             each person shows their finds: what is it, how does it work, when would you use it? \
             Then place the functions on the journey – one function may belong to several phases \
             – and reason about the value a customer gets: does it help them reach a goal, or does \
             it touch relationships and experiences where it easily intrudes?",
        ),
        Step::Protocols => (
            "Nu kommer verksamhetens eget perspektiv in. Fyll i två protokoll: vad ni som \
             leverantör gillar och ogillar i mötet med kunder, och vad kunder gillar och ogillar – \
             från egna erfarenheter, från observationerna och genom att fråga kunder. Samla allt \
             som moment längs kundresan. För varje ogillar: finns det en funktion från steg 3 som \
             skulle kunna göra det till ett gillar? Låt sedan fyrfältsmodellen visa vad som kan \
             göras – automatisera, förenkla, autonomisera eller förstärka – och välj ett område att \
             lägga kraften på. Allt behöver inte göras på en gång.",
            "Now the business's own view joins in. Fill in two protocols: what you as a provider \
             like and dislike about meeting customers, and what customers like and dislike – from \
             your own experience, from the observations and by asking customers. Gather \
             everything as moments along the journey. For each dislike: is there a function from \
             step 3 that could turn it into a like? Then let the four-field model show what can \
             be done – automate, simplify, autonomise or strengthen – and choose one area to put \
             your effort into. Not everything has to happen at once.",
        ),
        Step::Strategy => (
            "Sammanfatta vad de fyra stegen lärt er och skriv ned hur det ska användas i just er \
             verksamhet: vilket fokus, vilken åtgärd, vilka digitala lösningar – egna, befintliga \
             eller byggda tillsammans med andra. Låt varje slutsats peka på berättelsen, \
             observationen eller protokollet den vilar på. Ingår ni i en kedja eller ett nätverk \
             kan strategin bli ett lokalt komplement, eller ett skäl att göra nästa omgång \
             tillsammans med fler.",
            "Sum up what the four steps taught you and write down how it will be used in your own \
             business: which focus, which action, which digital solutions – your own, existing \
             ones, or built with others. Let every conclusion point to the story, observation or \
             protocol it rests on. If you belong to a chain or a network, the strategy can become \
             a local complement, or a reason to run the next round with more partners.",
        ),
    }
}

fn tool_text(tool: Tool) -> (&'static str, &'static str) {
    match tool {
        Tool::InterviewTechnique => (
            "Att intervjua är att lyssna aktivt: låt berättaren tala till punkt, visa med blick och \
             små ord att du vill höra mer, och ta inte över samtalet. Öppna frågor som börjar med \
             hur, vad eller varför ger berättelser; slutna frågor som börjar med ett verb (\"Var \
             det …\", \"Gillade du …\") ger ja eller nej. Blanda gärna, men låt de öppna dominera. \
             Öva genom att skriva några öppna frågor och pröva dem på en kollega.",
            "Interviewing is active listening: let the teller finish, show with your eyes and \
             small words that you want to hear more, and do not take over. Open questions that \
             start with how, what or why yield stories; closed questions that start with a verb \
             (\"Was it …\", \"Did you like …\") yield yes or no. Mix them if you like, but let the \
             open ones dominate. Practise by writing a few open questions and trying them on a \
             colleague.",
        ),
        Tool::Observation => (
            "Observera med protokollet i handen så att alla tittar efter samma saker: plats, tid, \
             vem, vad som händer före, under och efter, reaktioner, digitala verktyg, och vad som \
             verkar skapa värde eller irritera. Skriv ned vad du ser innan du tolkar det. Lägg till \
             eller stryk frågor så att protokollet passar er verksamhet.",
            "Observe with the protocol in hand so that everyone looks for the same things: place, \
             time, who, what happens before, during and after, reactions, digital tools, and what \
             seems to create value or irritate. Write down what you see before you interpret it. \
             Add or remove questions so that the protocol fits your business.",
        ),
        Tool::AnalyticalReasoning => (
            "Analys är att ställa frågor till materialet: Vad är det egentligen som händer här? \
             Varför gör kunden så? Vad skulle hända om det togs bort? Gör det tillsammans – när \
             flera vänder och vrider på samma iakttagelse blir analysen grundligare. Skilj på vad \
             ni såg och vad ni tror, och låt slutsatserna peka tillbaka på underlaget.",
            "Analysis means putting questions to the material: What is really going on here? Why \
             does the customer do that? What would happen if it were taken away? Do it together – \
             when several people turn the same finding over, the analysis gets deeper. Keep apart \
             what you saw and what you believe, and let conclusions point back to the evidence.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_and_tool_has_guidance_in_both_languages() {
        let topics = Step::ALL
            .iter()
            .map(|s| Topic::Step(*s))
            .chain(Tool::ALL.iter().map(|t| Topic::Tool(*t)));
        let mut seen = std::collections::HashSet::new();
        for topic in topics {
            let sv = guidance(topic, Lang::Sv);
            let en = guidance(topic, Lang::En);
            assert!(sv.len() > 200 && en.len() > 200, "{topic:?}");
            assert_ne!(sv, en);
            assert!(!sv.contains("  ") && !en.contains("  "), "{topic:?}");
            assert!(
                seen.insert(sv) && seen.insert(en),
                "{topic:?} repeats a text"
            );
        }
        for step in Step::ALL {
            assert!(!tools_for(*step).is_empty());
        }
        assert_eq!(
            serde_json::to_value(Topic::Tool(Tool::AnalyticalReasoning)).unwrap(),
            serde_json::json!({"kind": "tool", "name": "analytical_reasoning"})
        );
    }
}
