//! What the journey board shows, built from a project: the value-landscape lanes
//! with their evidence cards, the five steps with what each still lacks, the
//! choices the forms offer. A refused form is drawn again by `ui::forms::FormView`.

use crate::ui::forms::Opt;
use crate::ui::i18n::Lang;
use crate::ui::i18n::Messages;
use motesplats_core::reason::List;
use motesplats_core::research::{
    self, EvidenceRef, Explain, Partnership, Perspective, Project, Role, Route, StanceSource,
    Tally, Valence, tools_for,
};
use motesplats_core::{
    Action, DigitalAspect, Invalid, Label, Motivation, Phase, Reason, Setting, Stance,
    ValueLandscape,
};

/// What a card looked like when the form was drawn, so an edit can tell whether
/// someone else changed it first.
pub fn fingerprint<T: serde::Serialize>(card: &T) -> String {
    serde_json::to_string(card).unwrap_or_default()
}

pub const PHASES: [Phase; 3] = [Phase::Before, Phase::During, Phase::After];

fn opts<T: Label>(all: &[T], name: impl Fn(T) -> &'static str, lang: Lang) -> Vec<Opt> {
    all.iter()
        .map(|v| Opt::new(name(*v), v.label(lang)))
        .collect()
}

/// The words of the value landscape and the four actions, each with what it means.
fn explained<T: Label + Explain>(
    all: &[T],
    name: impl Fn(T) -> &'static str,
    lang: Lang,
) -> Vec<Opt> {
    let mut out = opts(all, name, lang);
    for (o, v) in out.iter_mut().zip(all) {
        o.hint = v.explanation(lang);
    }
    out
}

/// A piece of evidence on the board; `tone` is a CSS class (value, irritation, neutral).
pub struct Card {
    pub kind: String,
    pub text: String,
    pub tone: &'static str,
}

/// One row of the board: a place on the value landscape, or "not sorted yet".
pub struct Lane {
    pub name: String,
    /// Before, during, after.
    pub cells: Vec<Vec<Card>>,
}

fn tone(v: Valence) -> &'static str {
    match v {
        Valence::Positive => "value",
        Valence::Negative => "irritation",
    }
}

/// The lanes a piece of evidence belongs to: each of its places on the landscape.
fn lane_keys(l: &ValueLandscape) -> Vec<String> {
    let settings = l.settings.iter().map(|s| s.as_str().to_string());
    let motivations = l.motivations.iter().map(|m| m.as_str().to_string());
    let digital = l.digital.iter().map(|d| format!("digital_{}", d.as_str()));
    settings.chain(motivations).chain(digital).collect()
}

/// The board's lanes: two settings, three motivations, the two faces of digital
/// technology, and a last lane for evidence not yet sorted onto the landscape.
pub fn lanes(lang: Lang, p: &Project) -> Vec<Lane> {
    let mut rows: Vec<(String, String)> = Vec::new();
    let (setting, motivation, digital) = (
        lang.t("f-settings"),
        lang.t("f-motivations"),
        lang.t("lane-digital"),
    );
    for s in Setting::ALL {
        rows.push((s.as_str().into(), format!("{setting}: {}", s.label(lang))));
    }
    for m in Motivation::ALL {
        rows.push((
            m.as_str().into(),
            format!("{motivation}: {}", m.label(lang)),
        ));
    }
    for d in DigitalAspect::ALL {
        rows.push((
            format!("digital_{}", d.as_str()),
            format!("{digital}: {}", d.label(lang)),
        ));
    }
    rows.push(("".into(), lang.t("lane-unsorted")));
    let mut lanes: Vec<Lane> = rows
        .iter()
        .map(|(_, name)| Lane {
            name: name.clone(),
            cells: PHASES.iter().map(|_| Vec::new()).collect(),
        })
        .collect();
    let mut place = |landscape: &ValueLandscape, phase: Phase, card: &dyn Fn() -> Card| {
        let Some(col) = PHASES.iter().position(|ph| *ph == phase) else {
            return;
        };
        let mut keys = lane_keys(landscape);
        if keys.is_empty() {
            keys.push(String::new());
        }
        for key in keys {
            if let Some(row) = rows.iter().position(|(k, _)| *k == key) {
                lanes[row].cells[col].push(card());
            }
        }
    };
    let kind = |r: EvidenceRef| r.kind_label(lang).to_string();
    for s in &p.stories {
        for m in &s.moments {
            place(&m.landscape, m.phase, &|| Card {
                kind: kind(EvidenceRef::StoryMoment(m.id)),
                text: format!("{}: {}", s.purchase, m.text),
                tone: tone(m.valence),
            });
        }
    }
    for o in &p.observations {
        if let Some(at) = &o.placement {
            place(&at.landscape, at.phase, &|| Card {
                kind: kind(EvidenceRef::Observation(o.id)),
                text: o.summary().to_string(),
                tone: tone(at.valence),
            });
        }
    }
    for f in &p.functions {
        let landscape = ValueLandscape {
            motivations: f.motivations.clone(),
            digital: f.aspect.into_iter().collect(),
            ..ValueLandscape::default()
        };
        for ph in &f.phases {
            place(&landscape, *ph, &|| Card {
                kind: kind(EvidenceRef::Function(f.id)),
                text: f.name.clone(),
                tone: "neutral",
            });
        }
    }
    for q in &p.quotes {
        let (leaning, landscape) = q.leaning();
        if let Some(phase) = q.phase {
            place(&landscape, phase, &|| Card {
                kind: kind(EvidenceRef::Quote(q.id)),
                text: format!("“{}”", q.text),
                tone: match leaning {
                    Some("like") => "value",
                    Some("dislike") => "irritation",
                    _ => "neutral",
                },
            });
        }
    }
    for m in &p.moments {
        let (c, pr) = (
            Tally::of(m, Perspective::Customer),
            Tally::of(m, Perspective::Provider),
        );
        place(&m.landscape, m.phase, &|| Card {
            kind: kind(EvidenceRef::Moment(m.id)),
            text: format!(
                "{} · {} · {}",
                m.title,
                tally_words(lang, "research-tally-customer", c),
                tally_words(lang, "research-tally-provider", pr)
            ),
            tone: "neutral",
        });
    }
    lanes
}

