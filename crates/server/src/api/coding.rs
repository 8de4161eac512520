//! Coding of open survey answers over the API: the provider's codebook (JSON and
//! REFI-QDA `.qdc`), span codings of the open answers of a survey, and what they say
//! (frequencies, two coders' agreement, the join with a scale question, the 0/1
//! table as CSV); a coded quote goes to a research project as evidence.
//!
//! Rules (the core's `coding` module has them; this loads, checks tenancy and stores):
//! - The codebook is the provider's own once saved, the value landscape's codes
//!   before (version 0). Every change names the version it was made against
//!   (`If-Match: "3"`, `"0"` for the first save); a stale one is 409 naming `version`.
//!   A change that would remove a code with codings is 409 naming the code.
//! - A coding is a span of one completed response's answer to an open-text question,
//!   in characters (end exclusive), with a code of the codebook and the coder's name
//!   or e-mail. The same coder gives the same span the same code once (409).
//! - The analyses count completed responses (`partial=true`: partial saves too; they
//!   cannot be coded, but their scores join) and everyone's codings unless `coder`
//!   names one.

use super::profiles::path_id;
use super::projects::{change, load};
use super::survey_analysis::{csv_response, given, level, two_groups};
use super::surveys::mine;
use crate::auth::Tenant;
use crate::error::{ApiError, Problem};
use crate::json::{ApiJson, ApiQuery, RawBody};
use crate::state::AppState;
use crate::survey_export::save_codebook;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{SubsecRound, Utc};
use motesplats_core::coding::suggest::{Suggester, Suggestion};
use motesplats_core::coding::{
    Agreement, Codebook, CodebookInput, Coding, CodingId, CodingInput, Frequencies, Join, JoinOn,
    agreement as agreement_of, frequencies as frequencies_of, from_qdc, join as join_of,
    reading_language, to_qdc,
};
use motesplats_core::research::QuoteInput;
use motesplats_core::survey::{
    Answer as SurveyAnswer, Response as SurveyResponse, ResponseId, Survey, SurveyId,
};
use motesplats_core::{FieldError, Invalid, Lang, ProviderId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_codebook, put_codebook))
        .routes(routes!(export_qdc))
        .routes(routes!(import_qdc))
        .routes(routes!(list_codings, add_coding))
        .routes(routes!(delete_coding))
        .routes(routes!(frequencies))
        .routes(routes!(agreement))
        .routes(routes!(join))
        .routes(routes!(codes_csv))
        .routes(routes!(add_quote))
        .routes(routes!(suggestions))
}

// ---------------------------------------------------------------------------------
// The codebook.

/// The provider's codebook: its saved one, or the default (version 0).
pub async fn codebook_of(state: &AppState, me: ProviderId) -> Result<Codebook, ApiError> {
    crate::survey_export::codebook(state.store.as_ref(), me).await
}

fn etag(version: u32) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!("\"{version}\"")).ok()
}

/// The codebook as JSON with its version as the ETag.
fn codebook_response(book: Codebook) -> Response {
    let tag = etag(book.version);
    let mut response = Json(book).into_response();
    if let Some(tag) = tag {
        response.headers_mut().insert(header::ETAG, tag);
    }
    response
}

/// The version a codebook change was made against (`"0"` for the default); None
/// when the header is missing.
fn expected_version(headers: &HeaderMap) -> Result<Option<u32>, ApiError> {
    super::if_match(headers, "codebook")
}

/// The 428 of a codebook change without `If-Match`.
const VERSION_REQUIRED: ApiError = ApiError::PreconditionRequired(
    "send If-Match with the codebook's version as its ETag gave it (\"0\" for the default)",
);

/// The caller's codebook, with its version in the body and as the ETag. Before the
/// first save it is the default: the value landscape's motivations, settings, digital
/// useful/intrusive, phases and like/dislike, version 0.
#[utoipa::path(get, path = "/codebook", tag = "coding",
    responses((status = 200, body = Codebook, headers(("ETag" = String)))))]
