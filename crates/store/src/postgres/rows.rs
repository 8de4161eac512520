//! Reading rows into domain values, and the small queries several methods share.

use crate::{AccessEntry, Result, StoreError};
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use motesplats_core::{
    ChannelKey, FieldError, Identifier, IdentifierKind, Initiator, PersonId, Phase, Profile,
    ProfileId, Provider, ProviderId, Setting, Touchpoint, TouchpointId, TouchpointKind,
};
use serde_json::{Map, Value};
use sqlx::postgres::PgRow;
use sqlx::types::Json;
use sqlx::{PgConnection, Row};
use std::collections::HashMap;
use uuid::Uuid;

/// A time as a timestamptz keeps it: whole microseconds, cut like SQLite's integers, so
/// the value a write returns equals the value a later read gives.
pub fn stored(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

pub fn corrupt(what: &str) -> StoreError {
    StoreError::Backend(format!("unreadable {what} in the database"))
}

pub const PROVIDER_COLUMNS: &str = "id, name, time_zone, country, created_at";

pub async fn provider_by_id(c: &mut PgConnection, id: ProviderId) -> Result<Option<Provider>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {PROVIDER_COLUMNS} FROM providers WHERE id = $1"
    )))
    .bind(id.0)
    .fetch_optional(&mut *c)
    .await?;
    Ok(row.as_ref().map(provider).transpose()?)
}

pub fn provider(r: &PgRow) -> sqlx::Result<Provider> {
    Ok(Provider {
        id: ProviderId(r.try_get(0)?),
        name: r.try_get(1)?,
        time_zone: r.try_get(2)?,
        country: r.try_get(3)?,
        created_at: r.try_get(4)?,
    })
}

pub const PROFILE_COLUMNS: &str =
    "id, provider_id, person_id, display_name, attributes, created_at";

/// A profile row without its identifiers.
pub fn profile(r: &PgRow) -> sqlx::Result<Profile> {
    let Json(attributes): Json<Map<String, Value>> = r.try_get(4)?;
    Ok(Profile {
        id: ProfileId(r.try_get(0)?),
        provider_id: ProviderId(r.try_get(1)?),
        person_id: PersonId(r.try_get(2)?),
        display_name: r.try_get(3)?,
        identifiers: Vec::new(),
        attributes,
        created_at: r.try_get(5)?,
    })
}

/// Completes profile rows with their identifiers, in one query for all of them.
pub async fn complete_profiles(
    c: &mut PgConnection,
    mut profiles: Vec<Profile>,
) -> Result<Vec<Profile>> {
    if profiles.is_empty() {
        return Ok(profiles);
    }
    let ids: Vec<Uuid> = profiles.iter().map(|p| p.id.0).collect();
    let rows = sqlx::query(
        "SELECT profile_id, kind, value FROM identifiers WHERE profile_id = ANY($1) ORDER BY profile_id, kind, value",
    )
    .bind(ids)
    .fetch_all(c)
    .await?;
    let mut held: HashMap<Uuid, Vec<Identifier>> = HashMap::new();
    for r in rows {
        let kind: String = r.try_get(1)?;
        let kind = IdentifierKind::parse(&kind).map_err(|_| corrupt("identifier kind"))?;
        held.entry(r.try_get(0)?).or_default().push(Identifier {
            kind,
            value: r.try_get(2)?,
        });
    }
    for p in &mut profiles {
        p.identifiers = held.remove(&p.id.0).unwrap_or_default();
    }
    Ok(profiles)
}

pub async fn profile_by_id(
    c: &mut PgConnection,
    provider: ProviderId,
    id: ProfileId,
) -> Result<Option<Profile>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {PROFILE_COLUMNS} FROM profiles WHERE id = $1 AND provider_id = $2"
    )))
    .bind(id.0)
    .bind(provider.0)
    .fetch_optional(&mut *c)
    .await?;
    let profiles = row.as_ref().map(profile).transpose()?.into_iter().collect();
    Ok(complete_profiles(c, profiles).await?.pop())
}

