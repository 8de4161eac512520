//! The customer list: profiles found by identifier or name, with the size of their story.

use super::rows::{self, Micros};
use crate::{Customer, CustomerQuery, Result};
use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use rusqlite::params_from_iter;
use rusqlite::types::Value as Sql;

/// `ulower(text)`: lower case for every script. SQLite's own `lower()` knows only
/// ASCII, so "Åsa" would not find "åsa".
pub fn register_unicode_lower(c: &Connection) -> Result<()> {
    c.create_scalar_function(
        "ulower",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| Ok(ctx.get::<Option<String>>(0)?.map(|s| s.to_lowercase())),
    )?;
    Ok(())
}

pub fn customers(
    c: &Connection,
    reader: crate::ProviderId,
    q: &CustomerQuery,
) -> Result<Vec<Customer>> {
    let mut args: Vec<Sql> = vec![Sql::Blob(reader.0.as_bytes().to_vec())];
    let mut sql = format!(
        "SELECT {}, \
         (SELECT COUNT(*) FROM touchpoints t WHERE t.provider_id = ?1 AND t.profile_id = p.id), \
         (SELECT MAX(t.occurred_at) FROM touchpoints t WHERE t.provider_id = ?1 AND t.profile_id = p.id), \
         (SELECT COUNT(*) FROM profiles o WHERE o.provider_id = ?1 AND o.person_id = p.person_id) \
         FROM profiles p WHERE p.provider_id = ?1",
        rows::PROFILE_COLUMNS
    );
    // Newest first: `after` goes to older profiles, `before` back to newer ones.
    let (cursor, op, order) = match (q.before, q.page.after) {
        (Some(b), _) => (Some(b), ">", "ASC"),
        (None, a) => (a, "<", "DESC"),
    };
    if let Some(cur) = cursor {
        args.push(Sql::Blob(cur.0.as_bytes().to_vec()));
        sql += &format!(" AND p.id {op} ?{}", args.len());
    }
    if let Some(search) = &q.search {
        let mut any = Vec::new();
        for id in &search.identifiers {
            args.push(Sql::Text(id.kind.as_str().into()));
            args.push(Sql::Text(id.value.clone()));
            any.push(format!(
                "p.id IN (SELECT profile_id FROM identifiers WHERE provider_id = ?1 AND kind = ?{} AND value = ?{})",
                args.len() - 1,
                args.len()
            ));
        }
        if let Some(name) = &search.name {
            args.push(Sql::Text(name.clone()));
            any.push(format!(
                "instr(ulower(p.display_name), ?{}) > 0",
                args.len()
            ));
        }
        if any.is_empty() {
            return Ok(Vec::new());
        }
        sql += &format!(" AND ({})", any.join(" OR "));
    }
    sql += &format!(" ORDER BY p.id {order} LIMIT {}", q.page.limit);
    let mut stmt = c.prepare_cached(&sql)?;
    let found: Vec<_> = stmt
        .query_map(params_from_iter(args), |r| {
            Ok((
                rows::profile(r)?,
                r.get::<_, i64>(6)?,
                r.get::<_, Option<Micros>>(7)?.map(|m| m.0),
                r.get::<_, i64>(8)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let (profile_rows, stats): (Vec<_>, Vec<_>) = found
        .into_iter()
        .map(|(p, n, last, o)| (p, (n, last, o)))
        .unzip();
    let profiles = rows::complete_profiles(c, profile_rows)?;
    Ok(q.page(profiles, stats))
}
