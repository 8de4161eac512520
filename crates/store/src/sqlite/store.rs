//! `Store` for SQLite.

use super::SqliteStore;
use super::rows::{self, Micros, as_stored, micros};
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
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use std::collections::BTreeSet;
use uuid::Uuid;

fn origins_from(text: &str) -> Result<Vec<String>> {
    serde_json::from_str(text).map_err(|_| StoreError::Backend("unreadable key origins".into()))
}

fn now() -> DateTime<Utc> {
    Utc::now()
}

/// Writes a profile, a person of its own (its id is the profile's), and its
/// identifiers; returns it with the profiles whose persons its identifiers may change.
pub(super) fn insert_profile(
    c: &Connection,
    provider: ProviderId,
    p: &NewProfile,
    at: DateTime<Utc>,
    touched: &mut BTreeSet<ProfileId>,
) -> Result<Profile> {
    let person = PersonId(p.id.0);
    c.prepare_cached("INSERT INTO persons (id, created_at) VALUES (?1, ?2)")?
        .execute(params![person.0, micros(at)])?;
    let attributes = serde_json::Value::Object(p.attributes.clone()).to_string();
    c.prepare_cached(
        "INSERT INTO profiles (id, provider_id, person_id, display_name, attributes, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        p.id.0,
        provider.0,
        person.0,
        p.display_name,
        attributes,
        micros(at)
    ])?;
    let rules = crate::linking::rules();
    for id in &p.identifiers {
        touched.extend(linking::attach(c, rules, provider, p.id, id)?);
    }
    if crate::linking::record(p.id, &p.attributes).is_some() {
        // Names or an address: probabilistic linkage compares it when it next runs.
        linkage::wait(c, provider, p.id)?;
    }
    Ok(Profile {
        id: p.id,
        provider_id: provider,
        person_id: person,
        display_name: p.display_name.clone(),
        identifiers: p.identifiers.clone(),
        attributes: p.attributes.clone(),
        created_at: as_stored(at),
    })
}

/// The profile a touchpoint names, if the provider has it.
pub(super) fn named_profile(
    c: &Connection,
    provider: ProviderId,
    id: ProfileId,
) -> Result<ProfileId> {
    let exists: Option<i64> = c
        .prepare_cached("SELECT 1 FROM profiles WHERE id = ?1 AND provider_id = ?2")?
        .query_row(params![id.0, provider.0], |r| r.get(0))
        .optional()?;
    exists.map(|_| id).ok_or_else(|| {
        StoreError::Invalid(Invalid::one(
            "profile_id",
            motesplats_core::Reason::NoProfile { id: id.to_string() },
        ))
    })
}