/// A side's stances on a moment in words ("Kunden: 0 gillar, 1 ogillar"), not signs.
fn tally_words(lang: Lang, key: &str, t: Tally) -> String {
    lang.t_with(
        key,
        &[
            ("likes", i64::from(t.likes)),
            ("dislikes", i64::from(t.dislikes)),
        ],
    )
}

/// What a board page shows: one step of the method, or the journey board or the
/// four-field model on a tab of its own; one part at a time keeps a form and its
/// problems on the first screen.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum View {
    Step(u8),
    Board,
    Matrix,
}

/// A board page's `?step=1..5` or `?tab=board|matrix`.
#[derive(serde::Deserialize, Default)]
pub struct ViewQuery {
    pub step: Option<u8>,
    pub tab: Option<String>,
}

impl ViewQuery {
    /// The part asked for; None when none was (the page shows the current step).
    pub fn view(&self) -> Result<Option<View>, Invalid> {
        match (self.step, self.tab.as_deref()) {
            (None, None) => Ok(None),
            (Some(n @ 1..=5), None) => Ok(Some(View::Step(n))),
            (Some(_), None) => Err(Invalid::one("step", Reason::Range { low: 1, high: 5 })),
            (None, Some("board")) => Ok(Some(View::Board)),
            (None, Some("matrix")) => Ok(Some(View::Matrix)),
            (None, Some(tab)) => Err(Invalid::one(
                "tab",
                Reason::OneOf {
                    value: tab.to_string(),
                    allowed: List::of(["board", "matrix"]),
                },
            )),
            (Some(_), Some(_)) => Err(Invalid::one("tab", Reason::NotWithStep)),
        }
    }
}

/// A step of the method: where it stands, what it lacks, and the guidance for it
/// and for the tools it trains.
pub struct StepView {
    pub number: u8,
    pub name: String,
    pub state: String,
    pub current: bool,
    pub gaps: Vec<String>,
    /// What the method recommends and the step does not follow.
    pub advice: Vec<String>,
    pub guidance: String,
    pub tools: Vec<(String, String)>,
}

pub fn steps(lang: Lang, p: &Project, today: chrono::NaiveDate) -> Vec<StepView> {
    let progress = p.progress(today);
    progress
        .steps
        .iter()
        .map(|s| StepView {
            number: s.step.number(),
            name: s.step.label(lang).to_string(),
            state: s.state.label(lang).to_string(),
            current: s.step == progress.current,
            gaps: s.gaps.iter().map(|g| g.describe(lang)).collect(),
            advice: s.advice.iter().map(|a| a.describe(lang)).collect(),
            guidance: research::guidance(research::Topic::Step(s.step), lang).to_string(),
            tools: tools_for(s.step)
                .iter()
                .map(|t| {
                    (
                        t.label(lang).to_string(),
                        research::guidance(research::Topic::Tool(*t), lang).to_string(),
                    )
                })
                .collect(),
        })
        .collect()
}

/// Everything the forms offer to choose from, in the page's language.
pub struct Choices {
    pub phases: Vec<Opt>,
    pub valences: Vec<Opt>,
    pub roles: Vec<Opt>,
    pub perspectives: Vec<Opt>,
    pub stances: Vec<Opt>,
    pub actions: Vec<Opt>,
    pub routes: Vec<Opt>,
    pub sources: Vec<Opt>,
    pub partnerships: Vec<Opt>,
    pub settings: Vec<Opt>,
    pub motivations: Vec<Opt>,
    pub digital: Vec<Opt>,
    pub members: Vec<Opt>,
    /// Leads and members: those who tell stories and sit in groups.
    pub participants: Vec<Opt>,
    pub stories: Vec<Opt>,
    pub story_moments: Vec<Opt>,
    pub rounds: Vec<Opt>,
    pub templates: Vec<Opt>,
    /// The fields of the protocol of the latest round (or the first template): what an
    /// observer fills in.
    pub protocol: Vec<Opt>,
    /// The first template's fields (key, Swedish, English) and two empty rows: the
    /// starting point for a team's own protocol.
    pub template_rows: Vec<(String, String, String)>,
    pub functions: Vec<Opt>,
    pub moments: Vec<Opt>,
    pub evidence: Vec<Opt>,
    /// The focus as it is now, so choosing a new one cannot silently replace another's.
    pub focus_was: String,
}

