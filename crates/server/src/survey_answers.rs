//! The one path a public survey answer takes, from the API and from the survey page
//! alike: the survey must be open (a draft is unknown to the public), the client
//! address may send only so many answers to one survey, an invitation links the
//! profile only if its signature holds, and a response is stored only against the
//! survey revision it was checked with.
//!
//! Response ids are chosen by the server. A partial save gets a resume token, given
//! out once and stored as its SHA-256; continuing needs it, and a wrong or missing
//! token answers exactly as an unknown response does (404).

use crate::auth::{new_token, sha256};
use crate::client::Client;
use crate::error::ApiError;
use crate::state::AppState;
use crate::survey_invitation;
use chrono::Utc;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use motesplats_core::consent::Purpose;
use motesplats_core::survey::{Response, ResponseId, ResponseInput, SurveyId, SurveyStatus};
use motesplats_core::{Invalid, ProfileId, ProviderId};
use motesplats_store::{ResponseSaved, ResponseWrite, StoredSurvey};
use std::net::IpAddr;
use std::num::NonZeroU32;

/// Answers (new responses and continued saves) one client address may send to one
/// survey per minute, all at once or spread out. Generous for people sharing an
/// address (a café's Wi-Fi), far below a script's pace.
pub const ANSWERS_PER_MINUTE: u32 = 30;

/// The allowance of answers per survey and client address.
pub struct AnswerLimits(DefaultKeyedRateLimiter<(SurveyId, IpAddr)>);

impl Default for AnswerLimits {
    fn default() -> Self {
        let n = NonZeroU32::new(ANSWERS_PER_MINUTE).unwrap_or(NonZeroU32::MIN);
        AnswerLimits(RateLimiter::keyed(Quota::per_minute(n)))
    }
}

impl AnswerLimits {
    /// Takes one answer from the allowance, or says in how many seconds to return.
    fn take(&self, survey: SurveyId, ip: IpAddr) -> Result<(), ApiError> {
        self.0.check_key(&(survey, ip)).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            ApiError::TooManyResponses(wait.as_secs().max(1))
        })
    }

    /// Forgets addresses that are back at their full allowance.
    pub fn tidy(&self) {
        self.0.retain_recent();
    }
}

/// Which response an answer writes.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    New,
    /// The partial save with this id, opened by its resume token.
    Continue(ResponseId, &'a str),
}

/// A stored answer.
#[derive(Debug)]
pub struct Written {
    pub id: ResponseId,
    pub completed: bool,
    /// The token to continue a new partial save with; given only this once.
    pub resume_token: Option<String>,
}

/// The survey as the public sees it: open or closed, never a draft.
pub async fn public_survey(state: &AppState, id: SurveyId) -> Result<StoredSurvey, ApiError> {
    state
        .store
        .survey(None, id)
        .await?
        .filter(|s| s.survey.status != SurveyStatus::Draft)
        .ok_or(ApiError::NotFound)
}

/// A partial save the token opens, with the survey's owner.
pub async fn resumable(
    state: &AppState,
    owner: ProviderId,
    survey: SurveyId,
    id: ResponseId,
    token: &str,
) -> Result<Option<Response>, ApiError> {
    Ok(state
        .store
        .resumable_response(owner, survey, id, sha256(token))
        .await?)
}

/// Whether an invited answer may be linked to the profile: not when the person said
/// no to research at this provider (their own choice wins over the survey's tick).
async fn research_allowed(
    state: &AppState,
    provider: ProviderId,
    profile: ProfileId,
) -> Result<bool, ApiError> {
    let Some((_, person)) = state
        .store
        .profile_persons(provider, &[profile])
        .await?
        .pop()
    else {
        return Ok(false);
    };
    let holding = state
        .store
        .holding_consent(provider, person, Purpose::Research)
        .await?;
    Ok(holding.is_none_or(|c| c.given))
}

/// How often a response is checked again when the survey changed under it.
const ATTEMPTS: usize = 3;

/// Checks and stores an answer to the survey. Invalid names what is wrong; NotFound
/// for an unknown or draft survey, or a response the token does not open.
pub async fn write(
    state: &AppState,
    client: Client,
    survey_id: SurveyId,
    input: &ResponseInput,
    target: Target<'_>,
) -> Result<Written, ApiError> {
    let mut stored = public_survey(state, survey_id).await?;
    state.survey_limits.take(survey_id, client.limited_as())?;
    let invited = match &input.invitation {
        Some(invitation) => {
            let key = survey_invitation::key(state).await?;
            let profile = survey_invitation::verify(&key, survey_id, invitation, Utc::now())
                .ok_or_else(|| {
                    Invalid::one("invitation", motesplats_core::Reason::BadInvitation)
                })?;
            research_allowed(state, stored.owner, profile)
                .await?
                .then_some(profile)
        }
        None => None,
    };
    for _ in 0..ATTEMPTS {
        let mut response = Response::parse(&stored.survey, input, Utc::now())?;
        response.profile_id = invited;
        let (write, resume_token) = match target {
            Target::New if !response.completed => {
                let token = new_token("");
                let write = ResponseWrite::New {
                    resume_sha256: Some(sha256(&token)),
                };
                (write, Some(token))
            }
            Target::New => (
                ResponseWrite::New {
                    resume_sha256: None,
                },
                None,
            ),
            Target::Continue(id, token) => {
                response.id = id;
                let write = ResponseWrite::Continue {
                    resume_sha256: sha256(token),
                };
                (write, None)
            }
        };
        let written = Written {
            id: response.id,
            completed: response.completed,
            resume_token,
        };
        match state
            .store
            .save_response(stored.owner, response, stored.revision, write)
            .await?
        {
            ResponseSaved::Saved => return Ok(written),
            ResponseSaved::SurveyChanged => stored = public_survey(state, survey_id).await?,
        }
    }
    Err(ApiError::Conflict(Invalid::one(
        "survey",
        motesplats_core::Reason::KeptChanging,
    )))
}
