//! Property tests (`cargo xtask props` runs every `prop_` test). RSA signatures cost about
//! 2 ms each, so the default case count is modest; `PROPTEST_CASES` overrides it.

mod common;

use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use common::{block_on, test_key};
use idv_sign::{
    AuthParams, PublicKey, RequestSigner, RsaSigner, SignedRequest, UnsignedRequest,
    percent_encode_into, verify_request,
};
use proptest::prelude::*;

fn config(default_cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

struct Keys {
    rsa: RsaSigner,
    public: PublicKey,
    signer: RequestSigner,
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let key = test_key();
        let rsa = RsaSigner::new(&key);
        Keys {
            signer: RequestSigner::new("prop-sdk-id", Arc::new(rsa.clone())),
            public: key.public_key(),
            rsa,
        }
    })
}

/// A valid base-relative path: segments of RFC 3986 path characters and `%XX` escapes.
fn path() -> impl Strategy<Value = String> {
    let segment = prop::collection::vec(
        prop_oneof![
            4 => "[A-Za-z0-9._~!$&'()*+,;=:@-]",
            1 => "%[0-9A-Fa-f]{2}",
        ],
        0..8,
    )
    .prop_map(|parts| parts.concat());
    // The first segment is non-empty so the path never starts with `//`.
    (
        "[A-Za-z0-9]",
        segment.clone(),
        prop::collection::vec(segment, 0..4),
    )
        .prop_map(|(first, head, rest)| {
            let mut p = format!("/{first}{head}");
            for s in rest {
                p.push('/');
                p.push_str(&s);
            }
            p
        })
}

fn query() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec(
        (
            "[A-Za-z][A-Za-z0-9_]{0,8}".prop_filter("reserved", |k| {
                !["sdkId", "sdkID", "nonce", "timestamp"].contains(&k.as_str())
            }),
            any::<String>(),
        ),
        0..4,
    )
}

fn request() -> impl Strategy<Value = (String, String, Vec<(String, String)>, Vec<u8>)> {
    (
        "[A-Z]{1,10}",
        path(),
        query(),
        prop::collection::vec(any::<u8>(), 0..300),
    )
}

fn sign(method: &str, path: &str, q: &[(String, String)], body: &[u8]) -> SignedRequest {
    let mut req = UnsignedRequest::new(method, path).body(body);
    for (k, v) in q {
        req = req.query(k.as_str(), v.as_str());
    }
    block_on(keys().signer.sign(&req)).expect("valid request signs")
}

/// Flips `mask` into byte `index % len` of `bytes` (no-op on empty input).
fn flip(bytes: &mut [u8], index: usize, mask: u8) {
    if !bytes.is_empty() {
        let i = index % bytes.len();
        bytes[i] ^= mask;
    }
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn prop_sign_then_verify(
        (method, path, q, body) in request(),
    ) {
        let signed = sign(&method, &path, &q, &body);
        let pq = signed.path_and_query();
        let prefix = format!("{path}?");
        prop_assert!(pq.starts_with(&prefix));
        prop_assert_eq!(
            signed.message(),
            idv_sign::canonical_message(&method, pq, &body)
        );
        prop_assert_eq!(signed.body_signed(), !body.is_empty());
        let params = verify_request(&keys().public, &method, pq, &body, signed.digest().expose())
            .expect("verifies");
        prop_assert_eq!(params.sdk_id(), "prop-sdk-id");
        prop_assert_eq!(params.nonce(), signed.nonce());
        prop_assert_eq!(params.timestamp_millis(), Some(signed.timestamp_millis()));
    }

    #[test]
    fn prop_any_changed_byte_fails_verification(
        (method, path, q, body) in request(),
        part in 0usize..5,
        index in any::<usize>(),
        mask in 1u8..=255,
    ) {
        let signed = sign(&method, &path, &q, &body);
        let mut method_t = method.clone().into_bytes();
        let mut pq_t = signed.path_and_query().as_bytes().to_vec();
        let mut body_t = body.clone();
        let mut digest_t = signed.digest().expose().as_bytes().to_vec();
        match part {
            0 => flip(&mut method_t, index, mask),
            1 => {
                // Within the path.
                let end = path.len();
                flip(&mut pq_t[..end], index, mask);
            }
            2 => {
                // Within the query.
                let start = path.len() + 1;
                flip(&mut pq_t[start..], index, mask);
            }
            3 => {
                prop_assume!(!body.is_empty());
                flip(&mut body_t, index, mask);
            }
            _ => flip(&mut digest_t, index, mask),
        }
        let method_t = String::from_utf8_lossy(&method_t);
        let pq_t = String::from_utf8_lossy(&pq_t);
        let digest_t = String::from_utf8_lossy(&digest_t);
        // Lossy decoding never turns a changed byte back into the original text.
        prop_assert!(
            method_t != method
                || pq_t != signed.path_and_query()
                || body_t != body
                || digest_t != signed.digest().expose()
        );
        prop_assert!(verify_request(&keys().public, &method_t, &pq_t, &body_t, &digest_t).is_err());
    }

    #[test]
    fn prop_changed_signature_bits_fail(
        message in prop::collection::vec(any::<u8>(), 0..200),
        index in any::<usize>(),
        mask in 1u8..=255,
    ) {
        let pq = "/s?sdkId=a&nonce=b&timestamp=1";
        let sig = keys().rsa.sign_sync(&idv_sign::canonical_message("PUT", pq, &message).into_bytes())
            .expect("signs");
        let mut bad = sig.clone();
        flip(&mut bad, index, mask);
        let b64 = base64::engine::general_purpose::STANDARD;
        prop_assert!(verify_request(&keys().public, "PUT", pq, &message, &b64.encode(&sig)).is_ok());
        prop_assert_eq!(
            verify_request(&keys().public, "PUT", pq, &message, &b64.encode(&bad)),
            Err(idv_sign::VerifyError::SignatureMismatch)
        );
    }
}

