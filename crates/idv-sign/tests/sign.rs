//! Request signing: the query, the message, the headers, validation, custom signers.

mod common;

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use common::{block_on, test_key};
use idv_sign::{
    FixedClock, FixedNonce, RequestSigner, RsaSigner, SignError, Signer, UnsignedRequest,
    verify_request,
};

const SDK_ID: &str = "11111111-2222-4333-8444-555555555555";
const NONCE: &str = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
const TIMESTAMP: u64 = 1_700_000_000_000;

fn fixed_signer(signer: Arc<dyn Signer>) -> RequestSigner {
    RequestSigner::new(SDK_ID, signer)
        .with_clock(Arc::new(FixedClock(TIMESTAMP)))
        .with_nonce_source(Arc::new(FixedNonce(NONCE.into())))
}

fn rsa() -> Arc<dyn Signer> {
    Arc::new(RsaSigner::new(&test_key()))
}

#[test]
fn worked_example_get_session_message_is_byte_exact() {
    let signer = fixed_signer(rsa());
    let req = UnsignedRequest::get("/sessions/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
    let signed = block_on(signer.sign(&req)).unwrap();
    let expected = "GET&/sessions/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee?sdkId=11111111-2222-4333-8444-555555555555&nonce=0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d&timestamp=1700000000000";
    assert_eq!(signed.message(), expected);
    assert_eq!(signed.message().len(), 160);
    assert_eq!(format!("GET&{}", signed.path_and_query()), expected);
    assert_eq!(signed.nonce(), NONCE);
    assert_eq!(signed.timestamp_millis(), TIMESTAMP);
    assert!(!signed.body_signed());
    let digest = signed.digest().expose();
    assert_eq!(digest.len(), 344);
    assert!(digest.ends_with("=="));
    // Deterministic.
    let again = block_on(signer.sign(&req)).unwrap();
    assert_eq!(again.digest(), signed.digest());
}

#[test]
fn worked_example_post_signs_the_padded_body() {
    let body = br#"{"client_session_token_ttl":600,"resources_ttl":90000,"user_tracking_id":"fake-user-001"}"#;
    assert_eq!(body.len(), 89);
    let signed =
        block_on(fixed_signer(rsa()).sign(&UnsignedRequest::post("/sessions", body))).unwrap();
    assert_eq!(
        signed.message(),
        "POST&/sessions?sdkId=11111111-2222-4333-8444-555555555555&nonce=0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d&timestamp=1700000000000&eyJjbGllbnRfc2Vzc2lvbl90b2tlbl90dGwiOjYwMCwicmVzb3VyY2VzX3R0bCI6OTAwMDAsInVzZXJfdHJhY2tpbmdfaWQiOiJmYWtlLXVzZXItMDAxIn0="
    );
    assert!(signed.body_signed());
    let key = test_key().public_key();
    verify_request(
        &key,
        "POST",
        signed.path_and_query(),
        body,
        signed.digest().expose(),
    )
    .unwrap();
    // The signature covers the body: an empty or different body fails.
    assert!(
        verify_request(
            &key,
            "POST",
            signed.path_and_query(),
            b"",
            signed.digest().expose()
        )
        .is_err()
    );
    assert!(
        verify_request(
            &key,
            "POST",
            signed.path_and_query(),
            b"{}",
            signed.digest().expose()
        )
        .is_err()
    );
}

#[test]
fn caller_params_come_first_and_are_percent_encoded() {
    let req = UnsignedRequest::get("/sessions/x")
        .query("includeNonLatin", "true")
        .query("q", "a b+c/d?e&f=g~h!*'()é€");
    let signed = block_on(fixed_signer(rsa()).sign(&req)).unwrap();
    assert_eq!(
        signed.path_and_query(),
        "/sessions/x?includeNonLatin=true&q=a%20b%2Bc%2Fd%3Fe%26f%3Dg~h%21%2A%27%28%29%C3%A9%E2%82%AC&sdkId=11111111-2222-4333-8444-555555555555&nonce=0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d&timestamp=1700000000000"
    );
    assert_eq!(signed.message(), format!("GET&{}", signed.path_and_query()));
}

#[test]
fn headers_are_digest_sdk_and_version() {
    let signed =
        block_on(fixed_signer(rsa()).sign(&UnsignedRequest::delete("/sessions/x"))).unwrap();
    let headers = signed.headers();
    assert_eq!(headers[0], ("X-Yoti-Auth-Digest", signed.digest().expose()));
    assert_eq!(headers[1], ("X-Yoti-SDK", "Rust"));
    assert_eq!(
        headers[2],
        (
            "X-Yoti-SDK-Version",
            concat!("Rust-", env!("CARGO_PKG_VERSION"))
        )
    );
}

#[test]
fn debug_never_shows_the_digest() {
    let signed = block_on(fixed_signer(rsa()).sign(&UnsignedRequest::get("/sessions/x"))).unwrap();
    let digest = signed.digest().expose().to_string();
    let shown = format!("{signed:?} {:?} {}", signed.digest(), signed.digest());
    assert!(!shown.contains(&digest[..16]), "{shown}");
    assert!(shown.contains("<redacted>"));
    assert!(shown.contains(NONCE));
}

#[test]
fn defaults_use_fresh_uuid_v4_nonces_and_the_system_clock() {
    let signer = RequestSigner::new(SDK_ID, rsa());
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let a = block_on(signer.sign(&UnsignedRequest::get("/sessions/x"))).unwrap();
    let b = block_on(signer.clone().sign(&UnsignedRequest::get("/sessions/x"))).unwrap();
    assert_ne!(a.nonce(), b.nonce());
    assert_ne!(a.digest(), b.digest());
    for n in [a.nonce(), b.nonce()] {
        assert_eq!(n.len(), 36);
        assert_eq!(n.as_bytes()[14], b'4', "{n}");
        assert!(matches!(n.as_bytes()[19], b'8' | b'9' | b'a' | b'b'), "{n}");
        assert!(
            n.bytes()
                .all(|c| c == b'-' || c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
        );
    }
    assert!(a.timestamp_millis() >= before && a.timestamp_millis() < before + 60_000);
}

#[test]
fn invalid_requests_are_rejected_before_signing() {
    let signer = fixed_signer(rsa());
    let bad = |req: UnsignedRequest<'_>| block_on(signer.sign(&req)).unwrap_err();
    for method in ["", "get", "G ET", "GET\n", "PÖST"] {
        assert!(
            matches!(
                bad(UnsignedRequest::new(method, "/sessions")),
                SignError::InvalidMethod { .. }
            ),
            "{method:?}"
        );
    }
    for path in [
        "",
        "sessions",
        "//sessions",
        "/sessions?x=1",
        "/sessions#f",
        "/a b",
        "/a\tb",
        "/a\u{7f}",
        "/a%2",
        "/a%zz",
        "/é",
        "/a\"b",
        "/a<b",
    ] {
        assert!(
            matches!(
                bad(UnsignedRequest::get(path)),
                SignError::InvalidPath { .. }
            ),
            "{path:?}"
        );
    }
    for key in ["sdkId", "sdkID", "nonce", "timestamp", ""] {
        assert!(
            matches!(
                bad(UnsignedRequest::get("/s").query(key, "1")),
                SignError::InvalidQuery { .. }
            ),
            "{key:?}"
        );
    }
    let empty = RequestSigner::new("", rsa());
    assert!(matches!(
        block_on(empty.sign(&UnsignedRequest::get("/s"))),
        Err(SignError::EmptySdkId)
    ));
    // Valid unusual paths pass.
    for path in ["/", "/a%2Fb", "/a:b@c!$&'()*+,;=-._~"] {
        block_on(signer.sign(&UnsignedRequest::get(path))).unwrap();
    }
}

/// A signer that delegates to an external function, as a KMS or HSM integration would.
struct FnSigner<F>(F);

impl<F> std::fmt::Debug for FnSigner<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FnSigner")
    }
}

