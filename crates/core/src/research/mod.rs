//! The research workspace: the five steps to a digitalisation strategy (being written).
