//! The notification `Authorization` check: exactly the expected header verifies (the scheme word
//! in any case); wrong schemes, wrong tokens, tokens of other lengths, non-UTF-8, empty and
//! re-spaced headers do not; nothing shows the token.

use idv_model::Secret;
use idv_model::notification::{NotificationAuthError, NotificationVerifier, authorization_header};
use idv_model::spec::{AuthType, NotificationConfig};
use proptest::prelude::*;

fn token(value: &str) -> Secret {
    Secret::new(value)
}

fn basic() -> NotificationVerifier {
    NotificationVerifier::basic(&token("username:password")).unwrap()
}

fn bearer() -> NotificationVerifier {
    NotificationVerifier::bearer(&token("0c5d9f7e-b1a2-4c3d-8e9f-a0b1c2d3e4f5")).unwrap()
}

const BASIC_OK: &[u8] = b"Basic dXNlcm5hbWU6cGFzc3dvcmQ=";
const BEARER_OK: &[u8] = b"Bearer 0c5d9f7e-b1a2-4c3d-8e9f-a0b1c2d3e4f5";

#[test]
fn the_expected_headers_verify() {
    // The example of Yoti's documentation.
    assert!(basic().verify(BASIC_OK));
    assert!(bearer().verify(BEARER_OK));
    assert_eq!(basic().auth_type(), AuthType::Basic);
    assert_eq!(bearer().auth_type(), AuthType::Bearer);
}

#[test]
fn the_scheme_word_is_case_insensitive_and_the_rest_is_not() {
    for header in [
        &b"basic dXNlcm5hbWU6cGFzc3dvcmQ="[..],
        b"BASIC dXNlcm5hbWU6cGFzc3dvcmQ=",
        b"bAsIc dXNlcm5hbWU6cGFzc3dvcmQ=",
    ] {
        assert!(
            basic().verify(header),
            "{}",
            String::from_utf8_lossy(header)
        );
    }
    assert!(bearer().verify(b"bearer 0c5d9f7e-b1a2-4c3d-8e9f-a0b1c2d3e4f5"));
    assert!(bearer().verify(b"BEARER 0c5d9f7e-b1a2-4c3d-8e9f-a0b1c2d3e4f5"));
    // Base64 and the token are case-sensitive.
    assert!(!basic().verify(b"Basic DXNLCM5HBWU6CGFZC3DVCMQ="));
    assert!(!bearer().verify(b"Bearer 0C5D9F7E-B1A2-4C3D-8E9F-A0B1C2D3E4F5"));
}

#[test]
fn wrong_schemes_do_not_verify() {
    let cases: [(&NotificationVerifier, &[u8]); 6] = [
        (&basic(), b"Bearer dXNlcm5hbWU6cGFzc3dvcmQ="),
        (&basic(), b"Bearer username:password"),
        (&basic(), b"Basix dXNlcm5hbWU6cGFzc3dvcmQ="),
        (&bearer(), b"Basic 0c5d9f7e-b1a2-4c3d-8e9f-a0b1c2d3e4f5"),
        (&bearer(), b"Token 0c5d9f7e-b1a2-4c3d-8e9f-a0b1c2d3e4f5"),
        (&bearer(), b"Bearer: 0c5d9f7e-b1a2-4c3d-8e9f-a0b1c2d3e4f5"),
    ];
    for (verifier, header) in cases {
        assert!(
            !verifier.verify(header),
            "{}",
            String::from_utf8_lossy(header)
        );
    }
    // Basic with the raw (unencoded) token is not Yoti's form.
    assert!(!basic().verify(b"Basic username:password"));
}

#[test]
fn wrong_tokens_do_not_verify() {
    assert!(!basic().verify(b"Basic dXNlcm5hbWU6cGFzc3dvcmR="));
    assert!(!basic().verify(b"Basic eFNlcm5hbWU6cGFzc3dvcmQ="));
    assert!(!bearer().verify(b"Bearer 1c5d9f7e-b1a2-4c3d-8e9f-a0b1c2d3e4f5"));
    assert!(!bearer().verify(b"Bearer 0c5d9f7e-b1a2-4c3d-8e9f-a0b1c2d3e4f6"));
}

