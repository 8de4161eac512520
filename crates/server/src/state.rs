//! What every handler can reach.

use crate::client::TrustedProxies;
use crate::ingest::PlanCache;
use crate::ingest::limits::KeyLimits;
use motesplats_store::Store;
use std::num::NonZeroU32;
use std::sync::Arc;
use tokio::sync::Notify;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    /// SHA-256 of the operator token; None turns operator actions off.
    pub operator_token_sha256: Option<[u8; 32]>,
    /// Rung when touchpoints wait for stitching.
    pub resolver: Arc<Notify>,
    pub plans: Arc<PlanCache>,
    pub limits: Arc<KeyLimits>,
    /// Public survey answers per survey and client address.
    pub survey_limits: Arc<crate::survey_answers::AnswerLimits>,
    /// Reverse proxies whose forwarded headers name the client and its scheme.
    pub proxies: Arc<TrustedProxies>,
}

/// Events per second a publishable key may send unless configured otherwise.
pub const PUBLISHABLE_PER_SECOND: u32 = 1000;

impl AppState {
    pub fn new(store: Arc<dyn Store>, operator_token: Option<&str>) -> Self {
        AppState {
            store,
            operator_token_sha256: operator_token.map(crate::auth::sha256),
            resolver: Arc::new(Notify::new()),
            plans: Arc::new(PlanCache::default()),
            limits: Arc::new(KeyLimits::new(
                NonZeroU32::new(PUBLISHABLE_PER_SECOND).unwrap_or(NonZeroU32::MIN),
                None,
            )),
            survey_limits: Arc::default(),
            proxies: Arc::new(TrustedProxies::default()),
        }
    }

    /// Sets the rate limits per key, in events per second.
    pub fn with_limits(mut self, publishable: NonZeroU32, secret: Option<NonZeroU32>) -> Self {
        self.limits = Arc::new(KeyLimits::new(publishable, secret));
        self
    }

    /// Believes `X-Forwarded-For` and `X-Forwarded-Proto` from these addresses.
    pub fn with_trusted_proxies(mut self, proxies: TrustedProxies) -> Self {
        self.proxies = Arc::new(proxies);
        self
    }
}
