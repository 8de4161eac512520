//! The dashboard: the provider's touchpoints by channel and phase, and the latest ones.

use super::chart::{Bar, StackedBars};
use super::i18n::Lang;
use super::labels::Vocabulary;
use super::session::SignedIn;
use super::{Shell, channel_name, local_time, phase_name};
use crate::error::ApiError;
use crate::state::AppState;
use crate::ui::i18n::Messages;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use motesplats_core::{PageRequest, Phase, Touchpoint, number};
use motesplats_store::TouchpointFilter;
use std::collections::BTreeMap;

/// A touchpoint as a table row.
pub struct Line {
    pub when: String,
    pub channel: String,
    pub uncontrolled: bool,
    pub kind: String,
    pub phase: String,
    /// None for a moment after arrival, until stitching has placed it.
    pub profile_id: Option<String>,
}

impl Line {
    pub fn of(lang: Lang, t: &Touchpoint, words: &Vocabulary, time_zone: &str) -> Line {
        let channels = &words.channels;
        Line {
            // A day from a date-only source is shown without an invented time.
            when: t.occurred_on.map_or_else(
                || local_time(t.occurred_at, time_zone),
                |d| d.format("%Y-%m-%d").to_string(),
            ),
            uncontrolled: channels.iter().any(|c| c.key == t.channel && !c.controlled),
            channel: channel_name(lang, t.channel.as_str(), channels),
            kind: words.event(&t.kind, lang),
            phase: phase_name(lang, t.phase),
            profile_id: t.profile_id.map(|p| p.to_string()),
        }
    }
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    shell: Shell,
    total: String,
    channels_used: usize,
    phase_totals: Vec<(String, String)>,
    chart: String,
    recent: Vec<Line>,
}

/// Series of the channel chart: the three phases, then touchpoints without one.
const SERIES: [(Option<Phase>, &str); 4] = [
    (Some(Phase::Before), "phase-before"),
    (Some(Phase::During), "phase-during"),
    (Some(Phase::After), "phase-after"),
    (None, "phase-none"),
];

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
) -> Result<Html<String>, ApiError> {
    let me = who.provider.id;
    let counts = state.store.touchpoint_counts(me).await?;
    let words = Vocabulary::of(state.store.as_ref(), me).await?;
    let channels = &words.channels;
    let uncontrolled = |key: &str| {
        channels
            .iter()
            .any(|c| c.key.as_str() == key && !c.controlled)
    };

    let mut by_channel: BTreeMap<&str, [u64; 4]> = BTreeMap::new();
    for c in &counts {
        let slot = SERIES.iter().position(|(p, _)| *p == c.phase).unwrap_or(3);
        by_channel.entry(c.channel.as_str()).or_default()[slot] += c.count;
    }
    let mut bars: Vec<Bar> = by_channel
        .iter()
        .map(|(key, values)| Bar {
            label: channel_name(lang, key, channels),
            marked: uncontrolled(key),
            values: values.to_vec(),
        })
        .collect();
    bars.sort_by_key(|b| std::cmp::Reverse(b.values.iter().sum::<u64>()));
    let series: Vec<(&'static str, String)> = SERIES
        .iter()
        .map(|(p, key)| (p.map_or("phase-none", |p| phase_class(p)), lang.t(key)))
        .collect();
    let chart = StackedBars::new(
        lang,
        "channel-chart",
        lang.t("by-channel-title"),
        &series,
        bars,
    );
    let chart = chart
        .render()
        .map_err(|e| ApiError::Internal(e.to_string()))?;

    let written = |n: u64| number::integer(n, lang);
    let phase_totals = SERIES
        .iter()
        .map(|(p, _)| {
            (
                phase_name(lang, *p),
                written(
                    counts
                        .iter()
                        .filter(|c| c.phase == *p)
                        .map(|c| c.count)
                        .sum(),
                ),
            )
        })
        .collect();
    let filter = TouchpointFilter {
        page: PageRequest {
            limit: 12,
            after: None,
        },
        newest_first: true,
        by_occurrence: true,
        ..Default::default()
    };
    let recent = state
        .store
        .touchpoints(me, &filter)
        .await?
        .iter()
        .map(|t| Line::of(lang, t, &words, &who.provider.time_zone))
        .collect();
    let page = DashboardPage {
        shell: Shell::signed_in(lang, "/dashboard", &who),
        total: written(counts.iter().map(|c| c.count).sum()),
        channels_used: by_channel.len(),
        phase_totals,
        chart,
        recent,
    };
    Ok(Html(
        page.render()
            .map_err(|e| ApiError::Internal(e.to_string()))?,
    ))
}

pub fn phase_class(p: Phase) -> &'static str {
    match p {
        Phase::Before => "phase-before",
        Phase::During => "phase-during",
        Phase::After => "phase-after",
    }
}
