//! Fault injection: each fault kind, consumption order, and faults only after verification.

mod common;

use std::time::{Duration, Instant};

use common::*;
use idv_sandbox::{
    Fault, FaultKind, PRODUCT_PAGE_SESSION_ID, PRODUCT_PAGE_STAGES, Route, Sandbox, SandboxHandle,
    StatusCode,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn start_with(route: Route, faults: Vec<Fault>) -> SandboxHandle {
    Sandbox::product_page_demo()
        .test_app()
        .fault(route, faults)
        .start()
        .await
        .expect("start")
}

fn session_path() -> String {
    format!("/sessions/{PRODUCT_PAGE_SESSION_ID}")
}

#[tokio::test]
async fn status_faults_are_consumed_in_order_then_normal() {
    let sandbox = start_with(
        Route::GetSession,
        vec![Fault::service_unavailable(), Fault::service_unavailable()],
    )
    .await;
    for _ in 0..2 {
        let reply = call(&sandbox, "GET", &session_path()).await;
        assert_eq!(reply.status, 503);
        assert_eq!(reply.code(), "SERVICE_UNAVAILABLE");
        assert!(reply.headers.get("retry-after").is_none());
    }
    let ok = call(&sandbox, "GET", &session_path()).await;
    assert_eq!(ok.status, 200);
    assert_eq!(
        &ok.body[..],
        PRODUCT_PAGE_STAGES[0],
        "faults do not advance the session"
    );
    let kinds: Vec<Option<FaultKind>> = sandbox.request_log().iter().map(|e| e.fault).collect();
    assert_eq!(
        kinds,
        vec![
            Some(FaultKind::Status(StatusCode::SERVICE_UNAVAILABLE)),
            Some(FaultKind::Status(StatusCode::SERVICE_UNAVAILABLE)),
            None
        ]
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn too_many_requests_carries_retry_after() {
    let sandbox = start_with(Route::GetMedia, vec![Fault::too_many_requests(7)]).await;
    let media = sandbox.media_ids(PRODUCT_PAGE_SESSION_ID);
    let path = format!("{}/media/{}/content", session_path(), media[0]);
    // Another route is not affected.
    assert_eq!(call(&sandbox, "GET", &session_path()).await.status, 200);
    let reply = call(&sandbox, "GET", &path).await;
    assert_eq!(reply.status, 429);
    assert_eq!(
        reply
            .headers
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("7")
    );
    assert_eq!(reply.code(), "TOO_MANY_REQUESTS");
    assert_eq!(call(&sandbox, "GET", &path).await.status, 200);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_custom_status_fault_and_the_any_route() {
    let sandbox = start_with(
        Route::Any,
        vec![Fault::Status {
            status: StatusCode::BAD_GATEWAY,
            code: "UPSTREAM".to_owned(),
            retry_after: Some(1),
        }],
    )
    .await;
    sandbox.add_faults(
        Route::DeleteSession,
        [Fault::status(StatusCode::INTERNAL_SERVER_ERROR)],
    );
    // DeleteSession's own queue first.
    let reply = call(&sandbox, "DELETE", &session_path()).await;
    assert_eq!(
        (reply.status.as_u16(), reply.code().as_str()),
        (500, "INTERNAL_SERVER_ERROR")
    );
    // Then Any applies to any route.
    let reply = call(&sandbox, "GET", &session_path()).await;
    assert_eq!(
        (reply.status.as_u16(), reply.code().as_str()),
        (502, "UPSTREAM")
    );
    assert_eq!(call(&sandbox, "DELETE", &session_path()).await.status, 204);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn faults_apply_only_after_the_signature_verified() {
    let sandbox = start_with(Route::GetSession, vec![Fault::service_unavailable()]).await;
    let target = format!("/idverify/v1{}", session_path());
    let unsigned = send_raw(&sandbox, "GET", &target, &[], b"")
        .await
        .expect("reply");
    assert_eq!(unsigned.status, 401);
    let signed = call(&sandbox, "GET", &session_path()).await;
    assert_eq!(signed.status, 503, "the fault was still queued");
    let log = sandbox.request_log();
    assert_eq!(log[0].fault, None);
    assert!(!log[0].signature_verified);
    assert!(log[1].signature_verified);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn delay_then_normal() {
    let sandbox = start_with(
        Route::GetSession,
        vec![Fault::Delay(Duration::from_millis(300))],
    )
    .await;
    let signed = sign(&signer(), "GET", &session_path(), b"").await;
    let started = Instant::now();
    let reply = send_signed(&sandbox, &signed, b"").await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(reply.status, 200);
    assert_eq!(&reply.body[..], PRODUCT_PAGE_STAGES[0]);
    assert_eq!(sandbox.request_log()[0].fault, Some(FaultKind::Delay));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn close_connection_sends_no_response() {
    let sandbox = start_with(Route::GetSession, vec![Fault::CloseConnection]).await;
    let signed = sign(&signer(), "GET", &session_path(), b"").await;
    let target = format!("/idverify/v1{}", signed.path_and_query());
    let headers: Vec<(&str, &str)> = signed.headers().to_vec();
    let err = send_raw(&sandbox, "GET", &target, &headers, b"")
        .await
        .expect_err("no response");
    assert!(err.is_incomplete_message() || err.is_closed(), "{err:?}");
    let entry = &sandbox.request_log()[0];
    assert_eq!(
        (entry.status, entry.fault),
        (None, Some(FaultKind::CloseConnection))
    );
    assert!(entry.signature_verified);
    // The next attempt (a new signature, a new connection) is served.
    assert_eq!(call(&sandbox, "GET", &session_path()).await.status, 200);
    assert_eq!(sandbox.connections_accepted(), 2);
    sandbox.shutdown().await;
}

/// Writes a signed GET on a raw TCP stream and returns the stream.
async fn raw_get(sandbox: &SandboxHandle, path: &str) -> TcpStream {
    let signed = sign(&signer(), "GET", path, b"").await;
    let mut stream = TcpStream::connect(sandbox.local_addr())
        .await
        .expect("connect");
    let request = format!(
        "GET /idverify/v1{} HTTP/1.1\r\nHost: {}\r\nX-Yoti-Auth-Digest: {}\r\n\r\n",
        signed.path_and_query(),
        sandbox.local_addr(),
        signed.digest().expose()
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    stream
}

fn split_response(raw: &[u8]) -> (String, &[u8]) {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    (
        String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase(),
        &raw[end + 4..],
    )
}

fn content_length(head: &str) -> usize {
    head.lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .and_then(|v| v.trim().parse().ok())
        .expect("content-length")
}

#[tokio::test]
async fn truncated_body_is_shorter_than_its_content_length_then_closed() {
    let sandbox = start_with(Route::GetSession, vec![Fault::TruncateBody]).await;
    let mut stream = raw_get(&sandbox, &session_path()).await;
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut raw))
        .await
        .expect("the server closes the connection")
        .expect("read");
    let (head, body) = split_response(&raw);
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert_eq!(content_length(&head), PRODUCT_PAGE_STAGES[0].len());
    assert!(!body.is_empty() && body.len() < PRODUCT_PAGE_STAGES[0].len());
    assert_eq!(body, &PRODUCT_PAGE_STAGES[0][..body.len()]);
    let entry = &sandbox.request_log()[0];
    assert_eq!(
        (entry.status, entry.fault),
        (Some(200), Some(FaultKind::TruncateBody))
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn stalled_body_sends_part_then_nothing_until_shutdown() {
    let sandbox = start_with(Route::GetSession, vec![Fault::StallBody]).await;
    let mut stream = raw_get(&sandbox, &session_path()).await;
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    // Read until the headers and some body have arrived.
    loop {
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf))
            .await
            .expect("headers arrive")
            .expect("read");
        assert!(n > 0, "connection closed early");
        raw.extend_from_slice(&buf[..n]);
        if raw.windows(4).any(|w| w == b"\r\n\r\n") && !split_response(&raw).1.is_empty() {
            break;
        }
    }
    // Nothing more arrives for a while: the body stalls.
    let more = tokio::time::timeout(Duration::from_millis(500), stream.read(&mut buf)).await;
    assert!(more.is_err(), "the body stalls");
    let (head, body) = split_response(&raw);
    assert!(content_length(&head) > body.len());
    assert_eq!(sandbox.request_log()[0].fault, Some(FaultKind::StallBody));
    // Shutting down releases the connection.
    sandbox.shutdown().await;
    let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf))
        .await
        .expect("closed at shutdown")
        .unwrap_or(0);
    assert_eq!(n, 0);
}
