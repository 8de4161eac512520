//! Provider staff on SQLite: the provider's users, invitations, role changes and
//! removals, each written with its audit entry in the same transaction.

use super::rows::{Micros, micros};
use crate::staff::{self, Actor, AuditAction, AuditEntry, Invitation, NewInvitation};
use crate::{Result, Role, StoreError, User};
use chrono::{DateTime, Utc};
use motesplats_core::{ProviderId, UserId};
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

fn user(r: &Row) -> rusqlite::Result<User> {
    Ok(User {
        id: UserId(r.get(0)?),
        provider_id: ProviderId(r.get(1)?),
        email: r.get(2)?,
        role: Role::from_db(&r.get::<_, String>(3)?),
    })
}

pub fn users(c: &Connection, provider: ProviderId) -> Result<Vec<User>> {
    Ok(c.prepare_cached(
        "SELECT id, provider_id, email, role FROM users WHERE provider_id = ?1 ORDER BY email",
    )?
    .query_map([provider.0], user)?
    .collect::<rusqlite::Result<_>>()?)
}

/// The provider's user `id`; another provider's is not found.
fn own_user(c: &Connection, provider: ProviderId, id: UserId) -> Result<User> {
    c.prepare_cached(
        "SELECT id, provider_id, email, role FROM users WHERE id = ?1 AND provider_id = ?2",
    )?
    .query_row(params![id.0, provider.0], user)
    .optional()?
    .ok_or(StoreError::NotFound)
}

pub fn record(
    c: &Connection,
    by: &Actor,
    action: AuditAction,
    object: &str,
    detail: &str,
) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO staff_audit (id, provider_id, user_id, email, action, object, detail, at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        Uuid::now_v7(),
        by.provider.0,
        by.user.0,
        by.email,
        action.as_str(),
        object,
        detail,
        micros(Utc::now())
    ])?;
    Ok(())
}

/// Records an action of the user `id` on `object` (None: on themselves, by address).
pub fn by_user(
    c: &Connection,
    id: UserId,
    action: AuditAction,
    object: Option<&str>,
) -> Result<()> {
    let who = c
        .prepare_cached("SELECT provider_id, email FROM users WHERE id = ?1")?
        .query_row([id.0], |r| {
            Ok(Actor {
                provider: ProviderId(r.get(0)?),
                user: id,
                email: r.get(1)?,
            })
        })
        .optional()?
        .ok_or(StoreError::NotFound)?;
    record(c, &who, action, object.unwrap_or(&who.email), "")
}

fn email_taken(c: &Connection, email: &str) -> Result<bool> {
    Ok(c.prepare_cached("SELECT 1 FROM users WHERE email = ?1")?
        .exists([email])?)
}

pub fn invite(c: &Connection, by: &Actor, invitation: &NewInvitation) -> Result<()> {
    let email = invitation.email.trim().to_lowercase();
    if email_taken(c, &email)? {
        return Err(staff::taken());
    }
    // A new invitation to the same address replaces the old one.
    c.prepare_cached("DELETE FROM invitations WHERE email = ?1")?
        .execute([&email])?;
    c.prepare_cached(
        "INSERT INTO invitations (token_sha256, provider_id, email, role, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        invitation.token_sha256.as_slice(),
        by.provider.0,
        email,
        invitation.role.as_str(),
        micros(invitation.expires_at)
    ])?;
    record(c, by, AuditAction::Invite, &email, invitation.role.as_str())
}

pub fn invitation(
    c: &Connection,
    token_sha256: [u8; 32],
    now: DateTime<Utc>,
) -> Result<Option<Invitation>> {
    Ok(c
        .prepare_cached(
            "SELECT provider_id, email, role FROM invitations WHERE token_sha256 = ?1 AND expires_at > ?2",
        )?
        .query_row(params![token_sha256.as_slice(), micros(now)], |r| {
            Ok(Invitation {
                provider_id: ProviderId(r.get(0)?),
                email: r.get(1)?,
                role: Role::from_db(&r.get::<_, String>(2)?),
            })
        })
        .optional()?)
}

pub fn accept(
    c: &Connection,
    token_sha256: [u8; 32],
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<User>> {
    let Some(invited) = invitation(c, token_sha256, now)? else {
        return Ok(None);
    };
    c.prepare_cached("DELETE FROM invitations WHERE token_sha256 = ?1")?
        .execute([token_sha256.as_slice()])?;
    if email_taken(c, &invited.email)? {
        return Err(staff::taken());
    }
    let user = User {
        id: UserId::new(),
        provider_id: invited.provider_id,
        email: invited.email,
        role: invited.role,
    };
    c.prepare_cached(
        "INSERT INTO users (id, provider_id, email, password_hash, role, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        user.id.0,
        user.provider_id.0,
        user.email,
        password_hash,
        user.role.as_str(),
        micros(now)
    ])?;
    record(c, &Actor::from(&user), AuditAction::Join, &user.email, "")?;
    Ok(Some(user))
}

