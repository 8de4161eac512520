//! Accounts, consent and contact decisions on PostgreSQL. A decision takes the
//! advisory lock of its budget before it counts, so decisions about one budget take
//! turns and parallel askers never overdraw it.

use super::rows::{corrupt, stored};
use crate::contact::{self, ContactAnswer, Gathered, ImportedConsent, SentContact, choice};
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use motesplats_core::consent::{Choice, ContactPreferences, ContactRequest, Purpose, Source, WEEK};
use motesplats_core::{
    AccountId, ContactId, Identifier, Invalid, PersonId, ProfileId, ProviderId, Reason,
};
use sqlx::types::Json;
use sqlx::{PgConnection, PgPool, Row};
use uuid::Uuid;

/// The advisory-lock class of contact budgets ("Bud"); the second key is the budget's.
const BUDGET_LOCK_CLASS: i32 = 0x0042_7564;

fn budget_lock_key(key: Uuid) -> i32 {
    let b = key.as_u128();
    (b ^ (b >> 32) ^ (b >> 64) ^ (b >> 96)) as u32 as i32
}

/// Adds `id` to `account`, to the account already holding it, or to a new one.
pub(super) async fn verify(
    pool: &PgPool,
    id: &Identifier,
    account: Option<AccountId>,
    at: DateTime<Utc>,
) -> Result<AccountId> {
    let mut tx = pool.begin().await?;
    let candidate = account.unwrap_or_default();
    if account.is_none() {
        sqlx::query("INSERT INTO accounts (id, created_at) VALUES ($1, $2)")
            .bind(candidate.0)
            .bind(stored(at))
            .execute(&mut *tx)
            .await?;
    }
    // An identifier verified before accounts existed joins the first account to claim it.
    let holder: Uuid = sqlx::query(
        "INSERT INTO verified_identifiers (kind, value, verified_at, account_id) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (kind, value) DO UPDATE SET account_id = COALESCE(verified_identifiers.account_id, excluded.account_id) \
         RETURNING account_id",
    )
    .bind(id.kind.as_str())
    .bind(&id.value)
    .bind(stored(at))
    .bind(candidate.0)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let holder = AccountId(holder);
    if holder == candidate {
        tx.commit().await?;
        return Ok(holder);
    }
    tx.rollback().await?;
    match account {
        Some(_) => Err(StoreError::Conflict(Invalid::one(
            "identifier",
            Reason::Exists {
                what: "account".into(),
            },
        ))),
        None => Ok(holder),
    }
}

