//! Step 2, customers' needs and behaviour: observation protocols with prepared
//! fields, observation rounds with observers and a last day, and filled-in
//! observations that the team later places on the shared journey board (before,
//! during or after) and marks as value-creating or irritating.

use super::ids::{AttachmentId, MemberId, ObservationId, RoundId, StoryMomentId, TemplateId};
use super::input::{NAME_MAX, TEXT_MAX, landscape, required_text, required_word};
use super::project::Project;
use super::story::Valence;
use crate::invalid::{Checker, Invalid, Reason, text};
use crate::lang::{Lang, pick};
use crate::value::{Phase, ValueLandscape, ValueLandscapeInput};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// One prepared field of a protocol, with a label in each language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProtocolField {
    /// Stable key for answers: lower-case letters, digits and `_`.
    pub key: String,
    pub label_sv: String,
    pub label_en: String,
}

impl ProtocolField {
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Sv => &self.label_sv,
            Lang::En => &self.label_en,
        }
    }
}

/// A protocol: the fields an observer fills in. Teams add and remove fields to
/// fit their business.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProtocolTemplate {
    pub id: TemplateId,
    pub name: String,
    pub fields: Vec<ProtocolField>,
}

/// The default customer-observation protocol: (key, Swedish label, English label).
pub const CUSTOMER_OBSERVATION_FIELDS: &[(&str, &str, &str)] = &[
    (
        "place",
        "Plats: var i butiken, på stan eller i centrumet?",
        "Place: where in the shop, the street or the centre?",
    ),
    (
        "time",
        "Tid: veckodag och klockslag",
        "Time: day of the week and hour",
    ),
    (
        "who",
        "Vem: ensam eller i sällskap, ungefärlig ålder",
        "Who: alone or in company, rough age",
    ),
    ("situation", "Vad händer?", "What is happening?"),
    (
        "before",
        "Före: vad gör kunden innan köpet eller besöket?",
        "Before: what does the customer do ahead of the purchase or visit?",
    ),
    (
        "during",
        "Under: vad gör kunden vid köpet, och med vem talar hen?",
        "During: what does the customer do at the purchase, and whom do they talk to?",
    ),
    (
        "after",
        "Efter: vad gör kunden när köpet är klart?",
        "After: what does the customer do once the purchase is done?",
    ),
    (
        "reactions",
        "Reaktioner: miner, kroppsspråk, ord",
        "Reactions: faces, body language, words",
    ),
    (
        "digital",
        "Digitala verktyg: mobil, app, skärm, betalterminal – och hur de används",
        "Digital tools: phone, app, screen, card terminal – and how they are used",
    ),
    (
        "value",
        "Vad verkar skapa värde för kunden?",
        "What seems to create value for the customer?",
    ),
    (
        "irritation",
        "Vad verkar irritera eller stå i vägen?",
        "What seems to irritate or get in the way?",
    ),
    (
        "customer_words",
        "Kundens egna ord, om du frågade",
        "The customer's own words, if you asked",
    ),
];

impl ProtocolTemplate {
    /// A fresh copy of the default customer-observation protocol.
    pub fn customer_observation() -> ProtocolTemplate {
        ProtocolTemplate {
            id: TemplateId::new(),
            name: "Kundobservation / Customer observation".into(),
            fields: CUSTOMER_OBSERVATION_FIELDS
                .iter()
                .map(|(key, sv, en)| ProtocolField {
                    key: (*key).into(),
                    label_sv: (*sv).into(),
                    label_en: (*en).into(),
                })
                .collect(),
        }
    }

    pub fn field(&self, key: &str) -> Option<&ProtocolField> {
        self.fields.iter().find(|f| f.key == key)
    }
}

/// A period of observing, with its observers and a last day: observing needs an end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ObservationRound {
    pub id: RoundId,
    pub name: String,
    pub template_id: TemplateId,
    pub observers: Vec<MemberId>,
    pub starts_on: NaiveDate,
    /// The last day of observing, inclusive.
    pub ends_on: NaiveDate,
}

