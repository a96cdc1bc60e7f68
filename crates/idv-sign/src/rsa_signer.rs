//! [`RsaSigner`]: the pure-Rust backend (the `rsa` crate), the default.

use std::fmt;

use async_trait::async_trait;

use crate::algorithm::SignatureAlgorithm;
use crate::key::{KeyError, PrivateKey};
use crate::sign_error::SignError;
use crate::signer::Signer;

/// The pure-Rust signer (the `rsa` crate, with RSA blinding): the default backend.
///
/// Portable (no C toolchain) and constant-time; a few hundred RSA-2048 signatures a second per
/// core. Enable the `aws-lc` feature and use `AwsLcSigner` for several times the throughput
/// (`cargo bench -p idv-sign --features aws-lc` measures both). Both give byte-identical
/// PKCS#1 v1.5 signatures (deterministic), and `PS384` signatures that each verifies with the
/// other's verifier (PSS is randomised: the bytes differ every time).
///
/// ```
/// use idv_sign::{PrivateKey, RsaSigner, SignatureAlgorithm};
/// # let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
/// #     "/../../fixtures/signing/TEST-ONLY-key.pkcs8.pem")).unwrap();
/// let key = PrivateKey::from_pem(&pem)?;
/// let signer = RsaSigner::new(&key);
/// let sig = signer.sign_with_sync(SignatureAlgorithm::RsaPssSha384, b"header.payload")?;
/// key.public_key()
///     .verify_signature(SignatureAlgorithm::RsaPssSha384, b"header.payload", &sig)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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

    /// Signs synchronously with RSASSA-PKCS1-v1_5 / SHA-256 (the work [`Signer::sign`] does).
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

    /// Signs synchronously with `algorithm` (the work [`Signer::sign_with`] does). PSS uses a
    /// fresh 48-byte salt from the OS RNG.
    ///
    /// # Errors
    /// [`SignError::Signer`] if the RSA operation fails (e.g. the OS RNG).
    pub fn sign_with_sync(
        &self,
        algorithm: SignatureAlgorithm,
        message: &[u8],
    ) -> Result<Vec<u8>, SignError> {
        match algorithm {
            SignatureAlgorithm::RsaPkcs1Sha256 => self.sign_sync(message),
            SignatureAlgorithm::RsaPssSha384 => {
                let key: &rsa::PrivateKey = self.key.as_ref();
                // Salt length = SHA-384's output size (48), as JWS PS384 requires.
                key.pss_sign::<sha2::Sha384>(message).map_err(|e| {
                    SignError::signer_with_source("RSA-PSS signing failed", e.to_string())
                })
            }
        }
    }
}

#[async_trait]
impl Signer for RsaSigner {
    async fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        self.sign_sync(message)
    }

    async fn sign_with(
        &self,
        algorithm: SignatureAlgorithm,
        message: &[u8],
    ) -> Result<Vec<u8>, SignError> {
        self.sign_with_sync(algorithm, message)
    }
}
