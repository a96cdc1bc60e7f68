//! The engine end to end against `idv-sandbox`: the public signed request with JSON, bytes and
//! multipart bodies (the sandbox verifies the signature over the body), and the one retry rule,
//! with every request counted in the sandbox's log.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, Response};
use idv_client::{Deleted, ErrorKind, IdvClient, Multipart, RetryPolicy};
use idv_sandbox::{
    AppKeys, Fault, PRODUCT_PAGE_SESSION_ID, RequestLogEntry, Route, Sandbox, SandboxHandle,
    StatusCode, generate_app_keys,
};
use idv_transport::{
    HyperTransport, SendOptions, Transport, TransportError, TransportErrorKind, transport_fn,
};

fn keys() -> &'static AppKeys {
    static KEYS: OnceLock<AppKeys> = OnceLock::new();
    KEYS.get_or_init(|| generate_app_keys().expect("keys"))
}

async fn sandbox() -> SandboxHandle {
    Sandbox::product_page_demo()
        .app_keys(keys())
        .start()
        .await
        .expect("sandbox")
}

fn client(base: &str, transport: Option<Arc<dyn Transport>>) -> IdvClient {
    let mut b = IdvClient::builder()
        .sdk_id(&keys().sdk_id)
        .key_pem(keys().private_key_pem.as_bytes())
        .base_url(base)
        .request_timeout(Duration::from_secs(10))
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(5))
                .with_max_backoff(Duration::from_millis(20)),
        );
    if let Some(t) = transport {
        b = b.transport(t);
    }
    b.build().expect("client")
}

/// The log entries of requests with `method` whose path ends with `suffix`.
fn logged(sandbox: &SandboxHandle, method: &str, suffix: &str) -> Vec<RequestLogEntry> {
    sandbox
        .request_log()
        .into_iter()
        .filter(|e| e.method == method && e.path.ends_with(suffix))
        .collect()
}

/// A path the sandbox authenticates but does not route: it answers 404 after verifying.
const UNROUTED: &str = "/engine-test/echo";

