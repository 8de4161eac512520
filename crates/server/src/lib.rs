//! The Mötesplats server: the JSON API under `/api/v1`, its OpenAPI document, and
//! the web UI. Each capability module owns its router; `router()` merges them.
//!
//! Architecture invariant: only this crate knows HTTP. Handlers check input with the
//! core's `parse` functions and talk to the store through the `Store` trait.

pub mod api;
pub mod auth;
pub mod error;
pub mod json;
pub mod state;
pub mod ui;

pub use state::AppState;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use std::future::Future;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

/// The largest request body accepted, in bytes.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// The whole application.
pub fn router(state: AppState) -> Router {
    api::router()
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
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
