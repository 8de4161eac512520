//! The Mötesplats server: the JSON API under `/api/v1`, its OpenAPI document, and
//! the web UI. Each capability module owns its router; `router()` merges them.
//!
//! Architecture invariant: only this crate knows HTTP. Handlers check input with the
//! core's `parse` functions and talk to the store through the `Store` trait.

pub mod api;
pub mod asked;
pub mod auth;
pub mod client;
pub mod csv_out;
pub mod deliver;
pub mod erasure;
pub mod error;
pub mod figures;
mod headers;
pub mod identity;
pub mod ingest;
pub mod json;
pub mod pdf;
pub mod protocol;
pub mod research_export;
pub mod segments;
pub mod settings;
pub mod state;
pub mod survey_answers;
pub mod survey_export;
pub mod survey_invitation;
pub mod town_centre;
pub mod ui;

pub use state::AppState;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::{Method, header};
use axum::middleware;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::net::SocketAddr;
use tokio::net::TcpListener;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::trace::TraceLayer;
use tower_service::Service;

/// The largest request body accepted, in bytes.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Browsers may send touchpoints from other sites (publishable keys check the
/// origin themselves); no cookies cross sites, so the web UI is not exposed.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods([Method::POST])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::CONTENT_ENCODING,
            // Tracking SDKs number their retries.
            header::HeaderName::from_static("x-retry-count"),
        ])
        .max_age(std::time::Duration::from_secs(3600))
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let forms_from_our_pages = middleware::from_fn_with_state(state.clone(), ui::csrf::guard);
    let refusals_as_pages = middleware::from_fn_with_state(state.clone(), ui::refusal::pages);
    let roles_may = middleware::from_fn_with_state(state.clone(), ui::roles::guard);
    api::router()
        .layer(cors())
        .merge(
            ui::router()
                .layer(roles_may)
                .layer(forms_from_our_pages)
                .layer(refusals_as_pages),
        )
        .fallback(protocol::not_found)
        .with_state(state)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(protocol::problems))
        .layer(middleware::from_fn(protocol::limits))
        .layer(middleware::from_fn(headers::secure))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
}

/// The route, not the URI: paths and query strings can hold e-mails, phone numbers
/// and resume links, none of which belong in a log.
fn request_span(request: &Request) -> tracing::Span {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("(no route)", MatchedPath::as_str);
    tracing::debug_span!("request", method = %request.method(), route)
}

/// Serves until `shutdown` completes, then lets requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let resolver = tokio::spawn(ingest::resolver::run(
        state.store.clone(),
        state.resolver.clone(),
    ));
    let tidy_state = state.clone();
    let tidy = tokio::spawn(async move {
        for minute in 1u64.. {
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
            if minute % 60 == 0
                && let Err(e) = erasure::purge_all(&tidy_state).await
            {
                tracing::error!(error = ?e, "the retention purge failed; will retry in an hour");
            }
            tidy_state.limits.tidy();
            tidy_state.sign_in.tidy();
            tidy_state.survey_limits.tidy();
            if let Err(e) = tidy_state.store.purge_sessions(chrono::Utc::now()).await {
                tracing::error!(error = %e, "purging expired sign-ins failed; will retry");
            }
        }
    });
    // Connection info gives `client::Client` the peer's address.
    let mut app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    // hyper reads heads well past `protocol`'s limits, so that it is `protocol::limits`,
    // not hyper, that refuses them, with a problem instead of an empty answer.
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .max_buf_size(protocol::READ_BUFFER)
        .max_headers(protocol::PARSED_HEADERS);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors, a connection reset before it was taken:
                // wait and go on, as axum's own loop does.
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(service) = app.call(peer).await;
        let connection = builder
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    resolver.abort();
    tidy.abort();
    Ok(())
}
