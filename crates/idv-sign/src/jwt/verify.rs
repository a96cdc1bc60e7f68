//! [`verify_client_assertion`]: what a token endpoint checks before issuing a token.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use super::claims::{ClientAssertionClaims, ISSUER_PREFIX};
use super::constants::{CLIENT_ASSERTION_LIFETIME_SECS, MAX_CLOCK_SKEW_SECS, MAX_JWT_LEN};
use super::error::{JwtError, JwtPart};
use crate::algorithm::SignatureAlgorithm;
use crate::clock::Clock;
use crate::key::PublicKey;

/// Verifies a client assertion (IDV-API.md §3.10) as a token endpoint does, and returns its
/// claims.
///
/// In order: the size (at most [`MAX_JWT_LEN`](crate::MAX_JWT_LEN)) and shape
/// (`header.payload.signature`, unpadded base64url); the header (`alg` exactly `PS384`; `typ`, if
/// present, `JWT`; no `crit`); the RSASSA-PSS / SHA-384 signature with `key` (nothing of the
/// payload is read before it verifies); the claims `iss` = `sdk:<sdkId>`, `sub` = `iss`,
/// `aud` = `expected_audience` (a string, or an array holding it), a non-empty `jti`, integer
/// `iat` and `exp` with `0 < exp − iat ≤ 300`; and the time by `now`: not expired (`now < exp`),
/// `iat` (and `nbf`, if present) at most [`MAX_CLOCK_SKEW_SECS`](crate::MAX_CLOCK_SKEW_SECS)
/// ahead. Other claims are ignored.
///
/// Replay protection is the caller's: remember each returned [`jti`](ClientAssertionClaims::jti)
/// until its [`expires_at`](ClientAssertionClaims::expires_at), and refuse it if it comes again.
///
/// ```
/// use idv_sign::{FixedClock, JwtError, PublicKey, verify_client_assertion};
/// # let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
/// #     "/../../fixtures/signing/TEST-ONLY-key.public.pem")).unwrap();
/// let key = PublicKey::from_pem(&pem)?;
/// let aud = "https://auth.api.yoti.com/v1/oauth/token";
/// let verify = |jwt| verify_client_assertion(&key, jwt, aud, &FixedClock(1_700_000_000_000));
/// assert_eq!(verify("a.b"), Err(JwtError::NotThreeParts));
/// // {"alg":"none"}: unsigned tokens are refused before anything else is read.
/// assert_eq!(verify("eyJhbGciOiJub25lIn0.e30."), Err(JwtError::WrongAlgorithm));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// A [`JwtError`] naming the first check that failed; never the token. Never panics.
pub fn verify_client_assertion(
    key: &PublicKey,
    jwt: &str,
    expected_audience: &str,
    now: &dyn Clock,
) -> Result<ClientAssertionClaims, JwtError> {
    if jwt.len() > MAX_JWT_LEN {
        return Err(JwtError::TooLong { max: MAX_JWT_LEN });
    }
    let mut parts = jwt.split('.');
    let (Some(header_b64), Some(payload_b64), Some(signature_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::NotThreeParts);
    };

    check_header(&json_object(header_b64, JwtPart::Header)?)?;

    let signature = decode(signature_b64, JwtPart::Signature)?;
    let signing_input_len = header_b64.len() + 1 + payload_b64.len();
    key.verify_signature(
        SignatureAlgorithm::RsaPssSha384,
        &jwt.as_bytes()[..signing_input_len],
        &signature,
    )
    .map_err(|_| JwtError::SignatureMismatch)?;

    let payload = json_object(payload_b64, JwtPart::Payload)?;
    let claims = claims(&payload, expected_audience)?;
    check_times(&claims, optional_seconds(&payload, "nbf")?, now)?;
    Ok(claims)
}

fn decode(part_b64: &str, part: JwtPart) -> Result<Vec<u8>, JwtError> {
    URL_SAFE_NO_PAD
        .decode(part_b64)
        .map_err(|_| JwtError::NotBase64Url(part))
}

fn json_object(part_b64: &str, part: JwtPart) -> Result<Map<String, Value>, JwtError> {
    let bytes = decode(part_b64, part)?;
    // Duplicate members: the last one wins (RFC 7519 §4 allows it); the signature covers the
    // bytes, so nothing is ambiguous to the signer.
    serde_json::from_slice(&bytes).map_err(|_| JwtError::NotJsonObject(part))
}

