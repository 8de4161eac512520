//! Identity stitching off the hot path: a background task places touchpoints that
//! arrived with identifiers on their profiles, in batches, soon after they arrive,
//! and then links profiles that came with names or addresses by the provider's
//! linkage model. It is safe to run in several processes at once (the store takes
//! care of it).

use motesplats_store::{Store, linkage};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Touchpoints placed per call at most (the store takes them in steps of its own).
const BATCH: u32 = 50_000;
/// Profiles linked by names and addresses per round.
const PROFILES: u32 = 1_000;
/// How long to rest when nothing waits and no one rings.
const IDLE: Duration = Duration::from_millis(500);

/// Runs until the process ends; `wake` is rung when touchpoints arrive.
pub async fn run(store: Arc<dyn Store>, wake: Arc<Notify>) {
    loop {
        match store.resolve_pending(BATCH).await {
            Ok(n) if n > 0 => {
                tracing::debug!(placed = n, "stitched waiting touchpoints");
                continue;
            }
            Ok(_) => {}
            Err(e) => {
                tracing::error!(error = %e, "stitching waiting touchpoints failed; will retry")
            }
        }
        match linkage::absorb(store.as_ref(), PROFILES).await {
            Ok(n) if n > 0 => {
                tracing::debug!(linked = n, "linked new profiles by names and addresses");
                continue;
            }
            Ok(_) => {}
            Err(e) => {
                tracing::error!(error = %e, "linking new profiles failed; will retry")
            }
        }
        let _ = tokio::time::timeout(IDLE, wake.notified()).await;
    }
}
