//! Building and signing a request: auth query parameters, canonical message, headers.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;

use crate::signer::{SignError, Signer};

/// The header carrying the signature.
pub const HEADER_AUTH_DIGEST: &str = "X-Yoti-Auth-Digest";
/// The header naming the SDK.
pub const HEADER_SDK: &str = "X-Yoti-SDK";
/// The header carrying the SDK version.
pub const HEADER_SDK_VERSION: &str = "X-Yoti-SDK-Version";
/// The value of [`HEADER_SDK`].
pub const SDK_NAME: &str = "Rust";
/// The value of [`HEADER_SDK_VERSION`]: `Rust-<crate version>`.
pub const SDK_VERSION: &str = concat!("Rust-", env!("CARGO_PKG_VERSION"));

/// The query parameter names this crate appends; callers may not pass them.
const RESERVED_PARAMS: [&str; 4] = ["sdkId", "sdkID", "nonce", "timestamp"];

/// A source of the current time, in milliseconds since the Unix epoch.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    fn now_millis(&self) -> u64;
}

/// The system clock (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_millis(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }
}

/// A clock that always returns the same instant: for tests and test vectors.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub u64);

impl Clock for FixedClock {
    fn now_millis(&self) -> u64 {
        self.0
    }
}

/// A source of request nonces.
pub trait NonceSource: Send + Sync + fmt::Debug {
    /// A fresh nonce. It is percent-encoded into the query like any value, so any text works,
    /// but the API expects a lower-case UUID v4.
    fn nonce(&self) -> String;
}

/// Random lower-case hyphenated UUID v4 nonces from the OS CSPRNG (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomNonce;

impl NonceSource for RandomNonce {
    fn nonce(&self) -> String {
        let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
        uuid::Uuid::new_v4()
            .hyphenated()
            .encode_lower(&mut buf)
            .to_string()
    }
}

/// A nonce source that always returns the same value: for tests and test vectors only (a
/// real server rejects replayed nonces).
#[derive(Debug, Clone)]
pub struct FixedNonce(pub String);

impl NonceSource for FixedNonce {
    fn nonce(&self) -> String {
        self.0.clone()
    }
}

/// A request to sign: method, base-relative path, caller query parameters and body.
///
/// The path is relative to the API base (`/sessions/{id}`, never `/idverify/v1/sessions/{id}`).
/// It is validated when signed: it must start with exactly one `/` and contain only characters
/// that an HTTP client sends unchanged (RFC 3986 path characters and `%XX` escapes). The body is
/// signed if and only if it is non-empty.
///
/// ```
/// use idv_sign::UnsignedRequest;
/// let req = UnsignedRequest::new("GET", "/sessions/abc/media/def/content")
///     .query("includeNonLatin", "true");
/// assert_eq!(req.method(), "GET");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct UnsignedRequest<'a> {
    method: Cow<'a, str>,
    path: Cow<'a, str>,
    query: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    body: &'a [u8],
}

