//! The signing headers as [`http::HeaderName`]s, derived at compile time from the string
//! constants ([`HEADER_AUTH_DIGEST`], …) so each name is written once.
//!
//! Available on crate feature `http` only.
//!
//! ```
//! use idv_sign::header_names;
//! assert_eq!(header_names::AUTH_DIGEST.as_str(), "x-yoti-auth-digest");
//! assert_eq!(header_names::SDK, idv_sign::HEADER_SDK); // names compare case-insensitively
//! ```

use http::HeaderName;

use crate::headers::{HEADER_AUTH_DIGEST, HEADER_SDK, HEADER_SDK_VERSION};

/// `x-yoti-auth-digest` ([`HEADER_AUTH_DIGEST`]).
///
/// Available on crate feature `http` only.
pub const AUTH_DIGEST: HeaderName = HeaderName::from_static(AUTH_DIGEST_LOWER);
/// `x-yoti-sdk` ([`HEADER_SDK`]).
///
/// Available on crate feature `http` only.
pub const SDK: HeaderName = HeaderName::from_static(SDK_LOWER);
/// `x-yoti-sdk-version` ([`HEADER_SDK_VERSION`]).
///
/// Available on crate feature `http` only.
pub const SDK_VERSION: HeaderName = HeaderName::from_static(SDK_VERSION_LOWER);

// `HeaderName::from_static` takes lower-case text only (HTTP/2's form); lower-case the single
// definitions at compile time rather than writing the names a second time.
const AUTH_DIGEST_BYTES: [u8; HEADER_AUTH_DIGEST.len()] = ascii_lowercase(HEADER_AUTH_DIGEST);
const AUTH_DIGEST_LOWER: &str = utf8(&AUTH_DIGEST_BYTES);
const SDK_BYTES: [u8; HEADER_SDK.len()] = ascii_lowercase(HEADER_SDK);
const SDK_LOWER: &str = utf8(&SDK_BYTES);
const SDK_VERSION_BYTES: [u8; HEADER_SDK_VERSION.len()] = ascii_lowercase(HEADER_SDK_VERSION);
const SDK_VERSION_LOWER: &str = utf8(&SDK_VERSION_BYTES);

/// `text` ASCII-lower-cased into an array of its length (`N` must be `text.len()`).
const fn ascii_lowercase<const N: usize>(text: &str) -> [u8; N] {
    let bytes = text.as_bytes();
    assert!(bytes.len() == N, "N must be the text's length");
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = bytes[i].to_ascii_lowercase();
        i += 1;
    }
    out
}

/// The bytes as text; evaluated at compile time only, where a failure stops the build.
const fn utf8(bytes: &'static [u8]) -> &'static str {
    match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => panic!("a header name is ASCII"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_string_constants_lower_cased() {
        for (name, text) in [
            (AUTH_DIGEST, HEADER_AUTH_DIGEST),
            (SDK, HEADER_SDK),
            (SDK_VERSION, HEADER_SDK_VERSION),
        ] {
            assert_eq!(name.as_str(), text.to_ascii_lowercase());
        }
        assert_eq!(AUTH_DIGEST.as_str(), "x-yoti-auth-digest");
        assert_eq!(SDK.as_str(), "x-yoti-sdk");
        assert_eq!(SDK_VERSION.as_str(), "x-yoti-sdk-version");
    }
}
