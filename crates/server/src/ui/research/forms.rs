//! The research workspace's forms. Every step's additions, and the edits of a card,
//! are posted from the board as multipart forms (so a photo can come along), turned
//! into the very inputs the JSON API takes, and applied through the project's own
//! methods. A refused form comes back on the board with what was typed kept and the
//! reason beside each field; a card someone else changed meanwhile is not overwritten.

use super::board::{View, fingerprint};
use super::pages::{board_page, list_page, open};
use crate::error::ApiError;
use crate::json::{JsonError, from_json};
use crate::state::AppState;
use crate::ui::forms::{Refused, Sent, Upload};
use crate::ui::i18n::Lang;
use crate::ui::session::SignedIn;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use motesplats_core::research::{
    Attachment, EvidenceRef, MomentId, ObservationId, Project, ProjectInput, StanceId, StoryId,
    StoryMomentId,
};
use motesplats_core::{Invalid, Reason};
use motesplats_store::{StoreError, StoredProject};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use std::str::FromStr;

/// The largest form body: a photo at its limit and the text around it.
pub const FORM_LIMIT: usize = motesplats_core::research::ATTACHMENT_MAX + 256 * 1024;

/// Builds the JSON an API client would send from the form's names: `a.b` nests, a
/// number indexes a list, `:list` gathers repeated fields, `:bool` is a tick box.
/// Names starting with `_` steer the form and are left out; blank values are absent.
fn to_json(fields: &[(String, String)]) -> Value {
    let mut root = Map::new();
    for (name, value) in fields {
        if name.starts_with('_') || value.trim().is_empty() {
            continue;
        }
        let (path, kind) = name.split_once(':').unwrap_or((name, ""));
        let mut segments: Vec<&str> = path.split('.').collect();
        let Some(last) = segments.pop() else {
            continue;
        };
        let mut at = &mut root;
        for s in segments {
            let next = at
                .entry(s.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !next.is_object() {
                *next = Value::Object(Map::new());
            }
            let Value::Object(next) = next else {
                unreachable!("made an object just above")
            };
            at = next;
        }
        match kind {
            "list" => {
                let list = at
                    .entry(last.to_string())
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(items) = list {
                    items.push(Value::String(value.clone()));
                }
            }
            "bool" => {
                at.insert(last.to_string(), Value::Bool(value == "true"));
            }
            _ => {
                at.insert(last.to_string(), Value::String(value.clone()));
            }
        }
    }
    lists(Value::Object(root))
}

/// Objects keyed 0, 1, 2… become lists in key order.
fn lists(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            let numbered = !map.is_empty() && map.keys().all(|k| k.parse::<usize>().is_ok());
            if numbered {
                let mut items: Vec<(usize, Value)> = map
                    .into_iter()
                    .map(|(k, v)| (k.parse().unwrap_or(0), lists(v)))
                    .collect();
                items.sort_by_key(|(i, _)| *i);
                Value::Array(items.into_iter().map(|(_, v)| v).collect())
            } else {
                Value::Object(map.into_iter().map(|(k, v)| (k, lists(v))).collect())
            }
        }
        other => other,
    }
}

/// The typed input, refused by field as the API would refuse it.
fn input<T: DeserializeOwned>(v: &Value) -> Result<T, Invalid> {
    let unreadable = |detail: String| Invalid::one("", Reason::Unreadable { detail });
    let bytes = serde_json::to_vec(v).map_err(|e| unreadable(e.to_string()))?;
    from_json(&bytes).map_err(|e| match e {
        JsonError::Fields(i) => i,
        JsonError::Syntax(s) => unreadable(s),
    })
}

/// An id chosen in a select, named by its input when missing or bad.
fn chosen<T: FromStr>(sent: &Sent, name: &str) -> Result<T, Invalid> {
    let raw = sent
        .one(name)
        .ok_or_else(|| Invalid::one(name, Reason::Required))?;
    raw.parse()
        .map_err(|_| Invalid::one(name, Reason::NamesNothing))
}

/// What a presentation question is about, chosen as a `kind:id` key, as the API's
/// `{"kind", "id"}` object.
fn about_ref(v: &mut Value) -> Result<(), Invalid> {
    let Some(key) = v.get("about") else {
        return Ok(());
    };
    let r = key
        .as_str()
        .and_then(EvidenceRef::from_key)
        .ok_or_else(|| Invalid::one("about", Reason::NamesNothing))?;
    v["about"] = json!(r);
    Ok(())
}

