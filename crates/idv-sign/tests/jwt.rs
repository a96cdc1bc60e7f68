//! The client-assertion JWT (IDV-API.md §3.10): what `ClientAssertion::sign` produces, and what
//! `verify_client_assertion` refuses, with which typed error.

mod common;

use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

use async_trait::async_trait;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use common::{block_on, test_key};
use idv_sign::{
    CLIENT_ASSERTION_HEADER, CLIENT_ASSERTION_LIFETIME_SECS, ClientAssertion,
    ClientAssertionClaims, Clock, FixedClock, FixedNonce, JwtError, JwtPart, MAX_CLOCK_SKEW_SECS,
    MAX_JWT_LEN, PrivateKey, PublicKey, RsaSigner, SignError, SignatureAlgorithm, SignedJwt,
    Signer, verify_client_assertion,
};
use serde_json::{Value, json};

const SDK_ID: &str = "11111111-2222-4333-8444-555555555555";
const AUD: &str = "https://auth.api.yoti.com/v1/oauth/token";
/// 2023-11-14T22:13:20.999Z: `iat` is whole seconds, rounded down.
const NOW_MS: u64 = 1_700_000_000_999;
const NOW: u64 = 1_700_000_000;

struct Keys {
    signer: RsaSigner,
    public: PublicKey,
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let key = test_key();
        Keys {
            signer: RsaSigner::new(&key),
            public: key.public_key(),
        }
    })
}

fn sign(assertion: &ClientAssertion, now_ms: u64) -> SignedJwt {
    block_on(assertion.sign(&keys().signer, &FixedClock(now_ms))).expect("signs")
}

fn verify(jwt: &str, now_secs: u64) -> Result<ClientAssertionClaims, JwtError> {
    verify_client_assertion(&keys().public, jwt, AUD, &FixedClock(now_secs * 1000))
}

fn decode_json(part: &str) -> Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("JSON")
}

/// A PS384 JWT over any header and claims, signed with the test key: for what the builder never
/// produces (another `alg`, a long lifetime, a bad issuer, …).
fn forge(header: &Value, claims: &Value) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let sig = keys()
        .signer
        .sign_with_sync(SignatureAlgorithm::RsaPssSha384, input.as_bytes())
        .unwrap();
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
}

fn header() -> Value {
    json!({"alg": "PS384", "typ": "JWT"})
}

fn claims() -> Value {
    let iss = format!("sdk:{SDK_ID}");
    json!({"iss": iss, "sub": iss, "aud": AUD, "jti": "j-1", "iat": NOW, "exp": NOW + 300})
}

fn with(mut value: Value, key: &str, v: Value) -> Value {
    value[key] = v;
    value
}

fn without(mut value: Value, key: &str) -> Value {
    value.as_object_mut().unwrap().remove(key);
    value
}

