//! Touchpoints as the journey log: one provider's, or a network's members' together.

use crate::contact::refused;
use crate::{Result, Shared, StoreError};
use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use motesplats_core::consent::{Choice, Purpose, Source};
use motesplats_core::journey::{Log, LogBuilder, LogRow, StepSignals};
use motesplats_core::{NetworkId, PersonId, Phase, ProviderId, SharedData, TouchpointId};
use serde_json::{Map, Value};
use sqlx::types::Json;
use sqlx::{AssertSqlSafe, PgPool, Row};
use std::collections::HashSet;
use uuid::Uuid;

/// Of the properties only those a signal reads (`StepSignals::KEYS`), and only where
/// there are any: most touchpoints have none.
const ROWS: &str = "SELECT p.person_id, t.id, t.occurred_at, t.channel, t.kind, t.phase, t.initiator, \
     CASE WHEN t.properties ?| ARRAY['guests', 'nights', 'event', 'occasion'] \
     THEN jsonb_build_object('guests', t.properties -> 'guests', 'nights', t.properties -> 'nights', \
       'event', t.properties -> 'event', 'occasion', t.properties -> 'occasion') END \
     FROM touchpoints t JOIN profiles p ON p.id = t.profile_id";

/// Every placed touchpoint of `provider` on its person, streamed. Waiting ones (not
/// yet stitched) join at the next load. Persons who said no to analytics (themselves,
/// or to the provider that imported it) are left out: they count in no figure.
pub async fn log(pool: &PgPool, provider: ProviderId) -> Result<Log> {
    let left_out = no_analytics(pool, "$1", provider.0).await?;
    collect(
        pool,
        format!("{ROWS} WHERE t.provider_id = $1"),
        provider.0,
        &left_out,
    )
    .await
}

/// The persons of the providers `providers` (SQL naming them by `$1`) whose holding
/// choice about analytics is no.
async fn no_analytics(pool: &PgPool, providers: &str, key: Uuid) -> Result<HashSet<Uuid>> {
    let sql = format!(
        "SELECT p.person_id, 'person' AS source, o.given, o.at FROM own_consents o \
         JOIN verified_identifiers v ON v.account_id = o.account_id \
         JOIN identifiers i ON i.provider_id = o.provider_id AND i.kind = v.kind AND i.value = v.value \
         JOIN profiles p ON p.id = i.profile_id \
         WHERE o.purpose = 'analytics' AND o.provider_id IN ({providers}) \
         UNION ALL \
         SELECT p.person_id, 'import', k.given, k.at FROM imported_consents k JOIN profiles p ON p.id = k.profile_id \
         WHERE k.purpose = 'analytics' AND k.provider_id IN ({providers})"
    );
    // The SQL is made of constants only; the key is bound.
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(key)
        .fetch_all(pool)
        .await?;
    let mut choices = Vec::with_capacity(rows.len());
    for r in &rows {
        let source: &str = r.try_get(1)?;
        choices.push((
            r.try_get::<Uuid, _>(0)?,
            Choice {
                purpose: Purpose::Analytics,
                given: r.try_get(2)?,
                source: if source == "person" {
                    Source::Person
                } else {
                    Source::Import
                },
                at: r.try_get(3)?,
            },
        ));
    }
    Ok(refused(choices, Purpose::Analytics))
}

/// The placed touchpoints of every member of `network`, if `reader` is a member and
/// the network shares `share`.
pub async fn network_log(
    pool: &PgPool,
    reader: ProviderId,
    network: NetworkId,
    share: SharedData,
) -> Result<Shared<Log>> {
    let row = sqlx::query(
        "SELECT n.shares FROM networks n JOIN network_members m ON m.network_id = n.id \
         WHERE n.id = $1 AND m.provider_id = $2",
    )
    .bind(network.0)
    .bind(reader.0)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Ok(Shared::Unknown);
    };
    let shares: sqlx::types::Json<Vec<SharedData>> = row
        .try_get(0)
        .map_err(|_| StoreError::Backend("unreadable network shares".into()))?;
    if !shares.0.contains(&share) {
        return Ok(Shared::Withheld);
    }
    let members = "SELECT provider_id FROM network_members WHERE network_id = $1";
    let left_out = no_analytics(pool, members, network.0).await?;
    let sql = format!("{ROWS} WHERE t.provider_id IN ({members})");
    Ok(Shared::Granted(
        collect(pool, sql, network.0, &left_out).await?,
    ))
}

async fn collect(pool: &PgPool, sql: String, key: Uuid, left_out: &HashSet<Uuid>) -> Result<Log> {
    // The SQL is made of constants only; the key is bound.
    let mut rows = sqlx::query(AssertSqlSafe(sql)).bind(key).fetch(pool);
    let mut log = LogBuilder::default();
    while let Some(r) = rows.try_next().await? {
        let person = r.try_get::<Uuid, _>(0)?;
        if !left_out.is_empty() && left_out.contains(&person) {
            continue;
        }
        let at: DateTime<Utc> = r.try_get(2)?;
        let phase: Option<&str> = r.try_get(5)?;
        let initiator: &str = r.try_get(6)?;
        let properties: Option<Json<Map<String, Value>>> = r.try_get(7)?;
        log.push(LogRow {
            person: PersonId(person),
            id: TouchpointId(r.try_get::<Uuid, _>(1)?),
            at: at.timestamp_millis(),
            channel: r.try_get(3)?,
            kind: r.try_get(4)?,
            declared: phase.and_then(|p| Phase::parse(p).ok()),
            by_provider: initiator == "provider",
            signals: properties.map_or_else(StepSignals::default, |p| StepSignals::read(&p.0)),
        });
    }
    Ok(log.finish())
}