async fn get_codebook(
    State(state): State<AppState>,
    Tenant(me): Tenant,
) -> Result<Response, ApiError> {
    Ok(codebook_response(codebook_of(&state, me).await?))
}

/// Replace the codebook with the whole list of codes. Keys unique, parents among the
/// codes, no cycles, at most 8 deep, a name per code; every problem is named
/// (`codes[3].parent`). 409 on a stale `If-Match`, or naming a removed code that has
/// codings.
#[utoipa::path(put, path = "/codebook", tag = "coding", request_body = CodebookInput,
    params(("If-Match" = String, Header, description = "the version the change was made against (\"0\" for the default)")),
    responses((status = 200, body = Codebook), (status = 409, body = Problem), (status = 422, body = Problem),
              (status = 428, body = Problem)))]
async fn put_codebook(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    headers: HeaderMap,
    ApiJson(input): ApiJson<CodebookInput>,
) -> Result<Response, ApiError> {
    let Some(expected) = expected_version(&headers)? else {
        return Err(VERSION_REQUIRED);
    };
    let next = input.parse()?;
    let current = codebook_of(&state, me).await?;
    save_codebook(state.store.as_ref(), me, expected, &current, next)
        .await
        .map(codebook_response)
}

/// The codebook as a REFI-QDA codebook (`.qdc`) for QDA tools (QualCoder, ATLAS.ti,
/// MAXQDA, NVivo, Taguette): codes nested under their parents, the English name as
/// the name, the Swedish one leading the description (`sv: …`), stable GUIDs.
#[utoipa::path(get, path = "/codebook.qdc", tag = "coding",
    responses((status = 200, content_type = "application/xml", description = "the codebook as REFI-QDA XML")))]
async fn export_qdc(
    State(state): State<AppState>,
    Tenant(me): Tenant,
) -> Result<Response, ApiError> {
    let book = codebook_of(&state, me).await?;
    let mut response = (
        [
            (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"codebook.qdc\"",
            ),
        ],
        to_qdc(&book),
    )
        .into_response();
    if let Some(tag) = etag(book.version) {
        response.headers_mut().insert(header::ETAG, tag);
    }
    Ok(response)
}

/// Replace the codebook with a REFI-QDA codebook (`.qdc`, the body as
/// `application/xml` or `text/xml`). Codes whose GUID is one of the current codebook's
/// keep their keys (and codings); others get keys from their names under their
/// parents' keys. Errors name the element (`/CodeBook/Codes/Code[2]/@guid`) and why;
/// the same version and in-use rules as `PUT /codebook`.
#[utoipa::path(post, path = "/codebook/import", tag = "coding",
    params(("If-Match" = String, Header, description = "the version the import replaces (\"0\" for the default)")),
    request_body(content = String, content_type = "application/xml"),
    responses((status = 200, body = Codebook), (status = 409, body = Problem), (status = 415, body = Problem),
              (status = 422, body = Problem), (status = 428, body = Problem)))]
async fn import_qdc(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<Response, ApiError> {
    let sent = crate::json::media_type(&headers);
    let xml_type = sent
        .as_deref()
        .is_some_and(|m| m == "application/xml" || m == "text/xml" || m.ends_with("+xml"));
    if !xml_type {
        return Err(ApiError::media_type(
            sent.as_deref(),
            &["application/xml", "text/xml"],
        ));
    }
    let Some(expected) = expected_version(&headers)? else {
        return Err(VERSION_REQUIRED);
    };
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::invalid("body", motesplats_core::Reason::NotUtf8))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let current = codebook_of(&state, me).await?;
    let next = from_qdc(text, &current)?;
    save_codebook(state.store.as_ref(), me, expected, &current, next)
        .await
        .map(codebook_response)
}

// ---------------------------------------------------------------------------------
// Codings.

