//! What the builder page shows: the survey's sections and questions, a form for each
//! change drawn filled in (with what was typed, if it was refused), and the choices
//! the forms offer.

use super::parse::{MIDDLE, applies, rows_sent, texts};
use super::to_form::{agreement, details_fields, question_fields};
use crate::client::PublicOrigin;
use crate::ui::forms::{FormView, Opt, Refused, Sent};
use crate::ui::i18n::Lang;
use crate::ui::i18n::Messages;
use crate::ui::labels::Vocabulary;
use crate::ui::{Shell, channel_name, phase_name};
use askama::Template;
use motesplats_core::survey::{
    Anchor, ChoiceOption, LocalText, Question, QuestionKind, SurveyStatus, TextInput,
};
use motesplats_core::{Channel, Phase};
use motesplats_store::StoredSurvey;

/// Empty rows of statements and options on the form that adds a question.
const NEW_ROWS: usize = 5;

/// Empty rows after an existing question's statements and options.
const EXTRA_ROWS: usize = 2;

/// A hidden input a form carries along.
pub struct Hidden {
    pub name: String,
    pub value: String,
}

/// A language of the survey, for the inputs of each text.
pub struct LangCol {
    pub code: &'static str,
    pub label: String,
}

pub(super) fn lang_cols(lang: Lang, languages: &[Lang]) -> Vec<LangCol> {
    languages
        .iter()
        .map(|l| LangCol {
            code: l.as_str(),
            label: lang.t(&format!("builder-lang-{}", l.as_str())),
        })
        .collect()
}

pub(super) fn phase_opts(lang: Lang) -> Vec<Opt> {
    Phase::ALL
        .iter()
        .map(|p| Opt::new(p.as_str(), phase_name(lang, Some(*p))))
        .collect()
}

pub(super) fn channel_opts(lang: Lang, channels: &[Channel]) -> Vec<Opt> {
    channels
        .iter()
        .map(|c| Opt::new(c.key.as_str(), channel_name(lang, c.key.as_str(), channels)))
        .collect()
}

/// How a change was saved.
pub(super) enum Saved {
    Same,
    Version(u32),
    /// Nothing was saved: someone else changed the survey first.
    Stale,
}

/// What the builder page shows besides the survey.
#[derive(Default)]
pub(super) struct View {
    pub(super) saved: Option<Saved>,
    /// A section being started: the title fields carried along.
    pub(super) pending: Option<Vec<(String, String)>>,
    pub(super) refused: Option<Refused>,
    /// A form was drawn for a question or section no longer there.
    pub(super) gone: bool,
    /// The kind the form that adds a question is drawn for (`?kind=`).
    pub(super) kind: Option<String>,
}

impl View {
    pub(super) fn refused(refused: Refused) -> Self {
        View {
            refused: Some(refused),
            ..View::default()
        }
    }
}

/// A question form: its name, the values it shows, its rows.
pub struct QuestionForm {
    /// `add`, or `edit-{key}`.
    pub f: String,
    pub fv: FormView,
    pub hidden: Vec<Hidden>,
    /// The form that adds a question chooses a section.
    pub adds: bool,
    /// The first and the last point.
    pub ends: Vec<Opt>,
    /// The points between.
    pub middle: Vec<Opt>,
    pub middle_open: bool,
    pub items: Vec<String>,
    pub options: Vec<String>,
    /// Drawn open: it was refused.
    pub open: bool,
    /// The kind whose fields are drawn.
    pub kind: String,
}

impl QuestionForm {
    /// Whether the fields of `part` (`scale`, `items`, `options`, `selections`,
    /// `open`) are drawn: those of the form's kind only (the form that adds a question
    /// is drawn for the kind chosen first; a question changed to another kind gets
    /// that kind's fields when the form comes back asking for them).
    pub fn shows(&self, part: &str) -> bool {
        let field = match part {
            "scale" => "points",
            "selections" => "min_selections",
            "open" => "max_length",
            other => other,
        };
        applies(&self.kind, field)
    }

    /// An NPS or CSAT question: its scale and labels are the standard ones.
    pub fn fixed(&self) -> bool {
        matches!(self.kind.as_str(), "nps" | "csat")
    }
}

/// A form drawn filled in: what was typed if it was refused, else its start values.
fn filled(
    lang: Lang,
    form: &str,
    start: Vec<(String, String)>,
    refused: &mut Option<Refused>,
) -> FormView {
    let mine = refused.take_if(|r| r.sent.form == form);
    FormView {
        lang,
        refused: Some(mine.unwrap_or_else(|| Refused {
            sent: Sent {
                form: form.to_string(),
                fields: start,
                file: None,
            },
            errors: Vec::new(),
            conflict: false,
        })),
    }
}

