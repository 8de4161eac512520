//! The dashboard: a period's journeys at a glance (journeys, persons, how long people
//! take, how many come back, how much happens where the provider does not decide, why
//! people came), the trend and the channel mix from the placement kept in memory, and
//! the touchpoints that arrived last, from the store.

use super::chart::percent;
use super::i18n::Lang;
use super::journeys::{duration, mix_chart, quick_periods, trend_chart};
use super::labels::Vocabulary;
use super::session::SignedIn;
use super::{Shell, channel_name, local_time, phase_name};
use crate::error::ApiError;
use crate::figures::{FilterQuery, on_selection};
use crate::state::AppState;
use crate::ui::i18n::Messages;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use motesplats_core::journey::PeriodUnit;
use motesplats_core::{Label, PageRequest, Phase, Touchpoint, number};
use motesplats_store::TouchpointFilter;
use serde::Deserialize;

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
    from: String,
    to: String,
    problems: Vec<String>,
    quick: Vec<(String, String)>,
    glance: Option<Glance>,
    recent: Vec<Line>,
}

/// The journey figures of the period at a glance, from the kept placement.
struct Glance {
    /// The journeys page with the same period.
    more: String,
    journeys: String,
    persons: String,
    touchpoints: String,
    outside: String,
    lead_median: String,
    returning: String,
    uncontrolled_before: String,
    motivations: Vec<(String, String)>,
    trend: String,
    trend_cut: bool,
    mix_chart: String,
}

/// The period as the address carries it.
#[derive(Debug, Default, Deserialize)]
pub struct Period {
    from: Option<String>,
    to: Option<String>,
}

/// `GET /dashboard[?from&to]`: the figures come from the journeys kept in memory and
/// worked out in the background, so the page reads no touchpoint but the last arrivals.
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Query(period): Query<Period>,
) -> Result<Response, ApiError> {
    let me = who.provider.id;
    let words = Vocabulary::of(state.store.as_ref(), me).await?;
    let asked = FilterQuery {
        from: period.from.clone(),
        to: period.to.clone(),
        channel: None,
    };
    let (today, seen) = on_selection(&state, me, asked, None, |p, filter, key| {
        let today = Utc::now().with_timezone(&p.clock.zone()).date_naive();
        let seen = filter.map(|f| {
            let figures = p.figures(&key, &f, PeriodUnit::Week);
            (figures, p.landscape(&key, &f), p.outside())
        });
        Ok((today, seen))
    })
    .await?;
    let written = |n: u64| number::integer(n, lang);
    let share = |part: u64, whole: u64| {
        if whole == 0 {
            "–".to_string()
        } else {
            percent(part as f64 / whole as f64, lang)
        }
    };
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let at = |from: &str, to: &str| {
        let q = [("from", from), ("to", to)];
        let q: Vec<_> = q.into_iter().filter(|(_, v)| !v.is_empty()).collect();
        serde_urlencoded::to_string(q).unwrap_or_default()
    };
    let (problems, glance) = match seen {
        Err(ApiError::BadParameters(e)) => (
            e.0.iter()
                .map(|e| {
                    format!(
                        "{}: {}",
                        lang.t(&format!("journeys-{}", e.field)),
                        lang.reason(&e.reason)
                    )
                })
                .collect(),
            None,
        ),
        Err(e) => return Err(e),
        Ok((fig, landscape, outside)) => {
            let (trend, trend_cut) = trend_chart(lang, &fig)?;
            let mut rows = fig.mix.clone();
            rows.sort_by_key(|m| std::cmp::Reverse(m.before + m.during + m.after));
            let before = fig
                .own_and_uncontrolled
                .iter()
                .find(|o| o.phase == Phase::Before);
            let returning: u64 = fig.repeat.by_count[1..].iter().sum();
            let glance = Glance {
                more: format!("/journeys?{}", at(&text(&period.from), &text(&period.to))),
                journeys: written(fig.journeys),
                persons: written(fig.persons),
                touchpoints: written(fig.touchpoints),
                outside: written(outside),
                lead_median: fig
                    .lead_time
                    .median_hours
                    .map_or_else(|| "–".into(), |h| duration(h * 60.0, lang)),
                returning: share(returning, fig.repeat.persons),
                uncontrolled_before: before.map_or_else(
                    || "–".into(),
                    |b| share(b.uncontrolled, b.own + b.uncontrolled),
                ),
                motivations: landscape
                    .mix
                    .iter()
                    .map(|m| {
                        let name = m.motivation.map_or_else(
                            || lang.t("landscape-unknown"),
                            |m| m.label(lang).to_string(),
                        );
                        (name, share(m.journeys, landscape.journeys))
                    })
                    .collect(),
                trend,
                trend_cut,
                mix_chart: mix_chart(lang, &words, &rows)?,
            };
            (Vec::new(), Some(glance))
        }
    };
    // What arrived last, stitched or not: a live list read from the store in the order
    // of its clustered key, so the read costs the same for ten touchpoints or ten million
    // (by time of occurrence it would sort the provider's whole table).
    let filter = TouchpointFilter {
        page: PageRequest {
            limit: 12,
            after: None,
        },
        newest_first: true,
        ..Default::default()
    };
    let recent = state
        .store
        .touchpoints(me, &filter)
        .await?
        .iter()
        .map(|t| Line::of(lang, t, &words, &who.provider.time_zone))
        .collect();
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = DashboardPage {
        shell: Shell::signed_in(lang, "/dashboard", &who),
        from: text(&period.from),
        to: text(&period.to),
        problems,
        quick: quick_periods(lang, today, |from, to| {
            format!("/dashboard?{}", at(from, to))
        }),
        glance,
        recent,
    };
    let html = page
        .render()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((status, Html(html)).into_response())
}

pub fn phase_class(p: Phase) -> &'static str {
    match p {
        Phase::Before => "phase-before",
        Phase::During => "phase-during",
        Phase::After => "phase-after",
    }
}
