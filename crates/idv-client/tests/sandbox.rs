//! End-to-end tests against `idv-sandbox` on loopback, over plain HTTP and over TLS: real
//! signatures, real connections, injected faults.

use std::collections::HashSet;
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use idv_client::{ErrorKind, IdvClient, RetryPolicy, SessionState, WaitOptions};
use idv_sandbox::{
    AppKeys, Fault, PRODUCT_PAGE_SESSION_ID, RequestLogEntry, Route, Sandbox, SandboxBuilder,
    SandboxHandle, StatusCode, generate_app_keys,
};

/// One key pair for the whole test binary (generating RSA keys is slow in debug builds).
fn keys() -> &'static AppKeys {
    static KEYS: OnceLock<AppKeys> = OnceLock::new();
    KEYS.get_or_init(|| generate_app_keys().expect("keys"))
}

async fn start(builder: SandboxBuilder) -> SandboxHandle {
    builder.app_keys(keys()).start().await.expect("sandbox")
}

fn client_for(sandbox: &SandboxHandle) -> idv_client::IdvClientBuilder {
    let mut b = IdvClient::builder()
        .sdk_id(&keys().sdk_id)
        .key_pem(keys().private_key_pem.as_bytes())
        .base_url(sandbox.base_url())
        .request_timeout(Duration::from_secs(5))
        .retry_policy(
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_millis(10))
                .with_max_backoff(Duration::from_millis(50)),
        );
    if let Some(ca) = sandbox.ca_pem() {
        b = b.add_root_certificate_pem(ca.as_bytes());
    }
    b
}

/// The verified log entries for a route.
fn attempts(sandbox: &SandboxHandle, route: Route) -> Vec<RequestLogEntry> {
    sandbox
        .request_log()
        .into_iter()
        .filter(|e| e.route == Some(route))
        .collect()
}

fn assert_all_verified_with_distinct_nonces(entries: &[RequestLogEntry]) {
    assert!(entries.iter().all(|e| e.signature_verified), "{entries:?}");
    let nonces: HashSet<_> = entries.iter().map(|e| e.nonce.clone()).collect();
    assert_eq!(
        nonces.len(),
        entries.len(),
        "every attempt carries its own nonce"
    );
    assert!(
        entries
            .iter()
            .all(|e| e.sdk_id.as_deref() == Some(keys().sdk_id.as_str()))
    );
}

fn dir_is_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).unwrap().next().is_none()
}

