//! The customer list: profiles found by identifier or name, with the size of their story.

use super::rows;
use super::store::encode;
use crate::{Customer, CustomerQuery, ProviderId, Result};
use chrono::{DateTime, Utc};
use sqlx::postgres::PgArguments;
use sqlx::{Arguments, AssertSqlSafe, PgConnection, Row};

pub async fn customers(
    c: &mut PgConnection,
    reader: ProviderId,
    q: &CustomerQuery,
) -> Result<Vec<Customer>> {
    let mut args = PgArguments::default();
    args.add(reader.0).map_err(encode)?;
    let mut sql = format!(
        "SELECT {}, \
         (SELECT COUNT(*) FROM touchpoints t WHERE t.provider_id = $1 AND t.profile_id = p.id), \
         (SELECT MAX(t.occurred_at) FROM touchpoints t WHERE t.provider_id = $1 AND t.profile_id = p.id), \
         (SELECT COUNT(*) FROM profiles o WHERE o.provider_id = $1 AND o.person_id = p.person_id) \
         FROM profiles p WHERE p.provider_id = $1",
        rows::PROFILE_COLUMNS
    );
    // Newest first: `after` goes to older profiles, `before` back to newer ones.
    let (cursor, op, order) = match (q.before, q.page.after) {
        (Some(b), _) => (Some(b), ">", "ASC"),
        (None, a) => (a, "<", "DESC"),
    };
    if let Some(cur) = cursor {
        args.add(cur.0).map_err(encode)?;
        sql += &format!(" AND p.id {op} ${}", args.len());
    }
    if let Some(search) = &q.search {
        let mut any = Vec::new();
        for id in &search.identifiers {
            args.add(id.kind.as_str()).map_err(encode)?;
            args.add(id.value.clone()).map_err(encode)?;
            any.push(format!(
                "p.id IN (SELECT profile_id FROM identifiers WHERE provider_id = $1 AND kind = ${} AND value = ${})",
                args.len() - 1,
                args.len()
            ));
        }
        if let Some(name) = &search.name {
            args.add(name.clone()).map_err(encode)?;
            any.push(format!(
                "strpos(lower(p.display_name), ${}) > 0",
                args.len()
            ));
        }
        if any.is_empty() {
            return Ok(Vec::new());
        }
        sql += &format!(" AND ({})", any.join(" OR "));
    }
    sql += &format!(" ORDER BY p.id {order} LIMIT {}", q.page.limit);
    let found = sqlx::query_with(AssertSqlSafe(sql), args)
        .fetch_all(&mut *c)
        .await?;
    let mut profiles = Vec::with_capacity(found.len());
    let mut stats = Vec::with_capacity(found.len());
    for r in &found {
        profiles.push(rows::profile(r)?);
        let n: i64 = r.try_get(6)?;
        let last: Option<DateTime<Utc>> = r.try_get(7)?;
        let siblings: i64 = r.try_get(8)?;
        stats.push((n, last, siblings));
    }
    let profiles = rows::complete_profiles(c, profiles).await?;
    Ok(q.page(profiles, stats))
}
