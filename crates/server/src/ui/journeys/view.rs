//! The journeys page drawn: the engines' figures in the reader's words and numbers,
//! charts laid out by `chart.rs` and `sankey.rs`.

use super::{Computed, Figures, PageQuery, field_label, said};
use crate::error::ApiError;
use crate::figures::UNITS;
use crate::ui::Shell;
use crate::ui::chart::{Bar, StackedBars, percent};
use crate::ui::dashboard::phase_class;
use crate::ui::i18n::{Lang, Messages};
use crate::ui::labels::Vocabulary;
use crate::ui::sankey::{Route, Sankey};
use crate::ui::session::SignedIn;
use crate::ui::{channel_name, phase_name};
use askama::Template;
use chrono::Days;
use chrono::NaiveDate;
use motesplats_core::attribution::Model;
use motesplats_core::journey::motivation::Conditions;
use motesplats_core::journey::{ChannelMix, JourneyFigures, PressureBand};
use motesplats_core::number::{decimal, integer};
use motesplats_core::{Label, Motivation, Phase, TouchpointKind};

const PHASES: [Phase; 3] = [Phase::Before, Phase::During, Phase::After];
/// The most trend periods drawn; a long trend shows its latest.
const TREND_BARS: usize = 53;

#[derive(Template)]
#[template(path = "journeys.html")]
struct JourneysPage {
    shell: Shell,
    q: Typed,
    problems: Vec<String>,
    channels: Vec<(String, String)>,
    segments: Vec<(String, String)>,
    units: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    quick: Vec<(String, String)>,
    shown: Option<Shown>,
}

/// The form's values as typed, and the reasons beside each input.
#[derive(Default)]
struct Typed {
    from: String,
    to: String,
    channel: String,
    segment: String,
    unit: String,
    steps: [String; 3],
    outcome: String,
    errors: Vec<(String, String)>,
}

impl Typed {
    fn errors(&self, field: &str) -> Vec<&str> {
        self.errors
            .iter()
            .filter(|(f, _)| f == field || f.starts_with(&format!("{field}.")))
            .map(|(_, r)| r.as_str())
            .collect()
    }
}

struct MixRow {
    channel: String,
    uncontrolled: bool,
    /// Per phase: the count and the address of the touchpoints behind it.
    cells: Vec<(String, String)>,
}

struct FunnelRow {
    kind: String,
    journeys: String,
    conversion: String,
    median: String,
}

struct Credits {
    outcome: String,
    outcomes: String,
    unattributed: String,
    /// Each model's name and what it does.
    models: Vec<(String, String)>,
    /// A channel in words and its credit in each model.
    rows: Vec<(String, Vec<String>)>,
}

struct Shown {
    journeys: String,
    persons: String,
    touchpoints: String,
    trend: String,
    trend_cut: bool,
    mix_chart: String,
    mix: Vec<MixRow>,
    own: Vec<(String, String, String)>,
    sankey: String,
    paths: Vec<(String, String)>,
    lead: Vec<(String, String)>,
    lead_median: String,
    repeat: Vec<(String, String)>,
    funnel: Option<(String, Vec<FunnelRow>)>,
    credits: Credits,
    landscape: Landscape,
}

/// The value landscape in words: why journeys were made, by which rule, how message
/// pressure goes with coming back and buying, and what people themselves said.
struct Landscape {
    chart: String,
    /// Each motivation (unknown last): its name, journeys, persons and share.
    mix: Vec<[String; 4]>,
    /// Each rule that decided: its key, motivation, conditions and journeys.
    rules: Vec<[String; 4]>,
    /// The motivations' names, as the pressure table's columns.
    motivations: Vec<String>,
    /// Each band: its name, and per motivation the return and purchase rates.
    pressure: Vec<(String, Vec<String>)>,
    /// Each band: its name, and per motivation the mean survey score (responses).
    scores: Vec<(String, Vec<String>)>,
    asked: Option<Asked>,
}

struct Asked {
    agreement: String,
    compared: String,
    without: String,
    /// Answered, classified, answers.
    cells: Vec<[String; 3]>,
}

