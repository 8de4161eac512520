//! A provider's settings documents (the tracking protocol's event names, the
//! journeys' anchors and windows, the motivation rules, the retention periods), read
//! and written with the core's types; a provider that never set one has the defaults.

use crate::error::ApiError;
use crate::state::AppState;
use motesplats_core::ProviderId;
use motesplats_core::journey::JourneySettings;
use motesplats_core::journey::motivation::MotivationRules;
use motesplats_core::retention::Retention;
use motesplats_core::tracking_protocol::EventNames;
use motesplats_store::{Actor, SettingsKind, Store};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A settings document and the name it is stored under.
pub trait Settings: Serialize + DeserializeOwned + Default {
    const KIND: SettingsKind;
}

impl Settings for EventNames {
    const KIND: SettingsKind = SettingsKind::EventNames;
}

impl Settings for JourneySettings {
    const KIND: SettingsKind = SettingsKind::Journeys;
}

impl Settings for MotivationRules {
    const KIND: SettingsKind = SettingsKind::MotivationRules;
}

impl Settings for Retention {
    const KIND: SettingsKind = SettingsKind::Retention;
}

pub async fn read<T: Settings>(state: &AppState, provider: ProviderId) -> Result<T, ApiError> {
    read_in(state.store.as_ref(), provider).await
}

/// `read` straight from a store (the CLI has no server state).
pub async fn read_in<T: Settings>(store: &dyn Store, provider: ProviderId) -> Result<T, ApiError> {
    match store.settings(provider, T::KIND).await? {
        None => Ok(T::default()),
        Some(document) => serde_json::from_value(document).map_err(|e| {
            ApiError::Internal(format!(
                "the stored {} settings are unreadable: {e}",
                T::KIND.name()
            ))
        }),
    }
}

pub async fn write<T: Settings>(
    state: &AppState,
    provider: ProviderId,
    value: &T,
    by: Option<&Actor>,
) -> Result<(), ApiError> {
    let document = serde_json::to_value(value).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(state
        .store
        .set_settings(provider, T::KIND, document, by)
        .await?)
}