fn network_members(c: &Connection, id: Uuid) -> Result<Vec<ProviderId>> {
    let mut stmt = c.prepare_cached(
        "SELECT provider_id FROM network_members WHERE network_id = ?1 ORDER BY provider_id",
    )?;
    let members = stmt
        .query_map([id], |r| Ok(ProviderId(r.get(0)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(members)
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn create_provider(&self, new: NewProvider) -> Result<Provider> {
        let p = Provider {
            id: ProviderId::new(),
            name: new.name,
            time_zone: new.time_zone,
            country: new.country,
            created_at: as_stored(now()),
        };
        let row = p.clone();
        self.write(move |c| {
            c.execute(
                "INSERT INTO providers (id, name, time_zone, country, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![row.id.0, row.name, row.time_zone, row.country, micros(row.created_at)],
            )?;
            Ok(())
        })
        .await?;
        Ok(p)
    }

    async fn provider(&self, id: ProviderId) -> Result<Option<Provider>> {
        self.read(move |c| rows::provider_by_id(c, id)).await
    }

    async fn providers(&self) -> Result<Vec<Provider>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {} FROM providers ORDER BY name",
                rows::PROVIDER_COLUMNS
            ))?;
            Ok(stmt
                .query_map([], rows::provider)?
                .collect::<rusqlite::Result<_>>()?)
        })
        .await
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
            created_at: as_stored(now()),
            revoked_at: None,
        };
        let row = key.clone();
        self.write(move |c| {
            let origins = serde_json::to_string(&row.origins).map_err(|e| StoreError::Backend(e.to_string()))?;
            c.execute(
                "INSERT INTO api_keys (id, provider_id, label, token_sha256, created_at, kind, origins) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    row.id,
                    row.provider_id.0,
                    row.label,
                    token_sha256.as_slice(),
                    micros(row.created_at),
                    row.kind.as_str(),
                    origins
                ],
            )?;
            Ok(())
        })
        .await?;
        Ok(key)
    }

    async fn api_keys(&self, provider: ProviderId) -> Result<Vec<ApiKey>> {
        self.read(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT id, provider_id, label, created_at, revoked_at, kind, origins FROM api_keys \
                 WHERE provider_id = ?1 ORDER BY id",
            )?;
            let rows: Vec<(ApiKey, String, String)> = stmt
                .query_map([provider.0], |r| {
                    Ok((
                        ApiKey {
                            id: r.get(0)?,
                            provider_id: ProviderId(r.get(1)?),
                            label: r.get(2)?,
                            created_at: r.get::<_, Micros>(3)?.0,
                            revoked_at: r.get::<_, Option<Micros>>(4)?.map(|t| t.0),
                            kind: KeyKind::Secret,
                            origins: Vec::new(),
                        },
                        r.get(5)?,
                        r.get(6)?,
                    ))
                })?
                .collect::<rusqlite::Result<_>>()?;
            rows.into_iter()
                .map(|(mut key, kind, origins)| {
                    key.kind = KeyKind::from_db(&kind)?;
                    key.origins = origins_from(&origins)?;
                    Ok(key)
                })
                .collect()
        })
        .await
    }

    async fn revoke_api_key(
        &self,
        provider: ProviderId,
        id: Uuid,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.write(move |c| {
            let n = c.execute(
                "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?3) WHERE id = ?1 AND provider_id = ?2",
                params![id, provider.0, micros(at)],
            )?;
            if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
        })
        .await
    }

    async fn key_grant(&self, token_sha256: [u8; 32]) -> Result<Option<KeyGrant>> {
        self.read(move |c| {
            let row: Option<(Uuid, Uuid, String, String)> = c
                .prepare_cached(
                    "SELECT id, provider_id, kind, origins FROM api_keys WHERE token_sha256 = ?1 AND revoked_at IS NULL",
                )?
                .query_row([token_sha256.as_slice()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .optional()?;
            row.map(|(key_id, provider, kind, origins)| {
                Ok(KeyGrant {
                    key_id,
                    provider_id: ProviderId(provider),
                    kind: KeyKind::from_db(&kind)?,
                    origins: origins_from(&origins)?,
                })
            })
            .transpose()
        })
        .await
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
        let (row, hash) = (user.clone(), password_hash.to_string());
        self.write(move |c| {
            let taken: Option<i64> =
                c.query_row("SELECT 1 FROM users WHERE email = ?1", [&row.email], |r| r.get(0)).optional()?;
            if taken.is_some() {
                return Err(StoreError::Conflict(Invalid::one("email", motesplats_core::Reason::Already { what: "user".into() })));
            }
            c.execute(
                "INSERT INTO users (id, provider_id, email, password_hash, role, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![row.id.0, row.provider_id.0, row.email, hash, row.role.as_str(), micros(now())],
            )?;
            Ok(())
        })
        .await?;
        Ok(user)
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<(User, String)>> {
        let email = email.trim().to_lowercase();
        self.read(move |c| {
            Ok(c.prepare_cached(
                "SELECT id, provider_id, email, role, password_hash FROM users WHERE email = ?1",
            )?
            .query_row([email], |r| {
                Ok((
                    User {
                        id: UserId(r.get(0)?),
                        provider_id: ProviderId(r.get(1)?),
                        email: r.get(2)?,
                        role: Role::from_db(&r.get::<_, String>(3)?),
                    },
                    r.get(4)?,
                ))
            })
            .optional()?)
        })
        .await
    }

    async fn create_session(
        &self,
        user: UserId,
        token_sha256: [u8; 32],
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        self.write(move |c| {
            c.execute(
                "INSERT INTO sessions (token_sha256, user_id, expires_at) VALUES (?1, ?2, ?3)",
                params![token_sha256.as_slice(), user.0, micros(expires_at)],
            )?;
            staff::by_user(c, user, AuditAction::SignIn, None)
        })
        .await
    }

    async fn session_user(
        &self,
        token_sha256: [u8; 32],
        now: DateTime<Utc>,
    ) -> Result<Option<User>> {
        self.read(move |c| {
            Ok(c.prepare_cached(
                "SELECT u.id, u.provider_id, u.email, u.role FROM sessions s JOIN users u ON u.id = s.user_id \
                 WHERE s.token_sha256 = ?1 AND s.expires_at > ?2",
            )?
            .query_row(params![token_sha256.as_slice(), micros(now)], |r| {
                Ok(User {
                    id: UserId(r.get(0)?),
                    provider_id: ProviderId(r.get(1)?),
                    email: r.get(2)?,
                    role: Role::from_db(&r.get::<_, String>(3)?),
                })
            })
            .optional()?)
        })
        .await
    }

    async fn delete_session(&self, token_sha256: [u8; 32]) -> Result<()> {
        self.write(move |c| {
            let user: Option<Uuid> = c
                .query_row(
                    "DELETE FROM sessions WHERE token_sha256 = ?1 RETURNING user_id",
                    [token_sha256.as_slice()],
                    |r| r.get(0),
                )
                .optional()?;
            match user {
                Some(user) => staff::by_user(c, UserId(user), AuditAction::SignOut, None),
                None => Ok(()),
            }
        })
        .await
    }

    async fn purge_sessions(&self, now: DateTime<Utc>) -> Result<u64> {
        self.write(move |c| {
            let mut n = 0;
            for table in ["sessions", "person_sessions", "sign_in_codes"] {
                n += c.execute(
                    &format!("DELETE FROM {table} WHERE expires_at <= ?1"),
                    [micros(now)],
                )?;
            }
            Ok(n as u64)
        })
        .await
    }

    async fn create_channel(&self, provider: ProviderId, ch: Channel) -> Result<Channel> {
        let row = ch.clone();
        self.write(move |c| {
            let n = c.execute(
                "INSERT OR IGNORE INTO channels (provider_id, key, name, controlled) VALUES (?1, ?2, ?3, ?4)",
                params![provider.0, row.key.as_str(), row.name, row.controlled],
            )?;
            if n == 0 {
                return Err(StoreError::Conflict(Invalid::one("key", motesplats_core::Reason::Exists { what: "channel".into() })));
            }
            Ok(())
        })
        .await?;
        Ok(ch)
    }

    async fn channels(&self, provider: ProviderId) -> Result<Vec<Channel>> {
        let own: Vec<(String, String, bool)> = self
            .read(move |c| {
                let mut stmt =
                    c.prepare_cached("SELECT key, name, controlled FROM channels WHERE provider_id = ?1 ORDER BY key")?;
                Ok(stmt
                    .query_map([provider.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                    .collect::<rusqlite::Result<_>>()?)
            })
            .await?;
        let mut all = channel::builtins();
        for (key, name, controlled) in own {
            let key = ChannelKey::parse(&key)
                .map_err(|_| StoreError::Backend("unreadable channel key".into()))?;
            all.push(Channel {
                key,
                name,
                controlled,
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
        self.write(move |c| {
            let at = now();
            let mut touched = BTreeSet::new();
            let made = new
                .iter()
                .map(|p| insert_profile(c, provider, p, at, &mut touched))
                .collect::<Result<Vec<_>>>()?;
            linking::relink(c, crate::linking::rules(), provider, touched, at)?;
            Ok(made)
        })
        .await
    }

    async fn profile(&self, reader: ProviderId, id: ProfileId) -> Result<Option<Profile>> {
        let profile = self
            .read(move |c| rows::profile_by_id(c, reader, id))
            .await?;
        if let Some(p) = &profile {
            let log = AccessEntry::for_reads(reader, "profile", [(p.person_id, p.id)]);
            self.write(move |c| rows::log_access(c, &log)).await?;
        }
        Ok(profile)
    }

    async fn profiles(&self, reader: ProviderId, filter: &ProfileFilter) -> Result<Vec<Profile>> {
        let filter = filter.clone();
        let profiles = self
            .read(move |c| {
                let mut sql = format!("SELECT {} FROM profiles WHERE provider_id = ?1", rows::PROFILE_COLUMNS);
                let mut args: Vec<Sql> = vec![Sql::Blob(reader.0.as_bytes().to_vec())];
                if let Some(after) = filter.page.after {
                    args.push(Sql::Blob(after.0.as_bytes().to_vec()));
                    sql += &format!(" AND id > ?{}", args.len());
                }
                if let Some(id) = &filter.identifier {
                    args.push(Sql::Text(id.kind.as_str().into()));
                    args.push(Sql::Text(id.value.clone()));
                    sql += &format!(
                        " AND id IN (SELECT profile_id FROM identifiers WHERE provider_id = ?1 AND kind = ?{} AND value = ?{})",
                        args.len() - 1,
                        args.len()
                    );
                }
                sql += &format!(" ORDER BY id LIMIT {}", filter.page.limit);
                let rows = c.prepare_cached(&sql)?.query_map(params_from_iter(args), rows::profile)?.collect::<rusqlite::Result<_>>()?;
                rows::complete_profiles(c, rows)
            })
            .await?;
        let log = AccessEntry::for_reads(
            reader,
            "profile",
            profiles.iter().map(|p| (p.person_id, p.id)),
        );
        self.write(move |c| rows::log_access(c, &log)).await?;
        Ok(profiles)
    }

    async fn customers(&self, reader: ProviderId, query: &CustomerQuery) -> Result<Vec<Customer>> {
        let query = query.clone();
        let found = self
            .read(move |c| customers::customers(c, reader, &query))
            .await?;
        let log = AccessEntry::for_reads(
            reader,
            "profile",
            found.iter().map(|f| (f.profile.person_id, f.profile.id)),
        );
        self.write(move |c| rows::log_access(c, &log)).await?;
        Ok(found)
    }

    async fn add_identifier(
        &self,
        provider: ProviderId,
        profile: ProfileId,
        id: Identifier,
    ) -> Result<Profile> {
        self.write(move |c| {
            if rows::profile_by_id(c, provider, profile)?.is_none() {
                return Err(StoreError::NotFound);
            }
            let rules = crate::linking::rules();
            let touched = linking::attach(c, rules, provider, profile, &id)?;
            linking::relink(c, rules, provider, touched.into_iter().collect(), now())?;
            rows::profile_by_id(c, provider, profile)?.ok_or(StoreError::NotFound)
        })
        .await
    }

    async fn person(&self, reader: ProviderId, id: PersonId) -> Result<Option<Person>> {
        let profiles = self
            .read(move |c| {
                let rows = c
                    .prepare_cached(&format!(
                        "SELECT {} FROM profiles WHERE person_id = ?1 AND provider_id = ?2 ORDER BY id",
                        rows::PROFILE_COLUMNS
                    ))?
                    .query_map(params![id.0, reader.0], rows::profile)?
                    .collect::<rusqlite::Result<_>>()?;
                rows::complete_profiles(c, rows)
            })
            .await?;
        if profiles.is_empty() {
            return Ok(None);
        }
        let log = AccessEntry::for_reads(
            reader,
            "person",
            profiles.iter().map(|p| (p.person_id, p.id)),
        );
        self.write(move |c| rows::log_access(c, &log)).await?;
        Ok(Some(Person { id, profiles }))
    }

    async fn persons(&self, reader: ProviderId, page: PageRequest) -> Result<Vec<Person>> {
        let profiles = self
            .read(move |c| {
                let after = page.after.map(|a| a.0).unwrap_or(Uuid::nil());
                let rows = c
                    .prepare_cached(&format!(
                        "SELECT {} FROM profiles WHERE provider_id = ?1 AND person_id IN \
                         (SELECT DISTINCT person_id FROM profiles WHERE provider_id = ?1 AND person_id > ?2 \
                          ORDER BY person_id LIMIT ?3) ORDER BY person_id, id",
                        rows::PROFILE_COLUMNS
                    ))?
                    .query_map(params![reader.0, after, page.limit], rows::profile)?
                    .collect::<rusqlite::Result<_>>()?;
                rows::complete_profiles(c, rows)
            })
            .await?;
        let log = AccessEntry::for_reads(
            reader,
            "person",
            profiles.iter().map(|p| (p.person_id, p.id)),
        );
        self.write(move |c| rows::log_access(c, &log)).await?;
        Ok(Person::group(profiles))
    }

    async fn decide(
        &self,
        provider: ProviderId,
        decision: Decision,
        by: Option<UserId>,
    ) -> Result<()> {
        self.write(move |c| {
            let rules = crate::linking::rules();
            let audited = crate::staff::decision(&decision);
            linking::decide(c, rules, provider, decision, by.map(|u| u.0), now())?;
            match by {
                Some(user) => staff::by_user(c, user, audited.0, Some(&audited.1)),
                None => Ok(()),
            }
        })
        .await
    }

    async fn identity(
        &self,
        reader: ProviderId,
        profile: ProfileId,
    ) -> Result<Option<crate::linking::Component>> {
        let component = self
            .read(move |c| linking::walk(c, crate::linking::rules(), reader, [profile]))
            .await?;
        if component.before.is_empty() {
            return Ok(None);
        }
        let log = AccessEntry::for_reads(
            reader,
            "identity",
            component.before.iter().map(|(p, person)| (*person, *p)),
        );
        self.write(move |c| rows::log_access(c, &log)).await?;
        Ok(Some(component))
    }

    async fn identity_history(
        &self,
        reader: ProviderId,
        profiles: Vec<ProfileId>,
    ) -> Result<Vec<crate::IdentityEvent>> {
        self.read(move |c| linking::history(c, reader, &profiles))
            .await
    }

    async fn relink(&self, provider: ProviderId) -> Result<usize> {
        self.write(move |c| linking::relink_all(c, crate::linking::rules(), provider, now()))
            .await
    }

    async fn verify_identifier(
        &self,
        id: Identifier,
        account: Option<AccountId>,
    ) -> Result<AccountId> {
        self.write(move |c| contact::verify(c, &id, account, Utc::now()))
            .await
    }

    async fn issue_sign_in_code(
        &self,
        id: Identifier,
        code_sha256: [u8; 32],
        expires_at: DateTime<Utc>,
        tries: u32,
    ) -> Result<()> {
        self.write(move |c| account::issue_code(c, &id, code_sha256, expires_at, tries))
            .await
    }

    async fn redeem_sign_in_code(
        &self,
        id: Identifier,
        code_sha256: [u8; 32],
        into: Option<AccountId>,
        now: DateTime<Utc>,
    ) -> Result<Redeemed> {
        self.write(move |c| account::redeem(c, &id, code_sha256, into, now))
            .await
    }

    async fn create_person_session(
        &self,
        account: AccountId,
        token_sha256: [u8; 32],
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        self.write(move |c| account::create_session(c, account, token_sha256, expires_at))
            .await
    }

    async fn person_session(
        &self,
        token_sha256: [u8; 32],
        now: DateTime<Utc>,
    ) -> Result<Option<AccountId>> {
        self.read(move |c| account::session(c, token_sha256, now))
            .await
    }

    async fn delete_person_session(&self, token_sha256: [u8; 32]) -> Result<()> {
        self.write(move |c| account::delete_session(c, token_sha256))
            .await
    }

    async fn account_identifiers(&self, account: AccountId) -> Result<Vec<Identifier>> {
        self.read(move |c| account::identifiers(c, account)).await
    }

    async fn account_persons(&self, account: AccountId) -> Result<Vec<(Provider, PersonId)>> {
        self.read(move |c| account::persons(c, account)).await
    }

    async fn account_records(&self, account: AccountId, latest: u32) -> Result<Vec<HeldRecord>> {
        self.read(move |c| account::records(c, account, None, latest))
            .await
    }

    async fn own_consents(&self, account: AccountId) -> Result<Vec<(ProviderId, Choice)>> {
        self.read(move |c| account::own_consents(c, account)).await
    }

    async fn set_contact_preferences(
        &self,
        account: AccountId,
        preferences: ContactPreferences,
    ) -> Result<()> {
        self.write(move |c| contact::set_preferences(c, account, &preferences))
            .await
    }

    async fn contact_preferences(&self, account: AccountId) -> Result<Option<ContactPreferences>> {
        self.read(move |c| contact::preferences(c, account)).await
    }

    async fn import_consents(
        &self,
        provider: ProviderId,
        consents: Vec<ImportedConsent>,
    ) -> Result<usize> {
        self.write(move |c| contact::import_consents(c, provider, &consents))
            .await
    }

    async fn holding_consent(
        &self,
        provider: ProviderId,
        person: PersonId,
        purpose: Purpose,
    ) -> Result<Option<Choice>> {
        self.read(move |c| {
            let account = contact::account_of(c, provider, person)?;
            let choices = contact::consents(c, provider, person, account, purpose)?;
            Ok(motesplats_core::consent::holding(&choices, purpose).cloned())
        })
        .await
    }

    async fn choose_consent(
        &self,
        account: AccountId,
        provider: ProviderId,
        choice: Choice,
    ) -> Result<()> {
        self.write(move |c| contact::choose(c, account, provider, &choice))
            .await
    }

    async fn create_grant(
        &self,
        account: AccountId,
        new: NewGrant,
        now: DateTime<Utc>,
    ) -> Result<Grant> {
        let now = rows::as_stored(now);
        self.write(move |c| grant::create(c, account, &new, now))
            .await
    }

    async fn grants(&self, account: AccountId) -> Result<Vec<Grant>> {
        self.read(move |c| grant::list(c, account)).await
    }

    async fn revoke_grant(&self, account: AccountId, id: Uuid, now: DateTime<Utc>) -> Result<()> {
        self.write(move |c| grant::revoke(c, account, id, now))
            .await
    }

    async fn shared(
        &self,
        reader: ProviderId,
        person: PersonId,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<ThroughGrant>>> {
        self.write(move |c| grant::shared(c, reader, person, now))
            .await
    }

    async fn request_rectification(
        &self,
        account: AccountId,
        new: NewRectification,
        now: DateTime<Utc>,
    ) -> Result<Rectification> {
        self.write(move |c| rectification::request(c, account, &new, now))
            .await
    }

    async fn rectifications(&self, account: AccountId) -> Result<Vec<Rectification>> {
        self.read(move |c| rectification::of_account(c, account))
            .await
    }

    async fn rectifications_to(&self, provider: ProviderId) -> Result<Vec<ToRectify>> {
        self.read(move |c| rectification::to_provider(c, provider))
            .await
    }

    async fn answer_rectification(
        &self,
        provider: ProviderId,
        id: Uuid,
        outcome: Resolution,
        note: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<ToRectify> {
        self.write(move |c| rectification::answer(c, provider, id, outcome, note.as_deref(), now))
            .await
    }

    async fn erase(
        &self,
        account: AccountId,
        tombstone: Tombstone,
        now: DateTime<Utc>,
    ) -> Result<Vec<Erased>> {
        let now = rows::as_stored(now);
        self.write(move |c| erasure::erase(c, account, &tombstone, now))
            .await
    }

    async fn tombstones(&self, provider: ProviderId) -> Result<Vec<[u8; 32]>> {
        self.read(move |c| erasure::tombstones(c, provider)).await
    }

    async fn erasures(&self, account: AccountId) -> Result<Vec<Erased>> {
        self.read(move |c| erasure::erasures(c, account)).await
    }

    async fn held_back(&self, account: AccountId) -> Result<Vec<HeldBack>> {
        self.read(move |c| erasure::held_back(c, account)).await
    }

    async fn purge(
        &self,
        provider: ProviderId,
        retention: Retention,
        now: DateTime<Utc>,
    ) -> Result<Purged> {
        self.write(move |c| erasure::purge(c, provider, &retention, now))
            .await
    }

    async fn contact_decision(
        &self,
        provider: ProviderId,
        person: PersonId,
        request: ContactRequest,
        now: DateTime<Utc>,
    ) -> Result<Option<ContactAnswer>> {
        let now = rows::as_stored(now);
        self.write(move |c| contact::decide(c, provider, person, &request, now))
            .await
    }

    async fn confirm_contact(
        &self,
        provider: ProviderId,
        id: ContactId,
        now: DateTime<Utc>,
    ) -> Result<SentContact> {
        let now = rows::as_stored(now);
        self.write(move |c| contact::confirm(c, provider, id, now))
            .await
    }

    async fn verified_persons(&self, id: Identifier) -> Result<Vec<(ProviderId, PersonId)>> {
        self.read(move |c| linking::verified_persons(c, &id)).await
    }

    async fn set_identity_truth(
        &self,
        provider: ProviderId,
        truth: Vec<(ProfileId, u64)>,
    ) -> Result<()> {
        self.write(move |c| {
            let mut put = c.prepare_cached(
                "INSERT INTO identity_truth (profile_id, provider_id, human) \
                 SELECT id, provider_id, ?3 FROM profiles WHERE id = ?1 AND provider_id = ?2 \
                 ON CONFLICT (profile_id) DO UPDATE SET human = excluded.human",
            )?;
            for (profile, human) in truth {
                put.execute(params![profile.0, provider.0, human as i64])?;
            }
            Ok(())
        })
        .await
    }

    async fn identity_truth(&self, provider: ProviderId) -> Result<Vec<(PersonId, u64)>> {
        self.read(move |c| {
            let rows = c
                .prepare_cached(
                    "SELECT p.person_id, t.human FROM identity_truth t \
                     JOIN profiles p ON p.id = t.profile_id WHERE t.provider_id = ?1",
                )?
                .query_map([provider.0], |r| {
                    Ok((PersonId(r.get(0)?), r.get::<_, i64>(1)? as u64))
                })?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
        .await
    }

    async fn linkage_records(&self, provider: ProviderId) -> Result<Vec<Record>> {
        self.read(move |c| linkage::records(c, provider)).await
    }

    async fn linkage_model(&self, provider: ProviderId) -> Result<Option<Model>> {
        self.read(move |c| linkage::model(c, provider)).await
    }

    async fn save_linkage_model(&self, provider: ProviderId, model: Model) -> Result<()> {
        self.write(move |c| linkage::save_model(c, provider, &model, now()))
            .await
    }

    async fn set_linkage_pairs(&self, provider: ProviderId, pairs: LinkagePairs) -> Result<usize> {
        self.write(move |c| linkage::set_pairs(c, crate::linking::rules(), provider, &pairs, now()))
            .await
    }

    async fn linkage_pending(&self, limit: u32) -> Result<Vec<(ProviderId, Vec<Record>)>> {
        self.read(move |c| linkage::pending(c, limit)).await
    }

    async fn linkage_candidates(
        &self,
        provider: ProviderId,
        keys: Vec<String>,
        cap: usize,
    ) -> Result<Vec<Record>> {
        self.read(move |c| linkage::candidates(c, provider, &keys, cap))
            .await
    }

    async fn absorb_linkage(
        &self,
        provider: ProviderId,
        absorbed: Vec<ProfileId>,
        pairs: LinkagePairs,
    ) -> Result<usize> {
        self.write(move |c| {
            let rules = crate::linking::rules();
            linkage::absorb(c, rules, provider, &absorbed, &pairs, now())
        })
        .await
    }

    async fn review_pairs(&self, provider: ProviderId, limit: u32) -> Result<Vec<Match>> {
        self.read(move |c| linkage::review(c, provider, limit))
            .await
    }

    async fn insert_touchpoints(
        &self,
        provider: ProviderId,
        new: Vec<NewTouchpoint>,
        received_at: DateTime<Utc>,
        stitch: Stitch,
    ) -> Result<Vec<Outcome>> {
        let prepared = ingest::prepare(new)?;
        self.write_ingest(move |c| ingest::insert(c, provider, prepared, received_at, stitch))
            .await
    }

    async fn resolve_pending(&self, limit: u32) -> Result<usize> {
        // Stitching is background work. While events arrive it takes a small share
        // that rides along in their group commit, so linking keeps up without an
        // arriving batch waiting long; when they stop, it takes whole steps, each a
        // write of its own (`ingest::RESOLVE_STEP`).
        let mut placed = 0;
        while placed < limit as usize {
            let ingesting = self.ingesting();
            let step = if ingesting { 500 } else { ingest::RESOLVE_STEP };
            let step = step.min(limit - placed as u32);
            let n = self
                .write(move |c| ingest::resolve_pending(c, step))
                .await?;
            placed += n;
            if ingesting || n < step as usize {
                break;
            }
        }
        Ok(placed)
    }

    async fn set_tracking_plan(
        &self,
        provider: ProviderId,
        plan: Option<TrackingPlan>,
    ) -> Result<()> {
        self.write(move |c| ingest::set_plan(c, provider, plan.as_ref()))
            .await
    }

    async fn tracking_plan(&self, provider: ProviderId) -> Result<Option<TrackingPlan>> {
        self.read(move |c| ingest::plan(c, provider)).await
    }

    async fn settings(
        &self,
        provider: ProviderId,
        kind: SettingsKind,
    ) -> Result<Option<serde_json::Value>> {
        self.read(move |c| ingest::settings(c, provider, kind))
            .await
    }

    async fn set_settings(
        &self,
        provider: ProviderId,
        kind: SettingsKind,
        document: serde_json::Value,
        by: Option<&Actor>,
    ) -> Result<()> {
        let by = by.cloned();
        self.write(move |c| {
            ingest::set_settings(c, provider, kind, &document)?;
            match &by {
                Some(by) => staff::record(c, by, AuditAction::Settings, kind.name(), ""),
                None => Ok(()),
            }
        })
        .await
    }

    async fn segments(&self, provider: ProviderId) -> Result<Vec<Segment>> {
        self.read(move |c| segments::list(c, provider)).await
    }

    async fn segment(&self, provider: ProviderId, id: SegmentId) -> Result<Option<Segment>> {
        self.read(move |c| segments::one(c, provider, id)).await
    }

    async fn save_segment(&self, provider: ProviderId, segment: Segment) -> Result<()> {
        self.write(move |c| segments::save(c, provider, &segment))
            .await
    }

    async fn delete_segment(&self, provider: ProviderId, id: SegmentId) -> Result<bool> {
        self.write(move |c| segments::delete(c, provider, id)).await
    }

    async fn trait_persons(
        &self,
        provider: ProviderId,
        key: &str,
        value: &str,
    ) -> Result<Vec<PersonId>> {
        let (key, value) = (key.to_string(), value.to_string());
        self.read(move |c| segments::trait_persons(c, provider, &key, &value))
            .await
    }

    async fn profile_persons(
        &self,
        provider: ProviderId,
        profiles: &[ProfileId],
    ) -> Result<Vec<(ProfileId, PersonId)>> {
        let profiles = profiles.to_vec();
        self.read(move |c| segments::profile_persons(c, provider, &profiles))
            .await
    }

    async fn quarantine(
        &self,
        provider: ProviderId,
        events: Vec<(String, String, Vec<FieldError>)>,
    ) -> Result<()> {
        let events = crate::erasure::not_erased(events);
        self.write(move |c| ingest::quarantine(c, provider, &events))
            .await
    }

    async fn quarantined(
        &self,
        provider: ProviderId,
        filter: &QuarantineFilter,
        page: PageRequest,
    ) -> Result<Vec<Quarantined>> {
        let filter = filter.clone();
        self.read(move |c| ingest::quarantined(c, provider, &filter, page))
            .await
    }

    async fn quarantined_one(&self, provider: ProviderId, id: Uuid) -> Result<Option<Quarantined>> {
        self.read(move |c| ingest::quarantined_one(c, provider, id))
            .await
    }

    async fn release_quarantined(&self, provider: ProviderId, id: Uuid) -> Result<()> {
        self.write(move |c| ingest::release(c, provider, id)).await
    }

    async fn discard_quarantined(
        &self,
        provider: ProviderId,
        filter: &QuarantineFilter,
        by: Option<&Actor>,
    ) -> Result<u64> {
        let (filter, by) = (filter.clone(), by.cloned());
        self.write(move |c| {
            let n = ingest::discard(c, provider, &filter)?;
            if let Some(by) = &by {
                staff::record(c, by, AuditAction::Quarantine, &n.to_string(), "")?;
            }
            Ok(n)
        })
        .await
    }

    async fn touchpoint(&self, reader: ProviderId, id: TouchpointId) -> Result<Option<Touchpoint>> {
        let found = self
            .read(move |c| {
                let row = c
                    .prepare_cached(&format!(
                        "SELECT {}, p.person_id FROM touchpoints t LEFT JOIN profiles p ON p.id = t.profile_id \
                         WHERE t.id = ?1 AND t.provider_id = ?2",
                        rows::TOUCHPOINT_COLUMNS
                    ))?
                    .query_row(params![id.0, reader.0], |r| Ok((rows::raw_touchpoint(r)?, r.get::<_, Option<Uuid>>(rows::TOUCHPOINT_WIDTH)?.map(PersonId))))
                    .optional()?;
                row.map(|(raw, person)| Ok((raw.into_touchpoint()?, person))).transpose()
            })
            .await?;
        let Some((t, person)) = found else {
            return Ok(None);
        };
        let log = AccessEntry::for_reads(reader, "touchpoints", person.zip(t.profile_id));
        self.write(move |c| rows::log_access(c, &log)).await?;
        Ok(Some(t))
    }

    async fn touchpoints(
        &self,
        reader: ProviderId,
        filter: &TouchpointFilter,
    ) -> Result<Vec<Touchpoint>> {
        let f = filter.clone();
        let found = self
            .read(move |c| {
                let mut sql = format!(
                    "SELECT {}, p.person_id FROM touchpoints t LEFT JOIN profiles p ON p.id = t.profile_id WHERE t.provider_id = ?1",
                    rows::TOUCHPOINT_COLUMNS
                );
                let mut args: Vec<Sql> = vec![Sql::Blob(reader.0.as_bytes().to_vec())];
                let mut and = |clause: &str, v: Sql| {
                    args.push(v);
                    sql += &format!(" AND {clause} ?{}", args.len());
                };
                if let Some(p) = f.profile {
                    and("t.profile_id =", Sql::Blob(p.0.as_bytes().to_vec()));
                }
                if let Some(p) = f.person {
                    and("p.person_id =", Sql::Blob(p.0.as_bytes().to_vec()));
                }
                if let Some(ch) = &f.channel {
                    and("t.channel =", Sql::Text(ch.as_str().into()));
                }
                if let Some(k) = &f.kind {
                    and("t.kind =", Sql::Text(k.as_str().into()));
                }
                if let Some(ph) = f.phase {
                    and("t.phase =", Sql::Text(ph.as_str().into()));
                }
                if let Some(t) = f.from {
                    and("t.occurred_at >=", Sql::Integer(micros(t)));
                }
                if let Some(t) = f.until {
                    and("t.occurred_at <", Sql::Integer(micros(t)));
                }
                if let Some(a) = f.page.after {
                    args.push(Sql::Blob(a.0.as_bytes().to_vec()));
                    let op = if f.newest_first { "<" } else { ">" };
                    let n = args.len();
                    sql += &if f.by_occurrence {
                        format!(" AND (t.occurred_at, t.id) {op} (SELECT occurred_at, id FROM touchpoints WHERE provider_id = ?1 AND id = ?{n})")
                    } else {
                        format!(" AND t.id {op} ?{n}")
                    };
                }
                let order = if f.newest_first { "DESC" } else { "ASC" };
                if f.by_occurrence {
                    sql += &format!(" ORDER BY t.occurred_at {order}, t.id {order} LIMIT {}", f.page.limit);
                } else {
                    sql += &format!(" ORDER BY t.id {order} LIMIT {}", f.page.limit);
                }
                let mut stmt = c.prepare_cached(&sql)?;
                let raws: Vec<_> = stmt
                    .query_map(params_from_iter(args), |r| Ok((rows::raw_touchpoint(r)?, r.get::<_, Option<Uuid>>(rows::TOUCHPOINT_WIDTH)?.map(PersonId))))?
                    .collect::<rusqlite::Result<_>>()?;
                raws.into_iter().map(|(raw, person)| Ok((raw.into_touchpoint()?, person))).collect::<Result<Vec<_>>>()
            })
            .await?;
        let log = AccessEntry::for_reads(
            reader,
            "touchpoints",
            found
                .iter()
                .filter_map(|(t, person)| person.zip(t.profile_id)),
        );
        self.write(move |c| rows::log_access(c, &log)).await?;
        Ok(found.into_iter().map(|(t, _)| t).collect())
    }

    async fn journey_log(&self, provider: ProviderId) -> Result<motesplats_core::journey::Log> {
        self.read(move |c| journeys::log(c, provider)).await
    }

    async fn network_log(
        &self,
        reader: ProviderId,
        network: NetworkId,
        share: SharedData,
    ) -> Result<crate::Shared<motesplats_core::journey::Log>> {
        self.read(move |c| journeys::network_log(c, reader, network, share))
            .await
    }

    async fn touchpoint_counts(&self, provider: ProviderId) -> Result<Vec<ChannelPhaseCount>> {
        self.read(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT channel, phase, COUNT(*) FROM touchpoints WHERE provider_id = ?1 \
                 GROUP BY channel, phase ORDER BY channel, phase",
            )?;
            let rows: Vec<(String, Option<String>, i64)> = stmt
                .query_map([provider.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows
                .into_iter()
                .map(|(channel, phase, n)| ChannelPhaseCount {
                    channel,
                    phase: phase.as_deref().and_then(|p| Phase::parse(p).ok()),
                    count: n.max(0) as u64,
                })
                .collect())
        })
        .await
    }

    async fn create_project(
        &self,
        owner: ProviderId,
        id: Uuid,
        document: serde_json::Value,
    ) -> Result<StoredProject> {
        self.write(move |c| projects::create(c, owner, id, &document))
            .await
    }

    async fn project(&self, reader: ProviderId, id: Uuid) -> Result<Option<StoredProject>> {
        self.read(move |c| projects::get(c, reader, id)).await
    }

    async fn projects(&self, reader: ProviderId) -> Result<Vec<StoredProject>> {
        self.read(move |c| projects::list(c, reader)).await
    }

    async fn save_project(
        &self,
        writer: ProviderId,
        id: Uuid,
        expected_version: i64,
        document: serde_json::Value,
    ) -> Result<StoredProject> {
        self.write(move |c| projects::save(c, writer, id, expected_version, &document))
            .await
    }

    async fn invite_to_project(
        &self,
        owner: ProviderId,
        id: Uuid,
        guest: ProviderId,
    ) -> Result<()> {
        self.write(move |c| projects::invite(c, owner, id, guest))
            .await
    }

    async fn put_attachment(
        &self,
        viewer: ProviderId,
        project: Uuid,
        id: Uuid,
        content_type: &str,
        data: &[u8],
    ) -> Result<()> {
        let (content_type, data) = (content_type.to_string(), data.to_vec());
        self.write(move |c| attachments::put(c, viewer, project, id, &content_type, &data))
            .await
    }

    async fn attachment(
        &self,
        viewer: ProviderId,
        project: Uuid,
        id: Uuid,
    ) -> Result<Option<(String, Vec<u8>)>> {
        self.read(move |c| attachments::get(c, viewer, project, id))
            .await
    }

    async fn create_survey(&self, provider: ProviderId, survey: Survey) -> Result<()> {
        self.write(move |c| surveys::create(c, provider, &survey))
            .await
    }

    async fn survey(
        &self,
        provider: Option<ProviderId>,
        id: SurveyId,
    ) -> Result<Option<StoredSurvey>> {
        self.read(move |c| surveys::get(c, provider, id)).await
    }

    async fn surveys(&self, provider: ProviderId) -> Result<Vec<Survey>> {
        self.read(move |c| surveys::list(c, provider)).await
    }

    async fn change_survey(
        &self,
        provider: ProviderId,
        id: SurveyId,
        expected: Option<i64>,
        change: SurveyChange,
    ) -> Result<StoredSurvey> {
        self.write(move |c| surveys::change(c, provider, id, expected, change))
            .await
    }

    async fn save_response(
        &self,
        provider: ProviderId,
        response: Response,
        revision: i64,
        write: ResponseWrite,
    ) -> Result<ResponseSaved> {
        self.write(move |c| surveys::save_response(c, provider, &response, revision, write))
            .await
    }

    async fn resumable_response(
        &self,
        provider: ProviderId,
        survey: SurveyId,
        id: ResponseId,
        resume_sha256: [u8; 32],
    ) -> Result<Option<Response>> {
        self.read(move |c| surveys::resumable(c, provider, survey, id, resume_sha256))
            .await
    }

    async fn responses(&self, provider: ProviderId, survey: SurveyId) -> Result<Vec<Response>> {
        self.read(move |c| surveys::responses(c, provider, survey))
            .await
    }

    async fn server_secret(&self, name: &str, candidate: [u8; 32]) -> Result<[u8; 32]> {
        let name = name.to_string();
        self.write(move |c| surveys::secret(c, &name, candidate))
            .await
    }

    async fn codebook(&self, provider: ProviderId) -> Result<Option<(i64, serde_json::Value)>> {
        self.read(move |c| coding::codebook(c, provider)).await
    }

    async fn save_codebook(
        &self,
        provider: ProviderId,
        expected_version: Option<i64>,
        document: serde_json::Value,
    ) -> Result<i64> {
        self.write(move |c| coding::save_codebook(c, provider, expected_version, &document))
            .await
    }

    async fn add_coding(&self, provider: ProviderId, new: Coding) -> Result<()> {
        self.write(move |c| coding::add(c, provider, &new)).await
    }

    async fn delete_coding(&self, provider: ProviderId, id: CodingId) -> Result<()> {
        self.write(move |c| coding::delete(c, provider, id)).await
    }

    async fn codings(&self, provider: ProviderId, survey: SurveyId) -> Result<Vec<Coding>> {
        self.read(move |c| coding::list(c, provider, survey)).await
    }

    async fn code_in_use(&self, provider: ProviderId, code: &str) -> Result<bool> {
        let code = code.to_string();
        self.read(move |c| coding::in_use(c, provider, &code)).await
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
        let row = network.clone();
        self.write(move |c| {
            let shares = serde_json::to_string(&row.shares)
                .map_err(|e| StoreError::Backend(e.to_string()))?;
            c.execute(
                "INSERT INTO networks (id, name, shares, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![row.id.0, row.name, shares, micros(now())],
            )?;
            for (i, m) in row.members.iter().enumerate() {
                let known: Option<i64> = c
                    .query_row("SELECT 1 FROM providers WHERE id = ?1", [m.0], |r| r.get(0))
                    .optional()?;
                if known.is_none() {
                    return Err(StoreError::Invalid(Invalid::one(
                        format!("members[{i}]"),
                        motesplats_core::Reason::NoProvider,
                    )));
                }
                c.execute(
                    "INSERT INTO network_members (network_id, provider_id) VALUES (?1, ?2)",
                    params![row.id.0, m.0],
                )?;
            }
            Ok(())
        })
        .await?;
        Ok(network)
    }

    async fn networks(&self, provider: ProviderId) -> Result<Vec<Network>> {
        self.read(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT n.id, n.name, n.shares FROM networks n JOIN network_members m ON m.network_id = n.id \
                 WHERE m.provider_id = ?1 ORDER BY n.name",
            )?;
            let rows: Vec<(Uuid, String, String)> =
                stmt.query_map([provider.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
            rows.into_iter()
                .map(|(id, name, shares)| {
                    let shares: Vec<SharedData> =
                        serde_json::from_str(&shares).map_err(|_| StoreError::Backend("unreadable network shares".into()))?;
                    Ok(Network { id: NetworkId(id), name, members: network_members(c, id)?, shares })
                })
                .collect()
        })
        .await
    }

    async fn access_log(&self, person: PersonId, limit: u32) -> Result<Vec<AccessEntry>> {
        self.read(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT provider_id, person_id, profile_id, action, at FROM access_log WHERE person_id = ?1 \
                 ORDER BY seq DESC LIMIT ?2",
            )?;
            let entries = stmt
                .query_map(params![person.0, limit], |r| {
                    Ok(AccessEntry {
                        provider_id: ProviderId(r.get(0)?),
                        person_id: PersonId(r.get(1)?),
                        profile_id: r.get::<_, Option<Uuid>>(2)?.map(ProfileId),
                        action: r.get(3)?,
                        at: r.get::<_, Micros>(4)?.0,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            Ok(entries)
        })
        .await
    }

    async fn users(&self, provider: ProviderId) -> Result<Vec<User>> {
        self.read(move |c| staff::users(c, provider)).await
    }

    async fn invite_user(&self, by: &Actor, invitation: NewInvitation) -> Result<()> {
        let by = by.clone();
        self.write(move |c| staff::invite(c, &by, &invitation))
            .await
    }

    async fn invitation(
        &self,
        token_sha256: [u8; 32],
        now: DateTime<Utc>,
    ) -> Result<Option<Invitation>> {
        self.read(move |c| staff::invitation(c, token_sha256, now))
            .await
    }

    async fn accept_invitation(
        &self,
        token_sha256: [u8; 32],
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<User>> {
        let hash = password_hash.to_string();
        self.write(move |c| staff::accept(c, token_sha256, &hash, now))
            .await
    }

    async fn change_role(&self, by: &Actor, user: UserId, role: Role) -> Result<()> {
        let by = by.clone();
        self.write(move |c| staff::change_role(c, &by, user, role))
            .await
    }

    async fn remove_user(&self, by: &Actor, user: UserId) -> Result<()> {
        let by = by.clone();
        self.write(move |c| staff::remove(c, &by, user)).await
    }

    async fn change_password(&self, by: &Actor, password_hash: &str, keep: [u8; 32]) -> Result<()> {
        let (by, hash) = (by.clone(), password_hash.to_string());
        self.write(move |c| staff::change_password(c, &by, &hash, keep))
            .await
    }

    async fn request_password_reset(
        &self,
        email: &str,
        token_sha256: [u8; 32],
        expires_at: DateTime<Utc>,
    ) -> Result<Option<User>> {
        let email = email.trim().to_lowercase();
        self.write(move |c| staff::request_reset(c, &email, token_sha256, expires_at))
            .await
    }

    async fn reset_user(&self, token_sha256: [u8; 32], now: DateTime<Utc>) -> Result<Option<User>> {
        self.read(move |c| staff::reset_user(c, token_sha256, now))
            .await
    }

    async fn reset_password(
        &self,
        token_sha256: [u8; 32],
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<User>> {
        let hash = password_hash.to_string();
        self.write(move |c| staff::reset_password(c, token_sha256, &hash, now))
            .await
    }

    async fn audit_log(
        &self,
        provider: ProviderId,
        before: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<AuditEntry>> {
        self.read(move |c| staff::audit(c, provider, before, limit))
            .await
    }
}
