//! Declarative macros that generate the model types.
//!
//! `model!` generates a struct whose fields are all optional (`Option<T>`) or lists (`Vec<T>`),
//! plus an `extra: Extra` field, and hand-written `Serialize`/`Deserialize` impls through the
//! [`crate::de::Model`] trait: a map visitor that matches known keys without allocating, collects
//! unknown keys into `extra`, and records which known keys were `null` or absent so that the
//! document is written back exactly. No `#[serde(flatten)]` (which buffers through serde's
//! `Content` and is slow).
//!
//! `open_enum!` generates an open enum with an `Other(String)` variant that keeps unknown values.

/// The Rust type of a model field.
macro_rules! model_field_ty {
    (opt $ty:ty) => { Option<$ty> };
    (vec $ty:ty) => { Vec<$ty> };
}

/// Reads one known field's value from the map.
macro_rules! model_read_field {
    (opt $ty:ty, $self:ident, $field:ident, $bit:expr, $map:ident) => {
        match $map.next_value_seed($crate::metered::OptionSeed::<$ty>::new())? {
            Some(v) => {
                $self.$field = Some(v);
                $self.extra.nulls &= !$bit;
            }
            None => {
                $self.$field = None;
                $self.extra.nulls |= $bit;
            }
        }
    };
    (vec $ty:ty, $self:ident, $field:ident, $bit:expr, $map:ident) => {
        match $map.next_value_seed($crate::metered::OptionSeed::<Vec<$ty>>::new())? {
            Some(v) => {
                $self.$field = v;
                $self.extra.nulls &= !$bit;
            }
            None => {
                $self.$field = Vec::new();
                $self.extra.nulls |= $bit;
            }
        }
    };
}

/// Writes one known field (or its recorded `null`, or nothing when it was absent).
macro_rules! model_write_field {
    (opt, $self:ident, $field:ident, $key:literal, $bit:expr, $map:ident) => {
        if let Some(v) = &$self.$field {
            $map.serialize_entry($key, v)?;
        } else if $self.extra.nulls & $bit != 0 {
            $map.serialize_entry($key, &())?;
        }
    };
    (vec, $self:ident, $field:ident, $key:literal, $bit:expr, $map:ident) => {
        if !$self.$field.is_empty() {
            $map.serialize_entry($key, &$self.$field)?;
        } else if $self.extra.nulls & $bit != 0 {
            $map.serialize_entry($key, &())?;
        } else if $self.extra.absent & $bit == 0 {
            $map.serialize_entry($key, &$self.$field)?;
        }
    };
}

/// The mask bit of a list field (0 for optional fields).
macro_rules! model_vec_bit {
    (opt, $bit:expr) => {
        0u32
    };
    (vec, $bit:expr) => {
        $bit
    };
}

