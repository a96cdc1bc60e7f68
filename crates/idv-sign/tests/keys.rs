//! Key loading: formats, precise errors, redaction.

mod common;

use common::{data, fixture, fixtures_dir, test_key};
use idv_sign::{KeyError, PrivateKey, PublicKey, RsaSigner};

fn err_private(bytes: &[u8]) -> KeyError {
    PrivateKey::from_pem(bytes).expect_err("must be rejected")
}

#[test]
fn pkcs1_and_pkcs8_pem_give_the_same_key() {
    let a = PrivateKey::from_pem(&fixture("TEST-ONLY-key.pkcs1.pem")).unwrap();
    let b = PrivateKey::from_pem(&fixture("TEST-ONLY-key.pkcs8.pem")).unwrap();
    assert_eq!(a.bits(), 2048);
    assert_eq!(a.signature_len(), 256);
    assert_eq!(a.public_key(), b.public_key());
    let public = PublicKey::from_pem(&fixture("TEST-ONLY-key.public.pem")).unwrap();
    assert_eq!(a.public_key(), public);
    // Same key, same deterministic signature.
    let m = b"message";
    assert_eq!(
        RsaSigner::new(&a).sign_sync(m).unwrap(),
        RsaSigner::new(&b).sign_sync(m).unwrap()
    );
}

#[test]
fn der_in_both_encodings_is_accepted() {
    let pem = test_key();
    let pkcs1 = PrivateKey::from_der(&data("TEST-ONLY-key.pkcs1.der")).unwrap();
    let pkcs8 = PrivateKey::from_der(&data("TEST-ONLY-key.pkcs8.der")).unwrap();
    assert_eq!(pkcs1.public_key(), pem.public_key());
    assert_eq!(pkcs8.public_key(), pem.public_key());
}

#[test]
fn pem_with_crlf_surrounding_text_and_a_certificate_first_is_accepted() {
    let key = String::from_utf8(fixture("TEST-ONLY-key.pkcs8.pem")).unwrap();
    let cert = String::from_utf8(data("TEST-ONLY-cert.pem")).unwrap();
    let bundle = format!("Bag Attributes: x\n{cert}\nsome comment\n{key}\n").replace('\n', "\r\n");
    let parsed = PrivateKey::from_pem(bundle.as_bytes()).unwrap();
    assert_eq!(parsed.public_key(), test_key().public_key());
}

#[test]
fn public_keys_and_certificates_are_not_private_keys() {
    assert!(matches!(
        err_private(&data("TEST-ONLY-key.public.pkcs1.pem")),
        KeyError::PublicKeyInsteadOfPrivate { ref label } if label == "RSA PUBLIC KEY"
    ));
    assert!(matches!(
        err_private(&fixture("TEST-ONLY-key.public.pem")),
        KeyError::PublicKeyInsteadOfPrivate { ref label } if label == "PUBLIC KEY"
    ));
    assert!(matches!(
        err_private(&data("TEST-ONLY-cert.pem")),
        KeyError::CertificateInsteadOfPrivate
    ));
    assert!(matches!(
        PrivateKey::from_der(&data("TEST-ONLY-key.public.der")),
        Err(KeyError::PublicKeyInsteadOfPrivate { .. })
    ));
    assert!(matches!(
        PrivateKey::from_der(&data("TEST-ONLY-cert.der")),
        Err(KeyError::CertificateInsteadOfPrivate)
    ));
}

#[test]
fn encrypted_keys_say_decrypt_first() {
    for name in [
        "TEST-ONLY-key.encrypted-pkcs8.pem",
        "TEST-ONLY-key.encrypted-pkcs1.pem",
    ] {
        let err = err_private(&data(name));
        assert!(matches!(err, KeyError::Encrypted), "{name}: {err:?}");
        assert!(
            err.to_string()
                .contains("openssl pkey -in key.pem -out plain.pem")
        );
    }
    // The DER form of an encrypted PKCS#8 key.
    let pem = String::from_utf8(data("TEST-ONLY-key.encrypted-pkcs8.pem")).unwrap();
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    use base64::Engine as _;
    let der = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    assert!(matches!(
        PrivateKey::from_der(&der),
        Err(KeyError::Encrypted)
    ));
}