#[test]
fn the_header_is_exactly_ps384_jwt() {
    let jwt = sign(&ClientAssertion::new(SDK_ID, AUD), NOW_MS);
    let header = jwt.expose().split('.').next().unwrap();
    assert_eq!(
        URL_SAFE_NO_PAD.decode(header).unwrap(),
        br#"{"alg":"PS384","typ":"JWT"}"#
    );
    assert_eq!(CLIENT_ASSERTION_HEADER, r#"{"alg":"PS384","typ":"JWT"}"#);
    assert_eq!(header, "eyJhbGciOiJQUzM4NCIsInR5cCI6IkpXVCJ9");
}

#[test]
fn the_claims_are_those_of_section_3_10_in_order() {
    let assertion = ClientAssertion::new(SDK_ID, AUD).with_jti_source(Arc::new(FixedNonce(
        "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f".into(),
    )));
    let jwt = sign(&assertion, NOW_MS);
    let payload = jwt.expose().split('.').nth(1).unwrap();
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    assert_eq!(
        text,
        format!(
            r#"{{"iss":"sdk:{SDK_ID}","sub":"sdk:{SDK_ID}","aud":"{AUD}","jti":"6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f","iat":1700000000,"exp":1700000300}}"#
        )
    );
    let claims = jwt.claims();
    assert_eq!(claims.issuer(), format!("sdk:{SDK_ID}"));
    assert_eq!(claims.subject(), claims.issuer());
    assert_eq!(claims.sdk_id(), SDK_ID);
    assert_eq!(claims.audience(), AUD);
    assert_eq!((claims.issued_at(), claims.expires_at()), (NOW, NOW + 300));
    assert_eq!(
        jwt.signing_input(),
        jwt.expose().rsplit_once('.').unwrap().0
    );
}

#[test]
fn exp_is_iat_plus_300_whatever_the_time() {
    assert_eq!(CLIENT_ASSERTION_LIFETIME_SECS, 300);
    for now_ms in [0, 999, 1_000, NOW_MS, 4_102_444_800_000, u64::MAX] {
        let jwt = sign(&ClientAssertion::new("a", "b"), now_ms);
        let claims = decode_json(jwt.expose().split('.').nth(1).unwrap());
        let (iat, exp) = (
            claims["iat"].as_u64().unwrap(),
            claims["exp"].as_u64().unwrap(),
        );
        assert_eq!(iat, now_ms / 1000);
        assert_eq!(exp - iat, 300);
    }
}

#[test]
fn every_part_is_unpadded_base64url() {
    // An SDK id and audience whose JSON needs escaping and whose base64 would hit `+`, `/`, `=`.
    let assertion = ClientAssertion::new("ab\"c\\d?>~é", "https://x.test/t?a=>>>&b=???");
    for _ in 0..8 {
        let jwt = sign(&assertion, NOW_MS);
        let parts: Vec<&str> = jwt.expose().split('.').collect();
        assert_eq!(parts.len(), 3);
        for part in &parts {
            assert!(!part.is_empty());
            assert!(
                part.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                "{part}"
            );
        }
        assert_eq!(URL_SAFE_NO_PAD.decode(parts[2]).unwrap().len(), 256);
        let claims = decode_json(parts[1]);
        assert_eq!(claims["iss"], "sdk:ab\"c\\d?>~é");
        assert_eq!(claims["aud"], "https://x.test/t?a=>>>&b=???");
        let verified = verify_client_assertion(
            &keys().public,
            jwt.expose(),
            "https://x.test/t?a=>>>&b=???",
            &FixedClock(NOW_MS),
        )
        .unwrap();
        assert_eq!(verified.sdk_id(), "ab\"c\\d?>~é");
    }
}

#[test]
fn jti_is_a_fresh_lower_case_uuid_v4_every_time() {
    let assertion = ClientAssertion::new(SDK_ID, AUD);
    let mut seen = HashSet::new();
    for _ in 0..16 {
        let jwt = sign(&assertion, NOW_MS);
        let jti = jwt.claims().jti().to_owned();
        let uuid = uuid::Uuid::parse_str(&jti).unwrap();
        assert_eq!(uuid.get_version_num(), 4);
        assert_eq!(uuid.get_variant(), uuid::Variant::RFC4122);
        assert_eq!(jti, uuid.hyphenated().to_string()); // lower case, hyphenated
        assert_eq!(
            decode_json(jwt.expose().split('.').nth(1).unwrap())["jti"],
            jti
        );
        assert!(seen.insert(jti), "a jti repeated");
    }
}

#[test]
fn a_signed_assertion_verifies_and_returns_its_claims() {
    let jwt = sign(&ClientAssertion::new(SDK_ID, AUD), NOW_MS);
    let claims = verify(jwt.expose(), NOW).unwrap();
    assert_eq!(&claims, jwt.claims());
    // Until one second before exp.
    assert_eq!(
        verify(jwt.expose(), NOW + 299).unwrap().jti(),
        jwt.claims().jti()
    );
}

#[test]
fn debug_redacts_the_token() {
    let jwt = sign(&ClientAssertion::new(SDK_ID, AUD), NOW_MS);
    let debug = format!("{jwt:?}");
    assert!(
        debug.starts_with("SignedJwt { token: \"<redacted>\""),
        "{debug}"
    );
    for part in jwt.expose().split('.') {
        assert!(!debug.contains(part), "{debug}");
    }
    assert!(debug.contains(jwt.claims().jti()));
}

#[test]
fn empty_sdk_id_or_audience_is_a_typed_error() {
    let signer = &keys().signer;
    let clock = FixedClock(NOW_MS);
    assert!(matches!(
        block_on(ClientAssertion::new("", AUD).sign(signer, &clock)),
        Err(SignError::EmptySdkId)
    ));
    assert!(matches!(
        block_on(ClientAssertion::new(SDK_ID, "").sign(signer, &clock)),
        Err(SignError::EmptyAudience)
    ));
}

/// A KMS-like signer that records what it was asked for and delegates to the test key.
#[derive(Debug, Default)]
struct RecordingSigner {
    asked: std::sync::Mutex<Vec<(SignatureAlgorithm, Vec<u8>)>>,
}

#[async_trait]
impl Signer for RecordingSigner {
    async fn sign(&self, _message: &[u8]) -> Result<Vec<u8>, SignError> {
        Err(SignError::signer("PKCS#1 is not used for the JWT"))
    }

    async fn sign_with(
        &self,
        algorithm: SignatureAlgorithm,
        message: &[u8],
    ) -> Result<Vec<u8>, SignError> {
        self.asked
            .lock()
            .unwrap()
            .push((algorithm, message.to_vec()));
        keys().signer.sign_with_sync(algorithm, message)
    }
}

#[test]
fn the_jwt_is_signed_through_sign_with_ps384_over_header_dot_payload() {
    let kms = RecordingSigner::default();
    let jwt = block_on(ClientAssertion::new(SDK_ID, AUD).sign(&kms, &FixedClock(NOW_MS))).unwrap();
    let asked = kms.asked.lock().unwrap();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].0, SignatureAlgorithm::RsaPssSha384);
    assert_eq!(asked[0].1, jwt.signing_input().as_bytes());
    verify(jwt.expose(), NOW).unwrap();
}

