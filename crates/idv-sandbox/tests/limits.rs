//! The sandbox under load: the request log and the nonce memory are bounded, slow clients are
//! disconnected, connections are capped, and unauthenticated bodies are never read.
//!
//! Time is injected (a test clock shared by the signer and the sandbox) wherever the outcome
//! depends on it. Waits on the network have generous bounds that only stop a broken build from
//! hanging; no assertion depends on how fast anything happens.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use clap::Parser as _;
use common::*;
use idv_sandbox::{MAX_LOGGED_PATH, PRODUCT_PAGE_SESSION_ID, Sandbox, SandboxHandle};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// Long enough that only a hang reaches it.
const GENEROUS: Duration = Duration::from_secs(60);

fn session_path() -> String {
    format!("/sessions/{PRODUCT_PAGE_SESSION_ID}")
}

/// A clock the test moves by hand, shared by the signer and the sandbox.
#[derive(Debug)]
struct TestClock(AtomicU64);

impl TestClock {
    fn at(millis: u64) -> Arc<Self> {
        Arc::new(Self(AtomicU64::new(millis)))
    }

    fn set(&self, millis: u64) {
        self.0.store(millis, Ordering::SeqCst);
    }
}

impl idv_sign::Clock for TestClock {
    fn now_millis(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

const T: u64 = 1_700_000_000_000;
const WINDOW: Duration = Duration::from_secs(60);
const WINDOW_MS: u64 = 60_000;

async fn start_with_clock(clock: &Arc<TestClock>, max_nonces: usize) -> SandboxHandle {
    Sandbox::product_page_demo()
        .test_app()
        .timestamp_skew(WINDOW)
        .clock(Arc::clone(clock) as Arc<dyn idv_sign::Clock>)
        .max_nonces(max_nonces)
        .start()
        .await
        .expect("start")
}

fn code_of(reply: &Reply) -> String {
    assert!(
        reply.status.is_client_error() || reply.status.is_server_error(),
        "status {}",
        reply.status
    );
    reply.code()
}

#[tokio::test]
async fn the_request_log_keeps_at_most_its_capacity_with_bounded_entries() {
    let sandbox = Sandbox::product_page_demo()
        .test_app()
        .request_log_capacity(5)
        .start()
        .await
        .expect("start");
    // Unsigned requests with 60 KB paths, as in the report that found the log unbounded.
    for i in 0..12 {
        let target = format!("/idverify/v1/sessions/{i:02}{}", "x".repeat(60_000));
        let reply = send_raw(&sandbox, "GET", &target, &[], b"")
            .await
            .expect("reply");
        assert_eq!(reply.status, 401);
    }
    let log = sandbox.request_log();
    assert_eq!(log.len(), 5, "the log holds at most its capacity");
    assert_eq!(sandbox.requests_logged(), 12);
    for (entry, i) in log.iter().zip(7..) {
        assert!(
            entry
                .path
                .starts_with(&format!("/idverify/v1/sessions/{i:02}x")),
            "the newest entries are kept, oldest first"
        );
        assert!(entry.path.ends_with('…'));
        assert!(entry.path.len() <= MAX_LOGGED_PATH + '…'.len_utf8());
    }
    sandbox.clear_request_log();
    assert!(sandbox.request_log().is_empty());
    assert_eq!(sandbox.requests_logged(), 0);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_replay_is_refused_while_its_timestamp_is_in_the_window_then_by_the_window() {
    let clock = TestClock::at(T);
    let sandbox = start_with_clock(&clock, 1_000).await;
    let signer = signer().with_clock(Arc::clone(&clock) as Arc<dyn idv_sign::Clock>);

    let signed = sign(&signer, "GET", &session_path(), b"").await;
    assert_eq!(send_signed(&sandbox, &signed, b"").await.status, 200);
    let replay = send_signed(&sandbox, &signed, b"").await;
    assert_eq!(code_of(&replay), "NONCE_REPLAYED");
    assert_eq!(sandbox.remembered_nonces(), 1);

    // At the window's edge the timestamp still passes, so the nonce must still be known.
    clock.set(T + WINDOW_MS);
    let replay = send_signed(&sandbox, &signed, b"").await;
    assert_eq!(code_of(&replay), "NONCE_REPLAYED");
    assert_eq!(sandbox.remembered_nonces(), 1);

    // One millisecond later the nonce is forgotten, and the timestamp refuses the replay.
    clock.set(T + WINDOW_MS + 1);
    let replay = send_signed(&sandbox, &signed, b"").await;
    assert_eq!(code_of(&replay), "TIMESTAMP_OUT_OF_RANGE");
    assert_eq!(sandbox.remembered_nonces(), 0);
    // The clock stepping back does not revive it.
    clock.set(T);
    let replay = send_signed(&sandbox, &signed, b"").await;
    assert_eq!(code_of(&replay), "TIMESTAMP_OUT_OF_RANGE");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn nonce_memory_stays_bounded_over_many_windows() {
    let clock = TestClock::at(T);
    let sandbox = start_with_clock(&clock, 1_000).await;
    let signer = signer().with_clock(Arc::clone(&clock) as Arc<dyn idv_sign::Clock>);
    const PER_WINDOW: usize = 8;
    let mut accepted = 0;
    for window in 0..6u64 {
        clock.set(T + window * (WINDOW_MS + 1) * 2);
        for _ in 0..PER_WINDOW {
            let signed = sign(&signer, "GET", &session_path(), b"").await;
            assert_eq!(send_signed(&sandbox, &signed, b"").await.status, 200);
            accepted += 1;
        }
        assert!(sandbox.remembered_nonces() <= PER_WINDOW);
    }
    assert_eq!(accepted, 6 * PER_WINDOW);
    assert_eq!(sandbox.remembered_nonces(), PER_WINDOW);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_full_nonce_memory_refuses_fresh_nonces_with_503_instead_of_growing() {
    // Without a window nothing can be forgotten: the cap holds, with no Retry-After.
    let sandbox = Sandbox::product_page_demo()
        .test_app()
        .max_nonces(3)
        .start()
        .await
        .expect("start");
    let first = sign(&signer(), "GET", &session_path(), b"").await;
    assert_eq!(send_signed(&sandbox, &first, b"").await.status, 200);
    for _ in 0..2 {
        assert_eq!(call(&sandbox, "GET", &session_path()).await.status, 200);
    }
    for _ in 0..3 {
        let full = call(&sandbox, "GET", &session_path()).await;
        assert_eq!(full.status, 503);
        assert_eq!(full.code(), "NONCE_STORE_FULL");
        assert!(full.headers.get(http::header::RETRY_AFTER).is_none());
    }
    // A replay is still recognised as one.
    assert_eq!(
        code_of(&send_signed(&sandbox, &first, b"").await),
        "NONCE_REPLAYED"
    );
    assert_eq!(sandbox.remembered_nonces(), 3);
    let log = sandbox.request_log();
    assert_eq!(
        log.iter().filter(|e| e.signature_verified).count(),
        3,
        "refused requests are not counted as verified"
    );
    sandbox.shutdown().await;

    // With a window the refusal says when room is made, and room is made then.
    let clock = TestClock::at(T);
    let sandbox = start_with_clock(&clock, 2).await;
    let signer = signer().with_clock(Arc::clone(&clock) as Arc<dyn idv_sign::Clock>);
    for _ in 0..2 {
        let signed = sign(&signer, "GET", &session_path(), b"").await;
        assert_eq!(send_signed(&sandbox, &signed, b"").await.status, 200);
    }
    let signed = sign(&signer, "GET", &session_path(), b"").await;
    let full = send_signed(&sandbox, &signed, b"").await;
    assert_eq!(full.status, 503);
    assert_eq!(full.code(), "NONCE_STORE_FULL");
    // The first nonces are forgotten one millisecond after T + 60 s: 61 s, rounded up.
    assert_eq!(
        full.headers
            .get(http::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok()),
        Some("61")
    );
    clock.set(T + WINDOW_MS + 1);
    let signed = sign(&signer, "GET", &session_path(), b"").await;
    assert_eq!(send_signed(&sandbox, &signed, b"").await.status, 200);
    assert_eq!(sandbox.remembered_nonces(), 1);
    sandbox.shutdown().await;
}

/// Reads until the peer closes the connection; `None` if it does not within [`GENEROUS`].
async fn read_until_closed(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut received = Vec::new();
    let read = tokio::time::timeout(GENEROUS, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    read.ok().map(|()| received)
}

#[tokio::test]
async fn a_client_sending_half_a_header_is_disconnected_after_the_timeout() {
    let sandbox = Sandbox::product_page_demo()
        .test_app()
        .header_read_timeout(Duration::from_millis(200))
        .start()
        .await
        .expect("start");
    let mut stream = TcpStream::connect(sandbox.local_addr())
        .await
        .expect("connect");
    stream
        .write_all(b"GET /idverify/v1/sessions/x HTTP/1.1\r\nHost: sandbox\r\nX-Half: ")
        .await
        .expect("write");
    let received = read_until_closed(&mut stream).await;
    assert!(
        received.is_some(),
        "the sandbox closed the connection of a client that never finished its headers"
    );
    assert!(sandbox.request_log().is_empty(), "no request was handled");

    // A kept-alive connection that is served, then idles, is closed the same way.
    let mut stream = TcpStream::connect(sandbox.local_addr())
        .await
        .expect("connect");
    stream
        .write_all(b"GET /elsewhere HTTP/1.1\r\nHost: sandbox\r\n\r\n")
        .await
        .expect("write");
    let received = read_until_closed(&mut stream)
        .await
        .expect("an idle kept-alive connection is closed");
    assert!(received.starts_with(b"HTTP/1.1 404"));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_until_one_ends() {
    let sandbox = Sandbox::product_page_demo()
        .test_app()
        .max_connections(2)
        .start()
        .await
        .expect("start");
    // Two kept-alive connections, each served once, hold the two slots.
    let mut held = Vec::new();
    for _ in 0..2 {
        let stream = TcpStream::connect(sandbox.local_addr())
            .await
            .expect("connect");
        let (mut sender, connection) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
                .await
                .expect("handshake");
        let task = tokio::spawn(connection);
        let signed = sign(&signer(), "GET", &session_path(), b"").await;
        let target = format!("{}{}", base_path(&sandbox), signed.path_and_query());
        let headers: Vec<(&str, &str)> = signed.headers().to_vec();
        let reply = send_on(&mut sender, &sandbox, "GET", &target, &headers, b"")
            .await
            .expect("reply");
        assert_eq!(reply.status, 200);
        held.push((sender, task));
    }
    assert_eq!(sandbox.connections_accepted(), 2);

    // A third connection connects (the backlog takes it) but is not served while both are
    // held. However long we give it, a correct sandbox never answers it here.
    let signed = sign(&signer(), "GET", &session_path(), b"").await;
    let sandbox = Arc::new(sandbox);
    let third = {
        let sandbox = Arc::clone(&sandbox);
        tokio::spawn(async move { send_signed(&sandbox, &signed, b"").await })
    };
    let mut third = Box::pin(third);
    assert!(
        tokio::time::timeout(Duration::from_millis(300), &mut third)
            .await
            .is_err(),
        "the third connection is not served while the cap is held"
    );
    assert_eq!(sandbox.connections_accepted(), 2);
    assert_eq!(sandbox.request_log().len(), 2);

    // Ending one held connection lets the third in.
    let (sender, task) = held.remove(0);
    drop(sender);
    let _ = task.await;
    let reply = tokio::time::timeout(GENEROUS, third)
        .await
        .expect("served once a slot is free")
        .expect("task");
    assert_eq!(reply.status, 200);
    assert_eq!(sandbox.connections_accepted(), 3);
    drop(held);
}

/// Sends only the head of a request that announces a 10 MB body, then reads the response
/// head: it must come without any of the body being sent.
async fn head_only(sandbox: &SandboxHandle, target: &str, extra_headers: &str) -> String {
    let mut stream = TcpStream::connect(sandbox.local_addr())
        .await
        .expect("connect");
    let head = format!(
        "POST {target} HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/json\r\n\
         Content-Length: 10000000\r\n{extra_headers}\r\n"
    );
    stream.write_all(head.as_bytes()).await.expect("write");
    let received = read_until_closed(&mut stream)
        .await
        .expect("answered and closed without the body");
    String::from_utf8_lossy(&received).into_owned()
}

#[tokio::test]
async fn unauthenticated_requests_are_refused_before_their_body_is_read() {
    let sandbox = Sandbox::product_page_demo()
        .test_app()
        .start()
        .await
        .expect("start");
    let base = base_path(&sandbox);
    // No auth parameters.
    let response = head_only(&sandbox, &format!("{base}{}", session_path()), "").await;
    assert!(response.starts_with("HTTP/1.1 401"), "{response}");
    assert!(response.contains("MISSING_AUTH"));
    assert!(response.to_ascii_lowercase().contains("connection: close"));
    // An unknown app, with a client waiting for 100-continue: it gets the refusal instead.
    let unknown = format!(
        "{base}{}?sdkId=unknown-app&nonce=n-1&timestamp=1700000000000",
        session_path()
    );
    let response = head_only(&sandbox, &unknown, "Expect: 100-continue\r\n").await;
    assert!(response.starts_with("HTTP/1.1 404"), "{response}");
    assert!(response.contains("APP_NOT_FOUND"));
    // A registered app but no digest header.
    let no_digest = format!(
        "{base}{}?sdkId={}&nonce=n-2&timestamp=1700000000000",
        session_path(),
        keys().sdk_id
    );
    let response = head_only(&sandbox, &no_digest, "").await;
    assert!(response.starts_with("HTTP/1.1 401"), "{response}");
    assert!(response.contains("MISSING_AUTH"));

    let log = sandbox.request_log();
    assert_eq!(log.len(), 3);
    assert!(log.iter().all(|e| !e.signature_verified));
    assert_eq!(log[1].sdk_id.as_deref(), Some("unknown-app"));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_signed_request_announcing_more_than_the_limit_is_refused_unread() {
    let sandbox = Sandbox::product_page_demo()
        .test_app()
        .start()
        .await
        .expect("start");
    let signed = sign(&signer(), "POST", &session_path(), b"{}").await;
    let target = format!("{}{}", base_path(&sandbox), signed.path_and_query());
    let mut stream = TcpStream::connect(sandbox.local_addr())
        .await
        .expect("connect");
    let mut head = format!(
        "POST {target} HTTP/1.1\r\nHost: sandbox\r\nContent-Length: {}\r\n",
        idv_sandbox::limits::MAX_REQUEST_BODY + 1
    );
    for (name, value) in signed.headers() {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.expect("write");
    let received = read_until_closed(&mut stream)
        .await
        .expect("answered without the body");
    let response = String::from_utf8_lossy(&received);
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    assert!(response.contains("PAYLOAD_TOO_LARGE"));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_limits_are_command_line_flags() {
    let args = idv_sandbox::cli::Args::try_parse_from([
        "idv-sandbox",
        "--request-log-capacity",
        "2",
        "--max-nonces",
        "10",
        "--header-read-timeout",
        "5s",
        "--max-connections",
        "4",
    ])
    .expect("parse");
    assert_eq!(
        (
            args.request_log_capacity,
            args.max_nonces,
            args.max_connections
        ),
        (2, 10, 4)
    );
    assert_eq!(args.header_read_timeout, Some(Duration::from_secs(5)));
    let sandbox = args
        .builder()
        .expect("builder")
        .start()
        .await
        .expect("start");
    for _ in 0..3 {
        let reply = send_raw(&sandbox, "GET", "/idverify/v1/sessions/x", &[], b"")
            .await
            .expect("reply");
        assert_eq!(reply.status, 401);
    }
    assert_eq!(sandbox.request_log().len(), 2);
    sandbox.shutdown().await;

    let defaults = idv_sandbox::cli::Args::try_parse_from(["idv-sandbox"]).expect("parse");
    assert_eq!(
        defaults.request_log_capacity,
        idv_sandbox::limits::DEFAULT_REQUEST_LOG_CAPACITY
    );
    assert_eq!(defaults.max_nonces, idv_sandbox::limits::DEFAULT_MAX_NONCES);
    assert_eq!(
        defaults.max_connections,
        idv_sandbox::limits::DEFAULT_MAX_CONNECTIONS
    );
    assert_eq!(defaults.header_read_timeout, None);
}
