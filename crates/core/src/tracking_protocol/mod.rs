//! The tracking protocol web shops, apps and tills already speak: Segment's
//! tracking specification, which RudderStack, Jitsu and PostHog accept too. A
//! provider points the SDK it already uses at Mötesplats; each message becomes a
//! touchpoint input that then takes the one checking path every event takes.
//!
//! `message` reads a message's common fields, `channel` chooses where the meeting
//! happened from its context, `event_names` turns a `track` event's name into a kind
//! through the provider's own table, and `mapping` puts them together.

mod channel;
mod event_names;
mod mapping;
mod message;

pub use channel::{Site, site_of};
pub use event_names::{EventNames, EventNamesInput, SPEC_KINDS};
pub use mapping::{Mapped, to_touchpoint};
pub use message::{Call, MESSAGE_MAX_BYTES};