impl fmt::Debug for UnsignedRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body may hold personal data: show its length only.
        f.debug_struct("UnsignedRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl<'a> UnsignedRequest<'a> {
    /// A request with no query parameters and no body.
    pub fn new(method: impl Into<Cow<'a, str>>, path: impl Into<Cow<'a, str>>) -> Self {
        Self {
            method: method.into(),
            path: path.into(),
            query: Vec::new(),
            body: &[],
        }
    }

    /// `GET path`.
    pub fn get(path: impl Into<Cow<'a, str>>) -> Self {
        Self::new("GET", path)
    }

    /// `DELETE path`.
    pub fn delete(path: impl Into<Cow<'a, str>>) -> Self {
        Self::new("DELETE", path)
    }

    /// `POST path` with `body` (a JSON document, or a complete multipart stream).
    pub fn post(path: impl Into<Cow<'a, str>>, body: &'a [u8]) -> Self {
        Self::new("POST", path).body(body)
    }

    /// `PUT path` with `body`.
    pub fn put(path: impl Into<Cow<'a, str>>, body: &'a [u8]) -> Self {
        Self::new("PUT", path).body(body)
    }

    /// Appends a caller query parameter (sent before `sdkId`, `nonce` and `timestamp`, in the
    /// order added). Keys and values are percent-encoded when signed.
    #[must_use]
    pub fn query(mut self, key: impl Into<Cow<'a, str>>, value: impl Into<Cow<'a, str>>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Sets the body (signed if non-empty).
    #[must_use]
    pub fn body(mut self, body: &'a [u8]) -> Self {
        self.body = body;
        self
    }

    /// The HTTP method.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The base-relative path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The caller's query parameters, in order.
    pub fn query_params(&self) -> impl Iterator<Item = (&str, &str)> {
        self.query.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    /// The body bytes (empty for none).
    pub fn body_bytes(&self) -> &[u8] {
        self.body
    }

    fn validate(&self) -> Result<(), SignError> {
        validate_method(&self.method)?;
        validate_path(&self.path)?;
        for (key, _) in &self.query {
            if key.is_empty() {
                return Err(SignError::InvalidQuery {
                    reason: "a parameter name is empty".into(),
                });
            }
            if RESERVED_PARAMS.contains(&key.as_ref()) {
                return Err(SignError::InvalidQuery {
                    reason: format!("`{key}` is added by the signer and cannot be passed"),
                });
            }
        }
        Ok(())
    }
}

fn validate_method(method: &str) -> Result<(), SignError> {
    if method.is_empty() {
        return Err(SignError::InvalidMethod {
            reason: "it is empty".into(),
        });
    }
    if method.len() > 32 || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(SignError::InvalidMethod {
            reason: "it must be upper-case ASCII letters (GET, POST, PUT, PATCH, DELETE, …)".into(),
        });
    }
    Ok(())
}

fn validate_path(path: &str) -> Result<(), SignError> {
    let bytes = path.as_bytes();
    if bytes.first() != Some(&b'/') {
        return Err(SignError::InvalidPath {
            reason: "it must start with `/` (relative to the API base, e.g. `/sessions/{id}`)"
                .into(),
        });
    }
    if bytes.get(1) == Some(&b'/') {
        return Err(SignError::InvalidPath {
            reason: "it must start with exactly one `/`".into(),
        });
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'%' => {
                let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
                if !(hex(i + 1) && hex(i + 2)) {
                    return Err(SignError::InvalidPath {
                        reason: format!("`%` at byte {i} is not followed by two hex digits"),
                    });
                }
                i += 3;
                continue;
            }
            b'?' => {
                return Err(SignError::InvalidPath {
                    reason: "it contains `?`: pass query parameters with `.query(key, value)`"
                        .into(),
                });
            }
            b'#' => {
                return Err(SignError::InvalidPath {
                    reason: "it contains `#`".into(),
                });
            }
            _ if is_path_char(b) => {}
            _ if b.is_ascii_whitespace() => {
                return Err(SignError::InvalidPath {
                    reason: format!("it contains whitespace at byte {i}"),
                });
            }
            _ if b.is_ascii_control() => {
                return Err(SignError::InvalidPath {
                    reason: format!("it contains a control character at byte {i}"),
                });
            }
            _ => {
                return Err(SignError::InvalidPath {
                    reason: format!(
                        "byte {i} is not allowed in a URL path (percent-encode it first)"
                    ),
                });
            }
        }
        i += 1;
    }
    Ok(())
}

/// RFC 3986 `pchar` minus `%` (handled separately), plus `/`.
fn is_path_char(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'@'
                | b'/'
        )
}

/// Appends `value` percent-encoded: RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`)
/// literal, every other UTF-8 byte as upper-case `%XX`.
pub fn percent_encode_into(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
}

/// The canonical message `METHOD&PATH_AND_QUERY[&BASE64(BODY)]`, built exactly from the given
/// strings (no validation, no re-encoding): for debugging tools and verifiers. The body part is
/// present iff `body` is non-empty.
///
/// ```
/// assert_eq!(
///     idv_sign::canonical_message("POST", "/sessions?sdkId=x&nonce=n&timestamp=1", b"{}"),
///     "POST&/sessions?sdkId=x&nonce=n&timestamp=1&e30="
/// );
/// ```
pub fn canonical_message(method: &str, path_and_query: &str, body: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD;
    let body_len = if body.is_empty() {
        0
    } else {
        1 + body.len().div_ceil(3) * 4
    };
    let mut message = String::with_capacity(method.len() + 1 + path_and_query.len() + body_len);
    message.push_str(method);
    message.push('&');
    message.push_str(path_and_query);
    if !body.is_empty() {
        message.push('&');
        b64.encode_string(body, &mut message);
    }
    message
}