/// A coding with the words it marks.
#[derive(Debug, Serialize, ToSchema)]
pub struct CodingView {
    #[serde(flatten)]
    pub coding: Coding,
    /// The coded span of the answer.
    pub quote: String,
}

fn view(coding: Coding, responses: &[SurveyResponse]) -> CodingView {
    let quote = responses
        .iter()
        .find_map(|r| coding.answer(r))
        .map(|text| coding.quote(text).to_string())
        .unwrap_or_default();
    CodingView { coding, quote }
}

/// The caller's survey, its responses and codings; 404 if the survey is not theirs.
async fn coded(
    state: &AppState,
    me: ProviderId,
    id: &str,
) -> Result<(Survey, Vec<SurveyResponse>, Vec<Coding>), ApiError> {
    let survey = mine(state, me, id).await?;
    let responses = state.store.responses(me, survey.id).await?;
    let codings = state.store.codings(me, survey.id).await?;
    Ok((survey, responses, codings))
}

/// Every coding of the survey's open answers, oldest first, each with its quote.
#[utoipa::path(get, path = "/surveys/{id}/codings", tag = "coding", params(("id" = String, Path)),
    responses((status = 200, body = Vec<CodingView>), (status = 404, body = Problem)))]
async fn list_codings(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
) -> Result<Json<Vec<CodingView>>, ApiError> {
    let (_, responses, codings) = coded(&state, me, &id).await?;
    Ok(Json(
        codings.into_iter().map(|c| view(c, &responses)).collect(),
    ))
}

/// Code a span of one open answer: `response_id`, `question` (an open-text question),
/// `start` and `end` (character offsets into the answer as stored, end exclusive),
/// `code` (a key of the codebook) and `coder` (a name or e-mail). Only completed
/// responses are coded, since a partial save may still change its text.
#[utoipa::path(post, path = "/surveys/{id}/codings", tag = "coding", params(("id" = String, Path)),
    request_body = CodingInput,
    responses((status = 201, body = CodingView), (status = 404, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem)))]
