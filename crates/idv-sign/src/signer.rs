//! The [`Signer`] trait: what signs with the application's key (a built-in backend, a KMS, an HSM).

use std::fmt;

use async_trait::async_trait;

use crate::algorithm::SignatureAlgorithm;
use crate::sign_error::SignError;

/// Something that signs with the application's RSA key.
///
/// Two signatures are needed:
///
/// * [`sign`](Self::sign): RSASSA-PKCS1-v1_5 / SHA-256 of a request's canonical message, for the
///   `X-Yoti-Auth-Digest` header of every signed request. Required.
/// * [`sign_with`](Self::sign_with): any [`SignatureAlgorithm`]; in particular
///   [`RsaPssSha384`](SignatureAlgorithm::RsaPssSha384) (JWS `PS384`) for the client-assertion
///   JWT of the bearer-token flow ([`ClientAssertion`](crate::ClientAssertion)). Its default
///   passes PKCS#1 v1.5 / SHA-256 to `sign` and refuses everything else with
///   [`SignError::UnsupportedAlgorithm`], so a signer written for request signing keeps
///   compiling and working, and fails with a clear error only if asked for a bearer token.
///
/// Both receive the whole message (not a hash) and return the raw signature bytes (as long as
/// the modulus: 256 for a 2048-bit key); the caller encodes them. Built in: [`RsaSigner`](crate::RsaSigner)
/// (pure Rust, the default) and `AwsLcSigner` (cargo feature `aws-lc`, several times faster);
/// both implement every algorithm.
///
/// # Writing a KMS or HSM signer
///
/// A key that never leaves a KMS or an HSM is used by implementing this trait. Hash the message
/// if the service takes a digest, and ask for the matching scheme:
///
/// | [`SignatureAlgorithm`] | hash | AWS KMS `SigningAlgorithm` | Azure Key Vault | PKCS#11 mechanism |
/// |---|---|---|---|---|
/// | `RsaPkcs1Sha256` | SHA-256 | `RSASSA_PKCS1_V1_5_SHA_256` | `RS256` | `CKM_SHA256_RSA_PKCS` |
/// | `RsaPssSha384` | SHA-384 | `RSASSA_PSS_SHA_384` | `PS384` | `CKM_SHA384_RSA_PKCS_PSS` (`CKG_MGF1_SHA384`, `sLen` 48) |
///
/// (with a digest: AWS KMS `MessageType::Digest`; PKCS#11 `CKM_RSA_PKCS` over a DigestInfo, or
/// `CKM_RSA_PKCS_PSS` with the same parameters). The PSS salt must be 48 bytes, the hash length:
/// that is what every verifier of `PS384` expects. Return the signature bytes. The methods are
/// async, so a network round trip is fine: `sign` is called once per request attempt,
/// `sign_with(RsaPssSha384, …)` once per bearer token (every few minutes). Map failures to
/// [`SignError::signer_with_source`], and keep secrets out of `Debug` and of error messages.
///
/// ```
/// use async_trait::async_trait;
/// use idv_sign::{SignError, SignatureAlgorithm, Signer};
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
///         self.sign_with(SignatureAlgorithm::RsaPkcs1Sha256, message).await
///     }
///
///     async fn sign_with(
///         &self,
///         algorithm: SignatureAlgorithm,
///         message: &[u8],
///     ) -> Result<Vec<u8>, SignError> {
///         use sha2::Digest as _;
///         let (kms_algorithm, digest) = match algorithm {
///             SignatureAlgorithm::RsaPkcs1Sha256 => {
///                 ("RSASSA_PKCS1_V1_5_SHA_256", sha2::Sha256::digest(message).to_vec())
///             }
///             SignatureAlgorithm::RsaPssSha384 => {
///                 ("RSASSA_PSS_SHA_384", sha2::Sha384::digest(message).to_vec())
///             }
///             other => return Err(SignError::unsupported_algorithm(other)),
///         };
///         kms_sign(&self.key_id, kms_algorithm, &digest)
///             .await
///             .map_err(|e| SignError::signer_with_source("KMS Sign call failed", e))
///     }
/// }
/// # async fn kms_sign(_key: &str, _alg: &str, _digest: &[u8]) -> Result<Vec<u8>, std::io::Error> {
/// #     Err(std::io::Error::other("no KMS in doc tests"))
/// # }
/// ```
///
/// A signer that implements only `sign` still signs requests, and refuses the JWT:
///
/// ```
/// # use async_trait::async_trait;
/// # use idv_sign::{SignError, SignatureAlgorithm, Signer};
/// #[derive(Debug)]
/// struct RequestsOnly;
///
/// #[async_trait]
/// impl Signer for RequestsOnly {
///     async fn sign(&self, _message: &[u8]) -> Result<Vec<u8>, SignError> {
///         Ok(vec![1; 256])
///     }
/// }
///
/// # let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
/// let pss = rt.block_on(RequestsOnly.sign_with(SignatureAlgorithm::RsaPssSha384, b"m"));
/// assert!(matches!(
///     pss,
///     Err(SignError::UnsupportedAlgorithm { algorithm: SignatureAlgorithm::RsaPssSha384 })
/// ));
/// let pkcs1 = rt.block_on(RequestsOnly.sign_with(SignatureAlgorithm::RsaPkcs1Sha256, b"m"));
/// assert_eq!(pkcs1.unwrap(), vec![1; 256]);
/// ```
#[async_trait]
pub trait Signer: Send + Sync + fmt::Debug {
    /// Signs `message` (RSASSA-PKCS1-v1_5 with SHA-256) and returns the raw signature.
    ///
    /// # Errors
    /// [`SignError::Signer`] when the signature cannot be produced.
    async fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError>;

    /// Signs `message` with `algorithm` and returns the raw signature.
    ///
    /// The default passes [`SignatureAlgorithm::RsaPkcs1Sha256`] to [`sign`](Self::sign) and
    /// refuses any other algorithm; override it to support `PS384` (bearer tokens).
    ///
    /// # Errors
    /// [`SignError::UnsupportedAlgorithm`] for an algorithm the signer does not implement;
    /// [`SignError::Signer`] when the signature cannot be produced.
    async fn sign_with(
        &self,
        algorithm: SignatureAlgorithm,
        message: &[u8],
    ) -> Result<Vec<u8>, SignError> {
        match algorithm {
            SignatureAlgorithm::RsaPkcs1Sha256 => self.sign(message).await,
            other => Err(SignError::unsupported_algorithm(other)),
        }
    }
}