impl ObservationRound {
    /// Over once its last day has passed.
    pub fn has_ended(&self, today: NaiveDate) -> bool {
        today > self.ends_on
    }
}

/// One answer in a filled-in protocol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
// Named apart from the survey's `Answer`, so the OpenAPI document keeps both.
#[schema(as = ProtocolAnswer)]
pub struct Answer {
    pub field: String,
    pub text: String,
}

/// Where the team put an observation on the journey board, and how it reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Placement {
    pub phase: Phase,
    /// Positive: creates value; negative: irritates.
    pub valence: Valence,
    /// Where it sits on the value landscape (lanes of the journey board).
    #[serde(default, skip_serializing_if = "ValueLandscape::is_empty")]
    pub landscape: ValueLandscape,
}

/// A filled-in protocol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Observation {
    pub id: ObservationId,
    pub round_id: RoundId,
    pub observer: MemberId,
    pub observed_on: NaiveDate,
    /// In the order of the template's fields.
    pub answers: Vec<Answer>,
    /// Set when the team places it on the journey board.
    pub placement: Option<Placement>,
    /// Photos taken while observing: ids of the project's attachments.
    #[serde(default)]
    pub photos: Vec<AttachmentId>,
    /// Story moments of step 1 that this observation echoes: what the team told
    /// about themselves, seen again in customers.
    #[serde(default)]
    pub echoes: Vec<StoryMomentId>,
}

impl Observation {
    /// The answer that best says what happened: "situation" when given, else the first.
    pub fn summary(&self) -> &str {
        self.answers
            .iter()
            .find(|a| a.field == "situation")
            .or_else(|| self.answers.first())
            .map_or("", |a| a.text.as_str())
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProtocolTemplateInput {
    pub name: Option<String>,
    pub fields: Option<Vec<ProtocolFieldInput>>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProtocolFieldInput {
    pub key: Option<String>,
    /// Give at least one label; a missing one takes the other's text.
    pub label_sv: Option<String>,
    pub label_en: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObservationRoundInput {
    pub name: Option<String>,
    /// Defaults to the project's first template.
    pub template_id: Option<TemplateId>,
    pub observers: Option<Vec<MemberId>>,
    /// `YYYY-MM-DD`.
    pub starts_on: Option<String>,
    /// `YYYY-MM-DD`, the last day of observing.
    pub ends_on: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObservationInput {
    pub round_id: Option<RoundId>,
    pub observer: Option<MemberId>,
    /// `YYYY-MM-DD`, within the round.
    pub observed_on: Option<String>,
    /// Field key to answer; blank answers are dropped.
    pub answers: Option<BTreeMap<String, String>>,
    /// Photos uploaded to the project beforehand (`POST .../attachments`), in order.
    pub photos: Option<Vec<AttachmentId>>,
    /// Story moments of step 1 that the observation echoes; more may be linked later.
    pub echoes: Option<Vec<StoryMomentId>>,
}

/// A story moment an observation echoes, linked after the observation was recorded
/// (often when the observer presents it).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EchoInput {
    pub story_moment_id: Option<StoryMomentId>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlacementInput {
    /// `before`, `during` or `after`.
    pub phase: Option<String>,
    /// `positive` (value-creating) or `negative` (irritating).
    pub valence: Option<String>,
    /// Where it sits on the value landscape; may be given later.
    pub landscape: Option<ValueLandscapeInput>,
}

fn field_key(s: &str) -> Result<String, Invalid> {
    let ok = (1..=40).contains(&s.len())
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(s.to_string())
    } else {
        Err(Invalid::one(
            "",
            Reason::Key {
                low: 1,
                high: 40,
                marks: "_".into(),
            },
        ))
    }
}

fn date(field: &str, s: &str) -> Result<NaiveDate, Invalid> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        Invalid::one(
            field,
            Reason::Date {
                value: s.to_string(),
            },
        )
    })
}

impl ProtocolFieldInput {
    pub fn parse(&self) -> Result<ProtocolField, Invalid> {
        let mut c = Checker::new();
        let key = required_word(&mut c, "key", self.key.as_deref(), field_key);
        let sv = self
            .label_sv
            .as_deref()
            .and_then(|l| c.take(text("label_sv", l, NAME_MAX)));
        let en = self
            .label_en
            .as_deref()
            .and_then(|l| c.take(text("label_en", l, NAME_MAX)));
        if self.label_sv.is_none() && self.label_en.is_none() {
            c.fail(
                "label_sv",
                Reason::RequiredOr {
                    other: "label_en".into(),
                },
            );
        }
        c.finish()?;
        let (label_sv, label_en) = match (sv, en) {
            (Some(sv), Some(en)) => (sv, en),
            (Some(sv), None) => (sv.clone(), sv),
            (None, Some(en)) => (en.clone(), en),
            (None, None) => return Err(Invalid::one("label_sv", Reason::Required)),
        };
        Ok(ProtocolField {
            key: key.unwrap_or_default(),
            label_sv,
            label_en,
        })
    }
}

impl ProtocolTemplateInput {
    pub fn parse(&self) -> Result<ProtocolTemplate, Invalid> {
        let mut c = Checker::new();
        let name = required_text(&mut c, "name", self.name.as_deref(), NAME_MAX);
        let mut fields: Vec<ProtocolField> = Vec::new();
        match &self.fields {
            None => c.fail("fields", Reason::Required),
            Some(list) if list.is_empty() => c.fail("fields", Reason::Empty),
            Some(list) => {
                for (i, f) in list.iter().enumerate() {
                    let path = format!("fields[{i}]");
                    if let Some(f) = c.take(f.parse().map_err(|e| e.within(&path))) {
                        if fields.iter().any(|o| o.key == f.key) {
                            c.fail(
                                format!("{path}.key"),
                                Reason::Repeats {
                                    value: f.key.clone(),
                                },
                            );
                        }
                        fields.push(f);
                    }
                }
            }
        }
        c.finish()?;
        Ok(ProtocolTemplate {
            id: TemplateId::new(),
            name: name.unwrap_or_default(),
            fields,
        })
    }
}

impl Project {
    pub fn template(&self, id: TemplateId) -> Option<&ProtocolTemplate> {
        self.templates.iter().find(|t| t.id == id)
    }

