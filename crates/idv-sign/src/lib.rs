//! Yoti IDV request signing and verification, byte-exact and free of I/O.
//!
//! Most users want [`idv-client`](https://docs.rs/idv-client), which signs every request with
//! this crate. Depend on `idv-sign` to call the API from an HTTP stack of your own (its
//! `sign_by_hand` example), to sign with a KMS or HSM (the [`Signer`] trait), or to verify
//! requests as the API does (a mock server).
//!
//! Every call to Yoti's Identity Verification API carries `sdkId`, `nonce` and `timestamp` query
//! parameters and an `X-Yoti-Auth-Digest` header: the RSASSA-PKCS1-v1_5 / SHA-256 signature of
//! `METHOD&PATH?QUERY[&BASE64(BODY)]`. This crate builds that query and message once, so the
//! target that is sent and the one that is signed are the same string; signs it with a pluggable
//! [`Signer`]; and verifies received requests (for sandboxes and tests). For the bearer-token
//! alternative it signs and verifies the `PS384` client-assertion JWT.
//!
//! * Keys: [`PrivateKey`] (PKCS#1 or PKCS#8, PEM or DER, from bytes, a file or an environment
//!   variable; precise [`KeyError`]s; zeroised on drop) and [`PublicKey`] (SPKI, PKCS#1 or a
//!   certificate; [`PublicKey::verify_signature`] checks a raw signature of either
//!   [`SignatureAlgorithm`]).
//! * Signers: [`RsaSigner`] (pure Rust, blinded, the default: no C toolchain needed) and
//!   `AwsLcSigner` (feature `aws-lc`: several times faster), or your own KMS or HSM through the
//!   [`Signer`] trait. [`Signer::sign`] is PKCS#1 v1.5 / SHA-256; [`Signer::sign_with`] takes a
//!   [`SignatureAlgorithm`] (RSASSA-PSS / SHA-384 too), and refuses what a signer does not
//!   implement with [`SignError::UnsupportedAlgorithm`].
//! * Requests: [`RequestSigner`] turns an [`UnsignedRequest`] into a [`SignedRequest`]
//!   (`path_and_query()`, `headers()`), with an injectable [`Clock`] and [`NonceSource`].
//! * Sending (feature `http`): `SignedRequest::apply_to(base_url, &mut http::Request)` sets the
//!   method, the URI (base URL + exactly the signed target) and the three headers, the digest
//!   marked sensitive; `header_names` has the header names as `http::HeaderName`s. The names are
//!   defined once, in [`HEADER_AUTH_DIGEST`], [`HEADER_SDK`] and [`HEADER_SDK_VERSION`].
//! * Verifying: [`verify_request`] and [`AuthParams`].
//! * Bearer tokens (IDV-API.md §3.10): [`ClientAssertion`] signs the client-assertion JWT
//!   (`PS384`; `iss` = `sub` = `sdk:<sdkId>`, `aud` the token URL, a fresh UUID v4 `jti`, `iat`,
//!   `exp` = `iat` + 300) into a [`SignedJwt`] that redacts itself; [`verify_client_assertion`]
//!   is the token endpoint's check, returning the [`ClientAssertionClaims`] or a [`JwtError`].
//!
//! # Backends
//!
//! PKCS#1 v1.5 is deterministic, so both built-in signers give byte-identical digests; PSS is
//! randomised, and each backend's `PS384` signature verifies with the other's verifier. The
//! pure-Rust [`RsaSigner`] is the default: it builds anywhere without a C compiler and is
//! RustCrypto's blinded, constant-time implementation. `AwsLcSigner` (feature `aws-lc`) runs the
//! same operation in AWS-LC at several times the speed; the signature is nearly all of a client's
//! CPU per request, so enable it for high request rates. A KMS or HSM plugs in through the
//! [`Signer`] trait (see its documentation for how).
//!
//! No async runtime, no HTTP stack: [`Signer::sign`], [`Signer::sign_with`] and
//! [`ClientAssertion::sign`] are async only so that a remote signer can be awaited. The `http`
//! feature adds only the `http` types crate.
//!
//! # Signing a request
//!
//! ```
//! use std::sync::Arc;
//! use idv_sign::{PrivateKey, RequestSigner, RsaSigner, UnsignedRequest};
//! # let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
//! #     "/../../fixtures/signing/TEST-ONLY-key.pkcs8.pem")).unwrap();
//!
//! let key = PrivateKey::from_pem(&pem)?; // parsed once, reused for every request
//! let signer = RequestSigner::new("your-sdk-id", Arc::new(RsaSigner::new(&key)));
//!
//! let body = br#"{"client_session_token_ttl":600}"#;
//! let request = UnsignedRequest::post("/sessions", body);
//! # let rt = tokio::runtime::Builder::new_current_thread().build()?;
//! let signed = rt.block_on(signer.sign(&request))?; // any executor; `.await` in async code
//!
//! // Send to BASE_URL + signed.path_and_query(), with signed.headers() and the same body.
//! assert!(signed.path_and_query().starts_with("/sessions?sdkId=your-sdk-id&nonce="));
//! assert!(signed.message().starts_with("POST&/sessions?sdkId="));
//! for (name, value) in signed.headers() {
//!     assert!(name.starts_with("X-Yoti-") && !value.is_empty());
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Verifying a request
//!
//! ```
//! # use std::sync::Arc;
//! # use idv_sign::{PrivateKey, RequestSigner, RsaSigner, UnsignedRequest};
//! # let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
//! #     "/../../fixtures/signing/TEST-ONLY-key.pkcs8.pem")).unwrap();
//! # let key = PrivateKey::from_pem(&pem)?;
//! # let signer = RequestSigner::new("your-sdk-id", Arc::new(RsaSigner::new(&key)));
//! # let rt = tokio::runtime::Builder::new_current_thread().build()?;
//! # let signed = rt.block_on(signer.sign(&UnsignedRequest::get("/sessions/abc")))?;
//! use idv_sign::{PublicKey, VerifyError, verify_request};
//! # let public_pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
//! #     "/../../fixtures/signing/TEST-ONLY-key.public.pem")).unwrap();
//!
//! let public = PublicKey::from_pem(&public_pem)?;
//! // The raw target as received, with the `/idverify/v1` base stripped; the digest header.
//! let target = signed.path_and_query();
//! let params = verify_request(&public, "GET", target, b"", signed.digest().expose())?;
//! assert_eq!(params.sdk_id(), "your-sdk-id");
//! // Anything else fails, e.g. another method:
//! assert_eq!(
//!     verify_request(&public, "DELETE", target, b"", signed.digest().expose()),
//!     Err(VerifyError::SignatureMismatch)
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

