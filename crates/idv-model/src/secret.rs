//! Redacted string types: [`ClientSessionToken`] and [`Secret`].

use std::fmt;

macro_rules! redacted_string {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, Default)]
        pub struct $name(String);

        impl $name {
            /// Wraps a secret value.
            pub fn new(value: impl Into<String>) -> Self {
                $name(value.into())
            }

            /// The secret value. Call this only where the value is really needed (to hand it to
            /// the capture front end); never log it.
            pub fn expose_secret(&self) -> &str {
                &self.0
            }

            /// Consumes the wrapper, returning the secret value.
            pub fn into_secret(self) -> String {
                self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("[redacted]")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("[redacted]")
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                $name(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                $name(value.to_owned())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d).map($name)
            }
        }
    };
}

redacted_string! {
    /// The `client_session_token` of a session: a bearer credential for the capture front end.
    ///
    /// `Debug` and `Display` print `[redacted]`; the value is only available through
    /// [`ClientSessionToken::expose_secret`].
    ///
    /// ```
    /// use idv_model::ClientSessionToken;
    /// let token = ClientSessionToken::new("039abe07-166b-4f1d-9442-c86127d0143e");
    /// assert_eq!(format!("{token} {token:?}"), "[redacted] [redacted]");
    /// assert_eq!(token.expose_secret(), "039abe07-166b-4f1d-9442-c86127d0143e");
    /// ```
    ClientSessionToken
}

redacted_string! {
    /// Another secret string of a response (such as a watchlist provider's `api_key`):
    /// `Debug` and `Display` print `[redacted]`; the value is available through
    /// [`Secret::expose_secret`].
    Secret
}