#[cfg(feature = "aws-lc")]
proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn prop_backends_agree(message in prop::collection::vec(any::<u8>(), 0..1024)) {
        let aws = idv_sign::AwsLcSigner::new(&test_key()).expect("aws-lc accepts the key");
        prop_assert_eq!(
            keys().rsa.sign_sync(&message).expect("rsa signs"),
            aws.sign_sync(&message).expect("aws-lc signs")
        );
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn prop_percent_encoding_is_unreserved_or_upper_hex_and_reversible(value in any::<String>()) {
        let mut out = String::new();
        percent_encode_into(&mut out, &value);
        let bytes = out.as_bytes();
        let mut decoded = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                let hex = &out[i + 1..i + 3];
                prop_assert!(hex.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)));
                decoded.push(u8::from_str_radix(hex, 16).expect("hex"));
                i += 3;
            } else {
                prop_assert!(bytes[i].is_ascii_alphanumeric() || b"-._~".contains(&bytes[i]));
                decoded.push(bytes[i]);
                i += 1;
            }
        }
        prop_assert_eq!(decoded, value.into_bytes());
    }

    #[test]
    fn prop_auth_params_in_any_order(
        sdk in "[A-Za-z0-9-]{1,36}",
        nonce in "[A-Za-z0-9-]{1,36}",
        ts in any::<u64>(),
        extra in prop::collection::vec("[a-z]{1,6}=[a-z0-9]{0,6}", 0..3),
        order in Just(()).prop_perturb(|(), mut rng| {
            let mut idx: Vec<usize> = (0..6).collect();
            for i in (1..idx.len()).rev() {
                idx.swap(i, (rng.next_u32() as usize) % (i + 1));
            }
            idx
        }),
        go_spelling in any::<bool>(),
    ) {
        let extra: Vec<String> = extra
            .into_iter()
            .filter(|e| !e.starts_with("nonce=") && !e.starts_with("timestamp="))
            .collect();
        let mut parts = vec![
            format!("{}={sdk}", if go_spelling { "sdkID" } else { "sdkId" }),
            format!("nonce={nonce}"),
            format!("timestamp={ts}"),
        ];
        parts.extend(extra);
        let mut shuffled: Vec<&String> = order.iter().filter_map(|&i| parts.get(i)).collect();
        // Any parts the permutation did not reach (fewer than 6) keep their place at the end.
        for p in &parts {
            if !shuffled.contains(&p) {
                shuffled.push(p);
            }
        }
        let pq = format!("/x?{}", shuffled.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("&"));
        let p = AuthParams::from_path_and_query(&pq).expect("parses");
        prop_assert_eq!(p.sdk_id(), sdk.as_str());
        prop_assert_eq!(p.nonce(), nonce.as_str());
        prop_assert_eq!(p.timestamp_millis(), Some(ts));
    }

    #[test]
    fn prop_verifier_never_panics(
        method in any::<String>(),
        pq in any::<String>(),
        body in prop::collection::vec(any::<u8>(), 0..64),
        digest in any::<String>(),
    ) {
        let _ = AuthParams::from_path_and_query(&pq);
        prop_assert!(verify_request(&keys().public, &method, &pq, &body, &digest).is_err());
    }

    #[test]
    fn prop_invalid_paths_are_errors_not_panics(path in any::<String>(), method in any::<String>()) {
        let req = UnsignedRequest::new(method.as_str(), path.as_str());
        // Either it signs (and then verifies) or it is a typed error.
        match block_on(keys().signer.sign(&req)) {
            Ok(signed) => {
                prop_assert!(verify_request(
                    &keys().public, &method, signed.path_and_query(), b"", signed.digest().expose()
                ).is_ok());
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}
