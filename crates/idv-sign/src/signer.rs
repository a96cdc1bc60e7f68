//! The [`Signer`] trait and the built-in RSA signers.

use std::fmt;

use async_trait::async_trait;

use crate::key::{KeyError, PrivateKey};

/// Why a request could not be signed.
///
/// Never contains key material or the digest.
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
    /// A signer failure with a message and no underlying error: for [`Signer`] implementations.
    pub fn signer(message: impl Into<String>) -> Self {
        Self::Signer {
            message: message.into(),
            source: None,
        }
    }

    /// A signer failure wrapping an underlying error: for [`Signer`] implementations (e.g. a KMS
    /// client's error).
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

/// Something that produces RSASSA-PKCS1-v1_5 / SHA-256 signatures with the application's key.
///
/// `sign` receives the whole canonical message (not a hash) and returns the raw signature bytes
/// (256 for a 2048-bit key); the caller base64-encodes them. Built in: [`RsaSigner`] (pure Rust,
/// the default) and `AwsLcSigner` (cargo feature `aws-lc`, several times faster).
///
/// # Writing a KMS or HSM signer
///
/// A key that never leaves a KMS or an HSM is used by implementing this trait. Hash the message
/// with SHA-256 if the service takes a digest (AWS KMS: `MessageType::Digest`,
/// `SigningAlgorithm::RsassaPkcs1V15Sha256`; Google Cloud KMS: `RSA_SIGN_PKCS1_2048_SHA256`
/// with a `digest.sha256`; PKCS#11: `CKM_SHA256_RSA_PKCS` over the message) and return the
/// signature bytes. The method is async, so a network round trip is fine; it is called once per
/// request attempt. Map failures to [`SignError::signer_with_source`], and keep secrets out of
/// `Debug` and of error messages.
///
/// ```
/// use async_trait::async_trait;
/// use idv_sign::{SignError, Signer};
///
/// /// Signs through a remote service (here: any async function returning the signature).
/// #[derive(Debug)]
/// struct KmsSigner {
///     key_id: String,
/// }
///
/// #[async_trait]
/// impl Signer for KmsSigner {
///     async fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
///         use sha2::Digest as _;
///         let digest = sha2::Sha256::digest(message);
///         kms_sign(&self.key_id, &digest)
///             .await
///             .map_err(|e| SignError::signer_with_source("KMS Sign call failed", e))
///     }
/// }
/// # async fn kms_sign(_key: &str, _digest: &[u8]) -> Result<Vec<u8>, std::io::Error> {
/// #     Err(std::io::Error::other("no KMS in doc tests"))
/// # }
/// ```
#[async_trait]
pub trait Signer: Send + Sync + fmt::Debug {
    /// Signs `message` (RSASSA-PKCS1-v1_5 with SHA-256) and returns the raw signature.
    ///
    /// # Errors
    /// [`SignError::Signer`] when the signature cannot be produced.
    async fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError>;
}

/// The pure-Rust signer (the `rsa` crate, with RSA blinding): the default backend.
///
/// Portable (no C toolchain) and constant-time; a few hundred RSA-2048 signatures a second per
/// core. Enable the `aws-lc` feature and use `AwsLcSigner` for several times the throughput
/// (`cargo bench -p idv-sign --features aws-lc` measures both). Both give
/// byte-identical signatures (PKCS#1 v1.5 is deterministic).
#[derive(Clone)]
pub struct RsaSigner {
    key: rsa::pkcs1v15::SigningKey<sha2::Sha256>,
    bits: usize,
}

impl fmt::Debug for RsaSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaSigner")
            .field("bits", &self.bits)
            .finish_non_exhaustive()
    }
}

impl RsaSigner {
    /// A signer using `key`.
    pub fn new(key: &PrivateKey) -> Self {
        Self {
            key: rsa::pkcs1v15::SigningKey::new(key.rsa().clone()),
            bits: key.bits(),
        }
    }

    /// Parses a PEM private key (PKCS#1 or PKCS#8) and builds a signer from it.
    ///
    /// # Errors
    /// As [`PrivateKey::from_pem`].
    pub fn from_pem(pem: &[u8]) -> Result<Self, KeyError> {
        Ok(Self::new(&PrivateKey::from_pem(pem)?))
    }

    /// Signs synchronously (the work [`Signer::sign`] does).
    ///
    /// # Errors
    /// [`SignError::Signer`] if the RSA operation fails (e.g. the OS RNG used for blinding).
    pub fn sign_sync(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        use rsa::signature::{SignatureEncoding as _, Signer as _};
        let sig = self
            .key
            .try_sign(message)
            .map_err(|e| SignError::signer_with_source("RSA signing failed", e.to_string()))?;
        Ok(sig.to_vec())
    }
}

#[async_trait]
impl Signer for RsaSigner {
    async fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        self.sign_sync(message)
    }
}

/// The fast signer (AWS-LC through `aws-lc-rs`), behind the cargo feature `aws-lc`.
///
/// Several times the throughput of [`RsaSigner`], on a par with OpenSSL. Its output is
/// byte-identical to [`RsaSigner`]'s.
#[cfg(feature = "aws-lc")]
pub struct AwsLcSigner {
    key: aws_lc_rs::signature::RsaKeyPair,
    bits: usize,
}

#[cfg(feature = "aws-lc")]
impl fmt::Debug for AwsLcSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsLcSigner")
            .field("bits", &self.bits)
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "aws-lc")]
impl AwsLcSigner {
    /// A signer using `key`.
    ///
    /// # Errors
    /// [`KeyError::InvalidKey`] if AWS-LC rejects the key (not expected for a key
    /// [`PrivateKey`] accepted).
    pub fn new(key: &PrivateKey) -> Result<Self, KeyError> {
        let der = key.to_pkcs8_der()?;
        let pair =
            aws_lc_rs::signature::RsaKeyPair::from_pkcs8(&der).map_err(|_| KeyError::InvalidKey)?;
        Ok(Self {
            key: pair,
            bits: key.bits(),
        })
    }

    /// Parses a PEM private key (PKCS#1 or PKCS#8) and builds a signer from it.
    ///
    /// # Errors
    /// As [`PrivateKey::from_pem`].
    pub fn from_pem(pem: &[u8]) -> Result<Self, KeyError> {
        Self::new(&PrivateKey::from_pem(pem)?)
    }

    /// Signs synchronously (the work [`Signer::sign`] does).
    ///
    /// # Errors
    /// [`SignError::Signer`] if AWS-LC reports a failure.
    pub fn sign_sync(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        let mut sig = vec![0u8; self.key.public_modulus_len()];
        let rng = aws_lc_rs::rand::SystemRandom::new();
        self.key
            .sign(
                &aws_lc_rs::signature::RSA_PKCS1_SHA256,
                &rng,
                message,
                &mut sig,
            )
            .map_err(|_| SignError::signer("AWS-LC RSA signing failed"))?;
        Ok(sig)
    }
}

#[cfg(feature = "aws-lc")]
#[async_trait]
impl Signer for AwsLcSigner {
    async fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        self.sign_sync(message)
    }
}
