//! The survey builder in the web UI: plain forms, no JavaScript. `/surveys/new`
//! starts a draft; `/surveys/{id}/edit` shows its sections and questions with a form
//! for each change, posted to `/surveys/{id}/edit/{action}`.
//!
//! Every change is made the way the API's revise makes it: the survey as it is, turned
//! back into its input (`Survey::to_input`), with the change applied, goes through
//! `Survey::revise` with whether responses exist, so once someone has answered the
//! change becomes a new version (and a kept question keeps its kind and scale). A
//! refused change comes back on the page with what was typed kept and the core's
//! reason beside each input, the common reasons in the page's language.
//!
//! The core has no empty sections, so a new survey starts with one question (chosen on
//! the new-survey form), and a new section is saved together with its first question:
//! "add a section" checks the title and carries it, in the page's address, to the
//! add-question form, which can also start a section itself. Removing or moving away
//! the last question of a section drops the section.
//!
//! One job a file: `builder` the handlers, `view` what the page shows, `to_form` a
//! survey as form fields, `parse` posted forms as the core's input, `changes` the
//! changes; `public` is the respondent's page, `results` the results page and `figures`
//! the results' figures as people read them.

mod builder;
mod changes;
mod figures;
mod parse;
pub(crate) mod public;
pub(super) mod results;
mod to_form;
mod view;

pub(super) use builder::{change, create, edit, new_form, qr};
