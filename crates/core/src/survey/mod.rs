//! Surveys and their statistics (being written).
