//! Failures give the right typed error, and the same `HyperTransport` keeps working afterwards.
//!
//! A raw loopback server (plain TCP, hand-written HTTP/1.1) dispatches on the request path, so
//! each fault is injected precisely; after each fault the test sends a request for `/ok` through
//! the same transport.
#![cfg(feature = "hyper")]

mod common;

use std::time::Duration;

use bytes::Bytes;
use http::Request;
use idv_transport::{HyperTransport, SendOptions, Transport, TransportErrorKind};
use tokio::io::AsyncWriteExt as _;
use tokio::net::TcpStream;

use common::{Server, read_head, serve_raw};

const HANG: Duration = Duration::from_secs(3600);

/// Handles keep-alive requests until a fault path is hit.
async fn fault_server() -> Server {
    serve_raw(|mut tcp: TcpStream| async move {
        loop {
            let head = read_head(&mut tcp).await;
            if head.is_empty() {
                return;
            }
            let line = String::from_utf8_lossy(&head);
            let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
            let path = path.split('?').next().unwrap_or("/");
            match path {
                "/ok" => {
                    let _ = tcp
                        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
                        .await;
                }
                "/hang" => {
                    tokio::time::sleep(HANG).await;
                    return;
                }
                "/stall" => {
                    let _ = tcp
                        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n0123456789")
                        .await;
                    tokio::time::sleep(HANG).await;
                    return;
                }
                "/reset" => {
                    let _ = tcp
                        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n0123456789")
                        .await;
                    let _ = tcp.flush().await;
                    // Let the client read the head and the first bytes, then reset (RST).
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    let _ = tcp.set_zero_linger();
                    drop(tcp);
                    return;
                }
                "/truncated" => {
                    let _ = tcp
                        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n0123456789")
                        .await;
                    let _ = tcp.shutdown().await;
                    return;
                }
                "/big-declared" => {
                    // Declares 1 MiB; sends only a little (the client must not wait for it).
                    let _ = tcp
                        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 1048576\r\n\r\nxxxx")
                        .await;
                    tokio::time::sleep(HANG).await;
                    return;
                }
                "/big-chunked" => {
                    let _ = tcp
                        .write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
                        .await;
                    let chunk = vec![b'a'; 4096];
                    for _ in 0..64 {
                        let _ = tcp.write_all(b"1000\r\n").await;
                        let _ = tcp.write_all(&chunk).await;
                        if tcp.write_all(b"\r\n").await.is_err() {
                            return;
                        }
                    }
                    let _ = tcp.write_all(b"0\r\n\r\n").await;
                    return;
                }
                "/trickle" => {
                    // A slow but steady body: 15 bytes, one every 100 ms.
                    let _ = tcp
                        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 15\r\n\r\n")
                        .await;
                    for _ in 0..15 {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        if tcp.write_all(b"x").await.is_err() {
                            return;
                        }
                    }
                }
                "/close" => {
                    // Read the request, then close without answering.
                    return;
                }
                "/garbage" => {
                    let _ = tcp.write_all(b"NOT HTTP AT ALL\r\n\r\n").await;
                    return;
                }
                _ => {
                    let _ = tcp
                        .write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")
                        .await;
                }
            }
        }
    })
    .await
}

fn get(server: &Server, path: &str) -> Request<Bytes> {
    Request::get(server.http_url(path))
        .body(Bytes::new())
        .expect("request")
}

/// Options for requests that must succeed or fail by themselves: an idle timeout generous
/// enough that a loaded machine never turns them into timeouts.
fn options() -> SendOptions {
    SendOptions::default().with_read_timeout(Duration::from_secs(10))
}

/// Options for requests whose expected outcome is a timeout.
fn short() -> SendOptions {
    SendOptions::default().with_read_timeout(Duration::from_millis(300))
}

/// A transport for timeout tests: the wait for a head is allowed the connect timeout plus the
/// idle timeout, so keep the connect timeout short (connecting on loopback is immediate).
fn quick_transport() -> HyperTransport {
    common::builder()
        .connect_timeout(Duration::from_millis(500))
        .build()
        .unwrap()
}

