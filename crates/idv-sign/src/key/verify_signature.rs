//! [`PublicKey::verify_signature`]: checks a raw signature of either algorithm, in pure Rust.

use rsa::signature::Verifier as _;

use super::public_key::PublicKey;
use crate::algorithm::SignatureAlgorithm;

/// A signature that does not verify: another message, another key, another algorithm, a PSS
/// salt that is not 48 bytes, or not a signature at all. Carries nothing from its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the signature does not match the message and key")]
pub struct SignatureMismatch;

impl PublicKey {
    /// Verifies `signature` (raw bytes, as long as the modulus) over `message` with `algorithm`,
    /// using the pure-Rust `rsa` crate whatever backend signed it. PSS requires MGF1 with the
    /// same hash and a salt of the hash's length (48 bytes for `PS384`).
    ///
    /// ```
    /// use idv_sign::{PrivateKey, RsaSigner, SignatureAlgorithm, SignatureMismatch};
    /// # let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
    /// #     "/../../fixtures/signing/TEST-ONLY-key.pkcs8.pem")).unwrap();
    /// let key = PrivateKey::from_pem(&pem)?;
    /// let pss = SignatureAlgorithm::RsaPssSha384;
    /// let sig = RsaSigner::new(&key).sign_with_sync(pss, b"message")?;
    /// let public = key.public_key();
    /// public.verify_signature(pss, b"message", &sig)?;
    /// assert_eq!(public.verify_signature(pss, b"massage", &sig), Err(SignatureMismatch));
    /// let pkcs1 = SignatureAlgorithm::RsaPkcs1Sha256;
    /// assert_eq!(public.verify_signature(pkcs1, b"message", &sig), Err(SignatureMismatch));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`SignatureMismatch`]; never panics on any input.
    pub fn verify_signature(
        &self,
        algorithm: SignatureAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), SignatureMismatch> {
        if signature.len() != self.signature_len() {
            return Err(SignatureMismatch);
        }
        match algorithm {
            SignatureAlgorithm::RsaPkcs1Sha256 => {
                let signature =
                    rsa::pkcs1v15::Signature::try_from(signature).map_err(|_| SignatureMismatch)?;
                rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(self.rsa().clone())
                    .verify(message, &signature)
                    .map_err(|_| SignatureMismatch)
            }
            SignatureAlgorithm::RsaPssSha384 => self
                .rsa()
                .pss_verify::<sha2::Sha384>(message, signature)
                .map_err(|_| SignatureMismatch),
        }
    }
}
