//! The provider's codebook in the browser: the codes as a tree, a form to edit the
//! whole list (reword, move under another parent, add, drop an unused code), and the
//! REFI-QDA codebook file to download or bring in from another coding tool.

use super::Shell;
use super::i18n::Lang;
use super::session::SignedIn;
use crate::api::coding::codebook_of;
use crate::error::ApiError;
use crate::state::AppState;
use crate::survey_export::save_codebook;
use crate::ui::i18n::Messages;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use motesplats_core::coding::{CodeInput, Codebook, CodebookInput, from_qdc, to_qdc};
use motesplats_core::{FieldError, Invalid, Reason};

/// One row of the edit form: key, parent, Swedish name, English name, description.
pub struct Row {
    pub key: String,
    pub parent: String,
    pub name_sv: String,
    pub name_en: String,
    pub description: String,
}

const UNPROCESSABLE: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;

const FIELDS: [&str; 5] = ["key", "parent", "name_sv", "name_en", "description"];

#[derive(Template)]
#[template(path = "codebook.html")]
struct CodebookPage {
    shell: Shell,
    version: u32,
    tree: Vec<(usize, String, String, String)>,
    rows: Vec<Row>,
    problems: Vec<String>,
}

fn rows_of(book: &Codebook) -> Vec<Row> {
    book.codes
        .iter()
        .map(|c| Row {
            key: c.key.to_string(),
            parent: c.parent.as_ref().map(|p| p.to_string()).unwrap_or_default(),
            name_sv: c.name_sv.clone(),
            name_en: c.name_en.clone(),
            description: c.description.clone().unwrap_or_default(),
        })
        .collect()
}

fn blank() -> Row {
    Row {
        key: String::new(),
        parent: String::new(),
        name_sv: String::new(),
        name_en: String::new(),
        description: String::new(),
    }
}

async fn render(
    state: &AppState,
    lang: Lang,
    who: &SignedIn,
    typed: Option<Vec<Row>>,
    problems: Vec<FieldError>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let book = codebook_of(state, who.provider.id).await?;
    let tree = book
        .tree()
        .iter()
        .map(|(depth, c)| {
            (
                *depth,
                c.key.to_string(),
                c.name(lang).to_string(),
                c.description_in(lang).unwrap_or_default().to_string(),
            )
        })
        .collect();
    let mut rows = typed.unwrap_or_else(|| rows_of(&book));
    rows.extend((0..3).map(|_| blank()));
    let page = CodebookPage {
        shell: Shell::signed_in(lang, "/codebook", who),
        version: book.version,
        tree,
        rows,
        problems: problems
            .into_iter()
            .map(|e| format!("{}: {}", e.field, lang.reason(&e.reason)))
            .collect(),
    };
    let html = page
        .render()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((status, Html(html)).into_response())
}

/// `GET /codebook`
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
) -> Result<Response, ApiError> {
    render(&state, lang, &who, None, Vec::new(), StatusCode::OK).await
}

/// `GET /codebook.qdc`: the codebook as a REFI-QDA file.
pub async fn export(State(state): State<AppState>, who: SignedIn) -> Result<Response, ApiError> {
    let book = codebook_of(&state, who.provider.id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"codebook.qdc\"",
            ),
        ],
        to_qdc(&book),
    )
        .into_response())
}

/// A posted form: its fields in order, and its file if any.
async fn read(mut m: Multipart) -> Result<(Vec<(String, String)>, Option<Bytes>), Invalid> {
    let (mut fields, mut file) = (Vec::new(), None);
    loop {
        match m.next_field().await {
            Ok(None) => return Ok((fields, file)),
            Ok(Some(f)) => {
                let name = f.name().unwrap_or_default().to_string();
                let is_file = f.file_name().is_some();
                let data = f.bytes().await.map_err(|e| {
                    Invalid::one(
                        &name,
                        Reason::Unreadable {
                            detail: e.body_text(),
                        },
                    )
                })?;
                if is_file {
                    file = Some(data);
                } else {
                    fields.push((name, String::from_utf8_lossy(&data).into_owned()));
                }
            }
            Err(e) => {
                return Err(Invalid::one(
                    "file",
                    Reason::Unreadable {
                        detail: e.body_text(),
                    },
                ));
            }
        }
    }
}

