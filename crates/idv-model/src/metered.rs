//! Deserialising the fields of the model types while charging the memory budget
//! ([`crate::budget`]) for what they allocate.
//!
//! Every field type implements [`Field`]: read a value that will be stored *inline* (in an
//! `Option` field of its parent, or in a list buffer that is charged separately) and charge its
//! heap. The parts that can grow without bound in proportion to few document bytes are charged
//! before they grow: list buffers (at each doubling, old and new buffer both, as a reallocation
//! holds both), maps (a B-tree node per five entries), boxed structs. Strings are charged once
//! read: a string never needs more bytes than it took in the document.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::mem::size_of;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::budget::{charge, refund};
use crate::{ClientSessionToken, Secret, Timestamp};

/// A field type, read with its heap charged. The value's own size is not charged: it sits in a
/// slot its container has paid for.
pub(crate) trait Field: Sized {
    /// Reads one value.
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

/// Reads a `T` through [`Field::read`].
pub(crate) struct FieldSeed<T>(PhantomData<fn() -> T>);

impl<T> FieldSeed<T> {
    pub(crate) fn new() -> Self {
        FieldSeed(PhantomData)
    }
}

impl<'de, T: Field> DeserializeSeed<'de> for FieldSeed<T> {
    type Value = T;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::read(d)
    }
}

/// Reads `null` as `None`, anything else as `Some(T)` through [`Field::read`].
pub(crate) struct OptionSeed<T>(PhantomData<fn() -> T>);

impl<T> OptionSeed<T> {
    pub(crate) fn new() -> Self {
        OptionSeed(PhantomData)
    }
}

impl<'de, T: Field> DeserializeSeed<'de> for OptionSeed<T> {
    type Value = Option<T>;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, T: Field> Visitor<'de> for OptionSeed<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("option")
    }

    fn visit_none<E: Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    fn visit_unit<E: Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }

    #[inline]
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        T::read(d).map(Some)
    }
}

/// Implements [`Field`] by the type's own `Deserialize`, charging `heap` of the value read.
macro_rules! field_by_deserialize {
    ($($ty:ty => |$v:ident| $heap:expr;)*) => {$(
        impl Field for $ty {
            #[inline]
            fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let $v = <$ty>::deserialize(d)?;
                charge::<D::Error>($heap)?;
                Ok($v)
            }
        }
    )*};
}

field_by_deserialize! {
    String => |v| v.capacity();
    Timestamp => |v| v.as_str().len();
    ClientSessionToken => |v| v.expose_secret().len();
    Secret => |v| v.expose_secret().len();
    bool => |_v| 0;
    i64 => |_v| 0;
    Number => |_v| 0;
}

// The specification's check and task entries (`{type, config}`) deserialise themselves: their
// configs are small, fixed-shape objects. A specification comes from the integrator (a file,
// a request they build), not from a server, and is bounded by its size limit; its unknown
// keys still go through the metered `Value` reader.
field_by_deserialize! {
    crate::spec::RequestedCheck => |_v| 0;
    crate::spec::RequestedTask => |_v| 0;
}

/// A JSON object kept as is (the applicant profile of a specification), charged like an unknown
/// field's value.
impl Field for Map<String, Value> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ObjectVisitor;

        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = Map<String, Value>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                match read_json_object(map)? {
                    Value::Object(m) => Ok(m),
                    _ => Err(A::Error::custom("expected a JSON object")),
                }
            }
        }

        d.deserialize_map(ObjectVisitor)
    }
}

impl<T: Field> Field for Box<T> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        charge::<D::Error>(size_of::<T>())?;
        T::read(d).map(Box::new)
    }
}

impl<T: Field> Field for Vec<T> {
    #[inline]
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_seq(VecVisitor(PhantomData))
    }
}

/// Reads a list, charging its buffer as it grows.
struct VecVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Field> Visitor<'de> for VecVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Vec<T>, A::Error> {
        read_list(seq, FieldSeed::<T>::new)
    }
}

/// Reads the elements of a list with fresh `seed`s into a `Vec` whose buffer is charged before
/// it grows: doubling capacity (4 first), both buffers charged during the move.
fn read_list<'de, A, S>(mut seq: A, seed: impl Fn() -> S) -> Result<Vec<S::Value>, A::Error>
where
    A: SeqAccess<'de>,
    S: DeserializeSeed<'de>,
{
    let slot = size_of::<S::Value>();
    let mut out: Vec<S::Value> = Vec::new();
    while let Some(value) = seq.next_element_seed(seed())? {
        if out.len() == out.capacity() {
            let old = out.capacity();
            let new = old.saturating_mul(2).max(4);
            charge::<A::Error>(new.saturating_mul(slot))?;
            out.reserve_exact(new - out.len());
            // The allocator may round up; what Vec reports is what it holds.
            charge::<A::Error>((out.capacity() - new).saturating_mul(slot))?;
            refund(old.saturating_mul(slot));
        }
        out.push(value);
    }
    Ok(out)
}

/// Whether serde_json's `Map` is a `BTreeMap` (its default; `preserve_order` makes it an
/// `IndexMap`, whose entries cost differently).
const JSON_MAP_IS_BTREE: bool =
    size_of::<Map<String, Value>>() == size_of::<BTreeMap<String, Value>>();

