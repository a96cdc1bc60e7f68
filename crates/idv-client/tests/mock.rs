//! Unit-level tests of the client through its public API, with in-memory transports: request
//! shape, error mapping, retry decisions, id validation.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use idv_client::{ErrorKind, IdvClient, RetryPolicy, SessionState, WaitOptions};
use idv_sign::{SignError, Signer};
use idv_transport::{TransportError, TransportErrorKind, transport_fn};

const SDK_ID: &str = "11111111-2222-4333-8444-555555555555";
const SESSION: &str = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
const MEDIA: &str = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";

/// A signer that returns a fixed signature (no RSA work) and records what it signed.
#[derive(Debug, Default)]
struct RecordingSigner {
    messages: Mutex<Vec<String>>,
}

#[async_trait::async_trait]
impl Signer for RecordingSigner {
    async fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        self.messages
            .lock()
            .unwrap()
            .push(String::from_utf8_lossy(message).into_owned());
        Ok(vec![0xAB; 256])
    }
}

/// What the fake server saw.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    uri: http::Uri,
    headers: http::HeaderMap,
    body: Bytes,
}

type Responder = Arc<dyn Fn(usize, &Seen) -> Result<Response<Bytes>, TransportError> + Send + Sync>;

struct Fake {
    client: IdvClient,
    seen: Arc<Mutex<Vec<Seen>>>,
    signer: Arc<RecordingSigner>,
}

fn fake_with(
    base: &str,
    policy: RetryPolicy,
    overall: Duration,
    respond: impl Fn(usize, &Seen) -> Result<Response<Bytes>, TransportError> + Send + Sync + 'static,
) -> Fake {
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let respond: Responder = Arc::new(respond);
    let seen2 = seen.clone();
    let transport = transport_fn(move |req: Request<Bytes>| {
        let seen = seen2.clone();
        let respond = respond.clone();
        async move {
            let s = Seen {
                method: req.method().to_string(),
                uri: req.uri().clone(),
                headers: req.headers().clone(),
                body: req.body().clone(),
            };
            let n = {
                let mut g = seen.lock().unwrap();
                g.push(s.clone());
                g.len() - 1
            };
            respond(n, &s)
        }
    });
    let signer = Arc::new(RecordingSigner::default());
    let client = IdvClient::builder()
        .sdk_id(SDK_ID)
        .signer(signer.clone())
        .base_url(base)
        .transport(Arc::new(transport))
        .retry_policy(
            policy
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(5)),
        )
        .request_timeout(Duration::from_millis(500))
        .overall_timeout(overall)
        .build()
        .expect("client");
    Fake {
        client,
        seen,
        signer,
    }
}

fn fake(
    respond: impl Fn(usize, &Seen) -> Result<Response<Bytes>, TransportError> + Send + Sync + 'static,
) -> Fake {
    fake_with(
        "https://api.example.com/idverify/v1",
        RetryPolicy::default(),
        Duration::from_secs(10),
        respond,
    )
}

fn response(status: u16, content_type: Option<&str>, body: &'static [u8]) -> Response<Bytes> {
    let mut b = Response::builder().status(status);
    if let Some(ct) = content_type {
        b = b.header("content-type", ct);
    }
    b.header("content-length", body.len())
        .body(Bytes::from_static(body))
        .unwrap()
}

const ONGOING: &[u8] = br#"{"session_id":"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee","state":"ONGOING","client_session_token":"SECRET-TOKEN-123","resources":{},"checks":[]}"#;
const COMPLETED: &[u8] = br#"{"session_id":"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee","state":"COMPLETED","resources":{},"checks":[]}"#;

fn ok_session(_: usize, _: &Seen) -> Result<Response<Bytes>, TransportError> {
    Ok(response(200, Some("application/json"), ONGOING))
}

fn query_params(uri: &http::Uri) -> Vec<(String, String)> {
    uri.query()
        .unwrap_or("")
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_owned(), v.to_owned())
        })
        .collect()
}

