//! [`Extra`]: the unknown fields of an object and the shape record of its known fields.

use std::fmt;
use std::sync::OnceLock;

use serde_json::{Map, Value};

/// The map returned by [`Extra::as_map`] when there are no unknown fields.
static EMPTY: OnceLock<Map<String, Value>> = OnceLock::new();

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
#[derive(Clone, Default)]
pub struct Extra {
    /// Boxed and allocated only when there is an unknown field, to keep every model struct small
    /// (parsing moves structs around; smaller is faster).
    fields: Option<Box<Map<String, Value>>>,
    /// Bit `i`: known field `i` was `null`.
    pub(crate) nulls: u32,
    /// Bit `i`: known list field `i` was absent.
    pub(crate) absent: u32,
}

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        self.nulls == other.nulls && self.absent == other.absent && self.as_map() == other.as_map()
    }
}

impl Extra {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value of an unknown field.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields.as_ref()?.get(key)
    }

    /// A mutable reference to the value of an unknown field.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.fields.as_mut()?.get_mut(key)
    }

    /// Adds (or replaces) an unknown field; returns the previous value. A key that names a known
    /// field of the struct is ignored when serialising (the typed field wins).
    pub fn insert(&mut self, key: impl Into<String>, value: Value) -> Option<Value> {
        self.as_map_mut().insert(key.into(), value)
    }

    /// Removes an unknown field.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.fields.as_mut()?.remove(key)
    }

    /// Whether the object had an unknown field `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.fields.as_ref().is_some_and(|m| m.contains_key(key))
    }

    /// Number of unknown fields.
    pub fn len(&self) -> usize {
        self.fields.as_ref().map_or(0, |m| m.len())
    }

    /// Whether there are no unknown fields.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Iterates over the unknown fields.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.into_iter()
    }

    /// The unknown fields as a JSON map.
    pub fn as_map(&self) -> &Map<String, Value> {
        match &self.fields {
            Some(m) => m,
            None => EMPTY.get_or_init(Map::new),
        }
    }

    /// The unknown fields as a mutable JSON map.
    pub fn as_map_mut(&mut self) -> &mut Map<String, Value> {
        self.fields.get_or_insert_with(Default::default)
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
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a Extra {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::iter::Flatten<std::option::IntoIter<&'a Map<String, Value>>>;
    fn into_iter(self) -> Self::IntoIter {
        self.fields.as_deref().into_iter().flatten()
    }
}
