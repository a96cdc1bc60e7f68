//! Streamed responses from `HyperTransport` arrive chunk by chunk, before the server has finished.
#![cfg(feature = "hyper")]

mod common;

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{Request, Response};
use idv_transport::{SendOptions, Transport, TransportErrorKind};
use tokio::sync::oneshot;

use common::{channel_body, failing_body, full, serve, test_pki};

#[tokio::test]
async fn chunks_arrive_before_the_body_is_complete() {
    // The server sends two chunks, then waits for the test's go-ahead before the last one: the
    // client can only see the first chunks if it really streams.
    let gate: Arc<Mutex<Option<oneshot::Receiver<()>>>> = Arc::new(Mutex::new(None));
    let (go, wait) = oneshot::channel();
    *gate.lock().unwrap() = Some(wait);
    let server = serve(None, move |_req| {
        let gate = gate.clone();
        async move {
            let (tx, body) = channel_body();
            let wait = gate.lock().unwrap().take();
            tokio::spawn(async move {
                tx.send(Bytes::from_static(b"first-")).await.ok();
                tx.send(Bytes::from_static(b"second-")).await.ok();
                if let Some(wait) = wait {
                    wait.await.ok();
                }
                tx.send(Bytes::from_static(b"last")).await.ok();
            });
            Response::new(body)
        }
    })
    .await;

    let transport = common::builder().build().unwrap();
    let request = Request::get(server.http_url("/media"))
        .body(Bytes::new())
        .unwrap();
    let response = transport
        .send_streaming(request, &SendOptions::default())
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mut body = response.into_body();
    assert_eq!(body.size_hint(), None, "chunked: no Content-Length");
    let mut early = Vec::new();
    while early.len() < b"first-second-".len() {
        early.extend_from_slice(&body.next_chunk().await.unwrap().unwrap());
    }
    assert_eq!(early, b"first-second-");
    go.send(()).unwrap();
    let rest = body.collect_bytes(1024).await.unwrap();
    assert_eq!(rest.as_ref(), b"last");
}

#[tokio::test]
async fn streaming_over_http2_and_tls() {
    let pki = test_pki();
    let payload: Bytes = (0..200_000u32)
        .map(|i| (i % 251) as u8)
        .collect::<Vec<_>>()
        .into();
    let served = payload.clone();
    let server = serve(Some(pki.server_config.clone()), move |_req| {
        let served = served.clone();
        async move { Response::new(full(served)) }
    })
    .await;
    let transport = common::builder()
        .add_root_certificate_pem(pki.ca_pem.as_bytes())
        .build()
        .unwrap();
    let request = Request::get(server.https_url("/media"))
        .body(Bytes::new())
        .unwrap();
    let response = transport
        .send_streaming(request, &SendOptions::default())
        .await
        .unwrap();
    assert_eq!(response.version(), http::Version::HTTP_2);
    let mut body = response.into_body();
    assert_eq!(body.size_hint(), Some(200_000));
    let mut received = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = body.next_chunk().await {
        let chunk = chunk.unwrap();
        assert!(!chunk.is_empty());
        received.extend_from_slice(&chunk);
        chunks += 1;
    }
    assert_eq!(received, payload);
    assert!(
        chunks > 1,
        "a 200 kB HTTP/2 body arrives in several DATA frames"
    );
}

#[tokio::test]
async fn streaming_limit_applies() {
    let server = serve(
        None,
        |_req| async move { Response::new(full(vec![7u8; 5000])) },
    )
    .await;
    let transport = common::builder().build().unwrap();
    let request = || {
        Request::get(server.http_url("/m"))
            .body(Bytes::new())
            .unwrap()
    };
    let err = transport
        .send_streaming(request(), &SendOptions::default().with_max_body_bytes(4999))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge);
    let response = transport
        .send_streaming(request(), &SendOptions::default().with_max_body_bytes(5000))
        .await
        .unwrap();
    assert_eq!(
        response
            .into_body()
            .collect_bytes(5000)
            .await
            .unwrap()
            .len(),
        5000
    );
}

#[tokio::test]
async fn server_failing_mid_body_is_a_body_error_over_http1_and_http2() {
    let pki = test_pki();
    let server = serve(Some(pki.server_config.clone()), |req| async move {
        match req.uri().path() {
            "/fail" => Response::new(failing_body(b"partial")),
            _ => Response::new(full("ok")),
        }
    })
    .await;
    for http2 in [true, false] {
        let transport = common::builder()
            .http2(http2)
            .add_root_certificate_pem(pki.ca_pem.as_bytes())
            .build()
            .unwrap();
        let request = |path: &str| {
            Request::get(server.https_url(path))
                .body(Bytes::new())
                .unwrap()
        };

        // HTTP/1.1: the head is out, then the chunked body is cut short. HTTP/2: hyper resets
        // the stream (INTERNAL_ERROR), which may overtake the head; either way the failure is
        // the server's, and retryable.
        let acceptable: &[TransportErrorKind] = if http2 {
            &[TransportErrorKind::Body, TransportErrorKind::Io]
        } else {
            &[TransportErrorKind::Body]
        };
        let err = transport
            .send(request("/fail"), &SendOptions::default())
            .await
            .unwrap_err();
        assert!(acceptable.contains(&err.kind()), "http2={http2}: {err}");
        assert!(err.is_retryable());
        if http2 {
            assert!(err.to_string().contains("INTERNAL_ERROR"), "{err}");
        }

        let streamed = transport
            .send_streaming(request("/fail"), &SendOptions::default())
            .await;
        let err = match streamed {
            Ok(response) => response.into_body().collect_bytes(1024).await.unwrap_err(),
            Err(e) => e,
        };
        assert!(acceptable.contains(&err.kind()), "http2={http2}: {err}");
        assert!(err.is_retryable());

        let ok = transport
            .send(request("/ok"), &SendOptions::default())
            .await
            .unwrap();
        assert_eq!(ok.body().as_ref(), b"ok", "http2={http2}: still works");
    }
}