fn version(fields: &[(String, String)]) -> Option<u32> {
    fields
        .iter()
        .find(|(n, _)| n == "version")
        .and_then(|(_, v)| v.parse().ok())
}

/// The rows as typed: the form sends the five fields of each row in order.
fn rows_from(fields: &[(String, String)]) -> Vec<Row> {
    let values: Vec<&str> = fields
        .iter()
        .filter(|(n, _)| FIELDS.contains(&n.as_str()))
        .map(|(_, v)| v.as_str())
        .collect();
    values
        .chunks(FIELDS.len())
        .map(|r| Row {
            key: r.first().unwrap_or(&"").trim().to_string(),
            parent: r.get(1).unwrap_or(&"").trim().to_string(),
            name_sv: r.get(2).unwrap_or(&"").trim().to_string(),
            name_en: r.get(3).unwrap_or(&"").trim().to_string(),
            description: r.get(4).unwrap_or(&"").trim().to_string(),
        })
        .filter(|r| {
            !(r.key.is_empty()
                && r.parent.is_empty()
                && r.name_sv.is_empty()
                && r.name_en.is_empty()
                && r.description.is_empty())
        })
        .collect()
}

fn input_of(rows: &[Row]) -> CodebookInput {
    let given = |s: &str| (!s.is_empty()).then(|| s.to_string());
    CodebookInput {
        codes: Some(
            rows.iter()
                .map(|r| CodeInput {
                    key: given(&r.key),
                    name_sv: given(&r.name_sv),
                    name_en: given(&r.name_en),
                    description: given(&r.description),
                    parent: given(&r.parent),
                    guid: None,
                })
                .collect(),
        ),
    }
}

/// Saves a new codebook, or shows the page again with why not.
async fn save(
    state: &AppState,
    lang: Lang,
    who: &SignedIn,
    expected: Option<u32>,
    next: Result<Codebook, Invalid>,
    typed: Option<Vec<Row>>,
) -> Result<Response, ApiError> {
    let refused = |e: Invalid, status| render(state, lang, who, typed, e.0, status);
    let next = match next {
        Ok(n) => n,
        Err(e) => return refused(e, UNPROCESSABLE).await,
    };
    let Some(expected) = expected else {
        let e = Invalid::one("version", Reason::Required);
        return refused(e, UNPROCESSABLE).await;
    };
    let current = codebook_of(state, who.provider.id).await?;
    match save_codebook(
        state.store.as_ref(),
        who.provider.id,
        expected,
        &current,
        next,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to("/codebook").into_response()),
        Err(ApiError::Invalid(e)) => refused(e, UNPROCESSABLE).await,
        Err(ApiError::Conflict(e)) => refused(e, StatusCode::CONFLICT).await,
        Err(e) => Err(e),
    }
}

/// `POST /codebook`: the whole list of codes, as edited.
pub async fn edit(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    multipart: Multipart,
) -> Result<Response, ApiError> {
    let (fields, _) = match read(multipart).await {
        Ok(read) => read,
        Err(e) => return render(&state, lang, &who, None, e.0, UNPROCESSABLE).await,
    };
    let rows = rows_from(&fields);
    let next = input_of(&rows).parse();
    save(&state, lang, &who, version(&fields), next, Some(rows)).await
}

/// `POST /codebook/import`: a REFI-QDA codebook file in place of the codebook.
pub async fn import(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    multipart: Multipart,
) -> Result<Response, ApiError> {
    let (fields, file) = match read(multipart).await {
        Ok(read) => read,
        Err(e) => return render(&state, lang, &who, None, e.0, UNPROCESSABLE).await,
    };
    let current = codebook_of(&state, who.provider.id).await?;
    let next = match file.as_deref().map(std::str::from_utf8) {
        None => Err(Invalid::one("file", Reason::Required)),
        Some(Err(e)) => Err(Invalid::one(
            "file",
            Reason::Unreadable {
                detail: e.to_string(),
            },
        )),
        Some(Ok(text)) => from_qdc(text.strip_prefix('\u{feff}').unwrap_or(text), &current),
    };
    save(&state, lang, &who, version(&fields), next, None).await
}
