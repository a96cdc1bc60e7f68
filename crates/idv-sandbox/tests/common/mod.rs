//! Test helpers: signing with `idv-sign` and a bare hyper HTTP/1 client (one connection per
//! request), plain or over TLS.

#![allow(dead_code, unreachable_pub)]

pub mod receiver;

use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use idv_sandbox::{AppKeys, SandboxHandle, generate_app_keys};
use idv_sign::{PrivateKey, RequestSigner, RsaSigner, SignedRequest, UnsignedRequest};
use tokio::net::TcpStream;

/// The registered test app: the TEST-ONLY key of `fixtures/signing/` (no key generation).
pub struct TestKeys {
    pub sdk_id: String,
    pub private_key_pem: String,
    pub public_key_pem: String,
}

pub fn keys() -> &'static TestKeys {
    static KEYS: std::sync::OnceLock<TestKeys> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| TestKeys {
        sdk_id: "11111111-2222-4333-8444-555555555555".to_owned(),
        private_key_pem: include_str!("../../../../fixtures/signing/TEST-ONLY-key.pkcs8.pem")
            .to_owned(),
        public_key_pem: include_str!("../../../../fixtures/signing/TEST-ONLY-key.public.pem")
            .to_owned(),
    })
}

/// A builder with the test app registered.
pub trait WithTestApp {
    fn test_app(self) -> idv_sandbox::SandboxBuilder;
}

impl WithTestApp for idv_sandbox::SandboxBuilder {
    fn test_app(self) -> idv_sandbox::SandboxBuilder {
        self.app_pem(keys().sdk_id.clone(), keys().public_key_pem.clone())
    }
}

/// A second, unrelated, freshly generated key pair (exercises `generate_app_keys`).
pub fn other_keys() -> &'static AppKeys {
    static KEYS: std::sync::OnceLock<AppKeys> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| generate_app_keys().expect("key generation"))
}

pub fn signer_for(sdk_id: &str, private_key_pem: &str) -> RequestSigner {
    let key = PrivateKey::from_pem(private_key_pem.as_bytes()).expect("private key");
    RequestSigner::new(sdk_id, Arc::new(RsaSigner::new(&key)))
}

pub fn signer() -> RequestSigner {
    let k = keys();
    signer_for(&k.sdk_id, &k.private_key_pem)
}

pub async fn sign(signer: &RequestSigner, method: &str, path: &str, body: &[u8]) -> SignedRequest {
    let request = UnsignedRequest::new(method.to_owned(), path.to_owned()).body(body);
    signer.sign(&request).await.expect("signing")
}

/// Signs an arbitrary canonical message (for hand-built targets).
pub async fn digest_for(private_key_pem: &str, method: &str, target: &str, body: &[u8]) -> String {
    let key = PrivateKey::from_pem(private_key_pem.as_bytes()).expect("private key");
    let signer = RsaSigner::new(&key);
    let message = idv_sign::canonical_message(method, target, body);
    idv_sign::sign_message(&signer, message.as_bytes())
        .await
        .expect("sign")
        .expose()
        .to_owned()
}

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }

    /// The `code` of an API error body.
    pub fn code(&self) -> String {
        self.json()["code"].as_str().expect("code").to_owned()
    }

    pub fn content_type(&self) -> Option<&str> {
        self.headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
    }
}

/// The path of the base URL (e.g. `/idverify/v1`).
pub fn base_path(sandbox: &SandboxHandle) -> String {
    let url = sandbox.base_url();
    let after_scheme = url.split_once("://").expect("scheme").1;
    after_scheme
        .find('/')
        .map_or(String::new(), |i| after_scheme[i..].to_owned())
}

