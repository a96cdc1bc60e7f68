//! The verifier: parameter parsing in any order, tolerance rules, typed errors.

mod common;

use base64::Engine as _;
use common::test_key;
use idv_sign::{AuthParams, RsaSigner, VerifyError, canonical_message, verify_request};

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Signs exactly `message` with the test key.
fn sign_raw(message: &str) -> String {
    b64(&RsaSigner::new(&test_key())
        .sign_sync(message.as_bytes())
        .unwrap())
}

#[test]
fn params_in_any_order_and_both_sdk_id_spellings() {
    for (pq, sdk, nonce, ts) in [
        ("/s?sdkId=a&nonce=b&timestamp=1", "a", "b", "1"),
        ("/s?timestamp=2&nonce=B&sdkID=A", "A", "B", "2"), // Go
        (
            "/s?includeNonLatin=true&sdkId=x&timestamp=3&nonce=n",
            "x",
            "n",
            "3",
        ), // .NET
        ("/s?nonce=n&timestamp=4&sdkId=x#frag", "x", "n", "4"), // PHP strategy order
    ] {
        let p = AuthParams::from_path_and_query(pq).unwrap();
        assert_eq!(
            (p.sdk_id(), p.nonce(), p.timestamp()),
            (sdk, nonce, ts),
            "{pq}"
        );
    }
}

#[test]
fn timestamp_styles() {
    let p = |t: &str| AuthParams::from_path_and_query(&format!("/s?sdkId=a&nonce=b&timestamp={t}"));
    assert_eq!(
        p("1700000000000").unwrap().timestamp_millis(),
        Some(1_700_000_000_000)
    );
    // Go: whole seconds in ms; Java: monotonic microseconds. Both are integers.
    assert_eq!(p("1700000000000").unwrap().timestamp(), "1700000000000");
    assert_eq!(
        p("123456789012345").unwrap().timestamp_millis(),
        Some(123_456_789_012_345)
    );
    assert_eq!(p("").unwrap().timestamp_millis(), None);
    assert_eq!(p("-5").unwrap().timestamp_millis(), None);
    assert_eq!(p("+5").unwrap().timestamp_millis(), None);
    assert_eq!(p("1.5").unwrap().timestamp_millis(), None);
    assert_eq!(
        p("99999999999999999999999").unwrap().timestamp_millis(),
        None
    );
}

#[test]
fn missing_and_duplicate_parameters_are_named() {
    let e = |pq: &str| AuthParams::from_path_and_query(pq).unwrap_err();
    assert_eq!(e("/s"), VerifyError::NoQuery);
    assert_eq!(
        e("/s?nonce=b&timestamp=1"),
        VerifyError::MissingParameter("sdkId")
    );
    assert_eq!(
        e("/s?sdkId=a&timestamp=1"),
        VerifyError::MissingParameter("nonce")
    );
    assert_eq!(
        e("/s?sdkId=a&nonce=b"),
        VerifyError::MissingParameter("timestamp")
    );
    assert_eq!(e("/s?"), VerifyError::MissingParameter("sdkId"));
    assert_eq!(
        e("/s?sdkId=a&nonce=b&nonce=c&timestamp=1"),
        VerifyError::DuplicateParameter("nonce")
    );
    assert_eq!(
        e("/s?sdkId=a&sdkID=b&nonce=c&timestamp=1"),
        VerifyError::DuplicateParameter("sdkId")
    );
    assert!(e("/s?sdkId=a").to_string().contains("`nonce`"));
}

#[test]
fn verifies_exactly_the_received_string() {
    let key = test_key().public_key();
    // .NET order and Go spelling: verified as sent, not rebuilt.
    let pq = "/sessions/x?sdkID=app&timestamp=1700000000000&nonce=0A1B";
    let digest = sign_raw(&canonical_message("GET", pq, b""));
    let params = verify_request(&key, "GET", pq, b"", &digest).unwrap();
    assert_eq!(params.sdk_id(), "app");
    // Re-ordering the same parameters fails.
    let reordered = "/sessions/x?sdkID=app&nonce=0A1B&timestamp=1700000000000";
    assert_eq!(
        verify_request(&key, "GET", reordered, b"", &digest),
        Err(VerifyError::SignatureMismatch)
    );
}