/// Evidence chosen as `kind:id` keys, as the API's `{"kind", "id"}` objects.
fn evidence_refs(v: &mut Value) -> Result<(), Invalid> {
    let Some(Value::Array(keys)) = v.get_mut("evidence") else {
        return Ok(());
    };
    for (i, key) in keys.iter_mut().enumerate() {
        let r = key
            .as_str()
            .and_then(EvidenceRef::from_key)
            .ok_or_else(|| Invalid::one(format!("evidence[{i}]"), Reason::NamesNothing))?;
        *key = json!(r);
    }
    Ok(())
}

fn unchanged<T: serde::Serialize>(sent: &Sent, now: &T) -> bool {
    sent.fields
        .iter()
        .find(|(n, _)| n == "_was")
        .is_some_and(|(_, was)| *was == fingerprint(now))
}

/// Why a change did not apply.
enum Refusal {
    Invalid(Invalid),
    /// The card changed since the form was drawn.
    Conflict,
    Unknown,
}

impl From<Invalid> for Refusal {
    fn from(e: Invalid) -> Self {
        Refusal::Invalid(e)
    }
}

/// Applies one form to the project, with the photo or screenshot already checked.
fn apply(p: &mut Project, sent: &Sent, image: Option<&Attachment>) -> Result<(), Refusal> {
    let mut v = to_json(&sent.fields);
    if let Some(a) = image {
        let list = if sent.form == "function" {
            "screenshots"
        } else {
            "photos"
        };
        v[list] = json!([a.id]);
        p.add_attachment(a.clone());
    }
    match sent.form.as_str() {
        "member" => p.add_member(&input(&v)?).map(drop)?,
        "group" => p.add_group(&input(&v)?).map(drop)?,
        "story" => p.add_story(&input(&v)?, Utc::now()).map(drop)?,
        "story-moment" => p
            .add_story_moment(chosen::<StoryId>(sent, "_story")?, &input(&v)?)
            .map(drop)?,
        "question" => p
            .add_question(chosen::<StoryId>(sent, "_story")?, &input(&v)?)
            .map(drop)?,
        "value-statement" => {
            let moment: StoryMomentId = chosen(sent, "moment_id")?;
            let story = p
                .story_moment(moment)
                .map(|(s, _)| s.id)
                .ok_or_else(|| Invalid::one("moment_id", Reason::NamesNothing))?;
            p.add_value_statement(story, &input(&v)?).map(drop)?
        }
        "template" => p.add_template(&input(&v)?).map(drop)?,
        "round" => p.add_observation_round(&input(&v)?).map(drop)?,
        "observation" => p.add_observation(&input(&v)?).map(drop)?,
        "placement" => {
            let id: ObservationId = chosen(sent, "_observation")?;
            let now = p.observation(id).map(|o| o.placement.clone());
            if !unchanged(sent, &now.flatten()) {
                return Err(Refusal::Conflict);
            }
            p.place_observation(id, &input(&v)?).map(drop)?
        }
        "echo" => p.link_echo(chosen::<ObservationId>(sent, "_observation")?, &input(&v)?)?,
        "function" => p.add_function(&input(&v)?).map(drop)?,
        "moment" => {
            evidence_refs(&mut v)?;
            p.add_moment(&input(&v)?).map(drop)?
        }
        "stance" => p
            .record_stance(chosen::<MomentId>(sent, "_moment")?, &input(&v)?)
            .map(drop)?,
        "link-function" => p.link_function(chosen::<StanceId>(sent, "_item")?, &input(&v)?)?,
        "protocol-entry" => p.write_entry(&input(&v)?).map(drop)?,
        "merge-entry" => p.merge_entry(chosen::<StanceId>(sent, "_item")?, &input(&v)?)?,
        "focus" => {
            if !unchanged(sent, &p.focus) {
                return Err(Refusal::Conflict);
            }
            p.choose_focus(&input(&v)?).map(drop)?
        }
        "implementation" => p.decide_implementation(&input(&v)?)?,
        "task" => p.add_task(&input(&v)?).map(drop)?,
        "check-task" => p.check_task(&input(&v)?)?,
        "reflection" => {
            evidence_refs(&mut v)?;
            p.add_reflection(&input(&v)?).map(drop)?
        }
        "observation-question" | "function-question" | "moment-question" => {
            about_ref(&mut v)?;
            p.add_presentation_question(&input(&v)?).map(drop)?
        }
        _ => return Err(Refusal::Unknown),
    }
    Ok(())
}