async fn add_coding(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CodingInput>,
) -> Result<(StatusCode, Json<CodingView>), ApiError> {
    let view = code_span(&state, me, &id, input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Checks and stores one span coding of the caller's survey `id` (the API and the
/// coding page both code through here).
pub(crate) async fn code_span(
    state: &AppState,
    me: ProviderId,
    id: &str,
    input: CodingInput,
) -> Result<CodingView, ApiError> {
    let (survey, responses, codings) = coded(state, me, id).await?;
    if let Some(rid) = input.response_id
        && responses.iter().any(|r| r.id == rid && !r.completed)
    {
        return Err(ApiError::invalid(
            "response_id",
            motesplats_core::Reason::PartialSave,
        ));
    }
    let book = codebook_of(state, me).await?;
    let coding = input.parse(&survey, &responses, &book, Utc::now().trunc_subsecs(6))?;
    if codings
        .iter()
        .any(|c| c.same_span(&coding) && c.code == coding.code && c.coder == coding.coder)
    {
        return Err(ApiError::Conflict(Invalid::one(
            "code",
            motesplats_core::Reason::CodedBefore {
                coder: coding.coder.to_string(),
                code: coding.code.to_string(),
            },
        )));
    }
    state.store.add_coding(me, coding.clone()).await?;
    Ok(view(coding, &responses))
}

/// Remove a coding.
#[utoipa::path(delete, path = "/surveys/{id}/codings/{coding}", tag = "coding",
    params(("id" = String, Path), ("coding" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
async fn delete_coding(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path((id, coding)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let coding: CodingId = path_id(&coding)?;
    uncode(&state, me, &id, coding).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a coding of the caller's survey `id`; not found when it is not there.
pub(crate) async fn uncode(
    state: &AppState,
    me: ProviderId,
    id: &str,
    coding: CodingId,
) -> Result<(), ApiError> {
    let survey = mine(state, me, id).await?;
    let codings = state.store.codings(me, survey.id).await?;
    if !codings.iter().any(|c| c.id == coding) {
        return Err(ApiError::NotFound);
    }
    state.store.delete_coding(me, coding).await?;
    Ok(())
}

// ---------------------------------------------------------------------------------
// Analyses.

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CoderQuery {
    /// Count only this coder's codings (default: everyone's).
    coder: Option<String>,
}

/// Per code (parents before children): the answers and responses it is present in,
/// its spans, and its share of the coded answers. A parent counts its children's.
#[utoipa::path(get, path = "/surveys/{id}/coding/frequencies", tag = "coding",
    params(("id" = String, Path), CoderQuery),
    responses((status = 200, body = Frequencies), (status = 404, body = Problem)))]
async fn frequencies(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<CoderQuery>,
) -> Result<Json<Frequencies>, ApiError> {
    let survey = mine(&state, me, &id).await?;
    let codings = state.store.codings(me, survey.id).await?;
    let book = codebook_of(&state, me).await?;
    Ok(Json(frequencies_of(&book, &codings, given(&q.coder))))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AgreementQuery {
    /// The first coder.
    a: Option<String>,
    /// The second coder.
    b: Option<String>,
    /// Confidence level of kappa's interval, such as 0.95 (default).
    #[param(exclusive_minimum = 0.0, exclusive_maximum = 1.0)]
    level: Option<f64>,
}

/// Two coders' agreement over the answers both coded: per code, Cohen's kappa of the
/// code's presence per answer (a parent is present when it or a code below it is);
/// overall, kappa pooled over every answer × code as applied. With counts, the
/// standard error, interval, z and p-value (statsmodels' formulas); when kappa is
/// undefined (both coders used one and the same label) `reason` says so.
#[utoipa::path(get, path = "/surveys/{id}/coding/agreement", tag = "coding",
    params(("id" = String, Path), AgreementQuery),
    responses((status = 200, body = Agreement), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn agreement(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<AgreementQuery>,
) -> Result<Json<Agreement>, ApiError> {
    let level = level(q.level)?;
    let mut problems = Vec::new();
    let (a, b) = two_groups(&q.a, &q.b, &mut problems);
    let (Some(a), Some(b), true) = (a, b, problems.is_empty()) else {
        return Err(ApiError::Invalid(Invalid(problems)));
    };
    let survey = mine(&state, me, &id).await?;
    let codings = state.store.codings(me, survey.id).await?;
    let book = codebook_of(&state, me).await?;
    Ok(Json(agreement_of(&book, &codings, a, b, level)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct JoinQuery {
    /// A scale, CSAT, NPS or matrix question.
    question: Option<String>,
    /// The item of a matrix question.
    item: Option<String>,
    /// Count only this coder's codings (default: everyone's).
    coder: Option<String>,
    /// Confidence level of the interval of the difference, such as 0.95 (default).
    #[param(exclusive_minimum = 0.0, exclusive_maximum = 1.0)]
    level: Option<f64>,
    /// Count partial saves' scores too (default: completed responses only).
    partial: Option<bool>,
}

/// The mixed-methods join: among responses with at least one coding and a score, the
/// mean score of one scale item with and without each code, and Welch's test of the
/// difference (with − without). When the test is undefined (a group with fewer than
/// two scores, or no variance in either) `welch` is absent and `reason` says why.
#[utoipa::path(get, path = "/surveys/{id}/coding/join", tag = "coding",
    params(("id" = String, Path), JoinQuery),
    responses((status = 200, body = Join), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn join(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<JoinQuery>,
) -> Result<Json<Join>, ApiError> {
    let level = level(q.level)?;
    let question = given(&q.question)
        .ok_or_else(|| ApiError::invalid("question", motesplats_core::Reason::Required))?;
    let (survey, mut responses, codings) = coded(&state, me, &id).await?;
    if !q.partial.unwrap_or(false) {
        responses.retain(|r| r.completed);
    }
    let book = codebook_of(&state, me).await?;
    let on = JoinOn {
        question,
        item: given(&q.item),
        coder: given(&q.coder),
    };
    Ok(Json(join_of(
        &survey, &book, &responses, &codings, on, level,
    )?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TableQuery {
    /// Count only this coder's codings (default: everyone's).
    coder: Option<String>,
    /// Rows for partial saves too (default: completed responses only).
    partial: Option<bool>,
}

/// The codes as CSV, one row per response and one 0/1 column per code: `response_id`,
/// `submitted_at`, then every code key (parents before children). 1 when a span of
/// the code, or of a code below it, exists in any of the response's answers; the
/// cells stay empty for a response nobody coded, since "not coded" is not "absent".
#[utoipa::path(get, path = "/surveys/{id}/codes.csv", tag = "coding",
    params(("id" = String, Path), TableQuery),
    responses((status = 200, content_type = "text/csv"), (status = 404, body = Problem)))]
async fn codes_csv(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<TableQuery>,
) -> Result<Response, ApiError> {
    codes_csv_of(&state, me, &id, given(&q.coder), q.partial.unwrap_or(false)).await
}

/// One row per response, one 0/1 column per code (empty when the response has no
/// coding at all); the API and the coding page both serve it.
pub(crate) async fn codes_csv_of(
    state: &AppState,
    me: ProviderId,
    id: &str,
    coder: Option<&str>,
    partial: bool,
) -> Result<Response, ApiError> {
    let (_, mut responses, codings) = coded(state, me, id).await?;
    if !partial {
        responses.retain(|r| r.completed);
    }
    let book = codebook_of(state, me).await?;
    let body = crate::survey_export::codes_csv(&book, &responses, &codings, coder)?;
    Ok(csv_response(body, "codes.csv"))
}

// ---------------------------------------------------------------------------------
// Quotes as research evidence.

/// A coded span to quote in a research project.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteRequest {
    /// One of the caller's surveys.
    pub survey_id: Option<SurveyId>,
    /// A coding of that survey; the quote is its span, with every code on that span.
    pub coding_id: Option<CodingId>,
}

/// Send a coded quote to a research project as evidence (`{"kind": "quote", …}`): its
/// words, the codes on the span (any coder's), the survey's phase. The survey must be
/// the caller's; the project the caller's own or one it is invited to. A coding is
/// quoted once per project (422 naming `coding_id`).
#[utoipa::path(post, path = "/projects/{project}/quotes", tag = "coding",
    params(("If-Match" = String, Header, description = "the project version the change was made against"),
           ("project" = String, Path)),
    request_body = QuoteRequest,
    responses((status = 200, body = super::projects::ProjectView, description = "the project with the quote, its new version as the ETag"),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
              (status = 428, body = Problem)))]
async fn add_quote(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(project): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<QuoteRequest>,
) -> Result<Response, ApiError> {
    // A project the caller may not see is not found, whatever the body says.
    load(&state, me, &project).await?;
    let mut problems = Vec::new();
    if input.survey_id.is_none() {
        problems.push(FieldError::new(
            "survey_id",
            motesplats_core::Reason::Required,
        ));
    }
    if input.coding_id.is_none() {
        problems.push(FieldError::new(
            "coding_id",
            motesplats_core::Reason::Required,
        ));
    }
    let (Some(survey_id), Some(coding_id)) = (input.survey_id, input.coding_id) else {
        return Err(ApiError::Invalid(Invalid(problems)));
    };
    let quote = quote_of(&state, me, survey_id, coding_id).await?;
    change(&state, me, &project, &headers, move |p| {
        p.add_quote(quote).map(drop)
    })
    .await
}

/// The quote a coding makes: its words, every code on the same span, the survey's
/// phase; an error names `survey_id` or `coding_id` when they do not fit.
pub(crate) async fn quote_of(
    state: &AppState,
    me: ProviderId,
    survey_id: SurveyId,
    coding_id: CodingId,
) -> Result<QuoteInput, ApiError> {
    let Some(survey) = state
        .store
        .survey(Some(me), survey_id)
        .await?
        .map(|s| s.survey)
    else {
        return Err(ApiError::invalid(
            "survey_id",
            motesplats_core::Reason::NoSuch {
                what: "survey".into(),
            },
        ));
    };
    let codings = state.store.codings(me, survey.id).await?;
    let Some(coding) = codings.iter().find(|c| c.id == coding_id) else {
        return Err(ApiError::invalid(
            "coding_id",
            motesplats_core::Reason::NotInSurvey {
                what: "coding".into(),
            },
        ));
    };
    let responses = state.store.responses(me, survey.id).await?;
    let text = responses
        .iter()
        .find_map(|r| coding.answer(r))
        .map(|t| coding.quote(t).to_string())
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| ApiError::invalid("coding_id", motesplats_core::Reason::AnswerGone))?;
    let mut codes: Vec<String> = codings
        .iter()
        .filter(|c| c.same_span(coding))
        .map(|c| c.code.to_string())
        .collect();
    codes.sort();
    codes.dedup();
    let quote = QuoteInput {
        text,
        survey_id: survey.id,
        response_id: coding.response_id,
        question: coding.question.to_string(),
        coding_id: coding.id,
        codes,
        phase: survey.context.phase,
    };
    Ok(quote)
}

/// Suggested codes for one open answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerSuggestions {
    pub response_id: ResponseId,
    pub question: String,
    pub suggestions: Vec<Suggestion>,
}

/// Automatic code suggestions for every completed open answer, from Swedish or
/// English cues (Snowball stems, a lexicon, negation; see ARCHITECTURE.md for how
/// well they do). An answer is read in the language it is written in where the survey
/// has both and the words make it clear, else in the response's language. Each carries
/// its spans as character offsets, ready to post as a coding; codes the answer already
/// has are left out.
#[utoipa::path(get, path = "/surveys/{id}/coding/suggestions", tag = "coding", params(("id" = String, Path)),
    responses((status = 200, body = Vec<AnswerSuggestions>),
              (status = 404, body = Problem)))]
async fn suggestions(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
) -> Result<Json<Vec<AnswerSuggestions>>, ApiError> {
    let (survey, responses, codings) = coded(&state, me, &id).await?;
    let book = codebook_of(&state, me).await?;
    let suggester = Suggester::value_landscape();
    let mut out = Vec::new();
    for r in responses.iter().filter(|r| r.completed) {
        for q in survey.questions() {
            let Some(SurveyAnswer::Text(text)) = r.answers.get(&q.key) else {
                continue;
            };
            let suggestions = fresh_suggestions(
                &suggester,
                &book,
                &codings,
                r,
                &survey.languages,
                q.key.as_str(),
                text,
            );
            if !suggestions.is_empty() {
                out.push(AnswerSuggestions {
                    response_id: r.id,
                    question: q.key.as_str().to_string(),
                    suggestions,
                });
            }
        }
    }
    Ok(Json(out))
}

/// The suggestions for one answer that the codebook has and the answer lacks; the
/// answer is read in its own language where the survey's `languages` are both.
pub(crate) fn fresh_suggestions(
    suggester: &Suggester,
    book: &Codebook,
    codings: &[Coding],
    response: &SurveyResponse,
    languages: &[Lang],
    question: &str,
    text: &str,
) -> Vec<Suggestion> {
    suggester
        .suggest(text, reading_language(text, response.language, languages))
        .into_iter()
        .filter(|s| book.contains(&s.code))
        .filter(|s| {
            !codings.iter().any(|c| {
                c.response_id == response.id
                    && c.question.as_str() == question
                    && c.code.as_str() == s.code
            })
        })
        .collect()
}
