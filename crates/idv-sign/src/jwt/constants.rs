//! The fixed values of the client assertion and of the token request that carries it.

/// The JOSE header of every client assertion, exactly as signed (IDV-API.md §3.10).
pub const CLIENT_ASSERTION_HEADER: &str = r#"{"alg":"PS384","typ":"JWT"}"#;

/// `exp` − `iat` of a client assertion, in seconds (IDV-API.md §3.10); also the longest lifetime
/// [`verify_client_assertion`](crate::verify_client_assertion) accepts.
pub const CLIENT_ASSERTION_LIFETIME_SECS: u64 = 300;

/// How far in the future (seconds, by the verifier's clock) an assertion's `iat` (or `nbf`) may
/// be: room for the client's clock to run ahead of the verifier's, not more, so that an
/// assertion is never usable for much longer than its 300 seconds.
pub const MAX_CLOCK_SKEW_SECS: u64 = 60;

/// The longest JWT [`verify_client_assertion`](crate::verify_client_assertion) reads, in bytes.
/// A client assertion signed with an 8192-bit key is about 1.7 KB.
pub const MAX_JWT_LEN: usize = 8 * 1024;

/// The token request's `grant_type` value (form field `grant_type`).
pub const GRANT_TYPE_CLIENT_CREDENTIALS: &str = "client_credentials";

/// The token request's `client_assertion_type` value (RFC 7523 §2.2): the `client_assertion`
/// field holds a JWT.
pub const CLIENT_ASSERTION_TYPE_JWT_BEARER: &str =
    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
