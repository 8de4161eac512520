//! The ingestion path shared by every way touchpoints arrive (one at a time, in
//! batches, from files, from the quarantine): check each event against the core's
//! rules and the provider's tracking plan, so all paths accept and reject alike.

pub mod batch;
pub mod limits;
pub mod recent;
pub mod resolver;
pub mod tracking;

use crate::auth::Sender;
use crate::error::ApiError;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use motesplats_core::plan::{CheckedPlan, PlanMode};
use motesplats_core::touchpoint::{Subject, TouchpointInput};
use motesplats_core::tracking_protocol::EventNames;
use motesplats_core::{Channel, FieldError, Invalid, NewTouchpoint, ProviderId};
use std::sync::Arc;

/// What checking a provider's events needs, loaded once per request or file.
pub struct Context {
    pub region: String,
    pub channels: Vec<Channel>,
    pub plan: Option<Arc<CheckedPlan>>,
    /// Whether events may name a profile by id. A publishable key may not: it is
    /// public, so whatever it learns or touches by an id must not depend on what is
    /// stored (see [`Context::for_sender`]).
    pub names_profiles: bool,
    /// The provider's table of event names, for messages of the tracking protocol.
    pub event_names: Arc<EventNames>,
    pub provider: ProviderId,
    /// The provider's erased identifiers: an arrival carrying one is refused.
    pub tombstones: Arc<crate::erasure::Tombstones>,
}

/// The provider's country, for reading phone numbers written without a country code.
pub async fn region(state: &AppState, provider: ProviderId) -> Result<String, ApiError> {
    Ok(state
        .store
        .provider(provider)
        .await?
        .map(|p| p.country)
        .unwrap_or_else(|| "SE".into()))
}

impl Context {
    pub async fn load(state: &AppState, provider: ProviderId) -> Result<Context, ApiError> {
        let region = region(state, provider).await?;
        let channels = state.store.channels(provider).await?;
        let plan = state.plans.plan(state, provider).await?;
        Ok(Context {
            region,
            channels,
            plan,
            names_profiles: true,
            event_names: state.event_names.names(state, provider).await?,
            provider,
            tombstones: crate::erasure::of(state, provider).await?,
        })
    }

    /// The context for a key's events. A publishable key sits in web pages where
    /// anyone can copy it: an event naming a `profile_id` is refused whatever the id,
    /// so the answer never tells whether that profile exists, and no one can add to
    /// a known customer's history. Browsers and apps send identifiers instead.
    pub async fn for_sender(state: &AppState, sender: &Sender) -> Result<Context, ApiError> {
        let mut context = Self::load(state, sender.provider).await?;
        context.names_profiles = !sender.publishable;
        Ok(context)
    }

    /// Whether the provider has this channel (built in or its own).
    pub fn knows(&self, channel: &str) -> bool {
        self.channels.iter().any(|c| c.key.as_str() == channel)
    }

    /// Checks one event. `require_event_id` is set where retries must be idempotent.
    pub fn check(
        &self,
        input: TouchpointInput,
        now: DateTime<Utc>,
        require_event_id: bool,
    ) -> Result<NewTouchpoint, Invalid> {
        let known = |k: &str| self.knows(k);
        let mut refused = Vec::new();
        if require_event_id && input.event_id.is_none() {
            refused.push(FieldError {
                field: "event_id".into(),
                reason: motesplats_core::Reason::RetryKey,
            });
        }
        if !self.names_profiles && input.profile_id.is_some() {
            refused.push(FieldError {
                field: "profile_id".into(),
                reason: motesplats_core::Reason::NotWithPublishable,
            });
        }
        let t = NewTouchpoint::parse(input, &self.region, known, now);
        let mut t = match (t, refused.is_empty()) {
            (t, true) => t?,
            (Ok(_), false) => return Err(Invalid(refused)),
            (Err(mut e), false) => {
                refused.append(&mut e.0);
                return Err(Invalid(refused));
            }
        };
        if let Subject::Identifiers(ids) = &t.subject {
            self.tombstones
                .refuse(self.provider, ids, |i| format!("identifiers[{i}]"))?;
        }
        if let Some(plan) = &self.plan {
            let violations = plan.violations(&t);
            if !violations.is_empty() {
                match plan.plan.mode {
                    PlanMode::Reject => return Err(Invalid(violations)),
                    PlanMode::Flag => t.flags = violations,
                }
            }
        }
        Ok(t)
    }
}

/// Compiled tracking plans (None: the provider has none).
pub type PlanCache = recent::Recent<Option<Arc<CheckedPlan>>>;

impl PlanCache {
    pub async fn plan(
        &self,
        state: &AppState,
        provider: ProviderId,
    ) -> Result<Option<Arc<CheckedPlan>>, ApiError> {
        self.get(provider, async {
            match state.store.tracking_plan(provider).await? {
                None => Ok(None),
                Some(p) => Ok(Some(Arc::new(CheckedPlan::compile(p).map_err(|e| {
                    ApiError::Internal(format!("a stored plan does not compile: {e}"))
                })?))),
            }
        })
        .await
    }
}

/// Each provider's table from `track` event names to kinds.
pub type EventNamesCache = recent::Recent<Arc<EventNames>>;

impl EventNamesCache {
    pub async fn names(
        &self,
        state: &AppState,
        provider: ProviderId,
    ) -> Result<Arc<EventNames>, ApiError> {
        self.get(provider, async {
            Ok(Arc::new(crate::settings::read(state, provider).await?))
        })
        .await
    }
}
