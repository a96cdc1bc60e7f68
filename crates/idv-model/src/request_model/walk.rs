//! One walk over a request body that finds unknown keys, unknown enum values and violations of
//! the documented rules, each with its JSON path; and the rules both bodies have.
//!
//! The walker is generic over the body's kinds of violation (`K`); a rule only one body has is
//! an inherent method of that body's walker (`Walker<ViolationKind>` in `spec::rules`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Map, Number, Value};

use crate::violations::{Violation, Violations};
use crate::{
    BreakdownResult, Extra, LivenessType, MatchingStrategyType, RecommendationValue, Secret,
    Timestamp, WatchlistSearchType, WatchlistSourcesType,
};

/// A body's kinds of violation, as the walker needs them: the kinds of the rules every body
/// has, and what its error calls the body.
pub(crate) trait RuleKinds: Sized {
    /// What the error's `Display` calls the body: `invalid {SUBJECT}: …`.
    const SUBJECT: &'static str;
    /// A required key is absent or `null`.
    const MISSING: Self;
    /// A string (or enum value) that must not be empty is empty.
    const EMPTY: Self;
    /// A number that must not be negative is.
    const NEGATIVE: Self;
    /// Not a three-letter ISO 3166-1 alpha-3 country code.
    const INVALID_COUNTRY_CODE: Self;
    /// An extra key that names a modelled field (its value is never sent).
    const SHADOWED_EXTRA: Self;
}

/// A value of a request body that can be walked.
pub(crate) trait Walk<K> {
    /// Reports this value's unknown keys and values and its violations (its path is the
    /// walker's current path), then walks its children.
    fn walk(&self, cx: &mut Walker<K>);
}

/// The documented rules of one struct (checked on the struct itself; its fields' own rules run
/// when they are walked).
pub(crate) trait Rules<K> {
    /// Records each violation of this struct's rules.
    fn rules(&self, _cx: &mut Walker<K>) {}
}

/// One step of a JSON path. Keys are the model's own (static) names; keys taken from a
/// document are formatted straight into a report.
#[derive(Clone, Copy)]
enum Segment {
    Key(&'static str),
    Index(usize),
}

/// The walk's position and findings.
pub(crate) struct Walker<K> {
    path: Vec<Segment>,
    pub(crate) unknown_keys: Vec<String>,
    pub(crate) unknown_values: Vec<String>,
    violations: Vec<Violation<K>>,
}

impl<K: RuleKinds> Walker<K> {
    /// Walks `value` from its root.
    pub(crate) fn run<T: Walk<K> + ?Sized>(value: &T) -> Self {
        let mut cx = Walker {
            path: Vec::new(),
            unknown_keys: Vec::new(),
            unknown_values: Vec::new(),
            violations: Vec::new(),
        };
        value.walk(&mut cx);
        cx
    }

    /// Walks `value` from its root and returns every violation, with paths relative to it.
    pub(crate) fn validate<T: Walk<K> + ?Sized>(value: &T) -> Result<(), Violations<K>> {
        Violations::from_violations(K::SUBJECT, Self::run(value).violations).map_or(Ok(()), Err)
    }

    /// Walks `value` as the field `key` of the current object.
    pub(crate) fn field<T: Walk<K> + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.within(key, |cx| value.walk(cx));
    }

    /// Runs `f` with the path moved into field `key` of the current object.
    pub(crate) fn within(&mut self, key: &'static str, f: impl FnOnce(&mut Self)) {
        self.path.push(Segment::Key(key));
        f(self);
        self.path.pop();
    }

    /// Runs `f` with the path moved into field `key`, and into its item `index` if it is a list.
    pub(crate) fn within_entry(
        &mut self,
        key: &'static str,
        index: Option<usize>,
        f: impl FnOnce(&mut Self),
    ) {
        self.within(key, |cx| match index {
            Some(index) => {
                cx.path.push(Segment::Index(index));
                f(cx);
                cx.path.pop();
            }
            None => f(cx),
        });
    }

