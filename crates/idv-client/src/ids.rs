//! Typed identifiers: validated once, at construction, so a path built from them can never
//! change which resource is requested.

use std::fmt;
use std::str::FromStr;

use crate::error::IdvError;

/// The longest id accepted (Yoti ids are 36-character UUIDs; this leaves room for other forms).
pub const MAX_ID_LEN: usize = 128;

/// Checks that `id` can be placed in a path segment as is.
fn validate(what: &'static str, id: &str) -> Result<(), IdvError> {
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
        // The offending value is not echoed: it may be hostile or personal.
        return Err(IdvError::invalid_argument(format!(
            "{what} contains a character an id cannot have (at byte {pos}); \
             only ASCII letters, digits, '-' and '_' are allowed"
        )));
    }
    Ok(())
}

/// A value that can be turned into the id type `T`: the id itself (or a reference to it), or a
/// string, validated on the way.
///
/// Every call of [`IdvClient`](crate::IdvClient) that takes an id takes `impl IntoId<…>`, so
/// `client.get_session("…")` and `client.get_session(&session_id)` both work; a malformed string
/// is an [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) error before anything
/// is signed or sent.
pub trait IntoId<T> {
    /// The validated id.
    fn into_id(self) -> Result<T, IdvError>;
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        ///
        /// Non-empty, at most [`MAX_ID_LEN`] bytes, made only of ASCII letters, digits, `-` and
        /// `_`: anything that could change a request path (`/`, `?`, `#`, `%`, `.`, whitespace,
        /// non-ASCII…) is refused at construction.
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Box<str>);

        impl $name {
            /// Validates `id`.
            pub fn new(id: impl AsRef<str>) -> Result<Self, IdvError> {
                let id = id.as_ref();
                validate($what, id)?;
                Ok(Self(id.into()))
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($name)).field(&&*self.0).finish()
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = IdvError;
            fn from_str(s: &str) -> Result<Self, IdvError> {
                Self::new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = IdvError;
            fn try_from(s: &str) -> Result<Self, IdvError> {
                Self::new(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdvError;
            fn try_from(s: String) -> Result<Self, IdvError> {
                validate($what, &s)?;
                Ok(Self(s.into_boxed_str()))
            }
        }

        impl IntoId<$name> for $name {
            fn into_id(self) -> Result<$name, IdvError> {
                Ok(self)
            }
        }

        impl IntoId<$name> for &$name {
            fn into_id(self) -> Result<$name, IdvError> {
                Ok(self.clone())
            }
        }

        impl IntoId<$name> for &str {
            fn into_id(self) -> Result<$name, IdvError> {
                $name::new(self)
            }
        }

        impl IntoId<$name> for String {
            fn into_id(self) -> Result<$name, IdvError> {
                $name::try_from(self)
            }
        }

        impl IntoId<$name> for &String {
            fn into_id(self) -> Result<$name, IdvError> {
                $name::new(self)
            }
        }
    };
}

id_type!(
    /// The id of an IDV session (`session_id` in the create result).
    SessionId,
    "session id"
);
id_type!(
    /// The id of a media item (`media.id` in a session's resources and checks).
    MediaId,
    "media id"
);
id_type!(
    /// The id of a resource of a session (a document, liveness capture, face capture…).
    ResourceId,
    "resource id"
);

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
            let id = SessionId::new(ok).unwrap();
            assert_eq!(id.as_str(), ok);
            assert_eq!(id.to_string(), ok);
            let via_trait: SessionId = ok.into_id().unwrap();
            assert_eq!(via_trait, id);
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
            let err = MediaId::new(bad).expect_err(bad);
            assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{bad:?}");
            assert!(err.to_string().contains("media id"), "{err}");
            // The offending value itself is not echoed back.
            if bad.len() > 3 {
                assert!(!err.to_string().contains(bad), "{err}");
            }
            let via_trait: Result<MediaId, _> = bad.to_owned().into_id();
            assert!(via_trait.is_err());
        }
    }

    #[test]
    fn every_form_converts() {
        let id = ResourceId::new("r-1").unwrap();
        let from_ref: ResourceId = (&id).into_id().unwrap();
        let from_string: ResourceId = String::from("r-1").into_id().unwrap();
        let from_string_ref: ResourceId = (&String::from("r-1")).into_id().unwrap();
        let parsed: ResourceId = "r-1".parse().unwrap();
        assert!(
            [from_ref, from_string, from_string_ref, parsed]
                .iter()
                .all(|x| *x == id)
        );
        assert_eq!(format!("{id:?}"), "ResourceId(\"r-1\")");
    }
}