#[test]
fn tokens_of_a_different_length_do_not_verify() {
    let cases: [&[u8]; 7] = [
        b"Bearer 0c5d9f7e-b1a2-4c3d-8e9f-a0b1c2d3e4f",
        b"Bearer 0c5d9f7e-b1a2-4c3d-8e9f-a0b1c2d3e4f5a",
        b"Bearer 0",
        b"Bearer ",
        b"Bearer",
        b"Bearer 0c5d9f7e-b1a2-4c3d-8e9f-a0b1c2d3e4f50c5d9f7e-b1a2-4c3d-8e9f-a0b1c2d3e4f5",
        &[b'x'; 4096],
    ];
    for header in cases {
        assert!(
            !bearer().verify(header),
            "{}",
            String::from_utf8_lossy(header)
        );
    }
    assert!(!basic().verify(b"Basic dXNlcm5hbWU6cGFzc3dvcmQ"));
    assert!(!basic().verify(b"Basic dXNlcm5hbWU6cGFzc3dvcmQ=="));
}

#[test]
fn non_utf8_headers_do_not_verify() {
    assert!(!basic().verify(b"Basic \xff\xfe\xfd"));
    assert!(!basic().verify(b"Basic dXNlcm5hbWU6cGFzc3dvcmQ=\xff"));
    assert!(!basic().verify(b"\xc3\x9fasic dXNlcm5hbWU6cGFzc3dvcmQ="));
    assert!(!bearer().verify(b"Bearer \x800c5d9f7e-b1a2-4c3d-8e9f-a0b1c2d3e4f5"));
    // A non-ASCII token is compared as its UTF-8 bytes.
    let verifier = NotificationVerifier::bearer(&token("pässwörd")).unwrap();
    assert!(verifier.verify("Bearer pässwörd".as_bytes()));
    assert!(!verifier.verify(b"Bearer p\xe4ssw\xf6rd")); // Latin-1, not UTF-8
}

#[test]
fn empty_and_scheme_only_headers_do_not_verify() {
    for header in [&b""[..], b" ", b"Basic", b"Basic ", b"basic  "] {
        assert!(
            !basic().verify(header),
            "{}",
            String::from_utf8_lossy(header)
        );
    }
}

#[test]
fn extra_or_other_whitespace_does_not_verify() {
    let cases: [&[u8]; 7] = [
        b"Basic  dXNlcm5hbWU6cGFzc3dvcmQ=",
        b" Basic dXNlcm5hbWU6cGFzc3dvcmQ=",
        b"Basic dXNlcm5hbWU6cGFzc3dvcmQ= ",
        b"Basic\tdXNlcm5hbWU6cGFzc3dvcmQ=",
        b"Basic dXNlcm5hbWU6cGFzc3dvcmQ=\r\n",
        b"BasicdXNlcm5hbWU6cGFzc3dvcmQ=",
        b"Basic dXNlcm5hbWU6 cGFzc3dvcmQ=",
    ];
    for header in cases {
        assert!(
            !basic().verify(header),
            "{}",
            String::from_utf8_lossy(header)
        );
    }
}

#[test]
fn unusable_configurations_are_refused_without_the_token() {
    let err =
        NotificationVerifier::new(&AuthType::from("DIGEST"), &token("t0ken-xyz")).unwrap_err();
    assert_eq!(
        err,
        NotificationAuthError::UnsupportedType(AuthType::Other("DIGEST".into()))
    );
    assert_eq!(
        err.to_string(),
        "notification auth_type DIGEST is not supported: expected BASIC or BEARER"
    );
    // The config form is upper case: lower case is an unknown type, not BASIC.
    assert!(NotificationVerifier::new(&AuthType::from("basic"), &token("a:b")).is_err());
    for auth_type in AuthType::KNOWN {
        let err = NotificationVerifier::new(auth_type, &token("")).unwrap_err();
        assert_eq!(err, NotificationAuthError::EmptyToken);
        assert_eq!(
            authorization_header(auth_type, &token("")).unwrap_err(),
            err
        );
    }
}

