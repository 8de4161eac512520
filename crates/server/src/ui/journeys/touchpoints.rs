//! The touchpoints behind one count of the channel mix: the selected journeys'
//! touchpoints in one channel and phase, the first of them read through the store
//! (so each read is in the person's access log).

use crate::error::ApiError;
use crate::figures::{FilterQuery, SegmentQuery, on_selection};
use crate::state::AppState;
use crate::ui::Shell;
use crate::ui::channel_name;
use crate::ui::dashboard::Line;
use crate::ui::i18n::Lang;
use crate::ui::labels::Vocabulary;
use crate::ui::phase_name;
use crate::ui::session::SignedIn;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use motesplats_core::invalid::Checker;
use motesplats_core::journey::phase_code;
use motesplats_core::reason::List;
use motesplats_core::{Phase, Reason, TouchpointId, number};
use serde::Deserialize;

/// The most touchpoints listed.
const SHOWN: usize = 100;

#[derive(Debug, Deserialize)]
pub struct CellQuery {
    channel: Option<String>,
    phase: Option<String>,
    from: Option<String>,
    to: Option<String>,
    /// The page's channel filter: only journeys with a touchpoint in it.
    via: Option<String>,
    /// The page's segment.
    segment: Option<String>,
}

#[derive(Template)]
#[template(path = "journey_touchpoints.html")]
struct CellPage {
    shell: Shell,
    heading: String,
    total: String,
    cut: bool,
    back: String,
    lines: Vec<Line>,
}

/// `GET /journeys/touchpoints`
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Query(q): Query<CellQuery>,
) -> Result<Html<String>, ApiError> {
    let me = who.provider.id;
    let phases = [Phase::Before, Phase::During, Phase::After];
    let mut c = Checker::new();
    let channel = q.channel.clone().filter(|c| !c.is_empty());
    if channel.is_none() {
        c.fail("channel", Reason::Required);
    }
    let phase = phases
        .into_iter()
        .find(|p| q.phase.as_deref() == Some(p.as_str()));
    if phase.is_none() {
        c.fail(
            "phase",
            Reason::OneOf {
                value: q.phase.clone().unwrap_or_default(),
                allowed: List::of(phases.iter().map(|p| p.as_str())),
            },
        );
    }
    c.finish().map_err(ApiError::BadParameters)?;
    let (Some(channel), Some(phase)) = (channel, phase) else {
        return Err(ApiError::NotFound);
    };
    let asked = FilterQuery {
        from: q.from.clone(),
        to: q.to.clone(),
        channel: q.via.clone(),
    };
    let key = channel.clone();
    let segment = SegmentQuery {
        segment: q.segment.clone(),
    }
    .named(&state, me)
    .await?;
    let (total, ids) = on_selection(&state, me, asked, segment, move |p, filter, _| {
        if !p.has_channel(&key) {
            return Err(ApiError::BadParameters(motesplats_core::Invalid::one(
                "channel",
                Reason::UnknownChannel { value: key },
            )));
        }
        let filter = filter.map_err(|e| match e {
            ApiError::BadParameters(e) => ApiError::BadParameters(rename(e, "channel", "via")),
            e => e,
        })?;
        let code = p.log.channels.find(&key);
        let want = phase_code(Some(phase));
        let mut ids: Vec<TouchpointId> = Vec::new();
        let mut total = 0u64;
        for j in filter.select(&p.log, &p.placed) {
            for r in p.placed.journeys[j as usize].rows() {
                if Some(p.log.channel[r]) == code && p.placed.phase[r] == want {
                    total += 1;
                    if ids.len() < SHOWN {
                        ids.push(p.log.id[r]);
                    }
                }
            }
        }
        Ok((total, ids))
    })
    .await?;
    let words = Vocabulary::of(state.store.as_ref(), me).await?;
    let mut lines = Vec::with_capacity(ids.len());
    for id in ids {
        // Read one by one through the store, which logs each read for the person.
        if let Some(t) = state.store.touchpoint(me, id).await? {
            lines.push(Line::of(lang, &t, &words, &who.provider.time_zone));
        }
    }
    let back: Vec<(&str, &str)> = [
        ("from", &q.from),
        ("to", &q.to),
        ("channel", &q.via),
        ("segment", &q.segment),
    ]
    .into_iter()
    .filter_map(|(k, v)| Some((k, v.as_deref().filter(|v| !v.is_empty())?)))
    .collect();
    let page = CellPage {
        shell: Shell::signed_in(lang, "/journeys/touchpoints", &who),
        heading: format!(
            "{} · {}",
            channel_name(lang, &channel, &words.channels),
            phase_name(lang, Some(phase))
        ),
        total: number::integer(total, lang),
        cut: total > SHOWN as u64,
        back: format!(
            "/journeys?{}",
            serde_urlencoded::to_string(back).unwrap_or_default()
        ),
        lines,
    };
    Ok(Html(
        page.render()
            .map_err(|e| ApiError::Internal(e.to_string()))?,
    ))
}

/// The same refusal with one field renamed: the page's `channel` is this one's `via`.
fn rename(e: motesplats_core::Invalid, from: &str, to: &str) -> motesplats_core::Invalid {
    motesplats_core::Invalid(
        e.0.into_iter()
            .map(|mut f| {
                if f.field == from {
                    f.field = to.to_string();
                }
                f
            })
            .collect(),
    )
}
