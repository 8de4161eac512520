//! The research workspace in the web UI: the projects, and each project's journey
//! board (evidence by phase, beside the provider's real touchpoints in that phase),
//! its five steps with guidance, and the four-field matrix as a picture.

use super::i18n::Lang;
use super::session::SignedIn;
use super::{Shell, local_time};
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use motesplats_core::Phase;
use motesplats_core::research::{
    self, Label, MatrixLayout, Project, Topic, Valence, guidance, layout,
};
use motesplats_store::StoredProject;
use uuid::Uuid;

fn engine_lang(lang: Lang) -> research::Lang {
    match lang {
        Lang::Sv => research::Lang::Sv,
        Lang::En => research::Lang::En,
    }
}

pub struct ProjectLine {
    pub id: String,
    pub title: String,
    pub round: u32,
    pub version: i64,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "research_list.html")]
struct ListPage {
    shell: Shell,
    projects: Vec<ProjectLine>,
}

pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
) -> Result<Html<String>, ApiError> {
    let stored = state.store.projects(who.provider.id).await?;
    let projects = stored
        .iter()
        .filter_map(|s| Project::import(s.document.clone()).ok().map(|p| (s, p)))
        .map(|(s, p)| ProjectLine {
            id: s.id.to_string(),
            title: p.title,
            round: p.round,
            version: s.version,
            updated: local_time(s.updated_at, &who.provider.time_zone),
        })
        .collect();
    let page = ListPage {
        shell: Shell::signed_in(lang, "/research", &who),
        projects,
    };
    Ok(Html(
        page.render()
            .map_err(|e| ApiError::Internal(e.to_string()))?,
    ))
}

/// The signed-in provider's project with this id, stored and loaded; None when it
/// names nothing the provider may see.
async fn open(
    state: &AppState,
    who: &SignedIn,
    id: &str,
) -> Result<Option<(StoredProject, Project)>, ApiError> {
    let Ok(id) = id.parse::<Uuid>() else {
        return Ok(None);
    };
    let Some(stored) = state.store.project(who.provider.id, id).await? else {
        return Ok(None);
    };
    let project =
        Project::import(stored.document.clone()).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Some((stored, project)))
}

/// A piece of evidence on the board; `tone` is a CSS class (value, irritation, neutral).
pub struct Card {
    pub text: String,
    pub tone: &'static str,
}

pub struct Lane {
    pub name: String,
    /// Before, during, after.
    pub cells: Vec<Vec<Card>>,
}

pub struct PhaseHead {
    pub name: String,
    pub touchpoints: u64,
}

pub struct StepLine {
    pub name: String,
    pub state: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "research_board.html")]
struct BoardPage {
    shell: Shell,
    id: String,
    title: String,
    round: u32,
    version: i64,
    phases: Vec<PhaseHead>,
    lanes: Vec<Lane>,
    steps: Vec<StepLine>,
    guidance: String,
    matrix: String,
    unclassified: Vec<(String, String)>,
}

const PHASES: [Phase; 3] = [Phase::Before, Phase::During, Phase::After];

fn tone(v: Valence) -> &'static str {
    match v {
        Valence::Positive => "value",
        Valence::Negative => "irritation",
    }
}

/// Spreads cards over the three phases.
fn lane(name: String, cards: impl IntoIterator<Item = (Phase, Card)>) -> Lane {
    let mut cells: Vec<Vec<Card>> = PHASES.iter().map(|_| Vec::new()).collect();
    for (phase, card) in cards {
        if let Some(i) = PHASES.iter().position(|p| *p == phase) {
            cells[i].push(card);
        }
    }
    Lane { name, cells }
}

fn lanes(lang: Lang, p: &Project) -> Vec<Lane> {
    let l = engine_lang(lang);
    let stories = p.stories.iter().flat_map(|s| {
        s.moments.iter().map(move |m| {
            (
                m.phase,
                Card {
                    text: format!("{}: {}", s.purchase, m.text),
                    tone: tone(m.valence),
                },
            )
        })
    });
    let observations = p.observations.iter().filter_map(|o| {
        o.placement.map(|at| {
            (
                at.phase,
                Card {
                    text: o.summary().to_string(),
                    tone: tone(at.valence),
                },
            )
        })
    });
    let functions = p.functions.iter().flat_map(|f| {
        f.phases.iter().map(move |ph| {
            (
                *ph,
                Card {
                    text: f.name.clone(),
                    tone: "neutral",
                },
            )
        })
    });
    let moments = p.moments.iter().map(|m| {
        let tally = |who| research::Tally::of(m, who);
        let (c, pr) = (
            tally(research::Perspective::Customer),
            tally(research::Perspective::Provider),
        );
        let text = format!(
            "{} · {} +{}/−{} · {} +{}/−{}",
            m.title,
            research::Perspective::Customer.label(l),
            c.likes,
            c.dislikes,
            research::Perspective::Provider.label(l),
            pr.likes,
            pr.dislikes
        );
        (
            m.phase,
            Card {
                text,
                tone: "neutral",
            },
        )
    });
    vec![
        lane(lang.t("lane-stories"), stories),
        lane(lang.t("lane-observations"), observations),
        lane(lang.t("lane-functions"), functions),
        lane(lang.t("lane-moments"), moments),
    ]
}