pub(super) fn render(
    lang: Lang,
    who: &SignedIn,
    words: &Vocabulary,
    q: &PageQuery,
    computed: Computed,
) -> Result<String, ApiError> {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let kind_words = |k: &str| {
        TouchpointKind::parse(k).map_or_else(|_| k.to_string(), |t| words.event(&t, lang))
    };
    let problems = computed
        .errors
        .iter()
        .map(|e| format!("{}: {}", field_label(lang, &e.field), said(lang, e)))
        .collect();
    let typed = Typed {
        from: text(&q.from),
        to: text(&q.to),
        channel: text(&q.channel),
        segment: text(&q.segment),
        unit: q.unit.clone().unwrap_or_else(|| "week".into()),
        steps: [text(&q.step1), text(&q.step2), text(&q.step3)],
        outcome: q.outcome.clone().unwrap_or_else(|| "purchase".into()),
        errors: computed
            .errors
            .iter()
            .map(|e| (e.field.clone(), said(lang, e)))
            .collect(),
    };
    let mut kinds: Vec<(String, String)> = computed
        .kinds
        .iter()
        .map(|k| (k.clone(), kind_words(k)))
        .collect();
    // The outcome is offered even before any touchpoint has its kind.
    if !kinds.iter().any(|(k, _)| *k == typed.outcome) {
        kinds.push((typed.outcome.clone(), kind_words(&typed.outcome)));
    }
    kinds.sort_by(|a, b| a.1.cmp(&b.1));
    let quick = quick_periods(lang, computed.today, |from, to| address(q, from, to));
    let page = JourneysPage {
        shell: Shell::signed_in(lang, "/journeys", who),
        problems,
        channels: words
            .channels
            .iter()
            .map(|c| {
                let key = c.key.as_str();
                (key.to_string(), channel_name(lang, key, &words.channels))
            })
            .collect(),
        segments: computed
            .segments
            .iter()
            .map(|s| (s.id.to_string(), s.name.clone()))
            .collect(),
        units: UNITS
            .iter()
            .map(|(u, _)| (u.to_string(), lang.t(&format!("journeys-unit-{u}"))))
            .collect(),
        kinds,
        quick,
        shown: computed
            .figures
            .map(|f| shown(lang, words, q, f, &kind_words))
            .transpose()?,
        q: typed,
    };
    page.render().map_err(|e| ApiError::Internal(e.to_string()))
}

/// The page's address with another period, the rest of the form kept.
fn address(q: &PageQuery, from: &str, to: &str) -> String {
    let mut q = q.clone();
    q.from = Some(from.to_string());
    q.to = Some(to.to_string());
    format!(
        "/journeys?{}",
        serde_urlencoded::to_string(&q).unwrap_or_default()
    )
}

fn svg(t: impl Template) -> Result<String, ApiError> {
    t.render().map_err(|e| ApiError::Internal(e.to_string()))
}

/// The journeys per period (the latest `TREND_BARS`), and whether older ones were left out.
pub(crate) fn trend_chart(lang: Lang, fig: &JourneyFigures) -> Result<(String, bool), ApiError> {
    let periods = &fig.trend[fig.trend.len().saturating_sub(TREND_BARS)..];
    let chart = StackedBars::new(
        lang,
        "trend-chart",
        lang.t("journeys-trend"),
        &[("phase-during", lang.t("journeys-journeys"))],
        periods
            .iter()
            .map(|p| Bar {
                label: p.start.to_string(),
                marked: false,
                values: vec![p.journeys],
            })
            .collect(),
    );
    Ok((svg(chart)?, periods.len() < fig.trend.len()))
}

