//! Erasure at a person's request, and the tombstones that keep it erased: each
//! identifier the erased records carried is kept per provider only as an HMAC under a
//! server secret, and every arrival (touchpoints, imports, profiles) with one of those
//! identifiers is refused, so a re-import does not bring the person back.

use crate::auth::hmac_sha256;
use crate::error::ApiError;
use crate::ingest::recent::Recent;
use crate::state::AppState;
use chrono::Utc;
use motesplats_core::{AccountId, Identifier, Invalid, ProviderId, Reason};
use motesplats_store::{Erased, Purged, Tombstone};
use std::collections::HashSet;
use std::sync::Arc;

/// The name of the tombstones' key among the server's secrets.
const SECRET: &str = "tombstones";

/// How much waiting stitching an erasure does first: rounds of so many touchpoints.
const PLACING_ROUNDS: usize = 100;
const PLACING_STEP: u32 = 10_000;

/// A provider's tombstones, read again every few seconds (another server may erase).
pub type TombstoneCache = Recent<Arc<Tombstones>>;

#[derive(Clone)]
pub struct Tombstones {
    key: [u8; 32],
    hashes: HashSet<[u8; 32]>,
}

impl Tombstones {
    /// Refuses the first identifier of an erased person, naming it `field(i)`.
    pub fn refuse(
        &self,
        provider: ProviderId,
        ids: &[Identifier],
        field: impl Fn(usize) -> String,
    ) -> Result<(), Invalid> {
        if self.hashes.is_empty() {
            return Ok(());
        }
        match ids
            .iter()
            .position(|id| self.hashes.contains(&hash(&self.key, provider, id)))
        {
            Some(i) => Err(Invalid::one(field(i), Reason::Erased)),
            None => Ok(()),
        }
    }
}

fn hash(key: &[u8; 32], provider: ProviderId, id: &Identifier) -> [u8; 32] {
    let mut message = Vec::with_capacity(16 + id.value.len() + 24);
    message.extend_from_slice(provider.0.as_bytes());
    message.extend_from_slice(id.kind.as_str().as_bytes());
    message.push(0);
    message.extend_from_slice(id.value.as_bytes());
    hmac_sha256(key, &message)
}

async fn key(state: &AppState) -> Result<[u8; 32], ApiError> {
    let key = state
        .tombstone_key
        .get_or_try_init(|| state.store.server_secret(SECRET, rand::random()))
        .await?;
    Ok(*key)
}

/// The provider's tombstones.
pub async fn of(state: &AppState, provider: ProviderId) -> Result<Arc<Tombstones>, ApiError> {
    state
        .tombstones
        .get(provider, async {
            Ok(Arc::new(Tombstones {
                key: key(state).await?,
                hashes: state
                    .store
                    .tombstones(provider)
                    .await?
                    .into_iter()
                    .collect(),
            }))
        })
        .await
}

/// Erases everything the account's verified identifiers reach, at every provider;
/// their figures and tombstones are read again at once.
pub async fn erase(state: &AppState, account: AccountId) -> Result<Vec<Erased>, ApiError> {
    // Touchpoints waiting to be stitched are placed first, so that the person's go
    // with their records (a bounded effort: stitching yields to arriving events).
    for _ in 0..PLACING_ROUNDS {
        if state.store.resolve_pending(PLACING_STEP).await? == 0 {
            break;
        }
    }
    let key = key(state).await?;
    let tombstone: Tombstone = Arc::new(move |provider, id| hash(&key, provider, id));
    let erased = state.store.erase(account, tombstone, Utc::now()).await?;
    for e in &erased {
        state.figures.forget(e.provider);
        state.tombstones.forget(e.provider);
    }
    Ok(erased)
}

/// Applies the provider's retention now; its figures are placed again when anything went.
pub async fn purge(state: &AppState, provider: ProviderId) -> Result<Purged, ApiError> {
    let retention = crate::settings::read(state, provider).await?;
    let purged = state.store.purge(provider, retention, Utc::now()).await?;
    if purged.touchpoints > 0 {
        state.figures.forget(provider);
    }
    Ok(purged)
}

/// Applies every provider's retention (the hourly job).
pub async fn purge_all(state: &AppState) -> Result<(), ApiError> {
    for provider in state.store.providers().await? {
        let purged = purge(state, provider.id).await?;
        if purged != Purged::default() {
            tracing::info!(provider = %provider.id, ?purged, "purged past retention");
        }
    }
    Ok(())
}