/// Sends a raw request (target = full path and query as sent) on a fresh connection.
pub async fn send_raw(
    sandbox: &SandboxHandle,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Reply, hyper::Error> {
    let stream = TcpStream::connect(sandbox.local_addr())
        .await
        .expect("connect");
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    send_on(&mut sender, sandbox, method, target, headers, body).await
}

pub async fn send_on(
    sender: &mut hyper::client::conn::http1::SendRequest<Full<Bytes>>,
    sandbox: &SandboxHandle,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Reply, hyper::Error> {
    send_on_to(sender, sandbox.local_addr(), method, target, headers, body).await
}

/// Sends a raw request on a fresh connection to a server at `addr` (`Host` is `addr`).
pub async fn send_to(
    addr: std::net::SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Reply, hyper::Error> {
    let stream = TcpStream::connect(addr).await.expect("connect");
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    send_on_to(&mut sender, addr, method, target, headers, body).await
}

async fn send_on_to(
    sender: &mut hyper::client::conn::http1::SendRequest<Full<Bytes>>,
    addr: std::net::SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Reply, hyper::Error> {
    let mut builder = Request::builder()
        .method(Method::from_bytes(method.as_bytes()).expect("method"))
        .uri(target)
        .header(http::header::HOST, addr.to_string());
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let request = builder
        .body(Full::new(Bytes::copy_from_slice(body)))
        .expect("request");
    let response = sender.send_request(request).await?;
    let (parts, body) = response.into_parts();
    let body = body.collect().await?.to_bytes();
    Ok(Reply {
        status: parts.status,
        headers: parts.headers,
        body,
    })
}

/// Signs and sends `method path` (base-relative) with the default test app.
pub async fn call(sandbox: &SandboxHandle, method: &str, path: &str) -> Reply {
    let signed = sign(&signer(), method, path, b"").await;
    send_signed(sandbox, &signed, b"").await
}

/// Sends a signed request exactly as signed.
pub async fn send_signed(sandbox: &SandboxHandle, signed: &SignedRequest, body: &[u8]) -> Reply {
    let target = format!("{}{}", base_path(sandbox), signed.path_and_query());
    let headers: Vec<(&str, &str)> = signed.headers().to_vec();
    send_raw(sandbox, signed.method(), &target, &headers, body)
        .await
        .expect("response")
}

/// Signs and sends `method path` with a JSON body (base-relative) with the default test app.
pub async fn call_with_body(
    sandbox: &SandboxHandle,
    method: &str,
    path: &str,
    body: &[u8],
) -> Reply {
    let signed = sign(&signer(), method, path, body).await;
    send_signed(sandbox, &signed, body).await
}

/// `POST /sessions` with this specification (signed by the test app).
pub async fn create_session(sandbox: &SandboxHandle, spec: &serde_json::Value) -> Reply {
    let body = serde_json::to_vec(spec).expect("json");
    call_with_body(sandbox, "POST", "/sessions", &body).await
}

/// A created session's id and client session token.
pub struct Created {
    pub session_id: String,
    pub token: String,
    pub result: serde_json::Value,
}

/// Creates a session, expecting `201`.
pub async fn created(sandbox: &SandboxHandle, spec: &serde_json::Value) -> Created {
    let reply = create_session(sandbox, spec).await;
    assert_eq!(
        reply.status,
        201,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let result = reply.json();
    Created {
        session_id: result["session_id"]
            .as_str()
            .expect("session_id")
            .to_owned(),
        token: result["client_session_token"]
            .as_str()
            .expect("token")
            .to_owned(),
        result,
    }
}

impl Created {
    pub fn user(&self, sandbox: &SandboxHandle) -> idv_sandbox::UserSide {
        idv_sandbox::UserSide::new(sandbox.base_url(), &self.session_id, &self.token)
            .expect("user side")
    }
}

/// Retrieves a session (signed), parses it with idv-model and checks that the model knows
/// every field of it.
pub async fn model_session(
    sandbox: &SandboxHandle,
    id: &str,
) -> (idv_model::Session, serde_json::Value) {
    let reply = call(sandbox, "GET", &format!("/sessions/{id}")).await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let session = idv_model::parse_session(&reply.body).expect("idv-model parses it");
    assert_no_unknown_fields(&session);
    (session, reply.json())
}

/// Every model struct keeps unknown keys in `extra`, which `Debug` prints as `extra: {…}`:
/// a parsed value whose every `extra` is empty has no field the model does not know.
pub fn assert_no_unknown_fields(value: &impl std::fmt::Debug) {
    let debug = format!("{value:?}");
    if let Some(at) = debug.find("extra: {\"") {
        let end = (at + 200).min(debug.len());
        let end = (at..=end)
            .rev()
            .find(|i| debug.is_char_boundary(*i))
            .unwrap_or(at);
        panic!("a field idv-model does not know: {}", &debug[at..end]);
    }
    assert!(
        debug.contains("extra: {}"),
        "Debug output has the expected shape"
    );
}

/// A clock the test sets by hand (epoch milliseconds).
#[derive(Debug)]
pub struct ManualClock(std::sync::atomic::AtomicU64);

impl ManualClock {
    pub fn at(millis: u64) -> Arc<Self> {
        Arc::new(Self(std::sync::atomic::AtomicU64::new(millis)))
    }

    pub fn set(&self, millis: u64) {
        self.0.store(millis, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn advance(&self, millis: u64) {
        self.0
            .fetch_add(millis, std::sync::atomic::Ordering::SeqCst);
    }
}

impl idv_sign::Clock for ManualClock {
    fn now_millis(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// A tiny valid PNG (the 8-byte signature is all the sandbox checks) and JPEG prefix.
pub const PNG_BYTES: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR-test-page-image";
pub const JPEG_BYTES: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00-test-frame";
pub const PDF_BYTES: &[u8] = b"%PDF-1.4\n% test bill\n%%EOF\n";

/// Signs and sends `GET path` with these query parameters (signed with them).
pub async fn call_query(sandbox: &SandboxHandle, path: &str, query: &[(&str, &str)]) -> Reply {
    let mut request = UnsignedRequest::new("GET".to_owned(), path.to_owned());
    for (key, value) in query {
        request = request.query(*key, *value);
    }
    let signed = signer().sign(&request).await.expect("signing");
    send_signed(sandbox, &signed, b"").await
}
