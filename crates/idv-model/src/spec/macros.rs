//! Macros that generate the specification types.
//!
//! `spec_model!` and `spec_build!` are the shared `request_model!` and `request_build!` for the
//! specification's kinds of violation ([`ViolationKind`](super::ViolationKind)).
//!
//! `requested_enum!` generates the `{type, config}` entries of `requested_checks` and
//! `requested_tasks`: one variant per known type, with that type's config, plus `Other`.

/// Generates a specification struct, its builder and its walk (see `request_model!`).
macro_rules! spec_model {
    ($($body:tt)*) => {
        request_model! { $crate::spec::ViolationKind; $($body)* }
    };
}

/// An infallible `build()` for nested builders (the whole specification is validated at once,
/// so that every error names its full JSON path).
macro_rules! spec_build {
    ($($body:tt)*) => {
        request_build! {
            "the whole specification is validated by [`SessionSpecBuilder::build`]\
             (crate::spec::SessionSpecBuilder::build) or [`SessionSpec::validate`]\
             (crate::spec::SessionSpec::validate), whose errors name full JSON paths.";
            $($body)*
        }
    };
}

/// Generates a `{type, config}` entry enum. See the module documentation.
macro_rules! requested_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($kind:ty, $expecting:literal) {
            $(
                $(#[$vmeta:meta])*
                $variant:ident($config:ident / $cbuilder:ident) = $text:literal
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        // Specifications are small and built once; boxing configs would only make them
        // harder to write and match on.
        #[allow(clippy::large_enum_variant)]
        pub enum $name {
            $(
                $(#[$vmeta])*
                $variant($crate::spec::Requested<$config>),
            )*
            /// A type this version does not model, kept as sent.
            Other($crate::spec::UnknownRequested),
        }

        impl $name {
            /// The wire `type`.
            pub fn type_name(&self) -> &str {
                match self {
                    $( Self::$variant(_) => $text, )*
                    Self::Other(other) => &other.type_name,
                }
            }

            /// The `type` as an open enum.
            pub fn kind(&self) -> $kind {
                <$kind>::from_wire(self.type_name())
            }

            /// The entry's unknown keys (beside `type` and `config`).
            pub fn extra(&self) -> &$crate::Extra {
                match self {
                    $( Self::$variant(entry) => &entry.extra, )*
                    Self::Other(other) => &other.extra,
                }
            }

            /// The entry's unknown keys, mutable.
            pub fn extra_mut(&mut self) -> &mut $crate::Extra {
                match self {
                    $( Self::$variant(entry) => &mut entry.extra, )*
                    Self::Other(other) => &mut other.extra,
                }
            }

            /// Adds a key this version does not model to the entry (beside `type` and
            /// `config`), sent as given.
            #[must_use]
            pub fn with_extra(
                mut self,
                key: impl Into<String>,
                value: impl Into<serde_json::Value>,
            ) -> Self {
                self.extra_mut().insert(key, value.into());
                self
            }
        }

        impl $crate::spec::entry::Entry for $name {
            const EXPECTING: &'static str = $expecting;

            fn for_type(type_name: String) -> Self {
                match type_name.as_str() {
                    $( $text => Self::$variant($crate::spec::Requested::default()), )*
                    _ => Self::Other($crate::spec::UnknownRequested::new(type_name, None)),
                }
            }

            fn read_config<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                map: &mut A,
            ) -> Result<(), A::Error> {
                match self {
                    $( Self::$variant(entry) => entry.set_config(map.next_value()?), )*
                    Self::Other(other) => other.config = Some(map.next_value()?),
                }
                Ok(())
            }

            fn config_from_value<E: serde::de::Error>(
                &mut self,
                value: serde_json::Value,
            ) -> Result<(), E> {
                match self {
                    $(
                        Self::$variant(entry) => {
                            entry.set_config($crate::spec::entry::from_buffered(value)?)
                        }
                    )*
                    Self::Other(other) => other.config = Some(value),
                }
                Ok(())
            }

            fn extra_mut(&mut self) -> &mut $crate::Extra {
                $name::extra_mut(self)
            }
        }

        $(
            impl From<$config> for $name {
                fn from(config: $config) -> Self {
                    Self::$variant($crate::spec::Requested::new(config))
                }
            }

            impl From<$cbuilder> for $name {
                fn from(builder: $cbuilder) -> Self {
                    Self::$variant($crate::spec::Requested::new(builder.build()))
                }
            }

            impl From<$crate::spec::Requested<$config>> for $name {
                fn from(entry: $crate::spec::Requested<$config>) -> Self {
                    Self::$variant(entry)
                }
            }
        )*

        impl From<$crate::spec::UnknownRequested> for $name {
            fn from(other: $crate::spec::UnknownRequested) -> Self {
                Self::Other(other)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = s.serialize_map(None)?;
                map.serialize_entry("type", self.type_name())?;
                match self {
                    $( Self::$variant(entry) => entry.write_config(&mut map)?, )*
                    Self::Other(other) => {
                        if let Some(config) = &other.config {
                            map.serialize_entry("config", config)?;
                        }
                    }
                }
                for (key, value) in self.extra() {
                    if !$crate::spec::entry::is_entry_key(key) {
                        map.serialize_entry(key, value)?;
                    }
                }
                map.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_map($crate::spec::entry::EntryVisitor::<$name>::new())
            }
        }

        impl $crate::request_model::walk::Walk<$crate::spec::ViolationKind> for $name {
            fn walk(&self, cx: &mut $crate::spec::rules::Walker) {
                use $crate::request_model::walk::Walk;
                match self {
                    $( Self::$variant(entry) => Walk::walk(entry, cx), )*
                    Self::Other(other) => Walk::walk(other, cx),
                }
            }
        }
    };
}
