//! [`RequestSigner`]: appends the auth query parameters, builds the message and signs it.

use std::fmt;
use std::sync::Arc;

use crate::canonical::{canonical_message, percent_encode_into};
use crate::clock::{Clock, SystemClock};
use crate::digest::{AuthDigest, sign_message};
use crate::nonce::{NonceSource, RandomNonce};
use crate::sign_error::SignError;
use crate::signed_request::SignedRequest;
use crate::signer::Signer;
use crate::unsigned_request::UnsignedRequest;

/// Signs requests for one application (SDK id) with one [`Signer`].
///
/// Cheap to clone (everything is behind an `Arc`), `Send + Sync`. Each call to
/// [`sign`](Self::sign) uses a fresh nonce and the current time: sign again for every retry.
///
/// ```
/// use std::sync::Arc;
/// use idv_sign::{FixedClock, FixedNonce, PrivateKey, RequestSigner, RsaSigner, UnsignedRequest};
/// # let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
/// #     "/../../fixtures/signing/TEST-ONLY-key.pkcs1.pem")).unwrap();
///
/// let key = PrivateKey::from_pem(&pem)?;
/// let signer = RequestSigner::new("11111111-2222-4333-8444-555555555555", Arc::new(RsaSigner::new(&key)))
///     .with_clock(Arc::new(FixedClock(1_700_000_000_000)))
///     .with_nonce_source(Arc::new(FixedNonce("0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d".into())));
///
/// let req = UnsignedRequest::get("/sessions/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
/// let signed = tokio_test_block_on(signer.sign(&req))?;
/// assert_eq!(
///     signed.path_and_query(),
///     "/sessions/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee?sdkId=11111111-2222-4333-8444-555555555555\
///      &nonce=0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d&timestamp=1700000000000"
/// );
/// assert_eq!(signed.message(), format!("GET&{}", signed.path_and_query()));
/// let headers = signed.headers();
/// assert_eq!(headers[0].0, "X-Yoti-Auth-Digest");
/// assert_eq!(headers[0].1.len(), 344);
///
/// // Verify it as a server would.
/// let params = idv_sign::verify_request(
///     &key.public_key(), "GET", signed.path_and_query(), b"", signed.digest().expose())?;
/// assert_eq!(params.nonce(), "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d");
/// # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct RequestSigner {
    sdk_id: Arc<str>,
    signer: Arc<dyn Signer>,
    clock: Arc<dyn Clock>,
    nonces: Arc<dyn NonceSource>,
}

impl fmt::Debug for RequestSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestSigner")
            .field("sdk_id", &self.sdk_id)
            .field("signer", &self.signer)
            .field("clock", &self.clock)
            .field("nonce_source", &self.nonces)
            .finish()
    }
}

impl RequestSigner {
    /// A signer for application `sdk_id`, using the system clock and random UUID v4 nonces.
    pub fn new(sdk_id: impl Into<String>, signer: Arc<dyn Signer>) -> Self {
        Self {
            sdk_id: Arc::from(sdk_id.into()),
            signer,
            clock: Arc::new(SystemClock),
            nonces: Arc::new(RandomNonce),
        }
    }

    /// Replaces the clock (e.g. with [`FixedClock`](crate::FixedClock) in tests).
    #[must_use]
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Replaces the nonce source (e.g. with [`FixedNonce`](crate::FixedNonce) in tests).
    #[must_use]
    pub fn with_nonce_source(mut self, nonces: Arc<dyn NonceSource>) -> Self {
        self.nonces = nonces;
        self
    }

    /// The SDK id.
    pub fn sdk_id(&self) -> &str {
        &self.sdk_id
    }

    /// The underlying signer.
    pub fn signer(&self) -> &Arc<dyn Signer> {
        &self.signer
    }

    /// Validates `request`, appends `sdkId`, a fresh `nonce` and the `timestamp`, builds the
    /// canonical message and signs it.
    ///
    /// # Errors
    /// [`SignError::InvalidMethod`], [`SignError::InvalidPath`], [`SignError::InvalidQuery`],
    /// [`SignError::EmptySdkId`] for bad input; [`SignError::Signer`] if the signer fails.
    pub async fn sign(&self, request: &UnsignedRequest<'_>) -> Result<SignedRequest, SignError> {
        let prepared = self.prepare(request)?;
        let digest = sign_message(self.signer.as_ref(), prepared.message.as_bytes()).await?;
        Ok(prepared.finish(digest))
    }

    /// Everything but the signature: validation, nonce, timestamp, query and message.
    fn prepare(&self, request: &UnsignedRequest<'_>) -> Result<Prepared, SignError> {
        request.validate()?;
        if self.sdk_id.is_empty() {
            return Err(SignError::EmptySdkId);
        }
        let nonce = self.nonces.nonce();
        let timestamp = self.clock.now_millis();
        let mut pq = String::with_capacity(request.path().len() + 128);
        pq.push_str(request.path());
        pq.push('?');
        for (key, value) in request.query_params() {
            percent_encode_into(&mut pq, key);
            pq.push('=');
            percent_encode_into(&mut pq, value);
            pq.push('&');
        }
        pq.push_str("sdkId=");
        percent_encode_into(&mut pq, &self.sdk_id);
        pq.push_str("&nonce=");
        percent_encode_into(&mut pq, &nonce);
        pq.push_str("&timestamp=");
        pq.push_str(&timestamp.to_string());
        let body = request.body_bytes();
        let message = canonical_message(request.method(), &pq, body);
        Ok(Prepared {
            method: request.method().to_owned(),
            path_and_query: pq,
            message,
            nonce,
            timestamp,
            body_signed: !body.is_empty(),
        })
    }
}

struct Prepared {
    method: String,
    path_and_query: String,
    message: String,
    nonce: String,
    timestamp: u64,
    body_signed: bool,
}

impl Prepared {
    fn finish(self, digest: AuthDigest) -> SignedRequest {
        SignedRequest {
            method: self.method,
            path_and_query: self.path_and_query,
            message: self.message,
            nonce: self.nonce,
            timestamp: self.timestamp,
            body_signed: self.body_signed,
            digest,
        }
    }
}
