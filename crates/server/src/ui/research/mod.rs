//! The research workspace in the web UI: `pages` the projects, the board and the
//! strategy document; `board` what the board shows; `forms` the forms posted from it.

mod board;
pub(super) mod forms;
pub(super) mod pages;
