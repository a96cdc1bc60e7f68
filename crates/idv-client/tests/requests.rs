//! Request shapes through the public API with in-memory transports: targets, signed messages, headers, ids, keys, endpoints.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use common::*;
use http::{Request, Response};
use idv_client::{ErrorKind, IdvClient, RetryPolicy, SessionState, WaitOptions};
use idv_sign::{SignError, Signer};
use idv_transport::{TransportError, transport_fn};

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
