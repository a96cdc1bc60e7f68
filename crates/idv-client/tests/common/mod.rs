//! Shared helpers for the in-memory-transport tests: a fake server that records what it saw.
#![allow(dead_code, unreachable_pub, unused_imports)]

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use idv_client::{ErrorKind, IdvClient, RetryPolicy, SessionState, WaitOptions};
use idv_sign::{SignError, Signer};
use idv_transport::{TransportError, TransportErrorKind, transport_fn};

pub const SDK_ID: &str = "11111111-2222-4333-8444-555555555555";
pub const SESSION: &str = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
pub const MEDIA: &str = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";

/// A signer that returns a fixed signature (no RSA work) and records what it signed.
#[derive(Debug, Default)]
pub struct RecordingSigner {
    pub messages: Mutex<Vec<String>>,
}

#[async_trait::async_trait]
impl Signer for RecordingSigner {
    async fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        self.messages
            .lock()
            .unwrap()
            .push(String::from_utf8_lossy(message).into_owned());
        Ok(vec![0xAB; 256])
    }
}

/// What the fake server saw.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub uri: http::Uri,
    pub headers: http::HeaderMap,
    pub body: Bytes,
}

pub type Responder =
    Arc<dyn Fn(usize, &Seen) -> Result<Response<Bytes>, TransportError> + Send + Sync>;

pub struct Fake {
    pub client: IdvClient,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    pub signer: Arc<RecordingSigner>,
}

pub fn fake_with(
    base: &str,
    policy: RetryPolicy,
    overall: Duration,
    respond: impl Fn(usize, &Seen) -> Result<Response<Bytes>, TransportError> + Send + Sync + 'static,
) -> Fake {
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let respond: Responder = Arc::new(respond);
    let seen2 = seen.clone();
    let transport = transport_fn(move |req: Request<Bytes>| {
        let seen = seen2.clone();
        let respond = respond.clone();
        async move {
            let s = Seen {
                method: req.method().to_string(),
                uri: req.uri().clone(),
                headers: req.headers().clone(),
                body: req.body().clone(),
            };
            let n = {
                let mut g = seen.lock().unwrap();
                g.push(s.clone());
                g.len() - 1
            };
            respond(n, &s)
        }
    });
    let signer = Arc::new(RecordingSigner::default());
    let client = IdvClient::builder()
        .sdk_id(SDK_ID)
        .signer(signer.clone())
        .base_url(base)
        .transport(Arc::new(transport))
        .retry_policy(
            policy
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(5)),
        )
        .request_timeout(Duration::from_millis(500))
        .overall_timeout(overall)
        .build()
        .expect("client");
    Fake {
        client,
        seen,
        signer,
    }
}

pub fn fake(
    respond: impl Fn(usize, &Seen) -> Result<Response<Bytes>, TransportError> + Send + Sync + 'static,
) -> Fake {
    fake_with(
        "https://api.example.com/idverify/v1",
        RetryPolicy::default(),
        Duration::from_secs(10),
        respond,
    )
}

pub fn response(status: u16, content_type: Option<&str>, body: &'static [u8]) -> Response<Bytes> {
    let mut b = Response::builder().status(status);
    if let Some(ct) = content_type {
        b = b.header("content-type", ct);
    }
    b.header("content-length", body.len())
        .body(Bytes::from_static(body))
        .unwrap()
}

pub const ONGOING: &[u8] = br#"{"session_id":"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee","state":"ONGOING","client_session_token":"SECRET-TOKEN-123","resources":{},"checks":[]}"#;
pub const COMPLETED: &[u8] = br#"{"session_id":"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee","state":"COMPLETED","resources":{},"checks":[]}"#;

pub fn ok_session(_: usize, _: &Seen) -> Result<Response<Bytes>, TransportError> {
    Ok(response(200, Some("application/json"), ONGOING))
}

pub fn query_params(uri: &http::Uri) -> Vec<(String, String)> {
    uri.query()
        .unwrap_or("")
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_owned(), v.to_owned())
        })
        .collect()
}

pub fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/signing")
        .join(name)
}