#[derive(Debug)]
struct RequestsOnly;

#[async_trait]
impl Signer for RequestsOnly {
    async fn sign(&self, _message: &[u8]) -> Result<Vec<u8>, SignError> {
        Ok(vec![1; 256])
    }
}

#[derive(Debug)]
struct EmptySignature;

#[async_trait]
impl Signer for EmptySignature {
    async fn sign(&self, _message: &[u8]) -> Result<Vec<u8>, SignError> {
        Ok(Vec::new())
    }

    async fn sign_with(&self, _: SignatureAlgorithm, _: &[u8]) -> Result<Vec<u8>, SignError> {
        Ok(Vec::new())
    }
}

#[test]
fn a_signer_without_ps384_or_with_an_empty_signature_is_a_typed_error() {
    let clock = FixedClock(NOW_MS);
    let assertion = ClientAssertion::new(SDK_ID, AUD);
    assert!(matches!(
        block_on(assertion.sign(&RequestsOnly, &clock)),
        Err(SignError::UnsupportedAlgorithm {
            algorithm: SignatureAlgorithm::RsaPssSha384
        })
    ));
    let err = block_on(assertion.sign(&EmptySignature, &clock)).unwrap_err();
    assert!(matches!(err, SignError::Signer { .. }), "{err}");
}

#[test]
fn signing_is_send_so_any_executor_can_run_it() {
    fn assert_send<T: Send>(_: &T) {}
    let assertion = ClientAssertion::new(SDK_ID, AUD);
    let signer: Arc<dyn Signer> = Arc::new(keys().signer.clone());
    let clock: Arc<dyn Clock> = Arc::new(FixedClock(NOW_MS));
    let future = assertion.sign(signer.as_ref(), clock.as_ref());
    assert_send(&future);
    block_on(future).unwrap();
}

/// Every error: typed, and never any part of the token in its text.
fn refused(jwt: &str, now: u64) -> JwtError {
    let err = verify(jwt, now).expect_err("refused");
    let text = format!("{err} {err:?}");
    for part in jwt.split('.').filter(|p| p.len() >= 8) {
        assert!(!text.contains(part), "{text}");
    }
    err
}