// docs.rs (nightly, `--cfg docsrs`) labels feature-gated items with the feature they need.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod algorithm;
#[cfg(feature = "http")]
mod apply_to_http;
#[cfg(feature = "aws-lc")]
mod aws_lc_signer;
mod canonical;
mod clock;
mod digest;
#[cfg(feature = "http")]
pub mod header_names;
mod headers;
mod jwt;
mod key;
mod nonce;
mod request_rules;
mod request_signer;
mod rsa_signer;
mod sign_error;
mod signed_request;
mod signer;
mod unsigned_request;
mod verify;

pub use algorithm::SignatureAlgorithm;
#[cfg(feature = "http")]
pub use apply_to_http::ApplyError;
#[cfg(feature = "aws-lc")]
pub use aws_lc_signer::AwsLcSigner;
pub use canonical::{canonical_message, percent_encode_into};
pub use clock::{Clock, FixedClock, SystemClock};
pub use digest::{AuthDigest, sign_message};
pub use headers::{HEADER_AUTH_DIGEST, HEADER_SDK, HEADER_SDK_VERSION, SDK_NAME, SDK_VERSION};
pub use jwt::{
    CLIENT_ASSERTION_HEADER, CLIENT_ASSERTION_LIFETIME_SECS, CLIENT_ASSERTION_TYPE_JWT_BEARER,
    ClientAssertion, ClientAssertionClaims, GRANT_TYPE_CLIENT_CREDENTIALS, JwtError, JwtPart,
    MAX_CLOCK_SKEW_SECS, MAX_JWT_LEN, SignedJwt, verify_client_assertion,
};
pub use key::{KeyError, MAX_KEY_BITS, MIN_KEY_BITS, PrivateKey, PublicKey, SignatureMismatch};
pub use nonce::{FixedNonce, NonceSource, RandomNonce};
pub use request_signer::RequestSigner;
pub use rsa_signer::RsaSigner;
pub use sign_error::SignError;
pub use signed_request::SignedRequest;
pub use signer::Signer;
pub use unsigned_request::UnsignedRequest;
pub use verify::{AuthParams, VerifyError, verify_message, verify_request};