    /// Reports the keys of `extra`: unknown ones as unknown, those naming a modelled field
    /// (`is_known`) as violations (such a value is never sent).
    pub(crate) fn extras(&mut self, extra: &Extra, is_known: impl Fn(&str) -> bool) {
        for (key, _) in extra {
            let path = self.path_with_key(key);
            if is_known(key) {
                self.violations
                    .push(Violation::new(path, K::SHADOWED_EXTRA));
            } else {
                self.unknown_keys.push(path);
            }
        }
    }

    /// Reports the keys of a free object under `key` (e.g. the config of an unknown check
    /// type) as unknown.
    pub(crate) fn unknown_object_keys(&mut self, key: &'static str, object: &Map<String, Value>) {
        self.path.push(Segment::Key(key));
        for name in object.keys() {
            let path = self.path_with_key(name);
            self.unknown_keys.push(path);
        }
        self.path.pop();
    }

    /// Reports the value at the current path as one this version does not know.
    pub(crate) fn unknown_value(&mut self) {
        let path = self.path_string();
        self.unknown_values.push(path);
    }

    /// An open enum's text this version does not know: reported as an unknown value, or as
    /// invalid when empty.
    pub(crate) fn other_value(&mut self, text: &str) {
        if text.is_empty() {
            self.violation_here(K::EMPTY);
        } else {
            self.unknown_value();
        }
    }

    /// Records a violation at the current path.
    pub(crate) fn violation_here(&mut self, kind: K) {
        let path = self.path_string();
        self.violations.push(Violation::new(path, kind));
    }

    /// Records a violation of field `key` of the current object.
    pub(crate) fn violation(&mut self, key: &'static str, kind: K) {
        self.within(key, |cx| cx.violation_here(kind));
    }

    /// Records a violation of item `index` of the list field `key`.
    pub(crate) fn item_violation(&mut self, key: &'static str, index: usize, kind: K) {
        self.within_entry(key, Some(index), |cx| cx.violation_here(kind));
    }

    /// Records a violation of the entry `name` (a key taken from the document) of the map
    /// field `key`.
    pub(crate) fn map_entry_violation(&mut self, key: &'static str, name: &str, kind: K) {
        self.path.push(Segment::Key(key));
        let path = self.path_with_key(name);
        self.path.pop();
        self.violations.push(Violation::new(path, kind));
    }

    // Rule helpers, named after what they require.

    /// `key` must be present (not absent, not `null`).
    pub(crate) fn required<T>(&mut self, key: &'static str, value: &Option<T>) {
        if value.is_none() {
            self.violation(key, K::MISSING);
        }
    }

    /// `key`, if set, must not be an empty string.
    pub(crate) fn not_empty(&mut self, key: &'static str, value: &Option<String>) {
        if value.as_deref().is_some_and(str::is_empty) {
            self.violation(key, K::EMPTY);
        }
    }

    /// `key` must be present and not an empty string.
    pub(crate) fn required_text(&mut self, key: &'static str, value: &Option<String>) {
        self.required(key, value);
        self.not_empty(key, value);
    }

    /// `key`, if set, must not be negative.
    pub(crate) fn not_negative(&mut self, key: &'static str, value: Option<i64>) {
        if value.is_some_and(|v| v < 0) {
            self.violation(key, K::NEGATIVE);
        }
    }

    /// `key`, if set, must be a country code.
    pub(crate) fn country_code(&mut self, key: &'static str, value: &Option<String>) {
        if value.as_deref().is_some_and(|v| !is_country_code(v)) {
            self.violation(key, K::INVALID_COUNTRY_CODE);
        }
    }

    /// Every item of the list `key` must be a country code.
    pub(crate) fn country_codes(&mut self, key: &'static str, value: &Option<Vec<String>>) {
        for (index, code) in value.iter().flatten().enumerate() {
            if !is_country_code(code) {
                self.item_violation(key, index, K::INVALID_COUNTRY_CODE);
            }
        }
    }