#[test]
fn tampering_with_header_payload_or_signature_is_refused() {
    let jwt = sign(&ClientAssertion::new(SDK_ID, AUD), NOW_MS);
    let [h, p, s]: [&str; 3] = jwt
        .expose()
        .split('.')
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();

    // Another header with the same alg: the signature no longer covers it.
    let h2 = URL_SAFE_NO_PAD.encode(r#"{"typ":"JWT","alg":"PS384"}"#);
    assert_eq!(
        refused(&format!("{h2}.{p}.{s}"), NOW),
        JwtError::SignatureMismatch
    );
    // Another payload: a longer lifetime, another audience, another SDK id.
    let mut claims = decode_json(p);
    claims["iss"] = json!("sdk:someone-else");
    claims["sub"] = claims["iss"].clone();
    let p2 = URL_SAFE_NO_PAD.encode(claims.to_string());
    assert_eq!(
        refused(&format!("{h}.{p2}.{s}"), NOW),
        JwtError::SignatureMismatch
    );
    // A flipped signature bit; a truncated signature; another JWT's signature.
    let mut sig = URL_SAFE_NO_PAD.decode(s).unwrap();
    sig[0] ^= 0x80;
    let s2 = URL_SAFE_NO_PAD.encode(&sig);
    assert_eq!(
        refused(&format!("{h}.{p}.{s2}"), NOW),
        JwtError::SignatureMismatch
    );
    let s3 = URL_SAFE_NO_PAD.encode(&sig[..255]);
    assert_eq!(
        refused(&format!("{h}.{p}.{s3}"), NOW),
        JwtError::SignatureMismatch
    );
    let other = sign(&ClientAssertion::new(SDK_ID, AUD), NOW_MS);
    let s4 = other.expose().rsplit_once('.').unwrap().1;
    assert_eq!(
        refused(&format!("{h}.{p}.{s4}"), NOW),
        JwtError::SignatureMismatch
    );
    // Signed by another key.
    let stranger = PrivateKey::generate(2048).unwrap();
    let jwt5 = block_on(
        ClientAssertion::new(SDK_ID, AUD).sign(&RsaSigner::new(&stranger), &FixedClock(NOW_MS)),
    )
    .unwrap();
    assert_eq!(refused(jwt5.expose(), NOW), JwtError::SignatureMismatch);
    // Unchanged, it still verifies.
    verify(jwt.expose(), NOW).unwrap();
}

#[test]
fn malformed_tokens_are_typed_errors() {
    let jwt = sign(&ClientAssertion::new(SDK_ID, AUD), NOW_MS);
    let [h, p, s]: [&str; 3] = jwt
        .expose()
        .split('.')
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();
    assert_eq!(refused("", NOW), JwtError::NotThreeParts);
    assert_eq!(refused(&format!("{h}.{p}"), NOW), JwtError::NotThreeParts);
    assert_eq!(
        refused(&format!("{h}.{p}.{s}."), NOW),
        JwtError::NotThreeParts
    );
    assert_eq!(
        refused(&format!("{h}.{p}.{s}.{s}"), NOW),
        JwtError::NotThreeParts
    );
    // Padding, the standard alphabet, whitespace: not base64url.
    assert_eq!(
        refused(&format!("{h}=.{p}.{s}"), NOW),
        JwtError::NotBase64Url(JwtPart::Header)
    );
    let std_sig = STANDARD.encode(URL_SAFE_NO_PAD.decode(s).unwrap());
    let expected = if std_sig.contains(['+', '/', '=']) {
        JwtError::NotBase64Url(JwtPart::Signature)
    } else {
        JwtError::SignatureMismatch // padding-free and alphabet-free by chance: still refused
    };
    assert_eq!(refused(&format!("{h}.{p}.{std_sig}"), NOW), expected);
    assert_eq!(
        refused(&format!("{h}.{p}.{s}\n"), NOW),
        JwtError::NotBase64Url(JwtPart::Signature)
    );
    // Not JSON objects.
    let array = URL_SAFE_NO_PAD.encode("[1,2]");
    assert_eq!(
        refused(&format!("{array}.{p}.{s}"), NOW),
        JwtError::NotJsonObject(JwtPart::Header)
    );
    let junk = URL_SAFE_NO_PAD.encode("{\"iss\":");
    let input = format!("{h}.{junk}");
    let sig = keys()
        .signer
        .sign_with_sync(SignatureAlgorithm::RsaPssSha384, input.as_bytes())
        .unwrap();
    assert_eq!(
        refused(&format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig)), NOW),
        JwtError::NotJsonObject(JwtPart::Payload)
    );
    // Too long to read.
    let long = format!("{h}.{}.{s}", "A".repeat(MAX_JWT_LEN));
    assert_eq!(refused(&long, NOW), JwtError::TooLong { max: MAX_JWT_LEN });
}

