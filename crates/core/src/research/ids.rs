//! Ids of everything a research project holds. Each is its own type, so a story id
//! can never be passed where an observation id is expected.

use crate::ids::id_type;

id_type!(
    /// A research project: one round of the five-step workshop.
    ProjectId
);
id_type!(
    /// A person taking part in a project.
    MemberId
);
id_type!(
    /// A group of four to five members who tell and question stories together.
    GroupId
);
id_type!(
    /// A story of a recent purchase (step 1).
    StoryId
);
id_type!(
    /// One moment of a story, before, during or after the purchase.
    StoryMomentId
);
id_type!(
    /// A follow-up question asked about a story.
    QuestionId
);
id_type!(
    /// A question asked in a presentation round of steps 2–4.
    PresentationQuestionId
);
id_type!(
    /// A value statement tied to a story moment.
    ValueStatementId
);
id_type!(
    /// An observation protocol template (step 2).
    TemplateId
);
id_type!(
    /// An observation round: observers and a last day.
    RoundId
);
id_type!(
    /// One filled-in observation protocol.
    ObservationId
);
id_type!(
    /// A digital function found in the digital scan (step 3).
    FunctionId
);
id_type!(
    /// A moment of the journey in the like/dislike protocols (step 4).
    MomentId
);
id_type!(
    /// One recorded like or dislike of a moment.
    StanceId
);
id_type!(
    /// A team reflection for the strategy (step 5).
    ReflectionId
);
id_type!(
    /// A task of the implementation plan (step 5).
    TaskId
);
id_type!(
    /// A photo (step 2) or screenshot (step 3) uploaded to a project.
    AttachmentId
);
id_type!(
    /// A coded quote from an open survey answer, brought in as evidence.
    QuoteId
);
