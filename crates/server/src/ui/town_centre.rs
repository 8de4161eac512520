//! The town-centre page: the journeys of a network's members together, as far as the
//! network agreed to share them, with a period and the network to show.

use super::Shell;
use super::i18n::{Lang, Messages};
use super::journeys::{mix_chart, quick_periods, sankey, trend_chart};
use super::labels::Vocabulary;
use super::session::SignedIn;
use crate::error::ApiError;
use crate::figures::FilterQuery;
use crate::state::AppState;
use crate::town_centre;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use motesplats_core::journey::PeriodUnit;
use motesplats_core::{NetworkId, number};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct Asked {
    network: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

struct Shown {
    journeys: String,
    persons: String,
    touchpoints: String,
    withheld: String,
    trend: String,
    mix_chart: String,
    /// None where the network does not share channel flows.
    sankey: Option<String>,
}

#[derive(Template)]
#[template(path = "town_centre.html")]
struct TownCentrePage {
    shell: Shell,
    /// (id, name) of the caller's networks.
    networks: Vec<(String, String)>,
    network: String,
    from: String,
    to: String,
    quick: Vec<(String, String)>,
    problems: Vec<String>,
    /// Why nothing is shown: the network does not share journey figures.
    refused: Option<String>,
    shown: Option<Shown>,
}

/// `GET /town-centre[?network&from&to]`
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Query(q): Query<Asked>,
) -> Result<Response, ApiError> {
    let me = who.provider.id;
    let store = state.store.as_ref();
    let networks = store.networks(me).await?;
    let chosen = q
        .network
        .as_deref()
        .and_then(|id| id.parse::<NetworkId>().ok())
        .and_then(|id| networks.iter().find(|n| n.id == id))
        .or(networks.first());
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let network = chosen.map(|n| n.id.to_string()).unwrap_or_default();
    let at = |from: &str, to: &str| {
        let q = [("network", network.as_str()), ("from", from), ("to", to)];
        let q: Vec<_> = q.into_iter().filter(|(_, v)| !v.is_empty()).collect();
        format!(
            "/town-centre?{}",
            serde_urlencoded::to_string(q).unwrap_or_default()
        )
    };
    let today = Utc::now()
        .with_timezone(
            &who.provider
                .time_zone
                .parse()
                .unwrap_or(chrono_tz::Europe::Stockholm),
        )
        .date_naive();
    let (mut problems, mut refused, mut shown) = (Vec::new(), None, None);
    if let Some(n) = chosen {
        let asked = FilterQuery {
            from: q.from.clone(),
            to: q.to.clone(),
            channel: None,
        };
        match town_centre::figures(&state, me, n.id, asked, PeriodUnit::Week).await {
            Ok(f) => {
                let words = Vocabulary::of(store, me).await?;
                let fig = &f.figures;
                let mut rows = fig.mix.clone();
                rows.sort_by_key(|m| std::cmp::Reverse(m.before + m.during + m.after));
                let written = |v: u64| number::integer(v, lang);
                shown = Some(Shown {
                    journeys: written(fig.journeys),
                    persons: written(fig.persons),
                    touchpoints: written(fig.touchpoints),
                    withheld: written(f.withheld),
                    trend: trend_chart(lang, fig)?.0,
                    mix_chart: mix_chart(lang, &words, &rows)?,
                    sankey: f
                        .flows_shared
                        .then(|| sankey(lang, &words, fig))
                        .transpose()?,
                });
            }
            Err(ApiError::NotShared(e)) => {
                refused = Some(e.0.iter().map(|e| lang.reason(&e.reason)).collect());
            }
            Err(ApiError::BadParameters(e)) => {
                problems =
                    e.0.iter()
                        .map(|e| {
                            format!(
                                "{}: {}",
                                lang.t(&format!("journeys-{}", e.field)),
                                lang.reason(&e.reason)
                            )
                        })
                        .collect();
            }
            Err(e) => return Err(e),
        }
    }
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = TownCentrePage {
        shell: Shell::signed_in(lang, "/town-centre", &who),
        networks: networks
            .iter()
            .map(|n| (n.id.to_string(), n.name.clone()))
            .collect(),
        network: network.clone(),
        from: text(&q.from),
        to: text(&q.to),
        quick: quick_periods(lang, today, at),
        problems,
        refused,
        shown,
    };
    let html = page
        .render()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((status, Html(html)).into_response())
}