async fn product_page_flow(sandbox: &SandboxHandle) {
    let client = client_for(sandbox).build().unwrap();
    let want = ["ONGOING", "ONGOING", "ONGOING", "ONGOING", "COMPLETED"];
    let mut last = None;
    for (i, state) in want.iter().enumerate() {
        let (session, raw) = client
            .get_session_raw(PRODUCT_PAGE_SESSION_ID)
            .await
            .unwrap();
        assert_eq!(
            session.state.as_ref().map(|s| s.as_str()),
            Some(*state),
            "stage {}",
            i + 1
        );
        // Served byte for byte.
        assert_eq!(
            raw.as_ref(),
            idv_sandbox::PRODUCT_PAGE_STAGES[i],
            "stage {}",
            i + 1
        );
        last = Some(session);
    }
    let completed = last.unwrap();
    assert!(!completed.checks.is_empty());

    // Every media item of the completed session comes back with a content type.
    let dir = tempfile::tempdir().unwrap();
    let media_ids = sandbox.media_ids(PRODUCT_PAGE_SESSION_ID);
    assert!(!media_ids.is_empty());
    for id in &media_ids {
        let media = client
            .get_media(PRODUCT_PAGE_SESSION_ID, id)
            .await
            .unwrap()
            .expect("content");
        let ct = media.content_type().expect("content type");
        assert!(ct == "image/png" || ct == "application/json", "{ct}");
        let path = dir.path().join(id);
        let info = client
            .download_media(PRODUCT_PAGE_SESSION_ID, id, &path)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(info.bytes, media.len() as u64);
        assert_eq!(std::fs::read(&path).unwrap(), media.bytes().as_ref());
    }
    let log = sandbox.request_log();
    assert!(
        log.iter().all(|e| e.signature_verified),
        "every request verified"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn product_page_over_http() {
    let sandbox = start(Sandbox::product_page_demo()).await;
    assert!(sandbox.base_url().starts_with("http://"));
    product_page_flow(&sandbox).await;
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn product_page_over_tls() {
    let sandbox = start(Sandbox::product_page_demo().tls()).await;
    assert!(sandbox.base_url().starts_with("https://"));
    product_page_flow(&sandbox).await;

    // Without the sandbox CA, the TLS handshake fails: a transport error, not retried.
    let client = IdvClient::builder()
        .sdk_id(&keys().sdk_id)
        .key_pem(keys().private_key_pem.as_bytes())
        .base_url(sandbox.base_url())
        .build()
        .unwrap();
    let before = sandbox.request_log().len();
    let e = client
        .get_session(PRODUCT_PAGE_SESSION_ID)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert_eq!(e.attempts(), 1);
    assert_eq!(
        sandbox.request_log().len(),
        before,
        "nothing reached the server"
    );
    sandbox.shutdown().await;
}

const MEDIA_SESSION: &str = "5e551011-0000-4000-8000-00000000ed1a";

fn media_session() -> serde_json::Value {
    let media = |id: &str, ty: &str| {
        serde_json::json!({"id": id, "type": ty, "created": "2024-01-01T00:00:00Z",
                           "last_updated": "2024-01-01T00:00:00Z"})
    };
    serde_json::json!({
        "session_id": MEDIA_SESSION,
        "state": "COMPLETED",
        "resources": {
            "id_documents": [{
                "id": "doc-1", "document_type": "PASSPORT", "issuing_country": "GBR", "tasks": [],
                "pages": [{"capture_method": "CAMERA", "media": media("m-image", "IMAGE"), "frames": []}],
                "document_fields": {"media": media("m-json", "JSON")},
                "document_id_photo": {"media": media("m-empty", "IMAGE")}
            }],
            "supplementary_documents": [{
                "id": "sup-1", "document_type": "UTILITY_BILL", "tasks": [], "pages": [],
                "file": {"media": media("m-pdf", "PDF")}
            }],
            "liveness_capture": [{
                "id": "live-1", "liveness_type": "ZOOM", "tasks": [], "frames": [],
                "facemap": {"media": media("m-binary", "BINARY")}
            }]
        },
        "checks": []
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_of_each_type_no_content_and_deletes() {
    let sandbox = start(
        Sandbox::builder()
            .session_value(&media_session())
            .no_content("m-empty"),
    )
    .await;
    let client = client_for(&sandbox).build().unwrap();
    let session = client.get_session(MEDIA_SESSION).await.unwrap();
    assert_eq!(session.state, Some(SessionState::Completed));

    let dir = tempfile::tempdir().unwrap();
    for (id, ct, magic) in [
        ("m-image", "image/png", &b"\x89PNG"[..]),
        ("m-json", "application/json", &b"{"[..]),
        ("m-pdf", "application/pdf", &b"%PDF"[..]),
        (
            "m-binary",
            "application/octet-stream",
            &b"IDV-SANDBOX-BINARY"[..],
        ),
    ] {
        let media = client
            .get_media(MEDIA_SESSION, id)
            .await
            .unwrap()
            .expect(id);
        assert_eq!(media.content_type(), Some(ct), "{id}");
        assert!(media.bytes().starts_with(magic), "{id}");
        let mut stream = client
            .get_media_stream(MEDIA_SESSION, id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stream.content_type(), Some(ct));
        let mut streamed = Vec::new();
        while let Some(chunk) = stream.next_chunk().await.unwrap() {
            streamed.extend_from_slice(&chunk);
        }
        assert_eq!(streamed, media.bytes().as_ref());
        let info = client
            .download_media(MEDIA_SESSION, id, dir.path().join(id))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(info.content_type.as_deref(), Some(ct));
        assert_eq!(std::fs::read(&info.path).unwrap(), media.bytes().as_ref());
    }

    // 204: None, and no file.
    assert!(
        client
            .get_media(MEDIA_SESSION, "m-empty")
            .await
            .unwrap()
            .is_none()
    );
    let empty = dir.path().join("empty");
    assert!(
        client
            .download_media(MEDIA_SESSION, "m-empty", &empty)
            .await
            .unwrap()
            .is_none()
    );
    assert!(!empty.exists());

    // Unknown media: 404 with the API's error body.
    let e = client.get_media(MEDIA_SESSION, "m-nope").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.status(), Some(StatusCode::NOT_FOUND));
    assert!(e.code().is_some());

    // Delete a media item, then the session.
    client.delete_media(MEDIA_SESSION, "m-pdf").await.unwrap();
    let e = client.get_media(MEDIA_SESSION, "m-pdf").await.unwrap_err();
    assert_eq!(e.status(), Some(StatusCode::NOT_FOUND));
    client.delete_session(MEDIA_SESSION).await.unwrap();
    let e = client.get_session(MEDIA_SESSION).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(e.attempts(), 1, "a 404 is not retried");
    sandbox.shutdown().await;
}

/// A sandbox with one completed session (served on every GET) and the given faults.
async fn faulty(route: Route, faults: Vec<Fault>) -> SandboxHandle {
    start(
        Sandbox::builder()
            .session_value(&media_session())
            .fault(route, faults),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_faults_are_retried_with_fresh_signatures() {
    for status in [
        StatusCode::INTERNAL_SERVER_ERROR,
        StatusCode::BAD_GATEWAY,
        StatusCode::SERVICE_UNAVAILABLE,
        StatusCode::GATEWAY_TIMEOUT,
    ] {
        let sandbox = faulty(Route::GetSession, vec![Fault::status(status); 2]).await;
        let client = client_for(&sandbox).build().unwrap();
        client.get_session(MEDIA_SESSION).await.unwrap();
        let log = attempts(&sandbox, Route::GetSession);
        let statuses: Vec<_> = log.iter().map(|e| e.status).collect();
        assert_eq!(
            statuses,
            [Some(status.as_u16()), Some(status.as_u16()), Some(200)],
            "{status}"
        );
        assert_all_verified_with_distinct_nonces(&log);
        sandbox.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_requests_honours_retry_after() {
    let sandbox = faulty(Route::DeleteMedia, vec![Fault::too_many_requests(1)]).await;
    let client = client_for(&sandbox).build().unwrap();
    let start = Instant::now();
    client.delete_media(MEDIA_SESSION, "m-pdf").await.unwrap();
    assert!(
        start.elapsed() >= Duration::from_millis(950),
        "waited for Retry-After: 1"
    );
    let log = attempts(&sandbox, Route::DeleteMedia);
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].status, Some(429));
    assert!(
        log[1].status.is_some_and(|s| (200..300).contains(&s)),
        "{log:?}"
    );
    assert_all_verified_with_distinct_nonces(&log);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_faults_are_retried() {
    for fault in [
        Fault::CloseConnection,
        Fault::TruncateBody,
        Fault::StallBody,
    ] {
        let sandbox = faulty(Route::GetSession, vec![fault.clone()]).await;
        // Generous: the retry must succeed within one attempt timeout on a loaded machine.
        let client = client_for(&sandbox)
            .request_timeout(Duration::from_secs(2))
            .build()
            .unwrap();
        client.get_session(MEDIA_SESSION).await.unwrap();
        let log = attempts(&sandbox, Route::GetSession);
        assert_eq!(log.len(), 2, "{fault:?}: {log:?}");
        assert_eq!(log[0].fault, Some(fault.kind()));
        assert_all_verified_with_distinct_nonces(&log);
        sandbox.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_response_times_out_and_is_retried() {
    let sandbox = faulty(
        Route::GetSession,
        vec![Fault::Delay(Duration::from_secs(3))],
    )
    .await;
    let client = client_for(&sandbox)
        .request_timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    client.get_session(MEDIA_SESSION).await.unwrap();
    // The answer came from a retry (an attempt without the delay), not from waiting.
    let log = attempts(&sandbox, Route::GetSession);
    assert!(!log.is_empty());
    assert_all_verified_with_distinct_nonces(&log);
    assert!(
        log.iter()
            .any(|e| e.fault.is_none() && e.status == Some(200)),
        "{log:?}"
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persistent_faults_are_reported_as_their_kind() {
    // 503 forever: the API error after max attempts.
    let sandbox = faulty(Route::GetSession, vec![Fault::service_unavailable(); 10]).await;
    let client = client_for(&sandbox)
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(5)),
        )
        .build()
        .unwrap();
    let e = client.get_session(MEDIA_SESSION).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(e.code(), Some("SERVICE_UNAVAILABLE"));
    assert_eq!(e.attempts(), 3);
    let log = attempts(&sandbox, Route::GetSession);
    assert_eq!(log.len(), 3);
    assert_all_verified_with_distinct_nonces(&log);
    sandbox.shutdown().await;

    // Connection closed every time: a transport error after max attempts.
    let sandbox = faulty(Route::GetSession, vec![Fault::CloseConnection; 10]).await;
    let client = client_for(&sandbox)
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(2)
                .with_initial_backoff(Duration::from_millis(5)),
        )
        .build()
        .unwrap();
    let e = client.get_session(MEDIA_SESSION).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert_eq!(e.attempts(), 2);
    assert!(e.is_retryable());
    assert_eq!(attempts(&sandbox, Route::GetSession).len(), 2);
    sandbox.shutdown().await;

    // Stalling every time: a timeout.
    let sandbox = faulty(Route::GetSession, vec![Fault::StallBody; 10]).await;
    let client = client_for(&sandbox)
        .request_timeout(Duration::from_millis(200))
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(2)
                .with_initial_backoff(Duration::from_millis(5)),
        )
        .build()
        .unwrap();
    let e = client.get_session(MEDIA_SESSION).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert_eq!(e.attempts(), 2);
    sandbox.shutdown().await;

    // A 400 is never retried.
    let sandbox = faulty(
        Route::GetSession,
        vec![Fault::status(StatusCode::BAD_REQUEST)],
    )
    .await;
    let client = client_for(&sandbox).build().unwrap();
    let e = client.get_session(MEDIA_SESSION).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.status(), Some(StatusCode::BAD_REQUEST));
    assert_eq!(e.attempts(), 1);
    assert_eq!(attempts(&sandbox, Route::GetSession).len(), 1);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_truncated_or_stalled_download_leaves_no_file() {
    for fault in [Fault::TruncateBody, Fault::StallBody] {
        // Every attempt fails mid-body: an error, and nothing left behind.
        let sandbox = faulty(Route::GetMedia, vec![fault.clone(); 10]).await;
        let client = client_for(&sandbox)
            .read_timeout(Duration::from_secs(1))
            .retry_policy(
                RetryPolicy::default()
                    .with_max_attempts(2)
                    .with_initial_backoff(Duration::from_millis(5)),
            )
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("page.png");
        let e = client
            .download_media(MEDIA_SESSION, "m-image", &target)
            .await
            .unwrap_err();
        match fault {
            Fault::StallBody => assert_eq!(e.kind(), ErrorKind::Timeout, "{e}"),
            _ => assert_eq!(e.kind(), ErrorKind::Transport, "{e}"),
        }
        assert_eq!(e.attempts(), 2, "{e}");
        assert!(!target.exists());
        assert!(dir_is_empty(dir.path()), "no temporary file left");
        let log = attempts(&sandbox, Route::GetMedia);
        assert_eq!(log.len(), 2, "{log:?}");
        assert_all_verified_with_distinct_nonces(&log);
        sandbox.shutdown().await;

        // One failure mid-body: the download starts again and completes.
        let sandbox = faulty(Route::GetMedia, vec![fault.clone()]).await;
        let client = client_for(&sandbox)
            .read_timeout(Duration::from_secs(1))
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("page.png");
        let info = client
            .download_media(MEDIA_SESSION, "m-image", &target)
            .await
            .unwrap()
            .unwrap();
        let bytes = std::fs::read(&target).unwrap();
        assert_eq!(bytes.len() as u64, info.bytes);
        assert!(bytes.starts_with(b"\x89PNG"));
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names,
            [std::ffi::OsString::from("page.png")],
            "no temporary file left"
        );
        assert_eq!(attempts(&sandbox, Route::GetMedia).len(), 2);
        // get_media starts again too.
        sandbox.add_faults(Route::GetMedia, [fault.clone()]);
        let media = client
            .get_media(MEDIA_SESSION, "m-image")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(media.bytes().as_ref(), bytes.as_slice());
        assert_eq!(attempts(&sandbox, Route::GetMedia).len(), 4);
        sandbox.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_download_leaves_no_file() {
    let sandbox = faulty(Route::GetMedia, vec![Fault::StallBody]).await;
    let client = client_for(&sandbox).build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("page.png");
    let download = client.download_media(MEDIA_SESSION, "m-image", &target);
    // Give up long before the request timeout: the future is dropped mid-body.
    assert!(
        tokio::time::timeout(Duration::from_millis(500), download)
            .await
            .is_err()
    );
    assert!(
        dir_is_empty(dir.path()),
        "the temporary file was removed on drop"
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_for_completion_reaches_completed_across_the_stages() {
    let sandbox = start(Sandbox::product_page_demo()).await;
    let client = client_for(&sandbox).build().unwrap();
    let options = WaitOptions::new(Duration::from_secs(20))
        .initial_interval(Duration::from_millis(10))
        .max_interval(Duration::from_millis(40));
    let session = client
        .wait_for_completion(PRODUCT_PAGE_SESSION_ID, options)
        .await
        .unwrap();
    assert_eq!(session.state, Some(SessionState::Completed));
    assert_eq!(
        attempts(&sandbox, Route::GetSession).len(),
        5,
        "one poll per stage"
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_for_completion_times_out_cleanly() {
    let sandbox =
        start(Sandbox::builder().session_stages([idv_sandbox::PRODUCT_PAGE_STAGES[0]])).await;
    let client = client_for(&sandbox).build().unwrap();
    let options = WaitOptions::new(Duration::from_millis(600))
        .initial_interval(Duration::from_millis(20))
        .max_interval(Duration::from_millis(100));
    let start_at = Instant::now();
    let e = client
        .wait_for_completion(PRODUCT_PAGE_SESSION_ID, options)
        .await
        .unwrap_err();
    let elapsed = start_at.elapsed();
    assert!(elapsed >= Duration::from_millis(550), "{elapsed:?}");
    // Far below the client's 90 s overall timeout: the last poll was cut at the deadline.
    // (Generous, for loaded machines.)
    assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert_eq!(e.last_state(), Some(&SessionState::Ongoing));
    assert!(e.to_string().contains("ONGOING"), "{e}");
    let polls = attempts(&sandbox, Route::GetSession).len();
    assert!(polls >= 3, "{polls}");
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_share_few_connections() {
    let sandbox = start(Sandbox::builder().session_value(&media_session())).await;
    let client = client_for(&sandbox).build().unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..1_000 {
        let client = client.clone();
        tasks.spawn(async move { client.get_session(MEDIA_SESSION).await });
    }
    let mut ok = 0;
    while let Some(r) = tasks.join_next().await {
        let session = r.unwrap().unwrap();
        assert_eq!(session.state, Some(SessionState::Completed));
        ok += 1;
    }
    assert_eq!(ok, 1_000);
    let connections = sandbox.connections_accepted();
    assert!(
        connections <= idv_client::DEFAULT_MAX_IN_FLIGHT as u64 + 8,
        "{connections} connections for 1,000 calls"
    );
    let log = attempts(&sandbox, Route::GetSession);
    assert_eq!(log.len(), 1_000, "no retries were needed");
    assert_all_verified_with_distinct_nonces(&log);
    sandbox.shutdown().await;
}