/// Reads a multipart form; a body over the limit keeps the fields read before it.
async fn read(
    form: &str,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Sent, Refused> {
    let mut sent = Sent {
        form: form.to_string(),
        ..Sent::default()
    };
    let mut m = match multipart {
        Ok(m) => m,
        Err(e) => {
            let why = Invalid::one(
                "",
                Reason::Unreadable {
                    detail: e.body_text(),
                },
            );
            return Err(Refused::new(sent, why));
        }
    };
    loop {
        match m.next_field().await {
            Ok(None) => return Ok(sent),
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_string();
                let file_name = field.file_name().map(str::to_string);
                let data = match field.bytes().await {
                    Ok(d) => d,
                    Err(e) => return Err(too_large(sent, &name, &e.body_text())),
                };
                match file_name {
                    // A file input left empty still sends a part with no name and no bytes.
                    Some(f) if f.is_empty() && data.is_empty() => {}
                    Some(f) => sent.file = Some(Upload { name: f, data }),
                    None => sent
                        .fields
                        .push((name, String::from_utf8_lossy(&data).into_owned())),
                }
            }
            Err(e) => return Err(too_large(sent, "file", &e.body_text())),
        }
    }
}

fn too_large(sent: Sent, field: &str, detail: &str) -> Refused {
    // multer words a body over the limit with "limit"; anything else broke the upload.
    let reason = if detail.to_ascii_lowercase().contains("limit") {
        Reason::TooLargeImage {
            megabytes: motesplats_core::research::ATTACHMENT_MAX / (1024 * 1024),
        }
    } else {
        Reason::Unreadable {
            detail: detail.to_string(),
        }
    };
    Refused::new(sent, Invalid::one(field, reason))
}

