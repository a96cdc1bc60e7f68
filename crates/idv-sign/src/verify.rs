//! Verifying a received request, as the API (or a sandbox) does.

use base64::Engine as _;

use crate::algorithm::SignatureAlgorithm;
use crate::canonical::canonical_message;
use crate::headers::HEADER_AUTH_DIGEST;
use crate::key::PublicKey;

/// Why a request's signature was not accepted. Never contains the digest.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The request target has no query string.
    #[error("the request target has no query string (expected sdkId, nonce and timestamp)")]
    NoQuery,
    /// A required auth parameter is missing.
    #[error("the query parameter `{0}` is missing")]
    MissingParameter(&'static str),
    /// An auth parameter appears more than once.
    #[error("the query parameter `{0}` appears more than once")]
    DuplicateParameter(&'static str),
    /// The digest header is not standard base64.
    #[error("the {HEADER_AUTH_DIGEST} value is not standard base64")]
    DigestNotBase64,
    /// The decoded digest has the wrong length for the key.
    #[error("the {HEADER_AUTH_DIGEST} value decodes to {actual} bytes; the key needs {expected}")]
    WrongDigestLength {
        /// The key's signature length in bytes.
        expected: usize,
        /// The decoded length.
        actual: usize,
    },
    /// The signature does not match the message and key.
    #[error(
        "the signature does not match the request (method, path, query or body differ, or another key signed it)"
    )]
    SignatureMismatch,
}

/// The auth parameters of a received request target, taken as sent (not percent-decoded).
///
/// ```
/// let p = idv_sign::AuthParams::from_path_and_query(
///     "/sessions/x?timestamp=1700000000000&sdkID=app&nonce=n1",
/// )?;
/// assert_eq!((p.sdk_id(), p.nonce(), p.timestamp()), ("app", "n1", "1700000000000"));
/// assert_eq!(p.timestamp_millis(), Some(1_700_000_000_000));
/// # Ok::<(), idv_sign::VerifyError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthParams {
    sdk_id: String,
    nonce: String,
    timestamp: String,
}

impl AuthParams {
    /// Extracts `sdkId` (or Go's `sdkID`), `nonce` and `timestamp` from a request target (path,
    /// `?`, query), in any order, ignoring other parameters and a `#fragment`.
    ///
    /// # Errors
    /// [`VerifyError::NoQuery`], [`VerifyError::MissingParameter`] or
    /// [`VerifyError::DuplicateParameter`].
    pub fn from_path_and_query(path_and_query: &str) -> Result<Self, VerifyError> {
        let (_, query) = path_and_query.split_once('?').ok_or(VerifyError::NoQuery)?;
        let query = query.split_once('#').map_or(query, |(q, _)| q);
        let mut sdk_id = None;
        let mut nonce = None;
        let mut timestamp = None;
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let (slot, name) = match key {
                "sdkId" | "sdkID" => (&mut sdk_id, "sdkId"),
                "nonce" => (&mut nonce, "nonce"),
                "timestamp" => (&mut timestamp, "timestamp"),
                _ => continue,
            };
            if slot.replace(value).is_some() {
                return Err(VerifyError::DuplicateParameter(name));
            }
        }
        Ok(Self {
            sdk_id: sdk_id
                .ok_or(VerifyError::MissingParameter("sdkId"))?
                .to_string(),
            nonce: nonce
                .ok_or(VerifyError::MissingParameter("nonce"))?
                .to_string(),
            timestamp: timestamp
                .ok_or(VerifyError::MissingParameter("timestamp"))?
                .to_string(),
        })
    }

    /// The SDK id, as sent.
    pub fn sdk_id(&self) -> &str {
        &self.sdk_id
    }

    /// The nonce, as sent (official SDKs differ: lower-case UUID v4, upper-case hex, …).
    pub fn nonce(&self) -> &str {
        &self.nonce
    }

    /// The timestamp, as sent.
    pub fn timestamp(&self) -> &str {
        &self.timestamp
    }

    /// The timestamp as a decimal integer, if it is one. Usually epoch milliseconds, but the
    /// official Java SDK sends monotonic-clock microseconds: do not apply a skew check to it
    /// blindly (IDV-API.md §3.8).
    pub fn timestamp_millis(&self) -> Option<u64> {
        if self.timestamp.is_empty() || !self.timestamp.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        self.timestamp.parse().ok()
    }
}

/// Verifies a received request: the signature in `digest_b64` (the `X-Yoti-Auth-Digest` value)
/// over `METHOD&PATH_AND_QUERY[&BASE64(BODY)]`, built from exactly the strings received (the
/// request target with the API base path stripped). Returns the auth parameters so the caller
/// can look up the application, reject replayed nonces or stale timestamps.
///
/// For an empty body, a message ending in `&` (what the official Python SDK signs for an empty
/// payload) is also accepted; a non-empty body must always be covered by the signature.
///
/// # Errors
/// A [`VerifyError`]; never panics on any input.
pub fn verify_request(
    key: &PublicKey,
    method: &str,
    path_and_query: &str,
    body: &[u8],
    digest_b64: &str,
) -> Result<AuthParams, VerifyError> {
    let params = AuthParams::from_path_and_query(path_and_query)?;
    let message = canonical_message(method, path_and_query, body);
    match verify_message(key, message.as_bytes(), digest_b64) {
        Err(VerifyError::SignatureMismatch) if body.is_empty() => {
            let mut tolerant = message;
            tolerant.push('&');
            verify_message(key, tolerant.as_bytes(), digest_b64)?;
        }
        other => other?,
    }
    Ok(params)
}

/// Verifies `digest_b64` (standard base64, padded) as an RSASSA-PKCS1-v1_5 / SHA-256 signature
/// of `message`.
///
/// # Errors
/// [`VerifyError::DigestNotBase64`], [`VerifyError::WrongDigestLength`] or
/// [`VerifyError::SignatureMismatch`].
pub fn verify_message(
    key: &PublicKey,
    message: &[u8],
    digest_b64: &str,
) -> Result<(), VerifyError> {
    let signature = base64::engine::general_purpose::STANDARD
        .decode(digest_b64)
        .map_err(|_| VerifyError::DigestNotBase64)?;
    let expected = key.signature_len();
    if signature.len() != expected {
        return Err(VerifyError::WrongDigestLength {
            expected,
            actual: signature.len(),
        });
    }
    key.verify_signature(SignatureAlgorithm::RsaPkcs1Sha256, message, &signature)
        .map_err(|_| VerifyError::SignatureMismatch)
}

#[cfg(test)]
mod tests {
    use super::VerifyError;

    #[test]
    fn digest_errors_name_the_header() {
        assert_eq!(
            VerifyError::DigestNotBase64.to_string(),
            "the X-Yoti-Auth-Digest value is not standard base64"
        );
        assert_eq!(
            VerifyError::WrongDigestLength {
                expected: 256,
                actual: 3
            }
            .to_string(),
            "the X-Yoti-Auth-Digest value decodes to 3 bytes; the key needs 256"
        );
    }
}