/// A question form; its statements and options get `extra` empty rows after those
/// filled in, and at least `least` rows.
fn question_form(
    lang: Lang,
    f: String,
    start: Vec<(String, String)>,
    refused: &mut Option<Refused>,
    adds: bool,
    (extra, least): (usize, usize),
) -> QuestionForm {
    let open = refused.as_ref().is_some_and(|r| r.sent.form == f);
    let fv = filled(lang, &f, start, refused);
    let sent = &fv
        .refused
        .as_ref()
        .expect("filled always draws values")
        .sent;
    let rows = |list: &str| {
        let last = rows_sent(sent, list, true).last().map_or(0, |i| i + 1);
        (last + extra).max(least)
    };
    let kind = sent.one("kind").unwrap_or_default().to_string();
    let (items, options) = (rows("items"), rows("options"));
    let middle_open = MIDDLE.clone().any(|p| {
        sent.fields
            .iter()
            .any(|(n, v)| n.starts_with(&format!("anchors.{p}.")) && !v.trim().is_empty())
    });
    let hidden = sent
        .fields
        .iter()
        .filter(|(n, _)| n == "_question")
        .map(|(n, v)| Hidden {
            name: n.clone(),
            value: v.clone(),
        })
        .collect();
    QuestionForm {
        hidden,
        adds,
        ends: vec![
            Opt::new("anchors.first", lang.t("builder-anchor-first")),
            Opt::new("anchors.last", lang.t("builder-anchor-last")),
        ],
        middle: MIDDLE
            .map(|p| {
                Opt::new(
                    format!("anchors.{p}"),
                    lang.t_with("builder-anchor-point", &[("point", p)]),
                )
            })
            .collect(),
        middle_open,
        items: (0..items).map(|i| format!("items.{i}")).collect(),
        options: (0..options).map(|i| format!("options.{i}")).collect(),
        open,
        kind,
        f,
        fv,
    }
}

/// One question as the builder lists it.
pub struct QuestionView {
    pub key: String,
    pub kind: String,
    pub required: bool,
    /// Per language: its name, its code and the text.
    pub texts: Vec<(String, &'static str, String)>,
    /// What its kind adds: points, labels, statements, options, limits.
    pub lines: Vec<KindLine>,
    pub first: bool,
    pub last: bool,
    pub edit: QuestionForm,
}

pub struct SectionView {
    pub index: usize,
    pub title: String,
    pub rename: FormView,
    pub rename_f: String,
    pub questions: Vec<QuestionView>,
}

/// One line of what a question's kind adds: a lead ("Option", "3 ="), the author's key
/// where it has one, and the texts in each language, each marked with its language.
pub struct KindLine {
    pub lead: String,
    pub key: Option<String>,
    pub texts: Vec<(&'static str, String)>,
}

impl KindLine {
    fn lead(lead: String) -> KindLine {
        KindLine {
            lead,
            key: None,
            texts: Vec::new(),
        }
    }

