//! What people said in surveys, given with consent: their answer to a `motivation`
//! question, to set beside what the rules concluded about their journeys, and their
//! scores, to set beside the pressure before them.

use crate::error::ApiError;
use motesplats_core::journey::Asked;
use motesplats_core::survey::split::motivation_question;
use motesplats_core::survey::{Answer, pooled_score};
use motesplats_core::{PersonId, ProfileId, ProviderId};
use motesplats_store::Store;
use std::collections::HashMap;

/// Every completed response to the provider's surveys given with consent by a
/// profile of one of its persons: its answer to a `motivation` question, if the
/// survey asks one, and its scale answers pooled on 0–100, if it has any.
pub async fn answers(store: &dyn Store, me: ProviderId) -> Result<Vec<Asked>, ApiError> {
    let mut found = Vec::new();
    for survey in store.surveys(me).await? {
        let key = motivation_question(&survey).map(|q| q.key.clone());
        let given: Vec<(ProfileId, i64, Option<String>, Option<f64>)> = store
            .responses(me, survey.id)
            .await?
            .into_iter()
            .filter(|r| r.completed)
            .filter_map(|r| {
                let answer = match key.as_ref().and_then(|k| r.answers.get(k)) {
                    Some(Answer::Choice(o)) => Some(o.as_str().to_string()),
                    _ => None,
                };
                let score = pooled_score([(&survey, std::slice::from_ref(&r))]).map(|s| s.score);
                let at = r.submitted_at.timestamp_millis();
                (answer.is_some() || score.is_some()).then_some((r.profile_id?, at, answer, score))
            })
            .collect();
        let profiles: Vec<ProfileId> = given.iter().map(|a| a.0).collect();
        let persons: HashMap<ProfileId, PersonId> = store
            .profile_persons(me, &profiles)
            .await?
            .into_iter()
            .collect();
        found.extend(given.into_iter().filter_map(|(p, at, answer, score)| {
            persons.get(&p).map(|&person| Asked {
                person,
                at,
                answer,
                score,
            })
        }));
    }
    Ok(found)
}
