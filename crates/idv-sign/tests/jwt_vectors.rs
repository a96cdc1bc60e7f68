//! The committed PS384 client-assertion vectors (`fixtures/signing/jwt-ps384.json`): one signing
//! input signed by each backend and by OpenSSL, cross-checked once with OpenSSL
//! (`fixtures/README.md`). PSS is randomised, so a vector is a JWT that must verify, and this
//! crate must build exactly its signing input from the same claims.

mod common;

use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{block_on, fixture, test_key};
use idv_sign::{
    ClientAssertion, FixedClock, FixedNonce, JwtError, PublicKey, SignatureAlgorithm,
    SignatureMismatch, verify_client_assertion,
};
use serde_json::Value;

fn doc() -> Value {
    serde_json::from_slice(&fixture("jwt-ps384.json")).expect("jwt-ps384.json is JSON")
}

fn public_key() -> PublicKey {
    PublicKey::from_pem(&fixture("TEST-ONLY-key.public.pem")).expect("public key")
}

fn text<'a>(v: &'a Value, field: &str) -> &'a str {
    v[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} is a string"))
}

fn vectors(doc: &Value) -> Vec<(String, String)> {
    doc["vectors"]
        .as_array()
        .expect("vectors")
        .iter()
        .map(|v| (text(v, "name").to_owned(), text(v, "jwt").to_owned()))
        .collect()
}

fn claim_u64(doc: &Value, claim: &str) -> u64 {
    doc["claims"][claim].as_u64().expect("integer claim")
}

#[test]
fn vectors_are_one_input_signed_by_rsa_aws_lc_and_openssl() {
    let doc = doc();
    let vectors = vectors(&doc);
    let names: Vec<&str> = vectors.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "signed_by_idv_sign_rsa",
            "signed_by_idv_sign_aws_lc",
            "signed_by_openssl"
        ]
    );
    let input = text(&doc, "signing_input");
    let mut signatures = Vec::new();
    for (name, jwt) in &vectors {
        let (signed, signature) = jwt.rsplit_once('.').unwrap();
        assert_eq!(signed, input, "{name}");
        signatures.push(signature);
    }
    let distinct: std::collections::HashSet<&str> = signatures.into_iter().collect();
    assert_eq!(distinct.len(), 3, "randomised: three different signatures");
}

#[test]
fn the_signing_input_is_what_this_crate_builds_from_the_same_claims() {
    let doc = doc();
    let claims = &doc["claims"];
    let sdk_id = text(claims, "iss").strip_prefix("sdk:").unwrap();
    let assertion = ClientAssertion::new(sdk_id, text(claims, "aud"))
        .with_jti_source(Arc::new(FixedNonce(text(claims, "jti").to_owned())));
    let clock = FixedClock(claim_u64(&doc, "iat") * 1000);
    let jwt = block_on(assertion.sign(&idv_sign::RsaSigner::new(&test_key()), &clock)).unwrap();
    assert_eq!(jwt.signing_input(), text(&doc, "signing_input"));
    // And the input decodes to the documented header and claims.
    let (header, payload) = jwt.signing_input().split_once('.').unwrap();
    assert_eq!(
        URL_SAFE_NO_PAD.decode(header).unwrap(),
        text(&doc, "header").as_bytes()
    );
    let decoded: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    assert_eq!(&decoded, claims);
}

#[test]
fn every_vector_verifies_with_the_pure_verifier_and_the_jwt_verifier() {
    let doc = doc();
    let public = public_key();
    let iat = claim_u64(&doc, "iat");
    let aud = text(&doc["claims"], "aud");
    for (name, jwt) in vectors(&doc) {
        let (input, sig) = jwt.rsplit_once('.').unwrap();
        let sig = URL_SAFE_NO_PAD.decode(sig).unwrap();
        public
            .verify_signature(SignatureAlgorithm::RsaPssSha384, input.as_bytes(), &sig)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        // Not valid as anything else.
        assert_eq!(
            public.verify_signature(SignatureAlgorithm::RsaPkcs1Sha256, input.as_bytes(), &sig),
            Err(SignatureMismatch)
        );
        let claims = verify_client_assertion(&public, &jwt, aud, &FixedClock(iat * 1000))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(claims.sdk_id(), "11111111-2222-4333-8444-555555555555");
        assert_eq!(claims.jti(), text(&doc["claims"], "jti"));
        assert_eq!(claims.expires_at() - claims.issued_at(), 300);
        // The vectors' time has passed: today they are expired.
        assert!(matches!(
            verify_client_assertion(&public, &jwt, aud, &idv_sign::SystemClock),
            Err(JwtError::Expired { .. })
        ));
    }
}

#[cfg(feature = "aws-lc")]
#[test]
fn every_vector_verifies_with_aws_lc() {
    let pem = public_key().to_pkcs1_pem().unwrap();
    let (_, der) = pem_rfc7468::decode_vec(pem.as_bytes()).unwrap();
    let key = aws_lc_rs::signature::UnparsedPublicKey::new(
        &aws_lc_rs::signature::RSA_PSS_2048_8192_SHA384,
        der,
    );
    for (name, jwt) in vectors(&doc()) {
        let (input, sig) = jwt.rsplit_once('.').unwrap();
        let sig = URL_SAFE_NO_PAD.decode(sig).unwrap();
        key.verify(input.as_bytes(), &sig)
            .unwrap_or_else(|_| panic!("{name}: AWS-LC refused it"));
        assert!(key.verify(b"another input", &sig).is_err());
    }
}
