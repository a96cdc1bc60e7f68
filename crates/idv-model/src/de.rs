//! The machinery behind the generated `Deserialize` impls.

use std::fmt;
use std::marker::PhantomData;

use std::mem::size_of;

use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::metered::{self, FieldSeed};
use crate::{Extra, budget};

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

/// A map visitor for any [`Model`]. It charges the memory budget for what the struct allocates
/// (lists, strings, unknown fields), not for the struct itself: that sits in its container's
/// slot (see the `Deserialize` impl in `model!`).
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
                    let extra = out.extra_mut();
                    if extra.is_empty() {
                        // The boxed map is allocated with the first unknown field.
                        budget::charge::<A::Error>(size_of::<Map<String, Value>>())?;
                    }
                    metered::charge_json_map_entry::<A::Error>(extra.len(), &name)?;
                    let value = map.next_value_seed(FieldSeed::<Value>::new())?;
                    extra.as_map_mut().insert(name, value);
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
