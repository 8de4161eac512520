//! The customer list: find a customer by e-mail, phone, customer number, card
//! number or name, and page through them all. The search is read by the core as
//! identifiers are, so it finds what stitching would.

use super::i18n::{Lang, Messages};
use super::labels::identifier_label;
use super::session::SignedIn;
use super::{Shell, local_time};
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use motesplats_core::{Cursor, PageRequest, ProfileSearch, number};
use motesplats_store::{Customer, CustomerQuery};
use serde::Deserialize;

/// Profiles a page.
const PAGE: u32 = 50;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    after: Option<String>,
    before: Option<String>,
}

/// One customer as a row of the list.
struct Row {
    id: String,
    name: Option<String>,
    identifiers: Vec<(String, String)>,
    touchpoints: String,
    last_seen: Option<String>,
    person: String,
    /// How many profiles its person has, in words.
    person_profiles: String,
}

#[derive(Template)]
#[template(path = "customers.html")]
struct CustomersPage {
    shell: Shell,
    q: String,
    /// Why the search or page could not be read: a message key.
    refused: Option<&'static str>,
    rows: Vec<Row>,
    /// Cursors of the neighbouring pages.
    newer: Option<String>,
    older: Option<String>,
}

fn cursor(s: Option<&str>) -> Result<Option<Cursor>, ()> {
    s.filter(|s| !s.is_empty())
        .map(|s| s.parse().map(Cursor).map_err(|_| ()))
        .transpose()
}

pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let mut page = CustomersPage {
        shell: Shell::signed_in(lang, "/customers", &who),
        q: query.q.clone(),
        refused: None,
        rows: Vec::new(),
        newer: None,
        older: None,
    };
    let search = match ProfileSearch::parse(&query.q, &who.provider.country) {
        Ok(s) => s,
        Err(e) => {
            page.refused = Some(if e.0.iter().any(|f| f.field == "q.value") {
                "customers-search-not-email"
            } else {
                "customers-search-invalid"
            });
            return render(page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let (Ok(after), Ok(before)) = (
        cursor(query.after.as_deref()),
        cursor(query.before.as_deref()),
    ) else {
        page.refused = Some("customers-page-invalid");
        return render(page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    // One more than a page tells whether there is a page beyond.
    let ask = CustomerQuery {
        search,
        page: PageRequest {
            limit: PAGE + 1,
            after,
        },
        before,
    };
    let mut found = state.store.customers(who.provider.id, &ask).await?;
    let beyond = found.len() > PAGE as usize;
    if beyond {
        // The extra row lies past the far end in the direction of paging.
        if before.is_some() {
            found.remove(0);
        } else {
            found.pop();
        }
    }
    let first = found.first().map(|c| c.profile.id.to_string());
    let last = found.last().map(|c| c.profile.id.to_string());
    (page.newer, page.older) = if before.is_some() {
        (first.filter(|_| beyond), last)
    } else {
        (first.filter(|_| after.is_some()), last.filter(|_| beyond))
    };
    page.rows = found
        .into_iter()
        .map(|c| row(c, lang, &who.provider.time_zone))
        .collect();
    render(page, StatusCode::OK)
}

fn row(c: Customer, lang: Lang, time_zone: &str) -> Row {
    Row {
        id: c.profile.id.to_string(),
        name: c.profile.display_name,
        identifiers: c
            .profile
            .identifiers
            .iter()
            .map(|i| (identifier_label(i.kind, lang), i.value.clone()))
            .collect(),
        touchpoints: number::integer(c.touchpoints, lang),
        last_seen: c.last_seen.map(|t| local_time(t, time_zone)),
        person: c.profile.person_id.to_string(),
        person_profiles: lang.t_with(
            "customers-person-profiles",
            &[("count", c.person_profiles as i64)],
        ),
    }
}

fn render(page: CustomersPage, status: StatusCode) -> Result<Response, ApiError> {
    let html = page
        .render()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((status, Html(html)).into_response())
}