pub async fn board(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let shell = Shell::signed_in(lang, &format!("/research/{id}"), &who);
    let Some((stored, project)) = open(&state, &who, &id).await? else {
        return super::people::not_found(shell);
    };
    let l = engine_lang(lang);
    let counts = state.store.touchpoint_counts(who.provider.id).await?;
    let phases = PHASES
        .iter()
        .map(|ph| PhaseHead {
            name: ph.label(l).to_string(),
            touchpoints: counts
                .iter()
                .filter(|c| c.phase == Some(*ph))
                .map(|c| c.count)
                .sum(),
        })
        .collect();
    let progress = project.progress(Utc::now().date_naive());
    let steps = progress
        .steps
        .iter()
        .map(|s| StepLine {
            name: s.step.label(l).to_string(),
            state: s.state.label(l).to_string(),
            current: s.step == progress.current,
        })
        .collect();
    let matrix = layout(&project);
    let unclassified = matrix
        .unclassified
        .iter()
        .map(|u| (u.moment.title.clone(), u.reason.describe(l)))
        .collect();
    let svg = FourField::new(lang, &matrix)
        .render()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let page = BoardPage {
        id: stored.id.to_string(),
        title: project.title.clone(),
        round: project.round,
        version: stored.version,
        phases,
        lanes: lanes(lang, &project),
        steps,
        guidance: guidance(Topic::Step(progress.current), l).to_string(),
        matrix: svg,
        unclassified,
        shell,
    };
    let html = page
        .render()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((StatusCode::OK, Html(html)).into_response())
}

/// One field of the matrix as drawn.
pub struct Field {
    pub x: u32,
    pub y: u32,
    pub action: String,
    pub class: &'static str,
    pub moments: Vec<FieldMoment>,
}

pub struct FieldMoment {
    pub title: String,
    pub focus: bool,
    pub y: u32,
}

/// The four-field matrix: customer stance across, provider stance up.
#[derive(Template)]
#[template(path = "four_field.svg", escape = "html")]
pub struct FourField {
    pub fields: Vec<Field>,
    pub customer: String,
    pub provider: String,
    pub title: String,
}

/// Width and height of one field.
const FIELD: (u32, u32) = (320, 170);
const MARGIN: u32 = 40;

impl FourField {
    pub fn new(lang: Lang, m: &MatrixLayout) -> Self {
        let l = engine_lang(lang);
        let fields = m
            .cells
            .iter()
            .map(|c| Field {
                x: MARGIN + u32::from(c.column) * FIELD.0,
                y: u32::from(c.row) * FIELD.1,
                action: c.quadrant.action.label(l).to_string(),
                class: c.quadrant.action.as_str(),
                moments: c
                    .moments
                    .iter()
                    .take(6)
                    .zip(0u32..)
                    .map(|(pm, i)| FieldMoment {
                        title: pm.title.clone(),
                        focus: pm.focus,
                        y: u32::from(c.row) * FIELD.1 + 48 + i * 20,
                    })
                    .collect(),
            })
            .collect();
        FourField {
            fields,
            customer: lang.t("research-matrix-customer"),
            provider: lang.t("research-matrix-provider"),
            title: lang.t("research-matrix"),
        }
    }
}

/// The strategy document of a project, as a PDF download or a printable page.
pub async fn strategy(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Path((id, format)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let shell = Shell::signed_in(lang, &format!("/research/{id}"), &who);
    let Some((_, project)) = open(&state, &who, &id).await? else {
        return super::people::not_found(shell);
    };
    let doc = project.strategy();
    let l = engine_lang(lang);
    match format.as_str() {
        "strategy.pdf" => {
            let pdf = crate::pdf::from_markdown(&research::to_markdown(&doc, l));
            Ok(([(axum::http::header::CONTENT_TYPE, "application/pdf")], pdf).into_response())
        }
        "strategy.html" => Ok(Html(research::to_html(&doc, l)).into_response()),
        _ => super::people::not_found(shell),
    }
}
