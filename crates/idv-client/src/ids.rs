//! Validation of the ids that are inserted into request paths.

use crate::error::IdvError;

/// The longest id accepted (Yoti ids are 36-character UUIDs; this leaves room for other forms).
pub const MAX_ID_LEN: usize = 128;

/// Checks that `id` can be placed in a path segment as is: non-empty, at most [`MAX_ID_LEN`]
/// characters, and made only of ASCII letters, digits, `-` and `_`.
///
/// Anything else (`/`, `?`, `#`, `%`, `.`, whitespace, non-ASCII…) is refused, so an id can never
/// change which path is requested or make the signed and the sent targets differ.
pub(crate) fn validate_id(what: &'static str, id: &str) -> Result<(), IdvError> {
    if id.is_empty() {
        return Err(IdvError::invalid_argument(format!(
            "{what} must not be empty"
        )));
    }
    if id.len() > MAX_ID_LEN {
        return Err(IdvError::invalid_argument(format!(
            "{what} is longer than {MAX_ID_LEN} characters"
        )));
    }
    if let Some(pos) = id
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    {
        return Err(IdvError::invalid_argument(format!(
            "{what} contains a character an id cannot have (at byte {pos}); \
             only ASCII letters, digits, '-' and '_' are allowed"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn accepts_uuids_and_simple_ids() {
        for ok in [
            "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
            "ABC_def-123",
            "x",
            &"a".repeat(MAX_ID_LEN),
        ] {
            assert!(validate_id("session id", ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_everything_that_could_change_the_path() {
        for bad in [
            "",
            "a/b",
            "../x",
            "a?b=c",
            "a#b",
            "a%2Fb",
            "a.b",
            "a b",
            " a",
            "a\n",
            "a\tb",
            "é",
            "a&b",
            "a+b",
            &"a".repeat(MAX_ID_LEN + 1),
        ] {
            let err = validate_id("media id", bad).expect_err(bad);
            assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{bad:?}");
            assert!(err.to_string().contains("media id"), "{err}");
            // The offending value itself is not echoed back.
            if bad.len() > 3 {
                assert!(!err.to_string().contains(bad), "{err}");
            }
        }
    }
}