    pub fn observation_round(&self, id: RoundId) -> Option<&ObservationRound> {
        self.observation_rounds.iter().find(|r| r.id == id)
    }

    pub fn observation(&self, id: ObservationId) -> Option<&Observation> {
        self.observations.iter().find(|o| o.id == id)
    }

    pub fn add_template(&mut self, input: &ProtocolTemplateInput) -> Result<TemplateId, Invalid> {
        let t = input.parse()?;
        let id = t.id;
        self.templates.push(t);
        Ok(id)
    }

    /// Plans a round of observing. Any member may observe, observers included.
    pub fn add_observation_round(
        &mut self,
        input: &ObservationRoundInput,
    ) -> Result<RoundId, Invalid> {
        let mut c = Checker::new();
        let name = required_text(&mut c, "name", input.name.as_deref(), NAME_MAX);
        let template_id = match input.template_id {
            Some(id) if self.template(id).is_none() => {
                c.fail(
                    "template_id",
                    Reason::NotInProject {
                        what: "template".into(),
                    },
                );
                None
            }
            Some(id) => Some(id),
            None => {
                let first = self.templates.first().map(|t| t.id);
                if first.is_none() {
                    c.fail("template_id", Reason::NoTemplate);
                }
                first
            }
        };
        let observers = match &input.observers {
            None => {
                c.fail("observers", Reason::Required);
                Vec::new()
            }
            Some(list) if list.is_empty() => {
                c.fail("observers", Reason::NeedsObserver);
                Vec::new()
            }
            Some(list) => super::input::known_ids(
                &mut c,
                "observers",
                list,
                |id| self.member(id).is_some(),
                "member",
            ),
        };
        let starts_on = c
            .required("starts_on", input.starts_on.as_deref())
            .and_then(|d| c.take(date("starts_on", d)));
        let ends_on = match input.ends_on.as_deref() {
            None => {
                c.fail("ends_on", Reason::Required);
                None
            }
            Some(d) => c.take(date("ends_on", d)),
        };
        if let (Some(s), Some(e)) = (starts_on, ends_on)
            && e < s
        {
            c.fail(
                "ends_on",
                Reason::NotBefore {
                    other: "starts_on".into(),
                },
            );
        }
        c.finish()?;
        let (Some(template_id), Some(starts_on), Some(ends_on)) = (template_id, starts_on, ends_on)
        else {
            return Err(Invalid::one("", Reason::Required));
        };
        let id = RoundId::new();
        self.observation_rounds.push(ObservationRound {
            id,
            name: name.unwrap_or_default(),
            template_id,
            observers,
            starts_on,
            ends_on,
        });
        Ok(id)
    }

