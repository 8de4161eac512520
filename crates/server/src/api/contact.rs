//! Meet well: may this provider contact this person now? Consents a provider
//! collected elsewhere come in here too; a person's own choices come from their side.

use super::profiles::path_id;
use crate::auth::Tenant;
use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use motesplats_core::consent::{ContactRequestInput, Purpose};
use motesplats_core::invalid::Checker;
use motesplats_core::touchpoint::Subject;
use motesplats_core::{
    ChannelKey, ContactId, Initiator, NewTouchpoint, PersonId, ProfileId, Reason, TouchpointId,
    TouchpointKind, channel,
};
use motesplats_store::{ImportedConsent, Outcome, Stitch};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(decide))
        .routes(routes!(confirm_sent))
        .routes(routes!(import_consents))
}

/// Whom to contact (one of `person_id` and `profile_id`), how and why.
#[derive(Debug, Deserialize, ToSchema)]
struct DecisionInput {
    person_id: Option<String>,
    profile_id: Option<String>,
    #[serde(flatten)]
    request: ContactRequestInput,
}

#[derive(Debug, Serialize, ToSchema)]
struct DecisionAnswer {
    /// `allow`, `deny` or `defer`.
    #[schema(example = "allow")]
    verdict: &'static str,
    /// On a defer: the earliest time to ask again with a chance of an allow.
    until: Option<DateTime<Utc>>,
    /// On an allow: the id to confirm the send with, before `held_until`.
    decision_id: Option<ContactId>,
    held_until: Option<DateTime<Utc>>,
    /// On an allow, what made it possible; otherwise each thing that stood in the way.
    reasons: Vec<Reason>,
}

/// May I contact this person now, in this channel, for this purpose? The answer is
/// allow, deny or defer until a time, with its reasons: the person's consent, their
/// channels, quiet hours and weekly budget (shared by every provider), and the
/// moment they are in. An allow holds one contact of the budget for ten minutes:
/// confirm the send with `POST /contact-decisions/{id}/sent`, or it lapses.
#[utoipa::path(post, path = "/contact-decisions", tag = "contact", request_body = DecisionInput,
    responses((status = 200, body = DecisionAnswer), (status = 422, body = Problem)))]
async fn decide(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<Json<DecisionAnswer>, ApiError> {
    let mut c = Checker::new();
    let parsed = c.take(input.request.parse());
    let person = match (&input.person_id, &input.profile_id) {
        (Some(_), Some(_)) => {
            c.fail(
                "person_id",
                Reason::NotBoth {
                    first: "person_id".into(),
                    second: "profile_id".into(),
                },
            );
            None
        }
        (None, None) => {
            c.fail(
                "person_id",
                Reason::RequiredOr {
                    other: "profile_id".into(),
                },
            );
            None
        }
        (Some(id), None) => {
            let person = uuid::Uuid::parse_str(id).ok().map(PersonId);
            if person.is_none() {
                c.fail("person_id", Reason::NoPerson { id: id.clone() });
            }
            person
        }
        (None, Some(id)) => {
            // The person a profile belongs to, without reading the profile: a decision
            // is no read of the person's data.
            let found = match uuid::Uuid::parse_str(id) {
                Ok(profile) => state
                    .store
                    .profile_persons(me, &[ProfileId(profile)])
                    .await?
                    .first()
                    .map(|(_, person)| *person),
                Err(_) => None,
            };
            if found.is_none() {
                c.fail("profile_id", Reason::NoProfile { id: id.clone() });
            }
            found
        }
    };
    // A well-formed channel must be one the provider has, whatever else is wrong.
    if let Some(key) = input
        .request
        .channel
        .as_deref()
        .and_then(|k| ChannelKey::parse(k).ok())
        && !known_channel(&state, me, &key).await?
    {
        c.fail(
            "channel",
            Reason::UnknownChannel {
                value: key.as_str().into(),
            },
        );
    }
    c.finish()?;
    let (Some(request), Some(person)) = (parsed, person) else {
        return Err(ApiError::invalid("", Reason::Required));
    };
    let Some(answer) = state
        .store
        .contact_decision(me, person, request, Utc::now())
        .await?
    else {
        return Err(ApiError::invalid(
            "person_id",
            Reason::NoPerson {
                id: person.to_string(),
            },
        ));
    };
    Ok(Json(DecisionAnswer {
        verdict: answer.decision.verdict.name(),
        until: answer.decision.verdict.until(),
        decision_id: answer.id,
        held_until: answer.held_until,
        reasons: answer.decision.reasons,
    }))
}

async fn known_channel(
    state: &AppState,
    me: motesplats_core::ProviderId,
    key: &ChannelKey,
) -> Result<bool, ApiError> {
    if channel::builtin(key.as_str()).is_some() {
        return Ok(true);
    }
    Ok(state
        .store
        .channels(me)
        .await?
        .iter()
        .any(|c| &c.key == key))
}

#[derive(Debug, Serialize, ToSchema)]
struct SentAnswer {
    decision_id: ContactId,
    sent_at: DateTime<Utc>,
    /// The touchpoint the send became in the person's journeys (message pressure).
    touchpoint_id: TouchpointId,
}

/// Confirm that an allowed contact was sent: it then counts for seven days, and
/// becomes a touchpoint of the person's journeys. Confirming again answers the same;
/// after the hold lapsed it is 409 and the contact must be asked for again.
#[utoipa::path(post, path = "/contact-decisions/{id}/sent", tag = "contact",
    params(("id" = String, Path)),
    responses((status = 200, body = SentAnswer), (status = 404, body = Problem),
              (status = 409, body = Problem)))]
