//! The review queue: pairs of profiles that names, birth dates and addresses make
//! perhaps one person, side by side, for a person of the provider to accept (one
//! person) or reject (never proposed again); and the training of the model that
//! finds them (the same work as `POST /api/v1/identity/linkage`).

use super::Shell;
use super::chart::percent_to;
use super::i18n::{Lang, Messages};
use super::person::{field_weights, profile_name, signed_weight};
use super::session::SignedIn;
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use motesplats_core::identity::{Decision, Match};
use motesplats_core::linkage::{Field, Thresholds};
use motesplats_core::reason::{List, Reason};
use motesplats_core::{Invalid, Profile, ProfileId};
use motesplats_store::StoreError;
use motesplats_store::linkage::{self, Linked};
use serde::Deserialize;

/// Pairs shown at a time; the next come as these are decided.
const SHOWN: u32 = 25;

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    shell: Shell,
    pairs: Vec<PairView>,
    notice: Option<String>,
    refused: Vec<(String, String)>,
}

struct PairView {
    a: Side,
    b: Side,
    likely: String,
    /// Field, A's value, B's value, how alike in words, weight.
    rows: Vec<[String; 5]>,
    summary: String,
}

struct Side {
    id: String,
    name: String,
}

/// A posted action: `train`, or `same` / `apart` about profiles `a` and `b`.
#[derive(Debug, Deserialize)]
pub struct Act {
    action: String,
    #[serde(default)]
    a: String,
    #[serde(default)]
    b: String,
}

fn side(p: &Profile) -> Side {
    Side {
        id: p.id.to_string(),
        name: profile_name(p),
    }
}

fn value(p: &Profile, field: Field) -> String {
    p.attributes
        .get(field.as_str())
        .and_then(|v| v.as_str())
        .unwrap_or("–")
        .to_string()
}

async fn render(
    state: &AppState,
    lang: Lang,
    who: &SignedIn,
    notice: Option<String>,
    refused: Vec<(String, String)>,
) -> Result<Response, ApiError> {
    let me = who.provider.id;
    let mut pairs = Vec::new();
    for m in state.store.review_pairs(me, SHOWN).await? {
        // Reads through the store, so each profile shown is in the access log.
        let (Some(a), Some(b)) = (
            state.store.profile(me, m.a).await?,
            state.store.profile(me, m.b).await?,
        ) else {
            continue;
        };
        pairs.push(view(lang, &m, &a, &b));
    }
    let html = ReviewPage {
        shell: Shell::signed_in(lang, "/persons/review", who),
        pairs,
        notice,
        refused,
    }
    .render()
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Html(html).into_response())
}

fn view(lang: Lang, m: &Match, a: &Profile, b: &Profile) -> PairView {
    let rows = m
        .fields
        .iter()
        .map(|f| {
            [
                lang.t(&format!("linkage-field-{}", f.field)),
                value(a, f.field),
                value(b, f.field),
                lang.t(&format!("linkage-level-{}", f.level)),
                if f.level == "missing" {
                    String::new()
                } else {
                    signed_weight(f.weight, lang)
                },
            ]
        })
        .collect();
    PairView {
        a: side(a),
        b: side(b),
        likely: percent_to(m.probability, 1, lang),
        rows,
        summary: field_weights(lang, &m.fields),
    }
}

/// `GET /persons/review`
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
) -> Result<Response, ApiError> {
    render(&state, lang, &who, None, Vec::new()).await
}

/// `POST /persons/review`: trains and relinks, or decides a pair; then shows the
/// queue as it is now, with what was done or why it was refused.
pub async fn act(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Form(act): Form<Act>,
) -> Result<Response, ApiError> {
    let me = who.provider.id;
    let store = state.store.as_ref();
    let notice = match act.action.as_str() {
        "train" => {
            let thresholds = Thresholds::new(linkage::LINK, linkage::REVIEW)?;
            match linkage::link(store, me, Some(thresholds)).await {
                Ok(run) => trained(lang, &run),
                Err(StoreError::Invalid(Invalid(errors))) => {
                    let refused = errors
                        .iter()
                        .map(|e| (e.field.clone(), lang.reason(&e.reason)))
                        .collect();
                    return render(&state, lang, &who, None, refused).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
        "same" | "apart" => {
            let id = |field: &str, text: &str| {
                text.parse::<ProfileId>()
                    .map_err(|_| ApiError::invalid(field, Reason::Uuid))
            };
            let (a, b) = (id("a", &act.a)?, id("b", &act.b)?);
            let (decision, key) = if act.action == "same" {
                (Decision::Same { a, b }, "review-accepted")
            } else {
                (Decision::Apart { a, b }, "review-rejected")
            };
            store.decide(me, decision, Some(who.user.id)).await?;
            lang.t(key)
        }
        other => {
            return Err(ApiError::invalid(
                "action",
                Reason::OneOf {
                    value: other.to_string(),
                    allowed: List::of(["train", "same", "apart"]),
                },
            ));
        }
    };
    render(&state, lang, &who, Some(notice), Vec::new()).await
}

fn trained(lang: Lang, run: &Linked) -> String {
    lang.t_with(
        "review-trained",
        &[
            ("records", run.records as i64),
            ("links", run.links as i64),
            ("review", run.review as i64),
            ("moved", run.moved as i64),
        ],
    )
}
