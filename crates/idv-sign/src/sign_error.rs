//! [`SignError`]: why a request or a client assertion could not be signed.

use crate::algorithm::SignatureAlgorithm;

/// Why a request or a client assertion could not be signed.
///
/// Never contains key material, the digest or the JWT.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The HTTP method is not an upper-case token (`GET`, `POST`, …).
    #[error("invalid HTTP method: {reason}")]
    InvalidMethod {
        /// What is wrong.
        reason: String,
    },
    /// The path is not a base-relative path starting with exactly one `/`.
    #[error("invalid request path: {reason}")]
    InvalidPath {
        /// What is wrong.
        reason: String,
    },
    /// A caller query parameter cannot be used.
    #[error("invalid query parameter: {reason}")]
    InvalidQuery {
        /// What is wrong.
        reason: String,
    },
    /// The SDK id is empty.
    #[error("the SDK id is empty")]
    EmptySdkId,
    /// The client assertion's audience (the token URL) is empty.
    #[error("the client assertion's audience (the token URL) is empty")]
    EmptyAudience,
    /// The signer cannot produce this kind of signature (e.g. a custom [`Signer`] written for
    /// request signing only, asked for the `PS384` client assertion).
    ///
    /// [`Signer`]: crate::Signer
    #[error("the signer does not support {algorithm}")]
    UnsupportedAlgorithm {
        /// The algorithm that was asked for.
        algorithm: SignatureAlgorithm,
    },
    /// The signer (a built-in backend, a KMS, an HSM, …) failed.
    #[error("the signer failed: {message}")]
    Signer {
        /// A description of the failure (must not contain secrets).
        message: String,
        /// The underlying error, if any.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

impl SignError {
    /// The error a [`Signer`] returns for an algorithm it does not implement.
    ///
    /// [`Signer`]: crate::Signer
    pub fn unsupported_algorithm(algorithm: SignatureAlgorithm) -> Self {
        Self::UnsupportedAlgorithm { algorithm }
    }

    /// A signer failure with a message and no underlying error: for [`Signer`] implementations.
    ///
    /// [`Signer`]: crate::Signer
    pub fn signer(message: impl Into<String>) -> Self {
        Self::Signer {
            message: message.into(),
            source: None,
        }
    }

    /// A signer failure wrapping an underlying error: for [`Signer`] implementations (e.g. a KMS
    /// client's error).
    ///
    /// [`Signer`]: crate::Signer
    pub fn signer_with_source(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self::Signer {
            message: message.into(),
            source: Some(source.into()),
        }
    }
}