#[tokio::test]
async fn get_session_request_shape() {
    let f = fake(ok_session);
    let session = f.client.get_session(SESSION).await.unwrap();
    assert_eq!(session.state, Some(SessionState::Ongoing));

    let seen = f.seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    let s = &seen[0];
    assert_eq!(s.method, "GET");
    assert_eq!(s.uri.scheme_str(), Some("https"));
    assert_eq!(s.uri.host(), Some("api.example.com"));
    assert_eq!(s.uri.path(), format!("/idverify/v1/sessions/{SESSION}"));
    let q = query_params(&s.uri);
    let names: Vec<&str> = q.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["sdkId", "nonce", "timestamp"]);
    assert_eq!(q[0].1, SDK_ID);
    assert_eq!(q[1].1.len(), 36, "nonce is a UUID");
    assert_eq!(q[1].1, q[1].1.to_ascii_lowercase());
    assert!(
        q[2].1.parse::<u64>().unwrap() > 1_600_000_000_000,
        "epoch millis"
    );

    let h = &s.headers;
    let digest = h.get("x-yoti-auth-digest").expect("digest");
    assert!(digest.is_sensitive());
    assert_eq!(h.get("x-yoti-sdk").unwrap(), "Rust");
    assert!(
        h.get("x-yoti-sdk-version")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("Rust-")
    );
    assert_eq!(h.get("accept").unwrap(), "application/json");
    assert!(
        h.get("user-agent")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("idv-rs/")
    );
    assert!(
        h.get("content-type").is_none(),
        "no Content-Type without a body"
    );
    assert!(s.body.is_empty(), "no body on GET");

    // The message signed is the base-relative path and the query exactly as sent.
    let msgs = f.signer.messages.lock().unwrap();
    assert_eq!(msgs.len(), 1);
    assert_eq!(
        msgs[0],
        format!("GET&/sessions/{SESSION}?{}", s.uri.query().unwrap())
    );
}

#[tokio::test]
async fn trailing_slashes_in_the_base_do_not_change_the_target() {
    let f = fake_with(
        "https://api.example.com/idverify/v1///",
        RetryPolicy::default(),
        Duration::from_secs(5),
        ok_session,
    );
    f.client.get_session(SESSION).await.unwrap();
    let seen = f.seen.lock().unwrap();
    assert_eq!(
        seen[0].uri.path(),
        format!("/idverify/v1/sessions/{SESSION}")
    );
    assert!(f.signer.messages.lock().unwrap()[0].starts_with(&format!("GET&/sessions/{SESSION}?")));
}

#[tokio::test]
async fn media_and_delete_request_shapes() {
    let f = fake(|_, s| {
        Ok(match s.method.as_str() {
            "GET" => response(200, Some("image/jpeg"), b"\xFF\xD8\xFF"),
            _ => response(204, None, b""),
        })
    });
    let media = f.client.get_media(SESSION, MEDIA).await.unwrap().unwrap();
    assert_eq!(media.content_type(), Some("image/jpeg"));
    assert_eq!(media.bytes().as_ref(), b"\xFF\xD8\xFF");
    f.client.delete_media(SESSION, MEDIA).await.unwrap();
    f.client.delete_session(SESSION).await.unwrap();

    let seen = f.seen.lock().unwrap();
    let want = [
        (
            "GET",
            format!("/idverify/v1/sessions/{SESSION}/media/{MEDIA}/content"),
        ),
        (
            "DELETE",
            format!("/idverify/v1/sessions/{SESSION}/media/{MEDIA}/content"),
        ),
        ("DELETE", format!("/idverify/v1/sessions/{SESSION}")),
    ];
    assert_eq!(seen.len(), 3);
    for (s, (method, path)) in seen.iter().zip(want) {
        assert_eq!(s.method, method);
        assert_eq!(s.uri.path(), path);
        assert!(s.body.is_empty());
        assert!(s.headers.get("content-type").is_none());
        assert!(s.headers.get("x-yoti-auth-digest").is_some());
        let names: Vec<String> = query_params(&s.uri).into_iter().map(|(k, _)| k).collect();
        assert_eq!(names, ["sdkId", "nonce", "timestamp"]);
    }
    let msgs = f.signer.messages.lock().unwrap();
    assert!(msgs[1].starts_with(&format!(
        "DELETE&/sessions/{SESSION}/media/{MEDIA}/content?sdkId="
    )));
    assert!(msgs[2].starts_with(&format!("DELETE&/sessions/{SESSION}?sdkId=")));
}