    /// Records a filled-in protocol from one of the round's observers, on a day
    /// within the round.
    pub fn add_observation(&mut self, input: &ObservationInput) -> Result<ObservationId, Invalid> {
        let mut c = Checker::new();
        let round = c.required("round_id", input.round_id).and_then(|id| {
            let r = self.observation_round(id);
            if r.is_none() {
                c.fail(
                    "round_id",
                    Reason::NotInProject {
                        what: "round".into(),
                    },
                );
            }
            r
        });
        let observer = c.required("observer", input.observer);
        if let (Some(r), Some(o)) = (round, observer)
            && !r.observers.contains(&o)
        {
            c.fail("observer", Reason::NotObserver);
        }
        let observed_on = c
            .required("observed_on", input.observed_on.as_deref())
            .and_then(|d| c.take(date("observed_on", d)));
        if let (Some(r), Some(d)) = (round, observed_on)
            && (d < r.starts_on || d > r.ends_on)
        {
            c.fail(
                "observed_on",
                Reason::WithinRound {
                    start: r.starts_on.to_string(),
                    end: r.ends_on.to_string(),
                },
            );
        }
        let template = round.and_then(|r| self.template(r.template_id));
        let mut answers = Vec::new();
        match (&input.answers, template) {
            (None, _) => c.fail("answers", Reason::Required),
            (Some(given), Some(t)) => {
                for key in given.keys() {
                    if t.field(key).is_none() {
                        c.fail(format!("answers.{key}"), Reason::NotProtocolField);
                    }
                }
                for f in &t.fields {
                    if let Some(v) = given.get(&f.key).filter(|v| !v.trim().is_empty())
                        && let Some(v) = c.take(text(&format!("answers.{}", f.key), v, TEXT_MAX))
                    {
                        answers.push(Answer {
                            field: f.key.clone(),
                            text: v,
                        });
                    }
                }
                if answers.is_empty() && given.keys().all(|k| t.field(k).is_some()) {
                    c.fail("answers", Reason::FillOne);
                }
            }
            (Some(_), None) => {}
        }
        let photos = super::input::known_ids(
            &mut c,
            "photos",
            input.photos.as_deref().unwrap_or_default(),
            |id| self.attachment(id).is_some(),
            "image",
        );
        let echoes = super::input::known_ids(
            &mut c,
            "echoes",
            input.echoes.as_deref().unwrap_or_default(),
            |id| self.story_moment(id).is_some(),
            "story moment",
        );
        c.finish()?;
        let (Some(round), Some(observer), Some(observed_on)) = (round, observer, observed_on)
        else {
            return Err(Invalid::one("", Reason::Required));
        };
        let id = ObservationId::new();
        let round_id = round.id;
        self.observations.push(Observation {
            id,
            round_id,
            observer,
            observed_on,
            answers,
            placement: None,
            photos,
            echoes,
        });
        Ok(id)
    }

