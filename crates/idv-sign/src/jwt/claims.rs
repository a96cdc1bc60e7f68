//! [`ClientAssertionClaims`]: the claims of a client assertion, as signed or as verified.

use serde::Serialize;

/// The `iss` and `sub` prefix: both are `sdk:<sdkId>`.
pub(crate) const ISSUER_PREFIX: &str = "sdk:";

/// The claims of a client assertion (IDV-API.md §3.10): `iss` = `sub` = `sdk:<sdkId>`, `aud` the
/// token URL, `jti` a UUID v4, `iat` and `exp` in seconds since the Unix epoch.
///
/// Serialised in exactly this order: `iss`, `sub`, `aud`, `jti`, `iat`, `exp`. Not secret (the
/// signed JWT is): `Debug` shows every claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClientAssertionClaims {
    iss: String,
    sub: String,
    aud: String,
    jti: String,
    iat: u64,
    exp: u64,
}

impl ClientAssertionClaims {
    /// Claims for application `sdk_id`, audience `aud`, id `jti`, issued at `iat` and expiring at
    /// `exp` (seconds).
    pub(crate) fn new(sdk_id: &str, aud: String, jti: String, iat: u64, exp: u64) -> Self {
        let issuer = format!("{ISSUER_PREFIX}{sdk_id}");
        Self {
            sub: issuer.clone(),
            iss: issuer,
            aud,
            jti,
            iat,
            exp,
        }
    }

    /// The SDK id: `iss` without its `sdk:` prefix.
    pub fn sdk_id(&self) -> &str {
        self.iss.strip_prefix(ISSUER_PREFIX).unwrap_or(&self.iss)
    }

    /// `iss`: `sdk:<sdkId>`.
    pub fn issuer(&self) -> &str {
        &self.iss
    }

    /// `sub`: the same as `iss`.
    pub fn subject(&self) -> &str {
        &self.sub
    }

    /// `aud`: the token URL (for a verified assertion: the expected audience it matched).
    pub fn audience(&self) -> &str {
        &self.aud
    }

    /// `jti`: the assertion's unique id. A verifier rejects one it has seen before (until `exp`).
    pub fn jti(&self) -> &str {
        &self.jti
    }

    /// `iat`: when it was issued, in seconds since the Unix epoch.
    pub fn issued_at(&self) -> u64 {
        self.iat
    }

    /// `exp`: when it expires, in seconds since the Unix epoch.
    pub fn expires_at(&self) -> u64 {
        self.exp
    }

    /// The claims as compact JSON, in the documented order.
    pub(crate) fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }
}