#[test]
fn only_ps384_is_accepted() {
    for alg in ["RS256", "PS256", "PS512", "HS384", "none", "ps384", ""] {
        let jwt = forge(&with(header(), "alg", json!(alg)), &claims());
        assert_eq!(refused(&jwt, NOW), JwtError::WrongAlgorithm, "{alg}");
    }
    assert_eq!(
        refused(&forge(&without(header(), "alg"), &claims()), NOW),
        JwtError::WrongAlgorithm
    );
    assert_eq!(
        refused(&forge(&with(header(), "alg", json!(384)), &claims()), NOW),
        JwtError::WrongAlgorithm
    );
    // An unsigned token (`alg: none`, empty signature).
    let none = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
        URL_SAFE_NO_PAD.encode(claims().to_string())
    );
    assert_eq!(refused(&none, NOW), JwtError::WrongAlgorithm);
    assert_eq!(
        JwtError::WrongAlgorithm.to_string(),
        "the JWT header's alg is not PS384"
    );
}

#[test]
fn typ_must_be_jwt_if_present_and_crit_is_refused() {
    verify(&forge(&without(header(), "typ"), &claims()), NOW).unwrap();
    verify(&forge(&with(header(), "typ", json!("jwt")), &claims()), NOW).unwrap();
    let kid = with(header(), "kid", json!("any key id"));
    verify(&forge(&kid, &claims()), NOW).unwrap();
    for typ in [json!("JOSE"), json!(1), json!(null)] {
        let jwt = forge(&with(header(), "typ", typ), &claims());
        assert_eq!(refused(&jwt, NOW), JwtError::WrongType);
    }
    let crit = with(header(), "crit", json!(["exp"]));
    assert_eq!(
        refused(&forge(&crit, &claims()), NOW),
        JwtError::CriticalExtension
    );
}

#[test]
fn issuer_and_subject_must_be_sdk_colon_id_and_equal() {
    for iss in ["11111111-2222", "sdk:", "SDK:abc", "sdk", " sdk:abc"] {
        let c = with(with(claims(), "iss", json!(iss)), "sub", json!(iss));
        assert_eq!(
            refused(&forge(&header(), &c), NOW),
            JwtError::InvalidIssuer,
            "{iss}"
        );
    }
    let c = with(claims(), "sub", json!("sdk:another"));
    assert_eq!(
        refused(&forge(&header(), &c), NOW),
        JwtError::SubjectMismatch
    );
}

#[test]
fn the_audience_must_be_this_endpoint() {
    for aud in [
        json!("https://auth.api.yoti.com/v1/oauth/token/"),
        json!("https://evil.test/token"),
        json!(["https://evil.test/token"]),
        json!([]),
    ] {
        let jwt = forge(&header(), &with(claims(), "aud", aud.clone()));
        assert_eq!(refused(&jwt, NOW), JwtError::WrongAudience, "{aud}");
    }
    // An array holding it is accepted (RFC 7519 §4.1.3).
    let jwt = forge(
        &header(),
        &with(claims(), "aud", json!(["https://x.test", AUD])),
    );
    assert_eq!(verify(&jwt, NOW).unwrap().audience(), AUD);
    // Checked against the caller's expected audience, not the token's.
    let own = sign(&ClientAssertion::new(SDK_ID, AUD), NOW_MS);
    let err = verify_client_assertion(
        &keys().public,
        own.expose(),
        "https://auth.api.yoti.com/v2/oauth/token",
        &FixedClock(NOW_MS),
    )
    .unwrap_err();
    assert_eq!(err, JwtError::WrongAudience);
    assert_eq!(
        err.to_string(),
        "the JWT audience (aud) is not this token endpoint"
    );
}

#[test]
fn missing_or_mistyped_claims_name_the_claim() {
    for claim in ["iss", "sub", "aud", "jti", "iat", "exp"] {
        let jwt = forge(&header(), &without(claims(), claim));
        assert_eq!(refused(&jwt, NOW), JwtError::MissingClaim(claim));
    }
    for (claim, value) in [
        ("iss", json!(1)),
        ("sub", json!("")),
        ("jti", json!("")),
        ("jti", json!(["a"])),
        ("aud", json!(7)),
        ("aud", json!([AUD, 7])),
        ("iat", json!(-1)),
        ("iat", json!(1.7e9)),
        ("exp", json!("1700000300")),
        ("nbf", json!(true)),
    ] {
        let jwt = forge(&header(), &with(claims(), claim, value.clone()));
        let err = refused(&jwt, NOW);
        assert!(
            matches!(err, JwtError::InvalidClaim { claim: c, .. } if c == claim),
            "{claim} = {value}: {err:?}"
        );
        assert!(err.to_string().contains(&format!("`{claim}`")));
    }
}

