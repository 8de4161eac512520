//! Provider staff on PostgreSQL: the provider's users, invitations, role changes and
//! removals, each written with its audit entry in the same transaction.

use super::rows::{corrupt, stored};
use crate::staff::{self, Actor, AuditAction, AuditEntry, Invitation, NewInvitation};
use crate::{Result, Role, StoreError, User};
use chrono::{DateTime, Utc};
use motesplats_core::{ProviderId, UserId};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, PgPool, Row};
use uuid::Uuid;

fn user(r: &PgRow) -> Result<User> {
    Ok(User {
        id: UserId(r.try_get(0)?),
        provider_id: ProviderId(r.try_get(1)?),
        email: r.try_get(2)?,
        role: Role::from_db(r.try_get(3)?),
    })
}

pub async fn users(pool: &PgPool, provider: ProviderId) -> Result<Vec<User>> {
    sqlx::query(
        "SELECT id, provider_id, email, role FROM users WHERE provider_id = $1 ORDER BY email",
    )
    .bind(provider.0)
    .fetch_all(pool)
    .await?
    .iter()
    .map(user)
    .collect()
}

/// The provider's user `id`, locked; another provider's is not found.
async fn own_user(c: &mut PgConnection, provider: ProviderId, id: UserId) -> Result<User> {
    let row = sqlx::query(
        "SELECT id, provider_id, email, role FROM users WHERE id = $1 AND provider_id = $2 FOR UPDATE",
    )
    .bind(id.0)
    .bind(provider.0)
    .fetch_optional(&mut *c)
    .await?;
    user(&row.ok_or(StoreError::NotFound)?)
}

