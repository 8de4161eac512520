//! `Store` for PostgreSQL.

use super::PgStore;
use super::rows::{self, stored};
use super::{
    account, attachments, coding, contact, customers, erasure, grant, ingest, journeys, linkage,
    linking, projects, rectification, segments, staff, surveys,
};
use crate::staff::{Actor, AuditAction, AuditEntry, Invitation, NewInvitation};
use crate::{
    AccessEntry, ApiKey, ChannelPhaseCount, ContactAnswer, Customer, CustomerQuery, Erased,
    HeldBack, HeldRecord, ImportedConsent, KeyGrant, KeyKind, LinkagePairs, NewApiKey, Outcome,
    ProfileFilter, Purged, QuarantineFilter, Quarantined, Redeemed, ResponseSaved, ResponseWrite,
    Result, Role, SentContact, SettingsKind, Stitch, Store, StoreError, StoredProject,
    StoredSurvey, SurveyChange, ThroughGrant, ToRectify, Tombstone, TouchpointFilter, User,
};
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
    AccountId, Channel, ChannelKey, ContactId, FieldError, Identifier, Invalid, Network, NetworkId,
    NewNetwork, NewProfile, NewProvider, NewTouchpoint, PageRequest, Person, PersonId, Phase,
    Profile, ProfileId, Provider, ProviderId, SharedData, Touchpoint, TouchpointId, UserId,
    channel,
};
use sqlx::postgres::PgArguments;
use sqlx::types::Json;
use sqlx::{Arguments, AssertSqlSafe, PgConnection, Postgres, Row};
use std::collections::BTreeSet;
use uuid::Uuid;

pub(super) fn now() -> DateTime<Utc> {
    Utc::now()
}

fn origins_from(v: serde_json::Value) -> Result<Vec<String>> {
    serde_json::from_value(v).map_err(|_| StoreError::Backend("unreadable key origins".into()))
}

pub(super) fn encode(e: sqlx::error::BoxDynError) -> StoreError {
    StoreError::Backend(format!("cannot encode a query argument: {e}"))
}

/// The advisory-lock class of per-provider identity writes ("Mot"); the second key is
/// the provider. Two providers sharing a key only wait for each other, nothing more.
const PROVIDER_LOCK_CLASS: i32 = 0x004d_6f74;

/// The second key of the provider's advisory lock. A transaction that takes the locks
/// of several providers takes them in the order of this key, so two such transactions
/// cannot each hold one the other waits for.
pub(super) fn provider_lock_key(provider: ProviderId) -> i32 {
    let b = provider.0.as_u128();
    (b ^ (b >> 32) ^ (b >> 64) ^ (b >> 96)) as u32 as i32
}

/// Makes the provider's other identity writes wait until this transaction ends.
/// Stitching looks identifiers up and then adds them: without turns, two batches with
/// the same new e-mail address would each make a profile, or one would fail on the key.
pub(super) async fn lock_provider(c: &mut PgConnection, provider: ProviderId) -> Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
        .bind(PROVIDER_LOCK_CLASS)
        .bind(provider_lock_key(provider))
        .execute(c)
        .await?;
    Ok(())
}

/// Why a touchpoint naming a profile the provider does not have is rejected.
pub(super) fn no_profile(id: ProfileId) -> Invalid {
    Invalid::one(
        "profile_id",
        motesplats_core::Reason::NoProfile { id: id.to_string() },
    )
}

