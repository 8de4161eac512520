//! People's own answers to a survey's `motivation` question, to set beside what the
//! motivation rules concluded about their journeys.

use crate::error::ApiError;
use motesplats_core::journey::Asked;
use motesplats_core::survey::Answer;
use motesplats_core::survey::split::motivation_question;
use motesplats_core::{PersonId, ProfileId, ProviderId};
use motesplats_store::Store;
use std::collections::HashMap;

/// Every answer to a `motivation` question of the provider's surveys, given with
/// consent by a profile of one of its persons.
pub async fn answers(store: &dyn Store, me: ProviderId) -> Result<Vec<Asked>, ApiError> {
    let mut found = Vec::new();
    for survey in store.surveys(me).await? {
        let Some(question) = motivation_question(&survey) else {
            continue;
        };
        let key = question.key.clone();
        let answers: Vec<(ProfileId, i64, String)> = store
            .responses(me, survey.id)
            .await?
            .into_iter()
            .filter(|r| r.completed)
            .filter_map(|r| match (r.profile_id, r.answers.get(&key)) {
                (Some(p), Some(Answer::Choice(o))) => {
                    Some((p, r.submitted_at.timestamp_millis(), o.as_str().to_string()))
                }
                _ => None,
            })
            .collect();
        let profiles: Vec<ProfileId> = answers.iter().map(|a| a.0).collect();
        let persons: HashMap<ProfileId, PersonId> = store
            .profile_persons(me, &profiles)
            .await?
            .into_iter()
            .collect();
        found.extend(answers.into_iter().filter_map(|(p, at, answer)| {
            persons.get(&p).map(|&person| Asked { person, at, answer })
        }));
    }
    Ok(found)
}
