//! Ids of surveys and their responses: UUID v7 newtypes like those in [`crate::ids`].

use crate::ids::id_type;

id_type!(
    /// A survey; it keeps its id across revisions (the version changes instead).
    SurveyId
);
id_type!(
    /// One person's response to one version of a survey.
    ResponseId
);
