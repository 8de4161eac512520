//! Rows the store gives back that are not domain types of their own.

use chrono::{DateTime, Utc};
use motesplats_core::{
    ChannelKey, Cursor, Identifier, PageRequest, PersonId, Phase, Profile, ProfileId,
    ProfileSearch, ProviderId, Touchpoint, TouchpointKind, UserId,
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
    pub kind: KeyKind,
    pub origins: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What a provider's user is to the provider; what each role may do is the server's
/// table of capabilities (`ui/roles.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Analyst,
    Support,
    Staff,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Analyst, Role::Support, Role::Staff];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Analyst => "analyst",
            Role::Support => "support",
            Role::Staff => "staff",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// A stored role; one this build does not know (written by a newer one) gets
    /// the shop-floor role's narrow rights rather than none or all.
    pub fn from_db(s: &str) -> Role {
        Role::parse(s).unwrap_or(Role::Staff)
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
    /// Every profile of this person: one timeline of its story.
    pub person: Option<PersonId>,
    pub channel: Option<ChannelKey>,
    pub kind: Option<TouchpointKind>,
    pub phase: Option<Phase>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Newest first; the cursor then pages towards older rows.
    pub newest_first: bool,
    /// By when they happened (then by id), not by when they were recorded; the
    /// cursor is still a touchpoint's id.
    pub by_occurrence: bool,
}

/// A page of the customer list: newest profile first.
#[derive(Debug, Clone, Default)]
pub struct CustomerQuery {
    pub search: Option<ProfileSearch>,
    /// `after` pages towards older profiles.
    pub page: PageRequest,
    /// Pages back: the `page.limit` profiles just newer than this one (then `after` is unused).
    pub before: Option<Cursor>,
}

/// A profile in the customer list, with how much of its story there is.
#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    pub profile: Profile,
    pub touchpoints: u64,
    /// When its latest touchpoint happened.
    pub last_seen: Option<DateTime<Utc>>,
    /// How many of the provider's profiles its person has, itself included.
    pub person_profiles: u64,
}

impl CustomerQuery {
    /// The page in the list's order (newest first) from profiles and their (count, last
    /// seen) as a backend read them: paging back reads them oldest first.
    pub(crate) fn page(
        &self,
        profiles: Vec<Profile>,
        stats: Vec<(i64, Option<DateTime<Utc>>, i64)>,
    ) -> Vec<Customer> {
        let mut customers: Vec<Customer> = profiles
            .into_iter()
            .zip(stats)
            .map(|(profile, (n, last_seen, siblings))| Customer {
                profile,
                touchpoints: n.max(0) as u64,
                last_seen,
                person_profiles: siblings.max(1) as u64,
            })
            .collect();
        if self.before.is_some() {
            customers.reverse();
        }
        customers
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ChannelPhaseCount {
    pub channel: String,
    pub phase: Option<Phase>,
    pub count: u64,
}

impl AccessEntry {
    /// Entries for the distinct (person, profile) pairs among `reads`, at one time.
    pub fn for_reads(
        reader: ProviderId,
        action: &str,
        reads: impl IntoIterator<Item = (PersonId, ProfileId)>,
    ) -> Vec<AccessEntry> {
        let mut seen = std::collections::HashSet::new();
        let at = Utc::now();
        reads
            .into_iter()
            .filter(|r| seen.insert(*r))
            .map(|(person, profile)| AccessEntry {
                provider_id: reader,
                person_id: person,
                profile_id: Some(profile),
                action: action.to_string(),
                at,
            })
            .collect()
    }
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

/// How a touchpoint given by identifiers finds its profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stitch {
    /// In the same transaction: the answer carries the profile id.
    Now,
    /// Later, by `resolve_pending`: ingestion stays fast. A touchpoint whose
    /// identifiers are all on the profile it would land on is stored placed at once
    /// (placing it changes nothing, so it costs only lookups).
    Later,
}

/// What became of one touchpoint given to `insert_touchpoints`.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Stored(Touchpoint),
    /// Its event id had been seen before: nothing new was stored; this is the earlier one.
    Duplicate(Touchpoint),
    /// It names something that does not exist for this provider (a profile id).
    Rejected(motesplats_core::Invalid),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum KeyKind {
    /// Full access to the provider's data over the API.
    Secret,
    /// Write-only: may only send touchpoints, from the allowed web origins. Safe to
    /// publish in a web page or an app.
    Publishable,
}

impl KeyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::Secret => "secret",
            KeyKind::Publishable => "publishable",
        }
    }

    /// The kind a stored key has. Any other value is corruption and grants nothing:
    /// reading it as a secret key would open the provider's data to a write-only key.
    pub fn from_db(s: &str) -> crate::Result<KeyKind> {
        match s {
            "secret" => Ok(KeyKind::Secret),
            "publishable" => Ok(KeyKind::Publishable),
            other => Err(crate::StoreError::Backend(format!(
                "unreadable key kind {other:?} in the database"
            ))),
        }
    }
}