#[test]
fn trailing_ampersand_is_tolerated_only_for_an_empty_body() {
    let key = test_key().public_key();
    let pq = "/sessions?sdkId=a&nonce=b&timestamp=1";
    // What the Python SDK signs for an empty payload.
    let python = sign_raw(&format!("POST&{pq}&"));
    verify_request(&key, "POST", pq, b"", &python).unwrap();
    // A signature over the bare query never covers a non-empty body.
    let bare = sign_raw(&format!("POST&{pq}"));
    verify_request(&key, "POST", pq, b"", &bare).unwrap();
    assert_eq!(
        verify_request(&key, "POST", pq, b"{}", &bare),
        Err(VerifyError::SignatureMismatch)
    );
    assert_eq!(
        verify_request(&key, "POST", pq, b"{}", &python),
        Err(VerifyError::SignatureMismatch)
    );
    // The tolerance is for an empty body only: with a body the message must end at its base64.
    let with_body = sign_raw(&format!("POST&{pq}&e30=&"));
    assert_eq!(
        verify_request(&key, "POST", pq, b"{}", &with_body),
        Err(VerifyError::SignatureMismatch)
    );
}

#[test]
fn bad_digests_are_typed_errors() {
    let key = test_key().public_key();
    let pq = "/s?sdkId=a&nonce=b&timestamp=1";
    let good = sign_raw(&format!("GET&{pq}"));
    for bad in [
        "",
        "not base64!",
        "AAAA=",
        "AA==AA==",
        &good.replace('=', ""),
        &format!(" {good}"),
    ] {
        let err = verify_request(&key, "GET", pq, b"", bad).unwrap_err();
        assert!(
            matches!(
                err,
                VerifyError::DigestNotBase64 | VerifyError::WrongDigestLength { .. }
            ),
            "{bad:?}: {err:?}"
        );
    }
    assert_eq!(
        verify_request(&key, "GET", pq, b"", "not base64!"),
        Err(VerifyError::DigestNotBase64)
    );
    assert_eq!(
        verify_request(&key, "GET", pq, b"", &b64(&[1; 255])),
        Err(VerifyError::WrongDigestLength {
            expected: 256,
            actual: 255
        })
    );
    assert_eq!(
        verify_request(&key, "GET", pq, b"", &b64(&[0xff; 256])),
        Err(VerifyError::SignatureMismatch)
    );
    assert_eq!(
        verify_request(&key, "GET", pq, b"", &b64(&[0; 256])),
        Err(VerifyError::SignatureMismatch)
    );
    // URL-safe base64 is not the standard alphabet.
    let url_safe = base64::engine::general_purpose::URL_SAFE.encode(
        base64::engine::general_purpose::STANDARD
            .decode(&good)
            .unwrap(),
    );
    if url_safe != good {
        assert_eq!(
            verify_request(&key, "GET", pq, b"", &url_safe),
            Err(VerifyError::DigestNotBase64)
        );
    }
    // Error messages never echo the digest.
    let err = verify_request(&key, "GET", pq, b"", &good[..100]).unwrap_err();
    assert!(!err.to_string().contains(&good[..20]));
}

#[test]
fn another_key_does_not_verify() {
    let other = idv_sign::PrivateKey::generate(2048).unwrap();
    let pq = "/s?sdkId=a&nonce=b&timestamp=1";
    let digest = sign_raw(&format!("GET&{pq}"));
    assert_eq!(
        verify_request(&other.public_key(), "GET", pq, b"", &digest),
        Err(VerifyError::SignatureMismatch)
    );
}