#[tokio::test]
async fn malformed_ids_are_rejected_without_a_request() {
    let f = fake(ok_session);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.bin");
    for bad in [
        "",
        "a/b",
        "..",
        "a?b",
        "a#b",
        "a%2F",
        "a b",
        "a.b",
        "a\n",
        "ü",
        &"a".repeat(129),
    ] {
        let errs = [
            f.client.get_session(bad).await.unwrap_err(),
            f.client.get_session_raw(bad).await.unwrap_err(),
            f.client.delete_session(bad).await.unwrap_err(),
            f.client.get_media(bad, MEDIA).await.unwrap_err(),
            f.client.get_media(SESSION, bad).await.unwrap_err(),
            f.client.get_media_stream(SESSION, bad).await.unwrap_err(),
            f.client
                .download_media(SESSION, bad, &out)
                .await
                .unwrap_err(),
            f.client.delete_media(bad, MEDIA).await.unwrap_err(),
            f.client.delete_media(SESSION, bad).await.unwrap_err(),
            f.client
                .wait_for_completion(bad, WaitOptions::default())
                .await
                .unwrap_err(),
        ];
        for e in errs {
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{bad:?}: {e}");
            assert_eq!(e.attempts(), 0);
        }
    }
    assert!(f.seen.lock().unwrap().is_empty(), "no request was sent");
    assert!(
        f.signer.messages.lock().unwrap().is_empty(),
        "nothing was signed"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[tokio::test]
async fn api_errors_are_parsed_whatever_the_content_type() {
    let body: &'static [u8] = br#"{"code":"PAYLOAD_VALIDATION","message":"There were errors: Jane Doe","errors":[{"property":"sdk_config.font_colour","message":"provided colour must be a valid Hex Code"}]}"#;
    for ct in [
        Some("application/json"),
        Some("Application/JSON; charset=UTF-8"),
        Some("text/plain"),
        None,
    ] {
        let f = fake(move |_, _| Ok(response(400, ct, body)));
        let e = f.client.get_session(SESSION).await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Api, "{ct:?}");
        assert_eq!(e.status(), Some(StatusCode::BAD_REQUEST));
        assert_eq!(e.code(), Some("PAYLOAD_VALIDATION"));
        assert_eq!(e.api_message(), Some("There were errors: Jane Doe"));
        assert_eq!(e.field_errors().len(), 1);
        assert_eq!(
            e.field_errors()[0].property.as_deref(),
            Some("sdk_config.font_colour")
        );
        assert!(!e.is_retryable());
        assert_eq!(e.attempts(), 1, "a 400 is never retried");
        assert_eq!(f.seen.lock().unwrap().len(), 1);

        // Display: one line, with status and code, without the body or the query string.
        let shown = e.to_string();
        assert!(!shown.contains('\n'));
        assert!(
            shown.contains("400") && shown.contains("PAYLOAD_VALIDATION"),
            "{shown}"
        );
        assert!(shown.contains(&format!("/sessions/{SESSION}")), "{shown}");
        assert!(!shown.contains("Jane Doe") && !shown.contains("nonce") && !shown.contains('?'));
        let dbg = format!("{e:?}");
        assert!(
            dbg.contains("PAYLOAD_VALIDATION") && dbg.contains("400"),
            "{dbg}"
        );
        assert!(
            !dbg.contains("Jane Doe") && !dbg.contains("Hex Code"),
            "{dbg}"
        );
        // The details are in the source chain.
        let src = std::error::Error::source(&e).expect("source").to_string();
        assert!(
            src.contains("PAYLOAD_VALIDATION") && src.contains("font_colour"),
            "{src}"
        );
    }
}

#[tokio::test]
async fn non_json_error_bodies_still_give_the_status() {
    let f = fake(|_, _| Ok(response(404, Some("text/html"), b"<html>not found</html>")));
    let e = f.client.get_session(SESSION).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(e.code(), None);
    assert!(!e.to_string().contains("html"));
    assert!(!format!("{e:?}").contains("html"));
}

#[tokio::test]
async fn no_content_on_get_session_is_a_typed_error() {
    let f = fake(|_, _| Ok(response(204, None, b"")));
    let e = f.client.get_session(SESSION).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UnexpectedResponse);
    assert_eq!(e.status(), Some(StatusCode::NO_CONTENT));
}

#[tokio::test]
async fn decode_errors_name_the_json_path_but_not_the_content() {
    let f = fake(|_, _| {
        Ok(response(
            200,
            Some("application/json"),
            br#"{"session_id":"x","state":"ONGOING","checks":[{"type":"LIVENESS","report":{"recommendation":{"value":42}}}]}"#,
        ))
    });
    let e = f.client.get_session(SESSION).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    let path = e.json_path().expect("path");
    assert!(
        path.contains("checks[0]") && path.contains("recommendation"),
        "{path}"
    );
    assert!(!e.to_string().contains('\n'));
}