async fn assert_still_works(transport: &HyperTransport, server: &Server) {
    let response = transport
        .send(get(server, "/ok"), &options())
        .await
        .expect("/ok after a fault");
    assert_eq!(response.body().as_ref(), b"ok");
    let mut streamed = transport
        .send_streaming(get(server, "/ok"), &options())
        .await
        .expect("/ok streamed after a fault");
    let body = std::mem::take(streamed.body_mut())
        .collect_bytes(1024)
        .await
        .unwrap();
    assert_eq!(body.as_ref(), b"ok");
}

#[tokio::test]
async fn server_that_never_answers_times_out() {
    let server = fault_server().await;
    let transport = quick_transport();
    let err = transport
        .send(get(&server, "/hang?nonce=s3cret"), &short())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err}");
    assert!(err.is_retryable());
    assert!(
        err.to_string().contains("/hang") && !err.to_string().contains("s3cret"),
        "{err}"
    );

    // Streaming: the idle timeout bounds the wait for the head too.
    let err = transport
        .send_streaming(get(&server, "/hang"), &short())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err}");

    // The transport default applies when the options set none.
    let short = common::builder()
        .connect_timeout(Duration::from_millis(500))
        .read_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = short
        .send(get(&server, "/hang"), &SendOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err}");
    assert_still_works(&transport, &server).await;
    assert_still_works(&short, &server).await;
}

#[tokio::test]
async fn stall_mid_body_times_out() {
    let server = fault_server().await;
    let transport = quick_transport();
    // Buffered: the head and the first bytes arrive, then the idle timeout fires.
    let err = transport
        .send(get(&server, "/stall"), &short())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err}");

    // Streamed: the head arrives, the first bytes arrive, then the idle timeout fires.
    let opts = options().with_read_timeout(Duration::from_millis(300));
    let response = transport
        .send_streaming(get(&server, "/stall"), &opts)
        .await
        .unwrap();
    let mut body = response.into_body();
    assert_eq!(body.size_hint(), Some(100));
    assert_eq!(
        body.next_chunk().await.unwrap().unwrap().as_ref(),
        b"0123456789"
    );
    let err = body.next_chunk().await.unwrap().unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Timeout, "{err}");
    assert!(
        body.next_chunk().await.is_none(),
        "the stream ends after an error"
    );
    assert_still_works(&transport, &server).await;
}

#[tokio::test]
async fn connection_refused_is_a_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let transport = common::builder().build().unwrap();
    let url = format!("http://127.0.0.1:{port}/x");
    let err = transport
        .send(Request::get(&url).body(Bytes::new()).unwrap(), &options())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err}");
    assert!(err.is_retryable());
    assert!(std::error::Error::source(&err).is_some());
    let server = fault_server().await;
    assert_still_works(&transport, &server).await;
}

#[tokio::test]
async fn reset_mid_body_is_a_body_error() {
    let server = fault_server().await;
    let transport = common::builder().build().unwrap();
    let err = transport
        .send(get(&server, "/reset"), &options())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Body, "{err}");
    assert!(err.is_retryable());

    let mut body = transport
        .send_streaming(get(&server, "/reset"), &options())
        .await
        .unwrap()
        .into_body();
    let mut got = 0;
    let err = loop {
        match body.next_chunk().await {
            Some(Ok(chunk)) => got += chunk.len(),
            Some(Err(e)) => break e,
            None => panic!("the body must not end cleanly"),
        }
    };
    assert_eq!(err.kind(), TransportErrorKind::Body, "{err}");
    assert!(got <= 10);
    assert_still_works(&transport, &server).await;
}

#[tokio::test]
async fn truncated_body_is_a_body_error() {
    let server = fault_server().await;
    let transport = common::builder().build().unwrap();
    let err = transport
        .send(get(&server, "/truncated"), &options())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Body, "{err}");
    assert!(err.to_string().contains("truncated"), "{err}");

    let response = transport
        .send_streaming(get(&server, "/truncated"), &options())
        .await
        .unwrap();
    let err = response
        .into_body()
        .collect_bytes(1 << 20)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Body, "{err}");
    assert_still_works(&transport, &server).await;
}

