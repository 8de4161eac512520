//! What both backends share about provider staff: invitations, the audit log's rows,
//! and the rule that a provider keeps an admin.

use crate::{Role, StoreError};
use chrono::{DateTime, Utc};
use motesplats_core::{Invalid, ProviderId, Reason, UserId};
use uuid::Uuid;

/// An invitation to become a provider's user, as sent; the token itself only in the
/// e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvitation {
    pub email: String,
    pub role: Role,
    pub token_sha256: [u8; 32],
    pub expires_at: DateTime<Utc>,
}

/// A live invitation, as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub provider_id: ProviderId,
    pub email: String,
    pub role: Role,
}

/// Who did something: the signed-in user (or the one an invitation or a reset made).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub provider: ProviderId,
    pub user: UserId,
    pub email: String,
}

impl From<&crate::User> for Actor {
    fn from(u: &crate::User) -> Self {
        Actor {
            provider: u.provider_id,
            user: u.id,
            email: u.email.clone(),
        }
    }
}

macro_rules! actions {
    ($($name:ident = $key:literal;)*) => {
        /// What a staff member did, as the audit log keeps it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum AuditAction { $($name),* }

        impl AuditAction {
            pub const ALL: &[AuditAction] = &[$(AuditAction::$name),*];

            pub fn as_str(self) -> &'static str {
                match self { $(AuditAction::$name => $key),* }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($key => Some(AuditAction::$name),)* _ => None }
            }
        }
    };
}

actions! {
    SignIn = "sign-in";
    SignOut = "sign-out";
    Invite = "invite";
    Join = "join";
    RoleChange = "role-change";
    Remove = "remove";
    PasswordChange = "password-change";
    PasswordReset = "password-reset";
    DecideSame = "decide-same";
    DecideApart = "decide-apart";
    Quarantine = "quarantine";
    Settings = "settings";
}

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Time-ordered: the log pages by it, newest first.
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// The actor's address when they acted (kept after they leave).
    pub email: String,
    pub action: AuditAction,
    /// What it was done to: a user's address, a person's id, a key.
    pub object: String,
    /// A word more, such as the new role's key; empty when there is none.
    pub detail: String,
}

/// A decision about two profiles as the audit log names it: the action and the pair.
pub fn decision(d: &motesplats_core::identity::Decision) -> (AuditAction, String) {
    use motesplats_core::identity::Decision;
    match d {
        Decision::Same { a, b } => (AuditAction::DecideSame, format!("{a} {b}")),
        Decision::Apart { a, b } => (AuditAction::DecideApart, format!("{a} {b}")),
    }
}

/// The refusal when a change would leave the provider without an admin.
pub fn last_admin() -> StoreError {
    StoreError::Conflict(Invalid::one("user", Reason::LastAdmin))
}

/// The refusal when an address already has an account.
pub fn taken() -> StoreError {
    StoreError::Conflict(Invalid::one(
        "email",
        Reason::Already {
            what: "user".into(),
        },
    ))
}