pub async fn record(
    c: &mut PgConnection,
    by: &Actor,
    action: AuditAction,
    object: &str,
    detail: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO staff_audit (id, provider_id, user_id, email, action, object, detail, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(Uuid::now_v7())
    .bind(by.provider.0)
    .bind(by.user.0)
    .bind(&by.email)
    .bind(action.as_str())
    .bind(object)
    .bind(detail)
    .bind(stored(Utc::now()))
    .execute(c)
    .await?;
    Ok(())
}

/// Records an action of the user `id` on `object` (None: on themselves, by address).
pub async fn by_user(
    c: &mut PgConnection,
    id: UserId,
    action: AuditAction,
    object: Option<&str>,
) -> Result<()> {
    let row = sqlx::query("SELECT provider_id, email FROM users WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut *c)
        .await?
        .ok_or(StoreError::NotFound)?;
    let who = Actor {
        provider: ProviderId(row.try_get(0)?),
        user: id,
        email: row.try_get(1)?,
    };
    record(c, &who, action, object.unwrap_or(&who.email), "").await
}

async fn email_taken(c: &mut PgConnection, email: &str) -> Result<bool> {
    Ok(sqlx::query("SELECT 1 FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(c)
        .await?
        .is_some())
}

pub async fn invite(pool: &PgPool, by: &Actor, invitation: &NewInvitation) -> Result<()> {
    let email = invitation.email.trim().to_lowercase();
    let mut tx = pool.begin().await?;
    if email_taken(&mut tx, &email).await? {
        return Err(staff::taken());
    }
    // A new invitation to the same address replaces the old one.
    sqlx::query("DELETE FROM invitations WHERE email = $1")
        .bind(&email)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO invitations (token_sha256, provider_id, email, role, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(invitation.token_sha256.as_slice())
    .bind(by.provider.0)
    .bind(&email)
    .bind(invitation.role.as_str())
    .bind(stored(invitation.expires_at))
    .execute(&mut *tx)
    .await?;
    record(
        &mut tx,
        by,
        AuditAction::Invite,
        &email,
        invitation.role.as_str(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn live_invitation(
    c: &mut PgConnection,
    token_sha256: [u8; 32],
    now: DateTime<Utc>,
    lock: &str,
) -> Result<Option<Invitation>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT provider_id, email, role FROM invitations WHERE token_sha256 = $1 AND expires_at > $2 {lock}"
    )))
    .bind(token_sha256.as_slice())
    .bind(stored(now))
    .fetch_optional(c)
    .await?;
    row.map(|r| {
        Ok(Invitation {
            provider_id: ProviderId(r.try_get(0)?),
            email: r.try_get(1)?,
            role: Role::from_db(r.try_get(2)?),
        })
    })
    .transpose()
}

pub async fn invitation(
    pool: &PgPool,
    token_sha256: [u8; 32],
    now: DateTime<Utc>,
) -> Result<Option<Invitation>> {
    let mut c = pool.acquire().await?;
    live_invitation(&mut c, token_sha256, now, "").await
}

pub async fn accept(
    pool: &PgPool,
    token_sha256: [u8; 32],
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<User>> {
    let mut tx = pool.begin().await?;
    // Locked: of two acceptances at once, the second finds it gone.
    let Some(invited) = live_invitation(&mut tx, token_sha256, now, "FOR UPDATE").await? else {
        return Ok(None);
    };
    sqlx::query("DELETE FROM invitations WHERE token_sha256 = $1")
        .bind(token_sha256.as_slice())
        .execute(&mut *tx)
        .await?;
    if email_taken(&mut tx, &invited.email).await? {
        return Err(staff::taken());
    }
    let user = User {
        id: UserId::new(),
        provider_id: invited.provider_id,
        email: invited.email,
        role: invited.role,
    };
    sqlx::query(
        "INSERT INTO users (id, provider_id, email, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(user.id.0)
    .bind(user.provider_id.0)
    .bind(&user.email)
    .bind(password_hash)
    .bind(user.role.as_str())
    .bind(stored(now))
    .execute(&mut *tx)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => staff::taken(),
        _ => e.into(),
    })?;
    record(
        &mut tx,
        &Actor::from(&user),
        AuditAction::Join,
        &user.email,
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(Some(user))
}

/// Refuses if `leaving` is the provider's only admin. The admins are locked, so two
/// admins demoting each other at once cannot both succeed.
async fn keep_an_admin(c: &mut PgConnection, leaving: &User) -> Result<()> {
    let admins: Vec<Uuid> = sqlx::query_scalar(
        "SELECT id FROM users WHERE provider_id = $1 AND role = 'admin' ORDER BY id FOR UPDATE",
    )
    .bind(leaving.provider_id.0)
    .fetch_all(c)
    .await?;
    if leaving.role == Role::Admin && admins.iter().all(|a| *a == leaving.id.0) {
        return Err(staff::last_admin());
    }
    Ok(())
}

pub async fn change_role(pool: &PgPool, by: &Actor, id: UserId, role: Role) -> Result<()> {
    let mut tx = pool.begin().await?;
    let target = own_user(&mut tx, by.provider, id).await?;
    if role != Role::Admin {
        keep_an_admin(&mut tx, &target).await?;
    }
    sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
        .bind(role.as_str())
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    record(
        &mut tx,
        by,
        AuditAction::RoleChange,
        &target.email,
        role.as_str(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove(pool: &PgPool, by: &Actor, id: UserId) -> Result<()> {
    let mut tx = pool.begin().await?;
    let target = own_user(&mut tx, by.provider, id).await?;
    keep_an_admin(&mut tx, &target).await?;
    for table in ["sessions", "password_resets"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE user_id = $1"
        )))
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
    record(&mut tx, by, AuditAction::Remove, &target.email, "").await?;
    tx.commit().await?;
    Ok(())
}

pub async fn change_password(pool: &PgPool, by: &Actor, hash: &str, keep: [u8; 32]) -> Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(by.user.0)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_sha256 <> $2")
        .bind(by.user.0)
        .bind(keep.as_slice())
        .execute(&mut *tx)
        .await?;
    record(&mut tx, by, AuditAction::PasswordChange, &by.email, "").await?;
    tx.commit().await?;
    Ok(())
}

pub async fn request_reset(
    pool: &PgPool,
    email: &str,
    token_sha256: [u8; 32],
    expires_at: DateTime<Utc>,
) -> Result<Option<User>> {
    let mut tx = pool.begin().await?;
    let row =
        sqlx::query("SELECT id, provider_id, email, role FROM users WHERE email = $1 FOR UPDATE")
            .bind(email.trim().to_lowercase())
            .fetch_optional(&mut *tx)
            .await?;
    let Some(row) = row else { return Ok(None) };
    let found = user(&row)?;
    // One live link per user: a new request replaces the old.
    sqlx::query("DELETE FROM password_resets WHERE user_id = $1")
        .bind(found.id.0)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO password_resets (token_sha256, user_id, expires_at) VALUES ($1, $2, $3)",
    )
    .bind(token_sha256.as_slice())
    .bind(found.id.0)
    .bind(stored(expires_at))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(found))
}

pub async fn reset_user(
    c: &mut PgConnection,
    token_sha256: [u8; 32],
    now: DateTime<Utc>,
    lock: &str,
) -> Result<Option<User>> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT u.id, u.provider_id, u.email, u.role FROM password_resets r JOIN users u ON u.id = r.user_id \
         WHERE r.token_sha256 = $1 AND r.expires_at > $2 {lock}"
    )))
    .bind(token_sha256.as_slice())
    .bind(stored(now))
    .fetch_optional(c)
    .await?
    .as_ref()
    .map(user)
    .transpose()
}

pub async fn reset_password(
    pool: &PgPool,
    token_sha256: [u8; 32],
    hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<User>> {
    let mut tx = pool.begin().await?;
    // Locked: of two uses at once, the second finds the link gone.
    let Some(found) = reset_user(&mut tx, token_sha256, now, "FOR UPDATE OF r").await? else {
        return Ok(None);
    };
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(found.id.0)
        .execute(&mut *tx)
        .await?;
    for table in ["sessions", "password_resets"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE user_id = $1"
        )))
        .bind(found.id.0)
        .execute(&mut *tx)
        .await?;
    }
    record(
        &mut tx,
        &Actor::from(&found),
        AuditAction::PasswordReset,
        &found.email,
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(Some(found))
}

pub async fn audit(
    pool: &PgPool,
    provider: ProviderId,
    before: Option<Uuid>,
    limit: u32,
) -> Result<Vec<AuditEntry>> {
    sqlx::query(
        "SELECT id, at, email, action, object, detail FROM staff_audit \
         WHERE provider_id = $1 AND ($2::uuid IS NULL OR id < $2) ORDER BY id DESC LIMIT $3",
    )
    .bind(provider.0)
    .bind(before)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        let action: String = r.try_get(3)?;
        Ok(AuditEntry {
            id: r.try_get(0)?,
            at: r.try_get(1)?,
            email: r.try_get(2)?,
            action: AuditAction::parse(&action).ok_or_else(|| corrupt("audit action"))?,
            object: r.try_get(4)?,
            detail: r.try_get(5)?,
        })
    })
    .collect()
}
