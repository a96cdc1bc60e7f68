//! The one retry rule through the public API: statuses, transport failures, Retry-After, attempt budgets.

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use common::*;
use http::{Request, Response, StatusCode};
use idv_client::{ErrorKind, IdvClient, RetryPolicy};
use idv_transport::{TransportError, TransportErrorKind, transport_fn};

#[tokio::test]
async fn retryable_statuses_are_retried_with_fresh_signatures() {
    for status in [429u16, 500, 502, 503, 504] {
        let f = fake(move |n, _| {
            Ok(if n < 2 {
                response(
                    status,
                    Some("application/json"),
                    br#"{"code":"X","message":"m"}"#,
                )
            } else {
                response(200, Some("application/json"), ONGOING)
            })
        });
        f.client.get_session(SESSION).await.unwrap();
        let seen = f.seen.lock().unwrap();
        assert_eq!(seen.len(), 3, "{status}");
        let nonces: HashSet<String> = seen
            .iter()
            .map(|s| query_params(&s.uri)[1].1.clone())
            .collect();
        assert_eq!(nonces.len(), 3, "every attempt has its own nonce");
        assert_eq!(
            f.signer.messages.lock().unwrap().len(),
            3,
            "every attempt is signed"
        );
    }
}

#[tokio::test]
async fn other_client_errors_are_never_retried() {
    for status in [400u16, 401, 403, 404, 409, 422] {
        let f = fake(move |_, _| Ok(response(status, None, b"")));
        let e = f.client.delete_session(SESSION).await.unwrap_err();
        assert_eq!(e.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(f.seen.lock().unwrap().len(), 1, "{status}");
    }
}

#[tokio::test]
async fn attempts_are_bounded() {
    let f = fake_with(
        "https://api.example.com/idverify/v1",
        RetryPolicy::default().with_max_attempts(3),
        Duration::from_secs(10),
        |_, _| Ok(response(503, None, b"")),
    );
    let e = f.client.get_session(SESSION).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(e.attempts(), 3);
    assert!(e.is_retryable());
    assert!(e.to_string().contains("after 3 attempts"), "{e}");
    assert_eq!(f.seen.lock().unwrap().len(), 3);

    let f = fake_with(
        "https://api.example.com/idverify/v1",
        RetryPolicy::never(),
        Duration::from_secs(10),
        |_, _| Ok(response(503, None, b"")),
    );
    assert_eq!(
        f.client.get_session(SESSION).await.unwrap_err().attempts(),
        1
    );
    assert_eq!(f.seen.lock().unwrap().len(), 1);
}

// The clock is paused in the timing tests below: tokio advances it when every task waits, so
// the measured times are exact whatever the machine's load.
#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured() {
    let f = fake(|n, _| {
        Ok(if n == 0 {
            Response::builder()
                .status(429)
                .header("retry-after", "1")
                .body(Bytes::new())
                .unwrap()
        } else {
            response(200, Some("application/json"), ONGOING)
        })
    });
    let start = tokio::time::Instant::now();
    f.client.get_session(SESSION).await.unwrap();
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "waited for Retry-After"
    );
    assert_eq!(f.seen.lock().unwrap().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn retry_after_beyond_the_deadline_fails_at_once() {
    let f = fake_with(
        "https://api.example.com/idverify/v1",
        RetryPolicy::default().with_max_retry_after(Duration::from_secs(60)),
        Duration::from_secs(2),
        |_, _| {
            Ok(Response::builder()
                .status(503)
                .header("retry-after", "30")
                .body(Bytes::new())
                .unwrap())
        },
    );
    let start = tokio::time::Instant::now();
    let e = f.client.get_session(SESSION).await.unwrap_err();
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "no wait for a retry that cannot happen"
    );
    assert_eq!(e.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(e.attempts(), 1);
}

#[tokio::test]
async fn transport_errors_are_retried_only_when_transient() {
    let f = fake(|n, _| {
        if n == 0 {
            Err(TransportError::new(TransportErrorKind::Connect, "refused"))
        } else {
            Ok(response(200, Some("application/json"), ONGOING))
        }
    });
    f.client.get_session(SESSION).await.unwrap();
    assert_eq!(f.seen.lock().unwrap().len(), 2);

    let f = fake(|_, _| {
        Err(TransportError::new(
            TransportErrorKind::Tls,
            "bad certificate",
        ))
    });
    let e = f.client.get_session(SESSION).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert_eq!(
        e.transport_error().map(TransportError::kind),
        Some(TransportErrorKind::Tls)
    );
    assert!(!e.is_retryable());
    assert_eq!(f.seen.lock().unwrap().len(), 1);

    let f = fake(|_, _| Err(TransportError::new(TransportErrorKind::Timeout, "slow")));
    let e = f.client.get_session(SESSION).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert_eq!(e.attempts(), 4);
    assert_eq!(f.seen.lock().unwrap().len(), 4);
}

#[derive(Debug)]
struct Hanging;

#[async_trait::async_trait]
impl idv_transport::Transport for Hanging {
    async fn send(
        &self,
        _request: Request<Bytes>,
        _options: &idv_transport::SendOptions,
    ) -> Result<Response<Bytes>, TransportError> {
        std::future::pending().await
    }
}

#[tokio::test(start_paused = true)]
async fn a_transport_that_never_answers_times_out() {
    let client = IdvClient::builder()
        .sdk_id(SDK_ID)
        .signer(Arc::new(RecordingSigner::default()))
        .transport(Arc::new(Hanging))
        .request_timeout(Duration::from_millis(100))
        .overall_timeout(Duration::from_millis(350))
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(100)
                .with_initial_backoff(Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let start = tokio::time::Instant::now();
    let e = client.get_session(SESSION).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(e.attempts() >= 2, "timeouts are retried: {e:?}");
    // The overall timeout, not the attempt count, ends the call.
    assert!(e.attempts() < 100, "{e:?}");
    assert!(
        start.elapsed() <= Duration::from_millis(350),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn oversized_json_is_a_transport_error_and_not_retried() {
    let seen: Arc<Mutex<usize>> = Arc::default();
    let seen2 = seen.clone();
    let client = IdvClient::builder()
        .sdk_id(SDK_ID)
        .signer(Arc::new(RecordingSigner::default()))
        .transport(Arc::new(transport_fn(move |_req: Request<Bytes>| {
            *seen2.lock().unwrap() += 1;
            async { Ok(response(200, Some("application/json"), ONGOING)) }
        })))
        .max_json_bytes(16)
        .build()
        .unwrap();
    let e = client.get_session(SESSION).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert_eq!(
        e.transport_error().map(TransportError::kind),
        Some(TransportErrorKind::BodyTooLarge)
    );
    assert!(e.to_string().contains("too large"), "{e}");
    assert_eq!(*seen.lock().unwrap(), 1);
}

#[tokio::test(start_paused = true)]
async fn retry_after_as_an_http_date_in_the_past_retries_at_once() {
    let f = fake(|n, _| {
        Ok(if n == 0 {
            Response::builder()
                .status(503)
                .header("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")
                .body(Bytes::new())
                .unwrap()
        } else {
            response(200, Some("application/json"), ONGOING)
        })
    });
    let start = tokio::time::Instant::now();
    f.client.get_session(SESSION).await.unwrap();
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(f.seen.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn the_mockall_transport_sees_a_retry_signed_afresh() {
    let nonces: Arc<Mutex<Vec<String>>> = Arc::default();
    let nonces2 = nonces.clone();
    let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut mock = idv_transport::MockTransport::new();
    mock.expect_send()
        .times(2)
        .withf(move |req, opts| {
            let nonce = query_params(req.uri())[1].1.clone();
            nonces2.lock().unwrap().push(nonce);
            req.method() == http::Method::DELETE
                && req.uri().path() == format!("/v1/sessions/{SESSION}/media/{MEDIA}/content")
                && req.body().is_empty()
                && opts.read_timeout == Some(idv_client::DEFAULT_READ_TIMEOUT)
        })
        .returning(move |_, _| {
            let n = calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(if n == 0 {
                response(502, Some("text/html"), b"<html>bad gateway</html>")
            } else {
                response(204, None, b"")
            })
        });
    let client = IdvClient::builder()
        .sdk_id(SDK_ID)
        .signer(Arc::new(RecordingSigner::default()))
        .base_url("https://h.example/v1")
        .transport(Arc::new(mock))
        .retry_policy(RetryPolicy::default().with_initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    client.delete_media(SESSION, MEDIA).await.unwrap();
    let nonces = nonces.lock().unwrap();
    assert_eq!(nonces.len(), 2);
    assert_ne!(nonces[0], nonces[1], "each attempt has a new nonce");
}
