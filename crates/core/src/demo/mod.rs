//! The demo world (being written).