#[tokio::test]
async fn get_session_raw_returns_the_exact_bytes() {
    let f = fake(ok_session);
    let (session, raw) = f.client.get_session_raw(SESSION).await.unwrap();
    assert_eq!(raw.as_ref(), ONGOING);
    assert_eq!(session.session_id.as_deref(), Some(SESSION));
}

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
        RetryPolicy::default().max_attempts(3),
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
        RetryPolicy::default().max_retry_after(Duration::from_secs(60)),
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
                .max_attempts(100)
                .initial_backoff(Duration::from_millis(1)),
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
async fn media_no_content_and_missing_content_type() {
    let f = fake(|_, _| Ok(response(204, None, b"")));
    assert!(f.client.get_media(SESSION, MEDIA).await.unwrap().is_none());
    assert!(
        f.client
            .get_media_stream(SESSION, MEDIA)
            .await
            .unwrap()
            .is_none()
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("none.bin");
    assert!(
        f.client
            .download_media(SESSION, MEDIA, &out)
            .await
            .unwrap()
            .is_none()
    );
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    let f = fake(|_, _| Ok(response(200, None, b"raw")));
    let m = f.client.get_media(SESSION, MEDIA).await.unwrap().unwrap();
    assert_eq!(m.content_type(), None);
    assert_eq!(m.bytes().as_ref(), b"raw");

    let f = fake(|_, _| Ok(response(200, Some("application/PDF; x=y"), b"%PDF")));
    let m = f.client.get_media(SESSION, MEDIA).await.unwrap().unwrap();
    assert_eq!(m.content_type(), Some("application/pdf"));
    assert_eq!(m.content_type_header(), Some("application/PDF; x=y"));
    assert_eq!(
        f.seen.lock().unwrap()[0].headers.get("accept").unwrap(),
        "*/*"
    );
}

#[tokio::test]
async fn download_is_atomic() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("page.jpg");

    // A body shorter than its Content-Length: error, and nothing left behind.
    let f = fake(|_, _| {
        Ok(Response::builder()
            .status(200)
            .header("content-type", "image/jpeg")
            .header("content-length", "100")
            .body(Bytes::from_static(b"short"))
            .unwrap())
    });
    let e = f
        .client
        .download_media(SESSION, MEDIA, &out)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no partial file"
    );

    // A complete body replaces any existing file.
    std::fs::write(&out, b"old").unwrap();
    let f = fake(|_, _| Ok(response(200, Some("image/jpeg"), b"\xFF\xD8complete")));
    let info = f
        .client
        .download_media(SESSION, MEDIA, &out)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(info.bytes, 10);
    assert_eq!(info.content_type.as_deref(), Some("image/jpeg"));
    assert_eq!(info.path, out);
    assert_eq!(std::fs::read(&out).unwrap(), b"\xFF\xD8complete");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, [std::ffi::OsString::from("page.jpg")]);

    // A failed download leaves an existing file untouched.
    let f = fake(|_, _| Ok(response(404, None, b"")));
    assert!(f.client.download_media(SESSION, MEDIA, &out).await.is_err());
    assert_eq!(std::fs::read(&out).unwrap(), b"\xFF\xD8complete");

    // A directory that does not exist is an I/O error.
    let f = fake(|_, _| Ok(response(200, Some("image/jpeg"), b"x")));
    let e = f
        .client
        .download_media(SESSION, MEDIA, dir.path().join("missing/x.jpg"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Io);
}

