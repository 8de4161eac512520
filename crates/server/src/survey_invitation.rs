//! Signed survey invitations: the only way a public answer is linked to a customer's
//! profile. The provider asks for one with its secret key; the link carries
//! `{profile}.{expires}.{mac}`, where the MAC is HMAC-SHA256 over the survey id, the
//! profile id and the expiry, with a key the server keeps in its database (so every
//! node agrees). Checking one needs no lookup of the profile, so an answer can never
//! tell whether a profile exists.

use crate::auth::{hmac_sha256, same_secret};
use crate::error::ApiError;
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use motesplats_core::ProfileId;
use motesplats_core::survey::SurveyId;

/// How long an invitation link works.
pub const VALID_FOR: Duration = Duration::days(30);

/// The name of the signing key among the server's secrets.
const SECRET: &str = "survey-invitations";

/// The signing key, made on first use and then kept: public pages check
/// invitations, and must not cause a database write each time.
pub async fn key(state: &AppState) -> Result<[u8; 32], ApiError> {
    let key = state
        .invitation_key
        .get_or_try_init(|| state.store.server_secret(SECRET, rand::random()))
        .await?;
    Ok(*key)
}

fn mac(key: &[u8; 32], survey: SurveyId, profile: ProfileId, expires: i64) -> [u8; 32] {
    let mut message = Vec::with_capacity(16 + 16 + 8);
    message.extend_from_slice(survey.0.as_bytes());
    message.extend_from_slice(profile.0.as_bytes());
    message.extend_from_slice(&expires.to_be_bytes());
    hmac_sha256(key, &message)
}

/// An invitation for `profile` to answer `survey`, working until `expires`.
pub fn sign(
    key: &[u8; 32],
    survey: SurveyId,
    profile: ProfileId,
    expires: DateTime<Utc>,
) -> String {
    let at = expires.timestamp();
    let tag = mac(key, survey, profile, at);
    format!("{profile}.{at}.{}", hex::encode(tag))
}

/// The invited profile, if `invitation` is one signed with `key` for `survey` and has
/// not expired.
pub fn verify(
    key: &[u8; 32],
    survey: SurveyId,
    invitation: &str,
    now: DateTime<Utc>,
) -> Option<ProfileId> {
    let mut parts = invitation.trim().splitn(3, '.');
    let profile: ProfileId = parts.next()?.parse().ok()?;
    let at: i64 = parts.next()?.parse().ok()?;
    let tag = hex::decode(parts.next()?).ok()?;
    if at < now.timestamp() {
        return None;
    }
    same_secret(&mac(key, survey, profile, at), &tag).then_some(profile)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_holds_only_for_its_survey_profile_and_time() {
        let key = [7u8; 32];
        let (survey, profile) = (SurveyId::new(), ProfileId::new());
        let now = Utc::now();
        let inv = sign(&key, survey, profile, now + VALID_FOR);
        assert_eq!(verify(&key, survey, &inv, now), Some(profile));
        assert_eq!(
            verify(&key, SurveyId::new(), &inv, now),
            None,
            "another survey"
        );
        assert_eq!(verify(&[8u8; 32], survey, &inv, now), None, "another key");
        assert_eq!(
            verify(&key, survey, &inv, now + VALID_FOR + Duration::seconds(1)),
            None,
            "expired"
        );
        let other = ProfileId::new();
        let swapped = inv.replacen(&profile.to_string(), &other.to_string(), 1);
        assert_eq!(verify(&key, survey, &swapped, now), None, "another profile");
        assert_eq!(verify(&key, survey, "nonsense", now), None);
    }
}