/// Generates a lossless model struct. See the module documentation.
macro_rules! model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident ($expecting:literal) {
            $(
                $(#[$fmeta:meta])*
                $kind:ident $field:ident : $ty:ty = $key:literal
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq)]
        #[non_exhaustive]
        pub struct $name {
            $(
                $(#[$fmeta])*
                pub $field: model_field_ty!($kind $ty),
            )*
            /// Unknown fields of this object, kept and written back, plus the record of which
            /// known fields were `null` or absent (see [`Extra`](crate::Extra)).
            pub extra: $crate::Extra,
        }

        const _: () = {
            #[allow(non_camel_case_types, dead_code, clippy::upper_case_acronyms)]
            #[derive(Clone, Copy)]
            #[repr(u8)]
            enum __Field {
                $($field,)*
                __Count,
            }
            assert!((__Field::__Count as u32) <= 32, "a model struct has at most 32 fields");

            impl $crate::de::Model for $name {
                const EXPECTING: &'static str = $expecting;
                const VEC_MASK: u32 = 0 $(| model_vec_bit!($kind, 1u32 << (__Field::$field as u32)))*;

                #[inline]
                fn field_index(key: &str) -> Option<u8> {
                    match key {
                        $($key => Some(__Field::$field as u8),)*
                        _ => None,
                    }
                }

                #[inline]
                fn read_field<'de, A: serde::de::MapAccess<'de>>(
                    &mut self,
                    index: u8,
                    map: &mut A,
                ) -> Result<(), A::Error> {
                    $(
                        if index == __Field::$field as u8 {
                            let bit = 1u32 << (__Field::$field as u32);
                            model_read_field!($kind $ty, self, $field, bit, map);
                            return Ok(());
                        }
                    )*
                    // Unreachable for indices returned by `field_index`; skip the value.
                    map.next_value::<serde::de::IgnoredAny>()?;
                    Ok(())
                }

                #[inline]
                fn extra_mut(&mut self) -> &mut $crate::Extra {
                    &mut self.extra
                }
            }

            /// Standalone (at the top, or in a container that does not charge for its slots,
            /// such as serde's `Vec`): the struct charges three times its size, which covers a
            /// doubling buffer holding it, during a reallocation too.
            impl<'de> serde::Deserialize<'de> for $name {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    $crate::budget::charge::<D::Error>(3 * std::mem::size_of::<$name>())?;
                    d.deserialize_map($crate::de::StructVisitor::<$name>::new())
                }
            }

            /// As a field or list element, whose slot the parent has paid for.
            impl $crate::metered::Field for $name {
                #[inline]
                fn read<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    d.deserialize_map($crate::de::StructVisitor::<$name>::new())
                }
            }

            impl serde::Serialize for $name {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    use serde::ser::SerializeMap;
                    let mut map = s.serialize_map(None)?;
                    $(
                        model_write_field!(
                            $kind, self, $field, $key, 1u32 << (__Field::$field as u32), map
                        );
                    )*
                    for (k, v) in self.extra.iter() {
                        if <$name as $crate::de::Model>::field_index(k).is_none() {
                            map.serialize_entry(k, v)?;
                        }
                    }
                    map.end()
                }
            }
        };
    };
}

/// Generates an open enum: known values as unit variants, anything else in `Other(String)`.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $text:literal
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        ///
        /// An open set: a value this version does not know parses into `Other` and is written
        /// back unchanged.
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $(
                $(#[$vmeta])*
                $variant,
            )*
            /// A value not known to this version, kept verbatim.
            Other(String),
        }

        impl $name {
            /// Every known (non-`Other`) value.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),*];

            /// The wire text of this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)*
                    $name::Other(s) => s,
                }
            }

            /// Maps wire text to a value (unknown text gives `Other`).
            pub fn from_wire(text: &str) -> Self {
                match text {
                    $($text => $name::$variant,)*
                    other => $name::Other(other.to_owned()),
                }
            }

            /// Whether this is a value unknown to this version.
            pub fn is_other(&self) -> bool {
                matches!(self, $name::Other(_))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                $name::from_wire(text)
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> Self {
                match text.as_str() {
                    $($text => $name::$variant,)*
                    _ => $name::Other(text),
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Ok($name::from_wire(text))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        const _: () = {
            struct EnumVisitor;

            impl serde::de::Visitor<'_> for EnumVisitor {
                type Value = $name;

                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a string")
                }

                fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$name, E> {
                    let value = $name::from_wire(v);
                    value.charge_other()?;
                    Ok(value)
                }

                fn visit_string<E: serde::de::Error>(self, v: String) -> Result<$name, E> {
                    let value = $name::from(v);
                    value.charge_other()?;
                    Ok(value)
                }
            }

            impl $name {
                /// Charges the memory budget for the text of an unknown value.
                pub(crate) fn charge_other<E: serde::de::Error>(&self) -> Result<(), E> {
                    match self {
                        $name::Other(text) => $crate::budget::charge::<E>(text.capacity()),
                        _ => Ok(()),
                    }
                }
            }

            impl<'de> serde::Deserialize<'de> for $name {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    d.deserialize_str(EnumVisitor)
                }
            }

            impl $crate::metered::Field for $name {
                #[inline]
                fn read<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    d.deserialize_str(EnumVisitor)
                }
            }
        };
    };
}
