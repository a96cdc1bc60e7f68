//! The `aws-lc` backend: same output as the pure-Rust one, same key handling, no leaks.
#![cfg(feature = "aws-lc")]

mod common;

use std::sync::Arc;

use common::{block_on, fixture, test_key};
use idv_sign::{
    AwsLcSigner, FixedClock, FixedNonce, KeyError, PrivateKey, RequestSigner, RsaSigner, Signer,
    UnsignedRequest, verify_request,
};

#[test]
fn builds_from_both_pem_encodings_and_matches_rsa() {
    let a = AwsLcSigner::from_pem(&fixture("TEST-ONLY-key.pkcs1.pem")).unwrap();
    let b = AwsLcSigner::from_pem(&fixture("TEST-ONLY-key.pkcs8.pem")).unwrap();
    let rsa = RsaSigner::new(&test_key());
    for message in [
        &b""[..],
        b"GET&/sessions?sdkId=a&nonce=b&timestamp=1",
        &[0xff; 5000],
    ] {
        let expected = rsa.sign_sync(message).unwrap();
        assert_eq!(expected.len(), 256);
        assert_eq!(a.sign_sync(message).unwrap(), expected);
        assert_eq!(block_on(b.sign(message)).unwrap(), expected);
    }
}

#[test]
fn request_signer_with_aws_lc_verifies() {
    let key = test_key();
    let signer = RequestSigner::new("app", Arc::new(AwsLcSigner::new(&key).unwrap()))
        .with_clock(Arc::new(FixedClock(1)))
        .with_nonce_source(Arc::new(FixedNonce("n".into())));
    let body = b"{\"a\":1}";
    let signed = block_on(signer.sign(&UnsignedRequest::put("/x", body))).unwrap();
    assert_eq!(signed.path_and_query(), "/x?sdkId=app&nonce=n&timestamp=1");
    verify_request(
        &key.public_key(),
        "PUT",
        signed.path_and_query(),
        body,
        signed.digest().expose(),
    )
    .unwrap();
}

#[test]
fn key_errors_and_debug() {
    assert!(matches!(
        AwsLcSigner::from_pem(&fixture("TEST-ONLY-key.public.pem")),
        Err(KeyError::PublicKeyInsteadOfPrivate { .. })
    ));
    let signer = AwsLcSigner::new(&test_key()).unwrap();
    assert_eq!(format!("{signer:?}"), "AwsLcSigner { bits: 2048, .. }");
    // A freshly generated key of another size works too.
    let big = PrivateKey::generate(3072).unwrap();
    let sig = AwsLcSigner::new(&big).unwrap().sign_sync(b"m").unwrap();
    assert_eq!(sig.len(), 384);
    assert_eq!(sig, RsaSigner::new(&big).sign_sync(b"m").unwrap());
}