    /// Links an observation to a story moment it echoes; linking twice keeps one link.
    pub fn link_echo(&mut self, id: ObservationId, input: &EchoInput) -> Result<(), Invalid> {
        let moment = input
            .story_moment_id
            .ok_or_else(|| Invalid::one("story_moment_id", Reason::Required))?;
        if self.story_moment(moment).is_none() {
            return Err(Invalid::one(
                "story_moment_id",
                Reason::NotInProject {
                    what: "story moment".into(),
                },
            ));
        }
        let o = self
            .observations
            .iter_mut()
            .find(|o| o.id == id)
            .ok_or_else(|| {
                Invalid::one(
                    "observation_id",
                    Reason::NotInProject {
                        what: "observation".into(),
                    },
                )
            })?;
        if !o.echoes.contains(&moment) {
            o.echoes.push(moment);
        }
        Ok(())
    }

    /// Places an observation on the journey board (again, if it was placed before).
    pub fn place_observation(
        &mut self,
        id: ObservationId,
        input: &PlacementInput,
    ) -> Result<Placement, Invalid> {
        let mut c = Checker::new();
        let phase = required_word(&mut c, "phase", input.phase.as_deref(), Phase::parse);
        let valence = required_word(&mut c, "valence", input.valence.as_deref(), Valence::parse);
        let landscape = landscape(&mut c, input.landscape.as_ref());
        c.finish()?;
        let (Some(phase), Some(valence)) = (phase, valence) else {
            return Err(Invalid::one("", Reason::Required));
        };
        let o = self
            .observations
            .iter_mut()
            .find(|o| o.id == id)
            .ok_or_else(|| {
                Invalid::one(
                    "observation_id",
                    Reason::NotInProject {
                        what: "observation".into(),
                    },
                )
            })?;
        let placement = Placement {
            phase,
            valence,
            landscape,
        };
        o.placement = Some(placement.clone());
        Ok(placement)
    }