/// Drops a download after its n-th pending poll, for every n until it completes: nothing but
/// the complete file is ever left. Each round runs on its own runtime, whose drop waits for the
/// blocking file operations still running, so a temporary file created after the drop is seen.
#[test]
fn a_download_dropped_at_any_await_point_leaves_no_file() {
    use std::future::Future as _;
    use std::task::Poll;

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("page.jpg");
    let f = fake(|_, _| Ok(response(200, Some("image/jpeg"), b"\xFF\xD8complete")));
    for pending_polls in 1..100 {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let finished = runtime.block_on(async {
            let mut download = Box::pin(f.client.download_media(SESSION, MEDIA, &out));
            let mut left = pending_polls;
            std::future::poll_fn(|cx| match download.as_mut().poll(cx) {
                Poll::Ready(result) => Poll::Ready(Some(result)),
                Poll::Pending => {
                    left -= 1;
                    if left == 0 {
                        Poll::Ready(None)
                    } else {
                        Poll::Pending
                    }
                }
            })
            .await
        });
        drop(runtime);
        match finished {
            Some(result) => {
                assert_eq!(result.unwrap().unwrap().bytes, 10);
                assert_eq!(std::fs::read(&out).unwrap(), b"\xFF\xD8complete");
                let names: Vec<_> = std::fs::read_dir(dir.path())
                    .unwrap()
                    .map(|e| e.unwrap().file_name())
                    .collect();
                assert_eq!(names, [std::ffi::OsString::from("page.jpg")]);
                assert!(pending_polls > 1, "the download did some waiting");
                return;
            }
            None => {
                let names: Vec<_> = std::fs::read_dir(dir.path())
                    .unwrap()
                    .map(|e| e.unwrap().file_name())
                    .collect();
                // Dropped during (or after) the rename, the file is there and complete;
                // before it, nothing is.
                if names.is_empty() {
                    continue;
                }
                assert_eq!(
                    names,
                    [std::ffi::OsString::from("page.jpg")],
                    "dropped after {pending_polls} pending polls"
                );
                assert_eq!(std::fs::read(&out).unwrap(), b"\xFF\xD8complete");
                std::fs::remove_file(&out).unwrap();
            }
        }
    }
    panic!("the download never completed");
}

