//! Rows the store gives back that are not domain types of their own.

use chrono::{DateTime, Utc};
use motesplats_core::{
    ChannelKey, Identifier, PageRequest, PersonId, Phase, ProfileId, ProviderId, Touchpoint,
    TouchpointKind, UserId,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// An API key's public side; the token itself is shown once and never stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ApiKey {
    pub id: Uuid,
    pub provider_id: ProviderId,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Member,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Member => "member",
        }
    }

    pub fn from_db(s: &str) -> Role {
        if s == "admin" {
            Role::Admin
        } else {
            Role::Member
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: UserId,
    pub provider_id: ProviderId,
    pub email: String,
    pub role: Role,
}

#[derive(Debug, Clone, Default)]
pub struct ProfileFilter {
    pub page: PageRequest,
    /// Only the profile holding this identifier.
    pub identifier: Option<Identifier>,
}

#[derive(Debug, Clone, Default)]
pub struct TouchpointFilter {
    pub page: PageRequest,
    pub profile: Option<ProfileId>,
    pub channel: Option<ChannelKey>,
    pub kind: Option<TouchpointKind>,
    pub phase: Option<Phase>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Newest first; the cursor then pages towards older rows.
    pub newest_first: bool,
}

/// One result of a touchpoint insert.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Inserted {
    pub touchpoint: Touchpoint,
    /// True when the event id had been seen before and nothing new was stored.
    pub duplicate: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ChannelPhaseCount {
    pub channel: String,
    pub phase: Option<Phase>,
    pub count: u64,
}

/// One read of a person's data by a provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AccessEntry {
    pub provider_id: ProviderId,
    pub person_id: PersonId,
    pub profile_id: Option<ProfileId>,
    /// What was read: `profile`, `person`, `touchpoints`.
    pub action: String,
    pub at: DateTime<Utc>,
}