#[test]
fn exp_must_be_after_iat_and_within_300_seconds_of_it() {
    let at = |iat: u64, exp: u64| {
        forge(
            &header(),
            &with(with(claims(), "iat", json!(iat)), "exp", json!(exp)),
        )
    };
    assert_eq!(
        verify(&at(NOW, NOW + 300), NOW).unwrap().expires_at(),
        NOW + 300
    );
    assert_eq!(
        verify(&at(NOW, NOW + 1), NOW).unwrap().expires_at(),
        NOW + 1
    );
    assert_eq!(
        refused(&at(NOW, NOW + 301), NOW),
        JwtError::LifetimeTooLong {
            lifetime_secs: 301,
            max_secs: 300
        }
    );
    assert_eq!(
        refused(&at(NOW, u64::MAX), NOW),
        JwtError::LifetimeTooLong {
            lifetime_secs: u64::MAX - NOW,
            max_secs: 300
        }
    );
    assert_eq!(
        refused(&at(NOW, NOW), NOW),
        JwtError::ExpiresBeforeIssued { iat: NOW, exp: NOW }
    );
    assert_eq!(
        refused(&at(NOW, NOW - 1), NOW),
        JwtError::ExpiresBeforeIssued {
            iat: NOW,
            exp: NOW - 1
        }
    );
}

#[test]
fn an_expired_assertion_is_refused() {
    let jwt = sign(&ClientAssertion::new(SDK_ID, AUD), NOW_MS);
    verify(jwt.expose(), NOW + 299).unwrap();
    assert_eq!(
        refused(jwt.expose(), NOW + 300),
        JwtError::Expired {
            exp: NOW + 300,
            now: NOW + 300
        }
    );
    assert_eq!(
        refused(jwt.expose(), u64::MAX / 1000),
        JwtError::Expired {
            exp: NOW + 300,
            now: u64::MAX / 1000
        }
    );
    // The verifier's clock in milliseconds is rounded down to seconds too.
    let err = verify_client_assertion(
        &keys().public,
        jwt.expose(),
        AUD,
        &FixedClock((NOW + 299) * 1000 + 999),
    );
    assert!(err.is_ok());
}

#[test]
fn an_assertion_from_the_future_is_refused_beyond_the_allowed_skew() {
    assert_eq!(MAX_CLOCK_SKEW_SECS, 60);
    let ahead = |secs: u64| sign(&ClientAssertion::new(SDK_ID, AUD), (NOW + secs) * 1000);
    verify(ahead(60).expose(), NOW).unwrap();
    assert_eq!(
        refused(ahead(61).expose(), NOW),
        JwtError::NotYetValid {
            claim: "iat",
            at: NOW + 61,
            now: NOW
        }
    );
    let nbf = |at: u64| forge(&header(), &with(claims(), "nbf", json!(at)));
    verify(&nbf(NOW + 60), NOW).unwrap();
    assert_eq!(
        refused(&nbf(NOW + 61), NOW),
        JwtError::NotYetValid {
            claim: "nbf",
            at: NOW + 61,
            now: NOW
        }
    );
    // At the very end of time nothing overflows.
    let late = forge(
        &header(),
        &with(
            with(claims(), "iat", json!(u64::MAX - 300)),
            "exp",
            json!(u64::MAX),
        ),
    );
    assert_eq!(
        verify(&late, u64::MAX / 1000).map(|c| c.expires_at()),
        Err(JwtError::NotYetValid {
            claim: "iat",
            at: u64::MAX - 300,
            now: u64::MAX / 1000,
        })
    );
}

#[test]
fn unknown_claims_are_ignored() {
    let c = with(
        with(claims(), "scope", json!("idv")),
        "nested",
        json!({"a": [1, {"b": null}]}),
    );
    let verified = verify(&forge(&header(), &c), NOW).unwrap();
    assert_eq!(verified.jti(), "j-1");
    assert_eq!(verified.sdk_id(), SDK_ID);
}
