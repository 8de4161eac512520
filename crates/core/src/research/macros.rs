//! Closed vocabularies that carry Swedish and English labels (ids come from
//! `crate::ids::id_type`).

/// A closed vocabulary: snake_case names for the API and the database, and a
/// label per language for people.
macro_rules! labelled_vocabulary {
    (
        $(#[$doc:meta])*
        $name:ident {
            $( $(#[$vdoc:meta])* $variant:ident => $text:literal, $sv:literal, $en:literal; )+
        }
    ) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        pub enum $name {
            $( $(#[$vdoc])* #[serde(rename = $text)] $variant, )+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the snake_case name; the error lists the names that exist.
            pub fn parse(s: &str) -> Result<Self, $crate::invalid::Invalid> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| {
                    $crate::invalid::Invalid::one(
                        "",
                        $crate::invalid::Reason::OneOf {
                            value: s.to_string(),
                            allowed: $crate::invalid::List::of(Self::ALL.iter().map(|v| v.as_str())),
                        },
                    )
                })
            }
        }

        // Written by hand: the derive does not see a `rename` that comes through a macro
        // argument and would document the Rust variant names instead of the wire names.
        impl ::utoipa::PartialSchema for $name {
            fn schema() -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                ::utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(::utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        impl ::utoipa::ToSchema for $name {
            fn name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(stringify!($name))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::lang::Label for $name {
            fn label(self, lang: $crate::lang::Lang) -> &'static str {
                match lang {
                    $crate::lang::Lang::Sv => match self { $($name::$variant => $sv),+ },
                    $crate::lang::Lang::En => match self { $($name::$variant => $en),+ },
                }
            }
        }
    };
}