fn check_header(header: &Map<String, Value>) -> Result<(), JwtError> {
    if header.get("alg").and_then(Value::as_str)
        != Some(SignatureAlgorithm::RsaPssSha384.jws_name())
    {
        return Err(JwtError::WrongAlgorithm);
    }
    if let Some(typ) = header.get("typ") {
        // RFC 7515 §4.1.9: compare media type names case-insensitively.
        if !typ.as_str().is_some_and(|t| t.eq_ignore_ascii_case("JWT")) {
            return Err(JwtError::WrongType);
        }
    }
    if header.contains_key("crit") {
        return Err(JwtError::CriticalExtension);
    }
    Ok(())
}

fn claims(
    payload: &Map<String, Value>,
    expected_audience: &str,
) -> Result<ClientAssertionClaims, JwtError> {
    let iss = non_empty_string(payload, "iss")?;
    let sdk_id = iss
        .strip_prefix(ISSUER_PREFIX)
        .filter(|id| !id.is_empty())
        .ok_or(JwtError::InvalidIssuer)?;
    if non_empty_string(payload, "sub")? != iss {
        return Err(JwtError::SubjectMismatch);
    }
    if !audience_matches(payload, expected_audience)? {
        return Err(JwtError::WrongAudience);
    }
    let jti = non_empty_string(payload, "jti")?;
    let iat = seconds(payload, "iat")?;
    let exp = seconds(payload, "exp")?;
    Ok(ClientAssertionClaims::new(
        sdk_id,
        expected_audience.to_owned(),
        jti.to_owned(),
        iat,
        exp,
    ))
}

fn check_times(
    claims: &ClientAssertionClaims,
    nbf: Option<u64>,
    now: &dyn Clock,
) -> Result<(), JwtError> {
    let (iat, exp) = (claims.issued_at(), claims.expires_at());
    let lifetime_secs = exp
        .checked_sub(iat)
        .filter(|&lifetime| lifetime > 0)
        .ok_or(JwtError::ExpiresBeforeIssued { iat, exp })?;
    if lifetime_secs > CLIENT_ASSERTION_LIFETIME_SECS {
        return Err(JwtError::LifetimeTooLong {
            lifetime_secs,
            max_secs: CLIENT_ASSERTION_LIFETIME_SECS,
        });
    }
    let now = now.now_millis() / 1000;
    if now >= exp {
        return Err(JwtError::Expired { exp, now });
    }
    let latest_start = now.saturating_add(MAX_CLOCK_SKEW_SECS);
    for (claim, at) in [("iat", Some(iat)), ("nbf", nbf)] {
        if let Some(at) = at.filter(|&at| at > latest_start) {
            return Err(JwtError::NotYetValid { claim, at, now });
        }
    }
    Ok(())
}

fn non_empty_string<'a>(
    payload: &'a Map<String, Value>,
    claim: &'static str,
) -> Result<&'a str, JwtError> {
    let value = payload.get(claim).ok_or(JwtError::MissingClaim(claim))?;
    value
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or(JwtError::InvalidClaim {
            claim,
            expected: "a non-empty string",
        })
}

fn seconds(payload: &Map<String, Value>, claim: &'static str) -> Result<u64, JwtError> {
    optional_seconds(payload, claim)?.ok_or(JwtError::MissingClaim(claim))
}

fn optional_seconds(
    payload: &Map<String, Value>,
    claim: &'static str,
) -> Result<Option<u64>, JwtError> {
    payload
        .get(claim)
        .map(|value| {
            value.as_u64().ok_or(JwtError::InvalidClaim {
                claim,
                expected: "a non-negative integer (seconds since the Unix epoch)",
            })
        })
        .transpose()
}

/// `aud` is a string or an array of strings (RFC 7519 §4.1.3); it must hold the expected one.
fn audience_matches(payload: &Map<String, Value>, expected: &str) -> Result<bool, JwtError> {
    const EXPECTED: &str = "a string or an array of strings";
    match payload.get("aud").ok_or(JwtError::MissingClaim("aud"))? {
        Value::String(aud) => Ok(aud == expected),
        Value::Array(auds) => {
            let mut found = false;
            for aud in auds {
                let aud = aud.as_str().ok_or(JwtError::InvalidClaim {
                    claim: "aud",
                    expected: EXPECTED,
                })?;
                found |= aud == expected;
            }
            Ok(found)
        }
        _ => Err(JwtError::InvalidClaim {
            claim: "aud",
            expected: EXPECTED,
        }),
    }
}
