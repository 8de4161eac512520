//! A provider's touchpoints as the journey log.

use crate::Result;
use motesplats_core::journey::{Log, LogBuilder, LogRow};
use motesplats_core::{PersonId, Phase, ProviderId, TouchpointId};
use rusqlite::Connection;
use uuid::Uuid;

/// Every placed touchpoint of `provider` on its person. Waiting ones (not yet
/// stitched) join at the next load.
pub fn log(c: &Connection, provider: ProviderId) -> Result<Log> {
    let mut stmt = c.prepare_cached(
        "SELECT p.person_id, t.id, t.occurred_at, t.channel, t.kind, t.phase, t.initiator \
         FROM touchpoints t JOIN profiles p ON p.id = t.profile_id WHERE t.provider_id = ?1",
    )?;
    let mut rows = stmt.query([provider.0])?;
    let mut log = LogBuilder::default();
    while let Some(r) = rows.next()? {
        let us: i64 = r.get(2)?;
        let (channel, kind): (String, String) = (r.get(3)?, r.get(4)?);
        let phase: Option<String> = r.get(5)?;
        log.push(LogRow {
            person: PersonId(r.get::<_, Uuid>(0)?),
            id: TouchpointId(r.get::<_, Uuid>(1)?),
            at: us.div_euclid(1000),
            channel: &channel,
            kind: &kind,
            declared: phase.as_deref().and_then(|p| Phase::parse(p).ok()),
            by_provider: r.get_ref(6)?.as_str().unwrap_or_default() == "provider",
        });
    }
    Ok(log.finish())
}