#[tokio::test]
async fn body_over_the_limit_with_content_length() {
    let server = fault_server().await;
    let transport = common::builder().build().unwrap();
    let opts = options().with_max_body_bytes(64 * 1024);
    // Fails up front from Content-Length, without waiting for the (never sent) body.
    let err = transport
        .send(get(&server, "/big-declared"), &opts)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge, "{err}");
    assert!(!err.is_retryable());
    let err = transport
        .send_streaming(get(&server, "/big-declared"), &opts)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge, "{err}");
    assert_still_works(&transport, &server).await;
}

#[tokio::test]
async fn body_over_the_limit_without_content_length() {
    let server = fault_server().await;
    let transport = common::builder().build().unwrap();
    let opts = options().with_max_body_bytes(64 * 1024);
    let err = transport
        .send(get(&server, "/big-chunked"), &opts)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge, "{err}");

    let mut body = transport
        .send_streaming(get(&server, "/big-chunked"), &opts)
        .await
        .unwrap()
        .into_body();
    let mut got = 0u64;
    let err = loop {
        match body.next_chunk().await {
            Some(Ok(chunk)) => got += chunk.len() as u64,
            Some(Err(e)) => break e,
            None => panic!("the stream must fail over the limit"),
        }
    };
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge, "{err}");
    assert!(got <= 64 * 1024, "never yields more than the limit ({got})");

    // The same 256 KiB body is fine under a larger limit.
    let ok = options().with_max_body_bytes(256 * 1024);
    let response = transport
        .send(get(&server, "/big-chunked"), &ok)
        .await
        .unwrap();
    assert_eq!(response.body().len(), 256 * 1024);
    assert_still_works(&transport, &server).await;
}

#[tokio::test]
async fn connection_closed_before_the_response_is_an_io_error() {
    let server = fault_server().await;
    let transport = common::builder().build().unwrap();
    // Warm the pool first, so the failing request may go over a reused connection too.
    assert_still_works(&transport, &server).await;
    let err = transport
        .send(get(&server, "/close"), &options())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Io, "{err}");
    assert!(err.is_retryable());
    let err = transport
        .send_streaming(get(&server, "/close"), &options())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Io, "{err}");
    assert_still_works(&transport, &server).await;
}

#[tokio::test]
async fn malformed_response_is_a_protocol_error() {
    let server = fault_server().await;
    let transport = common::builder().build().unwrap();
    let err = transport
        .send(get(&server, "/garbage"), &options())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Protocol, "{err}");
    assert!(!err.is_retryable());
    assert_still_works(&transport, &server).await;
}

#[tokio::test]
async fn tls_handshake_that_never_completes_hits_the_connect_timeout() {
    // Accepts TCP but never speaks TLS.
    let server = serve_raw(|tcp| async move {
        let _open = tcp;
        tokio::time::sleep(HANG).await;
    })
    .await;
    let transport = common::builder()
        .connect_timeout(Duration::from_millis(200))
        .read_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let url = format!("https://localhost:{}/x", server.addr.port());
    let err = transport
        .send(
            Request::get(&url).body(Bytes::new()).unwrap(),
            &SendOptions::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Connect, "{err}");
    assert!(err.to_string().contains("connect timed out"), "{err}");
}

#[tokio::test]
async fn a_slow_but_steady_body_is_not_cut_short() {
    // No whole-exchange deadline in the transport: 1.5 s of body under a 1 s idle timeout is
    // fine, for a buffered and a streamed response alike.
    let server = fault_server().await;
    let transport = quick_transport();
    let opts = SendOptions::default().with_read_timeout(Duration::from_secs(1));
    let response = transport
        .send(get(&server, "/trickle"), &opts)
        .await
        .unwrap();
    assert_eq!(response.body().as_ref(), b"xxxxxxxxxxxxxxx");
    let streamed = transport
        .send_streaming(get(&server, "/trickle"), &opts)
        .await
        .unwrap();
    let body = streamed.into_body().collect_bytes(1024).await.unwrap();
    assert_eq!(body.len(), 15);
    assert_still_works(&transport, &server).await;
}