#[tokio::test]
async fn json_bytes_and_multipart_bodies_are_signed_and_verified() {
    let sandbox = sandbox().await;
    let client = client(sandbox.base_url(), None);
    let json = client
        .request(Method::POST, UNROUTED)
        .query("kind", "json body")
        .json(&serde_json::json!({"client_session_token_ttl": 600, "name": "ü"}))
        .unwrap();
    let bytes = client
        .request(Method::PUT, UNROUTED)
        .bytes("application/octet-stream", vec![0u8, 1, 2, 255])
        .unwrap();
    let form = Multipart::new()
        .file(
            "binary-content",
            "face-capture-image",
            "image/png",
            vec![0x89, b'P', b'N', b'G'],
        )
        .unwrap();
    let multipart = client.request(Method::POST, UNROUTED).multipart(form);
    for request in [json, bytes, multipart] {
        let err = request.send().await.expect_err("unrouted");
        // Authenticated, then not found: the signature over the body verified.
        assert_eq!(err.kind(), ErrorKind::Api, "{err}");
        assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    }
    let log = logged(&sandbox, "POST", UNROUTED);
    assert_eq!(log.len(), 2);
    assert_eq!(logged(&sandbox, "PUT", UNROUTED).len(), 1);
    assert!(
        sandbox
            .request_log()
            .iter()
            .all(|e| e.signature_verified && e.status == Some(404)),
        "{:?}",
        sandbox.request_log()
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_body_changed_after_signing_is_refused() {
    let sandbox = sandbox().await;
    let inner: Arc<dyn Transport> = Arc::new(HyperTransport::builder().build().unwrap());
    // A man in the middle that flips the last byte of every body.
    let tamper = transport_fn(move |req: Request<Bytes>| {
        let inner = inner.clone();
        async move {
            let (parts, body) = req.into_parts();
            let mut body = body.to_vec();
            if let Some(last) = body.last_mut() {
                *last ^= 1;
            }
            inner
                .send(
                    Request::from_parts(parts, Bytes::from(body)),
                    &SendOptions::default(),
                )
                .await
        }
    });
    let client = client(sandbox.base_url(), Some(Arc::new(tamper)));
    let err = client
        .request(Method::POST, UNROUTED)
        .json(&serde_json::json!({"a": 1}))
        .unwrap()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED), "{err}");
    let log = logged(&sandbox, "POST", UNROUTED);
    assert_eq!(log.len(), 1, "a 401 is never retried");
    assert!(!log[0].signature_verified);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_post_is_not_retried_after_a_503_but_a_get_is() {
    let sandbox = sandbox().await;
    let client = client(sandbox.base_url(), None);
    sandbox.add_faults(Route::Any, [Fault::status(StatusCode::SERVICE_UNAVAILABLE)]);
    let err = client
        .request(Method::POST, UNROUTED)
        .json(&serde_json::json!({}))
        .unwrap()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(err.attempts(), 1);
    assert_eq!(logged(&sandbox, "POST", UNROUTED).len(), 1);

    // The same fault on a GET: retried, and the retry succeeds.
    sandbox.add_faults(
        Route::GetSession,
        [Fault::status(StatusCode::SERVICE_UNAVAILABLE)],
    );
    client.get_session(PRODUCT_PAGE_SESSION_ID).await.unwrap();
    let gets = logged(&sandbox, "GET", PRODUCT_PAGE_SESSION_ID);
    assert_eq!(gets.len(), 2, "{gets:?}");
    assert_eq!(gets[0].status, Some(503));
    assert_eq!(gets[1].status, Some(200));

    // A PUT marked idempotent by the caller is retried like a GET.
    sandbox.add_faults(Route::Any, [Fault::status(StatusCode::BAD_GATEWAY)]);
    let err = client
        .request(Method::PUT, UNROUTED)
        .idempotent(true)
        .json(&serde_json::json!({}))
        .unwrap()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.status(),
        Some(StatusCode::NOT_FOUND),
        "retried after the 502"
    );
    assert_eq!(err.attempts(), 2);
    assert_eq!(logged(&sandbox, "PUT", UNROUTED).len(), 2);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_post_that_timed_out_is_not_retried() {
    let sandbox = sandbox().await;
    let client = IdvClient::builder()
        .sdk_id(&keys().sdk_id)
        .key_pem(keys().private_key_pem.as_bytes())
        .base_url(sandbox.base_url())
        .request_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    // The head arrives, then the body stalls: the attempt times out after the server acted.
    sandbox.add_faults(Route::Any, [Fault::StallBody]);
    let err = client
        .request(Method::POST, UNROUTED)
        .json(&serde_json::json!({}))
        .unwrap()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert_eq!(err.attempts(), 1);
    // The client has returned, so no later request can come from it: wait (bounded) for the
    // sandbox to log the one it answered, then count.
    wait_for_log(&sandbox, |log| !log.is_empty()).await;
    assert_eq!(logged(&sandbox, "POST", UNROUTED).len(), 1);
    sandbox.shutdown().await;
}

/// A transport whose first request goes to a closed port (a real refused connection), and the
/// others to the real server.
fn refuse_first(base: &str) -> (Arc<dyn Transport>, Arc<AtomicUsize>) {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_port = closed.local_addr().unwrap().port();
    drop(closed);
    let real_authority = base
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap()
        .to_owned();
    let inner: Arc<dyn Transport> = Arc::new(HyperTransport::builder().build().unwrap());
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let transport = transport_fn(move |mut req: Request<Bytes>| {
        let inner = inner.clone();
        let n = counter.fetch_add(1, Ordering::SeqCst);
        if n == 0 {
            let uri = req
                .uri()
                .to_string()
                .replace(&real_authority, &format!("127.0.0.1:{closed_port}"));
            *req.uri_mut() = uri.parse().unwrap();
        }
        async move { inner.send(req, &SendOptions::default()).await }
    });
    (Arc::new(transport), calls)
}

#[tokio::test]
async fn a_post_is_retried_after_a_refused_connection() {
    let sandbox = sandbox().await;
    let (transport, calls) = refuse_first(sandbox.base_url());
    let client = client(sandbox.base_url(), Some(transport));
    let err = client
        .request(Method::POST, UNROUTED)
        .json(&serde_json::json!({"a": 1}))
        .unwrap()
        .send()
        .await
        .unwrap_err();
    // The first attempt never reached a server; the second reached the sandbox.
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND), "{err}");
    assert_eq!(err.attempts(), 2);
    let log = logged(&sandbox, "POST", UNROUTED);
    assert_eq!(log.len(), 1);
    assert!(log[0].signature_verified);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn max_attempts_bounds_every_request_of_a_download_restarts_included() {
    let sandbox = Sandbox::builder()
        .session_value(&serde_json::json!({
                "session_id": "s-1", "state": "COMPLETED",
                "resources": {"liveness_capture": [{"id": "l", "frames": [
                    {"media": {"id": "m-1", "type": "IMAGE"}}]}]},
                "checks": []
        }))
        .app_keys(keys())
        .start()
        .await
        .unwrap();
    let client = client(sandbox.base_url(), None);
    // Each attempt is cut mid-body: a restart each time, until the budget of 3 is spent.
    sandbox.add_faults(Route::GetMedia, vec![Fault::TruncateBody; 10]);
    let dir = tempfile::tempdir().unwrap();
    let err = client
        .download_media("s-1", "m-1", dir.path().join("m.png"))
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 3, "{err}");
    assert_eq!(logged(&sandbox, "GET", "/m-1/content").len(), 3);
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_delete_whose_answer_was_lost_is_reported_as_done_by_that_attempt() {
    let sandbox = sandbox().await;
    let inner: Arc<dyn Transport> = Arc::new(HyperTransport::builder().build().unwrap());
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    // The first DELETE reaches the sandbox (which deletes), then its answer is "lost".
    let lossy = transport_fn(move |req: Request<Bytes>| {
        let inner = inner.clone();
        let n = counter.fetch_add(1, Ordering::SeqCst);
        async move {
            let response: Response<Bytes> = inner.send(req, &SendOptions::default()).await?;
            if n == 0 {
                assert!(response.status().is_success());
                return Err(TransportError::new(
                    TransportErrorKind::Io,
                    "connection reset before the response",
                ));
            }
            Ok(response)
        }
    });
    let client = client(sandbox.base_url(), Some(Arc::new(lossy)));
    let outcome = client
        .delete_session(PRODUCT_PAGE_SESSION_ID)
        .await
        .unwrap();
    assert_eq!(outcome, Deleted::ByEarlierAttempt);
    let deletes = logged(&sandbox, "DELETE", PRODUCT_PAGE_SESSION_ID);
    assert_eq!(deletes.len(), 2, "{deletes:?}");
    assert!(deletes[0].status.is_some_and(|s| (200..300).contains(&s)));
    assert_eq!(deletes[1].status, Some(404));
    // Without an unknown outcome, a 404 stays an error.
    let client = client_plain(&sandbox);
    let err = client
        .delete_session(PRODUCT_PAGE_SESSION_ID)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    sandbox.shutdown().await;
}

/// Waits (bounded) until the request log satisfies `done`.
async fn wait_for_log(sandbox: &SandboxHandle, done: impl Fn(&[RequestLogEntry]) -> bool) {
    for _ in 0..400 {
        if done(&sandbox.request_log()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!(
        "the sandbox never logged the request: {:?}",
        sandbox.request_log()
    );
}

fn client_plain(sandbox: &SandboxHandle) -> IdvClient {
    client(sandbox.base_url(), None)
}
