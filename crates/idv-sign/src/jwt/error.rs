//! [`JwtError`]: why a client assertion was refused.

use std::fmt;

/// One of the three dot-separated parts of a compact JWT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JwtPart {
    /// The JOSE header.
    Header,
    /// The claims.
    Payload,
    /// The signature.
    Signature,
}

impl fmt::Display for JwtPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Header => "header",
            Self::Payload => "payload",
            Self::Signature => "signature",
        })
    }
}

/// Why [`verify_client_assertion`](crate::verify_client_assertion) refused a client assertion.
///
/// Never contains the token or any part of it: claims are named, not quoted. Times are seconds
/// since the Unix epoch.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwtError {
    /// The JWT is longer than [`MAX_JWT_LEN`](crate::MAX_JWT_LEN); it was not read.
    #[error("the JWT is longer than {max} bytes")]
    TooLong {
        /// The limit.
        max: usize,
    },
    /// Not three dot-separated parts (`header.payload.signature`).
    #[error("the JWT is not three dot-separated parts (header.payload.signature)")]
    NotThreeParts,
    /// A part is not unpadded base64url (RFC 7515 §2).
    #[error("the JWT {0} is not unpadded base64url")]
    NotBase64Url(JwtPart),
    /// The header or the payload is not a JSON object.
    #[error("the JWT {0} is not a JSON object")]
    NotJsonObject(JwtPart),
    /// The header has no `alg`, or its `alg` is not `PS384` (`none`, `RS256`, `HS256`, … are
    /// all refused).
    #[error("the JWT header's alg is not PS384")]
    WrongAlgorithm,
    /// The header's `typ` is present and not `JWT`.
    #[error("the JWT header's typ is not JWT")]
    WrongType,
    /// The header has a `crit` member: no extension is understood, so none may be critical
    /// (RFC 7515 §4.1.11).
    #[error("the JWT header lists critical extensions (crit), none of which is supported")]
    CriticalExtension,
    /// The signature does not verify with the application's key (the header or payload was
    /// changed, another key signed it, or the PSS salt is not 48 bytes).
    #[error("the JWT signature does not match its header and payload for this key")]
    SignatureMismatch,
    /// A required claim is missing.
    #[error("the JWT claim `{0}` is missing")]
    MissingClaim(&'static str),
    /// A claim has the wrong type (or an empty value).
    #[error("the JWT claim `{claim}` must be {expected}")]
    InvalidClaim {
        /// The claim.
        claim: &'static str,
        /// What it must be.
        expected: &'static str,
    },
    /// `iss` is not `sdk:<sdkId>`.
    #[error("the JWT issuer (iss) is not of the form sdk:<sdkId>")]
    InvalidIssuer,
    /// `sub` differs from `iss`.
    #[error("the JWT subject (sub) differs from its issuer (iss)")]
    SubjectMismatch,
    /// `aud` is not the expected audience (this token endpoint's URL).
    #[error("the JWT audience (aud) is not this token endpoint")]
    WrongAudience,
    /// `exp` is not after `iat`.
    #[error("the JWT expires (exp {exp}) no later than it was issued (iat {iat})")]
    ExpiresBeforeIssued {
        /// `iat`.
        iat: u64,
        /// `exp`.
        exp: u64,
    },
    /// `exp` − `iat` exceeds [`CLIENT_ASSERTION_LIFETIME_SECS`](crate::CLIENT_ASSERTION_LIFETIME_SECS).
    #[error("the JWT lifetime (exp - iat = {lifetime_secs} s) exceeds {max_secs} s")]
    LifetimeTooLong {
        /// `exp` − `iat`.
        lifetime_secs: u64,
        /// The limit.
        max_secs: u64,
    },
    /// `iat` (or `nbf`) is more than [`MAX_CLOCK_SKEW_SECS`](crate::MAX_CLOCK_SKEW_SECS) in the
    /// future.
    #[error(
        "the JWT is not valid yet ({claim} {at} is after now {now} plus the allowed clock skew)"
    )]
    NotYetValid {
        /// `iat` or `nbf`.
        claim: &'static str,
        /// Its value.
        at: u64,
        /// The verifier's time.
        now: u64,
    },
    /// `exp` has passed.
    #[error("the JWT expired (exp {exp}, now {now})")]
    Expired {
        /// `exp`.
        exp: u64,
        /// The verifier's time.
        now: u64,
    },
}
