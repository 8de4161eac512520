//! Reading rows into domain values, and the small queries several methods share.

use crate::{AccessEntry, Result, StoreError};
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use motesplats_core::{
    ChannelKey, Identifier, IdentifierKind, Initiator, PersonId, Phase, Profile, ProfileId,
    Provider, ProviderId, Setting, Touchpoint, TouchpointId, TouchpointKind,
};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ValueRef};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::{Map, Value};
use uuid::Uuid;

pub fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

/// A time as the database keeps it: whole microseconds, so the value a write
/// returns equals the value a later read gives.
pub fn as_stored(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

/// A stored time. A value no calendar holds is corruption, never 1970.
pub fn time(us: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_micros(us).ok_or_else(|| corrupt("time"))
}

/// A time column, read inside a row mapper: `r.get::<_, Micros>(i)?.0`.
pub struct Micros(pub DateTime<Utc>);

impl FromSql for Micros {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let us = i64::column_result(value)?;
        DateTime::from_timestamp_micros(us)
            .map(Micros)
            .ok_or(FromSqlError::OutOfRange(us))
    }
}

pub fn corrupt(what: &str) -> StoreError {
    StoreError::Backend(format!("unreadable {what} in the database"))
}

pub fn object(text: &str) -> Result<Map<String, Value>> {
    match serde_json::from_str(text) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(corrupt("JSON object")),
    }
}

pub fn provider_by_id(c: &Connection, id: ProviderId) -> Result<Option<Provider>> {
    Ok(c.prepare_cached(&format!(
        "SELECT {PROVIDER_COLUMNS} FROM providers WHERE id = ?1"
    ))?
    .query_row([id.0], provider)
    .optional()?)
}

pub fn provider(r: &Row) -> rusqlite::Result<Provider> {
    Ok(Provider {
        id: ProviderId(r.get(0)?),
        name: r.get(1)?,
        time_zone: r.get(2)?,
        country: r.get(3)?,
        created_at: r.get::<_, Micros>(4)?.0,
    })
}

pub const PROVIDER_COLUMNS: &str = "id, name, time_zone, country, created_at";

pub const PROFILE_COLUMNS: &str =
    "id, provider_id, person_id, display_name, attributes, created_at";

/// A profile row without its identifiers.
pub fn profile(r: &Row) -> rusqlite::Result<(Profile, String)> {
    Ok((
        Profile {
            id: ProfileId(r.get(0)?),
            provider_id: ProviderId(r.get(1)?),
            person_id: PersonId(r.get(2)?),
            display_name: r.get(3)?,
            identifiers: Vec::new(),
            attributes: Map::new(),
            created_at: r.get::<_, Micros>(5)?.0,
        },
        r.get(4)?,
    ))
}

/// Completes profile rows with their attributes and identifiers.
pub fn complete_profiles(c: &Connection, rows: Vec<(Profile, String)>) -> Result<Vec<Profile>> {
    let mut stmt = c.prepare_cached(
        "SELECT kind, value FROM identifiers WHERE profile_id = ?1 ORDER BY kind, value",
    )?;
    rows.into_iter()
        .map(|(mut p, attributes)| {
            p.attributes = object(&attributes)?;
            p.identifiers = stmt
                .query_map([p.id.0], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })?
                .map(|row| {
                    let (kind, value) = row?;
                    let kind =
                        IdentifierKind::parse(&kind).map_err(|_| corrupt("identifier kind"))?;
                    Ok(Identifier { kind, value })
                })
                .collect::<Result<_>>()?;
            Ok(p)
        })
        .collect()
}

pub fn profile_by_id(
    c: &Connection,
    provider: ProviderId,
    id: ProfileId,
) -> Result<Option<Profile>> {
    let row = c
        .prepare_cached(&format!(
            "SELECT {PROFILE_COLUMNS} FROM profiles WHERE id = ?1 AND provider_id = ?2"
        ))?
        .query_row(params![id.0, provider.0], profile)
        .optional()?;
    Ok(complete_profiles(c, row.into_iter().collect())?.pop())
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
    occurred_at: i64,
    /// `YYYY-MM-DD`.
    occurred_on: Option<String>,
    received_at: i64,
    initiator: String,
    setting: Option<String>,
    phase: Option<String>,
    properties: String,
    flags: Option<String>,
}

pub fn raw_touchpoint(r: &Row) -> rusqlite::Result<RawTouchpoint> {
    Ok(RawTouchpoint {
        id: r.get(0)?,
        provider_id: r.get(1)?,
        profile_id: r.get(2)?,
        event_id: r.get(3)?,
        channel: r.get(4)?,
        kind: r.get(5)?,
        occurred_at: r.get(6)?,
        occurred_on: r.get(13)?,
        received_at: r.get(7)?,
        initiator: r.get(8)?,
        setting: r.get(9)?,
        phase: r.get(10)?,
        properties: r.get(11)?,
        flags: r.get(12)?,
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
            occurred_at: time(self.occurred_at)?,
            occurred_on: self
                .occurred_on
                .as_deref()
                .map(|d| d.parse::<NaiveDate>())
                .transpose()
                .map_err(|_| corrupt("occurred_on"))?,
            received_at: time(self.received_at)?,
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
            properties: object(&self.properties)?,
            flags: match self.flags {
                None => Vec::new(),
                Some(f) => serde_json::from_str(&f).map_err(|_| corrupt("flags"))?,
            },
        })
    }
}

/// Appends access-log rows in the caller's transaction.
pub fn log_access(c: &Connection, entries: &[AccessEntry]) -> Result<()> {
    let mut stmt = c.prepare_cached(
        "INSERT INTO access_log (provider_id, person_id, profile_id, action, at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for e in entries {
        stmt.execute(params![
            e.provider_id.0,
            e.person_id.0,
            e.profile_id.map(|p| p.0),
            e.action,
            micros(e.at)
        ])?;
    }
    Ok(())
}
