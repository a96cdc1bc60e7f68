//! What the property tests of the two request bodies share (`tests/spec_props.rs` and
//! `tests/response_config_props.rs`): JSON leaves and open-enum values, builder helpers,
//! body-shaped JSON documents that know their own unknown keys and values, and the checks of
//! a round trip, of a document read back and of a mutated document.

use std::fmt::Debug;

use idv_model::ParseError;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// 128 cases by default, `PROPTEST_CASES` overrides.
pub fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(128);
    Config {
        cases,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Leaves.

pub fn text() -> BoxedStrategy<String> {
    prop_oneof![
        4 => "[A-Za-z0-9 _:#./-]{0,12}",
        1 => ".{0,6}",
        1 => Just("quote\"back\\slash\u{0}é😀".to_owned()),
    ]
    .boxed()
}

/// A float that reads back exactly from its shortest text form.
pub fn nice_float() -> BoxedStrategy<f64> {
    (-2_000i32..2_000)
        .prop_map(|k| f64::from(k) / 1_000.0)
        .boxed()
}

pub fn any_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        nice_float().prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            prop::collection::btree_map("[a-z]{1,4}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// A free-form object (`tags`, `applicant_profile`, `document_fields`, an unknown config).
pub fn free_object() -> BoxedStrategy<Map<String, Value>> {
    prop::collection::btree_map("[A-Za-z_]{1,8}", any_json(), 0..3)
        .prop_map(|m| m.into_iter().collect())
        .boxed()
}

/// A known value of an open enum, or one this version does not know.
pub fn open<T>(known: &'static [T]) -> BoxedStrategy<T>
where
    T: Clone + Debug + From<String> + 'static,
{
    prop_oneof![
        4 => proptest::sample::select(known),
        1 => "X_[A-Z]{1,6}".prop_map(T::from),
    ]
    .boxed()
}

/// Unknown `x_…` keys for a builder's `extra`.
pub fn extras() -> BoxedStrategy<Vec<(String, Value)>> {
    prop::collection::vec(("x_[a-z]{1,5}", any_json()), 0..2).boxed()
}

pub fn opt<T: Debug + 'static>(s: impl Strategy<Value = T> + 'static) -> BoxedStrategy<Option<T>> {
    proptest::option::weighted(0.6, s).boxed()
}

pub fn list<T: Debug + 'static>(s: impl Strategy<Value = T> + 'static) -> BoxedStrategy<Vec<T>> {
    prop::collection::vec(s, 0..3).boxed()
}

/// Applies each `Some` setter to a builder.
macro_rules! set {
    ($builder:ident, $($value:expr => $setter:ident),* $(,)?) => {
        $( if let Some(v) = $value { $builder = $builder.$setter(v); } )*
    };
}

/// Adds each `(key, value)` to a builder's `extra`.
macro_rules! with_extras {
    ($builder:ident, $extras:expr) => {
        for (key, value) in $extras {
            $builder = $builder.extra(key, value);
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Body-shaped JSON: every key absent, `null` or set, with the unknown keys and values it holds.

/// A JSON value and the paths (relative to it) of its unknown keys and values.
#[derive(Clone, Debug)]
pub struct Doc {
    pub value: Value,
    pub unknown_keys: Vec<String>,
    pub unknown_values: Vec<String>,
}

impl Doc {
    /// A value with nothing unknown in it.
    pub fn plain(value: Value) -> Self {
        Doc {
            value,
            unknown_keys: Vec::new(),
            unknown_values: Vec::new(),
        }
    }
}

pub type D = BoxedStrategy<Doc>;

/// `parent` + `child` (`child` starts with `[` for an index, is empty for the value itself).
pub fn join(parent: &str, child: &str) -> String {
    if child.is_empty() {
        parent.to_owned()
    } else if child.starts_with('[') || parent.is_empty() {
        format!("{parent}{child}")
    } else {
        format!("{parent}.{child}")
    }
}

pub fn leaf_doc(s: impl Strategy<Value = Value> + 'static) -> D {
    s.prop_map(Doc::plain).boxed()
}

pub fn text_doc() -> D {
    leaf_doc(text().prop_map(Value::from))
}

pub fn int_doc() -> D {
    leaf_doc(any::<i64>().prop_map(Value::from))
}

pub fn bool_doc() -> D {
    leaf_doc(any::<bool>().prop_map(Value::from))
}

pub fn free_doc() -> D {
    leaf_doc(free_object().prop_map(Value::Object))
}

/// A known value of an open enum, or an unknown one (reported at the value itself).
pub fn enum_doc(known: &'static [&'static str]) -> D {
    prop_oneof![
        4 => proptest::sample::select(known).prop_map(|t| Doc::plain(Value::from(t))),
        1 => "X_[A-Z]{1,6}".prop_map(|t| Doc {
            value: Value::from(t),
            unknown_keys: Vec::new(),
            unknown_values: vec![String::new()],
        }),
    ]
    .boxed()
}

/// A list of fewer than `max` items.
pub fn list_doc(item: D, max: usize) -> D {
    prop::collection::vec(item, 0..max)
        .prop_map(|items| {
            let mut out = Doc::plain(Value::Array(Vec::new()));
            for (index, item) in items.into_iter().enumerate() {
                let at = format!("[{index}]");
                out.unknown_keys
                    .extend(item.unknown_keys.iter().map(|p| join(&at, p)));
                out.unknown_values
                    .extend(item.unknown_values.iter().map(|p| join(&at, p)));
                if let Value::Array(array) = &mut out.value {
                    array.push(item.value);
                }
            }
            out
        })
        .boxed()
}

/// Sets `key` of the object `out` to `child`, taking over its unknown keys and values.
pub fn insert(out: &mut Doc, key: &str, child: Doc) {
    out.unknown_keys
        .extend(child.unknown_keys.iter().map(|p| join(key, p)));
    out.unknown_values
        .extend(child.unknown_values.iter().map(|p| join(key, p)));
    if let Value::Object(map) = &mut out.value {
        map.insert(key.to_owned(), child.value);
    }
}

/// Adds unknown keys to the object `out` (a repeated key is one key, as in JSON).
pub fn add_unknown(out: &mut Doc, unknown: Vec<(String, Value)>) {
    for (key, value) in unknown {
        if !out.value.as_object().is_some_and(|m| m.contains_key(&key)) {
            out.unknown_keys.push(key.clone());
        }
        insert(out, &key, Doc::plain(value));
    }
}

/// An object whose known keys are each absent, `null` or set, plus unknown `x_…` keys.
pub fn object_doc(fields: Vec<(&'static str, D)>) -> D {
    object_doc_with(fields, "x_[a-z]{1,5}")
}

/// An object whose known keys are each absent, `null` or set, plus unknown keys made by
/// `unknown_key` (reported at their key).
pub fn object_doc_with(fields: Vec<(&'static str, D)>, unknown_key: &'static str) -> D {
    let known: Vec<_> = fields
        .into_iter()
        .map(|(key, child)| {
            prop_oneof![
                3 => Just(None),
                1 => Just(Some((key, Doc::plain(Value::Null)))),
                6 => child.prop_map(move |d| Some((key, d))),
            ]
        })
        .collect();
    let unknown = prop::collection::vec((unknown_key, any_json()), 0..2);
    (known, unknown)
        .prop_map(|(known, unknown)| {
            let mut out = Doc::plain(Value::Object(Map::new()));
            for (key, child) in known.into_iter().flatten() {
                insert(&mut out, key, child);
            }
            add_unknown(&mut out, unknown);
            out
        })
        .boxed()
}

// ---------------------------------------------------------------------------------------------
// Checks.

/// How a body is read from JSON text (`SessionSpec::from_slice`, `ResponseConfig::from_slice`).
pub type Parse<T> = fn(&[u8]) -> Result<T, ParseError>;

pub fn sorted(mut paths: Vec<String>) -> Vec<String> {
    paths.sort();
    paths
}

/// A body → JSON (value and text) → body is the identity; returns the body read from text.
pub fn round_trips<T>(body: &T, parse: Parse<T>) -> Result<T, TestCaseError>
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let value = serde_json::to_value(body).unwrap();
    let from_value: T = serde_json::from_value(value.clone()).unwrap();
    prop_assert_eq!(&from_value, body);
    let text = serde_json::to_vec(body).unwrap();
    let from_text = parse(&text).unwrap();
    prop_assert_eq!(&from_text, body);
    // The text and the value agree, and the body read back writes the same value.
    prop_assert_eq!(
        serde_json::from_slice::<Value>(&text).unwrap(),
        value.clone()
    );
    prop_assert_eq!(serde_json::to_value(&from_text).unwrap(), value);
    Ok(from_text)
}

/// Reads a body-shaped document, which must write back as the same JSON value.
pub fn reads_back<T: Serialize>(doc: &Doc, parse: Parse<T>) -> Result<T, TestCaseError> {
    let text = serde_json::to_vec(&doc.value).unwrap();
    let body = parse(&text).unwrap();
    prop_assert_eq!(serde_json::to_value(&body).unwrap(), doc.value.clone());
    Ok(body)
}

/// The JSON pointer of every node of `value`, the root (`""`) included.
pub fn pointers(value: &Value) -> Vec<String> {
    fn walk(value: &Value, at: String, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let escaped = key.replace('~', "~0").replace('/', "~1");
                    walk(child, format!("{at}/{escaped}"), out);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    walk(child, format!("{at}/{index}"), out);
                }
            }
            _ => {}
        }
        out.push(at);
    }
    let mut out = Vec::new();
    walk(value, String::new(), &mut out);
    out
}

/// `value` with the node `pick` chooses (any node, the root included) replaced.
pub fn mutated(mut value: Value, pick: &prop::sample::Index, replacement: Value) -> Value {
    let all = pointers(&value);
    let pointer = pick.get(&all);
    match value.pointer_mut(pointer) {
        Some(node) => *node = replacement,
        None => unreachable!("every listed pointer exists"),
    }
    value
}

/// Any document parses (and then writes back exactly) or fails with an error naming a JSON
/// path; never a panic. Returns what parsed.
pub fn parses_back_or_names_a_path<T: Serialize>(
    value: &Value,
    parse: Parse<T>,
) -> Result<Option<T>, TestCaseError> {
    let text = serde_json::to_vec(value).unwrap();
    match parse(&text) {
        Ok(body) => {
            prop_assert_eq!(&serde_json::to_value(&body).unwrap(), value);
            Ok(Some(body))
        }
        Err(err) => {
            prop_assert!(!err.path().is_empty());
            Ok(None)
        }
    }
}
