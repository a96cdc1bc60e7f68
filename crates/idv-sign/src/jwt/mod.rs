//! The client-assertion JWT of the bearer-token flow (IDV-API.md §3.10).
//!
//! Instead of signing every request, a client may sign one short-lived JWT, exchange it at
//! Yoti's OAuth token endpoint (`application/x-www-form-urlencoded`: `grant_type`
//! [`GRANT_TYPE_CLIENT_CREDENTIALS`], `client_assertion_type`
//! [`CLIENT_ASSERTION_TYPE_JWT_BEARER`], `client_assertion` the JWT, `scope`) for an access
//! token, and send `Authorization: Bearer <token>` until it expires. [`ClientAssertion`] builds
//! and signs the JWT through any [`Signer`](crate::Signer); [`verify_client_assertion`] is what
//! the token endpoint checks (the sandbox uses it).

mod claims;
mod client_assertion;
mod constants;
mod error;
mod verify;

pub use claims::ClientAssertionClaims;
pub use client_assertion::{ClientAssertion, SignedJwt};
pub use constants::{
    CLIENT_ASSERTION_HEADER, CLIENT_ASSERTION_LIFETIME_SECS, CLIENT_ASSERTION_TYPE_JWT_BEARER,
    GRANT_TYPE_CLIENT_CREDENTIALS, MAX_CLOCK_SKEW_SECS, MAX_JWT_LEN,
};
pub use error::{JwtError, JwtPart};
pub use verify::verify_client_assertion;