#[test]
fn a_verifier_from_the_create_requests_config() {
    let config = NotificationConfig::builder()
        .endpoint("https://example.com/yoti")
        .auth_type(AuthType::Basic)
        .auth_token("username:password")
        .build();
    let verifier = NotificationVerifier::from_config(&config).unwrap();
    assert_eq!(verifier.auth_type(), AuthType::Basic);
    assert!(verifier.verify(BASIC_OK));
    assert!(!verifier.verify(b"Bearer username:password"));

    let no_type = NotificationConfig::builder()
        .endpoint("https://example.com/yoti")
        .auth_token("username:password")
        .build();
    let err = NotificationVerifier::from_config(&no_type).unwrap_err();
    assert_eq!(err, NotificationAuthError::MissingAuthType);
    let no_token = NotificationConfig::builder()
        .endpoint("https://example.com/yoti")
        .auth_type(AuthType::Bearer)
        .build();
    let err = NotificationVerifier::from_config(&no_token).unwrap_err();
    assert_eq!(err, NotificationAuthError::MissingToken);
    assert_eq!(err.to_string(), "the notification config has no auth_token");
    let empty = NotificationConfig::builder()
        .endpoint("https://example.com/yoti")
        .auth_type(AuthType::Bearer)
        .auth_token("")
        .build();
    let err = NotificationVerifier::from_config(&empty).unwrap_err();
    assert_eq!(err, NotificationAuthError::EmptyToken);
}

#[test]
fn nothing_shows_the_token_or_its_digest() {
    let secret = "sup3r-s3cret-t0ken";
    let token = token(secret);
    let verifier = NotificationVerifier::bearer(&token).unwrap();
    let header = authorization_header(&AuthType::Bearer, &token).unwrap();
    let shown = format!("{token} {token:?} {verifier:?} {verifier:#?} {header} {header:?}");
    assert!(!shown.contains(secret), "{shown}");
    assert!(!shown.contains("Bearer"), "{shown}");
    assert_eq!(
        format!("{verifier:?}"),
        "NotificationVerifier { auth_type: BEARER, .. }"
    );
    // The digest is not shown as hex or as bytes either.
    assert!(!shown.chars().any(|c| c.is_ascii_digit()), "{shown}");
}

#[test]
fn the_header_a_sender_writes_is_the_one_that_verifies() {
    let token = token("username:password");
    let header = authorization_header(&AuthType::Basic, &token).unwrap();
    assert_eq!(header.expose_secret().as_bytes(), BASIC_OK);
    let header = authorization_header(&AuthType::Bearer, &token).unwrap();
    assert_eq!(header.expose_secret(), "Bearer username:password");
}

/// The rule, written plainly: the header is the expected one, the scheme word in any case.
fn reference(expected: &[u8], scheme_len: usize, header: &[u8]) -> bool {
    header.len() == expected.len()
        && header[..scheme_len].eq_ignore_ascii_case(&expected[..scheme_len])
        && header[scheme_len..] == expected[scheme_len..]
}

/// The length of the scheme word of a header Yoti sends.
fn scheme_len(expected: &[u8]) -> usize {
    expected.iter().position(|&b| b == b' ').unwrap()
}

