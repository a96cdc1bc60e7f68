//! One walk over a specification that finds unknown keys, unknown enum values and violations
//! of the documented rules, each with its JSON path.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Map, Number, Value};

use crate::spec::{SpecViolation, ViolationKind};
use crate::{Extra, Secret, Timestamp};

/// A value of the specification tree that can be walked.
pub(crate) trait Walk {
    /// Reports this value's unknown keys and values and its violations (its path is the
    /// walker's current path), then walks its children.
    fn walk(&self, cx: &mut Walker);
}

/// The documented rules of one struct (checked on the struct itself; its fields' own rules run
/// when they are walked).
pub(crate) trait Rules {
    /// Records each violation of this struct's rules.
    fn rules(&self, _cx: &mut Walker) {}
}

/// One step of a JSON path. Keys are the model's own (static) names; keys taken from a
/// document are formatted straight into a report.
#[derive(Clone, Copy)]
enum Segment {
    Key(&'static str),
    Index(usize),
}

/// The walk's position and findings.
#[derive(Default)]
pub(crate) struct Walker {
    path: Vec<Segment>,
    pub(crate) unknown_keys: Vec<String>,
    pub(crate) unknown_values: Vec<String>,
    pub(crate) violations: Vec<SpecViolation>,
}

impl Walker {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Walks `value` as the field `key` of the current object.
    pub(crate) fn field<T: Walk + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.path.push(Segment::Key(key));
        value.walk(self);
        self.path.pop();
    }

