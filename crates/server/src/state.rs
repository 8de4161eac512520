//! What every handler can reach.

use crate::client::TrustedProxies;
use crate::ingest::limits::KeyLimits;
use crate::ingest::{EventNamesCache, PlanCache};
use crate::ui::throttle::SignInGuard;
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
    /// Each provider's table from `track` event names to kinds.
    pub event_names: Arc<EventNamesCache>,
    /// Each provider's touchpoints placed into journeys, for the journey figures.
    pub figures: Arc<crate::figures::FigureCache>,
    pub limits: Arc<KeyLimits>,
    /// Public survey answers per survey and client address.
    pub survey_limits: Arc<crate::survey_answers::AnswerLimits>,
    /// Reverse proxies whose forwarded headers name the client and its scheme.
    pub proxies: Arc<TrustedProxies>,
    /// Limits and delays on password guessing at the sign-in form.
    pub sign_in: Arc<SignInGuard>,
    /// The key survey invitations are signed with, once read from the database.
    pub invitation_key: Arc<tokio::sync::OnceCell<[u8; 32]>>,
    /// The key of the erased identifiers' hashes, once read from the database.
    pub tombstone_key: Arc<tokio::sync::OnceCell<[u8; 32]>>,
    /// Each provider's tombstones: arrivals of an erased person are refused.
    pub tombstones: Arc<crate::erasure::TombstoneCache>,
    /// Signs the tokens of the sign-in form (made per process: a form older than a
    /// restart is simply shown again).
    pub form_key: Arc<[u8; 32]>,
    pub cookie_secure: CookieSecure,
    /// Sends one-time codes (and later invitations) by e-mail or SMS.
    pub deliver: crate::deliver::Deliver,
    /// Where links in e-mail lead, such as `https://kafe.example`; None: the Host the
    /// request came to (which a stranger asking for a password reset chooses).
    pub public_origin: Option<String>,
}

/// When cookies get the `Secure` attribute (sent over HTTPS only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CookieSecure {
    /// When the client reached us over HTTPS (directly or through a trusted proxy).
    #[default]
    Auto,
    /// Always: for servers only ever reached over HTTPS.
    Always,
}

impl CookieSecure {
    pub fn for_https(self, https: bool) -> bool {
        https || self == CookieSecure::Always
    }
}

impl std::str::FromStr for CookieSecure {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(CookieSecure::Auto),
            "always" => Ok(CookieSecure::Always),
            _ => Err(format!("expected auto or always, got {s:?}")),
        }
    }
}

/// Who e-mail comes from unless configured otherwise.
pub const DEFAULT_FROM: &str = "Mötesplats <no-reply@motesplats.local>";

/// Events per second a publishable key may send unless configured otherwise.
pub const PUBLISHABLE_PER_SECOND: u32 = 1000;

impl AppState {
    pub fn new(store: Arc<dyn Store>, operator_token: Option<&str>) -> Self {
        AppState {
            store,
            operator_token_sha256: operator_token.map(crate::auth::sha256),
            resolver: Arc::new(Notify::new()),
            plans: Arc::new(PlanCache::default()),
            event_names: Arc::default(),
            figures: Arc::default(),
            limits: Arc::new(KeyLimits::new(
                NonZeroU32::new(PUBLISHABLE_PER_SECOND).unwrap_or(NonZeroU32::MIN),
                None,
            )),
            survey_limits: Arc::default(),
            proxies: Arc::new(TrustedProxies::default()),
            sign_in: Arc::new(SignInGuard::default()),
            invitation_key: Arc::default(),
            tombstone_key: Arc::default(),
            tombstones: Arc::default(),
            form_key: Arc::new(random_key()),
            cookie_secure: CookieSecure::default(),
            deliver: crate::deliver::Deliver::new(None, DEFAULT_FROM)
                .expect("the default sender address parses"),
            public_origin: None,
        }
    }

    /// Sends e-mail and SMS through `deliver` instead of the outbox.
    pub fn with_deliver(mut self, deliver: crate::deliver::Deliver) -> Self {
        self.deliver = deliver;
        self
    }

    /// Sets the rate limits per key, in events per second.
    pub fn with_limits(mut self, publishable: NonZeroU32, secret: Option<NonZeroU32>) -> Self {
        self.limits = Arc::new(KeyLimits::new(publishable, secret));
        self
    }

    /// Links in e-mail lead to `origin` (no trailing slash).
    pub fn with_public_origin(mut self, origin: Option<String>) -> Self {
        self.public_origin = origin.map(|o| o.trim_end_matches('/').to_string());
        self
    }

    pub fn with_cookie_secure(mut self, secure: CookieSecure) -> Self {
        self.cookie_secure = secure;
        self
    }

    /// Believes `X-Forwarded-For` and `X-Forwarded-Proto` from these addresses.
    pub fn with_trusted_proxies(mut self, proxies: TrustedProxies) -> Self {
        self.proxies = Arc::new(proxies);
        self
    }
}

fn random_key() -> [u8; 32] {
    use rand::RngCore;
    let mut key = [0u8; 32];
    rand::rng().fill_bytes(&mut key);
    key
}
