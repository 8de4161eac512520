//! Each provider's table from `track` event names to kinds, read from the store at
//! most every few seconds per provider (like the tracking plan) and forgotten when
//! the provider changes it.

use crate::error::ApiError;
use crate::state::AppState;
use motesplats_core::ProviderId;
use motesplats_core::tracking_protocol::EventNames;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a table read from the store is used before it is read again (another
/// server process may have changed it).
const TTL: Duration = Duration::from_secs(5);

#[derive(Default)]
pub struct EventNamesCache(Mutex<HashMap<ProviderId, (Instant, Arc<EventNames>)>>);

impl EventNamesCache {
    /// The provider's table (the default table when it has none).
    pub async fn get(
        &self,
        state: &AppState,
        provider: ProviderId,
    ) -> Result<Arc<EventNames>, ApiError> {
        if let Ok(cache) = self.0.lock()
            && let Some((at, names)) = cache.get(&provider)
            && at.elapsed() < TTL
        {
            return Ok(names.clone());
        }
        let names = Arc::new(state.store.event_names(provider).await?);
        if let Ok(mut cache) = self.0.lock() {
            cache.insert(provider, (Instant::now(), names.clone()));
        }
        Ok(names)
    }

    /// Drops the provider's table, so the next event reads the new one.
    pub fn forget(&self, provider: ProviderId) {
        if let Ok(mut cache) = self.0.lock() {
            cache.remove(&provider);
        }
    }
}
