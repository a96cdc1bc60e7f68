//! [`SignatureAlgorithm`]: the RSA signature schemes the IDV API uses.

use std::fmt;

/// An RSA signature scheme a [`Signer`](crate::Signer) may be asked to produce.
///
/// Both take the whole message (not a hash) and give a signature as long as the key's modulus.
///
/// ```
/// use idv_sign::SignatureAlgorithm;
///
/// assert_eq!(SignatureAlgorithm::RsaPssSha384.jws_name(), "PS384");
/// assert_eq!(SignatureAlgorithm::RsaPssSha384.salt_len(), Some(48));
/// assert!(SignatureAlgorithm::RsaPkcs1Sha256.is_deterministic());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256: the `X-Yoti-Auth-Digest` of every signed request
    /// (IDV-API.md §3.1). Deterministic.
    RsaPkcs1Sha256,
    /// RSASSA-PSS with SHA-384, MGF1 with SHA-384 and a 48-byte (hash-length) salt: JWS `PS384`,
    /// the client-assertion JWT of the bearer-token flow (IDV-API.md §3.10). Randomised: two
    /// signatures of one message differ, and both verify.
    RsaPssSha384,
}

impl SignatureAlgorithm {
    /// The JWS `alg` name (RFC 7518 §3.1): `RS256` or `PS384`.
    pub const fn jws_name(self) -> &'static str {
        match self {
            Self::RsaPkcs1Sha256 => "RS256",
            Self::RsaPssSha384 => "PS384",
        }
    }

    /// The PSS salt length in bytes (the hash length), or `None` for PKCS#1 v1.5.
    pub const fn salt_len(self) -> Option<usize> {
        match self {
            Self::RsaPkcs1Sha256 => None,
            Self::RsaPssSha384 => Some(48),
        }
    }

    /// Whether the same key and message always give the same signature.
    pub const fn is_deterministic(self) -> bool {
        matches!(self, Self::RsaPkcs1Sha256)
    }
}

impl fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::RsaPkcs1Sha256 => "RSASSA-PKCS1-v1_5 with SHA-256 (RS256)",
            Self::RsaPssSha384 => "RSASSA-PSS with SHA-384, MGF1-SHA-384, 48-byte salt (PS384)",
        })
    }
}