    fn texts(lead: String, key: Option<&str>, t: &LocalText, langs: &[Lang]) -> KindLine {
        KindLine {
            lead,
            key: key.map(str::to_string),
            texts: langs
                .iter()
                .filter_map(|l| t.get(*l).map(|text| (l.as_str(), text.to_string())))
                .collect(),
        }
    }
}

fn kind_lines(lang: Lang, q: &Question, langs: &[Lang]) -> Vec<KindLine> {
    let anchor_lines = |anchors: &[Anchor]| -> Vec<KindLine> {
        anchors
            .iter()
            .map(|a| KindLine::texts(format!("{} =", a.point), None, &a.label, langs))
            .collect()
    };
    let points = |p: i64| KindLine::lead(lang.t_with("builder-points-n", &[("points", p)]));
    let options = |options: &[ChoiceOption]| -> Vec<KindLine> {
        options
            .iter()
            .map(|o| {
                KindLine::texts(
                    lang.t("builder-option"),
                    Some(o.key.as_str()),
                    &o.label,
                    langs,
                )
            })
            .collect()
    };
    match &q.kind {
        QuestionKind::Scale { points: p, anchors } => {
            let mut out = vec![points(i64::from(*p))];
            out.extend(anchor_lines(anchors));
            out
        }
        QuestionKind::Matrix {
            points: p,
            anchors,
            items,
        } => {
            let mut out = vec![points(i64::from(*p))];
            out.extend(anchor_lines(anchors));
            out.extend(items.iter().map(|i| {
                KindLine::texts(lang.t("builder-item"), Some(i.key.as_str()), &i.text, langs)
            }));
            out
        }
        QuestionKind::OpenText { max_length } => {
            vec![KindLine::lead(lang.t_with(
                "builder-at-most-chars",
                &[("max", *max_length as i64)],
            ))]
        }
        QuestionKind::SingleChoice { options: o } => options(o),
        QuestionKind::MultipleChoice {
            options: o,
            min_selections,
            max_selections,
        } => {
            let mut out = options(o);
            out.push(KindLine::lead(lang.t_with(
                "builder-choose-between",
                &[
                    ("min", *min_selections as i64),
                    ("max", *max_selections as i64),
                ],
            )));
            out
        }
        QuestionKind::Nps { anchors } => {
            let mut out = vec![KindLine::lead("0–10".to_string())];
            out.extend(anchor_lines(anchors));
            out
        }
        QuestionKind::Csat { anchors } => {
            let mut out = vec![KindLine::lead("1–5".to_string())];
            out.extend(anchor_lines(anchors));
            out
        }
    }
}

#[derive(Template)]
#[template(path = "survey_builder.html")]
pub(super) struct BuilderPage {
    shell: Shell,
    id: String,
    title: String,
    status: &'static str,
    status_label: String,
    version: u32,
    /// The revision the page shows; every form sends it back.
    revision: i64,
    responses: usize,
    languages: Vec<LangCol>,
    context: Vec<(String, String)>,
    /// The notice after a saved change.
    saved: Option<String>,
    gone: bool,
    /// The form that was refused, to point to.
    refused_form: Option<String>,
    /// Problems of a move or removal, or of the status.
    order: FormView,
    sections: Vec<SectionView>,
    /// The title of a section being started, if one is.
    pending: Option<String>,
    kinds: Vec<Opt>,
    /// What the form choosing the added question's kind carries along.
    kind_carry: Vec<Hidden>,
    section_choices: Vec<Opt>,
    points: Vec<String>,
    add: QuestionForm,
    new_section: FormView,
    details: FormView,
    phases: Vec<Opt>,
    channels: Vec<Opt>,
    /// The status buttons: the value and its label.
    moves: Vec<Opt>,
    link: String,
}

/// The builder page of a stored survey, with its number of responses and the
/// provider's channels.
pub(super) fn builder_view(
    shell: Shell,
    lang: Lang,
    stored: StoredSurvey,
    responses: usize,
    words: &Vocabulary,
    origin: &PublicOrigin,
    view: View,
) -> BuilderPage {
    let StoredSurvey {
        revision, survey, ..
    } = stored;
    let langs = survey.languages.as_slice();
    let channels = &words.channels;
    let mut refused = view.refused;
    let id = survey.id.to_string();
    // A refused form further down the page is pointed to from the top.
    let refused_form = refused
        .as_ref()
        .map(|r| r.sent.form.clone())
        .filter(|f| !matches!(f.as_str(), "order" | "status"));

    let total = survey.questions().count();
    let mut n = 0;
    let mut sections = Vec::new();
    for (si, sec) in survey.sections.iter().enumerate() {
        let rename_f = format!("section-{si}");
        let mut start = Vec::new();
        if let Some(t) = &sec.title {
            for lg in langs {
                if let Some(v) = t.get(*lg) {
                    start.push((format!("section_title.{}", lg.as_str()), v.to_string()));
                }
            }
        }
        start.push(("_section".into(), si.to_string()));
        let rename = filled(lang, &rename_f, start, &mut refused);
        let mut questions = Vec::new();
        for q in &sec.questions {
            n += 1;
            let edit = question_form(
                lang,
                format!("edit-{}", q.key),
                question_fields(q, langs),
                &mut refused,
                false,
                (EXTRA_ROWS, 0),
            );
            questions.push(QuestionView {
                key: q.key.to_string(),
                kind: lang.t(&format!("builder-kind-{}", q.kind.name())),
                required: q.required,
                texts: langs
                    .iter()
                    .filter_map(|lg| {
                        q.text.get(*lg).map(|t| {
                            (
                                lang.t(&format!("builder-lang-{}", lg.as_str())),
                                lg.as_str(),
                                t.to_string(),
                            )
                        })
                    })
                    .collect(),
                lines: kind_lines(lang, q, langs),
                first: n == 1,
                last: n == total,
                edit,
            });
        }
        sections.push(SectionView {
            index: si,
            title: sec.title.as_ref().map_or_else(
                || lang.t_with("builder-section-n", &[("n", si as i64 + 1)]),
                |t| t.best(lang).to_string(),
            ),
            rename,
            rename_f,
            questions,
        });
    }

    // The form that adds a question: into the last section, or the one being started.
    let pending_fields = view.pending.clone();
    let kind = view
        .kind
        .as_deref()
        .filter(|k| QuestionKind::NAMES.contains(k))
        .unwrap_or("scale");
    let mut start: Vec<(String, String)> = vec![
        ("kind".into(), kind.into()),
        ("points".into(), "5".into()),
        ("required".into(), "true".into()),
    ];
    match &pending_fields {
        Some(title) => {
            start.push(("section".into(), "new".into()));
            start.extend(title.iter().cloned());
        }
        None => start.push((
            "section".into(),
            survey.sections.len().saturating_sub(1).to_string(),
        )),
    }
    start.extend(agreement(langs));
    let add = question_form(lang, "add".into(), start, &mut refused, true, (1, NEW_ROWS));
    let add_sent = &add.fv.refused.as_ref().expect("filled").sent;
    // Choosing another kind keeps the section being started.
    let kind_carry = pending_fields
        .iter()
        .flat_map(|title| {
            std::iter::once(("new_section".to_string(), "1".to_string())).chain(title.clone())
        })
        .map(|(name, value)| Hidden { name, value })
        .collect();
    let pending = (pending_fields.is_some() || add_sent.has("section", "new")).then(|| {
        let title = texts(add_sent, "section_title", langs);
        match title {
            Some(TextInput::PerLanguage(m)) => m.values().cloned().collect::<Vec<_>>().join(" · "),
            _ => lang.t("builder-untitled"),
        }
    });
    let mut section_choices: Vec<Opt> = sections
        .iter()
        .map(|s| Opt::new(s.index.to_string(), s.title.clone()))
        .collect();
    section_choices.push(Opt::new("new", lang.t("builder-new-section-choice")));

    let details = filled(lang, "details", details_fields(&survey), &mut refused);
    let new_section = FormView {
        lang,
        refused: refused.take_if(|r| r.sent.form == "section"),
    };
    // What is left (a move, a removal, the status, or a form no longer on the page)
    // shows at the top.
    let order = FormView {
        lang,
        refused: refused.map(|mut r| {
            r.sent.form = "order".into();
            r
        }),
    };

    let context = vec![
        (
            lang.t("builder-phase"),
            phase_name(lang, survey.context.phase),
        ),
        (
            lang.t("builder-channel"),
            survey.context.channel.as_ref().map_or_else(
                || lang.t("builder-none"),
                |c| channel_name(lang, c.as_str(), channels),
            ),
        ),
        (
            lang.t("builder-touchpoint-kind"),
            survey
                .context
                .touchpoint_kind
                .as_ref()
                .map_or_else(|| lang.t("builder-none"), |k| words.event(k, lang)),
        ),
    ];
    let saved = view.saved.map(|saved| match saved {
        Saved::Version(v) => lang.t_with("builder-saved-version", &[("version", i64::from(v))]),
        Saved::Same => lang.t("builder-saved"),
        Saved::Stale => lang.t("builder-stale"),
    });
    let moves = match survey.status {
        SurveyStatus::Draft => vec!["open"],
        SurveyStatus::Open => vec!["closed"],
        SurveyStatus::Closed => vec!["open"],
    }
    .into_iter()
    .map(|v| {
        Opt::new(
            v,
            lang.t(&format!(
                "builder-to-{}",
                if survey.status == SurveyStatus::Closed {
                    "reopen"
                } else {
                    v
                }
            )),
        )
    })
    .collect();
    BuilderPage {
        link: origin
            .survey_link(&id)
            .unwrap_or_else(|| format!("/s/{id}")),
        shell,
        title: survey.title.best(lang).to_string(),
        status: survey.status.as_str(),
        status_label: lang.t(&format!("builder-status-{}", survey.status.as_str())),
        version: survey.version,
        revision,
        responses,
        languages: lang_cols(lang, langs),
        context,
        saved,
        gone: view.gone,
        refused_form,
        order,
        sections,
        pending,
        kinds: QuestionKind::NAMES
            .iter()
            .map(|k| Opt::new(k.to_string(), lang.t(&format!("builder-kind-{k}"))))
            .collect(),
        section_choices,
        kind_carry,
        points: motesplats_core::survey::definition::SCALE_POINTS
            .map(|p| p.to_string())
            .collect(),
        add,
        new_section,
        details,
        phases: phase_opts(lang),
        channels: channel_opts(lang, channels),
        moves,
        id,
    }
}