pub fn choices(lang: Lang, p: &Project) -> Choices {
    Choices {
        phases: opts(Phase::ALL, Phase::as_str, lang),
        valences: opts(Valence::ALL, Valence::as_str, lang),
        roles: opts(Role::ALL, Role::as_str, lang),
        perspectives: opts(Perspective::ALL, Perspective::as_str, lang),
        stances: opts(Stance::ALL, Stance::as_str, lang),
        actions: explained(Action::ALL, Action::as_str, lang),
        routes: opts(Route::ALL, Route::as_str, lang),
        sources: opts(StanceSource::ALL, StanceSource::as_str, lang),
        partnerships: opts(Partnership::ALL, Partnership::as_str, lang),
        settings: explained(Setting::ALL, Setting::as_str, lang),
        motivations: explained(Motivation::ALL, Motivation::as_str, lang),
        digital: explained(DigitalAspect::ALL, DigitalAspect::as_str, lang),
        members: p
            .members
            .iter()
            .map(|m| {
                Opt::new(
                    m.id.to_string(),
                    format!("{} ({})", m.name, m.role.label(lang)),
                )
            })
            .collect(),
        participants: p
            .members
            .iter()
            .filter(|m| m.role.takes_part())
            .map(|m| Opt::new(m.id.to_string(), m.name.clone()))
            .collect(),
        stories: p
            .stories
            .iter()
            .map(|s| Opt::new(s.id.to_string(), s.purchase.clone()))
            .collect(),
        story_moments: p
            .stories
            .iter()
            .flat_map(|s| {
                s.moments.iter().map(move |m| {
                    Opt::new(
                        m.id.to_string(),
                        format!("{} · {}: {}", s.purchase, m.phase.label(lang), m.text),
                    )
                })
            })
            .collect(),
        rounds: p
            .observation_rounds
            .iter()
            .map(|r| {
                Opt::new(
                    r.id.to_string(),
                    format!("{} ({} – {})", r.name, r.starts_on, r.ends_on),
                )
            })
            .collect(),
        templates: p
            .templates
            .iter()
            .map(|t| Opt::new(t.id.to_string(), t.name.clone()))
            .collect(),
        protocol: p
            .observation_rounds
            .last()
            .and_then(|r| p.template(r.template_id))
            .or(p.templates.first())
            .map(|t| {
                t.fields
                    .iter()
                    .map(|f| Opt::new(f.key.clone(), f.label(lang).to_string()))
                    .collect()
            })
            .unwrap_or_default(),
        template_rows: p
            .templates
            .first()
            .into_iter()
            .flat_map(|t| &t.fields)
            .map(|f| (f.key.clone(), f.label_sv.clone(), f.label_en.clone()))
            .chain(std::iter::repeat_n(Default::default(), 2))
            .collect(),
        functions: p
            .functions
            .iter()
            .map(|f| Opt::new(f.id.to_string(), f.name.clone()))
            .collect(),
        moments: p
            .moments
            .iter()
            .map(|m| {
                Opt::new(
                    m.id.to_string(),
                    format!("{} ({})", m.title, m.phase.label(lang)),
                )
            })
            .collect(),
        evidence: p
            .gathered_evidence()
            .into_iter()
            .filter_map(|r| p.resolve(r))
            .map(|item| {
                Opt::new(
                    item.reference.key(),
                    format!("{}: {}", item.reference.kind_label(lang), item.summary),
                )
            })
            .collect(),
        focus_was: fingerprint(&p.focus),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use motesplats_core::ValueLandscape;

    #[test]
    fn evidence_lands_in_each_of_its_lanes_or_the_unsorted_one() {
        let l = ValueLandscape {
            settings: vec![Setting::PhysicalPlace],
            digital: vec![DigitalAspect::Intrusive],
            ..Default::default()
        };
        assert_eq!(lane_keys(&l), ["physical_place", "digital_intrusive"]);
        assert!(lane_keys(&ValueLandscape::default()).is_empty());
    }

    #[test]
    fn a_page_shows_a_step_or_a_tab_and_refuses_others_by_name() {
        let q = |step: Option<u8>, tab: Option<&str>| {
            ViewQuery {
                step,
                tab: tab.map(String::from),
            }
            .view()
        };
        assert_eq!(q(None, None).unwrap(), None);
        assert_eq!(q(Some(3), None).unwrap(), Some(View::Step(3)));
        assert_eq!(q(None, Some("matrix")).unwrap(), Some(View::Matrix));
        assert_eq!(q(Some(6), None).unwrap_err().0[0].field, "step");
        assert_eq!(q(None, Some("x")).unwrap_err().0[0].field, "tab");
    }
}