/// Signs an arbitrary message with `signer` and returns the base64 digest (the
/// `X-Yoti-Auth-Digest` value): for debugging tools that sign a message exactly as given.
///
/// # Errors
/// [`SignError::Signer`] if the signer fails or returns an empty signature.
pub async fn sign_message(signer: &dyn Signer, message: &[u8]) -> Result<AuthDigest, SignError> {
    let signature = signer.sign(message).await?;
    if signature.is_empty() {
        return Err(SignError::signer("the signer returned an empty signature"));
    }
    Ok(AuthDigest(
        base64::engine::general_purpose::STANDARD.encode(signature),
    ))
}

/// The `X-Yoti-Auth-Digest` value (standard base64 of the signature). `Debug` and `Display`
/// redact it; use [`expose`](Self::expose) to read it.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthDigest(String);

impl AuthDigest {
    /// The base64 digest text.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AuthDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthDigest(<redacted>)")
    }
}

impl fmt::Display for AuthDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

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

    /// Replaces the clock (e.g. with [`FixedClock`] in tests).
    #[must_use]
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Replaces the nonce source (e.g. with [`FixedNonce`] in tests).
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
        let mut pq = String::with_capacity(request.path.len() + 128);
        pq.push_str(&request.path);
        pq.push('?');
        for (key, value) in &request.query {
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
        let message = canonical_message(&request.method, &pq, request.body);
        Ok(Prepared {
            method: request.method.to_string(),
            path_and_query: pq,
            message,
            nonce,
            timestamp,
            body_signed: !request.body.is_empty(),
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

/// A signed request: the exact target to send and the headers to add.
///
/// Send [`path_and_query`](Self::path_and_query) appended to the normalised base URL (no
/// trailing `/`) without any re-encoding: it is the very string that was signed.
#[derive(Clone)]
pub struct SignedRequest {
    method: String,
    path_and_query: String,
    message: String,
    nonce: String,
    timestamp: u64,
    body_signed: bool,
    digest: AuthDigest,
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedRequest")
            .field("method", &self.method)
            .field("path_and_query", &self.path_and_query)
            .field("nonce", &self.nonce)
            .field("timestamp_millis", &self.timestamp)
            .field("body_signed", &self.body_signed)
            .field("digest", &self.digest)
            .finish_non_exhaustive()
    }
}

impl SignedRequest {
    /// The HTTP method.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The base-relative request target: path, `?`, the caller's parameters, then `sdkId`,
    /// `nonce`, `timestamp`. Send exactly this.
    pub fn path_and_query(&self) -> &str {
        &self.path_and_query
    }

    /// The canonical message that was signed: `METHOD&PATH?QUERY[&BASE64(BODY)]`.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The `X-Yoti-Auth-Digest` value.
    pub fn digest(&self) -> &AuthDigest {
        &self.digest
    }

    /// The nonce used.
    pub fn nonce(&self) -> &str {
        &self.nonce
    }

    /// The timestamp used, in milliseconds since the Unix epoch.
    pub fn timestamp_millis(&self) -> u64 {
        self.timestamp
    }

    /// Whether a body was part of the message.
    pub fn body_signed(&self) -> bool {
        self.body_signed
    }

    /// The headers to add, in this order: `X-Yoti-Auth-Digest`, `X-Yoti-SDK: Rust`,
    /// `X-Yoti-SDK-Version: Rust-<version>`. The caller must not let other headers override them.
    pub fn headers(&self) -> [(&'static str, &str); 3] {
        [
            (HEADER_AUTH_DIGEST, self.digest.expose()),
            (HEADER_SDK, SDK_NAME),
            (HEADER_SDK_VERSION, SDK_VERSION),
        ]
    }
}