    /// No item of the list `key` may be an empty string.
    pub(crate) fn no_empty_items(&mut self, key: &'static str, value: &Option<Vec<String>>) {
        for (index, item) in value.iter().flatten().enumerate() {
            if item.is_empty() {
                self.item_violation(key, index, K::EMPTY);
            }
        }
    }

    fn path_string(&self) -> String {
        let mut out = String::new();
        for segment in &self.path {
            match *segment {
                Segment::Key(key) => push_key(&mut out, key),
                Segment::Index(index) => {
                    let _ = write!(out, "[{index}]");
                }
            }
        }
        out
    }

    fn path_with_key(&self, key: &str) -> String {
        let mut out = self.path_string();
        push_key(&mut out, key);
        out
    }
}

/// Appends `.key` (or `key` at the root), or `["key"]` for a key that is not a plain name
/// (so that a key holding `.` or `[` cannot make a path ambiguous).
pub(crate) fn push_key(out: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if plain {
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(key);
    } else {
        out.push('[');
        out.push_str(&Value::from(key).to_string());
        out.push(']');
    }
}

/// Three ASCII letters (an ISO 3166-1 alpha-3 code such as `GBR`, as the API uses).
pub(crate) fn is_country_code(text: &str) -> bool {
    text.len() == 3 && text.bytes().all(|b| b.is_ascii_alphabetic())
}

impl<K, T: Walk<K>> Walk<K> for Option<T> {
    fn walk(&self, cx: &mut Walker<K>) {
        if let Some(value) = self {
            value.walk(cx);
        }
    }
}

impl<K, T: Walk<K>> Walk<K> for Vec<T> {
    fn walk(&self, cx: &mut Walker<K>) {
        for (index, item) in self.iter().enumerate() {
            cx.path.push(Segment::Index(index));
            item.walk(cx);
            cx.path.pop();
        }
    }
}

/// Values with no keys of their own; free-form objects (`subject`-like maps, `tags`,
/// `applicant_profile`, `document_fields`) are passed through as they are, so their keys are
/// not "unknown".
macro_rules! walk_leaf {
    ($($ty:ty),* $(,)?) => {
        $( impl<K> Walk<K> for $ty { fn walk(&self, _cx: &mut Walker<K>) {} } )*
    };
}

walk_leaf!(
    String,
    bool,
    i64,
    Number,
    Value,
    Timestamp,
    Secret,
    Map<String, Value>,
    BTreeMap<String, i64>,
);

// The crate's open enums that the request bodies share with the responses.
walk_open_enum!(
    LivenessType,
    WatchlistSearchType,
    WatchlistSourcesType,
    MatchingStrategyType,
    RecommendationValue,
    BreakdownResult,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_codes() {
        assert!(is_country_code("GBR") && is_country_code("usa"));
        assert!(!is_country_code("GB") && !is_country_code("GBR1") && !is_country_code("G1R"));
        assert!(!is_country_code("ÅÅ"));
    }

    #[test]
    fn paths_quote_keys_that_are_not_names() {
        let mut out = String::new();
        push_key(&mut out, "sdk_config");
        push_key(&mut out, "ID_DOCUMENT_TEXT_DATA_EXTRACTION");
        push_key(&mut out, "a.b");
        push_key(&mut out, "");
        assert_eq!(
            out,
            r#"sdk_config.ID_DOCUMENT_TEXT_DATA_EXTRACTION["a.b"][""]"#
        );
        let mut out = String::new();
        push_key(&mut out, "check_reports");
        push_key(&mut out, "LIVENESS");
        push_key(&mut out, "a.b");
        push_key(&mut out, "");
        assert_eq!(out, r#"check_reports.LIVENESS["a.b"][""]"#);
    }
}