/// A key to be created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApiKey {
    pub label: String,
    pub kind: KeyKind,
    /// Web origins (`https://shop.example`) a publishable key may be used from.
    pub origins: Vec<String>,
}

impl NewApiKey {
    /// A secret key with this label.
    pub fn secret(label: &str) -> Self {
        NewApiKey {
            label: label.to_string(),
            kind: KeyKind::Secret,
            origins: Vec::new(),
        }
    }
}

/// What a presented key allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyGrant {
    pub key_id: Uuid,
    pub provider_id: ProviderId,
    pub kind: KeyKind,
    pub origins: Vec<String>,
}

/// Which quarantined events: all, or those from one source and/or refused on one field.
#[derive(Debug, Clone, Default)]
pub struct QuarantineFilter {
    /// `batch`, `import`, `touchpoint`.
    pub source: Option<String>,
    /// A field one of its reasons names, such as `occurred_at`.
    pub field: Option<String>,
}

/// An event that was rejected, kept aside so the provider can inspect, fix and replay it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Quarantined {
    pub id: Uuid,
    pub provider_id: ProviderId,
    pub received_at: DateTime<Utc>,
    /// Where it came from: `batch`, `import`, `touchpoint`, `tracking`.
    pub source: String,
    /// The event as it arrived (JSON, or the raw line when it was not JSON).
    pub raw: String,
    pub errors: Vec<motesplats_core::FieldError>,
}

/// A research project as stored: the engine's export document and its version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredProject {
    pub id: Uuid,
    pub owner: ProviderId,
    /// Counts saves; a save must name the version it changes.
    pub version: i64,
    pub document: serde_json::Value,
    pub updated_at: DateTime<Utc>,
}

/// A survey as stored: its owner, its definition, and its revision, which counts
/// saves (the ETag a change must name in If-Match).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredSurvey {
    pub owner: ProviderId,
    pub revision: i64,
    pub survey: motesplats_core::survey::Survey,
}

/// A change of a survey, made inside the store's transaction: it gets the stored
/// definition and whether the survey has responses, and gives the definition to save.
pub type SurveyChange = Box<
    dyn FnOnce(
            motesplats_core::survey::Survey,
            bool,
        ) -> Result<motesplats_core::survey::Survey, motesplats_core::Invalid>
        + Send,
>;

/// How a response is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseWrite {
    /// A new response; with the SHA-256 of its resume token when it may be continued.
    New { resume_sha256: Option<[u8; 32]> },
    /// The next save of the partial response with this id, opened by its resume token.
    Continue { resume_sha256: [u8; 32] },
}

/// Whether a response was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ResponseSaved {
    Saved,
    /// The survey is no longer at the revision the response was checked against;
    /// nothing was stored. Check it again against the survey as it is now.
    SurveyChanged,
}

/// What probabilistic linkage found about some of a provider's profiles: their
/// blocking keys, the pairs it links, and the pairs in the review band.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinkagePairs {
    pub keys: Vec<(ProfileId, Vec<String>)>,
    pub links: Vec<motesplats_core::identity::Match>,
    pub review: Vec<motesplats_core::identity::Match>,
}

/// The settings a provider keeps as one document each (the server reads and checks
/// them with the core's types).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsKind {
    /// The tracking protocol's table from `track` event names to kinds.
    EventNames,
    /// The anchors and windows of journeys.
    Journeys,
    /// The rules that classify a journey by its motivation.
    MotivationRules,
    /// How long each kind of data is kept, and what the law keeps past an erasure.
    Retention,
}

impl SettingsKind {
    pub fn name(self) -> &'static str {
        match self {
            SettingsKind::EventNames => "event_names",
            SettingsKind::Journeys => "journeys",
            SettingsKind::MotivationRules => "motivation_rules",
            SettingsKind::Retention => "retention",
        }
    }
}

/// What a member of a network may read of what the network shares.
#[derive(Debug)]
pub enum Shared<T> {
    /// No such network, or the reader is not a member of it.
    Unknown,
    /// The network has not agreed to share this kind of data.
    Withheld,
    Granted(T),
}