pub const TOUCHPOINT_COLUMNS: &str = "t.id, t.provider_id, t.profile_id, t.event_id, t.channel, t.kind, t.occurred_at, \
     t.received_at, t.initiator, t.setting, t.phase, t.properties, t.flags, t.occurred_on";
/// How many columns `TOUCHPOINT_COLUMNS` selects: a query's own columns follow.
pub const TOUCHPOINT_WIDTH: usize = 14;

/// The columns of a touchpoint as stored, before they are checked.
pub struct RawTouchpoint {
    id: Uuid,
    provider_id: Uuid,
    profile_id: Option<Uuid>,
    event_id: Option<String>,
    channel: String,
    kind: String,
    occurred_at: DateTime<Utc>,
    occurred_on: Option<NaiveDate>,
    received_at: DateTime<Utc>,
    initiator: String,
    setting: Option<String>,
    phase: Option<String>,
    properties: Map<String, Value>,
    flags: Option<Value>,
}

pub fn raw_touchpoint(r: &PgRow) -> sqlx::Result<RawTouchpoint> {
    let Json(properties) = r.try_get(11)?;
    Ok(RawTouchpoint {
        id: r.try_get(0)?,
        provider_id: r.try_get(1)?,
        profile_id: r.try_get(2)?,
        event_id: r.try_get(3)?,
        channel: r.try_get(4)?,
        kind: r.try_get(5)?,
        occurred_at: r.try_get(6)?,
        occurred_on: r.try_get(13)?,
        received_at: r.try_get(7)?,
        initiator: r.try_get(8)?,
        setting: r.try_get(9)?,
        phase: r.try_get(10)?,
        properties,
        flags: r.try_get(12)?,
    })
}

impl RawTouchpoint {
    pub fn into_touchpoint(self) -> Result<Touchpoint> {
        Ok(Touchpoint {
            id: TouchpointId(self.id),
            provider_id: ProviderId(self.provider_id),
            profile_id: self.profile_id.map(ProfileId),
            event_id: self.event_id,
            channel: ChannelKey::parse(&self.channel).map_err(|_| corrupt("channel"))?,
            kind: TouchpointKind::parse(&self.kind).map_err(|_| corrupt("touchpoint kind"))?,
            occurred_at: self.occurred_at,
            occurred_on: self.occurred_on,
            received_at: self.received_at,
            initiator: Initiator::parse(&self.initiator).map_err(|_| corrupt("initiator"))?,
            setting: self
                .setting
                .as_deref()
                .map(Setting::parse)
                .transpose()
                .map_err(|_| corrupt("setting"))?,
            phase: self
                .phase
                .as_deref()
                .map(Phase::parse)
                .transpose()
                .map_err(|_| corrupt("phase"))?,
            properties: self.properties,
            flags: match self.flags {
                None => Vec::new(),
                Some(f) => {
                    serde_json::from_value::<Vec<FieldError>>(f).map_err(|_| corrupt("flags"))?
                }
            },
        })
    }
}

/// Appends access-log rows in the caller's transaction, in one statement, in order.
pub async fn log_access(c: &mut PgConnection, entries: &[AccessEntry]) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let providers: Vec<Uuid> = entries.iter().map(|e| e.provider_id.0).collect();
    let persons: Vec<Uuid> = entries.iter().map(|e| e.person_id.0).collect();
    let profiles: Vec<Option<Uuid>> = entries.iter().map(|e| e.profile_id.map(|p| p.0)).collect();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    let ats: Vec<DateTime<Utc>> = entries.iter().map(|e| stored(e.at)).collect();
    sqlx::query(
        "INSERT INTO access_log (provider_id, person_id, profile_id, action, at) \
         SELECT provider_id, person_id, profile_id, action, at \
         FROM UNNEST($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[]) \
         WITH ORDINALITY AS e(provider_id, person_id, profile_id, action, at, n) ORDER BY n",
    )
    .bind(providers)
    .bind(persons)
    .bind(profiles)
    .bind(actions)
    .bind(ats)
    .execute(c)
    .await?;
    Ok(())
}
