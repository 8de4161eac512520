//! The domain of Mötesplats: the glossary's types and the pure rules over them.
//!
//! Architecture invariant: nothing here does I/O (no files, sockets, databases or
//! async runtimes). Engines take plain data in and give plain data out, so they can
//! run in the server, the CLI, a test or a future worker alike.

pub mod attribution;
pub mod channel;
pub mod coding;
pub mod consent;
pub mod demo;
pub mod identifier;
pub mod identity;
pub mod ids;
pub mod invalid;
pub mod journey;
pub mod keys;
pub mod lang;
pub mod linkage;
pub mod network;
pub mod number;
pub mod page;
pub mod plan;
pub mod profile;
pub mod provider;
pub mod reason;
pub mod research;
pub mod retention;
pub mod segment;
pub mod survey;
pub mod touchpoint;
pub mod tracking_protocol;
pub mod value;

pub use channel::{Channel, ChannelKey};
pub use identifier::{Identifier, IdentifierKind};
pub use ids::{
    AccountId, ContactId, NetworkId, PersonId, ProfileId, ProviderId, TouchpointId, UserId,
};
pub use invalid::{FieldError, Invalid};
pub use lang::{Label, Lang};
pub use network::{Network, NewNetwork, SharedData};
pub use page::{Cursor, PageRequest};
pub use profile::{NewProfile, Person, Profile, ProfileSearch};
pub use provider::{NewProvider, Provider};
pub use reason::Reason;
pub use touchpoint::{Initiator, NewTouchpoint, Touchpoint, TouchpointKind};
pub use value::{
    Action, DigitalAspect, Motivation, Phase, Setting, Stance, ValueLandscape, ValueLandscapeInput,
};
