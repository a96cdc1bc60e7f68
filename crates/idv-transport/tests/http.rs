//! `HyperTransport` against real loopback servers: HTTP/1.1, HTTP/2 (ALPN over TLS, and h2c),
//! TLS trust, connection reuse, redirects. (Plain HTTP and loopback: `plain_http.rs`.)
#![cfg(feature = "hyper")]

mod common;

use bytes::Bytes;
use http::{Request, Response, StatusCode, Version};
use idv_transport::{ConnectionInfo, SendOptions, Transport, TransportErrorKind};

use common::{full, serve, test_pki};

fn get(url: &str) -> Request<Bytes> {
    Request::get(url).body(Bytes::new()).expect("request")
}

#[tokio::test]
async fn plain_http1_round_trip() {
    let server = serve(None, |req| async move {
        let method = req.method().clone();
        let version = req.version();
        let path_and_query = req
            .uri()
            .path_and_query()
            .map(|p| p.to_string())
            .unwrap_or_default();
        let has_ct = req.headers().contains_key(http::header::CONTENT_TYPE);
        let digest = req
            .headers()
            .get("x-yoti-auth-digest")
            .map(|v| v.to_str().unwrap_or_default().to_owned())
            .unwrap_or_default();
        let body = common::body_bytes(req).await;
        Response::builder()
            .status(201)
            .header(
                "x-echo",
                format!(
                    "{method} {version:?} {path_and_query} ct={has_ct} digest={digest} body={}",
                    body.len()
                ),
            )
            .body(full("created"))
            .unwrap()
    })
    .await;
    let transport = common::builder().build().unwrap();

    let request = Request::post(server.http_url("/sessions?sdkId=a&nonce=b"))
        .header("x-yoti-auth-digest", "c2lnbmF0dXJl")
        .header("content-type", "application/json")
        .body(Bytes::from_static(b"{\"a\":1}"))
        .unwrap();
    let response = transport
        .send(request, &SendOptions::default())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.version(), Version::HTTP_11);
    assert_eq!(response.body().as_ref(), b"created");
    assert_eq!(
        response.headers()["x-echo"],
        "POST HTTP/1.1 /sessions?sdkId=a&nonce=b ct=true digest=c2lnbmF0dXJl body=7"
    );

    // A bodyless GET gets no Content-Type added.
    let response = transport
        .send(get(&server.http_url("/x")), &SendOptions::default())
        .await
        .unwrap();
    assert_eq!(
        response.headers()["x-echo"],
        "GET HTTP/1.1 /x ct=false digest= body=0"
    );
}

#[tokio::test]
async fn connections_are_reused() {
    let server = serve(None, |_req| async move { Response::new(full("ok")) }).await;
    let transport = common::builder().build().unwrap();
    let clone = transport.clone();
    let mut infos = Vec::new();
    for i in 0..10 {
        let t = if i % 2 == 0 { &transport } else { &clone };
        let response = t
            .send(get(&server.http_url("/r")), &SendOptions::default())
            .await
            .unwrap();
        assert_eq!(response.body().as_ref(), b"ok");
        infos.push(*response.extensions().get::<ConnectionInfo>().unwrap());
    }
    assert_eq!(
        server.connections(),
        1,
        "10 sequential requests should share one connection"
    );
    assert!(!infos[0].reused);
    assert!(infos[1..].iter().all(|i| i.reused && i.id == infos[0].id));
}

#[tokio::test]
async fn pool_disabled_opens_a_connection_per_request() {
    let server = serve(None, |_req| async move { Response::new(full("ok")) }).await;
    let transport = common::builder().pool_max_idle_per_host(0).build().unwrap();
    for _ in 0..3 {
        let response = transport
            .send(get(&server.http_url("/r")), &SendOptions::default())
            .await
            .unwrap();
        assert!(
            !response
                .extensions()
                .get::<ConnectionInfo>()
                .unwrap()
                .reused
        );
    }
    assert_eq!(server.connections(), 3);
}

#[tokio::test]
async fn tls_with_added_ca_negotiates_http2() {
    let pki = test_pki();
    let server = serve(Some(pki.server_config.clone()), |req| async move {
        Response::new(full(format!("{:?}", req.version())))
    })
    .await;
    let transport = common::builder()
        .add_root_certificate_pem(pki.ca_pem.as_bytes())
        .build()
        .unwrap();
    for _ in 0..5 {
        let response = transport
            .send(get(&server.https_url("/h2")), &SendOptions::default())
            .await
            .unwrap();
        assert_eq!(response.version(), Version::HTTP_2);
        assert_eq!(response.body().as_ref(), b"HTTP/2.0");
    }
    assert_eq!(
        server.connections(),
        1,
        "HTTP/2 requests share one connection"
    );

    // With HTTP/2 disabled, ALPN offers only http/1.1.
    let h1 = common::builder()
        .http2(false)
        .add_root_certificate_pem(pki.ca_pem.as_bytes())
        .build()
        .unwrap();
    let response = h1
        .send(get(&server.https_url("/h1")), &SendOptions::default())
        .await
        .unwrap();
    assert_eq!(response.version(), Version::HTTP_11);
    assert_eq!(response.body().as_ref(), b"HTTP/1.1");
}

