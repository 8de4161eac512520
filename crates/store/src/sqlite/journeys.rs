//! Touchpoints as the journey log: one provider's, or a network's members' together.

use super::rows::Micros;
use crate::contact::refused;
use crate::{Result, Shared, StoreError};
use motesplats_core::consent::{Choice, Purpose, Source};
use motesplats_core::journey::{Log, LogBuilder, LogRow, StepSignals};
use motesplats_core::{NetworkId, PersonId, Phase, ProviderId, SharedData, TouchpointId};
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashSet;
use uuid::Uuid;

/// The properties come along only where they may hold a signal (`StepSignals::KEYS`):
/// most touchpoints have none, and reading every document would double the load.
const ROWS: &str = "SELECT p.person_id, t.id, t.occurred_at, t.channel, t.kind, t.phase, t.initiator, \
     CASE WHEN instr(t.properties, '\"guests\"') OR instr(t.properties, '\"nights\"') \
       OR instr(t.properties, '\"event\"') OR instr(t.properties, '\"occasion\"') \
     THEN t.properties END \
     FROM touchpoints t JOIN profiles p ON p.id = t.profile_id";

/// Every placed touchpoint of `provider` on its person. Waiting ones (not yet
/// stitched) join at the next load. Persons who said no to analytics (themselves, or
/// to the provider that imported it) are left out: they count in no figure.
pub fn log(c: &Connection, provider: ProviderId) -> Result<Log> {
    let left_out = no_analytics(c, "?1", provider.0)?;
    collect(
        c,
        &format!("{ROWS} WHERE t.provider_id = ?1"),
        provider.0,
        &left_out,
    )
}

/// The persons of the providers `providers` (SQL naming them by `?1`) whose holding
/// choice about analytics is no. The people's own choices are few: CROSS JOIN starts
/// from them (SQLite would rather walk every identifier of the provider).
fn no_analytics(c: &Connection, providers: &str, key: Uuid) -> Result<HashSet<Uuid>> {
    let sql = format!(
        "SELECT p.person_id, 'person', o.given, o.at FROM own_consents o \
         CROSS JOIN verified_identifiers v CROSS JOIN identifiers i CROSS JOIN profiles p \
         WHERE v.account_id = o.account_id AND i.provider_id = o.provider_id AND i.kind = v.kind \
         AND i.value = v.value AND p.id = i.profile_id \
         AND o.purpose = 'analytics' AND o.provider_id IN ({providers}) \
         UNION ALL \
         SELECT p.person_id, 'import', k.given, k.at FROM imported_consents k JOIN profiles p ON p.id = k.profile_id \
         WHERE k.purpose = 'analytics' AND k.provider_id IN ({providers})"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt
        .query_map([key], |r| {
            let source = if r.get_ref(1)?.as_str().unwrap_or_default() == "person" {
                Source::Person
            } else {
                Source::Import
            };
            Ok((
                r.get::<_, Uuid>(0)?,
                Choice {
                    purpose: Purpose::Analytics,
                    given: r.get(2)?,
                    source,
                    at: r.get::<_, Micros>(3)?.0,
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(refused(rows, Purpose::Analytics))
}

/// The placed touchpoints of every member of `network`, if `reader` is a member and
/// the network shares `share`.
pub fn network_log(
    c: &Connection,
    reader: ProviderId,
    network: NetworkId,
    share: SharedData,
) -> Result<Shared<Log>> {
    let shares: Option<String> = c
        .query_row(
            "SELECT n.shares FROM networks n JOIN network_members m ON m.network_id = n.id \
             WHERE n.id = ?1 AND m.provider_id = ?2",
            [network.0, reader.0],
            |r| r.get(0),
        )
        .optional()?;
    let Some(shares) = shares else {
        return Ok(Shared::Unknown);
    };
    let shares: Vec<SharedData> = serde_json::from_str(&shares)
        .map_err(|_| StoreError::Backend("unreadable network shares".into()))?;
    if !shares.contains(&share) {
        return Ok(Shared::Withheld);
    }
    let members = "SELECT provider_id FROM network_members WHERE network_id = ?1";
    let left_out = no_analytics(c, members, network.0)?;
    let sql = format!("{ROWS} WHERE t.provider_id IN ({members})");
    Ok(Shared::Granted(collect(c, &sql, network.0, &left_out)?))
}

fn collect(c: &Connection, sql: &str, key: Uuid, left_out: &HashSet<Uuid>) -> Result<Log> {
    let mut stmt = c.prepare_cached(sql)?;
    let mut rows = stmt.query([key])?;
    let mut log = LogBuilder::default();
    while let Some(r) = rows.next()? {
        let person = r.get::<_, Uuid>(0)?;
        if !left_out.is_empty() && left_out.contains(&person) {
            continue;
        }
        let us: i64 = r.get(2)?;
        let (channel, kind): (String, String) = (r.get(3)?, r.get(4)?);
        let phase: Option<String> = r.get(5)?;
        let properties: Option<String> = r.get(7)?;
        let signals = properties
            .and_then(|t| serde_json::from_str(&t).ok())
            .map_or_else(StepSignals::default, |p| StepSignals::read(&p));
        log.push(LogRow {
            person: PersonId(person),
            id: TouchpointId(r.get::<_, Uuid>(1)?),
            at: us.div_euclid(1000),
            channel: &channel,
            kind: &kind,
            declared: phase.as_deref().and_then(|p| Phase::parse(p).ok()),
            by_provider: r.get_ref(6)?.as_str().unwrap_or_default() == "provider",
            signals,
        });
    }
    Ok(log.finish())
}
