//! The auth digest: signing a message and holding the base64 signature, redacted.

use std::fmt;

use base64::Engine as _;

use crate::sign_error::SignError;
use crate::signer::Signer;

/// Signs an arbitrary message with `signer` and returns the base64 digest (the
/// `X-Yoti-Auth-Digest` value): for debugging tools that sign a message exactly as given.
///
/// # Errors
/// [`SignError::Signer`] if the signer fails or returns an empty signature.
pub async fn sign_message(signer: &dyn Signer, message: &[u8]) -> Result<AuthDigest, SignError> {
    let signature = signer.sign(message).await?;
    if signature.is_empty() {
        return Err(SignError::signer("the signer returned an empty signature"));
    }
    Ok(AuthDigest(
        base64::engine::general_purpose::STANDARD.encode(signature),
    ))
}

/// The `X-Yoti-Auth-Digest` value (standard base64 of the signature). `Debug` and `Display`
/// redact it; use [`expose`](Self::expose) to read it.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthDigest(String);

impl AuthDigest {
    /// The base64 digest text.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The base64 digest text, by value.
    #[cfg(feature = "http")]
    pub(crate) fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Debug for AuthDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthDigest(<redacted>)")
    }
}

impl fmt::Display for AuthDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