#[tokio::test]
async fn tls_refused_unless_ca_added() {
    let pki = test_pki();
    let server = serve(Some(pki.server_config.clone()), |_req| async move {
        Response::new(full("secret"))
    })
    .await;
    let transport = common::builder().build().unwrap();
    let err = transport
        .send(
            get(&server.https_url("/x?nonce=n0nce")),
            &SendOptions::default(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Tls, "{err}");
    assert!(!err.is_retryable());
    let text = err.to_string();
    assert!(
        text.contains("localhost") && !text.contains("n0nce"),
        "{text}"
    );

    // Another CA does not help either.
    let other = test_pki();
    let transport = common::builder()
        .add_root_certificate_pem(other.ca_pem.as_bytes())
        .build()
        .unwrap();
    let err = transport
        .send(get(&server.https_url("/x")), &SendOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Tls, "{err}");
}

#[tokio::test]
async fn h2c_prior_knowledge_on_loopback() {
    let server = serve(None, |req| async move {
        Response::new(full(format!("{:?}", req.version())))
    })
    .await;
    let transport = common::builder()
        .http2_prior_knowledge(true)
        .build()
        .unwrap();
    let response = transport
        .send(get(&server.http_url("/h2c")), &SendOptions::default())
        .await
        .unwrap();
    assert_eq!(response.version(), Version::HTTP_2);
    assert_eq!(response.body().as_ref(), b"HTTP/2.0");
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let target = serve(
        None,
        |_req| async move { Response::new(full("moved here")) },
    )
    .await;
    let location = target.http_url("/elsewhere");
    let server = serve(None, move |_req| {
        let location = location.clone();
        async move {
            Response::builder()
                .status(StatusCode::TEMPORARY_REDIRECT)
                .header("location", location)
                .body(full(""))
                .unwrap()
        }
    })
    .await;
    let transport = common::builder().build().unwrap();
    let response = transport
        .send(get(&server.http_url("/start")), &SendOptions::default())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(
        target.connections(),
        0,
        "the redirect target was never contacted"
    );
}

#[tokio::test]
async fn bad_root_pem_is_a_config_error() {
    let err = common::builder()
        .add_root_certificate_pem(b"not a pem")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Config);
    let err = common::builder().webpki_roots(false).build();
    #[cfg(not(feature = "native-roots"))]
    assert_eq!(err.unwrap_err().kind(), TransportErrorKind::Config);
    #[cfg(feature = "native-roots")]
    drop(err);
}

#[cfg(not(any(feature = "aws-lc", feature = "ring")))]
#[test]
fn without_a_provider_feature_a_provider_must_be_given() {
    let err = idv_transport::HyperTransport::builder()
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Config);
    assert!(err.to_string().contains("crypto provider"), "{err}");
}

#[cfg(all(feature = "aws-lc", feature = "ring"))]
#[tokio::test]
async fn both_provider_features_do_not_panic() {
    // rustls panics on `ClientConfig::builder()` when two providers are compiled in and none is
    // installed; the transport picks one explicitly instead.
    let pki = test_pki();
    let server = serve(Some(pki.server_config.clone()), |_req| async move {
        Response::new(full("ok"))
    })
    .await;
    let transport = idv_transport::HyperTransport::builder()
        .add_root_certificate_pem(pki.ca_pem.as_bytes())
        .build()
        .unwrap();
    let response = transport
        .send(get(&server.https_url("/")), &SendOptions::default())
        .await
        .unwrap();
    assert_eq!(response.body().as_ref(), b"ok");
}

#[test]
fn built_outside_a_runtime_and_used_without_one_fails_cleanly() {
    // Building needs no runtime; sending without one is an error, not a panic.
    let transport = common::builder().build().unwrap();
    let options = SendOptions::default();
    let fut = transport.send(get("http://127.0.0.1:9/x"), &options);
    let mut fut = std::pin::pin!(fut);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match fut.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(Err(e)) => {
            assert_eq!(e.kind(), TransportErrorKind::Config, "{e}");
            assert!(e.to_string().contains("tokio runtime"), "{e}");
        }
        other => panic!(
            "expected an immediate error, got {:?}",
            other.map(|r| r.map(|_| ()))
        ),
    }

    // The same transport works once inside a runtime.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = serve(None, |_req| async move { Response::new(full("ok")) }).await;
        let response = transport
            .send(get(&server.http_url("/")), &SendOptions::default())
            .await
            .unwrap();
        assert_eq!(response.body().as_ref(), b"ok");
    });
}
