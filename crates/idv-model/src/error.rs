//! [`ParseError`] and the parse functions.

use serde::de::DeserializeOwned;

use crate::Session;
use crate::budget::Armed;

/// What kind of failure a [`ParseError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The bytes are not valid JSON.
    Syntax,
    /// Valid JSON whose shape does not fit the model (e.g. a number where a string belongs).
    Data,
    /// The input ended in the middle of a value.
    Eof,
    /// Reading the input failed.
    Io,
    /// The document exceeds a limit of [`crate::limits`]: its typed value would need more memory
    /// than [`memory_budget`](crate::limits::memory_budget) allows, or it nests deeper than
    /// [`MAX_DEPTH`](crate::limits::MAX_DEPTH). The path says where the limit was reached.
    Limit,
}

/// A document that could not be parsed.
///
/// Displays as `json.path: message`, e.g.
/// `checks[3].report.recommendation.value: invalid type: integer, expected a string`. The message
/// never contains values from the document (they are personal data): serde's quoted values are
/// removed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ParseError {
    path: String,
    message: String,
    line: usize,
    column: usize,
    kind: ParseErrorKind,
}

impl ParseError {
    /// The JSON path of the value that failed (`.` for the document root).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The sanitised message, without path and position.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// 1-based line of the failure in the input (0 if unknown).
    pub fn line(&self) -> usize {
        self.line
    }

    /// 1-based column of the failure in the input (0 if unknown).
    pub fn column(&self) -> usize {
        self.column
    }

    /// The kind of failure.
    pub fn kind(&self) -> ParseErrorKind {
        self.kind
    }

    /// `over_budget`: the memory budget refused a charge during the parse that failed.
    fn from_json(path: String, e: &serde_json::Error, over_budget: bool) -> Self {
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let bare = full.strip_suffix(&suffix).unwrap_or(&full);
        let (kind, message) = if over_budget {
            (ParseErrorKind::Limit, sanitize_message(bare))
        } else if bare == "recursion limit exceeded" {
            let message = format!(
                "nesting limit: more than {} levels of arrays and objects",
                crate::limits::MAX_DEPTH
            );
            (ParseErrorKind::Limit, message)
        } else {
            let kind = match e.classify() {
                serde_json::error::Category::Io => ParseErrorKind::Io,
                serde_json::error::Category::Syntax => ParseErrorKind::Syntax,
                serde_json::error::Category::Data => ParseErrorKind::Data,
                serde_json::error::Category::Eof => ParseErrorKind::Eof,
            };
            (kind, sanitize_message(bare))
        };
        ParseError {
            path,
            message,
            line: e.line(),
            column: e.column(),
            kind,
        }
    }
}

/// Parses a `GET /sessions/{sessionId}` response body.
///
/// ```
/// let session = idv_model::parse_session(br#"{"session_id": "s1", "state": "ONGOING"}"#)?;
/// assert_eq!(session.session_id.as_deref(), Some("s1"));
/// assert!(!session.is_finished());
/// # Ok::<(), idv_model::ParseError>(())
/// ```
pub fn parse_session(bytes: &[u8]) -> Result<Session, ParseError> {
    from_slice(bytes)
}

/// Parses any model type (or anything deserialisable) from JSON bytes, naming the JSON path on
/// failure.
///
/// The typed value may use at most [`limits::memory_budget`](crate::limits::memory_budget) bytes
/// for this document's size, so a hostile document cannot make the parse use memory out of
/// proportion to its size: past that the parse stops with a [`ParseErrorKind::Limit`] error (see
/// [`crate::limits`]).
///
/// ```
/// let err = idv_model::from_slice::<idv_model::Session>(
///     br#"{"checks": [{}, {"report": {"recommendation": {"value": 7}}}]}"#,
/// )
/// .unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "checks[1].report.recommendation.value: invalid type: integer, expected a string"
/// );
/// ```
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ParseError> {
    // Fast path without path tracking; errors are rare, so re-parse to find the path.
    let budget = Armed::new(bytes.len());
    let fast = serde_json::from_slice::<T>(bytes);
    let over_budget = budget.exceeded();
    drop(budget);
    match fast {
        Ok(value) => Ok(value),
        Err(fast) => Err(locate::<T>(bytes)
            .unwrap_or_else(|| ParseError::from_json(".".to_owned(), &fast, over_budget))),
    }
}

/// Re-parses with path tracking (under the same budget); `None` if that (unexpectedly) succeeds.
fn locate<T: DeserializeOwned>(bytes: &[u8]) -> Option<ParseError> {
    let budget = Armed::new(bytes.len());
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => Some(ParseError::from_json(
            safe_path(e.path()),
            e.inner(),
            budget.exceeded(),
        )),
        Ok(_) => de
            .end()
            .err()
            .map(|e| ParseError::from_json(".".to_owned(), &e, false)),
    }
}

/// The path as `a.b[3].c`, with map keys that do not look like field names (lower-case snake
/// case, as every key of the API) replaced by `<key>`: keys of unknown objects are document
/// contents and may be personal data.
fn safe_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => {
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                let field_like = key.len() <= 64
                    && key.starts_with(|c: char| c.is_ascii_lowercase())
                    && key
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                out.push_str(if field_like { key } else { "<key>" });
            }
            _ => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push('?');
            }
        }
    }
    if out.is_empty() { ".".to_owned() } else { out }
}

/// Removes document values from a serde message.
///
/// serde writes `invalid type: string "JOHN", expected a string`, `invalid value: integer `5`,
/// expected …` and `unknown variant `X`, expected …`; the quoted parts are document contents.
fn sanitize_message(msg: &str) -> String {
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = msg.strip_prefix(prefix) {
            // The expectation is ours (or serde's), never document data; the last
            // ", expected " is the separator even if the value contained that text.
            if let Some(at) = rest.rfind(", expected ") {
                let (unexpected, expected) = rest.split_at(at);
                let what = unexpected.split(['"', '`']).next().unwrap_or("").trim_end();
                return format!("{prefix}{what}{}", strip_quoted(expected));
            }
            return format!("{prefix}{}", strip_quoted(rest));
        }
    }
    strip_quoted(msg)
}

/// Replaces every `"…"` and `` `…` `` segment (escape-aware for `"`) with `<redacted>`.
fn strip_quoted(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut chars = msg.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                let mut escaped = false;
                for d in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == '"' {
                        break;
                    }
                }
                out.push_str("<redacted>");
            }
            '`' => {
                for d in chars.by_ref() {
                    if d == '`' {
                        break;
                    }
                }
                out.push_str("<redacted>");
            }
            c => out.push(c),
        }
    }
    // "unknown variant <redacted>, expected one of <redacted>, …" and the like are fine; drop
    // stray spaces before punctuation that removal might leave.
    out.replace(" ,", ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizes() {
        assert_eq!(
            sanitize_message(r#"invalid type: string "JOHN", expected a boolean"#),
            "invalid type: string, expected a boolean"
        );
        assert_eq!(
            sanitize_message(r#"invalid type: string "a, expected b\" x", expected i64"#),
            "invalid type: string, expected i64"
        );
        assert_eq!(
            sanitize_message("invalid value: integer `-5`, expected u8"),
            "invalid value: integer, expected u8"
        );
        assert_eq!(
            sanitize_message("unknown variant `SECRET`, expected `A` or `B`"),
            "unknown variant <redacted>, expected <redacted> or <redacted>"
        );
        assert_eq!(sanitize_message("expected value"), "expected value");
        assert_eq!(
            sanitize_message("invalid length 3, expected 2"),
            "invalid length 3, expected 2"
        );
    }
}
