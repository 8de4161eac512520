//! The Mötesplats server: the JSON API under `/api/v1`, its OpenAPI document, and
//! the web UI. Each capability module owns its router; `router()` merges them.
//!
//! Architecture invariant: only this crate knows HTTP. Handlers check input with the
//! core's `parse` functions and talk to the store through the `Store` trait.

pub mod api;
pub mod auth;
pub mod client;
pub mod csv_out;
pub mod error;
pub mod ingest;
pub mod json;
pub mod pdf;
pub mod research_export;
pub mod state;
pub mod survey_answers;
pub mod survey_export;
pub mod survey_invitation;
pub mod ui;

pub use state::AppState;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, header};
use std::future::Future;
use tokio::net::TcpListener;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::trace::TraceLayer;

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
        ])
        .max_age(std::time::Duration::from_secs(3600))
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    api::router()
        .layer(cors())
        .merge(ui::router())
        .with_state(state)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TraceLayer::new_for_http())
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
    let (limits, survey_limits) = (state.limits.clone(), state.survey_limits.clone());
    let tidy = tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
            limits.tidy();
            survey_limits.tidy();
        }
    });
    // Connection info gives `client::Client` the peer's address.
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    resolver.abort();
    tidy.abort();
    served
}
