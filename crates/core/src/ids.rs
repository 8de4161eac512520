//! Newtype ids. Every customer row hangs on a stable `ProfileId`; merges change the
//! profile→person map, never the rows. Ids are UUID v7 so they sort by creation time
//! and can be made by any node without asking the database.

/// Declares a UUID v7 newtype id: time-ordered, made anywhere without asking a
/// database. Every id of the domain (here, in `survey` and in `research`) uses it.
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            ::serde::Serialize, ::serde::Deserialize, ::utoipa::ToSchema,
        )]
        #[serde(transparent)]
        #[schema(value_type = String, format = Uuid)]
        pub struct $name(pub ::uuid::Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(::uuid::Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                ::uuid::Uuid::parse_str(s).map(Self)
            }
        }
    };
}
pub(crate) use id_type;

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
id_type!(
    /// A person's own account: the identifiers they verified, which link their
    /// persons at every provider.
    AccountId
);
id_type!(
    /// One contact decision that allowed a contact: held until sent or lapsed.
    ContactId
);
