//! `SignedRequest::apply_to` (feature `http`): the request sent is the request signed.
#![cfg(feature = "http")]

mod common;

use std::sync::Arc;

use common::{block_on, test_key};
use idv_sign::{
    ApplyError, FixedClock, FixedNonce, HEADER_AUTH_DIGEST, HEADER_SDK, HEADER_SDK_VERSION,
    RequestSigner, RsaSigner, SDK_NAME, SDK_VERSION, SignedRequest, UnsignedRequest, header_names,
    verify_request,
};

const SDK_ID: &str = "11111111-2222-4333-8444-555555555555";
const NONCE: &str = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
const BASE: &str = "https://api.yoti.com/idverify/v1";

fn sign(request: &UnsignedRequest<'_>) -> SignedRequest {
    let signer = RequestSigner::new(SDK_ID, Arc::new(RsaSigner::new(&test_key())))
        .with_clock(Arc::new(FixedClock(1_700_000_000_000)))
        .with_nonce_source(Arc::new(FixedNonce(NONCE.into())));
    block_on(signer.sign(request)).expect("signs")
}

#[test]
fn sets_method_uri_and_headers_exactly() {
    let body = br#"{"client_session_token_ttl":600}"#;
    let unsigned = UnsignedRequest::post("/sessions", body).query("a b", "ü/&");
    let signed = sign(&unsigned);
    let target = signed.path_and_query().to_owned();
    let digest = signed.digest().expose().to_owned();

    // Start from a request with another method, URI and stale signing headers.
    let mut request = http::Request::builder()
        .method(http::Method::GET)
        .uri("https://elsewhere.example/x?y=1")
        .header("x-yoti-auth-digest", "stale")
        .header("X-Yoti-SDK", "Other")
        .header(http::header::ACCEPT, "application/json")
        .body(body.to_vec())
        .unwrap();
    signed.apply_to(BASE, &mut request).unwrap();

    assert_eq!(request.method(), http::Method::POST);
    assert_eq!(request.uri().to_string(), format!("{BASE}{target}"));
    assert_eq!(
        request.uri().path_and_query().unwrap().as_str(),
        format!("/idverify/v1{target}")
    );
    assert_eq!(
        request.uri().query(),
        Some(
            format!("a%20b=%C3%BC%2F%26&sdkId={SDK_ID}&nonce={NONCE}&timestamp=1700000000000")
                .as_str()
        )
    );
    let headers = request.headers();
    assert_eq!(headers.len(), 4, "{headers:?}");
    assert_eq!(headers.get_all(HEADER_AUTH_DIGEST).iter().count(), 1);
    assert_eq!(headers[HEADER_AUTH_DIGEST], digest.as_str());
    assert_eq!(headers[HEADER_SDK], SDK_NAME);
    assert_eq!(headers[HEADER_SDK_VERSION], SDK_VERSION);
    assert_eq!(headers[http::header::ACCEPT], "application/json");
    assert_eq!(request.body(), body);

    // What a server reads back off the request verifies.
    let received = &request.uri().path_and_query().unwrap().as_str()["/idverify/v1".len()..];
    let params = verify_request(
        &test_key().public_key(),
        request.method().as_str(),
        received,
        request.body(),
        headers[header_names::AUTH_DIGEST].to_str().unwrap(),
    )
    .unwrap();
    assert_eq!(params.nonce(), NONCE);
}

#[test]
fn only_the_digest_is_sensitive() {
    let mut request = http::Request::new(());
    sign(&UnsignedRequest::get("/sessions/abc"))
        .apply_to("http://127.0.0.1:1234/idverify/v1", &mut request)
        .unwrap();
    assert!(request.headers()[header_names::AUTH_DIGEST].is_sensitive());
    assert!(!request.headers()[header_names::SDK].is_sensitive());
    assert!(!request.headers()[header_names::SDK_VERSION].is_sensitive());
    // `http` hides sensitive values in Debug.
    let digest = request.headers()[header_names::AUTH_DIGEST]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(!format!("{request:?}").contains(&digest));
    assert_eq!(
        request.uri().to_string(),
        format!(
            "http://127.0.0.1:1234/idverify/v1/sessions/abc?sdkId={SDK_ID}&nonce={NONCE}&timestamp=1700000000000"
        )
    );
}

#[test]
fn bad_base_urls_are_typed_errors_and_leave_the_request_alone() {
    for base in [
        "",
        "api.yoti.com/idverify/v1",
        "https://api.yoti.com/idverify/v1/",
        "https://api.yoti.com/idverify/v1?x=1",
        "https://user:pass@api.yoti.com/idverify/v1",
        "https://api.yoti.com/a b",
        "https://",
    ] {
        let mut request = http::Request::builder().uri("/untouched").body(()).unwrap();
        let err = sign(&UnsignedRequest::delete("/sessions/abc"))
            .apply_to(base, &mut request)
            .expect_err(base);
        assert!(
            matches!(
                err,
                ApplyError::InvalidBaseUrl { .. } | ApplyError::InvalidUri { .. }
            ),
            "{base}: {err:?}"
        );
        assert!(!err.to_string().contains("pass@"), "{err}");
        assert_eq!(request.uri(), "/untouched", "{base}");
        assert_eq!(request.method(), http::Method::GET, "{base}");
        assert!(request.headers().is_empty(), "{base}");
    }
}
