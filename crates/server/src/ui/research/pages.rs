//! The research workspace in the web UI: the projects, and each project's journey
//! board (evidence in value-landscape lanes by phase, beside the provider's real
//! touchpoints and survey scores in that phase), its five steps with their forms and
//! guidance, and the four-field matrix as a picture. The forms live in
//! `forms`, what the board shows in `board`.

use super::board::{Choices, Lane, PHASES, StepView, View, ViewQuery, choices, lanes, steps};
use crate::api::catalogue::CatalogueEntry;
use crate::error::ApiError;
use crate::state::AppState;
use crate::ui::forms::{FormView, Opt, Refused};
use crate::ui::i18n::Lang;
use crate::ui::i18n::Messages;
use crate::ui::session::SignedIn;
use crate::ui::{Shell, local_time};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use motesplats_core::Label;
use motesplats_core::research::{self, MatrixLayout, Project, layout};
use motesplats_core::survey::{PooledScore, pooled_score};
use motesplats_store::StoredProject;
use uuid::Uuid;

pub struct ProjectLine {
    pub id: String,
    pub title: String,
    pub round: u32,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "research_list.html")]
struct ListPage {
    shell: Shell,
    projects: Vec<ProjectLine>,
    form: FormView,
}

pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
) -> Result<Response, ApiError> {
    list_page(&state, lang, &who, None).await
}

/// The projects, with the form to start one (refused, when it was).
pub async fn list_page(
    state: &AppState,
    lang: Lang,
    who: &SignedIn,
    refused: Option<Refused>,
) -> Result<Response, ApiError> {
    let stored = state.store.projects(who.provider.id).await?;
    let projects = stored
        .iter()
        .filter_map(|s| Project::import(s.document.clone()).ok().map(|p| (s, p)))
        .map(|(s, p)| ProjectLine {
            id: s.id.to_string(),
            title: p.title,
            round: p.round,
            updated: local_time(s.updated_at, &who.provider.time_zone),
        })
        .collect();
    let page = ListPage {
        shell: Shell::signed_in(lang, "/research", who),
        projects,
        form: FormView { lang, refused },
    };
    html(&page)
}

fn html(page: &impl Template) -> Result<Response, ApiError> {
    let body = page
        .render()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((StatusCode::OK, Html(body)).into_response())
}

/// The signed-in provider's project with this id, stored and loaded; None when it
/// names nothing the provider may see.
pub async fn open(
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

/// A phase column's head: the provider's real touchpoints and survey answers there.
pub struct PhaseHead {
    pub name: String,
    pub touchpoints: u64,
    pub score: Option<PooledScore>,
}

#[derive(Template)]
#[template(path = "research_board.html")]
struct BoardPage {
    shell: Shell,
    id: String,
    version: i64,
    /// When the project last changed, in the provider's time zone.
    changed: String,
    project: Project,
    l: Lang,
    phases: Vec<PhaseHead>,
    lanes: Vec<Lane>,
    steps: Vec<StepView>,
    /// The step shown, 0 when a tab is.
    step: u8,
    /// The tab shown ("board", "matrix"), empty when a step is.
    tab: &'static str,
    choices: Choices,
    form: FormView,
    matrix: String,
    unclassified: Vec<(String, String)>,
    /// Shareable functions of the provider's other projects, to copy into this one.
    catalogue: Vec<CatalogueEntry>,
}

impl BoardPage {
    fn member(&self, id: &research::MemberId) -> String {
        self.project
            .member(*id)
            .map_or_else(String::new, |m| m.name.clone())
    }

    fn function(&self, id: &research::FunctionId) -> String {
        self.project
            .function(*id)
            .map_or_else(String::new, |f| f.name.clone())
    }

    /// The two protocols of step 4, in the order the board lists them.
    fn sides(&self) -> &'static [research::Perspective] {
        research::Perspective::ALL
    }

    fn evidence(&self, r: &research::EvidenceRef) -> String {
        self.project.resolve(*r).map_or_else(String::new, |i| {
            format!("{}: {}", r.kind_label(self.l), i.summary)
        })
    }

    /// "winter jacket: Long queue": a story moment an observation echoes.
    fn story_moment(&self, id: &research::StoryMomentId) -> String {
        self.project
            .story_moment(*id)
            .map_or_else(String::new, |(s, m)| format!("{}: {}", s.purchase, m.text))
    }

    /// The questions of step `number`'s presentation round.
    fn presentation_questions(&self, number: &u8) -> Vec<&research::PresentationQuestion> {
        research::Step::ALL
            .iter()
            .find(|s| s.number() == *number)
            .map(|s| self.project.presentation_questions_in(*s).collect())
            .unwrap_or_default()
    }

    /// What step `number`'s presentation round can be about, as evidence keys.
    fn presentable(&self, number: u8) -> Vec<Opt> {
        self.project
            .gathered_evidence()
            .into_iter()
            .chain(
                self.project
                    .moments
                    .iter()
                    .map(|m| research::EvidenceRef::Moment(m.id)),
            )
            .filter(|r| research::presented_in(*r).map(research::Step::number) == Some(number))
            .map(|r| Opt::new(r.key(), self.evidence(&r)))
            .collect()
    }
}