/// Each channel's touchpoints before, during and after, in the order of `rows`;
/// channels the provider does not control are marked.
pub(crate) fn mix_chart(
    lang: Lang,
    words: &Vocabulary,
    rows: &[ChannelMix],
) -> Result<String, ApiError> {
    let series: Vec<(&'static str, String)> = PHASES
        .iter()
        .map(|p| (phase_class(*p), phase_name(lang, Some(*p))))
        .collect();
    svg(StackedBars::new(
        lang,
        "mix-chart",
        lang.t("journeys-mix"),
        &series,
        rows.iter()
            .map(|m| Bar {
                label: channel_name(lang, &m.channel, &words.channels),
                marked: !m.controlled,
                values: vec![m.before, m.during, m.after],
            })
            .collect(),
    ))
}

/// Where journeys came from, where the meeting was and where they went next.
pub(crate) fn sankey(
    lang: Lang,
    words: &Vocabulary,
    fig: &JourneyFigures,
) -> Result<String, ApiError> {
    let channel = |k: &str| channel_name(lang, k, &words.channels);
    let nothing = [
        lang.t("journeys-nothing-before"),
        lang.t("journeys-nothing-after"),
    ];
    let routes: Vec<Route> = fig
        .meeting_flows
        .iter()
        .map(|m| Route {
            came_from: m.came_from.as_deref().map(channel),
            met_in: channel(&m.met_in),
            went_to: m.went_to.as_deref().map(channel),
            journeys: m.journeys,
        })
        .collect();
    svg(Sankey::new(
        lang,
        "sankey",
        lang.t("journeys-flows"),
        nothing,
        &routes,
    ))
}

/// The quick periods: the last 7, 30 and 90 days to `today`, and all, each as its
/// label and the address `at` makes of its first and last day (empty: open).
pub(crate) fn quick_periods(
    lang: Lang,
    today: NaiveDate,
    at: impl Fn(&str, &str) -> String,
) -> Vec<(String, String)> {
    [
        (7u64, "journeys-last-7"),
        (30, "journeys-last-30"),
        (90, "journeys-last-90"),
    ]
    .into_iter()
    .map(|(days, key)| {
        let from = today - Days::new(days - 1);
        (lang.t(key), at(&from.to_string(), &today.to_string()))
    })
    .chain([(lang.t("journeys-all"), at("", ""))])
    .collect()
}

fn shown(
    lang: Lang,
    words: &Vocabulary,
    q: &PageQuery,
    f: Figures,
    kind_words: &dyn Fn(&str) -> String,
) -> Result<Shown, ApiError> {
    let n = |v: u64| integer(v, lang);
    let channel = |k: &str| channel_name(lang, k, &words.channels);
    let landscape = landscape(lang, words, kind_words, &f)?;
    let fig = f.figures.as_ref();

    let (trend, trend_cut) = trend_chart(lang, fig)?;
    let mut mix_rows = fig.mix.clone();
    mix_rows.sort_by_key(|m| std::cmp::Reverse(m.before + m.during + m.after));
    let mix_chart = mix_chart(lang, words, &mix_rows)?;
    let drill = |key: &str, phase: Phase| {
        let query = [
            ("channel", Some(key)),
            ("phase", Some(phase.as_str())),
            ("from", q.from.as_deref()),
            ("to", q.to.as_deref()),
            ("via", q.channel.as_deref()),
            ("segment", q.segment.as_deref()),
        ];
        let query: Vec<(&str, &str)> = query
            .into_iter()
            .filter_map(|(k, v)| Some((k, v.filter(|v| !v.is_empty())?)))
            .collect();
        format!(
            "/journeys/touchpoints?{}",
            serde_urlencoded::to_string(query).unwrap_or_default()
        )
    };
    let mix = mix_rows
        .iter()
        .map(|m| MixRow {
            channel: channel(&m.channel),
            uncontrolled: !m.controlled,
            cells: [m.before, m.during, m.after]
                .into_iter()
                .zip(PHASES)
                .map(|(v, p)| (n(v), drill(&m.channel, p)))
                .collect(),
        })
        .collect();

    let sankey = sankey(lang, words, fig)?;

    let lead = &fig.lead_time;
    let funnel = match f.funnel {
        None => None,
        Some(steps) => {
            let chart = StackedBars::new(
                lang,
                "funnel-chart",
                lang.t("journeys-funnel"),
                &[("phase-during", lang.t("journeys-journeys"))],
                steps
                    .iter()
                    .map(|s| Bar {
                        label: kind_words(&s.kind),
                        marked: false,
                        values: vec![s.journeys],
                    })
                    .collect(),
            );
            let rows = steps
                .iter()
                .map(|s| FunnelRow {
                    kind: kind_words(&s.kind),
                    journeys: n(s.journeys),
                    conversion: s
                        .conversion
                        .map_or_else(|| "–".into(), |c| percent(c, lang)),
                    median: s
                        .median_minutes
                        .map_or_else(|| "–".into(), |m| duration(m, lang)),
                })
                .collect();
            Some((svg(chart)?, rows))
        }
    };

    let a = &f.attribution;
    let mut channels: Vec<&str> = a
        .models
        .iter()
        .flat_map(|m| m.channels.iter().map(|c| c.channel.as_str()))
        .collect();
    channels.sort_unstable();
    channels.dedup();
    let credit = |model: &Model, ch: &str| {
        a.models
            .iter()
            .find(|m| m.model == *model)
            .and_then(|m| m.channels.iter().find(|c| c.channel == ch))
            .map_or(0.0, |c| c.credit)
    };
    let mut rows: Vec<(f64, String, Vec<String>)> = channels
        .iter()
        .map(|ch| {
            let credits: Vec<f64> = Model::ALL.iter().map(|m| credit(m, ch)).collect();
            let cells = credits.iter().map(|c| decimal(*c, 1, lang)).collect();
            (credits.iter().sum::<f64>(), channel(ch), cells)
        })
        .collect();
    rows.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    let credits = Credits {
        outcome: kind_words(&a.outcome),
        outcomes: n(a.outcomes),
        unattributed: n(a.unattributed),
        models: Model::ALL
            .iter()
            .map(|m| {
                let key = model_key(*m);
                (
                    lang.t(&format!("journeys-model-{key}")),
                    lang.t(&format!("journeys-model-{key}-how")),
                )
            })
            .collect(),
        rows: rows.into_iter().map(|(_, c, cells)| (c, cells)).collect(),
    };

    Ok(Shown {
        journeys: n(fig.journeys),
        persons: n(fig.persons),
        touchpoints: n(fig.touchpoints),
        trend_cut,
        trend,
        mix_chart,
        mix,
        own: fig
            .own_and_uncontrolled
            .iter()
            .map(|o| (phase_name(lang, Some(o.phase)), n(o.own), n(o.uncontrolled)))
            .collect(),
        sankey,
        paths: fig
            .paths
            .iter()
            .map(|p| {
                let mut path: Vec<String> = p.channels.iter().map(|c| channel(c)).collect();
                if p.longer {
                    path.push("…".into());
                }
                (path.join(" → "), n(p.journeys))
            })
            .collect(),
        lead: (0..6)
            .map(|i| {
                let key = format!("journeys-lead-{i}");
                (lang.t(&key), n(lead.buckets[i]))
            })
            .collect(),
        lead_median: lead
            .median_hours
            .map_or_else(|| "–".into(), |h| duration(h * 60.0, lang)),
        repeat: (0..4)
            .map(|i| {
                let key = format!("journeys-repeat-{}", i + 1);
                (lang.t(&key), n(fig.repeat.by_count[i]))
            })
            .collect(),
        funnel,
        credits,
        landscape,
    })
}

/// The name of a classified motivation, unknown when no rule held.
fn motivation_name(lang: Lang, m: Option<Motivation>) -> String {
    m.map_or_else(
        || lang.t("landscape-unknown"),
        |m| m.label(lang).to_string(),
    )
}

/// A rule's conditions in the reader's words, joined by semicolons.
fn when_in_words(
    lang: Lang,
    words: &Vocabulary,
    kind_words: &dyn Fn(&str) -> String,
    c: &Conditions,
) -> String {
    let mut out = Vec::new();
    for (flag, yes, no) in [
        (c.event, "landscape-when-event", "landscape-when-no-event"),
        (
            c.occasion,
            "landscape-when-occasion",
            "landscape-when-no-occasion",
        ),
        (
            c.shared,
            "landscape-when-shared",
            "landscape-when-not-shared",
        ),
    ] {
        if let Some(f) = flag {
            out.push(lang.t(if f { yes } else { no }));
        }
    }
    for (n, key) in [
        (c.party_min, "landscape-when-party-min"),
        (c.party_max, "landscape-when-party-max"),
        (c.nights_min, "landscape-when-nights-min"),
        (c.dwell_minutes_min, "landscape-when-dwell-min"),
        (c.dwell_minutes_max, "landscape-when-dwell-max"),
        (c.before_steps_min, "landscape-when-before-min"),
        (c.before_steps_max, "landscape-when-before-max"),
        (c.lead_hours_min, "landscape-when-lead-min"),
        (c.lead_hours_max, "landscape-when-lead-max"),
    ] {
        if let Some(n) = n {
            out.push(lang.t_text(key, &[("n", integer(u64::from(n), lang))]));
        }
    }
    let said = |key: &str, named: Vec<String>| lang.t_text(key, &[("list", named.join(", "))]);
    for (list, key) in [
        (&c.anchor_kinds, "landscape-when-anchor-kinds"),
        (&c.any_kinds, "landscape-when-any-kinds"),
    ] {
        if let Some(l) = list {
            out.push(said(key, l.iter().map(|k| kind_words(k)).collect()));
        }
    }
    for (list, key) in [
        (&c.anchor_channels, "landscape-when-anchor-channels"),
        (&c.any_channels, "landscape-when-any-channels"),
    ] {
        if let Some(l) = list {
            let named = l.iter().map(|k| channel_name(lang, k, &words.channels));
            out.push(said(key, named.collect()));
        }
    }
    if out.is_empty() {
        lang.t("landscape-when-always")
    } else {
        out.join("; ")
    }
}

fn landscape(
    lang: Lang,
    words: &Vocabulary,
    kind_words: &dyn Fn(&str) -> String,
    f: &Figures,
) -> Result<Landscape, ApiError> {
    let n = |v: u64| integer(v, lang);
    let l = &f.landscape;
    let share = |part: u64, whole: u64| {
        if whole == 0 {
            "–".to_string()
        } else {
            percent(part as f64 / whole as f64, lang)
        }
    };
    let columns: Vec<Option<Motivation>> = Motivation::ALL
        .iter()
        .map(|m| Some(*m))
        .chain([None])
        .collect();
    let series: Vec<(&'static str, String)> = columns
        .iter()
        .zip(["phase-before", "phase-during", "phase-after", "phase-none"])
        .map(|(m, class)| (class, motivation_name(lang, *m)))
        .collect();
    let chart = StackedBars::new(
        lang,
        "pressure-chart",
        lang.t("landscape-chart"),
        &series,
        PressureBand::ALL
            .iter()
            .map(|band| Bar {
                label: lang.t(&format!("landscape-band-{}", band.as_str())),
                marked: false,
                values: columns
                    .iter()
                    .map(|m| {
                        l.pressure
                            .iter()
                            .find(|c| c.band == *band && c.motivation == *m)
                            .map_or(0, |c| c.journeys)
                    })
                    .collect(),
            })
            .collect(),
    );
    let pressure = PressureBand::ALL
        .iter()
        .map(|band| {
            let cells = columns
                .iter()
                .map(|m| {
                    l.pressure
                        .iter()
                        .find(|c| c.band == *band && c.motivation == *m)
                        .map_or_else(
                            || "–".to_string(),
                            |c| {
                                format!(
                                    "{} · {} ({})",
                                    percent(c.return_rate, lang),
                                    percent(c.purchase_rate, lang),
                                    n(c.journeys)
                                )
                            },
                        )
                })
                .collect();
            (lang.t(&format!("landscape-band-{}", band.as_str())), cells)
        })
        .collect();
    let scores = if f.asked.scores.is_empty() {
        Vec::new()
    } else {
        PressureBand::ALL
            .iter()
            .map(|band| {
                let cells = columns
                    .iter()
                    .map(|m| {
                        f.asked
                            .scores
                            .iter()
                            .find(|c| c.band == *band && c.motivation == *m)
                            .map_or_else(
                                || "–".to_string(),
                                |c| format!("{} ({})", decimal(c.mean, 0, lang), n(c.responses)),
                            )
                    })
                    .collect();
                (lang.t(&format!("landscape-band-{}", band.as_str())), cells)
            })
            .collect()
    };
    let asked = (f.asked.compared + f.asked.without_journey > 0).then(|| Asked {
        agreement: f
            .asked
            .agreement
            .map_or_else(|| "–".to_string(), |a| percent(a, lang)),
        compared: n(f.asked.compared),
        without: n(f.asked.without_journey),
        cells: f
            .asked
            .cells
            .iter()
            .map(|c| {
                let answered = Motivation::parse(&c.answered)
                    .map_or_else(|_| c.answered.clone(), |m| m.label(lang).to_string());
                [answered, motivation_name(lang, c.classified), n(c.answers)]
            })
            .collect(),
    });
    Ok(Landscape {
        chart: svg(chart)?,
        mix: l
            .mix
            .iter()
            .map(|m| {
                [
                    motivation_name(lang, m.motivation),
                    n(m.journeys),
                    n(m.persons),
                    share(m.journeys, l.journeys),
                ]
            })
            .collect(),
        rules: l
            .rules
            .iter()
            .map(|r| {
                let when = f
                    .rules
                    .rules
                    .iter()
                    .find(|x| x.key == r.rule)
                    .map(|x| when_in_words(lang, words, kind_words, &x.when))
                    .unwrap_or_default();
                [
                    r.rule.clone(),
                    r.motivation.label(lang).to_string(),
                    when,
                    n(r.journeys),
                ]
            })
            .collect(),
        motivations: columns.iter().map(|m| motivation_name(lang, *m)).collect(),
        pressure,
        scores,
        asked,
    })
}

/// The message key part of a model.
fn model_key(m: Model) -> &'static str {
    match m {
        Model::FirstTouch => "first-touch",
        Model::LastTouch => "last-touch",
        Model::Linear => "linear",
        Model::PositionBased => "position-based",
        Model::Markov => "markov",
    }
}

/// Minutes as minutes, hours or days, whichever reads best.
pub(crate) fn duration(minutes: f64, lang: Lang) -> String {
    let (value, key) = if minutes < 60.0 {
        (minutes, "journeys-minutes")
    } else if minutes < 48.0 * 60.0 {
        (minutes / 60.0, "journeys-hours")
    } else {
        (minutes / 1440.0, "journeys-days")
    };
    lang.t_text(key, &[("n", decimal(value, 1, lang))])
}
