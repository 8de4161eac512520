//! Newtype ids. Every customer row hangs on a stable `ProfileId`; merges change the
//! profile→person map, never the rows. Ids are UUID v7 so they sort by creation time
//! and can be made by any node without asking the database.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use utoipa::ToSchema;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(transparent)]
        #[schema(value_type = String, format = Uuid)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// A provider (tenant).
    ProviderId
);
id_type!(
    /// One provider's record of a customer.
    ProfileId
);
id_type!(
    /// One human: the set of profiles that are the same person.
    PersonId
);
id_type!(
    /// One meeting between a person and a provider.
    TouchpointId
);
id_type!(
    /// A group of providers that work together.
    NetworkId
);
id_type!(
    /// A provider user who signs in to the web UI.
    UserId
);
