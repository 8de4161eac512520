//! Storage behind one interface. `Store` is what the server and the CLI see;
//! `sqlite` is the embedded default, `postgres` the server deployment.
//!
//! Architecture invariant: every read of a person's data by a provider goes through
//! a `Store` method that takes the reading provider and writes the access log in the
//! same call, so no caller can forget it.

pub mod contact;
pub mod erasure;
pub mod grant;
pub mod linkage;
pub mod linking;
mod model;
pub mod postgres;
pub mod rectification;
pub mod sqlite;
pub mod staff;

pub use contact::{ContactAnswer, HeldRecord, ImportedConsent, Redeemed, SentContact};
pub use erasure::{Erased, HeldBack, Purged, Tombstone};
pub use grant::{GrantedRecord, ThroughGrant};
pub use linking::{Change, IdentityEvent};
pub use model::*;
pub use rectification::ToRectify;
pub use staff::{Actor, AuditAction, AuditEntry, Invitation, NewInvitation};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use motesplats_core::coding::{Coding, CodingId};
use motesplats_core::consent::{
    Choice, ContactPreferences, ContactRequest, Grant, NewGrant, NewRectification, Purpose,
    Rectification, Resolution,
};
use motesplats_core::identity::{Decision, Match};
use motesplats_core::linkage::{Model, Record};
use motesplats_core::plan::TrackingPlan;
use motesplats_core::retention::Retention;
use motesplats_core::segment::{Segment, SegmentId};
use motesplats_core::survey::{Response, ResponseId, Survey, SurveyId};
use motesplats_core::{
    AccountId, Channel, ContactId, FieldError, Identifier, Network, NetworkId, NewNetwork,
    NewProfile, NewProvider, NewTouchpoint, PageRequest, Person, PersonId, Profile, ProfileId,
    Provider, ProviderId, SharedData, Touchpoint, TouchpointId, UserId,
};
use std::sync::Arc;
use uuid::Uuid;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule was broken (an identifier held by another profile).
    #[error("conflict: {0}")]
    Conflict(motesplats_core::Invalid),
    /// A reference to something that does not exist for this provider.
    #[error("invalid reference: {0}")]
    Invalid(motesplats_core::Invalid),
    #[error("not found")]
    NotFound,
    /// The disk (or the database's size limit) is full: nothing of the write was
    /// kept, and the same write may succeed once there is room again.
    #[error("storage full: {0}")]
    Full(String),
    #[error("database: {0}")]
    Backend(String),
}

impl StoreError {
    /// A survey change made against a revision that is no longer the stored one.
    fn stale_survey(expected: i64, current: i64) -> Self {
        StoreError::Conflict(motesplats_core::Invalid::one(
            "if-match",
            motesplats_core::Reason::Changed {
                what: "survey".into(),
                expected,
                current,
            },
        ))
    }

    /// A second segment of the provider with the same name.
    fn segment_name_taken() -> Self {
        StoreError::Conflict(motesplats_core::Invalid::one(
            "name",
            motesplats_core::Reason::Exists {
                what: "segment".into(),
            },
        ))
    }

    /// The next save of a response that was completed.
    fn response_completed() -> Self {
        StoreError::Conflict(motesplats_core::Invalid::one(
            "response",
            motesplats_core::Reason::Completed,
        ))
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) {
            StoreError::Full(e.to_string())
        } else {
            StoreError::Backend(e.to_string())
        }
    }
}