async fn confirm_sent(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
) -> Result<Json<SentAnswer>, ApiError> {
    let id: ContactId = path_id(&id)?;
    let sent = state.store.confirm_contact(me, id, Utc::now()).await?;
    let touchpoint = NewTouchpoint {
        id: TouchpointId::new(),
        event_id: Some(format!("contact-{}", sent.id)),
        subject: Subject::Profile(sent.profile),
        channel: sent.channel.clone(),
        kind: TouchpointKind::parse(sent.purpose.touchpoint_kind())?,
        occurred_at: sent.sent_at,
        occurred_on: None,
        initiator: Initiator::Provider,
        setting: None,
        phase: None,
        properties: Default::default(),
        attributes: Default::default(),
        flags: Vec::new(),
    };
    let outcome = state
        .store
        .insert_touchpoints(me, vec![touchpoint], Utc::now(), Stitch::Now)
        .await?;
    let touchpoint_id = match outcome.into_iter().next() {
        Some(Outcome::Stored(t) | Outcome::Duplicate(t)) => t.id,
        Some(Outcome::Rejected(e)) => return Err(ApiError::Invalid(e)),
        None => return Err(ApiError::NotFound),
    };
    Ok(Json(SentAnswer {
        decision_id: sent.id,
        sent_at: sent.sent_at,
        touchpoint_id,
    }))
}

/// A consent collected elsewhere (a form in the shop, a loyalty programme's terms).
#[derive(Debug, Deserialize, ToSchema)]
struct ConsentInput {
    profile_id: Option<String>,
    /// `marketing`, `analytics`, `research` or `personalisation`.
    purpose: Option<String>,
    given: Option<bool>,
    /// When the person gave or refused it.
    at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, ToSchema)]
struct ConsentsInput {
    /// At most 10,000 a request.
    consents: Vec<ConsentInput>,
}

#[derive(Debug, Serialize, ToSchema)]
struct Imported {
    imported: usize,
}

/// Import consents collected elsewhere, for your own profiles: the latest per
/// profile and purpose is kept. A person whose holding choice about `analytics` is no
/// counts in none of your journey figures. A person's own choice on their page always wins
/// over an import. All or nothing: one bad entry refuses the batch, naming it.
#[utoipa::path(post, path = "/consents", tag = "contact", request_body = ConsentsInput,
    responses((status = 200, body = Imported), (status = 422, body = Problem)))]
async fn import_consents(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    ApiJson(ConsentsInput { consents: input }): ApiJson<ConsentsInput>,
) -> Result<Json<Imported>, ApiError> {
    const MOST: usize = 10_000;
    if input.len() > MOST {
        return Err(ApiError::invalid(
            "consents",
            Reason::TooManyEntries {
                count: input.len(),
                max: MOST,
            },
        ));
    }
    let mut c = Checker::new();
    let now = Utc::now();
    let mut consents = Vec::with_capacity(input.len());
    for (i, k) in input.iter().enumerate() {
        let field = |name: &str| format!("consents[{i}].{name}");
        let profile = c
            .required(&field("profile_id"), k.profile_id.as_deref())
            .and_then(|raw| {
                let id = uuid::Uuid::parse_str(raw).ok().map(ProfileId);
                if id.is_none() {
                    c.fail(field("profile_id"), Reason::NoProfile { id: raw.into() });
                }
                id
            });
        let purpose = c
            .required(&field("purpose"), k.purpose.as_deref())
            .and_then(|p| c.take(Purpose::parse(p).map_err(|e| e.within(&field("purpose")))));
        let given = c.required(&field("given"), k.given);
        let at = c.required(&field("at"), k.at);
        if at.is_some_and(|at| at > now + motesplats_core::touchpoint::MAX_FUTURE) {
            c.fail(
                field("at"),
                Reason::TooFarAhead {
                    hours: motesplats_core::touchpoint::MAX_FUTURE.num_hours(),
                },
            );
        }
        if let (Some(profile), Some(purpose), Some(given), Some(at)) = (profile, purpose, given, at)
        {
            consents.push(ImportedConsent {
                profile,
                purpose,
                given,
                at,
            });
        }
    }
    c.finish()?;
    let analytics = consents.iter().any(|k| k.purpose == Purpose::Analytics);
    let imported = state
        .store
        .import_consents(me, consents)
        .await
        .map_err(|e| match e {
            // The store names the entry; the request holds it under `consents`.
            motesplats_store::StoreError::Invalid(i) => ApiError::Invalid(i.within("consents")),
            e => e.into(),
        })?;
    if analytics {
        // Who is counted in the journey figures may have changed.
        state.figures.forget(me);
    }
    Ok(Json(Imported { imported }))
}
