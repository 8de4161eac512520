//! Live boards: a server-sent event stream per research project that says when the
//! project has a new version, so every open board can refresh itself. It polls the
//! store rather than listening in-process, so it works with several server nodes.

use super::session::SignedIn;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream;
use std::convert::Infallible;
use std::time::Duration;
use uuid::Uuid;

/// How often the stream looks for a new version.
const POLL: Duration = Duration::from_millis(500);

/// `event: changed` with the new version as data, whenever the project changes.
pub async fn events(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<Uuid>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let me = who.provider.id;
    let start = match state.store.project(me, id).await {
        Ok(Some(p)) => p.version,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return crate::error::ApiError::from(e).into_response(),
    };
    let changes = stream::unfold((state, start), move |(state, seen)| async move {
        loop {
            tokio::time::sleep(POLL).await;
            // The project may vanish from view (an invitation withdrawn): end the stream.
            let now = state.store.project(me, id).await.ok().flatten()?.version;
            if now > seen {
                let event = Event::default().event("changed").data(now.to_string());
                return Some((Ok::<_, Infallible>(event), (state, now)));
            }
        }
    });
    Sse::new(changes)
        .keep_alive(KeepAlive::default())
        .into_response()
}
