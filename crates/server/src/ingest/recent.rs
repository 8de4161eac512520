//! What ingestion reads of a provider's settings on every request (the tracking plan,
//! the event names), kept for a few seconds: another server process may change it,
//! so an entry lives briefly, and a change made here forgets it at once.

use crate::error::ApiError;
use motesplats_core::ProviderId;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const TTL: Duration = Duration::from_secs(5);

/// One value per provider, with when it was read.
pub struct Recent<T>(Mutex<HashMap<ProviderId, (Instant, T)>>);

impl<T> Default for Recent<T> {
    fn default() -> Self {
        Recent(Mutex::new(HashMap::new()))
    }
}

impl<T: Clone> Recent<T> {
    /// The provider's value: as read less than a few seconds ago, or from `load`.
    pub async fn get<F>(&self, provider: ProviderId, load: F) -> Result<T, ApiError>
    where
        F: Future<Output = Result<T, ApiError>>,
    {
        if let Ok(cache) = self.0.lock()
            && let Some((at, value)) = cache.get(&provider)
            && at.elapsed() < TTL
        {
            return Ok(value.clone());
        }
        let value = load.await?;
        if let Ok(mut cache) = self.0.lock() {
            cache.insert(provider, (Instant::now(), value.clone()));
        }
        Ok(value)
    }

    /// Drops the provider's value, so the next request reads the changed one.
    pub fn forget(&self, provider: ProviderId) {
        if let Ok(mut cache) = self.0.lock() {
            cache.remove(&provider);
        }
    }
}
