//! [`AwsLcSigner`]: the fast backend (AWS-LC through `aws-lc-rs`), behind the feature `aws-lc`.

use std::fmt;

use async_trait::async_trait;

use crate::algorithm::SignatureAlgorithm;
use crate::key::{KeyError, PrivateKey};
use crate::sign_error::SignError;
use crate::signer::Signer;

/// The fast signer (AWS-LC through `aws-lc-rs`).
///
/// Available on crate feature `aws-lc` only.
///
/// Several times the throughput of [`RsaSigner`](crate::RsaSigner), on a par with OpenSSL. Its
/// PKCS#1 v1.5 output is byte-identical to `RsaSigner`'s; its `PS384` signatures (48-byte salt)
/// verify with `RsaSigner`'s verifier, [`PublicKey::verify_signature`](crate::PublicKey::verify_signature),
/// and the other way round.
pub struct AwsLcSigner {
    key: aws_lc_rs::signature::RsaKeyPair,
    bits: usize,
}

impl fmt::Debug for AwsLcSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsLcSigner")
            .field("bits", &self.bits)
            .finish_non_exhaustive()
    }
}

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

    /// Signs synchronously with RSASSA-PKCS1-v1_5 / SHA-256 (the work [`Signer::sign`] does).
    ///
    /// # Errors
    /// [`SignError::Signer`] if AWS-LC reports a failure.
    pub fn sign_sync(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        self.sign_with_sync(SignatureAlgorithm::RsaPkcs1Sha256, message)
    }

    /// Signs synchronously with `algorithm` (the work [`Signer::sign_with`] does). PSS uses a
    /// fresh 48-byte salt (AWS-LC's default: the hash length).
    ///
    /// # Errors
    /// [`SignError::Signer`] if AWS-LC reports a failure.
    pub fn sign_with_sync(
        &self,
        algorithm: SignatureAlgorithm,
        message: &[u8],
    ) -> Result<Vec<u8>, SignError> {
        let encoding: &'static dyn aws_lc_rs::signature::RsaEncoding = match algorithm {
            SignatureAlgorithm::RsaPkcs1Sha256 => &aws_lc_rs::signature::RSA_PKCS1_SHA256,
            SignatureAlgorithm::RsaPssSha384 => &aws_lc_rs::signature::RSA_PSS_SHA384,
        };
        let mut sig = vec![0u8; self.key.public_modulus_len()];
        let rng = aws_lc_rs::rand::SystemRandom::new();
        self.key
            .sign(encoding, &rng, message, &mut sig)
            .map_err(|_| SignError::signer("AWS-LC RSA signing failed"))?;
        Ok(sig)
    }
}

#[async_trait]
impl Signer for AwsLcSigner {
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