/// Refuses if `leaving` is the provider's only admin.
fn keep_an_admin(c: &Connection, leaving: &User) -> Result<()> {
    let others: i64 = c
        .prepare_cached(
            "SELECT count(*) FROM users WHERE provider_id = ?1 AND role = 'admin' AND id <> ?2",
        )?
        .query_row(params![leaving.provider_id.0, leaving.id.0], |r| r.get(0))?;
    if leaving.role == Role::Admin && others == 0 {
        return Err(staff::last_admin());
    }
    Ok(())
}

pub fn change_role(c: &Connection, by: &Actor, id: UserId, role: Role) -> Result<()> {
    let target = own_user(c, by.provider, id)?;
    if role != Role::Admin {
        keep_an_admin(c, &target)?;
    }
    c.prepare_cached("UPDATE users SET role = ?1 WHERE id = ?2")?
        .execute(params![role.as_str(), id.0])?;
    record(c, by, AuditAction::RoleChange, &target.email, role.as_str())
}

pub fn remove(c: &Connection, by: &Actor, id: UserId) -> Result<()> {
    let target = own_user(c, by.provider, id)?;
    keep_an_admin(c, &target)?;
    for table in ["sessions", "password_resets"] {
        c.execute(&format!("DELETE FROM {table} WHERE user_id = ?1"), [id.0])?;
    }
    c.prepare_cached("DELETE FROM users WHERE id = ?1")?
        .execute([id.0])?;
    record(c, by, AuditAction::Remove, &target.email, "")
}

pub fn change_password(c: &Connection, by: &Actor, hash: &str, keep: [u8; 32]) -> Result<()> {
    c.prepare_cached("UPDATE users SET password_hash = ?1 WHERE id = ?2")?
        .execute(params![hash, by.user.0])?;
    c.prepare_cached("DELETE FROM sessions WHERE user_id = ?1 AND token_sha256 <> ?2")?
        .execute(params![by.user.0, keep.as_slice()])?;
    record(c, by, AuditAction::PasswordChange, &by.email, "")
}

pub fn request_reset(
    c: &Connection,
    email: &str,
    token_sha256: [u8; 32],
    expires_at: DateTime<Utc>,
) -> Result<Option<User>> {
    let found = c
        .prepare_cached("SELECT id, provider_id, email, role FROM users WHERE email = ?1")?
        .query_row([email], user)
        .optional()?;
    let Some(found) = found else { return Ok(None) };
    // One live link per user: a new request replaces the old.
    c.prepare_cached("DELETE FROM password_resets WHERE user_id = ?1")?
        .execute([found.id.0])?;
    c.prepare_cached(
        "INSERT INTO password_resets (token_sha256, user_id, expires_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![
        token_sha256.as_slice(),
        found.id.0,
        micros(expires_at)
    ])?;
    Ok(Some(found))
}

pub fn reset_user(
    c: &Connection,
    token_sha256: [u8; 32],
    now: DateTime<Utc>,
) -> Result<Option<User>> {
    Ok(c
        .prepare_cached(
            "SELECT u.id, u.provider_id, u.email, u.role FROM password_resets r JOIN users u ON u.id = r.user_id \
             WHERE r.token_sha256 = ?1 AND r.expires_at > ?2",
        )?
        .query_row(params![token_sha256.as_slice(), micros(now)], user)
        .optional()?)
}

pub fn reset_password(
    c: &Connection,
    token_sha256: [u8; 32],
    hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<User>> {
    let Some(found) = reset_user(c, token_sha256, now)? else {
        return Ok(None);
    };
    c.prepare_cached("UPDATE users SET password_hash = ?1 WHERE id = ?2")?
        .execute(params![hash, found.id.0])?;
    for table in ["sessions", "password_resets"] {
        c.execute(
            &format!("DELETE FROM {table} WHERE user_id = ?1"),
            [found.id.0],
        )?;
    }
    record(
        c,
        &Actor::from(&found),
        AuditAction::PasswordReset,
        &found.email,
        "",
    )?;
    Ok(Some(found))
}

pub fn audit(
    c: &Connection,
    provider: ProviderId,
    before: Option<Uuid>,
    limit: u32,
) -> Result<Vec<AuditEntry>> {
    let rows: Vec<(Uuid, Micros, String, String, String, String)> = c
        .prepare_cached(
            "SELECT id, at, email, action, object, detail FROM staff_audit \
             WHERE provider_id = ?1 AND (?2 IS NULL OR id < ?2) ORDER BY id DESC LIMIT ?3",
        )?
        .query_map(params![provider.0, before, limit], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(id, at, email, action, object, detail)| {
            Ok(AuditEntry {
                id,
                at: at.0,
                email,
                action: AuditAction::parse(&action)
                    .ok_or_else(|| super::rows::corrupt("audit action"))?,
                object,
                detail,
            })
        })
        .collect()
}