/// `POST /research/{id}/forms/{form}`: applies a form and goes back to the board,
/// or shows the board again with the form refused.
pub async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    Path((id, form)): Path<(String, String)>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let Some((mut stored, mut project)) = open(&state, &who, &id).await? else {
        return board_page(&state, lang, &who, &id, None, None).await;
    };
    let sent = match read(&form, multipart).await {
        Ok(s) => s,
        Err(refused) => return refuse(&state, lang, &who, &id, refused).await,
    };
    if form == "next-round" {
        return next_round(&state, &who, &project).await;
    }
    // The image is checked before anything is stored, and stored only once the
    // form as a whole applies, so a refused form leaves nothing behind.
    let image = match &sent.file {
        Some(f) => match Attachment::inspect(&f.name, &f.data) {
            Ok(a) => Some(a),
            Err(e) => {
                return refuse(
                    &state,
                    lang,
                    &who,
                    &id,
                    Refused::new(sent, e.within("file")),
                )
                .await;
            }
        },
        None => None,
    };
    let mut image_kept = false;
    // Additions commute, so a save that lost a race is made again on the newer
    // version; edits carry the card they saw and stop when it has changed.
    for _ in 0..3 {
        let mut changed = project.clone();
        match apply(&mut changed, &sent, image.as_ref()) {
            Ok(()) => {}
            Err(Refusal::Unknown) => {
                return board_page(&state, lang, &who, &id, None, None).await;
            }
            Err(Refusal::Invalid(e)) => {
                return refuse(&state, lang, &who, &id, Refused::new(sent, e)).await;
            }
            Err(Refusal::Conflict) => {
                let refused = Refused {
                    sent,
                    errors: Vec::new(),
                    conflict: true,
                };
                return refuse(&state, lang, &who, &id, refused).await;
            }
        }
        if let (Some(a), false, Some(f)) = (&image, image_kept, &sent.file) {
            state
                .store
                .put_attachment(who.provider.id, stored.id, a.id.0, &a.content_type, &f.data)
                .await?;
            image_kept = true;
        }
        let document = changed
            .export()
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        match state
            .store
            .save_project(who.provider.id, stored.id, stored.version, document)
            .await
        {
            Ok(_) => {
                let (step, anchor) = place(&form);
                let to = format!("/research/{id}?step={step}#{anchor}");
                return Ok(Redirect::to(&to).into_response());
            }
            Err(StoreError::Conflict(_)) => {
                let Some((s, p)) = open(&state, &who, &id).await? else {
                    return board_page(&state, lang, &who, &id, None, None).await;
                };
                (stored, project) = (s, p);
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::Conflict(Invalid::one(
        "version",
        Reason::ChangingTooFast,
    )))
}

/// Where on the board a form sits: its step, and the part of the page to come back
/// to after saving.
fn place(form: &str) -> (u8, &'static str) {
    match form {
        "member" | "group" => (1, "team"),
        "check-task" => (1, "carried"),
        "story" | "story-moment" | "question" | "value-statement" => (1, "step-1"),
        "template" | "round" | "observation" | "placement" | "echo" => (2, "step-2"),
        // One form per presentation round, so a refused one comes back in its step.
        "observation-question" => (2, "presentation-2"),
        "function" => (3, "step-3"),
        "function-question" => (3, "presentation-3"),
        "moment" | "stance" | "focus" => (4, "step-4"),
        "moment-question" => (4, "presentation-4"),
        "link-function" => (4, "open-work"),
        "protocol-entry" | "merge-entry" => (4, "protocols"),
        _ => (5, "step-5"),
    }
}

async fn refuse(
    state: &AppState,
    lang: Lang,
    who: &SignedIn,
    id: &str,
    refused: Refused,
) -> Result<Response, ApiError> {
    let status = if refused.conflict {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let view = View::Step(place(&refused.sent.form).0);
    let mut page = board_page(state, lang, who, id, Some(view), Some(refused)).await?;
    *page.status_mut() = status;
    Ok(page)
}

async fn next_round(
    state: &AppState,
    who: &SignedIn,
    project: &Project,
) -> Result<Response, ApiError> {
    let next = project.next_round(Utc::now())?;
    let created = create(state, who, &next).await?;
    Ok(Redirect::to(&format!("/research/{}", created.id)).into_response())
}

async fn create(
    state: &AppState,
    who: &SignedIn,
    project: &Project,
) -> Result<StoredProject, ApiError> {
    let document = project
        .export()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(state
        .store
        .create_project(who.provider.id, project.id.0, document)
        .await?)
}

/// `POST /research`: a new project led by the signed-in user.
pub async fn start(
    State(state): State<AppState>,
    lang: Lang,
    who: SignedIn,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let sent = match read("project", multipart).await {
        Ok(s) => s,
        Err(refused) => return list_page(&state, lang, &who, Some(refused)).await,
    };
    let mut v = to_json(&sent.fields);
    if let Some(Value::Object(lead)) = v.pointer_mut("/members/0") {
        lead.insert("role".into(), json!("lead"));
        lead.insert("user_id".into(), json!(who.user.id));
    }
    let parsed =
        input::<ProjectInput>(&v).and_then(|i| Project::parse(&i, who.provider.id, Utc::now()));
    match parsed {
        Ok(project) => {
            let created = create(&state, &who, &project).await?;
            Ok(Redirect::to(&format!("/research/{}", created.id)).into_response())
        }
        Err(e) => {
            let mut page = list_page(&state, lang, &who, Some(Refused::new(sent, e))).await?;
            *page.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(page)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn form_names_build_the_api_json() {
        let v = to_json(&fields(&[
            ("_story", "x"),
            ("purchase", "a winter jacket"),
            ("teller", ""),
            ("moments.0.phase", "before"),
            ("moments.0.landscape.motivations:list", "experiences"),
            ("moments.0.landscape.motivations:list", "relationships"),
            ("moments.1.phase", "after"),
            ("shareable:bool", "true"),
        ]));
        assert_eq!(
            v,
            json!({
                "purchase": "a winter jacket",
                "moments": [
                    {"phase": "before", "landscape": {"motivations": ["experiences", "relationships"]}},
                    {"phase": "after"}
                ],
                "shareable": true
            })
        );
    }
}
