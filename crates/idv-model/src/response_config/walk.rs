//! One walk over a response config that finds unknown keys, unknown enum values and violations
//! of the documented rules, each with its JSON path.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use super::{ConfigViolation, ConfigViolationKind};
use crate::Extra;

/// A value of the response-config tree that can be walked.
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
    pub(crate) violations: Vec<ConfigViolation>,
}

impl Walker {
    /// Walks `value` from its root.
    pub(crate) fn run<T: Walk + ?Sized>(value: &T) -> Self {
        let mut cx = Walker::default();
        value.walk(&mut cx);
        cx
    }

    /// Walks `value` as the field `key` of the current object.
    pub(crate) fn field<T: Walk + ?Sized>(&mut self, key: &'static str, value: &T) {
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
                self.violations.push(ConfigViolation::new(
                    path,
                    ConfigViolationKind::ShadowedExtra,
                ));
            } else {
                self.unknown_keys.push(path);
            }
        }
    }

    /// Reports the value at the current path as one this version does not know.
    pub(crate) fn unknown_value(&mut self) {
        let path = self.path_string();
        self.unknown_values.push(path);
    }

    /// Records a violation at the current path.
    pub(crate) fn violation_here(&mut self, kind: ConfigViolationKind) {
        let path = self.path_string();
        self.violations.push(ConfigViolation::new(path, kind));
    }

    /// Records a violation of field `key` of the current object.
    pub(crate) fn violation(&mut self, key: &'static str, kind: ConfigViolationKind) {
        self.within(key, |cx| cx.violation_here(kind));
    }

    /// Records a violation of item `index` of the list field `key`.
    fn item_violation(&mut self, key: &'static str, index: usize, kind: ConfigViolationKind) {
        self.within_entry(key, Some(index), |cx| cx.violation_here(kind));
    }

    // Rule helpers, named after what they require.

    /// `key` must be present (not absent, not `null`).
    pub(crate) fn required<T>(&mut self, key: &'static str, value: &Option<T>) {
        if value.is_none() {
            self.violation(key, ConfigViolationKind::Missing);
        }
    }

    /// `key`, if set, must not be an empty string.
    pub(crate) fn not_empty(&mut self, key: &'static str, value: &Option<String>) {
        if value.as_deref().is_some_and(str::is_empty) {
            self.violation(key, ConfigViolationKind::Empty);
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
            self.violation(key, ConfigViolationKind::Negative);
        }
    }

    /// `key`, if set, must be a country code.
    pub(crate) fn country_code(&mut self, key: &'static str, value: &Option<String>) {
        if value.as_deref().is_some_and(|v| !is_country_code(v)) {
            self.violation(key, ConfigViolationKind::InvalidCountryCode);
        }
    }

    /// Every item of the list `key` must be a country code.
    pub(crate) fn country_codes(&mut self, key: &'static str, value: &Option<Vec<String>>) {
        for (index, code) in value.iter().flatten().enumerate() {
            if !is_country_code(code) {
                self.item_violation(key, index, ConfigViolationKind::InvalidCountryCode);
            }
        }
    }

    /// No item of the list `key` may be an empty string.
    pub(crate) fn no_empty_items(&mut self, key: &'static str, value: &Option<Vec<String>>) {
        for (index, item) in value.iter().flatten().enumerate() {
            if item.is_empty() {
                self.item_violation(key, index, ConfigViolationKind::Empty);
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
fn push_key(out: &mut String, key: &str) {
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

/// `type/subtype`, optionally followed by `; parameters`, each part an RFC 9110 token
/// (`image/jpeg`, `image/png; q=1`).
pub(crate) fn is_media_type(text: &str) -> bool {
    let essence = text.split(';').next().unwrap_or("");
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    is_token(kind) && is_token(subtype.trim_end())
}

fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
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

/// Values with no keys of their own; free-form objects (`document_fields`) are passed through
/// as they are, so their keys are not "unknown".
macro_rules! walk_leaf {
    ($($ty:ty),* $(,)?) => {
        $( impl Walk for $ty { fn walk(&self, _cx: &mut Walker) {} } )*
    };
}

walk_leaf!(String, i64, Map<String, Value>);

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
    fn media_types() {
        for ok in [
            "image/jpeg",
            "image/png; q=1",
            "application/vnd.yoti+json",
            "IMAGE/PNG",
        ] {
            assert!(is_media_type(ok), "{ok}");
        }
        for bad in [
            "",
            "jpeg",
            "image/",
            "/jpeg",
            "image jpeg/x",
            "image/jp eg",
            "é/x",
            ";/x",
        ] {
            assert!(!is_media_type(bad), "{bad:?}");
        }
    }

    #[test]
    fn paths_quote_keys_that_are_not_names() {
        let mut out = String::new();
        push_key(&mut out, "check_reports");
        push_key(&mut out, "LIVENESS");
        push_key(&mut out, "a.b");
        push_key(&mut out, "");
        assert_eq!(out, r#"check_reports.LIVENESS["a.b"][""]"#);
    }
}
