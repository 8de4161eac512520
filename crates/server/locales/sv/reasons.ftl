# Varför ett fält inte togs emot, per orsakskod (crates/core/src/reason.rs). Tal kommer
# redan skrivna på sidans sätt; ord i { $what } och liknande är nycklar att välja efter.

reason-required = måste fyllas i
reason-empty = får inte vara tomt
reason-too-long = får vara högst { $max } tecken
reason-control-characters = får inte innehålla styrtecken
reason-control-characters-in-text = får inte innehålla andra styrtecken än radbrytningar och tabbar
reason-nul-character = får inte innehålla NUL-tecknet
reason-edge-white-space = får inte börja eller sluta med mellanslag
reason-one-of = ”{ $value }” är inte ett av alternativen: { $allowed }
reason-repeats = ”{ $value }” finns redan
reason-repeats-of = är redan nyckeln till en annan fråga, rad eller kod
reason-wrong-type = { $expected ->
    [object] måste vara ett objekt av namn och värden
    [array] måste vara en lista
    [string] måste vara en text
    [number] måste vara ett tal
    [integer] måste vara ett heltal
    [boolean] måste vara sant eller falskt
   *[other] måste vara JSON av typen { $expected }
}
reason-unreadable = kunde inte läsas: { $detail }
reason-too-large-json = får vara högst { $max } byte som JSON
reason-too-large = får vara högst { $max } byte
reason-whole-number = måste vara ett heltal
reason-negative = får inte vara negativt
reason-at-least = måste vara minst { $min }
reason-range = måste vara från { $low } till { $high }
reason-entries = måste ha från { $low } till { $high } rader
reason-too-many-entries = har { $count } rader; högst { $max } är tillåtna
reason-date = ”{ $value }” är inte ett datum som 2026-11-23
reason-timestamp = ”{ $value }” är inte en tidpunkt med tidszon, som 2026-11-23T14:05:00+01:00
reason-time-zone = ”{ $value }” är inte en tidszon som Europe/Stockholm
reason-country = ”{ $value }” är inte en landskod som SE
reason-not-before = får inte vara före { $other }
reason-date-of-time = { $date } är inte datumet då det hände ({ $time })
reason-origin = måste vara en webbadress utan sökväg, som https://butik.example
reason-guid = måste vara ett GUID som 1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294
reason-key = måste vara { $low } till { $high } tecken: en liten bokstav a–z, sedan bokstäver a–z, siffror eller { $marks } (inte å, ä, ö eller mellanslag)
reason-email = måste vara en e-postadress som anna@example.se
reason-phone = måste vara ett telefonnummer med 7 till 15 siffror, som +46 70 123 45 67
reason-version = version { $value } kan inte läsas; här läses version { $supported }
reason-not-in-project = { $what ->
    [member] pekar inte på någon medlem
    [moment] pekar inte på något ögonblick
    [function] pekar inte på någon digital funktion
    [template] pekar inte på något protokoll
    [round] pekar inte på någon observationsrunda
    [evidence] pekar inte på något underlag
    [image] pekar inte på någon uppladdad bild
    [story] pekar inte på någon berättelse
    [stance] pekar inte på någon hållning
    [observation] pekar inte på någon observation
    [group] pekar inte på någon grupp
   *[other] pekar inte på något
} i projektet
reason-names-nothing = pekar inte på något i projektet
reason-no-provider = pekar inte på någon tjänsteleverantör
reason-no-profile = pekar inte på någon av era kunder ({ $id })
reason-no-response = pekar inte på något svar på enkäten
reason-no-survey = pekar inte på någon enkät hos leverantören
reason-no-person = pekar inte på någon av era personer ({ $id })
reason-no-segment = pekar inte på något urval hos leverantören
reason-no-code = ”{ $key }” är ingen kod i kodboken
reason-no-question = ”{ $key }” är ingen fråga i enkäten
reason-no-item = ”{ $item }” är ingen rad i { $question }
reason-unknown-channel = ”{ $value }” är inte en av era kanaler
reason-changed = { $what ->
    [survey] enkäten
    [codebook] kodboken
   *[other] projektet
} ändrades efter att du öppnade det (version { $expected }, nu { $current }); ladda om och gör ändringen igen
reason-changing-too-fast = projektet ändras för snabbt för att spara detta; skicka formuläret igen
reason-exists = { $what ->
    [survey] en enkät
    [attachment] en bilaga
    [channel] en kanal
   *[other] ett projekt
} med det id:t eller den nyckeln finns redan
reason-already = { $what ->
    [user] är redan användare
    [member] är redan medlem
    [observer] är redan observatör
   *[other] finns redan
}
reason-responses-meanwhile = enkäten fick svar under tiden; ladda om den
reason-schema-object = måste vara ett JSON Schema-objekt, som {"{"}"type": "object"{"}"}
reason-bad-schema = är inte ett giltigt JSON Schema: { $detail }
reason-not-in-plan = ”{ $kind }” finns inte i spårningsplanen
reason-breaks-plan = bryter mot spårningsplanen: { $detail }
reason-needs-text = { $language ->
    [sv] behöver en text på svenska
    [en] behöver en text på engelska
   *[other] behöver en text på { $language }
}
reason-text-per-language = ge en text per språk
reason-not-survey-language = är inte ett av enkätens språk
reason-no-questions = enkäten behöver minst en fråga
reason-too-many-questions = får ha högst { $max } frågor sammanlagt
reason-kind-kept = kan inte byta typ när enkäten har svar: lägg i stället till en fråga med en ny nyckel
reason-scale-kept = kan inte byta skala när enkäten har svar: lägg i stället till en fråga med en ny nyckel
reason-no-draft = kan inte bli utkast igen när enkäten har öppnats
reason-open-first = ett utkast öppnas innan det stängs
reason-completed = är redan inskickat och kan inte ändras
reason-no-scale = frågor av typen { $kind } har ingen skala
reason-name-item = välj en rad i matrisen
reason-only-matrix-items = bara matrisfrågor har rader
reason-anchor-ends = måste ha etiketter för åtminstone båda ändarna, { $low } och { $high }
reason-max-selections = måste vara från 1 till antalet alternativ, { $max }
reason-min-over-max = får inte vara fler än högsta antalet val ({ $max })
reason-too-many-choices = { $count } valda; högst { $max } får väljas
reason-too-few-choices = { $count } valda; minst { $min } måste väljas
reason-not-answered = svaret besvarade inte den här frågan
reason-no-section = är inte ett av enkätens avsnitt
reason-item-points = måste ge poäng per rad
reason-option-keys = måste vara en lista av alternativ
reason-option-key = måste vara ett av alternativen
reason-differ-from-rows = måste skilja sig från raderna
reason-past-end = ligger efter slutet av svaret, som har { $length } tecken
reason-span-empty = ett markerat stycke har minst ett tecken
reason-span-white-space = det markerade stycket är bara mellanslag
reason-words-not-in-text = ”{ $words }” finns inte i svaret
reason-not-open-text = ”{ $key }” är ingen öppen fråga; bara öppna svar kodas
reason-coded-before = { $coder } har redan gett stycket koden { $code }
reason-too-many-codes = har { $count } koder; högst { $max } är tillåtna
reason-nests-too-deep = koder får ligga högst { $max } nivåer djupt
reason-names-itself = pekar på koden själv
reason-needs-code = behöver minst en kod
reason-sits-twice = ligger i två grupper
reason-bad-xml = är ingen kodbok som kan läsas: { $detail }
reason-needs-phase = behöver minst en fas
reason-needs-lead = behöver minst en ledare som håller i workshoppen
reason-needs-observer = behöver minst en observatör
reason-not-observer = är inte observatör i den här rundan
reason-is-observer = är observatör
reason-not-protocol-field = är inget fält i rundans protokoll
reason-within-round = måste ligga inom rundan, { $start } till { $end }
reason-round-before = måste vara rundan före den här
reason-phase-of-moment = måste vara ögonblickets fas, { $phase }
reason-consent-only = får bara anges med samtycke
reason-not-image = är ingen bild som kan läsas: välj en PNG-, JPEG-, GIF- eller WebP-fil
reason-too-large-image = är större än gränsen på { $megabytes } MB
reason-image-size = bilden behöver en bredd och en höjd
reason-publishable-only = bara publicerbara nycklar knyts till ursprung
reason-none-seen = inget sett
reason-not-with-step = kan inte väljas tillsammans med ett steg
reason-not-in-story = pekar inte på något ögonblick i den här berättelsen
reason-in-group = sitter redan i gruppen ”{ $group }”
reason-no-template = måste fyllas i: projektet har inget protokoll än
reason-fill-one = fyll i minst ett fält
reason-focus-first = välj ett fokus i steg 4 innan nästa runda börjar
reason-plan-after-focus = välj ett fokus i steg 4 först: planen genomför det
reason-unclassified-empty = måste fyllas i: ögonblicket har inga gillar eller ogillar än
reason-unclassified-one-sided = { $perspective ->
    [provider] måste fyllas i: inget från tjänsteleverantörens sida än
   *[customer] måste fyllas i: inget från kundens sida än
}
reason-unclassified-tie = { $perspective ->
    [provider] måste fyllas i: lika många gillar som ogillar från tjänsteleverantörens sida
   *[customer] måste fyllas i: lika många gillar som ogillar från kundens sida
}
reason-say-why = måste fyllas i: säg varför { $action ->
    [automate] automatisera
    [simplify] förenkla
    [autonomise] autonomisera
   *[strengthen] förstärka
} när Fyrfältsmodellen föreslår { $suggested ->
    [automate] automatisera
    [simplify] förenkla
    [autonomise] autonomisera
   *[strengthen] förstärka
}
reason-say-why-unclassified = måste fyllas i: ögonblicket ligger inte i något fält än, så säg varför just den här åtgärden
reason-already-quoted = är redan citerat i projektet
reason-unreadable-image = ser ut som { $content_type } men kan inte läsas: filen kan vara skadad eller avkortad
reason-required-or = måste fyllas i (eller fyll i { $other })
reason-not-both = fyll i { $first } eller { $second }, inte båda
reason-too-far-ahead = ligger mer än { $hours } timmar fram i tiden
reason-before-epoch = ligger före 1970
reason-not-cursor = är ingen position från en tidigare sida
reason-survey-closed = är stängd och tar inte emot fler svar
reason-survey-draft = är ett utkast och tar inte emot svar förrän den öppnas
reason-does-not-apply = gäller inte frågor av typen { $kind }
reason-name-item-such-as = { $question } är en matris: välj en av dess rader, som { $example }
reason-not-split = ”{ $value }” är varken en fråga i enkäten eller en inbyggd uppdelning ({ $splits })
reason-split-several = { $key } är flerval: ett svar kan hamna i flera alternativ, så frågan kan inte dela svaren i grupper
reason-split-open-text = { $key } är en öppen fråga och har inga grupper att dela efter
reason-parent-cycle = går runt i en cirkel: { $chain }
reason-key-too-deep = ligger för djupt för en nyckel på högst { $max } tecken
reason-not-well-formed = är inte välformad XML nära byte { $byte }: { $detail }
reason-root-element = är ingen REFI-QDA-kodbok: det yttersta elementet måste vara { $name }
reason-second-root = har ett andra yttersta element
reason-repeats-element = upprepar { $name }; en kodbok har ett
reason-bad-attribute = har ett attribut som inte kan läsas: { $detail }
reason-unknown-entity = använder den okända entiteten &{ $name };
reason-element-not-closed = stängs inte innan dokumentet tar slut
reason-too-few-observations = behöver minst { $needed } svar, och det finns { $got }
reason-invalid-level = konfidensnivån måste ligga mellan 0 och 1, inte { $value }
reason-not-finite = svar { $index } är inget tal
reason-off-scale = svar { $index } ({ $value }) är ingen punkt på skalan { $low } till { $high }
reason-scale-too-short = skalan { $low } till { $high } har för få punkter; här behövs minst { $min }
reason-scale-too-long = skalan { $low } till { $high } har för många punkter; högst { $max } är tillåtna
reason-length-mismatch = { $left } och { $right } måste vara lika långa, inte { $left_len } och { $right_len }
reason-successes-exceed-total = { $successes } av { $n } svar går inte
reason-zero-variance = båda grupperna svarade helt lika, så inget t-test kan göras
reason-table-too-small = tabellen behöver minst två rader och två kolumner, inte { $rows } gånger { $columns }
reason-ragged-table = rad { $row } i tabellen har { $got } celler, inte { $expected }
reason-empty-margin = { $axis ->
    [row] rad
   *[column] kolumn
} { $index } i tabellen har inga svar
reason-undefined-kappa = båda kodarna använde en och samma kod hela tiden, så deras överensstämmelse kan inte mätas
reason-overflow = talen är för stora att räkna med
reason-no-distribution = fördelningen { $name } kunde inte byggas
reason-not-known-field = är inget känt fält
reason-mistyped = fel typ: { $detail }
reason-not-json = är inte giltig JSON: { $detail }
reason-not-json-object = är inget JSON-objekt
reason-not-utf8 = måste vara UTF-8-text
reason-cell-not-utf8 = cell { $cell } är inte UTF-8-text; spara filen som UTF-8
reason-cell-count = har { $count } celler där första raden har { $expected }
reason-uuid = måste vara ett UUID som 0190c5d2-7b1e-7c3a-9f2e-5d4c3b2a1f00
reason-number = måste vara ett tal
reason-yes-no = måste vara ja eller nej (true/false, ja/nej, 1/0)
reason-time-format = ”{ $value }” följer inte formatet ”{ $format }” ({ $detail })
reason-no-hour = { $day } har ingen timme i { $zone }
reason-clocks-forward = { $time } finns inte i { $zone }: klockan ställdes fram över den
reason-no-such = { $what ->
    [survey] enkäten finns inte
   *[other] finns inte
}
reason-not-shared = nätverket har inte kommit överens om att dela { $share }
reason-not-in-survey = { $what ->
    [coding] ingen kodning med det id:t i enkäten
   *[other] finns inte i enkäten
}
reason-answer-gone = svarets text finns inte längre
reason-partial-save = är ett sparat utkast som kan ändras; koda det när det är inskickat
reason-differ-from = måste skilja sig från { $other }
reason-level = måste vara mellan 0 och 1, som 0,95
reason-no-group = ingen grupp ”{ $value }” i { $by }; svaren har { $seen }
reason-no-group-none = ingen grupp ”{ $value }” i { $by }; svaren har inga
reason-if-match = { $what ->
    [survey] måste vara enkätens version så som dess ETag gav den, som "3"
    [codebook] måste vara kodbokens version så som dess ETag gav den, som "3"
   *[other] måste vara projektets version så som dess ETag gav den, som "3"
}
reason-no-host = begäran har ingen användbar Host-rubrik
reason-media-type = måste vara en av { $allowed } (skickat: ”{ $sent }”)
reason-encoding = ”{ $value }” stöds inte; skicka gzip eller ingen kodning
reason-retry-key = måste finnas här, så att omförsök inte sparas två gånger
reason-turned-off = stänger av Mötesplats för meddelandet, så det sparas inte
reason-not-with-publishable = får inte skickas med en publik nyckel; skicka identifierare, så hamnar händelsen på deras kund
reason-bad-invitation = är ingen giltig inbjudan till enkäten, eller så har den gått ut
reason-kept-changing = ändrades medan svaret kontrollerades; skicka det igen
reason-has-codings = { $key } har kodningar och kan inte tas bort; ta bort kodningarna först, eller behåll koden
reason-not-saved = { $what ->
    [codebook] kodboken
   *[other] det
} kunde inte sparas; försök igen
reason-none-answer-both = inget svar besvarar båda frågorna
reason-review-above-link = får inte ligga över länkgränsen ({ $link })
reason-too-few-records = behöver minst { $needed } poster med namn eller adress att lära av, och det finns { $got }
reason-agreement-against = att stämma överens här talade emot att två poster är samma person i träningen: posterna har för få dubbletter att lära av