    /// The journey board: placed observations per phase, in recording order.
    pub fn journey_board(&self) -> BTreeMap<Phase, Vec<&Observation>> {
        let mut board: BTreeMap<Phase, Vec<&Observation>> = BTreeMap::new();
        for o in &self.observations {
            if let Some(p) = &o.placement {
                board.entry(p.phase).or_default().push(o);
            }
        }
        board
    }
}

/// "value-creating" or "irritating": how a placement reads on the board.
pub fn board_mark(valence: Valence, lang: Lang) -> &'static str {
    match valence {
        Valence::Positive => pick(lang, "värdeskapande", "value-creating"),
        Valence::Negative => pick(lang, "irriterande", "irritating"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::research::fixture;
    use crate::research::project::Role;

    fn answers(pairs: &[(&str, &str)]) -> Option<BTreeMap<String, String>> {
        Some(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn the_default_protocol_covers_what_observers_note() {
        let t = ProtocolTemplate::customer_observation();
        for key in [
            "place",
            "time",
            "who",
            "situation",
            "before",
            "during",
            "after",
            "reactions",
            "digital",
            "value",
            "irritation",
        ] {
            let f = t.field(key).unwrap_or_else(|| panic!("{key}"));
            assert_ne!(f.label(Lang::Sv), f.label(Lang::En));
        }
    }

    #[test]
    fn custom_templates_need_unique_keys_and_a_label() {
        let e = ProtocolTemplateInput {
            name: Some("Kassan".into()),
            fields: Some(vec![
                ProtocolFieldInput {
                    key: Some("queue".into()),
                    label_sv: Some("Kö".into()),
                    label_en: None,
                },
                ProtocolFieldInput {
                    key: Some("queue".into()),
                    label_sv: None,
                    label_en: Some("Queue".into()),
                },
                ProtocolFieldInput {
                    key: Some("Bad Key".into()),
                    label_sv: None,
                    label_en: None,
                },
            ]),
        }
        .parse()
        .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            ["fields[1].key", "fields[2].key", "fields[2].label_sv"]
        );
    }

    #[test]
    fn rounds_need_an_end_and_observations_fall_within_it() {
        let mut p = fixture::empty_project();
        let obs = fixture::member_with_role(&p, Role::Observer);
        let lead = fixture::member_with_role(&p, Role::Lead);
        let e = p
            .add_observation_round(&ObservationRoundInput {
                name: Some("Vecka 11".into()),
                template_id: None,
                observers: Some(vec![obs]),
                starts_on: Some("2026-03-09".into()),
                ends_on: None,
            })
            .unwrap_err();
        assert_eq!(e.0[0].field, "ends_on");

        let round = p
            .add_observation_round(&ObservationRoundInput {
                name: Some("Vecka 11".into()),
                template_id: None,
                observers: Some(vec![obs, lead]),
                starts_on: Some("2026-03-09".into()),
                ends_on: Some("2026-03-15".into()),
            })
            .unwrap();
        let e = p
            .add_observation(&ObservationInput {
                round_id: Some(round),
                observer: Some(obs),
                observed_on: Some("2026-03-16".into()),
                answers: answers(&[("situation", "Kö vid kassan"), ("smell", "kaffe")]),
                photos: None,
                echoes: None,
            })
            .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["observed_on", "answers.smell"]);

        let id = p
            .add_observation(&ObservationInput {
                round_id: Some(round),
                observer: Some(obs),
                observed_on: Some("2026-03-14".into()),
                answers: answers(&[
                    ("situation", "Kö vid kassan, en kund lämnar kön"),
                    ("place", "Kassan"),
                    ("who", " "),
                ]),
                photos: None,
                echoes: None,
            })
            .unwrap();
        let o = p.observation(id).unwrap();
        // Template order, blank answers dropped.
        assert_eq!(
            o.answers
                .iter()
                .map(|a| a.field.as_str())
                .collect::<Vec<_>>(),
            ["place", "situation"]
        );
        assert_eq!(o.summary(), "Kö vid kassan, en kund lämnar kön");

        let placed = p
            .place_observation(
                id,
                &PlacementInput {
                    phase: Some("during".into()),
                    valence: Some("negative".into()),
                    landscape: None,
                },
            )
            .unwrap();
        assert_eq!(board_mark(placed.valence, Lang::En), "irritating");
        assert_eq!(p.journey_board()[&Phase::During].len(), 1);
    }

    #[test]
    fn observations_echo_story_moments_from_the_start_or_later() {
        let mut p = fixture::full_project();
        let round = p.observation_rounds[0].id;
        let observer = p.observation_rounds[0].observers[0];
        let day = p.observation_rounds[0].starts_on.to_string();
        let told = p.stories[0].moments[0].id;
        let also = p.stories[1].moments[0].id;
        let e = p
            .add_observation(&ObservationInput {
                round_id: Some(round),
                observer: Some(observer),
                observed_on: Some(day.clone()),
                answers: answers(&[("situation", "Kund läser öppettiderna på dörren")]),
                photos: None,
                echoes: Some(vec![told, StoryMomentId::new()]),
            })
            .unwrap_err();
        assert_eq!(e.0[0].field, "echoes[1]");

        let id = p
            .add_observation(&ObservationInput {
                round_id: Some(round),
                observer: Some(observer),
                observed_on: Some(day),
                answers: answers(&[("situation", "Kund läser öppettiderna på dörren")]),
                photos: None,
                echoes: Some(vec![told]),
            })
            .unwrap();
        let link = |m| EchoInput {
            story_moment_id: Some(m),
        };
        p.link_echo(id, &link(also)).unwrap();
        p.link_echo(id, &link(told)).unwrap();
        assert_eq!(p.observation(id).unwrap().echoes, [told, also]);

        let e = p.link_echo(id, &link(StoryMomentId::new())).unwrap_err();
        assert_eq!(e.0[0].field, "story_moment_id");
        let e = p.link_echo(ObservationId::new(), &link(told)).unwrap_err();
        assert_eq!(e.0[0].field, "observation_id");
        assert!(p.check().is_ok());

        let at = p.observations.iter().position(|o| o.id == id).unwrap();
        p.observations[at].echoes.push(StoryMomentId::new());
        let e = p.check().unwrap_err();
        assert_eq!(e.0[0].field, format!("observations[{at}].echoes[2]"), "{e}");
    }
}