#[async_trait]
impl<F> Signer for FnSigner<F>
where
    F: Fn(&[u8]) -> Result<Vec<u8>, String> + Send + Sync,
{
    async fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        // Yield once, as a remote call would.
        tokio::task::yield_now().await;
        (self.0)(message).map_err(|e| SignError::signer_with_source("remote signer failed", e))
    }
}

#[test]
fn custom_signer_delegating_to_an_external_function() {
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let local = RsaSigner::new(&test_key());
    let log = Arc::clone(&seen);
    let external = move |message: &[u8]| {
        log.lock()
            .unwrap()
            .push(String::from_utf8(message.to_vec()).unwrap());
        local.sign_sync(message).map_err(|e| e.to_string())
    };
    let signer = fixed_signer(Arc::new(FnSigner(external)));
    let signed = block_on(signer.sign(&UnsignedRequest::get("/sessions/x"))).unwrap();
    assert_eq!(
        seen.lock().unwrap().as_slice(),
        [signed.message().to_string()]
    );
    let reference =
        block_on(fixed_signer(rsa()).sign(&UnsignedRequest::get("/sessions/x"))).unwrap();
    assert_eq!(signed.digest(), reference.digest());

    let failing = fixed_signer(Arc::new(FnSigner(
        |_: &[u8]| Err("HSM offline".to_string()),
    )));
    let err = block_on(failing.sign(&UnsignedRequest::get("/sessions/x"))).unwrap_err();
    assert!(matches!(err, SignError::Signer { .. }));
    assert_eq!(err.to_string(), "the signer failed: remote signer failed");
    assert_eq!(
        std::error::Error::source(&err).unwrap().to_string(),
        "HSM offline"
    );

    let empty = fixed_signer(Arc::new(FnSigner(|_: &[u8]| Ok(Vec::new()))));
    assert!(matches!(
        block_on(empty.sign(&UnsignedRequest::get("/sessions/x"))),
        Err(SignError::Signer { .. })
    ));
}

#[test]
fn request_signer_is_send_sync_and_cheap_to_clone() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<RequestSigner>();
    assert_send_sync::<idv_sign::SignedRequest>();
    // The future is Send too (it is awaited inside tokio::spawn by clients).
    fn assert_send<T: Send>(_: &T) {}
    let signer = fixed_signer(rsa());
    let req = UnsignedRequest::get("/s");
    let fut = signer.sign(&req);
    assert_send(&fut);
    drop(fut);
}

#[test]
fn raw_helpers_sign_exactly_what_is_given() {
    let signer = RsaSigner::new(&test_key());
    let message = idv_sign::canonical_message("GET", "/x?timestamp=1&nonce=n&sdkID=s", b"");
    assert_eq!(message, "GET&/x?timestamp=1&nonce=n&sdkID=s");
    let digest = block_on(idv_sign::sign_message(&signer, message.as_bytes())).unwrap();
    let params = verify_request(
        &test_key().public_key(),
        "GET",
        "/x?timestamp=1&nonce=n&sdkID=s",
        b"",
        digest.expose(),
    )
    .unwrap();
    assert_eq!(params.sdk_id(), "s");
}
