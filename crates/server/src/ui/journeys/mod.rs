//! The journeys page: a period, channel and trend form over the provider's journey
//! figures (the same placement and engines as `GET /api/v1/journeys/*`), with the
//! funnel and attribution beside them, and the touchpoints behind each count.

mod touchpoints;
mod view;

pub use touchpoints::page as touchpoints;
pub(crate) use view::{duration, mix_chart, quick_periods, sankey, trend_chart};

use super::i18n::{Lang, Messages};
use super::labels::Vocabulary;
use super::session::SignedIn;
use crate::error::ApiError;
use crate::figures::{FilterQuery, funnel_steps, on_selection, outcome_kind, trend_unit};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::{NaiveDate, Utc};
use motesplats_core::invalid::Checker;
use motesplats_core::journey::motivation::MotivationRules;
use motesplats_core::journey::{
    AskedComparison, Attribution, BehaviourLandscape, FunnelStep, JourneyFigures, funnel,
};
use motesplats_core::segment::Segment;
use motesplats_core::{FieldError, Reason};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The page's form as the address carries it; every field may be missing or bad.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct PageQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    /// Only journeys with a touchpoint in this channel.
    pub channel: Option<String>,
    /// Only the journeys of this saved segment (its id).
    pub segment: Option<String>,
    pub unit: Option<String>,
    pub step1: Option<String>,
    pub step2: Option<String>,
    pub step3: Option<String>,
    pub outcome: Option<String>,
}

impl PageQuery {
    fn filter(&self) -> FilterQuery {
        FilterQuery {
            from: self.from.clone(),
            to: self.to.clone(),
            channel: self.channel.clone(),
        }
    }

    /// The funnel's chosen steps, in order, blanks left out.
    fn steps(&self) -> Vec<String> {
        [&self.step1, &self.step2, &self.step3]
            .into_iter()
            .filter_map(|s| s.as_deref().map(str::trim).filter(|s| !s.is_empty()))
            .map(String::from)
            .collect()
    }
}

/// What the placement gives the page.
struct Computed {
    /// Every kind the provider's touchpoints have, for the funnel and outcome choices.
    kinds: Vec<String>,
    /// The provider's saved segments.
    segments: Vec<Segment>,
    /// Today where the provider is, for the quick period choices.
    today: NaiveDate,
    errors: Vec<FieldError>,
    /// None when a value was refused.
    figures: Option<Figures>,
}

struct Figures {
    figures: Arc<JourneyFigures>,
    funnel: Option<Vec<FunnelStep>>,
    attribution: Arc<Attribution>,
    landscape: Arc<BehaviourLandscape>,
    rules: MotivationRules,
    asked: AskedComparison,
}

/// `GET /journeys`
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Query(q): Query<PageQuery>,
) -> Result<Response, ApiError> {
    let me = who.provider.id;
    let words = Vocabulary::of(state.store.as_ref(), me).await?;
    let mut c = Checker::new();
    let unit = c.take(trend_unit(q.unit.as_deref()));
    let steps = q.steps();
    // No steps chosen is no funnel, not a mistake.
    let steps = if steps.is_empty() {
        None
    } else {
        c.take(funnel_steps(steps))
    };
    let outcome = c.take(outcome_kind(q.outcome.clone()));
    let mut errors = c.finish().err().map_or_else(Vec::new, |e| e.0);
    let store = state.store.as_ref();
    let segments = store.segments(me).await?;
    // An unknown segment is a problem in the form, like a bad date, not a failed page.
    let segment = match crate::segments::named(store, me, q.segment.as_deref()).await {
        Ok(s) => s,
        Err(ApiError::BadParameters(e)) => {
            errors.extend(e.0);
            None
        }
        Err(e) => return Err(e),
    };
    let computed = on_selection(&state, me, q.filter(), segment, move |p, filter, key| {
        let kinds = p.log.kinds.names.clone();
        let today = Utc::now().with_timezone(&p.clock.zone()).date_naive();
        let filter = match filter {
            Ok(f) => Some(f),
            Err(ApiError::BadParameters(e)) => {
                errors.extend(e.0);
                None
            }
            Err(e) => return Err(e),
        };
        let figures = match (filter, unit, outcome) {
            (Some(filter), Some(unit), Some(outcome)) if errors.is_empty() => {
                let kinds: Option<Vec<&str>> = steps
                    .as_ref()
                    .map(|s| s.iter().map(String::as_str).collect());
                // Only a funnel walks the selected journeys here; the rest is kept.
                let funnel = kinds.map(|k| {
                    let selected = filter.select(&p.log, &p.placed);
                    funnel(&p.log, &p.placed, &selected, &k)
                });
                Some(Figures {
                    figures: p.figures(&key, &filter, unit),
                    funnel,
                    attribution: p.attribution(&key, &filter, &outcome)?,
                    landscape: p.landscape(&key, &filter),
                    rules: p.rules.clone(),
                    asked: p.asked(),
                })
            }
            _ => None,
        };
        Ok(Computed {
            kinds,
            segments,
            today,
            errors,
            figures,
        })
    })
    .await?;
    let status = if computed.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let html = view::render(lang, &who, &words, &q, computed)?;
    Ok((status, Html(html)).into_response())
}

/// A form field's name in words.
fn field_label(lang: Lang, field: &str) -> String {
    let key = match field.split(['.', '[']).next().unwrap_or(field) {
        "from" => "journeys-from",
        "to" => "journeys-to",
        "channel" => "journeys-channel",
        "segment" => "journeys-segment",
        "unit" => "journeys-unit",
        "steps" => "journeys-funnel-steps",
        "outcome" => "journeys-outcome",
        other => return other.to_string(),
    };
    lang.t(key)
}

/// Why a field was refused, another field it names said in words too.
fn said(lang: Lang, e: &FieldError) -> String {
    match &e.reason {
        Reason::NotBefore { other } => lang.reason(&Reason::NotBefore {
            other: field_label(lang, other),
        }),
        r => lang.reason(r),
    }
}
