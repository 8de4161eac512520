//! What a provider may read of its person at other providers, through the grants the
//! person made. Each record read is in the person's access log as this provider's.

use super::profiles::path_id;
use crate::auth::Tenant;
use crate::error::{ApiError, Problem};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use motesplats_core::consent::{Category, Purpose};
use motesplats_core::{Identifier, PersonId, ProfileId, ProviderId, Reason, Touchpoint};
use motesplats_store::{GrantedRecord, ThroughGrant};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(shared))
}

#[derive(Debug, Serialize, ToSchema)]
struct SharedWithYou {
    person_id: PersonId,
    /// One entry per live grant the person made to you; none without a grant.
    grants: Vec<GrantRead>,
}

#[derive(Debug, Serialize, ToSchema)]
struct GrantRead {
    grant_id: Uuid,
    /// The provider whose records the person shared.
    holder: Holder,
    categories: Vec<Category>,
    /// What you may use what you read for.
    purpose: Purpose,
    until: DateTime<Utc>,
    /// Why this grant reads nothing now: the person's consent to its purpose with
    /// you does not hold.
    withheld: Option<Reason>,
    records: Vec<RecordRead>,
}

#[derive(Debug, Serialize, ToSchema)]
struct Holder {
    id: ProviderId,
    name: String,
}

/// One of the holder's records; only the granted categories are present.
#[derive(Debug, Serialize, ToSchema)]
struct RecordRead {
    profile_id: ProfileId,
    #[serde(skip_serializing_if = "Option::is_none")]
    identifiers: Option<Vec<Identifier>>,
    /// Every touchpoint on the record; `touchpoints` holds the newest 200.
    #[serde(skip_serializing_if = "Option::is_none")]
    touchpoint_count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    touchpoints: Option<Vec<Touchpoint>>,
}

impl From<ThroughGrant> for GrantRead {
    fn from(t: ThroughGrant) -> Self {
        GrantRead {
            grant_id: t.grant.id,
            holder: Holder {
                id: t.holder.id,
                name: t.holder.name,
            },
            categories: t.grant.categories.into_iter().collect(),
            purpose: t.grant.purpose,
            until: t.grant.until,
            withheld: t.withheld,
            records: t.records.into_iter().map(RecordRead::from).collect(),
        }
    }
}

impl From<GrantedRecord> for RecordRead {
    fn from(r: GrantedRecord) -> Self {
        RecordRead {
            profile_id: r.profile,
            identifiers: r.identifiers,
            touchpoint_count: r.touchpoint_count,
            touchpoints: r.touchpoints,
        }
    }
}

/// What the person shared with you from other providers: for each live grant they
/// made, the holder's records about them in the granted categories. Without a grant
/// the list is empty; every record read here is in the person's access log as yours.
#[utoipa::path(get, path = "/persons/{id}/shared", tag = "persons", params(("id" = String, Path)),
    responses((status = 200, body = SharedWithYou), (status = 404, body = Problem)))]
async fn shared(
    State(state): State<AppState>,
    Tenant(me): Tenant,
    Path(id): Path<String>,
) -> Result<Json<SharedWithYou>, ApiError> {
    let id: PersonId = path_id(&id)?;
    let grants = state
        .store
        .shared(me, id, Utc::now())
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(SharedWithYou {
        person_id: id,
        grants: grants.into_iter().map(GrantRead::from).collect(),
    }))
}
