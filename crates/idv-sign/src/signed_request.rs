//! [`SignedRequest`]: the exact target to send and the headers to add.

use std::fmt;

use crate::digest::AuthDigest;
use crate::headers::{HEADER_AUTH_DIGEST, HEADER_SDK, HEADER_SDK_VERSION, SDK_NAME, SDK_VERSION};

/// A signed request: the exact target to send and the headers to add.
///
/// Send [`path_and_query`](Self::path_and_query) appended to the normalised base URL (no
/// trailing `/`) without any re-encoding: it is the very string that was signed.
#[derive(Clone)]
pub struct SignedRequest {
    pub(crate) method: String,
    pub(crate) path_and_query: String,
    pub(crate) message: String,
    pub(crate) nonce: String,
    pub(crate) timestamp: u64,
    pub(crate) body_signed: bool,
    pub(crate) digest: AuthDigest,
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedRequest")
            .field("method", &self.method)
            .field("path_and_query", &self.path_and_query)
            .field("nonce", &self.nonce)
            .field("timestamp_millis", &self.timestamp)
            .field("body_signed", &self.body_signed)
            .field("digest", &self.digest)
            .finish_non_exhaustive()
    }
}

impl SignedRequest {
    /// The HTTP method.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The base-relative request target: path, `?`, the caller's parameters, then `sdkId`,
    /// `nonce`, `timestamp`. Send exactly this.
    pub fn path_and_query(&self) -> &str {
        &self.path_and_query
    }

    /// The canonical message that was signed: `METHOD&PATH?QUERY[&BASE64(BODY)]`.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The `X-Yoti-Auth-Digest` value.
    pub fn digest(&self) -> &AuthDigest {
        &self.digest
    }

    /// The nonce used.
    pub fn nonce(&self) -> &str {
        &self.nonce
    }

    /// The timestamp used, in milliseconds since the Unix epoch.
    pub fn timestamp_millis(&self) -> u64 {
        self.timestamp
    }

    /// Whether a body was part of the message.
    pub fn body_signed(&self) -> bool {
        self.body_signed
    }

    /// The headers to add, in this order: `X-Yoti-Auth-Digest`, `X-Yoti-SDK: Rust`,
    /// `X-Yoti-SDK-Version: Rust-<version>`. The caller must not let other headers override them.
    pub fn headers(&self) -> [(&'static str, &str); 3] {
        [
            (HEADER_AUTH_DIGEST, self.digest.expose()),
            (HEADER_SDK, SDK_NAME),
            (HEADER_SDK_VERSION, SDK_VERSION),
        ]
    }

    /// Takes the method, the target and the digest (to build a request without copying them).
    #[cfg(feature = "http")]
    pub(crate) fn into_parts(self) -> (String, String, AuthDigest) {
        (self.method, self.path_and_query, self.digest)
    }
}