#[test]
fn non_rsa_keys_are_named() {
    for (name, algorithm) in [
        ("TEST-ONLY-ec.pkcs8.pem", "EC"),
        ("TEST-ONLY-ec.sec1.pem", "EC"),
        ("TEST-ONLY-ed25519.pem", "Ed25519"),
    ] {
        match err_private(&data(name)) {
            KeyError::NotRsa { algorithm: found } => assert_eq!(found, algorithm, "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
    assert!(matches!(
        err_private(&data("TEST-ONLY-rsa-pss.pem")),
        KeyError::NotRsa { ref algorithm } if algorithm.contains("PSS")
    ));
}

#[test]
fn keys_under_2048_bits_are_rejected() {
    for name in ["TEST-ONLY-rsa1024.pkcs1.pem", "TEST-ONLY-rsa1024.pkcs8.pem"] {
        let err = err_private(&data(name));
        assert!(
            matches!(err, KeyError::TooSmall { bits: 1024 }),
            "{name}: {err:?}"
        );
        assert!(err.to_string().contains("at least 2048"));
    }
    assert!(matches!(
        PrivateKey::generate(1024),
        Err(KeyError::TooSmall { bits: 1024 })
    ));
}

#[test]
fn not_pem_and_malformed_input() {
    assert!(matches!(err_private(b""), KeyError::NotPem));
    assert!(matches!(err_private(b"hello world"), KeyError::NotPem));
    assert!(matches!(err_private(&[0xff, 0xfe, 0x30]), KeyError::NotPem));
    // DER given to from_pem: NotPem, whose message points at from_der.
    let err = err_private(&data("TEST-ONLY-key.pkcs1.der"));
    assert!(matches!(err, KeyError::NotPem));
    assert!(err.to_string().contains("from_der"));
    assert!(matches!(
        err_private(b"-----BEGIN PRIVATE KEY-----\n!!!notbase64!!!\n-----END PRIVATE KEY-----\n"),
        KeyError::MalformedPem { .. }
    ));
    assert!(matches!(
        err_private(b"-----BEGIN PRIVATE KEY-----\nMIIB\n"),
        KeyError::MalformedPem { .. }
    ));
    assert!(matches!(
        err_private(b"-----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PRIVATE KEY-----\n"),
        KeyError::MalformedDer { .. }
    ));
    assert!(matches!(
        err_private(
            b"-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n"
        ),
        KeyError::UnsupportedFormat { .. }
    ));
    let der = data("TEST-ONLY-key.pkcs1.der");
    assert!(matches!(
        PrivateKey::from_der(&der[..der.len() / 2]),
        Err(KeyError::MalformedDer { .. })
    ));
    assert!(matches!(
        PrivateKey::from_der(&[]),
        Err(KeyError::MalformedDer { .. })
    ));
}

#[test]
fn file_and_env_errors_name_the_source_not_the_content() {
    let path = fixtures_dir().join("does-not-exist.pem");
    let err = PrivateKey::from_pem_file(&path).unwrap_err();
    assert!(matches!(err, KeyError::File { .. }));
    assert!(err.to_string().contains("does-not-exist.pem"));

    let key = PrivateKey::from_pem_file(fixtures_dir().join("TEST-ONLY-key.pkcs8.pem")).unwrap();
    assert_eq!(key.public_key(), test_key().public_key());

    let var = "IDV_SIGN_TEST_KEY_UNSET_7f3a";
    assert!(matches!(
        PrivateKey::from_env(var),
        Err(KeyError::EnvNotSet { var: ref v }) if v == var
    ));
}

/// Runs in a child process (edition 2024 makes `set_var` unsafe, and unsafe code is forbidden):
/// the parent test below re-runs this test binary with the variables set.
#[test]
fn env_var_child() {
    if std::env::var_os("IDV_SIGN_TEST_CHILD").is_none() {
        return;
    }
    let expected = test_key().public_key();
    let plain = PrivateKey::from_env("IDV_SIGN_TEST_KEY_PLAIN").unwrap();
    assert_eq!(plain.public_key(), expected);
    let escaped = PrivateKey::from_env("IDV_SIGN_TEST_KEY_ESCAPED").unwrap();
    assert_eq!(escaped.public_key(), expected);
    let err = PrivateKey::from_env("IDV_SIGN_TEST_KEY_PUBLIC").unwrap_err();
    assert!(matches!(err, KeyError::PublicKeyInsteadOfPrivate { .. }));
}

#[test]
fn env_var_with_real_or_escaped_newlines() {
    let pem = String::from_utf8(fixture("TEST-ONLY-key.pkcs1.pem")).unwrap();
    let escaped = pem.replace('\n', "\\n");
    assert!(!escaped.contains('\n'));
    // Without the env-var unescaping, a one-line PEM is not PEM, and the error shows none of it.
    let err = PrivateKey::from_pem(escaped.as_bytes()).unwrap_err();
    assert!(matches!(err, KeyError::NotPem), "{err:?}");
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "env_var_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("IDV_SIGN_TEST_CHILD", "1")
        .env("IDV_SIGN_TEST_KEY_PLAIN", &pem)
        .env("IDV_SIGN_TEST_KEY_ESCAPED", &escaped)
        .env(
            "IDV_SIGN_TEST_KEY_PUBLIC",
            String::from_utf8(fixture("TEST-ONLY-key.public.pem")).unwrap(),
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("1 passed"), "{stdout}");
}

#[test]
fn debug_and_errors_never_show_key_material() {
    let pem = String::from_utf8(fixture("TEST-ONLY-key.pkcs8.pem")).unwrap();
    let body_line = pem.lines().nth(1).unwrap();
    let key = test_key();
    let debug = format!("{key:?} {:?} {:?}", key.public_key(), RsaSigner::new(&key));
    assert_eq!(
        debug,
        "PrivateKey { bits: 2048, .. } PublicKey { bits: 2048, .. } RsaSigner { bits: 2048, .. }"
    );
    // A damaged key: the error must not echo any of it.
    let damaged = pem.replace(body_line, &format!("{body_line}!"));
    let err = PrivateKey::from_pem(damaged.as_bytes()).unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(&body_line[..20]), "{shown}");
}

#[test]
fn generated_keys_round_trip_through_pem() {
    let key = PrivateKey::generate(2048).unwrap();
    assert_eq!(key.bits(), 2048);
    let pkcs8 = key.to_pem().unwrap();
    assert!(pkcs8.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    let pkcs1 = key.to_pkcs1_pem().unwrap();
    assert!(pkcs1.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
    let public = key.public_key();
    let spki = public.to_pem().unwrap();
    assert!(spki.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    assert_eq!(
        PrivateKey::from_pem(pkcs8.as_bytes()).unwrap().public_key(),
        public
    );
    assert_eq!(
        PrivateKey::from_pem(pkcs1.as_bytes()).unwrap().public_key(),
        public
    );
    assert_eq!(PublicKey::from_pem(spki.as_bytes()).unwrap(), public);
    let rsa_pub = public.to_pkcs1_pem().unwrap();
    assert_eq!(PublicKey::from_pem(rsa_pub.as_bytes()).unwrap(), public);
    assert_ne!(public, test_key().public_key());
}

#[test]
fn public_key_formats() {
    let expected = test_key().public_key();
    for name in ["TEST-ONLY-key.public.pkcs1.pem", "TEST-ONLY-cert.pem"] {
        assert_eq!(
            PublicKey::from_pem(&data(name)).unwrap(),
            expected,
            "{name}"
        );
    }
    for name in ["TEST-ONLY-key.public.der", "TEST-ONLY-cert.der"] {
        assert_eq!(
            PublicKey::from_der(&data(name)).unwrap(),
            expected,
            "{name}"
        );
    }
    assert!(matches!(
        PublicKey::from_pem(&fixture("TEST-ONLY-key.pkcs1.pem")),
        Err(KeyError::PrivateKeyInsteadOfPublic { .. })
    ));
    assert!(matches!(
        PublicKey::from_der(&data("TEST-ONLY-key.pkcs8.der")),
        Err(KeyError::PrivateKeyInsteadOfPublic { .. })
    ));
    assert!(matches!(
        PublicKey::from_pem(b"nope"),
        Err(KeyError::NotPem)
    ));
    assert!(matches!(
        PublicKey::from_pem(&data("TEST-ONLY-ec.pkcs8.pem")),
        Err(KeyError::PrivateKeyInsteadOfPublic { .. })
    ));
}
