//! The client's `tracing` events. This test is alone in its binary, with a global subscriber:
//! a thread-scoped subscriber races with other tests that register the same callsites
//! concurrently (tracing caches each callsite's interest), which made events go missing.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{Request, Response};
use idv_client::IdvClient;
use idv_sign::{SignError, Signer};
use idv_transport::transport_fn;

const SDK_ID: &str = "11111111-2222-4333-8444-555555555555";
const SESSION: &str = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const ONGOING: &[u8] = br#"{"session_id":"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee","state":"ONGOING","client_session_token":"SECRET-TOKEN-123","resources":{},"checks":[]}"#;

/// A signer that returns a fixed signature (`q6ur…` in base64).
#[derive(Debug)]
struct FixedSigner;

#[async_trait::async_trait]
impl Signer for FixedSigner {
    async fn sign(&self, _message: &[u8]) -> Result<Vec<u8>, SignError> {
        Ok(vec![0xAB; 256])
    }
}

fn response(status: u16, body: &'static [u8]) -> Response<Bytes> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Bytes::from_static(body))
        .unwrap()
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn tracing_events_name_the_attempt_but_never_secrets() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let sent: Arc<Mutex<Vec<http::Uri>>> = Arc::default();
    let sent2 = sent.clone();
    let transport = transport_fn(move |req: Request<Bytes>| {
        let n = {
            let mut sent = sent2.lock().unwrap();
            sent.push(req.uri().clone());
            sent.len()
        };
        async move {
            Ok(if n == 1 {
                response(503, br#"{"code":"BUSY","message":"Jane Doe"}"#)
            } else {
                response(200, ONGOING)
            })
        }
    });
    let client = IdvClient::builder()
        .sdk_id(SDK_ID)
        .signer(Arc::new(FixedSigner))
        .base_url("https://api.example.com/idverify/v1")
        .transport(Arc::new(transport))
        .retry_policy(
            idv_client::RetryPolicy::default().with_initial_backoff(std::time::Duration::ZERO),
        )
        .build()
        .unwrap();
    client.get_session(SESSION).await.unwrap();

    let out = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(out.contains("retrying IDV request"), "{out}");
    assert!(
        out.contains("attempt=1") && out.contains("attempt=2"),
        "{out}"
    );
    assert!(
        out.contains("status=503") && out.contains("delay_ms="),
        "{out}"
    );
    assert!(out.contains(&format!("/sessions/{SESSION}")), "{out}");
    let sent = sent.lock().unwrap();
    assert_eq!(sent.len(), 2);
    for uri in sent.iter() {
        let query = uri.query().unwrap();
        let nonce = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("nonce="))
            .unwrap();
        assert!(
            !out.contains(query) && !out.contains(nonce),
            "no query or nonce"
        );
    }
    for secret in [
        "sdkId",
        "nonce=",
        "SECRET-TOKEN",
        "Jane Doe",
        "q6ur",
        "x-yoti-auth-digest",
    ] {
        assert!(!out.contains(secret), "{secret} leaked: {out}");
    }
}
