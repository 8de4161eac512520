//! The research workspace over the API: a project per workshop round, changed step by
//! step through the engine's methods. Every change names the version it was made
//! against (`If-Match`), so two edits never silently overwrite each other.

use super::profiles::path_id;
use crate::auth::Tenant;
use crate::error::{ApiError, Problem};
use crate::json::{ApiJson, ApiQuery};
use crate::research_export;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, RawPathParams, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use motesplats_core::research::{
    DigitalFunctionInput, EchoInput, FocusInput, FunctionLinkInput, GroupInput,
    ImplementationInput, MatrixLayout, MemberInput, MergeInput, MomentId, MomentInput,
    ObservationId, ObservationInput, ObservationRoundInput, PlacementInput,
    PresentationQuestionInput, Progress, Project, ProjectId, ProjectInput, ProtocolTemplateInput,
    QuestionInput, ReflectionInput, StanceId, StanceInput, StoryId, StoryInput, StoryMomentInput,
    TaskCheckInput, TaskInput, ValueStatementInput, layout, to_html, to_markdown,
};
use motesplats_core::{Invalid, Lang, ProviderId};
use motesplats_store::{StoreError, StoredProject};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_project, list_projects))
        .routes(routes!(get_project))
        .routes(routes!(import_project))
        .routes(routes!(export_project))
        .routes(routes!(invite))
        .routes(routes!(next_round))
        .routes(routes!(add_member))
        .routes(routes!(add_group))
        .routes(routes!(add_story))
        .routes(routes!(add_story_moment))
        .routes(routes!(add_question))
        .routes(routes!(add_value_statement))
        .routes(routes!(add_template))
        .routes(routes!(add_observation_round))
        .routes(routes!(add_observation))
        .routes(routes!(place_observation))
        .routes(routes!(link_echo))
        .routes(routes!(add_presentation_question))
        .routes(routes!(add_function))
        .routes(routes!(add_moment))
        .routes(routes!(record_stance))
        .routes(routes!(write_entry))
        .routes(routes!(merge_entry))
        .routes(routes!(link_function))
        .routes(routes!(choose_focus))
        .routes(routes!(decide_implementation))
        .routes(routes!(add_task))
        .routes(routes!(check_task))
        .routes(routes!(add_reflection))
        .routes(routes!(matrix))
        .routes(routes!(strategy))
        .routes(routes!(evidence_csv))
}

/// A project with the version to name when changing it, and where its steps stand.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectView {
    pub version: i64,
    pub owner: ProviderId,
    pub project: Project,
    pub progress: Progress,
}