/// A download that starts again after a failure mid-body stays within the call's overall
/// timeout: the new attempt's retries share the first attempt's deadline. (Paused clock: the
/// times are exact.)
#[tokio::test(start_paused = true)]
async fn a_restarted_download_keeps_the_overall_deadline() {
    let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let calls2 = calls.clone();
    let transport = transport_fn(move |_req: Request<Bytes>| {
        let n = calls2.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        async move {
            if n > 0 {
                // Every later attempt hangs until its timeout.
                std::future::pending::<()>().await;
            }
            tokio::time::sleep(Duration::from_millis(600)).await;
            // A body shorter than its Content-Length: a transient failure mid-body.
            Ok(Response::builder()
                .status(200)
                .header("content-length", "100")
                .body(Bytes::from_static(b"short"))
                .unwrap())
        }
    });
    let client = IdvClient::builder()
        .sdk_id(SDK_ID)
        .signer(Arc::new(RecordingSigner::default()))
        .transport(Arc::new(transport))
        .request_timeout(Duration::from_secs(2))
        .overall_timeout(Duration::from_secs(1))
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(10)
                .initial_backoff(Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let start = tokio::time::Instant::now();
    let e = client
        .download_media(SESSION, MEDIA, dir.path().join("x.jpg"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    assert!(
        start.elapsed() <= Duration::from_millis(1_001),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 2);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[tokio::test]
async fn wait_for_completion_polls_until_completed() {
    let f = fake(|n, _| {
        Ok(response(
            200,
            Some("application/json"),
            if n < 3 { ONGOING } else { COMPLETED },
        ))
    });
    let options = WaitOptions::new(Duration::from_secs(10))
        .initial_interval(Duration::from_millis(5))
        .max_interval(Duration::from_millis(20));
    let s = f
        .client
        .wait_for_completion(SESSION, options)
        .await
        .unwrap();
    assert_eq!(s.state, Some(SessionState::Completed));
    assert_eq!(f.seen.lock().unwrap().len(), 4);
}

#[tokio::test(start_paused = true)]
async fn wait_for_completion_times_out_with_the_last_state() {
    let f = fake(ok_session);
    let options = WaitOptions::new(Duration::from_millis(200))
        .initial_interval(Duration::from_millis(10))
        .max_interval(Duration::from_millis(40));
    let start = tokio::time::Instant::now();
    let e = f
        .client
        .wait_for_completion(SESSION, options)
        .await
        .unwrap_err();
    assert_eq!(start.elapsed(), Duration::from_millis(200));
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert_eq!(e.last_state(), Some(&SessionState::Ongoing));
    assert_eq!(
        e.last_session().and_then(|s| s.session_id.as_deref()),
        Some(SESSION)
    );
    assert!(e.to_string().contains("ONGOING"), "{e}");
    // The token in the last session does not leak through Display or Debug.
    assert!(!e.to_string().contains("SECRET-TOKEN"));
    assert!(!format!("{e:?}").contains("SECRET-TOKEN"));
    let polls = f.seen.lock().unwrap().len();
    assert!((3..=20).contains(&polls), "{polls} polls");
}

#[tokio::test]
async fn wait_for_completion_stops_on_a_permanent_error() {
    let f = fake(|_, _| Ok(response(404, None, br#"{"code":"SESSION_NOT_FOUND"}"#)));
    let e = f
        .client
        .wait_for_completion(SESSION, WaitOptions::new(Duration::from_secs(30)))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.code(), Some("SESSION_NOT_FOUND"));
    assert_eq!(f.seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn the_mockall_transport_sees_one_signed_get() {
    let mut mock = idv_transport::MockTransport::new();
    mock.expect_send()
        .times(1)
        .withf(|req, _opts| {
            req.method() == http::Method::GET
                && req.uri().path() == format!("/v1/sessions/{SESSION}")
                && req
                    .uri()
                    .query()
                    .is_some_and(|q| q.starts_with(&format!("sdkId={SDK_ID}&nonce=")))
                && req.headers().contains_key("x-yoti-auth-digest")
        })
        .returning(|_, _| Ok(response(200, Some("application/json"), ONGOING)));
    let client = IdvClient::builder()
        .sdk_id(SDK_ID)
        .signer(Arc::new(RecordingSigner::default()))
        .base_url("https://h.example/v1/")
        .transport(Arc::new(mock))
        .build()
        .unwrap();
    client.get_session(SESSION).await.unwrap();
}

#[test]
fn client_is_clone_send_sync_and_debug_is_safe() {
    fn assert_traits<T: Clone + Send + Sync + 'static>() {}
    assert_traits::<IdvClient>();
    let f = fake(ok_session);
    let dbg = format!("{:?}", f.client);
    assert!(
        dbg.contains("api.example.com") && dbg.contains(SDK_ID),
        "{dbg}"
    );

    // With a real key, neither the builder's nor the client's Debug shows any of it.
    let pem = std::fs::read_to_string(fixture("TEST-ONLY-key.pkcs8.pem")).unwrap();
    let key_lines: Vec<&str> = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let builder = IdvClient::builder()
        .sdk_id(SDK_ID)
        .key_pem(pem.as_bytes())
        .transport(Arc::new(transport_fn(|_req: Request<Bytes>| async {
            Ok(response(200, None, b""))
        })));
    let builder_dbg = format!("{builder:?}");
    let client_dbg = format!("{:?}", builder.build().unwrap());
    for dbg in [&builder_dbg, &client_dbg] {
        assert!(!dbg.contains("PRIVATE KEY"), "{dbg}");
        for line in key_lines.iter().filter(|l| l.len() >= 16) {
            assert!(!dbg.contains(&line[..16]), "key material in {dbg}");
        }
    }
}

#[test]
fn builder_configuration_errors() {
    let t = || {
        Arc::new(transport_fn(|_req: Request<Bytes>| async {
            Ok(response(200, None, b""))
        }))
    };
    let signer = || Arc::new(RecordingSigner::default());
    let cases: Vec<(&str, idv_client::IdvClientBuilder)> = vec![
        (
            "no sdk id",
            IdvClient::builder().signer(signer()).transport(t()),
        ),
        ("no key", IdvClient::builder().sdk_id(SDK_ID).transport(t())),
        (
            "bad key",
            IdvClient::builder()
                .sdk_id(SDK_ID)
                .key_pem(b"not a key".to_vec())
                .transport(t()),
        ),
        (
            "missing key file",
            IdvClient::builder()
                .sdk_id(SDK_ID)
                .key_file("/nonexistent/key.pem")
                .transport(t()),
        ),
        (
            "bad base",
            IdvClient::builder()
                .sdk_id(SDK_ID)
                .signer(signer())
                .transport(t())
                .base_url("ftp://x"),
        ),
        (
            "zero timeout",
            IdvClient::builder()
                .sdk_id(SDK_ID)
                .signer(signer())
                .transport(t())
                .overall_timeout(Duration::ZERO),
        ),
        (
            "roots with own transport",
            IdvClient::builder()
                .sdk_id(SDK_ID)
                .signer(signer())
                .transport(t())
                .add_root_certificate_pem(b"x".to_vec()),
        ),
        (
            "bad user agent",
            IdvClient::builder()
                .sdk_id(SDK_ID)
                .signer(signer())
                .transport(t())
                .user_agent_suffix("a\nb"),
        ),
    ];
    for (name, b) in cases {
        let e = b.build().expect_err(name);
        assert_eq!(e.kind(), ErrorKind::Configuration, "{name}: {e}");
        assert!(!e.to_string().contains('\n'), "{name}");
    }
    // The builder's Debug never shows the PEM.
    let b = IdvClient::builder().key_pem(b"-----BEGIN PRIVATE KEY-----SECRET".to_vec());
    assert!(!format!("{b:?}").contains("SECRET"));
}

#[test]
fn default_base_url_is_production() {
    let client = IdvClient::builder()
        .sdk_id(SDK_ID)
        .signer(Arc::new(RecordingSigner::default()))
        .transport(Arc::new(transport_fn(|_req: Request<Bytes>| async {
            Ok(response(200, None, b""))
        })))
        .build()
        .unwrap();
    assert_eq!(client.base_url(), idv_client::PRODUCTION_BASE_URL);
    assert_eq!(
        idv_client::SANDBOX_BASE_URL,
        "https://api.yoti.com/sandbox/idverify/v1"
    );
}

#[derive(Debug, Default)]
struct Counting {
    now: std::sync::atomic::AtomicUsize,
    max: std::sync::atomic::AtomicUsize,
}

#[async_trait::async_trait]
impl idv_transport::Transport for Counting {
    async fn send(
        &self,
        _request: Request<Bytes>,
        _options: &idv_transport::SendOptions,
    ) -> Result<Response<Bytes>, TransportError> {
        use std::sync::atomic::Ordering::SeqCst;
        let n = self.now.fetch_add(1, SeqCst) + 1;
        self.max.fetch_max(n, SeqCst);
        tokio::time::sleep(Duration::from_millis(5)).await;
        self.now.fetch_sub(1, SeqCst);
        Ok(response(200, Some("application/json"), ONGOING))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_in_flight_are_bounded() {
    let transport = Arc::new(Counting::default());
    let client = IdvClient::builder()
        .sdk_id(SDK_ID)
        .signer(Arc::new(RecordingSigner::default()))
        .transport(transport.clone())
        .max_in_flight(4)
        .build()
        .unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..100 {
        let c = client.clone();
        tasks.spawn(async move { c.get_session(SESSION).await });
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap().unwrap();
    }
    let max = transport.max.load(std::sync::atomic::Ordering::SeqCst);
    assert!((1..=4).contains(&max), "at most 4 in flight, saw {max}");
}

#[tokio::test]
async fn other_read_endpoints() {
    let f = fake(|_, s| {
        let path = s.uri.path();
        Ok(if path.ends_with("/configuration") {
            response(
                200,
                Some("application/json"),
                br#"{"session_id":"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee","requested_checks":["LIVENESS"],"capture":{"required_resources":[]}}"#,
            )
        } else if path.ends_with("/supported-documents") {
            response(
                200,
                Some("application/json"),
                br#"{"supported_countries":[{"code":"GBR","supported_documents":[{"type":"PASSPORT"}]}]}"#,
            )
        } else if path.ends_with("/tracked-devices") && s.method == "GET" {
            response(
                200,
                Some("application/json"),
                br#"[{"event":"CONFIG_FIRST_LOADED","created":"2024-01-01T00:00:00Z","device":{"os_name":"Linux"}}]"#,
            )
        } else {
            response(204, None, b"")
        })
    });
    let config = f.client.get_session_configuration(SESSION).await.unwrap();
    assert_eq!(config.session_id.as_deref(), Some(SESSION));
    assert_eq!(config.requested_checks.len(), 1);
    let docs = f.client.get_supported_documents(true).await.unwrap();
    assert_eq!(docs.supported_countries[0].code.as_deref(), Some("GBR"));
    let devices = f.client.get_tracked_devices(SESSION).await.unwrap();
    assert_eq!(devices.len(), 1);
    assert_eq!(
        devices[0]
            .device
            .as_ref()
            .and_then(|d| d.os_name.as_deref()),
        Some("Linux")
    );
    f.client.delete_tracked_devices(SESSION).await.unwrap();
    assert_eq!(
        f.client
            .get_session_configuration("a/b")
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidArgument
    );

    let seen = f.seen.lock().unwrap();
    let paths: Vec<(&str, &str)> = seen
        .iter()
        .map(|s| (s.method.as_str(), s.uri.path()))
        .collect();
    assert_eq!(
        paths,
        [
            (
                "GET",
                &*format!("/idverify/v1/sessions/{SESSION}/configuration")
            ),
            ("GET", "/idverify/v1/supported-documents"),
            (
                "GET",
                &*format!("/idverify/v1/sessions/{SESSION}/tracked-devices")
            ),
            (
                "DELETE",
                &*format!("/idverify/v1/sessions/{SESSION}/tracked-devices")
            ),
        ]
    );
    let q = query_params(&seen[1].uri);
    assert!(
        q.contains(&("includeNonLatin".to_owned(), "true".to_owned())),
        "{q:?}"
    );
    assert!(q.iter().any(|(k, _)| k == "nonce"));
}

#[derive(Debug)]
struct FailingSigner;

#[async_trait::async_trait]
impl Signer for FailingSigner {
    async fn sign(&self, _message: &[u8]) -> Result<Vec<u8>, SignError> {
        Err(SignError::signer("the KMS is unreachable"))
    }
}

#[tokio::test]
async fn a_failing_signer_is_a_signing_error_and_nothing_is_sent() {
    let seen = Arc::new(Mutex::new(0usize));
    let seen2 = seen.clone();
    let client = IdvClient::builder()
        .sdk_id(SDK_ID)
        .signer(Arc::new(FailingSigner))
        .transport(Arc::new(transport_fn(move |_req: Request<Bytes>| {
            *seen2.lock().unwrap() += 1;
            async { Ok(response(200, None, b"")) }
        })))
        .build()
        .unwrap();
    let e = client.get_session(SESSION).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signing);
    assert!(!e.is_retryable());
    let chain = std::error::Error::source(&e).unwrap().to_string();
    assert!(chain.contains("KMS"), "{chain}");
    assert_eq!(*seen.lock().unwrap(), 0);
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/signing")
        .join(name)
}

#[tokio::test]
async fn keys_from_pem_and_file_sign_verifiable_requests() {
    let public =
        idv_sign::PublicKey::from_pem(&std::fs::read(fixture("TEST-ONLY-key.public.pem")).unwrap())
            .unwrap();
    let pkcs1 = std::fs::read(fixture("TEST-ONLY-key.pkcs1.pem")).unwrap();
    let builders = [
        IdvClient::builder().key_pem(pkcs1),
        IdvClient::builder().key_file(fixture("TEST-ONLY-key.pkcs8.pem")),
    ];
    for builder in builders {
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let seen2 = seen.clone();
        let client = builder
            .sdk_id(SDK_ID)
            .transport(Arc::new(transport_fn(move |req: Request<Bytes>| {
                seen2.lock().unwrap().push(Seen {
                    method: req.method().to_string(),
                    uri: req.uri().clone(),
                    headers: req.headers().clone(),
                    body: req.body().clone(),
                });
                async { Ok(response(200, Some("application/json"), ONGOING)) }
            })))
            .build()
            .unwrap();
        client.get_session(SESSION).await.unwrap();
        let seen = seen.lock().unwrap();
        let s = &seen[0];
        let pq = format!("/sessions/{SESSION}?{}", s.uri.query().unwrap());
        let digest = s
            .headers
            .get("x-yoti-auth-digest")
            .unwrap()
            .to_str()
            .unwrap();
        let params = idv_sign::verify_request(&public, "GET", &pq, b"", digest)
            .expect("the digest verifies against the public key");
        assert_eq!(params.sdk_id(), SDK_ID);
    }
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
async fn user_agent_suffix_is_sent() {
    let seen: Arc<Mutex<Vec<String>>> = Arc::default();
    let seen2 = seen.clone();
    let client = IdvClient::builder()
        .sdk_id(SDK_ID)
        .signer(Arc::new(RecordingSigner::default()))
        .user_agent_suffix("acme-backoffice/2.1")
        .transport(Arc::new(transport_fn(move |req: Request<Bytes>| {
            let ua = req.headers()["user-agent"].to_str().unwrap().to_owned();
            seen2.lock().unwrap().push(ua);
            async { Ok(response(204, None, b"")) }
        })))
        .build()
        .unwrap();
    client.delete_session(SESSION).await.unwrap();
    let ua = &seen.lock().unwrap()[0];
    assert!(
        ua.starts_with("idv-rs/") && ua.ends_with(" acme-backoffice/2.1"),
        "{ua}"
    );
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
                && opts.timeout.is_some()
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
        .retry_policy(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    client.delete_media(SESSION, MEDIA).await.unwrap();
    let nonces = nonces.lock().unwrap();
    assert_eq!(nonces.len(), 2);
    assert_ne!(nonces[0], nonces[1], "each attempt has a new nonce");
}
