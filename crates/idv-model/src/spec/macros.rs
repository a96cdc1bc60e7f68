//! Macros that generate the specification types.
//!
//! `spec_model!` wraps the crate's `model!` (lossless serde, unknown keys kept in `extra`) and
//! adds a builder (one setter per key, plus `extra`) and the [`Walk`](super::walk::Walk) impl that
//! reports unknown keys and runs the type's [`Rules`](super::walk::Rules).
//!
//! `requested_enum!` generates the `{type, config}` entries of `requested_checks` and
//! `requested_tasks`: one variant per known type, with that type's config, plus `Other`.

/// The Rust type of a specification field (inside the `Option` that `model!` adds).
macro_rules! spec_field_ty {
    (one $ty:ty) => { $ty };
    (list $ty:ty) => { Vec<$ty> };
    (manual $ty:ty) => { $ty };
}

/// One generated builder setter (`manual`: the setter is written by hand).
macro_rules! spec_setter {
    (one $field:ident : $ty:ty = $key:literal) => {
        #[doc = concat!("Sets `", $key, "`.")]
        #[must_use]
        pub fn $field(mut self, value: impl Into<$ty>) -> Self {
            self.inner.$field = Some(value.into());
            self
        }
    };
    (list $field:ident : $ty:ty = $key:literal) => {
        #[doc = concat!("Sets `", $key, "` to these items, in order (an empty list is sent as `[]`).")]
        #[must_use]
        pub fn $field<I>(mut self, items: I) -> Self
        where
            I: IntoIterator,
            I::Item: Into<$ty>,
        {
            self.inner.$field = Some(items.into_iter().map(Into::into).collect());
            self
        }
    };
    (manual $field:ident : $ty:ty = $key:literal) => {};
}

/// Generates a specification struct, its builder and its walk. See the module documentation.
macro_rules! spec_model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident / $builder:ident ($expecting:literal) {
            $(
                $(#[$fmeta:meta])*
                $kind:ident $field:ident : $ty:ty = $key:literal
            ),* $(,)?
        }
    ) => {
        model! {
            $(#[$meta])*
            pub struct $name ($expecting) {
                $(
                    $(#[$fmeta])*
                    opt $field: spec_field_ty!($kind $ty) = $key,
                )*
            }
        }

        #[doc = concat!(
            "A builder for [`", stringify!($name), "`]: each setter sets one key (keys never set ",
            "are not sent; `false`, `0` and `[]` are); [`", stringify!($builder), "::extra`] adds ",
            "a key this version does not model. Builders convert into their value with `into()`, ",
            "so a setter that takes a value also takes its builder."
        )]
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct $builder {
            inner: $name,
        }

        impl $name {
            /// A builder with nothing set.
            pub fn builder() -> $builder {
                $builder::default()
            }

            /// A builder holding this value, to change it.
            pub fn into_builder(self) -> $builder {
                $builder { inner: self }
            }
        }

        impl $builder {
            $( spec_setter!($kind $field : $ty = $key); )*

            /// Adds a key this version does not model, sent as given. A key that names a
            /// modelled field is never sent (the field wins) and validation reports it.
            #[must_use]
            pub fn extra(mut self, key: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
                self.inner.extra.insert(key, value.into());
                self
            }
        }

        impl From<$builder> for $name {
            fn from(builder: $builder) -> Self {
                builder.inner
            }
        }

        impl $crate::spec::walk::Walk for $name {
            fn walk(&self, cx: &mut $crate::spec::walk::Walker) {
                <$name as $crate::spec::walk::Rules>::rules(self, cx);
                $( cx.field($key, &self.$field); )*
                cx.extras(&self.extra, |key| {
                    <$name as $crate::de::Model>::field_index(key).is_some()
                });
            }
        }
    };
}

/// An infallible `build()` for nested builders (the whole specification is validated at once,
/// so that every error names its full JSON path).
macro_rules! spec_build {
    ($($builder:ident => $name:ident),* $(,)?) => {
        $(
            impl $builder {
                #[doc = concat!(
                    "The [`", stringify!($name), "`]. Nothing is checked here: the whole ",
                    "specification is validated by [`SessionSpecBuilder::build`]",
                    "(crate::spec::SessionSpecBuilder::build) or [`SessionSpec::validate`]",
                    "(crate::spec::SessionSpec::validate), whose errors name full JSON paths."
                )]
                pub fn build(self) -> $name {
                    self.inner
                }
            }
        )*
    };
}

/// Implements `Walk` for open enums: an unknown value is reported, an empty one is invalid.
macro_rules! walk_open_enum {
    ($($ty:ty),* $(,)?) => {
        $(
            impl $crate::spec::walk::Walk for $ty {
                fn walk(&self, cx: &mut $crate::spec::walk::Walker) {
                    if let Self::Other(text) = self {
                        if text.is_empty() {
                            cx.violation_here($crate::spec::ViolationKind::Empty);
                        } else {
                            cx.unknown_value();
                        }
                    }
                }
            }
        )*
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

        impl $crate::spec::walk::Walk for $name {
            fn walk(&self, cx: &mut $crate::spec::walk::Walker) {
                match self {
                    $( Self::$variant(entry) => $crate::spec::walk::Walk::walk(entry, cx), )*
                    Self::Other(other) => $crate::spec::walk::Walk::walk(other, cx),
                }
            }
        }
    };
}
