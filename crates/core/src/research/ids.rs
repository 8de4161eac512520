//! Ids of everything a research project holds. Each is its own type, so a story id
//! can never be passed where an observation id is expected.

research_id!(
    /// A research project: one round of the five-step workshop.
    ProjectId
);
research_id!(
    /// A person taking part in a project.
    MemberId
);
research_id!(
    /// A group of four to five members who tell and question stories together.
    GroupId
);
research_id!(
    /// A story of a recent purchase (step 1).
    StoryId
);
research_id!(
    /// One moment of a story, before, during or after the purchase.
    StoryMomentId
);
research_id!(
    /// A follow-up question asked about a story.
    QuestionId
);
research_id!(
    /// A value statement tied to a story moment.
    ValueStatementId
);
research_id!(
    /// An observation protocol template (step 2).
    TemplateId
);
research_id!(
    /// An observation round: observers and a last day.
    RoundId
);
research_id!(
    /// One filled-in observation protocol.
    ObservationId
);
research_id!(
    /// A digital function found in the digital scan (step 3).
    FunctionId
);
research_id!(
    /// A moment of the journey in the like/dislike protocols (step 4).
    MomentId
);
research_id!(
    /// One recorded like or dislike of a moment.
    StanceId
);
research_id!(
    /// A team reflection for the strategy (step 5).
    ReflectionId
);
