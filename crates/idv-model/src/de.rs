//! The machinery behind the generated `Deserialize` impls.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde_json::Value;

use crate::Extra;

/// Implemented by every struct generated with `model!`.
pub(crate) trait Model: Default {
    /// What the visitor expects, for error messages (`"an object"`).
    const EXPECTING: &'static str;
    /// Bits of the fields that are lists (`Vec<T>`).
    const VEC_MASK: u32;
    /// The index of a known key.
    fn field_index(key: &str) -> Option<u8>;
    /// Reads the value of known field `index`.
    fn read_field<'de, A: MapAccess<'de>>(
        &mut self,
        index: u8,
        map: &mut A,
    ) -> Result<(), A::Error>;
    /// The unknown-field store.
    fn extra_mut(&mut self) -> &mut Extra;
}

/// A map visitor for any [`Model`].
pub(crate) struct StructVisitor<T>(PhantomData<fn() -> T>);

impl<T> StructVisitor<T> {
    pub(crate) fn new() -> Self {
        StructVisitor(PhantomData)
    }
}

impl<'de, T: Model> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut out = T::default();
        let mut seen = 0u32;
        while let Some(key) = map.next_key_seed(KeySeed::<T>(PhantomData))? {
            match key {
                Key::Known(index) => {
                    seen |= 1u32 << index;
                    out.read_field(index, &mut map)?;
                }
                Key::Unknown(name) => {
                    let value: Value = map.next_value()?;
                    out.extra_mut().as_map_mut().insert(name, value);
                }
            }
        }
        out.extra_mut().absent = T::VEC_MASK & !seen;
        Ok(out)
    }
}

enum Key {
    Known(u8),
    Unknown(String),
}

struct KeySeed<T>(PhantomData<fn() -> T>);

impl<'de, T: Model> DeserializeSeed<'de> for KeySeed<T> {
    type Value = Key;

    #[inline]
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl<T: Model> Visitor<'_> for KeySeed<T> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    #[inline]
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(match T::field_index(v) {
            Some(i) => Key::Known(i),
            None => Key::Unknown(v.to_owned()),
        })
    }

    #[inline]
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Key, E> {
        Ok(match T::field_index(&v) {
            Some(i) => Key::Known(i),
            None => Key::Unknown(v),
        })
    }
}