# Kontaktbeslut. Tider i RFC 3339, UTC.
reason-clock-time = ”{ $value }” är inte ett klockslag som 21:30
reason-urgent-service = bara servicemeddelanden, som personen själv bett om, får vara brådskande
reason-contact-service = ett servicemeddelande som personen bett om kräver inget samtycke och tar inget av deras kontaktutrymme
reason-contact-consented = personen har samtyckt till { $purpose ->
    [marketing] marknadsföring
   *[research] undersökningar
  } ({ $source ->
    [person] eget val
   *[import] insamlat av leverantören
  }, { $at })
reason-contact-no-consent = personen har inte samtyckt till { $purpose ->
    [marketing] marknadsföring
   *[research] undersökningar
  } från den här leverantören
reason-contact-withdrawn = personen har sagt nej till { $purpose ->
    [marketing] marknadsföring
   *[research] undersökningar
  } ({ $at })
reason-contact-channel = personen vill inte bli kontaktad via { $channel }; de godtar: { $allowed }
reason-contact-none = personen tar inte emot några kontakter för marknadsföring eller undersökningar
reason-contact-moment = personen är mitt i ett { $motivation ->
    [relationships] relationsmoment
   *[experiences] upplevelsemoment
  } och vill inte bli kontaktad då
reason-contact-quiet = personens tysta timmar ({ $from }–{ $to }) varar till { $until }
reason-contact-budget = personen har fått { $used } kontakter på sju dagar och tillåter { $budget }; nästa får plats { $until }
reason-contact-within-budget = { $used } av personens { $budget } kontakter på sju dagar är tagna; den här hålls åt er tills ni bekräftar utskicket
reason-contact-lapsed = den tillåtna kontakten bekräftades inte inom { $minutes } minuter och har förfallit; fråga igen
reason-erased = tillhör en person vars uppgifter raderades på deras begäran, så det sparas inte igen
reason-reader-is-holder = måste vara en annan leverantör än den vars uppgifter läses
reason-day-within = måste vara en dag från { $first } till { $last }
reason-grant-no-consent = personens samtycke till { $purpose ->
    [marketing] marknadsföring
    [analytics] analys
    [research] undersökningar
   *[personalisation] anpassning
  } hos den här leverantören gäller inte, så delningen läser ingenting

## Provider staff: roles, invitations, passwords.
reason-role-lacks = rollen { $role ->
    [admin] administratör
    [analyst] analytiker
    [support] kundtjänst
   *[staff] personal
  } ger inte tillgång till { $capability ->
    [figures] siffrorna
    [persons] personuppgifterna
    [research] forskningen
    [surveys] enkäterna
    [settings] inställningarna
    [account] sitt eget konto
   *[staff] personalen
  }
reason-last-admin = är leverantörens sista administratör; gör någon annan till administratör först
reason-password-short = måste vara minst { $min } tecken
reason-link-spent = länken är redan använd eller har gått ut; be om en ny
reason-wrong-password = är inte ditt nuvarande lösenord