/// A header near `expected`: itself, with the scheme re-cased, or mutated one way or another.
fn near(expected: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = expected.len();
    (0..8u8, 0..=len, any::<u8>(), any::<u64>()).prop_map(move |(how, at, byte, bits)| {
        let mut h = expected.clone();
        match how {
            0 => {}
            1 => {
                // Re-case letters of the whole header (scheme and credentials).
                for (i, c) in h.iter_mut().enumerate() {
                    if (bits >> (i % 64)) & 1 == 1 {
                        *c = if c.is_ascii_lowercase() {
                            c.to_ascii_uppercase()
                        } else {
                            c.to_ascii_lowercase()
                        };
                    }
                }
            }
            2 => h.insert(at, byte),
            3 => {
                if at < len {
                    h.remove(at);
                }
            }
            4 => {
                if at < len {
                    h[at] ^= byte | 1;
                }
            }
            5 => h.truncate(at),
            6 => h.extend_from_slice(&bits.to_le_bytes()[..(at % 8)]),
            _ => h.insert(at.min(h.len()), b' '),
        }
        h
    })
}

fn token_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9._~+/-]{1,64}",
        "[a-z]{1,12}:[ -~]{1,24}",
        ".{1,16}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any token, either type: the header a sender writes verifies, in any scheme case.
    #[test]
    fn the_senders_header_always_verifies(token in token_text(), bearer in any::<bool>(), bits in any::<u8>()) {
        let auth_type = if bearer { AuthType::Bearer } else { AuthType::Basic };
        let token = Secret::new(token);
        let verifier = NotificationVerifier::new(&auth_type, &token).unwrap();
        let mut header = authorization_header(&auth_type, &token).unwrap().expose_secret().as_bytes().to_vec();
        let scheme_len = if bearer { 6 } else { 5 };
        for (i, c) in header[..scheme_len].iter_mut().enumerate() {
            if (bits >> i) & 1 == 1 {
                *c = c.to_ascii_uppercase();
            }
        }
        prop_assert!(verifier.verify(&header));
    }

    /// Headers near the expected one (mutated, truncated, extended, re-spaced, re-cased)
    /// verify exactly when the plain rule says they are the expected header.
    #[test]
    fn near_headers_verify_only_when_they_are_the_expected_one(
        (token, bearer, header) in (token_text(), any::<bool>()).prop_flat_map(|(token, bearer)| {
            let auth_type = if bearer { AuthType::Bearer } else { AuthType::Basic };
            let expected = authorization_header(&auth_type, &Secret::new(token.clone()))
                .unwrap()
                .expose_secret()
                .as_bytes()
                .to_vec();
            (Just(token), Just(bearer), near(expected))
        })
    ) {
        let auth_type = if bearer { AuthType::Bearer } else { AuthType::Basic };
        let token = Secret::new(token);
        let verifier = NotificationVerifier::new(&auth_type, &token).unwrap();
        let expected = authorization_header(&auth_type, &token).unwrap().expose_secret().as_bytes().to_vec();
        let scheme_len = scheme_len(&expected);
        prop_assert_eq!(verifier.verify(&header), reference(&expected, scheme_len, &header));
    }

    /// Random bytes never verify (unless they happen to be the expected header).
    #[test]
    fn random_headers_never_verify(token in token_text(), header in proptest::collection::vec(any::<u8>(), 0..96)) {
        let token = Secret::new(token);
        for auth_type in AuthType::KNOWN {
            let verifier = NotificationVerifier::new(auth_type, &token).unwrap();
            let expected = authorization_header(auth_type, &token).unwrap().expose_secret().as_bytes().to_vec();
            let scheme_len = scheme_len(&expected);
            prop_assert_eq!(verifier.verify(&header), reference(&expected, scheme_len, &header));
        }
    }

    /// Another token, of any length, never verifies, with the right scheme too.
    #[test]
    fn another_token_never_verifies(configured in token_text(), presented in token_text()) {
        prop_assume!(configured != presented);
        for auth_type in AuthType::KNOWN {
            let verifier = NotificationVerifier::new(auth_type, &Secret::new(configured.clone())).unwrap();
            let header = authorization_header(auth_type, &Secret::new(presented.clone())).unwrap();
            prop_assert!(!verifier.verify(header.expose_secret().as_bytes()));
        }
    }
}
