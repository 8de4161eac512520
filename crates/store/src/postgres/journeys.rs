//! A provider's touchpoints as the journey log.

use crate::Result;
use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use motesplats_core::journey::{Log, LogBuilder, LogRow};
use motesplats_core::{PersonId, Phase, ProviderId, TouchpointId};
use sqlx::{PgPool, Row};
use uuid::Uuid;

/// Every placed touchpoint of `provider` on its person, streamed. Waiting ones (not
/// yet stitched) join at the next load.
pub async fn log(pool: &PgPool, provider: ProviderId) -> Result<Log> {
    let mut rows = sqlx::query(
        "SELECT p.person_id, t.id, t.occurred_at, t.channel, t.kind, t.phase, t.initiator \
         FROM touchpoints t JOIN profiles p ON p.id = t.profile_id WHERE t.provider_id = $1",
    )
    .bind(provider.0)
    .fetch(pool);
    let mut log = LogBuilder::default();
    while let Some(r) = rows.try_next().await? {
        let at: DateTime<Utc> = r.try_get(2)?;
        let phase: Option<&str> = r.try_get(5)?;
        let initiator: &str = r.try_get(6)?;
        log.push(LogRow {
            person: PersonId(r.try_get::<Uuid, _>(0)?),
            id: TouchpointId(r.try_get::<Uuid, _>(1)?),
            at: at.timestamp_millis(),
            channel: r.try_get(3)?,
            kind: r.try_get(4)?,
            declared: phase.and_then(|p| Phase::parse(p).ok()),
            by_provider: initiator == "provider",
        });
    }
    Ok(log.finish())
}