/// Answers with the project and its version as an ETag.
fn view(stored_version: i64, owner: ProviderId, project: Project, status: StatusCode) -> Response {
    let progress = project.progress(Utc::now().date_naive());
    let etag = HeaderValue::from_str(&format!("\"{stored_version}\"")).ok();
    let mut response = (
        status,
        Json(ProjectView {
            version: stored_version,
            owner,
            project,
            progress,
        }),
    )
        .into_response();
    if let Some(etag) = etag {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

fn document(project: &Project) -> Result<serde_json::Value, ApiError> {
    project
        .export()
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// Reads a stored project back into the engine.
fn open(stored: &StoredProject) -> Result<Project, ApiError> {
    Project::import(stored.document.clone())
        .map_err(|e| ApiError::Internal(format!("a stored project does not load: {e}")))
}

pub(super) async fn load(
    state: &AppState,
    me: ProviderId,
    id: &str,
) -> Result<(StoredProject, Project), ApiError> {
    let id: Uuid = path_id(id)?;
    let stored = state
        .store
        .project(me, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let project = open(&stored)?;
    Ok((stored, project))
}

/// The version an edit was made against, from `If-Match: "3"`; required.
pub(super) fn expected_version(headers: &HeaderMap) -> Result<i64, ApiError> {
    super::if_match(headers, "project")?.ok_or(ApiError::PreconditionRequired(
        "send If-Match with the version (ETag) of the project you changed",
    ))
}

/// Loads, changes through the engine, and saves if no one else saved in between.
pub(super) async fn change(
    state: &AppState,
    me: ProviderId,
    id: &str,
    headers: &HeaderMap,
    edit: impl FnOnce(&mut Project) -> Result<(), Invalid>,
) -> Result<Response, ApiError> {
    let expected = expected_version(headers)?;
    let (stored, mut project) = load(state, me, id).await?;
    edit(&mut project)?;
    let saved = state
        .store
        .save_project(me, stored.id, expected, document(&project)?)
        .await?;
    Ok(view(saved.version, saved.owner, project, StatusCode::OK))
}

/// Start a research project (a workshop round) owned by the caller.
#[utoipa::path(post, path = "/projects", tag = "research", request_body = ProjectInput,
    responses((status = 201, body = ProjectView), (status = 422, body = Problem)))]
async fn create_project(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiJson(input): ApiJson<ProjectInput>,
) -> Result<Response, ApiError> {
    let project = Project::parse(&input, me, Utc::now())?;
    let stored = state
        .store
        .create_project(me, project.id.0, document(&project)?)
        .await?;
    Ok(view(stored.version, me, project, StatusCode::CREATED))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectSummary {
    pub id: Uuid,
    pub title: String,
    pub round: u32,
    pub version: i64,
    pub owner: ProviderId,
    pub updated_at: chrono::DateTime<Utc>,
}

/// Projects the caller owns or is invited to, latest change first.
#[utoipa::path(get, path = "/projects", tag = "research", responses((status = 200, body = Vec<ProjectSummary>)))]
async fn list_projects(
    State(state): State<AppState>,
    Tenant(me): Tenant,
) -> Result<Json<Vec<ProjectSummary>>, ApiError> {
    let stored = state.store.projects(me).await?;
    let summaries = stored
        .iter()
        .map(|s| {
            let p = open(s)?;
            Ok(ProjectSummary {
                id: s.id,
                title: p.title,
                round: p.round,
                version: s.version,
                owner: s.owner,
                updated_at: s.updated_at,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(Json(summaries))
}

/// A project, with its version in the body and as the ETag.
#[utoipa::path(get, path = "/projects/{id}", tag = "research", params(("id" = String, Path)),
    responses((status = 200, body = ProjectView), (status = 404, body = Problem)))]
async fn get_project(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (stored, project) = load(&state, me, &id).await?;
    Ok(view(stored.version, stored.owner, project, StatusCode::OK))
}

/// The whole project as one JSON document, which `POST /projects/import` takes back exactly.
#[utoipa::path(get, path = "/projects/{id}/export", tag = "research", params(("id" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = Problem)))]
async fn export_project(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let (stored, _) = load(&state, me, &id).await?;
    Ok(Json(stored.document))
}

/// Create a project from an exported document; the caller becomes its owner.
#[utoipa::path(post, path = "/projects/import", tag = "research", request_body = Object,
    responses((status = 201, body = ProjectView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn import_project(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiJson(exported): ApiJson<serde_json::Value>,
) -> Result<Response, ApiError> {
    let mut project = Project::import(exported)?;
    project.provider_id = me;
    let stored = match state
        .store
        .create_project(me, project.id.0, document(&project)?)
        .await
    {
        // The id is taken. If the caller can see that project, saying so is no news;
        // if it is another provider's, any refusal would tell that it exists, so the
        // copy gets an id of its own.
        Err(StoreError::Conflict(taken)) => {
            if state.store.project(me, project.id.0).await?.is_some() {
                return Err(ApiError::Conflict(taken));
            }
            project.id = ProjectId::new();
            state
                .store
                .create_project(me, project.id.0, document(&project)?)
                .await?
        }
        created => created?,
    };
    Ok(view(stored.version, me, project, StatusCode::CREATED))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationInput {
    /// The provider to invite, such as another shop of the same town centre.
    provider_id: Option<ProviderId>,
}

/// Invite another provider to work in the project (owner only).
#[utoipa::path(post, path = "/projects/{id}/invitations", tag = "research", params(("id" = String, Path)),
    request_body = InvitationInput, responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn invite(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<InvitationInput>,
) -> Result<StatusCode, ApiError> {
    let id: Uuid = path_id(&id)?;
    let guest = input
        .provider_id
        .ok_or_else(|| ApiError::invalid("provider_id", motesplats_core::Reason::Required))?;
    state.store.invite_to_project(me, id, guest).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Start the next round: a new project whose step 1 carries this round's focus and reflections.
#[utoipa::path(post, path = "/projects/{id}/next-round", tag = "research", params(("id" = String, Path)),
    responses((status = 201, body = ProjectView), (status = 422, body = Problem)))]
async fn next_round(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (_, project) = load(&state, me, &id).await?;
    let next = project.next_round(Utc::now())?;
    let stored = state
        .store
        .create_project(me, next.id.0, document(&next)?)
        .await?;
    Ok(view(stored.version, me, next, StatusCode::CREATED))
}

/// Declares a change endpoint: method, path, input type, and how the engine applies it.
macro_rules! change_endpoint {
    ($(#[$doc:meta])* $name:ident, $method:tt, $path:tt, [$($param:tt),*], $input:ident, |$project:ident, $ids:ident, $body:ident| $apply:expr) => {
        $(#[$doc])*
        #[utoipa::path($method, path = $path, tag = "research",
            params(("If-Match" = String, Header, description = "the version the change was made against"),
                   ("id" = String, Path) $(, ($param = String, Path))*),
            request_body = $input,
            responses((status = 200, body = ProjectView), (status = 404, body = Problem), (status = 409, body = Problem),
                      (status = 422, body = Problem), (status = 428, body = Problem)))]
        async fn $name(
            State(state): State<AppState>,
            Tenant(me): Tenant,
            path: RawPathParams,
            headers: HeaderMap,
            ApiJson($body): ApiJson<$input>,
        ) -> Result<Response, ApiError> {
            // Path segments in order: the project, then the story, moment or observation.
            let $ids: Vec<String> = path.iter().map(|(_, v)| v.to_string()).collect();
            let project_id = $ids.first().cloned().unwrap_or_default();
            change(&state, me, &project_id, &headers, |$project: &mut Project| $apply).await
        }
    };
}

/// The n-th id of a nested path, parsed; a bad one names nothing, so it is not found.
fn nth<T: std::str::FromStr>(ids: &[String], n: usize, field: &str) -> Result<T, Invalid> {
    ids.get(n)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| Invalid::one(field, motesplats_core::Reason::NamesNothing))
}

change_endpoint!(
    /// Add a member (lead, member or observer).
    add_member, post, "/projects/{id}/members", [], MemberInput, |p, ids, input| p.add_member(&input).map(drop));
change_endpoint!(
    /// Form a group of four to five members.
    add_group, post, "/projects/{id}/groups", [], GroupInput, |p, ids, input| p.add_group(&input).map(drop));
change_endpoint!(
    /// Step 1: a story of a recent purchase.
    add_story, post, "/projects/{id}/stories", [], StoryInput, |p, ids, input| p.add_story(&input, Utc::now()).map(drop));
change_endpoint!(
    /// Step 1: a moment of a story, before, during or after, positive or negative.
    add_story_moment, post, "/projects/{id}/stories/{story}/moments", ["story"], StoryMomentInput,
    |p, ids, input| p.add_story_moment(nth::<StoryId>(&ids, 1, "story")?, &input).map(drop));
change_endpoint!(
    /// Step 1: a follow-up question; closed questions get an open rewrite to consider.
    add_question, post, "/projects/{id}/stories/{story}/questions", ["story"], QuestionInput,
    |p, ids, input| p.add_question(nth::<StoryId>(&ids, 1, "story")?, &input).map(drop));
change_endpoint!(
    /// Step 1: a value statement tied to a moment of the story.
    add_value_statement, post, "/projects/{id}/stories/{story}/value-statements", ["story"], ValueStatementInput,
    |p, ids, input| p.add_value_statement(nth::<StoryId>(&ids, 1, "story")?, &input).map(drop));
change_endpoint!(
    /// Step 2: an observation protocol template.
    add_template, post, "/projects/{id}/templates", [], ProtocolTemplateInput, |p, ids, input| p.add_template(&input).map(drop));
change_endpoint!(
    /// Step 2: an observation round with its observers and last day.
    add_observation_round, post, "/projects/{id}/observation-rounds", [], ObservationRoundInput,
    |p, ids, input| p.add_observation_round(&input).map(drop));
change_endpoint!(
    /// Step 2: a filled-in observation protocol.
    add_observation, post, "/projects/{id}/observations", [], ObservationInput, |p, ids, input| p.add_observation(&input).map(drop));
change_endpoint!(
    /// Step 2: place an observation on the journey board, value-creating or irritating.
    place_observation, put, "/projects/{id}/observations/{observation}/placement", ["observation"], PlacementInput,
    |p, ids, input| p.place_observation(nth::<ObservationId>(&ids, 1, "observation")?, &input).map(drop));
change_endpoint!(
    /// Step 2: link an observation to a story moment of step 1 that it echoes.
    link_echo, post, "/projects/{id}/observations/{observation}/echoes", ["observation"], EchoInput,
    |p, ids, input| p.link_echo(nth::<ObservationId>(&ids, 1, "observation")?, &input));
change_endpoint!(
    /// Steps 2–4: a question, and its answer, from a presentation round about an
    /// observation, a function or a moment; closed questions get an open rewrite.
    add_presentation_question, post, "/projects/{id}/presentation-questions", [], PresentationQuestionInput,
    |p, ids, input| p.add_presentation_question(&input).map(drop));
change_endpoint!(
    /// Step 3: a digital function found in the scan.
    add_function, post, "/projects/{id}/functions", [], DigitalFunctionInput, |p, ids, input| p.add_function(&input).map(drop));
change_endpoint!(
    /// Step 4: a moment of the journey to record likes and dislikes about.
    add_moment, post, "/projects/{id}/moments", [], MomentInput, |p, ids, input| p.add_moment(&input).map(drop));
change_endpoint!(
    /// Step 4: a like or dislike from the customer's or the provider's perspective.
    record_stance, post, "/projects/{id}/moments/{moment}/stances", ["moment"], StanceInput,
    |p, ids, input| p.record_stance(nth::<MomentId>(&ids, 1, "moment")?, &input).map(drop));
change_endpoint!(
    /// Step 4: a like or dislike in one member's own protocol (`recorded_by` is
    /// required), written before the team merges the protocols into moments.
    write_entry, post, "/projects/{id}/protocol-entries", [], StanceInput,
    |p, ids, input| p.write_entry(&input).map(drop));
change_endpoint!(
    /// Step 4: merge an entry of a member's protocol into a moment of the journey.
    merge_entry, post, "/projects/{id}/protocol-entries/{stance}/moment", ["stance"], MergeInput,
    |p, ids, input| p.merge_entry(nth::<StanceId>(&ids, 1, "stance")?, &input));
change_endpoint!(
    /// Step 4: link a function from the digital scan to a like or dislike recorded
    /// earlier (the protocols come first, the scan is matched to them afterwards).
    link_function, post, "/projects/{id}/stances/{stance}/functions", ["stance"], FunctionLinkInput,
    |p, ids, input| p.link_function(nth::<StanceId>(&ids, 1, "stance")?, &input));
change_endpoint!(
    /// Step 4: choose the focus area and its action.
    choose_focus, put, "/projects/{id}/focus", [], FocusInput, |p, ids, input| p.choose_focus(&input).map(drop));
change_endpoint!(
    /// Step 5: how the focus is carried out: join an existing solution or build one,
    /// alone or together with others in the network.
    decide_implementation, put, "/projects/{id}/implementation", [], ImplementationInput,
    |p, ids, input| p.decide_implementation(&input));
change_endpoint!(
    /// Step 5: a task of the implementation plan: who does what, by when.
    add_task, post, "/projects/{id}/tasks", [], TaskInput, |p, ids, input| p.add_task(&input).map(drop));
change_endpoint!(
    /// A new round checks the previous round's plan: whether a task was done.
    check_task, post, "/projects/{id}/carried-tasks", [], TaskCheckInput, |p, ids, input| p.check_task(&input));
change_endpoint!(
    /// Step 5: a reflection of the team, citing its evidence.
    add_reflection, post, "/projects/{id}/reflections", [], ReflectionInput, |p, ids, input| p.add_reflection(&input).map(drop));

/// Step 4: the four-field matrix: each moment in its quadrant, and the moments that
/// stay unclassified with the reason (a tie, or only one perspective heard).
#[utoipa::path(get, path = "/projects/{id}/matrix", tag = "research", params(("id" = String, Path)),
    responses((status = 200, body = MatrixLayout), (status = 404, body = Problem)))]
async fn matrix(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
) -> Result<Json<MatrixLayout>, ApiError> {
    let (_, project) = load(&state, me, &id).await?;
    Ok(Json(layout(&project)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StrategyQuery {
    /// `markdown` (default), `html` or `pdf`.
    format: Option<String>,
    /// `sv` (default) or `en`.
    lang: Option<String>,
}

/// Step 5: the strategy document compiled from steps 1-4, every claim citing its evidence.
#[utoipa::path(get, path = "/projects/{id}/strategy", tag = "research", params(("id" = String, Path), StrategyQuery),
    responses((status = 200, content_type = "text/markdown", description = "Markdown, HTML or PDF as asked"), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn strategy(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<StrategyQuery>,
) -> Result<Response, ApiError> {
    let lang = match q.lang.as_deref() {
        None => Lang::Sv,
        Some(l) => Lang::parse(l).map_err(|e| e.within("lang"))?,
    };
    let (stored, project) = load(&state, me, &id).await?;
    let doc = project.strategy();
    let (content_type, body) = match q.format.as_deref() {
        None | Some("markdown") => ("text/markdown; charset=utf-8", to_markdown(&doc, lang)),
        Some("html") => ("text/html; charset=utf-8", to_html(&doc, lang)),
        Some("pdf") => {
            let (name, pdf) = crate::research_export::strategy_pdf(&stored, &project, lang);
            let headers = [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    crate::research_export::attachment(&name),
                ),
            ];
            return Ok((headers, pdf).into_response());
        }
        Some(other) => {
            return Err(ApiError::invalid(
                "format",
                motesplats_core::Reason::OneOf {
                    value: other.to_string(),
                    allowed: motesplats_core::reason::List::of(["markdown", "html", "pdf"]),
                },
            ));
        }
    };
    Ok(([(header::CONTENT_TYPE, content_type)], body).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EvidenceQuery {
    /// Language of the `kind_label` column: `sv` (default) or `en`.
    lang: Option<String>,
}

/// All of the project's evidence as CSV, one row per story, story moment, follow-up
/// question, value statement, observation, function, moment, stance and reflection.
/// Columns: `step,kind,kind_label,id,phase,valence,settings,motivations,digital,summary,cited_by`;
/// lists are space-separated, `cited_by` holds `kind:id` keys.
#[utoipa::path(get, path = "/projects/{id}/evidence.csv", tag = "research", params(("id" = String, Path), EvidenceQuery),
    responses((status = 200, content_type = "text/csv", description = "the evidence table as CSV, with a header row"),
              (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn evidence_csv(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<EvidenceQuery>,
) -> Result<Response, ApiError> {
    let lang = match q.lang.as_deref() {
        None => Lang::Sv,
        Some(l) => Lang::parse(l).map_err(|e| e.within("lang"))?,
    };
    let (_, project) = load(&state, me, &id).await?;
    let disposition = format!(
        "attachment; filename=\"{}\"",
        research_export::evidence_filename(&project)
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        research_export::evidence_csv(&project, lang),
    )
        .into_response())
}