pub async fn set_preferences(
    pool: &PgPool,
    account: AccountId,
    p: &ContactPreferences,
) -> Result<()> {
    let n = sqlx::query("UPDATE accounts SET preferences = $2 WHERE id = $1")
        .bind(account.0)
        .bind(Json(p))
        .execute(pool)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub async fn preferences(
    c: &mut PgConnection,
    account: AccountId,
) -> Result<Option<ContactPreferences>> {
    let row = sqlx::query("SELECT preferences FROM accounts WHERE id = $1")
        .bind(account.0)
        .fetch_optional(c)
        .await?;
    let json: Option<serde_json::Value> = match row {
        Some(r) => r.try_get(0)?,
        None => None,
    };
    json.map(|j| serde_json::from_value(j).map_err(|_| corrupt("contact preferences")))
        .transpose()
}

/// Every consent, or none when a profile is not the provider's.
pub async fn import_consents(
    pool: &PgPool,
    provider: ProviderId,
    consents: &[ImportedConsent],
) -> Result<usize> {
    let mut tx = pool.begin().await?;
    for (i, k) in consents.iter().enumerate() {
        let owned = sqlx::query("SELECT 1 FROM profiles WHERE id = $1 AND provider_id = $2")
            .bind(k.profile.0)
            .bind(provider.0)
            .fetch_optional(&mut *tx)
            .await?;
        if owned.is_none() {
            return Err(StoreError::Invalid(Invalid::one(
                format!("[{i}].profile_id"),
                Reason::NoProfile {
                    id: k.profile.to_string(),
                },
            )));
        }
        // The latest choice per profile and purpose stays, whatever order they came in.
        sqlx::query(
            "INSERT INTO imported_consents (profile_id, purpose, provider_id, given, at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (profile_id, purpose) DO UPDATE SET given = excluded.given, at = excluded.at \
             WHERE excluded.at >= imported_consents.at",
        )
        .bind(k.profile.0)
        .bind(k.purpose.as_str())
        .bind(provider.0)
        .bind(k.given)
        .bind(stored(k.at))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(consents.len())
}

pub async fn choose(
    c: &mut PgConnection,
    account: AccountId,
    provider: ProviderId,
    choice: &Choice,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO own_consents (account_id, provider_id, purpose, given, at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (account_id, provider_id, purpose) DO UPDATE SET given = excluded.given, at = excluded.at",
    )
    .bind(account.0)
    .bind(provider.0)
    .bind(choice.purpose.as_str())
    .bind(choice.given)
    .bind(stored(choice.at))
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Decides and, on an allow, holds the contact; None when the person has no
/// profile at the provider.
pub async fn decide(
    pool: &PgPool,
    provider: ProviderId,
    person: PersonId,
    request: &ContactRequest,
    now: DateTime<Utc>,
) -> Result<Option<ContactAnswer>> {
    let mut tx = pool.begin().await?;
    let Some(g) = gather(&mut tx, provider, person, request, now).await? else {
        return Ok(None);
    };
    let (answer, held) = contact::answer(provider, person.0, request, &g, now);
    if let Some(h) = held {
        sqlx::query(
            "INSERT INTO contacts (id, budget_key, provider_id, profile_id, channel, purpose, counts, decided_at, held_until) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(h.id.0)
        .bind(h.budget_key)
        .bind(h.provider.0)
        .bind(h.profile.0)
        .bind(&h.channel)
        .bind(h.purpose)
        .bind(h.counts)
        .bind(h.decided_at)
        .bind(h.held_until)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Some(answer))
}

async fn gather(
    c: &mut PgConnection,
    provider: ProviderId,
    person: PersonId,
    request: &ContactRequest,
    now: DateTime<Utc>,
) -> Result<Option<Gathered>> {
    // A person's key is its smallest profile's id: that profile stands for it.
    let found = sqlx::query(
        "SELECT p.id, pr.time_zone FROM profiles p JOIN providers pr ON pr.id = p.provider_id \
         WHERE p.id = $1 AND p.person_id = $1 AND p.provider_id = $2",
    )
    .bind(person.0)
    .bind(provider.0)
    .fetch_optional(&mut *c)
    .await?;
    let Some(found) = found else {
        return Ok(None);
    };
    let (profile, zone): (Uuid, String) = (found.try_get(0)?, found.try_get(1)?);
    let account = account_of(c, provider, person).await?;
    let key = contact::budget_key(account, person.0);
    sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
        .bind(BUDGET_LOCK_CLASS)
        .bind(budget_lock_key(key))
        .execute(&mut *c)
        .await?;
    let choices = match request.purpose.consent() {
        Some(purpose) => consents(c, provider, person, account, purpose).await?,
        None => Vec::new(),
    };
    let preferences = match account {
        Some(a) => preferences(c, a).await?,
        None => None,
    }
    .unwrap_or_else(|| ContactPreferences::default_in(&zone));
    // With an account, what was held under each of its persons before it existed
    // still counts.
    let mut keys = vec![key];
    if let Some(a) = account {
        let persons = sqlx::query(
            "SELECT DISTINCT p.person_id FROM verified_identifiers v CROSS JOIN providers pr \
             JOIN identifiers i ON i.provider_id = pr.id AND i.kind = v.kind AND i.value = v.value \
             JOIN profiles p ON p.id = i.profile_id WHERE v.account_id = $1",
        )
        .bind(a.0)
        .fetch_all(&mut *c)
        .await?;
        for r in persons {
            keys.push(r.try_get(0)?);
        }
    }
    let counted = sqlx::query(
        "SELECT decided_at FROM contacts WHERE budget_key = ANY($1) AND decided_at > $2 AND counts \
         AND (sent_at IS NOT NULL OR held_until > $3)",
    )
    .bind(&keys)
    .bind(now - WEEK)
    .bind(now)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| r.try_get(0))
    .collect::<Result<_, _>>()?;
    Ok(Some(Gathered {
        profile: ProfileId(profile),
        account,
        choices,
        preferences,
        counted,
    }))
}

/// The account that verified an identifier of the provider's person, the earliest.
pub async fn account_of(
    c: &mut PgConnection,
    provider: ProviderId,
    person: PersonId,
) -> Result<Option<AccountId>> {
    Ok(sqlx::query(
        "SELECT v.account_id FROM profiles p JOIN identifiers i ON i.profile_id = p.id \
         JOIN verified_identifiers v ON v.kind = i.kind AND v.value = i.value \
         WHERE p.person_id = $1 AND p.provider_id = $2 AND v.account_id IS NOT NULL \
         ORDER BY v.verified_at LIMIT 1",
    )
    .bind(person.0)
    .bind(provider.0)
    .fetch_optional(&mut *c)
    .await?
    .map(|r| r.try_get(0).map(AccountId))
    .transpose()?)
}

/// Every choice about `purpose` at the provider: its imports about the person's
/// profiles, and the account's own.
pub async fn consents(
    c: &mut PgConnection,
    provider: ProviderId,
    person: PersonId,
    account: Option<AccountId>,
    purpose: Purpose,
) -> Result<Vec<Choice>> {
    let mut choices = Vec::new();
    let rows = sqlx::query(
        "SELECT k.given, k.at FROM imported_consents k JOIN profiles p ON p.id = k.profile_id \
         WHERE p.person_id = $1 AND p.provider_id = $2 AND k.purpose = $3",
    )
    .bind(person.0)
    .bind(provider.0)
    .bind(purpose.as_str())
    .fetch_all(&mut *c)
    .await?;
    for r in rows {
        choices.push(choice(
            purpose,
            Source::Import,
            r.try_get(0)?,
            r.try_get(1)?,
        ));
    }
    if let Some(a) = account {
        let own = sqlx::query(
            "SELECT given, at FROM own_consents WHERE account_id = $1 AND provider_id = $2 AND purpose = $3",
        )
        .bind(a.0)
        .bind(provider.0)
        .bind(purpose.as_str())
        .fetch_optional(&mut *c)
        .await?;
        if let Some(r) = own {
            choices.push(choice(
                purpose,
                Source::Person,
                r.try_get(0)?,
                r.try_get(1)?,
            ));
        }
    }
    Ok(choices)
}

/// Marks a held contact sent; sending it again answers the same.
pub async fn confirm(
    pool: &PgPool,
    provider: ProviderId,
    id: ContactId,
    now: DateTime<Utc>,
) -> Result<SentContact> {
    let row = sqlx::query(
        "UPDATE contacts SET sent_at = COALESCE(sent_at, $3) WHERE id = $1 AND provider_id = $2 \
         AND (sent_at IS NOT NULL OR held_until > $3) \
         RETURNING profile_id, channel, purpose, sent_at",
    )
    .bind(id.0)
    .bind(provider.0)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    if let Some(r) = row {
        let (profile, channel, purpose, sent_at): (Uuid, String, String, DateTime<Utc>) =
            (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
        return contact::sent(id, ProfileId(profile), &channel, &purpose, sent_at);
    }
    let exists = sqlx::query("SELECT 1 FROM contacts WHERE id = $1 AND provider_id = $2")
        .bind(id.0)
        .bind(provider.0)
        .fetch_optional(pool)
        .await?;
    Err(if exists.is_some() {
        contact::lapsed()
    } else {
        StoreError::NotFound
    })
}
