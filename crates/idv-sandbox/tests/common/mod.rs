//! Test helpers: signing with `idv-sign` and a bare hyper HTTP/1 client (one connection per
//! request), plain or over TLS.

#![allow(dead_code, unreachable_pub)]

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
    let mut builder = Request::builder()
        .method(Method::from_bytes(method.as_bytes()).expect("method"))
        .uri(target)
        .header(http::header::HOST, sandbox.local_addr().to_string());
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