/// PostgreSQL's SQLSTATE for "disk full".
const PG_DISK_FULL: &str = "53100";

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(d) if d.code().as_deref() == Some(PG_DISK_FULL) => {
                StoreError::Full(e.to_string())
            }
            _ => StoreError::Backend(e.to_string()),
        }
    }
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// A short name for logs: `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    // Providers and their credentials.
    async fn create_provider(&self, new: NewProvider) -> Result<Provider>;
    async fn provider(&self, id: ProviderId) -> Result<Option<Provider>>;
    async fn providers(&self) -> Result<Vec<Provider>>;
    async fn create_api_key(
        &self,
        provider: ProviderId,
        key: NewApiKey,
        token_sha256: [u8; 32],
    ) -> Result<ApiKey>;
    async fn api_keys(&self, provider: ProviderId) -> Result<Vec<ApiKey>>;
    async fn revoke_api_key(&self, provider: ProviderId, id: Uuid, at: DateTime<Utc>)
    -> Result<()>;
    /// What the live key with this hash allows.
    async fn key_grant(&self, token_sha256: [u8; 32]) -> Result<Option<KeyGrant>>;

    // Users of the web UI and their sessions.
    async fn create_user(
        &self,
        provider: ProviderId,
        email: &str,
        password_hash: &str,
        role: Role,
    ) -> Result<User>;
    /// The user and their password hash.
    async fn user_by_email(&self, email: &str) -> Result<Option<(User, String)>>;
    async fn create_session(
        &self,
        user: UserId,
        token_sha256: [u8; 32],
        expires_at: DateTime<Utc>,
    ) -> Result<()>;
    async fn session_user(
        &self,
        token_sha256: [u8; 32],
        now: DateTime<Utc>,
    ) -> Result<Option<User>>;
    async fn delete_session(&self, token_sha256: [u8; 32]) -> Result<()>;
    /// Deletes the sessions (of provider users and of persons) and the sign-in codes
    /// expired at `now`; how many.
    async fn purge_sessions(&self, now: DateTime<Utc>) -> Result<u64>;

    // The channel registry: built-ins and the provider's own.
    async fn create_channel(&self, provider: ProviderId, channel: Channel) -> Result<Channel>;
    async fn channels(&self, provider: ProviderId) -> Result<Vec<Channel>>;

    // Profiles and persons. Reads log access.
    /// Creates the profiles in one transaction, each a person of its own until the
    /// identifiers they carry join them to others (`linking`).
    async fn create_profiles(
        &self,
        provider: ProviderId,
        new: Vec<NewProfile>,
    ) -> Result<Vec<Profile>>;
    async fn profile(&self, reader: ProviderId, id: ProfileId) -> Result<Option<Profile>>;
    async fn profiles(&self, reader: ProviderId, filter: &ProfileFilter) -> Result<Vec<Profile>>;
    /// The customer list: profiles matching the search (any of its identifiers, or
    /// the name containing its text, case-insensitively), newest first.
    async fn customers(&self, reader: ProviderId, query: &CustomerQuery) -> Result<Vec<Customer>>;
    async fn add_identifier(
        &self,
        provider: ProviderId,
        profile: ProfileId,
        id: Identifier,
    ) -> Result<Profile>;
    /// The person with the profiles `reader` may see; None when it may see none.
    async fn person(&self, reader: ProviderId, id: PersonId) -> Result<Option<Person>>;
    async fn persons(&self, reader: ProviderId, page: PageRequest) -> Result<Vec<Person>>;

    // Identity: profiles stitched into persons (`linking`).
    /// Records a decision about two of the provider's profiles (one person, or never
    /// one), replacing any earlier one about the pair, and relinks them. `NotFound`
    /// unless both are the provider's.
    async fn decide(
        &self,
        provider: ProviderId,
        decision: Decision,
        by: Option<UserId>,
    ) -> Result<()>;
    /// The part of the provider's identity graph around `profile`, from which its
    /// person's links, shared identifiers and refused joins are told; None when the
    /// profile is not the reader's. Logs the read.
    async fn identity(
        &self,
        reader: ProviderId,
        profile: ProfileId,
    ) -> Result<Option<linking::Component>>;
    /// The merge history of the profiles, oldest first.
    async fn identity_history(
        &self,
        reader: ProviderId,
        profiles: Vec<ProfileId>,
    ) -> Result<Vec<IdentityEvent>>;
    /// Rebuilds the provider's persons from its identifiers and decisions, keeping
    /// every decision; how many profiles changed person.
    async fn relink(&self, provider: ProviderId) -> Result<usize>;
    /// A person verified that an identifier is theirs: the one bridge between
    /// providers' persons. The identifier joins `account`, or the account that
    /// already holds it, or a new one; which is returned. Conflict on `identifier`
    /// when another account holds it.
    async fn verify_identifier(
        &self,
        id: Identifier,
        account: Option<AccountId>,
    ) -> Result<AccountId>;
    /// Every provider's person carrying `id` when a person verified it; none
    /// otherwise. For the person's own side, never for a provider.
    async fn verified_persons(&self, id: Identifier) -> Result<Vec<(ProviderId, PersonId)>>;
    // The person's own sign-in, and what their account reaches.
    /// Keeps a one-time code for `id` (as SHA-256), replacing any earlier one.
    async fn issue_sign_in_code(
        &self,
        id: Identifier,
        code_sha256: [u8; 32],
        expires_at: DateTime<Utc>,
        tries: u32,
    ) -> Result<()>;
    /// Checks a code for `id` in one transaction: right and live, it is used up and
    /// `id` verified into `into` (the account of a person already signed in, who adds
    /// an address) or the account that holds it or a new one; wrong, one try fewer.
    async fn redeem_sign_in_code(
        &self,
        id: Identifier,
        code_sha256: [u8; 32],
        into: Option<AccountId>,
        now: DateTime<Utc>,
    ) -> Result<Redeemed>;
    async fn create_person_session(
        &self,
        account: AccountId,
        token_sha256: [u8; 32],
        expires_at: DateTime<Utc>,
    ) -> Result<()>;
    async fn person_session(
        &self,
        token_sha256: [u8; 32],
        now: DateTime<Utc>,
    ) -> Result<Option<AccountId>>;
    async fn delete_person_session(&self, token_sha256: [u8; 32]) -> Result<()>;
    /// The identifiers the account verified, oldest first.
    async fn account_identifiers(&self, account: AccountId) -> Result<Vec<Identifier>>;
    /// Each provider with a profile carrying one of the account's identifiers, and
    /// that provider's person: only what a verified identifier links, never what a
    /// provider's own merges add. For the person's side, never for a provider.
    async fn account_persons(&self, account: AccountId) -> Result<Vec<(Provider, PersonId)>>;
    /// Every record carrying one of the account's identifiers, by provider, with its
    /// touchpoints counted and the `latest` newest of them. The person's own reading:
    /// no provider read it, so nothing goes into the access log.
    async fn account_records(&self, account: AccountId, latest: u32) -> Result<Vec<HeldRecord>>;
    /// The person's own consent choices, by provider.
    async fn own_consents(&self, account: AccountId) -> Result<Vec<(ProviderId, Choice)>>;
    // The person's own side: contact preferences, consent and contact decisions.
    /// NotFound when there is no such account.
    async fn set_contact_preferences(
        &self,
        account: AccountId,
        preferences: ContactPreferences,
    ) -> Result<()>;
    /// The account's preferences; None until the person sets them.
    async fn contact_preferences(&self, account: AccountId) -> Result<Option<ContactPreferences>>;
    /// Keeps consents the provider collected elsewhere: the latest per profile and
    /// purpose. All or nothing: a profile that is not the provider's is invalid
    /// (`[i].profile_id`). How many were given.
    async fn import_consents(
        &self,
        provider: ProviderId,
        consents: Vec<ImportedConsent>,
    ) -> Result<usize>;
    /// The choice that holds for the provider's person about `purpose`: their own (through
    /// a verified address), else the provider's latest import; None when neither exists.
    async fn holding_consent(
        &self,
        provider: ProviderId,
        person: PersonId,
        purpose: Purpose,
    ) -> Result<Option<Choice>>;
    /// The person's own choice about one provider and purpose, which wins over any import.
    async fn choose_consent(
        &self,
        account: AccountId,
        provider: ProviderId,
        choice: Choice,
    ) -> Result<()>;
    /// Stores a grant the person made, with their consent to its purpose at the
    /// reader (granting is consenting). Invalid when holder or reader keeps no
    /// record carrying one of the account's identifiers.
    async fn create_grant(
        &self,
        account: AccountId,
        grant: NewGrant,
        now: DateTime<Utc>,
    ) -> Result<Grant>;
    /// Every grant the account made, revoked and lapsed ones too, newest first.
    async fn grants(&self, account: AccountId) -> Result<Vec<Grant>>;
    /// Stops the grant at once. NotFound unless it is the account's.
    async fn revoke_grant(&self, account: AccountId, id: Uuid, now: DateTime<Utc>) -> Result<()>;
    /// What `reader` may read of its `person` through the person's live grants, each
    /// record read written to the access log as the reader's in the same call. None
    /// when the person is not the reader's.
    async fn shared(
        &self,
        reader: ProviderId,
        person: PersonId,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<ThroughGrant>>>;
    /// Sends a rectification request to a provider that holds a record carrying one
    /// of the account's identifiers (Invalid otherwise).
    async fn request_rectification(
        &self,
        account: AccountId,
        request: NewRectification,
        now: DateTime<Utc>,
    ) -> Result<Rectification>;
    /// The account's requests and their answers, newest first.
    async fn rectifications(&self, account: AccountId) -> Result<Vec<Rectification>>;
    /// The requests sent to the provider, unanswered first.
    async fn rectifications_to(&self, provider: ProviderId) -> Result<Vec<ToRectify>>;
    /// The provider's answer; NotFound for another provider's request.
    async fn answer_rectification(
        &self,
        provider: ProviderId,
        id: Uuid,
        outcome: Resolution,
        note: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<ToRectify>;
    /// Erases everything the account's verified identifiers reach at every provider
    /// (records, their touchpoints, survey responses, consents, contacts, links),
    /// leaving per provider a tombstone of each identifier they carried and relinking
    /// the provider's other profiles that were one person with them; revokes the
    /// account's grants and drops its correction requests. One transaction.
    async fn erase(
        &self,
        account: AccountId,
        tombstone: Tombstone,
        now: DateTime<Utc>,
    ) -> Result<Vec<Erased>>;
    /// The keyed hashes of the identifiers erased at the provider.
    async fn tombstones(&self, provider: ProviderId) -> Result<Vec<[u8; 32]>>;
    /// What was erased for the account, newest first.
    async fn erasures(&self, account: AccountId) -> Result<Vec<Erased>>;
    /// What the providers keep of the account by law after an erasure.
    async fn held_back(&self, account: AccountId) -> Result<Vec<HeldBack>>;
    /// Deletes what the provider keeps past its retention periods (the oldest first
    /// gone), and held-back touchpoints whose legal hold ended.
    async fn purge(
        &self,
        provider: ProviderId,
        retention: Retention,
        now: DateTime<Utc>,
    ) -> Result<Purged>;
    /// May `provider` contact its `person` now? Decided and, on an allow, held in
    /// one transaction, so parallel askers never overdraw a budget. None when the
    /// person is not the provider's.
    async fn contact_decision(
        &self,
        provider: ProviderId,
        person: PersonId,
        request: ContactRequest,
        now: DateTime<Utc>,
    ) -> Result<Option<ContactAnswer>>;
    /// The provider sent a contact it was allowed; confirming again answers the
    /// same. NotFound for another provider's; Conflict on `id` once it lapsed.
    async fn confirm_contact(
        &self,
        provider: ProviderId,
        id: ContactId,
        now: DateTime<Utc>,
    ) -> Result<SentContact>;
    /// Records who is who in truth (the demo's, or a provider's labelled sample):
    /// each profile's human, as a number.
    async fn set_identity_truth(
        &self,
        provider: ProviderId,
        truth: Vec<(ProfileId, u64)>,
    ) -> Result<()>;
    /// Each of the provider's profiles with a truth: its person now and its human.
    async fn identity_truth(&self, provider: ProviderId) -> Result<Vec<(PersonId, u64)>>;

    // Probabilistic linkage (`linkage` runs it).
    /// Every profile of the provider with linkage attributes, as a record whose id
    /// is the profile's. For linking, not for showing: nothing is logged.
    async fn linkage_records(&self, provider: ProviderId) -> Result<Vec<Record>>;
    /// The provider's trained model, if it has one.
    async fn linkage_model(&self, provider: ProviderId) -> Result<Option<Model>>;
    async fn save_linkage_model(&self, provider: ProviderId, model: Model) -> Result<()>;
    /// Replaces the provider's linkage (keys, `links` joining like an identifier,
    /// `review` waiting for a person), clears its waiting profiles and rebuilds its
    /// persons as `relink` does; how many profiles changed person. `NotFound` if a
    /// pair or key names another's profile.
    async fn set_linkage_pairs(&self, provider: ProviderId, pairs: LinkagePairs) -> Result<usize>;
    /// Profiles with names or addresses that arrived since their provider was last
    /// linked, as records (possibly without fields), at most `limit`, by provider.
    async fn linkage_pending(&self, limit: u32) -> Result<Vec<(ProviderId, Vec<Record>)>>;
    /// The records of the provider's profiles holding any of the blocking `keys`;
    /// a key on more than `cap` profiles is a block too large and is left out.
    async fn linkage_candidates(
        &self,
        provider: ProviderId,
        keys: Vec<String>,
        cap: usize,
    ) -> Result<Vec<Record>>;
    /// Adds what linking the waiting `absorbed` profiles found, takes them off the
    /// waiting list and relinks what the links reach; how many changed person.
    async fn absorb_linkage(
        &self,
        provider: ProviderId,
        absorbed: Vec<ProfileId>,
        pairs: LinkagePairs,
    ) -> Result<usize>;
    /// The pairs waiting for review: in the review band, not decided, not one person
    /// by other evidence; likeliest first, at most `limit`.
    async fn review_pairs(&self, provider: ProviderId, limit: u32) -> Result<Vec<Match>>;

    // Touchpoints. Reads log access.
    /// Stores the touchpoints durably in one transaction, one outcome per touchpoint in
    /// order. A touchpoint whose event id was seen before from this provider is not
    /// stored again. With `Stitch::Later`, touchpoints given by identifiers are stored
    /// without a profile and placed by `resolve_pending`, but for those whose placing
    /// would change nothing (`linking::holding_all`), stored placed.
    async fn insert_touchpoints(
        &self,
        provider: ProviderId,
        new: Vec<NewTouchpoint>,
        received_at: DateTime<Utc>,
        stitch: Stitch,
    ) -> Result<Vec<Outcome>>;
    /// Places up to `limit` touchpoints that wait for a profile (stitching by exact
    /// identifier within their provider); returns how many it placed. It is background
    /// work: a backend may place none while events are arriving, and fewer than `limit`.
    async fn resolve_pending(&self, limit: u32) -> Result<usize>;
    async fn touchpoint(&self, reader: ProviderId, id: TouchpointId) -> Result<Option<Touchpoint>>;
    async fn touchpoints(
        &self,
        reader: ProviderId,
        filter: &TouchpointFilter,
    ) -> Result<Vec<Touchpoint>>;
    /// Touchpoints per channel and declared phase: aggregate, so no access is logged.
    async fn touchpoint_counts(&self, provider: ProviderId) -> Result<Vec<ChannelPhaseCount>>;
    /// Every placed touchpoint as the journey log, for figures over all persons:
    /// aggregate, so no access is logged (what a figure drills down to is read
    /// through `touchpoints`, which logs it). Persons whose holding choice about
    /// analytics there is no are left out.
    async fn journey_log(&self, provider: ProviderId) -> Result<motesplats_core::journey::Log>;
    /// The journey log of every member of `network` together, for figures the network
    /// agreed to share as `share`: only to a member, and only when shared. The rows
    /// never leave the server; only their aggregates do.
    async fn network_log(
        &self,
        reader: ProviderId,
        network: NetworkId,
        share: SharedData,
    ) -> Result<Shared<motesplats_core::journey::Log>>;

    // Tracking plans and the quarantine of rejected events.
    /// Sets or (with None) removes the provider's tracking plan.
    async fn set_tracking_plan(
        &self,
        provider: ProviderId,
        plan: Option<TrackingPlan>,
    ) -> Result<()>;
    async fn tracking_plan(&self, provider: ProviderId) -> Result<Option<TrackingPlan>>;
    /// One of the provider's settings documents as stored; None when never set (the
    /// caller then uses its defaults).
    async fn settings(
        &self,
        provider: ProviderId,
        kind: SettingsKind,
    ) -> Result<Option<serde_json::Value>>;
    /// Replaces one of the provider's settings documents; a user's change (`by`) is
    /// in the audit log.
    async fn set_settings(
        &self,
        provider: ProviderId,
        kind: SettingsKind,
        document: serde_json::Value,
        by: Option<&Actor>,
    ) -> Result<()>;
    /// Keeps rejected events aside: (source, raw event, why).
    /// The provider's saved segments, by name.
    async fn segments(&self, provider: ProviderId) -> Result<Vec<Segment>>;
    async fn segment(&self, provider: ProviderId, id: SegmentId) -> Result<Option<Segment>>;
    /// Adds or replaces a segment (by id). Another segment of the same name is a
    /// conflict on `name`; an id of another provider's segment is not found.
    async fn save_segment(&self, provider: ProviderId, segment: Segment) -> Result<()>;
    /// False when the provider has no such segment.
    async fn delete_segment(&self, provider: ProviderId, id: SegmentId) -> Result<bool>;
    /// The persons with a profile at `provider` whose attribute `key` has `value`,
    /// compared as text (`gold`, `4`, `true`): a segment's trait rule.
    async fn trait_persons(
        &self,
        provider: ProviderId,
        key: &str,
        value: &str,
    ) -> Result<Vec<PersonId>>;
    /// The person of each of `profiles` that is `provider`'s (survey responses meet
    /// persons through their profiles).
    async fn profile_persons(
        &self,
        provider: ProviderId,
        profiles: &[ProfileId],
    ) -> Result<Vec<(ProfileId, PersonId)>>;

    async fn quarantine(
        &self,
        provider: ProviderId,
        events: Vec<(String, String, Vec<FieldError>)>,
    ) -> Result<()>;
    /// The quarantined events `filter` selects, oldest first.
    async fn quarantined(
        &self,
        provider: ProviderId,
        filter: &QuarantineFilter,
        page: PageRequest,
    ) -> Result<Vec<Quarantined>>;
    async fn quarantined_one(&self, provider: ProviderId, id: Uuid) -> Result<Option<Quarantined>>;
    /// Removes a quarantined event (after a replay, or to discard it).
    async fn release_quarantined(&self, provider: ProviderId, id: Uuid) -> Result<()>;
    /// Discards every quarantined event `filter` selects; how many. A user's discard
    /// (`by`) is in the audit log.
    async fn discard_quarantined(
        &self,
        provider: ProviderId,
        filter: &QuarantineFilter,
        by: Option<&Actor>,
    ) -> Result<u64>;

    // Research projects, stored whole with a version.
    async fn create_project(
        &self,
        owner: ProviderId,
        id: Uuid,
        document: serde_json::Value,
    ) -> Result<StoredProject>;
    /// The project, if `reader` owns it or is invited to it.
    async fn project(&self, reader: ProviderId, id: Uuid) -> Result<Option<StoredProject>>;
    /// The projects `reader` owns or is invited to, newest first.
    async fn projects(&self, reader: ProviderId) -> Result<Vec<StoredProject>>;
    /// Saves a new document if the stored version is still `expected_version`;
    /// otherwise `Conflict` naming the current version. NotFound if `writer` may not see it.
    async fn save_project(
        &self,
        writer: ProviderId,
        id: Uuid,
        expected_version: i64,
        document: serde_json::Value,
    ) -> Result<StoredProject>;
    /// Lets `guest` see and work in the owner's project.
    async fn invite_to_project(&self, owner: ProviderId, id: Uuid, guest: ProviderId)
    -> Result<()>;
    /// Keeps the bytes of a photo or screenshot of `project` under `id`, durably, if
    /// `viewer` may see the project (owner or guest, as `project`); otherwise NotFound.
    /// Conflict (field "id") if the id is taken. The bytes are not checked here: the
    /// caller inspected them with the core's `Attachment::inspect`.
    async fn put_attachment(
        &self,
        viewer: ProviderId,
        project: Uuid,
        id: Uuid,
        content_type: &str,
        data: &[u8],
    ) -> Result<()>;
    /// The content type and bytes of a project's image, if `viewer` may see the project.
    async fn attachment(
        &self,
        viewer: ProviderId,
        project: Uuid,
        id: Uuid,
    ) -> Result<Option<(String, Vec<u8>)>>;

    // Surveys and their responses.
    /// Conflict (field "id") if the id is taken. The survey starts at revision 1.
    async fn create_survey(&self, provider: ProviderId, survey: Survey) -> Result<()>;
    /// The survey, its owner and revision. With `Some(provider)` only that provider's;
    /// with None any (the public response page, which knows only the survey's id).
    async fn survey(
        &self,
        provider: Option<ProviderId>,
        id: SurveyId,
    ) -> Result<Option<StoredSurvey>>;
    async fn surveys(&self, provider: ProviderId) -> Result<Vec<Survey>>;
    /// Changes the survey in one transaction (a revision or a status change): checks
    /// the revision, asks whether responses exist, runs `change` and saves its result
    /// as the next revision, with no response or other change in between. NotFound if
    /// not the provider's; Conflict (field "if-match") if `expected` is given and is no
    /// longer the revision; Invalid with what `change` refused.
    async fn change_survey(
        &self,
        provider: ProviderId,
        id: SurveyId,
        expected: Option<i64>,
        change: SurveyChange,
    ) -> Result<StoredSurvey>;
    /// Stores a response checked against `revision` of its survey, in one transaction
    /// with the check that the survey is still at that revision. `Continue` replaces
    /// the partial save its token opens: NotFound when no response of the survey has
    /// this id and token, Conflict (field "response") when it was completed.
    async fn save_response(
        &self,
        provider: ProviderId,
        response: Response,
        revision: i64,
        write: ResponseWrite,
    ) -> Result<ResponseSaved>;
    /// The response to `survey` with this id, if `resume_sha256` is its resume token's.
    async fn resumable_response(
        &self,
        provider: ProviderId,
        survey: SurveyId,
        id: ResponseId,
        resume_sha256: [u8; 32],
    ) -> Result<Option<Response>>;
    /// All responses to the survey, oldest first.
    async fn responses(&self, provider: ProviderId, survey: SurveyId) -> Result<Vec<Response>>;
    /// The server's secret called `name`, shared by every node; `candidate` (fresh
    /// random bytes) becomes it if there is none yet.
    async fn server_secret(&self, name: &str, candidate: [u8; 32]) -> Result<[u8; 32]>;

    // Coding of open answers: the codebook is one document with a version; codings are rows.
    /// The provider's saved codebook (the core's `Codebook`) and its version; None
    /// while it uses the default.
    async fn codebook(&self, provider: ProviderId) -> Result<Option<(i64, serde_json::Value)>>;
    /// Saves the codebook if the stored version is still `expected_version` (None: none
    /// saved yet) and returns the new version; otherwise Conflict naming `version`.
    async fn save_codebook(
        &self,
        provider: ProviderId,
        expected_version: Option<i64>,
        document: serde_json::Value,
    ) -> Result<i64>;
    /// Stores a coding (checked by the core). NotFound unless its response is one of
    /// its survey's and the survey the provider's.
    async fn add_coding(&self, provider: ProviderId, coding: Coding) -> Result<()>;
    /// NotFound if the provider has no coding with this id.
    async fn delete_coding(&self, provider: ProviderId, id: CodingId) -> Result<()>;
    /// The survey's codings, oldest first.
    async fn codings(&self, provider: ProviderId, survey: SurveyId) -> Result<Vec<Coding>>;
    /// Whether any of the provider's codings carries the code key.
    async fn code_in_use(&self, provider: ProviderId, code: &str) -> Result<bool>;

    // Networks.
    async fn create_network(&self, new: NewNetwork, members: &[ProviderId]) -> Result<Network>;
    async fn networks(&self, provider: ProviderId) -> Result<Vec<Network>>;

    /// Who read this person's data, newest first.
    async fn access_log(&self, person: PersonId, limit: u32) -> Result<Vec<AccessEntry>>;

    // Provider staff: users by role, invitations, removal and the audit log. Each
    // action is written with its audit entry in the same call.
    /// The provider's users, by e-mail.
    async fn users(&self, provider: ProviderId) -> Result<Vec<User>>;
    /// Keeps an invitation (replacing one to the same address); refused if the address
    /// has an account.
    async fn invite_user(&self, by: &Actor, invitation: NewInvitation) -> Result<()>;
    /// The invitation behind a link, if it is live.
    async fn invitation(
        &self,
        token_sha256: [u8; 32],
        now: DateTime<Utc>,
    ) -> Result<Option<Invitation>>;
    /// Makes the invited user with this password and spends the invitation; None if
    /// it is not live.
    async fn accept_invitation(
        &self,
        token_sha256: [u8; 32],
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<User>>;
    /// NotFound for another provider's user; refused if it leaves no admin.
    async fn change_role(&self, by: &Actor, user: UserId, role: Role) -> Result<()>;
    /// Removes the provider's user and ends their sessions; refused for the last admin.
    async fn remove_user(&self, by: &Actor, user: UserId) -> Result<()>;
    /// Sets the user's password and ends their other sessions (all but `keep`).
    async fn change_password(&self, by: &Actor, password_hash: &str, keep: [u8; 32]) -> Result<()>;
    /// Keeps a reset link for the account with this e-mail, replacing an earlier one;
    /// the user, or None when no account has the address.
    async fn request_password_reset(
        &self,
        email: &str,
        token_sha256: [u8; 32],
        expires_at: DateTime<Utc>,
    ) -> Result<Option<User>>;
    /// The user a live reset link is for.
    async fn reset_user(&self, token_sha256: [u8; 32], now: DateTime<Utc>) -> Result<Option<User>>;
    /// Sets the password through a live reset link, spends it and ends every session
    /// of the user; None if the link is not live.
    async fn reset_password(
        &self,
        token_sha256: [u8; 32],
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<User>>;
    /// The provider's audit log, newest first: `limit` entries older than `before`.
    async fn audit_log(
        &self,
        provider: ProviderId,
        before: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<AuditEntry>>;
}

/// Opens the store a URL names: `postgres://...`, `sqlite://PATH` or a plain file path.
pub async fn open(url: &str) -> Result<Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        postgres::connect(url).await
    } else {
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        Ok(Arc::new(
            sqlite::SqliteStore::open(std::path::Path::new(path)).await?,
        ))
    }
}
