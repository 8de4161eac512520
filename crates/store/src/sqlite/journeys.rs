//! Touchpoints as the journey log: one provider's, or a network's members' together.

use crate::{Result, Shared, StoreError};
use motesplats_core::journey::{Log, LogBuilder, LogRow, StepSignals};
use motesplats_core::{NetworkId, PersonId, Phase, ProviderId, SharedData, TouchpointId};
use rusqlite::{Connection, OptionalExtension};
use uuid::Uuid;

/// The properties come along only where they may hold a signal (`StepSignals::KEYS`):
/// most touchpoints have none, and reading every document would double the load.
const ROWS: &str = "SELECT p.person_id, t.id, t.occurred_at, t.channel, t.kind, t.phase, t.initiator, \
     CASE WHEN instr(t.properties, '\"guests\"') OR instr(t.properties, '\"nights\"') \
       OR instr(t.properties, '\"event\"') OR instr(t.properties, '\"occasion\"') \
     THEN t.properties END \
     FROM touchpoints t JOIN profiles p ON p.id = t.profile_id";

/// Every placed touchpoint of `provider` on its person. Waiting ones (not yet
/// stitched) join at the next load.
pub fn log(c: &Connection, provider: ProviderId) -> Result<Log> {
    collect(c, &format!("{ROWS} WHERE t.provider_id = ?1"), provider.0)
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
    let sql = format!(
        "{ROWS} WHERE t.provider_id IN (SELECT provider_id FROM network_members WHERE network_id = ?1)"
    );
    Ok(Shared::Granted(collect(c, &sql, network.0)?))
}

fn collect(c: &Connection, sql: &str, key: Uuid) -> Result<Log> {
    let mut stmt = c.prepare_cached(sql)?;
    let mut rows = stmt.query([key])?;
    let mut log = LogBuilder::default();
    while let Some(r) = rows.next()? {
        let us: i64 = r.get(2)?;
        let (channel, kind): (String, String) = (r.get(3)?, r.get(4)?);
        let phase: Option<String> = r.get(5)?;
        let properties: Option<String> = r.get(7)?;
        let signals = properties
            .and_then(|t| serde_json::from_str(&t).ok())
            .map_or_else(StepSignals::default, |p| StepSignals::read(&p));
        log.push(LogRow {
            person: PersonId(r.get::<_, Uuid>(0)?),
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