/// Writes a profile, a person of its own (its id is the profile's), and its
/// identifiers; returns it with the profiles whose persons its identifiers may change.
async fn insert_profile(
    c: &mut PgConnection,
    provider: ProviderId,
    p: &NewProfile,
    at: DateTime<Utc>,
    touched: &mut BTreeSet<ProfileId>,
) -> Result<Profile> {
    let person = PersonId(p.id.0);
    let at = stored(at);
    sqlx::query("INSERT INTO persons (id, created_at) VALUES ($1, $2)")
        .bind(person.0)
        .bind(at)
        .execute(&mut *c)
        .await?;
    sqlx::query(
        "INSERT INTO profiles (id, provider_id, person_id, display_name, attributes, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(p.id.0)
    .bind(provider.0)
    .bind(person.0)
    .bind(&p.display_name)
    .bind(Json(&p.attributes))
    .bind(at)
    .execute(&mut *c)
    .await?;
    touched
        .extend(linking::attach(c, crate::linking::rules(), provider, p.id, &p.identifiers).await?);
    if crate::linking::record(p.id, &p.attributes).is_some() {
        // Names or an address: probabilistic linkage compares it when it next runs.
        linkage::wait(c, provider, p.id).await?;
    }
    Ok(Profile {
        id: p.id,
        provider_id: provider,
        person_id: person,
        display_name: p.display_name.clone(),
        identifiers: p.identifiers.clone(),
        attributes: p.attributes.clone(),
        created_at: at,
    })
}

/// A touchpoint row followed by its profile's person (none while it waits for a
/// profile), as `touchpoint(s)` select them.
fn touchpoint_and_person(r: &sqlx::postgres::PgRow) -> Result<(Touchpoint, Option<PersonId>)> {
    let raw = rows::raw_touchpoint(r)?;
    let person = r
        .try_get::<Option<Uuid>, _>(rows::TOUCHPOINT_WIDTH)?
        .map(PersonId);
    Ok((raw.into_touchpoint()?, person))
}

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn create_provider(&self, new: NewProvider) -> Result<Provider> {
        let p = Provider {
            id: ProviderId::new(),
            name: new.name,
            time_zone: new.time_zone,
            country: new.country,
            created_at: stored(now()),
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO providers (id, name, time_zone, country, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(p.id.0)
            .bind(&p.name)
            .bind(&p.time_zone)
            .bind(&p.country)
            .bind(p.created_at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(p)
    }

    async fn provider(&self, id: ProviderId) -> Result<Option<Provider>> {
        rows::provider_by_id(&mut *self.pool.acquire().await?, id).await
    }

    async fn providers(&self) -> Result<Vec<Provider>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {} FROM providers ORDER BY name",
            rows::PROVIDER_COLUMNS
        )))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(rows::provider)
            .collect::<sqlx::Result<_>>()?)
    }

    async fn create_api_key(
        &self,
        provider: ProviderId,
        new: NewApiKey,
        token_sha256: [u8; 32],
    ) -> Result<ApiKey> {
        let key = ApiKey {
            id: Uuid::now_v7(),
            provider_id: provider,
            label: new.label,
            kind: new.kind,
            origins: new.origins,
            created_at: stored(now()),
            revoked_at: None,
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO api_keys (id, provider_id, label, token_sha256, created_at, kind, origins) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(key.id)
        .bind(key.provider_id.0)
        .bind(&key.label)
        .bind(token_sha256.as_slice())
        .bind(key.created_at)
        .bind(key.kind.as_str())
        .bind(Json(&key.origins))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(key)
    }

    async fn api_keys(&self, provider: ProviderId) -> Result<Vec<ApiKey>> {
        let rows = sqlx::query(
            "SELECT id, provider_id, label, created_at, revoked_at, kind, origins FROM api_keys \
             WHERE provider_id = $1 ORDER BY id",
        )
        .bind(provider.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get(5)?;
                Ok(ApiKey {
                    id: r.try_get(0)?,
                    provider_id: ProviderId(r.try_get(1)?),
                    label: r.try_get(2)?,
                    kind: KeyKind::from_db(&kind)?,
                    origins: origins_from(r.try_get(6)?)?,
                    created_at: r.try_get(3)?,
                    revoked_at: r.try_get(4)?,
                })
            })
            .collect()
    }

    async fn revoke_api_key(
        &self,
        provider: ProviderId,
        id: Uuid,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $3) WHERE id = $1 AND provider_id = $2")
            .bind(id)
            .bind(provider.0)
            .bind(stored(at))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }

    async fn key_grant(&self, token_sha256: [u8; 32]) -> Result<Option<KeyGrant>> {
        let row = sqlx::query(
            "SELECT id, provider_id, kind, origins FROM api_keys WHERE token_sha256 = $1 AND revoked_at IS NULL",
        )
        .bind(token_sha256.as_slice())
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let kind: String = r.try_get(2)?;
        Ok(Some(KeyGrant {
            key_id: r.try_get(0)?,
            provider_id: ProviderId(r.try_get(1)?),
            kind: KeyKind::from_db(&kind)?,
            origins: origins_from(r.try_get(3)?)?,
        }))
    }

    async fn create_user(
        &self,
        provider: ProviderId,
        email: &str,
        password_hash: &str,
        role: Role,
    ) -> Result<User> {
        let user = User {
            id: UserId::new(),
            provider_id: provider,
            email: email.to_lowercase(),
            role,
        };
        let taken = || {
            StoreError::Conflict(Invalid::one(
                "email",
                motesplats_core::Reason::Already {
                    what: "user".into(),
                },
            ))
        };
        let mut tx = self.pool.begin().await?;
        let found: Option<i32> = sqlx::query_scalar("SELECT 1 FROM users WHERE email = $1")
            .bind(&user.email)
            .fetch_optional(&mut *tx)
            .await?;
        if found.is_some() {
            return Err(taken());
        }
        sqlx::query(
            "INSERT INTO users (id, provider_id, email, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(user.id.0)
        .bind(user.provider_id.0)
        .bind(&user.email)
        .bind(password_hash)
        .bind(user.role.as_str())
        .bind(stored(now()))
        .execute(&mut *tx)
        .await
        .map_err(|e| match &e {
            // Another process made the same user between our look and our insert.
            sqlx::Error::Database(d) if d.is_unique_violation() => taken(),
            _ => e.into(),
        })?;
        tx.commit().await?;
        Ok(user)
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<(User, String)>> {
        let email = email.trim().to_lowercase();
        let row = sqlx::query(
            "SELECT id, provider_id, email, role, password_hash FROM users WHERE email = $1",
        )
        .bind(email)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let user = User {
            id: UserId(r.try_get(0)?),
            provider_id: ProviderId(r.try_get(1)?),
            email: r.try_get(2)?,
            role: Role::from_db(r.try_get(3)?),
        };
        Ok(Some((user, r.try_get(4)?)))
    }

    async fn create_session(
        &self,
        user: UserId,
        token_sha256: [u8; 32],
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO sessions (token_sha256, user_id, expires_at) VALUES ($1, $2, $3)")
            .bind(token_sha256.as_slice())
            .bind(user.0)
            .bind(stored(expires_at))
            .execute(&mut *tx)
            .await?;
        staff::by_user(&mut tx, user, AuditAction::SignIn, None).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session_user(
        &self,
        token_sha256: [u8; 32],
        now: DateTime<Utc>,
    ) -> Result<Option<User>> {
        let row = sqlx::query(
            "SELECT u.id, u.provider_id, u.email, u.role FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_sha256 = $1 AND s.expires_at > $2",
        )
        .bind(token_sha256.as_slice())
        .bind(stored(now))
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(User {
            id: UserId(r.try_get(0)?),
            provider_id: ProviderId(r.try_get(1)?),
            email: r.try_get(2)?,
            role: Role::from_db(r.try_get(3)?),
        }))
    }

    async fn delete_session(&self, token_sha256: [u8; 32]) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let user: Option<Uuid> =
            sqlx::query_scalar("DELETE FROM sessions WHERE token_sha256 = $1 RETURNING user_id")
                .bind(token_sha256.as_slice())
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(user) = user {
            staff::by_user(&mut tx, UserId(user), AuditAction::SignOut, None).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn purge_sessions(&self, now: DateTime<Utc>) -> Result<u64> {
        let mut n = 0;
        for table in ["sessions", "person_sessions", "sign_in_codes"] {
            n += sqlx::query(AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE expires_at <= $1"
            )))
            .bind(stored(now))
            .execute(&self.pool)
            .await?
            .rows_affected();
        }
        Ok(n)
    }

    async fn create_channel(&self, provider: ProviderId, ch: Channel) -> Result<Channel> {
        let mut tx = self.pool.begin().await?;
        let n = sqlx::query(
            "INSERT INTO channels (provider_id, key, name, controlled) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(provider.0)
        .bind(ch.key.as_str())
        .bind(&ch.name)
        .bind(ch.controlled)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::Conflict(Invalid::one(
                "key",
                motesplats_core::Reason::Exists {
                    what: "channel".into(),
                },
            )));
        }
        tx.commit().await?;
        Ok(ch)
    }

    async fn channels(&self, provider: ProviderId) -> Result<Vec<Channel>> {
        let own = sqlx::query(
            "SELECT key, name, controlled FROM channels WHERE provider_id = $1 ORDER BY key",
        )
        .bind(provider.0)
        .fetch_all(&self.pool)
        .await?;
        let mut all = channel::builtins();
        for r in own {
            let key: String = r.try_get(0)?;
            let key = ChannelKey::parse(&key)
                .map_err(|_| StoreError::Backend("unreadable channel key".into()))?;
            all.push(Channel {
                key,
                name: r.try_get(1)?,
                controlled: r.try_get(2)?,
                builtin: false,
            });
        }
        Ok(all)
    }

    async fn create_profiles(
        &self,
        provider: ProviderId,
        new: Vec<NewProfile>,
    ) -> Result<Vec<Profile>> {
        let mut tx = self.pool.begin().await?;
        lock_provider(&mut tx, provider).await?;
        let at = now();
        let mut out = Vec::with_capacity(new.len());
        let mut touched = BTreeSet::new();
        for p in &new {
            out.push(insert_profile(&mut tx, provider, p, at, &mut touched).await?);
        }
        linking::relink(&mut tx, crate::linking::rules(), provider, touched, at).await?;
        tx.commit().await?;
        Ok(out)
    }

    // Reads of a person's data run in one transaction with their access-log rows, so a
    // read that is returned is a read that is logged.

    async fn profile(&self, reader: ProviderId, id: ProfileId) -> Result<Option<Profile>> {
        let mut tx = self.pool.begin().await?;
        let profile = rows::profile_by_id(&mut tx, reader, id).await?;
        if let Some(p) = &profile {
            rows::log_access(
                &mut tx,
                &AccessEntry::for_reads(reader, "profile", [(p.person_id, p.id)]),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(profile)
    }

    async fn profiles(&self, reader: ProviderId, filter: &ProfileFilter) -> Result<Vec<Profile>> {
        let mut sql = format!(
            "SELECT {} FROM profiles WHERE provider_id = $1",
            rows::PROFILE_COLUMNS
        );
        let mut args = PgArguments::default();
        args.add(reader.0).map_err(encode)?;
        if let Some(after) = filter.page.after {
            args.add(after.0).map_err(encode)?;
            sql += &format!(" AND id > ${}", args.len());
        }
        if let Some(id) = &filter.identifier {
            args.add(id.kind.as_str()).map_err(encode)?;
            args.add(id.value.clone()).map_err(encode)?;
            sql += &format!(
                " AND id IN (SELECT profile_id FROM identifiers WHERE provider_id = $1 AND kind = ${} AND value = ${})",
                args.len() - 1,
                args.len()
            );
        }
        sql += &format!(" ORDER BY id LIMIT {}", filter.page.limit);
        let mut tx = self.pool.begin().await?;
        let found = sqlx::query_with(AssertSqlSafe(sql), args)
            .fetch_all(&mut *tx)
            .await?;
        let found = found
            .iter()
            .map(rows::profile)
            .collect::<sqlx::Result<_>>()?;
        let profiles = rows::complete_profiles(&mut tx, found).await?;
        rows::log_access(
            &mut tx,
            &AccessEntry::for_reads(
                reader,
                "profile",
                profiles.iter().map(|p| (p.person_id, p.id)),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(profiles)
    }

    async fn customers(&self, reader: ProviderId, query: &CustomerQuery) -> Result<Vec<Customer>> {
        let mut tx = self.pool.begin().await?;
        let found = customers::customers(&mut tx, reader, query).await?;
        rows::log_access(
            &mut tx,
            &AccessEntry::for_reads(
                reader,
                "profile",
                found.iter().map(|f| (f.profile.person_id, f.profile.id)),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(found)
    }

    async fn add_identifier(
        &self,
        provider: ProviderId,
        profile: ProfileId,
        id: Identifier,
    ) -> Result<Profile> {
        let mut tx = self.pool.begin().await?;
        lock_provider(&mut tx, provider).await?;
        if rows::profile_by_id(&mut tx, provider, profile)
            .await?
            .is_none()
        {
            return Err(StoreError::NotFound);
        }
        let rules = crate::linking::rules();
        let touched = linking::attach(&mut tx, rules, provider, profile, &[id]).await?;
        linking::relink(
            &mut tx,
            rules,
            provider,
            touched.into_iter().collect(),
            now(),
        )
        .await?;
        let updated = rows::profile_by_id(&mut tx, provider, profile)
            .await?
            .ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(updated)
    }

    async fn person(&self, reader: ProviderId, id: PersonId) -> Result<Option<Person>> {
        let mut tx = self.pool.begin().await?;
        let found = sqlx::query(AssertSqlSafe(format!(
            "SELECT {} FROM profiles WHERE person_id = $1 AND provider_id = $2 ORDER BY id",
            rows::PROFILE_COLUMNS
        )))
        .bind(id.0)
        .bind(reader.0)
        .fetch_all(&mut *tx)
        .await?;
        let found = found
            .iter()
            .map(rows::profile)
            .collect::<sqlx::Result<_>>()?;
        let profiles = rows::complete_profiles(&mut tx, found).await?;
        if profiles.is_empty() {
            return Ok(None);
        }
        rows::log_access(
            &mut tx,
            &AccessEntry::for_reads(
                reader,
                "person",
                profiles.iter().map(|p| (p.person_id, p.id)),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(Person { id, profiles }))
    }

    async fn persons(&self, reader: ProviderId, page: PageRequest) -> Result<Vec<Person>> {
        let after = page.after.map(|a| a.0).unwrap_or(Uuid::nil());
        let mut tx = self.pool.begin().await?;
        let found = sqlx::query(AssertSqlSafe(format!(
            "SELECT {} FROM profiles WHERE provider_id = $1 AND person_id IN \
             (SELECT DISTINCT person_id FROM profiles WHERE provider_id = $1 AND person_id > $2 \
              ORDER BY person_id LIMIT $3) ORDER BY person_id, id",
            rows::PROFILE_COLUMNS
        )))
        .bind(reader.0)
        .bind(after)
        .bind(i64::from(page.limit))
        .fetch_all(&mut *tx)
        .await?;
        let found = found
            .iter()
            .map(rows::profile)
            .collect::<sqlx::Result<_>>()?;
        let profiles = rows::complete_profiles(&mut tx, found).await?;
        rows::log_access(
            &mut tx,
            &AccessEntry::for_reads(
                reader,
                "person",
                profiles.iter().map(|p| (p.person_id, p.id)),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(Person::group(profiles))
    }

    async fn decide(
        &self,
        provider: ProviderId,
        decision: Decision,
        by: Option<UserId>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        lock_provider(&mut tx, provider).await?;
        let rules = crate::linking::rules();
        let audited = crate::staff::decision(&decision);
        linking::decide(&mut tx, rules, provider, decision, by.map(|u| u.0), now()).await?;
        if let Some(user) = by {
            staff::by_user(&mut tx, user, audited.0, Some(&audited.1)).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn identity(
        &self,
        reader: ProviderId,
        profile: ProfileId,
    ) -> Result<Option<crate::linking::Component>> {
        let mut tx = self.pool.begin().await?;
        let component = linking::walk(&mut tx, crate::linking::rules(), reader, [profile]).await?;
        if component.before.is_empty() {
            return Ok(None);
        }
        let log = AccessEntry::for_reads(
            reader,
            "identity",
            component.before.iter().map(|(p, person)| (*person, *p)),
        );
        rows::log_access(&mut tx, &log).await?;
        tx.commit().await?;
        Ok(Some(component))
    }

    async fn identity_history(
        &self,
        reader: ProviderId,
        profiles: Vec<ProfileId>,
    ) -> Result<Vec<crate::IdentityEvent>> {
        let mut c = self.pool.acquire().await?;
        linking::history(&mut c, reader, &profiles).await
    }

    async fn relink(&self, provider: ProviderId) -> Result<usize> {
        let mut tx = self.pool.begin().await?;
        lock_provider(&mut tx, provider).await?;
        let moved = linking::relink_all(&mut tx, crate::linking::rules(), provider, now()).await?;
        tx.commit().await?;
        Ok(moved)
    }

    async fn verify_identifier(
        &self,
        id: Identifier,
        account: Option<AccountId>,
    ) -> Result<AccountId> {
        contact::verify(&self.pool, &id, account, now()).await
    }

    async fn issue_sign_in_code(
        &self,
        id: Identifier,
        code_sha256: [u8; 32],
        expires_at: DateTime<Utc>,
        tries: u32,
    ) -> Result<()> {
        account::issue_code(&self.pool, &id, code_sha256, expires_at, tries).await
    }

    async fn redeem_sign_in_code(
        &self,
        id: Identifier,
        code_sha256: [u8; 32],
        into: Option<AccountId>,
        now: DateTime<Utc>,
    ) -> Result<Redeemed> {
        account::redeem(&self.pool, &id, code_sha256, into, now).await
    }

    async fn create_person_session(
        &self,
        account: AccountId,
        token_sha256: [u8; 32],
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        account::create_session(&self.pool, account, token_sha256, expires_at).await
    }

    async fn person_session(
        &self,
        token_sha256: [u8; 32],
        now: DateTime<Utc>,
    ) -> Result<Option<AccountId>> {
        account::session(&self.pool, token_sha256, now).await
    }

    async fn delete_person_session(&self, token_sha256: [u8; 32]) -> Result<()> {
        account::delete_session(&self.pool, token_sha256).await
    }

    async fn account_identifiers(&self, account: AccountId) -> Result<Vec<Identifier>> {
        account::identifiers(&self.pool, account).await
    }

    async fn account_persons(&self, account: AccountId) -> Result<Vec<(Provider, PersonId)>> {
        account::persons(&self.pool, account).await
    }

    async fn account_records(&self, account: AccountId, latest: u32) -> Result<Vec<HeldRecord>> {
        account::records(&mut *self.pool.acquire().await?, account, None, latest).await
    }

    async fn own_consents(&self, account: AccountId) -> Result<Vec<(ProviderId, Choice)>> {
        account::own_consents(&self.pool, account).await
    }

    async fn set_contact_preferences(
        &self,
        account: AccountId,
        preferences: ContactPreferences,
    ) -> Result<()> {
        contact::set_preferences(&self.pool, account, &preferences).await
    }

    async fn contact_preferences(&self, account: AccountId) -> Result<Option<ContactPreferences>> {
        let mut c = self.pool.acquire().await?;
        contact::preferences(&mut c, account).await
    }

    async fn import_consents(
        &self,
        provider: ProviderId,
        consents: Vec<ImportedConsent>,
    ) -> Result<usize> {
        contact::import_consents(&self.pool, provider, &consents).await
    }

    async fn holding_consent(
        &self,
        provider: ProviderId,
        person: PersonId,
        purpose: Purpose,
    ) -> Result<Option<Choice>> {
        let mut c = self.pool.acquire().await?;
        let account = contact::account_of(&mut c, provider, person).await?;
        let choices = contact::consents(&mut c, provider, person, account, purpose).await?;
        Ok(motesplats_core::consent::holding(&choices, purpose).cloned())
    }

    async fn choose_consent(
        &self,
        account: AccountId,
        provider: ProviderId,
        choice: Choice,
    ) -> Result<()> {
        contact::choose(&mut *self.pool.acquire().await?, account, provider, &choice).await
    }

    async fn create_grant(
        &self,
        account: AccountId,
        new: NewGrant,
        now: DateTime<Utc>,
    ) -> Result<Grant> {
        grant::create(&self.pool, account, &new, now).await
    }

    async fn grants(&self, account: AccountId) -> Result<Vec<Grant>> {
        grant::list(&self.pool, account).await
    }

    async fn revoke_grant(&self, account: AccountId, id: Uuid, now: DateTime<Utc>) -> Result<()> {
        grant::revoke(&self.pool, account, id, now).await
    }

    async fn shared(
        &self,
        reader: ProviderId,
        person: PersonId,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<ThroughGrant>>> {
        grant::shared(&self.pool, reader, person, now).await
    }

    async fn request_rectification(
        &self,
        account: AccountId,
        new: NewRectification,
        now: DateTime<Utc>,
    ) -> Result<Rectification> {
        rectification::request(&self.pool, account, &new, now).await
    }

    async fn rectifications(&self, account: AccountId) -> Result<Vec<Rectification>> {
        rectification::of_account(&self.pool, account).await
    }

    async fn rectifications_to(&self, provider: ProviderId) -> Result<Vec<ToRectify>> {
        rectification::to_provider(&self.pool, provider).await
    }

    async fn answer_rectification(
        &self,
        provider: ProviderId,
        id: Uuid,
        outcome: Resolution,
        note: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<ToRectify> {
        rectification::answer(&self.pool, provider, id, outcome, note.as_deref(), now).await
    }

    async fn erase(
        &self,
        account: AccountId,
        tombstone: Tombstone,
        now: DateTime<Utc>,
    ) -> Result<Vec<Erased>> {
        erasure::erase(&self.pool, account, &tombstone, now).await
    }

    async fn tombstones(&self, provider: ProviderId) -> Result<Vec<[u8; 32]>> {
        erasure::tombstones(&self.pool, provider).await
    }

    async fn erasures(&self, account: AccountId) -> Result<Vec<Erased>> {
        erasure::erasures(&self.pool, account).await
    }

    async fn held_back(&self, account: AccountId) -> Result<Vec<HeldBack>> {
        erasure::held_back(&self.pool, account).await
    }

    async fn purge(
        &self,
        provider: ProviderId,
        retention: Retention,
        now: DateTime<Utc>,
    ) -> Result<Purged> {
        erasure::purge(&self.pool, provider, &retention, now).await
    }

    async fn contact_decision(
        &self,
        provider: ProviderId,
        person: PersonId,
        request: ContactRequest,
        now: DateTime<Utc>,
    ) -> Result<Option<ContactAnswer>> {
        contact::decide(&self.pool, provider, person, &request, stored(now)).await
    }

    async fn confirm_contact(
        &self,
        provider: ProviderId,
        id: ContactId,
        now: DateTime<Utc>,
    ) -> Result<SentContact> {
        contact::confirm(&self.pool, provider, id, stored(now)).await
    }

    async fn verified_persons(&self, id: Identifier) -> Result<Vec<(ProviderId, PersonId)>> {
        let mut c = self.pool.acquire().await?;
        linking::verified_persons(&mut c, &id).await
    }

    async fn set_identity_truth(
        &self,
        provider: ProviderId,
        truth: Vec<(ProfileId, u64)>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO identity_truth (profile_id, provider_id, human) \
             SELECT p.id, p.provider_id, t.human FROM UNNEST($2::uuid[], $3::int8[]) AS t(id, human) \
             JOIN profiles p ON p.id = t.id AND p.provider_id = $1 \
             ON CONFLICT (profile_id) DO UPDATE SET human = excluded.human",
        )
        .bind(provider.0)
        .bind(truth.iter().map(|t| t.0.0).collect::<Vec<_>>())
        .bind(truth.iter().map(|t| t.1 as i64).collect::<Vec<_>>())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn identity_truth(&self, provider: ProviderId) -> Result<Vec<(PersonId, u64)>> {
        let rows: Vec<(Uuid, i64)> = sqlx::query_as(
            "SELECT p.person_id, t.human FROM identity_truth t \
             JOIN profiles p ON p.id = t.profile_id WHERE t.provider_id = $1",
        )
        .bind(provider.0)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(p, h)| (PersonId(p), h as u64))
            .collect())
    }

    async fn linkage_records(&self, provider: ProviderId) -> Result<Vec<Record>> {
        let mut c = self.pool.acquire().await?;
        linkage::records(&mut c, provider).await
    }

    async fn linkage_model(&self, provider: ProviderId) -> Result<Option<Model>> {
        let mut c = self.pool.acquire().await?;
        linkage::model(&mut c, provider).await
    }

    async fn save_linkage_model(&self, provider: ProviderId, model: Model) -> Result<()> {
        let mut c = self.pool.acquire().await?;
        linkage::save_model(&mut c, provider, &model, now()).await
    }

    async fn set_linkage_pairs(&self, provider: ProviderId, pairs: LinkagePairs) -> Result<usize> {
        let mut tx = self.pool.begin().await?;
        lock_provider(&mut tx, provider).await?;
        let rules = crate::linking::rules();
        let moved = linkage::set_pairs(&mut tx, rules, provider, &pairs, now()).await?;
        tx.commit().await?;
        Ok(moved)
    }

    async fn linkage_pending(&self, limit: u32) -> Result<Vec<(ProviderId, Vec<Record>)>> {
        let mut c = self.pool.acquire().await?;
        linkage::pending(&mut c, limit).await
    }

    async fn linkage_candidates(
        &self,
        provider: ProviderId,
        keys: Vec<String>,
        cap: usize,
    ) -> Result<Vec<Record>> {
        let mut c = self.pool.acquire().await?;
        linkage::candidates(&mut c, provider, &keys, cap).await
    }

    async fn absorb_linkage(
        &self,
        provider: ProviderId,
        absorbed: Vec<ProfileId>,
        pairs: LinkagePairs,
    ) -> Result<usize> {
        let mut tx = self.pool.begin().await?;
        lock_provider(&mut tx, provider).await?;
        let rules = crate::linking::rules();
        let moved = linkage::absorb(&mut tx, rules, provider, &absorbed, &pairs, now()).await?;
        tx.commit().await?;
        Ok(moved)
    }

    async fn review_pairs(&self, provider: ProviderId, limit: u32) -> Result<Vec<Match>> {
        let mut c = self.pool.acquire().await?;
        linkage::review(&mut c, provider, limit).await
    }

    async fn insert_touchpoints(
        &self,
        provider: ProviderId,
        new: Vec<NewTouchpoint>,
        received_at: DateTime<Utc>,
        stitch: Stitch,
    ) -> Result<Vec<Outcome>> {
        let mut tx = self.pool.begin().await?;
        let out = ingest::insert(&mut tx, provider, new, received_at, stitch).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn resolve_pending(&self, limit: u32) -> Result<usize> {
        // In steps of a few thousand, so the providers' locks are held for a fraction
        // of a second: other resolvers and `Stitch::Now` writers take turns in between
        // instead of waiting out the whole call. A step claims its rows in one
        // transaction, decides their profiles in another and commits that, then writes
        // the rows in the first while the next step claims and decides.
        let mut placed = 0;
        type Decided<'c> = (
            sqlx::Transaction<'c, Postgres>,
            ingest::Claimed,
            Vec<ProfileId>,
        );
        let mut writing: Option<Decided> = None;
        let mut more = limit > 0;
        while more || writing.is_some() {
            let step = (limit as usize - placed).min(ingest::RESOLVE_STEP);
            let next = async {
                if !more {
                    return Ok(None);
                }
                let mut claim = self.pool.begin().await?;
                let claimed = ingest::claim(&mut claim, step as u32).await?;
                if claimed.is_empty() {
                    return Ok(None);
                }
                let mut tx = self.pool.begin().await?;
                let profiles = claimed.decide(&mut tx).await?;
                tx.commit().await?;
                Ok(Some((claim, claimed, profiles)))
            };
            let write = async {
                if let Some((mut claim, claimed, profiles)) = writing.take() {
                    claimed.write(&mut claim, &profiles).await?;
                    claim.commit().await?;
                }
                Ok::<_, StoreError>(())
            };
            let (next, ()) = tokio::try_join!(next, write)?;
            more = false;
            if let Some(step_taken) = next {
                let n = step_taken.1.len();
                placed += n;
                more = n == step && placed < limit as usize;
                writing = Some(step_taken);
            }
        }
        Ok(placed)
    }

    async fn set_tracking_plan(
        &self,
        provider: ProviderId,
        plan: Option<TrackingPlan>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        ingest::set_plan(&mut tx, provider, plan.as_ref()).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn tracking_plan(&self, provider: ProviderId) -> Result<Option<TrackingPlan>> {
        let mut c = self.pool.acquire().await?;
        ingest::plan(&mut c, provider).await
    }

    async fn settings(
        &self,
        provider: ProviderId,
        kind: SettingsKind,
    ) -> Result<Option<serde_json::Value>> {
        let mut c = self.pool.acquire().await?;
        ingest::settings(&mut c, provider, kind).await
    }

    async fn set_settings(
        &self,
        provider: ProviderId,
        kind: SettingsKind,
        document: serde_json::Value,
        by: Option<&Actor>,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        ingest::set_settings(&mut tx, provider, kind, &document).await?;
        if let Some(by) = by {
            staff::record(&mut tx, by, AuditAction::Settings, kind.name(), "").await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn segments(&self, provider: ProviderId) -> Result<Vec<Segment>> {
        segments::list(&self.pool, provider).await
    }

    async fn segment(&self, provider: ProviderId, id: SegmentId) -> Result<Option<Segment>> {
        segments::one(&self.pool, provider, id).await
    }

    async fn save_segment(&self, provider: ProviderId, segment: Segment) -> Result<()> {
        segments::save(&self.pool, provider, &segment).await
    }

    async fn delete_segment(&self, provider: ProviderId, id: SegmentId) -> Result<bool> {
        segments::delete(&self.pool, provider, id).await
    }

    async fn trait_persons(
        &self,
        provider: ProviderId,
        key: &str,
        value: &str,
    ) -> Result<Vec<PersonId>> {
        segments::trait_persons(&self.pool, provider, key, value).await
    }

    async fn profile_persons(
        &self,
        provider: ProviderId,
        profiles: &[ProfileId],
    ) -> Result<Vec<(ProfileId, PersonId)>> {
        segments::profile_persons(&self.pool, provider, profiles).await
    }

    async fn quarantine(
        &self,
        provider: ProviderId,
        events: Vec<(String, String, Vec<FieldError>)>,
    ) -> Result<()> {
        let events = crate::erasure::not_erased(events);
        let mut tx = self.pool.begin().await?;
        ingest::quarantine(&mut tx, provider, &events).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn quarantined(
        &self,
        provider: ProviderId,
        filter: &QuarantineFilter,
        page: PageRequest,
    ) -> Result<Vec<Quarantined>> {
        let mut c = self.pool.acquire().await?;
        ingest::quarantined(&mut c, provider, filter, page).await
    }

    async fn quarantined_one(&self, provider: ProviderId, id: Uuid) -> Result<Option<Quarantined>> {
        let mut c = self.pool.acquire().await?;
        ingest::quarantined_one(&mut c, provider, id).await
    }

    async fn release_quarantined(&self, provider: ProviderId, id: Uuid) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        ingest::release(&mut tx, provider, id).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn discard_quarantined(
        &self,
        provider: ProviderId,
        filter: &QuarantineFilter,
        by: Option<&Actor>,
    ) -> Result<u64> {
        let mut tx = self.pool.begin().await?;
        let n = ingest::discard(&mut tx, provider, filter).await?;
        if let Some(by) = by {
            staff::record(&mut tx, by, AuditAction::Quarantine, &n.to_string(), "").await?;
        }
        tx.commit().await?;
        Ok(n)
    }

    async fn touchpoint(&self, reader: ProviderId, id: TouchpointId) -> Result<Option<Touchpoint>> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {}, p.person_id FROM touchpoints t LEFT JOIN profiles p ON p.id = t.profile_id \
             WHERE t.id = $1 AND t.provider_id = $2",
            rows::TOUCHPOINT_COLUMNS
        )))
        .bind(id.0)
        .bind(reader.0)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((t, person)) = row.as_ref().map(touchpoint_and_person).transpose()? else {
            return Ok(None);
        };
        rows::log_access(
            &mut tx,
            &AccessEntry::for_reads(reader, "touchpoints", person.zip(t.profile_id)),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(t))
    }

    async fn touchpoints(
        &self,
        reader: ProviderId,
        filter: &TouchpointFilter,
    ) -> Result<Vec<Touchpoint>> {
        let f = filter;
        let mut sql = format!(
            "SELECT {}, p.person_id FROM touchpoints t LEFT JOIN profiles p ON p.id = t.profile_id \
             WHERE t.provider_id = $1",
            rows::TOUCHPOINT_COLUMNS
        );
        let mut args = PgArguments::default();
        args.add(reader.0).map_err(encode)?;
        if let Some(a) = f.page.after {
            args.add(a.0).map_err(encode)?;
            let op = if f.newest_first { "<" } else { ">" };
            let n = args.len();
            sql += &if f.by_occurrence {
                format!(
                    " AND (t.occurred_at, t.id) {op} (SELECT occurred_at, id FROM touchpoints WHERE provider_id = $1 AND id = ${n})"
                )
            } else {
                format!(" AND t.id {op} ${n}")
            };
        }
        if let Some(p) = f.profile {
            args.add(p.0).map_err(encode)?;
            sql += &format!(" AND t.profile_id = ${}", args.len());
        }
        if let Some(p) = f.person {
            args.add(p.0).map_err(encode)?;
            sql += &format!(" AND p.person_id = ${}", args.len());
        }
        if let Some(ch) = &f.channel {
            args.add(ch.as_str().to_string()).map_err(encode)?;
            sql += &format!(" AND t.channel = ${}", args.len());
        }
        if let Some(k) = &f.kind {
            args.add(k.as_str().to_string()).map_err(encode)?;
            sql += &format!(" AND t.kind = ${}", args.len());
        }
        if let Some(ph) = f.phase {
            args.add(ph.as_str()).map_err(encode)?;
            sql += &format!(" AND t.phase = ${}", args.len());
        }
        if let Some(t) = f.from {
            args.add(stored(t)).map_err(encode)?;
            sql += &format!(" AND t.occurred_at >= ${}", args.len());
        }
        if let Some(t) = f.until {
            args.add(stored(t)).map_err(encode)?;
            sql += &format!(" AND t.occurred_at < ${}", args.len());
        }
        let order = if f.newest_first { "DESC" } else { "ASC" };
        if f.by_occurrence {
            sql += &format!(
                " ORDER BY t.occurred_at {order}, t.id {order} LIMIT {}",
                f.page.limit
            );
        } else {
            sql += &format!(" ORDER BY t.id {order} LIMIT {}", f.page.limit);
        }
        let mut tx = self.pool.begin().await?;
        let found = sqlx::query_with(AssertSqlSafe(sql), args)
            .fetch_all(&mut *tx)
            .await?;
        let found = found
            .iter()
            .map(touchpoint_and_person)
            .collect::<Result<Vec<_>>>()?;
        let log = AccessEntry::for_reads(
            reader,
            "touchpoints",
            found
                .iter()
                .filter_map(|(t, person)| person.zip(t.profile_id)),
        );
        rows::log_access(&mut tx, &log).await?;
        tx.commit().await?;
        Ok(found.into_iter().map(|(t, _)| t).collect())
    }

    async fn journey_log(&self, provider: ProviderId) -> Result<motesplats_core::journey::Log> {
        journeys::log(&self.pool, provider).await
    }

    async fn network_log(
        &self,
        reader: ProviderId,
        network: NetworkId,
        share: SharedData,
    ) -> Result<crate::Shared<motesplats_core::journey::Log>> {
        journeys::network_log(&self.pool, reader, network, share).await
    }

    async fn touchpoint_counts(&self, provider: ProviderId) -> Result<Vec<ChannelPhaseCount>> {
        // NULLS FIRST: where SQLite puts touchpoints without a phase.
        let rows = sqlx::query(
            "SELECT channel, phase, COUNT(*) FROM touchpoints WHERE provider_id = $1 \
             GROUP BY channel, phase ORDER BY channel, phase NULLS FIRST",
        )
        .bind(provider.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let phase: Option<String> = r.try_get(1)?;
                let n: i64 = r.try_get(2)?;
                Ok(ChannelPhaseCount {
                    channel: r.try_get(0)?,
                    phase: phase.as_deref().and_then(|p| Phase::parse(p).ok()),
                    count: n.max(0) as u64,
                })
            })
            .collect()
    }

    async fn create_project(
        &self,
        owner: ProviderId,
        id: Uuid,
        document: serde_json::Value,
    ) -> Result<StoredProject> {
        projects::create(&self.pool, owner, id, &document).await
    }

    async fn project(&self, reader: ProviderId, id: Uuid) -> Result<Option<StoredProject>> {
        projects::get(&self.pool, reader, id).await
    }

    async fn projects(&self, reader: ProviderId) -> Result<Vec<StoredProject>> {
        projects::list(&self.pool, reader).await
    }

    async fn save_project(
        &self,
        writer: ProviderId,
        id: Uuid,
        expected_version: i64,
        document: serde_json::Value,
    ) -> Result<StoredProject> {
        projects::save(&self.pool, writer, id, expected_version, &document).await
    }

    async fn invite_to_project(
        &self,
        owner: ProviderId,
        id: Uuid,
        guest: ProviderId,
    ) -> Result<()> {
        projects::invite(&self.pool, owner, id, guest).await
    }

    async fn put_attachment(
        &self,
        viewer: ProviderId,
        project: Uuid,
        id: Uuid,
        content_type: &str,
        data: &[u8],
    ) -> Result<()> {
        attachments::put(&self.pool, viewer, project, id, content_type, data).await
    }

    async fn attachment(
        &self,
        viewer: ProviderId,
        project: Uuid,
        id: Uuid,
    ) -> Result<Option<(String, Vec<u8>)>> {
        attachments::get(&self.pool, viewer, project, id).await
    }

    async fn create_survey(&self, provider: ProviderId, survey: Survey) -> Result<()> {
        surveys::create(&self.pool, provider, &survey).await
    }

    async fn survey(
        &self,
        provider: Option<ProviderId>,
        id: SurveyId,
    ) -> Result<Option<StoredSurvey>> {
        surveys::get(&self.pool, provider, id).await
    }

    async fn surveys(&self, provider: ProviderId) -> Result<Vec<Survey>> {
        surveys::list(&self.pool, provider).await
    }

    async fn change_survey(
        &self,
        provider: ProviderId,
        id: SurveyId,
        expected: Option<i64>,
        change: SurveyChange,
    ) -> Result<StoredSurvey> {
        surveys::change(&self.pool, provider, id, expected, change).await
    }

    async fn save_response(
        &self,
        provider: ProviderId,
        response: Response,
        revision: i64,
        write: ResponseWrite,
    ) -> Result<ResponseSaved> {
        surveys::save_response(&self.pool, provider, &response, revision, write).await
    }

    async fn resumable_response(
        &self,
        provider: ProviderId,
        survey: SurveyId,
        id: ResponseId,
        resume_sha256: [u8; 32],
    ) -> Result<Option<Response>> {
        surveys::resumable(&self.pool, provider, survey, id, resume_sha256).await
    }

    async fn responses(&self, provider: ProviderId, survey: SurveyId) -> Result<Vec<Response>> {
        surveys::responses(&self.pool, provider, survey).await
    }

    async fn server_secret(&self, name: &str, candidate: [u8; 32]) -> Result<[u8; 32]> {
        surveys::secret(&self.pool, name, candidate).await
    }

    async fn codebook(&self, provider: ProviderId) -> Result<Option<(i64, serde_json::Value)>> {
        coding::codebook(&self.pool, provider).await
    }

    async fn save_codebook(
        &self,
        provider: ProviderId,
        expected_version: Option<i64>,
        document: serde_json::Value,
    ) -> Result<i64> {
        coding::save_codebook(&self.pool, provider, expected_version, &document).await
    }

    async fn add_coding(&self, provider: ProviderId, new: Coding) -> Result<()> {
        coding::add(&self.pool, provider, &new).await
    }

    async fn delete_coding(&self, provider: ProviderId, id: CodingId) -> Result<()> {
        coding::delete(&self.pool, provider, id).await
    }

    async fn codings(&self, provider: ProviderId, survey: SurveyId) -> Result<Vec<Coding>> {
        coding::list(&self.pool, provider, survey).await
    }

    async fn code_in_use(&self, provider: ProviderId, code: &str) -> Result<bool> {
        coding::in_use(&self.pool, provider, code).await
    }

    async fn create_network(&self, new: NewNetwork, members: &[ProviderId]) -> Result<Network> {
        let mut members = members.to_vec();
        members.sort();
        members.dedup();
        let network = Network {
            id: NetworkId::new(),
            name: new.name,
            members,
            shares: new.shares,
        };
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO networks (id, name, shares, created_at) VALUES ($1, $2, $3, $4)")
            .bind(network.id.0)
            .bind(&network.name)
            .bind(Json(&network.shares))
            .bind(stored(now()))
            .execute(&mut *tx)
            .await?;
        for (i, m) in network.members.iter().enumerate() {
            let known: Option<i32> = sqlx::query_scalar("SELECT 1 FROM providers WHERE id = $1")
                .bind(m.0)
                .fetch_optional(&mut *tx)
                .await?;
            if known.is_none() {
                return Err(StoreError::Invalid(Invalid::one(
                    format!("members[{i}]"),
                    motesplats_core::Reason::NoProvider,
                )));
            }
            sqlx::query("INSERT INTO network_members (network_id, provider_id) VALUES ($1, $2)")
                .bind(network.id.0)
                .bind(m.0)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(network)
    }

    async fn networks(&self, provider: ProviderId) -> Result<Vec<Network>> {
        let rows = sqlx::query(
            "SELECT n.id, n.name, n.shares, \
             ARRAY(SELECT a.provider_id FROM network_members a WHERE a.network_id = n.id ORDER BY a.provider_id) \
             FROM networks n JOIN network_members m ON m.network_id = n.id \
             WHERE m.provider_id = $1 ORDER BY n.name",
        )
        .bind(provider.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let Json(shares): Json<Vec<SharedData>> = r
                    .try_get(2)
                    .map_err(|_| StoreError::Backend("unreadable network shares".into()))?;
                let members: Vec<Uuid> = r.try_get(3)?;
                Ok(Network {
                    id: NetworkId(r.try_get(0)?),
                    name: r.try_get(1)?,
                    members: members.into_iter().map(ProviderId).collect(),
                    shares,
                })
            })
            .collect()
    }

    async fn access_log(&self, person: PersonId, limit: u32) -> Result<Vec<AccessEntry>> {
        let rows = sqlx::query(
            "SELECT provider_id, person_id, profile_id, action, at FROM access_log WHERE person_id = $1 \
             ORDER BY seq DESC LIMIT $2",
        )
        .bind(person.0)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        let entries = rows
            .iter()
            .map(|r| {
                Ok(AccessEntry {
                    provider_id: ProviderId(r.try_get(0)?),
                    person_id: PersonId(r.try_get(1)?),
                    profile_id: r.try_get::<Option<Uuid>, _>(2)?.map(ProfileId),
                    action: r.try_get(3)?,
                    at: r.try_get(4)?,
                })
            })
            .collect::<sqlx::Result<_>>()?;
        Ok(entries)
    }

    async fn users(&self, provider: ProviderId) -> Result<Vec<User>> {
        staff::users(&self.pool, provider).await
    }

    async fn invite_user(&self, by: &Actor, invitation: NewInvitation) -> Result<()> {
        staff::invite(&self.pool, by, &invitation).await
    }

    async fn invitation(
        &self,
        token_sha256: [u8; 32],
        now: DateTime<Utc>,
    ) -> Result<Option<Invitation>> {
        staff::invitation(&self.pool, token_sha256, now).await
    }

    async fn accept_invitation(
        &self,
        token_sha256: [u8; 32],
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<User>> {
        staff::accept(&self.pool, token_sha256, password_hash, now).await
    }

    async fn change_role(&self, by: &Actor, user: UserId, role: Role) -> Result<()> {
        staff::change_role(&self.pool, by, user, role).await
    }

    async fn remove_user(&self, by: &Actor, user: UserId) -> Result<()> {
        staff::remove(&self.pool, by, user).await
    }

    async fn change_password(&self, by: &Actor, password_hash: &str, keep: [u8; 32]) -> Result<()> {
        staff::change_password(&self.pool, by, password_hash, keep).await
    }

    async fn request_password_reset(
        &self,
        email: &str,
        token_sha256: [u8; 32],
        expires_at: DateTime<Utc>,
    ) -> Result<Option<User>> {
        staff::request_reset(&self.pool, email, token_sha256, expires_at).await
    }

    async fn reset_user(&self, token_sha256: [u8; 32], now: DateTime<Utc>) -> Result<Option<User>> {
        let mut c = self.pool.acquire().await?;
        staff::reset_user(&mut c, token_sha256, now, "").await
    }

    async fn reset_password(
        &self,
        token_sha256: [u8; 32],
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<User>> {
        staff::reset_password(&self.pool, token_sha256, password_hash, now).await
    }

    async fn audit_log(
        &self,
        provider: ProviderId,
        before: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<AuditEntry>> {
        staff::audit(&self.pool, provider, before, limit).await
    }
}