/// The bytes to charge before inserting entry number `entries_before + 1` (of `entry_size`
/// bytes of key and value) into a map.
///
/// A `BTreeMap` node holds up to 11 entries and, except the root, at least 5: `n` entries need
/// at most ⌈n / 5⌉ nodes, so one node (of the larger, internal kind) is charged at every fifth
/// entry. An `IndexMap` keeps a doubling entry vector (up to 3 × each entry during growth, plus
/// the hash) and an index table.
fn map_entry_charge(entries_before: usize, entry_size: usize, btree: bool) -> usize {
    let word = size_of::<usize>();
    if btree {
        if entries_before.is_multiple_of(5) {
            2 * word + 11 * entry_size + 12 * word
        } else {
            0
        }
    } else {
        3 * (entry_size + word) + 2 * word
    }
}

/// Charges one new entry of a JSON map holding `entries_before` entries, with its key's heap.
pub(crate) fn charge_json_map_entry<E: Error>(entries_before: usize, key: &str) -> Result<(), E> {
    let entry = size_of::<(String, Value)>();
    charge::<E>(
        map_entry_charge(entries_before, entry, JSON_MAP_IS_BTREE).saturating_add(key.len()),
    )
}

/// The key under which serde_json hands over a number as text when its `arbitrary_precision`
/// feature is on (some crate in a build may turn it on).
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Reads the entries of a JSON object into a map, charging them.
pub(crate) fn read_json_map<'de, A: MapAccess<'de>>(
    access: A,
) -> Result<Map<String, Value>, A::Error> {
    match read_json_object(access)? {
        Value::Object(map) => Ok(map),
        _ => Err(A::Error::custom("expected an object, found a number")),
    }
}

/// Reads a JSON object, or a number that serde_json hands over as one.
fn read_json_object<'de, A: MapAccess<'de>>(mut access: A) -> Result<Value, A::Error> {
    let mut map = Map::new();
    while let Some(key) = access.next_key::<String>()? {
        if map.is_empty() && key == NUMBER_TOKEN {
            let text: String = access.next_value()?;
            let number = text.parse::<Number>().map_err(A::Error::custom)?;
            return Ok(Value::Number(number));
        }
        charge_json_map_entry::<A::Error>(map.len(), &key)?;
        let value = access.next_value_seed(FieldSeed::<Value>::new())?;
        map.insert(key, value);
    }
    Ok(Value::Object(map))
}

impl Field for Value {
    #[inline]
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JsonValueVisitor)
    }
}

/// Builds a `serde_json::Value` (an unknown field's value), charging its strings, arrays and
/// objects.
struct JsonValueVisitor;

impl<'de> Visitor<'de> for JsonValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E: Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E: Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E: Error>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<Value, E> {
        charge::<E>(v.len())?;
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: Error>(self, v: String) -> Result<Value, E> {
        charge::<E>(v.capacity())?;
        Ok(Value::String(v))
    }

    fn visit_none<E: Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E: Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::read(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Value, A::Error> {
        read_list(seq, FieldSeed::<Value>::new).map(Value::Array)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value, A::Error> {
        read_json_object(map)
    }
}

impl Field for BTreeMap<String, i64> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct CountsVisitor;

        impl<'de> Visitor<'de> for CountsVisitor {
            type Value = BTreeMap<String, i64>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let entry = size_of::<(String, i64)>();
                let mut map = BTreeMap::new();
                while let Some(key) = access.next_key::<String>()? {
                    let cost = map_entry_charge(map.len(), entry, true);
                    charge::<A::Error>(cost.saturating_add(key.len()))?;
                    let value: i64 = access.next_value()?;
                    map.insert(key, value);
                }
                Ok(map)
            }
        }

        d.deserialize_map(CountsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::value::{Error as ValueError, MapDeserializer};

    #[test]
    fn numbers_handed_over_as_text_become_numbers() {
        // What serde_json does for every number with `arbitrary_precision` on.
        let entries = [(NUMBER_TOKEN, "12.50")];
        let d = MapDeserializer::<_, ValueError>::new(entries.into_iter());
        let value = d.deserialize_map(JsonValueVisitor).unwrap();
        assert_eq!(value, serde_json::json!(12.5));
        let plain = [("a", "b")];
        let d = MapDeserializer::<_, ValueError>::new(plain.into_iter());
        assert_eq!(
            d.deserialize_map(JsonValueVisitor).unwrap(),
            serde_json::json!({"a": "b"})
        );
    }

    #[test]
    fn btree_charge_covers_the_nodes_std_allocates() {
        // ⌈n/5⌉ nodes for n entries, at least one node for the first entry.
        let node = map_entry_charge(0, 56, true);
        assert!(node >= 11 * 56);
        let total = |n: usize| (0..n).map(|i| map_entry_charge(i, 56, true)).sum::<usize>();
        assert_eq!(total(1), node);
        assert_eq!(total(5), node);
        assert_eq!(total(6), 2 * node);
        assert_eq!(total(1000), 200 * node);
        assert!(map_entry_charge(3, 56, false) > 56);
    }
}
