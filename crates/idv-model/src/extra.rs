//! [`Extra`]: the unknown fields of an object and the shape record of its known fields.

use std::fmt;

use serde_json::{Map, Value};

/// The unknown fields of one JSON object, kept so that they are reachable and written back, plus
/// a record of which *known* fields were `null` or absent in the parsed document.
///
/// Every model struct has a public `extra: Extra` field. Unknown keys (fields the API added after
/// this version) are stored here as raw [`serde_json::Value`]s, in any nesting depth:
///
/// ```
/// let session = idv_model::parse_session(
///     br#"{"session_id": "s1", "brand_new_field": {"x": 1}}"#,
/// )
/// .unwrap();
/// assert_eq!(session.extra.get("brand_new_field").unwrap()["x"], 1);
/// ```
///
/// Known optional fields read as `Option<T>` (and lists as `Vec<T>`); `Extra` remembers whether
/// such a field was sent as `null` (or a list was absent) so that serialising gives back the same
/// JSON. Setting a field to a value always writes the value; [`Extra::forget_shape`] drops the
/// record so that `None` fields are omitted and empty lists written as `[]`.
#[derive(Clone, Default, PartialEq)]
pub struct Extra {
    pub(crate) fields: Map<String, Value>,
    /// Bit `i`: known field `i` was `null`.
    pub(crate) nulls: u64,
    /// Bit `i`: known list field `i` was absent.
    pub(crate) absent: u64,
}

impl Extra {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value of an unknown field.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields.get(key)
    }

    /// A mutable reference to the value of an unknown field.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.fields.get_mut(key)
    }

    /// Adds (or replaces) an unknown field; returns the previous value. A key that names a known
    /// field of the struct is ignored when serialising (the typed field wins).
    pub fn insert(&mut self, key: impl Into<String>, value: Value) -> Option<Value> {
        self.fields.insert(key.into(), value)
    }

    /// Removes an unknown field.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.fields.remove(key)
    }

    /// Whether the object had an unknown field `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.fields.contains_key(key)
    }

    /// Number of unknown fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether there are no unknown fields.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Iterates over the unknown fields.
    pub fn iter(&self) -> serde_json::map::Iter<'_> {
        self.fields.iter()
    }

    /// The unknown fields as a JSON map.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.fields
    }

    /// The unknown fields as a mutable JSON map.
    pub fn as_map_mut(&mut self) -> &mut Map<String, Value> {
        &mut self.fields
    }

    /// Whether any known field was sent as `null` (or, for lists, left out).
    pub fn has_shape_record(&self) -> bool {
        self.nulls != 0 || self.absent != 0
    }

    /// Forgets which known fields were `null` or absent: afterwards `None` fields are omitted and
    /// empty lists are written as `[]`.
    pub fn forget_shape(&mut self) {
        self.nulls = 0;
        self.absent = 0;
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.fields.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a Extra {
    type Item = (&'a String, &'a Value);
    type IntoIter = serde_json::map::Iter<'a>;
    fn into_iter(self) -> Self::IntoIter {
        self.fields.iter()
    }
}