    /// Reports the keys of `extra`: unknown ones as unknown, those naming a modelled field
    /// (`is_known`) as violations (such a value is never sent).
    pub(crate) fn extras(&mut self, extra: &Extra, is_known: impl Fn(&str) -> bool) {
        for (key, _) in extra {
            let path = self.path_with_key(key);
            if is_known(key) {
                self.violations
                    .push(SpecViolation::new(path, ViolationKind::ShadowedExtra));
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

    /// Records a violation at the current path.
    pub(crate) fn violation_here(&mut self, kind: ViolationKind) {
        let path = self.path_string();
        self.violations.push(SpecViolation::new(path, kind));
    }

    /// Records a violation of field `key` of the current object.
    pub(crate) fn violation(&mut self, key: &'static str, kind: ViolationKind) {
        self.path.push(Segment::Key(key));
        self.violation_here(kind);
        self.path.pop();
    }

    /// Records a violation of item `index` of the list field `key`.
    pub(crate) fn item_violation(&mut self, key: &'static str, index: usize, kind: ViolationKind) {
        self.path.push(Segment::Key(key));
        self.path.push(Segment::Index(index));
        self.violation_here(kind);
        self.path.pop();
        self.path.pop();
    }

    /// Records a violation of the entry `name` (a key taken from the document) of the map
    /// field `key`.
    pub(crate) fn map_entry_violation(
        &mut self,
        key: &'static str,
        name: &str,
        kind: ViolationKind,
    ) {
        self.path.push(Segment::Key(key));
        let path = self.path_with_key(name);
        self.path.pop();
        self.violations.push(SpecViolation::new(path, kind));
    }

    // Rule helpers, named after what they require.

    /// `key` must be present (not absent, not `null`).
    pub(crate) fn required<T>(&mut self, key: &'static str, value: &Option<T>) {
        if value.is_none() {
            self.violation(key, ViolationKind::Missing);
        }
    }

    /// `key`, if set, must not be an empty string.
    pub(crate) fn not_empty(&mut self, key: &'static str, value: &Option<String>) {
        if value.as_deref().is_some_and(str::is_empty) {
            self.violation(key, ViolationKind::Empty);
        }
    }

    /// `key` must be present and not an empty string.
    pub(crate) fn required_text(&mut self, key: &'static str, value: &Option<String>) {
        self.required(key, value);
        self.not_empty(key, value);
    }

    /// `key`, if set, must be greater than zero.
    pub(crate) fn positive(&mut self, key: &'static str, value: Option<i64>) {
        if value.is_some_and(|v| v <= 0) {
            self.violation(key, ViolationKind::NotPositive);
        }
    }

    /// `key`, if set, must not be negative.
    pub(crate) fn not_negative(&mut self, key: &'static str, value: Option<i64>) {
        if value.is_some_and(|v| v < 0) {
            self.violation(key, ViolationKind::Negative);
        }
    }

    /// `key`, if set, must be a hex colour code.
    pub(crate) fn colour(&mut self, key: &'static str, value: &Option<String>) {
        if value.as_deref().is_some_and(|v| !is_hex_colour(v)) {
            self.violation(key, ViolationKind::InvalidColour);
        }
    }

    /// `key`, if set, must be an absolute `http` or `https` URL.
    pub(crate) fn http_url(&mut self, key: &'static str, value: &Option<String>) {
        match value.as_deref() {
            Some("") => self.violation(key, ViolationKind::Empty),
            Some(url) if !is_http_url(url) => self.violation(key, ViolationKind::InvalidUrl),
            _ => {}
        }
    }

    /// `key`, if set, must be a country code.
    pub(crate) fn country_code(&mut self, key: &'static str, value: &Option<String>) {
        if value.as_deref().is_some_and(|v| !is_country_code(v)) {
            self.violation(key, ViolationKind::InvalidCountryCode);
        }
    }

    /// Every item of the list `key` must be a country code.
    pub(crate) fn country_codes(&mut self, key: &'static str, value: &Option<Vec<String>>) {
        for (index, code) in value.iter().flatten().enumerate() {
            if !is_country_code(code) {
                self.item_violation(key, index, ViolationKind::InvalidCountryCode);
            }
        }
    }

    /// No item of the list `key` may be an empty string.
    pub(crate) fn no_empty_items(&mut self, key: &'static str, value: &Option<Vec<String>>) {
        for (index, item) in value.iter().flatten().enumerate() {
            if item.is_empty() {
                self.item_violation(key, index, ViolationKind::Empty);
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

/// `#RGB` or `#RRGGBB` (the hexadecimal RGB value the API asks for, e.g. `#2d9fff`).
pub(crate) fn is_hex_colour(text: &str) -> bool {
    let bytes = text.as_bytes();
    matches!(bytes.len(), 4 | 7) && bytes[0] == b'#' && bytes[1..].iter().all(u8::is_ascii_hexdigit)
}

/// Three ASCII letters (an ISO 3166-1 alpha-3 code such as `GBR`, as the API uses).
pub(crate) fn is_country_code(text: &str) -> bool {
    text.len() == 3 && text.bytes().all(|b| b.is_ascii_alphabetic())
}

/// An absolute `http://` or `https://` URL with a host and no whitespace or control characters.
pub(crate) fn is_http_url(text: &str) -> bool {
    let rest = ["https://", "http://"].iter().find_map(|scheme| {
        text.get(..scheme.len())
            .filter(|head| head.eq_ignore_ascii_case(scheme))
            .map(|_| &text[scheme.len()..])
    });
    let Some(rest) = rest else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty() && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

impl<T: Walk> Walk for Option<T> {
    fn walk(&self, cx: &mut Walker) {
        if let Some(value) = self {
            value.walk(cx);
        }
    }
}

impl<T: Walk> Walk for Vec<T> {
    fn walk(&self, cx: &mut Walker) {
        for (index, item) in self.iter().enumerate() {
            cx.path.push(Segment::Index(index));
            item.walk(cx);
            cx.path.pop();
        }
    }
}

/// Values with no keys of their own; free-form objects (`subject`-like maps, `tags`,
/// `applicant_profile`) are passed through as they are, so their keys are not "unknown".
macro_rules! walk_leaf {
    ($($ty:ty),* $(,)?) => {
        $( impl Walk for $ty { fn walk(&self, _cx: &mut Walker) {} } )*
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours() {
        for ok in ["#2d9fff", "#FFF", "#000000", "#aBc"] {
            assert!(is_hex_colour(ok), "{ok}");
        }
        for bad in [
            "2d9fff", "#2d9ff", "#2d9fffa", "#ggg", "", "#", "red", "#é12",
        ] {
            assert!(!is_hex_colour(bad), "{bad}");
        }
    }

    #[test]
    fn urls() {
        for ok in [
            "https://example.com",
            "HTTP://localhost:8080/x?y#z",
            "https://a/b",
        ] {
            assert!(is_http_url(ok), "{ok}");
        }
        for bad in [
            "",
            "example.com",
            "ftp://x",
            "https://",
            "https:///path",
            "https://a b",
            "https://a\n",
        ] {
            assert!(!is_http_url(bad), "{bad:?}");
        }
    }

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
    }
}