pub async fn board(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<ViewQuery>,
) -> Result<Response, ApiError> {
    let view = q.view()?;
    board_page(&state, lang, &who, &id, view, None).await
}

/// The board page showing `view` (else the current step), with a refused form drawn
/// open when there is one.
pub async fn board_page(
    state: &AppState,
    lang: Lang,
    who: &SignedIn,
    id: &str,
    view: Option<View>,
    refused: Option<Refused>,
) -> Result<Response, ApiError> {
    let shell = Shell::signed_in(lang, &format!("/research/{id}"), who);
    let Some((stored, project)) = open(state, who, id).await? else {
        return crate::ui::people::not_found(shell);
    };
    let me = who.provider.id;
    let counts = state.store.touchpoint_counts(me).await?;
    let surveys = state.store.surveys(me).await?;
    let mut answered = Vec::new();
    for s in surveys.into_iter().filter(|s| s.context.phase.is_some()) {
        let responses = state.store.responses(me, s.id).await?;
        answered.push((s, responses));
    }
    let phases = PHASES
        .iter()
        .map(|ph| PhaseHead {
            name: ph.label(lang).to_string(),
            touchpoints: counts
                .iter()
                .filter(|c| c.phase == Some(*ph))
                .map(|c| c.count)
                .sum(),
            score: pooled_score(
                answered
                    .iter()
                    .filter(|(s, _)| s.context.phase == Some(*ph))
                    .map(|(s, r)| (s, r.as_slice())),
            ),
        })
        .collect();
    let today = Utc::now().date_naive();
    let matrix = layout(&project);
    let unclassified = matrix
        .unclassified
        .iter()
        .map(|u| (u.moment.title.clone(), u.reason.describe(lang)))
        .collect();
    let svg = FourField::new(lang, &matrix)
        .render()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut catalogue = crate::api::catalogue::entries(state, me).await?;
    catalogue.retain(|e| {
        e.project_id != stored.id && !project.functions.iter().any(|f| f.name == e.function.name)
    });
    let steps = steps(lang, &project, today);
    let current = steps.iter().find(|s| s.current).map_or(1, |s| s.number);
    let (step, tab) = match view.unwrap_or(View::Step(current)) {
        View::Step(n) => (n, ""),
        View::Board => (0, "board"),
        View::Matrix => (0, "matrix"),
    };
    let page = BoardPage {
        catalogue,
        step,
        tab,
        id: stored.id.to_string(),
        version: stored.version,
        changed: local_time(stored.updated_at, &who.provider.time_zone),
        l: lang,
        phases,
        lanes: lanes(lang, &project),
        steps,
        choices: choices(lang, &project),
        form: FormView { lang, refused },
        matrix: svg,
        unclassified,
        project,
        shell,
    };
    html(&page)
}

/// A photo or screenshot of a project the signed-in provider may see.
pub async fn attachment(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Path((id, attachment)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let shell = Shell::signed_in(lang, &format!("/research/{id}"), &who);
    let (Ok(project), Ok(attachment)) = (id.parse::<Uuid>(), attachment.parse::<Uuid>()) else {
        return crate::ui::people::not_found(shell);
    };
    match crate::api::attachments::serve(&state, who.provider.id, project, attachment).await {
        Err(ApiError::NotFound) => crate::ui::people::not_found(shell),
        other => other,
    }
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
        let fields = m
            .cells
            .iter()
            .map(|c| Field {
                x: MARGIN + u32::from(c.column) * FIELD.0,
                y: u32::from(c.row) * FIELD.1,
                action: c.quadrant.action.label(lang).to_string(),
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
    let Some((stored, project)) = open(&state, &who, &id).await? else {
        return crate::ui::people::not_found(shell);
    };
    let doc = project.strategy();
    match format.as_str() {
        "strategy.pdf" => {
            let (name, pdf) = crate::research_export::strategy_pdf(&stored, &project, lang);
            let headers = [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    crate::research_export::attachment(&name),
                ),
            ];
            Ok((headers, pdf).into_response())
        }
        "strategy.html" => Ok(Html(research::to_html(&doc, lang)).into_response()),
        "evidence.csv" => {
            let disposition = format!(
                "attachment; filename=\"{}\"",
                crate::research_export::evidence_filename(&project)
            );
            Ok((
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                crate::research_export::evidence_csv(&project, lang),
            )
                .into_response())
        }
        "strategy.md" => Ok((
            [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
            research::to_markdown(&doc, lang),
        )
            .into_response()),
        _ => crate::ui::people::not_found(shell),
    }
}
