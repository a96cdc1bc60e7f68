//! The committed vectors (`fixtures/signing/vectors.json`): every backend reproduces them from
//! their inputs, and the verifier accepts them.

mod common;

use std::sync::Arc;

use common::{block_on, fixture, test_key};
use idv_sign::{
    FixedClock, FixedNonce, PrivateKey, PublicKey, RequestSigner, RsaSigner, Signer,
    UnsignedRequest, VerifyError, verify_request,
};
use serde_json::Value;

fn vectors() -> Value {
    serde_json::from_slice(&fixture("vectors.json")).expect("vectors.json is JSON")
}

fn str_of<'a>(v: &'a Value, field: &str) -> &'a str {
    v[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} is a string"))
}

fn backends() -> Vec<(&'static str, Arc<dyn Signer>)> {
    let key = test_key();
    #[allow(unused_mut)]
    let mut list: Vec<(&'static str, Arc<dyn Signer>)> =
        vec![("rsa", Arc::new(RsaSigner::new(&key)))];
    #[cfg(feature = "aws-lc")]
    list.push((
        "aws-lc",
        Arc::new(idv_sign::AwsLcSigner::new(&key).unwrap()),
    ));
    list
}

#[test]
fn vectors_cover_the_required_requests() {
    let doc = vectors();
    let names: Vec<&str> = doc["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| str_of(v, "name"))
        .collect();
    assert_eq!(
        names,
        [
            "get_session",
            "get_media",
            "delete_session",
            "delete_media",
            "post_session_json_body",
            "get_query_percent_encoded"
        ]
    );
    assert_eq!(
        str_of(&doc, "nonce"),
        "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d"
    );
    assert_eq!(doc["timestamp"].as_u64(), Some(1_700_000_000_000));
    // The vectors' key is the committed test key in both encodings.
    let key = PrivateKey::from_pem(&fixture("TEST-ONLY-key.pkcs8.pem")).unwrap();
    assert_eq!(key.public_key(), test_key().public_key());
}

#[test]
fn every_backend_reproduces_every_vector() {
    let doc = vectors();
    for (backend, signer) in backends() {
        let signer = RequestSigner::new(str_of(&doc, "sdk_id"), signer)
            .with_clock(Arc::new(FixedClock(doc["timestamp"].as_u64().unwrap())))
            .with_nonce_source(Arc::new(FixedNonce(str_of(&doc, "nonce").into())));
        for v in doc["vectors"].as_array().unwrap() {
            let name = str_of(v, "name");
            let mut req = UnsignedRequest::new(str_of(v, "method"), str_of(v, "path"))
                .body(str_of(v, "body").as_bytes());
            for pair in v["query"].as_array().unwrap() {
                req = req.query(pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
            }
            let signed = block_on(signer.sign(&req)).unwrap();
            assert_eq!(
                signed.path_and_query(),
                str_of(v, "path_and_query"),
                "{backend} {name}"
            );
            assert_eq!(signed.message(), str_of(v, "message"), "{backend} {name}");
            assert_eq!(
                signed.digest().expose(),
                str_of(v, "digest"),
                "{backend} {name}"
            );
        }
    }
}

#[test]
fn the_verifier_accepts_every_vector_and_rejects_mixups() {
    let doc = vectors();
    let public = PublicKey::from_pem(&fixture("TEST-ONLY-key.public.pem")).unwrap();
    let all = doc["vectors"].as_array().unwrap();
    for v in all {
        let (method, pq, body, digest) = (
            str_of(v, "method"),
            str_of(v, "path_and_query"),
            str_of(v, "body").as_bytes(),
            str_of(v, "digest"),
        );
        let params = verify_request(&public, method, pq, body, digest).unwrap();
        assert_eq!(params.sdk_id(), str_of(&doc, "sdk_id"));
        assert_eq!(params.nonce(), str_of(&doc, "nonce"));
        assert_eq!(params.timestamp_millis(), doc["timestamp"].as_u64());
        // Another vector's digest never verifies this request.
        for other in all {
            if other["name"] != v["name"] {
                assert_eq!(
                    verify_request(&public, method, pq, body, str_of(other, "digest")),
                    Err(VerifyError::SignatureMismatch)
                );
            }
        }
        // Signing the full path (with the base prefix) is a classic mistake: it fails.
        let full = format!("/idverify/v1{pq}");
        assert_eq!(
            verify_request(&public, method, &full, body, digest),
            Err(VerifyError::SignatureMismatch)
        );
    }
}
