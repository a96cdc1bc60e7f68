//! Signature verification: valid requests pass; every kind of tampering is rejected with the
//! right status and error body, and changes nothing.

mod common;

use std::time::Duration;

use common::*;
use idv_sandbox::{PRODUCT_PAGE_SESSION_ID, PRODUCT_PAGE_STAGES, Sandbox, SandboxHandle};

const SESSION: &str = PRODUCT_PAGE_SESSION_ID;

async fn start() -> SandboxHandle {
    Sandbox::product_page_demo()
        .test_app()
        .start()
        .await
        .expect("sandbox starts")
}

fn session_path() -> String {
    format!("/sessions/{SESSION}")
}

/// Asserts that the session is untouched: the next valid GET serves stage 1.
async fn assert_untouched(sandbox: &SandboxHandle) {
    let reply = call(sandbox, "GET", &session_path()).await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        &reply.body[..],
        PRODUCT_PAGE_STAGES[0],
        "the session did not advance"
    );
}

fn assert_rejected(reply: &Reply, status: u16, code: &str) {
    assert_eq!(
        reply.status,
        status,
        "body: {}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.content_type(), Some("application/json"));
    let json = reply.json();
    assert_eq!(json["code"], code);
    assert!(json["message"].as_str().is_some_and(|m| !m.is_empty()));
}

#[tokio::test]
async fn a_valid_signed_request_is_served_and_logged() {
    let sandbox = start().await;
    let signed = sign(&signer(), "GET", &session_path(), b"").await;
    let reply = send_signed(&sandbox, &signed, b"").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type(), Some("application/json"));
    assert_eq!(&reply.body[..], PRODUCT_PAGE_STAGES[0]);

    let log = sandbox.request_log();
    assert_eq!(log.len(), 1);
    let entry = &log[0];
    assert_eq!(entry.method, "GET");
    assert_eq!(entry.path, format!("/idverify/v1/sessions/{SESSION}"));
    assert_eq!(entry.route, Some(idv_sandbox::Route::GetSession));
    assert_eq!(entry.status, Some(200));
    assert!(entry.signature_verified);
    assert_eq!(entry.sdk_id.as_deref(), Some(keys().sdk_id.as_str()));
    assert_eq!(entry.nonce.as_deref(), Some(signed.nonce()));
    assert_eq!(entry.fault, None);
    let debug = format!("{log:?}");
    assert!(
        !debug.contains(signed.digest().expose()),
        "the digest is never logged"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn tampering_with_method_path_query_or_body_is_rejected() {
    let sandbox = start().await;
    let base = base_path(&sandbox);
    let signed = sign(&signer(), "GET", &session_path(), b"").await;
    let digest = signed.digest().expose().to_owned();
    let header = [("X-Yoti-Auth-Digest", digest.as_str())];
    let target = format!("{base}{}", signed.path_and_query());

    // Method: a GET signature used for a DELETE must not delete anything.
    let reply = send_raw(&sandbox, "DELETE", &target, &header, b"")
        .await
        .expect("reply");
    assert_rejected(&reply, 401, "INVALID_SIGNATURE");

    // Path: another session id.
    let other = target.replace(SESSION, "00000000-0000-4000-8000-000000000000");
    let reply = send_raw(&sandbox, "GET", &other, &header, b"")
        .await
        .expect("reply");
    assert_rejected(&reply, 401, "INVALID_SIGNATURE");

    // Query: an extra parameter, and the same parameters in another order.
    let extra = format!("{target}&includeNonLatin=1");
    let reply = send_raw(&sandbox, "GET", &extra, &header, b"")
        .await
        .expect("reply");
    assert_rejected(&reply, 401, "INVALID_SIGNATURE");
    let (path, query) = signed.path_and_query().split_once('?').expect("query");
    let mut params: Vec<&str> = query.split('&').collect();
    params.reverse();
    let reordered = format!("{base}{path}?{}", params.join("&"));
    let reply = send_raw(&sandbox, "GET", &reordered, &header, b"")
        .await
        .expect("reply");
    assert_rejected(&reply, 401, "INVALID_SIGNATURE");

    // Body: a body that was not signed.
    let reply = send_raw(&sandbox, "GET", &target, &header, b"{}")
        .await
        .expect("reply");
    assert_rejected(&reply, 401, "INVALID_SIGNATURE");

    // Body: a signed body replaced by another.
    let with_body = sign(&signer(), "GET", &session_path(), b"{\"a\":1}").await;
    let t = format!("{base}{}", with_body.path_and_query());
    let h = [("X-Yoti-Auth-Digest", with_body.digest().expose())];
    let reply = send_raw(&sandbox, "GET", &t, &h, b"{\"a\":2}")
        .await
        .expect("reply");
    assert_rejected(&reply, 401, "INVALID_SIGNATURE");

    // The signed path under another base path is not served at all.
    let elsewhere = format!("/sandbox/idverify/v1{}", signed.path_and_query());
    let reply = send_raw(&sandbox, "GET", &elsewhere, &header, b"")
        .await
        .expect("reply");
    assert_rejected(&reply, 404, "NOT_FOUND");

    let log = sandbox.request_log();
    assert_eq!(log.len(), 7);
    assert!(log.iter().all(|e| !e.signature_verified));
    assert_untouched(&sandbox).await;

    // The untampered request (its nonce was never accepted) still works once.
    let reply = send_raw(&sandbox, "GET", &target, &header, b"")
        .await
        .expect("reply");
    assert_eq!(reply.status, 200);
    assert_eq!(&reply.body[..], PRODUCT_PAGE_STAGES[1]);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_signed_body_is_verified() {
    let sandbox = start().await;
    let body = br#"{"client_session_token_ttl":600}"#;
    let signed = sign(&signer(), "GET", &session_path(), body).await;
    assert!(signed.body_signed());
    let reply = send_signed(&sandbox, &signed, body).await;
    assert_eq!(reply.status, 200);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_digest_header_name_is_matched_in_any_case() {
    let sandbox = start().await;
    for name in [
        "x-yoti-auth-digest",
        "X-YOTI-AUTH-DIGEST",
        idv_sign::HEADER_AUTH_DIGEST,
    ] {
        let signed = sign(&signer(), "GET", &session_path(), b"").await;
        let target = format!("{}{}", base_path(&sandbox), signed.path_and_query());
        let reply = send_raw(
            &sandbox,
            "GET",
            &target,
            &[(name, signed.digest().expose())],
            b"",
        )
        .await
        .expect("reply");
        assert_eq!(reply.status, 200, "header spelled {name}");
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn bad_digests_and_wrong_keys_are_rejected() {
    let sandbox = start().await;
    let base = base_path(&sandbox);
    let signed = sign(&signer(), "GET", &session_path(), b"").await;
    let target = format!("{base}{}", signed.path_and_query());
    let digest = signed.digest().expose().to_owned();

    // A flipped character.
    let mut flipped: Vec<char> = digest.chars().collect();
    flipped[10] = if flipped[10] == 'A' { 'B' } else { 'A' };
    let flipped: String = flipped.into_iter().collect();
    for bad in [flipped.as_str(), "not base64!", "", "QUJD"] {
        let reply = send_raw(
            &sandbox,
            "GET",
            &target,
            &[("X-Yoti-Auth-Digest", bad)],
            b"",
        )
        .await
        .expect("reply");
        assert_rejected(&reply, 401, "INVALID_SIGNATURE");
    }

    // Missing header.
    let reply = send_raw(&sandbox, "GET", &target, &[], b"")
        .await
        .expect("reply");
    assert_rejected(&reply, 401, "MISSING_AUTH");

    // Signed with another key under the registered sdk id.
    let impostor = signer_for(&keys().sdk_id, &other_keys().private_key_pem);
    let forged = sign(&impostor, "GET", &session_path(), b"").await;
    let reply = send_signed(&sandbox, &forged, b"").await;
    assert_rejected(&reply, 401, "INVALID_SIGNATURE");

    // A correctly signed request from an app that is not registered.
    let stranger = signer_for(&other_keys().sdk_id, &other_keys().private_key_pem);
    let unknown = sign(&stranger, "GET", &session_path(), b"").await;
    let reply = send_signed(&sandbox, &unknown, b"").await;
    assert_rejected(&reply, 404, "APP_NOT_FOUND");

    let log = sandbox.request_log();
    assert!(log.iter().all(|e| !e.signature_verified));
    assert_eq!(
        log.last().and_then(|e| e.sdk_id.clone()),
        Some(other_keys().sdk_id.clone())
    );
    assert_untouched(&sandbox).await;
    sandbox.shutdown().await;
}

#[tokio::test]
async fn each_missing_auth_parameter_is_rejected() {
    let sandbox = start().await;
    let base = base_path(&sandbox);
    let k = keys();
    let all = [
        format!("sdkId={}", k.sdk_id),
        "nonce=2b1c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d".to_owned(),
        format!("timestamp={}", now_millis()),
    ];
    for skip in 0..all.len() {
        let query: Vec<&str> = all
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, p)| p.as_str())
            .collect();
        let relative = format!("{}?{}", session_path(), query.join("&"));
        let digest = digest_for(&k.private_key_pem, "GET", &relative, b"").await;
        let target = format!("{base}{relative}");
        let reply = send_raw(
            &sandbox,
            "GET",
            &target,
            &[("X-Yoti-Auth-Digest", &digest)],
            b"",
        )
        .await
        .expect("reply");
        assert_rejected(&reply, 401, "MISSING_AUTH");
    }
    // No query at all.
    let relative = session_path();
    let digest = digest_for(&k.private_key_pem, "GET", &relative, b"").await;
    let reply = send_raw(
        &sandbox,
        "GET",
        &format!("{base}{relative}"),
        &[("X-Yoti-Auth-Digest", &digest)],
        b"",
    )
    .await
    .expect("reply");
    assert_rejected(&reply, 401, "MISSING_AUTH");
    assert_untouched(&sandbox).await;
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_replayed_nonce_is_rejected_without_serving() {
    let sandbox = start().await;
    let signed = sign(&signer(), "GET", &session_path(), b"").await;
    let first = send_signed(&sandbox, &signed, b"").await;
    assert_eq!(first.status, 200);
    assert_eq!(&first.body[..], PRODUCT_PAGE_STAGES[0]);
    let replay = send_signed(&sandbox, &signed, b"").await;
    assert_rejected(&replay, 401, "NONCE_REPLAYED");
    let log = sandbox.request_log();
    assert!(log[0].signature_verified);
    assert!(!log[1].signature_verified);
    // The replay did not advance the session.
    let next = call(&sandbox, "GET", &session_path()).await;
    assert_eq!(&next.body[..], PRODUCT_PAGE_STAGES[1]);

    // A replayed DELETE does not delete twice (and a replay cannot delete at all).
    let delete = sign(&signer(), "DELETE", &session_path(), b"").await;
    let replayed_delete = send_signed(&sandbox, &delete, b"").await;
    assert_eq!(replayed_delete.status, 204);
    assert_rejected(
        &send_signed(&sandbox, &delete, b"").await,
        401,
        "NONCE_REPLAYED",
    );
    sandbox.shutdown().await;
}

fn now_millis() -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock");
    u64::try_from(now.as_millis()).expect("millis")
}

#[tokio::test]
async fn stale_timestamps_are_rejected_only_with_a_skew_window() {
    let stale = 1_700_000_000_000u64;
    let old_signer = signer().with_clock(std::sync::Arc::new(idv_sign::FixedClock(stale)));

    let strict = Sandbox::product_page_demo()
        .test_app()
        .timestamp_skew(Duration::from_secs(300))
        .start()
        .await
        .expect("start");
    let reply = send_signed(
        &strict,
        &sign(&old_signer, "GET", &session_path(), b"").await,
        b"",
    )
    .await;
    assert_rejected(&reply, 401, "TIMESTAMP_OUT_OF_RANGE");
    // A non-numeric timestamp (correctly signed) is out of range too.
    let relative = format!(
        "{}?sdkId={}&nonce=a1&timestamp=yesterday",
        session_path(),
        keys().sdk_id
    );
    let digest = digest_for(&keys().private_key_pem, "GET", &relative, b"").await;
    let reply = send_raw(
        &strict,
        "GET",
        &format!("/idverify/v1{relative}"),
        &[("X-Yoti-Auth-Digest", &digest)],
        b"",
    )
    .await
    .expect("reply");
    assert_rejected(&reply, 401, "TIMESTAMP_OUT_OF_RANGE");
    // A fresh timestamp passes, and the session had not advanced.
    assert_untouched(&strict).await;
    strict.shutdown().await;

    let lenient = start().await;
    let reply = send_signed(
        &lenient,
        &sign(&old_signer, "GET", &session_path(), b"").await,
        b"",
    )
    .await;
    assert_eq!(
        reply.status, 200,
        "no window by default (Java sends no wall-clock time)"
    );
    lenient.shutdown().await;
}

#[tokio::test]
async fn official_sdk_query_shapes_are_accepted() {
    let sandbox = start().await;
    let k = keys();
    let ts = now_millis();
    let shapes = [
        // .NET: timestamp before nonce.
        format!(
            "sdkId={}&timestamp={ts}&nonce=6f1c0c43-3c8e-4b55-9a8f-2f1d0c7b9e01",
            k.sdk_id
        ),
        // Go: sdkID, upper-case hex nonce, random order.
        format!(
            "nonce=9F86D081884C7D659A2FEAA0C55AD015&timestamp={}&sdkID={}",
            ts / 1000 * 1000,
            k.sdk_id
        ),
        // PHP strategy: sdkId last.
        format!(
            "nonce=0f3c2b1a-4d5e-4f60-8a7b-9c0d1e2f3a4b&timestamp={ts}&sdkId={}",
            k.sdk_id
        ),
        // Java: monotonic microseconds, not epoch time.
        format!(
            "sdkId={}&nonce=1a2b3c4d-0000-4000-8000-000000000001&timestamp=83456123456",
            k.sdk_id
        ),
    ];
    for query in &shapes {
        let relative = format!("{}?{query}", session_path());
        let digest = digest_for(&k.private_key_pem, "GET", &relative, b"").await;
        let reply = send_raw(
            &sandbox,
            "GET",
            &format!("/idverify/v1{relative}"),
            &[("X-Yoti-Auth-Digest", &digest)],
            b"",
        )
        .await
        .expect("reply");
        assert_eq!(
            reply.status,
            200,
            "{query}: {}",
            String::from_utf8_lossy(&reply.body)
        );
    }
    // Python signs an empty payload as a trailing `&`.
    let relative = format!(
        "{}?sdkId={}&nonce=py-1&timestamp={ts}",
        session_path(),
        k.sdk_id
    );
    let message = format!("GET&{relative}&");
    let key = idv_sign::PrivateKey::from_pem(k.private_key_pem.as_bytes()).expect("key");
    let digest = idv_sign::sign_message(&idv_sign::RsaSigner::new(&key), message.as_bytes())
        .await
        .expect("sign");
    let reply = send_raw(
        &sandbox,
        "GET",
        &format!("/idverify/v1{relative}"),
        &[("X-Yoti-Auth-Digest", digest.expose())],
        b"",
    )
    .await
    .expect("reply");
    assert_eq!(reply.status, 200);
    assert!(sandbox.request_log().iter().all(|e| e.signature_verified));
    sandbox.shutdown().await;
}
