//! A page's refusal as a page: a browser that asked for HTML and was refused (a query
//! out of range, an id that names nothing, a change that met another) gets the reasons
//! in its own language instead of the API's problem+json. Scripts (`fetch` asks for
//! anything) keep the problem.

use super::Shell;
use super::i18n::{Lang, Messages};
use crate::error::{ApiError, Problem};
use crate::state::AppState;
use askama::Template;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

#[derive(Template)]
#[template(path = "refusal.html")]
struct RefusalPage {
    shell: Shell,
    title: String,
    /// Each refused field (empty for the request as a whole) and why.
    reasons: Vec<(String, String)>,
}

/// The layer on the UI router.
pub async fn pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let wants_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if !wants_html {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let Ok(lang) = Lang::from_request_parts(&mut parts, &state).await;
    let path = parts.uri.path().to_string();
    let response = next.run(Request::from_parts(parts, body)).await;
    let status = response.status();
    let drawn = status.is_client_error() && status != StatusCode::UNAUTHORIZED;
    match response.extensions().get::<Problem>() {
        Some(problem) if drawn => draw(lang, &path, status, problem),
        _ => response,
    }
}

fn draw(lang: Lang, path: &str, status: StatusCode, problem: &Problem) -> Response {
    let slug = problem.kind.rsplit(':').next().unwrap_or("invalid");
    let page = RefusalPage {
        shell: Shell::anonymous(lang, path),
        title: lang
            .try_t(&format!("problem-{slug}"))
            .unwrap_or_else(|| lang.t("problem-invalid")),
        reasons: problem
            .errors
            .iter()
            .map(|e| (e.field.clone(), lang.reason(&e.reason)))
            .collect(),
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => ApiError::Internal(e.to_string()).into_response(),
    }
}
