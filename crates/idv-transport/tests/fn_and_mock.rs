//! The closure transport, the provided `send_streaming`, blanket impls and the mockall mock.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use idv_transport::{
    BodyStream, SendOptions, Transport, TransportError, TransportErrorKind, transport_fn,
};

fn request(path: &str) -> Request<Bytes> {
    Request::get(format!("https://api.example.com{path}"))
        .body(Bytes::new())
        .unwrap()
}

#[tokio::test]
async fn closure_transport_sees_requests_and_returns_responses() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let transport = transport_fn(move |req: Request<Bytes>| {
        let seen = seen.clone();
        async move {
            seen.fetch_add(1, Ordering::SeqCst);
            match req.uri().path() {
                "/fail" => Err(TransportError::new(
                    TransportErrorKind::Timeout,
                    "simulated",
                )),
                path => Ok(Response::builder()
                    .status(StatusCode::OK)
                    .body(Bytes::from(format!("you asked for {path}")))
                    .unwrap()),
            }
        }
    });

    let response = transport
        .send(request("/a"), &SendOptions::default())
        .await
        .unwrap();
    assert_eq!(response.body().as_ref(), b"you asked for /a");

    let err = transport
        .send(request("/fail"), &SendOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Timeout);
    assert!(err.is_retryable());

    // The size limit is enforced like a real transport would.
    let err = transport
        .send(
            request("/b"),
            &SendOptions::default().with_max_body_bytes(5),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge);

    // The provided send_streaming goes through send.
    let response = transport
        .send_streaming(request("/streamed"), &SendOptions::default())
        .await
        .unwrap();
    let mut body = response.into_body();
    assert_eq!(
        body.next_chunk().await.unwrap().unwrap().as_ref(),
        b"you asked for /streamed"
    );
    assert!(body.next_chunk().await.is_none());
    assert_eq!(calls.load(Ordering::SeqCst), 4);
    assert!(format!("{transport:?}").contains("FnTransport"));
}

#[tokio::test]
async fn blanket_impls_forward() {
    let transport =
        transport_fn(|_req: Request<Bytes>| async { Ok(Response::new(Bytes::from_static(b"x"))) });
    let shared: Arc<dyn Transport> = Arc::new(transport);
    let boxed: Box<dyn Transport> = Box::new(shared.clone());
    for t in [&shared as &dyn Transport, &boxed as &dyn Transport] {
        let r = t.send(request("/"), &SendOptions::default()).await.unwrap();
        assert_eq!(r.body().as_ref(), b"x");
    }
}

#[tokio::test]
async fn body_stream_from_a_stream() {
    struct Chunks(Vec<Result<Bytes, TransportError>>);
    impl futures_core::Stream for Chunks {
        type Item = Result<Bytes, TransportError>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            let next = if self.0.is_empty() {
                None
            } else {
                Some(self.0.remove(0))
            };
            std::task::Poll::Ready(next)
        }
    }
    let body = BodyStream::new(Chunks(vec![
        Ok(Bytes::from_static(b"ab")),
        Ok(Bytes::new()),
        Ok(Bytes::from_static(b"cd")),
    ]));
    assert_eq!(body.collect_bytes(4).await.unwrap().as_ref(), b"abcd");

    let body = BodyStream::new(Chunks(vec![Ok(Bytes::from_static(b"abc"))]));
    assert_eq!(
        body.collect_bytes(2).await.unwrap_err().kind(),
        TransportErrorKind::BodyTooLarge
    );

    let mut body = BodyStream::new(Chunks(vec![
        Ok(Bytes::from_static(b"a")),
        Err(TransportError::new(TransportErrorKind::Body, "reset")),
        Ok(Bytes::from_static(b"never")),
    ]));
    assert!(body.next_chunk().await.unwrap().is_ok());
    assert_eq!(
        body.next_chunk().await.unwrap().unwrap_err().kind(),
        TransportErrorKind::Body
    );
    assert!(body.next_chunk().await.is_none(), "nothing after an error");
    assert!(BodyStream::empty().next_chunk().await.is_none());
    assert!(
        BodyStream::from_bytes(Bytes::new())
            .next_chunk()
            .await
            .is_none()
    );
}

#[cfg(feature = "mock")]
#[tokio::test]
async fn mockall_mock() {
    use idv_transport::MockTransport;

    let mut mock = MockTransport::new();
    mock.expect_send()
        .withf(|req, options| req.uri().path() == "/sessions/s1" && options.max_body_bytes == 10)
        .times(1)
        .returning(|_, _| Ok(Response::new(Bytes::from_static(b"{}"))));
    mock.expect_send_streaming().times(1).returning(|_, _| {
        Ok(Response::new(BodyStream::from_bytes(Bytes::from_static(
            b"jpeg",
        ))))
    });

    let transport: Arc<dyn Transport> = Arc::new(mock);
    let options = SendOptions::default().with_max_body_bytes(10);
    let response = transport
        .send(request("/sessions/s1"), &options)
        .await
        .unwrap();
    assert_eq!(response.body().as_ref(), b"{}");
    let response = transport
        .send_streaming(request("/media/m1"), &options)
        .await
        .unwrap();
    assert_eq!(
        response
            .into_body()
            .collect_bytes(10)
            .await
            .unwrap()
            .as_ref(),
        b"jpeg"
    );
}
